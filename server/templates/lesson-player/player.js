/*
 * player.js — plays a native PAR lesson (PAR lesson XML 1.0, docs/par-lesson-format.md) inside
 * a SCORM package made by `parlearn package export-scorm`. The package holds lesson.xml and its
 * media at its root and this player under player/; the manifest launches player/index.html.
 *
 * - Finds the LMS's run-time API the standard way (the window.parent chain, then window.opener's
 *   chain): API_1484_11 (SCORM 2004) first, else API (SCORM 1.2). Without one the lesson still
 *   plays and says that progress is not saved.
 * - Loads ../lesson.xml, parses it with DOMParser and builds the page DOM itself through an
 *   allow-list (never innerHTML of lesson content; attributes are written by the player, never
 *   copied through); links and media only to http(s)/mailto or to paths inside the package.
 * - Navigation: the course's pages in order, each lesson's quiz after its pages, then a results
 *   page. Location (cmi.location / cmi.core.lesson_location) is the id of the page shown;
 *   cmi.suspend_data is a small JSON (kept under 4,000 characters, the SCORM 1.2 limit):
 *   {h: hash of the page ids, v: visited pages (hex bit set), p: practice answers by question id,
 *    q: quiz id -> {n: attempts, e: points earned, a: answers of the last attempt}}.
 * - Scoring. Practice questions in pages are not graded. The score is that of the end-of-lesson
 *   quizzes: points earned in all quizzes / total points of all quizzes (the last attempt of
 *   each; multiple-choice with scoring="partial" earns partial points). The pass mark, when there
 *   are several quizzes, is the points-weighted mean of their passing-score:
 *   sum(passing_i × total_i) / sum(total_i) — with one quiz, simply its passing-score. If the LMS
 *   sets a pass mark (cmi.scaled_passing_score, cmi.student_data.mastery_score), that one wins,
 *   as SCORM says. score.raw is a percentage (min 0, max 100), because Moodle's SCORM 1.2
 *   run-time only accepts raw scores from 0 to 100.
 * - Completion: every page viewed and every quiz submitted at least once. Then 2004 writes
 *   cmi.completion_status=completed (success_status and the score as soon as every quiz has been
 *   submitted); 1.2 writes cmi.core.lesson_status=passed|failed (completed when the course has no
 *   quiz) and the score. A failed quiz may be taken again while max-attempts allows. The quiz
 *   time-limit is shown, not enforced (the parlearn server enforces it; an exported package
 *   has no server of its own).
 * - Leaving (the "finish" button, or pagehide): cmi.exit normal / cmi.core.exit "" when
 *   complete, else suspend; the session time (ISO 8601 duration for 2004, HHHH:MM:SS.SS for
 *   1.2); Commit; Terminate / LMSFinish.
 */
(function () {
	'use strict';

	var NS = 'urn:parlearn:par-lesson:1.0';
	var XMLNS = 'http://www.w3.org/XML/1998/namespace';
	var QTYPES = ['single-choice', 'multiple-choice', 'true-false', 'short-answer', 'numerical'];
	var SUSPEND_MAX = 4000;
	var RESULT_ID = '@result'; /* never a page id: '@' cannot occur in an xs:ID */

	/* ---------------- UI strings ---------------- */
	var STR = {
		vi: {
			skip: 'Bỏ qua, đến nội dung chính', toc: 'Mục lục', prev: '← Trang trước', next: 'Trang tiếp →',
			pager: 'Chuyển trang', progress: 'Trang {n} / {total}', loading: 'Đang tải bài học…',
			loadError: 'Không tải được bài học (lesson.xml): {why}. Hãy tải lại trang hoặc báo cho người quản trị.',
			noLms: 'Không kết nối được với hệ thống quản lý học tập (LMS): bạn vẫn xem được bài, nhưng tiến độ và kết quả không được lưu.',
			resumed: 'Bạn đang học tiếp từ trang “{t}”. Dùng mục lục hoặc nút “Trang trước” để xem lại phần đã học.',
			visited: 'đã xem', submitted: 'đã làm', current: 'trang hiện tại',
			quiz: 'Kiểm tra cuối bài', result: 'Kết quả', practice: 'Câu hỏi luyện tập', qn: 'Câu {n}.',
			check: 'Kiểm tra đáp án', submit: 'Nộp bài', retry: 'Làm lại bài kiểm tra',
			tTrue: 'Đúng', tFalse: 'Sai', yourAnswer: 'Câu trả lời của bạn', unit: 'Đơn vị: {u}.',
			numHint: 'Nhập một số; dùng dấu phẩy cho phần thập phân, ví dụ 83,74.',
			right: 'Đúng.', wrong: 'Chưa đúng.', partial: 'Đúng một phần.', pts: '{e}/{t} điểm.',
			needAnswer: 'Bạn chưa trả lời câu hỏi này.', needNumber: 'Hãy nhập một số, ví dụ 83,74.',
			missing: 'Bạn chưa trả lời (hoặc chưa nhập đúng dạng số) câu {list}. Hãy trả lời tất cả các câu rồi nộp bài.',
			quizInfo: '{n} câu hỏi, tổng {t} điểm. Điểm đạt: {p}% tổng số điểm.',
			attempts: 'Số lần làm bài tối đa: {m}; bạn đã làm {n} lần.', attemptsFree: 'Bạn đã làm {n} lần.',
			timeInfo: 'Thời gian làm bài dự kiến: {d}.',
			quizScore: 'Lần làm bài thứ {n}: bạn đạt {e}/{t} điểm ({pct}%).',
			quizPassed: 'Đạt yêu cầu.', quizFailed: 'Chưa đạt (cần {p}%).',
			noMore: 'Bạn đã dùng hết số lần làm bài.', retryHint: 'Hãy xem lại bài học rồi làm lại.',
			answersLost: 'Chi tiết câu trả lời không còn được lưu, chỉ còn điểm.',
			pagesSeen: 'Đã xem {v}/{n} trang.', notSubmitted: 'chưa làm',
			overall: 'Điểm chung: {pct}% (cần {p}% để đạt).', passed: 'Kết quả: đạt.', failed: 'Kết quả: chưa đạt.',
			todo: 'Còn lại:', complete: 'Bạn đã học hết các trang và làm các bài kiểm tra.',
			incomplete: 'Bạn chưa hoàn thành khóa học.', quizList: 'Bài kiểm tra',
			finish: 'Kết thúc và lưu kết quả', finished: 'Đã lưu kết quả. Bạn có thể đóng cửa sổ này.',
			finishedNoLms: 'Đã kết thúc. Kết quả không được lưu vì không có kết nối với LMS.',
			newTab: ' (mở trong thẻ mới)', fullImage: 'Xem ảnh kích thước gốc', transcript: 'Bản ghi nội dung',
			noMedia: 'Trình duyệt không phát được tệp này.', table: 'Bảng',
			error: 'Lỗi', h: 'giờ', m: 'phút', s: 'giây', dec: ','
		},
		en: {
			skip: 'Skip to main content', toc: 'Contents', prev: '← Previous page', next: 'Next page →',
			pager: 'Pages', progress: 'Page {n} of {total}', loading: 'Loading the lesson…',
			loadError: 'The lesson (lesson.xml) could not be loaded: {why}. Reload the page or tell the administrator.',
			noLms: 'No connection to the learning management system (LMS): you can read the lesson, but your progress and results are not saved.',
			resumed: 'You are continuing from “{t}”. Use the contents or “Previous page” to review.',
			visited: 'viewed', submitted: 'taken', current: 'current page',
			quiz: 'End-of-lesson quiz', result: 'Results', practice: 'Practice question', qn: 'Question {n}.',
			check: 'Check answer', submit: 'Submit', retry: 'Take the quiz again',
			tTrue: 'True', tFalse: 'False', yourAnswer: 'Your answer', unit: 'Unit: {u}.',
			numHint: 'Type a number, for example 83.74.',
			right: 'Correct.', wrong: 'Not correct.', partial: 'Partly correct.', pts: '{e}/{t} points.',
			needAnswer: 'You have not answered this question.', needNumber: 'Type a number, for example 83.74.',
			missing: 'Question {list} is not answered (or is not a number). Answer every question, then submit.',
			quizInfo: '{n} questions, {t} points in all. Pass mark: {p}% of the points.',
			attempts: 'Attempts allowed: {m}; you have made {n}.', attemptsFree: 'You have made {n} attempts.',
			timeInfo: 'Expected time: {d}.',
			quizScore: 'Attempt {n}: you scored {e}/{t} points ({pct}%).',
			quizPassed: 'Passed.', quizFailed: 'Not passed (you need {p}%).',
			noMore: 'You have used all your attempts.', retryHint: 'Review the lesson, then try again.',
			answersLost: 'The answers were not kept, only the score.',
			pagesSeen: '{v} of {n} pages viewed.', notSubmitted: 'not taken',
			overall: 'Overall score: {pct}% ({p}% needed to pass).', passed: 'Result: passed.', failed: 'Result: not passed.',
			todo: 'Still to do:', complete: 'You have viewed every page and taken every quiz.',
			incomplete: 'You have not completed the course yet.', quizList: 'Quizzes',
			finish: 'Finish and save my results', finished: 'Your results are saved. You can close this window.',
			finishedNoLms: 'Finished. Results are not saved: there is no connection to an LMS.',
			newTab: ' (opens in a new tab)', fullImage: 'View the full-size image', transcript: 'Transcript',
			noMedia: 'Your browser cannot play this file.', table: 'Table',
			error: 'Error', h: 'h', m: 'min', s: 's', dec: '.'
		}
	};
	var T = STR.vi;
	function t(key, vars) {
		return T[key].replace(/\{(\w+)\}/g, function (m, k) { return vars && vars[k] !== undefined ? String(vars[k]) : m; });
	}
	function num(x) { /* a number with at most 2 decimals, in the UI's decimal notation */
		return String(Math.round(x * 100) / 100).replace('.', T.dec);
	}

	/* ---------------- DOM helpers ---------------- */
	function $(id) { return document.getElementById(id); }
	function h(tag, attrs) {
		var el = document.createElement(tag);
		if (attrs) {
			Object.keys(attrs).forEach(function (k) {
				var v = attrs[k];
				if (v === null || v === undefined || v === false) return;
				if (k === 'text') el.textContent = v;
				else if (k === 'className') el.className = v;
				else el.setAttribute(k, v === true ? '' : String(v));
			});
		}
		for (var i = 2; i < arguments.length; i++) {
			var c = arguments[i];
			if (c === null || c === undefined) continue;
			el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
		}
		return el;
	}
	function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
	function srOnly(text) { return h('span', { className: 'sr-only', text: text }); }

	/* ---------------- SCORM run-time API ---------------- */
	function searchUp(win, name) {
		for (var i = 0; win && i <= 7; i++) { /* this window and up to 7 parents */
			try { if (win[name]) return win[name]; } catch (e) { /* another origin */ }
			var parent = null;
			try { parent = win.parent; } catch (e) { parent = null; }
			if (!parent || parent === win) break;
			win = parent;
		}
		return null;
	}
	function findApi() {
		var wins = [window];
		try { if (window.opener) wins.push(window.opener); } catch (e) { /* ignore */ }
		try { if (window.top && window.top.opener && window.top.opener !== window.opener) wins.push(window.top.opener); } catch (e) { /* ignore */ }
		var names = ['API_1484_11', 'API'];
		for (var n = 0; n < names.length; n++) {
			for (var w = 0; w < wins.length; w++) {
				var api = searchUp(wins[w], names[n]);
				if (api) return { api: api, v2004: n === 0 };
			}
		}
		return null;
	}

	var lms = { api: null, v2004: false, active: false, ended: false, review: false, start: Date.now(), written: {} };
	var found = findApi();
	if (found) { lms.api = found.api; lms.v2004 = found.v2004; }
	var K = lms.v2004 ? {
		loc: 'cmi.location', susp: 'cmi.suspend_data', mode: 'cmi.mode', exit: 'cmi.exit', time: 'cmi.session_time',
		pass: 'cmi.scaled_passing_score', status: 'cmi.completion_status'
	} : {
		loc: 'cmi.core.lesson_location', susp: 'cmi.suspend_data', mode: 'cmi.core.lesson_mode', exit: 'cmi.core.exit',
		time: 'cmi.core.session_time', pass: 'cmi.student_data.mastery_score', status: 'cmi.core.lesson_status'
	};
	function call(f12, f04, args) {
		if (!lms.api) return '';
		var fn = lms.api[lms.v2004 ? f04 : f12];
		if (typeof fn !== 'function') return '';
		try { return fn.apply(lms.api, args); } catch (e) { return ''; }
	}
	function lmsGet(key) {
		if (!lms.active) return '';
		var r = call('LMSGetValue', 'GetValue', [key]);
		return r === null || r === undefined ? '' : String(r);
	}
	function lmsSet(key, value) {
		if (!lms.active) return false;
		var ok = String(call('LMSSetValue', 'SetValue', [key, String(value)])) === 'true';
		if (ok) lms.written[key] = String(value);
		return ok;
	}
	function lmsSetOnce(key, value) { if (lms.written[key] !== String(value)) lmsSet(key, value); }
	function lmsCommit() { if (lms.active) call('LMSCommit', 'Commit', ['']); }
	function pad(n, w) { var s = String(n); while (s.length < w) s = '0' + s; return s; }
	function sessionTime() {
		var cs = Math.floor(Math.max(0, Date.now() - lms.start) / 10);
		var hh = Math.floor(cs / 360000), mm = Math.floor(cs / 6000) % 60, ss = Math.floor(cs / 100) % 60, cc = cs % 100;
		if (lms.v2004) return 'PT' + hh + 'H' + mm + 'M' + ss + '.' + pad(cc, 2) + 'S';
		return pad(Math.min(hh, 9999), 4) + ':' + pad(mm, 2) + ':' + pad(ss, 2) + '.' + pad(cc, 2);
	}
	function lmsFinish() {
		if (!lms.active) return;
		if (course) save(false);
		if (lms.v2004) lmsSet(K.exit, lms.ended ? 'normal' : 'suspend');
		else lmsSet(K.exit, lms.ended ? '' : 'suspend');
		lmsSet(K.time, sessionTime());
		lmsCommit();
		call('LMSFinish', 'Terminate', ['']);
		lms.active = false;
	}
	if (lms.api) lms.active = String(call('LMSInitialize', 'Initialize', [''])) === 'true';

	/* ---------------- The lesson model ---------------- */
	var course = null;   /* {lang, title, modules, items, quizzes, questions, hash} */
	var state = { visited: {}, p: {}, q: {} };
	var current = -1;
	var retrying = {};   /* quiz id -> true while a new attempt is open */
	var orders = {};     /* shuffled orders, stable for the session */
	var lmsPass = null;  /* the LMS's pass mark (0..1), if it sets one */

	function kids(el, name) {
		var out = [];
		for (var c = el.firstElementChild; c; c = c.nextElementSibling) {
			if (c.namespaceURI === NS && (!name || c.localName === name)) out.push(c);
		}
		return out;
	}
	function kid(el, name) { return kids(el, name)[0] || null; }
	function text(el) { return el ? el.textContent.replace(/\s+/g, ' ').trim() : ''; }
	function bool(v) { return v === 'true' || v === '1'; }
	function xmlLang(el) { var l = el.getAttributeNS(XMLNS, 'lang'); return l ? l.trim() : ''; }
	function titleOf(el) {
		var titles = kids(el, 'title');
		for (var i = 0; i < titles.length; i++) {
			var l = xmlLang(titles[i]) || course.lang;
			if (l.toLowerCase() === course.lang.toLowerCase()) return text(titles[i]);
		}
		return titles.length ? text(titles[0]) : '';
	}
	function hash(s) {
		var x = 5381;
		for (var i = 0; i < s.length; i++) x = ((x * 33) ^ s.charCodeAt(i)) >>> 0;
		return x.toString(36);
	}

	function questionModel(el) {
		var q = {
			id: el.getAttribute('id'), type: el.localName, el: el,
			points: parseFloat(el.getAttribute('points') || '1'),
			prompt: kid(el, 'prompt'), choices: [], fb: {}
		};
		if (!(q.points > 0)) q.points = 1;
		kids(el, 'feedback').forEach(function (f) { q.fb[f.getAttribute('on')] = f; });
		kids(el, 'choice').forEach(function (c) {
			q.choices.push({ id: c.getAttribute('id'), correct: bool(c.getAttribute('correct')), text: kid(c, 'text'), fb: kid(c, 'feedback') });
		});
		q.shuffle = bool(el.getAttribute('shuffle'));
		q.partial = el.getAttribute('scoring') === 'partial';
		q.answer = bool(el.getAttribute('answer'));
		q.cs = bool(el.getAttribute('case-sensitive'));
		q.accepts = kids(el, 'accept').map(function (a) { return norm(a.textContent, q.cs); });
		q.values = kids(el, 'answer').map(function (a) {
			return { v: parseFloat(a.getAttribute('value')), tol: Math.abs(parseFloat(a.getAttribute('tolerance') || '0')) || 0 };
		});
		q.unit = el.getAttribute('unit') || '';
		return q;
	}
	function norm(s, cs) {
		s = String(s).normalize('NFC').replace(/\s+/g, ' ').trim();
		return cs ? s : s.toLowerCase();
	}
	function parseNum(s) {
		s = String(s).replace(/\s+/g, '').replace(',', '.');
		if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return NaN;
		return parseFloat(s);
	}
	/* Grades an answer: {earned, correct}; ans is null when unanswered. */
	function grade(q, ans) {
		var ok = false, earned = 0;
		if (ans === null || ans === undefined) return { earned: 0, correct: false };
		if (q.type === 'single-choice') {
			ok = q.choices.some(function (c) { return c.correct && c.id === ans; });
		} else if (q.type === 'multiple-choice') {
			var picked = Array.isArray(ans) ? ans : [];
			var nCorrect = 0, right = 0, wrongTicks = 0;
			q.choices.forEach(function (c) {
				var on = picked.indexOf(c.id) >= 0;
				if (c.correct) nCorrect++;
				if (on && c.correct) right++;
				if (on && !c.correct) wrongTicks++;
			});
			ok = right === nCorrect && wrongTicks === 0;
			if (q.partial && !ok) earned = nCorrect ? q.points * Math.max(0, right - wrongTicks) / nCorrect : 0;
		} else if (q.type === 'true-false') {
			ok = ans === q.answer;
		} else if (q.type === 'short-answer') {
			ok = q.accepts.indexOf(norm(ans, q.cs)) >= 0;
		} else if (q.type === 'numerical') {
			var x = parseNum(ans);
			ok = !isNaN(x) && q.values.some(function (a) { return Math.abs(x - a.v) <= a.tol + 1e-9 * Math.max(1, Math.abs(a.v)); });
		}
		if (ok) earned = q.points;
		return { earned: earned, correct: ok };
	}

	function buildCourse(doc) {
		var root = doc.documentElement;
		if (!root || root.namespaceURI !== NS || root.localName !== 'course') throw new Error('not a PAR lesson');
		course = { lang: xmlLang(root) || 'vi', modules: [], items: [], quizzes: [], questions: {} };
		T = /^en\b/i.test(course.lang) ? STR.en : STR.vi;
		var meta = kid(root, 'metadata');
		course.title = meta ? titleOf(meta) : '';
		var all = root.getElementsByTagNameNS(NS, '*');
		for (var i = 0; i < all.length; i++) {
			if (QTYPES.indexOf(all[i].localName) >= 0 && all[i].getAttribute('id')) {
				course.questions[all[i].getAttribute('id')] = questionModel(all[i]);
			}
		}
		kids(root, 'module').forEach(function (m) {
			var mod = { id: m.getAttribute('id'), title: titleOf(m), lessons: [] };
			course.modules.push(mod);
			kids(m, 'lesson').forEach(function (l) {
				var les = { id: l.getAttribute('id'), title: titleOf(l), items: [] };
				mod.lessons.push(les);
				kids(l, 'page').forEach(function (p) {
					var it = { kind: 'page', id: p.getAttribute('id'), title: titleOf(p), el: p };
					les.items.push(it);
					course.items.push(it);
				});
				var qz = kid(l, 'quiz');
				if (qz) {
					var quiz = {
						kind: 'quiz', id: qz.getAttribute('id'), title: titleOf(qz) || T.quiz, el: qz,
						passing: Math.min(100, Math.max(0, parseFloat(qz.getAttribute('passing-score')) || 0)),
						max: parseInt(qz.getAttribute('max-attempts'), 10) || null,
						time: qz.getAttribute('time-limit') || '', shuffle: bool(qz.getAttribute('shuffle-questions')),
						refs: [], total: 0
					};
					kids(qz, 'question-ref').forEach(function (r) {
						var q = course.questions[r.getAttribute('ref')];
						if (q && quiz.refs.indexOf(q) < 0) { quiz.refs.push(q); quiz.total += q.points; }
					});
					les.items.push(quiz);
					course.items.push(quiz);
					course.quizzes.push(quiz);
				}
			});
		});
		course.items.push({ kind: 'result', id: RESULT_ID, title: T.result });
		course.items.forEach(function (it, n) { it.index = n; });
		course.hash = hash(course.items.map(function (it) { return it.id; }).join(' '));
	}

	/* ---------------- Saved state ---------------- */
	function serialize() {
		var bits = '';
		for (var i = 0; i < course.items.length; i += 4) {
			var d = 0;
			for (var b = 0; b < 4; b++) if (state.visited[i + b]) d |= 1 << b;
			bits += d.toString(16);
		}
		var o = { h: course.hash, v: bits, p: state.p, q: state.q };
		var s = JSON.stringify(o);
		if (s.length > SUSPEND_MAX) { o.p = {}; s = JSON.stringify(o); }
		if (s.length > SUSPEND_MAX) {
			var q = {};
			Object.keys(state.q).forEach(function (k) { q[k] = { n: state.q[k].n, e: state.q[k].e }; });
			o.q = q;
			s = JSON.stringify(o);
		}
		return s;
	}
	function restore(s) {
		var o;
		try { o = JSON.parse(s); } catch (e) { return; }
		if (!o || typeof o !== 'object' || o.h !== course.hash) return;
		if (typeof o.v === 'string') {
			for (var i = 0; i < o.v.length; i++) {
				var d = parseInt(o.v.charAt(i), 16);
				for (var b = 0; b < 4; b++) if (d & (1 << b)) state.visited[i * 4 + b] = true;
			}
		}
		if (o.p && typeof o.p === 'object') state.p = o.p;
		if (o.q && typeof o.q === 'object') {
			course.quizzes.forEach(function (qz) {
				var r = o.q[qz.id];
				if (r && typeof r.n === 'number' && typeof r.e === 'number') state.q[qz.id] = r;
			});
		}
	}
	function save(commit) {
		if (!lms.active) return;
		lmsSet(K.loc, course.items[current] ? course.items[current].id : '');
		lmsSet(K.susp, serialize());
		if (commit !== false) lmsCommit();
	}

	/* ---------------- Score and status ---------------- */
	function pagesLeft() {
		return course.items.filter(function (it) { return it.kind === 'page' && !state.visited[it.index]; });
	}
	function overall() {
		var total = 0, earned = 0, weighted = 0;
		course.quizzes.forEach(function (qz) {
			total += qz.total;
			weighted += qz.passing / 100 * qz.total;
			if (state.q[qz.id]) earned += state.q[qz.id].e;
		});
		var scaled = total > 0 ? Math.min(1, earned / total) : 0;
		var pass = lmsPass !== null ? lmsPass : (total > 0 ? weighted / total : 0);
		return { scaled: scaled, pass: pass, passed: scaled + 1e-9 >= pass };
	}
	function report() {
		var quizzesDone = course.quizzes.every(function (qz) { return !!state.q[qz.id]; });
		var done = quizzesDone && pagesLeft().length === 0;
		lms.ended = done;
		if (!lms.active || lms.review) return;
		var sc = course.quizzes.length && quizzesDone ? overall() : null;
		var scaled = sc ? String(Math.round(sc.scaled * 10000) / 10000) : '';
		var raw = sc ? String(Math.round(sc.scaled * 10000) / 100) : '';
		if (lms.v2004) {
			if (sc) {
				lmsSetOnce('cmi.score.min', '0');
				lmsSetOnce('cmi.score.max', '100');
				lmsSetOnce('cmi.score.raw', raw);
				lmsSetOnce('cmi.score.scaled', scaled);
				lmsSetOnce('cmi.success_status', sc.passed ? 'passed' : 'failed');
			}
			if (done) lmsSetOnce('cmi.completion_status', 'completed');
		} else if (done) {
			if (sc) {
				lmsSetOnce('cmi.core.score.min', '0');
				lmsSetOnce('cmi.core.score.max', '100');
				lmsSetOnce('cmi.core.score.raw', raw);
			}
			lmsSetOnce('cmi.core.lesson_status', sc ? (sc.passed ? 'passed' : 'failed') : 'completed');
		}
	}

	/* One cmi.interactions.n record per quiz question submitted (Moodle shows them in its reports). */
	var interactionN = 0;
	function safeId(s) { return String(s).replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 250) || 'x'; }
	function recordInteraction(q, ans, g) {
		if (!lms.active || lms.review) return;
		var p = 'cmi.interactions.' + interactionN++ + '.';
		var v04 = lms.v2004, type, resp = '', right = '';
		if (q.type === 'single-choice' || q.type === 'multiple-choice') {
			type = 'choice';
			var sep = v04 ? '[,]' : ',';
			resp = (Array.isArray(ans) ? ans : [ans]).map(safeId).join(sep);
			right = q.choices.filter(function (c) { return c.correct; }).map(function (c) { return safeId(c.id); }).join(sep);
		} else if (q.type === 'true-false') {
			type = 'true-false';
			resp = v04 ? String(ans) : (ans ? 't' : 'f');
			right = v04 ? String(q.answer) : (q.answer ? 't' : 'f');
		} else if (q.type === 'short-answer') {
			type = 'fill-in';
			resp = String(ans).replace(/[[\]{}]/g, ' ').slice(0, 250);
			right = kid(q.el, 'accept') ? text(kid(q.el, 'accept')).replace(/[[\]{}]/g, ' ').slice(0, 250) : '';
		} else {
			type = 'numeric';
			var x = parseNum(ans);
			resp = isNaN(x) ? '' : String(x);
			var a = q.values[0];
			right = a ? (v04 ? (a.v - a.tol) + '[:]' + (a.v + a.tol) : String(a.v)) : '';
		}
		lmsSet(p + 'id', safeId(q.id));
		lmsSet(p + 'type', type);
		if (v04) lmsSet(p + 'description', text(q.prompt).slice(0, 250));
		lmsSet(p + 'weighting', String(q.points));
		if (right) lmsSet(p + 'correct_responses.0.pattern', right);
		if (resp !== '') lmsSet(p + (v04 ? 'learner_response' : 'student_response'), resp);
		lmsSet(p + 'result', g.correct ? 'correct' : (v04 ? 'incorrect' : 'wrong'));
	}

	/* ---------------- Lesson content: XHTML subset -> DOM (allow-list) ---------------- */
	var SIMPLE = ['p', 'h2', 'h3', 'h4', 'strong', 'em', 'br', 'ul', 'ol', 'li', 'caption', 'thead', 'tbody', 'tr',
		'th', 'td', 'blockquote', 'figure', 'figcaption'];
	var SEG = '[A-Za-z0-9_][A-Za-z0-9_.-]*';
	var PKG = new RegExp('^' + SEG + '(?:/' + SEG + ')*$');
	/* A package path (relative to the package root) -> a URL relative to player/index.html. */
	function pkgUrl(path, fragmentOk, extRe) {
		var frag = '';
		path = String(path || '').trim();
		if (fragmentOk && path.indexOf('#') >= 0) {
			frag = path.slice(path.indexOf('#'));
			path = path.slice(0, path.indexOf('#'));
			if (!/^#[A-Za-z0-9_.:-]*$/.test(frag)) return null;
		}
		if (!path || path.length > 255 || !PKG.test(path)) return null;
		if (extRe && !extRe.test(path)) return null;
		return '../' + path + frag;
	}
	var IMG_EXT = /\.(png|jpe?g|gif|webp|svg)$/i;
	function intAttr(el, name, lo, hi) {
		var v = el.getAttribute(name);
		if (!v || !/^\s*\d+\s*$/.test(v)) return null;
		var n = parseInt(v, 10);
		return n >= lo && n <= hi ? n : null;
	}
	function setLang(out, el) {
		var l = xmlLang(el);
		if (l && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(l)) out.setAttribute('lang', l);
	}
	function convChildren(el, out, depth) {
		for (var c = el.firstChild; c; c = c.nextSibling) {
			var n = conv(c, depth + 1);
			if (n) out.appendChild(n);
		}
		return out;
	}
	function conv(node, depth) {
		if (node.nodeType === 3 || node.nodeType === 4) return document.createTextNode(node.nodeValue);
		if (node.nodeType !== 1 || node.namespaceURI !== NS || depth > 64) return null;
		var name = node.localName, out;
		if (name === 'a') return convLink(node, depth);
		if (name === 'img') return convImg(node);
		if (name === 'table') return convTable(node, depth);
		if (SIMPLE.indexOf(name) < 0) return null; /* not in the subset: dropped with its content */
		out = document.createElement(name);
		if (name === 'ol') { var st = intAttr(node, 'start', 1, 1e9); if (st) out.setAttribute('start', st); }
		if (name === 'td' || name === 'th') {
			var cs = intAttr(node, 'colspan', 1, 100), rs = intAttr(node, 'rowspan', 1, 100);
			if (cs) out.setAttribute('colspan', cs);
			if (rs) out.setAttribute('rowspan', rs);
			var sc = node.getAttribute('scope');
			if (name === 'th' && ['row', 'col', 'rowgroup', 'colgroup'].indexOf(sc) >= 0) out.setAttribute('scope', sc);
		}
		if (name !== 'br') { setLang(out, node); convChildren(node, out, depth); }
		return out;
	}
	function convLink(node, depth) {
		var href = String(node.getAttribute('href') || '').trim(), url = null, ext = false;
		if (/^https?:\/\/[^\s/?#]/i.test(href) && !/\s/.test(href)) {
			try { url = new URL(href).href; ext = true; } catch (e) { url = null; }
		} else if (/^mailto:[^\s@/?#]+@[^\s@/?#]+$/i.test(href)) {
			url = href;
		} else {
			url = pkgUrl(href, true, null);
			ext = url !== null;
		}
		var out = document.createElement(url ? 'a' : 'span');
		if (url) out.setAttribute('href', url);
		if (ext) { out.setAttribute('target', '_blank'); out.setAttribute('rel', 'noopener noreferrer'); }
		setLang(out, node);
		for (var c = node.firstChild; c; c = c.nextSibling) {
			if (c.nodeType === 1 && (c.localName === 'a' || c.localName === 'img')) continue; /* text, strong, em, br only */
			var n = conv(c, depth + 1);
			if (n) out.appendChild(n);
		}
		if (ext) out.appendChild(srOnly(T.newTab));
		return out;
	}
	function convImg(node) {
		var src = pkgUrl(node.getAttribute('src'), false, IMG_EXT);
		var alt = String(node.getAttribute('alt') || '').trim();
		if (!src) return alt ? document.createTextNode(alt) : null;
		var img = h('img', { src: src, alt: alt, loading: 'lazy', decoding: 'async' });
		var w = intAttr(node, 'width', 1, 10000), ht = intAttr(node, 'height', 1, 10000);
		if (w) img.setAttribute('width', w);
		if (ht) img.setAttribute('height', ht);
		return img;
	}
	function convTable(node, depth) {
		var table = h('table');
		setLang(table, node);
		kids(node).forEach(function (c) {
			if (['caption', 'thead', 'tbody'].indexOf(c.localName) >= 0) {
				var n = conv(c, depth + 1);
				if (n) table.appendChild(n);
			}
		});
		/* A wide table scrolls sideways at 360 px; the scrolling box takes keyboard focus. */
		var cap = kid(node, 'caption');
		return h('div', { className: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': cap ? text(cap) : T.table }, table);
	}
	function transcript(el, depth) {
		var tr = kid(el, 'transcript');
		if (!tr) return null;
		var box = h('details', { className: 'transcript' }, h('summary', { text: T.transcript }));
		setLang(box, tr);
		kids(tr).forEach(function (c) { var n = conv(c, depth + 1); if (n) box.appendChild(n); });
		return box;
	}
	function mediaCaption(el, title) {
		return title ? h('figcaption', { text: title }) : null;
	}
	function renderMedia(el) {
		var name = el.localName, fig = h('figure', { className: 'media media-' + name });
		setLang(fig, el);
		if (name === 'image') {
			var src = pkgUrl(el.getAttribute('src'), false, IMG_EXT);
			var alt = String(el.getAttribute('alt') || '').trim();
			if (!src) return alt ? h('p', { text: alt }) : null;
			var img = convImg(el);
			fig.appendChild(img);
			var cap = kid(el, 'caption');
			if (cap) fig.appendChild(convChildren(cap, h('figcaption'), 1));
			fig.appendChild(h('p', { className: 'full-image' },
				h('a', { href: src, target: '_blank', rel: 'noopener noreferrer' }, T.fullImage, srOnly(T.newTab))));
			return fig;
		}
		var title = String(el.getAttribute('title') || '').trim();
		if (name === 'audio') {
			var asrc = pkgUrl(el.getAttribute('src'), false, /\.(mp3|m4a|ogg|oga|opus|webm|wav)$/i);
			if (!asrc) return null;
			var au = h('audio', { controls: true, preload: 'none', src: asrc, 'aria-label': title || null }, T.noMedia);
			fig.appendChild(au);
		} else if (name === 'video') {
			var vsrc = pkgUrl(el.getAttribute('src'), false, /\.(mp4|webm)$/i);
			if (!vsrc) return null;
			var v = h('video', {
				controls: true, preload: 'metadata', playsinline: true, src: vsrc, 'aria-label': title || null,
				poster: pkgUrl(el.getAttribute('poster'), false, IMG_EXT),
				width: intAttr(el, 'width', 1, 10000), height: intAttr(el, 'height', 1, 10000)
			});
			kids(el, 'track').forEach(function (tr) {
				var tsrc = pkgUrl(tr.getAttribute('src'), false, /\.vtt$/i);
				var lang = String(tr.getAttribute('srclang') || '').trim();
				if (!tsrc || !/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(lang)) return;
				v.appendChild(h('track', {
					kind: 'captions', src: tsrc, srclang: lang, label: tr.getAttribute('label') || lang,
					default: bool(tr.getAttribute('default'))
				}));
			});
			v.appendChild(document.createTextNode(T.noMedia));
			fig.appendChild(v);
		} else {
			return null;
		}
		var fc = mediaCaption(el, title);
		if (fc) fig.appendChild(fc);
		var tx = transcript(el, 1);
		if (tx) fig.appendChild(tx);
		return fig;
	}

	/* ---------------- Questions ---------------- */
	function shuffled(key, list) {
		if (!orders[key]) {
			var idx = list.map(function (x, i) { return i; });
			for (var i = idx.length - 1; i > 0; i--) {
				var j = Math.floor(Math.random() * (i + 1)), tmp = idx[i];
				idx[i] = idx[j];
				idx[j] = tmp;
			}
			orders[key] = idx;
		}
		return orders[key].map(function (i) { return list[i]; });
	}
	/* Renders one question: returns {root, get(), set(ans), show(ans, g), disable()}. */
	function renderQuestion(q, prefix, label) {
		var fs = h('fieldset', { className: 'question q-' + q.type, 'data-qid': q.id });
		var legend = h('legend', null, h('span', { className: 'q-label', text: label }), ' ');
		if (q.prompt) convChildren(q.prompt, legend, 1);
		fs.appendChild(legend);
		var inputs = [], textBox = null;
		function option(type, value, labelNode, idSuffix) {
			var id = prefix + '-' + idSuffix;
			var input = h('input', { type: type, name: prefix, id: id, value: value });
			inputs.push(input);
			var lab = h('label', { 'for': id });
			lab.appendChild(labelNode);
			fs.appendChild(h('div', { className: 'option' }, input, lab));
		}
		if (q.type === 'single-choice' || q.type === 'multiple-choice') {
			var list = q.shuffle ? shuffled(prefix, q.choices) : q.choices;
			list.forEach(function (c, i) {
				var span = h('span');
				if (c.text) convChildren(c.text, span, 1);
				option(q.type === 'single-choice' ? 'radio' : 'checkbox', c.id, span, 'c' + i);
			});
		} else if (q.type === 'true-false') {
			option('radio', 'true', document.createTextNode(T.tTrue), 't');
			option('radio', 'false', document.createTextNode(T.tFalse), 'f');
		} else {
			var tid = prefix + '-text', hintId = prefix + '-hint';
			var isNum = q.type === 'numerical';
			textBox = h('input', {
				type: 'text', id: tid, name: prefix, autocomplete: 'off', spellcheck: 'false',
				maxlength: isNum ? 40 : 200, inputmode: isNum ? 'decimal' : null, 'aria-describedby': isNum ? hintId : null
			});
			var row = h('div', { className: 'text-answer' }, h('label', { 'for': tid, text: T.yourAnswer }), textBox);
			if (isNum && q.unit) row.appendChild(h('span', { className: 'unit', text: q.unit }));
			fs.appendChild(row);
			if (isNum) fs.appendChild(h('p', { className: 'hint', id: hintId, text: (q.unit ? t('unit', { u: q.unit }) + ' ' : '') + T.numHint }));
		}
		var fb = h('div', { className: 'feedback', id: prefix + '-fb' });
		var root = h('div', { className: 'q-box' }, fs, fb);
		return {
			q: q, root: root, fieldset: fs, feedback: fb, first: inputs[0] || textBox,
			get: function () {
				if (textBox) return textBox.value.trim() === '' ? null : textBox.value.trim();
				var on = inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
				if (q.type === 'multiple-choice') return on.length ? on : null;
				if (!on.length) return null;
				return q.type === 'true-false' ? on[0] === 'true' : on[0];
			},
			set: function (ans) {
				if (ans === null || ans === undefined) return;
				if (textBox) { textBox.value = String(ans); return; }
				inputs.forEach(function (i) {
					if (q.type === 'multiple-choice') i.checked = Array.isArray(ans) && ans.indexOf(i.value) >= 0;
					else if (q.type === 'true-false') i.checked = String(ans) === i.value;
					else i.checked = ans === i.value;
				});
			},
			show: function (ans, g, withPoints) {
				clear(fb);
				fs.classList.remove('is-right', 'is-wrong');
				if (!g) { fb.appendChild(h('p', { className: 'verdict', text: ans })); return; }
				var partly = !g.correct && g.earned > 0;
				fs.classList.add(g.correct ? 'is-right' : 'is-wrong');
				var v = h('p', { className: 'verdict ' + (g.correct ? 'right' : 'wrong') },
					h('span', { 'aria-hidden': 'true', text: g.correct ? '✓ ' : '✗ ' }),
					g.correct ? T.right : (partly ? T.partial : T.wrong));
				if (withPoints) v.appendChild(document.createTextNode(' ' + t('pts', { e: num(g.earned), t: num(q.points) })));
				fb.appendChild(v);
				var f = q.fb[g.correct ? 'correct' : 'incorrect'];
				if (f) fb.appendChild(convChildren(f, h('p'), 1));
				if (q.choices.length) {
					var picked = Array.isArray(ans) ? ans : [ans];
					q.choices.forEach(function (c) {
						if (c.fb && picked.indexOf(c.id) >= 0) fb.appendChild(convChildren(c.fb, h('p', { className: 'choice-fb' }), 1));
					});
				}
			},
			disable: function () {
				inputs.forEach(function (i) { i.disabled = true; });
				if (textBox) textBox.readOnly = true;
			}
		};
	}
	function renderPractice(q, article) {
		var prefix = 'pq-' + safeId(q.id);
		var r = renderQuestion(q, prefix, T.practice);
		r.feedback.setAttribute('aria-live', 'polite');
		var form = h('form', { className: 'practice', novalidate: true });
		form.appendChild(r.root);
		form.appendChild(h('button', { type: 'submit', className: 'secondary', text: T.check }));
		form.addEventListener('submit', function (ev) {
			ev.preventDefault();
			var ans = r.get();
			if (ans === null) { r.show(T.needAnswer, null); return; }
			if (q.type === 'numerical' && isNaN(parseNum(ans))) { r.show(T.needNumber, null); return; }
			r.show(ans, grade(q, ans), false);
			state.p[q.id] = ans;
			save();
		});
		if (Object.prototype.hasOwnProperty.call(state.p, q.id)) {
			r.set(state.p[q.id]);
			r.show(state.p[q.id], grade(q, state.p[q.id]), false);
		}
		article.appendChild(form);
	}

	function durationText(d) {
		var m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(d || '');
		if (!m) return '';
		var hh = (parseInt(m[1] || '0', 10) * 24) + parseInt(m[2] || '0', 10), parts = [];
		if (hh) parts.push(hh + ' ' + T.h);
		if (m[3] && +m[3]) parts.push(+m[3] + ' ' + T.m);
		if (m[4] && +m[4]) parts.push(num(+m[4]) + ' ' + T.s);
		return parts.join(' ');
	}
	function quizPassed(qz, rec) { return qz.total > 0 && rec.e / qz.total + 1e-9 >= qz.passing / 100; }
	function renderQuiz(qz, article) {
		var rec = state.q[qz.id] || null;
		var open = !rec || retrying[qz.id];
		var info = h('div', { className: 'quiz-info' },
			h('p', { text: t('quizInfo', { n: qz.refs.length, t: num(qz.total), p: num(qz.passing) }) }));
		var dur = durationText(qz.time);
		if (dur) info.appendChild(h('p', { text: t('timeInfo', { d: dur }) }));
		var n = rec ? rec.n : 0;
		if (qz.max) info.appendChild(h('p', { text: t('attempts', { m: qz.max, n: n }) }));
		else if (n) info.appendChild(h('p', { text: t('attemptsFree', { n: n }) }));
		article.appendChild(info);

		var refs = open && qz.shuffle ? shuffled('quiz-' + qz.id + '-' + n, qz.refs) : qz.refs;
		var form = h('form', { className: 'quiz', novalidate: true });
		var status = h('div', { className: 'quiz-status', id: 'quiz-status', role: 'status', tabindex: '-1' });
		var views = refs.map(function (q, i) {
			var v = renderQuestion(q, 'qz-' + safeId(qz.id) + '-' + n + '-' + safeId(q.id), t('qn', { n: i + 1 }));
			form.appendChild(v.root);
			return v;
		});
		article.appendChild(form);
		if (open) {
			form.appendChild(h('button', { type: 'submit', text: T.submit }));
			article.appendChild(status);
			form.addEventListener('submit', function (ev) {
				ev.preventDefault();
				var missing = [];
				views.forEach(function (v, i) {
					var a = v.get();
					if (a === null || (v.q.type === 'numerical' && isNaN(parseNum(a)))) missing.push(i + 1);
				});
				if (missing.length) {
					clear(status);
					status.appendChild(h('p', { text: t('missing', { list: missing.join(', ') }) }));
					status.focus();
					return;
				}
				var earned = 0, answers = {};
				views.forEach(function (v) {
					var a = v.get(), g = grade(v.q, a);
					earned += g.earned;
					answers[v.q.id] = a;
					recordInteraction(v.q, a, g);
				});
				state.q[qz.id] = { n: n + 1, e: Math.round(earned * 1000) / 1000, a: answers };
				retrying[qz.id] = false;
				report();
				save();
				renderItem(true);
				updateToc();
				var st = $('quiz-status');
				if (st) st.focus();
			});
			return;
		}
		/* A submitted attempt: the answers, their feedback, the score. */
		views.forEach(function (v) {
			var a = rec.a ? rec.a[v.q.id] : undefined;
			if (a !== undefined) { v.set(a); v.show(a, grade(v.q, a), true); }
			v.disable();
		});
		var ok = quizPassed(qz, rec);
		status.appendChild(h('p', { className: 'score ' + (ok ? 'right' : 'wrong') },
			t('quizScore', { n: rec.n, e: num(rec.e), t: num(qz.total), pct: num(qz.total ? rec.e / qz.total * 100 : 0) }) + ' ' +
			(ok ? T.quizPassed : t('quizFailed', { p: num(qz.passing) }))));
		if (!rec.a) status.appendChild(h('p', { text: T.answersLost }));
		if (!ok) {
			if (!qz.max || rec.n < qz.max) {
				status.appendChild(h('p', { text: T.retryHint }));
				var again = h('button', { type: 'button', className: 'secondary', text: T.retry });
				again.addEventListener('click', function () {
					retrying[qz.id] = true;
					renderItem(true);
				});
				status.appendChild(again);
			} else {
				status.appendChild(h('p', { text: T.noMore }));
			}
		}
		article.insertBefore(status, form);
	}

	function itemLink(it) {
		var a = h('a', { href: '#' + encodeURIComponent(it.id), 'data-index': it.index, text: it.title });
		a.addEventListener('click', function (ev) { ev.preventDefault(); go(it.index, true); closeTocIfNarrow(); });
		return a;
	}
	function renderResult(article) {
		var left = pagesLeft();
		var box = h('div', { className: 'summary' });
		box.appendChild(h('p', { text: t('pagesSeen', { v: course.items.filter(function (it) { return it.kind === 'page'; }).length - left.length, n: course.items.filter(function (it) { return it.kind === 'page'; }).length }) }));
		if (course.quizzes.length) {
			box.appendChild(h('h2', { text: T.quizList }));
			var ul = h('ul');
			course.quizzes.forEach(function (qz) {
				var rec = state.q[qz.id];
				var li = h('li', null, itemLink(qz), ': ');
				li.appendChild(document.createTextNode(rec ? num(qz.total ? rec.e / qz.total * 100 : 0) + '% — ' +
					(quizPassed(qz, rec) ? T.quizPassed : t('quizFailed', { p: num(qz.passing) })) : T.notSubmitted));
				ul.appendChild(li);
			});
			box.appendChild(ul);
			if (course.quizzes.every(function (qz) { return !!state.q[qz.id]; })) {
				var sc = overall();
				box.appendChild(h('p', { className: 'score ' + (sc.passed ? 'right' : 'wrong') },
					t('overall', { pct: num(sc.scaled * 100), p: num(sc.pass * 100) }) + ' ' + (sc.passed ? T.passed : T.failed)));
			}
		}
		if (lms.ended) {
			box.appendChild(h('p', { text: T.complete }));
		} else {
			box.appendChild(h('p', { text: T.incomplete + ' ' + T.todo }));
			var todo = h('ul');
			left.forEach(function (it) { todo.appendChild(h('li', null, itemLink(it))); });
			course.quizzes.forEach(function (qz) { if (!state.q[qz.id]) todo.appendChild(h('li', null, itemLink(qz))); });
			box.appendChild(todo);
		}
		var msg = h('p', { className: 'finish-msg', id: 'finish-msg', role: 'status' });
		var btn = h('button', { type: 'button', id: 'btn-finish', text: T.finish });
		btn.addEventListener('click', function () {
			var connected = lms.active;
			lmsFinish();
			btn.disabled = true;
			msg.textContent = connected ? T.finished : T.finishedNoLms;
			msg.setAttribute('tabindex', '-1');
			msg.focus();
		});
		box.appendChild(btn);
		box.appendChild(msg);
		article.appendChild(box);
	}

	/* ---------------- Pages and navigation ---------------- */
	function renderItem(keepScroll) {
		var it = course.items[current], article = $('page');
		clear(article);
		article.appendChild(h('h1', { id: 'page-title', tabindex: '-1', text: it.title }));
		if (it.kind === 'page') {
			kids(it.el).forEach(function (c) {
				var name = c.localName;
				if (name === 'title') return;
				var out = null;
				if (name === 'image' || name === 'audio' || name === 'video') out = renderMedia(c);
				else if (QTYPES.indexOf(name) >= 0) { if (course.questions[c.getAttribute('id')]) renderPractice(course.questions[c.getAttribute('id')], article); }
				else out = conv(c, 0);
				if (out) article.appendChild(out);
			});
		} else if (it.kind === 'quiz') {
			renderQuiz(it, article);
		} else {
			renderResult(article);
		}
		if (!keepScroll) { try { window.scrollTo(0, 0); } catch (e) { /* ignore */ } }
	}
	function updateToc() {
		var links = $('toc-list').querySelectorAll('a[data-index]');
		for (var i = 0; i < links.length; i++) {
			var a = links[i], n = +a.getAttribute('data-index'), it = course.items[n];
			if (n === current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
			var mark = a.parentNode.querySelector('.mark');
			var doneIt = it.kind === 'quiz' ? !!state.q[it.id] : (it.kind === 'page' && !!state.visited[n]);
			mark.textContent = '';
			if (doneIt) mark.appendChild(h('span', { 'aria-hidden': 'true', text: '✓' }));
			if (doneIt) mark.appendChild(srOnly(it.kind === 'quiz' ? T.submitted : T.visited));
		}
	}
	function go(i, moveFocus) {
		current = Math.max(0, Math.min(course.items.length - 1, i));
		var it = course.items[current];
		state.visited[current] = true;
		report();
		renderItem(false);
		updateToc();
		$('progress').textContent = t('progress', { n: current + 1, total: course.items.length });
		$('btn-prev').disabled = current === 0;
		$('btn-next').disabled = current === course.items.length - 1;
		document.title = it.title + (course.title ? ' — ' + course.title : '');
		save();
		if (moveFocus) $('page-title').focus();
	}
	function buildToc() {
		var box = $('toc-list');
		clear(box);
		var mods = h('ol', { className: 'toc-modules' });
		function entry(it) {
			return h('li', { className: 'toc-' + it.kind }, itemLink(it), ' ', h('span', { className: 'mark' }));
		}
		course.modules.forEach(function (m) {
			var lessons = h('ol', { className: 'toc-lessons' });
			m.lessons.forEach(function (l) {
				var pages = h('ol', { className: 'toc-pages' });
				l.items.forEach(function (it) { pages.appendChild(entry(it)); });
				lessons.appendChild(h('li', null, h('span', { className: 'toc-lesson', text: l.title }), pages));
			});
			mods.appendChild(h('li', null, h('span', { className: 'toc-module', text: m.title }), lessons));
		});
		box.appendChild(mods);
		var last = course.items[course.items.length - 1];
		box.appendChild(h('ul', { className: 'toc-pages toc-end' }, entry(last)));
	}
	function isNarrow() { return window.matchMedia && window.matchMedia('(max-width: 56rem)').matches; }
	function setToc(open) {
		$('toc').setAttribute('data-open', open ? 'true' : 'false');
		$('toc-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
	}
	function closeTocIfNarrow() { if (isNarrow()) setToc(false); }

	function say(msg) { $('notice').textContent = msg; }
	function applyStrings() {
		document.documentElement.setAttribute('lang', course.lang);
		$('skip').textContent = T.skip;
		$('toc-heading').textContent = T.toc;
		$('toc-toggle').textContent = T.toc;
		$('pager').setAttribute('aria-label', T.pager);
		$('btn-prev').textContent = T.prev;
		$('btn-next').textContent = T.next;
		$('course-title').textContent = course.title;
	}

	function start(xmlText) {
		var doc = new DOMParser().parseFromString(xmlText, 'application/xml');
		if (doc.getElementsByTagName('parsererror').length) throw new Error('XML');
		buildCourse(doc);
		applyStrings();
		var resumedAt = -1;
		if (lms.active) {
			var mode = lmsGet(K.mode);
			lms.review = mode === 'review' || mode === 'browse';
			var pm = parseFloat(lmsGet(K.pass));
			if (!isNaN(pm)) lmsPass = lms.v2004 ? Math.min(1, Math.max(0, pm)) : Math.min(100, Math.max(0, pm)) / 100;
			interactionN = parseInt(lmsGet('cmi.interactions._count'), 10) || 0;
			restore(lmsGet(K.susp));
			var loc = lmsGet(K.loc);
			course.items.forEach(function (it) { if (loc && it.id === loc) resumedAt = it.index; });
			var status = lmsGet(K.status);
			if (!lms.review) {
				if (lms.v2004 && status !== 'completed') lmsSet(K.status, 'incomplete');
				if (!lms.v2004 && (status === '' || status === 'not attempted')) lmsSet(K.status, 'incomplete');
			}
		} else {
			say(T.noLms);
		}
		buildToc();
		$('toc-toggle').addEventListener('click', function () { setToc($('toc').getAttribute('data-open') !== 'true'); });
		$('btn-prev').addEventListener('click', function () { go(current - 1, true); });
		$('btn-next').addEventListener('click', function () { go(current + 1, true); });
		go(resumedAt >= 0 ? resumedAt : 0, false);
		if (resumedAt > 0) say(t('resumed', { t: course.items[resumedAt].title }));
		document.body.setAttribute('data-player', 'ready');
	}
	function fail(why) {
		var article = $('page');
		clear(article);
		article.appendChild(h('h1', { id: 'page-title', tabindex: '-1', text: T.error }));
		article.appendChild(h('p', { className: 'error', role: 'alert', text: t('loadError', { why: why }) }));
		if (!lms.active) say(T.noLms);
		document.body.setAttribute('data-player', 'error');
	}

	window.addEventListener('pagehide', lmsFinish);
	document.addEventListener('visibilitychange', function () {
		if (document.visibilityState === 'hidden' && course && lms.active) save();
	});

	var xhr = new XMLHttpRequest();
	xhr.open('GET', '../lesson.xml');
	xhr.onload = function () {
		/* status 0: a file:// URL (a package opened from disk) */
		if ((xhr.status === 200 || xhr.status === 0) && xhr.responseText) {
			try { start(xhr.responseText); } catch (e) { fail(e && e.message ? e.message : 'XML'); }
		} else {
			fail('HTTP ' + xhr.status);
		}
	};
	xhr.onerror = function () { fail('network'); };
	try { xhr.send(); } catch (e) { fail('network'); }
})();
