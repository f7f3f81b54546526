// survey.test.mjs — surveys (khảo sát) over HTTP (docs/surveys.md): building and publishing,
// who may answer (audience, level, PAR role, course completion, dates, status), every kind of
// bad answer refused with its code and field and nothing stored, one response per person,
// a forged user id ignored, what an anonymous response keeps in the database (checked with
// psql), the results (counts, Likert mean and median, response rate, by unit with small
// groups suppressed, by course), free-text answers, the CSV export (BOM, formulas
// neutralised), edits after responses, copies, closing, and each role's reach.
//
// The test makes its own units, people and accounts (suffix `run`, so a second run on the
// same server does not collide) under the fixture's city unit HCM:
//   SVR (department)  R1                       ← the surveys' audience
//     SVR-A (office)  A1 (leader, dedicated), A2..A6, A7 (no account)
//     SVR-B (office)  B1..B5
//   SVO (department)  O1                       ← outside
// sv.trainer reaches SVR, sv.trainer.o reaches SVO; sv.hr reaches SVR-A, sv.hr.o SVO.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { A, PW, http, loginOk, assertProblem, assertClean, assertNoPinKeys } from './lib.mjs';

const DATA = process.env.PL_DATA_A;
const BIN = process.env.PARLEARN_BIN;
const run = promisify(execFile);
const sql = (q) => execFileSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', `${DATA}/var/pg/run`,
  '-U', 'postgres', '-d', 'parlearn', '-c', q], { encoding: 'utf8' }).trim();
const sqlFails = (q) => assert.throws(() => execFileSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h',
  `${DATA}/var/pg/run`, '-U', 'postgres', '-d', 'parlearn', '-c', q], { encoding: 'utf8', stdio: 'pipe' }));

const tag = String(Date.now()).slice(-5);
const U = (c) => `${c}${tag}`; // unit and employee codes of this run
const PWD = `Sv-${tag}-khao-sat-Pw`;
const cli = (args) => run(BIN, [...args, '--data', `${DATA}/var`], { encoding: 'utf8' })
  .catch((e) => { throw new Error(`parlearn ${args.join(' ')}: ${e.stderr || e.message}`); });
// a CLI command that reads a secret (an identification number, a password) on stdin
async function cliIn(args, input) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, [...args, '--data', `${DATA}/var`], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (c) => (c === 0 ? resolve() : reject(new Error(`parlearn ${args.join(' ')}: ${err}`))));
    p.stdin.end(`${input}\n`);
  });
}

let pinN = 0;
async function person(code, unit, name, extra = []) {
  pinN += 1;
  const pin = `0${tag}${String(pinN).padStart(6, '0')}`.slice(0, 12);
  await cliIn(['person', 'create', '--employee-code', U(code), '--unit', U(unit), '--name', name,
    '--position', 'Chuyên viên', ...extra], pin);
}
const account = (user, role, extra) => cliIn(['user', 'create', '--username', `${user}${tag}`, '--role', role,
  '--password-stdin', ...extra], PWD);

const s = {}; // who → {cookie, csrf}
async function as(who, method, path, json, headers = {}) {
  const h = { ...headers };
  if (method !== 'GET' && s[who]?.csrf && !('x-csrf-token' in h)) h['x-csrf-token'] = s[who].csrf;
  const r = await http(A, path, { method, cookie: s[who]?.cookie, json, headers: h });
  assertClean(r.text, `${who} ${method} ${path}`);
  if (r.json) assertNoPinKeys(r.json);
  return r;
}
const get = (who, path) => as(who, 'GET', path);
const post = (who, path, json, headers) => as(who, 'POST', path, json, headers);
function ok(r, status = 200) {
  assert.equal(r.status, status, r.text.slice(0, 500));
  return r.json;
}

const LEARNERS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'b1', 'b2', 'b3', 'b4', 'b5', 'r1', 'o1', 'np'];
const userId = (who) => Number(sql(`SELECT id FROM app_user WHERE username = 'sv.${who}${tag}'`));

before(async () => {
  await cli(['unit', 'create', '--code', U('SVR'), '--name', `Sở Khảo sát ${tag}`, '--kind', 'department', '--parent', 'HCM']);
  await cli(['unit', 'create', '--code', U('SVR-A'), '--name', `Phòng A ${tag}`, '--kind', 'office', '--parent', U('SVR')]);
  await cli(['unit', 'create', '--code', U('SVR-B'), '--name', `Phòng B ${tag}`, '--kind', 'office', '--parent', U('SVR')]);
  await cli(['unit', 'create', '--code', U('SVO'), '--name', `Sở Ngoài ${tag}`, '--kind', 'department', '--parent', 'HCM']);
  await person('A1', 'SVR-A', 'Lãnh Đạo A', ['--leader', '--par-role', 'dedicated']);
  for (const i of [2, 3, 4, 5, 6, 7]) await person(`A${i}`, 'SVR-A', `Nhân Viên A${i}`, ['--par-role', i % 2 ? 'none' : 'concurrent']);
  for (const i of [1, 2, 3, 4, 5]) await person(`B${i}`, 'SVR-B', `Nhân Viên B${i}`);
  await person('R1', 'SVR', 'Nhân Viên R');
  await person('O1', 'SVO', 'Nhân Viên O');
  const jobs = [
    account('sv.trainer', 'trainer', ['--scope', U('SVR'), '--name', 'Giảng Viên KS']),
    account('sv.trainer.o', 'trainer', ['--scope', U('SVO'), '--name', 'Giảng Viên Ngoài']),
    account('sv.hr', 'hr_officer', ['--scope', U('SVR-A'), '--name', 'Nhân Sự A']),
    account('sv.hr.o', 'hr_officer', ['--scope', U('SVO'), '--name', 'Nhân Sự Ngoài']),
    account('sv.np', 'learner', ['--name', 'Không Hồ Sơ']),
  ];
  for (const l of LEARNERS.filter((x) => x !== 'np')) {
    jobs.push(account(`sv.${l}`, 'learner', ['--person', U(l.toUpperCase()), '--name', `Học Viên ${l}`]));
  }
  await Promise.all(jobs);
  const logins = [['trainer', 'sv.trainer'], ['trainerO', 'sv.trainer.o'], ['hr', 'sv.hr'], ['hrO', 'sv.hr.o'],
    ...LEARNERS.map((l) => [l, `sv.${l}`])];
  for (const [k, u] of logins) s[k] = await loginOk(A, `${u}${tag}`, PWD);
  s.admin = await loginOk(A, 'quantri', PW.admin);
  s.learner = await loginOk(A, 'hocvien', PW.learner);
});

// A standalone anonymous survey of SVR: 1 Likert (required), 2 single, 3 multiple (at most
// 2), 4 free text (at most 60 characters).
function definition(code, extra = {}) {
  return {
    code,
    title: 'Khảo sát mức độ hài lòng về bồi dưỡng CCHC',
    description: 'Phiếu khảo sát ẩn danh.\nXin cảm ơn.',
    kind: 'standalone',
    anonymous: true,
    units: [U('SVR')],
    questions: [
      { kind: 'likert', text: 'Nội dung bồi dưỡng phù hợp với công việc', required: true },
      { kind: 'single', text: 'Bạn học chủ yếu ở đâu?', options: ['Tại cơ quan', 'Tại nhà', 'Nơi khác'] },
      { kind: 'multiple', text: 'Chủ đề muốn học thêm', options: ['Một cửa', 'Số hóa', 'Văn bản', 'Khác'], max_select: 2 },
      { kind: 'text', text: 'Góp ý khác', max_length: 60 },
    ],
    ...extra,
  };
}
const S1 = `KS1-${tag}`;
const counts = (code) => sql(`SELECT (SELECT count(*) FROM survey_response r JOIN survey s ON s.id = r.survey_id
    WHERE s.code = '${code}') || ' ' || (SELECT count(*) FROM survey_respondent r JOIN survey s ON s.id = r.survey_id
    WHERE s.code = '${code}')`);

test('a trainer builds a survey; bad definitions are refused with the field at fault', async () => {
  const bad = async (body, status, code, field, who = 'trainer') => {
    const r = await post(who, '/api/surveys', body);
    assertProblem(r, status, code, { field, what: JSON.stringify(body).slice(0, 80) });
  };
  const d = definition(S1);
  await bad({ ...d, title: '' }, 422, 'invalid_field', 'title');
  await bad({ ...d, title: 42 }, 422, 'invalid_field', 'title');
  await bad({ ...d, kind: 'poll' }, 422, 'invalid_field', 'kind');
  await bad({ ...d, questions: [] }, 422, 'invalid_field', 'questions');
  await bad({ ...d, questions: 'none' }, 422, 'invalid_field', 'questions');
  await bad({ ...d, questions: [d.questions[0], { kind: 'single', text: 'Một lựa chọn', options: ['Duy nhất'] }] },
    422, 'invalid_field', 'questions[1].options');
  await bad({ ...d, questions: [{ kind: 'likert', text: 'Thang 9 bậc', points: 9 }] }, 422, 'invalid_field', 'questions[0].points');
  await bad({ ...d, questions: [{ kind: 'likert', text: 'Thang 4 bậc', points: 4 }] }, 422, 'invalid_field', 'questions[0].options');
  await bad({ ...d, questions: [{ kind: 'multiple', text: 'Chọn', options: ['X', 'Y'], max_select: 3 }] },
    422, 'invalid_field', 'questions[0].max_select');
  await bad({ ...d, questions: [{ kind: 'text', text: 'Dài', max_length: 5000 }] }, 422, 'invalid_field', 'questions[0].max_length');
  await bad({ ...d, questions: [{ kind: 'essay', text: 'Viết' }] }, 422, 'invalid_field', 'questions[0].kind');
  await bad({ ...d, closes_on: '2026-02-30' }, 422, 'invalid_field', 'closes_on');
  await bad({ ...d, par_roles: ['boss'] }, 422, 'invalid_field', 'par_roles[0]');
  await bad({ ...d, units: [] }, 422, 'invalid_field', 'units');
  await bad({ ...d, units: ['KHONG-CO'] }, 404, 'not_found', 'units[0]');
  await bad({ ...d, units: [U('SVO')] }, 403, 'forbidden', 'units[0]'); // outside the trainer's reach
  await bad({ ...d, kind: 'course', courses: ['khong-co-khoa'], units: [] }, 404, 'not_found', 'courses[0]');
  await bad(d, 403, 'forbidden', undefined, 'a1'); // a learner
  await bad(d, 403, 'forbidden', undefined, 'hr'); // an HR officer reads results, builds nothing
  const noCsrf = await http(A, '/api/surveys', { method: 'POST', cookie: s.trainer.cookie, json: d });
  assertProblem(noCsrf, 403, 'csrf_failed');
  assert.equal(sql(`SELECT count(*) FROM survey WHERE code = '${S1}'`), '0');

  const made = ok(await post('trainer', '/api/surveys', d), 201);
  assert.equal(made.status, 'draft');
  assert.equal(made.unit, U('SVR')); // the trainer's unit
  assert.equal(made.anonymous, true);
  assert.deepEqual(made.questions.map((q) => q.id), [1, 2, 3, 4]);
  assert.deepEqual(made.questions[0].options, ['Hoàn toàn không đồng ý', 'Không đồng ý', 'Trung lập', 'Đồng ý',
    'Hoàn toàn đồng ý']);
  assert.equal(made.questions[0].points, 5);
  assertProblem(await post('trainer', '/api/surveys', d), 409, 'survey_code_taken', { field: 'code' });
  // a learner in its audience cannot answer a draft
  assertProblem(await post('a1', '/api/my/survey/respond', { survey: S1, answers: [{ question: 1, value: 4 }] }),
    409, 'survey_not_open');
  assertProblem(await get('a1', `/api/my/survey?code=${S1}`), 409, 'survey_not_open'); // no questions early
  assert.ok(!ok(await get('a1', '/api/my/surveys')).surveys.some((x) => x.code === S1));
  assert.equal(counts(S1), '0 0');
  const pub = ok(await post('trainer', '/api/surveys/publish', { code: S1 }));
  assert.equal(pub.status, 'open');
  assertProblem(await post('trainer', '/api/surveys/publish', { code: S1 }), 409, 'survey_not_draft');
  // another unit's trainer neither sees nor changes it
  assertProblem(await post('trainerO', '/api/surveys/close', { code: S1 }), 403, 'forbidden');
  assert.ok(!ok(await get('trainerO', '/api/surveys')).surveys.some((x) => x.code === S1));
  assert.ok(ok(await get('trainer', '/api/surveys')).surveys.some((x) => x.code === S1 && x.manage));
  assertProblem(await get('a1', '/api/surveys'), 403, 'forbidden');
});

test('only its audience is asked: units, roster person, level and PAR role', async () => {
  const mine = async (who) => ok(await get(who, '/api/my/surveys')).surveys.map((x) => x.code);
  assert.ok((await mine('a1')).includes(S1));
  assert.ok((await mine('r1')).includes(S1)); // the audience unit itself
  assert.ok(!(await mine('o1')).includes(S1));
  assert.ok(!(await mine('np')).includes(S1)); // no roster person: no unit
  for (const who of ['o1', 'np', 'learner']) {
    assertProblem(await get(who, `/api/my/survey?code=${S1}`), 403, 'not_in_audience');
    assertProblem(await post(who, '/api/my/survey/respond', { survey: S1, answers: [{ question: 1, value: 4 }] }),
      403, 'not_in_audience');
  }
  const form = ok(await get('a1', `/api/my/survey?code=${S1}`));
  assert.equal(form.can_answer, true);
  assert.equal(form.responded, false);
  assert.equal(form.questions.length, 4);
  assert.equal(form.owner, undefined); // a learner is not told who built it
  assertProblem(await get('a1', '/api/my/survey?code=KHONG-CO'), 404, 'not_found');

  // leaders only, dedicated PAR staff only
  const lead = `KS-LD-${tag}`;
  ok(await post('trainer', '/api/surveys', definition(lead, { level: 'leaders', par_roles: ['dedicated'] })), 201);
  ok(await post('trainer', '/api/surveys/publish', { code: lead }));
  assert.equal(ok(await get('a1', `/api/my/survey?code=${lead}`)).can_answer, true);
  assertProblem(await get('a2', `/api/my/survey?code=${lead}`), 403, 'not_in_audience');
  const staff = `KS-NV-${tag}`;
  ok(await post('trainer', '/api/surveys', definition(staff, { level: 'staff', par_roles: ['concurrent'] })), 201);
  ok(await post('trainer', '/api/surveys/publish', { code: staff }));
  assertProblem(await get('a1', `/api/my/survey?code=${staff}`), 403, 'not_in_audience');
  assert.equal(ok(await get('a2', `/api/my/survey?code=${staff}`)).can_answer, true); // A2: concurrent
  assertProblem(await get('a3', `/api/my/survey?code=${staff}`), 403, 'not_in_audience'); // A3: none
  // the population of the results counts only them: A2, A4 and A6
  const res = ok(await get('trainer', `/api/surveys/results?code=${staff}`));
  assert.equal(res.population, 3);
});

test('bad answers are refused with a stable code and field, and nothing is stored', async () => {
  const bad = async (body, status, code, field) => {
    const r = await post('a1', '/api/my/survey/respond', { survey: S1, ...body });
    assertProblem(r, status, code, { field, what: JSON.stringify(body) });
  };
  const q1 = { question: 1, value: 4 };
  await bad({ answers: 'x' }, 422, 'invalid_field', 'answers');
  await bad({ answers: [] }, 422, 'answer_required', 'questions[0]');
  await bad({ answers: [{ question: 2, value: 0 }] }, 422, 'answer_required', 'questions[0]');
  await bad({ answers: [{ question: '1', value: 4 }] }, 422, 'invalid_field', 'answers[0].question');
  await bad({ answers: [{ question: 1, value: 'bốn' }] }, 422, 'invalid_field', 'answers[0].value');
  await bad({ answers: [{ question: 1, value: 4.5 }] }, 422, 'invalid_field', 'answers[0].value');
  await bad({ answers: [{ question: 1 }] }, 422, 'invalid_field', 'answers[0].value');
  await bad({ answers: [q1, 7] }, 422, 'invalid_field', 'answers[1]');
  await bad({ answers: [q1, { question: 99, value: 1 }] }, 422, 'unknown_question', 'answers[1].question');
  await bad({ answers: [q1, { question: 0, value: 1 }] }, 422, 'unknown_question', 'answers[1].question');
  await bad({ answers: [q1, { question: 1, value: 5 }] }, 422, 'duplicate_answer', 'answers[1].question');
  await bad({ answers: [{ question: 1, value: 6 }] }, 422, 'value_out_of_range', 'answers[0].value');
  await bad({ answers: [{ question: 1, value: 0 }] }, 422, 'value_out_of_range', 'answers[0].value');
  await bad({ answers: [q1, { question: 2, value: 3 }] }, 422, 'choice_out_of_range', 'answers[1].value');
  await bad({ answers: [q1, { question: 2, value: [0] }] }, 422, 'invalid_field', 'answers[1].value');
  await bad({ answers: [q1, { question: 3, value: [0, 1, 2] }] }, 422, 'too_many_choices', 'answers[1].value');
  await bad({ answers: [q1, { question: 3, value: [0, 4] }] }, 422, 'choice_out_of_range', 'answers[1].value[1]');
  await bad({ answers: [q1, { question: 3, value: [1, 1] }] }, 422, 'invalid_field', 'answers[1].value[1]');
  await bad({ answers: [q1, { question: 3, value: ['0'] }] }, 422, 'invalid_field', 'answers[1].value[0]');
  await bad({ answers: [q1, { question: 4, value: 'ắ'.repeat(61) }] }, 422, 'text_too_long', 'answers[1].value');
  await bad({ answers: [q1, { question: 4, value: 12 }] }, 422, 'invalid_field', 'answers[1].value');
  await bad({ answers: [q1, { question: 4, value: '   ' }] }, 422, 'invalid_field', 'answers[1].value');
  await bad({ survey: 'KHONG-CO', answers: [q1] }, 404, 'not_found', 'code');
  await bad({ survey: 'có dấu', answers: [q1] }, 422, 'invalid_field', 'survey');
  const wrongType = await http(A, '/api/my/survey/respond', { method: 'POST', cookie: s.a1.cookie,
    headers: { 'x-csrf-token': s.a1.csrf, 'content-type': 'text/plain' }, body: JSON.stringify({ survey: S1, answers: [q1] }) });
  assertProblem(wrongType, 415, 'unsupported_media_type');
  const broken = await http(A, '/api/my/survey/respond', { method: 'POST', cookie: s.a1.cookie,
    headers: { 'x-csrf-token': s.a1.csrf, 'content-type': 'application/json' }, body: '{"survey": "x", "answers": [' });
  assertProblem(broken, 400, 'invalid_json');
  assertProblem(await http(A, '/api/my/survey/respond', { method: 'POST', cookie: s.a1.cookie,
    json: { survey: S1, answers: [q1] } }), 403, 'csrf_failed');
  // exactly at the cap is fine (checked on the form, not stored: a1 answers below)
  assert.equal(counts(S1), '0 0');
  assert.equal(ok(await get('a1', `/api/my/survey?code=${S1}`)).responded, false);
});

// What each learner answers (see the header of the file for the units).
const LIKERT = { a1: 5, a2: 4, a3: 4, a4: 2, a5: 5, a6: 3, b1: 1, b2: 1, b3: 1, b4: 1, b5: 1, r1: 3 };
const TEXTS = { a1: '=HYPERLINK("http://evil.example","bấm vào")', a2: '+1 rất tốt', a3: '-bad', a4: '@cmd|calc',
  b1: 'Góp ý từ phòng B', r1: 'Góp ý của người duy nhất ở SVR' };
function answersOf(who) {
  const a = [{ question: 1, value: LIKERT[who] }, { question: 2, value: who[0] === 'a' ? 0 : who[0] === 'b' ? 1 : 2 }];
  if (who === 'a1') a.push({ question: 3, value: [0, 1] });
  if (who === 'a2') a.push({ question: 3, value: [] });
  if (TEXTS[who]) a.push({ question: 4, value: TEXTS[who] });
  return a;
}

test('one response each, for the session\'s account whatever the body says', async () => {
  // a1 names a2 as the respondent: ignored
  const r = await post('a1', '/api/my/survey/respond', { survey: S1, answers: answersOf('a1'),
    user_id: userId('a2'), user: `sv.a2${tag}`, respondent: userId('a2') });
  const j = ok(r, 201);
  assert.deepEqual(j, { survey: S1, responded: true, anonymous: true });
  assert.equal(sql(`SELECT string_agg(u.username, ',') FROM survey_respondent r JOIN survey s ON s.id = r.survey_id
    JOIN app_user u ON u.id = r.user_id WHERE s.code = '${S1}'`), `sv.a1${tag}`);
  assertProblem(await post('a1', '/api/my/survey/respond', { survey: S1, answers: answersOf('a1') }), 409, 'already_responded');
  assert.equal(counts(S1), '1 1');
  const mine = ok(await get('a1', '/api/my/surveys')).surveys.find((x) => x.code === S1);
  assert.equal(mine.responded, true);
  assert.equal(mine.can_answer, false);
  assert.equal(mine.reason, 'already_responded');
  const form = ok(await get('a1', `/api/my/survey?code=${S1}`));
  assert.equal(form.responded, true);
  assert.equal(form.can_answer, false);
  // two answers at the same moment: one is stored, the other is told it answered already
  const both = await Promise.all([1, 2].map(() => post('a2', '/api/my/survey/respond', { survey: S1, answers: answersOf('a2') })));
  assert.deepEqual(both.map((x) => x.status).sort(), [201, 409]);
  for (const who of Object.keys(LIKERT).filter((w) => w !== 'a1' && w !== 'a2')) {
    ok(await post(who, '/api/my/survey/respond', { survey: S1, answers: answersOf(who) }), 201);
  }
  assert.equal(counts(S1), '12 12');
});

test('an anonymous response holds no account, person, session, address or time; the respondents table no link', async () => {
  const cols = (t) => sql(`SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns
    WHERE table_name = '${t}'`);
  assert.equal(cols('survey_respondent'), 'survey_id,user_id');
  assert.equal(cols('survey_response'),
    'course_id,id,nums,qids,submitted_at,submitted_on,survey_id,text_qids,texts,unit_id,user_id');
  const sid = sql(`SELECT id FROM survey WHERE code = '${S1}'`);
  // no account, no time; a random UUID key; the unit at the time
  assert.equal(sql(`SELECT count(*) FROM survey_response WHERE survey_id = ${sid} AND (user_id IS NOT NULL
    OR submitted_at IS NOT NULL)`), '0');
  assert.match(sql(`SELECT id FROM survey_response WHERE survey_id = ${sid} LIMIT 1`),
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(sql(`SELECT string_agg(u.code || ':' || n, ' ' ORDER BY u.code) FROM (SELECT unit_id, count(*) n
    FROM survey_response WHERE survey_id = ${sid} GROUP BY unit_id) x JOIN org_unit u ON u.id = x.unit_id`).split(' ').sort().join(' '),
  [`${U('SVR')}:1`, `${U('SVR-A')}:6`, `${U('SVR-B')}:5`].sort().join(' '));
  const rows = sql(`SELECT row_to_json(r)::text FROM survey_response r WHERE survey_id = ${sid}`).split('\n');
  assert.equal(rows.length, 12);
  for (const row of rows) {
    const o = JSON.parse(row);
    assert.equal(o.user_id, null);
    assert.equal(o.submitted_at, null);
    assert.match(o.submitted_on, /^\d{4}-\d{2}-\d{2}$/); // the day only
    assert.equal(o.course_id, null);
  }
  // the two tables point at nothing of each other: no key of one is in the other
  const fks = (t) => sql(`SELECT string_agg(confrelid::regclass::text, ',' ORDER BY confrelid::regclass::text)
    FROM pg_constraint WHERE conrelid = '${t}'::regclass AND contype = 'f'`);
  assert.equal(fks('survey_respondent'), 'app_user,survey');
  assert.equal(fks('survey_response'), 'app_user,course,org_unit,survey');
  // the database itself refuses an account or a time in an anonymous survey's response
  sqlFails(`INSERT INTO survey_response (survey_id, user_id, submitted_on, qids, nums)
    VALUES (${sid}, ${userId('a1')}, current_date, '{1}', '{3}')`);
  sqlFails(`INSERT INTO survey_response (survey_id, submitted_at, submitted_on, qids, nums)
    VALUES (${sid}, now(), current_date, '{1}', '{3}')`);
  // and a change of the anonymous flag
  sqlFails(`UPDATE survey SET anonymous = false WHERE id = ${sid}`);
  const cur = ok(await get('trainer', `/api/surveys/detail?code=${S1}`));
  assertProblem(await post('trainer', '/api/surveys/update', { ...definition(S1), rev: cur.rev, anonymous: false }),
    409, 'anonymous_fixed');
});

const grp = (res, code) => res.groups.find((g) => g.code === code);

test('results: counts, Likert mean and median, response rate; small unit groups suppressed', async () => {
  const all = ok(await get('trainer', `/api/surveys/results?code=${S1}&unit=${U('SVR')}`));
  assert.equal(all.k, 5);
  assert.equal(all.responses, 12);
  assert.equal(all.population, 13); // A7 has no account but is in the audience
  assert.equal(all.response_rate, 0.923);
  const [q1, q2, q3, q4] = all.questions;
  // Likert: 1×5, 2×1, 3×2, 4×2, 5×2 — mean 31/12, median of 1 1 1 1 1 2 | 3 3 4 4 5 5 = 2.5
  assert.deepEqual(q1.counts, [5, 1, 2, 2, 2]);
  assert.equal(q1.answered, 12);
  assert.equal(q1.mean, 2.58);
  assert.equal(q1.median, 2.5);
  assert.deepEqual(q2.counts, [6, 5, 1]);
  assert.deepEqual(q3.counts, [1, 1, 0, 0]);
  assert.equal(q3.answered, 1); // a2's empty choice is not an answer
  assert.equal(q4.answered, 6);
  // by unit: SVR itself (1) is under 5; then SVR-B (5) is hidden too, or 12 - 6 - SVR-B would give SVR's
  const direct = all.groups.find((g) => g.kind === 'direct');
  assert.equal(direct.code, U('SVR'));
  assert.equal(direct.suppressed, true);
  assert.equal(direct.suppressed_because, 'fewer_than_k');
  assert.equal(direct.responses, null);
  assert.equal(direct.response_rate, null);
  assert.deepEqual(direct.questions, []);
  const b = grp(all, U('SVR-B'));
  assert.equal(b.suppressed, true);
  assert.equal(b.suppressed_because, 'complement');
  assert.equal(b.responses, null);
  const a = grp(all, U('SVR-A'));
  assert.equal(a.suppressed, false);
  assert.equal(a.responses, 6);
  assert.equal(a.population, 7);
  assert.equal(a.response_rate, 0.857);
  // SVR-A: 2 3 4 4 5 5 → mean 23/6, median 4
  assert.deepEqual(a.questions[0].counts, [0, 1, 1, 2, 2]);
  assert.equal(a.questions[0].mean, 3.83);
  assert.equal(a.questions[0].median, 4);
  assert.equal(q4.counts, undefined); // free text is read through /texts only
  // without ?unit=, the groups are the top units: the city, with everyone
  const top = ok(await get('trainer', `/api/surveys/results?code=${S1}`));
  assert.equal(top.responses, 12);
  assert.equal(grp(top, 'HCM').responses, 12);
  // an admin reads the same
  assert.equal(ok(await get('admin', `/api/surveys/results?code=${S1}&unit=${U('SVR')}`)).responses, 12);
});

test('free-text answers: no day, no person, and a unit only when it has 5 responses or more', async () => {
  const t = ok(await get('trainer', `/api/surveys/texts?code=${S1}&question=4&unit=${U('SVR')}`));
  assert.equal(t.total, 6);
  assert.equal(t.items.length, 6);
  const by = Object.fromEntries(t.items.map((i) => [i.text, i]));
  assert.deepEqual(Object.keys(by).sort(), Object.values(TEXTS).sort());
  assert.equal(by[TEXTS.a2].unit.code, U('SVR-A'));
  assert.equal(by[TEXTS.b1].unit.code, U('SVR-B'));
  assert.equal(by[TEXTS.r1].unit, null); // the only respondent of SVR itself
  for (const i of t.items) assert.deepEqual(Object.keys(i).sort(), ['text', 'unit']);
  // paging: a stable order
  const p1 = ok(await get('trainer', `/api/surveys/texts?code=${S1}&question=4&limit=4`));
  const p2 = ok(await get('trainer', `/api/surveys/texts?code=${S1}&question=4&limit=4&offset=4`));
  assert.equal(p1.items.length, 4);
  assert.equal(p2.items.length, 2);
  assert.deepEqual([...p1.items, ...p2.items].map((i) => i.text).sort(), Object.values(TEXTS).sort());
  assertProblem(await get('trainer', `/api/surveys/texts?code=${S1}&question=1`), 422, 'unknown_question', { field: 'question' });
  assertProblem(await get('trainer', `/api/surveys/texts?code=${S1}`), 422, 'invalid_field', { field: 'question' });
  assertProblem(await get('trainer', `/api/surveys/texts?code=${S1}&question=4&limit=0`), 422, 'invalid_field', { field: 'limit' });
});

test('the CSV export: UTF-8 with a BOM, formulas neutralised, small groups as "< 5"', async () => {
  const r = await http(A, `/api/surveys/results.csv?code=${S1}&unit=${U('SVR')}`, { cookie: s.trainer.cookie });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(r.headers.get('content-disposition'), new RegExp(`attachment; filename="khao-sat-${S1}.csv"`));
  const raw = Buffer.from(r.text, 'utf8');
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = r.text.slice(1);
  // every cell a spreadsheet would run is neutralised with a leading '
  assert.ok(text.includes('"\'=HYPERLINK(""http://evil.example"",""bấm vào"")"'), text.slice(-600));
  assert.ok(text.includes(",'+1 rất tốt"));
  assert.ok(text.includes(",'-bad"));
  assert.ok(text.includes(",'@cmd|calc"));
  for (const line of text.split('\r\n')) {
    for (const cellText of line.split(',')) assert.ok(!/^[=+\-@]/.test(cellText), `a formula cell: ${line}`);
  }
  // the whole and SVR-A with numbers; SVR and SVR-B as "< 5"
  assert.ok(text.includes('Tất cả,,,12,13,1,Nội dung bồi dưỡng phù hợp với công việc,Thang đo Likert,Hoàn toàn không đồng ý,5,2.58,2.5'));
  assert.ok(text.includes(`Đơn vị,${U('SVR-A')},Phòng A ${tag},6,7,1,`));
  assert.ok(text.includes(`Đơn vị,${U('SVR-B')},Phòng B ${tag},< 5,5,1,`));
  assert.ok(!new RegExp(`${U('SVR-B')},Phòng B ${tag},5,`).test(text));
  assert.ok(text.includes(`Trực thuộc đơn vị,${U('SVR')},Sở Khảo sát ${tag},< 5,1,`));
  // the free text of SVR's only respondent carries no unit
  assert.ok(text.includes(`Trả lời tự do,4,Góp ý khác,,,${TEXTS.r1}`));
  assert.equal(r.text.includes('\uFEFF', 1), false); // one BOM
  const learnerCsv = await http(A, `/api/surveys/results.csv?code=${S1}`, { cookie: s.a1.cookie });
  assertProblem(learnerCsv, 403, 'forbidden');
});

test('an HR officer reads only their units; others are refused', async () => {
  const hr = ok(await get('hr', `/api/surveys/results?code=${S1}`));
  assert.equal(hr.reach, 'units');
  assert.equal(hr.responses, 6); // SVR-A only
  assert.equal(hr.population, 7);
  assert.deepEqual(hr.groups.map((g) => [g.kind, g.code, g.responses]), [['direct', U('SVR-A'), 6]]);
  assert.deepEqual(hr.questions[0].counts, [0, 1, 1, 2, 2]);
  const t = ok(await get('hr', `/api/surveys/texts?code=${S1}&question=4`));
  assert.deepEqual(t.items.map((i) => i.text).sort(), [TEXTS.a1, TEXTS.a2, TEXTS.a3, TEXTS.a4].sort());
  assertProblem(await get('hr', `/api/surveys/results?code=${S1}&unit=${U('SVR-B')}`), 403, 'forbidden', { field: 'unit' });
  assert.ok(ok(await get('hr', '/api/surveys')).surveys.some((x) => x.code === S1 && !x.manage));
  assertProblem(await post('hr', '/api/surveys/close', { code: S1 }), 403, 'forbidden');
  // another unit's HR officer and trainer, a learner
  assert.ok(!ok(await get('hrO', '/api/surveys')).surveys.some((x) => x.code === S1));
  assertProblem(await get('hrO', `/api/surveys/results?code=${S1}`), 403, 'forbidden');
  assertProblem(await get('trainerO', `/api/surveys/results?code=${S1}`), 403, 'forbidden');
  assertProblem(await get('a1', `/api/surveys/results?code=${S1}`), 403, 'forbidden');
  assertProblem(await get('hr', '/api/surveys/results?code=KHONG-CO'), 404, 'not_found');
});

test('a survey with fewer than 5 responses shows no numbers at all', async () => {
  const few = `KS-IT-${tag}`;
  ok(await post('trainer', '/api/surveys', definition(few, { units: [U('SVR-B')] })), 201);
  ok(await post('trainer', '/api/surveys/publish', { code: few }));
  for (const who of ['b1', 'b2']) ok(await post(who, '/api/my/survey/respond', { survey: few, answers: answersOf(who) }), 201);
  const res = ok(await get('trainer', `/api/surveys/results?code=${few}`));
  assert.equal(res.suppressed, true);
  assert.equal(res.responses, null);
  assert.equal(res.response_rate, null);
  assert.equal(res.population, 5);
  assert.deepEqual(res.questions, []);
  assert.ok(res.groups.every((g) => g.suppressed && g.responses === null));
  const t = ok(await get('trainer', `/api/surveys/texts?code=${few}&question=4`));
  assert.deepEqual(t.items, []);
  assert.equal(t.suppressed, true);
  const csv = await http(A, `/api/surveys/results.csv?code=${few}`, { cookie: s.trainer.cookie });
  assert.ok(csv.text.includes('Tất cả,,,< 5,5,'));
  assert.ok(!csv.text.includes(TEXTS.b1));
});

test('a course survey is asked after completion; a named one keeps who answered', async () => {
  const course = '5s-scorm12';
  const code = `KS-KH-${tag}`;
  const d = { code, title: 'Đánh giá khóa học 5S', kind: 'course', courses: [course], anonymous: false,
    questions: [{ kind: 'likert', text: 'Khóa học hữu ích', required: true }, { kind: 'text', text: 'Góp ý' }] };
  const made = ok(await post('trainer', '/api/surveys', d), 201);
  assert.deepEqual(made.courses, [course]);
  ok(await post('trainer', '/api/surveys/publish', { code }));
  assertProblem(await get('a3', `/api/my/survey?code=${code}`), 403, 'course_not_completed');
  assertProblem(await post('a3', '/api/my/survey/respond', { survey: code, answers: [{ question: 1, value: 5 }] }),
    403, 'course_not_completed');
  assert.deepEqual(ok(await get('a3', `/api/my/surveys?course=${course}`)).surveys, []);
  // a3 completes the course (as the player records it)
  const uid = userId('a3');
  sql(`WITH c AS (SELECT id FROM course WHERE code = '${course}'), v AS (SELECT max(id) id FROM course_version
      WHERE course_id = (SELECT id FROM c)), e AS (INSERT INTO enrolment (user_id, course_id, version_id, source, enrolled_at)
      SELECT ${uid}, c.id, v.id, 'self', now() FROM c, v RETURNING id, course_id, version_id)
    INSERT INTO completion (enrolment_id, user_id, course_id, version_id, completed_at, active_s, reported_s, evidence)
      SELECT id, ${uid}, course_id, version_id, now(), 60, 60, '{}' FROM e`);
  const mine = ok(await get('a3', `/api/my/surveys?course=${course}`)).surveys;
  assert.deepEqual(mine.map((x) => [x.code, x.course, x.can_answer]), [[code, course, true]]);
  assertProblem(await post('a3', '/api/my/survey/respond', { survey: code, course: 'khac', answers: [{ question: 1, value: 5 }] }),
    403, 'course_not_completed');
  ok(await post('a3', '/api/my/survey/respond', { survey: code, answers: [{ question: 1, value: 5 }, { question: 2, value: 'Rất hay' }] }), 201);
  // a named survey: the response keeps the account and the time
  assert.equal(sql(`SELECT (r.user_id = ${uid})::text || ' ' || (r.submitted_at IS NOT NULL)::text || ' ' || c.code
    FROM survey_response r JOIN survey s ON s.id = r.survey_id JOIN course c ON c.id = r.course_id WHERE s.code = '${code}'`),
  `true true ${course}`);
  const res = ok(await get('trainer', `/api/surveys/results?code=${code}`));
  assert.equal(res.k, 0); // not anonymous: nothing suppressed
  assert.equal(res.responses, 1);
  assert.ok(res.population >= 1);
  const byCourse = res.groups.find((g) => g.kind === 'course');
  assert.equal(byCourse.code, course);
  assert.equal(byCourse.responses, 1);
  assert.deepEqual(byCourse.questions[0].counts, [0, 0, 0, 0, 1]);
  const t = ok(await get('trainer', `/api/surveys/texts?code=${code}&question=2`));
  assert.equal(t.items[0].respondent, 'Học Viên a3');
  assert.match(t.items[0].day, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(t.items[0].unit.code, U('SVR-A'));
});

test('edits: questions are fixed once answered (copy instead); a stale rev is refused', async () => {
  const cur = ok(await get('trainer', `/api/surveys/detail?code=${S1}`));
  assert.equal(cur.responses, 12);
  const d = definition(S1);
  const changed = { ...d, rev: cur.rev, questions: [...d.questions, { kind: 'text', text: 'Câu mới' }] };
  assertProblem(await post('trainer', '/api/surveys/update', changed), 409, 'survey_has_responses', { field: 'questions' });
  assertProblem(await post('trainer', '/api/surveys/update', { ...d, rev: cur.rev, units: [U('SVR-A')] }), 409, 'survey_has_responses');
  const renamed = ok(await post('trainer', '/api/surveys/update', { ...d, rev: cur.rev, title: 'Tên mới của khảo sát' }));
  assert.equal(renamed.title, 'Tên mới của khảo sát');
  assert.ok(renamed.rev > cur.rev);
  assertProblem(await post('trainer', '/api/surveys/update', { ...d, rev: cur.rev, title: 'Lần nữa' }), 409, 'survey_changed');
  assertProblem(await post('trainer', '/api/surveys/update', { ...d, title: 'Không có rev' }), 422, 'invalid_field', { field: 'rev' });
  // a copy is a new draft with the same questions, and no responses
  const copy = ok(await post('trainer', '/api/surveys/copy', { from: S1, code: `${S1}-2` }), 201);
  assert.equal(copy.status, 'draft');
  assert.equal(copy.responses, 0);
  assert.deepEqual(copy.questions, renamed.questions);
  const edited = ok(await post('trainer', '/api/surveys/update', { ...changed, code: `${S1}-2`, rev: copy.rev }));
  assert.equal(edited.questions.length, 5);
  // a draft may change its anonymity
  assert.equal(ok(await post('trainer', '/api/surveys/update', { ...changed, code: `${S1}-2`, rev: edited.rev, anonymous: false })).anonymous, false);
});

test('dates and closing: answers outside the window are refused; closing reshuffles the stored rows', async () => {
  const day = (off) => new Date(Date.now() + 7 * 3600e3 + off * 86400e3).toISOString().slice(0, 10);
  const late = `KS-TRE-${tag}`;
  const early = `KS-SOM-${tag}`;
  ok(await post('trainer', '/api/surveys', definition(late, { opens_on: day(-10), closes_on: day(-1) })), 201);
  ok(await post('trainer', '/api/surveys', definition(early, { opens_on: day(1) })), 201);
  for (const c of [late, early]) ok(await post('trainer', '/api/surveys/publish', { code: c }));
  assertProblem(await post('a5', '/api/my/survey/respond', { survey: late, answers: answersOf('a5') }), 409, 'survey_closed');
  assertProblem(await post('a5', '/api/my/survey/respond', { survey: early, answers: answersOf('a5') }), 409, 'survey_not_open');
  assertProblem(await get('a5', `/api/my/survey?code=${early}`), 409, 'survey_not_open');
  const lateForm = ok(await get('a5', `/api/my/survey?code=${late}`));
  assert.equal(lateForm.can_answer, false);
  assert.equal(lateForm.reason, 'survey_closed');
  const today = `KS-NAY-${tag}`;
  ok(await post('trainer', '/api/surveys', definition(today, { opens_on: day(0), closes_on: day(0) })), 201);
  ok(await post('trainer', '/api/surveys/publish', { code: today }));
  ok(await post('a5', '/api/my/survey/respond', { survey: today, answers: answersOf('a5') }), 201);

  const sid = sql(`SELECT id FROM survey WHERE code = '${S1}'`);
  const before_ = sql(`SELECT string_agg(id::text, ',' ORDER BY id) FROM survey_response WHERE survey_id = ${sid}`).split(',');
  const answersNow = () => sql(`SELECT string_agg(x, '|' ORDER BY x) FROM (SELECT qids::text || nums::text
    || texts::text || coalesce(unit_id, 0) AS x FROM survey_response WHERE survey_id = ${sid}) t`);
  const answersBefore = answersNow();
  const closed = ok(await post('trainer', '/api/surveys/close', { code: S1 }));
  assert.equal(closed.status, 'closed');
  const after_ = sql(`SELECT string_agg(id::text, ',' ORDER BY id) FROM survey_response WHERE survey_id = ${sid}`).split(',');
  assert.equal(after_.length, 12);
  assert.ok(after_.every((id) => !before_.includes(id)), 'closing gives the rows new keys');
  assert.equal(answersNow(), answersBefore);
  assert.equal(ok(await get('trainer', `/api/surveys/results?code=${S1}&unit=${U('SVR')}`)).responses, 12);
  assertProblem(await post('r1', '/api/my/survey/respond', { survey: S1, answers: answersOf('r1') }), 409, 'survey_closed');
  assertProblem(await post('trainer', '/api/surveys/close', { code: S1 }), 409, 'survey_not_open');
  const cur = ok(await get('trainer', `/api/surveys/detail?code=${S1}`));
  assertProblem(await post('trainer', '/api/surveys/update', { ...definition(S1), rev: cur.rev }), 409, 'survey_closed');
  // a closed survey is no longer offered
  assert.ok(!ok(await get('a6', '/api/my/surveys')).surveys.some((x) => x.code === S1));
});
