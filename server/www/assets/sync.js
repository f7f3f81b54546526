/* sync.js — the reconciliation page of the personnel sync (#/sync, #/sync/UNIT) for admins
 * and HR officers: per unit and period what was produced, delivered, pending, dead or
 * unroutable, a banner when events are overdue (PARLEARN_SYNC_ALERT_DAYS working days), the
 * dead letters with their last error, and for admins "send again" for a range of seqs and
 * "retry dead letters" after a confirmation. API: GET /api/sync/status, POST
 * /api/sync/resend and /api/sync/retry-dead (docs/personnel-sync.md).
 *
 * Invariants: data reaches the page only through textContent; every string comes from
 * i18n.js; the view (data-view="reconciliation") is built here once, so index.html only
 * loads this script. Uses app.js through window.parlearn only.
 */
(function () {
  'use strict';

  var P = window.parlearn;
  if (!P) { return; }
  var t = P.t, el = P.el, cell = P.cell;
  var CODE_RE = /^[A-Za-z0-9._-]{1,32}$/;
  var DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
  var MAX_RANGE = 100000;
  var COLS = ['produced', 'delivered', 'pending', 'dead', 'unroutable', 'overdue'];

  var S = { active: false, unit: null, units: null, from: '', to: '', bucket: '', data: null,
    msg: null, busy: false, seq: 0, toolMsg: null, confirm: false, sending: false };

  function $(id) { return document.getElementById(id); }
  function n(x) { return P.fmtNum(x, 0); }
  function allowed() { return P.hasRole('admin') || P.hasRole('hr_officer'); }

  /* ---- the view, built once ---- */

  function field(id, key, input) {
    var d = el('div', 'field');
    var l = el('label', null, t(key));
    l.htmlFor = id;
    l.setAttribute('data-i18n', key);
    input.id = id;
    d.appendChild(l);
    d.appendChild(input);
    return d;
  }

  function input(type) {
    var i = document.createElement('input');
    i.type = type;
    return i;
  }

  function heading(tag, id, key) {
    var h = el(tag, null, key ? t(key) : null);
    h.id = id;
    if (key) { h.setAttribute('data-i18n', key); }
    return h;
  }

  function build() {
    if ($('sync-view')) { return; }
    var v = el('section');
    v.id = 'sync-view';
    v.setAttribute('data-view', 'reconciliation');
    v.setAttribute('aria-labelledby', 'sync-heading');
    v.hidden = true;
    var back = el('p', 'crumbs');
    var a = el('a', null, t('sync.back'));
    a.href = '#home-heading'; /* any other place: route() goes home */
    a.setAttribute('data-i18n', 'sync.back');
    back.appendChild(a);
    v.appendChild(back);
    var h1 = heading('h1', 'sync-heading', 'sync.heading');
    h1.tabIndex = -1;
    v.appendChild(h1);
    v.appendChild(el('p', 'muted')).id = 'sync-intro';
    var alert = el('div', 'error');
    alert.id = 'sync-alert';
    alert.setAttribute('role', 'alert');
    v.appendChild(alert);

    var f = el('form', 'sync-filter');
    f.id = 'sync-filter';
    f.noValidate = true;
    f.setAttribute('aria-labelledby', 'sync-filter-legend');
    var fs = el('fieldset');
    var lg = heading('legend', 'sync-filter-legend', 'sync.filter');
    fs.appendChild(lg);
    var sel = document.createElement('select');
    fs.appendChild(field('sync-unit', 'sync.unit', sel));
    fs.appendChild(field('sync-from', 'sync.from', input('date')));
    fs.appendChild(field('sync-to', 'sync.to', input('date')));
    var b = document.createElement('select');
    ['auto', 'day', 'month'].forEach(function (k) {
      var o = el('option', null, t('sync.bucket.' + k));
      o.value = k === 'auto' ? '' : k;
      o.setAttribute('data-i18n', 'sync.bucket.' + k);
      b.appendChild(o);
    });
    fs.appendChild(field('sync-bucket', 'sync.bucket', b));
    f.appendChild(fs);
    var err = el('div', 'error');
    err.id = 'sync-error';
    err.setAttribute('aria-live', 'assertive');
    f.appendChild(err);
    var go = el('button', 'btn btn-primary btn-auto', t('sync.show'));
    go.type = 'submit';
    go.setAttribute('data-i18n', 'sync.show');
    f.appendChild(go);
    f.addEventListener('submit', onFilter);
    v.appendChild(f);

    var st = el('p', 'muted');
    st.id = 'sync-status';
    st.setAttribute('role', 'status');
    v.appendChild(st);
    v.appendChild(el('div')).id = 'sync-body';
    v.appendChild(el('div')).id = 'sync-tools';
    $('main').appendChild(v);
  }

  /* ---- tables ---- */

  function fmtAge(s) {
    if (typeof s !== 'number') { return null; }
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    if (d) { return t('sync.age.d', { d: d, h: h }); }
    return h ? t('sync.age.h', { h: h }) : t('sync.age.m', { m: Math.floor(s / 60) });
  }

  function fmtPeriod(p) {
    return /^\d{4}-\d{2}$/.test(p) ? (P.lang() === 'vi' ? p.slice(5) + '/' + p.slice(0, 4) : p) : P.fmtDate(p);
  }

  /* A table in a scrolling region, labelled by the heading with id hid. */
  function table(hid, cols, rows) {
    var wrap = el('div', 'table-wrap');
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-labelledby', hid);
    wrap.tabIndex = 0;
    var tb = el('table', 'sync-table');
    tb.setAttribute('aria-labelledby', hid);
    var hr = document.createElement('tr');
    cols.forEach(function (c) { hr.appendChild(cell('th', t('sync.col.' + c), 'col')); });
    tb.createTHead().appendChild(hr);
    var body = tb.createTBody();
    rows.forEach(function (r) { body.appendChild(r); });
    wrap.appendChild(tb);
    return wrap;
  }

  function countCells(tr, c) {
    COLS.forEach(function (k) {
      var td = cell('td', n(c[k]));
      td.className = 'num' + (k === 'overdue' && c[k] > 0 ? ' overdue' : '');
      tr.appendChild(td);
    });
    tr.appendChild(cell('td', fmtAge(c.oldest_pending_age_s)));
    return tr;
  }

  function unitName(u) { return u.code ? u.name || u.code : t('sync.unit.none'); }

  function unitRow(u) {
    var tr = document.createElement('tr');
    var th = cell('th', '', 'row');
    th.textContent = '';
    if (u.code && u.code !== S.unit) {
      var a = el('a', null, unitName(u));
      a.href = '#/sync/' + encodeURIComponent(u.code);
      th.appendChild(a);
    } else {
      th.textContent = unitName(u);
    }
    if (u.code) { th.appendChild(el('span', 'code', ' ' + u.code)); }
    tr.appendChild(th);
    return countCells(tr, u);
  }

  function periodRow(p) {
    var tr = document.createElement('tr');
    tr.appendChild(cell('th', fmtPeriod(p.period), 'row'));
    return countCells(tr, p);
  }

  function problemRow(p, late) {
    var tr = document.createElement('tr');
    tr.appendChild(cell('th', p.seq, 'row'));
    var ev = cell('td', '');
    ev.textContent = '';
    ev.appendChild(el('code', null, p.event_id));
    ev.appendChild(el('span', 'note', window.PL_I18N.vi['sync.kind.' + p.kind] ? t('sync.kind.' + p.kind) : p.kind));
    tr.appendChild(ev);
    tr.appendChild(cell('td', p.employee_code));
    tr.appendChild(cell('td', p.unit_code ? (p.unit_name || p.unit_code) : t('sync.unit.none')));
    tr.appendChild(cell('td', P.fmtStamp(p.occurred_at)));
    if (late) {
      tr.appendChild(cell('td', t('sync.age.wd', { n: P.fmtNum(p.age_working_days, 1) })));
      tr.appendChild(cell('td', t('sync.state.' + (p.state === 'dead' ? 'dead' : p.blocked ? 'blocked' : 'pending'))));
    } else {
      tr.appendChild(cell('td', n(p.attempts)));
      var e = cell('td', p.last_error);
      e.className = 'wrap-text';
      if (p.last_error) { e.lang = 'en'; } /* the transport's or the receiver's words */
      tr.appendChild(e);
    }
    return tr;
  }

  function section(box, hid, title, empty, content) {
    box.appendChild(heading('h2', hid)).textContent = title;
    if (empty) { box.appendChild(el('p', 'muted', empty)); } else { box.appendChild(content); }
  }

  /* ---- rendering ---- */

  function render() {
    if (!S.active) { return; }
    var d = S.data;
    $('sync-intro').textContent = t('sync.intro', { days: d ? d.alert_working_days : 2 });
    var al = $('sync-alert');
    al.textContent = '';
    if (d && d.overdue_total > 0) {
      al.appendChild(el('p', null, t('sync.alert', { n: n(d.overdue_total), days: d.alert_working_days })));
    }
    if (d && d.dead_total > 0) { al.appendChild(el('p', null, t('sync.alert.dead', { n: n(d.dead_total) }))); }
    renderFilter();
    $('sync-error').textContent = P.msgText(S.msg);
    $('sync-filter').setAttribute('aria-busy', S.busy ? 'true' : 'false');
    var st;
    if (S.busy) { st = t('sync.loading'); }
    else if (d) {
      st = t('sync.summary', { from: P.fmtDate(d.from), to: P.fmtDate(d.to), n: n(d.totals.produced),
        delivered: n(d.totals.delivered), pending: n(d.totals.pending), dead: n(d.totals.dead) });
    } else { st = ''; }
    $('sync-status').textContent = st;
    renderBody(d);
    renderTools(d);
  }

  /* The unit choices (rebuilt when the units or the language change). */
  function renderFilter() {
    var sel = $('sync-unit');
    var keep = S.unit || '';
    var sig = P.lang() + (S.units ? S.units.length : -1) + keep;
    if (sel.getAttribute('data-for') !== sig) {
      sel.setAttribute('data-for', sig);
      sel.textContent = '';
      var opts = [{ code: '', label: t('sync.unit.all') }].concat((S.units || []).map(function (u) {
        return { code: u.code, label: u.name + ' (' + u.code + ')' };
      }));
      if (keep && !opts.some(function (o) { return o.code === keep; })) { opts.push({ code: keep, label: keep }); }
      opts.forEach(function (o) {
        var e = el('option', null, o.label);
        e.value = o.code;
        sel.appendChild(e);
      });
      sel.value = keep;
    }
    ['sync-from', 'sync-to', 'sync-unit', 'sync-bucket'].forEach(function (id) {
      $(id).setAttribute('aria-invalid', S.msg && S.msg.field === id.slice(5) ? 'true' : 'false');
      $(id).setAttribute('aria-describedby', 'sync-error');
    });
  }

  /* The filter's fields from the state (after a load or a navigation, not while typing). */
  function fillFilter() {
    $('sync-unit').value = S.unit || '';
    $('sync-from').value = S.from;
    $('sync-to').value = S.to;
    $('sync-bucket').value = S.bucket;
  }

  function renderBody(d) {
    var box = $('sync-body');
    box.textContent = '';
    if (!d) { return; }
    var cols = ['unit'].concat(COLS, ['oldest']);
    section(box, 'sync-units-h', t('sync.units.heading'), d.units.length ? null : t('sync.units.empty'),
      d.units.length ? table('sync-units-h', cols, d.units.map(unitRow)) : null);
    if (S.unit) {
      d.units.forEach(function (u, i) {
        var hid = 'sync-unit-h-' + i;
        var h = heading('h3', hid);
        h.textContent = t('sync.periods.heading', { unit: unitName(u) });
        box.appendChild(h);
        box.appendChild(table(hid, ['period'].concat(COLS, ['oldest']), u.periods.map(periodRow)));
      });
    }
    section(box, 'sync-dead-h', t('sync.dead.heading', { n: n(d.dead_total) }), d.dead.length ? null : t('sync.dead.empty'),
      table('sync-dead-h', ['seq', 'event', 'employee', 'unit', 'occurred', 'attempts', 'error'],
        d.dead.map(function (p) { return problemRow(p, false); })));
    section(box, 'sync-late-h', t('sync.overdue.heading', { n: n(d.overdue_total) }),
      d.overdue.length ? null : t('sync.overdue.empty'),
      table('sync-late-h', ['seq', 'event', 'employee', 'unit', 'occurred', 'age', 'state'],
        d.overdue.map(function (p) { return problemRow(p, true); })));
    if (d.lists_truncated) { box.appendChild(el('p', 'muted', t('sync.truncated'))); }
  }

  /* Admins: send a range again; retry the dead letters after a confirmation. */
  function renderTools(d) {
    var box = $('sync-tools');
    if (!P.hasRole('admin')) { box.textContent = ''; return; }
    if (!$('sync-resend')) {
      box.appendChild(heading('h2', 'sync-resend-h', 'sync.resend.heading'));
      var f = el('form', 'sync-resend');
      f.id = 'sync-resend';
      f.noValidate = true;
      f.setAttribute('aria-labelledby', 'sync-resend-h');
      var intro = el('p', 'hint', t('sync.resend.intro'));
      intro.id = 'sync-resend-intro';
      intro.setAttribute('data-i18n', 'sync.resend.intro');
      f.appendChild(intro);
      ['from', 'to'].forEach(function (k) {
        var i = input('number');
        i.min = '1';
        i.step = '1';
        i.inputMode = 'numeric';
        i.setAttribute('aria-describedby', 'sync-resend-intro sync-tool-msg');
        f.appendChild(field('sync-resend-' + k, 'sync.resend.' + k, i));
      });
      var b = el('button', 'btn btn-primary btn-auto', t('sync.resend.submit'));
      b.type = 'submit';
      b.id = 'sync-resend-submit';
      b.setAttribute('data-i18n', 'sync.resend.submit');
      f.appendChild(b);
      f.addEventListener('submit', onResend);
      box.appendChild(f);
      box.appendChild(heading('h2', 'sync-retry-h', 'sync.retry.heading'));
      var p = el('p', 'hint', t('sync.retry.intro'));
      p.setAttribute('data-i18n', 'sync.retry.intro');
      box.appendChild(p);
      var r = el('button', 'btn btn-secondary', t('sync.retry.button'));
      r.type = 'button';
      r.id = 'sync-retry';
      r.setAttribute('data-i18n', 'sync.retry.button');
      r.addEventListener('click', function () { S.confirm = true; S.toolMsg = null; render(); $('sync-retry-yes').focus(); });
      box.appendChild(r);
      var c = el('div', 'sync-confirm');
      c.id = 'sync-confirm';
      c.setAttribute('role', 'group');
      c.setAttribute('aria-labelledby', 'sync-confirm-q');
      c.appendChild(el('p')).id = 'sync-confirm-q';
      var yes = el('button', 'btn btn-go btn-small', t('sync.retry.yes'));
      yes.type = 'button';
      yes.id = 'sync-retry-yes';
      yes.setAttribute('data-i18n', 'sync.retry.yes');
      yes.addEventListener('click', onRetry);
      var no = el('button', 'btn btn-small', t('sync.retry.no'));
      no.type = 'button';
      no.setAttribute('data-i18n', 'sync.retry.no');
      no.addEventListener('click', function () { S.confirm = false; render(); $('sync-retry').focus(); });
      c.appendChild(yes);
      c.appendChild(document.createTextNode(' '));
      c.appendChild(no);
      box.appendChild(c);
      var m = el('p', 'status');
      m.id = 'sync-tool-msg';
      m.tabIndex = -1;
      m.setAttribute('role', 'status');
      box.appendChild(m);
    }
    $('sync-confirm').hidden = !S.confirm;
    /* retry-dead takes every unit's dead letters: a count only when every unit is shown */
    $('sync-confirm-q').textContent = S.unit || !d ? t('sync.retry.confirm.all') : t('sync.retry.confirm', { n: n(d.dead_total) });
    $('sync-retry').disabled = S.sending || (!S.unit && !!d && d.dead_total === 0);
    $('sync-retry').setAttribute('aria-expanded', S.confirm ? 'true' : 'false');
    $('sync-resend-submit').disabled = S.sending;
    var tm = S.toolMsg;
    $('sync-tool-msg').textContent = tm ? (tm.key ? P.msgText(tm) : t(tm.done, { n: n(tm.n) })) : '';
    $('sync-tool-msg').className = tm && tm.key ? 'error' : 'status';
    ['from', 'to'].forEach(function (k) {
      $('sync-resend-' + k).setAttribute('aria-invalid', tm && tm.field === k + '_seq' ? 'true' : 'false');
    });
  }

  /* ---- loading and actions ---- */

  function failure(r) {
    var f = r.data && r.data.field;
    if (r.code === 'invalid_field' && f) {
      return { key: f === 'unit' ? 'sync.err.unit' : 'sync.err.period', field: f };
    }
    if (r.code === 'not_found') { return { key: 'sync.err.unit', field: 'unit' }; }
    if (r.code === 'csrf_failed') { return { key: 'sync.err.csrf' }; }
    return P.messageFor(r);
  }

  function load() {
    var me = P.me(), seq = ++S.seq;
    var q = [];
    if (S.unit) { q.push('unit=' + encodeURIComponent(S.unit)); }
    if (S.from) { q.push('from=' + S.from); }
    if (S.to) { q.push('to=' + S.to); }
    if (S.bucket) { q.push('bucket=' + S.bucket); }
    S.busy = true;
    render();
    if (!S.units) {
      P.api('GET', '/api/units').then(function (r) {
        if (P.me() === me && r.ok && r.data && Array.isArray(r.data.units)) { S.units = r.data.units; render(); }
      });
    }
    return P.api('GET', '/api/sync/status' + (q.length ? '?' + q.join('&') : '')).then(function (r) {
      if (P.me() !== me || seq !== S.seq || P.lostSession(r)) { return; }
      S.busy = false;
      if (r.ok && r.data && Array.isArray(r.data.units)) {
        S.data = r.data;
        S.msg = null;
        S.from = r.data.from;
        S.to = r.data.to;
      } else {
        S.data = null;
        S.msg = failure(r);
      }
      render();
      fillFilter();
    });
  }

  function onFilter(ev) {
    ev.preventDefault();
    var from = $('sync-from').value, to = $('sync-to').value, unit = $('sync-unit').value;
    if ((from && !DATE_RE.test(from)) || (to && !DATE_RE.test(to)) || (from && to && to < from)) {
      S.msg = { key: 'sync.err.period', field: from && to && to < from ? 'to' : 'from' };
      render();
      $('sync-' + S.msg.field).focus();
      return;
    }
    S.from = from;
    S.to = to;
    S.bucket = $('sync-bucket').value;
    var h = unit && CODE_RE.test(unit) ? '#/sync/' + encodeURIComponent(unit) : '#/sync';
    if (location.hash !== h) { location.hash = h; } else { load(); }
  }

  function seqOf(id) {
    var v = $(id).value.trim();
    return /^[1-9]\d{0,15}$/.test(v) ? Number(v) : null;
  }

  function act(path, body, done) {
    var me = P.me();
    S.sending = true;
    render();
    P.api('POST', path, body).then(function (r) {
      if (P.me() !== me) { return; }
      S.sending = false;
      S.confirm = false;
      if (P.lostSession(r)) { return; }
      if (r.ok && r.data) {
        S.toolMsg = { done: done, n: r.data.queued };
        load();
      } else {
        S.toolMsg = r.code === 'invalid_field' ? { key: 'sync.resend.err.range', field: r.data && r.data.field } : failure(r);
        render();
      }
      $('sync-tool-msg').focus();
    });
  }

  function onResend(ev) {
    ev.preventDefault();
    if (S.sending) { return; }
    var from = seqOf('sync-resend-from'), to = seqOf('sync-resend-to');
    if (from === null || to === null || to < from || to - from >= MAX_RANGE) {
      S.toolMsg = { key: 'sync.resend.err.range', field: from === null ? 'from_seq' : 'to_seq' };
      render();
      $(from === null ? 'sync-resend-from' : 'sync-resend-to').focus();
      return;
    }
    act('/api/sync/resend', { from_seq: from, to_seq: to }, 'sync.resend.done');
  }

  function onRetry() {
    if (!S.sending) { act('/api/sync/retry-dead', {}, 'sync.retry.done'); }
  }

  /* ---- routing ---- */

  function parseHash() {
    var m = /^#\/sync(?:\/([^/]*))?$/.exec(location.hash);
    if (!m) { return null; }
    var code = null;
    try { code = m[1] ? decodeURIComponent(m[1]) : null; } catch (e) { return null; }
    return code && !CODE_RE.test(code) ? null : { unit: code };
  }

  function route() {
    if (!P.me()) { return; }
    var r = parseHash();
    if (!r || !allowed()) {
      if (S.active) {
        S.active = false;
        /* learn.js shows its own views; anything else is the home page */
        if (!(/^#\/(catalogue|course|learn)(\/|$)/.test(location.hash) && P.hasRole('learner'))) {
          P.goHome(/^#section-[\w-]+$/.test(location.hash) ? location.hash.slice(1) : null);
        }
      }
      return;
    }
    build();
    S.active = true;
    S.unit = r.unit;
    S.msg = null;
    S.toolMsg = null;
    S.confirm = false;
    P.show('reconciliation');
    load();
    fillFilter();
    $('sync-heading').focus();
  }

  P.hook({
    enter: function () { if (parseHash()) { route(); } },
    leave: function () {
      S.active = false;
      S.data = null;
      S.units = null;
      S.from = S.to = S.bucket = '';
    },
    lang: render
  });
  window.addEventListener('hashchange', route);
}());
