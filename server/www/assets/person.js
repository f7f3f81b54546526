/* person.js — one person's learning record (#/person/EMPLOYEE_CODE) for HR officers and
 * admins: who they are, their courses (deadline, overdue said in words, the server's measured
 * time beside the content's reported time with the gap, completion, training periods,
 * certificate with its public verification page), their quiz and exam results, and for each
 * course the sessions behind its time ("Xem các phiên học"): the explanation of the number.
 * API: GET /api/people/learning?employee_code= (docs/reports.md, "A person's record") and
 * GET /api/my/time?course=&user= (docs/player-api.md). Reached from the home page's people
 * list (app.js) and the report's people drill-down (reports.js).
 *
 * Invariants: data reaches the page only through textContent; every string comes from
 * i18n.js (keys per.*); the view (data-view="person") is built here once. Uses app.js only
 * through window.parlearn.
 */
(function () {
  'use strict';

  var P = window.parlearn;
  if (!P) { return; }
  var t = P.t, el = P.el, cell = P.cell;
  var CODE_RE = /^[A-Za-z0-9._-]{1,32}$/;
  var FLAG_MIN_S = 300; /* lms_tot_flag: more than 5 minutes apart ... */

  var S = { active: false, code: null, data: null, msg: null, busy: false, seq: 0,
    back: null, sess: null, sessCourse: null, sessBusy: false, sessMsg: null, sessSeq: 0 };

  function $(id) { return document.getElementById(id); }
  function allowed() { return P.hasRole('admin') || P.hasRole('hr_officer'); }

  /* A duration in seconds as "1 giờ 05 phút 09 giây" / "1 h 05 min 09 s". */
  function dur(s) {
    if (s === null || s === undefined) { return '—'; }
    var v = Math.max(0, Math.round(Math.abs(Number(s)) || 0));
    var h = Math.floor(v / 3600), m = Math.floor((v % 3600) / 60), sec = v % 60;
    var p = function (x) { return (x < 10 ? '0' : '') + x; };
    if (h) { return t('per.dur.h', { h: h, m: p(m), s: p(sec) }); }
    if (m) { return t('per.dur.m', { m: m, s: p(sec) }); }
    return t('per.dur.s', { s: sec });
  }

  /* The content's figure against the server's, in words. */
  function gap(active, reported) {
    var d = (Number(reported) || 0) - (Number(active) || 0);
    if (d === 0) { return t('per.gap.none'); }
    return t(d > 0 ? 'per.gap.more' : 'per.gap.less', { d: dur(d) });
  }

  function stamp(iso) {
    var s = P.fmtStamp(iso);
    if (!s) { return null; }
    var tm = el('time', null, s);
    tm.dateTime = iso;
    return tm;
  }

  function timeCell(iso) {
    var td = cell('td', '');
    var tm = stamp(iso);
    if (tm) { td.textContent = ''; td.appendChild(tm); }
    return td;
  }

  function num(tr, text) {
    var td = cell('td', text);
    td.className = 'num';
    tr.appendChild(td);
    return td;
  }

  function heading(tag, id, text) {
    var h = el(tag, null, text);
    h.id = id;
    h.tabIndex = -1;
    return h;
  }

  /* A real table: a caption (for screen readers: a wide table would push a visible one out of
   * view), column headers, a focusable scrolling region named by the caption. */
  function table(id, captionText, heads, rows) {
    var wrap = el('div', 'table-wrap');
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-labelledby', id + '-cap');
    wrap.tabIndex = 0;
    var tb = el('table', 'rep-table');
    tb.id = id;
    var cap = el('caption', 'visually-hidden', captionText); /* the section's heading shows it */
    cap.id = id + '-cap';
    tb.appendChild(cap);
    var hr = document.createElement('tr');
    heads.forEach(function (k) { hr.appendChild(cell('th', t(k), 'col')); });
    tb.createTHead().appendChild(hr);
    var body = tb.createTBody();
    rows.forEach(function (r) { body.appendChild(r); });
    wrap.appendChild(tb);
    return wrap;
  }

  /* ---- the view, built once ---- */

  function build() {
    if ($('per-view')) { return; }
    var v = el('section', 'per');
    v.id = 'per-view';
    v.setAttribute('data-view', 'person');
    v.setAttribute('aria-labelledby', 'per-heading');
    v.hidden = true;
    var crumbs = el('p', 'crumbs no-print');
    var a = el('a');
    a.id = 'per-back';
    crumbs.appendChild(a);
    v.appendChild(crumbs);
    v.appendChild(heading('h1', 'per-heading', ''));
    var st = el('p', 'muted');
    st.id = 'per-status';
    st.setAttribute('role', 'status');
    v.appendChild(st);
    var err = el('div', 'error');
    err.id = 'per-error';
    err.setAttribute('role', 'alert');
    v.appendChild(err);
    var body = el('div');
    body.id = 'per-body';
    v.appendChild(body);
    $('main').appendChild(v);
  }

  /* ---- loading ---- */

  function failure(r) {
    if (r.code === 'not_found') { return { key: 'per.err.not_found' }; }
    if (r.code === 'forbidden') { return { key: 'per.err.forbidden' }; }
    if (r.code === 'invalid_field') { return { key: 'per.err.code' }; }
    return P.messageFor(r);
  }

  function load() {
    var me = P.me(), seq = ++S.seq;
    S.busy = true;
    S.msg = null;
    S.data = null;
    S.sess = null;
    S.sessCourse = null;
    S.sessMsg = null;
    render();
    P.api('GET', '/api/people/learning?employee_code=' + encodeURIComponent(S.code)).then(function (r) {
      if (seq !== S.seq || P.me() !== me || !S.active) { return; }
      S.busy = false;
      if (P.lostSession(r)) { return; }
      if (r.ok && r.data && r.data.person) { S.data = r.data; } else { S.msg = failure(r); }
      render();
    });
  }

  function loadSessions(course) {
    var me = P.me(), seq = ++S.sessSeq;
    S.sessCourse = course;
    S.sess = null;
    S.sessMsg = null;
    S.sessBusy = true;
    render();
    P.api('GET', '/api/my/time?course=' + encodeURIComponent(course.course_code) + '&user=' +
      encodeURIComponent(S.data.account)).then(function (r) {
      if (seq !== S.sessSeq || P.me() !== me || !S.active) { return; }
      S.sessBusy = false;
      if (P.lostSession(r)) { return; }
      if (r.ok && r.data && Array.isArray(r.data.sessions)) { S.sess = r.data; } else { S.sessMsg = failure(r); }
      render();
      $('per-sess-heading').focus();
    });
  }

  /* ---- rendering ---- */

  function header(body, d) {
    var p = d.person;
    var dl = el('dl', 'rep-summary');
    var role = p.par_role ? t('par_role.' + p.par_role) : '—';
    [['per.h.code', p.employee_code], ['per.h.unit', p.unit_name + ' (' + p.unit_code + ')'],
      ['per.h.position', p.position || '—'], ['per.h.leader', t(p.is_leader ? 'yes' : 'no')],
      ['per.h.par_role', role], ['per.h.active', t(p.active === false ? 'active.false' : 'active.true')],
      ['per.h.account', d.account || t('per.no_account')]].forEach(function (x) {
      var div = el('div');
      div.appendChild(el('dt', null, t(x[0])));
      div.appendChild(el('dd', null, x[1]));
      dl.appendChild(div);
    });
    body.appendChild(dl);
  }

  var COURSE_HEADS = ['per.c.course', 'per.c.source', 'per.c.due', 'per.c.status', 'per.c.active',
    'per.c.reported', 'per.c.gap', 'per.c.completed', 'per.c.counted', 'per.c.periods', 'per.c.cert', 'per.c.sessions'];

  function statusText(e) {
    if (e.status === 'completed') {
      return t(e.passed === false ? 'per.st.failed' : 'per.st.completed');
    }
    return t(e.status === 'in_progress' ? 'per.st.in_progress' : 'per.st.enrolled') +
      (e.scos_total ? ' — ' + t('per.st.parts', { done: e.scos_done, total: e.scos_total }) : '');
  }

  function courseRow(e, i) {
    var tr = document.createElement('tr');
    var th = cell('th', e.course_title, 'row');
    th.appendChild(el('span', 'code', ' ' + e.course_code));
    tr.appendChild(th);
    tr.appendChild(cell('td', t(e.source === 'assigned' ? 'per.src.assigned' : 'per.src.self')));
    var due = cell('td', e.due_at ? P.fmtDate(e.due_at) : t('per.due.none'));
    if (e.overdue) {
      due.appendChild(document.createTextNode(' '));
      due.appendChild(el('strong', 'overdue', t('per.overdue')));
    }
    tr.appendChild(due);
    tr.appendChild(cell('td', statusText(e)));
    num(tr, dur(e.active_s)).className = 'num per-active';
    num(tr, dur(e.reported_s));
    tr.appendChild(cell('td', gap(e.active_s, e.reported_s)));
    tr.appendChild(timeCell(e.completed_at));
    tr.appendChild(cell('td', e.completion_active_s === null ? '—'
      : t('per.counted', { a: dur(e.completion_active_s), r: dur(e.completion_reported_s) })));
    num(tr, e.status === 'completed' ? t('per.periods.done', { n: e.periods_credited, of: e.training_periods })
      : t('per.periods.of', { of: e.training_periods }));
    var certTd = cell('td', '');
    if (e.certificate) {
      certTd.textContent = '';
      var a = el('a', null, e.certificate.serial);
      a.href = '/verify/' + encodeURIComponent(e.certificate.code);
      a.setAttribute('aria-label', t('per.cert.link', { serial: e.certificate.serial }));
      certTd.appendChild(a);
      if (e.certificate.revoked) { certTd.appendChild(el('strong', 'overdue', ' ' + t('per.cert.revoked'))); }
    }
    tr.appendChild(certTd);
    var act = cell('td', '');
    act.textContent = '';
    if (d().account && e.sessions) {
      var b = el('button', 'btn btn-small', t('per.sessions.show'));
      b.type = 'button';
      b.id = 'per-sess-btn-' + i;
      b.setAttribute('aria-label', t('per.sessions.show.of', { course: e.course_title }));
      b.setAttribute('aria-controls', 'per-sess');
      b.addEventListener('click', function () { loadSessions(e); });
      act.appendChild(b);
    } else {
      act.textContent = t('per.sessions.none');
    }
    tr.appendChild(act);
    return tr;
  }

  function d() { return S.data; }

  function closeText(reason) {
    if (!reason) { return t('per.close.open'); }
    var k = 'per.close.' + reason;
    return t(k) === k ? reason : t(k);
  }

  /* Why a session is flagged (docs/time-on-task.md, "The content's figure beside ours"). */
  function flagText(s) {
    if (!s.flagged) { return t('no'); }
    if (s.reported_s === null || s.reported_s === 0) { return t('per.flag.none_reported'); }
    return t(s.reported_s > s.active_s ? 'per.flag.more' : 'per.flag.less',
      { d: dur(Math.abs(s.reported_s - s.active_s)), min: FLAG_MIN_S / 60 });
  }

  function renderSessions(sec) {
    var c = S.sessCourse;
    var h = heading('h3', 'per-sess-heading', t('per.sessions.heading', { course: c.course_title }));
    sec.appendChild(h);
    sec.appendChild(el('p', null, t('per.sessions.rule')));
    if (S.sessBusy) { sec.appendChild(el('p', 'muted', t('per.loading'))); return; }
    if (S.sessMsg) { sec.appendChild(el('p', 'error', P.msgText(S.sessMsg))); return; }
    var x = S.sess;
    var rows = x.sessions.map(function (s, i) {
      var tr = document.createElement('tr');
      var th = cell('th', t('per.s.n', { n: i + 1 }), 'row');
      tr.appendChild(th);
      tr.appendChild(cell('td', s.item_title || s.item));
      tr.appendChild(timeCell(s.opened_at));
      tr.appendChild(timeCell(s.closed_at));
      tr.appendChild(cell('td', closeText(s.closed_reason)));
      num(tr, dur(s.active_s));
      num(tr, s.reported_s === null ? t('per.reported.none') : dur(s.reported_s));
      num(tr, dur(s.wall_s));
      num(tr, P.fmtNum(s.heartbeats, 0));
      var f = cell('td', flagText(s));
      if (s.flagged) { f.className = 'overdue'; }
      tr.appendChild(f);
      return tr;
    });
    var tot = document.createElement('tr');
    tot.className = 'total';
    tot.appendChild(cell('th', t('per.s.total'), 'row'));
    tot.appendChild(cell('td', t('per.s.count', { n: x.sessions.length })));
    tot.appendChild(cell('td', ''));
    tot.appendChild(cell('td', ''));
    tot.appendChild(cell('td', ''));
    num(tot, dur(x.active_s)).className = 'num per-sess-active';
    num(tot, dur(x.reported_s));
    tot.appendChild(cell('td', ''));
    tot.appendChild(cell('td', ''));
    tot.appendChild(cell('td', ''));
    rows.push(tot);
    sec.appendChild(table('per-sess-table', t('per.sessions.caption', { course: c.course_title, code: c.course_code }),
      ['per.s.session', 'per.s.item', 'per.s.opened', 'per.s.closed', 'per.s.reason', 'per.s.active', 'per.s.reported',
        'per.s.wall', 'per.s.beats', 'per.s.flag'], rows));
    sec.appendChild(el('p', 'muted', t('per.sessions.cli', { user: S.data.account, course: c.course_code })));
  }

  function renderExams(body, d) {
    var sec = el('section');
    sec.setAttribute('aria-labelledby', 'per-ex-heading');
    sec.appendChild(heading('h2', 'per-ex-heading', t('per.ex.heading')));
    sec.appendChild(el('p', 'muted', t('per.ex.intro')));
    if (!d.exams.length) {
      sec.appendChild(el('p', null, t('per.ex.none')));
    } else {
      var rows = d.exams.map(function (x) {
        var tr = document.createElement('tr');
        var th = cell('th', x.title, 'row');
        th.appendChild(el('span', 'code', ' ' + x.code));
        tr.appendChild(th);
        tr.appendChild(cell('td', t(x.kind === 'exam' ? 'per.ex.exam' : 'per.ex.quiz')));
        num(tr, P.fmtNum(x.attempt, 0));
        tr.appendChild(timeCell(x.submitted_at));
        num(tr, x.score_percent === null ? '—' : P.fmtNum(x.score_percent, 1) + ' %');
        tr.appendChild(cell('td', x.passed === null ? t('per.ex.pending') : t(x.passed ? 'per.ex.passed' : 'per.ex.failed')));
        return tr;
      });
      sec.appendChild(table('per-ex-table', t('per.ex.caption', { name: d.person.full_name }),
        ['per.ex.c.title', 'per.ex.c.kind', 'per.ex.c.attempt', 'per.ex.c.submitted', 'per.ex.c.score', 'per.ex.c.result'], rows));
    }
    body.appendChild(sec);
  }

  function render() {
    if (!$('per-view')) { return; }
    var back = $('per-back');
    back.textContent = t(S.back ? 'per.back.report' : 'per.back.people');
    back.href = S.back || '#section-people';
    var dd = S.data;
    $('per-heading').textContent = dd ? t('per.heading', { name: dd.person.full_name }) : t('per.heading.plain');
    $('per-status').textContent = S.busy ? t('per.loading') : '';
    $('per-error').textContent = S.msg ? P.msgText(S.msg) : '';
    var body = $('per-body');
    body.textContent = '';
    body.setAttribute('aria-busy', S.busy ? 'true' : 'false');
    if (!dd) { return; }
    header(body, dd);
    var sec = el('section');
    sec.setAttribute('aria-labelledby', 'per-courses-heading');
    sec.appendChild(heading('h2', 'per-courses-heading', t('per.courses.heading')));
    if (!dd.account) {
      sec.appendChild(el('p', null, t('per.courses.no_account')));
    } else if (!dd.enrolments.length) {
      sec.appendChild(el('p', null, t('per.courses.none')));
    } else {
      sec.appendChild(el('p', 'muted', t('per.courses.intro')));
      sec.appendChild(table('per-courses-table', t('per.courses.caption', { name: dd.person.full_name }),
        COURSE_HEADS, dd.enrolments.map(courseRow)));
    }
    var ss = el('div');
    ss.id = 'per-sess';
    ss.setAttribute('aria-live', 'polite');
    if (S.sessCourse) { renderSessions(ss); }
    sec.appendChild(ss);
    body.appendChild(sec);
    renderExams(body, dd);
    body.appendChild(el('p', 'muted small', t('per.audit')));
  }

  /* ---- routing ---- */

  function parseHash() {
    var m = /^#\/person\/([^/]+)$/.exec(location.hash);
    if (!m) { return null; }
    var code = null;
    try { code = decodeURIComponent(m[1]); } catch (e) { return null; }
    return CODE_RE.test(code) ? code : null;
  }

  function route(ev) {
    if (!P.me()) { return; }
    var code = parseHash();
    if (!code || !allowed()) {
      if (S.active) {
        S.active = false;
        if (!/^#\/[a-z]/.test(location.hash)) {
          P.goHome(/^#section-[\w-]+$/.test(location.hash) ? location.hash.slice(1) : null);
        }
      }
      return;
    }
    if (ev && ev.oldURL !== undefined) {
      var old = /#\/reports(\/[^#]*)?$/.exec(ev.oldURL);
      if (old) { S.back = old[0]; } else if (!/#\/person\//.test(ev.oldURL)) { S.back = null; }
    }
    build();
    S.active = true;
    S.code = code;
    P.show('person');
    $('per-heading').focus();
    load();
  }

  P.hook({
    enter: function () { if (parseHash()) { route(null); } },
    leave: function () {
      S.active = false;
      S.data = null;
      S.sess = null;
      S.sessCourse = null;
      S.back = null;
    },
    lang: function () { if (S.active) { render(); } }
  });
  /* after the other views' handlers, which send the page home when they are left */
  window.addEventListener('hashchange', function (ev) { setTimeout(function () { route(ev); }, 0); });
}());
