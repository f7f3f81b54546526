// reports.test.mjs — the HR reports page (#/reports, reports.js) as a new HR officer of a
// district would use it: from the home page, the quarterly report of their district by ward
// with its charts, a drill-down to a ward and to its people, the indicators and the list
// behind one, an Excel download (a real workbook), and no way to a neighbouring district,
// whether in the unit list or by the address bar. Accessible (axe) in both languages and at
// 360 px. The reports count everything in a unit tree, so this file runs its own server
// (tests/lib/server.mjs), with its own city: Quận 1 and two of its wards, a neighbour (Quận 3),
// people, a course, enrolments and completions (CLI and psql) in the first quarter of 2025,
// when Quận 1 existed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, openPage, assertAccessible, assertNoProblems, setLang, shot, texts } from './lib.mjs';
import { startServer } from '../lib/server.mjs';

let srv;
const sql = (q) => srv.sql(q);
const cli = (args, input) => srv.cli(args, input);
const PASS = 'Bc-Quan1-2025-Zz9x';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parlearn-rep-browser-'));

let browser;
before(async () => {
  browser = await launch();
  srv = await startServer();
  const unit = (...a) => cli(['unit', 'create', ...a]);
  unit('--code', 'HCM', '--name', 'Thành phố Hồ Chí Minh', '--kind', 'city', '--valid-from', '1976-07-02');
  unit('--code', 'Q1', '--name', 'Quận 1', '--kind', 'district', '--parent', 'HCM', '--valid-from', '1976-07-02', '--valid-to', '2025-06-30');
  unit('--code', 'Q1-BN', '--name', 'Phường Bến Nghé', '--kind', 'ward', '--parent', 'Q1', '--valid-from', '1997-01-01', '--valid-to', '2025-06-30');
  unit('--code', 'Q1-DK', '--name', 'Phường Đa Kao', '--kind', 'ward', '--parent', 'Q1', '--valid-from', '1997-01-01', '--valid-to', '2025-06-30');
  unit('--code', 'Q3', '--name', 'Quận 3', '--kind', 'district', '--parent', 'HCM', '--valid-from', '1976-07-02', '--valid-to', '2025-06-30');
  let n = 0;
  const person = (code, u, name, par, leader) => {
    n += 1;
    cli(['person', 'create', '--employee-code', code, '--unit', u, '--name', name, '--position', 'Chuyên viên',
      '--par-role', par, ...(leader ? ['--leader'] : [])], `0793${String(5000000 + n * 313).padStart(8, '0')}\n`);
    cli(['user', 'create', '--username', code.toLowerCase(), '--role', 'learner', '--person', code, '--password-stdin',
      '--name', name], `${PASS}\n`);
    sql(`UPDATE person_history SET valid_from = '2024-01-01' WHERE person_id = (SELECT id FROM person WHERE employee_code = '${code}')`);
  };
  person('BN-01', 'Q1-BN', 'Hồ Thị Bến', 'dedicated', false);
  person('BN-02', 'Q1-BN', 'Lý Văn Nghé', 'none', true);
  person('DK-01', 'Q1-DK', 'Mai Thị Đa', 'concurrent', false);
  person('Q3-01', 'Q3', 'Tô Văn Ba', 'dedicated', false);
  sql(`WITH c AS (INSERT INTO course (code, title) VALUES ('BCQ1', 'Thủ tục hành chính cơ bản') RETURNING id)
    INSERT INTO course_version (course_id, version_no, kind, title, package_sha256, storage_key, file_count, total_bytes,
      imported_by, par_area, training_periods)
    SELECT id, 1, 'native', 'Thủ tục hành chính cơ bản', repeat('b', 64), 'bcq1browsertestxxxxxx', 1, 1, 'test', 'thu-tuc-hanh-chinh', 8 FROM c`);
  const enrol = (code, at, done) => {
    const e = sql(`INSERT INTO enrolment (user_id, course_id, version_id, source, assigned_by, due_at, enrolled_at)
      SELECT u.id, c.id, v.id, 'assigned', 'hr.q1', '2025-03-15', '${at} 09:00+07' FROM app_user u, course c
        JOIN course_version v ON v.course_id = c.id WHERE u.username = '${code.toLowerCase()}' AND c.code = 'BCQ1' RETURNING id`);
    if (done) {
      sql(`INSERT INTO completion (enrolment_id, user_id, course_id, version_id, completed_at, passed, score_scaled,
          active_s, reported_s, evidence)
        SELECT id, user_id, course_id, version_id, '${done} 10:00+07', true, 1, 5400, 6000, '{}' FROM enrolment WHERE id = ${e}`);
    }
  };
  enrol('BN-01', '2025-01-06', '2025-02-10');
  enrol('BN-02', '2025-01-06', '2025-03-02');
  enrol('DK-01', '2025-02-03', null);
  enrol('Q3-01', '2025-01-06', '2025-01-20');
  // a published capability exam with three attempts in the quarter (45 %, 75 %, 95 %; one
  // from the neighbour), and a talent-pool entry approved on 20 March
  sql(`INSERT INTO assessment (code, kind, title, unit_id, status, opens_at, closes_at, max_attempts, pass_fraction,
      show_score, show_answers, show_feedback, created_by, results_published_at, results_published_by)
    SELECT 'BCQ1-SH', 'exam', 'Sát hạch CCHC quý I', id, 'closed', '2025-03-01 08:00+07', '2025-03-01 11:00+07', 1, 0.5,
      'after_publish', 'after_publish', 'after_publish', 'test', '2025-03-05 09:00+07', 'test' FROM org_unit WHERE code = 'HCM'`);
  const attempt = (code, fraction) => sql(`INSERT INTO attempt (assessment_id, user_id, person_id, unit_id, attempt_no,
      seed, started_at, submitted_at, submitted_by, max_score, score, fraction, passed, graded_at)
    SELECT a.id, u.id, p.id, p.unit_id, 1, 7, '2025-03-01 09:00+07', '2025-03-01 10:00+07', 'learner', 20, ${fraction * 20},
      ${fraction}, ${fraction >= 0.5}, '2025-03-01 10:00+07'
      FROM assessment a, app_user u JOIN person p ON p.id = u.person_id
     WHERE a.code = 'BCQ1-SH' AND u.username = '${code.toLowerCase()}' RETURNING id`);
  const bnAttempt = attempt('BN-01', 0.95);
  attempt('DK-01', 0.45);
  attempt('Q3-01', 0.75);
  sql(`INSERT INTO talent_pool (assessment_id, person_id, attempt_id, track, rank, score, proposed_by, proposed_at,
      status, decided_by, decided_at)
    SELECT a.id, p.id, ${bnAttempt}, 'leader', 1, 19, 'giang.vien', '2025-03-10 09:00+07', 'approved', 'hr.q1',
      '2025-03-20 09:00+07' FROM assessment a, person p WHERE a.code = 'BCQ1-SH' AND p.employee_code = 'BN-01'`);
  cli(['user', 'create', '--username', 'hr.q1', '--role', 'hr_officer', '--scope', 'Q1', '--password-stdin',
    '--name', 'Phạm Thị Nhân Sự'], `${PASS}\n`);
  // an anonymous survey addressed to Quận 1, answered in the quarter: 5 responses from Bến Nghé
  // (4 4 5 5 3) and 2 from Đa Kao (2 3). Its population is who it asks now: the 3 people above
  // and 6 more of Đa Kao put on the roster today (after the quarter, so the completion report
  // does not count them)
  for (let i = 1; i <= 6; i++) {
    sql(`INSERT INTO person (employee_code, pin, full_name, unit_id)
      SELECT 'DK-N${i}', '0794${String(6000000 + i * 271).padStart(8, '0')}', 'Người mới ${i}', id FROM org_unit WHERE code = 'Q1-DK'`);
  }
  sql(`WITH s AS (INSERT INTO survey (code, title, kind, status, anonymous, owner_id, published_at)
      SELECT 'BCQ1-KS', 'Mức độ hài lòng quý I', 'standalone', 'open', true, id, '2025-01-02 08:00+07'
        FROM app_user WHERE username = 'hr.q1' RETURNING id),
    u AS (INSERT INTO survey_unit (survey_id, unit_id, ord) SELECT s.id, o.id, 1 FROM s, org_unit o WHERE o.code = 'Q1')
    INSERT INTO survey_question (survey_id, qid, kind, text, required, points, options)
    SELECT s.id, 1, 'likert', 'Nội dung phù hợp', true, 5,
      ARRAY['Hoàn toàn không đồng ý', 'Không đồng ý', 'Trung lập', 'Đồng ý', 'Hoàn toàn đồng ý'] FROM s`);
  const respond = (u, p) => sql(`INSERT INTO survey_response (survey_id, unit_id, submitted_on, qids, nums)
    SELECT s.id, o.id, '2025-02-20', ARRAY[1], ARRAY[${p}] FROM survey s, org_unit o
     WHERE s.code = 'BCQ1-KS' AND o.code = '${u}'`);
  [4, 4, 5, 5, 3].forEach((p) => respond('Q1-BN', p));
  [2, 3].forEach((p) => respond('Q1-DK', p));
});
after(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  await srv?.stop();
});

async function loginQ1(page) {
  await page.goto(srv.url + '/');
  await page.locator('#login-view').waitFor({ state: 'visible' });
  await page.fill('#username', 'hr.q1');
  await page.fill('#password', PASS);
  await page.click('#login-submit');
  await page.locator('#home-view').waitFor({ state: 'visible' });
}

async function waitReport(page) {
  await page.waitForFunction(() => {
    const t = document.getElementById('rep-title');
    return (t && document.getElementById('rep-body').getAttribute('aria-busy') === 'false')
      || document.getElementById('rep-error').textContent !== '';
  });
}

async function openQuarter(page) {
  await page.getByRole('link', { name: 'Báo cáo bồi dưỡng' }).click();
  await page.locator('#rep-view').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.activeElement.id === 'rep-heading');
  await page.locator('#rep-unit option').first().waitFor({ state: 'attached' });
  await page.getByLabel('Kỳ báo cáo').selectOption('q');
  await page.getByLabel('Năm', { exact: true }).selectOption('2025');
  await page.getByLabel('Quý', { exact: true }).selectOption('1');
  await page.getByRole('button', { name: 'Xem báo cáo' }).click();
  await page.waitForFunction(() => document.activeElement.id === 'rep-title' || document.getElementById('rep-error').textContent !== '');
  await waitReport(page);
}

test('a district officer: the quarter by ward, charts, drill-down, indicators, Excel', async () => {
  const page = await openPage(browser);
  await loginQ1(page);
  await openQuarter(page);
  assert.equal(await page.textContent('#rep-error'), '');
  assert.match(await page.textContent('#rep-title'), /^Quận 1 — kỳ 2025-Q1 \(01\/01\/2025 – 31\/03\/2025\)$/);
  // the unit list: Q1 and its wards, never the neighbour
  const options = await texts(page, '#rep-unit option');
  assert.ok(options.some((o) => o.startsWith('Quận 1 (Q1)')), options.join('|'));
  assert.ok(options.some((o) => o.startsWith('Phường Bến Nghé')));
  assert.ok(!options.some((o) => /Quận 3|Sở Nội vụ|Q3/.test(o)), options.join('|'));
  // the table by ward, then the total
  const rows = await texts(page, '#rep-units-heading ~ .table-wrap tbody tr');
  const bn = rows.find((r) => r.startsWith('Phường Bến Nghé'));
  const dk = rows.find((r) => r.startsWith('Phường Đa Kao'));
  assert.ok(bn && dk, rows.join('\n'));
  assert.match(bn, /Q1-BN\s*2\s*2\s*2\s*100,0 %\s*2/); // 2 people, 2 enrolled, 2 done, 100 %, 2 completed
  assert.match(rows.at(-1), /^Tổng cộng\s*3\s*3\s*2\s*66,7 %\s*2\s*1/); // one assignment overdue in Đa Kao
  // charts with their figures beside them
  assert.equal(await page.locator('#rep-body svg[role="img"]').count(), 4); // three, and the score distribution
  const months = await page.$$eval('#rep-ch-month-cap ~ details tbody tr',
    (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim()).join(' ')));
  assert.deepEqual(months, ['01/2025 2 0', '02/2025 1 1', '03/2025 0 1']);
  await shot(page, 'reports-district-vi');
  // the indicators and the list behind one
  const ind = await texts(page, '.rep-ind-table tbody tr');
  assert.equal(ind.length, 6);
  assert.ok(ind.find((r) => r.startsWith('Công chức làm công tác CCHC được tiếp cận')).includes('2'), ind.join('\n'));
  // the leadership pool: BN-01 (PAR staff, approved on 20 March)
  assert.match(ind.find((r) => r.startsWith('Công chức làm công tác CCHC được quy hoạch')), /lãnh đạo\s*1\s*—\s*—\s*ít nhất 20 người/);
  await page.getByRole('button', { name: 'Xem danh sách: Công chức làm công tác CCHC hoàn thành các khóa được giao' }).click();
  await page.locator('#rep-list-heading').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'rep-list-heading');
  const list = await texts(page, '#rep-list-heading ~ .table-wrap tbody tr');
  assert.equal(list.length, 2);
  assert.match(list[0], /Hồ Thị Bến BN-01/);
  assert.match(list[1], /Mai Thị Đa DK-01.*Chưa/);
  // Excel: a real workbook
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#rep-units-heading ~ .rep-files a', { hasText: 'Tải Excel' }).click(),
  ]);
  const file = path.join(tmp, 'bao-cao.xlsx');
  await download.saveAs(file);
  assert.match(download.suggestedFilename(), /^bao-cao-completion-Q1-2025-Q1\.xlsx$/);
  const listing = execFileSync('unzip', ['-l', file], { encoding: 'utf8' });
  assert.ok(listing.includes('xl/workbook.xml') && listing.includes('xl/worksheets/sheet1.xml'), listing);
  const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  assert.ok(sheet.includes('Phường Bến Nghé') && sheet.includes('Tổng cộng'));
  // the exam results: by ward, the distribution with its table, by exam; the talent pool
  const ex = await texts(page, '#rep-ex-units-heading + .table-wrap tbody tr');
  assert.match(ex.find((r) => r.startsWith('Phường Bến Nghé')), /Q1-BN\s*1\s*1\s*95,0 %\s*100,0 %\s*0/);
  assert.match(ex.at(-1), /^Tổng cộng\s*2\s*2\s*70,0 %\s*50,0 %\s*0/); // not the neighbour's 75 %
  const dist = await page.$$eval('#rep-ch-bands-cap ~ details tbody tr',
    (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim()).join(' ')));
  assert.equal(dist.length, 10);
  assert.deepEqual([dist[4], dist[9], dist[0]], ['40–50 % 1', '90–100 % 1', '0–10 % 0']);
  const byExam = await texts(page, '#rep-ex-asm-heading ~ .table-wrap tbody tr');
  assert.deepEqual(byExam.length, 1);
  assert.match(byExam[0], /^Sát hạch CCHC quý I BCQ1-SH\s*Kỳ sát hạch\s*2/);
  const pool = await texts(page, '#rep-pool-heading ~ .table-wrap tbody tr');
  assert.equal(pool.length, 1);
  assert.match(pool[0], /^Hồ Thị Bến BN-01\s*Phường Bến Nghé\s*Lãnh đạo\s*Sát hạch CCHC quý I\s*1\s*95,0 %\s*Đã phê duyệt\s*giang\.vien, 10\/03\/2025\s*hr\.q1, 20\/03\/2025/);
  // only quizzes: none in this quarter; the heading takes the focus
  await page.getByLabel('Loại bài').selectOption('quiz');
  await page.waitForFunction(() => document.activeElement.id === 'rep-ex-heading');
  await page.waitForFunction(() => document.getElementById('rep-body').getAttribute('aria-busy') === 'false');
  assert.ok((await page.textContent('.rep-ex')).includes('Không có lượt làm bài nào được tính trong kỳ.'));
  await page.getByLabel('Loại bài').selectOption('');
  await page.waitForFunction(() => document.getElementById('rep-body').getAttribute('aria-busy') === 'false'
    && document.querySelectorAll('#rep-ex-units-heading ~ .table-wrap tbody tr').length > 0
    && !document.querySelector('.rep-ex').textContent.includes('Không có lượt'));
  // the survey results: Đa Kao's 2 responses are hidden, and Bến Nghé's 5 with them (else the
  // total minus Bến Nghé would give Đa Kao); the total shows 7 of 9 people asked, mean 26 / 7
  const sv = await texts(page, '#rep-sv-0-heading + p + .table-wrap tbody tr');
  assert.equal(sv.length, 3, sv.join('\n'));
  assert.match(sv[0], /^Phường Bến Nghé Q1-BN\s*ẩn \(dưới 5 phản hồi\)\s*2\s*—\s*ẩn$/);
  assert.match(sv[1], /^Phường Đa Kao Q1-DK\s*ẩn \(dưới 5 phản hồi\)\s*7\s*—\s*ẩn$/);
  assert.match(sv[2], /^Tổng cộng\s*7\s*9\s*77,8 %\s*3,7 \(1: 0 · 2: 1 · 3: 2 · 4: 2 · 5: 2\)$/);
  assert.match(await page.textContent('#rep-sv-0-heading'), /^Mức độ hài lòng quý I BCQ1-KS$/);
  assert.ok((await page.locator('#rep-sv .rep-files a').count()) === 2);
  // printed: only the report — no site header or navigation, no filter form, no buttons or
  // file links; the title (unit and period) and the tables stay
  await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed += 1; }; });
  await page.getByRole('button', { name: 'In báo cáo' }).click();
  assert.equal(await page.evaluate(() => window.printed), 1);
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['.site-header', '#home-nav', '#rep-filter', '.rep-actions', '#rep-sv .rep-files', '.rep-ex .rep-files']) {
    assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} is printed`);
  }
  for (const sel of ['#rep-title', '#rep-units-heading ~ .table-wrap table', '#rep-sv-heading', '.rep-sv-table', '.rep-ind-table']) {
    assert.equal(await page.locator(sel).first().isVisible(), true, `${sel} is not printed`);
  }
  assert.equal(await page.$eval('.rep-sv-table tbody tr', (tr) => getComputedStyle(tr).breakInside), 'avoid');
  await shot(page, 'reports-print-vi');
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.locator('#rep-filter').isVisible(), true);
  // drill down: a ward, then its people
  await page.getByRole('link', { name: 'Phường Đa Kao' }).click();
  await page.waitForFunction(() => location.hash === '#/reports/Q1-DK');
  // the ward's report replaces the district's (waiting for the title: the old report is
  // already "loaded" when the hash changes)
  await page.locator('#rep-title', { hasText: /^Phường Đa Kao — kỳ 2025-Q1/ }).waitFor();
  await waitReport(page);
  await page.getByRole('button', { name: 'Xem theo cán bộ' }).click();
  await page.locator('#rep-people-heading').waitFor();
  await page.waitForFunction(() => document.getElementById('rep-body').getAttribute('aria-busy') === 'false');
  const people = await texts(page, '#rep-people-heading ~ .table-wrap tbody tr');
  assert.equal(people.length, 1);
  assert.match(people[0], /^Mai Thị Đa DK-01\s*Phường Đa Kao\s*Kiêm nhiệm CCHC\s*1\s*0\s*1/);
  assertNoProblems(page);
  await page.context().close();
});

test('a neighbour’s district is out of reach, even by the address bar', async () => {
  const page = await openPage(browser);
  await loginQ1(page);
  await page.evaluate(() => { location.hash = '#/reports/Q3'; });
  await page.locator('#rep-view').waitFor({ state: 'visible' });
  await waitReport(page);
  assert.equal(await page.textContent('#rep-error'), 'Đơn vị này nằm ngoài phạm vi quản lý của bạn.');
  assert.equal(await page.locator('#rep-title').count(), 0);
  assert.ok(!(await page.textContent('#rep-view')).includes('Tô Văn Ba'));
  await page.context().close();
});

test('accessible in both languages, and on a 360 px phone', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
    const page = await openPage(browser, { viewport });
    await loginQ1(page);
    await openQuarter(page);
    await page.getByRole('button', { name: 'Xem danh sách: Công chức làm công tác CCHC được tiếp cận bài giảng điện tử' }).click();
    await page.locator('#rep-list-heading').waitFor();
    for (const lang of ['vi', 'en']) {
      await setLang(page, lang);
      if (viewport.width === 360) {
        const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
        assert.ok(m.sw <= m.cw, `${lang}: page is ${m.sw}px wide in a ${m.cw}px viewport`);
      }
      await assertAccessible(page, `reports ${viewport.width}px (${lang})`);
    }
    assert.equal(await page.textContent('#rep-heading'), 'Training reports');
    await setLang(page, 'vi');
    await shot(page, `reports-${viewport.width}-vi`);
    assertNoProblems(page);
    await page.context().close();
  }
});
