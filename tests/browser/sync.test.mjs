// sync.test.mjs — the reconciliation page of the personnel sync (#/sync, sync.js): an admin
// reaches it from the home page, sees the overdue banner, the units, the dead letter with
// its last error, drills into a unit, sends a range again and retries the dead letters after
// a confirmation; an HR officer sees only the units of their subtree and no admin tools; a
// learner never gets the page; accessibility in both languages and at 360 px.
// The events are written into the server's outbox with psql and removed at the end. The
// tests of this file run in order: the admin's actions change the events' states.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, openPage, login, assertAccessible, assertNoProblems, setLang, shot, texts } from './lib.mjs';

const sql = (q) => execFileSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', `${process.env.PL_DATA}/var/pg/run`,
  '-U', 'postgres', '-d', 'parlearn', '-c', q], { encoding: 'utf8' }).trim();

const HOUR = 3600e3;
const DAY = 24 * HOUR;
const ev = {};
let runId;

function insert(name, { emp, unit, state, ago, attempts = 0, error = null }) {
  const id = `tsb_${runId}${Object.keys(ev).length}`;
  const occurred = new Date(Date.now() - ago).toISOString();
  const seq = sql(`INSERT INTO sync_outbox (event_id, kind, person_id, employee_code, unit_id, occurred_at,
      payload, state, attempts, last_error)
    VALUES ('${id}', 'course_completion', (SELECT id FROM person WHERE employee_code = '${emp}'), '${emp}',
      (SELECT id FROM org_unit WHERE code = '${unit}'), '${occurred}', '{"version":1}', '${state}', ${attempts},
      ${error ? `'${error}'` : 'NULL'}) RETURNING seq`);
  ev[name] = { seq: Number(seq.split('\n')[0]), id };
}
const stateOf = (name) => sql(`SELECT state FROM sync_outbox WHERE event_id = '${ev[name].id}'`);

let browser;
before(async () => {
  browser = await launch();
  runId = String(Date.now()).slice(-6);
  // SNV's subtree (the HR officer's): an overdue event, a dead letter, a delivered one
  insert('cchcLate', { emp: 'NV-0001', unit: 'SNV-CCHC', state: 'pending', ago: 8 * DAY });
  insert('snvDead', { emp: 'NV-0003', unit: 'SNV', state: 'dead', ago: 3 * HOUR, attempts: 1,
    error: 'HTTP 400 (refused by the receiver)' });
  insert('cchcDone', { emp: 'NV-0002', unit: 'SNV-CCHC', state: 'delivered', ago: 2 * HOUR });
  // Sở Tài chính, outside it: an overdue event and a dead letter
  insert('stcLate', { emp: 'TC-0001', unit: 'STC', state: 'pending', ago: 9 * DAY });
  insert('stcDead', { emp: 'TC-0001', unit: 'STC', state: 'dead', ago: 4 * HOUR, attempts: 20,
    error: 'HTTP 503 STC-RECEIVER-DOWN' });
});
after(async () => {
  await browser?.close();
  if (runId) sql(`DELETE FROM sync_outbox WHERE event_id LIKE 'tsb\\_${runId}%'`);
});

async function openSync(page) {
  await page.getByRole('link', { name: 'Đối soát đồng bộ nhân sự' }).click();
  await page.locator('#sync-view').waitFor({ state: 'visible' });
  await waitLoaded(page);
}

async function waitLoaded(page) {
  await page.waitForFunction(() => {
    const st = document.getElementById('sync-status')?.textContent || '';
    return /^(Từ|From) /.test(st) || document.getElementById('sync-error').textContent !== '';
  });
}

const unitNames = (page) => texts(page, '#sync-body table[aria-labelledby="sync-units-h"] tbody th');

test('an admin: the banner, every unit, the dead letters with their last error', async () => {
  const page = await openPage(browser);
  await login(page, 'admin');
  await openSync(page);
  assert.equal(await page.evaluate(() => location.hash), '#/sync');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'sync-heading');
  assert.equal(await page.textContent('#sync-heading'), 'Đối soát đồng bộ hồ sơ nhân sự');
  assert.equal((await page.textContent('#sync-alert p')).trim(), '2 sự kiện quá hạn 2 ngày làm việc chưa được chuyển');
  const names = (await unitNames(page)).join('|');
  for (const u of ['Sở Nội vụ', 'Phòng Cải cách hành chính', 'Sở Tài chính']) assert.ok(names.includes(u), `${u} in ${names}`);
  const dead = await texts(page, '#sync-body table[aria-labelledby="sync-dead-h"] tbody tr');
  assert.equal(dead.length, 2, dead.join('\n'));
  const snv = dead.find((r) => r.includes('NV-0003'));
  assert.ok(snv && snv.includes('HTTP 400 (refused by the receiver)') && snv.includes(ev.snvDead.id), snv);
  assert.ok(dead.some((r) => r.includes('STC-RECEIVER-DOWN')));
  const late = await texts(page, '#sync-body table[aria-labelledby="sync-late-h"] tbody tr');
  assert.equal(late.length, 2);
  assert.ok(late.some((r) => r.includes(ev.cchcLate.id) && /ngày làm việc/.test(r)));
  await assertAccessible(page, 'reconciliation, admin (vi)');
  await setLang(page, 'en');
  assert.equal((await page.textContent('#sync-alert p')).trim(), '2 events not delivered after 2 working days');
  assert.equal(await page.textContent('#sync-heading'), 'Personnel records sync: reconciliation');
  await assertAccessible(page, 'reconciliation, admin (en)');
  await setLang(page, 'vi');
  await shot(page, 'sync-admin-vi');
  assertNoProblems(page);
  await page.context().close();
});

test('an admin drills into a unit, checks the period, and sends a range again', async () => {
  const page = await openPage(browser);
  await login(page, 'admin');
  await openSync(page);
  await page.locator('#sync-body').getByRole('link', { name: 'Sở Nội vụ' }).click();
  await page.waitForFunction(() => location.hash === '#/sync/SNV');
  await waitLoaded(page);
  await page.waitForFunction(() => document.querySelectorAll('#sync-body h3').length >= 2);
  const heads = await texts(page, '#sync-body h3');
  assert.deepEqual(heads.sort(), ['Theo thời gian: Phòng Cải cách hành chính', 'Theo thời gian: Sở Nội vụ']);
  assert.ok(!(await unitNames(page)).join('|').includes('Sở Tài chính'), 'the drill keeps SNV\'s subtree');
  assert.equal(await page.inputValue('#sync-unit'), 'SNV');
  // only SNV's dead letter is listed now, and the banner counts SNV's overdue event only
  assert.equal((await page.textContent('#sync-alert p')).trim(), '1 sự kiện quá hạn 2 ngày làm việc chưa được chuyển');
  // a period that ends before it starts is refused on the page, with the field marked
  await page.fill('#sync-from', '2026-03-10');
  await page.fill('#sync-to', '2026-03-01');
  await page.click('#sync-filter button[type=submit]');
  assert.match(await page.textContent('#sync-error'), /Khoảng thời gian không hợp lệ/);
  assert.equal(await page.getAttribute('#sync-to', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'sync-to');
  // a wrong range to send again
  await page.fill('#sync-resend-from', '9');
  await page.fill('#sync-resend-to', '3');
  await page.click('#sync-resend-submit');
  assert.match(await page.textContent('#sync-tool-msg'), /Nhập hai số thứ tự/);
  assert.equal(await page.getAttribute('#sync-resend-to', 'aria-invalid'), 'true');
  // SNV's dead letter and the delivered event go out again
  await page.fill('#sync-resend-from', String(ev.snvDead.seq));
  await page.fill('#sync-resend-to', String(ev.cchcDone.seq));
  await page.click('#sync-resend-submit');
  await page.waitForFunction(() => /hàng đợi/.test(document.getElementById('sync-tool-msg').textContent));
  assert.equal(await page.textContent('#sync-tool-msg'), 'Đã đưa 2 sự kiện vào hàng đợi gửi lại.');
  assert.equal(stateOf('snvDead'), 'pending');
  assert.equal(stateOf('cchcDone'), 'pending');
  assert.equal(stateOf('stcDead'), 'dead', 'outside the range nothing changed');
  await waitLoaded(page);
  await page.waitForFunction(() => /Không có thư chết/.test(document.getElementById('sync-body').textContent));
  await assertAccessible(page, 'reconciliation drilled into SNV');
  assertNoProblems(page);
  await page.context().close();
});

test('an admin retries the dead letters after confirming', async () => {
  const page = await openPage(browser);
  await login(page, 'admin');
  await openSync(page);
  assert.equal(await page.isVisible('#sync-confirm'), false);
  await page.click('#sync-retry');
  assert.equal(await page.isVisible('#sync-confirm'), true);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'sync-retry-yes');
  assert.equal(await page.textContent('#sync-confirm-q'), 'Đưa 1 thư chết trở lại hàng đợi gửi?');
  assert.equal(stateOf('stcDead'), 'dead', 'nothing happens before the confirmation');
  // cancelling leaves everything as it was
  await page.getByRole('button', { name: 'Hủy' }).click();
  assert.equal(await page.isVisible('#sync-confirm'), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'sync-retry');
  await page.click('#sync-retry');
  await assertAccessible(page, 'reconciliation, confirming a retry');
  await page.getByRole('button', { name: 'Xác nhận thử lại' }).click();
  await page.waitForFunction(() => /hàng đợi/.test(document.getElementById('sync-tool-msg').textContent));
  assert.equal(await page.textContent('#sync-tool-msg'), 'Đã đưa 1 thư chết trở lại hàng đợi gửi.');
  assert.equal(stateOf('stcDead'), 'pending');
  await page.waitForFunction(() => /Không có thư chết/.test(document.getElementById('sync-body').textContent));
  assertNoProblems(page);
  await page.context().close();
});

test('an HR officer sees only the units of their subtree, and no admin tools', async () => {
  const page = await openPage(browser);
  await login(page, 'hr_officer');
  await openSync(page);
  const names = (await unitNames(page)).join('|');
  assert.ok(names.includes('Sở Nội vụ') && names.includes('Phòng Cải cách hành chính'), names);
  assert.ok(!names.includes('Sở Tài chính'), names);
  const body = await page.textContent('#sync-body');
  assert.ok(!body.includes('STC-RECEIVER-DOWN') && !body.includes('TC-0001'), 'another unit\'s events are shown');
  assert.equal((await page.textContent('#sync-alert p')).trim(), '1 sự kiện quá hạn 2 ngày làm việc chưa được chuyển');
  assert.equal(await page.locator('#sync-resend').count(), 0);
  assert.equal(await page.locator('#sync-retry').count(), 0);
  // the unit list offers the officer's units only
  const options = await texts(page, '#sync-unit option');
  assert.ok(options.every((o) => !o.includes('STC')), options.join('|'));
  await assertAccessible(page, 'reconciliation, HR officer (vi)');
  await setLang(page, 'en');
  await assertAccessible(page, 'reconciliation, HR officer (en)');
  assertNoProblems(page);
  await page.context().close();
});

test('a learner has no link to the page and cannot open it', async () => {
  const page = await openPage(browser);
  await login(page, 'learner');
  assert.equal(await page.getByRole('link', { name: 'Đối soát đồng bộ nhân sự' }).count(), 0);
  await page.evaluate(() => { location.hash = '#/sync'; });
  await page.waitForTimeout(300);
  const shown = (await page.locator('#sync-view').count()) > 0 && (await page.isVisible('#sync-view'));
  assert.equal(shown, false, 'the reconciliation view is shown to a learner');
  assert.equal(await page.isVisible('#home-view'), true);
  await page.context().close();
});

test('a 360 px phone: no sideways page scroll, accessible in both languages', async () => {
  const page = await openPage(browser, { viewport: { width: 360, height: 740 } });
  await login(page, 'admin');
  await openSync(page);
  for (const lang of ['vi', 'en']) {
    await setLang(page, lang);
    const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
    assert.ok(m.sw <= m.cw, `${lang}: page is ${m.sw}px wide in a ${m.cw}px viewport`);
    await assertAccessible(page, `reconciliation at 360 px (${lang})`);
  }
  await setLang(page, 'vi');
  await shot(page, 'sync-admin-360-vi');
  assertNoProblems(page);
  await page.context().close();
});
