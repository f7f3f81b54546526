// home.test.mjs — the home page of each role: the right sections, tables in the order
// the server sends (Vietnamese), scope limits, accessibility in both languages, phones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, login, gotoLogin, waitForTables, assertAccessible, assertNoProblems, setLang, shot, texts } from './lib.mjs';
import { HR_UNITS, ALL_UNITS, HR_PEOPLE, ALL_PEOPLE, OTHER_PEOPLE, DISPLAY } from './fixture.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const SECTIONS = ['learner', 'trainer', 'hr_officer', 'admin', 'units', 'people'];

async function visibleSections(page) {
  const out = [];
  for (const s of SECTIONS) if (await page.locator(`#section-${s}`).isVisible()) out.push(s);
  return out;
}

async function checkBothLanguages(page, label) {
  await assertAccessible(page, `${label} (vi)`);
  await setLang(page, 'en');
  await assertAccessible(page, `${label} (en)`);
  await setLang(page, 'vi');
}

test('learner: "Khóa học của tôi" with its empty state, nothing else', async () => {
  const page = await openPage(browser);
  await login(page, 'learner');
  assert.deepEqual(await visibleSections(page), ['learner']);
  assert.equal(await page.textContent('#learner-heading'), 'Khóa học của tôi');
  assert.equal(await page.textContent('#section-learner .empty-title'), 'Chưa có khóa học nào được giao.');
  assert.equal(await page.textContent('#user-name'), DISPLAY.learner);
  assert.equal(await page.textContent('#user-roles'), 'Vai trò: Học viên');
  assert.equal(await page.textContent('#home-heading'), `Xin chào, ${DISPLAY.learner}`);
  assert.equal(await page.getByRole('button', { name: 'Đăng xuất' }).count(), 1);
  assert.equal(await page.locator('nav').count(), 1);
  await checkBothLanguages(page, 'learner home');
  await shot(page, 'home-learner-vi');
  assertNoProblems(page);
  await page.context().close();
});

// (the course section itself: trainer.test.mjs)
test('trainer: the course section only, and what is coming', async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  assert.deepEqual(await visibleSections(page), ['trainer']);
  assert.equal(await page.textContent('#user-roles'), 'Vai trò: Giảng viên');
  assert.equal(await page.textContent('#trainer-heading'), 'Quản lý bài giảng');
  assert.match(await page.textContent('#section-trainer'), /gói bài giảng/);
  assert.match(await page.textContent('#section-trainer'), /Ngân hàng câu hỏi/);
  await checkBothLanguages(page, 'trainer home');
  assertNoProblems(page);
  await page.context().close();
});

test('HR officer: units and people of the scope only, people in Vietnamese order', async () => {
  const page = await openPage(browser);
  await login(page, 'hr_officer');
  assert.deepEqual(await visibleSections(page), ['hr_officer', 'units', 'people']);
  assert.equal(await page.textContent('#user-roles'), 'Vai trò: Cán bộ nhân sự');
  assert.equal(await page.textContent('#hr-scope'), 'Phạm vi quản lý: Sở Nội vụ');
  assert.deepEqual(await texts(page, '#units-table tbody th'), HR_UNITS);
  assert.deepEqual(await texts(page, '#people-table tbody th'), HR_PEOPLE);
  for (const p of OTHER_PEOPLE) {
    assert.equal(await page.locator('#people-table').getByText(p).count(), 0, `${p} is outside the scope`);
  }
  assert.equal(await page.textContent('#people-status'), `Đang hiển thị ${HR_PEOPLE.length} trên tổng số ${HR_PEOPLE.length} người.`);
  // header cells carry scope
  assert.equal(await page.locator('#people-table thead th:not([scope="col"])').count(), 0);
  assert.equal(await page.locator('#people-table tbody th:not([scope="row"])').count(), 0);
  // kinds, dates and flags are translated
  const snv = page.locator('#units-table tbody tr', { hasText: 'SNV-CCHC' });
  assert.match(await snv.textContent(), /Phòng/);
  await checkBothLanguages(page, 'HR officer home');
  await shot(page, 'home-hr-vi');
  await setLang(page, 'en');
  assert.equal(await page.textContent('#people-table thead th'), 'Full name');
  assert.match(await snv.textContent(), /Office/);
  await shot(page, 'home-hr-en');
  await setLang(page, 'vi');
  assertNoProblems(page);
  await page.context().close();
});

test('admin: every unit and every person, in Vietnamese order', async () => {
  const page = await openPage(browser);
  await login(page, 'admin');
  assert.deepEqual(await visibleSections(page), ['trainer', 'admin', 'units', 'people']);
  assert.equal(await page.textContent('#user-roles'), 'Vai trò: Quản trị viên');
  assert.deepEqual(await texts(page, '#units-table tbody th'), ALL_UNITS);
  assert.deepEqual(await texts(page, '#people-table tbody th'), ALL_PEOPLE);
  // a unit that ended on 30/06/2025 shows its dates the Vietnamese way
  const q1 = page.locator('#units-table tbody tr', { hasText: 'Quận 1' });
  assert.match(await q1.textContent(), /30\/06\/2025/);
  assert.match(await q1.textContent(), /Quận, huyện/);
  await checkBothLanguages(page, 'admin home');
  await shot(page, 'home-admin-vi');
  assertNoProblems(page);
  await page.context().close();
});

test('a 360 px phone: no page scroll sideways; the tables scroll inside their box', async () => {
  const page = await openPage(browser, { viewport: { width: 360, height: 740 } });
  await login(page, 'hr_officer');
  for (const lang of ['vi', 'en']) {
    await setLang(page, lang);
    const m = await page.evaluate(() => {
      const wrap = document.querySelector('#section-people .table-wrap');
      return { sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
        inner: wrap.scrollWidth, box: wrap.clientWidth };
    });
    assert.ok(m.sw <= m.cw, `${lang}: page is ${m.sw}px wide in a ${m.cw}px viewport`);
    assert.ok(m.inner > m.box, 'the people table scrolls inside its container');
  }
  await setLang(page, 'vi');
  await assertAccessible(page, 'HR officer home at 360 px');
  await shot(page, 'home-hr-360-vi');
  await page.context().close();
});

// An account holding several roles gets one section per role. The CLI gives one role per
// account, so /api/me and the lists are stubbed here with the documented shapes.
test('several roles: a section for each', async () => {
  const page = await openPage(browser);
  const me = { id: 9, username: 'nhieuvaitro', display_name: 'Đỗ Thị Nhiều', csrf_token: 'tok',
    roles: [{ role: 'learner', unit: null }, { role: 'trainer', unit: { code: 'SNV', name: 'Sở Nội vụ' } },
      { role: 'hr_officer', unit: { code: 'SNV', name: 'Sở Nội vụ' } },
      { role: 'hr_officer', unit: { code: 'STC', name: 'Sở Tài chính' } }],
    person: null };
  const json = (body) => ({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  await page.route('**/api/me', (r) => r.fulfill(json(me)));
  await page.route('**/api/units', (r) => r.fulfill(json({ units: [
    { code: 'SNV', name: 'Sở Nội vụ', kind: 'department', parent_code: 'HCM', valid_from: '2008-01-01', valid_to: null, successor_codes: [] },
    { code: 'STC', name: 'Sở Tài chính', kind: 'department', parent_code: 'HCM', valid_from: '2008-01-01', valid_to: null, successor_codes: [] }] })));
  await page.route('**/api/people?**', (r) => r.fulfill(json({ people: [
    { employee_code: 'NV-1', full_name: 'Âu Thị Hạnh', unit_code: 'SNV', unit_name: 'Sở Nội vụ', position: 'Chuyên viên', is_leader: true, par_role: 'dedicated', active: true },
    { employee_code: 'NV-2', full_name: 'Đặng Thu Trang', unit_code: 'STC', unit_name: 'Sở Tài chính', position: 'Phó Giám đốc', is_leader: false, par_role: 'concurrent', active: false }],
  total: 2 })));
  await page.route('**/api/courses', (r) => r.fulfill(json({ versions: [] })));
  await page.route('**/api/my/courses', (r) => r.fulfill(json({ enrolments: [] }))); // learn.js
  await page.route('**/api/my/certificates', (r) => r.fulfill(json({ certificates: [] }))); // learn.js
  await page.goto(BASE + '/');
  await page.locator('#home-view').waitFor({ state: 'visible' });
  await waitForTables(page);
  assert.deepEqual(await visibleSections(page), ['learner', 'trainer', 'hr_officer', 'units', 'people']);
  assert.equal(await page.textContent('#user-roles'), 'Vai trò: Học viên, Giảng viên, Cán bộ nhân sự');
  assert.equal(await page.textContent('#hr-scope'), 'Phạm vi quản lý: Sở Nội vụ, Sở Tài chính');
  assert.deepEqual(await texts(page, '#people-table tbody th'), ['Âu Thị Hạnh', 'Đặng Thu Trang']);
  const row = await page.locator('#people-table tbody tr').nth(1).textContent();
  assert.match(row, /Kiêm nhiệm/);
  assert.match(row, /Ngừng công tác/);
  await checkBothLanguages(page, 'several roles');
  await page.context().close();
});

test('"Xem thêm" loads the next page of people', async () => {
  const page = await openPage(browser);
  const me = { id: 9, username: 'quantri2', display_name: 'Quản trị', csrf_token: 'tok',
    roles: [{ role: 'admin', unit: null }], person: null };
  const json = (body) => ({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  const person = (i) => ({ employee_code: `NV-${i}`, full_name: `Người ${String(i).padStart(3, '0')}`,
    unit_code: 'SNV', unit_name: 'Sở Nội vụ', position: 'Chuyên viên', is_leader: false, par_role: 'none', active: true });
  const seen = [];
  await page.route('**/api/me', (r) => r.fulfill(json(me)));
  await page.route('**/api/units', (r) => r.fulfill(json({ units: [] })));
  await page.route('**/api/courses', (r) => r.fulfill(json({ versions: [] })));
  await page.route('**/api/people?**', (r) => {
    const u = new URL(r.request().url());
    const limit = Number(u.searchParams.get('limit'));
    const offset = Number(u.searchParams.get('offset'));
    seen.push([limit, offset]);
    const all = Array.from({ length: 130 }, (_, i) => person(i));
    return r.fulfill(json({ people: all.slice(offset, offset + limit), total: all.length }));
  });
  await page.goto(BASE + '/');
  await page.locator('#home-view').waitFor({ state: 'visible' });
  await waitForTables(page);
  assert.equal(await page.locator('#people-table tbody tr').count(), 100);
  assert.equal(await page.textContent('#units-status'), 'Không có đơn vị nào trong phạm vi của bạn.');
  await page.getByRole('button', { name: 'Xem thêm' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#people-table tbody tr').length === 130);
  assert.deepEqual(seen, [[100, 0], [100, 100]]);
  assert.ok(await page.locator('#people-more').isHidden());
  assert.equal(await page.textContent('#people-status'), 'Đang hiển thị 130 trên tổng số 130 người.');
  await page.context().close();
});

test('a learner asking for the lists directly is refused (403)', async () => {
  const page = await openPage(browser);
  await login(page, 'learner');
  const units = await page.request.get(`${BASE}/api/units`);
  assert.equal(units.status(), 403);
  assert.equal((await units.json()).code, 'forbidden');
  const people = await page.request.get(`${BASE}/api/people`);
  assert.equal(people.status(), 403);
  await page.context().close();
});
