// trainer.test.mjs — the trainer's course section: upload a package (POST /api/packages, the
// zip as the body), read the check report, see courses and versions (GET /api/courses),
// preview a version on the content origin; who sees it; accessibility in both languages.
// The tests of this file run in order and share the server's courses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { BASE, launch, openPage, login, assertAccessible, assertNoProblems, setLang, shot, texts } from './lib.mjs';
import { PACKAGES } from './fixture.mjs';

let browser;
let base = { c: 0, v: 0 }; // courses and versions on the server before these tests
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const haveSamples = fs.existsSync(PACKAGES.golf.path) && fs.existsSync(PACKAGES.invalid.path);
const samplesSkip = haveSamples ? false : `no SCORM samples at ${PACKAGES.golf.path} (set PL_SCORM_SAMPLES)`;

async function waitCourses(page) {
  await page.waitForFunction(() => {
    const st = document.getElementById('courses-status').textContent;
    return st !== '' && st !== 'Đang tải…' && st !== 'Loading…';
  });
}

// Chooses a file, optionally a course code, submits, and waits for the answer.
async function upload(page, file, code = '') {
  await page.setInputFiles('#upload-file', file);
  await page.fill('#upload-course', code);
  await page.click('#upload-submit');
  await page.waitForFunction(() => {
    const r = document.getElementById('upload-result');
    return r.textContent !== '' && !r.querySelector('.status');
  });
}

const group = (page, code) => page.locator('#courses-list .course', { has: page.locator('h4 .code', { hasText: code }) });

async function rowsOf(page, code) {
  return texts(page, `#courses-list .course:has(h4 .code:text-is("${code}")) tbody th`);
}

async function apiVersions(page) {
  const res = await page.request.get(`${BASE}/api/courses`);
  assert.equal(res.status(), 200);
  return (await res.json()).versions;
}

// What the page should show for a server value: dd/mm/yyyy HH:MM in the city's time (UTC+7).
function cityStamp(iso) {
  const d = new Date(Date.parse(iso) + 7 * 3600e3);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

function viSize(bytes) {
  const mb = bytes / 1048576;
  return mb < 0.01 ? '< 0,01 MB' : `${new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(mb)} MB`;
}

async function checkBothLanguages(page, label) {
  await assertAccessible(page, `${label} (vi)`);
  await setLang(page, 'en');
  await assertAccessible(page, `${label} (en)`);
  await setLang(page, 'vi');
}

test('trainer: the form checks its fields before sending anything', async () => {
  const page = await openPage(browser);
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/api/packages')) posts.push(r.url()); });
  await login(page, 'trainer');
  await waitCourses(page);
  assert.ok(await page.locator('#section-trainer').isVisible());
  assert.equal(await page.textContent('#trainer-heading'), 'Quản lý bài giảng');
  // Other test files may have imported courses into the shared server before this one (the
  // survey tests do): count from what is there. An empty list has its own message.
  const st = await page.textContent('#courses-status');
  const m = /^(\d+) khóa học, (\d+) phiên bản\.$/.exec(st);
  if (m) base = { c: Number(m[1]), v: Number(m[2]) };
  else assert.equal(st, 'Chưa có khóa học nào. Hãy tải lên gói bài giảng đầu tiên.');
  // labelled inputs
  await page.getByLabel('Gói bài giảng (SCORM 1.2 / 2004, .zip)').waitFor();
  await page.getByLabel('Mã khóa học (không bắt buộc)').waitFor();
  assert.equal(await page.getAttribute('#upload-file', 'accept'), '.zip,application/zip');

  await page.getByRole('button', { name: 'Tải lên và kiểm tra' }).click();
  assert.equal(await page.textContent('#upload-error'), 'Vui lòng chọn tệp gói bài giảng (.zip).');
  assert.equal(await page.getAttribute('#upload-file', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'upload-file');

  await page.setInputFiles('#upload-file', PACKAGES.notZip.path);
  await page.click('#upload-submit');
  assert.equal(await page.textContent('#upload-error'), 'Tệp “notes.txt” không phải tệp .zip. Vui lòng chọn gói bài giảng dạng .zip.');

  await page.setInputFiles('#upload-file', PACKAGES.fiveS.path);
  await page.fill('#upload-course', 'mã có dấu');
  await page.click('#upload-submit');
  assert.match(await page.textContent('#upload-error'), /^Mã khóa học gồm 1 đến 32 ký tự/);
  assert.equal(await page.getAttribute('#upload-course', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'upload-course');
  assert.deepEqual(posts, [], 'nothing was sent');
  await checkBothLanguages(page, 'trainer upload form with a field error');
  assertNoProblems(page);
  await page.context().close();
});

test('trainer: a valid package is saved and listed as version 1 of its course', async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  await waitCourses(page);
  // hold the answer a moment to see the progress text
  await page.route('**/api/packages*', async (r) => { await new Promise((ok) => setTimeout(ok, 400)); await r.continue(); });
  await page.setInputFiles('#upload-file', PACKAGES.fiveS.path);
  await page.click('#upload-submit');
  await page.locator('#upload-result .status', { hasText: 'Đang tải lên và kiểm tra…' }).waitFor();
  assert.ok(await page.locator('#upload-submit').isDisabled());
  await page.locator('#upload-result h4').waitFor();
  await page.unroute('**/api/packages*');

  const p = PACKAGES.fiveS;
  assert.equal(await page.textContent('#upload-result h4'), `Đã lưu khóa học ${p.code}, phiên bản 1`);
  assert.match(await page.textContent('#upload-result'), /Gói bài giảng hợp lệ, không có cảnh báo\./);
  assert.equal(await page.getAttribute('#upload-result', 'aria-live'), 'polite');
  assert.equal(await page.inputValue('#upload-file'), '', 'the file choice is cleared after a success');

  await group(page, p.code).locator('tbody tr').first().waitFor();
  assert.deepEqual(await rowsOf(page, p.code), ['1']);
  assert.equal(await group(page, p.code).locator('h4').textContent(), `${p.code} — ${p.title}`);
  const [v] = (await apiVersions(page)).filter((x) => x.course_code === p.code);
  const cells = await group(page, p.code).locator('tbody tr').first().locator('td').allTextContents();
  assert.deepEqual(cells.slice(0, 6), [p.kind, String(v.files), viSize(v.bytes), cityStamp(v.imported_at),
    'giangvien', '0']);
  assert.equal(await group(page, p.code).locator('time').first().getAttribute('datetime'), v.imported_at);
  assert.equal(await page.textContent('#courses-status'), `${base.c + 1} khóa học, ${base.v + 1} phiên bản.`);
  assertNoProblems(page);
  await page.context().close();
});

test('trainer: the same package under the same course code becomes version 2, listed first', async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  await waitCourses(page);
  const p = PACKAGES.fiveS;
  await upload(page, p.path, p.code);
  assert.equal(await page.textContent('#upload-result h4'), `Đã lưu khóa học ${p.code}, phiên bản 2`);
  await group(page, p.code).locator('tbody tr').nth(1).waitFor();
  assert.deepEqual(await rowsOf(page, p.code), ['2', '1']);
  assert.equal(await group(page, p.code).count(), 1, 'one course, two versions');
  await page.context().close();
});

test('trainer: a real SCORM 1.2 sample under a code of our choosing is a second course', { skip: samplesSkip }, async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  await waitCourses(page);
  const g = PACKAGES.golf;
  await upload(page, g.path, g.code);
  assert.equal(await page.textContent('#upload-result h4'), `Đã lưu khóa học ${g.code}, phiên bản 1`);
  await group(page, g.code).waitFor();
  assert.deepEqual(await rowsOf(page, g.code), ['1']);
  assert.equal(await page.textContent('#courses-status'), `${base.c + 2} khóa học, ${base.v + 3} phiên bản.`);
  const [v] = (await apiVersions(page)).filter((x) => x.course_code === g.code);
  const size = await group(page, g.code).locator('tbody td').nth(2).textContent();
  assert.equal(size, viSize(v.bytes));
  assert.match(size, /^\d+,\d\d MB$/, 'Vietnamese decimal comma');
  await page.context().close();
});

test('trainer: an invalid package shows every problem with file and line; nothing is saved', { skip: samplesSkip }, async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  await waitCourses(page);
  const before = await apiVersions(page);
  const rowsBefore = await page.locator('#courses-list tbody tr').count();
  const bad = PACKAGES.invalid;
  await upload(page, bad.path);
  assert.equal(await page.textContent('#upload-result h4'), 'Gói bài giảng chưa hợp lệ — chưa có gì được lưu');
  const items = await texts(page, '#upload-result li');
  assert.equal(items.length, 1, items.join('\n'));
  assert.ok(items[0].startsWith(`Lỗi · ${bad.where} — `), items[0]);
  assert.ok(items[0].endsWith(`(${bad.problem})`), items[0]);
  assert.match(items[0], /index\.html/);
  assert.equal(await page.getAttribute('#upload-result li span', 'lang'), 'en', 'the server\'s English message is marked');
  assert.match(await page.textContent('#upload-result'), /1 lỗi, 0 cảnh báo/);
  assert.deepEqual(await apiVersions(page), before, 'nothing new on the server');
  assert.equal(await page.locator('#courses-list tbody tr').count(), rowsBefore, 'nothing new in the list');
  await checkBothLanguages(page, 'trainer page with a package report');
  await shot(page, 'trainer-report-vi');
  await setLang(page, 'en');
  assert.equal(await page.textContent('#upload-result h4'), 'The package is not valid — nothing was saved');
  assert.ok((await texts(page, '#upload-result li'))[0].startsWith(`Error · ${bad.where} — `));
  await shot(page, 'trainer-report-en');
  await setLang(page, 'vi');
  assertNoProblems(page);
  await page.context().close();
});

test('trainer: "Xem trước" opens the version\'s launch page on the content origin in a new tab', async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  await waitCourses(page);
  const p = PACKAGES.fiveS;
  const [v2] = (await apiVersions(page)).filter((x) => x.course_code === p.code && x.version === 2);
  assert.equal(typeof v2.launch_href, 'string', 'GET /api/courses gives launch_href');
  const btn = page.getByRole('button', { name: `Xem trước ${p.code}, phiên bản 2 (mở thẻ mới)` });
  assert.ok(await btn.isEnabled());
  const [tab] = await Promise.all([page.waitForEvent('popup'), btn.click()]);
  await tab.waitForURL((u) => u.pathname.endsWith('/' + v2.launch_href) && u.pathname.startsWith('/c/'));
  await tab.waitForLoadState('load');
  const u = new URL(tab.url());
  assert.notEqual(u.origin, new URL(BASE).origin, 'content comes from the content origin');
  assert.equal(await tab.evaluate(() => window.opener), null, 'the content cannot reach the page that opened it');
  assert.equal(await page.textContent('#courses-error'), '');
  await tab.close();
  assertNoProblems(page);
  await page.context().close();
});

test('trainer: with the list shown — axe in both languages, keyboard, a 360 px phone', async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  await waitCourses(page);
  assert.ok(await page.locator('#courses-list tbody tr').count() >= 2);
  await checkBothLanguages(page, 'trainer page with the course list');
  await shot(page, 'trainer-list-vi');
  // the form is reachable with Tab, in order
  await page.focus('#upload-file');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'upload-course');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'upload-submit');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'visible focus');
  await page.setViewportSize({ width: 360, height: 740 });
  for (const lang of ['vi', 'en']) {
    await setLang(page, lang);
    const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
    assert.ok(m.sw <= m.cw, `${lang}: page is ${m.sw}px wide in a ${m.cw}px viewport`);
  }
  await setLang(page, 'vi');
  await assertAccessible(page, 'trainer page at 360 px');
  await shot(page, 'trainer-list-360-vi');
  assertNoProblems(page);
  await page.context().close();
});

test('admin: sees the courses and may upload', async () => {
  const page = await openPage(browser);
  await login(page, 'admin');
  await waitCourses(page);
  assert.ok(await page.locator('#section-trainer').isVisible());
  assert.ok(await page.locator('#courses-list tbody tr').count() >= 2);
  assert.ok(await page.locator('#home-nav a[href="#section-trainer"]').isVisible());
  await page.context().close();
});

test('learner: no course section, and the course API refuses', async () => {
  const page = await openPage(browser);
  await login(page, 'learner');
  assert.ok(await page.locator('#section-trainer').isHidden());
  assert.equal(await page.locator('#home-nav a[href="#section-trainer"]').count(), 0);
  const list = await page.request.get(`${BASE}/api/courses`);
  assert.equal(list.status(), 403);
  const up = await page.request.post(`${BASE}/api/packages`, {
    headers: { 'Content-Type': 'application/zip' }, data: fs.readFileSync(PACKAGES.fiveS.path) });
  assert.equal(up.status(), 403);
  await page.context().close();
});

test('trainer: too large, other failures, a blocked preview tab (answers stubbed)', async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  await waitCourses(page);
  const problem = (status, code, extra = {}) => ({ status, contentType: 'application/problem+json',
    body: JSON.stringify({ type: `urn:parlearn:problem:${code}`, title: code, status, code,
      instance: 'urn:parlearn:request:0123456789abcdef', ...extra }) });
  let answer = problem(413, 'body_too_large', { detail: 'a package may be at most 256 MiB' });
  const sent = [];
  await page.route('**/api/packages*', (r) => {
    sent.push({ url: r.request().url(), headers: r.request().headers() });
    return r.fulfill(answer);
  });
  // Enter in the course code field submits the form
  await page.setInputFiles('#upload-file', PACKAGES.fiveS.path);
  await page.fill('#upload-course', 'KHOA_1');
  await page.press('#upload-course', 'Enter');
  await page.locator('#upload-result .error').waitFor();
  assert.equal(await page.textContent('#upload-result'),
    'Tệp quá lớn: máy chủ chỉ nhận gói bài giảng tối đa 256 MB. Hãy giảm dung lượng gói (ví dụ nén lại video, hình ảnh) rồi tải lên lại.');
  assert.equal(sent.length, 1);
  assert.ok(sent[0].url.endsWith('/api/packages?course=KHOA_1'), sent[0].url);
  assert.equal(sent[0].headers['content-type'], 'application/zip');
  assert.match(sent[0].headers['x-csrf-token'] || '', /.{16,}/, 'the CSRF token is sent');

  answer = problem(500, 'internal');
  await page.click('#upload-submit');
  await page.locator('#upload-result .error', { hasText: 'Mã tham chiếu' }).waitFor();
  assert.equal(await page.textContent('#upload-result'), 'Đã có lỗi xảy ra. Vui lòng thử lại sau. Mã tham chiếu: 0123456789abcdef');

  answer = problem(422, 'package_invalid', { detail: 'not a zip archive', errors: 1, warnings: 0, problems: [] });
  await page.click('#upload-submit');
  await page.locator('#upload-result h4').waitFor();
  assert.match(await page.textContent('#upload-result .detail'), /not a zip archive/);

  // a warning in a saved version is listed under the success
  answer = { status: 201, contentType: 'application/json', body: JSON.stringify({
    version: { course_code: 'KHOA_1', course_title: 'Khóa 1', version: 3, kind: 'scorm2004', title: 'Khóa 1',
      files: 1234, bytes: 5 * 1048576 + 123456, warnings: 1, imported_at: '2026-01-02T17:30:00Z', imported_by: 'giangvien', launch_href: 'a.html' },
    report: { errors: 0, warnings: 1, problems: [{ severity: 'warning', code: 'unused_file', file: 'extra/x.png', line: 0, message: 'File is not referenced' }] } }) };
  await page.click('#upload-submit');
  await page.locator('#upload-result h4', { hasText: 'phiên bản 3' }).waitFor();
  assert.match(await page.textContent('#upload-result'), /SCORM 2004, 1\.234 tệp, 5,12 MB\./);
  assert.deepEqual(await texts(page, '#upload-result li'), ['Cảnh báo · extra/x.png — File is not referenced (unused_file)']);
  await page.unroute('**/api/packages*');

  // a preview whose tab the browser blocks: a link to open it instead
  await page.evaluate(() => { window.open = () => null; });
  await page.route('**/api/courses/preview*', (r) => r.fulfill({ status: 200, contentType: 'application/json',
    body: JSON.stringify({ course_code: 'X', version: 1, content_base: 'http://localhost:1/c/tok/', launch_href: 'index.html', expires_at: 0 }) }));
  await page.locator('#courses-list button:not([disabled])').first().click();
  await page.locator('#courses-error a').waitFor();
  assert.equal(await page.getAttribute('#courses-error a', 'href'), 'http://localhost:1/c/tok/index.html');
  assert.match(await page.textContent('#courses-error'), /^Trình duyệt đã chặn thẻ mới/);
  await page.context().close();
});

test('a version without a launch page: "Xem trước" is disabled and says why (list stubbed)', async () => {
  const page = await openPage(browser);
  await page.route('**/api/me', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(
    { id: 7, username: 'gv2', display_name: 'GV', csrf_token: 'tok', roles: [{ role: 'trainer', unit: null }], person: null }) }));
  await page.route('**/api/courses', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ versions: [
    { course_code: 'A', course_title: 'Khóa A', version: 1, kind: 'ims', title: 'Khóa A', files: 3, bytes: 2048, warnings: 2,
      imported_at: '2026-11-28T06:00:33Z', imported_by: 'cli', launch_href: null }] }) }));
  await page.goto(BASE + '/');
  await waitCourses(page);
  const btn = page.locator('#courses-list button');
  assert.ok(await btn.isDisabled());
  assert.match(await page.locator('#courses-list td.actions').textContent(), /Không có trang khởi chạy để xem trước\./);
  const cells = await page.locator('#courses-list tbody td').allTextContents();
  assert.deepEqual(cells.slice(0, 6), ['Gói IMS', '3', '< 0,01 MB', '28/11/2026 13:00', 'Dòng lệnh (CLI)', '2']);
  await checkBothLanguages(page, 'a version without launch page');
  await setLang(page, 'en');
  assert.equal(await page.locator('#courses-list tbody td').nth(3).textContent(), '2026-11-28 13:00');
  await setLang(page, 'vi');
  await page.context().close();
});
