// login.test.mjs — POST /api/auth/login: the cookie, the answer, failures that look alike,
// input validation, JSON and UTF-8 parsing, media type, body limits and throttling
// (docs/api.md, "Conventions", "Errors", "POST /api/auth/login").
//
// Server A sees every request from 127.0.0.1, and 20 failed logins from one address lock
// the address: this file makes at most 8 failed logins there (others are on server B).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  A, PW, http, raw, login, loginOk, assertProblem, assertClean, assertNoPinKeys, assertCommonHeaders,
} from './lib.mjs';

const LOGIN = '/api/auth/login';
const post = (body, headers = { 'content-type': 'application/json' }) =>
  http(A, LOGIN, { method: 'POST', body, headers });

function cookieAttrs(setCookie) {
  const [first, ...rest] = setCookie.split(';').map((s) => s.trim());
  const attrs = {};
  for (const a of rest) {
    const i = a.indexOf('=');
    attrs[(i < 0 ? a : a.slice(0, i)).toLowerCase()] = i < 0 ? true : a.slice(i + 1);
  }
  return { nameValue: first, attrs };
}

test('login succeeds: session cookie HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP', async () => {
  const { res } = await loginOk(A, 'nhansu', PW.hr);
  assert.match(res.headers.get('content-type'), /^application\/json\b/);
  assertCommonHeaders(res);
  const cookies = res.setCookies.filter((c) => c.startsWith('parlearn_session='));
  assert.equal(cookies.length, 1, `one session cookie: ${res.setCookies}`);
  const { nameValue, attrs } = cookieAttrs(cookies[0]);
  assert.match(nameValue, /^parlearn_session=[A-Za-z0-9_-]{43}$/, 'a 256-bit random token (base64url)');
  assert.equal(attrs.httponly, true, 'HttpOnly');
  assert.equal(String(attrs.samesite).toLowerCase(), 'lax', 'SameSite=Lax');
  assert.equal(attrs.path, '/', 'Path=/');
  assert.equal(attrs.secure, undefined, 'no Secure over plain HTTP');
  assert.equal(attrs.domain, undefined, 'no Domain');
});

test('X-Forwarded-Proto from an untrusted address does not make the cookie Secure', async () => {
  const { res } = await loginOk(A, 'nhansu', PW.hr, { 'x-forwarded-proto': 'https' });
  const c = res.setCookies.find((x) => x.startsWith('parlearn_session='));
  assert.equal(cookieAttrs(c).attrs.secure, undefined, c);
});

test('login answers the /api/me shape, with no identification number', async () => {
  const { res, cookie } = await loginOk(A, 'nhansu', PW.hr);
  const me = res.json;
  assert.deepEqual(Object.keys(me).sort(), ['csrf_token', 'display_name', 'id', 'person', 'roles', 'username']);
  assert.equal(typeof me.id, 'number');
  assert.equal(me.username, 'nhansu');
  assert.equal(me.display_name, 'Trần Thị Bích');
  assert.deepEqual(me.roles, [{ role: 'hr_officer', unit: { code: 'SNV', name: 'Sở Nội vụ' } }]);
  assert.deepEqual(me.person, {
    employee_code: 'NV-0003', full_name: 'Đặng Thu Trang', position: 'Trưởng phòng', is_leader: true,
    par_role: 'dedicated', unit: { code: 'SNV-CCHC', name: 'Phòng Cải cách hành chính' },
  });
  assert.match(me.csrf_token, /^[A-Za-z0-9_-]{20,}$/);
  assertNoPinKeys(me);
  assertClean(res.text);
  // GET /api/me gives the same body, the same CSRF token
  const again = await http(A, '/api/me', { cookie });
  assert.equal(again.status, 200);
  assert.deepEqual(again.json, me);
  assertClean(again.text);
});

test('login of a learner with a person, and of an admin without one', async () => {
  const l = (await loginOk(A, 'hocvien', PW.learner)).res.json;
  assert.deepEqual(l.roles, [{ role: 'learner', unit: null }]);
  assert.equal(l.person.employee_code, 'TC-0002');
  assert.deepEqual(l.person.unit, { code: 'STC-KH', name: 'Phòng Kế hoạch' });
  const a = (await loginOk(A, 'quantri', PW.admin)).res.json;
  assert.deepEqual(a.roles, [{ role: 'admin', unit: null }]);
  assert.equal(a.person, null);
});

test('usernames are case-insensitive', async () => {
  for (const name of ['thuky.vanphong', 'THUKY.VANPHONG', 'ThuKy.VanPhong']) {
    const { res } = await loginOk(A, name, PW.kase);
    assert.equal(res.json.username, 'thuky.vanphong', name);
  }
});

test('a wrong password is 401 invalid_credentials; an unknown user gets the identical answer', async () => {
  const wrong = await login(A, 'hocvien', `${PW.learner}x`);
  const p1 = assertProblem(wrong.res, 401, 'invalid_credentials', { what: 'wrong password' });
  assert.equal(wrong.cookie, null, 'no session cookie on failure');
  const unknown = await login(A, 'khong-ton-tai', PW.learner);
  const p2 = assertProblem(unknown.res, 401, 'invalid_credentials', { what: 'unknown user' });
  assert.equal(unknown.cookie, null);
  const strip = ({ instance, ...rest }) => rest;
  assert.deepEqual(strip(p2), strip(p1), 'same body apart from the request id');
  assert.equal(p1.field, undefined, 'no field names which member was wrong');
  const names = (r) => [...r.headers.keys()].filter((k) => !['date', 'x-request-id', 'content-length'].includes(k)).sort();
  assert.deepEqual(names(unknown.res), names(wrong.res), 'same headers');
});

test('missing members and wrong types are 422 invalid_field naming the field', async () => {
  const cases = [
    [{}, 'username'],
    [{ password: 'x' }, 'username'],
    [{ username: 'hocvien' }, 'password'],
    [{ username: 5, password: 'x' }, 'username'],
    [{ username: 'hocvien', password: null }, 'password'],
    [{ username: null, password: 'x' }, 'username'],
    [{ username: ['hocvien'], password: 'x' }, 'username'],
    [{ username: 'hocvien', password: ['x'] }, 'password'],
    [{ username: { a: 1 }, password: 'x' }, 'username'],
    [{ username: true, password: 'x' }, 'username'],
    [{ username: 'hocvien', password: 12345678901 }, 'password'],
    [{ username: '', password: 'x' }, 'username'],
    [{ username: 'hocvien', password: '' }, 'password'],
    [{ username: 'a'.repeat(65), password: 'x' }, 'username'],
    [{ username: 'hocvien', password: 'p'.repeat(1025) }, 'password'],
  ];
  for (const [body, field] of cases) {
    const r = await http(A, LOGIN, { method: 'POST', json: body });
    assertProblem(r, 422, 'invalid_field', { field, what: JSON.stringify(body).slice(0, 80) });
    assert.equal(r.setCookies.length, 0);
  }
});

test('a body that is not JSON is 400 invalid_json', async () => {
  for (const body of ['not json', '{', '{"username":"a",}', "{'username':'a'}", '{"username":5,"password":}',
    '', ' ', '\u0000', '{"username":5,"password":"x"']) {
    assertProblem(await post(body), 400, 'invalid_json', { what: JSON.stringify(body) });
  }
});

test('a JSON value that is not an object is 400 invalid_json', async () => {
  for (const body of ['[]', '[{"username":"hocvien","password":"x"}]', '5', '-1.5e3', '"hocvien"', 'null', 'true']) {
    assertProblem(await post(body), 400, 'invalid_json', { what: body });
  }
});

test('trailing garbage after the object is 400 invalid_json; trailing whitespace is fine', async () => {
  for (const body of ['{"username":5,"password":"x"} x', '{"username":5,"password":"x"}{}',
    '{"username":5,"password":"x"}]', '{"username":5,"password":"x"}\u0000', '{"username":5,"password":"x"},']) {
    assertProblem(await post(body), 400, 'invalid_json', { what: JSON.stringify(body) });
  }
  assertProblem(await post('\r\n {"username":5,"password":"x"} \n\t '), 422, 'invalid_field', { field: 'username' });
});

test('deeply nested JSON is 400 invalid_json and the server still answers', async () => {
  for (const body of ['['.repeat(10000), '{"a":'.repeat(10000), `${'['.repeat(100000)}${']'.repeat(100000)}`,
    `{"username":${'['.repeat(5000)}1${']'.repeat(5000)},"password":"x"}`]) {
    assertProblem(await post(body), 400, 'invalid_json', { what: `${body.slice(0, 12)}… (${body.length} bytes)` });
  }
  // modest nesting is not "too deep": it reaches the field check
  assertProblem(await post('{"username":[[[[1]]]],"password":"x"}'), 422, 'invalid_field', { field: 'username' });
  assert.equal((await http(A, '/healthz')).status, 200);
});

test('invalid UTF-8 in the body is 400 invalid_utf8', async () => {
  const wrap = (bytes) => Buffer.concat([Buffer.from('{"username":"hoc'), Buffer.from(bytes),
    Buffer.from('vien","password":"x"}')]);
  const cases = {
    'a lone 0xFF': [0xff], 'a lone continuation byte': [0x80], 'an overlong "/"': [0xc0, 0xaf],
    'an overlong NUL': [0xc0, 0x80], 'a truncated 3-byte sequence': [0xe2, 0x82],
    'a UTF-16 surrogate': [0xed, 0xa0, 0x80], 'above U+10FFFF': [0xf4, 0x90, 0x80, 0x80],
    'Latin-1 "ệ"-like byte': [0xea],
  };
  for (const [what, bytes] of Object.entries(cases)) {
    const r = await http(A, LOGIN, { method: 'POST', body: wrap(bytes), headers: { 'content-type': 'application/json' } });
    assertProblem(r, 400, 'invalid_utf8', { what });
  }
  // outside any string, too
  const r = await http(A, LOGIN, { method: 'POST', body: Buffer.from([0x7b, 0xff, 0x7d]), headers: { 'content-type': 'application/json' } });
  assertProblem(r, 400, 'invalid_utf8', { what: '{\\xff}' });
});

test('escaped lone surrogates are refused with 400', async () => {
  for (const body of ['{"username":"\\ud800","password":"x"}', '{"username":"\\udc00x","password":"x"}']) {
    const r = await post(body);
    assert.equal(r.status, 400, `${body}: ${r.status} ${r.text}`);
    assert.ok(['invalid_json', 'invalid_utf8'].includes(r.json?.code), `${body}: ${r.text}`);
    assertClean(r.text);
  }
});

test('a body that is not application/json is 415 unsupported_media_type', async () => {
  const body = JSON.stringify({ username: 5, password: 'x' });
  for (const ct of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x', 'application/jsonx', 'application/json-patch+json', 'text/json', '']) {
    const r = await http(A, LOGIN, { method: 'POST', body: Buffer.from(body), headers: ct ? { 'content-type': ct } : {} });
    assertProblem(r, 415, 'unsupported_media_type', { what: `Content-Type "${ct}"` });
  }
  // a parameter, or another letter case, is still JSON
  for (const ct of ['application/json; charset=utf-8', 'Application/JSON']) {
    const r = await http(A, LOGIN, { method: 'POST', body, headers: { 'content-type': ct } });
    assertProblem(r, 422, 'invalid_field', { field: 'username', what: `Content-Type "${ct}"` });
  }
});

const LIMIT = 1024 * 1024; // the default max_body

test('a body of exactly the limit is read (and judged on its content)', async () => {
  const head = '{"username":5,"password":"x"}';
  const body = head + ' '.repeat(LIMIT - head.length);
  assert.equal(Buffer.byteLength(body), LIMIT);
  assertProblem(await post(body), 422, 'invalid_field', { field: 'username' });
});

test('a declared Content-Length over the limit is 413 body_too_large', async () => {
  const u = new URL(A);
  const r = await raw(A, `POST ${LOGIN} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\n`
    + `Content-Length: ${LIMIT + 1}\r\nConnection: close\r\n\r\n{"username":5,"password":"`);
  assertProblem(r, 413, 'body_too_large', { what: 'Content-Length: limit + 1' });
  const r2 = await raw(A, `POST ${LOGIN} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\n`
    + `Content-Length: 99999999999\r\nConnection: close\r\n\r\n{`);
  assertProblem(r2, 413, 'body_too_large', { what: 'Content-Length: 99999999999' });
});

test('a whole body over the limit, sent with its Content-Length, is 413 body_too_large', async () => {
  const body = `{"username":5,"password":"x"}${' '.repeat(LIMIT)}`;
  let r;
  try {
    r = await post(body);
  } catch (e) {
    assert.fail(`the connection failed instead of answering 413: ${e.cause?.code ?? e.message}`);
  }
  assertProblem(r, 413, 'body_too_large');
});

function chunked(body, size = 65536) {
  const parts = [];
  for (let i = 0; i < body.length; i += size) {
    const c = body.subarray(i, i + size);
    parts.push(Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return parts;
}

test('a chunked body is read; one over the limit is 413 body_too_large', async () => {
  const u = new URL(A);
  const head = `POST ${LOGIN} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\n`
    + 'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
  const small = await raw(A, [head, ...chunked(Buffer.from('{"username":5,"password":"x"}'), 7)]);
  assertProblem(small, 422, 'invalid_field', { field: 'username', what: 'small chunked body' });
  const big = Buffer.from(`{"username":5,"password":"${'a'.repeat(LIMIT + 4096)}"}`);
  const r = await raw(A, [head, ...chunked(big)]);
  assertProblem(r, 413, 'body_too_large', { what: 'chunked body over the limit' });
  assert.equal((await http(A, '/healthz')).status, 200);
});

test('5 failed logins for one username: the 6th, even with the right password, is 429 with Retry-After', async () => {
  for (let i = 1; i <= 5; i++) {
    const { res } = await login(A, 'khoa.thu', `wrong-password-${i}`);
    assertProblem(res, 401, 'invalid_credentials', { what: `failure ${i}` });
  }
  for (const [what, pw] of [['right password', PW.lock], ['wrong password', 'wrong-again'], ['upper case', PW.lock]]) {
    const { res, cookie } = await login(A, what === 'upper case' ? 'KHOA.THU' : 'khoa.thu', pw);
    assertProblem(res, 429, 'too_many_attempts', { what });
    assert.equal(cookie, null, 'no session while throttled');
    const ra = res.headers.get('retry-after');
    assert.match(ra ?? '', /^\d+$/, `Retry-After is whole seconds: ${ra}`);
    assert.ok(Number(ra) > 0 && Number(ra) <= 15 * 60, `Retry-After within the 15-minute window: ${ra}`);
  }
  // another account from the same address is not affected
  await loginOk(A, 'hocvien', PW.learner);
});
