/* app.js — parlearn's single page: login, then a home section per role.
 *
 * Invariants: the CSRF token lives only in memory (state.csrf), never in storage or the DOM;
 * data from the API reaches the page only through textContent (no innerHTML); every string
 * shown comes from i18n.js, so switching language re-renders everything from state.
 * Not here (later releases): courses, packages, question banks, reports.
 */
(function () {
  'use strict';

  var DICT = window.PL_I18N;
  var LANG_KEY = 'parlearn.lang';
  var PAGE = 100; /* people per request; the API allows 1..500 */

  var state = {
    lang: 'vi',
    me: null,
    csrf: null,
    loginMsg: null,  /* {key, params, ref} shown in #login-error */
    loginStatus: null, /* key shown in #login-status */
    homeMsg: null,
    units: null, unitsMsg: null,
    people: [], peopleTotal: 0, peopleMsg: null, peopleLoading: false
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
  }

  /* ---- API ---- */

  function requestRef(data, res) {
    var inst = data && typeof data.instance === 'string' ? data.instance : res.headers.get('X-Request-Id');
    if (!inst) { return null; }
    return inst.replace(/^urn:parlearn:request:/, '');
  }

  function api(method, path, body) {
    var opts = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (method !== 'GET') {
      opts.headers['Content-Type'] = 'application/json';
      if (body !== undefined) { opts.body = JSON.stringify(body); }
      if (state.csrf) { opts.headers['X-CSRF-Token'] = state.csrf; }
    }
    return fetch(path, opts).then(function (res) {
      var parse = res.status === 204 ? Promise.resolve(null) : res.json().catch(function () { return null; });
      return parse.then(function (data) {
        if (res.ok) { return { ok: true, status: res.status, data: data }; }
        return {
          ok: false, status: res.status,
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

  function show(view) {
    $('loading').hidden = true;
    $('login-view').hidden = view !== 'login';
    $('home-view').hidden = view !== 'home';
    $('user-bar').hidden = view !== 'home';
    $('home-nav').hidden = view !== 'home';
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
      tr.appendChild(cell('th', p.full_name, 'row'));
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
    if (roles.indexOf('learner') >= 0) { links.push(['section-learner', 'learner.heading']); }
    if (roles.indexOf('trainer') >= 0) { links.push(['section-trainer', 'trainer.heading']); }
    if (dir) { links.push(['section-units', 'units.heading'], ['section-people', 'people.heading']); }
    links.forEach(function (l) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '#' + l[0];
      a.textContent = t(l[1]);
      li.appendChild(a);
      nav.appendChild(li);
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
    show('home');
    renderHome();
    if (focus) { $('home-heading').focus(); }
    if (seesDirectory()) {
      loadUnits();
      loadPeople(0);
    }
  }

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
