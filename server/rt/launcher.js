/* launcher.js — runs one SCO attempt on the content origin (docs/player-api.md).
 *
 * 1. Reads the launch token `t` and the app's URL `app` from location.hash, then removes the
 *    hash so the token does not linger in the address or the history.
 * 2. POST {app}/api/rt/init → version, sco_url, cmi (flat), heartbeat_s, commit_s.
 * 3. Defines window.API (1.2) or window.API_1484_11 (2004) with scorm-again (vendor/, which
 *    never sends anything itself: lmsCommitUrl false) loaded with the cmi values, and frames
 *    the SCO (same origin as this page, so the SCO finds the API in its parent).
 * 4. Every SetValue the API accepted goes, in order, into the current batch. Commit, and every
 *    commit_s seconds when something changed, closes the batch with the next seq; all batches
 *    not yet acknowledged are sent in one POST /api/rt/commit. Retries back off 1 s, 2 s, 4 s …
 *    30 s; a 409 seq_gap resends from the batch the server expects; 401 / 410 stop everything.
 *    Only one commit request is in flight, except the final one (Terminate, page closing),
 *    which goes at once: every request carries all unacknowledged batches, and the server
 *    skips those it has, so their order does not matter.
 * 5. Terminate / LMSFinish sends the batches with finish:true and, once the server has them,
 *    tells the player {type:'parlearn:finished', nav}. Leaving without Terminate (pagehide)
 *    sends the batches with keepalive and a closing heartbeat.
 * 6. Heartbeats (POST /api/rt/beat) every heartbeat_s, at once when visibility changes, with the
 *    time since the last input here, in the SCO's frames (same origin), on the player page
 *    (postMessage {type:'parlearn:input'}), or since media last played.
 * 7. Messages to the player (postMessage, target = the app's origin): parlearn:ready,
 *    parlearn:finished {nav, next}, parlearn:error {code, detail, retrying}, parlearn:closed
 *    {saved} (the answer to the player's {type:'parlearn:exit'}). Errors are shown on this page
 *    only when the SCO cannot be opened.
 *
 * Invariants: no innerHTML; nothing from the network reaches the DOM except through textContent;
 * messages are accepted only from the parent window at the app's origin; the session cookie is
 * never sent (credentials:'omit'; it lives on another host anyway).
 */
(function () {
  'use strict';

  /* Keepalive requests (and sendBeacon, which shares the quota in Chromium) may carry at most
   * 64 KiB in flight in all (Fetch standard, "keepalive"); keep a margin for the heartbeat. */
  var KEEPALIVE_MAX = 60 * 1024;
  var BEAT_GAP_MS = 5000;   /* the server refuses more than one heartbeat per 5 s per launch */
  var TICK_MS = 5000;       /* how often the SCO's frames are rescanned for inputs and media */
  var BATCH_SOFT_MAX = 256 * 1024; /* a batch this big is sent without waiting for Commit */
  var RETRY_MAX_MS = 30000;
  var INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'scroll',
    'input', 'timeupdate', 'playing'];

  var TEXT = {
    bad_link: ['Liên kết mở bài học không đầy đủ. Hãy quay lại trang khóa học và bấm “Học” để mở lại bài học.',
      'The lesson link is incomplete. Go back to the course page and open the lesson again.'],
    launch_unknown: ['Liên kết mở bài học không hợp lệ hoặc đã hết hạn. Hãy quay lại trang khóa học và mở lại bài học.',
      'This lesson link is not valid or has expired. Go back to the course page and open the lesson again.'],
    launch_closed: ['Phiên học này đã kết thúc. Hãy quay lại trang khóa học và mở lại bài học để học tiếp.',
      'This learning session has ended. Go back to the course page and open the lesson again to continue.'],
    network: ['Không kết nối được tới máy chủ. Hãy kiểm tra kết nối mạng rồi mở lại bài học.',
      'Cannot reach the server. Check your connection, then open the lesson again.'],
    cross_origin_refused: ['Máy chủ từ chối yêu cầu từ trang bài học (cấu hình địa chỉ nội dung chưa đúng). Hãy báo cho quản trị viên.',
      'The server refused the lesson page’s request (the content address is misconfigured). Tell the administrator.'],
    no_runtime: ['Trình duyệt không tải được bộ điều khiển SCORM. Hãy tải lại trang hoặc dùng trình duyệt mới hơn.',
      'The browser could not load the SCORM run-time. Reload the page or use a newer browser.'],
    sco_load_failed: ['Không tải được nội dung bài học. Hãy tải lại trang; nếu vẫn lỗi, hãy báo cho giảng viên hoặc quản trị viên.',
      'The lesson content could not be loaded. Reload the page; if it still fails, tell the trainer or the administrator.'],
    generic: ['Không mở được bài học do lỗi máy chủ. Hãy thử lại sau ít phút.',
      'The lesson could not be opened because of a server error. Try again in a few minutes.']
  };

  var S = {
    t: null, app: null, appOrigin: null, lang: 'vi',
    version: null, api: null, frame: null, loaded: false,
    current: [], currentBytes: 0, pending: [], nextSeq: 1, acked: 0,
    inFlight: 0, retryMs: 0, retryTimer: null, gaps: 0, kaBytes: 0, unloadSentSeq: 0,
    finishWanted: false, finished: false, stopped: false, unloading: false,
    navRequest: null, exitWanted: false,
    heartbeatS: 30, commitS: 60, commitTimer: null, beatTimer: null, tickTimer: null,
    lastInput: Date.now(), hiddenAcc: 0, hiddenSince: null, lastBeat: 0
  };
  var watchedDocs = typeof WeakSet === 'function' ? new WeakSet() : null;

  function $(id) { return document.getElementById(id); }

  /* ---- talking to the player ---- */

  function tell(msg) {
    if (!S.appOrigin || window.parent === window) { return; }
    try { window.parent.postMessage(msg, S.appOrigin); } catch (e) { /* the player is gone */ }
  }

  function showError(code, detail) {
    var m = TEXT[code] || TEXT.generic;
    $('status').hidden = true;
    $('error-vi').textContent = m[0];
    $('error-en').textContent = m[1];
    $('error').hidden = false;
    if (S.frame) { S.frame.hidden = true; }
    document.title = 'parlearn — Không mở được bài học / The lesson could not be opened';
    tell({ type: 'parlearn:error', code: code, detail: detail || null, fatal: true });
  }

  /* ---- HTTP: CORS "simple" requests, text/plain JSON carrying the token ---- */

  function byteLength(s) {
    return typeof TextEncoder === 'function' ? new TextEncoder().encode(s).length : unescape(encodeURIComponent(s)).length;
  }

  /* keepalive: false, true, or 'fit' (keepalive when the body fits in what is left of the
   * quota, else an ordinary request). */
  function postJson(path, json, keepalive) {
    var p, size = 0;
    if (keepalive) {
      size = byteLength(json);
      if (S.kaBytes + size > KEEPALIVE_MAX) {
        if (keepalive === true) { return null; }
        keepalive = false;
        size = 0;
      }
    }
    try {
      p = fetch(S.app + path, {
        method: 'POST', mode: 'cors', credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: json, keepalive: !!keepalive
      });
    } catch (e) {
      return null; /* e.g. over the keepalive quota: the caller falls back to sendBeacon */
    }
    S.kaBytes += size;
    return p.then(function (res) {
      S.kaBytes -= size;
      return res.json().catch(function () { return null; }).then(function (data) {
        return { status: res.status, data: data, retryAfter: res.headers.get('Retry-After') };
      });
    }, function () { S.kaBytes -= size; return { status: 0, data: null }; });
  }

  function beacon(path, json) {
    try {
      return navigator.sendBeacon(S.app + path, new Blob([json], { type: 'text/plain;charset=UTF-8' }));
    } catch (e) { return false; }
  }

  function problemCode(r, fallback) {
    return r.data && typeof r.data.code === 'string' ? r.data.code : fallback;
  }

  /* ---- batches and commits ---- */

  function record(element, value) {
    S.current.push([element, value]);
    S.currentBytes += element.length + value.length + 8;
    if (element === 'adl.nav.request') { S.navRequest = value === '_none_' ? null : value; }
    if (S.currentBytes > BATCH_SOFT_MAX) { flush(); }
  }

  function closeBatch() {
    if (S.current.length) {
      S.pending.push({ seq: S.nextSeq++, changes: S.current });
      S.current = [];
      S.currentBytes = 0;
    }
  }

  function ack(n) {
    if (typeof n !== 'number' || !isFinite(n)) { return; }
    if (n > S.acked) { S.acked = n; }
    S.pending = S.pending.filter(function (b) { return b.seq > S.acked; });
  }

  function stop(code, detail) {
    S.stopped = true;
    clearTimers();
    tell({ type: 'parlearn:error', code: code, detail: detail || null, fatal: true });
    answerExit(false);
  }

  /* Closes the current batch and sends what is unacknowledged (see the file comment). */
  function flush() {
    if (S.stopped || S.finished) { return; }
    closeBatch();
    if (!S.pending.length && !S.finishWanted) { return; }
    if (S.unloading) { sendUnloading(); return; }
    if (S.finishWanted) { /* the last one goes now, whatever is in flight or waiting */
      if (S.retryTimer) { clearTimeout(S.retryTimer); S.retryTimer = null; }
      send();
      return;
    }
    if (S.inFlight || S.retryTimer) { return; } /* picked up when the answer comes */
    send();
  }

  function send() {
    var finish = S.finishWanted;
    var json = JSON.stringify({ t: S.t, batches: S.pending, finish: finish });
    /* keepalive whenever it fits, so a commit made just before the tab closes still arrives */
    var p = postJson('/api/rt/commit', json, 'fit') || Promise.resolve({ status: 0, data: null });
    S.inFlight++;
    p.then(function (r) { onCommitAnswer(r, finish); });
  }

  function onCommitAnswer(r, finish) {
    S.inFlight--;
    if (S.finished || S.stopped) { return; }
    var d = r.data || {};
    if (r.status === 200 && typeof d.acked === 'number') {
      S.retryMs = 0;
      S.gaps = 0;
      ack(d.acked);
      if (finish && (d.finished === true || !S.pending.length)) {
        S.finished = true;
        clearTimers();
        tell({ type: 'parlearn:finished', nav: S.navRequest, next: d.nav || null });
        answerExit(true);
        return;
      }
    } else if (r.status === 409 && d.code === 'seq_gap' && typeof d.expected === 'number') {
      ack(d.expected - 1); /* the server has everything before the batch it expects */
      if (!S.pending.length || S.pending[0].seq !== d.expected || ++S.gaps > 3) {
        stop('seq_gap', 'expected ' + d.expected);
        return;
      }
    } else if (r.status === 401 || r.status === 410) {
      stop(problemCode(r, r.status === 401 ? 'launch_unknown' : 'launch_closed'));
      return;
    } else if (r.status === 0 || r.status === 408 || r.status === 429 || r.status >= 500) {
      if (!S.retryMs) { tell({ type: 'parlearn:error', code: r.status ? problemCode(r, 'http_' + r.status) : 'network', retrying: true }); }
      S.retryMs = S.retryMs ? Math.min(S.retryMs * 2, RETRY_MAX_MS) : 1000;
      if (!S.retryTimer && !S.inFlight) {
        S.retryTimer = setTimeout(function () { S.retryTimer = null; if (!S.inFlight) { closeBatch(); send(); } }, S.retryMs);
      }
      return;
    } else {
      stop(problemCode(r, 'http_' + r.status)); /* 400, 403, 413, 422: resending would not help */
      return;
    }
    if (!S.inFlight && !S.retryTimer && (S.pending.length || S.finishWanted)) { send(); }
    else if (!S.inFlight && !S.pending.length && S.exitWanted && !S.current.length) { answerExit(true); }
  }

  /* The page is going away: answers may never come, so each request must stand alone.
   * Keepalive requests share a 64 KiB quota: send every unacknowledged batch when they fit in
   * what is left of it (the server skips the ones it has, so arrival order does not matter);
   * otherwise only the batches not yet sent during the unload, whole and in order, as many as
   * fit. suspend_data is at most 64,000 characters (2004; 4,096 in 1.2), so the usual unsent
   * data fits; what does not is lost with the page, and the next launch resumes from the last
   * acknowledged state. */
  function sendUnloading() {
    var finish = S.finishWanted;
    var json = JSON.stringify({ t: S.t, batches: S.pending, finish: finish });
    var size = byteLength(json);
    if (S.kaBytes + size > KEEPALIVE_MAX) {
      var fit = [];
      var fresh = S.pending.filter(function (b) { return b.seq > S.unloadSentSeq; });
      for (var i = 0; i < fresh.length; i++) {
        var trial = JSON.stringify({ t: S.t, batches: fit.concat([fresh[i]]), finish: false });
        if (S.kaBytes + byteLength(trial) > KEEPALIVE_MAX) { break; }
        fit.push(fresh[i]);
      }
      finish = finish && fit.length === fresh.length;
      json = JSON.stringify({ t: S.t, batches: fit, finish: finish });
    }
    var sent = JSON.parse(json).batches;
    if (sent.length) { S.unloadSentSeq = Math.max(S.unloadSentSeq, sent[sent.length - 1].seq); }
    var p = postJson('/api/rt/commit', json, true);
    if (p) {
      S.inFlight++;
      p.then(function (r) { onCommitAnswer(r, finish); }); /* runs only if the page survives */
    } else {
      beacon('/api/rt/commit', json);
    }
  }

  /* ---- heartbeats and input ---- */

  function onInput() { S.lastInput = Date.now(); }

  function onInputThrottled(ev) {
    /* pointermove and timeupdate fire many times a second: one clock read is enough */
    var now = Date.now();
    if (ev.type !== 'pointermove' && ev.type !== 'timeupdate') { S.lastInput = now; return; }
    if (now - S.lastInput > 1000) { S.lastInput = now; }
  }

  function watchDoc(doc) {
    if (!doc || (watchedDocs && watchedDocs.has(doc)) || doc.__parlearnWatched) { return; }
    if (watchedDocs) { watchedDocs.add(doc); } else { doc.__parlearnWatched = true; }
    INPUT_EVENTS.forEach(function (name) {
      doc.addEventListener(name, onInputThrottled, { capture: true, passive: true });
    });
  }

  /* Walks this window's frames (the SCO and the frames it opens itself), watching every
   * document of our origin; another origin's frames throw and are skipped. */
  function scanFrames(win, depth, mediaCheck) {
    if (depth > 6) { return; }
    var doc;
    try { doc = win.document; } catch (e) { return; }
    if (!doc) { return; }
    watchDoc(doc);
    if (mediaCheck) {
      var media = doc.querySelectorAll('video, audio');
      for (var m = 0; m < media.length; m++) {
        if (!media[m].paused && !media[m].ended) { onInput(); break; }
      }
    }
    for (var i = 0; i < win.frames.length; i++) { scanFrames(win.frames[i], depth + 1, mediaCheck); }
  }

  function tick() {
    scanFrames(window, 0, true);
  }

  function scheduleBeat(ms) {
    if (S.beatTimer) { clearTimeout(S.beatTimer); }
    S.beatTimer = setTimeout(function () { S.beatTimer = null; beat(false); }, ms);
  }

  function beat(closing) {
    if (S.stopped || S.finished || !S.t || !S.version) { return; }
    var now = Date.now();
    if (!closing && now - S.lastBeat < BEAT_GAP_MS) { scheduleBeat(S.lastBeat + BEAT_GAP_MS - now); return; }
    scanFrames(window, 0, true);
    var hidden = S.hiddenAcc + (S.hiddenSince !== null ? now - S.hiddenSince : 0);
    S.hiddenAcc = 0;
    if (S.hiddenSince !== null) { S.hiddenSince = now; }
    S.lastBeat = now;
    var json = JSON.stringify({ t: S.t, visible: document.visibilityState === 'visible',
      hidden_ms: Math.round(hidden), idle_ms: Math.max(0, now - S.lastInput), closing: !!closing });
    if (closing) {
      if (!beacon('/api/rt/beat', json)) { postJson('/api/rt/beat', json, true); }
      return;
    }
    scheduleBeat(S.heartbeatS * 1000);
    postJson('/api/rt/beat', json, 'fit').then(function (r) {
      if (r.status === 401 || r.status === 410) {
        if (!S.finished && !S.finishWanted) { stop(problemCode(r, r.status === 401 ? 'launch_unknown' : 'launch_closed')); }
      } else if (r.status !== 200 && r.status !== 429) {
        S.hiddenAcc += hidden; /* not counted: report it with the next one */
      }
    });
  }

  function onVisibility() {
    var now = Date.now();
    if (document.visibilityState === 'hidden') {
      if (S.hiddenSince === null) { S.hiddenSince = now; }
      flush(); /* phones may kill a hidden tab without pagehide */
    } else if (S.hiddenSince !== null) {
      S.hiddenAcc += now - S.hiddenSince;
      S.hiddenSince = null;
      onInput();
    }
    beat(false);
  }

  function onPageHide() {
    if (S.unloading) { return; }
    S.unloading = true;
    /* Also after the final commit went out: if it is still unanswered (slow or failing network),
     * sending it again is harmless (the server skips what it has), losing it is not. */
    if (!S.version || S.finished || S.stopped) { return; }
    closeBatch();
    if (S.pending.length || S.finishWanted) { sendUnloading(); }
    if (!S.finishWanted) { beat(true); }
  }

  function onPageShow(ev) {
    if (!ev.persisted || !S.unloading) { return; }
    S.unloading = false; /* back from the back/forward cache: carry on */
    if (!S.finished && !S.stopped && S.version) { startTimers(); beat(false); }
  }

  function clearTimers() {
    if (S.commitTimer) { clearInterval(S.commitTimer); S.commitTimer = null; }
    if (S.beatTimer) { clearTimeout(S.beatTimer); S.beatTimer = null; }
    if (S.tickTimer) { clearInterval(S.tickTimer); S.tickTimer = null; }
    if (S.retryTimer) { clearTimeout(S.retryTimer); S.retryTimer = null; }
  }

  function startTimers() {
    clearTimers();
    S.commitTimer = setInterval(function () { if (S.current.length) { flush(); } }, S.commitS * 1000);
    S.tickTimer = setInterval(tick, TICK_MS);
    scheduleBeat(S.heartbeatS * 1000);
  }

  /* ---- the player asks to leave: end the SCO here, while this page can still hear answers ---- */

  function answerExit(saved) {
    if (!S.exitWanted) { return; }
    S.exitWanted = false;
    tell({ type: 'parlearn:closed', saved: !!saved });
  }

  function onExitRequest() {
    if (S.exitWanted) { return; }
    S.exitWanted = true;
    if (S.finished || S.stopped || !S.version) { answerExit(S.finished); return; }
    /* Removing the SCO's frame runs its pagehide/unload handlers, where SCOs save and call
     * Terminate; the commits they make then go through this live page. */
    if (S.frame && S.frame.parentNode) {
      S.frame.parentNode.removeChild(S.frame);
      S.frame = null;
    }
    setTimeout(function () {
      if (!S.exitWanted || S.finishWanted) { return; } /* Terminate came: its answer replies */
      closeBatch();
      if (!S.pending.length && !S.inFlight) { beat(false); answerExit(true); return; }
      flush();
    }, 0);
  }

  function onMessage(ev) {
    if (ev.source !== window.parent || ev.origin !== S.appOrigin || !ev.data || typeof ev.data !== 'object') { return; }
    if (ev.data.type === 'parlearn:input') { onInput(); }
    else if (ev.data.type === 'parlearn:exit') { onExitRequest(); }
  }

  /* ---- the run-time API ---- */

  function makeApi(d) {
    var Ctor = S.version === '2004' ? window.Scorm2004API : window.Scorm12API;
    if (typeof Ctor !== 'function') { return null; }
    var settings = {
      autocommit: false, lmsCommitUrl: false, logLevel: 5, useAsynchronousCommits: false,
      autoCompleteLessonStatus: false, mastery_override: false, selfReportSessionTime: false,
      alwaysSendTotalTime: false, enableOfflineSupport: false
    };
    var nav = d.nav && typeof d.nav === 'object' ? d.nav : null; /* optional: what the server allows */
    if (S.version === '2004' && nav && Array.isArray(nav.choice)) {
      settings.scoItemIds = nav.choice.filter(function (x) { return typeof x === 'string'; });
    }
    var api = new Ctor(settings);
    var flat = {};
    Object.keys(d.cmi || {}).forEach(function (k) {
      var v = d.cmi[k];
      if (v !== null && v !== undefined) { flat[k] = typeof v === 'string' ? v : String(v); }
    });
    api.loadFromFlattenedJSON(flat);
    if (S.version === '2004' && nav) {
      try {
        if (typeof nav.continue === 'boolean') { api.adl.nav.request_valid.continue = String(nav.continue); }
        if (typeof nav.previous === 'boolean') { api.adl.nav.request_valid.previous = String(nav.previous); }
      } catch (e) { /* left "unknown", which SCORM allows */ }
    }
    var names = S.version === '2004'
      ? { set: 'SetValue', commit: 'Commit', finish: 'Terminate' }
      : { set: 'LMSSetValue', commit: 'LMSCommit', finish: 'LMSFinish' };
    var origSet = api[names.set], origCommit = api[names.commit], origFinish = api[names.finish];
    api[names.set] = function (element, value) {
      var r = origSet.apply(api, arguments);
      if (String(r) === 'true' && !S.finishWanted) {
        record(String(element), value === undefined || value === null ? '' : String(value));
      }
      return r;
    };
    api[names.commit] = function () {
      var r = origCommit.apply(api, arguments);
      if (String(r) === 'true') { flush(); }
      return r;
    };
    api[names.finish] = function () {
      var r = origFinish.apply(api, arguments);
      if (String(r) === 'true' && !S.finishWanted) {
        S.finishWanted = true;
        flush();
      }
      return r;
    };
    return api;
  }

  function onScoLoad() {
    var f = S.frame;
    if (!f) { return; }
    var ok = true;
    try {
      var w = f.contentWindow;
      var navEntry = w.performance && w.performance.getEntriesByType ? w.performance.getEntriesByType('navigation')[0] : null;
      if (navEntry && typeof navEntry.responseStatus === 'number' && navEntry.responseStatus >= 400) { ok = false; }
      scanFrames(w, 1, false);
    } catch (e) {
      ok = S.loaded; /* the first page of the SCO is ours: unreadable means an error page */
    }
    if (!S.loaded) {
      S.loaded = true;
      if (!ok) { showError('sco_load_failed'); return; }
      $('status').hidden = true;
      tell({ type: 'parlearn:ready' });
    }
  }

  function start(d) {
    S.version = d.version === '2004' ? '2004' : (d.version === '1.2' ? '1.2' : null);
    var sco = null;
    try { sco = new URL(d.sco_url, location.href); } catch (e) { sco = null; }
    /* the SCO must share this page's origin, or it cannot find the API */
    if (!S.version || !sco || sco.origin !== location.origin) { showError('generic', 'bad init answer'); return; }
    if (typeof d.seq === 'number' && d.seq > 0 && isFinite(d.seq)) { /* batches the server has */
      S.acked = d.seq;
      S.nextSeq = d.seq + 1;
    }
    var hb = Number(d.heartbeat_s), cs = Number(d.commit_s);
    S.heartbeatS = isFinite(hb) && hb >= 5 ? Math.min(hb, 600) : 30;
    S.commitS = isFinite(cs) && cs >= 5 ? Math.min(cs, 3600) : 60;
    var api;
    try { api = makeApi(d); } catch (e) { showError('generic', 'cmi: ' + e.message); return; }
    if (!api) { showError('no_runtime'); return; }
    S.api = api;
    if (S.version === '2004') { window.API_1484_11 = api; } else { window.API = api; }

    var f = document.createElement('iframe');
    f.id = 'sco';
    f.title = S.lang === 'en' ? 'Lesson content' : 'Nội dung bài học';
    f.setAttribute('allow', 'fullscreen; autoplay');
    f.addEventListener('load', onScoLoad);
    f.src = sco.href;
    S.frame = f;
    document.body.appendChild(f);
    startTimers();
    beat(false);
  }

  /* The run-time script: SCORM 1.2 courses get scorm-again's 1.2-only build (34 KB gzipped
   * instead of 114 KB, for phones on slow connections); the rest the whole build. The player
   * names the version in the fragment (v=1.2|2004), so the script loads while init runs. */
  var runtime = { want: null, loaded: {}, waiting: [] };

  function loadRuntime(version) {
    var src = version === '1.2' ? 'vendor/scorm12.min.js' : 'vendor/scorm-again.min.js';
    if (runtime.loaded[src] !== undefined) { return src; }
    runtime.loaded[src] = false;
    var el = document.createElement('script');
    el.src = src;
    el.onload = function () { runtime.loaded[src] = true; flushRuntime(); };
    el.onerror = function () { runtime.loaded[src] = 'error'; flushRuntime(); };
    document.head.appendChild(el);
    return src;
  }

  function flushRuntime() {
    var still = [];
    runtime.waiting.forEach(function (w) {
      if (runtime.loaded[w.src] === true) { w.ok(); }
      else if (runtime.loaded[w.src] === 'error') { showError('no_runtime'); }
      else { still.push(w); }
    });
    runtime.waiting = still;
  }

  function withRuntime(version, ok) {
    var ready = version === '2004' ? typeof window.Scorm2004API === 'function'
      : typeof window.Scorm12API === 'function';
    if (ready) { ok(); return; }
    runtime.waiting.push({ src: loadRuntime(version), ok: ok });
    flushRuntime();
  }

  function init(attempt) {
    postJson('/api/rt/init', JSON.stringify({ t: S.t }), false).then(function (r) {
      var d = r.data;
      if (r.status === 200 && d && typeof d === 'object') {
        withRuntime(d.version === '1.2' ? '1.2' : '2004', function () { start(d); });
        return;
      }
      if ((r.status === 0 || r.status >= 500) && attempt < 3) {
        setTimeout(function () { init(attempt + 1); }, 1000 * Math.pow(2, attempt));
        return;
      }
      var code = r.status === 0 ? 'network'
        : r.status === 401 ? 'launch_unknown'
        : r.status === 410 ? 'launch_closed'
        : r.status === 403 && problemCode(r, '') === 'cross_origin_refused' ? 'cross_origin_refused'
        : 'generic';
      S.stopped = true;
      showError(code, problemCode(r, r.status ? 'http_' + r.status : 'network'));
    });
  }

  function boot() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    var t = params.get('t'), app = params.get('app'), lang = params.get('lang');
    try { history.replaceState(null, '', location.pathname + location.search); } catch (e) { /* ignore */ }
    if (lang === 'en') { S.lang = 'en'; }
    var appUrl = null;
    try { appUrl = app ? new URL(app) : null; } catch (e) { appUrl = null; }
    if (appUrl && (appUrl.protocol === 'https:' || appUrl.protocol === 'http:')) {
      S.appOrigin = appUrl.origin;
      S.app = (appUrl.origin + appUrl.pathname).replace(/\/+$/, '');
    }
    window.addEventListener('message', onMessage);
    if (!t || !S.app || t.length > 256 || !/^[A-Za-z0-9_-]+$/.test(t)) { showError('bad_link'); return; }
    S.t = t;
    watchDoc(document);
    document.addEventListener('visibilitychange', onVisibility);
    if (document.visibilityState === 'hidden') { S.hiddenSince = Date.now(); }
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('pageshow', onPageShow);
    var v = params.get('v');
    if (v === '1.2' || v === '2004') { loadRuntime(v); } /* in parallel with init */
    init(0);
  }

  boot();
}());
