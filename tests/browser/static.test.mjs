// static.test.mjs — checks on the files themselves, no browser: both languages have the
// same keys, every key the page uses exists, nothing inline that the CSP would block,
// and the pages stay small for phones on slow connections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const WWW = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'server', 'www');
const html = fs.readFileSync(path.join(WWW, 'index.html'), 'utf8');
const app = fs.readFileSync(path.join(WWW, 'assets', 'app.js'), 'utf8');
const learn = fs.readFileSync(path.join(WWW, 'assets', 'learn.js'), 'utf8');
const RT = path.join(WWW, '..', 'rt');
const launcherHtml = fs.readFileSync(path.join(RT, 'launcher.html'), 'utf8');
const launcherJs = fs.readFileSync(path.join(RT, 'launcher.js'), 'utf8');

function dict() {
  const ctx = { window: {} };
  vm.runInNewContext(fs.readFileSync(path.join(WWW, 'assets', 'i18n.js'), 'utf8'), ctx);
  return ctx.window.PL_I18N;
}

test('Vietnamese and English have the same keys, none empty', () => {
  const d = dict();
  assert.deepEqual(Object.keys(d.en).sort(), Object.keys(d.vi).sort());
  for (const lang of ['vi', 'en']) {
    for (const [k, v] of Object.entries(d[lang])) assert.ok(v.trim(), `${lang}.${k} is empty`);
  }
});

test('every data-i18n key and every t() key used exists', () => {
  const d = dict();
  const used = [...html.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1])
    .concat([...app.matchAll(/\bt\('([^']+)'\s*[,)]/g)].map((m) => m[1]))
    .concat([...learn.matchAll(/\bt\('([^']+)'\s*[,)]/g)].map((m) => m[1]));
  assert.ok(used.length > 40);
  for (const k of used) assert.ok(k in d.vi, `missing key ${k}`);
});

test('no inline script, style or event handler in the page', () => {
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i);
  assert.doesNotMatch(html, /\sstyle=/i);
  assert.doesNotMatch(html, /<style/i);
  assert.doesNotMatch(html, /\son[a-z]+=/i);
  assert.doesNotMatch(html, /https?:\/\//i, 'no CDN or other origin');
  for (const js of [app, learn, launcherJs]) {
    assert.doesNotMatch(js, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML\(|document\.write|\beval\(|new Function\(/);
  }
});

test('the launcher page: own scripts only, nothing inline, no other origin', () => {
  assert.doesNotMatch(launcherHtml, /<script(?![^>]*\bsrc=)[^>]*>/i);
  assert.doesNotMatch(launcherHtml, /\sstyle=|<style|\son[a-z]+=/i);
  assert.doesNotMatch(launcherHtml, /https?:\/\//i);
  assert.match(launcherHtml, /<script src="launcher\.js" defer><\/script>/);
  // the run-time script is chosen by the course's SCORM version and loaded from vendor/ only
  assert.match(launcherJs, /'vendor\/scorm12\.min\.js' : 'vendor\/scorm-again\.min\.js'/);
});

// 64 KiB since the trainer's course section (upload form, report, versions) joined the page;
// 112 KiB (about 29 KiB gzipped) since the learner's pages (learn.js, their strings) joined;
// 144 KiB since the reconciliation page of the personnel sync (sync.js) joined;
// 188 KiB (+44) since the question bank (qbank.js, its strings in both languages) joined;
// 251 KiB (+63: survey.js 44, its strings in both languages 19; about 17 KiB gzipped) since
// surveys (building, answering, results) joined.
// 294 KiB (+43: reports.js 28, reports.css 2, their strings in both languages 12; about 10 KiB
// gzipped) since the HR reports (tables, charts, indicators, files) joined.
// 358 KiB (+64: exam.js 44, its strings in both languages 20; about 14 KiB gzipped) since
// quizzes and exams (taking them, building them, results, talent pool) joined.
// 440 KiB (+82: exam.js +21 for editing a draft and the full builder, assign.js 18 for the
// assignment rules, reports.js +8 for exam results and the talent pool, richtext.js 8 for
// question text with images, learn.js +3 for a course's quizzes, their strings in both
// languages 24; about 21 KiB more gzipped) since those joined.
// 510 KiB (+70: person.js 16 and flags.js 12 for a person's record and the indicators'
// flags, reports.js +4 for survey results and printing, their strings 21; exam.js and others
// +17) since those joined. From then on the staff's pages are loaded by app.js after login,
// for trainers, HR officers and admins only: what a learner downloads has its own budget below.
test('the page and all its assets weigh under 510 KiB uncompressed', () => {
  let total = Buffer.byteLength(html);
  for (const f of fs.readdirSync(path.join(WWW, 'assets'))) total += fs.statSync(path.join(WWW, 'assets', f)).size;
  assert.ok(total < 510 * 1024, `${total} bytes`);
});

// A learner (a civil servant on a phone) gets index.html and what it links, not the staff's
// pages: 370 KiB uncompressed (about 100 KiB as the server sends it, gzip) when the staff's
// pages moved out of index.html.
test('what a learner downloads stays under 370 KiB, and the staff pages are not in it', () => {
  const linked = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]);
  let total = Buffer.byteLength(html);
  for (const f of linked) total += fs.statSync(path.join(WWW, 'assets', f)).size;
  assert.ok(total < 370 * 1024, `${total} bytes`);
  for (const staff of ['sync.js', 'qbank.js', 'reports.js', 'flags.js', 'person.js', 'assign.js']) {
    assert.ok(!linked.includes(staff), `${staff} is linked from index.html`);
    assert.match(app, new RegExp(`'/assets/${staff.replace('.', '\\.')}'`), `app.js does not load ${staff}`);
  }
});
