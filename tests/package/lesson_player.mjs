// tests/package/lesson_player.mjs — the PAR lesson player (server/templates/lesson-player/) that
// `parlearn package export-scorm` puts under player/ in a SCORM package, run in headless Chromium.
//
// Usage: node lesson_player.mjs [SOURCE_DIR]
// Builds what the export builds — content/courses/cchc-2021-2030/* at the root of a temporary
// folder, the player's three files in player/ — and writes a wrapper page at that root that
// defines a fake SCORM API (window.API_1484_11 for 2004, window.API for 1.2) recording every call,
// with an iframe on player/index.html. The answers come from lesson.xml itself (parsed here with
// the browser's DOMParser, independently of the player). Runs: a full run answering everything
// right (2004 and 1.2), a run answering the quiz wrong (2004 and 1.2), a partial run that leaves
// early and a resume run, a run without any LMS, an English lesson, and axe-core (WCAG 2.1 A/AA)
// on every page, also at 360 px. Prints "ok - ..." / "not ok - ..." and, last,
// "N passed, M failed"; exits 1 on any failure.
import { createRequire } from 'node:module';
import { writeFileSync, readFileSync, mkdtempSync, cpSync, mkdirSync, rmSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL, fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(process.argv[2] || join(here, '..', '..'));
const require = createRequire(join(src, 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let passed = 0;
let failed = 0;
function check(cond, what, detail) {
	if (cond) {
		passed++;
		console.log(`ok - ${what}`);
	} else {
		failed++;
		console.log(`not ok - ${what}${detail !== undefined ? `\n    ${String(detail).slice(0, 1500)}` : ''}`);
	}
}

// ---------------------------------------------------------------- the package folder
const courseDir = join(src, 'content', 'courses', 'cchc-2021-2030');
const playerDir = join(src, 'server', 'templates', 'lesson-player');
const work = mkdtempSync(join(tmpdir(), 'parlearn-player-'));
function makePackage(dir, transformXml) {
	mkdirSync(dir, { recursive: true });
	for (const f of readdirSync(courseDir)) cpSync(join(courseDir, f), join(dir, f), { recursive: true });
	mkdirSync(join(dir, 'player'));
	for (const f of ['index.html', 'player.js', 'player.css']) cpSync(join(playerDir, f), join(dir, 'player', f));
	if (transformXml) writeFileSync(join(dir, 'lesson.xml'), transformXml(readFileSync(join(dir, 'lesson.xml'), 'utf8')));
}
const pkg = join(work, 'pkg');
makePackage(pkg);
const lessonXml = readFileSync(join(pkg, 'lesson.xml'), 'utf8');

const playerFiles = ['index.html', 'player.js', 'player.css'].map((f) => readFileSync(join(playerDir, f), 'utf8'));
const totalBytes = playerFiles.reduce((n, s) => n + Buffer.byteLength(s), 0);
check(totalBytes < 60 * 1024, `the player is small (${totalBytes} bytes < 60 KB)`);
check(!/<script>|<style|\sstyle=|\son[a-z]+=/i.test(playerFiles[0]), 'index.html has no inline script or style');
check(!/https?:\/\//.test(playerFiles[0] + playerFiles[2]) && !/(src|href)\s*=\s*["']https?:/i.test(playerFiles[1]),
	'no external URL in the player');
check(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/.test(playerFiles[1].replace(/\/\*[\s\S]*?\*\//g, '')),
	'player.js never parses HTML strings or evaluates code');

// ---------------------------------------------------------------- the fake LMS
function wrapperHtml(version, preset) {
	const fake = `
window.calls = [];
window.store = ${JSON.stringify(preset)};
function rec(name, args, ret) { window.calls.push([name].concat(args.map(String)).concat(['=>' + ret])); return ret; }
var state = 'new';
var nInter = 0;
function getv(k) { if (k === 'cmi.interactions._count') return String(nInter); return k in window.store ? window.store[k] : ''; }
var api = {
	init: function () { var ok = state === 'new'; if (ok) state = 'running'; return ok ? 'true' : 'false'; },
	get: function (k) { return state === 'running' ? getv(k) : ''; },
	set: function (k, v) {
		if (state !== 'running') return 'false';
		var m = /^cmi\\.interactions\\.(\\d+)\\.id$/.exec(k);
		if (m) { if (Number(m[1]) > nInter) return 'false'; if (Number(m[1]) === nInter) nInter++; }
		window.store[k] = String(v); return 'true';
	},
	commit: function () { return state === 'running' ? 'true' : 'false'; },
	finish: function () { var ok = state === 'running'; if (ok) state = 'done'; return ok ? 'true' : 'false'; }
};
${version === '2004' ? `
window.API_1484_11 = {
	Initialize: function (a) { return rec('Initialize', [a], api.init()); },
	GetValue: function (k) { return rec('GetValue', [k], api.get(k)); },
	SetValue: function (k, v) { return rec('SetValue', [k, v], api.set(k, v)); },
	Commit: function (a) { return rec('Commit', [a], api.commit()); },
	Terminate: function (a) { return rec('Terminate', [a], api.finish()); },
	GetLastError: function () { return '0'; }, GetErrorString: function () { return ''; }, GetDiagnostic: function () { return ''; }
};` : `
window.API = {
	LMSInitialize: function (a) { return rec('LMSInitialize', [a], api.init()); },
	LMSGetValue: function (k) { return rec('LMSGetValue', [k], api.get(k)); },
	LMSSetValue: function (k, v) { return rec('LMSSetValue', [k, v], api.set(k, v)); },
	LMSCommit: function (a) { return rec('LMSCommit', [a], api.commit()); },
	LMSFinish: function (a) { return rec('LMSFinish', [a], api.finish()); },
	LMSGetLastError: function () { return '0'; }, LMSGetErrorString: function () { return ''; }, LMSGetDiagnostic: function () { return ''; }
};`}`;
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>fake LMS</title><script>${fake}</script></head>
<body style="margin:0"><iframe id="sco" title="SCO" style="display:block;width:100%;height:900px;border:0" src="player/index.html"></iframe></body></html>`;
}

const browser = await chromium.launch({
	executablePath: process.env.PARLEARN_CHROMIUM || '/usr/bin/chromium',
	args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
		'--allow-file-access-from-files'],
});
let seq = 0;

async function open(version, preset, { dir = pkg, viewport } = {}) {
	const file = join(dir, `wrapper-${++seq}.html`);
	writeFileSync(file, wrapperHtml(version, preset));
	const context = await browser.newContext(viewport ? { viewport } : {});
	const page = await context.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	const external = [];
	await context.route((url) => !url.href.startsWith('file:'), (route) => {
		external.push(route.request().url());
		return route.abort();
	});
	await page.goto(pathToFileURL(file).href);
	const sco = await (await page.waitForSelector('#sco')).contentFrame();
	await sco.waitForSelector('body[data-player]');
	return { page, sco, errors, external, close: () => context.close() };
}
const calls = (page) => page.evaluate(() => window.calls);
const store = (page) => page.evaluate(() => window.store);
const fmt = (c) => c.map((x) => x.join(' ')).join('\n    ');
function indexOfCall(list, pred, from = 0) {
	for (let i = from; i < list.length; i++) if (pred(list[i])) return i;
	return -1;
}
const isSet = (k, v) => (c) => /^(LMS)?SetValue$/.test(c[0]) && c[1] === k && (v === undefined || c[2] === v);
function expectClean(o, name) {
	check(o.errors.length === 0, `${name}: no script errors`, o.errors.join('\n    '));
	check(o.external.length === 0, `${name}: no external requests`, o.external.join(' '));
}

// ---------------------------------------------------------------- the lesson, read by the test
const setup = await browser.newPage();
const L = await setup.evaluate((xml) => {
	const NS = 'urn:parlearn:par-lesson:1.0';
	const doc = new DOMParser().parseFromString(xml, 'application/xml');
	const kids = (el, n) => Array.from(el.children).filter((c) => c.namespaceURI === NS && c.localName === n);
	const title = (el) => {
		const ts = kids(el, 'title').filter((x) => !x.hasAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang'));
		return (ts[0] || kids(el, 'title')[0]).textContent.replace(/\s+/g, ' ').trim();
	};
	const items = [];
	const questions = {};
	const types = ['single-choice', 'multiple-choice', 'true-false', 'short-answer', 'numerical'];
	for (const el of doc.getElementsByTagNameNS(NS, '*')) {
		if (!types.includes(el.localName)) continue;
		questions[el.getAttribute('id')] = {
			type: el.localName,
			points: Number(el.getAttribute('points') || 1),
			choices: kids(el, 'choice').map((c) => ({ id: c.getAttribute('id'), correct: c.getAttribute('correct') === 'true' })),
			answer: el.getAttribute('answer'),
			accept: kids(el, 'accept').map((a) => a.textContent.trim()),
			values: kids(el, 'answer').map((a) => Number(a.getAttribute('value'))),
		};
	}
	for (const m of kids(doc.documentElement, 'module')) {
		for (const l of kids(m, 'lesson')) {
			for (const p of kids(l, 'page')) {
				items.push({ kind: 'page', id: p.getAttribute('id'), title: title(p),
					practice: Array.from(p.children).filter((c) => types.includes(c.localName)).map((c) => c.getAttribute('id')) });
			}
			for (const q of kids(l, 'quiz')) {
				items.push({ kind: 'quiz', id: q.getAttribute('id'), title: title(q), passing: Number(q.getAttribute('passing-score')),
					max: Number(q.getAttribute('max-attempts') || 0),
					refs: kids(q, 'question-ref').map((r) => r.getAttribute('ref')) });
			}
		}
	}
	items.push({ kind: 'result', id: '@result' });
	return { items, questions };
}, lessonXml);
await setup.close();
const pageItems = L.items.filter((it) => it.kind === 'page');
const quizItems = L.items.filter((it) => it.kind === 'quiz');
check(pageItems.length === 8 && quizItems.length === 1, `lesson.xml read: ${pageItems.length} pages, ${quizItems.length} quiz`);

// Answers the question shown in `scope` (a CSS selector of its form), right or wrong.
async function answer(sco, scope, qid, right) {
	const q = L.questions[qid];
	const fs = sco.locator(`${scope} fieldset[data-qid="${qid}"]`);
	const tick = async (value) => {
		const id = await fs.locator(`input[value="${value}"]`).getAttribute('id');
		await sco.click(`label[for="${id}"]`);
	};
	if (q.type === 'single-choice') {
		await tick(q.choices.find((c) => c.correct === right).id);
	} else if (q.type === 'multiple-choice') {
		for (const c of q.choices) if (right ? c.correct : !c.correct) await tick(c.id);
	} else if (q.type === 'true-false') {
		const v = q.answer === 'true' || q.answer === '1';
		await tick(String(right ? v : !v));
	} else if (q.type === 'short-answer') {
		await fs.locator('input[type=text]').fill(right ? q.accept[0] : 'không biết');
	} else {
		await fs.locator('input[type=text]').fill(String(right ? q.values[0] : q.values[0] + 1000).replace('.', ','));
	}
}
async function axe(frame, label) {
	if (!(await frame.evaluate(() => typeof window.axe !== 'undefined'))) await frame.evaluate(AXE_SOURCE);
	const r = await frame.evaluate((tags) => window.axe.run(document, {
		runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
	}), AXE_TAGS);
	const lines = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	check(lines.length === 0, `axe: ${label}`, lines.join('\n    '));
}
const titleIs = (sco, text) => sco.waitForFunction((tx) => {
	const h1 = document.getElementById('page-title');
	return h1 && h1.textContent === tx;
}, text, { timeout: 5000 });

// Walks every page from the first, answering practice questions and the quiz; ends on the results page.
async function walk(o, name, { right = true, a11y = false, keyboard = false } = {}) {
	const { sco } = o;
	for (let i = 0; i < L.items.length; i++) {
		const it = L.items[i];
		if (it.kind !== 'result') await titleIs(sco, it.title).catch(() => {});
		const h1 = await sco.textContent('#page-title');
		if (it.kind !== 'result') check(h1 === it.title, `${name}: page ${i + 1} is "${it.id}"`, h1);
		if (it.kind === 'page') {
			for (const qid of it.practice) {
				await answer(sco, 'form.practice', qid, true);
				await sco.click(`form.practice:has(fieldset[data-qid="${qid}"]) button[type=submit]`);
				const v = await sco.textContent(`form.practice:has(fieldset[data-qid="${qid}"]) .verdict`);
				check(/^✓ Đúng\./.test(v), `${name}: practice ${qid} answered right gets feedback`, v);
			}
		} else if (it.kind === 'quiz') {
			if (a11y) {
				await sco.click('form.quiz button[type=submit]');
				const s = await sco.textContent('#quiz-status');
				check(/chưa trả lời/.test(s), `${name}: an incomplete quiz is not graded`, s);
				check(await sco.evaluate(() => document.activeElement.id === 'quiz-status'), `${name}: focus on the quiz message`);
				await axe(sco, `${name}: quiz, unanswered submitted`);
			}
			for (const qid of it.refs) await answer(sco, 'form.quiz', qid, right);
			await sco.click('form.quiz button[type=submit]');
			await sco.waitForSelector('#quiz-status .score');
			check(await sco.evaluate(() => document.activeElement.id === 'quiz-status'), `${name}: focus moves to the quiz result`);
		}
		if (a11y) await axe(sco, `${name}: ${it.id}`);
		if (a11y) {
			const over = await sco.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			check(over <= 0, `${name}: ${it.id} has no horizontal scrolling`, `${over}px`);
		}
		if (i < L.items.length - 1) {
			if (keyboard) {
				await sco.focus('#btn-next');
				await o.page.keyboard.press('Enter');
			} else {
				await sco.click('#btn-next');
			}
			if (L.items[i + 1].kind !== 'result') await titleIs(sco, L.items[i + 1].title);
			else await sco.waitForSelector('#btn-finish');
			if (keyboard && i === 0) {
				check(await sco.evaluate(() => document.activeElement.id === 'page-title'), `${name}: focus moves to the new page's heading`);
			}
		}
	}
	check(await sco.isDisabled('#btn-next'), `${name}: "next" is disabled on the results page`);
}

const preset04 = {
	'cmi.completion_status': 'unknown', 'cmi.success_status': 'unknown', 'cmi.entry': 'ab-initio',
	'cmi.mode': 'normal', 'cmi.learner_name': 'Nguyễn Văn A',
};
const preset12 = {
	'cmi.core.lesson_status': 'not attempted', 'cmi.core.entry': 'ab-initio', 'cmi.core.lesson_mode': 'normal',
	'cmi.core.student_name': 'Nguyễn, Văn A',
};
const quiz = quizItems[0];
const quizQuestions = quiz.refs.length;

try {
	// ---------------- SCORM 2004, everything right ----------------
	{
		const name = '2004 full run';
		const o = await open('2004', preset04);
		await walk(o, name, { right: true, keyboard: true });
		const s1 = await o.sco.textContent('.summary');
		check(/100%/.test(s1) && /đạt\./.test(s1), `${name}: the results page shows 100% and passed`, s1);
		await o.sco.click('#btn-finish');
		await o.page.waitForFunction(() => window.calls.some((c) => c[0] === 'Terminate'));
		check(/Đã lưu kết quả/.test(await o.sco.textContent('#finish-msg')), `${name}: says the results are saved`);
		const c = await calls(o.page);
		const st = await store(o.page);
		check(c[0][0] === 'Initialize' && c[0][1] === '', `${name}: Initialize("") first`, fmt(c.slice(0, 1)));
		check(indexOfCall(c, isSet('cmi.completion_status', 'incomplete')) > 0, `${name}: incomplete on launch`);
		let at = 0;
		const order = [];
		for (const it of L.items) {
			const k = indexOfCall(c, isSet('cmi.location', it.id), at);
			order.push(k);
			if (k > 0) at = k;
		}
		check(order.every((k) => k > 0), `${name}: SetValue(cmi.location) for every page, in order`, L.items.map((it, i) => `${it.id}:${order[i]}`).join(' '));
		const afterLoc = indexOfCall(c, isSet('cmi.location', L.items[1].id));
		check(indexOfCall(c, (x) => x[0] === 'Commit', afterLoc) > afterLoc, `${name}: Commit after a page change`);
		const iDone = indexOfCall(c, isSet('cmi.completion_status', 'completed'));
		check(iDone > 0, `${name}: completion_status completed`, fmt(c.filter((x) => x[1] && x[1].startsWith('cmi.completion'))));
		check(indexOfCall(c, isSet('cmi.success_status', 'passed')) > 0, `${name}: success_status passed`);
		check(st['cmi.score.scaled'] === '1' && st['cmi.score.raw'] === '100' && st['cmi.score.min'] === '0' && st['cmi.score.max'] === '100',
			`${name}: score.scaled 1, raw 100 of 0..100`, `${st['cmi.score.scaled']} ${st['cmi.score.raw']} ${st['cmi.score.min']} ${st['cmi.score.max']}`);
		check(indexOfCall(c, (x) => x[0] === 'Commit', iDone) > iDone, `${name}: Commit after completion`);
		const last = c[c.length - 1];
		check(last[0] === 'Terminate' && last[2] === '=>true', `${name}: Terminate last`, fmt(c.slice(-3)));
		check(c.filter((x) => x[0] === 'Terminate').length === 1, `${name}: one Terminate`);
		check(st['cmi.exit'] === 'normal', `${name}: cmi.exit normal`, st['cmi.exit']);
		check(/^PT\d+H\d+M\d+(\.\d{1,2})?S$/.test(st['cmi.session_time'] || ''), `${name}: session_time is an ISO 8601 duration`, st['cmi.session_time']);
		const inter = Object.keys(st).filter((k) => /^cmi\.interactions\.\d+\.id$/.test(k)).length;
		check(inter === quizQuestions, `${name}: one interaction per quiz question (${inter})`);
		check(Object.keys(st).filter((k) => /\.result$/.test(k)).every((k) => st[k] === 'correct'), `${name}: every interaction correct`);
		check(st['cmi.interactions.0.type'] && st['cmi.interactions.0.description'], `${name}: interactions have a type and description`);
		const sus = c.filter(isSet('cmi.suspend_data')).map((x) => x[2]);
		check(sus.length > 0 && sus.every((s) => s.length < 4000 && JSON.parse(s)), `${name}: suspend_data is JSON under 4,000 characters`,
			Math.max(...sus.map((s) => s.length)));
		check(c.every((x) => x[0] !== 'SetValue' || x[x.length - 1] === '=>true'), `${name}: every SetValue accepted`,
			fmt(c.filter((x) => x[x.length - 1] === '=>false')));
		expectClean(o, name);
		await o.close();
	}

	// ---------------- SCORM 1.2, everything right ----------------
	{
		const name = '1.2 full run';
		const o = await open('1.2', preset12);
		await walk(o, name, { right: true });
		await o.sco.click('#btn-finish');
		await o.page.waitForFunction(() => window.calls.some((c) => c[0] === 'LMSFinish'));
		const c = await calls(o.page);
		const st = await store(o.page);
		check(c[0][0] === 'LMSInitialize' && c[0][1] === '', `${name}: LMSInitialize("") first`);
		check(indexOfCall(c, isSet('cmi.core.lesson_status', 'incomplete')) > 0, `${name}: incomplete on launch`);
		check(L.items.every((it) => indexOfCall(c, isSet('cmi.core.lesson_location', it.id)) > 0), `${name}: lesson_location for every page`);
		const iPassed = indexOfCall(c, isSet('cmi.core.lesson_status', 'passed'));
		check(iPassed > 0, `${name}: lesson_status passed`, fmt(c.filter((x) => x[1] === 'cmi.core.lesson_status')));
		check(st['cmi.core.score.raw'] === '100' && st['cmi.core.score.min'] === '0' && st['cmi.core.score.max'] === '100',
			`${name}: score.raw 100 of 0..100`, st['cmi.core.score.raw']);
		check(indexOfCall(c, (x) => x[0] === 'LMSCommit', iPassed) > iPassed, `${name}: LMSCommit after the status`);
		const last = c[c.length - 1];
		check(last[0] === 'LMSFinish' && last[2] === '=>true', `${name}: LMSFinish last`, fmt(c.slice(-3)));
		check(st['cmi.core.exit'] === '', `${name}: cmi.core.exit "" when finished`, st['cmi.core.exit']);
		check(/^\d{4}:\d\d:\d\d\.\d\d$/.test(st['cmi.core.session_time'] || ''), `${name}: session_time HHHH:MM:SS.SS`, st['cmi.core.session_time']);
		check(st['cmi.interactions.0.result'] === 'correct' && !('cmi.interactions.0.description' in st), `${name}: 1.2 interactions, no 2004 fields`);
		const tf = Object.keys(st).filter((k) => /\.type$/.test(k) && st[k] === 'true-false').map((k) => st[k.replace('.type', '.student_response')]);
		check(tf.length && tf.every((r) => r === 't' || r === 'f'), `${name}: true-false responses are t/f`, tf.join(','));
		check(c.filter(isSet('cmi.suspend_data')).every((x) => x[2].length < 4000), `${name}: suspend_data under 4,000 characters`);
		check(c.every((x) => x[0] !== 'LMSSetValue' || x[x.length - 1] === '=>true'), `${name}: every LMSSetValue accepted`);
		expectClean(o, name);
		await o.close();
	}

	// ---------------- wrong answers: failed ----------------
	for (const v of ['2004', '1.2']) {
		const name = `${v} quiz answered wrong`;
		const o = await open(v, v === '2004' ? preset04 : preset12);
		await walk(o, name, { right: false });
		const st = await store(o.page);
		if (v === '2004') {
			check(st['cmi.success_status'] === 'failed', `${name}: success_status failed`, st['cmi.success_status']);
			check(st['cmi.completion_status'] === 'completed', `${name}: completed all the same (every page seen, quiz taken)`);
			check(Number(st['cmi.score.scaled']) < quiz.passing / 100, `${name}: score.scaled below the pass mark`, st['cmi.score.scaled']);
		} else {
			check(st['cmi.core.lesson_status'] === 'failed', `${name}: lesson_status failed`, st['cmi.core.lesson_status']);
			check(Number(st['cmi.core.score.raw']) < quiz.passing, `${name}: score.raw below the pass mark`, st['cmi.core.score.raw']);
		}
		// Retake from the quiz page: allowed by max-attempts, this time right.
		await o.sco.click(`#toc a[href="#${quiz.id}"]`);
		await titleIs(o.sco, quiz.title);
		const again = o.sco.locator('#quiz-status button');
		check(await again.isVisible(), `${name}: a retry is offered (max-attempts ${quiz.max})`);
		await again.click();
		for (const qid of quiz.refs) await answer(o.sco, 'form.quiz', qid, true);
		await o.sco.click('form.quiz button[type=submit]');
		await o.sco.waitForSelector('#quiz-status .score');
		const st2 = await store(o.page);
		if (v === '2004') check(st2['cmi.success_status'] === 'passed' && st2['cmi.score.scaled'] === '1', `${name}: the retry passes`);
		else check(st2['cmi.core.lesson_status'] === 'passed' && st2['cmi.core.score.raw'] === '100', `${name}: the retry passes`);
		expectClean(o, name);
		await o.close();
	}

	// ---------------- leave early, then resume ----------------
	{
		const name = '2004 leave early';
		const o = await open('2004', preset04);
		for (let i = 1; i <= 3; i++) {
			await o.sco.click('#btn-next');
			await titleIs(o.sco, pageItems[i].title);
			for (const qid of pageItems[i].practice) {
				await answer(o.sco, 'form.practice', qid, true);
				await o.sco.click(`form.practice:has(fieldset[data-qid="${qid}"]) button[type=submit]`);
			}
		}
		await o.page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
		await o.page.waitForFunction(() => window.calls.some((c) => c[0] === 'Terminate'));
		const st = await store(o.page);
		check(st['cmi.exit'] === 'suspend', `${name}: cmi.exit suspend on pagehide`, st['cmi.exit']);
		check(st['cmi.location'] === pageItems[3].id, `${name}: location is the page left`, st['cmi.location']);
		check(st['cmi.completion_status'] === 'incomplete', `${name}: still incomplete`, st['cmi.completion_status']);
		check(/^PT/.test(st['cmi.session_time'] || ''), `${name}: session time reported`);
		const c = await calls(o.page);
		check(c[c.length - 1][0] === 'Terminate', `${name}: Terminate last`);
		expectClean(o, name);
		await o.close();

		const name2 = '2004 resume';
		const r = await open('2004', {
			...preset04, 'cmi.completion_status': 'incomplete', 'cmi.entry': 'resume',
			'cmi.location': st['cmi.location'], 'cmi.suspend_data': st['cmi.suspend_data'],
		});
		check(await r.sco.textContent('#page-title') === pageItems[3].title, `${name2}: starts on the stored page`,
			await r.sco.textContent('#page-title'));
		check(/4 \/ 10/.test(await r.sco.textContent('#progress')), `${name2}: progress says page 4 of 10`, await r.sco.textContent('#progress'));
		check(/học tiếp/.test(await r.sco.textContent('#notice')), `${name2}: tells the learner where they resumed`);
		const marks = await r.sco.$$eval('#toc .toc-page .mark', (m) => m.map((x) => x.textContent !== ''));
		check(marks.slice(0, 4).every(Boolean) && !marks.slice(4).some(Boolean), `${name2}: the contents mark the pages already viewed`, marks.join(','));
		const rc = await calls(r.page);
		check(indexOfCall(rc, isSet('cmi.location', pageItems[3].id)) > 0, `${name2}: writes the location it resumed at`);
		// The practice answer given before leaving is back, with its feedback.
		const pq = pageItems.slice(0, 4).find((p) => p.practice.length);
		await r.sco.click(`#toc a[href="#${pq.id}"]`);
		await titleIs(r.sco, pq.title);
		check(/Đúng\./.test(await r.sco.textContent('form.practice .verdict')), `${name2}: a practice answer is restored with its feedback`);
		await r.page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
		await r.page.waitForFunction(() => window.calls.some((x) => x[0] === 'Terminate'));
		const st2 = await store(r.page);
		check(st2['cmi.exit'] === 'suspend' && st2['cmi.location'] === pq.id, `${name2}: leaves suspended at the page shown`);
		expectClean(r, name2);
		await r.close();
	}
	{
		const name = '1.2 resume';
		const o = await open('1.2', {
			...preset12, 'cmi.core.lesson_status': 'incomplete', 'cmi.core.entry': 'resume',
			'cmi.core.lesson_location': pageItems[5].id,
		});
		check(await o.sco.textContent('#page-title') === pageItems[5].title, `${name}: starts on cmi.core.lesson_location`);
		await o.page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
		await o.page.waitForFunction(() => window.calls.some((x) => x[0] === 'LMSFinish'));
		const st = await store(o.page);
		check(st['cmi.core.exit'] === 'suspend', `${name}: cmi.core.exit suspend`, st['cmi.core.exit']);
		check(st['cmi.core.lesson_status'] === 'incomplete', `${name}: still incomplete`);
		expectClean(o, name);
		await o.close();
	}

	// ---------------- no LMS ----------------
	{
		const name = 'no LMS';
		const context = await browser.newContext();
		const page = await context.newPage();
		const errors = [];
		page.on('pageerror', (e) => errors.push(String(e)));
		await page.goto(pathToFileURL(join(pkg, 'player', 'index.html')).href);
		await page.waitForSelector('body[data-player="ready"]');
		check(/không được lưu/.test(await page.textContent('#notice')), `${name}: says progress is not saved`);
		await page.click('#btn-next');
		check(await page.textContent('#page-title') === pageItems[1].title, `${name}: still navigable`);
		check(errors.length === 0, `${name}: no script errors`, errors.join('\n    '));
		await context.close();
	}

	// ---------------- a lesson in English ----------------
	{
		const name = 'English lesson';
		const dir = join(work, 'en');
		makePackage(dir, (x) => x.replace('version="1.0.0" xml:lang="vi"', 'version="1.0.0" xml:lang="en"'));
		const o = await open('2004', preset04, { dir });
		check(await o.sco.getAttribute('html', 'lang') === 'en', `${name}: html lang="en"`);
		check(/Next page/.test(await o.sco.textContent('#btn-next')) && await o.sco.textContent('#toc-heading') === 'Contents',
			`${name}: English labels`);
		expectClean(o, name);
		await o.close();
	}

	// ---------------- hostile content stays inert ----------------
	{
		const name = 'allow-list';
		const dir = join(work, 'hostile');
		makePackage(dir, (x) => x.replace('<p>Đề án (mục IV.1.6)',
			'<p>X <a href="javascript:alert(1)">js</a> <a href="https://example.org/">ext</a> <a href="media/linh-vuc-cchc.svg">pkg</a> ' +
			'<a href="../../etc/passwd">up</a> <img src="https://example.org/x.png" alt="remote"/> <script xmlns="http://www.w3.org/1999/xhtml">window.pwned=1</script> <em onclick="x">em</em></p><p>Đề án (mục IV.1.6)'));
		const o = await open('2004', preset04, { dir });
		await o.sco.click('#btn-next');
		const info = await o.sco.evaluate(() => {
			const p = document.querySelector('#page p');
			return {
				links: Array.from(p.querySelectorAll('a')).map((a) => `${a.getAttribute('href')}|${a.target}|${a.rel}`),
				imgs: p.querySelectorAll('img').length, scripts: document.querySelectorAll('#page script').length,
				onclick: document.querySelectorAll('#page [onclick]').length, pwned: !!window.pwned,
			};
		});
		check(info.links.join(' ') === 'https://example.org/|_blank|noopener noreferrer ../media/linh-vuc-cchc.svg|_blank|noopener noreferrer',
			`${name}: only http(s) and package links survive, opening in a new tab`, info.links.join(' '));
		check(info.imgs === 0 && info.scripts === 0 && info.onclick === 0 && !info.pwned, `${name}: no remote image, script or handler`, JSON.stringify(info));
		await o.close();
	}

	// ---------------- accessibility: every page, wide and at 360 px ----------------
	{
		const name = 'a11y';
		const o = await open('2004', preset04);
		await walk(o, name, { right: false, a11y: true });
		await o.close();
		const p = await open('1.2', preset12, { viewport: { width: 360, height: 740 } });
		const name2 = 'a11y 360px';
		check(await p.sco.isVisible('#toc-toggle') && !(await p.sco.isVisible('#toc-list')), `${name2}: the contents fold behind a button`);
		await p.sco.click('#toc-toggle');
		check(await p.sco.getAttribute('#toc-toggle', 'aria-expanded') === 'true' && await p.sco.isVisible('#toc-list'),
			`${name2}: the button opens the contents`);
		await axe(p.sco, `${name2}: contents open`);
		await p.sco.click(`#toc a[href="#${pageItems[2].id}"]`);
		await titleIs(p.sco, pageItems[2].title);
		check(!(await p.sco.isVisible('#toc-list')), `${name2}: choosing a page folds the contents`);
		await p.sco.click('#toc-toggle');
		await p.sco.click(`#toc a[href="#${pageItems[0].id}"]`);
		await walk(p, name2, { right: true, a11y: true });
		expectClean(p, name2);
		await p.close();
	}
} catch (e) {
	check(false, 'browser run', e.stack || String(e));
} finally {
	await browser.close();
	rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
