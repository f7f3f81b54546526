// survey.test.mjs — surveys in the browser (survey.js, docs/surveys.md): a trainer builds a
// survey on the page (an error is announced and its field focused), publishes it; a learner
// of the audience finds it on the home page and answers with the keyboard only (a missing
// required answer is announced first); the trainer and an HR officer read the results (a
// table with bars, the free-text answer); a completed course's page offers the course's
// survey (learn.js's hook); axe finds nothing in Vietnamese, in English and at 360 px.
// The learner is made here: a person of SNV-CCHC (the trainer's and the HR officer's reach)
// with an account, through the CLI on the server's data folder; the course completion is
// written with psql, as the player records it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { BASE, launch, openPage, login, assertAccessible, assertNoProblems, setLang, shot, gotoLogin } from './lib.mjs';

const tag = String(Date.now()).slice(-5);
const CODE = `KS-WEB-${tag}`;
const TITLE = 'Khảo sát về lớp bồi dưỡng một cửa';
const LEARNER = { username: `sv.web${tag}`, password: `Sv-web-${tag}-mat-khau`, name: 'Trương Văn Khảo' };

function cli(args, input) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.env.PARLEARN_BIN, [...args, '--data', `${process.env.PL_DATA}/var`], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (c) => (c === 0 ? resolve() : reject(new Error(`parlearn ${args.join(' ')}: ${err}`))));
    p.stdin.end(`${input}\n`);
  });
}

const sql = (q) => execFileSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', `${process.env.PL_DATA}/var/pg/run`,
  '-U', 'postgres', '-d', 'parlearn', '-c', q], { encoding: 'utf8' }).trim();

let browser;
before(async () => {
  await cli(['person', 'create', '--employee-code', `SVW-${tag}`, '--unit', 'SNV-CCHC', '--name', LEARNER.name,
    '--position', 'Chuyên viên', '--par-role', 'concurrent'], `0${tag}999999`.slice(0, 12));
  await cli(['user', 'create', '--username', LEARNER.username, '--role', 'learner', '--name', LEARNER.name,
    '--person', `SVW-${tag}`, '--password-stdin'], LEARNER.password);
  browser = await launch();
});
after(async () => { await browser?.close(); });

async function loginAs(page, who) {
  if (who !== 'svlearner') return login(page, who);
  await gotoLogin(page);
  await page.fill('#username', LEARNER.username);
  await page.fill('#password', LEARNER.password);
  await page.click('#login-submit');
  await page.locator('#home-view').waitFor({ state: 'visible' });
}

const loaded = (page) => page.waitForFunction(() => document.getElementById('survey-body')?.getAttribute('aria-busy') === 'false');
const active = (page) => page.evaluate(() => document.activeElement.id);

test('the page keeps every survey string in both languages', () => {
  const www = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'server', 'www');
  const ctx = { window: {} };
  vm.runInNewContext(fs.readFileSync(path.join(www, 'assets', 'i18n.js'), 'utf8'), ctx);
  const d = ctx.window.PL_I18N;
  const js = fs.readFileSync(path.join(www, 'assets', 'survey.js'), 'utf8');
  const used = [...js.matchAll(/\bt\('([^']+)'\s*[,)]/g)].map((m) => m[1]);
  assert.ok(used.length > 40);
  for (const k of used) assert.ok(k in d.vi && k in d.en, `missing key ${k}`);
  assert.doesNotMatch(js, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML\(|document\.write|\beval\(|new Function\(/);
  assert.match(fs.readFileSync(path.join(www, 'index.html'), 'utf8'), /<script src="\/assets\/survey\.js" defer><\/script>/);
});

test('a trainer builds a survey on the page, is told what is wrong, and publishes it', async () => {
  const page = await openPage(browser);
  await loginAs(page, 'trainer');
  await page.getByRole('link', { name: 'Khảo sát', exact: true }).click();
  await page.locator('#survey-view').waitFor({ state: 'visible' });
  await loaded(page);
  assert.equal(await page.evaluate(() => location.hash), '#/surveys');
  assert.equal(await active(page), 'survey-heading');
  await page.getByRole('link', { name: 'Tạo khảo sát mới' }).click();
  await page.locator('#sv-e-code').waitFor();
  assert.equal(await page.textContent('#survey-heading'), 'Tạo khảo sát mới');
  await assertAccessible(page, 'survey builder (vi)');
  await setLang(page, 'en');
  assert.equal(await page.textContent('#survey-heading'), 'New survey');
  await assertAccessible(page, 'survey builder (en)');
  await setLang(page, 'vi');

  // no title: refused on the page, the title field focused
  await page.fill('#sv-e-code', CODE);
  await page.click('#sv-e-save');
  assert.equal(await page.textContent('#sv-e-error'), 'Vui lòng nhập tên khảo sát. (Tên khảo sát)');
  assert.equal(await active(page), 'sv-e-title');
  await page.fill('#sv-e-title', TITLE);
  await page.uncheck('#sv-e-anonymous'); // a named survey: one response still shows numbers
  await page.getByLabel('Phòng Cải cách hành chính (SNV-CCHC)').check();
  await page.fill('#sv-e-q0-text', 'Lớp học giúp tôi làm tốt hơn công việc một cửa');
  await page.check('#sv-e-q0-required');
  await page.click('#sv-e-add');
  assert.equal(await active(page), 'sv-e-q1-kind');
  await page.selectOption('#sv-e-q1-kind', 'single');
  await page.fill('#sv-e-q1-options', 'Trực tiếp\nTrực tuyến\nKết hợp');
  // the second question has no text yet: the server refuses, the page says which field
  await page.click('#sv-e-save');
  await page.locator('#sv-e-error').filter({ hasText: 'Thông tin' }).waitFor();
  assert.equal(await page.textContent('#sv-e-error'), 'Thông tin chưa hợp lệ. (Câu 2: Nội dung câu hỏi)');
  assert.equal(await active(page), 'sv-e-q1-text');
  assert.equal(await page.getAttribute('#sv-e-q1-text', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#sv-e-error', 'role'), 'alert');
  await assertAccessible(page, 'survey builder with an error');
  await page.fill('#sv-e-q1-text', 'Bạn muốn học theo hình thức nào?');
  await page.click('#sv-e-add');
  await page.selectOption('#sv-e-q2-kind', 'text');
  await page.fill('#sv-e-q2-text', 'Góp ý của bạn');
  await page.click('#sv-e-save');
  await page.waitForFunction((c) => location.hash === `#/surveys/edit/${c}`, CODE);
  await loaded(page);
  assert.equal(await page.textContent('#survey-status'), `Đã tạo bản nháp ${CODE}.`);
  assert.equal(await page.inputValue('#sv-e-q1-options'), 'Trực tiếp\nTrực tuyến\nKết hợp');
  await page.click('#sv-publish');
  await page.locator('#survey-status').filter({ hasText: 'Đã phát hành' }).waitFor();
  assert.equal(await active(page), 'survey-status');
  assert.equal(await page.isVisible('#sv-close'), true);
  // the anonymity of a published survey is fixed
  assert.equal(await page.isDisabled('#sv-e-anonymous'), true);
  await shot(page, 'survey-builder-vi');
  assertNoProblems(page);
  await page.context().close();
});

test('a learner finds the survey and answers it with the keyboard only', async () => {
  const page = await openPage(browser);
  await loginAs(page, 'svlearner');
  const item = page.locator('#sv-my a', { hasText: TITLE });
  await item.waitFor();
  assert.match(await page.textContent('#sv-my'), /Chưa trả lời/);
  await item.focus();
  await page.keyboard.press('Enter');
  await page.locator('#sv-form').waitFor();
  assert.equal(await active(page), 'survey-heading');
  assert.equal(await page.textContent('#survey-heading'), TITLE);
  // each question is a fieldset with its legend; the required one says so
  assert.equal(await page.locator('#sv-form fieldset > legend').count(), 3);
  assert.match(await page.textContent('#sv-q1 > legend'), /\(bắt buộc\)$/);
  assert.equal(await page.getAttribute('#sv-q1', 'aria-required'), 'true');
  await assertAccessible(page, 'survey form (vi)');
  await setLang(page, 'en');
  await assertAccessible(page, 'survey form (en)');
  await setLang(page, 'vi');
  // on a 360 px phone: no sideways scroll, nothing for axe
  await page.setViewportSize({ width: 360, height: 740 });
  const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert.ok(m.sw <= m.cw, `the form is ${m.sw}px wide in a ${m.cw}px viewport`);
  await assertAccessible(page, 'survey form at 360 px');
  await shot(page, 'survey-form-360');
  await page.setViewportSize({ width: 1280, height: 800 });

  // to the button and send: the missing answer is announced and focused
  await page.focus('#sv-submit');
  await page.keyboard.press('Enter');
  await page.locator('#survey-error').filter({ hasText: /./ }).waitFor();
  assert.equal(await page.textContent('#survey-error'), 'Còn 1 câu bắt buộc chưa trả lời.');
  assert.equal(await page.getAttribute('#survey-error', 'role'), 'alert');
  assert.equal(await page.textContent('#sv-q1-err'), 'Câu này bắt buộc trả lời.');
  assert.equal(await active(page), 'sv-q1-0');
  assert.equal(await page.getAttribute('#sv-q1-0', 'aria-invalid'), 'true');
  await assertAccessible(page, 'survey form with an error');

  // the scale with the arrow keys: 1 → 4
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await active(page), 'sv-q1-3');
  assert.equal(await page.isChecked('#sv-q1-3'), true);
  // Tab to the next question's options, Space chooses the first
  await page.keyboard.press('Tab');
  assert.equal(await active(page), 'sv-q2-0');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.isChecked('#sv-q2-1'), true);
  await page.keyboard.press('Tab');
  assert.equal(await active(page), 'sv-q3-text');
  await page.keyboard.type('Nên có thêm tình huống thực tế.');
  await page.keyboard.press('Tab');
  assert.equal(await active(page), 'sv-submit');
  await page.keyboard.press('Enter');
  await page.locator('#survey-status').filter({ hasText: 'Cảm ơn bạn' }).waitFor();
  assert.equal(await active(page), 'survey-status');
  assert.equal(await page.textContent('#survey-status'), 'Đã gửi phiếu trả lời. Cảm ơn bạn!');
  assert.equal(await page.locator('#sv-form').count(), 0);
  // back home: answered
  await page.evaluate(() => { location.hash = '#section-learner'; });
  await page.locator('#sv-my').filter({ hasText: 'Đã trả lời' }).waitFor();
  // and the form says so when opened again
  await page.locator('#sv-my a', { hasText: TITLE }).click();
  await page.locator('#survey-body p.status').filter({ hasText: 'Bạn đã trả lời khảo sát này' }).waitFor();
  assertNoProblems(page);
  await page.context().close();
});

async function openResults(page) {
  await page.getByRole('link', { name: 'Khảo sát', exact: true }).click();
  await loaded(page);
  await page.getByRole('link', { name: `Kết quả: ${TITLE}` }).click();
  await loaded(page);
  await page.locator('#sv-r-summary').waitFor();
}

test('the trainer and an HR officer read the results: tables, bars, the free text', async () => {
  for (const who of ['trainer', 'hr_officer']) {
    const page = await openPage(browser);
    await loginAs(page, who);
    await openResults(page);
    assert.equal(await page.textContent('#survey-heading'), TITLE);
    assert.match(await page.textContent('#sv-r-summary'), /^1 phiếu trên \d+ người được khảo sát/);
    // question 1: 4 points chosen once; a bar for each option
    const q1 = page.locator('table[aria-labelledby="sv-r-q0"] tbody tr');
    assert.equal(await q1.count(), 5);
    assert.deepEqual((await q1.nth(3).locator('th, td').allTextContents()).slice(0, 3), ['4 — Đồng ý', '1', '100,0 %']);
    assert.equal(await page.locator('table[aria-labelledby="sv-r-q0"] svg[aria-hidden="true"]').count(), 5);
    assert.match(await page.textContent('#survey-body'), /Điểm trung bình 4,00, trung vị 4,0/);
    const q2 = page.locator('table[aria-labelledby="sv-r-q1"] tbody tr');
    assert.deepEqual((await q2.nth(1).locator('th, td').allTextContents()).slice(0, 2), ['Trực tuyến', '1']);
    await page.click('#sv-r-texts-btn-3');
    await page.locator('#sv-r-texts-3 li').first().waitFor();
    assert.match(await page.textContent('#sv-r-texts-3 li'), /^Nên có thêm tình huống thực tế\./);
    assert.match(await page.textContent('#sv-r-texts-3 li'), new RegExp(LEARNER.name));
    assert.equal(await page.getAttribute('#sv-r-units-h + .table-wrap table', 'aria-labelledby'), 'sv-r-units-h');
    const csv = await page.getAttribute('a[download]', 'href');
    assert.equal(csv, `/api/surveys/results.csv?code=${CODE}`);
    await assertAccessible(page, `survey results, ${who} (vi)`);
    await setLang(page, 'en');
    assert.match(await page.textContent('#sv-r-summary'), /^1 responses from \d+ people asked/);
    await assertAccessible(page, `survey results, ${who} (en)`);
    await setLang(page, 'vi');
    await shot(page, `survey-results-${who}`);
    assertNoProblems(page);
    await page.context().close();
  }
});

test('a completed course\'s page offers its survey (learn.js hook)', async () => {
  const course = `SV5S-${tag}`;
  const code = `KS-KH-${tag}`;
  await cli(['package', 'import', `${process.env.PL_PKG_DIR}/5s.zip`, '--course', course], '');
  // the trainer attaches a survey to the course, through the API of the page's session
  const tp = await openPage(browser);
  const lr = await tp.request.post(`${BASE}/api/auth/login`, { data: { username: process.env.PL_USER_TRAINER || 'giangvien',
    password: process.env.PL_PW_TRAINER } });
  const csrf = (await lr.json()).csrf_token;
  const post = (path, data) => tp.request.post(`${BASE}${path}`, { data, headers: { 'X-CSRF-Token': csrf } });
  assert.equal((await post('/api/surveys', { code, title: 'Đánh giá khóa học 5S', kind: 'course', courses: [course],
    questions: [{ kind: 'likert', text: 'Khóa học hữu ích', required: true }] })).status(), 201);
  assert.equal((await post('/api/surveys/publish', { code })).status(), 200);
  await tp.context().close();
  // the learner completed the course (as the player records it)
  sql(`WITH u AS (SELECT id FROM app_user WHERE username = '${LEARNER.username}'), c AS (SELECT id FROM course
      WHERE code = '${course}'), v AS (SELECT max(id) id FROM course_version WHERE course_id = (SELECT id FROM c)),
    e AS (INSERT INTO enrolment (user_id, course_id, version_id, source, enrolled_at, started_at, completed_at)
      SELECT u.id, c.id, v.id, 'self', now(), now(), now() FROM u, c, v RETURNING id, user_id, course_id, version_id)
    INSERT INTO completion (enrolment_id, user_id, course_id, version_id, completed_at, active_s, reported_s, evidence)
      SELECT id, user_id, course_id, version_id, now(), 60, 60, '{}' FROM e`);
  const page = await openPage(browser);
  await loginAs(page, 'svlearner');
  await page.evaluate((c) => { location.hash = `#/course/${c}`; }, course);
  const panel = page.locator('#course-body section.sv-course');
  await panel.locator('h2', { hasText: 'Khảo sát sau khóa học' }).waitFor();
  assert.equal(await panel.locator('a').textContent(), 'Đánh giá khóa học 5S');
  assert.match(await panel.textContent(), /Chưa trả lời/);
  await assertAccessible(page, 'course page with its survey');
  await panel.locator('a').click();
  await page.locator('#sv-form').waitFor();
  assert.equal(await page.textContent('#survey-heading'), 'Đánh giá khóa học 5S');
  await page.check('#sv-q1-4');
  await page.click('#sv-submit');
  await page.locator('#survey-status').filter({ hasText: 'Cảm ơn bạn' }).waitFor();
  assertNoProblems(page);
  await page.context().close();
});

test('a learner never gets the staff pages; 360 px: no sideways scroll, accessible in both languages', async () => {
  let page = await openPage(browser);
  await loginAs(page, 'learner');
  await page.evaluate(() => { location.hash = '#/surveys'; });
  await page.waitForTimeout(300);
  assert.equal(await page.isVisible('#survey-view').catch(() => false), false);
  assert.equal(await page.isVisible('#home-view'), true);
  assert.equal(await page.locator('#sv-nav').count(), 0);
  await page.context().close();

  for (const [who, go] of [['trainer', openResults], ['svlearner', async (p) => {
    await p.locator('#sv-my a', { hasText: TITLE }).click();
    await p.locator('#survey-body p.status').waitFor();
  }]]) {
    page = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await loginAs(page, who);
    await go(page);
    for (const lang of ['vi', 'en']) {
      await setLang(page, lang);
      const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
      assert.ok(m.sw <= m.cw, `${who} ${lang}: page is ${m.sw}px wide in a ${m.cw}px viewport`);
      await assertAccessible(page, `survey ${who} at 360 px (${lang})`);
    }
    await setLang(page, 'vi');
    await shot(page, `survey-${who}-360`);
    assertNoProblems(page);
    await page.context().close();
  }
  assert.ok(BASE);
});
