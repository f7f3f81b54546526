// assign.test.mjs — "Giao khóa học" (#/assignments, assign.js, docs/assignments.md) as an HR
// officer of Sở Nội vụ would use it for the first time: from the home page, a form that says
// what is missing, a preview that keeps nothing, the rule made with what it did, the list with
// its counts, ending a rule after a confirmation, a deadline in days, a date in the past
// refused by the server; only the officer's own units offered. Accessible (axe) in both
// languages and at 360 px. The rule enrols people, so this file runs its own server
// (tests/lib/server.mjs) with its own units, people and course.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertAccessible, assertNoProblems, setLang, shot, texts } from './lib.mjs';
import { startServer } from '../lib/server.mjs';

let srv, browser;
const sql = (q) => srv.sql(q);
const cli = (args, input) => srv.cli(args, input);
const PASS = 'Gk-Snv-2026-Qq7w';
const cityDay = (offsetDays) => new Date(Date.now() + 7 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);

before(async () => {
  browser = await launch();
  srv = await startServer();
  const unit = (...a) => cli(['unit', 'create', ...a]);
  unit('--code', 'HCM', '--name', 'Thành phố Hồ Chí Minh', '--kind', 'city');
  unit('--code', 'SNV', '--name', 'Sở Nội vụ', '--kind', 'department', '--parent', 'HCM');
  unit('--code', 'SNV-CCHC', '--name', 'Phòng Cải cách hành chính', '--kind', 'office', '--parent', 'SNV');
  unit('--code', 'STC', '--name', 'Sở Tài chính', '--kind', 'department', '--parent', 'HCM');
  let n = 0;
  const person = (code, u, name, position, account) => {
    n += 1;
    cli(['person', 'create', '--employee-code', code, '--unit', u, '--name', name, '--position', position,
      '--par-role', 'dedicated', ...(position === 'Phó Giám đốc' ? ['--leader'] : [])],
    `0794${String(7000000 + n * 17).padStart(8, '0')}\n`);
    if (account) {
      cli(['user', 'create', '--username', code.toLowerCase(), '--role', 'learner', '--person', code,
        '--password-stdin', '--name', name], `${PASS}\n`);
    }
  };
  person('SNV-01', 'SNV', 'Trần Thị Mai', 'Phó Giám đốc', true);
  person('SNV-02', 'SNV-CCHC', 'Lê Văn Hùng', 'Chuyên viên', true);
  person('SNV-03', 'SNV-CCHC', 'Ngô Thị Lan', 'Chuyên viên', false);
  person('STC-01', 'STC', 'Phan Văn Tài', 'Chuyên viên', true);
  sql(`WITH c AS (INSERT INTO course (code, title) VALUES ('TTHC-CB', 'Thủ tục hành chính cơ bản') RETURNING id)
    INSERT INTO course_version (course_id, version_no, kind, title, package_sha256, storage_key, file_count, total_bytes,
      imported_by, par_area, training_periods)
    SELECT id, 1, 'native', 'Thủ tục hành chính cơ bản', repeat('c', 64), 'tthccbbrowsertestxxxx', 1, 1, 'test',
      'thu-tuc-hanh-chinh', 8 FROM c`);
  cli(['user', 'create', '--username', 'hr.snv', '--role', 'hr_officer', '--scope', 'SNV', '--password-stdin',
    '--name', 'Đỗ Thị Nhân Sự'], `${PASS}\n`);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function openAssign(page) {
  await page.goto(srv.url + '/');
  await page.locator('#login-view').waitFor({ state: 'visible' });
  await page.fill('#username', 'hr.snv');
  await page.fill('#password', PASS);
  await page.click('#login-submit');
  await page.locator('#home-view').waitFor({ state: 'visible' });
  await page.getByRole('link', { name: 'Giao khóa học' }).click();
  await page.locator('#assign-view').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.activeElement.id === 'asg-heading');
  await page.locator('#asg-course option[value="TTHC-CB"]').waitFor({ state: 'attached' });
  await page.locator('#asg-list-msg').filter({ hasText: /quy tắc|Chưa có/ }).waitFor();
}

test('an HR officer assigns a course to their department: preview, the rule, the list, ending it', async () => {
  const page = await openPage(browser);
  await openAssign(page);
  const v = page.locator('#assign-view');
  assert.equal(await page.textContent('#asg-list-msg'), 'Chưa có quy tắc nào.');
  await assertAccessible(page, 'the assignment page, empty');
  // only the officer's own units
  const units = await texts(page, '#asg-unit option');
  assert.deepEqual(units.slice(1).sort(), ['Phòng Cải cách hành chính (SNV-CCHC)', 'Sở Nội vụ (SNV)']);

  // nothing chosen: the form says what is missing, on the field
  await v.getByRole('button', { name: 'Giao khóa học' }).click();
  assert.equal(await page.textContent('#asg-error'), 'Hãy chọn khóa học.');
  assert.equal(await page.getAttribute('#asg-course', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'asg-course');

  await v.getByLabel('Khóa học').selectOption('TTHC-CB');
  await v.getByLabel('Đơn vị', { exact: true }).selectOption('SNV');
  await v.getByLabel('Ngày hết hạn').fill(cityDay(-1));
  // a date already past: the server refuses it, and the page says so on the field
  await v.getByRole('button', { name: 'Xem trước' }).click();
  await page.locator('#asg-error').filter({ hasText: 'Ngày hết hạn đã qua' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'asg-due-on');

  // the preview keeps nothing
  const due = cityDay(30);
  await v.getByLabel('Ngày hết hạn').fill(due);
  await v.getByRole('button', { name: 'Xem trước' }).click();
  await page.locator('#asg-result').filter({ hasText: 'chưa có gì được lưu' }).waitFor();
  const preview = await page.textContent('#asg-result');
  assert.match(preview, /3 người trong đơn vị khớp điều kiện/);
  assert.match(preview, /2 người được ghi danh mới/);
  assert.match(preview, /1 người chưa có tài khoản/);
  assert.equal(await page.textContent('#asg-error'), '');
  assert.equal(sql('SELECT count(*) FROM assignment_rule'), '0');
  assert.equal(sql('SELECT count(*) FROM enrolment'), '0');
  await shot(page, 'assign-preview');

  // the rule
  await v.getByRole('button', { name: 'Giao khóa học' }).click();
  await page.locator('#asg-result').filter({ hasText: /Đã giao \(quy tắc số \d+\)/ }).waitFor();
  assert.equal(sql(`SELECT string_agg(u.username || ':' || e.due_at, ',' ORDER BY u.username) FROM enrolment e
    JOIN app_user u ON u.id = e.user_id`), `snv-01:${due},snv-02:${due}`);
  await page.locator('#asg-list-msg').filter({ hasText: '1 quy tắc' }).waitFor();
  const row = (await texts(page, '#asg-rules tbody tr'))[0];
  assert.match(row, /^Thủ tục hành chính cơ bản \(TTHC-CB\)Sở Nội vụ \(SNV\)Mọi chức danh · Lãnh đạo và công chức/);
  assert.match(row, new RegExp(`${due.slice(8, 10)}/${due.slice(5, 7)}/${due.slice(0, 4)}2\\s*0\\s*0user:hr\\.snv`));
  assert.match(row, /Đang áp dụng/);
  await assertAccessible(page, 'the assignment page with a rule');

  // a deadline in days: 0 is refused by the form, 30 is previewed
  await v.getByLabel('Số ngày kể từ khi được giao').check();
  await v.getByLabel('Số ngày', { exact: true }).fill('0');
  await v.getByRole('button', { name: 'Xem trước' }).click();
  assert.equal(await page.textContent('#asg-error'), 'Số ngày: một số nguyên từ 1 đến 3650.');
  await v.getByLabel('Số ngày', { exact: true }).fill('30');
  await v.getByLabel('Đối tượng').selectOption('leader');
  await v.getByRole('button', { name: 'Xem trước' }).click();
  await page.locator('#asg-result').filter({ hasText: /1 người trong đơn vị khớp điều kiện/ }).waitFor();
  assert.match(await page.textContent('#asg-result'), /1 người đã được giao trước hoặc đã hoàn thành/);

  // ending the rule, after a confirmation
  await v.getByRole('button', { name: 'Ngừng áp dụng quy tắc giao TTHC-CB cho SNV' }).click();
  await v.getByRole('button', { name: 'Ngừng', exact: true }).click();
  await page.locator('#asg-list-msg').filter({ hasText: 'Chưa có quy tắc nào.' }).waitFor();
  assert.equal(sql('SELECT ended_by FROM assignment_rule'), 'user:hr.snv');
  assert.equal(sql('SELECT count(*) FROM enrolment'), '2', 'what the rule made stays');
  await v.getByLabel('Hiện cả quy tắc đã ngừng').check();
  await page.locator('#asg-rules tbody tr').filter({ hasText: 'Đã ngừng lúc' }).waitFor();
  assertNoProblems(page);
  await page.context().close();
});

test('the assignment page in English and on a 360 px phone', async () => {
  const page = await openPage(browser, { viewport: { width: 360, height: 740 } });
  await openAssign(page);
  const v = page.locator('#assign-view');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 0, `the page scrolls sideways by ${wide}px at 360 px`);
  await assertAccessible(page, 'the assignment page at 360 px');
  await setLang(page, 'en');
  assert.equal(await page.textContent('#asg-heading'), 'Assign a course to a unit');
  await v.getByLabel('Course', { exact: true }).selectOption('TTHC-CB');
  await v.getByRole('button', { name: 'Assign the course' }).click();
  assert.equal(await page.textContent('#asg-error'), 'Choose a unit.');
  await assertAccessible(page, 'the assignment page in English');
  assertNoProblems(page);
  await page.context().close();
});

test('a learner has no assignment page, and the API refuses them', async () => {
  const page = await openPage(browser);
  await page.goto(srv.url + '/');
  await page.locator('#login-view').waitFor({ state: 'visible' });
  await page.fill('#username', 'snv-01');
  await page.fill('#password', PASS);
  await page.click('#login-submit');
  await page.locator('#home-view').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#asg-nav').count(), 0);
  await page.evaluate(() => { location.hash = '#/assignments'; });
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#assign-view:visible').count(), 0);
  const status = await page.evaluate(async () => (await fetch('/api/assignments')).status);
  assert.equal(status, 403);
  await page.context().close();
});
