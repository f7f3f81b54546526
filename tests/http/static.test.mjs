// static.test.mjs — the web pages (docs/api.md: "/", "/index.html", "/assets/..."): served
// with the right type, nothing outside them ever, no listings, common headers everywhere.
// run.sh serves a copy of server/www to which it adds files that must never come out:
// assets/.hidden, assets/sub/inner.css, assets/run.cgi, and ../outside.txt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { A, http, rawGet, assertProblem, assertCommonHeaders } from './lib.mjs';

const HAVE_PAGES = process.env.PL_HAVE_PAGES === '1';
const NO_PAGES = HAVE_PAGES ? false : 'server/www/index.html does not exist yet: page tests skipped';

// Text that means a file that should not be served came out.
const LEAKS = ['root:x:0:0', 'cmake_minimum_required', '#include', 'PARLEARN-HIDDEN-MARKER',
  'PARLEARN-SUBDIR-MARKER', 'PARLEARN-CGI-MARKER', 'PARLEARN-OUTSIDE-MARKER', 'Index of', '<pre>', 'app.css</a>',
  '[client]', 'PG_VERSION'];

function assertNoLeak(r, what) {
  for (const l of LEAKS) assert.ok(!r.text.includes(l), `${what} leaks "${l}": ${r.text.slice(0, 200)}`);
}

test('GET / and /index.html are 200 text/html', { skip: NO_PAGES }, async () => {
  for (const path of ['/', '/index.html']) {
    const r = await http(A, path);
    assert.equal(r.status, 200, `${path}: ${r.status}`);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html\b/, path);
    assert.match(r.text, /<html|<!doctype html/i, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
  }
});

test('assets are served with their type and the common headers', { skip: NO_PAGES }, async () => {
  const r = await http(A, '/assets/app.css');
  if (r.status === 404) return; // the pages may not have this file (yet)
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/css\b/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
});

test('paths that climb out of the folder are 404 and never file contents', async () => {
  const targets = [
    '/assets/../CMakeLists.txt', '/assets/%2e%2e/%2e%2e/etc/passwd', '/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd', '/assets/%2e%2e%2f%2e%2e%2foutside.txt', '/assets/../../outside.txt',
    '/assets/..%5c..%5coutside.txt', '/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '//etc/passwd',
    '///etc/passwd', '/assets//etc/passwd', '/assets/%2fetc%2fpasswd', '/assets/....//....//etc/passwd',
    '/assets/%252e%252e/%252e%252e/etc/passwd', '/assets/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
    '/server/src/main.c', '/CMakeLists.txt', '/etc/passwd', '/outside.txt', '/assets/../assets/../../outside.txt',
    '/index.html/../../outside.txt',
  ];
  for (const t of targets) {
    const r = await rawGet(A, t);
    assertNoLeak(r, t);
    // the request may be refused as malformed (400) before routing; otherwise it is 404
    if (r.status === 400) continue;
    assertProblem(r, 404, 'not_found', { what: t });
  }
});

test('hidden files, sub-folders and scripts in assets are not served or run', async () => {
  for (const t of ['/assets/.hidden', '/assets/%2ehidden', '/assets/sub/inner.css', '/assets/sub%2finner.css',
    '/assets/run.cgi', '/assets/run.cgi?x=1', '/assets/.']) {
    const r = await rawGet(A, t);
    assertNoLeak(r, t);
    if (r.status === 400) continue;
    assertProblem(r, 404, 'not_found', { what: t });
  }
});

test('a folder is never listed', async () => {
  for (const t of ['/assets/', '/assets', '/assets/sub/', '/assets/sub', '/server/', '/tests/']) {
    const r = await rawGet(A, t);
    assertNoLeak(r, t);
    assertProblem(r, 404, 'not_found', { what: t });
  }
});

test('static answers and static errors carry X-Content-Type-Options and X-Request-Id', async () => {
  const paths = ['/assets/nope.css', '/nope.html', '/favicon.ico'];
  if (HAVE_PAGES) paths.push('/', '/index.html', '/assets/app.css', '/assets/app.js');
  for (const p of paths) {
    const r = await http(A, p);
    if (r.status === 404 && !['/', '/index.html'].includes(p)) {
      assertProblem(r, 404, 'not_found', { what: p });
      continue;
    }
    assertCommonHeaders(r, `GET ${p} (${r.status})`);
  }
});

test('HEAD of a page is 200 with no body', { skip: NO_PAGES }, async () => {
  const r = await http(A, '/index.html', { method: 'HEAD' });
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
});

test('POST to a page is not served as a page', async () => {
  const r = await http(A, '/index.html', { method: 'POST', json: {} });
  assert.ok([404, 405].includes(r.status), `${r.status}`);
  assertProblem(r, r.status, r.status === 404 ? 'not_found' : 'method_not_allowed');
});
