// reports_surveys.test.mjs — the HR report's survey section (GET /api/reports/surveys, its CSV
// and XLSX, `parlearn report surveys`; docs/reports.md, "Survey results").
//
// It runs its own server and builds its own small city: a district SD (wards SD-A, SD-B,
// SD-C) and a neighbour SN (ward SN-A), people on the roster (the surveys' population), four
// surveys made and published through the API, and responses written with psql on known days
// (a response keeps only its unit and its day). Every expected number below is worked out by
// hand from those rows (see the comments).
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
const PASS = 'Rp-Khao-Sat-2025-tB4w';
const s = {};
const SECRET = 'GÓP Ý BÍ MẬT của một người';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parlearn-rep-sv-'));

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
const survey = (j, code) => j.surveys.find((x) => x.code === code);
const row = (sv, code) => sv.rows.find((r) => r.code === code);

before(async () => {
  srv = await startServer();
  A = srv.url;
  const unit = (...a) => cli(['unit', 'create', ...a]);
  unit('--code', 'HCM', '--name', 'Thành phố Hồ Chí Minh', '--kind', 'city', '--valid-from', '1976-07-02');
  unit('--code', 'SD', '--name', 'Quận Khảo Sát', '--kind', 'district', '--parent', 'HCM', '--valid-from', '2000-01-01');
  for (const [c, n] of [['SD-A', 'Phường An'], ['SD-B', 'Phường Bình'], ['SD-C', 'Phường Cát']]) {
    unit('--code', c, '--name', n, '--kind', 'ward', '--parent', 'SD', '--valid-from', '2000-01-01');
  }
  unit('--code', 'SN', '--name', 'Quận Láng Giềng', '--kind', 'district', '--parent', 'HCM', '--valid-from', '2000-01-01');
  unit('--code', 'SN-A', '--name', 'Phường Láng', '--kind', 'ward', '--parent', 'SN', '--valid-from', '2000-01-01');
  // the roster: 10 people in SD-A, 4 in SD-B, 6 in SD-C (20 in SD), 8 in SN-A; one inactive
  // person of SD-A who is not in any population
  let n = 0;
  const people = (unitCode, count, active = true) => {
    for (let i = 0; i < count; i++) {
      n += 1;
      sql(`INSERT INTO person (employee_code, pin, full_name, unit_id, active)
        SELECT 'SV-${n}', '${String(79500000000 + n * 7919).padStart(12, '0')}', 'Người ${n}', id, ${active}
          FROM org_unit WHERE code = '${unitCode}'`);
    }
  };
  people('SD-A', 10);
  people('SD-A', 1, false);
  people('SD-B', 4);
  people('SD-C', 6);
  people('SN-A', 8);
  const officer = (name, scope) => cli(['user', 'create', '--username', name, '--role', 'hr_officer', '--scope', scope,
    '--password-stdin', '--name', `Cán bộ ${scope}`], `${PASS}\n`);
  officer('hr.sd', 'SD');
  officer('hr.sn', 'SN');
  cli(['user', 'create', '--username', 'sv.admin', '--role', 'admin', '--password-stdin', '--name', 'Quản trị'], `${PASS}\n`);
  cli(['user', 'create', '--username', 'sv.learner', '--role', 'learner', '--password-stdin', '--name', 'Học viên'], `${PASS}\n`);
  s.hr = await loginOk(A, 'hr.sd', PASS);
  s.sn = await loginOk(A, 'hr.sn', PASS);
  s.admin = await loginOk(A, 'sv.admin', PASS);
  s.learner = await loginOk(A, 'sv.learner', PASS);
  const post = async (p, json) => {
    const r = await http(A, p, { method: 'POST', cookie: s.admin.cookie, json,
      headers: { 'x-csrf-token': s.admin.csrf } });
    assert.ok(r.status === 200 || r.status === 201, `${p}: ${r.status} ${r.text}`);
  };
  const make = async (code, units, anonymous = true, publish = true) => {
    await post('/api/surveys', {
      code, title: `Khảo sát ${code}`, kind: 'standalone', anonymous, units, unit: 'HCM',
      questions: [
        { kind: 'likert', text: 'Nội dung phù hợp với công việc', required: true },
        { kind: 'text', text: 'Góp ý' },
        { kind: 'likert', text: 'Mức độ hài lòng', points: 3, options: ['Thấp', 'Vừa', 'Cao'] },
      ],
    });
    if (publish) await post('/api/surveys/publish', { code });
  };
  await make('KS1', ['SD']);          // anonymous, addressed to the district
  await make('KS2', ['HCM']);         // anonymous, addressed to the whole city
  await make('KS3', ['SD'], false);   // named
  await make('KS4', ['SN']);          // the neighbour's only
  await make('KS5', ['SD'], true, false); // a draft: never in a report
  // responses: unit, day, Likert point of question 1, of question 3 (or null), free text
  const respond = (code, unitCode, day, p1, p3 = null, text = null) => sql(`INSERT INTO survey_response
      (survey_id, unit_id, submitted_on, qids, nums, text_qids, texts)
    SELECT s.id, u.id, '${day}', ARRAY[1${p3 ? ', 3' : ''}], ARRAY[${p1}${p3 ? `, ${p3}` : ''}],
      ${text ? "ARRAY[2]" : "'{}'::int[]"}, ${text ? `ARRAY['${text}']` : "'{}'::text[]"}
      FROM survey s, org_unit u WHERE s.code = '${code}' AND u.code = '${unitCode}'`);
  // KS1, first quarter of 2025: SD-A 6 responses (5 4 4 3 5 4), SD-B 4 (1 2 2 5), SD-C 5
  // (3 3 4 4 5); outside the quarter: SD-A on 1 April, SD-B on 31 December 2024
  [5, 4, 4, 3, 5, 4].forEach((p, i) => respond('KS1', 'SD-A', `2025-0${1 + (i % 3)}-1${i}`, p, i < 3 ? 3 : null,
    i === 0 ? SECRET : null));
  [1, 2, 2, 5].forEach((p) => respond('KS1', 'SD-B', '2025-03-31', p, 1));
  [3, 3, 4, 4, 5].forEach((p) => respond('KS1', 'SD-C', '2025-01-01', p, null, SECRET));
  respond('KS1', 'SD-A', '2025-04-01', 1);
  respond('KS1', 'SD-B', '2024-12-31', 1);
  // KS2: 2 responses from SD-A (the district's whole is under 5) and 7 from SN-A
  respond('KS2', 'SD-A', '2025-02-02', 5);
  respond('KS2', 'SD-A', '2025-02-03', 4);
  for (let i = 0; i < 7; i++) respond('KS2', 'SN-A', '2025-02-04', 3);
  // KS3 (named): 2 responses from SD-B; nothing is hidden in a named survey
  const named = (p) => sql(`INSERT INTO survey_response (survey_id, user_id, unit_id, submitted_on, submitted_at, qids, nums)
    SELECT s.id, u.id, o.id, '2025-03-01', '2025-03-01 09:00+07', ARRAY[1], ARRAY[${p}]
      FROM survey s, app_user u, org_unit o WHERE s.code = 'KS3' AND u.username = 'sv.learner' AND o.code = 'SD-B'`);
  named(2);
  named(4);
  // KS4 (the neighbour's) and KS5 (a draft: the trigger lets us write to it, the report never reads it)
  for (let i = 0; i < 6; i++) respond('KS4', 'SN-A', '2025-02-05', 2);
  for (let i = 0; i < 6; i++) respond('KS5', 'SD-A', '2025-02-05', 2);
});

test('survey results of a district by ward, first quarter: counts, rate, means, distributions', async () => {
  const r = await get('/api/reports/surveys?unit=SD&period=2025-Q1');
  assert.equal(r.status, 200, r.text);
  const j = r.json;
  assert.equal(j.unit.code, 'SD');
  assert.deepEqual(j.period, { label: '2025-Q1', from: '2025-01-01', to: '2025-03-31' });
  assert.equal(j.k, 5);
  assert.equal(j.more, false);
  // KS1, KS2 (addressed to the city, above SD) and KS3; not KS4 (the neighbour's), not KS5 (a draft)
  assert.deepEqual(j.surveys.map((x) => x.code).sort(), ['KS1', 'KS2', 'KS3']);
  const k1 = survey(j, 'KS1');
  assert.equal(k1.anonymous, true);
  assert.equal(k1.k, 5);
  // only the Likert questions, with their labels; the free-text question is never in the report
  assert.deepEqual(k1.questions.map((q) => [q.id, q.points]), [[1, 5], [3, 3]]);
  assert.deepEqual(k1.questions[1].labels, ['Thấp', 'Vừa', 'Cao']);
  // the whole: 6 + 4 + 5 = 15 responses of the quarter; the population is the 20 active people
  // of the district (the inactive one does not count): 15 / 20 = 75 %
  assert.equal(k1.total.responses, 15);
  assert.equal(k1.total.population, 20);
  assert.equal(k1.total.response_rate, 75);
  assert.equal(k1.total.suppressed, false);
  // question 1 over the 15: points 1:1 (B), 2:2 (B), 3:1 (A) + 2 (C), 4:3 (A) + 2 (C),
  // 5:2 (A) + 1 (B) + 1 (C); mean (25 + 10 + 19) / 15 = 3.6
  const q1 = k1.total.questions.find((q) => q.id === 1);
  assert.deepEqual(q1.counts, [1, 2, 3, 5, 4]);
  assert.equal(q1.answered, 15);
  assert.equal(q1.mean, 3.6);
  // question 3: the first three of SD-A answered 3, the four of SD-B answered 1: mean 13 / 7 = 1.857… → 1.9
  const q3 = k1.total.questions.find((q) => q.id === 3);
  assert.deepEqual(q3.counts, [4, 0, 3]);
  assert.equal(q3.answered, 7);
  assert.equal(q3.mean, 1.9);
  // by ward: SD-A shown (6 of 10 people: 60 %, mean 25 / 6 = 4.166… → 4.2)
  const a = row(k1, 'SD-A');
  assert.equal(a.kind, 'unit');
  assert.equal(a.responses, 6);
  assert.equal(a.population, 10);
  assert.equal(a.response_rate, 60);
  assert.equal(a.suppressed, false);
  assert.deepEqual(a.questions.find((q) => q.id === 1).counts, [0, 0, 1, 3, 2]);
  assert.equal(a.questions.find((q) => q.id === 1).mean, 4.2);
  // SD-B: 4 responses, fewer than 5: hidden, no number of any kind but its population
  const b = row(k1, 'SD-B');
  assert.deepEqual(b, { kind: 'unit', code: 'SD-B', name: 'Phường Bình', responses: null, population: 4,
    response_rate: null, suppressed: true, suppressed_because: 'fewer_than_k', questions: null });
  // SD-C: 5 responses, but shown it would give SD-B as 15 - 6 - 5: the smallest group still
  // shown is hidden too (secondary suppression)
  const c = row(k1, 'SD-C');
  assert.equal(c.responses, null);
  assert.equal(c.suppressed, true);
  assert.equal(c.suppressed_because, 'complement');
  assert.equal(c.questions, null);
  assert.equal(c.population, 6);
  // the free text is nowhere in the answer
  assert.ok(!r.text.includes('BÍ MẬT'), 'free text in the report');
  assert.ok(!r.text.includes('Góp ý'), 'a free-text question in the report');
});

test('a whole under 5 hides everything; a named survey hides nothing', async () => {
  const j = (await get('/api/reports/surveys?unit=SD&period=2025-Q1')).json;
  // KS2 in SD: 2 responses (the 7 of SN-A are outside the subtree)
  const k2 = survey(j, 'KS2');
  assert.equal(k2.total.responses, null);
  assert.equal(k2.total.suppressed, true);
  assert.equal(k2.total.questions, null);
  assert.equal(k2.total.population, 20);
  assert.equal(row(k2, 'SD-A').suppressed, true);
  assert.equal(row(k2, 'SD-A').responses, null);
  // a ward without responses shows its 0: nothing to protect
  assert.equal(row(k2, 'SD-B').responses, 0);
  // KS3 is named: 2 responses shown (k 0), mean (2 + 4) / 2 = 3
  const k3 = survey(j, 'KS3');
  assert.equal(k3.anonymous, false);
  assert.equal(k3.k, 0);
  assert.equal(k3.total.responses, 2);
  assert.equal(k3.total.response_rate, 10); // 2 of 20
  assert.equal(row(k3, 'SD-B').responses, 2);
  assert.equal(row(k3, 'SD-B').questions.find((q) => q.id === 1).mean, 3);
  // the neighbour's officer sees KS2's 7 responses of SN-A, and KS4
  const n = (await get('/api/reports/surveys?period=2025-Q1', 'sn')).json;
  assert.equal(n.unit.code, 'SN');
  assert.deepEqual(n.surveys.map((x) => x.code).sort(), ['KS2', 'KS4']);
  assert.equal(survey(n, 'KS2').total.responses, 7);
  assert.equal(row(survey(n, 'KS2'), 'SN-A').responses, 7);
});

test('the period counts responses by their day; the second quarter has one response of KS1', async () => {
  const j = (await get('/api/reports/surveys?unit=SD&period=2025-Q2')).json;
  assert.deepEqual(j.surveys.map((x) => x.code), ['KS1']);
  const k1 = survey(j, 'KS1');
  // 1 response: under 5, so even the whole shows no number
  assert.equal(k1.total.responses, null);
  assert.equal(k1.total.suppressed, true);
  // any dates: 31 December 2024 .. 31 March 2025 adds SD-B's December response: SD-B 5, SD-C 5
  // shown, nothing hidden (16 in all)
  const d = (await get('/api/reports/surveys?unit=SD&from=2024-12-31&to=2025-03-31')).json;
  const k = survey(d, 'KS1');
  assert.equal(k.total.responses, 16);
  assert.equal(row(k, 'SD-B').responses, 5);
  assert.equal(row(k, 'SD-C').responses, 5);
  assert.equal(row(k, 'SD-C').suppressed, false);
  // a ward's own report: SD-B alone has 4 responses in the quarter, under 5
  const w = (await get('/api/reports/surveys?unit=SD-B&period=2025-Q1')).json;
  assert.equal(survey(w, 'KS1').total.responses, null);
  assert.equal(survey(w, 'KS1').total.suppressed, true);
});

test('scope: another district, a learner, bad input', async () => {
  await assertProblem(await get('/api/reports/surveys?unit=SD&period=2025-Q1', 'sn'), 403, 'forbidden', { field: 'unit' });
  await assertProblem(await get('/api/reports/surveys?unit=SD-A&period=2025-Q1', 'sn'), 403, 'forbidden', { field: 'unit' });
  await assertProblem(await get('/api/reports/surveys?unit=SD&period=2025-Q1', 'learner'), 403, 'forbidden');
  await assertProblem(await get('/api/reports/surveys?unit=NOPE&period=2025-Q1'), 404, 'not_found', { field: 'unit' });
  await assertProblem(await get('/api/reports/surveys?unit=SD&period=2025-Q5'), 422, 'invalid_field', { field: 'period' });
  await assertProblem(await get('/api/reports/surveys?unit=SD&from=2025-03-01&to=2025-01-01'), 422, 'invalid_field', { field: 'to' });
  await assertProblem(await get('/api/reports/surveys?unit=SD&period=2025-Q1&format=pdf'), 422, 'invalid_field', { field: 'format' });
  const anon = await http(A, '/api/reports/surveys?unit=SD&period=2025-Q1');
  assert.equal(anon.status, 401);
  // the admin reaches every unit (the city by default)
  const all = (await get('/api/reports/surveys?period=2025-Q1', 'admin')).json;
  assert.equal(all.unit.code, 'HCM');
  assert.deepEqual(all.surveys.map((x) => x.code).sort(), ['KS1', 'KS2', 'KS3', 'KS4']);
  // in the city's report KS2 has 9 responses: SD 2 and SN 7; SD's line is hidden (2 < 5), and
  // since the hidden part (2) is under 5 the smallest line still shown, SN (7), is hidden too
  const k2 = survey(all, 'KS2');
  assert.equal(k2.total.responses, 9);
  assert.equal(row(k2, 'SD').suppressed_because, 'fewer_than_k');
  assert.equal(row(k2, 'SN').suppressed_because, 'complement');
});

test('CSV, XLSX and the CLI: the same table, hidden groups as words, no free text', async () => {
  const f = await getBytes('/api/reports/surveys?unit=SD&period=2025-Q1&format=csv', s.hr.cookie);
  assert.equal(f.status, 200);
  assert.match(f.headers['content-type'], /^text\/csv/);
  assert.equal(f.headers['content-disposition'], 'attachment; filename="bao-cao-surveys-SD-2025-Q1.csv"');
  const text = f.body.toString('utf8');
  assert.ok(text.startsWith('\ufeffMã khảo sát,Tên khảo sát,'), text.slice(0, 80));
  assert.ok(!text.includes('BÍ MẬT') && !text.includes('Góp ý'), 'free text in the CSV');
  const lines = text.slice(1).trim().split('\r\n');
  // KS1: SD-A 2 rows (two Likert questions), SD-B 1 (hidden), SD-C 1 (hidden), total 2 → 6;
  // KS2: SD-A hidden 1, SD-B 2, SD-C 2, total hidden 1 → 6; KS3: SD-A 2, SD-B 2, SD-C 2,
  // total 2 → 8; and the header
  assert.equal(lines.length, 1 + 6 + 6 + 8, text);
  const sdb = lines.filter((l) => l.startsWith('KS1,') && l.includes(',SD-B,'));
  assert.equal(sdb.length, 1);
  // Số phiếu empty, population 4, rate empty, the words instead of a number
  assert.ok(sdb[0].includes(',SD-B,Phường Bình,,4,,ẩn (dưới 5 phản hồi),'), sdb[0]);
  const sdaQ1 = lines.find((l) => l.startsWith('KS1,') && l.includes(',SD-A,') && l.includes('Nội dung phù hợp'));
  // 6 responses of 10 (60.0 %), question 1: 6 answered, mean 4.2, points 0 0 1 3 2
  assert.ok(sdaQ1.endsWith(',6,10,60.0,,1,Nội dung phù hợp với công việc,6,4.2,0,0,1,3,2,,'), sdaQ1);
  const total = lines.find((l) => l.startsWith('KS1,') && l.includes(',Tổng cộng,') && l.includes('Nội dung phù hợp'));
  assert.ok(total.includes(',SD,Tổng cộng,15,20,75.0,,1,'), total);
  // XLSX: the table, then "Thông tin"; the completion workbook carries the sheet too
  const x = await getBytes('/api/reports/surveys?unit=SD&period=2025-Q1&format=xlsx', s.hr.cookie);
  assert.equal(x.status, 200);
  const wb = unzip(x.body, 'xl/workbook.xml');
  assert.ok(wb.includes('name="Khảo sát"') && wb.includes('name="Thông tin"'), wb);
  const sheet = unzip(x.body, 'xl/worksheets/sheet1.xml');
  assert.ok(sheet.includes('ẩn (dưới 5 phản hồi)'));
  assert.ok(!sheet.includes('BÍ MẬT'));
  const cw = unzip((await getBytes('/api/reports/completion?unit=SD&period=2025-Q1&format=xlsx', s.hr.cookie)).body,
    'xl/workbook.xml');
  assert.ok(cw.includes('name="Khảo sát"'), cw);
  // the CLI gives the same bytes and the same JSON
  const out = path.join(tmp, 'sv.csv');
  cli(['report', 'surveys', '--unit', 'SD', '--period', '2025-Q1', '--format', 'csv', '--out', out]);
  assert.ok(fs.readFileSync(out).equals(f.body), 'CSV: CLI and API differ');
  const outX = path.join(tmp, 'sv.xlsx');
  cli(['report', 'surveys', '--unit', 'SD', '--period', '2025-Q1', '--format', 'xlsx', '--out', outX]);
  assert.ok(fs.readFileSync(outX).equals(x.body), 'XLSX: CLI and API differ');
  const json = JSON.parse(cli(['report', 'surveys', '--unit', 'SD', '--period', '2025-Q1', '--format', 'json']));
  assert.deepEqual(json, (await get('/api/reports/surveys?unit=SD&period=2025-Q1')).json);
  // the files are in the audit log
  const logged = sql("SELECT count(*) FROM audit_log WHERE action IN ('report.surveys.csv', 'report.surveys.xlsx')");
  assert.ok(Number(logged) >= 4, logged);
  // the neighbour's officer cannot have the file either
  const no = await getBytes('/api/reports/surveys?unit=SD&period=2025-Q1&format=csv', s.sn.cookie);
  assert.equal(no.status, 403);
});
