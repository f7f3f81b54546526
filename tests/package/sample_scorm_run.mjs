// tests/package/sample_scorm_run.mjs — runs the sample SCORM courses in headless Chromium.
//
// Usage: node sample_scorm_run.mjs COURSES_DIR WORK_DIR
// Each SCO's launch page is opened from a file:// URL inside a tiny wrapper page (written into
// WORK_DIR) that defines a fake window.API (SCORM 1.2) or window.API_1484_11 (SCORM 2004) and
// records every call. The script clicks through the pages, answers the quiz, and checks the
// recorded calls. Chromium treats every file:// document as its own origin, so it is started
// with --allow-file-access-from-files to let the SCO reach its parent's API, as it would on an
// LMS serving both from one origin. Prints "ok - ..." / "not ok - ..." lines and, last,
// "N passed, M failed"; exits 1 on any failure.
import { createRequire } from 'node:module';
import { writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'browser', 'package.json'));
const { chromium } = require('playwright-core');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const [coursesDir, workDir] = process.argv.slice(2).map((p) => resolve(p));
if (!coursesDir || !workDir) {
	console.error('usage: node sample_scorm_run.mjs COURSES_DIR WORK_DIR');
	process.exit(2);
}

let passed = 0;
let failed = 0;
function check(cond, what, detail) {
	if (cond) {
		passed++;
		console.log(`ok - ${what}`);
	} else {
		failed++;
		console.log(`not ok - ${what}${detail ? `\n    ${detail}` : ''}`);
	}
}

// The fake LMS: a value store with a few read-only defaults, and a log of every call.
function wrapperHtml(version, launchUrl, preset) {
	const fake = `
window.calls = [];
window.store = ${JSON.stringify(preset)};
function rec(name, args, ret) { window.calls.push([name].concat(args.map(String)).concat(['=>' + ret])); return ret; }
var state = 'new';
function count() {
	var n = 0;
	Object.keys(window.store).forEach(function (k) {
		var m = /^cmi\\.interactions\\.(\\d+)\\./.exec(k);
		if (m) n = Math.max(n, Number(m[1]) + 1);
	});
	return String(n);
}
function getv(k) { if (k === 'cmi.interactions._count') return count(); return k in window.store ? window.store[k] : ''; }
var api = {
	init: function (a) { var ok = state === 'new'; if (ok) state = 'running'; return ok ? 'true' : 'false'; },
	get: function (k) { return state === 'running' ? getv(k) : ''; },
	set: function (k, v) { if (state !== 'running') return 'false'; window.store[k] = String(v); return 'true'; },
	commit: function () { return state === 'running' ? 'true' : 'false'; },
	finish: function () { var ok = state === 'running'; if (ok) state = 'done'; return ok ? 'true' : 'false'; }
};
${version === '2004' ? `
window.API_1484_11 = {
	Initialize: function (a) { return rec('Initialize', [a], api.init(a)); },
	GetValue: function (k) { return rec('GetValue', [k], api.get(k)); },
	SetValue: function (k, v) { return rec('SetValue', [k, v], api.set(k, v)); },
	Commit: function (a) { return rec('Commit', [a], api.commit()); },
	Terminate: function (a) { return rec('Terminate', [a], api.finish()); },
	GetLastError: function () { return '0'; },
	GetErrorString: function () { return ''; },
	GetDiagnostic: function () { return ''; }
};` : `
window.API = {
	LMSInitialize: function (a) { return rec('LMSInitialize', [a], api.init(a)); },
	LMSGetValue: function (k) { return rec('LMSGetValue', [k], api.get(k)); },
	LMSSetValue: function (k, v) { return rec('LMSSetValue', [k, v], api.set(k, v)); },
	LMSCommit: function (a) { return rec('LMSCommit', [a], api.commit()); },
	LMSFinish: function (a) { return rec('LMSFinish', [a], api.finish()); },
	LMSGetLastError: function () { return '0'; },
	LMSGetErrorString: function () { return ''; },
	LMSGetDiagnostic: function () { return ''; }
};`}`;
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>fake LMS</title>
<script>${fake}</script></head>
<body><iframe id="sco" title="SCO" style="width:100%;height:900px" src="${launchUrl}"></iframe></body></html>`;
}

const browser = await chromium.launch({
	executablePath: process.env.PARLEARN_CHROMIUM || '/usr/bin/chromium',
	args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
		'--allow-file-access-from-files'],
});
let wrapperSeq = 0;

// Opens one SCO in the wrapper; returns { page, sco } where sco is the SCO's frame.
async function openSco(version, launchFile, preset) {
	const file = join(workDir, `wrapper-${++wrapperSeq}.html`);
	writeFileSync(file, wrapperHtml(version, pathToFileURL(launchFile).href, preset));
	const context = await browser.newContext();
	const page = await context.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	// No request may leave the package: anything but file:// is an external URL.
	const external = [];
	await context.route((url) => !url.href.startsWith('file:'), (route) => {
		external.push(route.request().url());
		return route.abort();
	});
	await page.goto(pathToFileURL(file).href);
	const handle = await page.waitForSelector('#sco');
	const sco = await handle.contentFrame();
	await sco.waitForSelector('#tien-do:not(:empty)');
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

// Clicks "next" until the last step, checking the progress label; returns the number of steps.
async function clickThrough(sco, name, { keyboard = false } = {}) {
	const label = await sco.textContent('#tien-do');
	const total = Number(/\/ (\d+)/.exec(label)[1]);
	for (let i = 1; i < total; i++) {
		if (keyboard) {
			await sco.focus('#nut-tiep');
			await sco.page().keyboard.press('Enter');
		} else {
			await sco.click('#nut-tiep');
		}
		await sco.waitForFunction((n) => document.getElementById('tien-do').textContent.startsWith(`Trang ${n} `), i + 1);
	}
	check(await sco.isHidden('#nut-tiep'), `${name}: "next" is hidden on the last page`);
	return total;
}

// Answers the quiz: correctly, or wrong on the listed question numbers (1-based).
async function answerQuiz(sco, wrong = []) {
	const sets = await sco.$$eval('fieldset[data-answer]', (fs) => fs.map((f) => ({
		id: f.id, answer: f.getAttribute('data-answer'),
		values: Array.from(f.querySelectorAll('input')).map((i) => i.value),
	})));
	for (let i = 0; i < sets.length; i++) {
		const s = sets[i];
		const value = wrong.includes(i + 1) ? s.values.find((v) => v !== s.answer) : s.answer;
		// Click the label, as a learner would.
		const inputId = await sco.$eval(`#${s.id} input[value="${value}"]`, (el) => el.id);
		await sco.click(`label[for="${inputId}"]`);
	}
	await sco.click('#nut-nop');
	await sco.waitForFunction(() => document.getElementById('ket-qua').textContent.length > 0);
	return sets.length;
}

function expectClean(o, name) {
	check(o.errors.length === 0, `${name}: no script errors`, o.errors.join('\n    '));
	check(o.external.length === 0, `${name}: no external requests`, o.external.join(' '));
}

try {
	// ---------------- SCORM 1.2: 5S, one SCO ----------------
	const s12 = join(coursesDir, '5s-scorm12');
	const manifest12 = readFileSync(join(s12, 'imsmanifest.xml'), 'utf8');
	const mastery = /<adlcp:masteryscore>\s*(\d+)\s*</.exec(manifest12)[1];
	const launch12 = join(s12, /adlcp:scormtype="sco"[^>]*href="([^"]+)"/.exec(manifest12)[1]);
	const preset12 = {
		'cmi.core.lesson_status': 'not attempted', 'cmi.core.entry': 'ab-initio',
		'cmi.student_data.mastery_score': mastery, 'cmi.core.student_name': 'Nguyễn, Văn A',
	};
	{
		const name = '5s-scorm12 full run';
		const o = await openSco('1.2', launch12, preset12);
		const firstFrameTitle = await o.sco.getAttribute('#khung-trang', 'title');
		check(/5S là gì/.test(firstFrameTitle || ''), `${name}: content page shown in a titled frame`, firstFrameTitle);
		const pageFrame = await (await o.sco.$('#khung-trang')).contentFrame();
		await pageFrame.waitForSelector('h1');
		check((await pageFrame.textContent('h1')).includes('5S'), `${name}: first content page loaded`);
		const total = await clickThrough(o.sco, name, { keyboard: true });
		check(total >= 4, `${name}: several pages (${total})`);
		const n = await answerQuiz(o.sco);
		check(n >= 4 && n <= 5, `${name}: quiz has 4-5 questions (${n})`);
		await o.sco.click('#nut-ket-thuc');
		await o.page.waitForFunction(() => window.calls.some((c) => c[0] === 'LMSFinish'));
		const c = await calls(o.page);
		const st = await store(o.page);
		check(c[0] && c[0][0] === 'LMSInitialize' && c[0][1] === '', `${name}: LMSInitialize("") first`, fmt(c.slice(0, 1)));
		check(indexOfCall(c, isSet('cmi.core.lesson_status', 'incomplete')) > 0, `${name}: status incomplete on launch`);
		check(indexOfCall(c, isSet('cmi.core.lesson_location')) > 0, `${name}: lesson_location written`);
		check(indexOfCall(c, isSet('cmi.suspend_data')) > 0, `${name}: suspend_data written`);
		const iPassed = indexOfCall(c, isSet('cmi.core.lesson_status', 'passed'));
		check(iPassed > 0, `${name}: SetValue(cmi.core.lesson_status, passed)`, fmt(c));
		check(st['cmi.core.score.raw'] === '100', `${name}: score.raw 100`, st['cmi.core.score.raw']);
		check(indexOfCall(c, (x) => x[0] === 'LMSCommit', iPassed) > iPassed, `${name}: LMSCommit after the status`);
		const last = c[c.length - 1];
		check(last[0] === 'LMSFinish' && last[2] === '=>true', `${name}: LMSFinish last, once`, fmt(c.slice(-3)));
		check(c.filter((x) => x[0] === 'LMSFinish').length === 1, `${name}: one LMSFinish`);
		check(st['cmi.core.exit'] === '', `${name}: exit "" after finishing`, st['cmi.core.exit']);
		check(/^\d{2,4}:\d\d:\d\d(\.\d{1,2})?$/.test(st['cmi.core.session_time'] || ''), `${name}: session_time in CMITimespan`, st['cmi.core.session_time']);
		check(st['cmi.interactions.0.result'] === 'correct' && st['cmi.interactions.0.type'] === 'choice', `${name}: interactions recorded`);
		check(c.every((x) => !/^LMSSetValue$/.test(x[0]) || x[x.length - 1] === '=>true'), `${name}: every SetValue accepted`,
			fmt(c.filter((x) => x[x.length - 1] === '=>false')));
		expectClean(o, name);
		await o.close();
	}
	{
		const name = '5s-scorm12 resume and leave early';
		const o = await openSco('1.2', launch12, {
			...preset12, 'cmi.core.lesson_status': 'incomplete', 'cmi.core.entry': 'resume',
			'cmi.core.lesson_location': '3', 'cmi.suspend_data': '{"v":[1,1,1,1],"s":null}',
		});
		check((await o.sco.textContent('#tien-do')).startsWith('Trang 4 '), `${name}: resumes at the saved page`,
			await o.sco.textContent('#tien-do'));
		check((await o.sco.getAttribute('#khung-trang', 'src')) === 'pages/4-san-sang.html', `${name}: saved page loaded in the frame`);
		check((await o.sco.textContent('#thong-bao')).includes('học tiếp'), `${name}: tells the learner where they resumed`);
		await o.sco.click('#nut-truoc');
		await o.sco.waitForFunction(() => document.getElementById('tien-do').textContent.startsWith('Trang 3 '));
		// Leave the SCO before the end: the wrapper unloads its frame.
		await o.page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
		await o.page.waitForFunction(() => window.calls.some((c) => c[0] === 'LMSFinish'));
		const st = await store(o.page);
		check(st['cmi.core.exit'] === 'suspend', `${name}: exit suspend when leaving early`, st['cmi.core.exit']);
		check(st['cmi.core.lesson_location'] === '2', `${name}: location saved`, st['cmi.core.lesson_location']);
		check(st['cmi.core.lesson_status'] === 'incomplete', `${name}: still incomplete`, st['cmi.core.lesson_status']);
		expectClean(o, name);
		await o.close();
	}
	{
		const name = '5s-scorm12 failing quiz';
		const o = await openSco('1.2', launch12, preset12);
		await clickThrough(o.sco, name);
		await answerQuiz(o.sco, [1, 2]);
		const st = await store(o.page);
		check(st['cmi.core.lesson_status'] === 'failed', `${name}: status failed below the mastery score`, st['cmi.core.lesson_status']);
		check(st['cmi.core.score.raw'] === '60', `${name}: score.raw 60`, st['cmi.core.score.raw']);
		check(await o.sco.isVisible('#nut-lam-lai'), `${name}: retry offered`);
		await o.sco.click('#nut-lam-lai');
		await answerQuiz(o.sco, [3]);
		const st2 = await store(o.page);
		check(st2['cmi.core.lesson_status'] === 'passed' && st2['cmi.core.score.raw'] === '80',
			`${name}: retry at exactly 80 passes`, `${st2['cmi.core.lesson_status']} ${st2['cmi.core.score.raw']}`);
		expectClean(o, name);
		await o.close();
	}

	// ---------------- SCORM 2004: one-stop shop, three SCOs ----------------
	const s04 = join(coursesDir, 'mot-cua-scorm2004');
	const manifest04 = readFileSync(join(s04, 'imsmanifest.xml'), 'utf8');
	const hrefs = [...manifest04.matchAll(/<resource\b[^>]*adlcp:scormType="sco"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
	check(hrefs.length === 3, 'mot-cua-scorm2004: three SCO resources', hrefs.join(' '));
	const preset04 = {
		'cmi.completion_status': 'unknown', 'cmi.success_status': 'unknown', 'cmi.entry': 'ab-initio',
		'cmi.scaled_passing_score': '0.8', 'cmi.learner_name': 'Nguyễn Văn A', 'cmi.mode': 'normal',
	};
	for (const href of hrefs) {
		const name = `mot-cua-scorm2004 ${href}`;
		const o = await openSco('2004', join(s04, href), preset04);
		const isQuiz = (await o.sco.$('form[data-quiz]')) !== null;
		await clickThrough(o.sco, name, { keyboard: true });
		if (isQuiz) await answerQuiz(o.sco);
		check(await o.sco.isVisible('#nut-ket-thuc'), `${name}: finish button on the last page`);
		await o.sco.click('#nut-ket-thuc');
		await o.page.waitForFunction(() => window.calls.some((c) => c[0] === 'Terminate'));
		const c = await calls(o.page);
		const st = await store(o.page);
		check(c[0][0] === 'Initialize' && c[0][1] === '', `${name}: Initialize("") first`);
		check(indexOfCall(c, isSet('cmi.completion_status', 'incomplete')) > 0, `${name}: incomplete on launch`);
		check(st['cmi.completion_status'] === 'completed', `${name}: completion_status completed`, st['cmi.completion_status']);
		check(indexOfCall(c, isSet('cmi.location')) > 0 && indexOfCall(c, isSet('cmi.suspend_data')) > 0,
			`${name}: location and suspend_data written`);
		if (isQuiz) {
			const iPassed = indexOfCall(c, isSet('cmi.success_status', 'passed'));
			check(iPassed > 0, `${name}: SetValue(cmi.success_status, passed)`, fmt(c));
			check(st['cmi.score.scaled'] === '1' && st['cmi.score.raw'] === '100', `${name}: score.scaled 1, raw 100`,
				`${st['cmi.score.scaled']} ${st['cmi.score.raw']}`);
			check(indexOfCall(c, (x) => x[0] === 'Commit', iPassed) > iPassed, `${name}: Commit after the status`);
			check(st['cmi.interactions.0.result'] === 'correct', `${name}: interactions recorded`);
		} else {
			check(st['adl.nav.request'] === 'continue', `${name}: asks the LMS to continue to the next SCO`, st['adl.nav.request']);
			check(!('cmi.success_status' in st) || st['cmi.success_status'] === 'unknown', `${name}: content SCO leaves success alone`);
		}
		check(st['cmi.exit'] === 'normal', `${name}: exit normal at the end`, st['cmi.exit']);
		check(/^PT\d+H\d+M\d+(\.\d+)?S$/.test(st['cmi.session_time'] || ''), `${name}: session_time as ISO 8601 duration`, st['cmi.session_time']);
		const last = c[c.length - 1];
		check(last[0] === 'Terminate' && last[2] === '=>true', `${name}: Terminate last`, fmt(c.slice(-3)));
		check(c.every((x) => x[0] !== 'SetValue' || x[x.length - 1] === '=>true'), `${name}: every SetValue accepted`);
		expectClean(o, name);
		await o.close();
	}
	{
		const name = 'mot-cua-scorm2004 quiz failed, then leave';
		const o = await openSco('2004', join(s04, hrefs[2]), preset04);
		await answerQuiz(o.sco, [1, 2]);
		let st = await store(o.page);
		check(st['cmi.success_status'] === 'failed' && st['cmi.score.scaled'] === '0.6',
			`${name}: failed with score.scaled 0.6`, `${st['cmi.success_status']} ${st['cmi.score.scaled']}`);
		await o.page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
		await o.page.waitForFunction(() => window.calls.some((c) => c[0] === 'Terminate'));
		st = await store(o.page);
		check(st['cmi.exit'] === 'normal', `${name}: an attempted quiz exits normally`, st['cmi.exit']);
		expectClean(o, name);
		await o.close();
	}
	{
		const name = 'mot-cua-scorm2004 resume, leave before the end';
		const o = await openSco('2004', join(s04, hrefs[1]), {
			...preset04, 'cmi.completion_status': 'incomplete', 'cmi.entry': 'resume', 'cmi.location': '2',
		});
		check((await o.sco.textContent('#tien-do')).startsWith('Trang 3 '), `${name}: resumes at cmi.location`);
		await o.page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
		await o.page.waitForFunction(() => window.calls.some((c) => c[0] === 'Terminate'));
		const st = await store(o.page);
		check(st['cmi.exit'] === 'suspend', `${name}: cmi.exit suspend`, st['cmi.exit']);
		check(st['cmi.completion_status'] === 'incomplete', `${name}: still incomplete`, st['cmi.completion_status']);
		expectClean(o, name);
		await o.close();
	}
	{
		const name = 'no LMS';
		const context = await browser.newContext();
		const page = await context.newPage();
		const errors = [];
		page.on('pageerror', (e) => errors.push(String(e)));
		await page.goto(pathToFileURL(launch12).href);
		await page.waitForSelector('#tien-do:not(:empty)');
		check((await page.textContent('#thong-bao')).includes('không được lưu'), `${name}: the SCO says results are not saved`);
		await page.click('#nut-tiep');
		check((await page.textContent('#tien-do')).startsWith('Trang 2 '), `${name}: still navigable`);
		check(errors.length === 0, `${name}: no script errors`, errors.join('\n    '));
		await context.close();
	}
	// Accessibility: axe-core (WCAG 2.1 A and AA) on every page, the quiz pages after a submission too.
	{
		const context = await browser.newContext();
		const page = await context.newPage();
		const axe = async (label) => {
			if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(AXE_SOURCE);
			const r = await page.evaluate((tags) => window.axe.run(document, {
				runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
			}), AXE_TAGS);
			const lines = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
			check(lines.length === 0, `axe: ${label}`, lines.join('\n    '));
		};
		const pages = [launch12, ...readdirSync(join(s12, 'pages')).sort().map((f) => join(s12, 'pages', f)),
			...hrefs.map((h) => join(s04, h))];
		for (const file of pages) {
			await page.goto(pathToFileURL(file).href);
			const label = file.slice(coursesDir.length + 1);
			await axe(label);
			for (let step = 2; await page.isVisible('#nut-tiep'); step++) {
				await page.click('#nut-tiep');
				await axe(`${label} page ${step}`);
			}
			if (await page.$('form[data-quiz]')) {
				await page.click('#nut-nop');
				await axe(`${label} (unanswered quiz submitted)`);
				await page.click('label[for="c1a"]');
				for (let q = 2; q <= 5; q++) if (await page.$(`label[for="c${q}a"]`)) await page.click(`label[for="c${q}a"]`);
				await page.click('#nut-nop');
				await axe(`${label} (quiz graded)`);
			}
		}
		await context.close();
	}
} catch (e) {
	check(false, 'browser run', e.stack || String(e));
} finally {
	await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
