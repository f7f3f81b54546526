// scripts/bench-runtime.mjs — the load generator of scripts/bench-runtime (read that first).
//
// Simulated learners on loopback, each with its own keep-alive connection (one http.Agent
// with maxSockets 1 per learner) and at most one request in flight, as a real launcher has.
// Latency is measured here, from just before the request is written to the end of the
// answer's body, so it includes this process's own queueing; every latency is kept and
// sorted for exact percentiles. Prints one line "RESULT <json>" per run on standard output.
//
//   node bench-runtime.mjs setup   URL COURSE USERS_FILE OUT_FILE
//       USERS_FILE: one "username password" a line. Logs every account in (4 at a time),
//       opens a launch of COURSE for each, calls /api/rt/init once, and writes OUT_FILE:
//       [{"username","cookie","csrf","token"}...].
//   node bench-runtime.mjs commits URL STATE_FILE N SECONDS
//       The first N learners of STATE_FILE commit run-time data in a loop for SECONDS;
//       each learner's 30th request is a heartbeat instead when its previous heartbeat is
//       at least 2.1 s old (the server refuses heartbeats closer than 2 s: 429).
//   node bench-runtime.mjs pages   URL STATE_FILE N SECONDS KIND
//       KIND: course (GET /api/my/course?course=...), launch (POST /api/launch) or
//       index (GET /, the single-page app's index.html). Needs the course in STATE_FILE.
//
// It never retries: an error is counted under its HTTP status (or "net" for a socket error,
// "ack" for a 200 commit whose acked is not the seq sent, "refused" for a 200 commit that
// refused a change) and the learner goes on with its next request.

import http from 'node:http';
import net from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';

const [, , mode, baseUrl, ...args] = process.argv;
const base = new URL(baseUrl);

function request(agent, method, path, headers, body) {
	return new Promise((resolve) => {
		const t0 = process.hrtime.bigint();
		const req = http.request(
			{ host: base.hostname, port: base.port, method, path, agent, headers },
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8'),
						us: Number(process.hrtime.bigint() - t0) / 1000,
					}),
				);
				res.on('error', () => resolve({ status: 'net', body: '', us: 0 }));
			},
		);
		req.on('error', () => resolve({ status: 'net', body: '', us: 0 }));
		if (body !== undefined) req.end(body);
		else req.end();
	});
}

// A minimal HTTP/1.1 keep-alive client on one socket, for the timed loops: node:http's
// client costs about 3 times the CPU per request, which on two cores is taken from the
// server (measured: see docs/performance.md). It handles what parlearn answers (a status
// line, headers, a body of Content-Length bytes) and reconnects after "Connection: close"
// or a socket error. One request at a time per connection, as the loops use it.
class RawConn {
	constructor() {
		this.sock = null;
		this.buf = Buffer.alloc(0);
		this.pending = null;
	}

	connect() {
		const sock = net.connect({ host: base.hostname, port: Number(base.port) });
		sock.setNoDelay(true);
		sock.on('data', (d) => {
			this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
			this.parse();
		});
		const fail = () => {
			if (this.sock !== sock) return; // one we closed ourselves
			this.sock = null;
			this.buf = Buffer.alloc(0);
			if (this.pending) {
				const p = this.pending;
				this.pending = null;
				p.resolve({ status: 'net', body: '', us: 0 });
			}
		};
		sock.on('error', fail);
		sock.on('close', fail);
		this.sock = sock;
	}

	parse() {
		const p = this.pending;
		if (!p) return;
		if (p.bodyStart === undefined) {
			const end = this.buf.indexOf('\r\n\r\n');
			if (end < 0) return;
			const head = this.buf.subarray(0, end).toString('latin1');
			p.status = Number(head.slice(9, 12));
			const m = /\r\ncontent-length: *(\d+)/i.exec(head);
			p.close = /\r\nconnection: *close/i.test(head);
			if (!m) { // not something parlearn sends: count it and start again
				p.status = 'nolength';
				p.close = true;
				p.length = 0;
			} else p.length = Number(m[1]);
			p.bodyStart = end + 4;
		}
		if (this.buf.length < p.bodyStart + p.length) return;
		const body = this.buf.subarray(p.bodyStart, p.bodyStart + p.length).toString('utf8');
		this.buf = this.buf.subarray(p.bodyStart + p.length);
		this.pending = null;
		if (p.close) {
			this.sock.destroy();
			this.sock = null;
			this.buf = Buffer.alloc(0);
		}
		p.resolve({ status: p.status, body, us: Number(process.hrtime.bigint() - p.t0) / 1000 });
	}

	request(method, path, headers, body) {
		return new Promise((resolve) => {
			const t0 = process.hrtime.bigint();
			if (!this.sock) this.connect();
			const b = body === undefined ? null : Buffer.from(body, 'utf8');
			let head = `${method} ${path} HTTP/1.1\r\nHost: ${base.host}\r\n`;
			for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
			if (b) head += `Content-Length: ${b.length}\r\n`;
			this.pending = { resolve, t0 };
			this.sock.write(b ? Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), b]) : head + '\r\n');
		});
	}

	destroy() {
		if (this.sock) this.sock.destroy();
		this.sock = null;
	}
}

// The timed loops' connections: RawConn, or node:http with BENCH_NODE_HTTP=1 (to compare).
function loopConn() {
	if (process.env.BENCH_NODE_HTTP === '1') {
		const agent = newAgent();
		return { request: (m, p, h, b) => request(agent, m, p, h, b), destroy: () => agent.destroy() };
	}
	return new RawConn();
}

function jsonHeaders(l) {
	return { 'Content-Type': 'application/json', Cookie: l.cookie, 'X-CSRF-Token': l.csrf };
}
const RT_HEADERS = { 'Content-Type': 'text/plain;charset=UTF-8' };

function newAgent() {
	return new http.Agent({ keepAlive: true, maxSockets: 1 });
}

// ---- setup ------------------------------------------------------------------------------

async function setupOne(course, username, password) {
	const agent = newAgent();
	let r = await request(agent, 'POST', '/api/auth/login', { 'Content-Type': 'application/json' },
		JSON.stringify({ username, password }));
	if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.body}`);
	const cookie = [].concat(r.headers['set-cookie'] || [])
		.map((c) => c.split(';')[0]).find((c) => c.startsWith('parlearn_session='));
	const l = { username, cookie, csrf: JSON.parse(r.body).csrf_token };
	r = await request(agent, 'POST', '/api/launch', jsonHeaders(l), JSON.stringify({ course }));
	if (r.status !== 201) throw new Error(`launch ${username}: ${r.status} ${r.body}`);
	l.token = JSON.parse(r.body).launch_token;
	r = await request(agent, 'POST', '/api/rt/init', RT_HEADERS, JSON.stringify({ t: l.token }));
	if (r.status !== 200) throw new Error(`init ${username}: ${r.status} ${r.body}`);
	agent.destroy();
	return l;
}

async function setup([course, usersFile, outFile]) {
	const users = readFileSync(usersFile, 'utf8').trim().split('\n').map((s) => s.split(' '));
	const out = new Array(users.length);
	let next = 0;
	// Logins hash a password with Argon2 on the server: a few at a time.
	await Promise.all([0, 1, 2, 3].map(async () => {
		while (next < users.length) {
			const i = next++;
			out[i] = await setupOne(course, users[i][0], users[i][1]);
		}
	}));
	writeFileSync(outFile, JSON.stringify({ course, learners: out }));
	console.log(`RESULT ${JSON.stringify({ learners: out.length })}`);
}

// ---- measurement ------------------------------------------------------------------------

function summary(lat, n, seconds, extra) {
	const a = Float64Array.from(lat).sort();
	const pct = (p) => (a.length ? a[Math.min(a.length - 1, Math.ceil((p / 100) * a.length) - 1)] : 0);
	const cpu = process.cpuUsage();
	return {
		n,
		seconds,
		ok: a.length,
		per_s: a.length / seconds,
		p50_ms: pct(50) / 1000,
		p99_ms: pct(99) / 1000,
		max_ms: (a.length ? a[a.length - 1] : 0) / 1000,
		gen_cpu_s: (cpu.user + cpu.system) / 1e6,
		...extra,
	};
}

function count(map, key) {
	map[key] = (map[key] || 0) + 1;
}

// ---- commits and heartbeats -------------------------------------------------------------

// A SCO's suspend_data: 1,500 characters that change a little with every commit.
const FILLER = Array.from({ length: 1500 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz0123456789'[(i * 7) % 36]).join('');

function changes(seq, who) {
	const c = [
		['cmi.location', `p${seq}`],
		['cmi.suspend_data', `${who}:${seq}:${FILLER}`.slice(0, 1500)],
		['cmi.completion_status', 'incomplete'],
		['cmi.progress_measure', '0.5'],
		['cmi.score.scaled', '0.5'],
	];
	// Every 10th commit answers a question: interactions 0..9, then over again (a quiz of 10).
	if (seq % 10 === 0) {
		const n = (seq / 10 - 1) % 10;
		c.push([`cmi.interactions.${n}.id`, `urn:parlearn:mot-cua:q${n}`],
			[`cmi.interactions.${n}.type`, 'choice'],
			[`cmi.interactions.${n}.learner_response`, 'a'],
			[`cmi.interactions.${n}.result`, seq % 20 === 0 ? 'correct' : 'incorrect']);
	}
	return c;
}

async function commits([stateFile, nStr, secStr]) {
	const state = JSON.parse(readFileSync(stateFile, 'utf8'));
	const n = Number(nStr), seconds = Number(secStr);
	const learners = state.learners.slice(0, n);
	if (learners.length < n) throw new Error(`only ${learners.length} learners in ${stateFile}`);
	// Where each launch stands (the previous run may have committed to it): not timed.
	const conns = learners.map(() => loopConn());
	const seqs = await Promise.all(learners.map(async (l, i) => {
		const r = await conns[i].request('POST', '/api/rt/init', RT_HEADERS, JSON.stringify({ t: l.token }));
		if (r.status !== 200) throw new Error(`init ${l.username}: ${r.status} ${r.body}`);
		return JSON.parse(r.body).seq;
	}));
	const commitLat = [], beatLat = [], errors = {}, done = new Array(n).fill(0);
	let beats = 0, beats429 = 0;
	const t0 = Date.now(), end = t0 + seconds * 1000, cpu0 = process.cpuUsage();
	await Promise.all(learners.map(async (l, i) => {
		// The first heartbeat comes 2.1 s into the run, so one from the run before cannot
		// make it a 429.
		let seq = seqs[i], k = 0, lastBeat = t0;
		while (Date.now() < end) {
			k++;
			if (k % 30 === 0 && Date.now() - lastBeat >= 2100) {
				lastBeat = Date.now();
				const r = await conns[i].request('POST', '/api/rt/beat', RT_HEADERS,
					JSON.stringify({ t: l.token, visible: true, idle_ms: 1200, hidden_ms: 0, closing: false }));
				if (r.status === 200) { beats++; beatLat.push(r.us); }
				else if (r.status === 429) beats429++;
				else count(errors, `beat ${r.status}`);
				continue;
			}
			const s = seq + 1;
			const body = JSON.stringify({ t: l.token, batches: [{ seq: s, changes: changes(s, l.username) }] });
			const r = await conns[i].request('POST', '/api/rt/commit', RT_HEADERS, body);
			if (r.status !== 200) {
				count(errors, r.status);
				if (r.status === 409) { // seq_gap: take the server's word for where we are
					try { seq = JSON.parse(r.body).expected - 1; } catch { /* keep seq */ }
				}
				continue;
			}
			const a = JSON.parse(r.body);
			if (a.acked !== s) { count(errors, 'ack'); seq = a.acked; continue; }
			if (a.refused.length) count(errors, 'refused');
			seq = s;
			done[i]++;
			commitLat.push(r.us);
		}
	}));
	const elapsed = (Date.now() - t0) / 1000;
	conns.forEach((c) => c.destroy());
	const cpu = process.cpuUsage(cpu0);
	const b = Float64Array.from(beatLat).sort();
	console.log(`RESULT ${JSON.stringify(summary(commitLat, n, elapsed, {
		errors,
		beats,
		beats_429: beats429,
		// Learners whose first commit never got an answer within the run (a request still
		// in flight at the end is neither counted nor timed), and the fewest and most
		// commits one learner made.
		starved: done.filter((d) => d === 0).length,
		min_per_learner: Math.min(...done),
		max_per_learner: Math.max(...done),
		beat_p50_ms: b.length ? b[Math.ceil(b.length / 2) - 1] / 1000 : 0,
		beat_p99_ms: b.length ? b[Math.ceil(b.length * 0.99) - 1] / 1000 : 0,
		gen_cpu_s: (cpu.user + cpu.system) / 1e6,
	}))}`);
}

// ---- pages ------------------------------------------------------------------------------

async function pages([stateFile, nStr, secStr, kind]) {
	const state = JSON.parse(readFileSync(stateFile, 'utf8'));
	const n = Number(nStr), seconds = Number(secStr);
	const learners = state.learners.slice(0, n);
	const agents = learners.map(() => loopConn());
	const course = encodeURIComponent(state.course);
	const call = {
		course: (l, c) => c.request('GET', `/api/my/course?course=${course}`, { Cookie: l.cookie }),
		launch: (l, c) => c.request('POST', '/api/launch', jsonHeaders(l), JSON.stringify({ course: state.course })),
		index: (l, c) => c.request('GET', '/', { Cookie: l.cookie }),
	}[kind];
	if (!call) throw new Error(`unknown page kind ${kind}`);
	const want = kind === 'launch' ? 201 : 200;
	// One untimed request each: connections open, the server's statements prepared.
	await Promise.all(learners.map((l, i) => call(l, agents[i])));
	const lat = [], errors = {};
	let bytes = 0;
	const t0 = Date.now(), end = t0 + seconds * 1000, cpu0 = process.cpuUsage();
	await Promise.all(learners.map(async (l, i) => {
		while (Date.now() < end) {
			const r = await call(l, agents[i]);
			if (r.status !== want) { count(errors, r.status); continue; }
			bytes = r.body.length;
			lat.push(r.us);
		}
	}));
	const elapsed = (Date.now() - t0) / 1000;
	agents.forEach((a) => a.destroy());
	const cpu = process.cpuUsage(cpu0);
	console.log(`RESULT ${JSON.stringify(summary(lat, n, elapsed, {
		errors, body_chars: bytes, gen_cpu_s: (cpu.user + cpu.system) / 1e6,
	}))}`);
}

const modes = { setup, commits, pages };
if (!modes[mode]) {
	console.error('usage: node bench-runtime.mjs setup|commits|pages URL ... (see the top of this file)');
	process.exit(2);
}
modes[mode](args).catch((e) => {
	console.error(`bench-runtime.mjs: ${e.message}`);
	process.exit(1);
});
