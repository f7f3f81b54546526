// runtime.test.mjs — the player's server side over HTTP (docs/player-api.md): catalogue,
// enrolment, launch, the launcher's init / commit / heartbeat with a launch token, and every
// kind of bad input the issue names: unknown elements, wrong types, out-of-range values, 1 MB
// of suspend data, replays and out-of-order commits, two tabs, forged and foreign tokens,
// another origin, a heartbeat flood, a closed launch. After each, the stored state is read
// back through a new launch to show that nothing was corrupted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { A, http, loginOk, assertProblem, assertClean, sleep } from './lib.mjs';

const CONTENT = process.env.PL_CONTENT_URL_A;
const PW_RT = process.env.PL_PW_RT;
const C12 = '5s-scorm12';
const C2004 = 'mot-cua-scorm2004';

async function learner(name) {
  const s = await loginOk(A, name, PW_RT);
  return {
    ...s,
    get: (path) => http(A, path, { cookie: s.cookie }),
    post: (path, json) => http(A, path, { method: 'POST', cookie: s.cookie, json, headers: { 'x-csrf-token': s.csrf } }),
  };
}

// The launcher's requests: text/plain JSON, Origin of the content origin, no cookie.
function rt(path, body, { origin = CONTENT, raw } = {}) {
  const headers = { 'content-type': 'text/plain;charset=UTF-8' };
  if (origin) headers.origin = origin;
  return http(A, path, { method: 'POST', headers, body: raw ?? JSON.stringify(body) });
}

async function launch(l, course, extra = {}) {
  const res = await l.post('/api/launch', { course, ...extra });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

async function init(token) {
  const res = await rt('/api/rt/init', { t: token });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

test('catalogue, self-enrolment and my courses', async () => {
  const l = await learner('hv.hai');
  let res = await l.get('/api/catalogue');
  assert.equal(res.status, 200);
  const codes = res.json.courses.map((c) => c.code);
  assert.ok(codes.includes(C12) && codes.includes(C2004), codes.join(','));
  assert.equal(res.json.courses.find((c) => c.code === C12).enrolled, false);
  res = await l.post('/api/enrolments', { course: C12 });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.status, 'enrolled');
  res = await l.post('/api/enrolments', { course: C12 });
  assert.equal(res.status, 200, 'enrolling twice gives the same enrolment');
  res = await l.get('/api/my/courses');
  assert.deepEqual(res.json.enrolments.map((e) => e.course_code), [C12]);
  assertProblem(await l.post('/api/enrolments', { course: 'no-such-course' }), 404, 'not_found');
  assertProblem(await l.post('/api/enrolments', { course: '../x' }), 422, 'invalid_field', { field: 'course' });
  // without a session, nothing
  assertProblem(await http(A, '/api/catalogue'), 401, 'unauthenticated');
});

test('a SCORM 1.2 session: launch, init with the LMS values, commit, finish, completion', async () => {
  const l = await learner('hv.mot');
  const la = await launch(l, C12);
  assert.match(la.launch_token, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(la.launcher_url.startsWith(`${CONTENT}/rt/launcher.html#t=${la.launch_token}`), la.launcher_url);
  const ini = await init(la.launch_token);
  assert.equal(ini.version, '1.2');
  assert.ok(ini.sco_url.startsWith(`${CONTENT}/c/`), ini.sco_url);
  assert.equal(ini.cmi['cmi.core.student_id'], 'hv.mot');
  assert.equal(ini.cmi['cmi.core.student_name'], 'Trần, Văn Một');
  assert.equal(ini.cmi['cmi.core.entry'], 'ab-initio');
  assert.equal(ini.cmi['cmi.core.credit'], 'credit');
  assert.equal(ini.cmi['cmi.student_data.mastery_score'], '80', 'the manifest mastery score');
  // the SCO itself loads from the signed link
  const sco = await http(CONTENT, new URL(ini.sco_url).pathname);
  assert.equal(sco.status, 200);

  const t = la.launch_token;
  let res = await rt('/api/rt/commit', { t, batches: [{ seq: 1, changes: [
    ['cmi.core.lesson_location', 'trang-3'],
    ['cmi.core.lesson_status', 'incomplete'],
    ['cmi.suspend_data', 'v=1;p=3'],
    ['cmi.core.score.raw', 'abc'],           // wrong type: 405
    ['cmi.core.score.raw', '101'],           // out of range: 405 in 1.2
    ['cmi.core.student_id', 'someone-else'], // read-only: 403
    ['cmi.core.bogus', '1'],                 // unknown: 201 in 1.2
    ['cmi.interactions.1.id', 'q2'],         // index out of order: 201
  ] }] });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers.get('access-control-allow-origin'), CONTENT);
  assert.equal(res.json.acked, 1);
  assert.deepEqual(res.json.refused.map((f) => [f.index, f.error]), [[3, 405], [4, 405], [5, 403], [6, 201], [7, 201]]);

  // a replay of the same batch changes nothing and says so
  res = await rt('/api/rt/commit', { t, batches: [{ seq: 1, changes: [['cmi.core.lesson_location', 'replayed']] }] });
  assert.equal(res.status, 200);
  assert.equal(res.json.duplicate, true);
  // a gap is refused with the seq the server wants
  const gap = assertProblem(await rt('/api/rt/commit', { t, batches: [{ seq: 3, changes: [] }] }), 409, 'seq_gap');
  assert.equal(gap.expected, 2);
  // a resend of 1 and 2 together (the first acknowledged, its answer lost) applies only 2
  res = await rt('/api/rt/commit', { t, batches: [
    { seq: 1, changes: [['cmi.core.lesson_location', 'replayed']] },
    { seq: 2, changes: [['cmi.core.score.raw', '90'], ['cmi.core.lesson_status', 'completed'],
      ['cmi.core.session_time', '00:02:00'], ['cmi.core.exit', '']] },
  ], finish: true });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.acked, 2);
  assert.equal(res.json.finished, true);
  // finishing again (a retry of the last request) is harmless
  res = await rt('/api/rt/commit', { t, batches: [{ seq: 2, changes: [] }], finish: true });
  assert.equal(res.status, 200);
  assert.equal(res.json.duplicate, true);
  // the launch is closed now: no more commits or heartbeats
  assertProblem(await rt('/api/rt/commit', { t, batches: [{ seq: 3, changes: [] }] }), 410, 'launch_closed');
  assertProblem(await rt('/api/rt/beat', { t, visible: true, idle_ms: 0, hidden_ms: 0 }), 410, 'launch_closed');

  // mastery score 80, raw 90, status "completed" → passed; the course is complete
  res = await l.get(`/api/my/course?course=${C12}`);
  assert.equal(res.status, 200);
  assert.equal(res.json.enrolment.status, 'completed');
  assert.equal(res.json.enrolment.passed, true);
  assert.equal(res.json.enrolment.score, 0.9);
  assert.equal(res.json.items[0].status, 'passed');
  // the time report shows the session and the content's own time beside ours
  res = await l.get(`/api/my/time?course=${C12}`);
  assert.equal(res.status, 200);
  assert.equal(res.json.sessions.length, 1);
  assert.equal(res.json.sessions[0].reported_s, 120);
  assert.equal(res.json.sessions[0].closed_reason, 'finish');

  // the next launch is a new attempt (exit "" ended the first) with the total time kept
  const again = await init((await launch(l, C12)).launch_token);
  assert.equal(again.cmi['cmi.core.entry'], 'ab-initio');
  assert.equal(again.cmi['cmi.core.lesson_location'], undefined, 'a new attempt starts empty');
});

test('SCORM 2004: suspend and resume on another device, navigation between SCOs', async () => {
  const l = await learner('hv.mot');
  const la = await launch(l, C2004);
  assert.equal(la.item.identifier, 'ITEM-GIOI-THIEU');
  assert.deepEqual(la.nav, { previous: false, continue: true });
  const ini = await init(la.launch_token);
  assert.equal(ini.version, '2004');
  assert.equal(ini.cmi['cmi.learner_name'], 'Trần Văn Một');
  // what adl.nav.request_valid.* will answer: the sequencer's view from this SCO
  assert.equal(ini.nav.continue, true);
  assert.equal(ini.nav.previous, false);
  assert.deepEqual(ini.nav.choice, ['ITEM-GIOI-THIEU', 'ITEM-QUY-TRINH', 'ITEM-KIEM-TRA']);
  assert.equal(ini.cmi['cmi.entry'], 'ab-initio');
  let res = await rt('/api/rt/commit', { t: la.launch_token, batches: [{ seq: 1, changes: [
    ['cmi.location', 'p2'], ['cmi.suspend_data', 'x'.repeat(64000)],
    ['cmi.completion_status', 'incomplete'], ['cmi.exit', 'suspend'], ['cmi.session_time', 'PT5M'],
    ['cmi.score.scaled', '1.5'],                // out of range: 407
    ['cmi.interactions.0.type', 'choice'],      // before its id: 408
  ] }], finish: true });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.refused.map((f) => f.error), [407, 408]);

  // "another device": a new login, resume lands on the suspended SCO with its data
  const other = await learner('hv.mot');
  res = await other.get(`/api/my/course?course=${C2004}`);
  assert.equal(res.json.resume_ord, 0);
  const back = await launch(other, C2004, { nav: 'resume' });
  assert.equal(back.item.identifier, 'ITEM-GIOI-THIEU');
  const ini2 = await init(back.launch_token);
  assert.equal(ini2.cmi['cmi.entry'], 'resume');
  assert.equal(ini2.cmi['cmi.location'], 'p2');
  assert.equal(ini2.cmi['cmi.suspend_data'].length, 64000);
  assert.match(ini2.cmi['cmi.total_time'], /^PT(0H)?5M(0S)?$/);
  assert.equal(ini2.cmi['cmi.exit'], undefined, 'exit is not carried into the new session');

  // continue / previous / choice
  const next = await launch(other, C2004, { nav: 'continue', from: back.item.ord });
  assert.equal(next.item.identifier, 'ITEM-QUY-TRINH');
  assert.deepEqual(next.nav, { previous: true, continue: true });
  const last = await launch(other, C2004, { nav: 'choice', item: 'ITEM-KIEM-TRA' });
  assert.equal(last.item.identifier, 'ITEM-KIEM-TRA');
  // continue from the last SCO ends the course session (SCORM: not a refusal)
  const end = await other.post('/api/launch', { course: C2004, nav: 'continue' });
  assert.equal(end.status, 200, end.text);
  assert.equal(end.json.item, null);
  assert.equal(end.json.ended, true);
  // previous from the first SCO is refused
  const first = await launch(other, C2004, { nav: 'choice', item: 'ITEM-GIOI-THIEU' });
  assert.equal(first.nav.previous, false);
  const start = assertProblem(await other.post('/api/launch', { course: C2004, nav: 'previous' }), 409, 'nav_refused');
  assert.equal(start.reason, 'start_of_course');
  assertProblem(await other.post('/api/launch', { course: C2004, nav: 'choice', item: 'NOPE' }), 404, 'not_found');
  assertProblem(await other.post('/api/launch', { course: C2004, nav: 'jump' }), 422, 'invalid_field', { field: 'nav' });
});

test('suspend data over 64,000 characters and a 1 MB body are refused, state intact', async () => {
  const l = await learner('hv.hai');
  const la = await launch(l, C2004, { nav: 'choice', item: 'ITEM-QUY-TRINH' });
  const t = la.launch_token;
  await init(t);
  let res = await rt('/api/rt/commit', { t, batches: [{ seq: 1, changes: [['cmi.suspend_data', 'keep'], ['cmi.location', 'a']] }] });
  assert.equal(res.status, 200);
  res = await rt('/api/rt/commit', { t, batches: [{ seq: 2, changes: [['cmi.suspend_data', 'y'.repeat(64001)]] }] });
  assert.equal(res.status, 200);
  assert.deepEqual(res.json.refused.map((f) => f.error), [406], 'over the SPM: refused as the wrong type (docs/scorm-runtime.md)');
  // a body over the 1 MiB limit
  const big = JSON.stringify({ t, batches: [{ seq: 3, changes: [['cmi.suspend_data', 'z'.repeat(1024 * 1024)]] }] });
  assertProblem(await rt('/api/rt/commit', null, { raw: big }), 413, 'body_too_large');
  // malformed bodies
  assertProblem(await rt('/api/rt/commit', null, { raw: '{"t": ' }), 400, 'invalid_json');
  assertProblem(await rt('/api/rt/commit', { t, batches: [{ seq: 'x', changes: [] }] }), 422, 'invalid_field', { field: 'batches' });
  assertProblem(await rt('/api/rt/commit', { t, batches: [{ seq: 3, changes: [['cmi.location']] }] }), 422, 'invalid_field', { field: 'batches' });
  assertProblem(await rt('/api/rt/commit', { t, batches: [{ seq: 3, changes: [['cmi.location', 5]] }] }), 422, 'invalid_field', { field: 'batches' });
  // what was stored survived all of it
  await rt('/api/rt/commit', { t, batches: [{ seq: 3, changes: [['cmi.exit', 'suspend']] }], finish: true });
  const again = await init((await launch(l, C2004, { nav: 'choice', item: 'ITEM-QUY-TRINH' })).launch_token);
  assert.equal(again.cmi['cmi.suspend_data'], 'keep');
  assert.equal(again.cmi['cmi.location'], 'a');
});

test('forged, foreign and cross-origin launch tokens', async () => {
  const mot = await learner('hv.mot');
  const hai = await learner('hv.hai');
  const mine = await launch(hai, C2004, { nav: 'choice', item: 'ITEM-KIEM-TRA' });
  await init(mine.launch_token);
  // a made-up token, a malformed one, none
  assertProblem(await rt('/api/rt/init', { t: 'A'.repeat(43) }), 401, 'launch_unknown');
  assertProblem(await rt('/api/rt/commit', { t: 'short', batches: [] }), 401, 'launch_unknown');
  assertProblem(await rt('/api/rt/beat', { visible: true }), 401, 'launch_unknown');
  // the session cookie is no launch token: the launcher endpoints ignore it
  const withCookie = await http(A, '/api/rt/init', { method: 'POST', cookie: mot.cookie, headers: { 'content-type': 'text/plain', origin: CONTENT }, body: '{}' });
  assertProblem(withCookie, 401, 'launch_unknown');
  // another origin (a page elsewhere holding a stolen token) is refused before anything
  assertProblem(await rt('/api/rt/commit', { t: mine.launch_token, batches: [{ seq: 1, changes: [['cmi.location', 'evil']] }] }, { origin: 'https://evil.example' }), 403, 'cross_origin_refused');
  assertProblem(await rt('/api/rt/init', { t: mine.launch_token }, { origin: A }), 403, 'cross_origin_refused');
  // content-origin requests carrying the session are refused on session routes
  const fromContent = await http(A, '/api/me', { cookie: mot.cookie, headers: { 'sec-fetch-site': 'same-site', origin: CONTENT } });
  assertProblem(fromContent, 403, 'cross_origin_refused');
  // the launch's owner sees their time, the other learner cannot ask for it
  const res = await mot.get(`/api/my/time?course=${C2004}&user=hv.hai`);
  assertProblem(res, 403, 'forbidden');
  // nothing of the attempt leaked into the answers
  assertClean((await rt('/api/rt/init', { t: mine.launch_token })).text);
});

test('two tabs commit to one attempt: both land, in order, nothing lost', async () => {
  const l = await learner('hv.hai');
  const a = await launch(l, C12);
  await init(a.launch_token);
  const b = await launch(l, C12);
  const ib = await init(b.launch_token);
  assert.equal(ib.cmi['cmi.core.entry'], 'ab-initio', 'the second tab opens the same attempt');
  // 20 commits from each tab at once, each writing its own interaction
  const jobs = [];
  for (const [tab, tok] of [['a', a.launch_token], ['b', b.launch_token]]) {
    jobs.push((async () => {
      for (let s = 1; s <= 20; s++) {
        const res = await rt('/api/rt/commit', { t: tok, batches: [{ seq: s, changes: [[`cmi.suspend_data`, `${tab}${s}`], ['cmi.core.lesson_location', `${tab}-${s}`]] }] });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.json.refused.length, 0);
      }
    })());
  }
  await Promise.all(jobs);
  await rt('/api/rt/commit', { t: a.launch_token, batches: [{ seq: 21, changes: [['cmi.core.exit', 'suspend']] }], finish: true });
  const after = await init((await launch(l, C12)).launch_token);
  assert.match(after.cmi['cmi.suspend_data'], /^[ab]20$/, 'the last write of one tab won whole');
  assert.equal(after.cmi['cmi.core.lesson_location'].slice(0, 1), after.cmi['cmi.suspend_data'].slice(0, 1),
    'both values come from the same commit: no half-applied batch');
});

test('heartbeats: server-clock credit, a flood is refused, time shows in the report', async () => {
  const l = await learner('hv.hai');
  const la = await launch(l, C2004, { nav: 'choice', item: 'ITEM-GIOI-THIEU' });
  const t = la.launch_token;
  await init(t);
  await sleep(2100);
  let res = await rt('/api/rt/beat', { t, visible: true, idle_ms: 100, hidden_ms: 0 });
  assert.equal(res.status, 200, res.text);
  const first = res.json.active_s;
  assert.ok(first >= 2 && first <= 3, `credited ${first} s for 2 s of wall clock`);
  // a flood: 30 beats at once; at most one more is counted
  const flood = await Promise.all(Array.from({ length: 30 }, () => rt('/api/rt/beat', { t, visible: true, idle_ms: 0, hidden_ms: 0 })));
  const statuses = flood.map((r) => r.status);
  assert.ok(statuses.every((s) => s === 429 || s === 200), statuses.join(','));
  assert.ok(statuses.filter((s) => s === 429).length >= 29, statuses.join(','));
  assertProblem(flood.find((r) => r.status === 429), 429, 'too_many_heartbeats');
  // a client that claims a day of hidden time or input a day ago cannot get more than the wall clock
  await sleep(2100);
  res = await rt('/api/rt/beat', { t, visible: true, idle_ms: 86400000, hidden_ms: 86400000 });
  assert.equal(res.status, 200);
  assert.ok(res.json.active_s <= 5, `active ${res.json.active_s} s after about 4 s`);
  // bad heartbeat bodies
  assertProblem(await rt('/api/rt/beat', { t, visible: 'yes' }), 422, 'invalid_field');
  assertProblem(await rt('/api/rt/beat', { t, visible: true, idle_ms: -5 }), 422, 'invalid_field');
  const rep = await l.get(`/api/my/time?course=${C2004}`);
  const s = rep.json.sessions.find((x) => x.heartbeats >= 2);
  assert.ok(s, JSON.stringify(rep.json));
  assert.ok(s.active_s <= s.wall_s + 1, `active ${s.active_s} s within wall ${s.wall_s} s`);
});

test('an HR officer reads a learner\'s sessions only inside their units', async () => {
  // hocvien belongs to TC-0002 (Sở Tài chính); nhansu sees SNV only, quantri everything
  const admin = await loginOk(A, 'quantri', process.env.PL_PW_ADMIN);
  let res = await http(A, `/api/my/time?course=${C12}&user=hv.mot`, { cookie: admin.cookie });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.user, 'hv.mot');
  const hr = await loginOk(A, 'nhansu', process.env.PL_PW_HR);
  res = await http(A, `/api/my/time?course=${C12}&user=hocvien`, { cookie: hr.cookie });
  assertProblem(res, 403, 'forbidden');
});

test('the CLI assigns a course with a deadline and explains a learner\'s time', async () => {
  const { execFileSync } = await import('node:child_process');
  const cli = (...args) => execFileSync(process.env.PARLEARN_BIN, [...args, '--data', `${process.env.PL_DATA_A}/var`], { encoding: 'utf8' });
  let out = cli('enrol', '--username', 'hv.hai', '--course', C2004, '--due', '2026-12-31');
  assert.match(out, /hv\.hai assigned on mot-cua-scorm2004 version 1, due 2026-12-31/);
  const l = await learner('hv.hai');
  const e = (await l.get('/api/my/courses')).json.enrolments.find((x) => x.course_code === C2004);
  assert.equal(e.source, 'assigned');
  assert.equal(e.due_at, '2026-12-31');
  assert.throws(() => cli('enrol', '--username', 'hv.hai', '--course', C2004, '--due', '2026-02-30'), /due/);
  assert.throws(() => cli('enrol', '--username', 'nobody', '--course', C2004));
  out = cli('time', '--username', 'hv.hai', '--course', C2004);
  assert.match(out, /session \d+ +ITEM-GIOI-THIEU/);
  assert.match(out, /beat +1 .* visible .*\+ *\d+\.\ds +active/);
  assert.match(out, /total: active \d+s \(server\)/);
  // the same figure as the endpoint
  const rep = (await l.get(`/api/my/time?course=${C2004}`)).json;
  assert.match(out, new RegExp(`total: active ${rep.active_s}s`));
});

test('a native PAR lesson plays in the built-in lesson player through the 2004 API', async () => {
  const l = await learner('hv.mot');
  const la = await launch(l, 'cchc-2021-2030');
  const ini = await init(la.launch_token);
  assert.equal(ini.version, '2004');
  assert.match(ini.sco_url, /\/player\/index\.html$/);
  const base = new URL(ini.sco_url);
  const page = await http(CONTENT, base.pathname);
  assert.equal(page.status, 200);
  assert.match(page.text, /player\.js/);
  assert.match(page.headers.get('content-security-policy'), /frame-ancestors 'self' http:\/\/127\.0\.0\.1:/);
  const js = await http(CONTENT, base.pathname.replace('index.html', 'player.js'));
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /javascript/);
  // the lesson itself sits beside it, where the player looks for it
  const xml = await http(CONTENT, base.pathname.replace('player/index.html', 'lesson.xml'));
  assert.equal(xml.status, 200);
  assert.match(xml.text, /urn:parlearn:par-lesson:1\.0/);
  // only the player's three files are built in
  assert.equal((await http(CONTENT, base.pathname.replace('index.html', 'other.js'))).status, 404);
});

test('our pages and the launcher\'s scripts go out gzip-compressed to browsers that accept it', async () => {
  const { gunzipSync } = await import('node:zlib');
  for (const [base, path] of [[A, '/assets/app.js'], [A, '/assets/app.css'], [CONTENT, '/rt/launcher.js']]) {
    const plain = await http(base, path);
    assert.equal(plain.status, 200, `${path}: ${plain.status}`);
    assert.equal(plain.headers.get('content-encoding'), null);
    const zipped = await new Promise((resolve, reject) => {
      const u = new URL(base + path);
      import('node:http').then(({ default: h }) => {
        h.get({ host: u.hostname, port: u.port, path: u.pathname, agent: false, headers: { 'accept-encoding': 'gzip, br' } }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    });
    assert.equal(zipped.headers['content-encoding'], 'gzip', path);
    assert.match(zipped.headers.vary ?? '', /Accept-Encoding/);
    assert.ok(zipped.body.length < plain.text.length / 2, `${path}: ${zipped.body.length} of ${plain.text.length}`);
    assert.equal(gunzipSync(zipped.body).toString('utf8'), plain.text, `${path}: the same file`);
  }
  // the launcher's package files are not served
  assert.equal((await http(CONTENT, '/rt/package.json')).status, 404);
  assert.equal((await http(CONTENT, '/rt/package-lock.json')).status, 404);
  assert.equal((await http(CONTENT, '/rt/../www/index.html')).status, 404);
});

test('run-time values with quotes, braces, backslashes, commas, NULL and Vietnamese come back exactly', async () => {
  const l = await learner('hv.hai');
  const la = await launch(l, C2004, { nav: 'choice', item: 'ITEM-KIEM-TRA' });
  const t = la.launch_token;
  await init(t);
  const nasty = [
    ['cmi.suspend_data', '{"a":[1,2],"b":"c\\\\d"}, NULL \t tab "q" \\ end'],
    ['cmi.location', 'NULL'],
    ['cmi.learner_preference.language', ''],
    ['cmi.comments_from_learner.0.comment', 'Cải cách hành chính — “tốt” {,}'],
  ];
  const res = await rt('/api/rt/commit', { t, batches: [{ seq: 1, changes: [...nasty, ['cmi.exit', 'suspend']] }], finish: true });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.refused, []);
  const back = await init((await launch(l, C2004, { nav: 'choice', item: 'ITEM-KIEM-TRA' })).launch_token);
  for (const [el, v] of nasty) assert.equal(back.cmi[el], v, el);
});

test('a native lesson with a minimum time is not complete when its content is done too fast', async () => {
  const l = await learner('hv.hai');
  const la = await launch(l, 'cchc-2021-2030');
  const t = la.launch_token;
  await init(t);
  const res = await rt('/api/rt/commit', { t, finish: true, batches: [{ seq: 1, changes: [
    ['cmi.completion_status', 'completed'], ['cmi.success_status', 'passed'],
    ['cmi.score.scaled', '0.9'], ['cmi.session_time', 'PT50M'], ['cmi.exit', 'normal']] }] });
  assert.equal(res.status, 200, res.text);
  const page = (await l.get('/api/my/course?course=cchc-2021-2030')).json;
  assert.equal(page.enrolment.minimum_time_s, 45 * 60, 'the lesson asks 45 minutes');
  assert.notEqual(page.enrolment.status, 'completed', 'done in seconds of server-counted time');
  assert.equal(page.enrolment.completed_at, null);
  assert.equal(page.items[0].status, 'passed', 'the part itself is passed');
  // the content claimed 50 minutes; the server saw seconds: flagged
  const time = (await l.get('/api/my/time?course=cchc-2021-2030')).json;
  assert.equal(time.sessions.at(-1).reported_s, 3000);
  assert.equal(time.sessions.at(-1).flagged, true);
});

test('two tabs beating at once never count more than the wall clock', async () => {
  const l = await learner('hv.mot');
  const a = await launch(l, C12);
  await init(a.launch_token);
  const b = await launch(l, C2004, { nav: 'choice', item: 'ITEM-QUY-TRINH' });
  await init(b.launch_token);
  const t0 = Date.now();
  let last = { a: 0, b: 0 };
  for (let i = 0; i < 3; i++) {
    await sleep(2100);
    const [ra, rb] = await Promise.all([
      rt('/api/rt/beat', { t: a.launch_token, visible: true, idle_ms: 0, hidden_ms: 0 }),
      rt('/api/rt/beat', { t: b.launch_token, visible: true, idle_ms: 0, hidden_ms: 0 }),
    ]);
    assert.equal(ra.status, 200, ra.text);
    assert.equal(rb.status, 200, rb.text);
    last = { a: ra.json.active_s, b: rb.json.active_s };
  }
  const wall = (Date.now() - t0) / 1000;
  assert.ok(last.a + last.b <= wall + 1, `${last.a} + ${last.b} s active in ${wall} s of wall clock`);
  assert.ok(last.a + last.b >= wall - 3, `the time was counted once: ${last.a} + ${last.b} of ${wall}`);
});

test('a real SCORM 2004 package with sequencing: forced order, and only the post test rolls up', async (t) => {
  if (process.env.PL_HAVE_ROLLUP !== '1') { t.skip('no SCORM samples (set PARLEARN_SCORM_SAMPLES)'); return; }
  const l = await learner('hv.hai');
  const course = async () => (await l.get('/api/my/course?course=posttest')).json;
  const item = (page, id) => page.items.find((i) => i.identifier === id);
  const content = ['playing_item', 'etuqiette_item', 'handicapping_item', 'havingfun_item'];
  let la = await launch(l, 'posttest');
  for (let k = 0; k < content.length; k++) {
    assert.equal(la.item.identifier, content[k], `flow delivers ${content[k]}`);
    const ini = await init(la.launch_token);
    assert.ok(!ini.nav.choice.includes(content[k + 1] ?? 'none'), `the SCO is told ${content[k + 1]} is not a valid choice yet`);
    // each content SCO is disabled until the one before it is satisfied (global objectives)
    let page = await course();
    if (k + 1 < content.length) {
      assert.equal(item(page, content[k + 1]).choosable, false, `${content[k + 1]} waits`);
      assert.equal(item(page, content[k + 1]).refused, 'disabled');
      assertProblem(await l.post('/api/launch', { course: 'posttest', nav: 'choice', item: content[k + 1] }), 409, 'nav_refused');
      la = await launch(l, 'posttest', { nav: 'choice', item: content[k] }); // the refusal ended the SCO: reopen
      await init(la.launch_token);
    }
    const res = await rt('/api/rt/commit', { t: la.launch_token, finish: true, batches: [{ seq: 1, changes: [
      ['cmi.completion_status', 'completed'], ['cmi.success_status', 'passed'], ['cmi.exit', 'normal']] }] });
    assert.equal(res.status, 200, res.text);
    page = await course();
    assert.equal(item(page, content[k]).status, 'passed');
    assert.notEqual(page.enrolment.status, 'completed', 'content SCOs do not count towards rollup');
    if (k + 1 < content.length) assert.equal(item(page, content[k + 1]).choosable, true, `${content[k + 1]} opens`);
    la = await launch(l, 'posttest', { nav: 'continue' });
  }
  // the post test: failed first, then passed; only it decides the course
  assert.equal(la.item.identifier, 'assessment_item');
  await init(la.launch_token);
  let res = await rt('/api/rt/commit', { t: la.launch_token, finish: true, batches: [{ seq: 1, changes: [
    ['cmi.score.scaled', '0.4'], ['cmi.success_status', 'failed'], ['cmi.completion_status', 'completed'], ['cmi.exit', 'normal']] }] });
  assert.equal(res.status, 200, res.text);
  let page = await course();
  assert.equal(page.course_status, 'failed');
  la = await launch(l, 'posttest', { nav: 'choice', item: 'assessment_item' });
  assert.equal(la.new_attempt, true, 'a new attempt of the post test');
  await init(la.launch_token);
  res = await rt('/api/rt/commit', { t: la.launch_token, finish: true, batches: [{ seq: 1, changes: [
    ['cmi.score.scaled', '0.9'], ['cmi.success_status', 'passed'], ['cmi.completion_status', 'completed'], ['cmi.exit', 'normal']] }] });
  assert.equal(res.status, 200, res.text);
  page = await course();
  assert.equal(page.course_status, 'passed');
  assert.equal(page.enrolment.status, 'completed');
  assert.equal(page.enrolment.passed, true);
  assert.equal(item(page, 'assessment_item').attempts, 2);
});

test('a completion writes its personnel-system event in the same statement, without the PIN', async () => {
  const { execFileSync } = await import('node:child_process');
  const sql = (q) => execFileSync('psql', ['-X', '-At', '-h', `${process.env.PL_DATA_A}/var/pg/run`,
    '-U', 'postgres', '-d', 'parlearn', '-c', q], { encoding: 'utf8' }).trim();
  // hocvien is linked to the roster person TC-0002
  const s = await loginOk(A, 'hocvien', process.env.PL_PW_LEARNER);
  const post = (p, json) => http(A, p, { method: 'POST', cookie: s.cookie, json, headers: { 'x-csrf-token': s.csrf } });
  const la = (await post('/api/launch', { course: C12 })).json;
  await init(la.launch_token);
  const res = await rt('/api/rt/commit', { t: la.launch_token, finish: true, batches: [{ seq: 1, changes: [
    ['cmi.core.lesson_status', 'passed'], ['cmi.core.score.raw', '95'], ['cmi.core.exit', '']] }] });
  assert.equal(res.status, 200, res.text);
  const rows = sql(`SELECT o.event_id, o.state, o.employee_code, o.payload::text FROM sync_outbox o
    JOIN completion c ON o.event_id = 'cmp_' || c.id JOIN app_user u ON u.id = c.user_id
    WHERE u.username = 'hocvien'`).split('\n');
  assert.equal(rows.length, 1, 'exactly one event for the one completion');
  const [id, state, emp, payload] = rows[0].split('|');
  assert.match(id, /^cmp_\d+$/);
  assert.equal(state, 'pending');
  assert.equal(emp, 'TC-0002');
  const p = JSON.parse(payload);
  assert.equal(p.kind, 'course_completion');
  assert.equal(p.course_code, C12);
  assert.equal(p.passed, true);
  assert.equal(p.score, 0.95);
  assertClean(payload, 'the event');
  // it is a valid training record of the contract (schemas/personnel, docs/personnel-sync.md)
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const dir = mkdtempSync('/tmp/parlearn-event-');
  writeFileSync(`${dir}/event.json`, payload);
  const root = new URL('../..', import.meta.url).pathname;
  execFileSync('python3', [`${root}tests/package/json_schema_check.py`,
    `${root}schemas/personnel/training-record.schema.json`, `${dir}/event.json`], { encoding: 'utf8' });
  (await import('node:fs')).rmSync(dir, { recursive: true });
  // an account without a roster person cannot be routed: its event says so, and only those
  assert.equal(sql(`SELECT count(*) FROM sync_outbox WHERE (person_id IS NULL) <> (state = 'unroutable')`), '0');
  // one event per completion, never more (certificates have their own: docs/certificates.md)
  assert.equal(sql('SELECT count(*) FROM completion'),
    sql("SELECT count(*) FROM sync_outbox WHERE kind = 'course_completion'"));
});
