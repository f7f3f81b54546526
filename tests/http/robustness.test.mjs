// robustness.test.mjs — oversized headers, malformed requests, many connections: clean
// refusals, and server A keeps serving. (The parallel-login test is in throttle.test.mjs, on
// server B, so it does not lock 127.0.0.1 out of server A.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { A, http, raw, assertProblem, assertClean } from './lib.mjs';

const host = new URL(A).host;

async function stillServing() {
  const r = await http(A, '/healthz');
  assert.equal(r.status, 200, 'the server still answers /healthz');
}

test('20 KB in one header is a clean 4xx problem, and the server keeps serving', async () => {
  const r = await raw(A, `GET /api/me HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\nConnection: close\r\n\r\n`);
  assert.ok([400, 413, 431].includes(r.status), `status ${r.status}: ${r.text.slice(0, 200)}`);
  assertClean(r.text);
  assertProblem(r, r.status, r.json?.code ?? '(none)', { what: '20 KB header' });
  await stillServing();
});

test('20 KB spread over many headers is a clean 4xx problem, and the server keeps serving', async () => {
  let h = '';
  for (let i = 0; i < 40; i++) h += `X-H${i}: ${'b'.repeat(500)}\r\n`;
  const r = await raw(A, `GET /api/me HTTP/1.1\r\nHost: ${host}\r\n${h}Connection: close\r\n\r\n`);
  assert.ok([400, 413, 431].includes(r.status), `status ${r.status}: ${r.text.slice(0, 200)}`);
  assertClean(r.text);
  assertProblem(r, r.status, r.json?.code ?? '(none)', { what: '40 headers of 500 bytes' });
  await stillServing();
});

test('a 20 KB cookie is refused cleanly', async () => {
  const r = await raw(A, `GET /api/me HTTP/1.1\r\nHost: ${host}\r\nCookie: parlearn_session=${'c'.repeat(20 * 1024)}\r\nConnection: close\r\n\r\n`);
  assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
  assertClean(r.text);
  await stillServing();
});

test('malformed requests get a 4xx or a closed connection, never a crash', async () => {
  const bad = [
    'GARBAGE\r\n\r\n',
    'GET\r\n\r\n',
    `GET /healthz HTTP/9.9\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nBad Header Line\r\nConnection: close\r\n\r\n`,
    `GET ../../etc/passwd HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: -1\r\nConnection: close\r\n\r\n{}`,
    `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}`,
    `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    `\x00\x01\x02\xff GET / HTTP/1.1\r\n\r\n`,
  ];
  for (const req of bad) {
    let r;
    try {
      r = await raw(A, Buffer.from(req, "latin1"), { timeout: 5000 });
    } catch (e) {
      continue; // a closed connection with no answer is acceptable for garbage
    }
    if (r.status === 0) continue;
    // 505 HTTP Version Not Supported is the right answer to HTTP/9.9
    assert.ok((r.status >= 400 && r.status < 500) || r.status === 505, `${JSON.stringify(req.slice(0, 40))}: ${r.status}`);
    assertClean(r.text);
    assert.ok(!r.text.includes('root:x:0:0'));
  }
  await stillServing();
});

test('a request whose body stops short does not hang the server for others', async () => {
  const u = new URL(A);
  const pending = raw(A, `POST /api/auth/login HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\n`
    + 'Content-Length: 100\r\nConnection: close\r\n\r\n{"username":', { timeout: 2000 }).catch(() => null);
  await stillServing();
  await pending;
});

const OVERSIZED = `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n`
  + 'Content-Length: 1048577\r\nConnection: close\r\n\r\n{"username":';

test('after answering 413 with "Connection: close", the server closes the connection', async () => {
  const r = await raw(A, OVERSIZED, { untilClose: true, timeout: 3000 });
  assertProblem(r, 413, 'body_too_large');
  assert.match(r.headers.get('connection') ?? '', /close/i);
  assert.ok(r.closed, 'the connection was still open 3 s after the 413 (RFC 9112 §9.6: close after "Connection: close")');
});

test('20 clients declaring oversized bodies do not starve the server', async () => {
  // each is answered 413 at once; none should keep a worker thread busy afterwards
  const held = Array.from({ length: 20 }, () => raw(A, OVERSIZED, { untilClose: true, timeout: 4000 }).catch(() => null));
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now();
  const r = await http(A, '/healthz', { timeout: 10000 }).catch((e) => ({ status: 0, text: e.message }));
  const ms = Date.now() - t0;
  await Promise.all(held);
  assert.equal(r.status, 200, r.text);
  assert.ok(ms < 2000, `/healthz took ${ms} ms while 20 answered-413 connections stayed open`);
});

test('100 concurrent connections are all answered', async () => {
  const rs = await Promise.all(Array.from({ length: 100 }, () => http(A, '/healthz')));
  for (const r of rs) assert.equal(r.status, 200);
});

test('at the end, /healthz and /readyz are still 200', async () => {
  await stillServing();
  assert.equal((await http(A, '/readyz')).status, 200);
});
