// lib.mjs — helpers shared by the HTTP tests: requests with fetch and over a raw socket,
// the problem-details assertion every error test makes, login, and the Vietnamese order.
// run.sh starts the servers and passes their addresses and the passwords in the environment.
import assert from 'node:assert/strict';
import net from 'node:net';
import nodeHttp from 'node:http';

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through tests/http/run.sh`);
  return v;
}

export const A = env('PL_URL_A'); // main server, default limits
export const B = env('PL_URL_B'); // --session-idle 2 --max-body 2048 --trusted-proxy 127.0.0.1
export const C = env('PL_URL_C'); // --session-max 3
export const PINS = env('PL_PINS').split(',');
export const PW = {
  admin: env('PL_PW_ADMIN'), hr: env('PL_PW_HR'), hr2: env('PL_PW_HR2'),
  trainer: env('PL_PW_TRAINER'), learner: env('PL_PW_LEARNER'), lock: env('PL_PW_LOCK'),
  passwd: env('PL_PW_PASSWD'), kase: env('PL_PW_CASE'),
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// What no answer may contain: SQL or database text, a stack or source location, and any
// personal identification number of the fixture (or anything that looks like one).
export function assertClean(text, what = 'body') {
  for (const bad of ['SELECT', 'INSERT', 'UPDATE ', 'DELETE FROM', 'ERROR:', 'SQLSTATE', 'PGRES',
    'libpq', 'Traceback', 'AddressSanitizer']) {
    assert.ok(!text.includes(bad), `${what} contains "${bad}": ${text.slice(0, 300)}`);
  }
  assert.ok(!/syntax/i.test(text), `${what} mentions a syntax error: ${text.slice(0, 300)}`);
  assert.ok(!/\.[ch]:\d+/.test(text), `${what} names a source line: ${text.slice(0, 300)}`);
  assert.ok(!/\bat \S+ \(/.test(text), `${what} looks like a stack trace: ${text.slice(0, 300)}`);
  for (const pin of PINS) assert.ok(!text.includes(pin), `${what} contains an identification number`);
  // request ids and CSRF tokens are random and may hold a run of digits by chance
  const scrubbed = text.replace(/urn:parlearn:request:[0-9a-f]+/g, '').replace(/"csrf_token":"[^"]*"/g, '');
  assert.ok(!/(^|\D)\d{12}(\D|$)/.test(scrubbed), `${what} contains a 12-digit number`);
}

// Keys that would name the identification number, anywhere in a JSON value.
export function assertNoPinKeys(value, path = '$') {
  if (Array.isArray(value)) return value.forEach((v, i) => assertNoPinKeys(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      assert.ok(!/pin|cccd|national|ident/i.test(k), `${path}.${k}: a key that names the id number`);
      assertNoPinKeys(v, `${path}.${k}`);
    }
  }
}

class Headers2 {
  constructor(list) { this.list = list; }
  get(name) {
    const v = this.list.filter(([k]) => k === name.toLowerCase()).map(([, x]) => x);
    return v.length ? v.join(', ') : null;
  }
  getSetCookie() { return this.list.filter(([k]) => k === 'set-cookie').map(([, x]) => x); }
  keys() { return [...new Set(this.list.map(([k]) => k))]; }
}

// One request with node:http and no keep-alive (Connection: close): CivetWeb gives each
// open connection a worker thread, so idle keep-alive connections left by a client would
// slow the tests that follow. `json` is serialised with Content-Type: application/json.
export function http(base, path, { method = 'GET', headers = {}, body, cookie, json, timeout = 20000 } = {}) {
  const h = { ...headers };
  if (cookie) h.cookie = cookie;
  if (json !== undefined) {
    body = JSON.stringify(json);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
  }
  if (body !== undefined) {
    body = Buffer.isBuffer(body) ? body : Buffer.from(body);
    h['content-length'] = String(body.length);
  }
  const u = new URL(base + path);
  return new Promise((resolve, reject) => {
    const req = nodeHttp.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h, agent: false, timeout,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const list = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) list.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
        const headersObj = new Headers2(list);
        const text = Buffer.concat(chunks).toString('utf8');
        let data;
        try { data = JSON.parse(text); } catch { data = undefined; }
        resolve({ status: res.statusCode, headers: headersObj, text, json: data, setCookies: headersObj.getSetCookie() });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${timeout} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: new Headers2([]), text: buf.toString('latin1'), raw: buf };
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
  const list = head.slice(1).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
  });
  const headers = new Headers2(list);
  let body = buf.subarray(end + 4);
  const cl = headers.get('content-length');
  if (cl !== null && /^\d+$/.test(cl)) body = body.subarray(0, Number(cl));
  const text = body.toString('utf8');
  let data;
  try { data = JSON.parse(text); } catch { data = undefined; }
  return { status: m ? Number(m[1]) : 0, headers, text, json: data, raw: buf, setCookies: headers.getSetCookie() };
}

// One request over a raw TCP socket, for what a client library will not send (unnormalised
// paths, huge headers, chunked bodies, garbage). `parts` are written in order. The answer is
// complete when its Content-Length bytes have arrived (or, with `untilClose` or without a
// Content-Length, when the server closes); `closed` tells whether the server closed the
// connection within `timeout` ms.
export function raw(base, parts, { timeout = 15000, untilClose = false } = {}) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname);
    const chunks = [];
    let done = false;
    const finish = (err, closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const buf = Buffer.concat(chunks);
      if (!buf.length && err) return reject(err);
      resolve({ ...parseResponse(buf), closed });
    };
    const timer = setTimeout(() => finish(new Error('timeout waiting for the answer'), false), timeout);
    sock.on('data', (c) => {
      chunks.push(c);
      if (untilClose) return;
      const buf = Buffer.concat(chunks);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(buf.subarray(0, end).toString('latin1'));
      if (m && buf.length - end - 4 >= Number(m[1])) finish(null, false);
    });
    sock.on('end', () => finish(null, true));
    sock.on('close', () => finish(null, true));
    sock.on('error', (e) => finish(e, true));
    sock.on('connect', () => {
      for (const p of [].concat(parts)) {
        if (sock.destroyed) break;
        sock.write(p);
      }
    });
  });
}

// A GET over a raw socket with the request target exactly as given.
export function rawGet(base, target, extraHeaders = '') {
  const u = new URL(base);
  return raw(base, `GET ${target} HTTP/1.1\r\nHost: ${u.host}\r\n${extraHeaders}Connection: close\r\n\r\n`);
}

// Every answer carries these.
export function assertCommonHeaders(res, what = '') {
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${what} X-Content-Type-Options`);
  assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f]{8,64}$/, `${what} X-Request-Id`);
}

// The RFC 9457 shape with a stable code (docs/api.md, "Errors").
export function assertProblem(res, status, code, { field, what = '' } = {}) {
  const ctx = `${what} → ${res.status} ${res.text.slice(0, 400)}`;
  assert.equal(res.status, status, `status: ${ctx}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json\b/, `content-type: ${ctx}`);
  assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), `not a JSON object: ${ctx}`);
  const p = res.json;
  assert.equal(p.code, code, `code: ${ctx}`);
  assert.equal(p.status, status, `status member: ${ctx}`);
  assert.equal(p.type, `urn:parlearn:problem:${code}`, `type: ${ctx}`);
  assert.equal(typeof p.title, 'string', `title: ${ctx}`);
  assert.ok(typeof p.detail === 'string' && p.detail.length > 0 && !p.detail.includes('\n'), `detail: ${ctx}`);
  if (field !== undefined) assert.equal(p.field, field, `field: ${ctx}`);
  const rid = res.headers.get('x-request-id');
  assert.ok(rid, `no X-Request-Id: ${ctx}`);
  assert.equal(p.instance, `urn:parlearn:request:${rid}`, `instance: ${ctx}`);
  assertCommonHeaders(res, what);
  assertClean(res.text, what);
  return p;
}

// Logs in; returns the response, the Cookie header value to send back and the CSRF token.
export async function login(base, username, password, headers = {}) {
  const res = await http(base, '/api/auth/login', { method: 'POST', json: { username, password }, headers });
  let cookie = null;
  for (const c of res.setCookies) {
    const m = /^parlearn_session=([^;]*)/.exec(c);
    if (m) cookie = `parlearn_session=${m[1]}`;
  }
  return { res, cookie, csrf: res.json?.csrf_token };
}

export async function loginOk(base, username, password, headers = {}) {
  const r = await login(base, username, password, headers);
  assert.equal(r.res.status, 200, `login ${username}: ${r.res.status} ${r.res.text}`);
  assert.ok(r.cookie, `login ${username}: no session cookie`);
  return r;
}

// Vietnamese alphabetical order, as docs/api.md asks ("Vietnamese collation"): letters
// A Ă Â B C D Đ E Ê G H I K L M N O Ô Ơ P Q R S T U Ư V X Y (F J W Z in their Latin places),
// compared letter by letter, a space before any letter; the five tone marks only break ties
// (none < huyền < hỏi < ngã < sắc < nặng), then letter case.
const ALPHABET = 'a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z'.split(' ');
const TONES = { '\u0300': 1, '\u0309': 2, '\u0303': 3, '\u0301': 4, '\u0323': 5 };

function viKey(s) {
  const primary = [];
  const tones = [];
  for (const ch of s.toLowerCase()) {
    const d = ch.normalize('NFD');
    let tone = 0;
    let base = '';
    for (const c of d) {
      if (TONES[c]) tone = TONES[c];
      else base += c;
    }
    base = base.normalize('NFC');
    if (base === ' ') primary.push(-1);
    else {
      const i = ALPHABET.indexOf(base);
      primary.push(i >= 0 ? i : 1000 + base.codePointAt(0));
    }
    tones.push(tone);
  }
  return { primary, tones };
}

function cmpArrays(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function viCompare(a, b) {
  const ka = viKey(a);
  const kb = viKey(b);
  return cmpArrays(ka.primary, kb.primary) || cmpArrays(ka.tones, kb.tones) || (a < b ? -1 : a > b ? 1 : 0);
}
