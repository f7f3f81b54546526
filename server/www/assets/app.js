/* app.js — parlearn's single page: login, then a home section per role.
 *
 * Invariants: the CSRF token lives only in memory (state.csrf), never in storage or the DOM;
 * data from the API reaches the page only through textContent (no innerHTML); every string
 * shown comes from i18n.js, so switching language re-renders everything from state.
 * Trainers and admins also get the courses with their versions and a package upload form.
 * Learners' pages (catalogue, course page, player) live in learn.js, which reaches this file
 * only through window.parlearn (see "hooks" below): views marked data-view="..." in index.html.
 * Not here (later releases): question banks, reports.
 */
(function () {
  'use strict';

  var DICT = window.PL_I18N;
  var LANG_KEY = 'parlearn.lang';
  var PAGE = 100; /* people per request; the API allows 1..500 */
  var CODE_RE = /^[A-Za-z0-9._-]{1,32}$/; /* a course code, as the API checks it */
  var CITY_TZ_MS = 7 * 3600 * 1000; /* Ho Chi Minh City: UTC+7, no daylight saving */

  var state = {
    lang: 'vi',
    me: null,
    csrf: null,
    loginMsg: null,  /* {key, params, ref} shown in #login-error */
    loginStatus: null, /* key shown in #login-status */
    homeMsg: null,
    units: null, unitsMsg: null,
    people: [], peopleTotal: 0, peopleMsg: null, peopleLoading: false,
    courses: null, coursesMsg: null, previewMsg: null, /* previewMsg: {key, params, ref, link} */
    uploading: false, uploadErr: null, upload: null /* upload: the last answer, see renderUpload */
  };

  function $(id) { return document.getElementById(id); }

  /* ---- language ---- */

  function t(key, params) {
    var s = (DICT[state.lang] && DICT[state.lang][key]) || DICT.vi[key] || key;
    if (params) {
      s = s.replace(/\{(\w+)\}/g, function (m, k) {
        return Object.prototype.hasOwnProperty.call(params, k) ? String(params[k]) : m;
      });
    }
    return s;
  }

  function loadLang() {
    try {
      var v = window.localStorage.getItem(LANG_KEY);
      if (v === 'vi' || v === 'en') { return v; }
    } catch (e) { /* storage blocked: keep the default */ }
    return 'vi';
  }

  function saveLang(lang) {
    try { window.localStorage.setItem(LANG_KEY, lang); } catch (e) { /* ignore */ }
  }

  function applyLang() {
    document.documentElement.lang = state.lang;
    document.title = t('doc.title');
    var nodes = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < nodes.length; i++) {
      nodes[i].textContent = t(nodes[i].getAttribute('data-i18n'));
    }
    var toggle = $('lang-toggle');
    toggle.textContent = t('lang.other');
    toggle.lang = t('lang.other.code');
    renderLoginMessages();
    if (state.me) { renderHome(); }
    runHooks('lang');
  }

  /* ---- API ---- */

  function requestRef(data, res) {
    var inst = data && typeof data.instance === 'string' ? data.instance : res.headers.get('X-Request-Id');
    if (!inst) { return null; }
    return inst.replace(/^urn:parlearn:request:/, '');
  }

  function api(method, path, body, ctype) {
    var opts = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (method !== 'GET') {
      var raw = typeof Blob !== 'undefined' && body instanceof Blob; /* a file: a package's zip, a question file */
      opts.headers['Content-Type'] = raw ? (ctype || 'application/zip') : 'application/json';
      if (body !== undefined) { opts.body = raw ? body : JSON.stringify(body); }
      if (state.csrf) { opts.headers['X-CSRF-Token'] = state.csrf; }
    }
    return fetch(path, opts).then(function (res) {
      var parse = res.status === 204 ? Promise.resolve(null) : res.json().catch(function () { return null; });
      return parse.then(function (data) {
        if (res.ok) { return { ok: true, status: res.status, data: data }; }
        return {
          ok: false, status: res.status, data: data,
          code: data && typeof data.code === 'string' ? data.code : 'http_' + res.status,
          retryAfter: res.headers.get('Retry-After'),
          ref: requestRef(data, res)
        };
      });
    }, function () {
      return { ok: false, status: 0, code: 'network', retryAfter: null, ref: null };
    });
  }

  /* Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3); answer whole minutes. */
  function retryMinutes(h) {
    if (!h) { return null; }
    var secs = /^\d+$/.test(h.trim()) ? parseInt(h, 10) : (Date.parse(h) - Date.now()) / 1000;
    if (!isFinite(secs) || secs <= 0) { return null; }
    return Math.max(1, Math.ceil(secs / 60));
  }

  /* Maps an API failure to a message {key, params, ref}. */
  function messageFor(r) {
    switch (r.code) {
      case 'invalid_credentials': return { key: 'err.invalid_credentials' };
      case 'too_many_attempts': {
        var n = retryMinutes(r.retryAfter);
        return n ? { key: 'err.too_many_attempts', params: { n: n } } : { key: 'err.too_many_attempts.soon' };
      }
      case 'db_unavailable': return { key: 'err.db_unavailable' };
      case 'unauthenticated':
      case 'session_expired': return { key: 'err.session_expired' };
      case 'forbidden': return { key: 'err.forbidden' };
      case 'network': return { key: 'err.network' };
      default: return { key: 'err.generic', ref: r.ref };
    }
  }

  function msgText(m) {
    if (!m) { return ''; }
    var s = t(m.key, m.params);
    if (m.ref) { s += ' ' + t('err.ref', { id: m.ref }); }
    return s;
  }

  /* ---- views ---- */

  /* view: 'login', 'home', or the data-view of a section learn.js fills ('catalogue', ...). */
  function show(view) {
    $('loading').hidden = true;
    $('login-view').hidden = view !== 'login';
    $('home-view').hidden = view !== 'home';
    var extra = document.querySelectorAll('[data-view]');
    for (var i = 0; i < extra.length; i++) { extra[i].hidden = extra[i].getAttribute('data-view') !== view; }
    $('user-bar').hidden = view === 'login' || view === 'player';
    $('home-nav').hidden = view === 'login' || view === 'player';
    document.body.setAttribute('data-screen', view);
  }

  function renderLoginMessages() {
    $('login-error').textContent = msgText(state.loginMsg);
    $('login-status').textContent = state.loginStatus ? t(state.loginStatus) : '';
    var bad = !!(state.loginMsg && state.loginMsg.field);
    $('username').setAttribute('aria-invalid', bad && state.loginMsg.field !== 'password' ? 'true' : 'false');
    $('password').setAttribute('aria-invalid', bad && state.loginMsg.field !== 'username' ? 'true' : 'false');
    var busy = $('login-form').getAttribute('aria-busy') === 'true';
    $('login-submit').textContent = t(busy ? 'login.submitting' : 'login.submit');
  }

  function showLogin(statusKey, msg, focus) {
    state.me = null;
    state.csrf = null;
    state.units = null;
    state.people = [];
    state.peopleTotal = 0;
    resetTrainer();
    runHooks('leave');
    state.loginStatus = statusKey || null;
    state.loginMsg = msg || null;
    show('login');
    renderLoginMessages();
    if (focus) { $('login-heading').focus(); }
  }

  function roleList() {
    var seen = {};
    var out = [];
    (state.me.roles || []).forEach(function (r) {
      if (!seen[r.role]) { seen[r.role] = true; out.push(r.role); }
    });
    return out;
  }

  function hasRole(role) { return roleList().indexOf(role) >= 0; }

  function seesDirectory() { return hasRole('hr_officer') || hasRole('admin'); }

  function seesCourses() { return hasRole('trainer') || hasRole('admin'); }

  function cell(tag, text, scope) {
    var c = document.createElement(tag);
    c.textContent = text === null || text === undefined || text === '' ? '—' : String(text);
    if (scope) { c.scope = scope; }
    return c;
  }

  function fmtDate(iso) {
    if (!iso) { return null; }
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!m || state.lang !== 'vi') { return iso; }
    return m[3] + '/' + m[2] + '/' + m[1];
  }

  function kindLabel(k) {
    var key = 'kind.' + k;
    return DICT.vi[key] ? t(key) : k;
  }

  function renderUnits() {
    var body = $('units-table').tBodies[0];
    body.textContent = '';
    var names = {};
    (state.units || []).forEach(function (u) { names[u.code] = u.name; });
    (state.units || []).forEach(function (u) {
      var tr = document.createElement('tr');
      tr.appendChild(cell('td', u.code));
      tr.appendChild(cell('th', u.name, 'row'));
      tr.appendChild(cell('td', kindLabel(u.kind)));
      tr.appendChild(cell('td', u.parent_code ? (u.parent_name || names[u.parent_code] || u.parent_code) : null));
      tr.appendChild(cell('td', fmtDate(u.valid_from)));
      tr.appendChild(cell('td', fmtDate(u.valid_to)));
      tr.appendChild(cell('td', (u.successor_codes || []).map(function (c) { return names[c] || c; }).join(', ')));
      body.appendChild(tr);
    });
    var st;
    if (state.unitsMsg) { st = msgText(state.unitsMsg); }
    else if (state.units === null) { st = t('loading.table'); }
    else if (state.units.length === 0) { st = t('units.empty'); }
    else { st = t('units.count', { n: state.units.length }); }
    $('units-status').textContent = st;
  }

  function renderPeople() {
    var body = $('people-table').tBodies[0];
    body.textContent = '';
    state.people.forEach(function (p) {
      var tr = document.createElement('tr');
      var th = cell('th', '', 'row'); /* the name opens the person's record (person.js) */
      var pa = el('a', null, p.full_name);
      pa.href = '#/person/' + encodeURIComponent(p.employee_code);
      th.textContent = '';
      th.appendChild(pa);
      tr.appendChild(th);
      tr.appendChild(cell('td', p.employee_code));
      tr.appendChild(cell('td', p.unit_name || p.unit_code));
      tr.appendChild(cell('td', p.position));
      tr.appendChild(cell('td', t(p.is_leader ? 'yes' : 'no')));
      tr.appendChild(cell('td', p.par_role ? t('par_role.' + p.par_role) : null));
      tr.appendChild(cell('td', t(p.active === false ? 'active.false' : 'active.true')));
      body.appendChild(tr);
    });
    var st;
    if (state.peopleMsg) { st = msgText(state.peopleMsg); }
    else if (state.peopleLoading && state.people.length === 0) { st = t('loading.table'); }
    else if (state.peopleTotal === 0) { st = t('people.empty'); }
    else { st = t('people.count', { shown: state.people.length, total: state.peopleTotal }); }
    $('people-status').textContent = st;
    $('people-more').hidden = state.people.length === 0 || state.people.length >= state.peopleTotal;
    $('people-more').disabled = state.peopleLoading;
  }

  function renderHome() {
    var me = state.me;
    var roles = roleList();
    var name = me.display_name || (me.person && me.person.full_name) || me.username;
    $('user-name').textContent = name;
    $('user-roles').textContent = t('user.roles.label') + ' ' + roles.map(function (r) {
      return DICT.vi['role.' + r] ? t('role.' + r) : r;
    }).join(', ');
    $('home-heading').textContent = t('home.heading', { name: name });
    $('home-error').textContent = msgText(state.homeMsg);

    ['learner', 'trainer', 'hr_officer', 'admin'].forEach(function (r) {
      $('section-' + r).hidden = roles.indexOf(r) < 0;
    });
    $('section-trainer').hidden = !seesCourses();
    if (seesCourses()) { renderCourses(); renderUpload(); }
    var scopes = (me.roles || []).filter(function (r) { return r.role === 'hr_officer' && r.unit; })
      .map(function (r) { return r.unit.name; });
    $('hr-scope').textContent = scopes.length ? t('hr.scope', { units: scopes.join(', ') }) : '';

    var dir = seesDirectory();
    $('section-units').hidden = !dir;
    $('section-people').hidden = !dir;
    if (dir) { renderUnits(); renderPeople(); }

    var nav = $('home-nav-list');
    nav.textContent = '';
    var links = [];
    if (roles.indexOf('learner') >= 0) { links.push(['section-learner', 'learner.heading'], ['/catalogue', 'catalogue.heading']); }
    if (seesCourses()) { links.push(['section-trainer', 'trainer.heading'], ['/questions', 'qbank.nav']); }
    if (dir) { links.push(['section-units', 'units.heading'], ['section-people', 'people.heading'], ['/sync', 'sync.nav'], ['/reports', 'rep.nav']); }
    if (roles.indexOf('learner') >= 0 || seesCourses() || hasRole('hr_officer')) { links.push(['/assessments', 'ex.nav']); } /* exam.js */
    links.forEach(function (l) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '#' + l[0]; /* '#/…' is a learn.js view, '#section-…' a place on the home page */
      a.textContent = t(l[1]);
      li.appendChild(a);
      nav.appendChild(li);
    });
  }

  /* ---- trainer: courses, versions, package upload ---- */

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function resetTrainer() {
    state.courses = null;
    state.coursesMsg = null;
    state.previewMsg = null;
    state.uploading = false;
    state.uploadErr = null;
    state.upload = null;
    $('upload-form').reset();
  }

  function fmtNum(n, digits) {
    var v = Number(n) || 0;
    try {
      return new Intl.NumberFormat(state.lang === 'vi' ? 'vi-VN' : 'en-GB',
        { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
    } catch (e) { return v.toFixed(digits); }
  }

  function fmtSize(bytes) {
    var mb = (Number(bytes) || 0) / 1048576;
    if (mb > 0 && mb < 0.01) { return '< ' + t('size.mb', { n: fmtNum(0.01, 2) }); }
    return t('size.mb', { n: fmtNum(mb, 2) });
  }

  /* An instant (ISO 8601, UTC) in the city's time: dd/mm/yyyy HH:MM, or yyyy-mm-dd HH:MM in English. */
  function fmtStamp(iso) {
    var ms = iso ? Date.parse(iso) : NaN;
    if (isNaN(ms)) { return iso || null; }
    var d = new Date(ms + CITY_TZ_MS);
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    var day = p(d.getUTCDate()), mon = p(d.getUTCMonth() + 1), y = d.getUTCFullYear();
    var hm = p(d.getUTCHours()) + ':' + p(d.getUTCMinutes());
    return state.lang === 'vi' ? day + '/' + mon + '/' + y + ' ' + hm : y + '-' + mon + '-' + day + ' ' + hm;
  }

  function pkgKind(k) { return DICT.vi['pkg.' + k] ? t('pkg.' + k) : k; }

  function hasLaunch(v) { return typeof v.launch_href === 'string' && v.launch_href !== ''; }

  var COURSE_COLS = ['version', 'kind', 'files', 'size', 'at', 'by', 'warnings', 'preview'];

  function versionRow(v, gi, vi) {
    var tr = document.createElement('tr');
    tr.appendChild(cell('th', v.version, 'row'));
    tr.appendChild(cell('td', pkgKind(v.kind)));
    tr.appendChild(cell('td', fmtNum(v.files, 0)));
    tr.appendChild(cell('td', fmtSize(v.bytes)));
    var at = cell('td', '');
    var tm = el('time', null, fmtStamp(v.imported_at) || '—');
    if (v.imported_at) { tm.dateTime = v.imported_at; }
    at.textContent = '';
    at.appendChild(tm);
    tr.appendChild(at);
    tr.appendChild(cell('td', v.imported_by === 'cli' ? t('by.cli') : v.imported_by));
    tr.appendChild(cell('td', fmtNum(v.warnings, 0)));
    var td = el('td', 'actions');
    var b = el('button', 'btn btn-small', t('courses.preview'));
    b.type = 'button';
    b.setAttribute('aria-label', t('courses.preview.label', { code: v.course_code, version: v.version }));
    if (hasLaunch(v)) {
      b.addEventListener('click', function () { openPreview(v, b); });
      td.appendChild(b);
    } else {
      var note = el('span', 'note', t('courses.nolaunch'));
      note.id = 'nolaunch-' + gi + '-' + vi;
      b.disabled = true;
      b.setAttribute('aria-describedby', note.id);
      td.appendChild(b);
      td.appendChild(note);
    }
    tr.appendChild(td);
    return tr;
  }

  function renderCourses() {
    var box = $('courses-list');
    box.textContent = '';
    var groups = [], byCode = {};
    (state.courses || []).forEach(function (v) {
      var g = byCode[v.course_code];
      if (!g) {
        g = byCode[v.course_code] = { code: v.course_code, title: v.course_title || v.title, versions: [] };
        groups.push(g);
      }
      g.versions.push(v);
    });
    groups.forEach(function (g, gi) {
      g.versions.sort(function (a, b) { return b.version - a.version; }); /* newest first */
      var div = el('div', 'course');
      var h = el('h4');
      h.id = 'course-' + gi;
      h.appendChild(el('span', 'code', g.code));
      h.appendChild(document.createTextNode(' — ' + (g.title || '')));
      div.appendChild(h);
      var wrap = el('div', 'table-wrap');
      wrap.setAttribute('role', 'region');
      wrap.setAttribute('aria-labelledby', h.id);
      wrap.tabIndex = 0;
      var table = el('table', 'versions');
      table.setAttribute('aria-labelledby', h.id);
      var hr = document.createElement('tr');
      COURSE_COLS.forEach(function (c) { hr.appendChild(cell('th', t('courses.col.' + c), 'col')); });
      table.createTHead().appendChild(hr);
      var body = table.createTBody();
      g.versions.forEach(function (v, vi) { body.appendChild(versionRow(v, gi, vi)); });
      wrap.appendChild(table);
      div.appendChild(wrap);
      box.appendChild(div);
    });
    var st;
    if (state.coursesMsg) { st = msgText(state.coursesMsg); }
    else if (state.courses === null) { st = t('loading.table'); }
    else if (groups.length === 0) { st = t('courses.empty'); }
    else { st = t('courses.count', { courses: groups.length, versions: state.courses.length }); }
    $('courses-status').textContent = st;
    var pe = $('courses-error');
    var pm = state.previewMsg;
    pe.textContent = msgText(pm);
    if (pm && pm.link) {
      var a = el('a', null, t('courses.popup.link', pm.link));
      a.href = pm.link.url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      pe.appendChild(document.createTextNode(' '));
      pe.appendChild(a);
    }
  }

  function loadCourses() {
    var me = state.me;
    return api('GET', '/api/courses').then(function (r) {
      if (state.me !== me || lostSession(r)) { return; }
      if (r.ok && r.data && Array.isArray(r.data.versions)) {
        state.courses = r.data.versions;
        state.coursesMsg = null;
      } else {
        state.courses = state.courses || [];
        state.coursesMsg = messageFor(r);
      }
      renderCourses();
    });
  }

  /* The tab is opened at the click (browsers block tabs opened later), cut off from this
   * page (no opener: package content is untrusted), then sent to the signed link. */
  function openPreview(v, btn) {
    var w = window.open('', '_blank');
    if (w) { try { w.opener = null; } catch (e) { /* ignore */ } }
    var me = state.me;
    btn.disabled = true;
    state.previewMsg = null;
    renderCourses();
    api('GET', '/api/courses/preview?course=' + encodeURIComponent(v.course_code) +
        '&version=' + encodeURIComponent(v.version)).then(function (r) {
      btn.disabled = false;
      var d = r.ok && r.data ? r.data : null;
      var href = d && (hasLaunch(d) ? d.launch_href : (hasLaunch(v) ? v.launch_href : null));
      var url = d && typeof d.content_base === 'string' && /^https?:\/\//.test(d.content_base) && href
        ? d.content_base + href : null;
      if (!url || !w) { if (w) { w.close(); } }
      else { w.location.href = url; }
      if (state.me !== me || lostSession(r)) { return; }
      if (!r.ok) { state.previewMsg = messageFor(r); }
      else if (!url) { state.previewMsg = { key: 'courses.nolaunch' }; }
      else if (!w) {
        state.previewMsg = { key: 'courses.popup', link: { url: url, code: v.course_code, version: v.version } };
      }
      renderCourses();
    });
  }

  function problemItem(p) {
    var li = el('li', 'problem sev-' + (p.severity === 'error' ? 'error' : 'warning'));
    li.appendChild(el('strong', null, t(p.severity === 'error' ? 'sev.error' : 'sev.warning')));
    var where = p.file ? p.file + (p.line ? ':' + p.line : '') : '';
    li.appendChild(document.createTextNode(' · '));
    if (where) {
      li.appendChild(el('code', null, where));
      li.appendChild(document.createTextNode(' — '));
    }
    var m = el('span', null, p.message || '');
    m.lang = 'en'; /* the server's messages are English */
    li.appendChild(m);
    li.appendChild(document.createTextNode(' ('));
    li.appendChild(el('code', null, p.code));
    li.appendChild(document.createTextNode(')'));
    return li;
  }

  function problemList(problems) {
    var ul = el('ul', 'problems');
    (problems || []).forEach(function (p) { if (p && typeof p === 'object') { ul.appendChild(problemItem(p)); } });
    return ul;
  }

  /* Failure of an upload (not a package report) → message. */
  function uploadMessage(r) {
    if (r.status === 413 || r.code === 'body_too_large') {
      var d = r.data || {};
      var max = typeof d.max_bytes === 'number' ? d.max_bytes / 1048576 : null;
      var m = typeof d.detail === 'string' ? /(\d+)\s*MiB/.exec(d.detail) : null;
      if (max === null && m) { max = parseInt(m[1], 10); }
      return max ? { key: 'upload.err.too_big', params: { n: fmtNum(max, 0) } } : { key: 'upload.err.too_big.any' };
    }
    if (r.code === 'invalid_field' && r.data && r.data.field === 'course') { return { key: 'upload.err.course' }; }
    if (r.code === 'forbidden') { return { key: 'upload.err.forbidden' }; }
    if (r.code === 'csrf_failed') { return { key: 'upload.err.csrf' }; }
    if (r.code === 'network') { return { key: 'upload.err.network' }; }
    return messageFor(r);
  }

  function renderUpload() {
    var ue = state.uploadErr;
    $('upload-error').textContent = ue ? msgText(ue) : '';
    $('upload-file').setAttribute('aria-invalid', ue && ue.field === 'file' ? 'true' : 'false');
    $('upload-course').setAttribute('aria-invalid', ue && ue.field === 'course' ? 'true' : 'false');
    $('upload-form').setAttribute('aria-busy', state.uploading ? 'true' : 'false');
    $('upload-submit').disabled = state.uploading;
    var box = $('upload-result');
    box.textContent = '';
    box.className = 'result';
    var u = state.upload;
    if (state.uploading) {
      box.appendChild(el('p', 'status', t('upload.busy')));
      return;
    }
    if (!u) { return; }
    var d = u.r.data || {};
    if (u.r.status === 201 && d.version) {
      var v = d.version, rep = d.report || {};
      var warns = (rep.problems || []).filter(function (p) { return p && p.severity !== 'error'; });
      box.className = 'result result-ok';
      box.appendChild(el('h4', null, t('upload.ok.heading', { code: v.course_code, version: v.version })));
      box.appendChild(el('p', null, t('upload.ok.summary', { name: v.title || v.course_title, kind: pkgKind(v.kind),
        files: fmtNum(v.files, 0), size: fmtSize(v.bytes) })));
      var nw = typeof rep.warnings === 'number' ? rep.warnings : warns.length;
      box.appendChild(el('p', null, nw ? t('upload.ok.warnings', { n: nw }) : t('upload.ok.clean')));
      if (warns.length) { box.appendChild(problemList(warns)); }
    } else if (u.r.status === 422 && u.r.code === 'package_invalid') {
      var probs = Array.isArray(d.problems) ? d.problems : [];
      var count = function (s) { return probs.filter(function (p) { return p && p.severity === s; }).length; };
      box.className = 'result result-bad';
      box.appendChild(el('h4', null, t('upload.bad.heading')));
      box.appendChild(el('p', null, t('upload.bad.summary', { name: u.name,
        errors: typeof d.errors === 'number' ? d.errors : count('error'),
        warnings: typeof d.warnings === 'number' ? d.warnings : count('warning') })));
      if (probs.length) { box.appendChild(problemList(probs)); }
      else if (typeof d.detail === 'string') {
        var det = el('p', 'detail', d.detail);
        det.lang = 'en';
        box.appendChild(det);
      }
      if (u.r.ref) { box.appendChild(el('p', 'muted small', t('err.ref', { id: u.r.ref }))); }
    } else {
      box.appendChild(el('p', 'error', msgText(uploadMessage(u.r))));
    }
  }

  function onUpload(ev) {
    ev.preventDefault();
    if (state.uploading) { return; }
    var input = $('upload-file');
    var file = input.files && input.files[0];
    var code = $('upload-course').value.trim();
    var err = null;
    if (!file) { err = { key: 'upload.err.nofile', field: 'file' }; }
    else if (!/\.zip$/i.test(file.name)) { err = { key: 'upload.err.notzip', params: { name: file.name }, field: 'file' }; }
    else if (code && !CODE_RE.test(code)) { err = { key: 'upload.err.course', field: 'course' }; }
    state.uploadErr = err;
    if (err) {
      renderUpload();
      $(err.field === 'file' ? 'upload-file' : 'upload-course').focus();
      return;
    }
    state.uploading = true;
    state.upload = null;
    renderUpload();
    var me = state.me;
    api('POST', '/api/packages' + (code ? '?course=' + encodeURIComponent(code) : ''), file).then(function (r) {
      if (state.me !== me) { return; }
      state.uploading = false;
      if (lostSession(r)) { return; }
      state.upload = { r: r, name: file.name };
      if (r.status === 201) {
        input.value = '';
        loadCourses();
      }
      renderUpload();
    });
  }

  /* A 401 on any call means the session is gone: back to the login page. */
  function lostSession(r) {
    if (r.status !== 401) { return false; }
    showLogin(null, messageFor(r), true);
    return true;
  }

  function loadUnits() {
    state.units = null;
    state.unitsMsg = null;
    var me = state.me;
    return api('GET', '/api/units').then(function (r) {
      if (state.me !== me) { return; }
      if (lostSession(r)) { return; }
      if (r.ok && r.data && Array.isArray(r.data.units)) { state.units = r.data.units; }
      else { state.units = []; state.unitsMsg = messageFor(r); }
      renderUnits();
    });
  }

  function loadPeople(offset) {
    state.peopleLoading = true;
    state.peopleMsg = null;
    var me = state.me;
    renderPeople();
    return api('GET', '/api/people?limit=' + PAGE + '&offset=' + offset).then(function (r) {
      if (state.me !== me) { return; }
      state.peopleLoading = false;
      if (lostSession(r)) { return; }
      if (r.ok && r.data && Array.isArray(r.data.people)) {
        state.people = offset === 0 ? r.data.people : state.people.concat(r.data.people);
        state.peopleTotal = typeof r.data.total === 'number' ? r.data.total : state.people.length;
      } else {
        state.peopleMsg = messageFor(r);
      }
      renderPeople();
    });
  }

  function enterHome(me, focus) {
    state.csrf = me.csrf_token || null;
    delete me.csrf_token;
    state.me = me;
    state.homeMsg = null;
    state.loginMsg = null;
    state.loginStatus = null;
    state.units = null;
    state.people = [];
    state.peopleTotal = 0;
    resetTrainer();
    show('home');
    renderHome();
    if (focus) { $('home-heading').focus(); }
    if (seesDirectory()) {
      loadUnits();
      loadPeople(0);
    }
    if (seesCourses()) { loadCourses(); }
    runHooks('enter', me);
    loadStaffScripts();
  }

  /* ---- hooks: what learn.js may use ---- */

  var hooks = [];
  function runHooks(name, arg) {
    hooks.forEach(function (h) { if (typeof h[name] === 'function') { h[name](arg); } });
  }

  /* The staff's pages (trainers, HR officers, admins), loaded after login and only for those
   * roles: a learner on a phone never downloads them. They run in this order; each one, as it
   * registers its hook, is entered at once (see hook below). */
  var STAFF_SCRIPTS = ['/assets/sync.js', '/assets/qbank.js', '/assets/reports.js',
    '/assets/flags.js', '/assets/person.js', '/assets/assign.js'];
  var staffLoaded = false;
  function loadStaffScripts() {
    if (staffLoaded || !(hasRole('trainer') || hasRole('hr_officer') || hasRole('admin'))) { return; }
    staffLoaded = true;
    STAFF_SCRIPTS.forEach(function (src) {
      var sc = document.createElement('script');
      sc.src = src;
      sc.async = false;
      document.head.appendChild(sc);
    });
  }

  /* Back to the home page (from a learn.js view); focus its heading, or an anchor's target. */
  function goHome(anchor) {
    if (!state.me) { return; }
    show('home');
    var target = anchor ? $(anchor) : null;
    if (target) { target.scrollIntoView(); target.setAttribute('tabindex', '-1'); target.focus(); }
    else { $('home-heading').focus(); }
  }

  window.parlearn = {
    api: api, t: t, show: show, msgText: msgText, messageFor: messageFor, lostSession: lostSession,
    fmtDate: fmtDate, fmtStamp: fmtStamp, fmtNum: fmtNum, el: el, cell: cell, goHome: goHome,
    me: function () { return state.me; },
    lang: function () { return state.lang; },
    hasRole: function (r) { return !!state.me && hasRole(r); },
    /* h: {enter(me): after login or reload, leave(): at logout or lost session, lang(): after a
     * language switch} */
    hook: function (h) {
      hooks.push(h);
      /* a page loaded after login (the staff's) is entered as it arrives */
      if (state.me && typeof h.enter === 'function') { h.enter(state.me); }
    }
  };

  /* ---- events ---- */

  function onLogin(ev) {
    ev.preventDefault();
    var form = $('login-form');
    if (form.getAttribute('aria-busy') === 'true') { return; }
    var user = $('username').value.trim();
    var pass = $('password').value;
    state.loginStatus = null;
    if (!user) {
      state.loginMsg = { key: 'err.missing_username', field: 'username' };
      renderLoginMessages();
      $('username').focus();
      return;
    }
    if (!pass) {
      state.loginMsg = { key: 'err.missing_password', field: 'password' };
      renderLoginMessages();
      $('password').focus();
      return;
    }
    state.loginMsg = null;
    form.setAttribute('aria-busy', 'true');
    $('login-submit').disabled = true;
    renderLoginMessages();
    api('POST', '/api/auth/login', { username: user, password: pass }).then(function (r) {
      form.setAttribute('aria-busy', 'false');
      $('login-submit').disabled = false;
      if (r.ok && r.data) {
        $('password').value = '';
        enterHome(r.data, true);
        return;
      }
      var m = messageFor(r);
      if (r.code === 'invalid_credentials') { m.field = 'both'; }
      state.loginMsg = m;
      renderLoginMessages();
      if (r.code === 'invalid_credentials') {
        $('password').value = '';
        $('password').focus();
      }
    });
  }

  function onLogout() {
    var btn = $('logout');
    btn.disabled = true;
    api('POST', '/api/auth/logout').then(function (r) {
      btn.disabled = false;
      if (r.ok || r.status === 401) {
        showLogin('login.loggedout', null, true);
        return;
      }
      state.homeMsg = messageFor(r);
      renderHome();
    });
  }

  function onToggleLang() {
    state.lang = state.lang === 'vi' ? 'en' : 'vi';
    saveLang(state.lang);
    applyLang();
  }

  function boot() {
    state.lang = loadLang();
    applyLang();
    $('lang-toggle').addEventListener('click', onToggleLang);
    $('login-form').addEventListener('submit', onLogin);
    $('logout').addEventListener('click', onLogout);
    $('people-more').addEventListener('click', function () { loadPeople(state.people.length); });
    $('upload-form').addEventListener('submit', onUpload);
    api('GET', '/api/me').then(function (r) {
      if (r.ok && r.data) { enterHome(r.data, false); }
      else if (r.status === 401) { showLogin(r.code === 'session_expired' ? 'err.session_expired' : null); }
      else { showLogin(null, messageFor(r)); }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', boot);
  } else {
    boot();
  }
}());
