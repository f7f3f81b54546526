/* flags.js — "Thiết lập chỉ tiêu" (#/indicator-flags) for administrators: what counts in the
 * indicators of Decision 2709 (docs/reports.md, "Setting what counts"). Two tables: the
 * courses (counted as PAR training: automatic by PAR area, yes or no; an expert programme)
 * and the job positions (a PAR position). Each change is saved at once and said on its row
 * ("Đã lưu", role=status); a change that fails puts the control back to the stored value and
 * says why on the row. API: GET /api/indicator-flags, POST /api/indicator-flags/course and
 * /position.
 *
 * Invariants: data reaches the page only through textContent; every string comes from i18n.js
 * (keys "flg."); the view (data-view="flags") is built once; S.courses / S.positions hold the
 * values as stored (the server's answers), the controls what the person chose. One request per
 * row at a time: a change made while one is on its way is sent when it returns. Uses app.js
 * through window.parlearn only.
 */
(function () {
  'use strict';

  var P = window.parlearn;
  if (!P) { return; }
  var t = P.t, el = P.el, cell = P.cell;
  var HASH = '#/indicator-flags';

  /* rows: code → {kind, data (stored), busy, pending (a body waiting), msg ({key, params, bad})} */
  var S = { active: false, courses: null, positions: null, rows: {}, loadMsg: null, seq: 0 };

  function $(id) { return document.getElementById(id); }
  function allowed() { return P.hasRole('admin'); }
  function rowKey(kind, code) { return kind + ':' + code; }

  function text(tag, cls, key, id) {
    var e = el(tag, cls, t(key));
    e.setAttribute('data-i18n', key);
    if (id) { e.id = id; }
    return e;
  }

  /* ---- the view, built once ---- */

  function section(prefix) {
    var sec = el('section', 'card');
    sec.setAttribute('aria-labelledby', 'flg-' + prefix + '-heading');
    sec.appendChild(text('h2', null, 'flg.' + prefix + '.heading', 'flg-' + prefix + '-heading'));
    sec.appendChild(text('p', null, 'flg.' + prefix + '.feeds', 'flg-' + prefix + '-feeds'));
    var box = el('div');
    box.id = 'flg-' + prefix;
    sec.appendChild(box);
    return sec;
  }

  function build() {
    if ($('flags-view')) { return; }
    var v = el('section');
    v.id = 'flags-view';
    v.setAttribute('data-view', 'flags');
    v.setAttribute('aria-labelledby', 'flg-heading');
    v.hidden = true;
    var back = el('p', 'crumbs');
    var a = text('a', null, 'flg.back');
    a.href = '#home-heading';
    back.appendChild(a);
    v.appendChild(back);
    var h1 = text('h1', null, 'flg.heading', 'flg-heading');
    h1.tabIndex = -1;
    v.appendChild(h1);
    v.appendChild(text('p', 'muted', 'flg.intro'));
    var st = el('p', 'muted');
    st.id = 'flg-status';
    st.setAttribute('role', 'status');
    v.appendChild(st);
    var err = el('div', 'error');
    err.id = 'flg-error';
    err.setAttribute('aria-live', 'assertive');
    err.hidden = true;
    v.appendChild(err);
    v.appendChild(section('courses'));
    v.appendChild(section('positions'));
    $('main').appendChild(v);
  }

  /* ---- a row's state ---- */

  function rowMsgText(row) {
    if (!row.msg) { return ''; }
    return t(row.msg.key, row.msg.params);
  }

  function showRowMsg(row) {
    var box = $(row.statusId);
    if (!box) { return; }
    box.textContent = rowMsgText(row);
    /* app.css's classes: a green badge for saved, the red of an overdue line for a failure */
    box.className = !row.msg ? '' : row.msg.bad ? 'overdue' : row.msg.key === 'flg.saved' ? 'badge badge-completed' : 'muted';
  }

  /* The controls of a row set to its stored values. */
  function showStored(row) {
    var d = row.data;
    if (row.kind === 'course') {
      $(row.parId).value = d.par_training === null ? 'auto' : d.par_training ? 'yes' : 'no';
      $(row.expertId).checked = !!d.expert_programme;
      $(row.countsId).textContent = t(d.counts_as_par_training ? 'flg.counts.yes' : 'flg.counts.no');
    } else {
      $(row.parId).checked = !!d.par_position;
    }
  }

  function failure(r, row) {
    var why;
    if (r.code === 'not_found') { why = t(row.kind === 'course' ? 'flg.err.no_course' : 'flg.err.no_position'); }
    else if (r.code === 'invalid_field') { why = t('flg.err.invalid', { detail: (r.data && r.data.detail) || '' }); }
    else { why = P.msgText(P.messageFor(r)); }
    return { key: 'flg.failed', params: { why: why }, bad: true };
  }

  function send(row, body) {
    var me = P.me(), seq = S.seq;
    row.busy = true;
    row.msg = { key: 'flg.saving' };
    showRowMsg(row);
    var path = '/api/indicator-flags/' + row.kind;
    P.api('POST', path, body).then(function (r) {
      if (P.me() !== me || seq !== S.seq) { return; }
      row.busy = false;
      if (P.lostSession(r)) { return; }
      if (r.ok && r.data) {
        row.data = r.data;
        row.msg = { key: 'flg.saved' };
      } else {
        row.pending = null; /* what followed the failed change is dropped with it */
        row.msg = failure(r, row);
      }
      if (row.pending) {
        var next = row.pending;
        row.pending = null;
        send(row, next);
        return;
      }
      showStored(row);
      showRowMsg(row);
    });
  }

  /* A control changed: fields (merged into what waits) saved now, or after the request on its way. */
  function change(row, fields) {
    var body = row.pending || {};
    body[row.kind] = row.data.code;
    Object.keys(fields).forEach(function (k) { body[k] = fields[k]; });
    if (row.busy) { row.pending = body; return; }
    send(row, body);
  }

  /* ---- the tables ---- */

  function table(prefix, cols) {
    var wrap = el('div', 'table-wrap');
    wrap.tabIndex = 0;
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-labelledby', 'flg-' + prefix + '-heading');
    var tbl = el('table');
    tbl.setAttribute('aria-labelledby', 'flg-' + prefix + '-heading');
    tbl.setAttribute('aria-describedby', 'flg-' + prefix + '-feeds');
    var hr = el('tr');
    cols.forEach(function (k) { hr.appendChild(cell('th', t(k), 'col')); });
    tbl.appendChild(el('thead')).appendChild(hr);
    var tb = el('tbody');
    tbl.appendChild(tb);
    wrap.appendChild(tbl);
    return { wrap: wrap, body: tb };
  }

  function statusCell(row) {
    var td = el('td', 'wrap-text');
    var box = el('span');
    box.id = row.statusId;
    box.setAttribute('role', 'status');
    td.appendChild(box);
    return td;
  }

  function courseRow(c) {
    var key = rowKey('course', c.code);
    var row = S.rows[key] || { kind: 'course', busy: false, pending: null, msg: null };
    row.data = row.data || c;
    var id = 'flg-c-' + c.code;
    row.parId = id + '-par';
    row.expertId = id + '-expert';
    row.countsId = id + '-counts';
    row.statusId = id + '-status';
    S.rows[key] = row;
    var tr = el('tr');
    tr.appendChild(cell('th', c.title, 'row'));
    tr.appendChild(cell('td', c.code));
    tr.appendChild(cell('td', c.par_area || t('flg.no_area')));
    var td = el('td');
    var sel = document.createElement('select');
    sel.id = row.parId;
    sel.setAttribute('aria-label', t('flg.c.par.label', { title: c.title }));
    sel.setAttribute('aria-describedby', row.countsId);
    [['auto', 'flg.par.auto'], ['yes', 'flg.par.yes'], ['no', 'flg.par.no']].forEach(function (p) {
      var o = el('option', null, t(p[1]));
      o.value = p[0];
      sel.appendChild(o);
    });
    sel.addEventListener('change', function () {
      change(row, { par_training: sel.value === 'auto' ? null : sel.value === 'yes' });
    });
    var fit = el('span', 'rep-inline'); /* reports.css: the select as wide as its longest choice */
    fit.appendChild(sel);
    td.appendChild(fit);
    var counts = el('span', 'note');
    counts.id = row.countsId;
    td.appendChild(counts);
    tr.appendChild(td);
    var td2 = el('td');
    var cb = document.createElement('input');
    cb.type = 'checkbox';
    cb.id = row.expertId;
    cb.setAttribute('aria-label', t('flg.c.expert.label', { title: c.title }));
    cb.addEventListener('change', function () { change(row, { expert_programme: cb.checked }); });
    td2.appendChild(cb);
    tr.appendChild(td2);
    tr.appendChild(statusCell(row));
    return { tr: tr, row: row };
  }

  function positionRow(p) {
    var key = rowKey('position', p.code);
    var row = S.rows[key] || { kind: 'position', busy: false, pending: null, msg: null };
    row.data = row.data || p;
    var id = 'flg-p-' + p.code;
    row.parId = id + '-par';
    row.statusId = id + '-status';
    S.rows[key] = row;
    var tr = el('tr');
    tr.appendChild(cell('th', p.name, 'row'));
    tr.appendChild(cell('td', p.code));
    tr.appendChild(cell('td', P.fmtNum(p.people, 0)));
    var td = el('td');
    var cb = document.createElement('input');
    cb.type = 'checkbox';
    cb.id = row.parId;
    cb.setAttribute('aria-label', t('flg.p.par.label', { name: p.name }));
    cb.addEventListener('change', function () { change(row, { par_position: cb.checked }); });
    td.appendChild(cb);
    tr.appendChild(td);
    tr.appendChild(statusCell(row));
    return { tr: tr, row: row };
  }

  function fill(prefix, list, cols, make, emptyKey) {
    var box = $('flg-' + prefix);
    box.textContent = '';
    if (list === null) { return; }
    if (!list.length) {
      box.appendChild(text('p', 'empty', emptyKey));
      return;
    }
    var tb = table(prefix, cols);
    box.appendChild(tb.wrap);
    list.forEach(function (x) {
      var r = make(x);
      tb.body.appendChild(r.tr);
      showStored(r.row);
      showRowMsg(r.row);
    });
  }

  function render() {
    var focused = document.activeElement && document.activeElement.id;
    $('flg-status').textContent = S.courses === null && !S.loadMsg ? t('flg.loading') : '';
    $('flg-error').hidden = !S.loadMsg;
    $('flg-error').textContent = S.loadMsg ? P.msgText(S.loadMsg) : '';
    fill('courses', S.courses, ['flg.col.course', 'flg.col.code', 'flg.col.area', 'flg.col.par',
      'flg.col.expert', 'flg.col.saved'], courseRow, 'flg.courses.none');
    fill('positions', S.positions, ['flg.col.position', 'flg.col.code', 'flg.col.people',
      'flg.col.par_position', 'flg.col.saved'], positionRow, 'flg.positions.none');
    if (focused && /^flg-[cp]-/.test(focused) && $(focused)) { $(focused).focus(); }
  }

  function load() {
    var me = P.me(), seq = ++S.seq;
    S.courses = S.positions = null;
    S.rows = {};
    S.loadMsg = null;
    render();
    P.api('GET', '/api/indicator-flags').then(function (r) {
      if (P.me() !== me || seq !== S.seq || P.lostSession(r)) { return; }
      if (!r.ok || !r.data) { S.loadMsg = P.messageFor(r); render(); return; }
      S.courses = r.data.courses || [];
      S.positions = r.data.positions || [];
      render();
    });
  }

  /* ---- routing ---- */

  function homeLink() {
    var nav = $('home-nav-list');
    if (!nav || !allowed() || $('flg-nav')) { return; }
    var li = el('li');
    var a = text('a', null, 'flg.nav', 'flg-nav');
    a.href = HASH;
    li.appendChild(a);
    nav.appendChild(li);
  }

  function route() {
    if (!P.me()) { return; }
    if (location.hash !== HASH || !allowed()) {
      if (S.active) {
        S.active = false;
        S.seq++;
        if (!/^#\/[a-z]/.test(location.hash)) {
          P.goHome(/^#section-[\w-]+$/.test(location.hash) ? location.hash.slice(1) : null);
        }
      }
      return;
    }
    build();
    S.active = true;
    P.show('flags');
    load();
    $('flg-heading').focus();
  }

  P.hook({
    enter: function () { homeLink(); if (location.hash === HASH) { route(); } },
    leave: function () {
      S.active = false;
      S.seq++;
      S.courses = S.positions = null;
      S.rows = {};
      var nav = $('flg-nav');
      if (nav) { nav.parentNode.removeChild(nav); }
    },
    lang: function () {
      homeLink();
      var nav = $('flg-nav');
      if (nav) { nav.textContent = t('flg.nav'); }
      if (!$('flags-view')) { return; }
      Array.prototype.forEach.call($('flags-view').querySelectorAll('[data-i18n]'), function (e) {
        e.textContent = t(e.getAttribute('data-i18n'));
      });
      render();
    }
  });
  window.addEventListener('hashchange', function () { setTimeout(route, 0); });
}());
