/* learn.js — the learner's pages: my courses (on the home page), the catalogue (#/catalogue),
 * a course page (#/course/CODE) and the player (#/learn/CODE). docs/player-api.md is the
 * contract with the server and with the launcher (server/rt/launcher.js).
 *
 * Invariants: data from the API reaches the page only through textContent; every string comes
 * from i18n.js; messages from the launcher are accepted only from the launcher frame's window
 * at the content origin (taken from the launcher_url the server gave); the launch token is in
 * the frame's URL fragment only, never in this page's URL or storage.
 * Uses app.js through window.parlearn (api, t, show, ...), nothing else.
 */
(function () {
  'use strict';

  var P = window.parlearn;
  if (!P) { return; }
  var t = P.t, el = P.el;
  var CODE_RE = /^[A-Za-z0-9._-]{1,32}$/;
  var EXIT_WAIT_MS = 5000; /* how long the player waits for the launcher to save before leaving */
  var INPUT_EVERY_MS = 2000;

  var S = {
    view: null, /* 'catalogue' | 'course' | 'player' | null (home or login) */
    my: null, myMsg: null,
    cat: null, catMsg: null, busy: {},
    course: null, courseMsg: null, courseCode: null,
    /* player */
    pl: null /* {code, data (my/course), launch, frame, origin, ending, endWait, msg, ended, tocOpen} */
  };
  var pendingLaunch = null; /* {code, nav, item}: what the next player view opens */

  function $(id) { return document.getElementById(id); }

  /* ---- formatting ---- */

  function locale() { return P.lang() === 'vi' ? 'vi-VN' : 'en-GB'; }

  /* A calendar date (YYYY-MM-DD) as dd/mm/yyyy (vi-VN) or 31 Dec 2026 (en). */
  function fmtDay(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    if (!m) { return iso || ''; }
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    try {
      return new Intl.DateTimeFormat(locale(), P.lang() === 'vi'
        ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }
        : { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
    } catch (e) { return m[3] + '/' + m[2] + '/' + m[1]; }
  }

  function fmtDuration(secs) {
    var s = Math.max(0, Math.round(Number(secs) || 0));
    if (s < 60) { return s === 0 ? t('dur.zero') : t('dur.lt1m'); }
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    if (!h) { return t('dur.m', { m: m }); }
    return m ? t('dur.hm', { h: h, m: m }) : t('dur.h', { h: h });
  }

  function fmtScore(x) {
    if (typeof x !== 'number' || !isFinite(x)) { return null; }
    try { return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(x); }
    catch (e) { return Math.round(x * 100) + '%'; }
  }

  /* Today in the city (UTC+7), as YYYY-MM-DD. */
  function cityToday() { return new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10); }

  function overdue(e) { return !!e.due_at && e.status !== 'completed' && e.due_at.slice(0, 10) < cityToday(); }

  function known(prefix, v) { return window.PL_I18N.vi[prefix + v] ? t(prefix + v) : String(v); }

  /* A "label: value" line in a <dl>. */
  function dlRow(dl, label, value, cls) {
    if (value === null || value === undefined || value === '') { return; }
    var dt = el('dt', null, label), dd = el('dd', cls || null);
    if (typeof value === 'string' || typeof value === 'number') { dd.textContent = String(value); }
    else { dd.appendChild(value); }
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  function statusBadge(kind, status) {
    var s = el('span', 'badge badge-' + status, known(kind + '.', status));
    return s;
  }

  function linkBtn(href, text, label, primary) {
    var a = el('a', 'btn btn-small' + (primary ? ' btn-go' : ''), text);
    a.href = href;
    if (label) { a.setAttribute('aria-label', label); }
    return a;
  }

  function msgOf(r) {
    if (r.code === 'nav_refused') {
      var reason = r.data && typeof r.data.reason === 'string' ? r.data.reason : '';
      return { key: window.PL_I18N.vi['nav.' + reason] ? 'nav.' + reason : 'nav.refused' };
    }
    if (r.code === 'not_found') { return { key: 'learn.not_found' }; }
    return P.messageFor(r);
  }

  /* Why an item cannot be chosen now (the server's reason code), in words. */
  function refusedText(it) {
    var k = 'nav.' + (it.refused || 'refused');
    return window.PL_I18N.vi[k] ? t(k) : t('nav.refused');
  }

  function choosable(it) { return it.launchable && it.choosable !== false; }

  function courseHref(code) { return '#/course/' + encodeURIComponent(code); }
  function learnHref(code) { return '#/learn/' + encodeURIComponent(code); }

  /* ---- my courses, on the home page ---- */

  function loadMy() {
    var me = P.me();
    S.myMsg = null;
    P.api('GET', '/api/my/certificates').then(function (r) {
      if (P.me() !== me || P.lostSession(r)) { return; }
      S.certs = r.ok && r.data && Array.isArray(r.data.certificates) ? r.data.certificates : [];
      renderMy();
    });
    return P.api('GET', '/api/my/courses').then(function (r) {
      if (P.me() !== me || P.lostSession(r)) { return; }
      if (r.ok && r.data && Array.isArray(r.data.enrolments)) { S.my = r.data.enrolments; }
      else { S.my = S.my || []; S.myMsg = msgOf(r); }
      renderMy();
    });
  }

  /* The learner's certificates: the PDF and the public verification page of each. */
  function renderCerts(box) {
    var list = S.certs || [];
    if (!list.length) { return; }
    var h = el('h3', null, t('cert.heading') + ' (' + list.length + ')');
    h.id = 'my-group-certs';
    box.appendChild(h);
    var ul = el('ul', 'cards');
    ul.setAttribute('aria-labelledby', h.id);
    list.forEach(function (c) {
      var li = el('li', 'card-item');
      li.appendChild(el('h4', null, c.title));
      var dl = el('dl', 'facts');
      dlRow(dl, t('cert.serial'), c.serial);
      dlRow(dl, t('cert.issued'), fmtDay(c.issued_on));
      li.appendChild(dl);
      var p = el('p', 'card-actions');
      if (c.revoked) {
        p.appendChild(el('span', 'overdue', t('cert.revoked', { day: fmtDay(c.revoked_on), reason: c.revoke_reason })));
      } else {
        var a = linkBtn(c.pdf_url, t('cert.pdf'), t('cert.pdf') + ': ' + c.title, true);
        a.setAttribute('download', 'chung-nhan-' + c.serial + '.pdf');
        p.appendChild(a);
      }
      p.appendChild(document.createTextNode(' '));
      p.appendChild(linkBtn(c.verify_url, t('cert.verify'), t('cert.verify') + ': ' + c.serial));
      li.appendChild(p);
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  var GROUPS = [
    ['todo', function (e) { return e.status === 'enrolled'; }],
    ['in_progress', function (e) { return e.status === 'in_progress'; }],
    ['completed', function (e) { return e.status === 'completed'; }]
  ];

  function myCard(e) {
    var li = el('li', 'card-item');
    var h = el('h4');
    var a = el('a', null, e.course_title || e.course_code);
    a.href = courseHref(e.course_code);
    h.appendChild(a);
    li.appendChild(h);
    var dl = el('dl', 'facts');
    dlRow(dl, t('my.status'), statusBadge('enr', e.status));
    dlRow(dl, t('my.source'), known('src.', e.source));
    if (e.due_at) {
      var due = el('span', overdue(e) ? 'overdue' : null, fmtDay(e.due_at) + (overdue(e) ? ' — ' + t('my.overdue') : ''));
      dlRow(dl, t('my.due'), due);
    }
    if (e.scos_total > 1) { dlRow(dl, t('my.progress'), t('my.progress.value', { done: e.scos_done || 0, total: e.scos_total })); }
    dlRow(dl, t('my.time'), fmtDuration(e.active_s));
    if (e.minimum_time_s) { dlRow(dl, t('my.minimum'), fmtDuration(e.minimum_time_s)); }
    if (e.score !== null && e.score !== undefined) { dlRow(dl, t('my.score'), fmtScore(e.score)); }
    if (e.completed_at) { dlRow(dl, t('my.completed_at'), P.fmtStamp(e.completed_at)); }
    li.appendChild(dl);
    var title = e.course_title || e.course_code;
    var go = e.status === 'completed' ? 'my.review' : (e.status === 'in_progress' ? 'my.resume' : 'my.start');
    var p = el('p', 'card-actions');
    p.appendChild(linkBtn(learnHref(e.course_code), t(go), t(go) + ': ' + title, true));
    p.appendChild(document.createTextNode(' '));
    p.appendChild(linkBtn(courseHref(e.course_code), t('my.details'), t('my.details') + ': ' + title));
    li.appendChild(p);
    return li;
  }

  function renderMy() {
    var box = $('my-courses');
    if (!box) { return; }
    box.textContent = '';
    var list = S.my || [];
    $('my-empty').hidden = list.length > 0 || S.my === null;
    GROUPS.forEach(function (g) {
      var items = list.filter(g[1]);
      if (!items.length) { return; }
      items.sort(function (a, b) {
        return (a.due_at || '9999') < (b.due_at || '9999') ? -1 : (a.due_at || '9999') > (b.due_at || '9999') ? 1 : 0;
      });
      var h = el('h3', null, t('my.group.' + g[0]) + ' (' + items.length + ')');
      h.id = 'my-group-' + g[0];
      box.appendChild(h);
      var ul = el('ul', 'cards');
      ul.setAttribute('aria-labelledby', h.id);
      items.forEach(function (e) { ul.appendChild(myCard(e)); });
      box.appendChild(ul);
    });
    renderCerts(box);
    $('my-status').textContent = S.myMsg ? P.msgText(S.myMsg) : (S.my === null ? t('loading') : '');
  }

  /* ---- catalogue ---- */

  function loadCatalogue() {
    var me = P.me();
    S.cat = null;
    S.catMsg = null;
    renderCatalogue();
    return P.api('GET', '/api/catalogue').then(function (r) {
      if (P.me() !== me || P.lostSession(r)) { return; }
      if (r.ok && r.data && Array.isArray(r.data.courses)) { S.cat = r.data.courses; }
      else { S.cat = []; S.catMsg = msgOf(r); }
      renderCatalogue();
    });
  }

  function enrol(c, btn) {
    if (S.busy[c.code]) { return; }
    S.busy[c.code] = true;
    btn.disabled = true;
    btn.textContent = t('cat.enrolling');
    var me = P.me();
    P.api('POST', '/api/enrolments', { course: c.code }).then(function (r) {
      S.busy[c.code] = false;
      if (P.me() !== me || P.lostSession(r)) { return; }
      if (r.ok) {
        c.enrolled = true;
        S.my = null;
        location.hash = courseHref(c.code);
        return;
      }
      S.catMsg = msgOf(r);
      renderCatalogue();
      $('catalogue-error').focus();
    });
  }

  function renderCatalogue() {
    var ul = $('catalogue-list');
    ul.textContent = '';
    (S.cat || []).forEach(function (c) {
      var li = el('li', 'card-item');
      var h = el('h2', null, c.title || c.code);
      li.appendChild(h);
      var dl = el('dl', 'facts');
      dlRow(dl, t('cat.code'), c.code);
      dlRow(dl, t('cat.kind'), known('pkg.', c.kind));
      if (c.par_area) { dlRow(dl, t('cat.area'), c.par_area); }
      if (c.audience) { dlRow(dl, t('cat.audience'), c.audience); }
      if (c.training_periods) { dlRow(dl, t('cat.periods'), t('cat.periods.value', { n: c.training_periods })); }
      if (c.expected_duration_s) { dlRow(dl, t('cat.duration'), fmtDuration(c.expected_duration_s)); }
      if (c.minimum_time_s) { dlRow(dl, t('cat.minimum'), fmtDuration(c.minimum_time_s)); }
      li.appendChild(dl);
      var p = el('p', 'card-actions');
      var title = c.title || c.code;
      if (c.enrolled) {
        p.appendChild(el('span', 'badge badge-in_progress', t('cat.enrolled')));
        p.appendChild(document.createTextNode(' '));
        p.appendChild(linkBtn(courseHref(c.code), t('cat.open'), t('cat.open') + ': ' + title, true));
      } else {
        var b = el('button', 'btn btn-small btn-go', S.busy[c.code] ? t('cat.enrolling') : t('cat.enrol'));
        b.type = 'button';
        b.setAttribute('aria-label', t('cat.enrol') + ': ' + title);
        b.disabled = !!S.busy[c.code];
        b.addEventListener('click', function () { enrol(c, b); });
        p.appendChild(b);
      }
      li.appendChild(p);
      ul.appendChild(li);
    });
    var st;
    if (S.cat === null) { st = t('loading'); }
    else if (!S.catMsg && !S.cat.length) { st = t('cat.empty'); }
    else if (!S.catMsg) { st = t('cat.count', { n: S.cat.length }); }
    $('catalogue-status').textContent = st || '';
    $('catalogue-error').textContent = P.msgText(S.catMsg);
  }

  /* ---- course page ---- */

  function loadCourse(code) {
    var me = P.me();
    S.courseCode = code;
    S.course = null;
    S.courseMsg = null;
    renderCourse();
    return P.api('GET', '/api/my/course?course=' + encodeURIComponent(code)).then(function (r) {
      if (P.me() !== me || S.courseCode !== code || P.lostSession(r)) { return; }
      if (r.ok && r.data && Array.isArray(r.data.items)) { S.course = r.data; }
      else { S.courseMsg = msgOf(r); }
      renderCourse();
    });
  }

  function itemStatus(it) { return statusBadge('item', it.status || 'not_attempted'); }

  function openItem(code, nav, item) {
    pendingLaunch = { code: code, nav: nav, item: item || null };
    var h = learnHref(code);
    if (location.hash === h) { route(); } else { location.hash = h; }
  }

  function renderCourse() {
    var body = $('course-body');
    body.textContent = '';
    var d = S.course;
    var code = S.courseCode;
    $('course-heading').textContent = d && d.course ? (d.course.title || code) : (code || '');
    $('course-status').textContent = !d && !S.courseMsg ? t('loading') : '';
    $('course-error').textContent = P.msgText(S.courseMsg);
    if (!d) { return; }
    var e = d.enrolment;
    var c = d.course || {};

    var dl = el('dl', 'facts facts-wide');
    dlRow(dl, t('my.status'), e ? statusBadge('enr', e.status) : t('course.not_enrolled'));
    if (e) { dlRow(dl, t('my.source'), known('src.', e.source)); }
    if (e && e.due_at) {
      dlRow(dl, t('my.due'), el('span', overdue(e) ? 'overdue' : null, fmtDay(e.due_at) + (overdue(e) ? ' — ' + t('my.overdue') : '')));
    }
    if (c.training_periods) { dlRow(dl, t('cat.periods'), t('cat.periods.value', { n: c.training_periods })); }
    if (e) { dlRow(dl, t('my.time'), fmtDuration(e.active_s)); }
    var minT = (e && e.minimum_time_s) || c.minimum_time_s;
    if (minT) { dlRow(dl, t('my.minimum'), fmtDuration(minT)); }
    if (e && e.score !== null && e.score !== undefined) { dlRow(dl, t('my.score'), fmtScore(e.score)); }
    if (e && e.passed !== null && e.passed !== undefined) { dlRow(dl, t('course.result'), t(e.passed ? 'course.passed' : 'course.failed')); }
    body.appendChild(dl);
    /* the lessons are done; the course waits for a quiz that counts toward it */
    if (e && e.status !== 'completed' && d.waiting_for_quiz) {
      var wq = el('div', 'card-item cq-waiting');
      wq.id = 'cq-waiting';
      wq.setAttribute('role', 'status');
      wq.appendChild(el('p', null, t('cq.waiting')));
      wq.appendChild(el('p', 'muted', t('cq.waiting.more')));
      body.appendChild(wq);
    }

    /* the completion record; until the server sends one, what the enrolment says */
    var comp = d.completion || (e && e.status === 'completed'
      ? { completed_at: e.completed_at, passed: e.passed, score: e.score, active_s: e.active_s } : null);
    if (comp) {
      var box = el('div', 'completion');
      box.appendChild(el('h2', null, t('course.completion')));
      var cdl = el('dl', 'facts');
      dlRow(cdl, t('my.completed_at'), P.fmtStamp(comp.completed_at));
      if (comp.score !== null && comp.score !== undefined) { dlRow(cdl, t('my.score'), fmtScore(comp.score)); }
      if (comp.passed !== null && comp.passed !== undefined) { dlRow(cdl, t('course.result'), t(comp.passed ? 'course.passed' : 'course.failed')); }
      dlRow(cdl, t('my.time'), fmtDuration(comp.active_s));
      box.appendChild(cdl);
      body.appendChild(box);
    }
    /* hook (survey.js): "Khảo sát sau khóa học", the surveys of a completed course */
    if (window.parlearnSurvey && e && e.status === 'completed') { body.appendChild(window.parlearnSurvey.coursePanel(code)); }

    var launchable = d.items.filter(function (it) { return it.launchable; });
    var actions = el('p', 'course-actions');
    if (launchable.length) {
      var resume = d.resume_ord !== null && d.resume_ord !== undefined;
      var mainBtn = el('button', 'btn btn-primary btn-auto', t(resume ? 'my.resume' : (e && e.status === 'completed' ? 'my.review' : 'my.start')));
      mainBtn.type = 'button';
      mainBtn.id = 'course-go';
      mainBtn.addEventListener('click', function () { openItem(code, resume ? 'resume' : 'start'); });
      actions.appendChild(mainBtn);
    } else {
      actions.textContent = t('course.nothing');
    }
    body.appendChild(actions);

    var th = el('h2', null, t('course.toc'));
    th.id = 'course-toc-heading';
    body.appendChild(th);
    var ol = el('ol', 'toc');
    ol.setAttribute('aria-labelledby', th.id);
    d.items.forEach(function (it, idx) {
      if (it.visible === false) { return; }
      var li = el('li', 'toc-item' + (it.parent >= 0 ? ' toc-child' : ''));
      if (d.resume_ord === it.ord) { li.classList.add('toc-resume'); }
      var head = el('p', 'toc-title', it.title || it.identifier);
      li.appendChild(head);
      if (it.launchable) {
        var idl = el('dl', 'facts facts-inline');
        dlRow(idl, t('my.status'), itemStatus(it));
        if (it.score !== null && it.score !== undefined) { dlRow(idl, t('my.score'), fmtScore(it.score)); }
        dlRow(idl, t('my.time'), fmtDuration(it.active_s));
        if (it.attempts > 1) { dlRow(idl, t('course.attempts'), String(it.attempts)); }
        li.appendChild(idl);
        var b = el('button', 'btn btn-small', t(it.status === 'not_attempted' || !it.status ? 'course.open' : 'course.reopen'));
        b.type = 'button';
        b.setAttribute('aria-label', b.textContent + ': ' + (it.title || it.identifier));
        if (choosable(it)) {
          b.addEventListener('click', function () { openItem(code, 'choice', it.identifier); });
        } else {
          var why = el('span', 'note', refusedText(it));
          why.id = 'toc-why-' + idx;
          b.disabled = true;
          b.setAttribute('aria-describedby', why.id);
          li.appendChild(b);
          li.appendChild(why);
          b = null;
        }
        if (b) { li.appendChild(b); }
      }
      ol.appendChild(li);
    });
    body.appendChild(ol);
    renderQuizzes(body, d);
  }

  /* ---- the course's quizzes (docs/assessment.md, "Quizzes that count toward a course") ---- */

  function quizResult(q) {
    if (q.waiting_for_grading && (q.passed === null || q.passed === false)) { return t('cq.waiting_grading'); }
    if (q.best_fraction === null || q.best_fraction === undefined) { return q.submitted ? t('cq.hidden') : null; }
    var s = fmtScore(q.best_fraction);
    if (q.passed !== null && q.passed !== undefined) { s += ' · ' + t(q.passed ? 'cq.passed' : 'cq.not_passed'); }
    return s;
  }

  /* Starts an attempt as the assessments page does (POST /api/my/assessments/start), then
   * opens the exam page of exam.js on it. */
  function startQuiz(q, btn) {
    var me = P.me(), code = S.courseCode;
    btn.disabled = true;
    P.api('POST', '/api/my/assessments/start', { code: q.code }).then(function (r) {
      if (P.me() !== me || S.courseCode !== code || P.lostSession(r)) { return; }
      btn.disabled = false;
      if (r.ok && r.data && r.data.attempt) { location.hash = '#/exam/' + r.data.attempt; return; }
      var k = 'ex.err.' + r.code;
      $('course-error').textContent = P.msgText(window.PL_I18N.vi[k] ? { key: k } : msgOf(r));
    });
  }

  function renderQuizzes(body, d) {
    var quizzes = Array.isArray(d.quizzes) ? d.quizzes : [];
    if (!quizzes.length) { return; }
    var h = el('h2', null, t('cq.heading'));
    h.id = 'cq-heading';
    body.appendChild(h);
    var ul = el('ul', 'cards cq-list');
    ul.setAttribute('aria-labelledby', h.id);
    quizzes.forEach(function (q) {
      var li = el('li', 'card-item cq-quiz');
      li.setAttribute('data-code', q.code);
      li.appendChild(el('h3', null, q.title || q.code));
      var qdl = el('dl', 'facts facts-inline');
      dlRow(qdl, t('cq.kind'), t(q.counts_for_course ? 'cq.counts' : 'cq.practice'), 'cq-kind');
      dlRow(qdl, t('cq.attempts'), q.attempts_allowed ? t('cq.attempts_of', { used: q.attempts_used, allowed: q.attempts_allowed }) : String(q.attempts_used || 0));
      dlRow(qdl, t('cq.best'), quizResult(q), 'cq-result');
      li.appendChild(qdl);
      var act = el('p', 'card-actions');
      if (q.open_attempt) {
        act.appendChild(linkBtn('#/exam/' + q.open_attempt, t('cq.resume'), t('cq.resume') + ': ' + (q.title || q.code), true));
      } else if (q.can_start) {
        var b = el('button', 'btn btn-small btn-go', t('cq.start'));
        b.type = 'button';
        b.setAttribute('aria-label', t('cq.start') + ': ' + (q.title || q.code));
        b.addEventListener('click', function () { startQuiz(q, b); });
        act.appendChild(b);
      } else if (q.status === 'closed') {
        act.appendChild(el('span', 'muted', t('cq.closed')));
      }
      if (act.childNodes.length) { li.appendChild(act); }
      ul.appendChild(li);
    });
    body.appendChild(ul);
  }

  /* ---- the player ---- */

  function plMsg(m, retry) {
    var box = $('player-msg');
    box.textContent = m ? P.msgText(m) : '';
    box.className = 'player-msg' + (m && m.bad ? ' player-msg-bad' : '');
    if (retry) {
      var b = el('button', 'btn btn-small', t('player.reopen'));
      b.type = 'button';
      b.addEventListener('click', function () { launch({ nav: 'resume' }); });
      box.appendChild(document.createTextNode(' '));
      box.appendChild(b);
    }
  }

  function renderPlayerToc() {
    var pl = S.pl;
    var box = $('player-toc');
    box.textContent = '';
    if (!pl || !pl.data) { return; }
    var nav = el('nav');
    nav.setAttribute('aria-label', t('player.toc.label'));
    var ol = el('ol');
    var cur = pl.launch && pl.launch.item ? pl.launch.item.identifier : null;
    pl.data.items.forEach(function (it, idx) {
      if (it.visible === false) { return; }
      var li = el('li', it.parent >= 0 ? 'toc-child' : null);
      if (!it.launchable) {
        li.appendChild(el('span', 'toc-group', it.title || it.identifier));
      } else {
        var b = el('button', 'toc-link');
        b.type = 'button';
        b.appendChild(el('span', null, it.title || it.identifier));
        b.appendChild(el('span', 'toc-state', known('item.', it.status || 'not_attempted')));
        if (it.identifier === cur) { b.setAttribute('aria-current', 'step'); }
        else if (!choosable(it)) {
          var why = el('span', 'toc-state', refusedText(it));
          why.id = 'pl-why-' + idx;
          b.appendChild(why);
          b.disabled = true;
        }
        b.addEventListener('click', function () {
          if (window.matchMedia && !window.matchMedia('(min-width: 48rem)').matches) { setToc(false); }
          go({ nav: 'choice', item: it.identifier });
        });
        li.appendChild(b);
      }
      ol.appendChild(li);
    });
    nav.appendChild(ol);
    box.appendChild(nav);
  }

  function setToc(open) {
    if (!S.pl) { return; }
    S.pl.tocOpen = open;
    $('player-toc').hidden = !open;
    $('player-toc-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
  }

  function renderPlayer() {
    var pl = S.pl;
    if (!pl) { return; }
    var c = pl.data && pl.data.course;
    $('player-course').textContent = c ? (c.title || pl.code) : pl.code;
    var item = pl.launch && pl.launch.item;
    $('player-item').textContent = item && item.title && (!c || item.title !== c.title) ? '— ' + item.title : '';
    var nav = (pl.launch && pl.launch.nav) || {};
    var busy = !!pl.ending || !!pl.launching;
    $('player-prev').disabled = busy || !nav.previous;
    $('player-next').disabled = busy || !nav.continue;
    $('player-exit').disabled = !!pl.leaving;
    if (pl.frame) { pl.frame.title = t('player.frame', { title: item && item.title ? item.title : $('player-course').textContent }); }
    renderPlayerToc();
    setToc(pl.tocOpen);
  }

  function removeFrame() {
    var pl = S.pl;
    if (pl && pl.frame) {
      if (pl.frame.parentNode) { pl.frame.parentNode.removeChild(pl.frame); }
      pl.frame = null;
      pl.origin = null;
    }
  }

  /* Ends the SCO running now, if any: asks the launcher to close it (it saves first and answers
   * parlearn:closed or parlearn:finished), waits at most EXIT_WAIT_MS, removes the frame. */
  function endCurrent() {
    var pl = S.pl;
    if (!pl || !pl.frame) { return Promise.resolve(); }
    if (pl.ending) { return pl.ending; }
    pl.ending = new Promise(function (done) {
      var timer = setTimeout(finish, EXIT_WAIT_MS);
      pl.endWait = finish;
      function finish() {
        clearTimeout(timer);
        if (pl.endWait === finish) { pl.endWait = null; }
        removeFrame();
        pl.ending = null;
        done();
      }
      try { pl.frame.contentWindow.postMessage({ type: 'parlearn:exit' }, pl.origin); } catch (e) { finish(); }
    });
    renderPlayer();
    return pl.ending;
  }

  function go(req) {
    var pl = S.pl;
    if (!pl || pl.launching) { return; }
    endCurrent().then(function () { if (S.pl === pl) { launch(req); } });
  }

  function launch(req) {
    var pl = S.pl;
    if (!pl) { return; }
    var me = P.me();
    pl.launching = true;
    pl.ended = false;
    $('player-end').hidden = true;
    removeFrame();
    plMsg({ key: 'player.opening' });
    renderPlayer();
    var body = { course: pl.code, nav: req.nav };
    if (req.item) { body.item = req.item; }
    P.api('POST', '/api/launch', body).then(function (r) {
      if (S.pl !== pl) { return; }
      pl.launching = false;
      if (P.me() !== me || P.lostSession(r)) { return; }
      var d = r.data;
      var url = null;
      try { url = d && typeof d.launcher_url === 'string' ? new URL(d.launcher_url) : null; } catch (e) { url = null; }
      if (r.ok && d && d.item === null) { /* exit, exitAll, suspendAll or the end: nothing to open */
        pl.launch = { item: null, nav: d.nav || {} };
        if (/^(exit|exitAll|suspendAll)$/.test(req.nav)) { plMsg(null); location.hash = courseHref(pl.code); }
        else { plMsg(null); loadPlayerData(); showEnd(true); }
        return;
      }
      var near = !r.ok && r.code === 'nav_refused' && r.data && r.data.reason === 'no_current' ? neighbour(req.nav) : null;
      if (near) { launch({ nav: 'choice', item: near }); return; }
      if (!r.ok || !url || !/^https?:$/.test(url.protocol)) {
        var m = r.ok ? { key: 'err.generic' } : msgOf(r);
        m.bad = true;
        /* refused (e.g. already at the end): the SCO shown before is over; say so */
        if (!pl.launch) { plMsg(m); } else { plMsg(m); showEnd(false); }
        renderPlayer();
        return;
      }
      pl.launch = d;
      loadPlayerData(); /* statuses in the TOC */
      var f = document.createElement('iframe');
      f.className = 'player-frame';
      f.setAttribute('allow', 'fullscreen; autoplay');
      /* the SCO may not navigate this page or open dialogs that escape the frame's origin */
      f.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms allow-popups ' +
        'allow-popups-to-escape-sandbox allow-modals allow-downloads');
      f.setAttribute('referrerpolicy', 'no-referrer');
      var src = url.href;
      if (P.lang() === 'en') { src += (url.hash ? '&' : '#') + 'lang=en'; }
      pl.origin = url.origin;
      pl.frame = f;
      f.src = src;
      $('player-stage').appendChild(f);
      renderPlayer();
    });
  }

  /* The server may answer continue / previous with no_current once the SCO shown has
   * finished (its launch is closed); then the next or previous launchable item of the table
   * of contents is asked for by choice. */
  function neighbour(nav) {
    var pl = S.pl;
    if ((nav !== 'continue' && nav !== 'previous') || !pl || !pl.data || !pl.launch || !pl.launch.item) { return null; }
    var items = pl.data.items.filter(function (it) { return it.launchable; });
    for (var i = 0; i < items.length; i++) {
      if (items[i].identifier === pl.launch.item.identifier) {
        var n = items[nav === 'continue' ? i + 1 : i - 1];
        return n ? n.identifier : null;
      }
    }
    return null;
  }

  function loadPlayerData() {
    var pl = S.pl;
    return P.api('GET', '/api/my/course?course=' + encodeURIComponent(pl.code)).then(function (r) {
      if (S.pl !== pl || P.lostSession(r)) { return; }
      if (r.ok && r.data && Array.isArray(r.data.items)) { pl.data = r.data; }
      renderPlayer();
      return r;
    });
  }

  /* Whether the item shown is the last one that can be opened (the server's nav.continue is
   * true there too: continuing from it ends the course). */
  function atLast() {
    var pl = S.pl;
    var cur = pl.launch && pl.launch.item ? pl.launch.item.identifier : null;
    var items = pl.data ? pl.data.items.filter(function (it) { return it.launchable && it.visible !== false; }) : [];
    return !cur || !items.length || items[items.length - 1].identifier === cur;
  }

  function showEnd(focus) {
    var pl = S.pl;
    pl.ended = true;
    removeFrame();
    var nav = (pl.launch && pl.launch.nav) || {};
    var more = nav.continue && !atLast();
    $('player-end-text').textContent = t(more ? 'player.end.more' : 'player.end.last');
    $('player-end-next').hidden = !more;
    $('player-end').hidden = false;
    renderPlayer();
    if (focus) { $('player-end-heading').focus(); }
  }

  /* adl.nav.request (SCORM 2004) → what to open next; null: show the end panel. */
  function navTarget(req) {
    if (!req || typeof req !== 'string') { return null; }
    if (req === 'continue' || req === 'previous' || req === 'exit' || req === 'exitAll' || req === 'suspendAll') { return { nav: req }; }
    if (req === 'abandon' || req === 'abandonAll') { return { nav: req === 'abandon' ? 'exit' : 'exitAll' }; }
    var m = /^\{target=([^}]+)\}(choice|jump)$/.exec(req);
    return m ? { nav: 'choice', item: m[1] } : null;
  }

  function onMessage(ev) {
    var pl = S.pl;
    if (!pl || !pl.frame || ev.source !== pl.frame.contentWindow || ev.origin !== pl.origin) { return; }
    var m = ev.data;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') { return; }
    if (m.type === 'parlearn:ready') {
      plMsg(null);
    } else if (m.type === 'parlearn:finished') {
      if (pl.endWait) { pl.endWait(); return; } /* we asked it to close: the caller goes on */
      var next = navTarget(m.nav);
      if (next) { removeFrame(); launch(next); }
      else { loadPlayerData(); showEnd(true); }
    } else if (m.type === 'parlearn:closed') {
      if (pl.endWait) { pl.endWait(); }
    } else if (m.type === 'parlearn:error') {
      if (m.retrying) { plMsg({ key: 'player.retrying' }); return; }
      if (pl.endWait) { pl.endWait(); return; }
      if (m.code === 'launch_closed' || m.code === 'launch_unknown') {
        plMsg({ key: 'player.closed', bad: true }, true);
        removeFrame();
      } else {
        plMsg({ key: 'player.error', params: { code: String(m.code || '').slice(0, 40) }, bad: true }, true);
      }
    }
  }

  /* Input on this page counts as activity for the launcher's idle time. */
  var lastInputSent = 0;
  function onPlayerInput() {
    var pl = S.pl;
    var now = Date.now();
    if (!pl || !pl.frame || now - lastInputSent < INPUT_EVERY_MS) { return; }
    lastInputSent = now;
    try { pl.frame.contentWindow.postMessage({ type: 'parlearn:input' }, pl.origin); } catch (e) { /* gone */ }
  }

  function enterPlayer(code) {
    var req = pendingLaunch && pendingLaunch.code === code ? pendingLaunch : null;
    pendingLaunch = null;
    var wide = !window.matchMedia || window.matchMedia('(min-width: 48rem)').matches;
    S.pl = { code: code, data: null, launch: null, frame: null, origin: null, tocOpen: wide };
    var pl = S.pl;
    $('player-end').hidden = true;
    plMsg({ key: 'loading' });
    renderPlayer();
    $('player-heading').focus();
    loadPlayerData().then(function (r) {
      if (S.pl !== pl) { return; }
      if (!r || !r.ok) { plMsg(r ? msgOf(r) : { key: 'err.generic' }); return; }
      var resume = pl.data.resume_ord !== null && pl.data.resume_ord !== undefined;
      launch(req ? { nav: req.nav, item: req.item } : { nav: resume ? 'resume' : 'start' });
    });
  }

  function leavePlayer() {
    var pl = S.pl;
    if (!pl) { return Promise.resolve(); }
    pl.leaving = true;
    if (pl.frame) { plMsg({ key: 'player.saving' }); }
    renderPlayer();
    return endCurrent().then(function () { if (S.pl === pl) { S.pl = null; } });
  }

  /* ---- routing ---- */

  function parseHash() {
    var m = /^#\/(catalogue|course|learn)(?:\/([^/]*))?$/.exec(location.hash);
    if (!m) { return null; }
    var code = null;
    try { code = m[2] ? decodeURIComponent(m[2]) : null; } catch (e) { code = null; }
    if (m[1] !== 'catalogue' && (!code || !CODE_RE.test(code))) { return null; }
    return { view: m[1] === 'learn' ? 'player' : m[1], code: code };
  }

  function route() {
    if (!P.me()) { return; }
    var r = parseHash();
    var learner = P.hasRole('learner');
    if (S.pl && (!r || r.view !== 'player' || r.code !== S.pl.code)) {
      /* leaving the player: save first, then come back here */
      leavePlayer().then(route);
      return;
    }
    if (!r || !learner) {
      var was = S.view;
      S.view = null;
      if (was) {
        var anchor = /^#section-[\w-]+$/.test(location.hash) ? location.hash.slice(1) : null;
        P.goHome(anchor);
        loadMy();
      }
      return;
    }
    S.view = r.view;
    P.show(r.view);
    if (r.view === 'catalogue') {
      loadCatalogue();
      $('catalogue-heading').focus();
    } else if (r.view === 'course') {
      loadCourse(r.code);
      $('course-heading').focus();
    } else if (!S.pl) {
      enterPlayer(r.code);
    }
  }

  function rerender() {
    if (!P.me()) { return; }
    renderMy();
    if (S.view === 'catalogue') { renderCatalogue(); }
    if (S.view === 'course') { renderCourse(); }
    if (S.view === 'player') {
      renderPlayer();
      if (S.pl && S.pl.ended) { showEnd(false); }
    }
  }

  P.hook({
    enter: function () {
      S.my = null;
      if (P.hasRole('learner')) { renderMy(); loadMy(); }
      if (parseHash()) { route(); }
    },
    leave: function () {
      if (S.pl) { removeFrame(); S.pl = null; }
      S.view = null;
      S.my = null;
      S.cat = null;
      S.course = null;
    },
    lang: rerender
  });

  window.addEventListener('hashchange', route);
  window.addEventListener('message', onMessage);
  ['keydown', 'pointerdown', 'wheel', 'touchstart', 'scroll'].forEach(function (n) {
    document.addEventListener(n, onPlayerInput, { capture: true, passive: true });
  });

  function wire() {
    $('player-prev').addEventListener('click', function () { go({ nav: 'previous' }); });
    $('player-next').addEventListener('click', function () { go({ nav: 'continue' }); });
    $('player-end-next').addEventListener('click', function () { go({ nav: 'continue' }); });
    $('player-exit').addEventListener('click', function () {
      var code = S.pl ? S.pl.code : null;
      if (code) { location.hash = courseHref(code); }
    });
    $('player-end-course').addEventListener('click', function () {
      var code = S.pl ? S.pl.code : null;
      if (code) { location.hash = courseHref(code); }
    });
    $('player-toc-toggle').addEventListener('click', function () { setToc(!(S.pl && S.pl.tocOpen)); });
  }

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', wire); } else { wire(); }
}());
