// learner.test.mjs — the learner's pages and the SCORM run-time in a real browser against a
// real server (docs/player-api.md): catalogue and enrolment; the project's SCORM 1.2 and 2004
// sample courses and a real SCORM 2004 package played through the launcher on the content
// origin; leaving mid-lesson and resuming on "another device" (a new browser context);
// completion, score and time on the course page; the SCO cannot use the session; a bad launch
// token is explained. Accessibility (axe) in both languages and at 360 px.
//
// This file runs its own server (learner-server.sh): its courses and enrolments must not show
// in the other tests. The tests run in order and share that server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

// lib.mjs reads the shared server's settings when imported; this file needs none of them.
for (const k of ['PL_URL', 'PL_PW_LEARNER', 'PL_PW_TRAINER', 'PL_PW_HR_OFFICER', 'PL_PW_ADMIN']) {
  process.env[k] ||= 'unused';
}
const { launch, assertAccessible, shot } = await import('./lib.mjs');

const HERE = path.dirname(fileURLToPath(import.meta.url));
let F; // what learner-server.sh printed: url, content_url, users, courses
let server;
let browser;

before(async () => {
  if (process.env.PL_LEARNER_FIXTURE) { // a server started by hand (learner-server.sh > file)
    F = JSON.parse((await import('node:fs')).readFileSync(process.env.PL_LEARNER_FIXTURE, 'utf8'));
    browser = await launch();
    return;
  }
  server = spawn('bash', [path.join(HERE, 'learner-server.sh')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: server.stdout });
  F = await new Promise((ok, fail) => {
    server.on('exit', (code) => fail(new Error(`learner-server.sh exited early (${code})`)));
    lines.once('line', (l) => ok(JSON.parse(l)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const done = new Promise((ok) => server.once('exit', ok));
    server.stdin.end();
    const code = await done;
    assert.equal(code, 0, 'the server stopped cleanly (no sanitizer report, no postgres left)');
  }
});

// ---- helpers ----

async function newPage(opts = {}) {
  const context = await browser.newContext({ viewport: opts.viewport || { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of/.test(m.text())) {
      page.problems.push(`console: ${m.text()}`);
    }
  });
  page.on('dialog', (d) => d.accept()); // the Golf sample asks "resume?" with confirm()
  page.commits = []; // bodies of POST /api/rt/commit, from every frame
  page.answers = []; // {status, body} of the answered ones
  page.beats = []; // bodies of POST /api/rt/beat
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url() === `${F.url}/api/rt/beat`) {
      try { page.beats.push(JSON.parse(r.postData())); } catch { /* not JSON */ }
    }
  });
  page.on('response', (r) => {
    if (r.request().method() === 'POST' && r.url() === `${F.url}/api/rt/commit`) {
      let body = null;
      try { body = JSON.parse(r.request().postData()); } catch { /* not JSON */ }
      page.answers.push({ status: r.status(), body });
    }
  });
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url() === `${F.url}/api/rt/commit`) {
      try { page.commits.push(JSON.parse(r.postData())); } catch { /* not JSON */ }
    }
  });
  return page;
}

async function login(page, who, hash = '') {
  const u = F.users[who];
  await page.goto(`${F.url}/${hash}`);
  await page.locator('#login-view').waitFor({ state: 'visible' });
  await page.fill('#username', u.username);
  await page.fill('#password', u.password);
  await page.click('#login-submit');
  await page.waitForFunction(() => document.getElementById('login-view').hidden);
}

async function setLang(page, lang) {
  if ((await page.getAttribute('html', 'lang')) !== lang) await page.click('#lang-toggle');
  assert.equal(await page.getAttribute('html', 'lang'), lang);
}

async function bothLanguages(page, label) {
  await assertAccessible(page, `${label} (vi)`);
  await setLang(page, 'en');
  await assertAccessible(page, `${label} (en)`);
  await setLang(page, 'vi');
}

function noProblems(page) {
  assert.deepEqual(page.problems, [], `page problems:\n${page.problems.join('\n')}`);
}

const launcher = (page) => page.frameLocator('iframe.player-frame');
const sco = (page) => launcher(page).frameLocator('#sco');

// Waits until a commit answered 200 whose batches hold [element, value].
async function committed(page, element, value) {
  const has = (a) => a.status === 200 && (a.body.batches || [])
    .some((b) => b.changes.some(([e, v]) => e === element && (value === undefined || v === value)));
  for (let i = 0; i < 150; i++) {
    if (page.answers.some(has)) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.fail(`no acknowledged commit of ${element}=${value}; commits: ${JSON.stringify(page.answers)}`);
}

async function courseLoaded(page) {
  await page.locator('#course-view').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.getElementById('course-status').textContent === ''
    && document.querySelector('#course-body .toc, #course-error:not(:empty)'));
}

async function answerQuiz(frame) {
  const sets = frame.locator('fieldset[data-answer]');
  const n = await sets.count();
  for (let i = 0; i < n; i++) {
    const fs = sets.nth(i);
    const key = await fs.getAttribute('data-answer');
    await fs.locator(`input[value="${key}"]`).check();
  }
  await frame.locator('#nut-nop').click();
}

// ---- tests ----

test('learner: catalogue, self-enrolment, course page (both languages, axe, 360 px)', async () => {
  const page = await newPage();
  await login(page, 'a');
  await page.locator('#section-learner').waitFor({ state: 'visible' });
  if (F.assigned) {
    // an assigned course with its deadline, in Vietnamese date form
    await page.locator('#my-courses .card-item').first().waitFor();
    const card = await page.locator('#my-courses').textContent();
    assert.match(card, /Được giao/);
    assert.match(card, /31\/12\/2026/);
  }
  await page.getByRole('link', { name: 'Danh mục khóa học', exact: true }).click();
  await page.locator('#catalogue-view').waitFor({ state: 'visible' });
  await page.waitForFunction(() => /khóa học$/.test(document.getElementById('catalogue-status').textContent));
  const titles = await page.locator('#catalogue-list h2').allTextContents();
  assert.ok(titles.includes('Phương pháp 5S tại nơi làm việc'), titles.join(' | '));
  assert.ok(titles.includes('Cơ chế một cửa, một cửa liên thông'), titles.join(' | '));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'catalogue-heading');
  await bothLanguages(page, 'catalogue');
  await shot(page, 'learner-catalogue-vi');

  await page.getByRole('button', { name: 'Đăng ký học: Phương pháp 5S tại nơi làm việc' }).click();
  await page.waitForURL(/#\/course\/5S$/);
  await courseLoaded(page);
  assert.equal(await page.textContent('#course-heading'), 'Phương pháp 5S tại nơi làm việc');
  const facts = await page.locator('#course-body > dl').textContent();
  assert.match(facts, /Chưa bắt đầu/);
  assert.match(facts, /Tự đăng ký/);
  assert.equal(await page.locator('#course-body .toc .badge').first().textContent(), 'Chưa học');
  assert.equal(await page.textContent('#course-go'), 'Bắt đầu học');
  await bothLanguages(page, 'course page');

  // the catalogue now says "enrolled"
  await page.goto(`${F.url}/#/catalogue`);
  await page.waitForFunction(() => /khóa học$/.test(document.getElementById('catalogue-status').textContent));
  const card = page.locator('#catalogue-list li', { has: page.locator('h2', { hasText: 'Phương pháp 5S' }) });
  assert.match(await card.textContent(), /Đã đăng ký/);
  noProblems(page);
  await page.context().close();

  const phone = await newPage({ viewport: { width: 360, height: 740 } });
  await login(phone, 'a', '#/catalogue');
  await phone.waitForFunction(() => /khóa học$/.test(document.getElementById('catalogue-status').textContent));
  for (const lang of ['vi', 'en']) {
    await setLang(phone, lang);
    const m = await phone.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
    assert.ok(m.sw <= m.cw, `${lang}: catalogue is ${m.sw}px wide in ${m.cw}px`);
  }
  await setLang(phone, 'vi');
  await assertAccessible(phone, 'catalogue at 360 px');
  await shot(phone, 'learner-catalogue-360-vi');
  await phone.context().close();
});

test('SCORM 1.2 (5S): learn, close the tab mid-lesson, resume on another device, complete', async () => {
  const page = await newPage();
  const scripts = [];
  page.on('request', (r) => { if (/\/rt\/vendor\//.test(r.url())) scripts.push(r.url().replace(/.*\/rt\/vendor\//, '')); });
  await login(page, 'a', '#/course/5S');
  await courseLoaded(page);
  await page.click('#course-go');
  await page.locator('#player-view').waitFor({ state: 'visible' });
  const s = sco(page);
  await s.locator('#tien-do', { hasText: 'Trang 1 / 6' }).waitFor();
  assert.equal(await page.textContent('#player-course'), 'Phương pháp 5S tại nơi làm việc');
  assert.match(await page.getAttribute('iframe.player-frame', 'title'), /^Bài học: /);
  assert.equal(await launcher(page).locator('#sco').getAttribute('title'), 'Nội dung bài học');
  // the token left the launcher's address as soon as it was read
  const lf = page.frames().find((f) => f.url().includes('/rt/launcher.html'));
  assert.ok(lf, 'the launcher frame');
  assert.equal(new URL(lf.url()).hash, '');
  assert.ok(lf.url().startsWith(F.content_url + '/rt/'), lf.url());
  // a SCORM 1.2 course loads the 1.2-only run-time (34 KB gzipped instead of 114 KB)
  assert.deepEqual(scripts, ['scorm12.min.js']);
  // the first heartbeat goes as the SCO opens
  for (let i = 0; i < 50 && !page.beats.length; i++) await new Promise((ok) => setTimeout(ok, 100));
  const beat = page.beats[0];
  assert.ok(beat, 'a heartbeat was sent');
  assert.equal(beat.visible, true);
  assert.equal(beat.closing, false);
  assert.equal(typeof beat.idle_ms, 'number');
  assert.equal(typeof beat.hidden_ms, 'number');
  await assertAccessible(page, 'player (SCORM 1.2)');
  await shot(page, 'learner-player-12');

  await s.locator('#nut-tiep').click();
  await s.locator('#nut-tiep').click();
  await s.locator('#tien-do', { hasText: 'Trang 3 / 6' }).waitFor();
  await committed(page, 'cmi.core.lesson_location', '2');
  // every batch: seq from 1 up, SetValue calls in order
  const seqs = page.commits.flatMap((c) => c.batches.map((b) => b.seq));
  assert.equal(Math.min(...seqs), 1);
  assert.ok(page.commits.every((c) => typeof c.t === 'string' && c.t.length >= 40));
  await page.close({ runBeforeUnload: true }); // the tab goes, mid-lesson
  await new Promise((ok) => setTimeout(ok, 1000)); // let the keepalive requests land
  await page.context().close();

  // another device
  const p2 = await newPage();
  await login(p2, 'a', '#/course/5S');
  await courseLoaded(p2);
  assert.match(await p2.locator('#course-body > dl').textContent(), /Đang học/);
  assert.equal(await p2.textContent('#course-go'), 'Học tiếp');
  await p2.click('#course-go');
  const s2 = sco(p2);
  await s2.locator('#tien-do', { hasText: 'Trang 3 / 6' }).waitFor();
  assert.match(await s2.locator('#thong-bao').textContent(), /học tiếp từ trang 3/);
  for (let i = 0; i < 3; i++) await s2.locator('#nut-tiep').click();
  await s2.locator('#tien-do', { hasText: 'Trang 6 / 6' }).waitFor();
  await answerQuiz(s2);
  await s2.locator('#ket-qua', { hasText: 'đạt 100 điểm' }).waitFor();
  await s2.locator('#nut-ket-thuc').click();
  await p2.locator('#player-end').waitFor({ state: 'visible' });
  assert.equal(await p2.evaluate(() => document.activeElement.id), 'player-end-heading');
  assert.equal(await p2.textContent('#player-end-text'), 'Kết quả đã được lưu. Đây là phần cuối của khóa học.');
  const last = p2.commits[p2.commits.length - 1];
  assert.equal(last.finish, true);
  await bothLanguages(p2, 'player, end of the part');
  await p2.getByRole('button', { name: 'Về trang khóa học' }).click();
  await p2.waitForURL(/#\/course\/5S$/);
  await courseLoaded(p2);
  const facts = await p2.locator('#course-body > dl').textContent();
  assert.match(facts, /Đã hoàn thành/);
  assert.match(facts, /Điểm100\s?%/);
  assert.match(facts, /Kết quảĐạt/);
  assert.match(facts, /Thời gian học(Dưới 1 phút|\d+ phút)/);
  assert.ok(await p2.locator('.completion').isVisible(), 'the completion record');
  assert.equal(await p2.locator('#course-body .toc .badge').first().textContent(), 'Đạt');
  await bothLanguages(p2, 'course page, completed');
  await shot(p2, 'learner-course-completed');
  noProblems(p2);
  await p2.context().close();
});

test('certificate of the completed course: listed on the home page, PDF download, public verification page', async () => {
  const page = await newPage();
  await login(page, 'a');
  const heading = page.getByRole('heading', { name: /Giấy chứng nhận của tôi \(1\)/ });
  await heading.waitFor();
  const card = page.locator('#my-courses li', { hasText: 'PAR-' });
  const serial = (await card.locator('dd').first().textContent()).trim();
  assert.match(serial, /^PAR-\d{4}-000001$/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('link', { name: /Tải giấy chứng nhận \(PDF\)/ }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `chung-nhan-${serial}.pdf`);
  const pdf = await (await import('node:fs')).promises.readFile(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-', 'a PDF file');
  await bothLanguages(page, 'home with a certificate');
  // The verification page, as someone scanning the QR code sees it: no session needed.
  const href = await card.getByRole('link', { name: /Trang xác minh/ }).getAttribute('href');
  const anon = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const v = await anon.newPage();
  const resp = await v.goto(href.replace(/^https?:\/\/[^/]+/, F.url));
  assert.equal(resp.status(), 200);
  await v.getByText('Giấy chứng nhận hợp lệ, do parlearn cấp.').waitFor();
  assert.match(await v.locator('table').textContent(), new RegExp(serial));
  await assertAccessible(v, 'certificate verification page (360 px)');
  const forged = await v.goto(href.replace(/^https?:\/\/[^/]+/, F.url).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
  assert.equal(forged.status(), 404);
  await v.getByText(/Không có giấy chứng nhận nào mang mã xác minh này/).waitFor();
  await assertAccessible(v, 'certificate verification page, not genuine');
  await anon.close();
  noProblems(page);
  await page.context().close();
});

test('SCORM 2004 (MOT-CUA, 3 SCOs): continue from the SCO, previous, choice from the TOC', async () => {
  const page = await newPage();
  await login(page, 'a', '#/learn/MOT-CUA');
  await page.locator('#player-view').waitFor({ state: 'visible' });
  const item = () => page.textContent('#player-item');
  await page.waitForFunction(() => /Giới thiệu/.test(document.getElementById('player-item').textContent));
  assert.equal(await page.locator('#player-toc button').count(), 3);
  assert.ok(await page.locator('#player-prev').isDisabled(), 'no previous at the first SCO');
  const s = sco(page);
  await s.locator('#tien-do', { hasText: 'Trang 1 / 3' }).waitFor();
  await s.locator('#nut-tiep').click();
  await s.locator('#nut-tiep').click();
  await s.locator('#nut-ket-thuc').click(); // adl.nav.request = continue, then Terminate
  await page.waitForFunction(() => /Quy trình/.test(document.getElementById('player-item').textContent));
  const fin = page.commits.find((c) => c.finish);
  assert.ok(fin.batches.some((b) => b.changes.some(([e, v]) => e === 'adl.nav.request' && v === 'continue')));
  await sco(page).locator('#tien-do', { hasText: 'Trang 1 / 4' }).waitFor();
  await page.waitForFunction(() => !document.getElementById('player-prev').disabled);

  await page.click('#player-prev');
  await page.waitForFunction(() => /Giới thiệu/.test(document.getElementById('player-item').textContent));
  await sco(page).locator('#tien-do').waitFor();

  await page.locator('#player-toc button', { hasText: 'Bài kiểm tra' }).click();
  await page.waitForFunction(() => /Bài kiểm tra/.test(document.getElementById('player-item').textContent));
  assert.equal(await page.locator('#player-toc [aria-current="step"]').count(), 1);
  assert.match(await page.locator('#player-toc [aria-current="step"]').textContent(), /Bài kiểm tra/);
  const q = sco(page);
  await q.locator('form[data-quiz]').waitFor();
  await answerQuiz(q);
  await q.locator('#nut-ket-thuc').click();
  await page.locator('#player-end').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#player-end-text'), 'Kết quả đã được lưu. Đây là phần cuối của khóa học.');
  assert.ok(await page.locator('#player-end-next').isHidden(), 'no next part after the last SCO');
  await assertAccessible(page, 'player (SCORM 2004), end');
  await page.click('#player-exit');
  await page.waitForURL(/#\/course\/MOT-CUA$/);
  await courseLoaded(page);
  const rows = await page.locator('#course-body .toc li').allTextContents();
  assert.equal(rows.length, 3);
  // part 1 was completed, then opened again with "previous": a new attempt (the server's call
  // whether it shows as in progress or completed)
  assert.match(rows[0], /Đã hoàn thành|Đang học/);
  assert.match(rows[1], /Đang học|Đã hoàn thành/);
  assert.match(rows[2], /Đạt|Đã hoàn thành/);
  assert.match(rows[2], /100\s?%/);
  noProblems(page);
  await page.context().close();

  // a phone: the contents start folded and open with their button
  const phone = await newPage({ viewport: { width: 360, height: 740 } });
  await login(phone, 'a', '#/learn/MOT-CUA');
  await phone.locator('#player-view').waitFor({ state: 'visible' });
  await phone.locator('iframe.player-frame').waitFor();
  assert.equal(await phone.getAttribute('#player-toc-toggle', 'aria-expanded'), 'false');
  assert.ok(await phone.locator('#player-toc').isHidden());
  await phone.click('#player-toc-toggle');
  assert.ok(await phone.locator('#player-toc').isVisible());
  const m = await phone.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
    frame: document.querySelector('iframe.player-frame').getBoundingClientRect().height }));
  assert.ok(m.sw <= m.cw, `player is ${m.sw}px wide in ${m.cw}px`);
  await phone.click('#player-toc-toggle');
  const h = await phone.evaluate(() => document.querySelector('iframe.player-frame').getBoundingClientRect().height);
  assert.ok(h > 400, `the lesson frame fills the phone's screen (${h}px)`);
  await assertAccessible(phone, 'player at 360 px');
  await shot(phone, 'learner-player-360');
  await phone.context().close();
});

test('a real SCORM 2004 package (Golf runtime sample): leave without exit, resume elsewhere', async (t) => {
  if (!F.courses.golf) { t.skip('no SCORM samples (set PL_SCORM_SAMPLES)'); return; }
  const code = F.courses.golf;
  const page = await newPage();
  await login(page, 'b', `#/learn/${code}`);
  const s = sco(page);
  await s.locator('#butNext').waitFor();
  for (let i = 0; i < 3; i++) await s.locator('#butNext').click();
  assert.match(await s.locator('#contentFrame').getAttribute('src'), /OtherScoring\.html$/);
  // this SCO never calls Commit: what it set goes out when the tab closes
  await page.close({ runBeforeUnload: true });
  await new Promise((ok) => setTimeout(ok, 1500));
  await page.context().close();

  const p2 = await newPage();
  await login(p2, 'b', `#/course/${code}`);
  await courseLoaded(p2);
  assert.equal(await p2.textContent('#course-go'), 'Học tiếp');
  await p2.click('#course-go');
  const s2 = sco(p2);
  await s2.locator('#butNext').waitFor();
  await s2.locator('#contentFrame[src$="OtherScoring.html"]').waitFor();
  noProblems(p2);
  await p2.context().close();
});

test('the SCO cannot use the session; a bad launch link is explained on the launcher page', async () => {
  const page = await newPage();
  await login(page, 'a', '#/learn/5S');
  const s = sco(page);
  await s.locator('#tien-do').waitFor();
  const frame = page.frames().find((f) => f.url().startsWith(F.content_url + '/c/'));
  assert.ok(frame, 'the SCO frame');
  const res = await frame.evaluate(async (app) => {
    const out = { cookie: document.cookie };
    try {
      const r = await fetch(app + '/api/me', { credentials: 'include' });
      out.status = r.status;
      out.body = await r.text();
    } catch (e) { out.error = String(e); }
    return out;
  }, F.url);
  assert.equal(res.cookie, '', 'no cookie on the content origin');
  assert.ok(res.error || res.status !== 200, `the SCO read /api/me: ${JSON.stringify(res)}`);
  // and had the browser sent the cookie, the server would refuse it from another site
  const r = await page.request.get(`${F.url}/api/me`, { headers: { Origin: F.content_url, 'Sec-Fetch-Site': 'cross-site' } });
  assert.equal(r.status(), 403);
  assert.equal((await r.json()).code, 'cross_origin_refused');
  await page.context().close();

  const p = await newPage();
  const bogus = 'A'.repeat(43);
  await p.goto(`${F.content_url}/rt/launcher.html#t=${bogus}&app=${encodeURIComponent(F.url)}`);
  await p.locator('#error').waitFor({ state: 'visible' });
  assert.match(await p.textContent('#error-vi'), /không hợp lệ hoặc đã hết hạn/);
  assert.match(await p.textContent('#error-en'), /not valid or has expired/);
  assert.equal(new URL(p.url()).hash, '', 'the token is gone from the address');
  await assertAccessible(p, 'launcher, bad token');
  await p.goto(`${F.content_url}/rt/launcher.html`);
  await p.locator('#error').waitFor({ state: 'visible' });
  assert.match(await p.textContent('#error-vi'), /không đầy đủ/);
  await p.context().close();
});

test('commits survive a failing network: retried with the same seq until acknowledged', async () => {
  const page = await newPage();
  let failed = 0;
  await page.context().route(`${F.url}/api/rt/commit`, async (route) => {
    if (failed < 2) { failed++; await route.abort('failed'); return; }
    await route.continue();
  });
  await login(page, 'b', '#/learn/5S');
  const s = sco(page);
  await s.locator('#tien-do', { hasText: 'Trang 1 / 6' }).waitFor();
  await s.locator('#nut-tiep').click();
  await committed(page, 'cmi.core.lesson_location', '1');
  assert.equal(failed, 2);
  // the retried requests resent the first batch: seq 1 appears in more than one request
  const withSeq1 = page.commits.filter((c) => c.batches.some((b) => b.seq === 1));
  assert.ok(withSeq1.length >= 3, `seq 1 sent ${withSeq1.length} times`);
  assert.deepEqual(page.problems.filter((p) => !/net::ERR_FAILED/.test(p)), []);
  await page.context().close();
});

test('a launch closed under the player (410) stops the launcher; the player offers to reopen', async () => {
  const page = await newPage();
  let closed = false;
  await page.context().route(`${F.url}/api/rt/commit`, async (route) => {
    if (closed) {
      await route.fulfill({ status: 410, contentType: 'application/problem+json',
        headers: { 'Access-Control-Allow-Origin': F.content_url },
        body: JSON.stringify({ code: 'launch_closed', status: 410, title: 'Launch closed' }) });
      return;
    }
    await route.continue();
  });
  await login(page, 'b', '#/learn/5S');
  const s = sco(page);
  await s.locator('#tien-do').waitFor();
  closed = true;
  await s.locator('#nut-tiep').click();
  await page.locator('#player-msg', { hasText: 'Phiên học này đã kết thúc' }).waitFor();
  assert.equal(await page.locator('iframe.player-frame').count(), 0, 'the lesson is taken away');
  closed = false;
  await page.getByRole('button', { name: 'Mở lại bài học' }).click();
  await sco(page).locator('#tien-do').waitFor();
  // "Đang mở bài học…" goes once the reopened launch has answered
  await page.waitForFunction(() => document.getElementById('player-msg').textContent === '');
  await page.context().close();
});

test('a SCO that misuses the API gets the standard error codes, and nothing bad is stored', async () => {
  // The SCO logs its results in one console line; its frame goes once it has terminated.
  const results = (page) => new Promise((ok) => page.on('console', (m) => {
    if (m.text().startsWith('MISUSE ')) {
      ok(Object.fromEntries(m.text().slice(7).split('|').map((l) => l.split('='))));
    }
  }));
  const page = await newPage();
  const first = results(page);
  await login(page, 'b', `#/learn/${F.courses.misuse}`);
  const got = await first;
  // SCORM 2004 RTE 3.1.7: 122/132/142 before Initialize, 103 initialised twice, 401 undefined
  // element, 406 type, 407 range, 404 read-only, 123/133/143 after Terminate
  assert.equal(got['get-before-init'], ':122');
  assert.equal(got['set-before-init'], 'false:132');
  assert.equal(got['commit-before-init'], 'false:142');
  assert.equal(got.init, 'true:0');
  assert.equal(got['init-again'], 'false:103');
  assert.equal(got.entry, 'ab-initio:0');
  assert.equal(got['set-unknown'], 'false:401');
  assert.equal(got['set-type'], 'false:406');
  assert.equal(got['set-range'], 'false:407');
  assert.equal(got['set-readonly'], 'false:404');
  assert.match(got['set-big-suspend'], /^false:40[5-7]$/, '1 MB of suspend data is refused');
  assert.equal(got['set-ok'], 'true:0');
  assert.equal(got.commit, 'true:0');
  assert.equal(got.terminate, 'true:0');
  assert.equal(got['get-after-term'], ':123');
  assert.equal(got['set-after-term'], 'false:133');
  assert.equal(got['commit-after-term'], 'false:143');
  // only the accepted values went to the server, and they are what a resume brings back
  await committed(page, 'cmi.location', 'page-2');
  const sent = page.commits.flatMap((c) => (c.batches || []).flatMap((b) => b.changes.map(([e]) => e)));
  for (const bad of ['cmi.bogus', 'cmi.learner_id', 'cmi.score.scaled']) {
    assert.ok(!sent.includes(bad), `${bad} was not sent`);
  }
  assert.ok(!page.commits.some((c) => JSON.stringify(c).length > 100000), 'the 1 MB value never left the browser');
  await page.context().close();

  const p2 = await newPage();
  const second = results(p2);
  await login(p2, 'b', `#/learn/${F.courses.misuse}`);
  const again = await second;
  assert.equal(again.entry, 'resume:0', 'suspended: the next launch resumes');
  assert.equal(again['location-at-start'], 'page-2:0', 'the stored location is the accepted one');
  await p2.context().close();
});

test('a browser clock a day ahead changes nothing the server counts', async () => {
  const DAY = 86400000;
  const page = await newPage();
  // every frame of this context (player, launcher, SCO) believes it is tomorrow
  await page.context().addInitScript((shift) => {
    const Real = Date;
    class Shifted extends Real {
      constructor(...a) { if (a.length) super(...a); else super(Real.now() + shift); }
      static now() { return Real.now() + shift; }
    }
    globalThis.Date = Shifted;
  }, DAY);
  const t0 = Date.now();
  await login(page, 'a', '#/learn/MOT-CUA');
  await page.locator('#player-view').waitFor({ state: 'visible' });
  assert.ok(await page.evaluate((d) => Date.now() - d > 0, t0 + DAY / 2), 'the page runs a day ahead');
  const s = sco(page);
  await s.locator('#tien-do').waitFor();
  await s.locator('#nut-tiep').click();
  await new Promise((ok) => setTimeout(ok, 3000));
  await page.close({ runBeforeUnload: true });
  await new Promise((ok) => setTimeout(ok, 1500));
  const wall = (Date.now() - t0) / 1000;
  const res = await page.context().request.get(`${F.url}/api/my/time?course=MOT-CUA`);
  const time = await res.json();
  const last = time.sessions.at(-1);
  const opened = Date.parse(last.opened_at);
  assert.ok(Math.abs(opened - t0) < 60000, `the session opened at the server's time (${last.opened_at})`);
  assert.ok(last.active_s <= last.wall_s + 1, `active ${last.active_s} s within wall ${last.wall_s} s`);
  assert.ok(last.wall_s <= wall + 2, `wall ${last.wall_s} s within the ${wall} s the test took`);
  assert.ok(last.heartbeats >= 1, 'the closing heartbeat arrived');
  await page.context().close();
});
