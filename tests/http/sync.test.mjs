// sync.test.mjs — reconciliation of the personnel sync on the web (GET /api/sync/status,
// POST /api/sync/resend, POST /api/sync/retry-dead) and GET /metrics
// (docs/personnel-sync.md "Reconciliation", "The 3-working-day rule"; docs/operations.md).
//
// The test writes its own events into server A's outbox with psql (as runtime.test.mjs
// reads it), compares what the API counts with what it wrote (as differences from before,
// so other tests' completions do not matter), and removes its rows at the end. "Overdue" is
// checked against a day-by-day count of Monday-to-Friday time in UTC+7 written here, on
// events placed on known weekdays before now. No sync worker runs in these servers, so
// nothing changes state behind the test's back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import nodeHttp from 'node:http';
import {
  A, B, PW, http, loginOk, assertProblem, assertClean, assertNoPinKeys,
} from './lib.mjs';

const DATA = process.env.PL_DATA_A;
const sql = (q) => execFileSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', `${DATA}/var/pg/run`,
  '-U', 'postgres', '-d', 'parlearn', '-c', q], { encoding: 'utf8' }).trim();

const HOUR = 3600e3;
const DAY = 24 * HOUR;
const OFF = 7 * HOUR; // Ho Chi Minh City, no daylight saving
const ALERT_DAYS = 2; // the default; run.sh sets no PARLEARN_SYNC_ALERT_DAYS
const MARKER = 'PAYLOAD-MARKER-7c1e'; // in every payload the test writes: must never come out

// Working time in [from, to): walk the city's days one by one, add the weekdays' part.
function workingMs(from, to) {
  let sum = 0;
  for (let t = from; t < to;) {
    const day = Math.floor((t + OFF) / DAY);
    const end = Math.min((day + 1) * DAY - OFF, to);
    const wd = new Date(day * DAY).getUTCDay(); // 0 Sunday … 6 Saturday
    if (wd >= 1 && wd <= 5) sum += end - t;
    t = end;
  }
  return sum;
}
const cityDate = (ms) => new Date(ms + OFF).toISOString().slice(0, 10);

// The latest instant before `before` that is `hour`:00 on city weekday `dow` (0 = Sunday).
function lastWeekday(now, dow, hour, before = now - HOUR) {
  const today = Math.floor((now + OFF) / DAY);
  for (let d = today; d > today - 15; d--) {
    const t = d * DAY - OFF + hour * HOUR;
    if (new Date(d * DAY).getUTCDay() === dow && t < before) return t;
  }
  throw new Error('no such day');
}

const s = {};
const ev = {}; // name → {seq, event_id, occurred (ms), state, unit}
let runId;

async function insert(name, { emp, unit, state, occurred, attempts = 0, error = null }) {
  const id = `tst_${runId}${String(Object.keys(ev).length).padStart(3, '0')}`;
  const person = emp ? `(SELECT id FROM person WHERE employee_code = '${emp}')` : 'NULL';
  const unitId = unit ? `(SELECT id FROM org_unit WHERE code = '${unit}')` : 'NULL';
  const payload = JSON.stringify({ version: 1, event_id: id, marker: MARKER });
  const seq = sql(`INSERT INTO sync_outbox (event_id, kind, person_id, employee_code, unit_id,
      occurred_at, payload, state, attempts, last_error)
    VALUES ('${id}', 'course_completion', ${person}, ${emp ? `'${emp}'` : 'NULL'}, ${unitId},
      '${new Date(occurred).toISOString()}', '${payload}', '${state}', ${attempts},
      ${error ? `'${error}'` : 'NULL'}) RETURNING seq`);
  ev[name] = { seq: Number(seq.split('\n')[0]), event_id: id, occurred, state, unit };
}

async function status(who, query) {
  const r = await http(A, `/api/sync/status${query}`, { cookie: s[who]?.cookie });
  assertClean(r.text, `${who} status${query}`);
  assert.ok(!r.text.includes(MARKER), 'an answer holds an event payload');
  if (r.json) assertNoPinKeys(r.json);
  return r;
}

async function statusOk(who, query) {
  const r = await status(who, query);
  assert.equal(r.status, 200, `${who} ${query}: ${r.text.slice(0, 300)}`);
  assert.match(r.headers.get('content-type'), /^application\/json\b/);
  return r.json;
}

function unitOf(j, code) { return j.units.find((u) => u.code === code); }
const COUNTS = ['produced', 'delivered', 'pending', 'dead', 'unroutable', 'overdue'];
function countsOf(j, code) {
  const u = unitOf(j, code);
  return Object.fromEntries(COUNTS.map((k) => [k, u ? u[k] : 0]));
}
function delta(after_, before_, code) {
  const a = countsOf(after_, code);
  const b = countsOf(before_, code);
  return Object.fromEntries(COUNTS.map((k) => [k, a[k] - b[k]]));
}

let now, range, baseline;
const psgOverdue = []; // names of the P-SG events that are overdue by the oracle

before(async () => {
  for (const [k, u, p] of [['admin', 'quantri', PW.admin], ['hr', 'nhansu', PW.hr], ['hr2', 'nhansu2', PW.hr2],
    ['trainer', 'giangvien', PW.trainer], ['learner', 'hocvien', PW.learner]]) s[k] = await loginOk(A, u, p);
  now = Date.now();
  runId = String(now).slice(-6);
  range = `?from=${cityDate(now - 14 * DAY)}&to=${cityDate(now)}`;
  baseline = await statusOk('admin', range);
  // SNV's subtree: nhansu (hr_officer of SNV) sees these
  await insert('cchcOld', { emp: 'NV-0001', unit: 'SNV-CCHC', state: 'pending', occurred: now - 5 * DAY });
  await insert('cchcDone', { emp: 'NV-0001', unit: 'SNV-CCHC', state: 'delivered', occurred: now - HOUR });
  await insert('snvDead', { emp: 'NV-0002', unit: 'SNV', state: 'dead', occurred: now - 2 * HOUR,
    attempts: 1, error: 'HTTP 400 (the receiver refused the event)' });
  await insert('snvNew', { emp: 'NV-0004', unit: 'SNV', state: 'pending', occurred: now - HOUR / 2 });
  // outside SNV: STC and Q1 are nhansu2's
  await insert('stcOld', { emp: 'TC-0001', unit: 'STC', state: 'pending', occurred: now - 6 * DAY });
  await insert('q1Dead', { emp: 'Q1-0001', unit: 'Q1', state: 'dead', occurred: now - 10 * DAY,
    attempts: 20, error: 'HTTP 503 twenty times' });
  // a later event of the same person: held back behind the dead letter (per-person order)
  await insert('q1Blocked', { emp: 'Q1-0001', unit: 'Q1', state: 'pending', occurred: now - 9 * DAY });
  // an account with no roster person: unroutable, no unit; only a whole-city view shows it
  await insert('noPerson', { emp: null, unit: null, state: 'unroutable', occurred: now - 3 * HOUR });
  // P-SG: events on known weekdays and hours, for the working-day rule
  const when = {
    fri18: lastWeekday(now, 5, 18), sat10: lastWeekday(now, 6, 10), sun23: lastWeekday(now, 0, 23),
    mon01: lastWeekday(now, 1, 1), thu12: lastWeekday(now, 4, 12), h47: now - 47 * HOUR,
    h49: now - 49 * HOUR, d5: now - 5 * DAY, m30: now - 30 * 60e3,
  };
  for (const [name, t] of Object.entries(when)) {
    const age = workingMs(t, now) - ALERT_DAYS * DAY;
    if (Math.abs(age) < 15 * 60e3) continue; // too close to the edge to test from outside
    await insert(name, { emp: 'PSG-0001', unit: 'P-SG', state: 'pending', occurred: t });
    if (age >= 0) psgOverdue.push(name);
  }
});

after(() => {
  if (runId) sql(`DELETE FROM sync_outbox WHERE event_id LIKE 'tst\\_${runId}%'`);
});

test('the status needs a session, and the role of an admin or an HR officer', async () => {
  assertProblem(await status('nobody', range), 401, 'unauthenticated');
  assertProblem(await status('learner', range), 403, 'forbidden');
  assertProblem(await status('trainer', range), 403, 'forbidden');
  const r = await http(A, '/api/sync/resend', { method: 'POST', json: { from_seq: 1, to_seq: 2 } });
  assertProblem(r, 401, 'unauthenticated');
});

test('an admin sees every unit, counted as the test wrote them', async () => {
  const j = await statusOk('admin', range);
  assert.equal(j.alert_working_days, ALERT_DAYS);
  assert.equal(j.from, cityDate(now - 14 * DAY));
  assert.equal(j.to, cityDate(now));
  assert.equal(j.bucket, 'day');
  assert.deepEqual(delta(j, baseline, 'SNV-CCHC'), { produced: 2, delivered: 1, pending: 1, dead: 0, unroutable: 0, overdue: 1 });
  assert.deepEqual(delta(j, baseline, 'SNV'), { produced: 2, delivered: 0, pending: 1, dead: 1, unroutable: 0, overdue: 0 });
  assert.deepEqual(delta(j, baseline, 'STC'), { produced: 1, delivered: 0, pending: 1, dead: 0, unroutable: 0, overdue: 1 });
  assert.deepEqual(delta(j, baseline, 'Q1'), { produced: 2, delivered: 0, pending: 1, dead: 1, unroutable: 0, overdue: 2 });
  assert.deepEqual(delta(j, baseline, null), { produced: 1, delivered: 0, pending: 0, dead: 0, unroutable: 1, overdue: 0 });
  assert.equal(j.units[j.units.length - 1].code, null, 'events with no unit come last');
  assert.equal(j.units[j.units.length - 1].name, null);
  const psg = Object.keys(ev).filter((k) => ev[k].unit === 'P-SG');
  assert.deepEqual(delta(j, baseline, 'P-SG'), { produced: psg.length, delivered: 0, pending: psg.length, dead: 0,
    unroutable: 0, overdue: psgOverdue.length });
  // the totals are the sum of the units, the units the sum of their periods
  for (const k of COUNTS) {
    assert.equal(j.totals[k], j.units.reduce((a, u) => a + u[k], 0), `totals.${k}`);
    for (const u of j.units) assert.equal(u[k], u.periods.reduce((a, p) => a + p[k], 0), `${u.code}.${k}`);
  }
  // each period is a city day of the range, in order, and the events fall on their day
  const cchc = unitOf(j, 'SNV-CCHC');
  const days = cchc.periods.map((p) => p.period);
  assert.deepEqual([...days].sort(), days);
  for (const d of days) assert.ok(d >= j.from && d <= j.to, d);
  assert.ok(days.includes(cityDate(ev.cchcOld.occurred)));
  // the oldest pending event of SNV-CCHC is the one of five days ago (or an older one)
  assert.ok(cchc.oldest_pending_age_s >= 5 * 86400 - 5, `${cchc.oldest_pending_age_s}`);
  assert.ok(Date.parse(cchc.oldest_pending_at) <= ev.cchcOld.occurred + 1000);
});

test('dead letters and overdue events are listed with their last error, never their payload', async () => {
  const j = await statusOk('admin', range);
  const dead = Object.fromEntries(j.dead.map((p) => [p.event_id, p]));
  const late = Object.fromEntries(j.overdue.map((p) => [p.event_id, p]));
  const d = dead[ev.snvDead.event_id];
  assert.ok(d, 'the dead letter of SNV is listed');
  assert.equal(d.seq, ev.snvDead.seq);
  assert.equal(d.kind, 'course_completion');
  assert.equal(d.employee_code, 'NV-0002');
  assert.equal(d.unit_code, 'SNV');
  assert.equal(d.unit_name, 'Sở Nội vụ');
  assert.equal(d.state, 'dead');
  assert.equal(d.attempts, 1);
  assert.equal(d.last_error, 'HTTP 400 (the receiver refused the event)');
  assert.equal(Date.parse(d.occurred_at), Math.floor(ev.snvDead.occurred / 1000) * 1000);
  assert.ok(!late[ev.snvDead.event_id], 'a dead letter of two hours ago is not overdue');
  // the old dead letter of Q1 is dead and overdue: in both lists
  assert.ok(dead[ev.q1Dead.event_id] && late[ev.q1Dead.event_id]);
  assert.ok(late[ev.cchcOld.event_id] && late[ev.stcOld.event_id]);
  // an event waiting behind a dead letter of the same person says so; others do not
  assert.equal(late[ev.q1Blocked.event_id].blocked, true);
  assert.equal(late[ev.cchcOld.event_id].blocked, false);
  assert.equal(dead[ev.q1Dead.event_id].blocked, false);
  assert.ok(!late[ev.snvNew.event_id] && !dead[ev.snvNew.event_id]);
  assert.ok(!late[ev.cchcDone.event_id], 'a delivered event is never overdue');
  assert.ok(j.dead_total >= 2 && j.overdue_total >= 3 + psgOverdue.length);
  for (const p of [...j.dead, ...j.overdue]) {
    assert.deepEqual(Object.keys(p).sort(), ['age_working_days', 'attempts', 'blocked', 'employee_code', 'event_id',
      'kind', 'last_error', 'occurred_at', 'seq', 'state', 'unit_code', 'unit_name']);
  }
});

test('overdue is counted in working days, Monday to Friday in Ho Chi Minh City time', async () => {
  const j = await statusOk('admin', range);
  const late = Object.fromEntries(j.overdue.map((p) => [p.event_id, p]));
  const psg = Object.keys(ev).filter((k) => ev[k].unit === 'P-SG');
  assert.ok(psg.length >= 6, `${psg.length} events on known weekdays`);
  for (const name of psg) {
    const e = ev[name];
    const expect = workingMs(e.occurred, Date.now()) >= ALERT_DAYS * DAY;
    assert.equal(!!late[e.event_id], expect,
      `${name} (${new Date(e.occurred + OFF).toISOString().slice(0, 16)} city time) overdue should be ${expect}`);
    if (late[e.event_id]) {
      const age = workingMs(e.occurred, Date.now()) / DAY;
      assert.ok(Math.abs(late[e.event_id].age_working_days - age) < 0.02,
        `${name}: ${late[e.event_id].age_working_days} working days, counted ${age}`);
    }
  }
  // five calendar days hold at least three working days: always overdue; half an hour never
  assert.ok(late[ev.d5.event_id], 'an event of five days ago is overdue');
  assert.ok(!late[ev.m30.event_id], 'an event of half an hour ago is not');
  // whenever a weekend lies between, calendar days and working days differ, and the
  // answer follows working days (the Friday 18:00 event is never overdue by Monday 18:00)
  const fri = ev.fri18;
  if (fri) {
    const cal = (Date.now() - fri.occurred) / DAY;
    const work = workingMs(fri.occurred, Date.now()) / DAY;
    if (cal >= ALERT_DAYS && work < ALERT_DAYS) assert.ok(!late[fri.event_id], 'overdue by calendar days only');
  }
});

test('an HR officer sees only the subtree of their unit', async () => {
  const j = await statusOk('hr', range);
  const codes = j.units.map((u) => u.code);
  for (const c of codes) assert.ok(['SNV', 'SNV-CCHC'].includes(c), `nhansu sees ${c}`);
  assert.ok(codes.includes('SNV') && codes.includes('SNV-CCHC'));
  const ids = [...j.dead, ...j.overdue].map((p) => p.event_id);
  assert.ok(ids.includes(ev.snvDead.event_id) && ids.includes(ev.cchcOld.event_id));
  for (const n of ['stcOld', 'q1Dead', 'd5']) assert.ok(!ids.includes(ev[n].event_id), `nhansu sees ${n}`);
  for (const p of [...j.dead, ...j.overdue]) assert.ok(['SNV', 'SNV-CCHC'].includes(p.unit_code));
  // a unit of the subtree narrows it; a neighbour's unit is refused
  const cchc = await statusOk('hr', `${range}&unit=SNV-CCHC`);
  assert.deepEqual(cchc.units.map((u) => u.code), ['SNV-CCHC']);
  assert.equal(cchc.unit, 'SNV-CCHC');
  assert.ok(!cchc.dead.some((p) => p.unit_code === 'SNV'));
  assertProblem(await status('hr', `${range}&unit=STC`), 403, 'forbidden', { field: 'unit' });
  assertProblem(await status('hr', `${range}&unit=HCM`), 403, 'forbidden', { field: 'unit' });
  // an officer of two units (STC and Q1) sees both, and nothing of SNV
  const j2 = await statusOk('hr2', range);
  const c2 = j2.units.map((u) => u.code);
  assert.ok(c2.includes('STC') && c2.includes('Q1'), c2.join());
  for (const c of c2) assert.ok(['STC', 'STC-KH', 'Q1'].includes(c), `nhansu2 sees ${c}`);
  const ids2 = [...j2.dead, ...j2.overdue].map((p) => p.event_id);
  assert.ok(ids2.includes(ev.q1Dead.event_id) && ids2.includes(ev.stcOld.event_id));
  assert.ok(!ids2.includes(ev.snvDead.event_id));
  // the admin narrowed to SNV sees what nhansu sees
  const a = await statusOk('admin', `${range}&unit=SNV`);
  assert.deepEqual(a.units.map((u) => u.code).sort(), codes.sort());
});

test('bad dates, periods and units are refused with the field at fault', async () => {
  const cases = [
    ['?from=2026-02-30', 'from'], ['?from=2026-2-3', 'from'], ['?to=tomorrow', 'to'], ['?to=', 'to'],
    ['?from=2026-05-10&to=2026-05-01', 'to'], ['?from=1900-01-01&to=2000-01-10', 'from'],
    ['?from=2026-01-01&to=2999-12-31', 'to'], ['?bucket=week', 'bucket'],
    ['?from=2024-01-01&to=2025-06-30&bucket=day', 'bucket'], ['?unit=not%20a%20code', 'unit'],
    [`?from=${'9'.repeat(400)}`, 'from'],
  ];
  for (const [q, field] of cases) assertProblem(await status('admin', q), 422, 'invalid_field', { field, what: q });
  assertProblem(await status('admin', '?unit=NO-SUCH-UNIT'), 404, 'not_found', { field: 'unit' });
});

test('periods are days or months of city time', async () => {
  const month = await statusOk('admin', `${range}&bucket=month`);
  assert.equal(month.bucket, 'month');
  for (const u of month.units) for (const p of u.periods) assert.match(p.period, /^\d{4}-\d{2}$/);
  assert.deepEqual(countsOf(month, 'P-SG'), countsOf(await statusOk('admin', range), 'P-SG'));
  // a long period is shown by month unless days are asked for
  const year = await statusOk('admin', `?from=${cityDate(now - 200 * DAY)}&to=${cityDate(now)}`);
  assert.equal(year.bucket, 'month');
  // a period that holds none of the events counts none of them
  const empty = await statusOk('admin', '?from=2001-01-01&to=2001-01-31');
  assert.deepEqual(empty.units, []);
  assert.equal(empty.totals.produced, 0);
  // the default period is the last 30 days up to today (city time)
  const def = await statusOk('admin', '');
  assert.equal(def.to, cityDate(Date.now()));
  assert.equal(def.from, cityDate(Date.now() - 29 * DAY));
});

test('resend and retry-dead: an admin with the CSRF token, a bounded range', async () => {
  const post = (who, path, json, csrf = true) => http(A, path, { method: 'POST', cookie: s[who].cookie, json,
    headers: csrf ? { 'x-csrf-token': s[who].csrf } : {} });
  const state = (name) => sql(`SELECT state || '/' || attempts FROM sync_outbox WHERE seq = ${ev[name].seq}`);
  assertProblem(await post('hr', '/api/sync/resend', { from_seq: 1, to_seq: 2 }), 403, 'forbidden');
  assertProblem(await post('admin', '/api/sync/resend', { from_seq: 1, to_seq: 2 }, false), 403, 'csrf_failed');
  assertProblem(await post('hr', '/api/sync/retry-dead', {}), 403, 'forbidden');
  for (const [body, field] of [[{}, 'from_seq'], [{ from_seq: 5 }, 'to_seq'], [{ from_seq: 0, to_seq: 3 }, 'from_seq'],
    [{ from_seq: 1.5, to_seq: 3 }, 'from_seq'], [{ from_seq: '1', to_seq: 3 }, 'from_seq'],
    [{ from_seq: 9, to_seq: 3 }, 'to_seq'], [{ from_seq: 1, to_seq: 100001 }, 'to_seq'],
    [{ from_seq: 1, to_seq: 1e300 }, 'to_seq']]) {
    assertProblem(await post('admin', '/api/sync/resend', body), 422, 'invalid_field', { field, what: JSON.stringify(body) });
  }
  const bad = await http(A, '/api/sync/resend', { method: 'POST', cookie: s.admin.cookie, body: 'from=1',
    headers: { 'x-csrf-token': s.admin.csrf, 'content-type': 'application/x-www-form-urlencoded' } });
  assertProblem(bad, 415, 'unsupported_media_type');

  // retry the dead letter of Q1 only
  let r = await post('admin', '/api/sync/retry-dead', { from_seq: ev.q1Dead.seq, to_seq: ev.q1Dead.seq });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { queued: 1, from_seq: ev.q1Dead.seq, to_seq: ev.q1Dead.seq });
  assert.equal(state('q1Dead'), 'pending/0');
  assert.equal(state('snvDead'), 'dead/1', 'a dead letter outside the range stays dead');
  // resend the test's first events: the delivered and the dead one go out again
  const from = ev.cchcOld.seq;
  const to = ev.snvNew.seq;
  const expect = Number(sql(`SELECT count(*) FROM sync_outbox WHERE seq BETWEEN ${from} AND ${to}
    AND state IN ('delivered', 'dead')`));
  assert.ok(expect >= 2);
  r = await post('admin', '/api/sync/resend', { from_seq: from, to_seq: to });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.queued, expect);
  assert.equal(state('cchcDone'), 'pending/0');
  assert.equal(state('snvDead'), 'pending/0');
  assert.equal(sql(`SELECT delivered_at IS NULL FROM sync_outbox WHERE seq = ${ev.cchcDone.seq}`), 't');
  // the page shows it: no dead letter of the test is left
  const j = await statusOk('admin', range);
  assert.ok(!j.dead.some((p) => p.event_id.startsWith(`tst_${runId}`)));
  // a range with nothing to send again queues nothing
  r = await post('admin', '/api/sync/retry-dead', { from_seq: from, to_seq: to });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.queued, 0);
});

// ---- /metrics ------------------------------------------------------------------------

// A GET from a chosen local address (127.0.0.2 plays nginx in production, see
// server/nginx/README.md), without keep-alive.
function getFrom(base, path, localAddress, headers = {}) {
  const u = new URL(base + path);
  return new Promise((resolve, reject) => {
    const req = nodeHttp.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'GET', headers,
      agent: false, localAddress, timeout: 10000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, text, json, headers: { get: (n) => res.headers[n.toLowerCase()] ?? null } });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function parseMetrics(text) {
  const out = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-z_]+(?:\{[^}]*\})?) (-?[0-9.e+]+)$/.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

test('/metrics from this machine: the outbox by state, the oldest pending, the overdue', async () => {
  const r = await http(A, '/metrics');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  assert.match(r.text, /^# TYPE parlearn_sync_events gauge$/m);
  const m = parseMetrics(r.text);
  const db = Object.fromEntries(sql('SELECT state, count(*) FROM sync_outbox GROUP BY state').split('\n')
    .filter(Boolean).map((l) => l.split('|')).map(([k, v]) => [k, Number(v)]));
  for (const st of ['pending', 'delivered', 'dead', 'unroutable']) {
    assert.equal(m[`parlearn_sync_events{state="${st}"}`], db[st] ?? 0, st);
  }
  // overdue: every undelivered event, counted here in working days
  const undelivered = sql("SELECT (extract(epoch from occurred_at) * 1000)::bigint FROM sync_outbox WHERE state IN ('pending', 'dead')")
    .split('\n').filter(Boolean).map(Number);
  const t = Date.now();
  const late = undelivered.filter((o) => workingMs(o, t) >= ALERT_DAYS * DAY).length;
  assert.ok(late >= 3, `${late} overdue events in the outbox`);
  assert.equal(m.parlearn_sync_overdue_events, late);
  const oldest = Number(sql("SELECT (extract(epoch from min(occurred_at)) * 1000)::bigint FROM sync_outbox WHERE state = 'pending'"));
  assert.ok(Math.abs(m.parlearn_sync_oldest_pending_age_seconds - (t - oldest) / 1000) < 10,
    `${m.parlearn_sync_oldest_pending_age_seconds} s`);
  assert.equal(m.parlearn_sync_alert_working_days, ALERT_DAYS);
  assert.ok(Object.keys(m).some((k) => /^parlearn_build_info\{version="[^"]+"\}$/.test(k) && m[k] === 1));
  assertClean(r.text, '/metrics');
  // HEAD answers the same headers; another method is refused
  assert.equal((await http(A, '/metrics', { method: 'HEAD' })).status, 200);
  assertProblem(await http(A, '/metrics', { method: 'POST', body: '' }), 405, 'method_not_allowed');
});

test('/metrics is never served through the proxy', async () => {
  // anything that carries a proxy's forwarding headers, from any local address
  for (const h of [{ 'x-forwarded-for': '203.0.113.5' }, { 'x-forwarded-proto': 'https' },
    { forwarded: 'for=203.0.113.5' }, { 'x-real-ip': '203.0.113.5' }]) {
    assertProblem(await http(A, '/metrics', { headers: h }), 404, 'not_found', { what: JSON.stringify(h) });
  }
  const viaNginx = await getFrom(A, '/metrics', '127.0.0.2', { 'x-forwarded-for': '203.0.113.5', 'x-forwarded-proto': 'https' });
  assertProblem(viaNginx, 404, 'not_found', { what: 'from 127.0.0.2 with X-Forwarded-For' });
  // server B trusts 127.0.0.1 as its proxy: from there even a bare request is refused,
  // while another local address, straight to the server, gets the metrics
  assertProblem(await getFrom(B, '/metrics', '127.0.0.1'), 404, 'not_found', { what: 'from B\'s proxy' });
  const direct = await getFrom(B, '/metrics', '127.0.0.2');
  assert.equal(direct.status, 200, direct.text);
  assert.match(direct.text, /^parlearn_sync_events\{state="pending"\} \d+$/m);
});
