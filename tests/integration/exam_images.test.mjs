// exam_images.test.mjs — images of Moodle XML questions in quizzes and exams, run by
// exam_images.sh (read its header). The tests run in order and build on each other.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';

const BASE = process.env.PL_URL;
assert.ok(BASE, 'run through tests/integration/exam_images.sh');

// A real PNG of w x h pixels of one colour (zlib's crc32 and deflate).
function png(w, h, rgb) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8 bits, RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3).map((_, i) => rgb[i % 3])]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const DIAGRAM = png(120, 40, [0, 90, 160]);
const FEEDBACK = png(10, 10, [0, 160, 0]);
const OPTION = png(16, 8, [200, 0, 0]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>');
// a file named .png whose bytes are HTML: never shown inline either
const FAKE_PNG = Buffer.from('<html><script>alert(1)</script></html>');
const b64 = (b) => b.toString('base64');

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<question type="category"><category><text>$course$/top/Ảnh kiểm thử</text></category></question>
<question type="multichoice">
  <name><text>Sơ đồ một cửa</text></name>
  <questiontext format="html"><text><![CDATA[<p>Theo <b>sơ đồ</b>: <img src="@@PLUGINFILE@@/so-do%20mot-cua.png" alt="Sơ đồ quy trình một cửa"></p><p><img src="@@PLUGINFILE@@/hinh/ve.svg" alt="vẽ"> <img src="@@PLUGINFILE@@/gia.png" alt="giả"></p>]]></text>
    <file name="so-do mot-cua.png" path="/" encoding="base64">${b64(DIAGRAM)}</file>
    <file name="ve.svg" path="/hinh/" encoding="base64">${b64(SVG)}</file>
    <file name="gia.png" path="/" encoding="base64">${b64(FAKE_PNG)}</file>
  </questiontext>
  <generalfeedback format="html"><text><![CDATA[<p>Xem lại <img src="@@PLUGINFILE@@/phan-hoi.png" alt=""></p>]]></text>
    <file name="phan-hoi.png" path="/" encoding="base64">${b64(FEEDBACK)}</file>
  </generalfeedback>
  <defaultgrade>1</defaultgrade>
  <single>true</single>
  <shuffleanswers>0</shuffleanswers>
  <answer fraction="100" format="html"><text><![CDATA[Một cửa <img src="@@PLUGINFILE@@/cua.png" alt="cửa">]]></text>
    <file name="cua.png" path="/" encoding="base64">${b64(OPTION)}</file>
    <feedback format="html"><text>Đúng</text></feedback></answer>
  <answer fraction="0" format="html"><text>Hai cửa</text><feedback format="html"><text>Sai</text></feedback></answer>
</question>
<question type="truefalse">
  <name><text>Không ảnh</text></name>
  <questiontext format="html"><text><![CDATA[<p>Bộ phận một cửa tiếp nhận hồ sơ.</p>]]></text></questiontext>
  <answer fraction="100"><text>true</text><feedback><text>Đúng</text></feedback></answer>
  <answer fraction="0"><text>false</text><feedback><text>Sai</text></feedback></answer>
</question>
</quiz>
`;

async function login(username) {
  const r = await fetch(`${BASE}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Mat-khau-dai-123' }),
  });
  assert.equal(r.status, 200, `login ${username}`);
  const j = await r.json();
  return { username, cookie: r.headers.get('set-cookie').split(';')[0], csrf: j.csrf_token };
}

async function call(who, method, p, body, { raw = false, headers = {} } = {}) {
  const h = { ...headers };
  if (who) h.cookie = who.cookie;
  if (method !== 'GET' && who) h['x-csrf-token'] = who.csrf;
  if (body !== undefined) h['content-type'] = raw ? 'application/xml' : 'application/json';
  const r = await fetch(BASE + p, { method, headers: h, body: body === undefined ? undefined : raw ? body : JSON.stringify(body) });
  const buf = Buffer.from(await r.arrayBuffer());
  let json;
  try { json = JSON.parse(buf.toString('utf8')); } catch { json = undefined; }
  return { status: r.status, json, buf, text: buf.toString('utf8'), headers: r.headers };
}

const file = (attempt, slot, name) => `/api/my/attempt/file?attempt=${attempt}&slot=${slot}&name=${encodeURIComponent(name)}`;

function notFound(r, label) {
  assert.equal(r.status, 404, `${label}: ${r.status} ${r.text.slice(0, 200)}`);
  assert.equal(r.json.code, 'not_found', label);
  assert.equal(r.headers.get('cache-control'), 'no-store', `${label}: a refusal is never cached`);
}

let gv, ns, hv1, hv2;
const S = {};
const now = Date.now();
const iso = (ms) => new Date(ms).toISOString();

before(async () => {
  [gv, ns, hv1, hv2] = await Promise.all(['gv', 'ns', 'hv1', 'hv2'].map(login));
});

test('a trainer imports a Moodle XML bank with embedded images', async () => {
  const r = await call(gv, 'POST', '/api/questions/import?format=moodlexml&name=anh.xml', XML, { raw: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.outcome, 'applied');
  assert.equal(r.json.questions, 2);
  assert.deepEqual(r.json.problems.filter((p) => p.code === 'attachment_missing'), []);
  const l = await call(gv, 'GET', `/api/questions?category=${encodeURIComponent('Ảnh kiểm thử')}`);
  for (const q of l.json.questions) S[q.name] = q;
  assert.ok(S['Sơ đồ một cửa'] && S['Không ảnh']);
});

test('the bank serves a version\'s files to trainers, and to nobody else', async () => {
  const v = S['Sơ đồ một cửa'].version_id;
  const r = await call(gv, 'GET', `/api/questions/file?version=${v}&name=${encodeURIComponent('so-do mot-cua.png')}`);
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.equal(r.headers.get('content-type'), 'image/png');
  assert.ok(r.buf.equals(DIAGRAM), 'the bytes as imported');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('content-security-policy'), /^sandbox; default-src 'none'/);
  assert.match(r.headers.get('cache-control'), /^private, max-age=\d+$/);
  assert.match(r.headers.get('etag'), /^"[0-9a-f]{64}"$/);
  assert.equal(r.headers.get('cross-origin-resource-policy'), 'same-origin');
  // the feedback's image too, from the bank
  const fb = await call(gv, 'GET', `/api/questions/file?version=${v}&name=phan-hoi.png`);
  assert.equal(fb.status, 200);
  assert.ok(fb.buf.equals(FEEDBACK));
  // revalidation by ETag: 304 without a body
  const again = await call(gv, 'GET', `/api/questions/file?version=${v}&name=phan-hoi.png`, undefined,
    { headers: { 'if-none-match': fb.headers.get('etag') } });
  assert.equal(again.status, 304);
  assert.equal(again.buf.length, 0);
  // an SVG is a download, never an image the browser renders; so is HTML named .png
  for (const name of ['hinh/ve.svg', 'gia.png']) {
    const x = await call(gv, 'GET', `/api/questions/file?version=${v}&name=${encodeURIComponent(name)}`);
    assert.equal(x.status, 200, name);
    assert.equal(x.headers.get('content-type'), 'application/octet-stream', name);
    assert.match(x.headers.get('content-disposition'), /^attachment;/, name);
    assert.match(x.headers.get('content-security-policy'), /^sandbox;/, name);
  }
  // unknown names and versions, bad names; learners and HR officers are not bank users
  assert.equal((await call(gv, 'GET', `/api/questions/file?version=${v}&name=nope.png`)).status, 404);
  assert.equal((await call(gv, 'GET', `/api/questions/file?version=99999999&name=phan-hoi.png`)).status, 404);
  const bad = await call(gv, 'GET', `/api/questions/file?version=${v}&name=${encodeURIComponent('../phan-hoi.png')}`);
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'name');
  assert.equal((await call(gv, 'GET', `/api/questions/file?version=abc&name=phan-hoi.png`)).status, 422);
  assert.equal((await call(hv1, 'GET', `/api/questions/file?version=${v}&name=phan-hoi.png`)).status, 403);
  assert.equal((await call(ns, 'GET', `/api/questions/file?version=${v}&name=phan-hoi.png`)).status, 403);
  assert.equal((await call(null, 'GET', `/api/questions/file?version=${v}&name=phan-hoi.png`)).status, 401);
});

test('the trainer builds a quiz and an exam from the questions with images', async () => {
  const mk = async (def) => {
    const r = await call(gv, 'POST', '/api/assessments', def);
    assert.equal(r.status, 201, r.text);
    const o = await call(gv, 'POST', '/api/assessments/open', { code: def.code });
    assert.equal(o.status, 200, o.text);
  };
  const fixed = [S['Sơ đồ một cửa'].id, S['Không ảnh'].id];
  await mk({ code: 'QUIZ-IMG', kind: 'quiz', title: 'Ôn tập có hình', fixed, pass_fraction: 0.5,
    show_score: 'after_submit', show_answers: 'after_submit', show_feedback: 'after_submit' });
  await mk({ code: 'EXAM-IMG', kind: 'exam', title: 'Sát hạch có hình', fixed,
    opens_at: iso(now - 60e3), closes_at: iso(now + 3600e3), time_limit_s: 1800, pass_fraction: 0.5,
    show_score: 'after_publish', show_answers: 'after_publish', show_feedback: 'after_publish',
    audience: [{ unit: 'SNV' }] });
});

async function start(who, code) {
  const r = await call(who, 'POST', '/api/my/assessments/start', { code });
  assert.ok(r.status === 201 || r.status === 200, r.text);
  const p = await call(who, 'GET', `/api/my/attempt?id=${r.json.attempt}`);
  assert.equal(p.status, 200, p.text);
  const slotOf = (name) => p.json.questions.find((q) => name.test(q.question.text.text)).slot;
  return { id: r.json.attempt, paper: p.json, img: slotOf(/sơ đồ/), plain: slotOf(/tiếp nhận/) };
}

test('the learner gets the images of their own paper, nobody else does', async () => {
  const a = await start(hv1, 'QUIZ-IMG');
  const b = await start(hv2, 'QUIZ-IMG');
  S.a = a;
  // the paper carries the text as stored, with its references: the browser rewrites them
  const q = a.paper.questions.find((x) => x.slot === a.img).question;
  assert.match(q.text.text, /<img src="@@PLUGINFILE@@\/so-do%20mot-cua\.png"/);
  assert.deepEqual(q.text.files, ['so-do mot-cua.png', 've.svg', 'gia.png']);
  assert.doesNotMatch(JSON.stringify(a.paper), /phan-hoi/, 'the feedback (and its image) is not in the paper');

  const r = await call(hv1, 'GET', file(a.id, a.img, 'so-do mot-cua.png'));
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.equal(r.headers.get('content-type'), 'image/png');
  assert.ok(r.buf.equals(DIAGRAM), 'the bytes as imported');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('content-security-policy'), /^sandbox; default-src 'none'/);
  assert.match(r.headers.get('cache-control'), /^private, max-age=\d+$/);
  assert.match(r.headers.get('content-disposition'), /^inline;/);
  assert.equal(r.headers.get('cross-origin-resource-policy'), 'same-origin');
  assert.equal(r.headers.get('set-cookie'), null);
  // an option's image
  const o = await call(hv1, 'GET', file(a.id, a.img, 'cua.png'));
  assert.equal(o.status, 200);
  assert.ok(o.buf.equals(OPTION));
  // ETag revalidation
  const again = await call(hv1, 'GET', file(a.id, a.img, 'so-do mot-cua.png'), undefined,
    { headers: { 'if-none-match': r.headers.get('etag') } });
  assert.equal(again.status, 304);

  // the SVG of the question is a download, not an image the browser renders
  const svg = await call(hv1, 'GET', file(a.id, a.img, 'hinh/ve.svg'));
  assert.equal(svg.status, 200);
  assert.notEqual(svg.headers.get('content-type'), 'image/svg+xml');
  assert.equal(svg.headers.get('content-type'), 'application/octet-stream');
  assert.match(svg.headers.get('content-disposition'), /^attachment;/);
  const fake = await call(hv1, 'GET', file(a.id, a.img, 'gia.png'));
  assert.equal(fake.headers.get('content-type'), 'application/octet-stream');

  // another learner (with their own attempt of the same quiz), a slot without that image,
  // a made-up name, another attempt, an attempt that does not exist: all the same 404
  notFound(await call(hv2, 'GET', file(a.id, a.img, 'so-do mot-cua.png')), 'another learner');
  notFound(await call(hv1, 'GET', file(b.id, b.img, 'so-do mot-cua.png')), 'another learner\'s attempt');
  notFound(await call(hv1, 'GET', file(a.id, a.plain, 'so-do mot-cua.png')), 'a slot without the image');
  notFound(await call(hv1, 'GET', file(a.id, 7, 'so-do mot-cua.png')), 'a slot not in the paper');
  notFound(await call(hv1, 'GET', file(a.id, a.img, 'khong-co.png')), 'a made-up name');
  notFound(await call(hv1, 'GET', file(a.id, a.img, 'hinh/so-do mot-cua.png')), 'the name in another path');
  notFound(await call(hv1, 'GET', file(99999999, 0, 'so-do mot-cua.png')), 'no such attempt');
  // the trainer is not the attempt's learner either
  notFound(await call(gv, 'GET', file(a.id, a.img, 'so-do mot-cua.png')), 'a trainer');
  // the feedback's image: not while the attempt is open
  notFound(await call(hv1, 'GET', file(a.id, a.img, 'phan-hoi.png')), 'feedback before submission');
  // malformed requests are refused as such (nothing about any file)
  assert.equal((await call(hv1, 'GET', `/api/my/attempt/file?attempt=${a.id}&slot=${a.img}`)).status, 422);
  assert.equal((await call(hv1, 'GET', `/api/my/attempt/file?attempt=${a.id}&slot=x&name=a.png`)).status, 422);
  assert.equal((await call(hv1, 'GET', file(a.id, a.img, '../so-do mot-cua.png'))).status, 422);
  assert.equal((await call(hv1, 'GET', `/api/my/attempt/file?attempt=${a.id}&slot=${a.img}&name=${'a'.repeat(600)}`)).status, 422);
  assert.equal((await call(null, 'GET', file(a.id, a.img, 'so-do mot-cua.png'))).status, 401);
});

test('after submission: the review\'s images, and the feedback\'s as the rules allow', async () => {
  const a = S.a;
  const s = await call(hv1, 'POST', '/api/my/attempt/submit', { attempt: a.id });
  assert.equal(s.status, 200, s.text);
  const rv = await call(hv1, 'GET', `/api/my/attempt/review?id=${a.id}`);
  assert.equal(rv.status, 200);
  assert.match(rv.json.slots.find((x) => x.slot === a.img).feedback.general, /@@PLUGINFILE@@\/phan-hoi\.png/);
  // the quiz shows feedback after submission: its image now too; the text's stays
  const fb = await call(hv1, 'GET', file(a.id, a.img, 'phan-hoi.png'));
  assert.equal(fb.status, 200);
  assert.ok(fb.buf.equals(FEEDBACK));
  assert.equal((await call(hv1, 'GET', file(a.id, a.img, 'so-do mot-cua.png'))).status, 200);
  notFound(await call(hv2, 'GET', file(a.id, a.img, 'phan-hoi.png')), 'another learner, after submission');

  // an exam: the feedback's image waits for the publication of the results
  const e = await start(hv1, 'EXAM-IMG');
  assert.equal((await call(hv1, 'GET', file(e.id, e.img, 'so-do mot-cua.png'))).status, 200);
  assert.equal((await call(hv1, 'POST', '/api/my/attempt/submit', { attempt: e.id })).status, 200);
  notFound(await call(hv1, 'GET', file(e.id, e.img, 'phan-hoi.png')), 'an exam\'s feedback before publication');
  assert.equal((await call(hv1, 'GET', file(e.id, e.img, 'so-do mot-cua.png'))).status, 200);
  const pub = await call(gv, 'POST', '/api/assessments/publish', { code: 'EXAM-IMG' });
  assert.equal(pub.status, 200, pub.text);
  const after = await call(hv1, 'GET', file(e.id, e.img, 'phan-hoi.png'));
  assert.equal(after.status, 200);
  assert.ok(after.buf.equals(FEEDBACK));
});

test('a later edit of the question does not change the attempt\'s files', async () => {
  const id = S['Sơ đồ một cửa'].id;
  const cur = await call(gv, 'GET', `/api/question?id=${id}`);
  const body = cur.json.versions[0].body;
  body.name = 'Sơ đồ một cửa (sửa)';
  const ed = await call(gv, 'POST', `/api/question/edit?id=${id}&version=${cur.json.question.version}`, body);
  assert.equal(ed.status, 200, ed.text);
  assert.notEqual(ed.json.version_id, S['Sơ đồ một cửa'].version_id);
  const r = await call(hv1, 'GET', file(S.a.id, S.a.img, 'so-do mot-cua.png'));
  assert.equal(r.status, 200);
  assert.ok(r.buf.equals(DIAGRAM));
  // both versions keep the file in the bank
  for (const v of [S['Sơ đồ một cửa'].version_id, ed.json.version_id]) {
    const b = await call(gv, 'GET', `/api/questions/file?version=${v}&name=${encodeURIComponent('so-do mot-cua.png')}`);
    assert.equal(b.status, 200, `version ${v}`);
    assert.ok(b.buf.equals(DIAGRAM));
  }
});
