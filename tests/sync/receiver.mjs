// tests/sync/receiver.mjs — the REFERENCE RECEIVER of training-record pushes, for integration
// tests: a real HTTP server that plays the city's personnel system as docs/personnel-sync.md
// (section 2, "Push delivery") describes it. Node 20, node:http only, no npm packages.
//
//   node tests/sync/receiver.mjs --secret whsec_... [--port 0] [--state FILE] [--max-seconds 600]
//        [--lrs-user USER --lrs-password PASSWORD [--lrs-state FILE]]
//
// When listening (on 127.0.0.1 only) it prints one JSON line on stdout:
//   {"port":N,"url":"http://127.0.0.1:N/events"}
// (with the LRS on, also "lrs":"http://127.0.0.1:N/xapi/", the xAPI endpoint for a client)
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
//
// ---- the Learning Record Store (LRS) mode ----
// With --lrs-user and --lrs-password it also plays a minimal xAPI 1.0.3 LRS, for the xAPI
// export of docs/personnel-sync.md (section "xAPI"). --secret is then optional: without it,
// POST /events answers 404. Every answer under /xapi/ carries X-Experience-API-Version: 1.0.3.
//
// GET /xapi/about → 200 {"version":["1.0.3"]} (no authentication, as the xAPI spec allows).
// /xapi/statements, checked in this order:
//   405 not PUT, POST or GET; 401 no HTTP Basic Authorization with the configured user and
//   password (compared in constant time; WWW-Authenticate: Basic); 400 an
//   X-Experience-API-Version header missing or not 1.0.x;
//   GET ?statementId=<uuid> → 200 the stored statement ("stored" added), 404 unknown;
//   413 body over 1 MiB; 415 Content-Type not application/json; 400 not UTF-8 JSON;
//   400 a statement of the wrong shape: it must be an object with "id" a UUID of RFC 4122's
//     variant (for PUT "id" may be left out and is the statementId; if given it must equal
//     it), "actor" identified by "account" {"homePage": an http(s) URL, "name": a non-empty
//     string} and by nothing else (no mbox, mbox_sha1sum or openid: parlearn never sends an
//     e-mail), objectType absent or "Agent", "verb.id" and "object.id" absolute IRIs. Unlike
//     a full LRS, a POSTed statement without an id is refused rather than given one: parlearn
//     always sends its own stable id, and a missing one is a bug this receiver should show;
//   PUT ?statementId=<uuid> with one statement: 400 no or bad statementId; 409 an id already
//     stored with other content (nothing stored); else 204 — stored, or (same id, same
//     content) a duplicate, counted and not stored again;
//   POST with one statement or an array of 1 to 1000: 400 two with one id in the batch; 409
//     if any id is stored with other content (none of the batch is stored); else 200 with
//     the array of ids, in order, the new ones stored and the others counted as duplicates.
//   "Same content" is xAPI's statement comparison, simplified: the JSON with object members
//   in sorted order, the id in lower case, the LRS's own "stored", "authority" and "version"
//   left out. Stored statements are kept in memory and, with --lrs-state FILE, appended to
//   FILE as JSON lines, read back at start (as --state does for events).
// The failure modes of /_control apply to /xapi/statements as they do to /events (every
// request, after its body is read, before any check), set separately: POST /_control
// {"endpoint": "lrs", "mode": M, "count": N, "delay_ms": D}; GET /_control?endpoint=lrs.
// Without "endpoint" (or "events") /_control is about /events, as before.
// GET /_received then also holds "lrs": {"statements": [{seq, id, method, actor_name,
//   verb, received_at, statement}, ... in arrival order], "duplicates": N, "conflicts": [ids
//   answered 409], "rejected": {"401": n, ...}, "injected": {"fail500": n, ...}, "requests":
//   N (every request to /xapi/statements), "by_actor": {"<account name>": [ids]},
//   "restored": N}. POST /_reset forgets the LRS's statements too (truncates --lrs-state).
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
const opts = { port: 0, state: null, secret: null, maxSeconds: 600, lrsUser: null, lrsPassword: null, lrsState: null };
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
      case '--lrs-user': opts.lrsUser = val(); break;
      case '--lrs-password': opts.lrsPassword = val(); break;
      case '--lrs-state': opts.lrsState = val(); break;
      case '-h': case '--help':
        process.stdout.write('usage: node receiver.mjs --secret whsec_... [--port 0] [--state FILE] [--max-seconds 600]\n' +
          '         [--lrs-user USER --lrs-password PASSWORD [--lrs-state FILE]]\n');
        process.exit(0);
        break;
      default: die(`unknown argument ${a}`);
    }
  }
}
const LRS = opts.lrsUser !== null || opts.lrsPassword !== null;
if (LRS && (!opts.lrsUser || !opts.lrsPassword)) die('--lrs-user and --lrs-password go together, neither empty');
if (LRS && opts.lrsUser.includes(':')) die('--lrs-user cannot hold ":" (HTTP Basic)');
if (!LRS && opts.lrsState) die('--lrs-state needs --lrs-user and --lrs-password');
if (!opts.secret && !LRS) die('--secret whsec_... is required');
let key = null;
if (opts.secret) {
  if (!opts.secret.startsWith('whsec_')) die('the secret must be written whsec_<base64>');
  const b64 = opts.secret.slice('whsec_'.length);
  key = Buffer.from(b64, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || key.toString('base64').replace(/=+$/, '') !== b64.replace(/=+$/, '')) {
    die('the secret after whsec_ is not base64');
  }
  if (key.length < 24 || key.length > 64) die(`the secret must hold 24 to 64 bytes (has ${key.length})`);
}
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
    return inject(req, res, m, delay, (ms) => process_(req, res, body, ms));
  }
  return process_(req, res, body, 0);
}

// What failure mode m does to a request whose body has been read; "slow" processes it with
// go(delay in ms). extra: headers every answer of the endpoint carries.
function inject(req, res, m, delay, go, extra = {}) {
  switch (m) {
    case 'fail500': send(req, res, 500, { error: 'injected_failure' }, extra); return;
    case 'fail429': send(req, res, 429, { error: 'injected_rate_limit' }, { 'Retry-After': '1', ...extra }); return;
    case 'reject400': send(req, res, 400, { error: 'injected_rejection' }, extra); return;
    case 'drop': log(req, 'dropped'); req.socket.destroy(); return;
    case 'timeout': {
      const ms = delay ?? 60000;
      log(req, `held ${ms} ms`);
      later(ms, () => req.socket.destroy());
      return;
    }
    case 'slow': return go(delay ?? 2000);
  }
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

// ---- the LRS (xAPI) ----
const XAPI_VERSION = '1.0.3';
const XAPI_HEADERS = { 'X-Experience-API-Version': XAPI_VERSION };
const MAX_BATCH = 1000;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
// an absolute IRI: a scheme, then no space, control character or character IRIs forbid
const IRI_RE = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`\u0000-\u001f\u007f]+$/u;
const URL_RE = /^https?:\/\/[^\s/?#<>"{}|\\^`]+([/?#][^\s<>"{}|\\^`]*)?$/u;

const okMode = () => ({ mode: 'ok', count: null, delay_ms: null });
function lrsFresh() {
  return {
    statements: [], byId: new Map(), duplicates: 0, conflicts: [], rejected: {}, injected: {},
    requests: 0, restored: 0, mode: okMode(),
  };
}
let lrs = lrsFresh();
const lrsAuth = LRS ? crypto.createHash('sha256').update(`${opts.lrsUser}:${opts.lrsPassword}`, 'utf8').digest() : null;

// The statement as compared: members sorted, the id in lower case, the LRS's own members out.
function canonical(st) {
  const sort = (v) => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      const o = {};
      for (const k of Object.keys(v).sort()) o[k] = sort(v[k]);
      return o;
    }
    return v;
  };
  const { stored, authority, version, ...rest } = st;
  if (typeof rest.id === 'string') rest.id = rest.id.toLowerCase();
  return JSON.stringify(sort(rest));
}

function lrsRecord(rec) {
  lrs.statements.push(rec);
  lrs.byId.set(rec.id, rec);
}

if (LRS && opts.lrsState && fs.existsSync(opts.lrsState)) {
  const lines = fs.readFileSync(opts.lrsState, 'utf8').split('\n');
  for (const [n, line] of lines.entries()) {
    if (!line.trim()) continue;
    let rec;
    try { rec = JSON.parse(line); } catch { die(`${opts.lrsState}:${n + 1}: not JSON`); }
    if (!rec || typeof rec.id !== 'string' || !rec.statement) die(`${opts.lrsState}:${n + 1}: no id or statement`);
    if (lrs.byId.has(rec.id)) continue;
    rec.seq = lrs.statements.length + 1;
    lrsRecord(rec);
    lrs.restored++;
  }
}

// What is wrong with a statement's shape, or null. where: "" or "[i]" for a batch.
function statementProblem(st, where) {
  const at = (m) => `statement${where}${m}`;
  if (st === null || typeof st !== 'object' || Array.isArray(st)) return `${at('')} is not an object`;
  if (typeof st.id !== 'string' || !UUID_RE.test(st.id)) return `${at('.id')} is not a UUID`;
  const a = st.actor;
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return `${at('.actor')} is not an object`;
  if (a.objectType !== undefined && a.objectType !== 'Agent') return `${at('.actor.objectType')} must be Agent`;
  for (const ifi of ['mbox', 'mbox_sha1sum', 'openid']) {
    if (a[ifi] !== undefined) return `${at(`.actor.${ifi}`)}: the actor is identified by its account only`;
  }
  const acc = a.account;
  if (acc === null || typeof acc !== 'object' || Array.isArray(acc)) return `${at('.actor.account')} is not an object`;
  if (typeof acc.homePage !== 'string' || !URL_RE.test(acc.homePage)) return `${at('.actor.account.homePage')} is not an http(s) URL`;
  if (typeof acc.name !== 'string' || acc.name === '') return `${at('.actor.account.name')} is not a non-empty string`;
  if (!st.verb || typeof st.verb !== 'object' || typeof st.verb.id !== 'string' || !IRI_RE.test(st.verb.id)) {
    return `${at('.verb.id')} is not an IRI`;
  }
  if (!st.object || typeof st.object !== 'object' || typeof st.object.id !== 'string' || !IRI_RE.test(st.object.id)) {
    return `${at('.object.id')} is not an IRI`;
  }
  return null;
}

function lrsSend(req, res, status, obj, headers = {}) {
  if (status === 204) {
    res.writeHead(204, { ...XAPI_HEADERS, ...headers });
    res.end();
    log(req, 204);
    return;
  }
  send(req, res, status, obj, { ...XAPI_HEADERS, ...headers });
}

function lrsRefuse(req, res, status, error, detail, headers) {
  lrs.rejected[status] = (lrs.rejected[status] ?? 0) + 1;
  lrsSend(req, res, status, { error, detail }, headers);
}

// "Basic base64(user:password)" (RFC 7617; the scheme in any case), compared through SHA-256
// digests in constant time, so neither the length nor the content leaks by timing.
function authOk(header) {
  const m = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(typeof header === 'string' ? header : '');
  if (!m) return false;
  const got = crypto.createHash('sha256').update(Buffer.from(m[1], 'base64')).digest();
  return crypto.timingSafeEqual(got, lrsAuth);
}

// ---- /xapi/statements ----
async function lrsStatements(req, res) {
  lrs.requests++;
  const body = await readBody(req, MAX_BODY);
  const { mode: m, delay_ms: delay } = lrs.mode;
  if (m !== 'ok') {
    if (lrs.mode.count !== null && --lrs.mode.count <= 0) lrs.mode = okMode();
    lrs.injected[m] = (lrs.injected[m] ?? 0) + 1;
    return inject(req, res, m, delay, (ms) => lrsProcess(req, res, body, ms), XAPI_HEADERS);
  }
  return lrsProcess(req, res, body, 0);
}

function lrsProcess(req, res, body, delayMs) {
  const reply = (fn) => (delayMs > 0 ? later(delayMs, () => { if (!res.destroyed) fn(); }) : fn());
  const refuse_ = (...a) => reply(() => lrsRefuse(req, res, ...a));
  if (!['PUT', 'POST', 'GET'].includes(req.method)) {
    return refuse_(405, 'method_not_allowed', 'PUT, POST or GET', { Allow: 'PUT, POST, GET' });
  }
  if (!authOk(req.headers.authorization)) {
    return refuse_(401, 'unauthenticated', 'HTTP Basic authentication with the LRS user and password is required',
      { 'WWW-Authenticate': 'Basic realm="parlearn test LRS", charset="UTF-8"' });
  }
  const ver = req.headers['x-experience-api-version'];
  if (typeof ver !== 'string' || !/^1\.0(\.[0-9]+)?$/.test(ver.trim())) {
    return refuse_(400, 'xapi_version', 'the X-Experience-API-Version header must be 1.0.x');
  }
  const params = new URL(req.url, 'http://127.0.0.1').searchParams;
  const sid = params.get('statementId');

  if (req.method === 'GET') {
    if (sid === null || !UUID_RE.test(sid)) return refuse_(400, 'invalid_statement_id', 'statementId must be a UUID');
    const rec = lrs.byId.get(sid.toLowerCase());
    if (!rec) return reply(() => lrsSend(req, res, 404, { error: 'not_found', id: sid }));
    return reply(() => lrsSend(req, res, 200, { ...rec.statement, stored: rec.received_at }));
  }
  if (body === null) return refuse_(413, 'too_large', `body over ${MAX_BODY} bytes`);
  const ct = String(req.headers['content-type'] ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = ct.slice(1).find((p) => p.startsWith('charset='));
  if (ct[0] !== 'application/json' || (charset && charset.replace(/"/g, '') !== 'charset=utf-8')) {
    return refuse_(415, 'unsupported_media_type', 'Content-Type must be application/json');
  }
  let doc;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return refuse_(400, 'invalid_json', 'the body is not UTF-8 JSON');
  }

  let batch;
  if (req.method === 'PUT') {
    if (sid === null || !UUID_RE.test(sid)) return refuse_(400, 'invalid_statement_id', 'PUT needs ?statementId=<uuid>');
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return refuse_(400, 'invalid_statement', 'PUT takes one statement object');
    if (doc.id === undefined) doc = { id: sid, ...doc };
    else if (typeof doc.id !== 'string' || doc.id.toLowerCase() !== sid.toLowerCase()) {
      return refuse_(400, 'statement_id_mismatch', 'the statement id differs from statementId');
    }
    batch = [doc];
  } else {
    if (sid !== null) return refuse_(400, 'invalid_statement_id', 'POST takes no statementId');
    batch = Array.isArray(doc) ? doc : [doc];
    if (batch.length === 0 || batch.length > MAX_BATCH) return refuse_(400, 'invalid_batch', `1 to ${MAX_BATCH} statements`);
  }
  for (const [i, st] of batch.entries()) {
    const problem = statementProblem(st, Array.isArray(doc) ? `[${i}]` : '');
    if (problem) return refuse_(400, 'invalid_statement', problem);
  }
  const ids = batch.map((st) => st.id.toLowerCase());
  if (new Set(ids).size !== ids.length) return refuse_(400, 'duplicate_id_in_batch', 'two statements of the batch have one id');

  // all or nothing: a conflict anywhere stores none of the batch
  const fresh = [];
  let dups = 0;
  for (const [i, st] of batch.entries()) {
    const seen = lrs.byId.get(ids[i]);
    if (!seen) { fresh.push(i); continue; }
    if (canonical(seen.statement) !== canonical(st)) {
      if (!lrs.conflicts.includes(ids[i])) lrs.conflicts.push(ids[i]);
      return reply(() => lrsSend(req, res, 409, { error: 'conflict', id: ids[i], detail: 'a statement with this id and other content is stored' }));
    }
    dups++;
  }
  lrs.duplicates += dups;
  for (const i of fresh) {
    const st = batch[i];
    const rec = {
      seq: lrs.statements.length + 1,
      id: ids[i],
      method: req.method,
      actor_name: st.actor.account.name,
      verb: st.verb.id,
      received_at: new Date().toISOString(),
      statement: st,
    };
    lrsRecord(rec);
    if (opts.lrsState) fs.appendFileSync(opts.lrsState, JSON.stringify(rec) + '\n');
  }
  if (req.method === 'PUT') return reply(() => lrsSend(req, res, 204));
  return reply(() => lrsSend(req, res, 200, ids));
}

function lrsReceived() {
  const byActor = {};
  for (const r of lrs.statements) (byActor[r.actor_name] ??= []).push(r.id);
  return {
    statements: lrs.statements, duplicates: lrs.duplicates, conflicts: lrs.conflicts,
    rejected: lrs.rejected, injected: lrs.injected, requests: lrs.requests, by_actor: byActor,
    restored: lrs.restored,
  };
}

// ---- POST /_control ----
async function control(req, res) {
  const endpointOk = (ep) => ep === 'events' || (ep === 'lrs' && LRS);
  if (req.method === 'GET') {
    const ep = new URL(req.url, 'http://127.0.0.1').searchParams.get('endpoint') ?? 'events';
    if (!endpointOk(ep)) return send(req, res, 400, { error: 'invalid_endpoint' });
    return send(req, res, 200, ep === 'lrs' ? lrs.mode : mode);
  }
  if (req.method !== 'POST') return send(req, res, 405, { error: 'method_not_allowed' }, { Allow: 'GET, POST' });
  const body = await readBody(req, 64 * 1024);
  let c;
  try { c = JSON.parse(body?.toString('utf8') ?? ''); } catch { return send(req, res, 400, { error: 'invalid_json' }); }
  if (!c || typeof c !== 'object' || !MODES.has(c.mode)) {
    return send(req, res, 400, { error: 'invalid_mode', detail: `mode is one of ${[...MODES].join(', ')}` });
  }
  const ep = c.endpoint ?? 'events';
  if (!endpointOk(ep)) return send(req, res, 400, { error: 'invalid_endpoint', detail: LRS ? 'events or lrs' : 'events (the LRS is off)' });
  const count = c.count ?? null;
  const delay = c.delay_ms ?? null;
  if (count !== null && !(Number.isInteger(count) && count >= 1)) return send(req, res, 400, { error: 'invalid_count' });
  if (delay !== null && !(Number.isInteger(delay) && delay >= 0)) return send(req, res, 400, { error: 'invalid_delay_ms' });
  const next = c.mode === 'ok' ? okMode() : { mode: c.mode, count, delay_ms: delay };
  if (ep === 'lrs') lrs.mode = next; else mode = next;
  return send(req, res, 200, next);
}

function received() {
  return {
    events, duplicates, duplicate_body_mismatch: mismatched, rejected, injected, requests,
    by_employee: byEmployee(), restored,
    ...(LRS ? { lrs: lrsReceived() } : {}),
  };
}

function reset() {
  events = []; byId = new Map(); duplicates = 0; mismatched = []; rejected = {}; injected = {};
  requests = 0; restored = 0; mode = { mode: 'ok', count: null, delay_ms: null };
  if (opts.state) fs.writeFileSync(opts.state, '');
  lrs = lrsFresh();
  if (opts.lrsState) fs.writeFileSync(opts.lrsState, '');
}

// ---- the server ----
const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  const handle = async () => {
    if (path === '/events' && key) return events_(req, res);
    if (LRS && path === '/xapi/statements') return lrsStatements(req, res);
    if (LRS && path === '/xapi/about' && req.method === 'GET') {
      return lrsSend(req, res, 200, { version: [XAPI_VERSION] });
    }
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
  const out = { port, url: `http://127.0.0.1:${port}/events` };
  if (LRS) out.lrs = `http://127.0.0.1:${port}/xapi/`;
  process.stdout.write(JSON.stringify(out) + '\n');
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
