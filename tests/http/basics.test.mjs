// basics.test.mjs — health checks, exact routing, 404 and 405 (docs/api.md, "Endpoints").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { A, http, raw, assertProblem, assertCommonHeaders, assertClean } from './lib.mjs';

test('GET /healthz is 200 {"status":"ok"}', async () => {
  const r = await http(A, '/healthz');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json\b/);
  assert.deepEqual(r.json, { status: 'ok' });
  assertCommonHeaders(r);
});

test('GET /readyz is 200 {"status":"ready"}', async () => {
  const r = await http(A, '/readyz');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json\b/);
  assert.deepEqual(r.json, { status: 'ready' });
  assertCommonHeaders(r);
});

test('HEAD /healthz is 200 with no body', async () => {
  const r = await http(A, '/healthz', { method: 'HEAD' });
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
});

test('an unknown route is 404 not_found', async () => {
  for (const path of ['/nope', '/api/nope', '/api', '/api/', '/api/auth', '/api/auth/loginX']) {
    assertProblem(await http(A, path), 404, 'not_found', { what: `GET ${path}` });
  }
  for (const path of ['/nope', '/api/nope']) {
    assertProblem(await http(A, path, { method: 'POST', json: {} }), 404, 'not_found', { what: `POST ${path}` });
  }
});

test('routes are exact: /api/meX, /api/me/, /healthzX, /api/units/x are 404', async () => {
  for (const path of ['/api/meX', '/api/me/', '/api/me/x', '/healthzX', '/healthz/', '/readyz/',
    '/api/unitsX', '/api/units/x', '/api/people/1', '/API/ME']) {
    assertProblem(await http(A, path), 404, 'not_found', { what: `GET ${path}` });
  }
});

test('a wrong method is 405 method_not_allowed with an Allow header', async () => {
  const cases = [
    ['GET', '/api/auth/login', 'POST'], ['PUT', '/api/auth/login', 'POST'],
    ['GET', '/api/auth/logout', 'POST'], ['DELETE', '/api/me', 'GET'], ['POST', '/api/me', 'GET'],
    ['PUT', '/api/units', 'GET'], ['PATCH', '/api/people', 'GET'], ['POST', '/healthz', 'GET'],
    ['DELETE', '/readyz', 'GET'],
  ];
  for (const [method, path, allow] of cases) {
    const r = await http(A, path, { method });
    assertProblem(r, 405, 'method_not_allowed', { what: `${method} ${path}` });
    const got = (r.headers.get('allow') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    assert.ok(got.includes(allow), `${method} ${path}: Allow "${r.headers.get('allow')}" lacks ${allow}`);
    assert.ok(!got.includes(method), `${method} ${path}: Allow lists the refused method`);
  }
});

test('an unknown method (BREW) is a clean 4xx, never a crash', async () => {
  const r = await raw(A, `BREW /api/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  assert.ok(r.status >= 400 && r.status < 500, `got ${r.status}`);
  assertClean(r.text);
  assert.equal((await http(A, '/healthz')).status, 200);
});
