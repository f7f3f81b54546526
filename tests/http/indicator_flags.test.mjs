// indicator_flags.test.mjs — what counts in the Decision's indicators, set on the web
// (GET /api/indicator-flags, POST /api/indicator-flags/course|position; docs/reports.md,
// "Setting what counts"): administrators only; bad types and unknown codes refused with the
// field named and nothing changed; every change in the audit log with who, before and after;
// and the indicators of /api/reports/indicators follow each change.
//
// Flags change what the indicators count across the whole city, so this file runs its own
// server (tests/lib/server.mjs) with its own small city: a department (SNVF) with one office,
// two leaders, PAR staff, two courses (IFC1 names a PAR area, IFC2 does not) and a job position
// held by one person. Expected numbers are worked out from those rows in the comments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { http, loginOk, assertProblem } from './lib.mjs';
import { startServer } from '../lib/server.mjs';

let srv;
let A;
const sql = (q) => srv.sql(q);
const cli = (args, input) => srv.cli(args, input);
const PASS = 'If-Chi-Tieu-2025-qZ8w';
const s = {};

const get = (p, who = 'admin') => http(A, p, { cookie: s[who].cookie });
const post = (p, json, who = 'admin') => http(A, p, { method: 'POST', json, cookie: s[who].cookie,
  headers: { 'x-csrf-token': s[who].csrf } });
const flagRows = () => sql("SELECT count(*) FROM audit_log WHERE action LIKE 'report.flag-%'");
const indicators = async (q) => {
  const r = await get(`/api/reports/indicators?${q}`);
  assert.equal(r.status, 200, r.text);
  return Object.fromEntries(r.json.indicators.map((i) => [i.id, i]));
};
const pair = (i) => [i.numerator, i.denominator];

after(async () => { await srv?.stop(); });

before(async () => {
  srv = await startServer();
  A = srv.url;
  const unit = (...a) => cli(['unit', 'create', ...a]);
  unit('--code', 'HCMF', '--name', 'Thành phố Hồ Chí Minh', '--kind', 'city', '--valid-from', '1976-07-02');
  unit('--code', 'SNVF', '--name', 'Sở Nội vụ Chỉ Tiêu', '--kind', 'department', '--parent', 'HCMF', '--valid-from', '2008-01-01');
  unit('--code', 'SNVF-A', '--name', 'Phòng Chỉ Tiêu', '--kind', 'office', '--parent', 'SNVF', '--valid-from', '2008-01-01');
  let n = 0;
  const person = (code, u, name, position, par, leader = false) => {
    n += 1;
    cli(['person', 'create', '--employee-code', code, '--unit', u, '--name', name, '--position', position,
      '--par-role', par, ...(leader ? ['--leader'] : [])], `0794${String(3000000 + n * 571).padStart(8, '0')}\n`);
    cli(['user', 'create', '--username', code.toLowerCase(), '--role', 'learner', '--person', code,
      '--password-stdin', '--name', name], `${PASS}\n`);
    sql(`UPDATE person_history SET valid_from = '2024-01-01' WHERE person_id = (SELECT id FROM person WHERE employee_code = '${code}')`);
  };
  person('IF-01', 'SNVF', 'Lê Lãnh Đạo', 'Giám đốc', 'none', true);
  person('IF-02', 'SNVF-A', 'Trần Trưởng Phòng', 'Trưởng phòng', 'dedicated', true);
  person('IF-03', 'SNVF-A', 'Phạm Chuyên Viên', 'Chuyên viên CCHC chỉ tiêu', 'concurrent');
  sql(`INSERT INTO job_position (code, name) VALUES ('IF-CCHC', 'Chuyên viên CCHC chỉ tiêu'), ('IF-KT', 'Kế toán chỉ tiêu'),
       ('IF-AN', 'An ninh chỉ tiêu')`);
  const course = (code, title, area) => sql(`WITH c AS (INSERT INTO course (code, title) VALUES ('${code}', '${title}') RETURNING id)
    INSERT INTO course_version (course_id, version_no, kind, title, package_sha256, storage_key, file_count, total_bytes,
      imported_by, par_area, training_periods)
    SELECT id, 1, 'native', '${title}', repeat('c', 64), 'ifflags${code}xxxxxxxxxx', 1, 1, 'test', ${area ? `'${area}'` : 'NULL'}, 8 FROM c`);
  course('IFC1', 'Thủ tục hành chính chỉ tiêu', 'thu-tuc-hanh-chinh');
  course('IFC2', 'Kỹ năng lãnh đạo chỉ tiêu', null);
  // IF-01 completes IFC2 (no PAR area) and IF-02 completes IFC1 (a PAR area) in 2025-Q1
  const done = (code, courseCode, day) => {
    const e = sql(`INSERT INTO enrolment (user_id, course_id, version_id, source, enrolled_at)
      SELECT u.id, c.id, v.id, 'self', '2025-01-06 09:00+07' FROM app_user u, course c JOIN course_version v ON v.course_id = c.id
       WHERE u.username = '${code.toLowerCase()}' AND c.code = '${courseCode}' RETURNING id`);
    sql(`INSERT INTO completion (enrolment_id, user_id, course_id, version_id, completed_at, passed, score_scaled, active_s, reported_s, evidence)
      SELECT id, user_id, course_id, version_id, '${day} 10:00+07', true, 1, 3600, 3600, '{}' FROM enrolment WHERE id = ${e}`);
    sql(`UPDATE enrolment SET completed_at = '${day} 10:00+07' WHERE id = ${e}`);
  };
  done('IF-01', 'IFC2', '2025-02-10');
  done('IF-02', 'IFC1', '2025-03-02');
  const account = (name, role, extra = []) => cli(['user', 'create', '--username', name, '--role', role, ...extra,
    '--password-stdin', '--name', `Tài khoản ${name}`], `${PASS}\n`);
  account('if.admin', 'admin');
  account('if.hr', 'hr_officer', ['--scope', 'SNVF']);
  s.admin = await loginOk(A, 'if.admin', PASS);
  s.hr = await loginOk(A, 'if.hr', PASS);
  s.learner = await loginOk(A, 'if-03', PASS);
});

test('only administrators read and set the flags', async () => {
  for (const who of ['hr', 'learner']) {
    assertProblem(await get('/api/indicator-flags', who), 403, 'forbidden', { what: who });
    assertProblem(await post('/api/indicator-flags/course', { course: 'IFC2', par_training: true }, who), 403, 'forbidden');
    assertProblem(await post('/api/indicator-flags/position', { position: 'IF-CCHC', par_position: true }, who), 403, 'forbidden');
  }
  assertProblem(await http(A, '/api/indicator-flags'), 401, 'unauthenticated');
  // a change without the CSRF token is refused too
  const noCsrf = await http(A, '/api/indicator-flags/course', { method: 'POST', json: { course: 'IFC2', par_training: true },
    cookie: s.admin.cookie });
  assert.equal(noCsrf.status, 403, noCsrf.text);
  assert.equal(sql("SELECT par_training IS NULL FROM course WHERE code = 'IFC2'"), 't');
  assert.equal(flagRows(), '0');
});

test('the list: courses and positions in Vietnamese order, what auto resolves to, who holds a position', async () => {
  const r = await get('/api/indicator-flags');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.courses, [
    { code: 'IFC2', title: 'Kỹ năng lãnh đạo chỉ tiêu', par_area: null, par_training: null,
      counts_as_par_training: false, expert_programme: false },
    { code: 'IFC1', title: 'Thủ tục hành chính chỉ tiêu', par_area: 'thu-tuc-hanh-chinh', par_training: null,
      counts_as_par_training: true, expert_programme: false },
  ]);
  assert.deepEqual(r.json.positions, [
    { code: 'IF-AN', name: 'An ninh chỉ tiêu', par_position: false, people: 0 },
    { code: 'IF-CCHC', name: 'Chuyên viên CCHC chỉ tiêu', par_position: false, people: 1 },
    { code: 'IF-KT', name: 'Kế toán chỉ tiêu', par_position: false, people: 0 },
  ]);
});

test('bad types and unknown codes: 422 naming the field, 404, nothing changed or logged', async () => {
  const C = '/api/indicator-flags/course';
  const P = '/api/indicator-flags/position';
  const bad = [
    [C, { course: 'IFC2', par_training: 'yes' }, 'par_training'],
    [C, { course: 'IFC2', par_training: 1 }, 'par_training'],
    [C, { course: 'IFC2', expert_programme: null }, 'expert_programme'],
    [C, { course: 'IFC2', expert_programme: 'true' }, 'expert_programme'],
    [C, { course: 'IFC2' }, 'par_training'], // nothing to change
    [C, { par_training: true }, 'course'],
    [C, { course: 42, par_training: true }, 'course'],
    [C, { course: 'X'.repeat(33), par_training: true }, 'course'],
    [P, { position: 'IF-CCHC' }, 'par_position'],
    [P, { position: 'IF-CCHC', par_position: 'true' }, 'par_position'],
    [P, { position: 'IF-CCHC', par_position: null }, 'par_position'],
    [P, { position: ['IF-CCHC'], par_position: true }, 'position'],
  ];
  for (const [path, body, field] of bad) {
    assertProblem(await post(path, body), 422, 'invalid_field', { field, what: JSON.stringify(body) });
  }
  assertProblem(await post(C, { course: 'NO-SUCH', par_training: true }), 404, 'not_found', { field: 'course' });
  assertProblem(await post(P, { position: 'NO-SUCH', par_position: true }), 404, 'not_found', { field: 'position' });
  const notJson = await http(A, C, { method: 'POST', body: 'par_training=true', cookie: s.admin.cookie,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': s.admin.csrf } });
  assert.ok(notJson.status >= 400 && notJson.status < 500, notJson.text);
  assert.equal(sql("SELECT string_agg(coalesce(par_training::text, 'auto') || '/' || expert_programme, ',' ORDER BY code) FROM course"),
    'auto/false,auto/false');
  assert.equal(sql("SELECT count(*) FROM job_position WHERE par_position"), '0');
  assert.equal(flagRows(), '0');
});

test('a course flag changes the leaders indicator, and each change is in the audit log', async () => {
  // leaders of SNVF on 31 March 2025: IF-01 (completed IFC2, no PAR area) and IF-02 (IFC1, a PAR area)
  let ind = await indicators('unit=SNVF&period=2025-Q1');
  assert.deepEqual(pair(ind.leaders_trained), [1, 2]);
  // IFC2 counts as PAR training: both leaders trained
  let r = await post('/api/indicator-flags/course', { course: 'IFC2', par_training: true });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { code: 'IFC2', title: 'Kỹ năng lãnh đạo chỉ tiêu', par_area: null, par_training: true,
    counts_as_par_training: true, expert_programme: false });
  const rid = r.headers.get('x-request-id');
  ind = await indicators('unit=SNVF&period=2025-Q1');
  assert.deepEqual(pair(ind.leaders_trained), [2, 2]);
  const row = sql(`SELECT actor || '|' || action || '|' || row_count || '|' || client_addr || '|' || request_id || '|'
    || (params->>'course') || '|' || (params->'before')::text || '|' || (params->'after')::text
    FROM audit_log WHERE action = 'report.flag-course' ORDER BY id DESC LIMIT 1`);
  assert.equal(row, `if.admin|report.flag-course|1|127.0.0.1|${rid}|IFC2|`
    + '{"par_training": null, "expert_programme": false, "counts_as_par_training": false}|'
    + '{"par_training": true, "expert_programme": false, "counts_as_par_training": true}');
  assert.equal(sql("SELECT user_id = (SELECT id FROM app_user WHERE username = 'if.admin') FROM audit_log WHERE request_id = '" + rid + "'"), 't');
  // IFC1 no longer counts (a decision against its PAR area): only IF-01, through IFC2
  r = await post('/api/indicator-flags/course', { course: 'IFC1', par_training: false });
  assert.equal(r.json.counts_as_par_training, false);
  ind = await indicators('unit=SNVF&period=2025-Q1');
  assert.deepEqual(pair(ind.leaders_trained), [1, 2]);
  // back to auto: each follows its PAR area again; expert_programme untouched
  r = await post('/api/indicator-flags/course', { course: 'IFC1', par_training: null });
  assert.deepEqual([r.json.par_training, r.json.counts_as_par_training, r.json.expert_programme], [null, true, false]);
  r = await post('/api/indicator-flags/course', { course: 'IFC2', par_training: null });
  ind = await indicators('unit=SNVF&period=2025-Q1');
  assert.deepEqual(pair(ind.leaders_trained), [1, 2]);
  assert.equal(flagRows(), '4');
});

test('an expert programme makes its certificates count as experts', async () => {
  const year = String(new Date().getUTCFullYear());
  let ind = await indicators(`unit=SNVF&period=${year}`);
  assert.equal(ind.experts_certified.numerator, 0);
  const r = await post('/api/indicator-flags/course', { course: 'IFC1', expert_programme: true });
  assert.equal(r.status, 200, r.text);
  // par_training absent: left as it was (auto)
  assert.deepEqual([r.json.par_training, r.json.expert_programme], [null, true]);
  cli(['certificate', 'issue']);
  ind = await indicators(`unit=SNVF&period=${year}`);
  assert.equal(ind.experts_certified.numerator, 1); // IF-02, certified for IFC1
  const audit = sql("SELECT (params->'before'->>'expert_programme') || '>' || (params->'after'->>'expert_programme') FROM audit_log WHERE action = 'report.flag-course' ORDER BY id DESC LIMIT 1");
  assert.equal(audit, 'false>true');
});

test('a PAR position changes the units indicator; the audit log has it', async () => {
  // SNVF is the one reporting unit; IF-03 holds "Chuyên viên CCHC chỉ tiêu"
  let ind = await indicators('unit=SNVF&period=2025-Q1');
  assert.deepEqual(pair(ind.units_par_position), [0, 1]);
  let r = await post('/api/indicator-flags/position', { position: 'IF-CCHC', par_position: true });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { code: 'IF-CCHC', name: 'Chuyên viên CCHC chỉ tiêu', par_position: true, people: 1 });
  ind = await indicators('unit=SNVF&period=2025-Q1');
  assert.deepEqual(pair(ind.units_par_position), [1, 1]);
  const rid = r.headers.get('x-request-id');
  assert.equal(sql(`SELECT actor || '|' || (params->>'position') || '|' || (params->'before'->>'par_position') || '>'
    || (params->'after'->>'par_position') FROM audit_log WHERE action = 'report.flag-position' AND request_id = '${rid}'`),
  'if.admin|IF-CCHC|false>true');
  r = await post('/api/indicator-flags/position', { position: 'IF-CCHC', par_position: false });
  assert.equal(r.json.par_position, false);
  ind = await indicators('unit=SNVF&period=2025-Q1');
  assert.deepEqual(pair(ind.units_par_position), [0, 1]);
  // a change whose audit entry cannot be written is not made (one transaction)
  sql('ALTER TABLE audit_log ADD CONSTRAINT if_refuse_all CHECK (false) NOT VALID');
  try {
    const f = await post('/api/indicator-flags/position', { position: 'IF-KT', par_position: true });
    assert.ok(f.status >= 400, f.text);
    assert.equal(f.json?.field ?? null, null, f.text);
  } finally {
    sql('ALTER TABLE audit_log DROP CONSTRAINT if_refuse_all');
  }
  assert.equal(sql("SELECT par_position FROM job_position WHERE code = 'IF-KT'"), 'f');
  // the list shows the stored state
  const l = await get('/api/indicator-flags');
  assert.deepEqual(l.json.positions.map((p) => [p.code, p.par_position]), [['IF-AN', false], ['IF-CCHC', false], ['IF-KT', false]]);
  assert.deepEqual(l.json.courses.map((c) => [c.code, c.par_training, c.expert_programme]), [['IFC2', null, false], ['IFC1', null, true]]);
  assert.equal(sql("SELECT count(*) FROM audit_log WHERE action = 'report.flag-position'"), '2');
});
