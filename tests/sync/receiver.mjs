// tests/sync/receiver.mjs — the REFERENCE RECEIVER of training-record pushes, for integration
// tests: a real HTTP server that plays the city's personnel system as docs/personnel-sync.md
// (section 2, "Push delivery") describes it. Node 20, node:http only, no npm packages.
//
//   node tests/sync/receiver.mjs --secret whsec_... [--port 0] [--state FILE] [--max-seconds 600]
//
// When listening (on 127.0.0.1 only) it prints one JSON line on stdout:
//   {"port":N,"url":"http://127.0.0.1:N/events"}
// and logs one line per request on stderr (never a body). It stops on SIGTERM or SIGINT, when
// its stdin closes (only when stdin is a pipe, socket or terminal: started in the background
// with stdin on /dev/null it does not stop at once), and by itself after --max-seconds.
//
// POST /events — one event per request, checked in this order:
//   405 not POST; 413 body over 1 MiB; 415 Content-Type not application/json (charset, if
//   given, utf-8); 401 a webhook-id, webhook-timestamp or webhook-signature header missing,
//   a timestamp that is not Unix seconds or is more than 5 minutes from this clock, or no valid
//   signature (each space-separated "v1,<base64>" entry is compared in constant time with
//   base64(HMAC-SHA256(key, id "." timestamp "." raw body)); one valid entry is enough; other
//   versions are ignored); 400 a body that is not UTF-8 JSON; 422 a body that is not an object
//   whose event_id equals webhook-id, or an Idempotency-Key missing or different from
//   webhook-id; 409 a webhook-id already recorded (counted as a duplicate, not recorded
//   again; a repeat whose body differs from the recorded one is listed in
//   "duplicate_body_mismatch"); else 200 and the event is recorded: in memory and, with
//   --state FILE, appended to FILE as one JSON line. An existing FILE is read at start, so a
//   restarted receiver still knows (and answers 409 to) what it recorded before.
//   The body is not checked against training-record.schema.json: tests do that on what is
//   recorded (tests/package/json_schema_check.py).
//
// POST /_control {"mode": M, "count": N, "delay_ms": D} — what the next N requests to /events
// meet (count absent or null: every request until the next /_control); then mode "ok" again:
//   ok         normal answers
//   fail500    500, not recorded            fail429   429 with Retry-After: 1, not recorded
//   reject400  400, not recorded            drop      the socket is closed with no answer
//   timeout    no answer: the socket is held delay_ms (default 60000), then destroyed
//   slow       processed (and recorded) at once as in "ok", answered after delay_ms (default
//              2000): a client that gives up first has lost the answer of a delivered event
// A failure mode takes effect after the request's body is read, before any check.
// GET /_control → the mode now.  POST /_reset → forget everything (truncates --state FILE),
// mode ok.
//
// GET /_received → {"events": [{seq, id, kind, employee_code, received_at, body}, ... in
//   arrival order], "duplicates": N, "duplicate_body_mismatch": [ids], "rejected": {"401": n,
//   ...} (answers refused by the checks above), "injected": {"fail500": n, ...} (requests met
//   by a failure mode), "requests": N (every request to /events), "by_employee":
//   {"<employee_code>": [ids in arrival order]}, "restored": N (events read from --state)}
// GET /_health → 200 {"ok":true}.
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';

const MAX_BODY = 1024 * 1024;
const TOLERANCE_S = 5 * 60;
const MODES = new Set(['ok', 'fail500', 'fail429', 'timeout', 'drop', 'slow', 'reject400']);

function die(msg) {
  process.stderr.write(`receiver: ${msg}\n`);
  process.exit(2);
}

// ---- arguments ----
const opts = { port: 0, state: null, secret: null, maxSeconds: 600 };
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let v;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) { v = a.slice(eq + 1); a = a.slice(0, eq); }
    const val = () => {
      if (v !== undefined) return v;
      if (i + 1 >= argv.length) die(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--secret': opts.secret = val(); break;
      case '--port': opts.port = Number(val()); break;
      case '--state': opts.state = val(); break;
      case '--max-seconds': opts.maxSeconds = Number(val()); break;
      case '-h': case '--help':
        process.stdout.write('usage: node receiver.mjs --secret whsec_... [--port 0] [--state FILE] [--max-seconds 600]\n');
        process.exit(0);
        break;
      default: die(`unknown argument ${a}`);
    }
  }
}
if (!opts.secret) die('--secret whsec_... is required');
if (!opts.secret.startsWith('whsec_')) die('the secret must be written whsec_<base64>');
const b64 = opts.secret.slice('whsec_'.length);
const key = Buffer.from(b64, 'base64');
if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || key.toString('base64').replace(/=+$/, '') !== b64.replace(/=+$/, '')) {
  die('the secret after whsec_ is not base64');
}
if (key.length < 24 || key.length > 64) die(`the secret must hold 24 to 64 bytes (has ${key.length})`);
if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) die('--port must be 0 to 65535');
if (!(opts.maxSeconds > 0)) die('--max-seconds must be a positive number');

// ---- state ----
let events = [];            // accepted, in arrival order
let byId = new Map();       // webhook-id -> event
let duplicates = 0;
let mismatched = [];
let rejected = {};
let injected = {};
let requests = 0;
let restored = 0;
let mode = { mode: 'ok', count: null, delay_ms: null };

function record(ev) {
  events.push(ev);
  byId.set(ev.id, ev);
}

if (opts.state && fs.existsSync(opts.state)) {
  const lines = fs.readFileSync(opts.state, 'utf8').split('\n');
  for (const [n, line] of lines.entries()) {
    if (!line.trim()) continue;
    let ev;
    try { ev = JSON.parse(line); } catch { die(`${opts.state}:${n + 1}: not JSON`); }
    if (!ev || typeof ev.id !== 'string') die(`${opts.state}:${n + 1}: no id`);
    if (byId.has(ev.id)) continue;
    ev.seq = events.length + 1;
    record(ev);
    restored++;
  }
}

function byEmployee() {
  const out = {};
  for (const ev of events) {
    const k = ev.employee_code ?? '';
    (out[k] ??= []).push(ev.id);
  }
  return out;
}

// ---- helpers ----
function log(req, status, note) {
  const id = req.headers['webhook-id'];
  process.stderr.write(`receiver: ${req.method} ${req.url} -> ${status}${id ? ` id=${String(id).slice(0, 80)}` : ''}${note ? ` (${note})` : ''}\n`);
}

function send(req, res, status, obj, headers = {}) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
  log(req, status, obj && obj.error);
}

function refuse(req, res, status, error, detail, headers) {
  rejected[status] = (rejected[status] ?? 0) + 1;
  send(req, res, status, { error, detail }, headers);
}

function readBody(req, limit) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let over = false;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) over = true; else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', () => resolve(null));
  });
}

function expectedSignature(id, ts, body) {
  const h = crypto.createHmac('sha256', key);
  h.update(Buffer.from(`${id}.${ts}.`, 'utf8'));
  h.update(body);
  return 'v1,' + h.digest('base64');
}

function signatureOk(header, id, ts, body) {
  const want = Buffer.from(expectedSignature(id, ts, body), 'utf8');
  let ok = false;
  for (const part of header.split(' ')) {
    if (!part.startsWith('v1,')) continue;
    const got = Buffer.from(part, 'utf8');
    // check every entry (no early exit), comparing in constant time
    if (got.length === want.length && crypto.timingSafeEqual(got, want)) ok = true;
  }
  return ok;
}

const timers = new Set();
function later(ms, fn) {
  const t = setTimeout(() => { timers.delete(t); fn(); }, ms);
  timers.add(t);
}

// ---- POST /events ----
async function events_(req, res) {
  requests++;
  const body = await readBody(req, MAX_BODY);

  // the failure mode, if any, takes this request
  const { mode: m, delay_ms: delay } = mode;
  if (m !== 'ok') {
    if (mode.count !== null && --mode.count <= 0) mode = { mode: 'ok', count: null, delay_ms: null };
    injected[m] = (injected[m] ?? 0) + 1;
    switch (m) {
      case 'fail500': send(req, res, 500, { error: 'injected_failure' }); return;
      case 'fail429': send(req, res, 429, { error: 'injected_rate_limit' }, { 'Retry-After': '1' }); return;
      case 'reject400': send(req, res, 400, { error: 'injected_rejection' }); return;
      case 'drop': log(req, 'dropped'); req.socket.destroy(); return;
      case 'timeout': {
        const ms = delay ?? 60000;
        log(req, `held ${ms} ms`);
        later(ms, () => req.socket.destroy());
        return;
      }
      case 'slow': {
        return process_(req, res, body, delay ?? 2000);
      }
    }
  }
  return process_(req, res, body, 0);
}

function process_(req, res, body, delayMs) {
  const reply = (fn) => (delayMs > 0 ? later(delayMs, () => { if (!res.destroyed) fn(); }) : fn());
  if (req.method !== 'POST') return reply(() => refuse(req, res, 405, 'method_not_allowed', 'POST only', { Allow: 'POST' }));
  if (body === null) return reply(() => refuse(req, res, 413, 'too_large', `body over ${MAX_BODY} bytes`));

  const ct = String(req.headers['content-type'] ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = ct.slice(1).find((p) => p.startsWith('charset='));
  if (ct[0] !== 'application/json' || (charset && charset.replace(/"/g, '') !== 'charset=utf-8')) {
    return reply(() => refuse(req, res, 415, 'unsupported_media_type', 'Content-Type must be application/json'));
  }

  const id = req.headers['webhook-id'];
  const ts = req.headers['webhook-timestamp'];
  const sig = req.headers['webhook-signature'];
  if (!id || !ts || !sig) {
    return reply(() => refuse(req, res, 401, 'signature_invalid', 'webhook-id, webhook-timestamp and webhook-signature are required'));
  }
  if (!/^[0-9]{1,12}$/.test(ts)) return reply(() => refuse(req, res, 401, 'signature_invalid', 'webhook-timestamp is not Unix seconds'));
  const now = Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(ts)) > TOLERANCE_S) {
    return reply(() => refuse(req, res, 401, 'signature_invalid', 'webhook-timestamp more than 5 minutes from the receiver clock'));
  }
  if (!signatureOk(String(sig), id, ts, body)) return reply(() => refuse(req, res, 401, 'signature_invalid', 'no valid v1 signature'));

  let ev;
  try {
    ev = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return reply(() => refuse(req, res, 400, 'invalid_json', 'the body is not UTF-8 JSON'));
  }
  if (ev === null || typeof ev !== 'object' || Array.isArray(ev)) {
    return reply(() => refuse(req, res, 422, 'not_an_event', 'the body is not a JSON object'));
  }
  if (ev.event_id !== id) return reply(() => refuse(req, res, 422, 'event_id_mismatch', 'event_id differs from webhook-id'));
  if (req.headers['idempotency-key'] !== id) {
    return reply(() => refuse(req, res, 422, 'idempotency_key_mismatch', 'Idempotency-Key missing or different from webhook-id'));
  }

  const seen = byId.get(id);
  if (seen) {
    duplicates++;
    if (JSON.stringify(seen.body) !== JSON.stringify(ev) && !mismatched.includes(id)) mismatched.push(id);
    return reply(() => send(req, res, 409, { error: 'duplicate', id }));
  }
  const rec = {
    seq: events.length + 1,
    id,
    kind: typeof ev.kind === 'string' ? ev.kind : null,
    employee_code: typeof ev.employee_code === 'string' ? ev.employee_code : null,
    received_at: new Date().toISOString(),
    body: ev,
  };
  record(rec);
  if (opts.state) fs.appendFileSync(opts.state, JSON.stringify(rec) + '\n');
  return reply(() => send(req, res, 200, { status: 'recorded', id, seq: rec.seq }));
}

// ---- POST /_control ----
async function control(req, res) {
  if (req.method === 'GET') return send(req, res, 200, mode);
  if (req.method !== 'POST') return send(req, res, 405, { error: 'method_not_allowed' }, { Allow: 'GET, POST' });
  const body = await readBody(req, 64 * 1024);
  let c;
  try { c = JSON.parse(body?.toString('utf8') ?? ''); } catch { return send(req, res, 400, { error: 'invalid_json' }); }
  if (!c || typeof c !== 'object' || !MODES.has(c.mode)) {
    return send(req, res, 400, { error: 'invalid_mode', detail: `mode is one of ${[...MODES].join(', ')}` });
  }
  const count = c.count ?? null;
  const delay = c.delay_ms ?? null;
  if (count !== null && !(Number.isInteger(count) && count >= 1)) return send(req, res, 400, { error: 'invalid_count' });
  if (delay !== null && !(Number.isInteger(delay) && delay >= 0)) return send(req, res, 400, { error: 'invalid_delay_ms' });
  mode = c.mode === 'ok' ? { mode: 'ok', count: null, delay_ms: null } : { mode: c.mode, count, delay_ms: delay };
  return send(req, res, 200, mode);
}

function received() {
  return {
    events, duplicates, duplicate_body_mismatch: mismatched, rejected, injected, requests,
    by_employee: byEmployee(), restored,
  };
}

function reset() {
  events = []; byId = new Map(); duplicates = 0; mismatched = []; rejected = {}; injected = {};
  requests = 0; restored = 0; mode = { mode: 'ok', count: null, delay_ms: null };
  if (opts.state) fs.writeFileSync(opts.state, '');
}

// ---- the server ----
const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  const handle = async () => {
    if (path === '/events') return events_(req, res);
    if (path === '/_control') return control(req, res);
    if (path === '/_received' && req.method === 'GET') return send(req, res, 200, received());
    if (path === '/_health' && req.method === 'GET') return send(req, res, 200, { ok: true });
    if (path === '/_reset' && req.method === 'POST') { reset(); return send(req, res, 200, { ok: true }); }
    req.resume();
    return send(req, res, 404, { error: 'not_found' });
  };
  handle().catch((e) => {
    process.stderr.write(`receiver: ${e.stack}\n`);
    if (!res.headersSent) send(req, res, 500, { error: 'internal' });
  });
});
server.keepAliveTimeout = 5000;

let stopping = false;
function stop(why) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`receiver: stopping (${why})\n`);
  for (const t of timers) clearTimeout(t);
  server.close();
  server.closeAllConnections();
  setImmediate(() => process.exit(0));
}

server.on('error', (e) => {
  process.stderr.write(`receiver: ${e.message}\n`);
  process.exit(1);
});
server.listen(opts.port, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(JSON.stringify({ port, url: `http://127.0.0.1:${port}/events` }) + '\n');
});

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
setTimeout(() => stop(`--max-seconds ${opts.maxSeconds}`), Math.min(opts.maxSeconds * 1000, 2 ** 31 - 1));

// stop when stdin closes — only when stdin is something that can close later (a pipe, a
// socket, a terminal); /dev/null or a file would end at once
try {
  const st = fs.fstatSync(0);
  if (st.isFIFO() || st.isSocket() || process.stdin.isTTY) {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('close', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin closed'));
    process.stdin.resume();
  }
} catch {
  // no stdin at all: nothing to watch
}
