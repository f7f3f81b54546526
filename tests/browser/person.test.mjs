// person.test.mjs — a person's learning record (#/person/CODE, person.js) as an HR officer
// uses it: from the home page's people list, open a person who completed a course through the
// real run-time API (a launch, heartbeats on the server's clock, the SCO's own session time),
// see the course with its figures, open its sessions with the keyboard and find that the
// sessions add up to the course's active time. A neighbouring ward's person cannot be opened
// by the address bar. Accessible (axe) in both languages, at 1280 and 360 px. Runs its own
// server (tests/lib/server.mjs): the heartbeats take real seconds, and the data stay out of
// the shared fixture's counts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, openPage, assertAccessible, assertNoProblems, setLang, shot, texts } from './lib.mjs';
import { startServer } from '../lib/server.mjs';

let srv, browser;
const PASS = 'Hs-HoSo-2025-Kq7w';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parlearn-person-browser-'));
const ROOT = process.env.PARLEARN_SOURCE || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const TITLE = 'Phương pháp 5S tại nơi làm việc';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The learner's own steps, as the launcher would make them.
async function learn(username) {
  const login = await fetch(srv.url + '/api/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASS }),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await login.json();
  const l = await fetch(srv.url + '/api/launch', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: JSON.stringify({ course: 'HS-5S', nav: 'start' }),
  });
  assert.equal(l.status, 201, await l.clone().text());
  const { launch_token: t } = await l.json();
  const rt = async (p, body) => {
    const r = await fetch(srv.url + '/api/rt/' + p, { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ t, ...body }) });
    assert.equal(r.status, 200, `${p}: ${await r.clone().text()}`);
  };
  await rt('init', {});
  for (let i = 0; i < 2; i++) {
    await sleep(5500);
    await rt('beat', { visible: true, idle_ms: 400, hidden_ms: 0 });
  }
  await rt('commit', { finish: true, batches: [{ seq: 1, changes: [['cmi.core.lesson_status', 'passed'],
    ['cmi.core.score.raw', '90'], ['cmi.core.session_time', '00:00:40']] }] });
}

before(async () => {
  browser = await launch();
  srv = await startServer();
  const cli = (args, input) => srv.cli(args, input);
  cli(['unit', 'create', '--code', 'HCM', '--name', 'Thành phố Hồ Chí Minh', '--kind', 'city']);
  cli(['unit', 'create', '--code', 'P-SG', '--name', 'Phường Sài Gòn', '--kind', 'ward', '--parent', 'HCM']);
  cli(['unit', 'create', '--code', 'P-BC', '--name', 'Phường Bàn Cờ', '--kind', 'ward', '--parent', 'HCM']);
  execFileSync('zip', ['-qr', path.join(tmp, '5s.zip'), '.'], { cwd: path.join(ROOT, 'content/courses/5s-scorm12') });
  cli(['package', 'import', path.join(tmp, '5s.zip'), '--course', 'HS-5S']);
  cli(['person', 'create', '--employee-code', 'HS-01', '--unit', 'P-SG', '--name', 'Đoàn Thị Hồ Sơ',
    '--position', 'Chuyên viên', '--par-role', 'dedicated'], '079111000101\n');
  cli(['person', 'create', '--employee-code', 'HS-02', '--unit', 'P-BC', '--name', 'Lâm Văn Láng Giềng'], '079111000102\n');
  cli(['user', 'create', '--username', 'hs01', '--role', 'learner', '--person', 'HS-01', '--password-stdin'], `${PASS}\n`);
  cli(['user', 'create', '--username', 'hr.sg', '--role', 'hr_officer', '--scope', 'P-SG', '--password-stdin',
    '--name', 'Cán bộ Nhân sự Sài Gòn'], `${PASS}\n`);
  await learn('hs01');
  // the certificate of the completion, as serve's pass (every minute) would have issued it
  cli(['certificate', 'issue']);
});
after(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  await srv?.stop();
});

async function loginHr(page) {
  await page.goto(srv.url + '/');
  await page.locator('#login-view').waitFor({ state: 'visible' });
  await page.fill('#username', 'hr.sg');
  await page.fill('#password', PASS);
  await page.click('#login-submit');
  await page.locator('#home-view').waitFor({ state: 'visible' });
}

async function openFromHome(page) {
  await page.getByRole('link', { name: 'Đoàn Thị Hồ Sơ' }).click();
  await page.locator('#per-view').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.getElementById('per-body').getAttribute('aria-busy') === 'false'
    && document.getElementById('per-heading').textContent.includes('Hồ Sơ'));
}

const cellOf = async (page, table, row, col) => page.evaluate(([tb, r, c]) => {
  const t = document.getElementById(tb);
  const heads = [...t.tHead.rows[0].cells].map((x) => x.textContent);
  const tr = [...t.tBodies[0].rows].find((x) => x.cells[0].textContent.startsWith(r));
  return tr ? tr.cells[heads.indexOf(c)].textContent : null;
}, [table, row, col]);

test('the HR officer opens a person from the home page and finds where the hours came from', async () => {
  const page = await openPage(browser);
  await loginHr(page);
  await openFromHome(page);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'per-heading');
  assert.equal(await page.textContent('#per-heading'), 'Hồ sơ học tập: Đoàn Thị Hồ Sơ');
  const header = (await texts(page, '.rep-summary div')).join('|');
  assert.match(header, /Mã nhân sựHS-01/);
  assert.match(header, /Đơn vị hiện nayPhường Sài Gòn \(P-SG\)/);
  assert.match(header, /Tài khoảnhs01/);
  assert.ok(!(await page.textContent('#per-view')).includes('079111000101'), 'no identification number');
  // the course row: completed, the server's time beside the content's 40 s, a certificate
  assert.equal(await page.textContent('#per-courses-table caption'), 'Các khóa học của Đoàn Thị Hồ Sơ');
  const course = await texts(page, '#per-courses-table tbody tr');
  assert.equal(course.length, 1);
  assert.match(course[0], /HS-5S/);
  assert.equal(await cellOf(page, 'per-courses-table', TITLE, 'Trạng thái'), 'Đã hoàn thành');
  assert.equal(await cellOf(page, 'per-courses-table', TITLE, 'Thời gian nội dung báo'), '40 giây');
  const active = await cellOf(page, 'per-courses-table', TITLE, 'Thời gian học (máy chủ đo)');
  assert.match(active, /^\d+ giây$/);
  assert.ok(parseInt(active, 10) >= 5, active);
  assert.match(await cellOf(page, 'per-courses-table', TITLE, 'Giấy chứng nhận'), /^PAR-\d{4}-000001$/);
  const href = await page.locator('#per-courses-table a[href^="/verify/"]').getAttribute('href');
  assert.match(href, /^\/verify\/[A-Z0-9-]+$/);
  // its sessions, opened with the keyboard: they add up to the course's figure
  await page.locator('#per-sess-btn-0').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement.id === 'per-sess-heading' && document.getElementById('per-sess-table'));
  assert.match(await page.textContent('#per-sess'), /máy chủ chỉ tính khoảng thời gian giữa hai tín hiệu, tối đa 90 giây/);
  const sessions = await texts(page, '#per-sess-table tbody tr');
  assert.equal(sessions.length, 2, sessions.join('\n')); // one session and the total
  assert.match(sessions[0], /^Phiên 1/);
  assert.match(sessions[0], /Người học kết thúc bài/);
  assert.equal(await cellOf(page, 'per-sess-table', 'Phiên 1', 'Số tín hiệu'), '2');
  assert.equal(await cellOf(page, 'per-sess-table', 'Tổng cộng', 'Thời gian học (máy chủ đo)'), active);
  assert.equal(await cellOf(page, 'per-sess-table', 'Phiên 1', 'Thời gian học (máy chủ đo)'), active);
  assert.equal(await cellOf(page, 'per-sess-table', 'Tổng cộng', 'Nội dung báo'), '40 giây');
  // the same figure as the time endpoint gives, and an audit row for the look
  const n = srv.sql("SELECT count(*) FROM audit_log WHERE action = 'person.learning' AND actor = 'hr.sg' AND params->>'employee_code' = 'HS-01'");
  assert.ok(+n >= 1, n);
  await shot(page, 'person-sessions-vi');
  assertNoProblems(page);
  await page.context().close();
});

test('a person of a neighbouring ward cannot be opened by the address bar', async () => {
  const page = await openPage(browser);
  await loginHr(page);
  assert.ok(!(await page.textContent('#people-table')).includes('Lâm Văn Láng Giềng'));
  await page.goto(srv.url + '/#/person/HS-02');
  await page.locator('#per-view').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.getElementById('per-error').textContent !== '');
  assert.equal(await page.textContent('#per-error'), 'Nhân sự này không thuộc đơn vị bạn quản lý.');
  assert.ok(!(await page.textContent('#per-view')).includes('Lâm Văn'));
  await page.goto(srv.url + '/#/person/KHONG-CO');
  await page.waitForFunction(() => document.getElementById('per-error').textContent === 'Không có nhân sự nào với mã này.');
  // back to the people list
  await page.getByRole('link', { name: '← Về danh sách nhân sự' }).click();
  await page.locator('#home-view').waitFor({ state: 'visible' });
  await page.context().close();
});

test('from the report’s people drill-down to the record and back', async () => {
  const page = await openPage(browser);
  await loginHr(page);
  await page.getByRole('link', { name: 'Báo cáo bồi dưỡng' }).click();
  await page.locator('#rep-title').waitFor(); // this quarter, the officer's ward: the completion is in it
  await page.getByRole('button', { name: 'Xem theo cán bộ' }).click();
  await page.locator('#rep-people-heading ~ .table-wrap').waitFor();
  await page.locator('#rep-people-heading ~ .table-wrap').getByRole('link', { name: 'Đoàn Thị Hồ Sơ' }).click();
  await page.locator('#per-view').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.getElementById('per-courses-table'));
  assert.equal(await page.evaluate(() => location.hash), '#/person/HS-01');
  await page.getByRole('link', { name: '← Về báo cáo' }).click();
  await page.locator('#rep-view').waitFor({ state: 'visible' });
  assert.ok(await page.locator('#per-view').isHidden());
  assertNoProblems(page);
  await page.context().close();
});

test('accessible in both languages, at 1280 and 360 px', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
    const page = await openPage(browser, { viewport });
    await loginHr(page);
    await openFromHome(page);
    await page.locator('#per-sess-btn-0').click();
    await page.locator('#per-sess-table').waitFor();
    for (const lang of ['vi', 'en']) {
      await setLang(page, lang);
      if (viewport.width === 360) {
        const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
        assert.ok(m.sw <= m.cw, `${lang}: page is ${m.sw}px wide in a ${m.cw}px viewport`);
      }
      await assertAccessible(page, `person ${viewport.width}px (${lang})`);
    }
    assert.equal(await page.textContent('#per-heading'), 'Learning record: Đoàn Thị Hồ Sơ');
    assert.equal(await page.textContent('#per-sess-heading'), 'Sessions: ' + TITLE);
    await setLang(page, 'vi');
    await shot(page, `person-${viewport.width}-vi`);
    assertNoProblems(page);
    await page.context().close();
  }
});
