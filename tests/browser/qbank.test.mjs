// qbank.test.mjs — the question bank page (#/questions, qbank.js): a trainer reaches it from
// the home page, checks a GIFT file with a dry run (the report, nothing written), imports it,
// finds the new category in the tree, browses and filters the list in Vietnamese order, opens
// a question and saves a new version; a Windows-1258 file is refused on the page naming its
// line; axe finds nothing in Vietnamese and English, and at 360 px nothing scrolls sideways;
// learners and HR officers get neither the link nor the page.
// The tests of this file run in order: the import of the second test is browsed by the next.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { launch, openPage, login, assertAccessible, assertNoProblems, setLang, shot, texts } from './lib.mjs';

const sql = (q) => execFileSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', `${process.env.PL_DATA}/var/pg/run`,
  '-U', 'postgres', '-d', 'parlearn', '-c', q], { encoding: 'utf8' }).trim();

const DATA = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'unit', 'data', 'questions');
const GIFT = path.join(DATA, 'cchc-de-an-2709.gift');
const CP1258 = path.join(DATA, 'windows-1258.gift');
let CAT;
const inCat = () => `(SELECT count(*) FROM question q JOIN question_category c ON c.id = q.category_id WHERE c.path LIKE '${CAT}%')`;

let browser;
before(async () => {
  browser = await launch();
  CAT = `Kiểm thử trình duyệt ${String(Date.now()).slice(-6)}`;
});
after(async () => { await browser?.close(); });

async function openBank(page) {
  await page.getByRole('link', { name: 'Ngân hàng câu hỏi' }).click();
  await page.locator('#qbank-view').waitFor({ state: 'visible' });
  await page.waitForFunction(() => {
    const st = document.getElementById('qbank-status')?.textContent || '';
    return st !== '' && st !== 'Đang tải…' && st !== 'Loading…';
  });
}

async function reportText(page) {
  await page.waitForFunction(() => {
    const r = document.getElementById('qbank-report');
    return r && r.querySelector('h3');
  });
  return page.textContent('#qbank-report');
}

test('a trainer reaches the bank from the home page', async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  await openBank(page);
  assert.equal(await page.evaluate(() => location.hash), '#/questions');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'qbank-heading');
  assert.equal(await page.textContent('#qbank-heading'), 'Ngân hàng câu hỏi');
  // nothing to import before a file is checked
  assert.equal(await page.isDisabled('#qbank-do-import'), true);
  await page.click('#qbank-check');
  assert.equal(await page.textContent('#qbank-import-err'), 'Hãy chọn một tệp câu hỏi.');
  assert.equal(await page.getAttribute('#qbank-file', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'qbank-file');
  await assertAccessible(page, 'question bank, empty (vi)');
  assertNoProblems(page);
  await page.context().close();
});

test('a dry run shows the report and changes nothing; then the import', async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  await openBank(page);
  await page.setInputFiles('#qbank-file', GIFT);
  assert.equal(await page.inputValue('#qbank-format'), 'gift');
  await page.fill('#qbank-category', CAT);
  await page.click('#qbank-check');
  const dry = await reportText(page);
  assert.match(dry, /Kiểm tra thử: tệp hợp lệ, có thể nhập 14 câu hỏi\. Chưa có gì thay đổi\./);
  assert.match(dry, /Một lựa chọn: 2; Nhiều lựa chọn: 1; Đúng\/Sai: 2; Trả lời ngắn: 3; Số: 3/);
  assert.equal(sql(`SELECT ${inCat()}`), '0', 'a dry run writes nothing');
  assert.equal(await page.isDisabled('#qbank-do-import'), false);
  await assertAccessible(page, 'question bank, dry-run report (vi)');
  // changing the category asks for a new check
  await page.fill('#qbank-category', CAT + ' khác');
  assert.equal(await page.isDisabled('#qbank-do-import'), true);
  await page.fill('#qbank-category', CAT);
  await page.click('#qbank-check');
  await page.waitForFunction(() => !document.getElementById('qbank-do-import').disabled);
  await page.click('#qbank-do-import');
  await page.waitForFunction(() => /Đã nhập/.test(document.getElementById('qbank-report').textContent));
  assert.match(await page.textContent('#qbank-report h3'), /^Đã nhập 14 câu hỏi \(lần nhập số \d+\); 4 danh mục mới\.$/);
  assert.equal(sql(`SELECT ${inCat()}`), '14');
  assert.equal(sql(`SELECT DISTINCT created_by FROM question q JOIN question_category c ON c.id = q.category_id WHERE c.path LIKE '${CAT}%'`),
    process.env.PL_USER_TRAINER || 'giangvien');
  // the same file again: reported as imported before, nothing added
  await page.setInputFiles('#qbank-file', GIFT);
  await page.fill('#qbank-category', CAT);
  await page.click('#qbank-check');
  await page.waitForFunction(() => /trước đây/.test(document.getElementById('qbank-report').textContent));
  assert.equal(sql(`SELECT ${inCat()}`), '14');
  await setLang(page, 'en');
  assert.match(await page.textContent('#qbank-report h3'), /was imported into this category before/);
  await assertAccessible(page, 'question bank, report (en)');
  await setLang(page, 'vi');
  assertNoProblems(page);
  await page.context().close();
});

test('a Windows-1258 file is refused on the page, naming its line', async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  await openBank(page);
  await page.setInputFiles('#qbank-file', CP1258);
  await page.click('#qbank-check');
  const r = await reportText(page);
  assert.match(r, /Tệp bị từ chối: \d+ lỗi\. Không có câu hỏi nào được nhập\./);
  assert.match(r, /Cả tệp, dòng 1: /);
  assert.match(r, /not_utf8/);
  assert.equal(await page.isDisabled('#qbank-do-import'), true);
  assert.equal(await page.getAttribute('#qbank-report', 'class'), 'result result-bad');
  await assertAccessible(page, 'question bank, refused file (vi)');
  assertNoProblems(page);
  await page.context().close();
});

test('the trainer browses the tree and the list, opens a question and saves a new version', async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  await openBank(page);
  await page.locator('#qbank-cats').getByRole('button', { name: /^Chỉ tiêu/ }).first().waitFor();
  // the category made by the import, with its subtree
  const top = page.locator('#qbank-cats').getByRole('button', { name: new RegExp(`^${CAT}`) });
  await top.click();
  assert.equal(await top.getAttribute('aria-pressed'), 'true');
  await page.waitForFunction((cat) => (document.getElementById('qbank-status').textContent || '').includes(cat), CAT);
  assert.match(await page.textContent('#qbank-status'), /^Câu hỏi 1–14 trong số 14 của danh mục/);
  const names = await texts(page, '#qbank-list tbody th');
  assert.deepEqual(names.slice(0, 4), ['Chỉ số', 'Chỉ tiêu chuyên gia', 'Cơ quan tham mưu', 'Lĩnh vực cải cách']);
  const heads = await texts(page, '#qbank-list thead th');
  assert.deepEqual(heads, ['Tên câu hỏi', 'Loại', 'Mức độ', 'Danh mục', 'Thẻ', 'Phiên bản', 'Cập nhật']);
  // filter: numerical questions only
  await page.selectOption('#qbank-type', 'numerical');
  await page.click('#qbank-filter-go');
  await page.waitForFunction(() => /trong số 3 /.test(document.getElementById('qbank-status').textContent));
  assert.deepEqual(await texts(page, '#qbank-list tbody td:nth-child(2)'), ['Số', 'Số', 'Số']);
  await assertAccessible(page, 'question bank, filtered list (vi)');
  // the export links follow the chosen category
  const href = await page.getAttribute('#qbank-export-moodlexml', 'href');
  assert.equal(href, `/api/questions/export?format=moodlexml&category=${encodeURIComponent(CAT)}`);
  const exp = await page.evaluate(async (h) => { const r = await fetch(h); return { s: r.status, t: await r.text() }; }, href);
  assert.equal(exp.s, 200);
  assert.match(exp.t, /<question type="numerical">/);

  // one question: its page, then a new version
  await page.selectOption('#qbank-type', '');
  await page.click('#qbank-filter-go');
  await page.waitForFunction(() => /trong số 14 /.test(document.getElementById('qbank-status').textContent));
  await page.locator('#qbank-list').getByRole('link', { name: 'Chỉ tiêu chuyên gia' }).click();
  await page.locator('#qbank-q-view').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.getElementById('qbank-q-heading').textContent === 'Chỉ tiêu chuyên gia');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'qbank-q-heading');
  const body = await page.textContent('#qbank-q-body');
  assert.match(body, /100 % — 50 \(Đúng: ít nhất 50 chuyên gia\.\)/);
  assert.equal((await texts(page, '#qbank-history tbody tr')).length, 1);
  await assertAccessible(page, 'a question (vi)');
  await page.fill('#qbank-edit-text', 'Theo Đề án 2709, Thành phố đào tạo ít nhất bao nhiêu chuyên gia?');
  await page.selectOption('#qbank-edit-diff', 'hard');
  await page.click('#qbank-edit-save');
  await page.waitForFunction(() => /Đã lưu phiên bản 2/.test(document.getElementById('qbank-edit-msg').textContent));
  await page.waitForFunction(() => document.querySelectorAll('#qbank-history tbody tr').length === 2);
  const id = await page.evaluate(() => location.hash.split('/')[2]);
  assert.equal(sql(`SELECT current_version || '|' || (SELECT difficulty FROM question_version WHERE question_id = ${id} AND version_no = 1) FROM question WHERE id = ${id}`),
    '2|easy', 'version 1 keeps its difficulty');
  // saving the same again makes no version
  await page.click('#qbank-edit-save');
  await page.waitForFunction(() => /Không có thay đổi/.test(document.getElementById('qbank-edit-msg').textContent));
  await setLang(page, 'en');
  assert.equal(await page.textContent('#qbank-hist-h'), 'Versions');
  await assertAccessible(page, 'a question (en)');
  await setLang(page, 'vi');
  await shot(page, 'qbank-question-vi');
  // back to the list
  await page.getByRole('link', { name: '← Ngân hàng câu hỏi' }).click();
  await page.locator('#qbank-view').waitFor({ state: 'visible' });
  assertNoProblems(page);
  await page.context().close();
});

test('learners and HR officers get neither the link nor the page', async () => {
  for (const role of ['learner', 'hr_officer']) {
    const page = await openPage(browser);
    await login(page, role);
    assert.equal(await page.getByRole('link', { name: 'Ngân hàng câu hỏi' }).count(), 0, role);
    await page.evaluate(() => { location.hash = '#/questions'; });
    await page.waitForTimeout(300);
    const shown = (await page.locator('#qbank-view').count()) > 0 && (await page.isVisible('#qbank-view'));
    assert.equal(shown, false, `the bank is shown to ${role}`);
    const st = await page.evaluate(async () => (await fetch('/api/questions')).status);
    assert.equal(st, 403, role);
    await page.context().close();
  }
});

test('a 360 px phone: no sideways page scroll, accessible in both languages', async () => {
  const page = await openPage(browser, { viewport: { width: 360, height: 740 } });
  await login(page, 'trainer');
  await openBank(page);
  await page.setInputFiles('#qbank-file', CP1258);
  await page.click('#qbank-check');
  await reportText(page);
  for (const lang of ['vi', 'en']) {
    await setLang(page, lang);
    const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
    assert.ok(m.sw <= m.cw, `${lang}: page is ${m.sw}px wide in a ${m.cw}px viewport`);
    await assertAccessible(page, `question bank at 360 px (${lang})`);
  }
  await setLang(page, 'vi');
  await shot(page, 'qbank-360-vi');
  const id = sql(`SELECT min(q.id) FROM question q JOIN question_category c ON c.id = q.category_id WHERE c.path LIKE '${CAT}%'`);
  await page.evaluate((i) => { location.hash = `#/questions/${i}`; }, id);
  await page.waitForFunction(() => document.querySelectorAll('#qbank-history tbody tr').length >= 1);
  const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert.ok(m.sw <= m.cw, `a question: page is ${m.sw}px wide in a ${m.cw}px viewport`);
  await assertAccessible(page, 'a question at 360 px (vi)');
  assertNoProblems(page);
  await page.context().close();
});
