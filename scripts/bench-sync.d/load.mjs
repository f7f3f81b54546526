// scripts/bench-sync.d/load.mjs — the bare reference receiver's capacity, for scripts/bench-sync:
// posts signed training-record events (Standard Webhooks headers, as parlearn sends them,
// docs/personnel-sync.md) to tests/sync/receiver.mjs for a fixed time and counts the answers,
// so the sync figures can be read against what the receiver alone can take. Node 20,
// node:http and node:crypto only.
//
//   PARLEARN_SYNC_SECRET=whsec_... node load.mjs URL MODE SECONDS [CONNECTIONS]
//     MODE new        one request at a time, a new TCP connection for each (what parlearn's
//                     sender does: a new libcurl handle per event)
//     MODE keepalive  CONNECTIONS keep-alive connections (default 1), one request in flight on each
//
// Prints one line: RESULT {"mode", "connections", "seconds", "requests", "per_s", "p50_ms",
// "p99_ms", "statuses": {"200": n, ...}, "errors", "client_cpu_s"}. Every event has a new
// id (cmp_<pid · 10^7 + n>), so every answer should be 200; the body is a ~510-byte
// course_completion event like the benchmark's backlog. Exits 1 on a usage error; a
// failed request is counted in "errors", not fatal.
import http from 'node:http';
import crypto from 'node:crypto';

const [url, mode, secondsArg, connArg] = process.argv.slice(2);
const secret = process.env.PARLEARN_SYNC_SECRET; // never on the command line (docs/operations.md)
const seconds = Number(secondsArg);
const conns = mode === 'new' ? 1 : Number(connArg ?? 1);
if (!url || !secret?.startsWith('whsec_') || !['new', 'keepalive'].includes(mode) ||
    !(seconds > 0 && seconds <= 600) || !(Number.isInteger(conns) && conns >= 1 && conns <= 64)) {
  process.stderr.write('usage: PARLEARN_SYNC_SECRET=whsec_... node load.mjs URL new|keepalive SECONDS [CONNECTIONS 1-64]\n');
  process.exit(1);
}
const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
const target = new URL(url);
const agent = mode === 'new' ? false : new http.Agent({ keepAlive: true, maxSockets: conns });

// ids unique across runs against the same receiver: the process id in the high digits
let next = process.pid * 10_000_000;
function event() {
  const id = `cmp_${++next}`;
  const at = new Date().toISOString().replace('Z', '+00:00');
  const body = JSON.stringify({
    version: 1, event_id: id, kind: 'course_completion', occurred_at: at,
    employee_code: 'BS-012345', unit_code: 'BS-P042', course_code: 'mot-cua', course_version: 2,
    title: 'Cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính',
    completed_at: at, passed: true, score: 0.87, active_time_s: 2712, reported_time_s: 3005,
    training_periods: 3, certificate_serial: null, evidence_url: null,
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = 'v1,' + crypto.createHmac('sha256', key).update(`${id}.${ts}.`).update(body).digest('base64');
  return { id, ts, sig, body };
}

function post() {
  const ev = event();
  return new Promise((resolve) => {
    const req = http.request({
      host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: {
        'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(ev.body),
        'webhook-id': ev.id, 'Idempotency-Key': ev.id, 'webhook-timestamp': ev.ts,
        'webhook-signature': ev.sig, ...(mode === 'new' ? { Connection: 'close' } : {}),
      },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', () => resolve(0));
    });
    req.setTimeout(10_000, () => req.destroy());
    req.on('error', () => resolve(0));
    req.end(ev.body);
  });
}

const statuses = {};
const lat = [];
let errors = 0;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const end = t0 + BigInt(Math.round(seconds * 1e9));
async function loop() {
  while (process.hrtime.bigint() < end) {
    const s = process.hrtime.bigint();
    const code = await post();
    lat.push(Number(process.hrtime.bigint() - s) / 1e6);
    if (code === 0) errors++;
    else statuses[code] = (statuses[code] ?? 0) + 1;
  }
}
await Promise.all(Array.from({ length: conns }, loop));
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
lat.sort((a, b) => a - b);
const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.ceil((lat.length * p) / 100) - 1)] : 0);
if (agent) agent.destroy();
process.stdout.write('RESULT ' + JSON.stringify({
  mode, connections: conns, seconds: wall, requests: lat.length, per_s: lat.length / wall,
  p50_ms: pct(50), p99_ms: pct(99), statuses, errors, client_cpu_s: (cpu.user + cpu.system) / 1e6,
}) + '\n');
