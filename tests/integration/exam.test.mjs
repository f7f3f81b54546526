// exam.test.mjs — quizzes and capability exams over HTTP, run by exam.sh (read its header):
// a trainer imports a GIFT bank and builds quizzes and exams; learners take them; every bad
// input of issue 5 is refused or harmless; what the database keeps is checked with psql.
// The tests run in order and build on each other (node:test runs a file's tests in order).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BASE = process.env.PL_URL;
const DATA = process.env.PL_DATA;
const SRC = process.env.PARLEARN_SOURCE;
assert.ok(BASE && DATA && SRC, 'run through tests/integration/exam.sh');

const sql = (q) => execFileSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', `${DATA}/var/pg/run`,
  '-U', 'postgres', '-d', 'parlearn', '-c', q], { encoding: 'utf8' }).trim();
const sqlFails = (q) => {
  try { sql(q); } catch (e) { return String(e.stderr || e.message); }
  return null;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Every answer a learner's browser received, to look for keys in afterwards.
const learnerSaw = [];

async function login(username) {
  const r = await fetch(`${BASE}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Mat-khau-dai-123' }),
  });
  assert.equal(r.status, 200, `login ${username}`);
  const j = await r.json();
  return { username, cookie: r.headers.get('set-cookie').split(';')[0], csrf: j.csrf_token };
}

async function call(who, method, p, body, { headers = {}, raw = false } = {}) {
  const h = { ...headers };
  if (who) h.cookie = who.cookie;
  if (method !== 'GET' && who) h['x-csrf-token'] = who.csrf;
  if (body !== undefined && !raw) h['content-type'] = 'application/json';
  if (raw && !h['content-type']) h['content-type'] = 'text/plain';
  const r = await fetch(BASE + p, { method, headers: h, body: body === undefined ? undefined : raw ? body : JSON.stringify(body) });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  if (who && who.learner) learnerSaw.push({ path: p, text });
  return { status: r.status, json, text, headers: r.headers };
}

function problem(res, status, code, field) {
  assert.equal(res.status, status, `${status} ${code}: got ${res.status} ${res.text.slice(0, 300)}`);
  assert.equal(res.json.code, code, res.text.slice(0, 300));
  if (field !== undefined) assert.equal(res.json.field, field, res.text.slice(0, 300));
  assert.ok(!/SELECT|INSERT|SQLSTATE/.test(res.text), 'no SQL in a problem');
}

const GIFT = `$CATEGORY: Đề thi/Trắc nghiệm

::S1 Chỉ tiêu::Câu một: chọn phương án đúng.{
	=Phương án đúng S1#PHẢN-HỒI-KHÓA-S1
	~Phương án sai một#PHẢN-HỒI-SAI-S1
	~Phương án sai hai
}

::M1 Lĩnh vực::Chọn các lĩnh vực của cải cách hành chính.{
	~%50%Lĩnh vực A
	~%50%Lĩnh vực B
	~%-100%Lĩnh vực C#PHẢN-HỒI-M1
}

::T1 Thời gian::Đề án được thực hiện đến hết năm 2025.{T#PHẢN-HỒI-T1-SAI#PHẢN-HỒI-T1-ĐÚNG}

::SA1 Cơ quan::Cơ quan nào tham mưu triển khai Đề án?{=ĐÁP-ÁN-BÍ-MẬT-SA1}

::N1 Số::Có bao nhiêu phòng?{#4242:0}

$CATEGORY: Đề thi/Tự luận

::E1 Giải pháp::Hãy trình bày ba giải pháp.{}
`;
const KEY_MARKERS = ['PHẢN-HỒI', 'ĐÁP-ÁN-BÍ-MẬT', '4242', '"share"', '"fraction"', '"key":', '"accepted"',
  '"tolerance"', '"feedback":{', '"general"'];

const S = { ids: {}, at: {} };
let gv, gv2, ns, ns2, qt, hv1, hv2, hv3, hvtc, hvx;
const now = Date.now();
const iso = (ms) => new Date(ms).toISOString();

before(async () => {
  [gv, gv2, ns, ns2, qt, hv1, hv2, hv3, hvtc, hvx] = await Promise.all(
    ['gv', 'gv2', 'ns', 'ns2', 'qt', 'hv1', 'hv2', 'hv3', 'hvtc', 'hvx'].map(login));
  for (const l of [hv1, hv2, hv3, hvtc, hvx]) l.learner = true;
});

// The answer that a slot of a paper needs for a wanted outcome.
function answerFor(q, want) {
  const t = q.question.type;
  const opt = (text) => q.question.options.find((o) => o.text.text === text).id;
  if (t === 'single') return { choice: opt(want === 'right' ? 'Phương án đúng S1' : want === 'wrong2' ? 'Phương án sai hai' : 'Phương án sai một') };
  if (t === 'multi') return { choices: want === 'right' ? [opt('Lĩnh vực A'), opt('Lĩnh vực B')] : [opt('Lĩnh vực C')] };
  if (t === 'truefalse') return { value: want === 'right' };
  if (t === 'short') return { text: want === 'right' ? 'ĐÁP-ÁN-BÍ-MẬT-SA1' : 'Sở Tài chính' };
  if (t === 'numerical') return { text: want === 'right' ? '4242' : '17' };
  if (t === 'essay') return { text: 'Ba giải pháp: đào tạo, luân chuyển, đánh giá.' };
  throw new Error(`no answer for ${t}`);
}

async function paper(who, id, device) {
  const r = await call(who, 'GET', `/api/my/attempt?id=${id}${device ? `&device=${device}` : ''}`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  return r.json;
}

async function start(who, code) {
  const r = await call(who, 'POST', '/api/my/assessments/start', { code });
  assert.ok(r.status === 201 || r.status === 200, `start ${code} by ${who.username}: ${r.status} ${r.text}`);
  return r.json.attempt;
}

// Answers every question of the paper as plan says ({type: 'right'|'wrong'|...}), submits.
async function take(who, code, plan, extra = {}) {
  const id = await start(who, code);
  const p = await paper(who, id);
  for (const q of p.questions) {
    const want = plan[q.question.type] ?? 'wrong';
    const r = await call(who, 'POST', '/api/my/attempt/save', { attempt: id, slot: q.slot, rev: 1, response: answerFor(q, want), ...extra });
    assert.equal(r.status, 200, r.text);
  }
  const s = await call(who, 'POST', '/api/my/attempt/submit', { attempt: id, ...extra });
  assert.equal(s.status, 200, s.text);
  return id;
}

test('a trainer imports a GIFT bank through the API', async () => {
  const r = await call(gv, 'POST', `/api/questions/import?format=gift&category=${encodeURIComponent('Kiểm thử')}&name=de-thi.gift`, GIFT, { raw: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.outcome, 'applied');
  assert.equal(r.json.questions, 6);
  const l = await call(gv, 'GET', `/api/questions?category=${encodeURIComponent('Kiểm thử')}&limit=50`);
  for (const q of l.json.questions) S.ids[q.name.split(' ')[0]] = q.id;
  assert.deepEqual(Object.keys(S.ids).sort(), ['E1', 'M1', 'N1', 'S1', 'SA1', 'T1']);
});

test('definitions are checked: an exam needs a window, one attempt and an audience; only trainers of its unit manage it', async () => {
  const base = { code: 'BAD-1', kind: 'exam', title: 'Sai', fixed: [S.ids.S1], audience: [{ unit: 'SNV' }] };
  problem(await call(gv, 'POST', '/api/assessments', base), 422, 'invalid_field', 'opens_at');
  problem(await call(gv, 'POST', '/api/assessments', { ...base, opens_at: iso(now), closes_at: iso(now + 3600e3), max_attempts: 2 }), 422, 'invalid_field', 'max_attempts');
  problem(await call(gv, 'POST', '/api/assessments', { ...base, opens_at: iso(now), closes_at: iso(now + 3600e3), audience: [] }), 422, 'invalid_field', 'audience');
  problem(await call(gv, 'POST', '/api/assessments', { ...base, opens_at: iso(now), closes_at: iso(now + 3600e3), show_score: 'after_submit' }), 422, 'invalid_field', 'show_score');
  problem(await call(gv, 'POST', '/api/assessments', { ...base, opens_at: iso(now), closes_at: iso(now + 3600e3), fixed: [999999] }), 404, 'not_found', 'fixed');
  problem(await call(gv, 'POST', '/api/assessments', { ...base, opens_at: iso(now), closes_at: iso(now + 3600e3), unit: 'STC' }), 403, 'forbidden');
  problem(await call(hv1, 'POST', '/api/assessments', { ...base }), 403, 'forbidden');
  problem(await call(hv1, 'GET', '/api/assessments'), 403, 'forbidden');
  const noCsrf = await call({ cookie: gv.cookie, csrf: 'x' }, 'POST', '/api/assessments', base);
  problem(noCsrf, 403, 'csrf_failed');
  problem(await call(null, 'GET', '/api/my/assessments'), 401, 'unauthenticated');
});

test('the trainer builds a quiz and exams, and opens them', async () => {
  const mk = async (def) => {
    const r = await call(gv, 'POST', '/api/assessments', def);
    assert.equal(r.status, 201, r.text);
    const o = await call(gv, 'POST', '/api/assessments/open', { code: def.code });
    assert.equal(o.status, 200, o.text);
    assert.equal(o.json.status, 'open');
  };
  const objective = [S.ids.S1, S.ids.M1, S.ids.T1, S.ids.SA1, S.ids.N1];
  await mk({ code: 'QUIZ-IA', kind: 'quiz', title: 'Ôn tập nhanh', fixed: [S.ids.S1, S.ids.T1], pass_fraction: 0.5 });
  await mk({ code: 'EXAM-A', kind: 'exam', title: 'Kỳ sát hạch nguồn chuyên gia 2025', fixed: objective,
    opens_at: iso(now - 60e3), closes_at: iso(now + 3600e3), time_limit_s: 1800, pass_fraction: 0.6,
    show_score: 'after_publish', show_answers: 'after_publish', show_feedback: 'after_publish',
    audience: [{ unit: 'SNV' }] });
  await mk({ code: 'EXAM-E', kind: 'exam', title: 'Sát hạch có câu tự luận', fixed: [S.ids.S1],
    rules: [{ category: 'Kiểm thử/Đề thi/Tự luận', count: 1, points: 4 }], opens_at: iso(now - 60e3),
    closes_at: iso(now + 3600e3), pass_fraction: 0.5, named: ['NV-2'] });
  await mk({ code: 'EXAM-LATER', kind: 'exam', title: 'Sát hạch tuần sau', fixed: [S.ids.S1],
    opens_at: iso(now + 7 * 86400e3), closes_at: iso(now + 8 * 86400e3), audience: [{ unit: 'SNV' }] });
  await mk({ code: 'EXAM-SHORT', kind: 'exam', title: 'Sát hạch hai giây', fixed: [S.ids.S1, S.ids.T1],
    opens_at: iso(now - 60e3), closes_at: iso(now + 3600e3), time_limit_s: 2, audience: [{ unit: 'SNV' }] });
  // a paper the bank cannot fill is refused when it is opened, before any learner meets it
  assert.equal((await call(gv, 'POST', '/api/assessments', { code: 'QUIZ-BIG', kind: 'quiz', title: 'Đề quá dài',
    rules: [{ category: 'Kiểm thử', count: 40 }] })).status, 201);
  problem(await call(gv, 'POST', '/api/assessments/open', { code: 'QUIZ-BIG' }), 422, 'paper_short', 'rules');
  // a draft is edited with the revision it was read at; a stale one is refused
  const big = await call(gv, 'GET', '/api/assessments/detail?code=QUIZ-BIG');
  const upd = { code: 'QUIZ-BIG', rev: big.json.rev, kind: 'quiz', title: 'Đề vừa đủ', rules: [{ category: 'Kiểm thử', count: 6 }] };
  const u1 = await call(gv, 'POST', '/api/assessments/update', upd);
  assert.equal(u1.status, 200, u1.text);
  assert.equal(u1.json.title, 'Đề vừa đủ');
  assert.equal(u1.json.rules[0].count, 6);
  problem(await call(gv, 'POST', '/api/assessments/update', upd), 409, 'assessment_changed', 'rev');
  // a draft is not edited once open
  const d = await call(gv, 'GET', '/api/assessments/detail?code=EXAM-A');
  problem(await call(gv, 'POST', '/api/assessments/update', { code: 'EXAM-A', rev: d.json.rev, kind: 'exam', title: 'Khác',
    fixed: [S.ids.S1], opens_at: iso(now), closes_at: iso(now + 7200e3), audience: [{ unit: 'SNV' }] }), 409, 'not_draft');
  problem(await call(gv2, 'GET', '/api/assessments/detail?code=EXAM-A'), 403, 'forbidden');
  assert.match(sqlFails("UPDATE assessment SET title = 'x' WHERE code = 'EXAM-A'") ?? '', /only while it is a draft/);
});

test('who may start: the audience, and never a draft', async () => {
  const mine = await call(hv1, 'GET', '/api/my/assessments');
  const codes = mine.json.assessments.map((a) => a.code).sort();
  assert.deepEqual(codes, ['EXAM-A', 'EXAM-LATER', 'EXAM-SHORT', 'QUIZ-IA']);
  const later = mine.json.assessments.find((a) => a.code === 'EXAM-LATER');
  assert.equal(later.can_start, false, 'the window opens next week');
  problem(await call(hv1, 'POST', '/api/my/assessments/start', { code: 'EXAM-LATER' }), 403, 'not_open');
  const other = await call(hvtc, 'GET', '/api/my/assessments');
  assert.deepEqual(other.json.assessments.map((a) => a.code), ['QUIZ-IA']);
  problem(await call(hvtc, 'POST', '/api/my/assessments/start', { code: 'EXAM-A' }), 403, 'not_eligible');
  problem(await call(hvx, 'POST', '/api/my/assessments/start', { code: 'EXAM-E' }), 403, 'not_eligible');
  problem(await call(hv1, 'POST', '/api/my/assessments/start', { code: 'QUIZ-BIG' }), 404, 'not_found', 'code');
  problem(await call(hv1, 'POST', '/api/my/assessments/start', { code: 'NOPE' }), 404, 'not_found');
  problem(await call(gv, 'POST', '/api/my/assessments/start', { code: 'EXAM-A' }), 403, 'forbidden');
});

test('item analysis of a small known set: facility, option counts, KR-20', async () => {
  // four learners answer two questions: S1 right by 2 of 4, T1 right by 2 of 4
  await take(hv1, 'QUIZ-IA', { single: 'right', truefalse: 'right' });
  await take(hv2, 'QUIZ-IA', { single: 'right', truefalse: 'wrong' });
  await take(hv3, 'QUIZ-IA', { single: 'wrong', truefalse: 'right' });
  await take(hvtc, 'QUIZ-IA', { single: 'wrong2', truefalse: 'wrong' });
  const r = await call(gv, 'GET', '/api/assessments/items?code=QUIZ-IA');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.test.n, 4);
  const byName = Object.fromEntries(r.json.items.map((i) => [i.name.split(' ')[0], i]));
  assert.equal(byName.S1.n, 4);
  assert.equal(byName.S1.facility, 0.5);
  assert.equal(byName.T1.facility, 0.5);
  // options of S1 in the bank's order: the key, "sai một", "sai hai"
  assert.deepEqual(byName.S1.options.map((o) => o.count), [2, 1, 1]);
  // by hand: item variances 1/3 each, total variance 2/3, so alpha = 2 (1 - (2/3)/(2/3)) = 0
  assert.equal(r.json.test.kr20, true);
  assert.ok(Math.abs(r.json.test.alpha) < 1e-12, `alpha ${r.json.test.alpha}`);
  assert.equal(r.json.test.mean, 1);
  const csv = await call(gv, 'GET', '/api/assessments/items.csv?code=QUIZ-IA');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /phan-tich-cau-hoi-QUIZ-IA\.csv/);
  assert.match(csv.text, /S1 Chỉ tiêu,single,4,0\.500/);
  // a quiz shows its score and answers after submitting (its rules): the learner's view
  const mine = await call(hv1, 'GET', '/api/my/assessments');
  const q = mine.json.assessments.find((a) => a.code === 'QUIZ-IA');
  assert.equal(q.result.fraction, 1);
  assert.equal(q.result.passed, true);
});

test('an exam: bad inputs are refused and nothing changes; a forged score is ignored', async () => {
  const id = S.at.hv1 = await start(hv1, 'EXAM-A');
  const p = await paper(hv1, id, 'deviceHV1aaaa');
  assert.equal(p.questions.length, 5);
  assert.equal(p.open, true);
  // the timer's basis: the server's clock and deadline, 30 minutes from the start
  assert.ok(Math.abs(p.server_now_ms - Date.now()) < 5000);
  assert.equal(p.deadline_ms - Date.parse(p.started_at), 1800e3);
  const bySlot = Object.fromEntries(p.questions.map((q) => [q.slot, q]));
  const single = p.questions.find((q) => q.question.type === 'single');
  // another learner's attempt: not found, for every verb
  problem(await call(hv2, 'POST', '/api/my/attempt/save', { attempt: id, slot: single.slot, rev: 1, response: { choice: 0 } }), 404, 'not_found');
  problem(await call(hv2, 'GET', `/api/my/attempt?id=${id}`), 404, 'not_found');
  problem(await call(hv2, 'POST', '/api/my/attempt/submit', { attempt: id }), 404, 'not_found');
  problem(await call(hv2, 'POST', '/api/my/attempt/event', { attempt: id, kind: 'focus_lost' }), 404, 'not_found');
  problem(await call(hv2, 'GET', `/api/my/attempt/review?id=${id}`), 404, 'not_found');
  // a slot not in the paper, an answer of the wrong shape, a bad rev, a bad event
  problem(await call(hv1, 'POST', '/api/my/attempt/save', { attempt: id, slot: 99, rev: 1, response: { choice: 0 } }), 422, 'not_in_paper', 'slot');
  problem(await call(hv1, 'POST', '/api/my/attempt/save', { attempt: id, slot: single.slot, rev: 1, response: { choice: 7 } }), 422, 'response_shape', 'response');
  problem(await call(hv1, 'POST', '/api/my/attempt/save', { attempt: id, slot: single.slot, rev: 1, response: { text: 'x' } }), 422, 'response_shape', 'response');
  problem(await call(hv1, 'POST', '/api/my/attempt/save', { attempt: id, slot: single.slot, rev: 1, response: { choice: 0, text: 'x' } }), 422, 'response_shape', 'response');
  problem(await call(hv1, 'POST', '/api/my/attempt/save', { attempt: id, slot: single.slot, rev: 0, response: { choice: 0 } }), 422, 'invalid_field', 'rev');
  problem(await call(hv1, 'POST', '/api/my/attempt/event', { attempt: id, kind: 'cheated' }), 422, 'invalid_field', 'kind');
  assert.equal(sql(`SELECT count(*) FROM attempt_answer WHERE attempt_id = ${id}`), '0', 'nothing was written');
  // the real answers, with a forged score, fraction and user id riding along
  const forged = { score: 5, fraction: 1, passed: true, user_id: 1 };
  const plan = { single: 'right', multi: 'right', truefalse: 'right', short: 'wrong', numerical: 'wrong' };
  for (const q of p.questions) {
    const r = await call(hv1, 'POST', '/api/my/attempt/save', { attempt: id, slot: q.slot, rev: 1, response: answerFor(q, plan[q.question.type]), ...forged });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.rev, 1);
    assert.equal(r.json.stale, false);
  }
  // a replay of an older revision is ignored: 200 with the stored revision, the answer kept
  const again = await call(hv1, 'POST', '/api/my/attempt/save', { attempt: id, slot: single.slot, rev: 1, response: answerFor(single, 'wrong') });
  assert.equal(again.status, 200);
  assert.equal(again.json.stale, true);
  assert.equal(again.json.rev, 1);
  const after = await paper(hv1, id);
  assert.deepEqual(after.questions.find((q) => q.slot === single.slot).answer, answerFor(single, 'right'));
  assert.ok(bySlot[single.slot]);
  const sub = await call(hv1, 'POST', '/api/my/attempt/submit', { attempt: id, ...forged });
  assert.equal(sub.status, 200);
  problem(await call(hv1, 'POST', '/api/my/attempt/submit', { attempt: id }), 409, 'attempt_submitted');
  problem(await call(hv1, 'POST', '/api/my/attempt/save', { attempt: id, slot: single.slot, rev: 2, response: { choice: 0 } }), 409, 'attempt_submitted');
  // the server's grade: 3 of 5 (single, multi, true/false), whatever the body said
  assert.equal(sql(`SELECT score || ' ' || max_score || ' ' || passed || ' ' || submitted_by FROM attempt WHERE id = ${id}`), '3 5 true learner');
  // one attempt: a second is refused until a trainer grants one, with a reason
  problem(await call(hv1, 'POST', '/api/my/assessments/start', { code: 'EXAM-A' }), 409, 'no_attempts_left');
});

test('a browser clock a day off changes nothing: times are the server\'s', async () => {
  const id = S.at.hv1;
  const dayOff = new Date(Date.now() - 86400e3).toISOString();
  const r = await call(hv1, 'POST', '/api/my/attempt/event', { attempt: id, kind: 'page_hidden', client_at: dayOff, at: dayOff },
    { headers: { date: new Date(Date.now() - 86400e3).toUTCString() } });
  assert.equal(r.status, 200, r.text);
  const row = sql(`SELECT extract(epoch FROM at)::bigint || ' ' || client_at FROM integrity_event WHERE attempt_id = ${id} AND kind = 'page_hidden' ORDER BY id DESC LIMIT 1`);
  const [at, client] = row.split(' ');
  assert.ok(Math.abs(Number(at) * 1000 - Date.now()) < 10e3, 'stored at the server\'s time');
  assert.equal(client, dayOff, 'what the browser claimed is kept for the record only');
});

test('the deadline holds against a tampered client, and the server submits at the deadline', async () => {
  // hv2: a save in time, then one after the deadline whatever the client claims
  const id = await start(hv2, 'EXAM-SHORT');
  const p = await paper(hv2, id);
  const q = p.questions[0];
  assert.equal((await call(hv2, 'POST', '/api/my/attempt/save', { attempt: id, slot: q.slot, rev: 1, response: answerFor(q, 'right') })).status, 200);
  await sleep(Math.max(0, p.deadline_ms - p.server_now_ms) + 300);
  const late = await call(hv2, 'POST', '/api/my/attempt/save', { attempt: id, slot: q.slot, rev: 2, response: answerFor(q, 'wrong'),
    client_time: iso(Date.now() - 60e3), deadline_ms: Date.now() + 3600e3 }, { headers: { date: new Date(Date.now() - 3600e3).toUTCString() } });
  problem(late, 403, 'deadline_passed');
  assert.equal(sql(`SELECT max(rev) FROM attempt_answer WHERE attempt_id = ${id}`), '1', 'the late answer was not kept');
  assert.equal(sql(`SELECT submitted_by || ' ' || (submitted_at = deadline_at) FROM attempt WHERE id = ${id}`), 'server true');
  assert.equal(sql(`SELECT count(*) FROM integrity_event WHERE attempt_id = ${id} AND kind = 'late_save'`), '1');
  // hv3 starts and walks away: the server's housekeeping submits it at the deadline
  const id3 = await start(hv3, 'EXAM-SHORT');
  let by = '';
  for (let i = 0; i < 40 && by !== 'server'; i++) {
    await sleep(250);
    by = sql(`SELECT coalesce(submitted_by, '') FROM attempt WHERE id = ${id3}`);
  }
  assert.equal(by, 'server');
  assert.equal(sql(`SELECT (submitted_at = deadline_at) || ' ' || (graded_at IS NOT NULL) FROM attempt WHERE id = ${id3}`), 'true true');
  assert.equal(sql(`SELECT count(*) FROM integrity_event WHERE attempt_id = ${id3} AND kind = 'server_submit'`), '1');
  // its result is final and its event written with it (an exam without essays)
  assert.equal(sql(`SELECT count(*) FROM sync_outbox WHERE event_id = 'exr_${id3}'`), '1');
});

test('a second device: recorded as an integrity event; both save, revisions order them', async () => {
  const id = S.at.hv3 = await start(hv3, 'EXAM-A');
  const tab2 = await login('hv3');
  tab2.learner = true;
  const a = await paper(hv3, id, 'laptopAAAAAA');
  const single = a.questions.find((q) => q.question.type === 'single');
  assert.equal((await call(hv3, 'POST', '/api/my/attempt/save', { attempt: id, slot: single.slot, rev: 1, response: answerFor(single, 'wrong') })).json.rev, 1);
  const b = await paper(tab2, id, 'phoneBBBBBBBB');
  assert.equal(b.questions.find((q) => q.slot === single.slot).rev, 1, 'the second device sees the first one\'s answer');
  assert.equal(sql(`SELECT count(*) FROM integrity_event WHERE attempt_id = ${id} AND kind = 'second_device'`), '1');
  const s2 = await call(tab2, 'POST', '/api/my/attempt/save', { attempt: id, slot: single.slot, rev: 2, response: answerFor(single, 'right') });
  assert.equal(s2.json.rev, 2);
  const s1 = await call(hv3, 'POST', '/api/my/attempt/save', { attempt: id, slot: single.slot, rev: 2, response: answerFor(single, 'wrong') });
  assert.equal(s1.json.stale, true, 'the first device\'s rev 2 came second: ignored');
  const again = await paper(hv3, id, 'laptopAAAAAA');
  assert.deepEqual(again.questions.find((q) => q.slot === single.slot).answer, answerFor(single, 'right'));
  assert.equal(sql(`SELECT count(*) FROM attempt_answer WHERE attempt_id = ${id}`), '2', 'history: every accepted save');
});

test('the paper is fixed at start: editing a question afterwards changes nothing in it', async () => {
  const id = S.at.hv3;
  const before = await paper(hv3, id);
  const single = before.questions.find((q) => q.question.type === 'single');
  const q = await call(gv, 'GET', `/api/question?id=${S.ids.S1}`);
  const body = JSON.parse(JSON.stringify(q.json.versions[0].body));
  body.text.text = 'Câu một (đã sửa sau khi thi): chọn phương án đúng.';
  const e = await call(gv, 'POST', `/api/question/edit?id=${S.ids.S1}&version=${q.json.versions[0].version}`, body);
  assert.equal(e.status, 200, e.text);
  assert.equal(e.json.version, 2);
  const after = await paper(hv3, id);
  assert.equal(after.questions.find((x) => x.slot === single.slot).question.text.text, 'Câu một: chọn phương án đúng.');
  assert.equal(sql(`SELECT v.version_no FROM attempt_slot s JOIN question_version v ON v.id = s.version_id WHERE s.attempt_id = ${id} AND s.question_id = ${S.ids.S1}`), '1');
  // an attempt started now gets the new version
  const nid = await start(hv2, 'EXAM-A');
  const fresh = await paper(hv2, nid);
  assert.equal(fresh.questions.find((x) => x.question.type === 'single').question.text.text, body.text.text);
  // the paper and the answers are append-only
  assert.match(sqlFails(`UPDATE attempt_slot SET points = 9 WHERE attempt_id = ${id}`) ?? '', /append-only/);
  assert.match(sqlFails(`UPDATE attempt_answer SET rev = 9 WHERE attempt_id = ${id}`) ?? '', /append-only/);
  assert.match(sqlFails(`DELETE FROM attempt WHERE id = ${id}`) ?? '', /never deleted/);
  assert.match(sqlFails(`UPDATE attempt SET deadline_at = now() + interval '1 day' WHERE id = ${id}`) ?? '', /never change/);
  S.at.hv2 = nid;
});

test('submissions and the exam_result event: written with the final result, valid against the personnel schema', async () => {
  // hv3: the single right (second device), the rest unanswered; hv2: everything wrong
  assert.equal((await call(hv3, 'POST', '/api/my/attempt/submit', { attempt: S.at.hv3 })).status, 200);
  const p2 = await paper(hv2, S.at.hv2);
  for (const q of p2.questions)
    await call(hv2, 'POST', '/api/my/attempt/save', { attempt: S.at.hv2, slot: q.slot, rev: 1, response: answerFor(q, 'wrong') });
  assert.equal((await call(hv2, 'POST', '/api/my/attempt/submit', { attempt: S.at.hv2 })).status, 200);
  for (const [who, id] of [['hv1', S.at.hv1], ['hv2', S.at.hv2], ['hv3', S.at.hv3]]) {
    const row = sql(`SELECT o.payload::text FROM sync_outbox o WHERE o.event_id = 'exr_${id}'`);
    assert.ok(row, `the event of ${who}'s attempt`);
    const file = path.join(os.tmpdir(), `exr_${id}_${process.pid}.json`);
    fs.writeFileSync(file, row);
    execFileSync('python3', [`${SRC}/tests/package/json_schema_check.py`, `${SRC}/schemas/personnel/training-record.schema.json`, file]);
    fs.unlinkSync(file);
    const ev = JSON.parse(row);
    assert.equal(ev.exam_code, 'EXAM-A');
    assert.equal(ev.kind, 'exam_result');
    assert.ok(!('pin' in ev));
    // written by the statement that wrote the result: the same instant
    assert.equal(sql(`SELECT o.occurred_at = t.graded_at FROM sync_outbox o JOIN attempt t ON 'exr_' || t.id = o.event_id WHERE t.id = ${id}`), 't');
  }
  const hv1ev = JSON.parse(sql(`SELECT payload::text FROM sync_outbox WHERE event_id = 'exr_${S.at.hv1}'`));
  assert.equal(hv1ev.passed, true);
  assert.equal(hv1ev.score, 0.6);
  assert.equal(hv1ev.employee_code, 'NV-1');
  assert.equal(hv1ev.unit_code, 'SNV-CCHC');
  assert.equal(JSON.parse(sql(`SELECT payload::text FROM sync_outbox WHERE event_id = 'exr_${S.at.hv2}'`)).passed_at, null);
  // every final exam result has its event, and only those
  assert.equal(sql(`SELECT count(*) FROM attempt t JOIN assessment a ON a.id = t.assessment_id WHERE a.kind = 'exam' AND t.graded_at IS NOT NULL AND NOT t.needs_manual`),
    sql(`SELECT count(*) FROM sync_outbox WHERE kind = 'exam_result'`));
  assert.equal(sql(`SELECT count(*) FROM sync_outbox o JOIN attempt t ON 'exr_' || t.id = o.event_id JOIN assessment a ON a.id = t.assessment_id WHERE a.kind = 'quiz'`), '0', 'quizzes send nothing');
});

test('an essay waits for its trainer: no event until graded, then the result is final', async () => {
  const id = await take(hv2, 'EXAM-E', { single: 'right', essay: 'right' });
  assert.equal(sql(`SELECT needs_manual || ' ' || (SELECT count(*) FROM sync_outbox WHERE event_id = 'exr_${id}') FROM attempt WHERE id = ${id}`), 'true 0');
  const es = await call(gv, 'GET', '/api/assessments/essays?code=EXAM-E');
  assert.equal(es.json.essays.length, 1);
  const e = es.json.essays[0];
  assert.equal(e.answer.text, 'Ba giải pháp: đào tạo, luân chuyển, đánh giá.');
  problem(await call(gv, 'POST', '/api/assessments/grade', { code: 'EXAM-E', attempt: id, slot: e.slot, points: 5 }), 422, 'points_out_of_range', 'points');
  problem(await call(gv2, 'POST', '/api/assessments/grade', { code: 'EXAM-E', attempt: id, slot: e.slot, points: 3 }), 403, 'forbidden');
  const g = await call(gv, 'POST', '/api/assessments/grade', { code: 'EXAM-E', attempt: id, slot: e.slot, points: 3, comment: 'Đủ ý.' });
  assert.equal(g.status, 200, g.text);
  // 1 (single) + 3 of 4 (essay) = 4 of 5
  assert.equal(sql(`SELECT score || ' ' || needs_manual || ' ' || passed FROM attempt WHERE id = ${id}`), '4 false true');
  assert.equal(sql(`SELECT count(*) FROM sync_outbox WHERE event_id = 'exr_${id}'`), '1');
  problem(await call(gv, 'POST', '/api/assessments/grade', { code: 'EXAM-E', attempt: id, slot: e.slot, points: 1 }), 409, 'result_final');
});

test('nothing of the key reaches a learner before the results are published', async () => {
  // the review before publication: nothing about scoring
  const rv = await call(hv1, 'GET', `/api/my/attempt/review?id=${S.at.hv1}`);
  assert.equal(rv.status, 200);
  assert.deepEqual(rv.json.show, { score: false, answers: false, feedback: false });
  assert.equal(rv.json.result, null);
  const mine = await call(hv1, 'GET', '/api/my/assessments');
  assert.equal(mine.json.assessments.find((a) => a.code === 'EXAM-A').result, null);
  const exams = learnerSaw.filter((x) => !/QUIZ-IA/.test(x.text));
  assert.ok(exams.length > 20, 'the learners\' answers were collected');
  for (const x of exams) {
    for (const k of KEY_MARKERS) assert.ok(!x.text.includes(k), `${x.path} shows ${k}: ${x.text.slice(0, 200)}`);
    // a score, passed or failed, points earned: none, whatever their value (the "show"
    // member only says what the rules allow)
    const rest = x.text.replace(/"show":\{[^}]*\}/, '');
    assert.ok(!/"(score|passed|earned|max_score)"\s*:\s*[^n\s]/.test(rest), `${x.path} shows a score: ${rest.slice(0, 300)}`);
  }
  // HR officers see nothing before publication either
  problem(await call(ns, 'GET', '/api/assessments/results?code=EXAM-A'), 403, 'not_published');
  assert.deepEqual((await call(ns, 'GET', '/api/assessments')).json.assessments, []);
});

test('publication: results, ranking, the review, and the exam certificate that verifies', async () => {
  problem(await call(gv2, 'POST', '/api/assessments/publish', { code: 'EXAM-A' }), 403, 'forbidden');
  const pub = await call(gv, 'POST', '/api/assessments/publish', { code: 'EXAM-A' });
  assert.equal(pub.status, 200, pub.text);
  assert.equal(pub.json.published_by, 'gv');
  problem(await call(gv, 'POST', '/api/assessments/publish', { code: 'EXAM-A' }), 409, 'already_published');
  const res = await call(gv, 'GET', '/api/assessments/results?code=EXAM-A');
  const ranked = res.json.results.filter((x) => x.rank).map((x) => [x.employee_code, x.rank, x.fraction]);
  assert.deepEqual(ranked, [['NV-1', 1, 0.6], ['NV-3', 2, 0.2], ['NV-2', 3, 0]]);
  assert.deepEqual((await call(ns, 'GET', '/api/assessments')).json.assessments.map((a) => a.code), ['EXAM-A']);
  // HR: their subtree only; another department's HR sees nobody of it
  const hr = await call(ns, 'GET', '/api/assessments/results?code=EXAM-A');
  assert.equal(hr.status, 200);
  assert.deepEqual(hr.json.results.map((x) => x.employee_code).sort(), ['NV-1', 'NV-2', 'NV-3']);
  const hrUnit = await call(ns, 'GET', '/api/assessments/results?code=EXAM-A&unit=SNV-CCHC');
  assert.deepEqual(hrUnit.json.results.map((x) => x.employee_code), ['NV-1']);
  problem(await call(ns, 'GET', '/api/assessments/results?code=EXAM-A&unit=STC'), 403, 'forbidden');
  const hr2 = await call(ns2, 'GET', '/api/assessments/results?code=EXAM-A');
  assert.deepEqual(hr2.json.results, []);
  // the review now shows the score, the key and the feedback (the exam's rules)
  const rv = await call(hv1, 'GET', `/api/my/attempt/review?id=${S.at.hv1}`);
  assert.equal(rv.json.result.score, 3);
  assert.equal(rv.json.result.passed, true);
  const sa = rv.json.slots.find((s) => s.question.type === 'short');
  assert.equal(sa.key.accepted[0].text, 'ĐÁP-ÁN-BÍ-MẬT-SA1');
  assert.equal(sa.earned, 0);
  // the exam certificate of the one who passed, issued at publication
  const certs = await call(hv1, 'GET', '/api/my/certificates');
  const c = certs.json.certificates.find((x) => x.kind === 'exam');
  assert.ok(c, certs.text);
  assert.equal(c.title, 'Kỳ sát hạch nguồn chuyên gia 2025');
  const v = await fetch(`${BASE}/verify/${c.code}`);
  assert.match(await v.text(), /Giấy chứng nhận hợp lệ/);
  const issued = sql(`SELECT o.payload::text FROM sync_outbox o JOIN certificate c ON o.event_id = 'crt_' || c.id WHERE c.kind = 'exam'`);
  const file = path.join(os.tmpdir(), `crt_${process.pid}.json`);
  fs.writeFileSync(file, issued);
  execFileSync('python3', [`${SRC}/tests/package/json_schema_check.py`, `${SRC}/schemas/personnel/training-record.schema.json`, file]);
  fs.unlinkSync(file);
  assert.equal(JSON.parse(issued).exam_code, 'EXAM-A');
  const none = await call(hv2, 'GET', '/api/my/certificates');
  assert.equal(none.json.certificates.filter((x) => x.kind === 'exam').length, 0, 'who failed gets none');
  // an audit of one attempt: its seed, paper, answers and events
  const audit = await call(gv, 'GET', `/api/assessments/attempt?id=${S.at.hv3}`);
  assert.equal(audit.status, 200);
  assert.ok(audit.json.events.some((e) => e.kind === 'second_device'));
  assert.match(audit.json.seed, /^[0-9a-f]{16}$/);
  problem(await call(ns2, 'GET', `/api/assessments/attempt?id=${S.at.hv3}`), 404, 'not_found');
});

test('a trainer grants another attempt, with a reason', async () => {
  problem(await call(gv, 'POST', '/api/assessments/grant', { code: 'EXAM-A', username: 'hv1' }), 422, 'invalid_field', 'reason');
  const g = await call(gv, 'POST', '/api/assessments/grant', { code: 'EXAM-A', username: 'hv1', reason: 'Mất điện trong giờ thi.' });
  assert.equal(g.status, 200, g.text);
  assert.equal(sql("SELECT reason || '|' || granted_by FROM attempt_grant"), 'Mất điện trong giờ thi.|gv');
  const id = await start(hv1, 'EXAM-A');
  assert.equal(sql(`SELECT attempt_no FROM attempt WHERE id = ${id}`), '2');
});

test('the talent pool: proposed from the ranking by the trainer, approved by HR with who and when', async () => {
  problem(await call(gv, 'POST', '/api/talent-pool/propose', { code: 'EXAM-A', attempt: S.at.hv1, track: 'boss' }), 422, 'invalid_field', 'track');
  problem(await call(ns, 'POST', '/api/talent-pool/propose', { code: 'EXAM-A', attempt: S.at.hv1, track: 'expert' }), 403, 'forbidden');
  const p = await call(gv, 'POST', '/api/talent-pool/propose', { code: 'EXAM-A', attempt: S.at.hv1, track: 'expert', rank: 99, score: 1 });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.rank, 1, 'the rank is the server\'s');
  problem(await call(gv, 'POST', '/api/talent-pool/propose', { code: 'EXAM-A', attempt: S.at.hv1, track: 'leader' }), 409, 'already_proposed');
  const list = await call(ns, 'GET', '/api/talent-pool?code=EXAM-A');
  assert.equal(list.json.entries.length, 1);
  const entry = list.json.entries[0];
  assert.equal(entry.status, 'proposed');
  assert.equal(entry.score, 0.6);
  assert.deepEqual((await call(ns2, 'GET', '/api/talent-pool')).json.entries, []);
  problem(await call(ns2, 'POST', '/api/talent-pool/decide', { id: entry.id, approve: true }), 404, 'not_found');
  problem(await call(gv, 'POST', '/api/talent-pool/decide', { id: entry.id, approve: true }), 403, 'forbidden');
  problem(await call(ns, 'POST', '/api/talent-pool/decide', { id: entry.id, approve: false }), 422, 'invalid_field', 'note');
  const d = await call(ns, 'POST', '/api/talent-pool/decide', { id: entry.id, approve: true, note: 'Đủ điều kiện.' });
  assert.equal(d.status, 200, d.text);
  const after = (await call(gv, 'GET', '/api/talent-pool?code=EXAM-A')).json.entries[0];
  assert.equal(after.status, 'approved');
  assert.equal(after.decided_by, 'ns');
  assert.ok(Math.abs(Date.parse(after.decided_at) - Date.now()) < 60e3);
  problem(await call(ns, 'POST', '/api/talent-pool/decide', { id: entry.id, approve: false, note: 'Đổi ý' }), 409, 'already_decided');
  assert.match(sqlFails(`UPDATE talent_pool SET status = 'rejected' WHERE id = ${entry.id}`) ?? '', /decided once/);
  assert.equal(sql(`SELECT string_agg(a.action, ',' ORDER BY a.id) FROM assessment_log a JOIN assessment s ON s.id = a.assessment_id WHERE s.code = 'EXAM-A'`),
    'create,open,publish,grant,propose,approved');
});
