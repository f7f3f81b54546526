// session.test.mjs — sessions on server A: no cookie, bad cookies, CSRF on logout, logout,
// and `parlearn user passwd` ending sessions (docs/api.md, "Conventions", "Errors").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { A, PW, http, login, loginOk, assertProblem } from './lib.mjs';

const logout = (cookie, headers = {}) => http(A, '/api/auth/logout', { method: 'POST', cookie, headers });

test('GET /api/me without a cookie is 401 unauthenticated', async () => {
  assertProblem(await http(A, '/api/me'), 401, 'unauthenticated');
  assertProblem(await http(A, '/api/me', { cookie: 'other=1; parlearn_sessionX=abc' }), 401, 'unauthenticated',
    { what: 'only other cookies' });
});

test('GET /api/me with a garbage cookie is 401 unauthenticated', async () => {
  for (const v of ['garbage', '', 'x'.repeat(5000), "' OR 1=1 --", '%00%ff', 'a'.repeat(42), 'a'.repeat(44)]) {
    assertProblem(await http(A, '/api/me', { cookie: `parlearn_session=${v}` }), 401, 'unauthenticated',
      { what: `cookie "${v.slice(0, 20)}"` });
  }
});

test('GET /api/me with a well-formed but unknown token is 401 unauthenticated', async () => {
  // docs/api.md: "unauthenticated — no session cookie, or an unknown one"
  const token = randomBytes(32).toString('base64url');
  assertProblem(await http(A, '/api/me', { cookie: `parlearn_session=${token}` }), 401, 'unauthenticated');
});

test('logout needs the right X-CSRF-Token: missing or wrong is 403 csrf_failed', async () => {
  const { cookie, csrf } = await loginOk(A, 'hocvien', PW.learner);
  assertProblem(await logout(cookie), 403, 'csrf_failed', { what: 'no token' });
  assertProblem(await logout(cookie, { 'x-csrf-token': '' }), 403, 'csrf_failed', { what: 'empty token' });
  assertProblem(await logout(cookie, { 'x-csrf-token': 'wrong' }), 403, 'csrf_failed', { what: 'wrong token' });
  assertProblem(await logout(cookie, { 'x-csrf-token': `${csrf}x` }), 403, 'csrf_failed', { what: 'token + x' });
  assertProblem(await logout(cookie, { 'x-csrf-token': csrf.slice(0, -1) }), 403, 'csrf_failed', { what: 'token - 1' });
  // another session's token does not fit this one
  const other = await loginOk(A, 'hocvien', PW.learner);
  assertProblem(await logout(cookie, { 'x-csrf-token': other.csrf }), 403, 'csrf_failed', { what: 'another session\'s token' });
  // none of these ended the session
  assert.equal((await http(A, '/api/me', { cookie })).status, 200);
});

test('logout without a session is 401', async () => {
  assertProblem(await logout(null, { 'x-csrf-token': 'x' }), 401, 'unauthenticated');
});

test('logout with the right token is 204, clears the cookie, and the old cookie then gets 401 session_expired', async () => {
  const { cookie, csrf } = await loginOk(A, 'hocvien', PW.learner);
  const r = await logout(cookie, { 'x-csrf-token': csrf });
  assert.equal(r.status, 204, r.text);
  assert.equal(r.text, '');
  assert.ok(r.headers.get('x-request-id'), 'X-Request-Id');
  const clear = r.setCookies.find((c) => c.startsWith('parlearn_session='));
  assert.ok(clear, 'the cookie is cleared');
  assert.match(clear, /^parlearn_session=;/);
  assert.match(clear, /Max-Age=0|Expires=Thu, 01 Jan 1970/i);
  assertProblem(await http(A, '/api/me', { cookie }), 401, 'session_expired', { what: 'me after logout' });
  assertProblem(await logout(cookie, { 'x-csrf-token': csrf }), 401, 'session_expired', { what: 'logout again' });
});

test('logout ends only its own session', async () => {
  const s1 = await loginOk(A, 'hocvien', PW.learner);
  const s2 = await loginOk(A, 'hocvien', PW.learner);
  assert.notEqual(s1.cookie, s2.cookie);
  assert.equal((await logout(s1.cookie, { 'x-csrf-token': s1.csrf })).status, 204);
  assert.equal((await http(A, '/api/me', { cookie: s2.cookie })).status, 200);
});

test('`parlearn user passwd` ends the account\'s sessions', async () => {
  const s = await loginOk(A, 'doimatkhau', PW.passwd);
  assert.equal((await http(A, '/api/me', { cookie: s.cookie })).status, 200);
  const newPw = `${PW.passwd}-moi`;
  execFileSync(process.env.PARLEARN_BIN, ['user', 'passwd', '--username', 'doimatkhau', '--password-stdin',
    '--data', `${process.env.PL_DATA_A}/var`], { input: `${newPw}\n`, stdio: ['pipe', 'ignore', 'inherit'] });
  const r = await http(A, '/api/me', { cookie: s.cookie });
  assert.equal(r.status, 401, r.text);
  assert.ok(['session_expired', 'unauthenticated'].includes(r.json?.code), r.text);
  assertProblem(r, 401, r.json.code);
  const old = await login(A, 'doimatkhau', PW.passwd);
  assertProblem(old.res, 401, 'invalid_credentials', { what: 'the old password' });
  await loginOk(A, 'doimatkhau', newPw);
});

test('the session cookie works alongside other cookies', async () => {
  const { cookie } = await loginOk(A, 'hocvien', PW.learner);
  const r = await http(A, '/api/me', { cookie: `theme=dark; ${cookie}; lang=vi` });
  assert.equal(r.status, 200, r.text);
});
