/*
 * scorm-lesson.js — trình điều khiển bài học SCORM nhỏ, không thư viện ngoài.
 * Dùng chung cho SCORM 1.2 (window.API) và SCORM 2004 (window.API_1484_11).
 *
 * Trang khởi chạy (launch) của SCO khai báo trên <body>:
 *   data-scorm="1.2" | "2004"   phiên bản API
 *   data-mastery="80"          (1.2) điểm đạt dự phòng nếu LMS không gửi cmi.student_data.mastery_score
 *   data-passing="0.8"         (2004) điểm đạt dự phòng nếu LMS không gửi cmi.scaled_passing_score
 *   data-next-sco="true"       (2004) ở trang cuối, nút "Sang phần tiếp theo" gửi adl.nav.request=continue
 * Mỗi trang (bước) là một phần tử [data-step] với data-title; bước có data-page thì nội dung
 * nằm trong một tệp HTML riêng, hiển thị trong khung #khung-trang. Bài kiểm tra là form[data-quiz],
 * mỗi câu là một fieldset[data-answer] chứa các nút chọn (radio).
 * Mọi lệnh gọi API được bọc an toàn: không có LMS thì bài học vẫn xem được, chỉ không lưu kết quả.
 */
(function () {
	"use strict";

	/* ---------- Tìm API theo cách chuẩn: cửa sổ cha, rồi cửa sổ mở (opener) ---------- */
	function searchUp(win, name) {
		for (var i = 0; win && i < 12; i++) {
			try {
				if (win[name]) return win[name];
			} catch (e) { /* khác nguồn gốc: bỏ qua */ }
			var parent = null;
			try { parent = win.parent; } catch (e) { parent = null; }
			if (!parent || parent === win) break;
			win = parent;
		}
		return null;
	}
	function findApi(name) {
		var api = searchUp(window, name);
		if (!api) {
			try { if (window.opener) api = searchUp(window.opener, name); } catch (e) { api = null; }
		}
		if (!api) {
			try { if (window.top && window.top.opener) api = searchUp(window.top.opener, name); } catch (e) { api = null; }
		}
		return api;
	}

	function pad(n, w) {
		var s = String(n);
		while (s.length < w) s = "0" + s;
		return s;
	}

	/* ---------- Lớp bọc API: cùng một giao diện cho 1.2 và 2004 ---------- */
	function Lms(version) {
		this.v2004 = version === "2004";
		this.api = findApi(this.v2004 ? "API_1484_11" : "API");
		this.active = false;
		this.finished = false;
		this.startedAt = Date.now();
	}
	Lms.prototype.call = function (fn12, fn2004, args) {
		if (!this.api) return "";
		var fn = this.api[this.v2004 ? fn2004 : fn12];
		if (typeof fn !== "function") return "";
		try {
			return fn.apply(this.api, args);
		} catch (e) {
			return "";
		}
	};
	Lms.prototype.init = function () {
		var r = this.call("LMSInitialize", "Initialize", [""]);
		this.active = String(r) === "true";
		return this.active;
	};
	Lms.prototype.get = function (key) {
		if (!this.active) return "";
		var r = this.call("LMSGetValue", "GetValue", [key]);
		return r === null || r === undefined ? "" : String(r);
	};
	Lms.prototype.set = function (key, value) {
		if (!this.active) return false;
		return String(this.call("LMSSetValue", "SetValue", [key, String(value)])) === "true";
	};
	Lms.prototype.commit = function () {
		if (!this.active) return false;
		return String(this.call("LMSCommit", "Commit", [""])) === "true";
	};
	Lms.prototype.sessionTime = function () {
		var ms = Math.max(0, Date.now() - this.startedAt);
		var cs = Math.floor(ms / 10);
		var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60, c = cs % 100;
		if (this.v2004) return "PT" + h + "H" + m + "M" + s + "." + pad(c, 2) + "S";
		return pad(Math.min(h, 9999), 4) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(c, 2);
	};
	Lms.prototype.finish = function (ended) {
		if (!this.active || this.finished) return;
		this.finished = true;
		if (this.v2004) {
			this.set("cmi.exit", ended ? "normal" : "suspend");
			this.set("cmi.session_time", this.sessionTime());
		} else {
			this.set("cmi.core.exit", ended ? "" : "suspend");
			this.set("cmi.core.session_time", this.sessionTime());
		}
		this.commit();
		this.call("LMSFinish", "Terminate", [""]);
		this.active = false;
	};

	/* ---------- Khai báo các khóa theo phiên bản ---------- */
	var body = document.body;
	var lms = new Lms(body.getAttribute("data-scorm") === "2004" ? "2004" : "1.2");
	var K = lms.v2004 ? {
		location: "cmi.location", suspend: "cmi.suspend_data", entry: "cmi.entry"
	} : {
		location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", entry: "cmi.core.entry"
	};

	var steps = Array.prototype.slice.call(document.querySelectorAll("[data-step]"));
	var frameBox = document.getElementById("khung");
	var frame = document.getElementById("khung-trang");
	var stepTitle = document.getElementById("tieu-de-buoc");
	var progress = document.getElementById("tien-do");
	var notice = document.getElementById("thong-bao");
	var btnPrev = document.getElementById("nut-truoc");
	var btnNext = document.getElementById("nut-tiep");
	var btnEnd = document.getElementById("nut-ket-thuc");
	var quiz = document.querySelector("form[data-quiz]");
	var result = document.getElementById("ket-qua");
	var btnRetry = document.getElementById("nut-lam-lai");

	var state = { v: [], s: null };
	var current = 0;
	var ended = false;

	function say(text) {
		if (notice) notice.textContent = text;
	}
	function saveState() {
		lms.set(K.location, String(current));
		lms.set(K.suspend, JSON.stringify(state));
		lms.commit();
	}
	function allVisited() {
		for (var i = 0; i < steps.length; i++) if (!state.v[i]) return false;
		return true;
	}

	/* Trạng thái hoàn thành của một SCO nội dung (không có bài kiểm tra). */
	function markCompletedIfDone() {
		if (quiz || !allVisited()) return;
		ended = true;
		if (lms.v2004) lms.set("cmi.completion_status", "completed");
		else lms.set("cmi.core.lesson_status", "completed");
	}

	function show(i, moveFocus) {
		if (i < 0) i = 0;
		if (i > steps.length - 1) i = steps.length - 1;
		current = i;
		var step = steps[i];
		var page = step.getAttribute("data-page");
		for (var j = 0; j < steps.length; j++) steps[j].hidden = j !== i;
		if (frameBox && frame) {
			frameBox.hidden = !page;
			if (page && frame.getAttribute("src") !== page) frame.setAttribute("src", page);
			if (page) frame.setAttribute("title", "Nội dung trang: " + step.getAttribute("data-title"));
		}
		if (stepTitle) stepTitle.textContent = step.getAttribute("data-title") || "";
		if (progress) progress.textContent = "Trang " + (i + 1) + " / " + steps.length;
		if (btnPrev) {
			btnPrev.disabled = i === 0;
			btnPrev.hidden = steps.length < 2;
		}
		if (btnNext) btnNext.hidden = i === steps.length - 1;
		if (btnEnd) btnEnd.hidden = !(i === steps.length - 1 && (!quiz || state.s !== null));
		state.v[i] = 1;
		markCompletedIfDone();
		saveState();
		if (moveFocus && stepTitle) stepTitle.focus();
	}

	/* Khung nội dung: vừa chiều cao trang nếu cùng nguồn gốc, nếu không thì giữ chiều cao CSS. */
	if (frame) {
		frame.addEventListener("load", function () {
			try {
				var doc = frame.contentDocument;
				if (doc && doc.documentElement) frame.style.height = (doc.documentElement.scrollHeight + 16) + "px";
			} catch (e) { /* khác nguồn gốc */ }
		});
	}

	/* ---------- Bài kiểm tra ---------- */
	function passingScaled() {
		var raw = lms.v2004 ? lms.get("cmi.scaled_passing_score") : lms.get("cmi.student_data.mastery_score");
		var n = parseFloat(raw);
		if (!isNaN(n)) return lms.v2004 ? n : n / 100;
		if (lms.v2004) {
			n = parseFloat(body.getAttribute("data-passing"));
			return isNaN(n) ? 0.8 : n;
		}
		n = parseFloat(body.getAttribute("data-mastery"));
		return isNaN(n) ? 0.8 : n / 100;
	}

	function recordInteraction(idx, fs, chosen, correct) {
		var n = parseInt(lms.get("cmi.interactions._count"), 10);
		if (isNaN(n)) n = 0;
		var p = "cmi.interactions." + n + ".";
		lms.set(p + "id", fs.id || ("cau-" + (idx + 1)));
		lms.set(p + "type", "choice");
		if (lms.v2004) {
			var legend = fs.querySelector("legend");
			if (legend) lms.set(p + "description", legend.textContent.replace(/\s+/g, " ").trim().slice(0, 250));
			lms.set(p + "correct_responses.0.pattern", fs.getAttribute("data-answer"));
			lms.set(p + "learner_response", chosen);
			lms.set(p + "result", correct ? "correct" : "incorrect");
		} else {
			lms.set(p + "correct_responses.0.pattern", fs.getAttribute("data-answer"));
			lms.set(p + "student_response", chosen);
			lms.set(p + "result", correct ? "correct" : "wrong");
		}
	}

	function grade(ev) {
		ev.preventDefault();
		var sets = Array.prototype.slice.call(quiz.querySelectorAll("fieldset[data-answer]"));
		var missing = [];
		sets.forEach(function (fs, i) {
			if (!fs.querySelector("input:checked")) missing.push(i);
		});
		if (missing.length) {
			result.textContent = "Bạn chưa trả lời câu " + missing.map(function (i) { return i + 1; }).join(", ") +
				". Hãy chọn một đáp án cho mỗi câu rồi nộp bài.";
			result.focus();
			return;
		}
		var right = 0;
		sets.forEach(function (fs, i) {
			var chosen = fs.querySelector("input:checked").value;
			var ok = chosen === fs.getAttribute("data-answer");
			if (ok) right++;
			var fb = fs.querySelector(".phan-hoi");
			if (fb) {
				var key = fs.querySelector("input[value='" + fs.getAttribute("data-answer") + "']");
				var keyLabel = key ? quiz.querySelector("label[for='" + key.id + "']") : null;
				fb.textContent = ok ? "Đúng." : "Chưa đúng. Đáp án đúng: " + (keyLabel ? keyLabel.textContent : "");
				fb.className = "phan-hoi " + (ok ? "dung" : "sai");
			}
			recordInteraction(i, fs, chosen, ok);
		});
		var scaled = sets.length ? right / sets.length : 0;
		var raw = Math.round(scaled * 100);
		var pass = scaled + 1e-9 >= passingScaled();
		state.s = raw;
		ended = true;
		if (lms.v2004) {
			lms.set("cmi.score.min", "0");
			lms.set("cmi.score.max", "100");
			lms.set("cmi.score.raw", String(raw));
			lms.set("cmi.score.scaled", String(Math.round(scaled * 10000) / 10000));
			lms.set("cmi.completion_status", "completed");
			lms.set("cmi.success_status", pass ? "passed" : "failed");
		} else {
			lms.set("cmi.core.score.min", "0");
			lms.set("cmi.core.score.max", "100");
			lms.set("cmi.core.score.raw", String(raw));
			lms.set("cmi.core.lesson_status", pass ? "passed" : "failed");
		}
		saveState();
		result.textContent = "Bạn trả lời đúng " + right + "/" + sets.length + " câu, đạt " + raw + " điểm. " +
			(pass ? "Chúc mừng, bạn đã đạt yêu cầu." : "Chưa đạt (cần " + Math.round(passingScaled() * 100) +
				" điểm). Hãy xem lại bài và làm lại.");
		if (btnRetry) btnRetry.hidden = false;
		if (btnEnd) btnEnd.hidden = false;
		result.focus();
	}

	function retry() {
		quiz.reset();
		Array.prototype.forEach.call(quiz.querySelectorAll(".phan-hoi"), function (fb) {
			fb.textContent = "";
			fb.className = "phan-hoi";
		});
		result.textContent = "";
		btnRetry.hidden = true;
		var first = quiz.querySelector("input");
		if (first) first.focus();
	}

	/* ---------- Khởi động ---------- */
	var connected = lms.init();
	var start = 0;
	if (connected) {
		try {
			var saved = JSON.parse(lms.get(K.suspend) || "null");
			if (saved && typeof saved === "object") {
				if (saved.v && saved.v.length) state.v = saved.v;
				if (typeof saved.s === "number") state.s = saved.s;
			}
		} catch (e) { /* dữ liệu tạm dừng hỏng: bắt đầu lại */ }
		var loc = parseInt(lms.get(K.location), 10);
		if (!isNaN(loc) && loc > 0 && loc < steps.length) {
			start = loc;
			say("Bạn đang học tiếp từ trang " + (loc + 1) + ". Dùng nút “Trang trước” để xem lại phần đã học.");
		}
		if (lms.v2004) {
			var cs = lms.get("cmi.completion_status");
			if (cs !== "completed") lms.set("cmi.completion_status", "incomplete");
		} else {
			var ls = lms.get("cmi.core.lesson_status");
			if (ls === "" || ls === "not attempted") lms.set("cmi.core.lesson_status", "incomplete");
		}
	} else {
		say("Không kết nối được với hệ thống quản lý học tập (LMS): bạn vẫn xem được bài, nhưng tiến độ và kết quả không được lưu.");
	}

	if (btnPrev) btnPrev.addEventListener("click", function () { show(current - 1, true); });
	if (btnNext) btnNext.addEventListener("click", function () { show(current + 1, true); });
	if (quiz) quiz.addEventListener("submit", grade);
	if (btnRetry) btnRetry.addEventListener("click", retry);
	if (btnEnd) {
		btnEnd.addEventListener("click", function () {
			if (lms.v2004 && body.getAttribute("data-next-sco") === "true") lms.set("adl.nav.request", "continue");
			lms.finish(ended);
			btnEnd.disabled = true;
			say(connected ? "Đã lưu kết quả. Bạn có thể chuyển sang phần khác hoặc đóng cửa sổ này."
				: "Bạn đã xem hết bài.");
		});
	}
	/* Rời trang giữa chừng: lưu lại và thoát ở chế độ tạm dừng để lần sau học tiếp. */
	window.addEventListener("pagehide", function () { lms.finish(ended); });
	window.addEventListener("beforeunload", function () { lms.finish(ended); });

	show(start, false);
})();
