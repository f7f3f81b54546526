/* assign.js — "Giao khóa học" (#/assignments) for HR officers and admins: assign a course to
 * the people of a unit subtree (optionally one position, leaders or staff, a PAR role) with a
 * deadline, a date or a number of days; "Xem trước" asks the server what the rule would do
 * now (a dry run that keeps nothing) before "Giao khóa học" makes it; the list of rules with
 * what each made (enrolments, completed, overdue) and "Ngừng áp dụng". API: /api/assignments
 * (docs/assignments.md).
 *
 * Invariants: data reaches the page only through textContent; every string comes from
 * i18n.js (keys "asg."); the view (data-view="assign") is built here once. Uses app.js through
 * window.parlearn only.
 */
(function () {
  'use strict';

  var P = window.parlearn;
  if (!P) { return; }
  var t = P.t, el = P.el, cell = P.cell;
  var PAGE = 50;
  var FIELDS = ['course', 'unit', 'position', 'audience', 'par_role', 'due_on', 'due_days', 'note'];

  var S = { active: false, opts: null, units: null, rules: null, total: 0, ended: false,
    msg: null, result: null, busy: false, seq: 0, confirmEnd: null, listMsg: null };

  function $(id) { return document.getElementById(id); }
  function n(x) { return P.fmtNum(x, 0); }
  function allowed() { return P.hasRole('admin') || P.hasRole('hr_officer'); }

  function labelled(id, key, input, hintKey) {
    var d = el('div', 'field');
    var l = el('label', null, t(key));
    l.htmlFor = id;
    l.setAttribute('data-i18n', key);
    input.id = id;
    d.appendChild(l);
    var describedBy = ['asg-error'];
    if (hintKey) {
      var h = el('p', 'muted small', t(hintKey));
      h.id = id + '-hint';
      h.setAttribute('data-i18n', hintKey);
      d.appendChild(h);
      describedBy.unshift(h.id);
    }
    input.setAttribute('aria-describedby', describedBy.join(' '));
    d.appendChild(input);
    return d;
  }

  function select(pairs) {
    var s = document.createElement('select');
    pairs.forEach(function (p) {
      var o = el('option', null, t(p[1]));
      o.value = p[0];
      o.setAttribute('data-i18n', p[1]);
      s.appendChild(o);
    });
    return s;
  }

  function input(type) {
    var i = document.createElement('input');
    i.type = type;
    return i;
  }

  function button(key, cls, type) {
    var b = el('button', 'btn ' + (cls || ''), t(key));
    b.type = type || 'button';
    b.setAttribute('data-i18n', key);
    return b;
  }

  /* ---- the view, built once ---- */

  function build() {
    if ($('assign-view')) { return; }
    var v = el('section');
    v.id = 'assign-view';
    v.setAttribute('data-view', 'assign');
    v.setAttribute('aria-labelledby', 'asg-heading');
    v.hidden = true;
    var back = el('p', 'crumbs');
    var a = el('a', null, t('asg.back'));
    a.href = '#home-heading';
    a.setAttribute('data-i18n', 'asg.back');
    back.appendChild(a);
    v.appendChild(back);
    var h1 = el('h1', null, t('asg.heading'));
    h1.id = 'asg-heading';
    h1.tabIndex = -1;
    h1.setAttribute('data-i18n', 'asg.heading');
    v.appendChild(h1);
    var intro = el('p', 'muted', t('asg.intro'));
    intro.setAttribute('data-i18n', 'asg.intro');
    v.appendChild(intro);

    var f = el('form', 'card');
    f.id = 'asg-form';
    f.noValidate = true;
    f.setAttribute('aria-labelledby', 'asg-form-heading');
    var h2 = el('h2', null, t('asg.new'));
    h2.id = 'asg-form-heading';
    h2.setAttribute('data-i18n', 'asg.new');
    f.appendChild(h2);
    f.appendChild(labelled('asg-course', 'asg.f.course', document.createElement('select')));
    f.appendChild(labelled('asg-unit', 'asg.f.unit', document.createElement('select'), 'asg.f.unit.hint'));
    var pos = input('text');
    pos.setAttribute('list', 'asg-positions');
    pos.maxLength = 200;
    f.appendChild(labelled('asg-position', 'asg.f.position', pos, 'asg.f.position.hint'));
    var dl = document.createElement('datalist');
    dl.id = 'asg-positions';
    f.appendChild(dl);
    f.appendChild(labelled('asg-audience', 'asg.f.audience',
      select([['all', 'asg.audience.all'], ['leader', 'asg.audience.leader'], ['staff', 'asg.audience.staff']])));
    f.appendChild(labelled('asg-par-role', 'asg.f.par_role',
      select([['', 'asg.par.any'], ['par', 'asg.par.par'], ['dedicated', 'asg.par.dedicated'],
        ['concurrent', 'asg.par.concurrent'], ['none', 'asg.par.none']])));

    var fs = el('fieldset');
    var lg = el('legend', null, t('asg.f.due'));
    lg.setAttribute('data-i18n', 'asg.f.due');
    fs.appendChild(lg);
    [['date', 'asg.f.due.date'], ['days', 'asg.f.due.days']].forEach(function (k) {
      var r = input('radio');
      r.name = 'asg-due-kind';
      r.value = k[0];
      r.id = 'asg-due-kind-' + k[0];
      r.checked = k[0] === 'date';
      r.addEventListener('change', dueKind);
      var l = el('label', 'choice');
      l.appendChild(r);
      var sp = el('span', null, t(k[1]));
      sp.setAttribute('data-i18n', k[1]);
      l.appendChild(sp);
      fs.appendChild(l);
    });
    fs.appendChild(labelled('asg-due-on', 'asg.f.due_on', input('date')));
    var days = input('number');
    days.min = '1';
    days.max = '3650';
    days.step = '1';
    fs.appendChild(labelled('asg-due-days', 'asg.f.due_days', days));
    f.appendChild(fs);
    var note = document.createElement('textarea');
    note.maxLength = 500;
    note.rows = 2;
    f.appendChild(labelled('asg-note', 'asg.f.note', note));

    var err = el('div', 'error');
    err.id = 'asg-error';
    err.setAttribute('aria-live', 'assertive');
    f.appendChild(err);
    var acts = el('p', 'actions');
    var preview = button('asg.preview', 'btn-auto');
    preview.id = 'asg-preview';
    preview.addEventListener('click', function () { submit(true); });
    acts.appendChild(preview);
    var go = button('asg.create', 'btn-primary btn-auto', 'submit');
    go.id = 'asg-create';
    acts.appendChild(go);
    f.appendChild(acts);
    var res = el('div', 'status');
    res.id = 'asg-result';
    res.setAttribute('role', 'status');
    f.appendChild(res);
    f.addEventListener('submit', function (ev) { ev.preventDefault(); submit(false); });
    v.appendChild(f);

    var list = el('section', 'card');
    list.setAttribute('aria-labelledby', 'asg-list-heading');
    var h2b = el('h2', null, t('asg.list'));
    h2b.id = 'asg-list-heading';
    h2b.setAttribute('data-i18n', 'asg.list');
    list.appendChild(h2b);
    var show = el('label', 'choice');
    var cb = input('checkbox');
    cb.id = 'asg-show-ended';
    cb.addEventListener('change', function () { S.ended = cb.checked; loadRules(0); });
    show.appendChild(cb);
    var sp = el('span', null, t('asg.show_ended'));
    sp.setAttribute('data-i18n', 'asg.show_ended');
    show.appendChild(sp);
    list.appendChild(show);
    var lm = el('p', 'status');
    lm.id = 'asg-list-msg';
    lm.setAttribute('role', 'status');
    list.appendChild(lm);
    list.appendChild(el('div')).id = 'asg-rules';
    var more = button('asg.more', 'btn-auto');
    more.id = 'asg-more';
    more.hidden = true;
    more.addEventListener('click', function () { loadRules(S.rules ? S.rules.length : 0); });
    list.appendChild(more);
    v.appendChild(list);
    $('main').appendChild(v);
    dueKind();
  }

  function dueKind() {
    var byDate = $('asg-due-kind-date').checked;
    $('asg-due-on').parentNode.hidden = !byDate;
    $('asg-due-days').parentNode.hidden = byDate;
  }

  /* ---- the form ---- */

  function fillOptions() {
    var c = $('asg-course'), u = $('asg-unit'), dl = $('asg-positions');
    var keepC = c.value, keepU = u.value;
    c.textContent = '';
    u.textContent = '';
    dl.textContent = '';
    var none = el('option', null, t('asg.choose'));
    none.value = '';
    c.appendChild(none);
    ((S.opts && S.opts.courses) || []).forEach(function (x) {
      var o = el('option', null, x.title + ' (' + x.code + ')');
      o.value = x.code;
      c.appendChild(o);
    });
    var none2 = none.cloneNode(true);
    u.appendChild(none2);
    (S.units || []).forEach(function (x) {
      var o = el('option', null, x.name + ' (' + x.code + ')');
      o.value = x.code;
      u.appendChild(o);
    });
    ((S.opts && S.opts.positions) || []).forEach(function (p) {
      var o = document.createElement('option');
      o.value = p;
      dl.appendChild(o);
    });
    c.value = keepC;
    u.value = keepU;
  }

  function body(dry) {
    var byDate = $('asg-due-kind-date').checked;
    var days = $('asg-due-days').value.trim();
    return {
      course: $('asg-course').value,
      unit: $('asg-unit').value,
      position: $('asg-position').value.trim() || null,
      audience: $('asg-audience').value,
      par_role: $('asg-par-role').value || null,
      due_on: byDate ? ($('asg-due-on').value || null) : null,
      due_days: byDate ? null : (/^\d+$/.test(days) ? Number(days) : days === '' ? null : days),
      note: $('asg-note').value.trim() || null,
      dry_run: dry
    };
  }

  var FIELD_INPUT = { course: 'asg-course', unit: 'asg-unit', position: 'asg-position',
    audience: 'asg-audience', par_role: 'asg-par-role', due_on: 'asg-due-on',
    due_days: 'asg-due-days', note: 'asg-note' };

  /* The form's own checks, before asking the server: what a person left out. */
  function check(b) {
    if (!b.course) { return { key: 'asg.err.course', field: 'course' }; }
    if (!b.unit) { return { key: 'asg.err.unit', field: 'unit' }; }
    if ($('asg-due-kind-date').checked && !b.due_on) { return { key: 'asg.err.due_on', field: 'due_on' }; }
    if (!$('asg-due-kind-date').checked && (typeof b.due_days !== 'number' || b.due_days < 1 || b.due_days > 3650)) {
      return { key: 'asg.err.due_days', field: 'due_days' };
    }
    return null;
  }

  function showError(m) {
    FIELDS.forEach(function (f) { $(FIELD_INPUT[f]).removeAttribute('aria-invalid'); });
    $('asg-error').textContent = m ? P.msgText(m) : '';
    if (m && m.field && FIELD_INPUT[m.field]) {
      var i = $(FIELD_INPUT[m.field]);
      i.setAttribute('aria-invalid', 'true');
      i.focus();
    }
  }

  function failure(r) {
    var code = r.code, field = r.data && r.data.field;
    if (code === 'due_in_past') { return { key: 'asg.err.due_in_past', field: 'due_on' }; }
    if (code === 'course_not_found') { return { key: 'asg.err.course', field: 'course' }; }
    if (code === 'unit_not_found') { return { key: 'asg.err.unit', field: 'unit' }; }
    if (code === 'forbidden' && field === 'unit') { return { key: 'asg.err.scope', field: 'unit' }; }
    if (code === 'invalid_field' && field && FIELD_INPUT[field]) {
      return { key: 'asg.err.field', params: { detail: (r.data && r.data.detail) || field }, field: field };
    }
    return P.messageFor(r);
  }

  function submit(dry) {
    if (S.busy) { return; }
    var b = body(dry);
    var bad = check(b);
    S.result = null;
    renderResult();
    if (bad) { showError(bad); return; }
    showError(null);
    S.busy = true;
    $('asg-form').setAttribute('aria-busy', 'true');
    var me = P.me();
    P.api('POST', '/api/assignments', b).then(function (r) {
      if (P.me() !== me) { return; }
      S.busy = false;
      $('asg-form').removeAttribute('aria-busy');
      if (P.lostSession(r)) { return; }
      if (!r.ok) { showError(failure(r)); return; }
      S.result = { dry: dry, counts: r.data.counts, id: r.data.id };
      renderResult();
      if (!dry) { loadRules(0); }
    });
  }

  function renderResult() {
    var box = $('asg-result');
    box.textContent = '';
    if (!S.result) { return; }
    var c = S.result.counts;
    box.appendChild(el('p', 'strong', S.result.dry ? t('asg.result.dry') : t('asg.result.made', { id: S.result.id })));
    var ul = el('ul');
    [['asg.count.matched', c.matched], ['asg.count.enrolled', c.enrolled],
      ['asg.count.converted', c.converted], ['asg.count.untouched', c.untouched],
      ['asg.count.no_account', c.no_account]].forEach(function (x) {
      ul.appendChild(el('li', null, t(x[0], { n: n(x[1]) })));
    });
    box.appendChild(ul);
  }

  /* ---- the list ---- */

  function who(g) {
    var parts = [g.position || t('asg.who.any_position'), t('asg.audience.' + g.audience)];
    if (g.par_role) { parts.push(t('asg.par.' + g.par_role)); }
    return parts.join(' · ');
  }

  function renderRules() {
    var box = $('asg-rules');
    box.textContent = '';
    $('asg-list-msg').textContent = S.listMsg ? P.msgText(S.listMsg) :
      S.rules === null ? t('asg.loading') : S.total === 0 ? t('asg.none') : t('asg.count', { n: n(S.total) });
    $('asg-more').hidden = !S.rules || S.rules.length >= S.total;
    if (!S.rules || !S.rules.length) { return; }
    var wrap = el('div', 'table-wrap');
    wrap.tabIndex = 0;
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-labelledby', 'asg-list-heading');
    var tbl = el('table', 'data');
    var hr = el('tr');
    ['asg.col.course', 'asg.col.unit', 'asg.col.who', 'asg.col.due', 'asg.col.enrolments',
      'asg.col.completed', 'asg.col.overdue', 'asg.col.by', 'asg.col.state'].forEach(function (k) {
      hr.appendChild(cell('th', t(k), 'col'));
    });
    tbl.appendChild(el('thead')).appendChild(hr);
    var tb = el('tbody');
    S.rules.forEach(function (g) {
      var tr = el('tr');
      tr.appendChild(cell('td', g.course_title + ' (' + g.course + ')'));
      tr.appendChild(cell('td', g.unit_name + ' (' + g.unit + ')'));
      tr.appendChild(cell('td', who(g)));
      tr.appendChild(cell('td', g.due_on ? P.fmtDate(g.due_on) : t('asg.due.days', { n: g.due_days })));
      tr.appendChild(cell('td', n(g.enrolments)));
      tr.appendChild(cell('td', n(g.completed)));
      tr.appendChild(cell('td', n(g.overdue)));
      tr.appendChild(cell('td', g.created_by + ', ' + P.fmtStamp(g.created_at)));
      var st = cell('td', g.ended_at ? t('asg.state.ended', { at: P.fmtStamp(g.ended_at), by: g.ended_by }) : t('asg.state.active'));
      if (!g.ended_at) {
        if (S.confirmEnd === g.id) {
          var q = el('p', null, t('asg.end.confirm'));
          q.id = 'asg-end-q-' + g.id;
          st.appendChild(q);
          var yes = button('asg.end.yes', 'btn-auto');
          yes.setAttribute('aria-describedby', q.id);
          yes.addEventListener('click', function () { endRule(g.id); });
          var no = button('asg.end.no', 'btn-auto');
          no.addEventListener('click', function () { S.confirmEnd = null; renderRules(); });
          st.appendChild(yes);
          st.appendChild(no);
        } else {
          var end = button('asg.end', 'btn-auto');
          end.setAttribute('aria-label', t('asg.end.label', { course: g.course, unit: g.unit }));
          end.addEventListener('click', function () { S.confirmEnd = g.id; renderRules(); });
          st.appendChild(end);
        }
      }
      tr.appendChild(st);
      tb.appendChild(tr);
    });
    tbl.appendChild(tb);
    wrap.appendChild(tbl);
    box.appendChild(wrap);
  }

  function endRule(id) {
    var me = P.me();
    P.api('POST', '/api/assignments/end', { id: id }).then(function (r) {
      if (P.me() !== me || P.lostSession(r)) { return; }
      S.confirmEnd = null;
      S.listMsg = r.ok ? null : P.messageFor(r);
      if (r.ok) { loadRules(0); } else { renderRules(); }
    });
  }

  function loadRules(offset) {
    var me = P.me(), seq = ++S.seq;
    if (offset === 0) { S.rules = null; }
    S.listMsg = null;
    renderRules();
    P.api('GET', '/api/assignments?limit=' + PAGE + '&offset=' + offset + (S.ended ? '&ended=1' : '')).then(function (r) {
      if (P.me() !== me || seq !== S.seq || P.lostSession(r)) { return; }
      if (!r.ok) { S.listMsg = P.messageFor(r); S.rules = S.rules || []; renderRules(); return; }
      S.rules = offset === 0 ? r.data.rules : (S.rules || []).concat(r.data.rules);
      S.total = r.data.total;
      renderRules();
    });
  }

  function load() {
    var me = P.me();
    Promise.all([P.api('GET', '/api/assignments/options'), P.api('GET', '/api/units')]).then(function (x) {
      if (P.me() !== me || P.lostSession(x[0]) || P.lostSession(x[1])) { return; }
      if (!x[0].ok || !x[1].ok) { showError(P.messageFor(x[0].ok ? x[1] : x[0])); return; }
      S.opts = x[0].data;
      S.units = x[1].data.units;
      fillOptions();
    });
    loadRules(0);
  }

  /* ---- routing ---- */

  function homeLink() {
    var nav = $('home-nav-list');
    if (!nav || !allowed() || $('asg-nav')) { return; }
    var li = el('li');
    var a = el('a', null, t('asg.nav'));
    a.id = 'asg-nav';
    a.href = '#/assignments';
    a.setAttribute('data-i18n', 'asg.nav');
    li.appendChild(a);
    nav.appendChild(li);
  }

  function route() {
    if (!P.me()) { return; }
    var on = location.hash === '#/assignments';
    if (!on || !allowed()) {
      if (S.active) {
        S.active = false;
        if (!/^#\/[a-z]/.test(location.hash)) {
          P.goHome(/^#section-[\w-]+$/.test(location.hash) ? location.hash.slice(1) : null);
        }
      }
      return;
    }
    build();
    S.active = true;
    S.result = null;
    renderResult();
    showError(null);
    P.show('assign');
    load();
    $('asg-heading').focus();
  }

  P.hook({
    enter: function () { homeLink(); if (location.hash === '#/assignments') { route(); } },
    leave: function () {
      S.active = false;
      S.opts = S.units = S.rules = null;
      var nav = $('asg-nav');
      if (nav) { nav.parentNode.removeChild(nav); }
    },
    lang: function () {
      /* app.js rebuilds the home nav on a language switch: put the link back */
      var nav = $('asg-nav');
      if (nav) { nav.textContent = t('asg.nav'); } else { homeLink(); }
      if (!$('assign-view')) { return; }
      Array.prototype.forEach.call($('assign-view').querySelectorAll('[data-i18n]'), function (e) {
        e.textContent = t(e.getAttribute('data-i18n'));
      });
      fillOptions();
      renderResult();
      renderRules();
    }
  });
  window.addEventListener('hashchange', function () { setTimeout(route, 0); });
}());
