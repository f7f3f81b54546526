/* survey.js — surveys (khảo sát; docs/surveys.md): a learner answers (#/survey/CODE, and
 * "Khảo sát" on the home page and on a course page, through learn.js's hook); trainers and
 * admins build, publish and close surveys (#/surveys, #/surveys/new, #/surveys/edit/CODE);
 * trainers, HR officers and admins read results (#/surveys/results/CODE[/UNIT]) with tables
 * and SVG bars, free-text answers and a CSV file. API: /api/surveys*, /api/my/survey*.
 *
 * Invariants: data reaches the page only through textContent and attributes; every string
 * comes from i18n.js; the view (data-view="survey") is built here once; app.js is used
 * through window.parlearn only, and learn.js calls window.parlearnSurvey.coursePanel only.
 * Each question of the form is a fieldset with its legend; errors go to a role="alert"
 * region and to the field at fault (aria-invalid, focus).
 */
(function () {
  'use strict';

  var P = window.parlearn;
  if (!P) { return; }
  var t = P.t, el = P.el, cell = P.cell;
  var VI = window.PL_I18N.vi;
  var CODE_RE = /^[A-Za-z0-9._-]{1,32}$/;
  var OTHER_VIEWS = /^#\/(catalogue|course|learn|sync)(\/|$)/;
  var KINDS = ['likert', 'single', 'multiple', 'text'];
  var S = { active: false, r: null, seq: 0, data: null, msg: null, busy: false, done: null,
    units: null, courses: null, ed: null, texts: {}, my: null };

  function $(id) { return document.getElementById(id); }
  function has(k) { return Object.prototype.hasOwnProperty.call(VI, k); }
  function isStaff() { return P.hasRole('admin') || P.hasRole('trainer') || P.hasRole('hr_officer'); }
  function isBuilder() { return P.hasRole('admin') || P.hasRole('trainer'); }
  function n0(x) { return P.fmtNum(x, 0); }
  function pct(x) { return P.fmtNum(x * 100, 1) + ' %'; }
  function enc(c) { return encodeURIComponent(c); }

  function node(tag, attrs, text) {
    var e = el(tag, attrs && attrs['class'], text);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k !== 'class') { e.setAttribute(k, attrs[k]); }
    });
    return e;
  }

  function link(href, key, params, cls) {
    var a = el('a', cls || null, t(key, params));
    a.href = href;
    return a;
  }

  /* An API failure → {key, params, ref, field}. */
  function failure(r) {
    var f = r.data && typeof r.data.field === 'string' ? r.data.field : null;
    var m = has('sv.err.' + r.code) ? { key: 'sv.err.' + r.code } : P.messageFor(r);
    m.field = f;
    return m;
  }

  /* A field path of the API in words: "questions[2].options[1]" → "Câu 3: Phương án". */
  function fieldText(f) {
    var m = /^(questions|answers)\[(\d+)\](?:\.(\w+))?/.exec(f || '');
    if (m) { return t('sv.f.q', { n: Number(m[2]) + 1 }) + (m[3] && has('sv.f.' + m[3]) ? ': ' + t('sv.f.' + m[3]) : ''); }
    var k = (f || '').replace(/\[\d+\].*$/, '');
    return has('sv.f.' + k) ? t('sv.f.' + k) : '';
  }

  function msgLine(m) {
    if (!m) { return ''; }
    var s = P.msgText(m);
    var ft = m.field && m.key !== 'sv.err.answer_required' ? fieldText(m.field) : '';
    return ft ? s + ' (' + ft + ')' : s;
  }

  /* ---- the view, built once ---- */

  function build() {
    if ($('survey-view')) { return; }
    var v = node('section', { id: 'survey-view', 'data-view': 'survey', 'aria-labelledby': 'survey-heading' });
    v.hidden = true;
    var back = el('p', 'crumbs');
    back.appendChild(el('a', null, '')).id = 'survey-back';
    v.appendChild(back);
    v.appendChild(node('h1', { id: 'survey-heading', tabindex: '-1' }));
    v.appendChild(node('p', { id: 'survey-status', 'class': 'status', role: 'status', tabindex: '-1' }));
    v.appendChild(node('div', { id: 'survey-error', 'class': 'error', role: 'alert' }));
    v.appendChild(node('div', { id: 'survey-body' }));
    $('main').appendChild(v);
  }

  function frame(heading, backHref, backKey) {
    $('survey-heading').textContent = heading;
    var b = $('survey-back');
    b.href = backHref;
    b.textContent = t(backKey);
    $('survey-error').textContent = msgLine(S.msg);
    $('survey-status').textContent = S.busy ? t('loading') : (S.done ? t(S.done.key, S.done.params) : '');
    var body = $('survey-body');
    body.textContent = '';
    body.setAttribute('aria-busy', S.busy ? 'true' : 'false');
    return body;
  }

  function tableOf(hid, cols, rows) {
    var wrap = node('div', { 'class': 'table-wrap', role: 'region', 'aria-labelledby': hid, tabindex: '0' });
    var tb = node('table', { 'aria-labelledby': hid });
    var hr = document.createElement('tr');
    cols.forEach(function (c) { hr.appendChild(cell('th', t(c), 'col')); });
    tb.createTHead().appendChild(hr);
    var body = tb.createTBody();
    rows.forEach(function (r) { body.appendChild(r); });
    wrap.appendChild(tb);
    return wrap;
  }

  function paragraphs(box, text) {
    (text || '').split('\n').forEach(function (line) { if (line.trim()) { box.appendChild(el('p', null, line)); } });
  }

  /* ---- staff: the list ---- */

  function renderList() {
    var d = S.data;
    var body = frame(t('sv.heading'), '#home-heading', 'sv.back.home');
    body.appendChild(el('p', 'muted', t('sv.intro')));
    if (!d) { return; }
    if (d.can_create) {
      var p = el('p', 'card-actions');
      p.appendChild(link('#/surveys/new', 'sv.new', null, 'btn btn-small btn-go'));
      body.appendChild(p);
    }
    if (!d.surveys.length) { body.appendChild(el('p', 'empty', t('sv.list.empty'))); return; }
    var rows = d.surveys.map(function (x) {
      var tr = document.createElement('tr');
      tr.appendChild(cell('th', x.title, 'row'));
      tr.appendChild(cell('td', x.code));
      tr.appendChild(cell('td', t('sv.kind.' + x.kind)));
      tr.appendChild(cell('td', t('sv.status.' + x.status)));
      tr.appendChild(cell('td', t(x.anonymous ? 'yes' : 'no')));
      tr.appendChild(cell('td', n0(x.responses)));
      var td = el('td', 'actions');
      var a = link('#/surveys/results/' + enc(x.code), 'sv.results');
      a.setAttribute('aria-label', t('sv.results') + ': ' + x.title);
      td.appendChild(a);
      if (x.manage && isBuilder()) {
        td.appendChild(document.createTextNode(' · '));
        var e = link('#/surveys/edit/' + enc(x.code), 'sv.edit');
        e.setAttribute('aria-label', t('sv.edit') + ': ' + x.title);
        td.appendChild(e);
      }
      tr.appendChild(td);
      return tr;
    });
    body.appendChild(node('h2', { id: 'sv-list-h' }, t('sv.list.heading')));
    body.appendChild(tableOf('sv-list-h', ['sv.col.title', 'sv.col.code', 'sv.col.kind', 'sv.col.status',
      'sv.col.anonymous', 'sv.col.responses', 'sv.col.actions'], rows));
  }

  /* ---- staff: the builder ---- */

  function blankQuestion(kind) {
    return { kind: kind || 'likert', text: '', required: false, points: 5, options: [], max_select: 0, max_length: 1000 };
  }

  function field(id, key, input, hintKey) {
    var d = el('div', 'field');
    var l = el('label', null, t(key));
    l.htmlFor = id;
    input.id = id;
    d.appendChild(l);
    if (hintKey) {
      var h = el('p', 'hint', t(hintKey));
      h.id = id + '-hint';
      input.setAttribute('aria-describedby', h.id);
      d.appendChild(h);
    }
    d.appendChild(input);
    return d;
  }

  function input(type, value) {
    var i = document.createElement(type === 'textarea' ? 'textarea' : 'input');
    if (type !== 'textarea') { i.type = type; }
    if (type === 'textarea') { i.rows = 3; i.style.width = '100%'; i.style.font = 'inherit'; }
    if (value !== undefined && value !== null) { i.value = String(value); }
    return i;
  }

  function check(id, key, on) {
    var l = el('label');
    var c = input('checkbox');
    c.id = id;
    c.checked = !!on;
    l.appendChild(c);
    l.appendChild(document.createTextNode(' ' + t(key)));
    return l;
  }

  function choiceList(name, items, chosen) {
    var fs = el('fieldset');
    var lg = el('legend', null, t('sv.f.' + name));
    lg.id = 'sv-e-' + name + '-legend';
    fs.id = 'sv-e-' + name;
    fs.appendChild(lg);
    var box = el('div');
    box.style.maxHeight = '14rem';
    box.style.overflowY = 'auto';
    if (!items || !items.length) { box.appendChild(el('p', 'muted', t('sv.e.none'))); }
    (items || []).forEach(function (it, i) {
      var l = el('label');
      var c = input('checkbox');
      c.id = 'sv-e-' + name + '-' + i;
      c.value = it.code;
      c.checked = chosen.indexOf(it.code) >= 0;
      l.appendChild(c);
      l.appendChild(document.createTextNode(' ' + it.label));
      box.appendChild(l);
    });
    fs.appendChild(box);
    return fs;
  }

  function selectOf(id, values, current, labelOf) {
    var s = document.createElement('select');
    s.id = id;
    values.forEach(function (v) {
      var o = el('option', null, labelOf(v));
      o.value = String(v);
      s.appendChild(o);
    });
    s.value = String(current);
    return s;
  }

  function questionEditor(q, i, count, locked) {
    var p = 'sv-e-q' + i + '-';
    var fs = node('fieldset', { 'class': 'card', id: p + 'box' });
    fs.appendChild(el('legend', null, t('sv.f.q', { n: i + 1 })));
    fs.appendChild(field(p + 'kind', 'sv.f.kind', selectOf(p + 'kind', KINDS, q.kind, function (k) { return t('sv.qkind.' + k); })));
    fs.appendChild(field(p + 'text', 'sv.f.text', input('textarea', q.text)));
    fs.appendChild(check(p + 'required', 'sv.f.required', q.required));
    if (q.kind === 'likert') {
      fs.appendChild(field(p + 'points', 'sv.f.points', selectOf(p + 'points', [3, 4, 5, 6, 7], q.points || 5, String)));
      fs.appendChild(field(p + 'options', 'sv.f.labels', input('textarea', (q.options || []).join('\n')), 'sv.e.labels.hint'));
    } else if (q.kind !== 'text') {
      fs.appendChild(field(p + 'options', 'sv.f.options', input('textarea', (q.options || []).join('\n')), 'sv.e.options.hint'));
    }
    if (q.kind === 'multiple') {
      var ms = input('number', q.max_select || '');
      ms.min = '1';
      fs.appendChild(field(p + 'max_select', 'sv.f.max_select', ms, 'sv.e.max_select.hint'));
    }
    if (q.kind === 'text') {
      var ml = input('number', q.max_length || 1000);
      ml.min = '1';
      ml.max = '4000';
      fs.appendChild(field(p + 'max_length', 'sv.f.max_length', ml));
    }
    var bar = el('p', 'card-actions');
    [['up', i > 0], ['down', i < count - 1], ['remove', count > 1]].forEach(function (b) {
      var btn = el('button', 'btn btn-small', t('sv.e.' + b[0]));
      btn.type = 'button';
      btn.id = p + b[0];
      btn.setAttribute('aria-label', t('sv.e.' + b[0]) + ' — ' + t('sv.f.q', { n: i + 1 }));
      btn.disabled = !b[1] || locked;
      btn.addEventListener('click', function () { moveQuestion(i, b[0]); });
      bar.appendChild(btn);
      bar.appendChild(document.createTextNode(' '));
    });
    fs.appendChild(bar);
    fs.querySelector('select').addEventListener('change', function () {
      readEditor();
      S.ed.questions[i].kind = this.value;
      S.ed.questions[i].options = [];
      renderEdit();
      $(p + 'kind').focus();
    });
    if (locked) {
      Array.prototype.forEach.call(fs.querySelectorAll('input, select, textarea'), function (x) { x.disabled = true; });
    }
    return fs;
  }

  function lines(id) {
    var e = $(id);
    return e ? e.value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean) : [];
  }

  function checked(name) {
    var out = [];
    Array.prototype.forEach.call(document.querySelectorAll('#sv-e-' + name + ' input[type=checkbox]'), function (c) {
      if (c.checked) { out.push(c.value); }
    });
    return out;
  }

  /* The form's values into S.ed (before a re-render or a save). */
  function readEditor() {
    var ed = S.ed;
    if (!ed || !$('sv-e-title')) { return; }
    var v = function (id) { var e = $(id); return e ? e.value : ''; };
    if (ed.isNew) { ed.def.code = v('sv-e-code').trim(); }
    ed.def.title = v('sv-e-title').trim();
    ed.def.description = v('sv-e-description');
    ed.def.kind = $('sv-e-kind-course').checked ? 'course' : 'standalone';
    ed.def.anonymous = $('sv-e-anonymous').checked;
    ed.def.opens_on = v('sv-e-opens_on') || null;
    ed.def.closes_on = v('sv-e-closes_on') || null;
    if ($('sv-e-units')) { ed.def.units = checked('units'); }
    if ($('sv-e-courses')) { ed.def.courses = checked('courses'); }
    if ($('sv-e-level')) { ed.def.level = v('sv-e-level'); }
    if ($('sv-e-par_roles')) { ed.def.par_roles = checked('par_roles'); }
    ed.questions.forEach(function (q, i) {
      var p = 'sv-e-q' + i + '-';
      if (!$(p + 'text')) { return; }
      q.text = v(p + 'text').trim();
      q.required = $(p + 'required').checked;
      if ($(p + 'points')) { q.points = Number(v(p + 'points')); }
      if ($(p + 'options')) { q.options = lines(p + 'options'); }
      if ($(p + 'max_select')) { q.max_select = Number(v(p + 'max_select')) || 0; }
      if ($(p + 'max_length')) { q.max_length = Number(v(p + 'max_length')) || 0; }
    });
  }

  function moveQuestion(i, how) {
    readEditor();
    var qs = S.ed.questions;
    var to = how === 'up' ? i - 1 : i + 1;
    if (how === 'remove') { qs.splice(i, 1); }
    else { var x = qs[i]; qs[i] = qs[to]; qs[to] = x; }
    renderEdit();
    var target = how === 'remove' ? 'sv-e-add' : 'sv-e-q' + to + '-' + how;
    ($(target) && !$(target).disabled ? $(target) : $('sv-e-q' + (how === 'remove' ? 0 : to) + '-text')).focus();
  }

  function renderEdit() {
    var ed = S.ed;
    var body = frame(ed && !ed.isNew ? t('sv.edit.heading', { code: ed.def.code }) : t('sv.new.heading'),
      '#/surveys', 'sv.back.list');
    if (!ed) { return; }
    var d = ed.def;
    var locked = ed.responses > 0;
    var f = node('form', { id: 'sv-edit', novalidate: '' });
    var info = node('fieldset', { 'class': 'card' });
    info.appendChild(el('legend', null, t('sv.e.general')));
    if (ed.isNew) {
      var ci = input('text', d.code);
      ci.maxLength = 32;
      ci.autocomplete = 'off';
      info.appendChild(field('sv-e-code', 'sv.f.code', ci, 'sv.e.code.hint'));
    } else {
      info.appendChild(el('p', null, t('sv.e.state', { status: t('sv.status.' + ed.status), n: n0(ed.responses) })));
    }
    var ti = input('text', d.title);
    ti.maxLength = 300;
    info.appendChild(field('sv-e-title', 'sv.f.title', ti));
    info.appendChild(field('sv-e-description', 'sv.f.description', input('textarea', d.description)));
    var kinds = node('fieldset', { id: 'sv-e-kind' });
    kinds.appendChild(el('legend', null, t('sv.f.kind.survey')));
    ['standalone', 'course'].forEach(function (k) {
      var l = el('label');
      var r = input('radio');
      r.name = 'sv-e-kind';
      r.id = 'sv-e-kind-' + k;
      r.value = k;
      r.checked = d.kind === k;
      r.disabled = locked || ed.status !== 'draft';
      r.addEventListener('change', function () { readEditor(); renderEdit(); $('sv-e-kind-' + k).focus(); });
      l.appendChild(r);
      l.appendChild(document.createTextNode(' ' + t('sv.kind.' + k)));
      kinds.appendChild(l);
    });
    info.appendChild(kinds);
    var an = check('sv-e-anonymous', 'sv.f.anonymous', d.anonymous);
    an.querySelector('input').disabled = ed.status !== 'draft';
    info.appendChild(an);
    info.appendChild(el('p', 'hint', t('sv.e.anonymous.hint')));
    f.appendChild(info);

    var aud = node('fieldset', { 'class': 'card' });
    aud.appendChild(el('legend', null, t(d.kind === 'course' ? 'sv.e.courses' : 'sv.e.audience')));
    if (d.kind === 'course') {
      aud.appendChild(choiceList('courses', S.courses, d.courses || []));
    } else {
      aud.appendChild(choiceList('units', S.units, d.units || []));
      aud.appendChild(field('sv-e-level', 'sv.f.level', selectOf('sv-e-level', ['any', 'leaders', 'staff'], d.level || 'any',
        function (k) { return t('sv.level.' + k); })));
      aud.appendChild(choiceList('par_roles', ['dedicated', 'concurrent', 'none'].map(function (k) {
        return { code: k, label: t('par_role.' + k) };
      }), d.par_roles || []));
      aud.appendChild(el('p', 'hint', t('sv.e.par_roles.hint')));
    }
    aud.appendChild(field('sv-e-opens_on', 'sv.f.opens_on', input('date', d.opens_on || '')));
    aud.appendChild(field('sv-e-closes_on', 'sv.f.closes_on', input('date', d.closes_on || '')));
    if (locked) {
      Array.prototype.forEach.call(aud.querySelectorAll('input[type=checkbox], select'), function (x) { x.disabled = true; });
    }
    f.appendChild(aud);

    f.appendChild(node('h2', { id: 'sv-e-questions' }, t('sv.e.questions')));
    if (locked) { f.appendChild(el('p', 'hint', t('sv.e.locked'))); }
    ed.questions.forEach(function (q, i) { f.appendChild(questionEditor(q, i, ed.questions.length, locked)); });
    var add = el('p');
    var ab = el('button', 'btn btn-small', t('sv.e.add'));
    ab.type = 'button';
    ab.id = 'sv-e-add';
    ab.disabled = locked || ed.questions.length >= 100;
    ab.addEventListener('click', function () {
      readEditor();
      ed.questions.push(blankQuestion());
      renderEdit();
      $('sv-e-q' + (ed.questions.length - 1) + '-kind').focus();
    });
    add.appendChild(ab);
    f.appendChild(add);
    f.appendChild(node('div', { id: 'sv-e-error', 'class': 'error', role: 'alert' }, msgLine(ed.err)));
    var save = el('button', 'btn btn-primary btn-auto', t(ed.isNew ? 'sv.e.create' : 'sv.e.save'));
    save.type = 'submit';
    save.id = 'sv-e-save';
    save.disabled = S.busy;
    f.appendChild(save);
    f.addEventListener('submit', onSave);
    body.appendChild(f);
    if (!ed.isNew) { body.appendChild(manageTools(ed)); }
    if (ed.err && ed.err.field) { markField(ed.err.field); }
  }

  /* The element a server field path names, for aria-invalid and focus. */
  function fieldElement(f) {
    var m = /^questions\[(\d+)\](?:\.(\w+))?/.exec(f);
    if (m) { return $('sv-e-q' + m[1] + '-' + (m[2] || 'text')) || $('sv-e-q' + m[1] + '-text'); }
    var k = f.replace(/\[\d+\].*$/, '');
    if (k === 'units' || k === 'courses' || k === 'par_roles') { return document.querySelector('#sv-e-' + k + ' input'); }
    return $('sv-e-' + (k === 'kind' ? 'kind-standalone' : k));
  }

  function markField(f) {
    var e = fieldElement(f);
    if (e) {
      e.setAttribute('aria-invalid', 'true');
      var ids = (e.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      if (ids.indexOf('sv-e-error') < 0) { ids.push('sv-e-error'); }
      e.setAttribute('aria-describedby', ids.join(' '));
    }
    return e;
  }

  function payload() {
    var ed = S.ed, d = ed.def;
    var body = { code: d.code, title: d.title, description: d.description, kind: d.kind, anonymous: d.anonymous,
      opens_on: d.opens_on, closes_on: d.closes_on, unit: d.unit || null };
    if (d.kind === 'course') { body.courses = d.courses || []; }
    else { body.units = d.units || []; body.level = d.level || 'any'; body.par_roles = d.par_roles || []; }
    body.questions = ed.questions.map(function (q) {
      var o = { kind: q.kind, text: q.text, required: q.required };
      if (q.kind === 'likert') { o.points = q.points; if (q.options.length) { o.options = q.options; } }
      if (q.kind === 'single' || q.kind === 'multiple') { o.options = q.options; }
      if (q.kind === 'multiple' && q.max_select) { o.max_select = q.max_select; }
      if (q.kind === 'text') { o.max_length = q.max_length; }
      return o;
    });
    if (!ed.isNew) { body.rev = ed.rev; }
    return body;
  }

  function onSave(ev) {
    ev.preventDefault();
    if (S.busy) { return; }
    readEditor();
    var ed = S.ed;
    if (ed.isNew && !CODE_RE.test(ed.def.code || '')) { return saveFailed({ key: 'sv.err.code', field: 'code' }); }
    if (!ed.def.title) { return saveFailed({ key: 'sv.err.title', field: 'title' }); }
    var me = P.me();
    S.busy = true;
    ed.err = null;
    $('sv-e-error').textContent = '';
    $('sv-e-save').disabled = true;
    P.api('POST', ed.isNew ? '/api/surveys' : '/api/surveys/update', payload()).then(function (r) {
      if (P.me() !== me || P.lostSession(r)) { return; }
      S.busy = false;
      if (!r.ok) { saveFailed(failure(r)); return; }
      S.done = { key: ed.isNew ? 'sv.e.created' : 'sv.e.saved', params: { code: r.data.code } };
      fromDetail(r.data);
      if (ed.isNew) { location.hash = '#/surveys/edit/' + enc(r.data.code); return; }
      renderEdit();
      $('survey-status').focus();
    });
  }

  function saveFailed(m) {
    S.busy = false;
    S.ed.err = m;
    renderEdit();
    var e = m.field ? fieldElement(m.field) : null;
    (e || $('sv-e-error')).focus();
  }

  /* Publish, close, copy: for a survey being edited. */
  function manageTools(ed) {
    var box = node('section', { 'class': 'card', 'aria-labelledby': 'sv-tools-h' });
    box.appendChild(node('h2', { id: 'sv-tools-h' }, t('sv.tools')));
    var p = el('p', 'card-actions');
    if (ed.status === 'draft') { p.appendChild(action('sv-publish', 'sv.publish', '/api/surveys/publish', 'sv.published')); }
    if (ed.status === 'open') { p.appendChild(action('sv-close', 'sv.close', '/api/surveys/close', 'sv.closed')); }
    p.appendChild(document.createTextNode(' '));
    p.appendChild(link('#/surveys/results/' + enc(ed.def.code), 'sv.results', null, 'btn btn-small'));
    box.appendChild(p);
    box.appendChild(el('p', 'hint', t(ed.status === 'draft' ? 'sv.publish.hint' : 'sv.close.hint')));
    var cf = node('form', { id: 'sv-copy', novalidate: '' });
    var ci = input('text', '');
    ci.maxLength = 32;
    ci.autocomplete = 'off';
    cf.appendChild(field('sv-copy-code', 'sv.copy.code', ci, 'sv.copy.hint'));
    var cb = el('button', 'btn btn-small', t('sv.copy'));
    cb.type = 'submit';
    cf.appendChild(cb);
    cf.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var code = $('sv-copy-code').value.trim();
      if (!CODE_RE.test(code)) { S.ed.err = { key: 'sv.err.code', field: 'copy-code' }; renderEdit(); $('sv-copy-code').focus(); return; }
      send('/api/surveys/copy', { from: ed.def.code, code: code }, 'sv.copied', function (d) {
        location.hash = '#/surveys/edit/' + enc(d.code);
      });
    });
    box.appendChild(cf);
    return box;
  }

  function action(id, key, path, doneKey) {
    var b = el('button', 'btn btn-small btn-go', t(key));
    b.type = 'button';
    b.id = id;
    b.addEventListener('click', function () { send(path, { code: S.ed.def.code }, doneKey); });
    return b;
  }

  function send(path, body, doneKey, then) {
    var me = P.me();
    if (S.busy) { return; }
    S.busy = true;
    P.api('POST', path, body).then(function (r) {
      if (P.me() !== me || P.lostSession(r)) { return; }
      S.busy = false;
      if (!r.ok) { S.ed.err = failure(r); renderEdit(); $('sv-e-error').focus(); return; }
      S.done = { key: doneKey, params: { code: r.data.code } };
      fromDetail(r.data);
      if (then) { then(r.data); return; }
      renderEdit();
      $('survey-status').focus();
    });
  }

  function fromDetail(d) {
    S.ed = { isNew: false, rev: d.rev, status: d.status, responses: d.responses, err: null,
      def: { code: d.code, title: d.title, description: d.description, kind: d.kind, anonymous: d.anonymous,
        opens_on: d.opens_on, closes_on: d.closes_on, units: d.units, courses: d.courses, level: d.level,
        par_roles: d.par_roles, unit: d.unit },
      questions: d.questions.map(function (q) {
        return { kind: q.kind, text: q.text, required: q.required, points: q.points || 5,
          options: q.options || [],
          max_select: q.max_select || 0, max_length: q.max_length || 1000 };
      }) };
  }

  function loadChoices(me, courses) {
    var jobs = [];
    if (!S.units) {
      jobs.push(P.api('GET', '/api/units').then(function (r) {
        S.units = r.ok && r.data && Array.isArray(r.data.units)
          ? r.data.units.map(function (u) { return { code: u.code, label: u.name + ' (' + u.code + ')' }; }) : [];
      }));
    }
    if (courses && !S.courses) {
      jobs.push(P.api('GET', '/api/courses').then(function (r) {
        var seen = {};
        S.courses = [];
        (r.ok && r.data && Array.isArray(r.data.versions) ? r.data.versions : []).forEach(function (v) {
          if (!seen[v.course_code]) {
            seen[v.course_code] = true;
            S.courses.push({ code: v.course_code, label: (v.course_title || v.title) + ' (' + v.course_code + ')' });
          }
        });
      }));
    }
    return Promise.all(jobs).then(function () { return P.me() === me; });
  }

  /* ---- staff: results ---- */

  function bar(share) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('width', '120');
    svg.setAttribute('height', '12');
    svg.setAttribute('viewBox', '0 0 120 12');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var bg = document.createElementNS(ns, 'rect');
    bg.setAttribute('width', '120');
    bg.setAttribute('height', '12');
    bg.setAttribute('fill', '#e3e8ef');
    var fg = document.createElementNS(ns, 'rect');
    fg.setAttribute('width', String(Math.round(120 * Math.max(0, Math.min(1, share)))));
    fg.setAttribute('height', '12');
    fg.setAttribute('fill', '#0a4d8f');
    svg.appendChild(bg);
    svg.appendChild(fg);
    return svg;
  }

  function questionResult(q, st, idx) {
    var box = el('div');
    var hid = 'sv-r-q' + idx;
    box.appendChild(node('h3', { id: hid }, t('sv.f.q', { n: q.id }) + '. ' + q.text));
    if (!st) { return box; }
    box.appendChild(el('p', 'muted', t('sv.r.answered', { n: n0(st.answered) })));
    if (q.kind === 'text') {
      var tb = el('div');
      tb.id = 'sv-r-texts-' + q.id;
      box.appendChild(tb);
      renderTexts(q, tb);
      return box;
    }
    var total = q.kind === 'multiple' ? st.answered : st.counts.reduce(function (a, b) { return a + b; }, 0);
    var rows = q.options.map(function (o, i) {
      var tr = document.createElement('tr');
      tr.appendChild(cell('th', (q.kind === 'likert' ? (i + 1) + ' — ' : '') + o, 'row'));
      var c = cell('td', n0(st.counts[i]));
      c.className = 'num';
      tr.appendChild(c);
      var share = total ? st.counts[i] / total : 0;
      var s = cell('td', pct(share));
      s.className = 'num';
      tr.appendChild(s);
      var b = el('td');
      b.appendChild(bar(share));
      tr.appendChild(b);
      return tr;
    });
    box.appendChild(tableOf(hid, ['sv.col.option', 'sv.col.count', 'sv.col.share', 'sv.col.bar'], rows));
    if (q.kind === 'likert' && st.mean !== null && st.mean !== undefined) {
      box.appendChild(el('p', null, t('sv.r.likert', { mean: P.fmtNum(st.mean, 2), median: P.fmtNum(st.median, 1), points: q.points })));
    }
    return box;
  }

  function rateText(g) {
    if (g.responses === null) { return t('sv.r.hidden'); }
    return g.response_rate === null ? '—' : pct(g.response_rate);
  }

  function groupRows(groups, code) {
    return groups.map(function (g) {
      var tr = document.createElement('tr');
      var th = cell('th', '', 'row');
      var name = g.kind === 'none' ? t('sv.r.nounit') : (g.kind === 'direct' ? t('sv.r.direct', { name: g.name }) : g.name);
      th.textContent = '';
      if (g.kind === 'unit' && g.code) {
        var a = el('a', null, name);
        a.href = '#/surveys/results/' + enc(code) + '/' + enc(g.code);
        th.appendChild(a);
      } else {
        th.textContent = name;
      }
      tr.appendChild(th);
      var r = cell('td', g.responses === null ? '< 5' : n0(g.responses));
      r.className = 'num';
      tr.appendChild(r);
      var p = cell('td', n0(g.population));
      p.className = 'num';
      tr.appendChild(p);
      var rt = cell('td', g.suppressed ? t(g.suppressed_because === 'complement' ? 'sv.r.complement' : 'sv.r.small') : rateText(g));
      tr.appendChild(rt);
      return tr;
    });
  }

  function renderResults() {
    var d = S.data;
    var body = frame(d ? d.survey.title : t('sv.results'), '#/surveys', 'sv.back.list');
    if (!d) { return; }
    var sv = d.survey;
    var info = el('p', 'muted', t('sv.r.info', { code: sv.code, status: t('sv.status.' + sv.status),
      kind: t('sv.kind.' + sv.kind) }) + ' ' + t(sv.anonymous ? 'sv.r.anon' : 'sv.r.named'));
    body.appendChild(info);
    /* the unit filter */
    var f = node('form', { id: 'sv-r-filter', novalidate: '' });
    var opts = [''].concat((S.units || []).map(function (u) { return u.code; }));
    var names = {};
    (S.units || []).forEach(function (u) { names[u.code] = u.label; });
    f.appendChild(field('sv-r-unit', 'sv.r.unit', selectOf('sv-r-unit', opts, S.r.unit || '', function (c) {
      return c ? names[c] : t('sv.r.unit.all');
    })));
    var go = el('button', 'btn btn-small', t('sv.r.show'));
    go.type = 'submit';
    f.appendChild(go);
    f.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var u = $('sv-r-unit').value;
      location.hash = '#/surveys/results/' + enc(sv.code) + (u ? '/' + enc(u) : '');
    });
    body.appendChild(f);
    var csv = el('a', 'btn btn-small', t('sv.r.csv'));
    csv.href = '/api/surveys/results.csv?code=' + enc(sv.code) + (S.r.unit ? '&unit=' + enc(S.r.unit) : '');
    csv.setAttribute('download', '');
    var cp = el('p', 'card-actions');
    cp.appendChild(csv);
    if (sv.manage && isBuilder()) {
      cp.appendChild(document.createTextNode(' '));
      cp.appendChild(link('#/surveys/edit/' + enc(sv.code), 'sv.edit', null, 'btn btn-small'));
    }
    body.appendChild(cp);
    var sum = el('p', 'status');
    sum.id = 'sv-r-summary';
    sum.textContent = d.suppressed ? t('sv.r.suppressed', { k: d.k })
      : t('sv.r.summary', { n: n0(d.responses || 0), pop: n0(d.population), rate: d.response_rate === null ? '—' : pct(d.response_rate) });
    body.appendChild(sum);
    if (d.k) { body.appendChild(el('p', 'hint', t('sv.r.k', { k: d.k }))); }
    if (d.reach === 'units') { body.appendChild(el('p', 'hint', t('sv.r.reach'))); }
    body.appendChild(node('h2', { id: 'sv-r-q-h' }, t('sv.r.questions')));
    if (d.suppressed || !d.responses) { body.appendChild(el('p', 'muted', t(d.suppressed ? 'sv.r.none.k' : 'sv.r.none'))); }
    sv.questions.forEach(function (q, i) {
      var st = null;
      d.questions.forEach(function (x) { if (x.id === q.id) { st = x; } });
      body.appendChild(questionResult(q, st, i));
    });
    var units = d.groups.filter(function (g) { return g.kind !== 'course'; });
    var courses = d.groups.filter(function (g) { return g.kind === 'course'; });
    [['sv-r-units-h', 'sv.r.by_unit', units, 'sv.col.unit'], ['sv-r-courses-h', 'sv.r.by_course', courses, 'sv.col.course']].forEach(function (x) {
      if (!x[2].length) { return; }
      body.appendChild(node('h2', { id: x[0] }, t(x[1])));
      body.appendChild(tableOf(x[0], [x[3], 'sv.col.responses', 'sv.col.population', 'sv.col.rate'], groupRows(x[2], sv.code)));
    });
  }

  function renderTexts(q, box) {
    var st = S.texts[q.id];
    box.textContent = '';
    if (!st) {
      var b = el('button', 'btn btn-small', t('sv.r.texts'));
      b.type = 'button';
      b.id = 'sv-r-texts-btn-' + q.id;
      b.addEventListener('click', function () { loadTexts(q, box, 0); });
      box.appendChild(b);
      return;
    }
    var ul = el('ul');
    st.items.forEach(function (it) {
      var li = el('li', null, it.text);
      var who = [it.respondent, it.unit ? it.unit.name : null, it.day ? P.fmtDate(it.day) : null].filter(Boolean).join(' · ');
      if (who) { li.appendChild(el('span', 'note', who)); }
      ul.appendChild(li);
    });
    box.appendChild(ul);
    box.appendChild(node('p', { 'class': 'muted', role: 'status' }, t('sv.r.texts.count', { shown: st.items.length, total: st.total })));
    if (st.items.length < st.total) {
      var more = el('button', 'btn btn-small', t('sv.r.more'));
      more.type = 'button';
      more.id = 'sv-r-texts-more-' + q.id;
      more.addEventListener('click', function () { loadTexts(q, box, st.items.length); });
      box.appendChild(more);
    }
  }

  function loadTexts(q, box, offset) {
    var code = S.data.survey.code;
    P.api('GET', '/api/surveys/texts?code=' + enc(code) + '&question=' + q.id + '&limit=50&offset=' + offset +
      (S.r.unit ? '&unit=' + enc(S.r.unit) : '')).then(function (r) {
      if (P.lostSession(r) || !S.data || S.data.survey.code !== code) { return; }
      if (!r.ok) { S.msg = failure(r); $('survey-error').textContent = msgLine(S.msg); return; }
      var prev = S.texts[q.id];
      S.texts[q.id] = { items: (offset && prev ? prev.items : []).concat(r.data.items), total: r.data.total };
      renderTexts(q, box);
      var next = $('sv-r-texts-more-' + q.id);
      (next || box.querySelector('[role=status]')).focus();
    });
  }

  /* ---- learners: answering ---- */

  function renderAnswer() {
    var d = S.data;
    var body = frame(d ? d.title : t('sv.answer'), '#section-learner', 'learn.back.home');
    if (!d) { return; }
    paragraphs(body, d.description);
    body.appendChild(el('p', 'hint', t(d.anonymous ? 'sv.a.anon' : 'sv.a.named')));
    if (d.closes_on) { body.appendChild(el('p', 'muted', t('sv.a.closes', { date: P.fmtDate(d.closes_on) }))); }
    if (S.done) { return; }
    if (!d.can_answer) {
      body.appendChild(el('p', 'status', t(has('sv.reason.' + d.reason) ? 'sv.reason.' + d.reason : 'sv.reason.other')));
      return;
    }
    var f = node('form', { id: 'sv-form', novalidate: '' });
    f.appendChild(el('p', 'hint', t('sv.a.required')));
    d.questions.forEach(function (q) { f.appendChild(answerField(q)); });
    var b = el('button', 'btn btn-primary btn-auto', t('sv.a.submit'));
    b.type = 'submit';
    b.id = 'sv-submit';
    f.appendChild(b);
    f.addEventListener('submit', onAnswer);
    body.appendChild(f);
  }

  function answerField(q) {
    var p = 'sv-q' + q.id;
    var fs = node('fieldset', { 'class': 'card', id: p });
    var lg = el('legend', null, q.id + '. ' + q.text);
    lg.id = p + '-legend';
    fs.setAttribute('aria-labelledby', lg.id);
    if (q.required) {
      lg.appendChild(node('span', { 'aria-hidden': 'true' }, ' *'));
      lg.appendChild(el('span', 'visually-hidden', ' ' + t('sv.a.req')));
    }
    fs.appendChild(lg);
    var err = node('p', { id: p + '-err', 'class': 'error' });
    var hintIds = [p + '-err'];
    if (q.kind === 'likert' || q.kind === 'single') {
      fs.setAttribute('role', 'radiogroup');
      if (q.required) { fs.setAttribute('aria-required', 'true'); }
    }
    if (q.kind === 'multiple' && q.max_select < q.options.length) {
      fs.appendChild(node('p', { id: p + '-hint', 'class': 'hint' }, t('sv.a.max', { n: q.max_select })));
      hintIds.unshift(p + '-hint');
    }
    if (q.kind === 'text') {
      var ta = input('textarea', '');
      ta.id = p + '-text';
      ta.maxLength = q.max_length;
      ta.rows = 4;
      if (q.required) { ta.setAttribute('aria-required', 'true'); }
      var l = el('label', null, t('sv.a.your'));
      l.htmlFor = ta.id;
      fs.appendChild(l);
      fs.appendChild(node('p', { id: p + '-hint', 'class': 'hint' }, t('sv.a.maxlen', { n: q.max_length })));
      ta.setAttribute('aria-describedby', p + '-hint ' + p + '-err');
      fs.appendChild(ta);
    } else {
      fs.setAttribute('aria-describedby', hintIds.join(' '));
      q.options.forEach(function (o, i) {
        var lab = el('label');
        var c = input(q.kind === 'multiple' ? 'checkbox' : 'radio');
        c.name = p;
        c.id = p + '-' + i;
        c.value = String(q.kind === 'likert' ? i + 1 : i);
        lab.appendChild(c);
        lab.appendChild(document.createTextNode(' ' + (q.kind === 'likert' ? (i + 1) + ' — ' : '') + o));
        fs.appendChild(lab);
      });
    }
    fs.appendChild(err);
    return fs;
  }

  function collect() {
    var answers = [], missing = [];
    S.data.questions.forEach(function (q) {
      var p = 'sv-q' + q.id;
      var a = null;
      if (q.kind === 'text') {
        var v = $(p + '-text').value;
        if (v.trim()) { a = { question: q.id, value: v }; }
      } else if (q.kind === 'multiple') {
        var ch = [];
        Array.prototype.forEach.call(document.querySelectorAll('#' + p + ' input:checked'), function (c) { ch.push(Number(c.value)); });
        if (ch.length) { a = { question: q.id, value: ch }; }
      } else {
        var sel = document.querySelector('#' + p + ' input:checked');
        if (sel) { a = { question: q.id, value: Number(sel.value) }; }
      }
      if (a) { answers.push(a); } else if (q.required) { missing.push(q); }
    });
    return { answers: answers, missing: missing };
  }

  /* Shows err on question q (or clears every question's when q is null). */
  function questionError(q, text) {
    S.data.questions.forEach(function (x) {
      var on = q && x.id === q.id;
      $('sv-q' + x.id + '-err').textContent = on ? text : '';
      Array.prototype.forEach.call(document.querySelectorAll('#sv-q' + x.id + ' input, #sv-q' + x.id + ' textarea'), function (i) {
        i.setAttribute('aria-invalid', on ? 'true' : 'false');
      });
    });
    if (q) {
      var first = document.querySelector('#sv-q' + q.id + ' input, #sv-q' + q.id + ' textarea');
      if (first) { first.focus(); }
    }
  }

  function onAnswer(ev) {
    ev.preventDefault();
    if (S.busy) { return; }
    var c = collect();
    if (c.missing.length) {
      S.msg = { key: 'sv.err.answer_required.n', params: { n: c.missing.length } };
      $('survey-error').textContent = msgLine(S.msg);
      questionError(c.missing[0], t('sv.err.answer_required'));
      return;
    }
    var me = P.me(), d = S.data;
    S.busy = true;
    $('sv-submit').disabled = true;
    P.api('POST', '/api/my/survey/respond', { survey: d.code, answers: c.answers, course: d.course || undefined }).then(function (r) {
      if (P.me() !== me || P.lostSession(r)) { return; }
      S.busy = false;
      $('sv-submit').disabled = false;
      if (r.ok) {
        S.msg = null;
        S.done = { key: 'sv.a.thanks' };
        renderAnswer();
        $('survey-status').focus();
        loadMy();
        return;
      }
      S.msg = failure(r);
      var m = /^answers\[(\d+)\]/.exec(S.msg.field || '') || /^questions\[(\d+)\]/.exec(S.msg.field || '');
      var q = null;
      if (m && S.msg.field.charAt(0) === 'a' && c.answers[Number(m[1])]) {
        d.questions.forEach(function (x) { if (x.id === c.answers[Number(m[1])].question) { q = x; } });
      } else if (m) { q = d.questions[Number(m[1])] || null; }
      if (q) { S.msg.field = 'questions[' + (q.id - 1) + ']'; }
      $('survey-error').textContent = msgLine(S.msg);
      if (q) { questionError(q, P.msgText(S.msg)); } else { $('survey-error').focus(); }
    });
  }

  /* ---- learners: the list on the home page, and a course page's panel (learn.js) ---- */

  function offerList(list, hid) {
    var ul = node('ul', { 'class': 'cards', 'aria-labelledby': hid });
    list.forEach(function (x) {
      var li = el('li', 'card-item');
      var h = el('h4');
      var a = el('a', null, x.title);
      a.href = '#/survey/' + enc(x.code);
      h.appendChild(a);
      li.appendChild(h);
      li.appendChild(el('p', 'muted', t(x.responded ? 'sv.my.done' : 'sv.my.todo') +
        (x.closes_on ? ' · ' + t('sv.a.closes', { date: P.fmtDate(x.closes_on) }) : '')));
      ul.appendChild(li);
    });
    return ul;
  }

  function renderMy() {
    var sec = $('section-learner');
    if (!sec) { return; }
    var box = $('sv-my');
    if (!box) {
      box = node('div', { id: 'sv-my' });
      var after = $('my-courses');
      sec.insertBefore(box, after ? after.nextSibling : null);
    }
    box.textContent = '';
    if (!S.my || !S.my.length) { return; }
    box.appendChild(node('h3', { id: 'sv-my-h' }, t('sv.my.heading')));
    box.appendChild(offerList(S.my, 'sv-my-h'));
  }

  function loadMy() {
    if (!P.hasRole('learner')) { return; }
    var me = P.me();
    P.api('GET', '/api/my/surveys').then(function (r) {
      if (P.me() !== me || !r.ok || !r.data) { return; }
      S.my = r.data.surveys;
      renderMy();
    });
  }

  /* Called by learn.js on a course page: a box that fills itself with the course's surveys. */
  function coursePanel(code) {
    var box = node('section', { 'class': 'card sv-course', 'aria-labelledby': 'sv-course-h' });
    box.hidden = true;
    var me = P.me();
    P.api('GET', '/api/my/surveys?course=' + enc(code)).then(function (r) {
      if (P.me() !== me || !r.ok || !r.data || !r.data.surveys.length) { return; }
      box.appendChild(node('h2', { id: 'sv-course-h' }, t('sv.course.heading')));
      box.appendChild(offerList(r.data.surveys, 'sv-course-h'));
      box.hidden = false;
    });
    return box;
  }
  window.parlearnSurvey = { coursePanel: coursePanel };

  /* ---- routing ---- */

  function parseHash() {
    var m = /^#\/(surveys|survey)(?:\/([^/]*))?(?:\/([^/]*))?(?:\/([^/]*))?$/.exec(location.hash);
    if (!m) { return null; }
    var dec = function (x) { try { return x ? decodeURIComponent(x) : null; } catch (e) { return '\u0000'; } };
    var a = dec(m[2]), b = dec(m[3]), c = dec(m[4]);
    var ok = function (x) { return x === null || CODE_RE.test(x); };
    if (!ok(a) || !ok(b) || !ok(c)) { return null; }
    if (m[1] === 'survey') { return a && !b ? { v: 'answer', code: a } : null; }
    if (!a) { return { v: 'list' }; }
    if (a === 'new' && !b) { return { v: 'edit', code: null }; }
    if (a === 'edit' && b && !c) { return { v: 'edit', code: b }; }
    if (a === 'results' && b) { return { v: 'results', code: b, unit: c }; }
    return null;
  }

  function allowed(r) {
    if (r.v === 'answer') { return P.hasRole('learner'); }
    return r.v === 'edit' ? isBuilder() : isStaff();
  }

  function render() {
    if (!S.active) { return; }
    var v = S.r.v;
    if (v === 'list') { renderList(); }
    else if (v === 'edit') { renderEdit(); }
    else if (v === 'results') { renderResults(); }
    else { renderAnswer(); }
  }

  function load() {
    var r = S.r, me = P.me(), seq = ++S.seq;
    var done = function (res, ok) {
      if (P.me() !== me || seq !== S.seq || P.lostSession(res)) { return false; }
      S.busy = false;
      if (!res.ok) { S.msg = failure(res); S.data = null; render(); return false; }
      return ok !== false;
    };
    S.busy = true;
    S.data = null;
    render();
    if (r.v === 'list') {
      P.api('GET', '/api/surveys').then(function (res) { if (done(res)) { S.data = res.data; render(); } });
    } else if (r.v === 'answer') {
      P.api('GET', '/api/my/survey?code=' + enc(r.code)).then(function (res) { if (done(res)) { S.data = res.data; render(); } });
    } else if (r.v === 'results') {
      loadChoices(me, false).then(function () {
        return P.api('GET', '/api/surveys/results?code=' + enc(r.code) + (r.unit ? '&unit=' + enc(r.unit) : ''));
      }).then(function (res) { if (done(res)) { S.data = res.data; render(); } });
    } else {
      loadChoices(me, true).then(function () {
        if (!r.code) {
          return { ok: true, data: null };
        }
        return P.api('GET', '/api/surveys/detail?code=' + enc(r.code));
      }).then(function (res) {
        if (!done(res)) { return; }
        if (res.data) { fromDetail(res.data); }
        else {
          S.ed = { isNew: true, status: 'draft', responses: 0, err: null,
            def: { code: '', title: '', description: '', kind: 'standalone', anonymous: true, units: [], courses: [],
              level: 'any', par_roles: [] },
            questions: [blankQuestion('likert')] };
        }
        render();
      });
    }
  }

  function route() {
    if (!P.me()) { return; }
    var r = parseHash();
    if (!r || !allowed(r)) {
      if (S.active) {
        S.active = false;
        if (!OTHER_VIEWS.test(location.hash)) {
          P.goHome(/^#section-[\w-]+$/.test(location.hash) ? location.hash.slice(1) : null);
        }
      }
      if (!OTHER_VIEWS.test(location.hash)) { loadMy(); }
      return;
    }
    build();
    var keepDone = S.active && S.done && S.r && r.v === 'edit' && S.r.v === 'edit';
    S.active = true;
    S.r = r;
    S.msg = null;
    S.texts = {};
    if (!keepDone) { S.done = null; }
    P.show('survey');
    load();
    $('survey-heading').focus();
  }

  function homeLink() {
    var nav = $('home-nav-list');
    if (!nav || !isStaff() || $('sv-nav')) { return; }
    var li = el('li');
    var a = el('a', null, t('sv.nav'));
    a.id = 'sv-nav';
    a.href = '#/surveys';
    li.appendChild(a);
    nav.appendChild(li);
  }

  P.hook({
    enter: function () {
      S.units = S.courses = S.my = null;
      homeLink();
      loadMy();
      if (parseHash()) { route(); }
    },
    leave: function () {
      S.active = false;
      S.data = S.ed = S.my = S.units = S.courses = null;
    },
    lang: function () { homeLink(); renderMy(); render(); }
  });
  window.addEventListener('hashchange', route);
}());
