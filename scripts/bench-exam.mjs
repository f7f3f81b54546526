// scripts/bench-exam.mjs — the load generator of scripts/bench-exam (read that first).
//
//   node bench-exam.mjs exam URL TRAINER PASSWORD CODE CATEGORY QUESTIONS UNIT
//       Logs the trainer in and creates, then opens, the exam CODE: QUESTIONS drawn at random
//       from CATEGORY (so every examinee has a paper of their own, fixed at start), a window
//       from a minute ago to two hours ahead, a one-hour limit, for the people of UNIT.
//   node bench-exam.mjs run URL CODE N
//       N simulated examinees. Examinee i (1..N) has the session the script wrote into the
//       database (cookie "bench" + i on 38 digits, CSRF token "csrf" + i on 40 digits). Each
//       starts at a random moment of the first BENCH_SPREAD_S seconds (default 10), loads
//       its paper, answers every question once — one save per question, BENCH_THINK_MS
//       (default 3000) ± 50 % apart — and submits. Prints "RESULT <json>".
//
// Connections: the examinees share BENCH_CONNS (default 48) keep-alive connections, as the
// browsers of an exam room reach the app through a proxy (nginx keeps a pool of upstream
// connections): CivetWeb gives each open connection a worker thread, so 2,000 idle
// connections would be 2,000 threads. Latency is measured on the connection, from writing
// the request to the end of the answer; the time a request waited for a free connection is
// reported apart (queue). A minimal HTTP/1.1 client (as bench-runtime.mjs's) keeps the
// generator's own CPU low on a 2-core machine. Nothing is retried: an error is counted under
// its status and the examinee goes on; a save answered "stale" counts as an error too (each
// answer is sent once, with rev 1).

import http from 'node:http';
import net from 'node:net';

const [, , mode, baseUrl, ...args] = process.argv;
const base = new URL(baseUrl);
const env = (k, d) => (process.env[k] ? Number(process.env[k]) : d);

class RawConn {
	constructor() { this.sock = null; this.buf = Buffer.alloc(0); this.pending = null; }

	connect() {
		const sock = net.connect({ host: base.hostname, port: Number(base.port) });
		sock.setNoDelay(true);
		sock.on('data', (d) => { this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d; this.parse(); });
		const fail = () => {
			if (this.sock !== sock) return;
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
			p.length = m ? Number(m[1]) : 0;
			if (!m) { p.status = 'nolength'; p.close = true; }
			p.bodyStart = end + 4;
		}
		if (this.buf.length < p.bodyStart + p.length) return;
		const body = this.buf.subarray(p.bodyStart, p.bodyStart + p.length).toString('utf8');
		this.buf = this.buf.subarray(p.bodyStart + p.length);
		this.pending = null;
		if (p.close) { this.sock.destroy(); this.sock = null; this.buf = Buffer.alloc(0); }
		p.resolve({ status: p.status, body, us: Number(process.hrtime.bigint() - p.t0) / 1000 });
	}

	request(method, path, headers, body) {
		return new Promise((resolve) => {
			if (!this.sock) this.connect();
			const b = body === undefined ? null : Buffer.from(body, 'utf8');
			let head = `${method} ${path} HTTP/1.1\r\nHost: ${base.host}\r\n`;
			for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
			if (b) head += `Content-Length: ${b.length}\r\n`;
			this.pending = { resolve, t0: process.hrtime.bigint() };
			this.sock.write(b ? Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), b]) : head + '\r\n');
		});
	}

	destroy() { if (this.sock) this.sock.destroy(); this.sock = null; }
}

// A pool of connections: a request waits for a free one (FIFO).
class Pool {
	constructor(n) { this.free = Array.from({ length: n }, () => new RawConn()); this.all = [...this.free]; this.waiting = []; }

	async request(method, path, headers, body) {
		const q0 = process.hrtime.bigint();
		const c = this.free.pop() || await new Promise((resolve) => this.waiting.push(resolve));
		const queueUs = Number(process.hrtime.bigint() - q0) / 1000;
		const r = await c.request(method, path, headers, body);
		const next = this.waiting.shift();
		if (next) next(c); else this.free.push(c);
		r.queueUs = queueUs;
		return r;
	}

	close() { for (const c of this.all) c.destroy(); }
}

function nodeRequest(method, path, headers, body) {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: base.hostname, port: base.port, method, path, headers, agent: false }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

async function exam([trainer, password, code, category, questions, unit]) {
	let r = await nodeRequest('POST', '/api/auth/login', { 'Content-Type': 'application/json' }, JSON.stringify({ username: trainer, password }));
	if (r.status !== 200) throw new Error(`login: ${r.status} ${r.body}`);
	const cookie = [].concat(r.headers['set-cookie'])[0].split(';')[0];
	const h = { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': JSON.parse(r.body).csrf_token };
	const now = Date.now();
	r = await nodeRequest('POST', '/api/assessments', h, JSON.stringify({
		code, kind: 'exam', title: `Sát hạch thử tải ${code}`, rules: [{ category, count: Number(questions) }],
		opens_at: new Date(now - 60e3).toISOString(), closes_at: new Date(now + 7200e3).toISOString(),
		time_limit_s: 3600, pass_fraction: 0.5, shuffle_questions: true, audience: [{ unit }],
	}));
	if (r.status !== 201) throw new Error(`create: ${r.status} ${r.body}`);
	r = await nodeRequest('POST', '/api/assessments/open', h, JSON.stringify({ code }));
	if (r.status !== 200) throw new Error(`open: ${r.status} ${r.body}`);
	console.log(`RESULT ${JSON.stringify({ exam: code })}`);
}

// An answer for a question as shown (right or wrong does not matter here).
function answerFor(q, i) {
	switch (q.type) {
		case 'single': return { choice: q.options[i % q.options.length].id };
		case 'multi': return { choices: [q.options[0].id] };
		case 'truefalse': return { value: i % 2 === 0 };
		case 'matching': return { pairs: q.stems.map((s, k) => ({ stem: s.id, choice: q.choices[k % q.choices.length].id })) };
		case 'ordering': return { order: q.items.map((x) => x.id) };
		default: return { text: String(40 + (i % 10)) };
	}
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function stats(a) {
	const s = Float64Array.from(a).sort();
	const r2 = (us) => Math.round(us / 10) / 100; // µs → ms with two decimals
	const p = (x) => (s.length ? r2(s[Math.min(s.length - 1, Math.ceil((x / 100) * s.length) - 1)]) : 0);
	return { n: s.length, p50_ms: p(50), p95_ms: p(95), p99_ms: p(99), max_ms: s.length ? r2(s[s.length - 1]) : 0 };
}

async function run([code, n]) {
	const N = Number(n);
	const spread = env('BENCH_SPREAD_S', 10) * 1000, think = env('BENCH_THINK_MS', 3000);
	const pool = new Pool(env('BENCH_CONNS', 48));
	const lat = { start: [], paper: [], save: [], submit: [] }, queue = { save: [] };
	const errors = {};
	let saved = 0, startedIn = 0, lastStart = 0;
	const err = (what, r) => { const k = `${what}:${r.status}`; errors[k] = (errors[k] || 0) + 1; };
	const t0 = Date.now(), cpu0 = process.cpuUsage();
	const one = async (i) => {
		const id = String(i).padStart(38, '0');
		const h = { 'Content-Type': 'application/json', Cookie: `parlearn_session=bench${id}`, 'X-CSRF-Token': `csrf${String(i).padStart(40, '0')}` };
		await sleep(Math.random() * spread);
		let r = await pool.request('POST', '/api/my/assessments/start', h, JSON.stringify({ code }));
		if (r.status !== 201) { err('start', r); return; }
		lat.start.push(r.us);
		lastStart = Math.max(lastStart, Date.now() - t0);
		startedIn++;
		const attempt = JSON.parse(r.body).attempt;
		r = await pool.request('GET', `/api/my/attempt?id=${attempt}&device=bench${String(i).padStart(8, '0')}`, { Cookie: h.Cookie });
		if (r.status !== 200) { err('paper', r); return; }
		lat.paper.push(r.us);
		const paper = JSON.parse(r.body);
		for (const [k, q] of paper.questions.entries()) {
			await sleep(think * (0.5 + Math.random()));
			r = await pool.request('POST', '/api/my/attempt/save', h,
				JSON.stringify({ attempt, slot: q.slot, rev: 1, response: answerFor(q.question, k + i) }));
			if (r.status !== 200 || JSON.parse(r.body).stale) { err('save', r); continue; }
			lat.save.push(r.us);
			queue.save.push(r.queueUs);
			saved++;
		}
		r = await pool.request('POST', '/api/my/attempt/submit', h, JSON.stringify({ attempt }));
		if (r.status !== 200) { err('submit', r); return; }
		lat.submit.push(r.us);
	};
	await Promise.all(Array.from({ length: N }, (_, k) => one(k + 1)));
	pool.close();
	const cpu = process.cpuUsage(cpu0);
	console.log(`RESULT ${JSON.stringify({
		examinees: N, started: startedIn, last_start_s: lastStart / 1000, saved, seconds: (Date.now() - t0) / 1000,
		start: stats(lat.start), paper: stats(lat.paper), save: stats(lat.save), submit: stats(lat.submit),
		save_queue: stats(queue.save), errors, gen_cpu_s: Math.round((cpu.user + cpu.system) / 1e5) / 10,
	})}`);
}

if (mode === 'exam') await exam(args);
else if (mode === 'run') await run(args);
else { console.error('usage: bench-exam.mjs exam|run URL ...'); process.exit(2); }
