// reports.test.mjs — HR reports on the web (GET /api/reports/completion, /indicators,
// /indicator-list; docs/reports.md) and `parlearn report`.
//
// The reports count everything in a unit tree, so this file runs its own server
// (tests/lib/server.mjs) rather than run.sh's shared ones, and builds its own city: two old
// districts (RPD and its neighbour RPN, valid until 30 June 2025) with wards, two wards of
// the 1 July 2025 reform (RPW, RPW2) that succeed RPD's wards, three courses, people whose
// roster history it writes with psql (a move in mid-quarter, the move into the new wards on
// 1 July 2025), and enrolments and completions on known days. Every expected number below is
// worked out by hand from those rows (see the comments), so a wrong attribution shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodeHttp from 'node:http';
import { execFileSync } from 'node:child_process';
import { http, loginOk, assertProblem } from './lib.mjs';
import { startServer } from '../lib/server.mjs';

let srv;
let A;
const sql = (q) => srv.sql(q);
const cli = (args, input) => srv.cli(args, input);

const PASS = 'Rp-Bao-Cao-2025-xY7q';
const HOSTILE = '=HYPERLINK("http://evil.example/","Xem")';
const s = {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parlearn-reports-'));

// A GET that keeps the body as bytes (files).
function getBytes(pathQ, cookie) {
  const u = new URL(A + pathQ);
  return new Promise((resolve, reject) => {
    const req = nodeHttp.request({ host: u.hostname, port: u.port, path: u.pathname + u.search,
      method: 'GET', headers: { cookie }, agent: false, timeout: 60000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

after(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await srv?.stop();
});

const get = (p, who = 'hr') => http(A, p, { cookie: s[who].cookie });
const unitRow = (j, code) => j.rows.find((r) => r.code === code && !r.own);

before(async () => {
  srv = await startServer();
  A = srv.url;
  const unit = (...a) => cli(['unit', 'create', ...a]);
  unit('--code', 'HCM', '--name', 'Thành phố Hồ Chí Minh', '--kind', 'city', '--valid-from', '1976-07-02');
  unit('--code', 'SNV', '--name', 'Sở Nội vụ', '--kind', 'department', '--parent', 'HCM', '--valid-from', '2008-01-01');
  unit('--code', 'RPD', '--name', 'Quận Thử Báo Cáo', '--kind', 'district', '--parent', 'HCM',
    '--valid-from', '2000-01-01', '--valid-to', '2025-06-30');
  unit('--code', 'RPD-A', '--name', 'Phường A Báo Cáo', '--kind', 'ward', '--parent', 'RPD',
    '--valid-from', '2000-01-01', '--valid-to', '2025-06-30');
  unit('--code', 'RPD-B', '--name', 'Phường B Báo Cáo', '--kind', 'ward', '--parent', 'RPD',
    '--valid-from', '2000-01-01', '--valid-to', '2025-06-30');
  unit('--code', 'RPN', '--name', 'Quận Láng Giềng', '--kind', 'district', '--parent', 'HCM',
    '--valid-from', '2000-01-01', '--valid-to', '2025-06-30');
  unit('--code', 'RPN-A', '--name', 'Phường Láng Giềng', '--kind', 'ward', '--parent', 'RPN',
    '--valid-from', '2000-01-01', '--valid-to', '2025-06-30');
  unit('--code', 'RPW', '--name', 'Phường Mới Một', '--kind', 'ward', '--parent', 'HCM', '--valid-from', '2025-07-01');
  unit('--code', 'RPW2', '--name', 'Phường Mới Hai', '--kind', 'ward', '--parent', 'HCM', '--valid-from', '2025-07-01');
  for (const [a, b] of [['RPD-A', 'RPW'], ['RPD-A', 'RPW2'], ['RPD-B', 'RPW2'], ['RPD', 'RPW'], ['RPD', 'RPW2']]) {
    cli(['unit', 'succeed', '--code', a, '--successor', b]);
  }
  // people, created in today's unit; their history is written below
  let n = 0;
  const person = (code, unitCode, name, par, leader = false) => {
    n += 1;
    cli(['person', 'create', '--employee-code', code, '--unit', unitCode, '--name', name, '--position', 'Chuyên viên',
      '--par-role', par, ...(leader ? ['--leader'] : [])], `${String(79300000000 + n * 7717).padStart(12, '0')}\n`);
    cli(['user', 'create', '--username', code.toLowerCase(), '--role', 'learner', '--person', code,
      '--password-stdin', '--name', name.slice(0, 60)], `${PASS}\n`);
  };
  person('RPS-01', 'RPW', 'Trần Văn Ở Lại', 'dedicated');
  person('RPS-02', 'RPW2', 'Lê Thị Chuyển', 'concurrent');
  person('RPS-03', 'RPW2', 'Phạm Lãnh Đạo', 'concurrent', true);
  person('RPS-04', 'RPW2', HOSTILE, 'none');
  person('RPS-05', 'RPN-A', 'Võ Láng Giềng', 'dedicated');
  person('RPS-06', 'RPW', 'Đỗ Trưởng Phòng', 'none', true);
  const pid = (c) => `(SELECT id FROM person WHERE employee_code = '${c}')`;
  const uid = (c) => `(SELECT id FROM org_unit WHERE code = '${c}')`;
  const hist = (code, rows) => {
    sql(`DELETE FROM person_history WHERE person_id = ${pid(code)}`);
    for (const [u, from, to, extra = {}] of rows) {
      sql(`INSERT INTO person_history (person_id, unit_id, position, is_leader, par_role, active, valid_from, valid_to)
           SELECT id, ${uid(u)}, ${extra.position ? `'${extra.position}'` : 'position'}, is_leader, par_role, true,
                  '${from}', ${to ? `'${to}'` : 'NULL'} FROM person WHERE employee_code = '${code}'`);
    }
  };
  hist('RPS-01', [['RPD-A', '2024-01-01', '2025-06-30'], ['RPW', '2025-07-01', null]]);
  // the mover: ward A until 14 February 2025, then ward B (a PAR position there)
  hist('RPS-02', [['RPD-A', '2024-01-01', '2025-02-14'], ['RPD-B', '2025-02-15', '2025-06-30', { position: 'Chuyên viên CCHC báo cáo' }],
    ['RPW2', '2025-07-01', null]]);
  hist('RPS-03', [['RPD-B', '2024-01-01', '2025-06-30'], ['RPW2', '2025-07-01', null]]);
  hist('RPS-04', [['RPD-A', '2024-01-01', '2025-06-30'], ['RPW2', '2025-07-01', null]]);
  hist('RPS-05', [['RPN-A', '2024-01-01', null]]);
  hist('RPS-06', [['RPD-A', '2024-01-01', '2025-06-30'], ['RPW', '2025-07-01', null]]);
  sql(`INSERT INTO job_position (code, name) VALUES ('RP-CCHC', 'Chuyên viên CCHC báo cáo')`);
  // courses: RPC1 (a PAR area, 20 periods), RPC2 (no area: not PAR training, 24), RPC3 (area, 4)
  const course = (code, title, area, periods) => sql(`WITH c AS (INSERT INTO course (code, title) VALUES ('${code}', '${title}') RETURNING id)
    INSERT INTO course_version (course_id, version_no, kind, title, package_sha256, storage_key, file_count, total_bytes,
      imported_by, par_area, training_periods)
    SELECT id, 1, 'native', '${title}', repeat('a', 64), 'rptest${code}xxxxxxxxxx', 1, 1, 'test', ${area ? `'${area}'` : 'NULL'}, ${periods} FROM c`);
  course('RPC1', 'Khóa CCHC báo cáo 1', 'thu-tuc-hanh-chinh', 20);
  course('RPC2', 'Khóa kỹ năng báo cáo 2', null, 24);
  course('RPC3', 'Khóa CCHC báo cáo 3', 'to-chuc-bo-may', 4);
  const ts = (d) => `'${d.includes(' ') ? d : `${d} 09:00`}+07'`;
  const enrol = (code, courseCode, at, { due = null, done = null, passed = true, active = 3600, reported = 4000 } = {}) => {
    const e = sql(`INSERT INTO enrolment (user_id, course_id, version_id, source, assigned_by, due_at, enrolled_at)
      SELECT u.id, c.id, v.id, '${due ? 'assigned' : 'self'}', ${due ? "'hr.rpd'" : 'NULL'}, ${due ? `'${due}'` : 'NULL'}, ${ts(at)}
        FROM app_user u, course c JOIN course_version v ON v.course_id = c.id
       WHERE u.username = '${code.toLowerCase()}' AND c.code = '${courseCode}' RETURNING id`);
    if (done) {
      sql(`INSERT INTO completion (enrolment_id, user_id, course_id, version_id, completed_at, passed, score_scaled, active_s, reported_s, evidence)
        SELECT e.id, e.user_id, e.course_id, e.version_id, ${ts(done)}, ${passed}, 0.9, ${active}, ${reported}, '{}' FROM enrolment e WHERE e.id = ${e}`);
      sql(`UPDATE enrolment SET completed_at = ${ts(done)} WHERE id = ${e}`);
    }
  };
  enrol('RPS-01', 'RPC1', '2025-01-10', { due: '2025-02-28', done: '2025-03-05' });
  enrol('RPS-01', 'RPC2', '2025-02-01', { done: '2025-03-10', active: 1800, reported: 1800 });
  enrol('RPS-02', 'RPC1', '2025-01-10', { due: '2025-03-15', done: '2025-03-20' }); // enrolled in A, done in B
  enrol('RPS-03', 'RPC1', '2025-02-20', { due: '2025-03-01' }); // overdue at the end of the quarter
  enrol('RPS-03', 'RPC3', '2025-03-01', { done: '2025-03-25' }); // a leader trained in PAR
  enrol('RPS-04', 'RPC2', '2025-03-01');
  enrol('RPS-05', 'RPC1', '2025-01-15', { due: '2025-02-28', done: '2025-02-15' });
  // 31 March 2025 at 23:30 in the city is still the first quarter (16:30 UTC)
  enrol('RPS-06', 'RPC3', '2025-03-31', { done: '2025-03-31 23:30' });
  // officers: RPD's, its neighbour's, the new ward's
  const officer = (name, scope) => cli(['user', 'create', '--username', name, '--role', 'hr_officer', '--scope', scope,
    '--password-stdin', '--name', `Cán bộ ${scope}`], `${PASS}\n`);
  officer('hr.rpd', 'RPD');
  officer('hr.rpn', 'RPN');
  officer('hr.rpw', 'RPW');
  s.hr = await loginOk(A, 'hr.rpd', PASS);
  s.rpn = await loginOk(A, 'hr.rpn', PASS);
  s.rpw = await loginOk(A, 'hr.rpw', PASS);
  cli(['user', 'create', '--username', 'rp.admin', '--role', 'admin', '--password-stdin', '--name', 'Quản trị'], `${PASS}\n`);
  s.admin = await loginOk(A, 'rp.admin', PASS);
  s.learner = await loginOk(A, 'rps-01', PASS);
});

test('the quarter of a district, by ward: each fact under the ward of its day', async () => {
  const r = await get('/api/reports/completion?unit=RPD&period=2025-Q1');
  assert.equal(r.status, 200, r.text);
  const j = r.json;
  assert.equal(j.unit.code, 'RPD');
  assert.deepEqual(j.period, { label: '2025-Q1', from: '2025-01-01', to: '2025-03-31' });
  const a = unitRow(j, 'RPD-A');
  const b = unitRow(j, 'RPD-B');
  assert.ok(a && b, JSON.stringify(j.rows));
  // ward A: enrolments of RPS-01 (two), RPS-02 (before the move), RPS-04, RPS-06; four done by
  // 31 March (RPS-04's is not)
  assert.equal(a.enrolled, 5);
  assert.equal(a.enrolled_completed, 4);
  assert.equal(a.completion_rate, 80);
  // completions in A: RPS-01's two and RPS-06's at 23:30 on 31 March (city time)
  assert.equal(a.completed, 3);
  assert.equal(a.people, 3); // RPS-01, RPS-04, RPS-06 on 31 March
  assert.equal(a.at_target, 1); // RPS-01: 20 + 24 periods
  assert.equal(a.periods, 48);
  assert.equal(a.active_s, 3600 + 1800 + 3600);
  assert.equal(a.reported_s, 4000 + 1800 + 4000);
  assert.equal(a.overdue, 0);
  // ward B: the mover's completion (after the move) and RPS-03's; RPS-03's assignment overdue
  assert.equal(b.enrolled, 2);
  assert.equal(b.enrolled_completed, 1);
  assert.equal(b.completed, 2);
  assert.equal(b.people, 2);
  assert.equal(b.overdue, 1);
  assert.equal(b.periods, 24);
  assert.equal(j.total.people, 5);
  assert.equal(j.total.completed, 5);
  assert.equal(j.total.enrolled, 7);
  assert.deepEqual(j.predecessors, []);
  assert.deepEqual(j.series.months.map((m) => [m.key, m.enrolled, m.completed]),
    [['2025-01', 2, 0], ['2025-02', 2, 0], ['2025-03', 3, 5]]);
  // the neighbour's person is nowhere in it
  const p = await get('/api/reports/completion?unit=RPD&period=2025-Q1&drill=people');
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.total, 5);
  assert.ok(!p.text.includes('RPS-05') && !p.text.includes('Láng Giềng'));
  const mover = p.json.people.find((x) => x.employee_code === 'RPS-02');
  assert.equal(mover.unit_code, 'RPD-B');
  assert.equal(mover.enrolled, 1);
  assert.equal(mover.completed, 1);
});

test('filters: course, PAR area, audience', async () => {
  const c = await get('/api/reports/completion?unit=RPD&period=2025-Q1&course=RPC2');
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.total.completed, 1); // RPS-01's RPC2
  assert.equal(c.json.total.enrolled, 2);
  const area = await get('/api/reports/completion?unit=RPD&period=2025-Q1&par_area=to-chuc-bo-may');
  assert.equal(area.json.total.completed, 2); // RPS-03 and RPS-06, RPC3
  const leaders = await get('/api/reports/completion?unit=RPD&period=2025-Q1&audience=leader');
  assert.equal(leaders.json.total.people, 2);
  assert.equal(leaders.json.total.completed, 2);
  const par = await get('/api/reports/completion?unit=RPD&period=2025-Q1&par_role=par');
  assert.equal(par.json.total.people, 3); // RPS-01, -02, -03
  assertProblem(await get('/api/reports/completion?unit=RPD&period=2025-Q1&course=NOPE'), 404, 'not_found', { field: 'course' });
  assertProblem(await get('/api/reports/completion?unit=RPD&audience=boss'), 422, 'invalid_field', { field: 'audience' });
  assertProblem(await get('/api/reports/completion?unit=RPD&drill=tree'), 422, 'invalid_field', { field: 'drill' });
});

test('scope: a district officer never sees the neighbour, on screen, in files, in lists', async () => {
  for (const u of ['RPN', 'RPN-A', 'RPW', 'HCM', 'SNV']) {
    assertProblem(await get(`/api/reports/completion?unit=${u}&period=2025-Q1`), 403, 'forbidden', { field: 'unit', what: u });
  }
  assertProblem(await get('/api/reports/completion?unit=RPN&period=2025-Q1&format=csv'), 403, 'forbidden');
  assertProblem(await get('/api/reports/completion?unit=RPN&period=2025-Q1&format=xlsx'), 403, 'forbidden');
  assertProblem(await get('/api/reports/indicators?unit=RPN&period=2025-Q1'), 403, 'forbidden');
  assertProblem(await get('/api/reports/indicator-list?id=par_access&unit=RPN&period=2025-Q1&format=csv'), 403, 'forbidden');
  assertProblem(await get('/api/reports/completion?unit=NOPE-1&period=2025-Q1'), 404, 'not_found', { field: 'unit' });
  assertProblem(await get('/api/reports/completion?unit=bad%20code'), 422, 'invalid_field', { field: 'unit' });
  // the neighbour's officer sees their own, and not RPD
  const n = await get('/api/reports/completion?unit=RPN&period=2025-Q1', 'rpn');
  assert.equal(n.status, 200, n.text);
  assert.equal(n.json.total.completed, 1);
  assertProblem(await get('/api/reports/completion?unit=RPD&period=2025-Q1', 'rpn'), 403, 'forbidden');
  // without a unit: the officer's own
  const d = await get('/api/reports/completion?period=2025-Q1');
  assert.equal(d.json.unit.code, 'RPD');
  // a learner, and no session
  assertProblem(await get('/api/reports/completion?unit=RPD', 'learner'), 403, 'forbidden');
  assertProblem(await http(A, '/api/reports/indicators'), 401, 'unauthenticated');
  // an admin sees any unit
  const adm = await get('/api/reports/completion?unit=RPN&period=2025-Q1', 'admin');
  assert.equal(adm.status, 200);
});

test('bad periods and page sizes are refused with their field', async () => {
  const bad = [
    ['period=2025-Q5', 'period'], ['period=2025-H3', 'period'], ['period=1999', 'period'],
    ['period=2031', 'period'], ['from=2025-09-30&to=2025-07-01', 'to'], ['from=1999-12-31&to=2000-02-01', 'from'],
    ['from=2001-01-01&to=2015-01-01', 'to'], ['from=2025-02-30&to=2025-03-01', 'from'], ['from=2025-01-01', 'to'],
    ['period=2025-Q1&from=2025-01-01&to=2025-01-31', 'period'],
  ];
  for (const [q, field] of bad) {
    assertProblem(await get(`/api/reports/completion?unit=RPD&${q}`), 422, 'invalid_field', { field, what: q });
  }
  assertProblem(await get('/api/reports/indicators?unit=RPD&period=2025-Q9'), 422, 'invalid_field', { field: 'period' });
  for (const l of ['5000', '1001', '0', '-1', 'x']) {
    assertProblem(await get(`/api/reports/completion?unit=RPD&period=2025-Q1&drill=people&limit=${l}`), 422, 'invalid_field', { field: 'limit', what: l });
  }
  assertProblem(await get('/api/reports/indicator-list?id=par_access&unit=RPD&limit=100000'), 422, 'invalid_field', { field: 'limit' });
  assertProblem(await get('/api/reports/completion?unit=RPD&format=pdf'), 422, 'invalid_field', { field: 'format' });
  // a page of 1 and its offset
  const p1 = await get('/api/reports/completion?unit=RPD&period=2025-Q1&drill=people&limit=1&offset=1');
  assert.equal(p1.json.people.length, 1);
  assert.equal(p1.json.total, 5);
});

test('the reform: a new ward before it existed reaches its predecessors, person by person', async () => {
  const r = await get('/api/reports/completion?unit=RPW&period=2025-Q1', 'rpw');
  assert.equal(r.status, 200, r.text);
  const preds = r.json.predecessors.map((p) => p.code).sort();
  assert.deepEqual(preds, ['RPD', 'RPD-A']);
  // RPS-01 and RPS-06 moved from ward A to RPW on 1 July 2025; RPS-02 and RPS-04 (also of
  // ward A) went to RPW2 and count there, not here
  assert.equal(r.json.total.people, 2);
  assert.equal(r.json.total.enrolled, 3);
  assert.equal(r.json.total.completed, 3);
  assert.equal(r.json.total.at_target, 1);
  const people = await get('/api/reports/completion?unit=RPW&period=2025-Q1&drill=people', 'rpw');
  assert.deepEqual(people.json.people.map((p) => p.employee_code).sort(), ['RPS-01', 'RPS-06']);
  // the split ward: RPW2 reaches A and B, and gets the mover and RPS-03, RPS-04
  const r2 = await get('/api/reports/completion?unit=RPW2&period=2025-Q1', 'admin');
  assert.deepEqual(r2.json.predecessors.map((p) => p.code).sort(), ['RPD', 'RPD-A', 'RPD-B']);
  assert.equal(r2.json.total.people, 3);
  assert.equal(r2.json.total.completed, 2);
  // the two new wards together count each person once: as RPD did
  const d = await get('/api/reports/completion?unit=RPD&period=2025-Q1', 'admin');
  assert.equal(r.json.total.completed + r2.json.total.completed, d.json.total.completed);
  assert.equal(r.json.total.people + r2.json.total.people, d.json.total.people);
  // RPW's officer still cannot open the old ward itself
  assertProblem(await get('/api/reports/completion?unit=RPD-A&period=2025-Q1', 'rpw'), 403, 'forbidden');
  // after the reform, no predecessor is reached
  const late = await get('/api/reports/completion?unit=RPW&period=2025-Q3', 'rpw');
  assert.deepEqual(late.json.predecessors, []);
});

test('CSV: BOM, CRLF, the rows of the page, formula injection neutralised', async () => {
  const page = await get('/api/reports/completion?unit=RPD&period=2025-Q1');
  const f = await getBytes('/api/reports/completion?unit=RPD&period=2025-Q1&format=csv', s.hr.cookie);
  assert.equal(f.status, 200);
  assert.match(f.headers['content-type'], /^text\/csv; charset=utf-8/);
  assert.match(f.headers['content-disposition'], /attachment; filename="bao-cao-completion-RPD-2025-Q1\.csv"/);
  assert.deepEqual([...f.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = f.body.toString('utf8').slice(1);
  assert.ok(text.endsWith('\r\n'));
  const lines = text.split('\r\n').slice(0, -1);
  assert.equal(lines.length, 1 + page.json.rows.length + 1); // header, rows, "Tổng cộng"
  assert.match(lines[0], /^Mã đơn vị,Tên đơn vị,Loại,Số người cuối kỳ/);
  assert.match(lines.at(-1), /^RPD,Tổng cộng,/);
  for (const row of page.json.rows) assert.ok(lines.some((l) => l.startsWith(`${row.code},`)), row.code);
  // people: the hostile name starts with an apostrophe, inside quotes
  const pf = await getBytes('/api/reports/completion?unit=RPD&period=2025-Q1&drill=people&format=csv', s.hr.cookie);
  const ptext = pf.body.toString('utf8');
  assert.ok(ptext.includes(`"'=HYPERLINK(""http://evil.example/"",""Xem"")"`), ptext);
  for (const l of ptext.split('\r\n')) assert.ok(!/^[=+\-@]/.test(l), l);
  const plines = ptext.split('\r\n').filter(Boolean);
  const pj = await get('/api/reports/completion?unit=RPD&period=2025-Q1&drill=people&limit=1000');
  assert.equal(plines.length - 1, pj.json.total);
  assert.equal(pj.json.people.length, pj.json.total);
  // the indicators and a list as CSV
  const ic = await getBytes('/api/reports/indicators?unit=RPD&period=2025-Q1&format=csv', s.hr.cookie);
  assert.equal(ic.body.toString('utf8').split('\r\n').filter(Boolean).length, 1 + 6);
});

function unzip(buf, entry) {
  const file = path.join(tmp, `f${Math.random().toString(16).slice(2)}.xlsx`);
  fs.writeFileSync(file, buf);
  return execFileSync('unzip', ['-p', file, entry], { encoding: 'utf8' });
}

test('XLSX: a workbook whose cells are strings, numbers and dates, never formulas', async () => {
  const x = await getBytes('/api/reports/completion?unit=RPD&period=2025-Q1&drill=people&format=xlsx', s.hr.cookie);
  assert.equal(x.status, 200);
  assert.equal(x.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(Number(x.headers['content-length']), x.body.length);
  assert.equal(x.body.subarray(0, 2).toString('latin1'), 'PK');
  const wb = unzip(x.body, 'xl/workbook.xml');
  assert.ok(wb.includes('name="Cán bộ"') && wb.includes('name="Thông tin"'), wb);
  const sheet = unzip(x.body, 'xl/worksheets/sheet1.xml');
  assert.ok(!/<f[ >]/.test(sheet), 'a formula element in the sheet');
  assert.ok(sheet.includes('<t>=HYPERLINK("http://evil.example/","Xem")</t>')
    || sheet.includes('<t>=HYPERLINK(&quot;http://evil.example/&quot;,&quot;Xem&quot;)</t>'), 'the name is kept, as text');
  assert.ok(sheet.includes('state="frozen"'));
  assert.ok(sheet.includes('Họ và tên'));
  const rows = (sheet.match(/<row /g) || []).length;
  assert.equal(rows, 1 + 5); // header and the five people of the page
  // the information sheet holds real dates
  const info = unzip(x.body, 'xl/worksheets/sheet2.xml');
  assert.ok(/<c r="C\d+" s="\d+"><v>45658<\/v><\/c>/.test(info), info.slice(0, 800)); // 2025-01-01
  // the unit report too
  const u = await getBytes('/api/reports/completion?unit=RPD&period=2025-Q1&format=xlsx', s.hr.cookie);
  const uwb = unzip(u.body, 'xl/workbook.xml');
  for (const n of ['Đơn vị', 'Theo tháng', 'Theo lĩnh vực', 'Theo khóa học', 'Thông tin']) assert.ok(uwb.includes(`name="${n}"`), n);
});

test('indicators of II.2 with numerator, denominator and the list behind them', async () => {
  cli(['report', 'flag-position', '--position', 'RP-CCHC', '--par', 'yes']);
  const r = await get('/api/reports/indicators?unit=RPD&period=2025-Q1');
  assert.equal(r.status, 200, r.text);
  const ind = Object.fromEntries(r.json.indicators.map((i) => [i.id, i]));
  // leaders on 31 March: RPS-03 (RPC3, a PAR area, on 25 March) and RPS-06 (RPC3 at 23:30 on 31 March)
  assert.deepEqual([ind.leaders_trained.numerator, ind.leaders_trained.denominator], [2, 2]);
  // PAR staff: RPS-01, -02, -03; RPS-03's assignment is overdue
  assert.deepEqual([ind.par_required_done.numerator, ind.par_required_done.denominator], [2, 3]);
  assert.equal(ind.par_required_done.percent, 66.7);
  assert.deepEqual([ind.par_access.numerator, ind.par_access.denominator], [3, 3]);
  assert.equal(ind.experts_certified.kind, 'count');
  assert.equal(ind.experts_certified.target, 50);
  // no talent-pool entry here: 0 of the target 20 (reports_exams.test.mjs has the numbers)
  assert.equal(ind.leadership_pool.available, true);
  assert.equal(ind.leadership_pool.numerator, 0);
  assert.equal(ind.leadership_pool.target, 20);
  // RPD is the one reporting unit; the mover held a PAR position in ward B on 31 March
  assert.deepEqual([ind.units_par_position.numerator, ind.units_par_position.denominator], [1, 1]);
  // the lists
  const l = await get('/api/reports/indicator-list?id=par_required_done&unit=RPD&period=2025-Q1');
  assert.equal(l.status, 200, l.text);
  assert.equal(l.json.total, 3);
  // counted first, then by unit (ward A before ward B) and name
  assert.deepEqual(l.json.items.map((i) => [i.code, i.counted]),
    [['RPS-01', true], ['RPS-02', true], ['RPS-03', false]]);
  const missing = await get('/api/reports/indicator-list?id=par_required_done&unit=RPD&period=2025-Q1&only=missing');
  assert.deepEqual(missing.json.items.map((i) => i.code), ['RPS-03']);
  assert.equal(missing.json.items[0].n2, 1); // one assigned course not completed
  const units = await get('/api/reports/indicator-list?id=units_par_position&unit=RPD&period=2025-Q1');
  assert.deepEqual(units.json.items.map((i) => [i.code, i.counted, i.n1]), [['RPD', true, 1]]);
  const pool = await get('/api/reports/indicator-list?id=leadership_pool&unit=RPD&period=2025-Q1');
  assert.equal(pool.json.available, true);
  assert.deepEqual(pool.json.items, []);
  assertProblem(await get('/api/reports/indicator-list?id=nope&unit=RPD'), 422, 'invalid_field', { field: 'id' });
  // experts: an expert programme's certificates, issued by `parlearn certificate issue`
  cli(['report', 'flag-course', '--course', 'RPC1', '--expert', 'yes']);
  cli(['certificate', 'issue']);
  const e = await get('/api/reports/indicators?unit=RPW&period=2026', 'rpw');
  const ex = e.json.indicators.find((i) => i.id === 'experts_certified');
  assert.equal(ex.numerator, 1); // RPS-01, whose unit was RPW when the certificate was issued
  const el = await get('/api/reports/indicator-list?id=experts_certified&unit=RPW&period=2026', 'rpw');
  assert.deepEqual(el.json.items.map((i) => i.code), ['RPS-01']);
  assert.match(el.json.items[0].detail, /^PAR-\d{4}-\d{6} — /);
});

test('the CLI gives the same bytes, and every export is in the audit log', async () => {
  const before = Number(sql("SELECT count(*) FROM audit_log WHERE actor = 'hr.rpd'"));
  const api = await getBytes('/api/reports/completion?unit=RPD&period=2025-Q1&format=csv', s.hr.cookie);
  const out = path.join(tmp, 'cli.csv');
  cli(['report', 'completion', '--unit', 'RPD', '--period', '2025-Q1', '--format', 'csv', '--out', out]);
  assert.ok(fs.readFileSync(out).equals(api.body), 'CSV: CLI and API differ');
  const apiX = await getBytes('/api/reports/indicators?unit=RPD&period=2025-Q1&format=xlsx', s.hr.cookie);
  const outX = path.join(tmp, 'cli.xlsx');
  cli(['report', 'indicators', '--unit', 'RPD', '--period', '2025-Q1', '--format', 'xlsx', '--out', outX]);
  assert.ok(fs.readFileSync(outX).equals(apiX.body), 'XLSX: CLI and API differ');
  const json = JSON.parse(cli(['report', 'completion', '--unit', 'RPD', '--period', '2025-Q1', '--format', 'json']));
  const page = await get('/api/reports/completion?unit=RPD&period=2025-Q1');
  assert.deepEqual(json, page.json);
  // the log: who, what, parameters, rows
  const after = Number(sql("SELECT count(*) FROM audit_log WHERE actor = 'hr.rpd'"));
  assert.equal(after - before, 2);
  const last = sql(`SELECT action || '|' || row_count || '|' || (params->>'unit') || '|' || (params->>'period') || '|' || client_addr
                    FROM audit_log WHERE actor = 'hr.rpd' ORDER BY id DESC LIMIT 1`);
  assert.equal(last, 'report.indicators.xlsx|6|RPD|2025-Q1|127.0.0.1');
  const csvRow = sql(`SELECT row_count FROM audit_log WHERE actor = 'hr.rpd' AND action = 'report.completion.csv' ORDER BY id DESC LIMIT 1`);
  assert.equal(Number(csvRow), 3); // the two wards and the total
  const cliRows = sql("SELECT count(*) FROM audit_log WHERE actor LIKE 'cli:%' AND action IN ('report.completion.csv', 'report.indicators.xlsx')");
  assert.ok(Number(cliRows) >= 2);
  // append-only
  assert.throws(() => sql('DELETE FROM audit_log'), /append-only/);
  // the JSON pages are not files: not logged
  await get('/api/reports/completion?unit=RPD&period=2025-Q1');
  assert.equal(Number(sql("SELECT count(*) FROM audit_log WHERE actor = 'hr.rpd'")), after);
});
