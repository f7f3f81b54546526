// expiry.test.mjs — session limits (docs/api.md, "Sessions"): server B expires a session
// after 2 s without a request, server C 3 s after login whatever the activity. Both take
// requests from 127.0.0.1 only here (B's per-address throttling uses other addresses).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { B, C, PW, http, loginOk, assertProblem, sleep } from './lib.mjs';

test('idle limit: no request for longer than session_idle → 401 session_expired', async () => {
  const { cookie } = await loginOk(B, 'hocvien', PW.learner);
  assert.equal((await http(B, '/api/me', { cookie })).status, 200);
  await sleep(3000);
  assertProblem(await http(B, '/api/me', { cookie }), 401, 'session_expired', { what: 'after 3 s idle' });
  // and it stays ended
  assertProblem(await http(B, '/api/me', { cookie }), 401, 'session_expired', { what: 'once more' });
});

test('idle limit: a request resets the idle clock', async () => {
  // "expire after session_idle seconds without a request": with requests every 1.2 s the
  // session never goes 2 s without one, so it must live past 2 s after login.
  const { cookie } = await loginOk(B, 'hocvien', PW.learner);
  const t0 = Date.now();
  for (const at of [1200, 2400, 3600]) {
    await sleep(at - (Date.now() - t0));
    const r = await http(B, '/api/me', { cookie });
    assert.equal(r.status, 200, `request ${at} ms after login, 1.2 s after the previous one: ${r.status} ${r.text}`);
  }
});

test('logging in again after expiry gives a working session', async () => {
  const { cookie } = await loginOk(B, 'hocvien', PW.learner);
  assert.equal((await http(B, '/api/me', { cookie })).status, 200);
});

test('absolute limit: activity does not extend a session past session_max', async () => {
  const { cookie } = await loginOk(C, 'hocvien', PW.learner);
  const t0 = Date.now();
  for (const at of [800, 1600, 2400]) {
    await sleep(at - (Date.now() - t0));
    assert.equal((await http(C, '/api/me', { cookie })).status, 200, `at ${at} ms`);
  }
  await sleep(3500 - (Date.now() - t0));
  assertProblem(await http(C, '/api/me', { cookie }), 401, 'session_expired', { what: '3.5 s after login' });
});

test('the cookie\'s Max-Age is session_max', async () => {
  const { res } = await loginOk(C, 'hocvien', PW.learner);
  const c = res.setCookies.find((x) => x.startsWith('parlearn_session='));
  const m = /Max-Age=(\d+)/i.exec(c);
  if (m) assert.equal(Number(m[1]), 3, c);
});
