// flags.test.mjs — "Thiết lập chỉ tiêu" (#/indicator-flags, flags.js): an administrator
// decides what counts in the Decision's indicators. From the home page's link, they make a
// course without a PAR area count as PAR training and mark a job position as a PAR position;
// each row says "Đã lưu"; after a reload the page shows what was stored. A change the server
// refuses (the position's code changed under the page) puts the checkbox back and says why on
// its row. An HR officer has no link and no page. Accessible (axe) in both languages at
// 1280 px and 360 px. Flags change the indicators of the whole city, so this file runs its own
// server (tests/lib/server.mjs) with its own courses and positions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertAccessible, assertNoProblems, setLang, shot } from './lib.mjs';
import { startServer } from '../lib/server.mjs';

let srv;
let browser;
const sql = (q) => srv.sql(q);
const cli = (args, input) => srv.cli(args, input);
const PASS = 'Bf-Chi-Tieu-2026-Qm4v';

before(async () => {
  browser = await launch();
  srv = await startServer();
  cli(['unit', 'create', '--code', 'HCMB', '--name', 'Thành phố Hồ Chí Minh', '--kind', 'city', '--valid-from', '1976-07-02']);
  cli(['unit', 'create', '--code', 'SNVB', '--name', 'Sở Nội vụ', '--kind', 'department', '--parent', 'HCMB', '--valid-from', '2008-01-01']);
  cli(['person', 'create', '--employee-code', 'BF-01', '--unit', 'SNVB', '--name', 'Ngô Thị Giữ', '--position',
    'Chuyên viên CCHC thử', '--par-role', 'concurrent'], '079412345671\n');
  sql(`INSERT INTO job_position (code, name) VALUES ('BF-CCHC', 'Chuyên viên CCHC thử'), ('BF-KT', 'Kế toán thử')`);
  const course = (code, title, area) => sql(`WITH c AS (INSERT INTO course (code, title) VALUES ('${code}', '${title}') RETURNING id)
    INSERT INTO course_version (course_id, version_no, kind, title, package_sha256, storage_key, file_count, total_bytes,
      imported_by, par_area, training_periods)
    SELECT id, 1, 'native', '${title}', repeat('d', 64), 'bflags${code}xxxxxxxxxxx', 1, 1, 'test', ${area ? `'${area}'` : 'NULL'}, 4 FROM c`);
  course('BFC1', 'Thủ tục hành chính thử', 'thu-tuc-hanh-chinh');
  course('BFC2', 'Kỹ năng lãnh đạo thử', null);
  cli(['user', 'create', '--username', 'bf.admin', '--role', 'admin', '--password-stdin', '--name', 'Quản Trị Thử'], `${PASS}\n`);
  cli(['user', 'create', '--username', 'bf.hr', '--role', 'hr_officer', '--scope', 'SNVB', '--password-stdin',
    '--name', 'Nhân Sự Thử'], `${PASS}\n`);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function loginAs(page, username) {
  await page.goto(srv.url + '/');
  await page.locator('#login-view').waitFor({ state: 'visible' });
  await page.fill('#username', username);
  await page.fill('#password', PASS);
  await page.click('#login-submit');
  await page.locator('#home-view').waitFor({ state: 'visible' });
}

async function waitTables(page) {
  await page.locator('#flags-view').waitFor({ state: 'visible' });
  await page.locator('#flg-courses table').waitFor();
  await page.locator('#flg-positions table').waitFor();
}

async function openFlags(page) {
  await page.getByRole('link', { name: 'Thiết lập chỉ tiêu' }).click();
  await waitTables(page);
  await page.waitForFunction(() => document.activeElement.id === 'flg-heading');
}

const rowOf = (page, name) => page.locator('tbody tr', { has: page.locator(`th:text-is("${name}")`) });

test('an administrator flips a course and a position, sees "Đã lưu", and finds them stored after a reload', async () => {
  const page = await openPage(browser);
  await loginAs(page, 'bf.admin');
  await openFlags(page);
  // the explanations, and the rows in Vietnamese order
  assert.match(await page.textContent('#flg-courses-feeds'), /Lãnh đạo được bồi dưỡng về cải cách hành chính/);
  assert.match(await page.textContent('#flg-positions-feeds'), /ít nhất 01 vị trí việc làm CCHC/);
  assert.deepEqual(await page.locator('#flg-courses tbody th').allTextContents(), ['Kỹ năng lãnh đạo thử', 'Thủ tục hành chính thử']);
  assert.deepEqual(await page.locator('#flg-positions tbody th').allTextContents(), ['Chuyên viên CCHC thử', 'Kế toán thử']);
  const c2 = rowOf(page, 'Kỹ năng lãnh đạo thử');
  assert.match(await c2.textContent(), /BFC2\s*Không có/);
  assert.match(await c2.textContent(), /Hiện không được tính/);
  assert.match(await rowOf(page, 'Thủ tục hành chính thử').textContent(), /thu-tuc-hanh-chinh.*Hiện được tính/);
  assert.match(await rowOf(page, 'Chuyên viên CCHC thử').textContent(), /BF-CCHC\s*1/);
  await assertAccessible(page, 'indicator flags 1280px');

  // the course without a PAR area now counts as PAR training
  const sel = page.getByLabel('Tính là bồi dưỡng CCHC của khóa Kỹ năng lãnh đạo thử');
  assert.equal(await sel.inputValue(), 'auto');
  await sel.selectOption('yes');
  await c2.getByRole('status').filter({ hasText: 'Đã lưu' }).waitFor();
  assert.match(await c2.textContent(), /Hiện được tính/);
  // the position becomes a PAR position, by keyboard
  const pos = page.getByLabel('Vị trí việc làm CCHC của vị trí Chuyên viên CCHC thử');
  await pos.focus();
  await page.keyboard.press('Space');
  const p1 = rowOf(page, 'Chuyên viên CCHC thử');
  await p1.getByRole('status').filter({ hasText: 'Đã lưu' }).waitFor();
  assert.equal(await pos.isChecked(), true);
  assert.equal(sql("SELECT coalesce(par_training::text, 'auto') FROM course WHERE code = 'BFC2'"), 'true');
  assert.equal(sql("SELECT par_position FROM job_position WHERE code = 'BF-CCHC'"), 't');
  await shot(page, 'flags-saved-1280-vi');

  // a change the server refuses: the position's code changed under the page
  sql("UPDATE job_position SET code = 'BF-KT2' WHERE code = 'BF-KT'");
  const kt = page.getByLabel('Vị trí việc làm CCHC của vị trí Kế toán thử');
  await kt.click();
  const ktRow = rowOf(page, 'Kế toán thử');
  await ktRow.getByRole('status').filter({ hasText: 'Chưa lưu được' }).waitFor();
  assert.match(await ktRow.getByRole('status').textContent(), /không còn trong hệ thống.*Giá trị đã lưu được giữ nguyên/);
  assert.equal(await kt.isChecked(), false);
  assert.equal(sql("SELECT par_position FROM job_position WHERE code = 'BF-KT2'"), 'f');

  // a reload shows what is stored
  await page.reload();
  await waitTables(page);
  assert.equal(await page.getByLabel('Tính là bồi dưỡng CCHC của khóa Kỹ năng lãnh đạo thử').inputValue(), 'yes');
  assert.equal(await page.getByLabel('Tính là bồi dưỡng CCHC của khóa Thủ tục hành chính thử').inputValue(), 'auto');
  assert.equal(await page.getByLabel('Vị trí việc làm CCHC của vị trí Chuyên viên CCHC thử').isChecked(), true);
  assert.equal(await page.getByLabel('Chương trình chuyên gia của khóa Kỹ năng lãnh đạo thử').isChecked(), false);
  assert.match(await rowOf(page, 'Kế toán thử').textContent(), /BF-KT2/);
  // back to automatic: it follows the PAR area again (none), and the audit log has all three changes
  await page.getByLabel('Tính là bồi dưỡng CCHC của khóa Kỹ năng lãnh đạo thử').selectOption('auto');
  await rowOf(page, 'Kỹ năng lãnh đạo thử').getByRole('status').filter({ hasText: 'Đã lưu' }).waitFor();
  assert.match(await rowOf(page, 'Kỹ năng lãnh đạo thử').textContent(), /Hiện không được tính/);
  assert.equal(sql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE actor = 'bf.admin'"),
    'report.flag-course,report.flag-position,report.flag-course');
  assertNoProblems(page);
  await page.context().close();
});

test('accessible in both languages, and on a 360 px phone', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
    const page = await openPage(browser, { viewport });
    await loginAs(page, 'bf.admin');
    await openFlags(page);
    for (const lang of ['vi', 'en']) {
      await setLang(page, lang);
      await waitTables(page);
      if (viewport.width === 360) {
        const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
        assert.ok(m.sw <= m.cw, `${lang}: page is ${m.sw}px wide in a ${m.cw}px viewport`);
      }
      await assertAccessible(page, `indicator flags ${viewport.width}px (${lang})`);
    }
    // English labels name the row too, and the link keeps its place after the switch
    assert.equal(await page.getByLabel('Expert programme, course Kỹ năng lãnh đạo thử').count(), 1);
    assert.equal(await page.locator('#flg-nav').textContent(), 'Indicator settings');
    await setLang(page, 'vi');
    await shot(page, `flags-${viewport.width}-vi`);
    assertNoProblems(page);
    await page.context().close();
  }
});

test('an HR officer has no link and no page', async () => {
  const page = await openPage(browser);
  await loginAs(page, 'bf.hr');
  assert.equal(await page.getByRole('link', { name: 'Thiết lập chỉ tiêu' }).count(), 0);
  await page.goto(srv.url + '/#/indicator-flags');
  await page.locator('#home-view').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#flags-view:visible').count(), 0);
  await page.context().close();
});
