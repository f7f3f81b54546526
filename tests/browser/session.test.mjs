// session.test.mjs — what lasts across page loads: the language choice, the session;
// and what logout ends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, login, gotoLogin, setLang, assertNoProblems } from './lib.mjs';
import { DISPLAY } from './fixture.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the language toggle switches to English and the choice survives a reload', async () => {
  const page = await openPage(browser);
  await gotoLogin(page);
  await page.getByRole('button', { name: 'English' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('h1'), 'Sign in');
  await page.getByLabel('Username').waitFor();
  await page.getByLabel('Password').waitFor();
  assert.match(await page.title(), /^parlearn — /);
  assert.equal(await page.textContent('#lang-toggle'), 'Tiếng Việt');
  assert.equal(await page.getAttribute('#lang-toggle', 'lang'), 'vi');
  await page.reload();
  await page.locator('#login-view').waitFor({ state: 'visible' });
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('h1'), 'Sign in');
  // and it carries over to the home page
  await login(page, 'hr_officer');
  assert.equal(await page.textContent('#user-roles'), 'Roles: HR officer');
  assert.equal(await page.textContent('#hr-scope'), 'Your scope: Sở Nội vụ');
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  await page.reload();
  await page.locator('#home-view').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#user-roles'), 'Vai trò: Cán bộ nhân sự');
  assertNoProblems(page);
  await page.context().close();
});

test('a reload keeps the user logged in; the session cookie and CSRF token stay out of reach of scripts', async () => {
  const page = await openPage(browser);
  await login(page, 'learner');
  await page.reload();
  await page.locator('#home-view').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#user-name'), DISPLAY.learner);
  const leaks = await page.evaluate(() => ({
    cookie: document.cookie,
    local: JSON.stringify(Object.assign({}, localStorage)),
    session: JSON.stringify(Object.assign({}, sessionStorage)),
    dom: document.documentElement.outerHTML,
  }));
  assert.doesNotMatch(leaks.cookie, /parlearn_session/, 'the session cookie is HttpOnly');
  assert.doesNotMatch(leaks.local + leaks.session, /csrf/i);
  const me = await (await page.request.get(`${BASE}/api/me`)).json();
  assert.ok(me.csrf_token, '/api/me returns a CSRF token');
  assert.ok(!leaks.dom.includes(me.csrf_token), 'the CSRF token is not in the DOM');
  await page.context().close();
});

test('logout returns to the login page and /api/me then answers 401', async () => {
  const page = await openPage(browser);
  await login(page, 'learner');
  const before = (await page.context().cookies()).find((c) => c.name === 'parlearn_session');
  assert.ok(before, 'a session cookie was set');
  assert.ok(before.httpOnly);
  let logoutReq = null;
  page.on('request', (r) => { if (r.url().endsWith('/api/auth/logout')) logoutReq = r; });
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.locator('#login-view').waitFor({ state: 'visible' });
  assert.equal(logoutReq.method(), 'POST');
  assert.ok(logoutReq.headers()['x-csrf-token'], 'logout sends X-CSRF-Token');
  assert.equal(await page.textContent('#login-status'), 'Bạn đã đăng xuất.');
  assert.ok(await page.locator('#user-bar').isHidden());
  const me = await page.request.get(`${BASE}/api/me`);
  assert.equal(me.status(), 401);
  // the old cookie is dead on the server too, not only dropped by the browser
  const old = await page.request.get(`${BASE}/api/me`, { headers: { Cookie: `parlearn_session=${before.value}` } });
  assert.equal(old.status(), 401);
  assert.match((await old.json()).code, /^(session_expired|unauthenticated)$/);
  await page.reload();
  await page.locator('#login-view').waitFor({ state: 'visible' });
  assertNoProblems(page);
  await page.context().close();
});

test('a session that ends while the page is open brings back the login page', async () => {
  const page = await openPage(browser);
  await login(page, 'admin');
  // end the session behind the page's back (logout with the token from /api/me)
  const me = await (await page.request.get(`${BASE}/api/me`)).json();
  const out = await page.request.post(`${BASE}/api/auth/logout`, {
    headers: { 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/json' } });
  assert.equal(out.status(), 204);
  // the next request the page makes meets a 401
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.locator('#login-view').waitFor({ state: 'visible' });
  await page.context().close();
});

test('logout without the CSRF token is refused (403 csrf_failed)', async () => {
  const page = await openPage(browser);
  await login(page, 'trainer');
  const r = await page.request.post(`${BASE}/api/auth/logout`, { headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status(), 403);
  assert.equal((await r.json()).code, 'csrf_failed');
  assert.equal((await page.request.get(`${BASE}/api/me`)).status(), 200, 'still logged in');
  await page.context().close();
});
