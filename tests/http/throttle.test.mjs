// throttle.test.mjs — login throttling by address, and the proxy and body-limit settings, on
// server B (--trusted-proxy 127.0.0.1 --max-body 2048). B believes X-Forwarded-For from
// 127.0.0.1, so each test plays clients at its own documentation addresses (RFC 5737).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { B, PW, http, raw, login, loginOk, assertProblem, assertClean } from './lib.mjs';

const from = (addr) => ({ 'x-forwarded-for': addr });

test('20 failed logins from one address, across usernames → 429 for a fresh username; other addresses unaffected', async () => {
  const addr = '203.0.113.20';
  for (let i = 0; i < 20; i++) {
    const { res } = await login(B, `nguoi-la-${i}`, 'wrong-password', from(addr));
    assertProblem(res, 401, 'invalid_credentials', { what: `failure ${i + 1}` });
  }
  // a fresh, never-tried username, and even a real account with its right password
  for (const [user, pw] of [['nguoi-moi', 'whatever-pass'], ['khach', PW.kase]]) {
    const { res, cookie } = await login(B, user, pw, from(addr));
    assertProblem(res, 429, 'too_many_attempts', { what: `${user} from the throttled address` });
    assert.equal(cookie, null);
    const ra = res.headers.get('retry-after');
    assert.match(ra ?? '', /^\d+$/, `Retry-After: ${ra}`);
    assert.ok(Number(ra) > 0 && Number(ra) <= 900, `Retry-After: ${ra}`);
  }
  // the same account from another address logs in
  await loginOk(B, 'khach', PW.kase, from('203.0.113.21'));
});

test('a successful login does not erase the failure record', async () => {
  const addr = '203.0.113.30';
  for (let i = 0; i < 3; i++) assertProblem((await login(B, 'muctieu', 'wrong-password', from(addr))).res, 401, 'invalid_credentials');
  await loginOk(B, 'muctieu', PW.lock, from(addr));
  for (let i = 0; i < 2; i++) assertProblem((await login(B, 'muctieu', 'wrong-password', from(addr))).res, 401, 'invalid_credentials');
  // five failures within the window: refused, from any address
  assertProblem((await login(B, 'muctieu', PW.lock, from('203.0.113.31'))).res, 429, 'too_many_attempts');
});

test('50 parallel logins with wrong passwords: every answer is a clean 401 or 429, the server stays up', async () => {
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    login(B, i % 2 ? 'hocvien-song-song' : `ai-do-${i}`, `wrong-${i}`, from(`198.51.100.${i + 1}`))));
  const statuses = {};
  for (const { res } of results) {
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    assertProblem(res, res.status, res.status === 429 ? 'too_many_attempts' : 'invalid_credentials');
    assert.ok([401, 429].includes(res.status), `${res.status} ${res.text}`);
  }
  assert.equal((await http(B, '/healthz')).status, 200);
  assert.equal((await http(B, '/readyz')).status, 200);
  await loginOk(B, 'hocvien', PW.learner, from('198.51.100.200'));
});

test('parallel guesses for one username: no more than 5 are checked, the rest are 429', async () => {
  // docs/api.md: "after 5 failed logins for one username within 15 minutes, that username is
  // refused with 429" — sending the guesses at once must not buy more than 5.
  const rs = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    login(B, 'khach-song-song', `wrong-${i}`, from(`192.0.2.${i + 1}`))));
  const n401 = rs.filter(({ res }) => res.status === 401).length;
  for (const { res } of rs) assertProblem(res, res.status, res.status === 429 ? 'too_many_attempts' : 'invalid_credentials');
  assert.ok(n401 <= 5, `${n401} of 12 parallel guesses were checked (401) instead of at most 5`);
});

test('behind the trusted proxy, X-Forwarded-Proto: https makes the cookie Secure', async () => {
  const { res } = await loginOk(B, 'hocvien', PW.learner, { 'x-forwarded-proto': 'https', ...from('203.0.113.40') });
  const c = res.setCookies.find((x) => x.startsWith('parlearn_session='));
  assert.match(c, /;\s*Secure(;|$)/i, c);
  assert.match(c, /;\s*HttpOnly(;|$)/i, c);
  assert.match(c, /;\s*SameSite=Lax(;|$)/i, c);
});

test('a configured --max-body 2048: 2048 bytes are read, 2049 are 413', async () => {
  const head = '{"username":5,"password":"x"}';
  const at = head + ' '.repeat(2048 - head.length);
  const post = (body) => http(B, '/api/auth/login', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  assertProblem(await post(at), 422, 'invalid_field', { field: 'username', what: '2048 bytes' });
  assertProblem(await post(`${at} `), 413, 'body_too_large', { what: '2049 bytes' });
  const u = new URL(B);
  const chunk = Buffer.from(`${head}${' '.repeat(3000)}`);
  const r = await raw(B, [`POST /api/auth/login HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\n`
    + 'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n', `${chunk.length.toString(16)}\r\n`, chunk, '\r\n0\r\n\r\n']);
  assertProblem(r, 413, 'body_too_large', { what: 'chunked 3029 bytes' });
  assertClean(r.text);
});
