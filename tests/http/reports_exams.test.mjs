// reports_exams.test.mjs — the HR reports' quiz and exam results (GET /api/reports/exams), the
// talent-pool list (GET /api/reports/talent-pool), the leadership-pool indicator and the list
// behind it, and `parlearn report exams|talent-pool` (docs/reports.md).
//
// Like reports.test.mjs it runs its own server and builds its own small city with psql: an
// old district XD (wards XD-A, XD-B, valid until 30 June 2025), a neighbour XN, a ward of the
// 1 July 2025 reform (XW, successor of XD-A); five people with known roster histories; a
// quiz, a published exam and an unpublished exam; attempts on known days with known scores;
// talent-pool entries proposed and decided on known days. Every expected number below is
// worked out by hand from those rows (see the comments).
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
const PASS = 'Rp-Thi-Cu-2025-kQ9z';
const s = {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parlearn-rep-exams-'));

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

function unzip(buf, entry) {
  const file = path.join(tmp, `f${Math.random().toString(16).slice(2)}.xlsx`);
  fs.writeFileSync(file, buf);
  return execFileSync('unzip', ['-p', file, entry], { encoding: 'utf8' });
}

after(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await srv?.stop();
});

const get = (p, who = 'hr') => http(A, p, { cookie: s[who].cookie });
const line = (j, code) => j.rows.find((r) => r.code === code && !r.own);
const bands = (...pairs) => {
  const b = Array(10).fill(0);
  for (const [i, n] of pairs) b[i] = n;
  return b;
};

before(async () => {
  srv = await startServer();
  A = srv.url;
  const unit = (...a) => cli(['unit', 'create', ...a]);
  unit('--code', 'HCM', '--name', 'Thành phố Hồ Chí Minh', '--kind', 'city', '--valid-from', '1976-07-02');
  unit('--code', 'XD', '--name', 'Quận Thi Cử', '--kind', 'district', '--parent', 'HCM',
    '--valid-from', '2000-01-01', '--valid-to', '2025-06-30');
  unit('--code', 'XD-A', '--name', 'Phường A Thi', '--kind', 'ward', '--parent', 'XD',
    '--valid-from', '2000-01-01', '--valid-to', '2025-06-30');
  unit('--code', 'XD-B', '--name', 'Phường B Thi', '--kind', 'ward', '--parent', 'XD',
    '--valid-from', '2000-01-01', '--valid-to', '2025-06-30');
  unit('--code', 'XN', '--name', 'Quận Bên Cạnh', '--kind', 'district', '--parent', 'HCM',
    '--valid-from', '2000-01-01', '--valid-to', '2025-06-30');
  unit('--code', 'XN-A', '--name', 'Phường Bên Cạnh', '--kind', 'ward', '--parent', 'XN',
    '--valid-from', '2000-01-01', '--valid-to', '2025-06-30');
  unit('--code', 'XW', '--name', 'Phường Mới Thi', '--kind', 'ward', '--parent', 'HCM', '--valid-from', '2025-07-01');
  for (const [a, b] of [['XD-A', 'XW'], ['XD', 'XW']]) cli(['unit', 'succeed', '--code', a, '--successor', b]);
  let n = 0;
  const person = (code, unitCode, name, par, leader = false) => {
    n += 1;
    cli(['person', 'create', '--employee-code', code, '--unit', unitCode, '--name', name, '--position', 'Chuyên viên',
      '--par-role', par, ...(leader ? ['--leader'] : [])], `${String(79400000000 + n * 7919).padStart(12, '0')}\n`);
    cli(['user', 'create', '--username', code.toLowerCase(), '--role', 'learner', '--person', code,
      '--password-stdin', '--name', name], `${PASS}\n`);
  };
  person('XT-1', 'XW', 'Trần Văn Một', 'dedicated');
  person('XT-2', 'XD-B', 'Lê Thị Hai', 'concurrent');
  person('XT-3', 'XD-B', 'Phạm Văn Ba', 'concurrent', true);
  person('XT-4', 'XN-A', 'Võ Thị Bốn', 'dedicated');
  person('XT-5', 'XD-B', '=cmd|\' /C calc\'!A0', 'none');
  const pid = (c) => `(SELECT id FROM person WHERE employee_code = '${c}')`;
  const uid = (c) => `(SELECT id FROM org_unit WHERE code = '${c}')`;
  const hist = (code, rows) => {
    sql(`DELETE FROM person_history WHERE person_id = ${pid(code)}`);
    for (const [u, from, to] of rows) {
      sql(`INSERT INTO person_history (person_id, unit_id, position, is_leader, par_role, active, valid_from, valid_to)
           SELECT id, ${uid(u)}, position, is_leader, par_role, true, '${from}', ${to ? `'${to}'` : 'NULL'}
             FROM person WHERE employee_code = '${code}'`);
    }
  };
  hist('XT-1', [['XD-A', '2024-01-01', '2025-06-30'], ['XW', '2025-07-01', null]]);
  // the mover: ward A until 14 February 2025, then ward B
  hist('XT-2', [['XD-A', '2024-01-01', '2025-02-14'], ['XD-B', '2025-02-15', null]]);
  hist('XT-3', [['XD-B', '2024-01-01', null]]);
  hist('XT-4', [['XN-A', '2024-01-01', null]]);
  hist('XT-5', [['XD-B', '2024-01-01', null]]);
  sql(`WITH c AS (INSERT INTO course (code, title) VALUES ('XC1', 'Khóa thi 1') RETURNING id)
    INSERT INTO course_version (course_id, version_no, kind, title, package_sha256, storage_key, file_count, total_bytes,
      imported_by, par_area, training_periods)
    SELECT id, 1, 'native', 'Khóa thi 1', repeat('b', 64), 'rpexamXC1xxxxxxxxxxxx', 1, 1, 'test', 'thu-tuc', 4 FROM c`);
  // QZ1: a quiz of course XC1 (pass 70 %); EX1: an exam published on 30 March 2025; EX2: an
  // exam whose results are not published
  const asm = (code, kind, course, published) => sql(`INSERT INTO assessment (code, kind, title, unit_id, course_id, status,
      opens_at, closes_at, max_attempts, pass_fraction, show_score, show_answers, show_feedback, created_by,
      results_published_at, results_published_by)
    VALUES ('${code}', '${kind}', 'Bài ${code}', ${uid('HCM')}, ${course ? `(SELECT id FROM course WHERE code = '${course}')` : 'NULL'},
      'closed', '2025-01-01 00:00+07', '2025-12-31 00:00+07', ${kind === 'exam' ? 1 : 0}, 0.7,
      'after_publish', 'after_publish', 'after_publish', 'test',
      ${published ? `'${published}+07'` : 'NULL'}, ${published ? "'trainer'" : 'NULL'})`);
  asm('QZ1', 'quiz', 'XC1', null);
  asm('EX1', 'exam', null, '2025-03-30 10:00');
  asm('EX2', 'exam', null, null);
  let no = 0;
  const attempt = (code, who, unitCode, at, fraction, { manual = false, open = false } = {}) => {
    no += 1;
    const passed = fraction + 1e-9 >= 0.7;
    return sql(`INSERT INTO attempt (assessment_id, user_id, person_id, unit_id, attempt_no, seed, started_at,
        submitted_at, submitted_by, max_score, score, fraction, passed, needs_manual, graded_at)
      SELECT a.id, u.id, u.person_id, ${uid(unitCode)}, ${no}, ${no * 31}, '${at}+07'::timestamptz - interval '20 minutes',
        ${open ? 'NULL' : `'${at}+07'`}, ${open ? 'NULL' : "'learner'"}, 10, ${open ? 'NULL' : fraction * 10},
        ${open ? 'NULL' : fraction}, ${open ? 'NULL' : passed}, ${manual}, ${open ? 'NULL' : `'${at}+07'`}
        FROM assessment a, app_user u WHERE a.code = '${code}' AND u.username = '${who.toLowerCase()}' RETURNING id`);
  };
  s.att = {};
  s.att.a = attempt('QZ1', 'XT-1', 'XD-A', '2025-01-20 09:00', 0.7); // 70 %: passes, band 7
  s.att.b = attempt('QZ1', 'XT-1', 'XD-A', '2025-01-21 09:00', 1.0); // 100 %: band 9
  s.att.c = attempt('QZ1', 'XT-2', 'XD-A', '2025-02-10 09:00', 0.35); // before the move: ward A
  s.att.d = attempt('QZ1', 'XT-3', 'XD-B', '2025-03-31 23:30', 0); // still the first quarter in the city
  s.att.e = attempt('QZ1', 'XT-4', 'XN-A', '2025-02-01 09:00', 0.9); // the neighbour
  s.att.f = attempt('QZ1', 'XT-5', 'XD-B', '2025-04-01 00:10', 0.5); // the second quarter
  s.att.g = attempt('EX1', 'XT-2', 'XD-B', '2025-03-01 10:00', 0.8);
  s.att.h = attempt('EX1', 'XT-3', 'XD-B', '2025-03-01 10:00', 0.5, { manual: true }); // an essay waits
  s.att.i = attempt('EX1', 'XT-1', 'XD-A', '2025-03-01 10:00', 0.65);
  s.att.j = attempt('EX2', 'XT-5', 'XD-B', '2025-03-02 10:00', 0.9); // not published: never counted
  s.att.k = attempt('QZ1', 'XT-5', 'XD-B', '2025-03-03 10:00', 0, { open: true }); // still open
  // the talent pool: proposed on 5 March; decided on known days
  const pool = (who, att, track, rank, status, decided, note = null) => sql(`INSERT INTO talent_pool (assessment_id,
      person_id, attempt_id, track, rank, score, proposed_by, proposed_at, status, decided_by, decided_at, note)
    SELECT a.id, ${pid(who)}, ${att}, '${track}', ${rank}, ${rank === 1 ? 8 : 6.5}, 'giang.vien', '2025-03-05 09:00+07',
      '${status}', ${decided ? "'hr.xd'" : 'NULL'}, ${decided ? `'${decided}+07'` : 'NULL'}, ${note ? `'${note}'` : 'NULL'}
      FROM assessment a WHERE a.code = 'EX1'`);
  pool('XT-1', s.att.i, 'leader', 2, 'approved', '2025-03-10 15:00');
  pool('XT-2', s.att.g, 'leader', 1, 'approved', '2025-04-05 15:00'); // decided after the first quarter
  pool('XT-3', s.att.h, 'expert', 3, 'rejected', '2025-03-20 15:00', 'Chưa đủ điều kiện');
  pool('XT-4', s.att.e, 'leader', 1, 'approved', '2025-03-10 15:00'); // the neighbour's
  pool('XT-5', s.att.j, 'leader', 4, 'approved', '2025-03-12 15:00'); // not PAR staff
  const officer = (name, scope) => cli(['user', 'create', '--username', name, '--role', 'hr_officer', '--scope', scope,
    '--password-stdin', '--name', `Cán bộ ${scope}`], `${PASS}\n`);
  officer('hr.xd', 'XD');
  officer('hr.xn', 'XN');
  officer('hr.xw', 'XW');
  s.hr = await loginOk(A, 'hr.xd', PASS);
  s.xn = await loginOk(A, 'hr.xn', PASS);
  s.xw = await loginOk(A, 'hr.xw', PASS);
  cli(['user', 'create', '--username', 'xt.admin', '--role', 'admin', '--password-stdin', '--name', 'Quản trị'], `${PASS}\n`);
  s.admin = await loginOk(A, 'xt.admin', PASS);
  s.learner = await loginOk(A, 'xt-1', PASS);
});

test('exam results of a district by ward: final attempts of the quarter, published exams only', async () => {
  const r = await get('/api/reports/exams?unit=XD&period=2025-Q1');
  assert.equal(r.status, 200, r.text);
  const j = r.json;
  assert.equal(j.unit.code, 'XD');
  assert.deepEqual(j.filters, { course: null, par_area: null, audience: null, par_role: null, assessment: null, kind: null });
  const a = line(j, 'XD-A');
  const b = line(j, 'XD-B');
  assert.ok(a && b, JSON.stringify(j.rows));
  // ward A: attempts a (70), b (100), c (35, the mover before the move), i (65, EX1)
  assert.equal(a.attempts, 4);
  assert.equal(a.people, 2);
  assert.equal(a.passed, 2);
  assert.equal(a.average_score, 67.5);
  assert.equal(a.pass_rate, 50);
  assert.equal(a.pending_essays, 0);
  assert.deepEqual(a.bands, bands([3, 1], [6, 1], [7, 1], [9, 1]));
  // ward B: d (0 %, at 23:30 on 31 March, city time) and g (80); h waits for an essay grade;
  // j is of an unpublished exam, f of the second quarter, k not submitted
  assert.equal(b.attempts, 2);
  assert.equal(b.people, 2);
  assert.equal(b.average_score, 40);
  assert.equal(b.pass_rate, 50);
  assert.equal(b.pending_essays, 1);
  assert.deepEqual(b.bands, bands([0, 1], [8, 1]));
  // the total counts the mover once
  assert.equal(j.total.attempts, 6);
  assert.equal(j.total.people, 3);
  assert.equal(j.total.passed, 3);
  assert.equal(j.total.average_score, 58.3); // 350 / 6
  assert.equal(j.total.pending_essays, 1);
  // by assessment: QZ1 (a, b, c, d) and EX1 (g, i; h pending); EX2 is not published
  assert.deepEqual(j.assessments.map((x) => [x.code, x.kind, x.attempts, x.people, x.average_score, x.pass_rate, x.pending_essays]),
    [['EX1', 'exam', 2, 2, 72.5, 50, 1], ['QZ1', 'quiz', 4, 3, 51.3, 50, 0]]);
  assert.equal(j.assessments[0].results_published_on, '2025-03-30');
  assert.equal(j.assessments[1].course, 'XC1');
  assert.ok(!r.text.includes('EX2') && !r.text.includes('XT-4'));
  assert.deepEqual(j.predecessors, []);
  // the second quarter: only f
  const q2 = await get('/api/reports/exams?unit=XD&period=2025-Q2', 'admin');
  assert.equal(q2.json.total.attempts, 1);
  assert.equal(line(q2.json, 'XD-B').attempts, 1);
});

test('exam results: filters by kind, assessment, course, PAR area and audience', async () => {
  const t = async (q) => (await get(`/api/reports/exams?unit=XD&period=2025-Q1&${q}`)).json.total;
  assert.equal((await t('kind=exam')).attempts, 2);
  assert.equal((await t('kind=exam')).pending_essays, 1);
  assert.equal((await t('kind=quiz')).attempts, 4);
  assert.equal((await t('assessment=QZ1')).attempts, 4);
  assert.equal((await t('assessment=EX2')).attempts, 0); // unpublished: nothing, even by name
  assert.equal((await t('course=XC1')).attempts, 4); // the quiz of the course
  assert.equal((await t('par_area=thu-tuc')).attempts, 4);
  assert.equal((await t('par_area=khac')).attempts, 0);
  const leaders = await t('audience=leader'); // XT-3: d, and h waiting
  assert.deepEqual([leaders.attempts, leaders.pending_essays], [1, 1]);
  assert.equal((await t('par_role=dedicated')).attempts, 3); // XT-1: a, b, i
  assert.equal((await t('par_role=none')).attempts, 0);
  assert.equal((await t('kind=quiz&par_role=par')).attempts, 4);
  const empty = await t('assessment=QZ1&audience=staff&par_role=none');
  assert.equal(empty.average_score, null);
  assert.equal(empty.pass_rate, null);
  assertProblem(await get('/api/reports/exams?unit=XD&period=2025-Q1&kind=test'), 422, 'invalid_field', { field: 'kind' });
  assertProblem(await get('/api/reports/exams?unit=XD&period=2025-Q1&assessment=NOPE'), 404, 'not_found', { field: 'assessment' });
  assertProblem(await get('/api/reports/exams?unit=XD&period=2025-Q1&assessment=bad%20code'), 422, 'invalid_field', { field: 'assessment' });
  assertProblem(await get('/api/reports/exams?unit=XD&period=2025-Q7'), 422, 'invalid_field', { field: 'period' });
  assertProblem(await get('/api/reports/exams?unit=XD&from=2025-03-01&to=2025-01-01'), 422, 'invalid_field', { field: 'to' });
});

test('exam results: an officer sees only their subtree; a new ward reaches its predecessor', async () => {
  for (const u of ['XN', 'XN-A', 'XW', 'HCM']) {
    assertProblem(await get(`/api/reports/exams?unit=${u}&period=2025-Q1`), 403, 'forbidden', { field: 'unit', what: u });
    assertProblem(await get(`/api/reports/talent-pool?unit=${u}&period=2025-Q1`), 403, 'forbidden', { field: 'unit', what: u });
  }
  assertProblem(await get('/api/reports/exams?unit=XN&period=2025-Q1&format=csv'), 403, 'forbidden');
  assertProblem(await get('/api/reports/exams?unit=XD', 'learner'), 403, 'forbidden');
  assertProblem(await get('/api/reports/talent-pool?unit=XD', 'learner'), 403, 'forbidden');
  assertProblem(await http(A, '/api/reports/exams'), 401, 'unauthenticated');
  const n = await get('/api/reports/exams?unit=XN&period=2025-Q1', 'xn');
  assert.equal(n.json.total.attempts, 1); // e
  // without a unit: the officer's own
  assert.equal((await get('/api/reports/exams?period=2025-Q1')).json.unit.code, 'XD');
  // XW began on 1 July 2025: for the first quarter it reaches ward A through XT-1, who moved
  // there; XT-2's attempt in ward A (c) stays with XD-B's successor, none here
  const w = await get('/api/reports/exams?unit=XW&period=2025-Q1', 'xw');
  assert.equal(w.status, 200, w.text);
  assert.deepEqual(w.json.predecessors.map((p) => p.code).sort(), ['XD', 'XD-A']);
  assert.equal(w.json.total.attempts, 3); // a, b, i
  assert.equal(w.json.total.people, 1);
  assertProblem(await get('/api/reports/exams?unit=XD-A&period=2025-Q1', 'xw'), 403, 'forbidden');
});

test('exam results as CSV and XLSX, and in the completion workbook; the CLI gives the same bytes', async () => {
  const page = await get('/api/reports/exams?unit=XD&period=2025-Q1');
  const f = await getBytes('/api/reports/exams?unit=XD&period=2025-Q1&format=csv', s.hr.cookie);
  assert.equal(f.status, 200);
  assert.match(f.headers['content-disposition'], /filename="bao-cao-exams-XD-2025-Q1\.csv"/);
  assert.deepEqual([...f.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = f.body.toString('utf8').slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines.length, 1 + page.json.rows.length + 1);
  assert.match(lines[0], /^Mã đơn vị,Tên đơn vị,Loại,Lượt làm bài được tính,Số người,Điểm trung bình \(%\),Tỷ lệ đạt \(%\),/);
  assert.ok(lines[0].endsWith(',80–90 %,90–100 %'), lines[0]);
  assert.equal(lines.find((l) => l.startsWith('XD-A,')), 'XD-A,Phường A Thi,Phường,4,2,67.5,50.0,0,0,0,0,1,0,0,1,1,0,1');
  assert.equal(lines.at(-1), 'XD,Tổng cộng,"Quận, huyện",6,3,58.3,50.0,1,1,0,0,1,0,0,1,1,1,1');
  const x = await getBytes('/api/reports/exams?unit=XD&period=2025-Q1&format=xlsx', s.hr.cookie);
  assert.equal(x.status, 200);
  const wb = unzip(x.body, 'xl/workbook.xml');
  for (const name of ['Kết quả kiểm tra', 'Theo bài kiểm tra', 'Thông tin']) assert.ok(wb.includes(`name="${name}"`), name);
  const sheet2 = unzip(x.body, 'xl/worksheets/sheet2.xml');
  assert.ok(sheet2.includes('<v>45746</v>'), 'EX1 published on 2025-03-30 as a real date'); // days since 1899-12-30
  assert.ok(!/<f[ >]/.test(sheet2));
  // the completion workbook carries the exam sheets; its CSV does not change
  const cw = unzip((await getBytes('/api/reports/completion?unit=XD&period=2025-Q1&format=xlsx', s.hr.cookie)).body, 'xl/workbook.xml');
  assert.ok(cw.includes('name="Kiểm tra theo đơn vị"') && cw.includes('name="Kiểm tra theo bài"'), cw);
  // the CLI: the same bytes, and the same JSON
  const out = path.join(tmp, 'exams.csv');
  cli(['report', 'exams', '--unit', 'XD', '--period', '2025-Q1', '--format', 'csv', '--out', out]);
  assert.ok(fs.readFileSync(out).equals(f.body), 'CSV: CLI and API differ');
  const outX = path.join(tmp, 'exams.xlsx');
  cli(['report', 'exams', '--unit', 'XD', '--period', '2025-Q1', '--format', 'xlsx', '--out', outX]);
  assert.ok(fs.readFileSync(outX).equals(x.body), 'XLSX: CLI and API differ');
  const json = JSON.parse(cli(['report', 'exams', '--unit', 'XD', '--period', '2025-Q1', '--kind', 'exam', '--format', 'json']));
  assert.deepEqual(json, (await get('/api/reports/exams?unit=XD&period=2025-Q1&kind=exam')).json);
  // the files are in the audit log with their filters
  const last = sql(`SELECT action || '|' || row_count || '|' || (params->>'unit') || '|' || coalesce(params->>'kind', '-')
                    FROM audit_log WHERE actor = 'hr.xd' AND action LIKE 'report.exams.%' ORDER BY id DESC LIMIT 1`);
  assert.equal(last, 'report.exams.xlsx|3|XD|-');
});

test('the talent-pool list as it stood on the last day, by status, in files and on the CLI', async () => {
  const r = await get('/api/reports/talent-pool?unit=XD&period=2025-Q1');
  assert.equal(r.status, 200, r.text);
  // ward A: XT-1; ward B: the expert track first, then the leaders by rank. XT-2's approval
  // came on 5 April: on 31 March the entry was still proposed, with no decision shown
  assert.deepEqual(r.json.entries.map((e) => [e.employee_code, e.unit_code, e.track, e.rank, e.status]),
    [['XT-1', 'XD-A', 'leader', 2, 'approved'], ['XT-3', 'XD-B', 'expert', 3, 'rejected'],
      ['XT-2', 'XD-B', 'leader', 1, 'proposed'], ['XT-5', 'XD-B', 'leader', 4, 'approved']]);
  assert.equal(r.json.total, 4);
  const e1 = r.json.entries[0];
  assert.equal(e1.assessment, 'EX1');
  assert.equal(e1.score, 6.5);
  assert.equal(e1.score_percent, 65);
  assert.equal(e1.proposed_by, 'giang.vien');
  assert.equal(e1.proposed_at, '2025-03-05T09:00:00+07:00');
  assert.equal(e1.decided_by, 'hr.xd');
  assert.equal(e1.decided_at, '2025-03-10T15:00:00+07:00');
  const e2 = r.json.entries[2];
  assert.equal(e2.decided_by, null);
  assert.equal(e2.decided_at, null);
  assert.equal(r.json.entries[1].note, 'Chưa đủ điều kiện');
  assert.ok(!r.text.includes('XT-4'));
  // in the second quarter, XT-2's entry is approved
  const q2 = await get('/api/reports/talent-pool?unit=XD&period=2025-Q2&status=approved');
  assert.deepEqual(q2.json.entries.map((e) => e.employee_code), ['XT-1', 'XT-2', 'XT-5']);
  const ap = await get('/api/reports/talent-pool?unit=XD&period=2025-Q1&status=approved');
  assert.deepEqual(ap.json.entries.map((e) => e.employee_code), ['XT-1', 'XT-5']);
  // before the proposals: nothing
  assert.equal((await get('/api/reports/talent-pool?unit=XD&from=2025-01-01&to=2025-03-04')).json.total, 0);
  assertProblem(await get('/api/reports/talent-pool?unit=XD&status=done'), 422, 'invalid_field', { field: 'status' });
  assertProblem(await get('/api/reports/talent-pool?unit=XD&limit=1001'), 422, 'invalid_field', { field: 'limit' });
  // a page past the last still tells the total
  const past = await get('/api/reports/talent-pool?unit=XD&period=2025-Q1&limit=2&offset=10');
  assert.deepEqual(past.json.entries, []);
  assert.equal(past.json.total, 4);
  // files: the hostile name is neutralised in the CSV, kept as text in the XLSX
  const f = await getBytes('/api/reports/talent-pool?unit=XD&period=2025-Q1&format=csv', s.hr.cookie);
  const text = f.body.toString('utf8');
  const lines = text.slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines.length, 1 + 4);
  assert.match(lines[0], /^Mã cán bộ,Họ và tên,Mã đơn vị,Đơn vị,Diện quy hoạch,/);
  assert.ok(text.includes(`"'=cmd|' /C calc'!A0"`) || text.includes(`'=cmd|' /C calc'!A0`), text);
  for (const l of lines) assert.ok(!/^[=+\-@]/.test(l), l);
  const out = path.join(tmp, 'pool.csv');
  cli(['report', 'talent-pool', '--unit', 'XD', '--period', '2025-Q1', '--format', 'csv', '--out', out]);
  assert.ok(fs.readFileSync(out).equals(f.body), 'CSV: CLI and API differ');
  const x = await getBytes('/api/reports/talent-pool?unit=XD&period=2025-Q1&format=xlsx', s.hr.cookie);
  const wb = unzip(x.body, 'xl/workbook.xml');
  assert.ok(wb.includes('name="Danh sách nguồn"'), wb);
  assert.ok(!/<f[ >]/.test(unzip(x.body, 'xl/worksheets/sheet1.xml')));
});

test('the leadership-pool indicator: approved leader-track PAR staff decided by the last day', async () => {
  const ind = async (unit, period, who = 'hr') => (await get(`/api/reports/indicators?unit=${unit}&period=${period}`, who))
    .json.indicators.find((i) => i.id === 'leadership_pool');
  const q1 = await ind('XD', '2025-Q1');
  // XT-1 (dedicated, approved 10 March); XT-5 is approved but not PAR staff; XT-2's approval
  // came after the quarter; XT-3's entry was rejected (and on the expert track)
  assert.equal(q1.available, true);
  assert.equal(q1.kind, 'count');
  assert.equal(q1.target, 20);
  assert.equal(q1.numerator, 1);
  assert.equal(q1.denominator, null);
  assert.equal((await ind('XD', '2025-Q2')).numerator, 2);
  assert.equal((await ind('XN', '2025-Q1', 'xn')).numerator, 1);
  const l = await get('/api/reports/indicator-list?id=leadership_pool&unit=XD&period=2025-Q1');
  assert.equal(l.json.available, true);
  assert.deepEqual(l.json.items.map((i) => [i.code, i.unit_code, i.counted, i.n1, i.n2]), [['XT-1', 'XD-A', true, 1, 2]]);
  assert.match(l.json.items[0].detail, /^EX1 — Bài EX1$/);
  assert.equal(l.json.total, 1);
  // a page past the last still tells the total (people and lists too)
  const past = await get('/api/reports/indicator-list?id=leadership_pool&unit=XD&period=2025-Q2&offset=5');
  assert.deepEqual([past.json.items.length, past.json.total], [0, 2]);
  const people = await get('/api/reports/completion?unit=XD&period=2025-Q1&drill=people&limit=1&offset=0');
  const peoplePast = await get('/api/reports/completion?unit=XD&period=2025-Q1&drill=people&limit=1&offset=500');
  assert.ok(people.json.total > 0);
  assert.deepEqual([peoplePast.json.people.length, peoplePast.json.total], [0, people.json.total]);
  // the CLI list
  const json = JSON.parse(cli(['report', 'indicator-list', '--id', 'leadership_pool', '--unit', 'XD', '--period', '2025-Q2', '--format', 'json']));
  assert.deepEqual(json.items.map((i) => i.code), ['XT-1', 'XT-2']);
});
