/* reports.js — the HR officer's "Báo cáo" view (#/reports, #/reports/UNIT) for HR officers
 * and admins: completions, time and training periods of a unit subtree for a quarter,
 * half-year, year or dates, by child unit (drill down to the people), with charts by month,
 * by unit and by PAR area; the indicators of Decision 2709 (II.2) with numerator, denominator
 * and the list behind each; quiz and exam results by unit and by assessment with their score
 * distribution; the talent-pool list; CSV and Excel files of the same rows; a printable page.
 * API: GET /api/reports/completion, /indicators, /indicator-list, /exams, /talent-pool, /surveys
 * (docs/reports.md).
 *
 * Invariants: data reaches the page only through textContent (SVG text too); every string
 * comes from i18n.js; charts always have their numbers as a table beside them; the view
 * (data-view="reports") is built here once, so index.html only loads this script and its
 * stylesheet. Uses app.js through window.parlearn only.
 */
(function () {
  'use strict';

  var P = window.parlearn;
  if (!P) { return; }
  var t = P.t, el = P.el, cell = P.cell;
  var CODE_RE = /^[A-Za-z0-9._-]{1,32}$/;
  var DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
  var PAGE = 100;
  var SVG = 'http://www.w3.org/2000/svg';
  var DAY = 86400000, CITY = 7 * 3600000;
  var IND_COLS = {
    leaders_trained: ['rep.l.n1.courses', 'rep.l.n2.periods', 'rep.l.detail.course'],
    par_required_done: ['rep.l.n1.assigned', 'rep.l.n2.unmet', null],
    par_access: ['rep.l.n1.enrolments', 'rep.l.n2.sessions', null],
    experts_certified: ['rep.l.n1.certs', 'rep.l.n2.year', 'rep.l.detail.cert'],
    leadership_pool: ['rep.l.n1.approved', 'rep.l.n2.rank', 'rep.l.detail.exam'],
    units_par_position: ['rep.l.n1.holders', 'rep.l.n2.people', 'rep.l.detail.positions']
  };

  var S = { active: false, unit: null, units: null, q: null, data: null, people: null,
    peopleOffset: 0, drill: 'units', ind: null, list: null, msg: null, busy: false, seq: 0,
    exams: null, exKind: '', pool: null, poolStatus: '', poolOffset: 0, surveys: null };

  function $(id) { return document.getElementById(id); }
  function n(x) { return x === null || x === undefined ? '—' : P.fmtNum(x, 0); }
  function n1(x) { return x === null || x === undefined ? '—' : P.fmtNum(x, 1); }
  function pct(x) { return x === null || x === undefined ? '—' : P.fmtNum(x, 1) + ' %'; }
  function allowed() { return P.hasRole('admin') || P.hasRole('hr_officer'); }
  function cityToday() { return new Date(Date.now() + CITY).toISOString().slice(0, 10); }

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

  function select(options) { /* [[value, key], ...] */
    var s = document.createElement('select');
    options.forEach(function (o) {
      var op = el('option', null, o[2] ? o[1] : t(o[1]));
      op.value = o[0];
      if (!o[2]) { op.setAttribute('data-i18n', o[1]); }
      s.appendChild(op);
    });
    return s;
  }

  function input(type) {
    var i = document.createElement('input');
    i.type = type;
    return i;
  }

  function heading(tag, id, key) {
    var h = el(tag, null, t(key));
    h.id = id;
    h.setAttribute('data-i18n', key);
    return h;
  }

  function button(key, cls, onClick) {
    var b = el('button', cls || 'btn btn-small', t(key));
    b.type = 'button';
    b.setAttribute('data-i18n', key);
    if (onClick) { b.addEventListener('click', onClick); }
    return b;
  }

  function build() {
    if ($('rep-view')) { return; }
    var v = el('section', 'rep');
    v.id = 'rep-view';
    v.setAttribute('data-view', 'reports');
    v.setAttribute('aria-labelledby', 'rep-heading');
    v.hidden = true;
    var back = el('p', 'crumbs no-print');
    var a = el('a', null, t('rep.back'));
    a.href = '#home-heading';
    a.setAttribute('data-i18n', 'rep.back');
    back.appendChild(a);
    v.appendChild(back);
    var h1 = heading('h1', 'rep-heading', 'rep.heading');
    h1.tabIndex = -1;
    v.appendChild(h1);
    var intro = el('p', 'muted no-print', t('rep.intro'));
    intro.setAttribute('data-i18n', 'rep.intro');
    v.appendChild(intro);

    var f = el('form', 'rep-filter no-print');
    f.id = 'rep-filter';
    f.noValidate = true;
    var fs = el('fieldset');
    fs.appendChild(heading('legend', 'rep-filter-legend', 'rep.filter'));
    fs.appendChild(field('rep-unit', 'rep.unit', document.createElement('select')));
    fs.appendChild(field('rep-ptype', 'rep.ptype', select([['q', 'rep.ptype.q'], ['h', 'rep.ptype.h'],
      ['y', 'rep.ptype.y'], ['d', 'rep.ptype.d']])));
    fs.appendChild(field('rep-year', 'rep.year', document.createElement('select')));
    fs.appendChild(field('rep-quarter', 'rep.quarter', select([['1', 'rep.q1'], ['2', 'rep.q2'],
      ['3', 'rep.q3'], ['4', 'rep.q4']])));
    fs.appendChild(field('rep-half', 'rep.half', select([['1', 'rep.h1'], ['2', 'rep.h2']])));
    fs.appendChild(field('rep-from', 'rep.from', input('date')));
    fs.appendChild(field('rep-to', 'rep.to', input('date')));
    var course = input('text');
    course.autocomplete = 'off';
    course.maxLength = 32;
    fs.appendChild(field('rep-course', 'rep.course', course));
    var area = input('text');
    area.autocomplete = 'off';
    area.maxLength = 64;
    fs.appendChild(field('rep-area', 'rep.area', area));
    fs.appendChild(field('rep-audience', 'rep.audience', select([['', 'rep.aud.all'],
      ['leader', 'rep.aud.leader'], ['staff', 'rep.aud.staff']])));
    fs.appendChild(field('rep-par', 'rep.par', select([['', 'rep.par.all'], ['par', 'rep.par.par'],
      ['dedicated', 'rep.par.dedicated'], ['concurrent', 'rep.par.concurrent'], ['none', 'rep.par.none']])));
    f.appendChild(fs);
    var err = el('div', 'error');
    err.id = 'rep-error';
    err.setAttribute('role', 'alert');
    f.appendChild(err);
    var go = el('button', 'btn btn-primary btn-auto', t('rep.show'));
    go.type = 'submit';
    go.id = 'rep-show';
    go.setAttribute('data-i18n', 'rep.show');
    f.appendChild(go);
    f.addEventListener('submit', onFilter);
    v.appendChild(f);

    var st = el('p', 'muted');
    st.id = 'rep-status';
    st.setAttribute('role', 'status');
    v.appendChild(st);
    var res = el('div');
    res.id = 'rep-body';
    v.appendChild(res);
    $('main').appendChild(v);
    $('rep-ptype').addEventListener('change', showPeriodFields);
  }

  function showPeriodFields() {
    var k = $('rep-ptype').value;
    $('rep-year').parentNode.hidden = k === 'd';
    $('rep-quarter').parentNode.hidden = k !== 'q';
    $('rep-half').parentNode.hidden = k !== 'h';
    $('rep-from').parentNode.hidden = k !== 'd';
    $('rep-to').parentNode.hidden = k !== 'd';
  }

  /* The form from the state (first visit: this quarter, the caller's own unit). */
  function fillFilter() {
    var today = cityToday();
    var y = +today.slice(0, 4);
    var ys = $('rep-year');
    if (!ys.options.length) {
      for (var i = y + 1; i >= 2000; i--) {
        var o = el('option', null, String(i));
        o.value = String(i);
        ys.appendChild(o);
      }
    }
    if (!S.q) {
      S.q = { ptype: 'q', year: String(y), quarter: String(Math.floor((+today.slice(5, 7) - 1) / 3) + 1),
        half: +today.slice(5, 7) <= 6 ? '1' : '2', from: '', to: '', course: '', area: '', audience: '', par: '' };
    }
    $('rep-ptype').value = S.q.ptype;
    ys.value = S.q.year;
    $('rep-quarter').value = S.q.quarter;
    $('rep-half').value = S.q.half;
    $('rep-from').value = S.q.from;
    $('rep-to').value = S.q.to;
    $('rep-course').value = S.q.course;
    $('rep-area').value = S.q.area;
    $('rep-audience').value = S.q.audience;
    $('rep-par').value = S.q.par;
    showPeriodFields();
    fillUnits();
  }

  function fillUnits() {
    var s = $('rep-unit');
    s.textContent = '';
    (S.units || []).forEach(function (u) {
      var label = u.name + ' (' + u.code + ')' + (u.valid_to ? ' — ' + t('rep.unit.until', { d: P.fmtDate(u.valid_to) }) : '');
      var o = el('option', null, label);
      o.value = u.code;
      s.appendChild(o);
    });
    if (S.unit) { s.value = S.unit; }
  }

  /* The caller's first unit (an HR officer's role), or the root of the tree (an admin). */
  function defaultUnit() {
    var me = P.me();
    var roles = (me.roles || []).filter(function (r) { return r.role === 'hr_officer' && r.unit; });
    if (roles.length) { return roles[0].unit.code; }
    var root = (S.units || []).filter(function (u) { return !u.parent_code; })[0];
    return root ? root.code : null;
  }

  function periodParams() {
    var q = S.q;
    if (q.ptype === 'd') { return 'from=' + encodeURIComponent(q.from) + '&to=' + encodeURIComponent(q.to); }
    var p = q.year + (q.ptype === 'q' ? '-Q' + q.quarter : q.ptype === 'h' ? '-H' + q.half : '');
    return 'period=' + encodeURIComponent(p);
  }

  function query(extra) {
    var q = S.q;
    var s = 'unit=' + encodeURIComponent(S.unit) + '&' + periodParams();
    if (q.course) { s += '&course=' + encodeURIComponent(q.course); }
    if (q.area) { s += '&par_area=' + encodeURIComponent(q.area); }
    if (q.audience) { s += '&audience=' + encodeURIComponent(q.audience); }
    if (q.par) { s += '&par_role=' + encodeURIComponent(q.par); }
    return s + (extra || '');
  }

  /* ---- loading ---- */

  function failure(r) {
    var d = r.data || {};
    if (r.code === 'invalid_field') {
      var f = d.field;
      if (f === 'period' || f === 'from' || f === 'to') { return { key: 'rep.err.period', field: f, detail: d.detail }; }
      if (f === 'course') { return { key: 'rep.err.course', field: f }; }
      return { key: 'rep.err.field', field: f, detail: d.detail };
    }
    if (r.code === 'not_found') { return { key: d.field === 'course' ? 'rep.err.course' : 'rep.err.unit', field: d.field }; }
    if (r.code === 'forbidden') { return { key: 'rep.err.forbidden' }; }
    return P.messageFor(r);
  }

  /* focus: move to the report's title when it arrives (after the user asked for it; not when
   * the view opens, where the heading keeps the focus). */
  function load(focus) {
    var me = P.me(), seq = ++S.seq;
    S.busy = true;
    S.msg = null;
    S.people = null;
    S.list = null;
    render();
    S.poolOffset = 0;
    Promise.all([
      P.api('GET', '/api/reports/completion?' + query()),
      P.api('GET', '/api/reports/indicators?' + query()),
      P.api('GET', '/api/reports/exams?' + query(examExtra())),
      P.api('GET', '/api/reports/talent-pool?' + query(poolExtra(0))),
      P.api('GET', '/api/reports/surveys?' + query())
    ]).then(function (rs) {
      if (seq !== S.seq || P.me() !== me) { return; }
      S.busy = false;
      if (rs.some(P.lostSession)) { return; }
      if (!rs[0].ok) { S.msg = failure(rs[0]); S.data = null; S.ind = null; S.exams = null; S.pool = null; S.surveys = null; render(); return; }
      S.data = rs[0].data;
      S.ind = rs[1].ok ? rs[1].data : null;
      S.exams = rs[2].ok ? rs[2].data : null;
      S.pool = rs[3].ok ? rs[3].data : null;
      S.surveys = rs[4].ok ? rs[4].data : null;
      if (S.drill === 'people') { loadPeople(0); return; }
      render();
      if (focus) { $('rep-title').focus(); }
    });
  }

  function loadPeople(offset) {
    var me = P.me(), seq = ++S.seq;
    S.busy = true;
    render();
    P.api('GET', '/api/reports/completion?' + query('&drill=people&limit=' + PAGE + '&offset=' + offset)).then(function (r) {
      if (seq !== S.seq || P.me() !== me) { return; }
      S.busy = false;
      if (P.lostSession(r)) { return; }
      if (!r.ok) { S.msg = failure(r); render(); return; }
      S.people = r.data;
      S.peopleOffset = offset;
      render();
      $('rep-people-heading').focus();
    });
  }

  function examExtra() { return S.exKind ? '&kind=' + encodeURIComponent(S.exKind) : ''; }
  function poolExtra(offset) {
    return (S.poolStatus ? '&status=' + encodeURIComponent(S.poolStatus) : '') +
      (offset === null ? '' : '&limit=' + PAGE + '&offset=' + offset);
  }

  /* One section again (the exams' kind, the pool's status or page): focus goes to its heading. */
  function loadSection(path, extra, key, heading) {
    var me = P.me(), seq = ++S.seq;
    S.busy = true;
    render();
    P.api('GET', path + '?' + query(extra)).then(function (r) {
      if (seq !== S.seq || P.me() !== me) { return; }
      S.busy = false;
      if (P.lostSession(r)) { return; }
      if (!r.ok) { S.msg = failure(r); render(); return; }
      S[key] = r.data;
      render();
      $(heading).focus();
    });
  }

  function loadList(id, offset) {
    var me = P.me(), seq = ++S.seq;
    S.busy = true;
    render();
    P.api('GET', '/api/reports/indicator-list?' + query('&id=' + encodeURIComponent(id) + '&limit=' + PAGE + '&offset=' + offset)).then(function (r) {
      if (seq !== S.seq || P.me() !== me) { return; }
      S.busy = false;
      if (P.lostSession(r)) { return; }
      if (!r.ok) { S.msg = failure(r); render(); return; }
      S.list = { id: id, data: r.data, offset: offset };
      render();
      $('rep-list-heading').focus();
    });
  }

  /* ---- rendering ---- */

  function fileLink(path, extra, fmt) {
    var a = el('a', 'btn btn-small', t(fmt === 'csv' ? 'rep.csv' : 'rep.xlsx'));
    a.href = path + '?' + query(extra + '&format=' + fmt);
    a.setAttribute('download', '');
    return a;
  }

  function files(path, extra, labelKey) {
    var d = el('div', 'rep-files no-print');
    d.setAttribute('role', 'group');
    d.setAttribute('aria-label', t(labelKey));
    d.appendChild(fileLink(path, extra, 'csv'));
    d.appendChild(fileLink(path, extra, 'xlsx'));
    return d;
  }

  function tableOf(hid, heads, rows, cls) {
    var wrap = el('div', 'table-wrap');
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-labelledby', hid);
    wrap.tabIndex = 0;
    var tb = el('table', 'rep-table' + (cls ? ' ' + cls : ''));
    tb.setAttribute('aria-labelledby', hid);
    var hr = document.createElement('tr');
    heads.forEach(function (k) { hr.appendChild(cell('th', t(k), 'col')); });
    tb.createTHead().appendChild(hr);
    var body = tb.createTBody();
    rows.forEach(function (r) { body.appendChild(r); });
    wrap.appendChild(tb);
    return wrap;
  }

  function num(tr, text) {
    var td = cell('td', text);
    td.className = 'num';
    tr.appendChild(td);
  }

  var UNIT_HEADS = ['rep.c.unit', 'rep.c.people', 'rep.c.enrolled', 'rep.c.enrolled_completed', 'rep.c.rate',
    'rep.c.completed', 'rep.c.overdue', 'rep.c.active', 'rep.c.reported', 'rep.c.periods_pp', 'rep.c.at_target'];

  function countCells(tr, c) {
    num(tr, n(c.people));
    num(tr, n(c.enrolled));
    num(tr, n(c.enrolled_completed));
    num(tr, pct(c.completion_rate));
    num(tr, n(c.completed));
    num(tr, n(c.overdue));
    num(tr, n1(c.active_hours));
    num(tr, n1(c.reported_hours));
    num(tr, n1(c.periods_per_person));
    num(tr, n(c.at_target));
  }

  function unitRow(u) {
    var tr = document.createElement('tr');
    var th = cell('th', '', 'row');
    th.textContent = '';
    if (u.own) {
      th.appendChild(document.createTextNode(t('rep.own', { name: u.name })));
    } else {
      var a = el('a', null, u.name);
      a.href = '#/reports/' + encodeURIComponent(u.code);
      th.appendChild(a);
    }
    th.appendChild(el('span', 'code', ' ' + u.code));
    tr.appendChild(th);
    countCells(tr, u);
    return tr;
  }

  function totalRow(c) {
    var tr = document.createElement('tr');
    tr.className = 'total';
    tr.appendChild(cell('th', t('rep.total'), 'row'));
    countCells(tr, c);
    return tr;
  }

  function periodText(p) {
    return t('rep.period.text', { label: p.label, from: P.fmtDate(p.from), to: P.fmtDate(p.to) });
  }

  /* A horizontal bar chart with its numbers as a table (the text alternative). items:
   * [{label, a, b}] — a: enrolled, b: completed; or, with o = {a, item} (names of the series
   * and of the items), a single series a. */
  function chart(id, titleKey, items, o) {
    var two = !o;
    var keys = o ? [o.a] : ['rep.c.enrolled', 'rep.c.completed'];
    var fig = el('figure', 'rep-chart');
    var cap = el('figcaption', null, t(titleKey));
    cap.id = id + '-cap';
    fig.appendChild(cap);
    var max = 1;
    items.forEach(function (x) { max = Math.max(max, x.a, two ? x.b : 0); });
    var rowH = 26, left = 150, width = 560, h = Math.max(1, items.length) * rowH + 30;
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + h);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-labelledby', id + '-cap ' + id + '-desc');
    svg.setAttribute('class', 'rep-svg');
    var desc = document.createElementNS(SVG, 'desc');
    desc.id = id + '-desc';
    desc.textContent = t('rep.chart.desc', { n: items.length });
    svg.appendChild(desc);
    function text(x, y, s, cls) {
      var e = document.createElementNS(SVG, 'text');
      e.setAttribute('x', x);
      e.setAttribute('y', y);
      if (cls) { e.setAttribute('class', cls); }
      e.textContent = s;
      svg.appendChild(e);
    }
    function bar(x, y, w, hh, cls) {
      var r = document.createElementNS(SVG, 'rect');
      r.setAttribute('x', x);
      r.setAttribute('y', y);
      r.setAttribute('width', Math.max(0, w));
      r.setAttribute('height', hh);
      r.setAttribute('class', cls);
      svg.appendChild(r);
    }
    items.forEach(function (x, i) {
      var y = i * rowH + 4, span = width - left - 60;
      text(left - 6, y + 15, x.label.length > 22 ? x.label.slice(0, 21) + '…' : x.label, 'lbl');
      if (two) {
        bar(left, y + 2, span * x.a / max, 9, 'bar-a');
        bar(left, y + 12, span * x.b / max, 9, 'bar-b');
        text(left + span * Math.max(x.a, x.b) / max + 4, y + 17, n(x.b) + ' / ' + n(x.a), 'val');
      } else {
        bar(left, y + 4, span * x.a / max, 14, 'bar-b');
        text(left + span * x.a / max + 4, y + 16, n(x.a), 'val');
      }
    });
    var ly = items.length * rowH + 14;
    bar(left, ly, 10, 10, two ? 'bar-a' : 'bar-b');
    text(left + 14, ly + 9, t(keys[0]), 'leg');
    if (two) {
      bar(left + 200, ly, 10, 10, 'bar-b');
      text(left + 214, ly + 9, t(keys[1]), 'leg');
    }
    fig.appendChild(svg);
    var det = el('details', 'rep-chart-data');
    det.appendChild(el('summary', null, t('rep.chart.data')));
    var rows = items.map(function (x) {
      var tr = document.createElement('tr');
      tr.appendChild(cell('th', x.label, 'row'));
      num(tr, n(x.a));
      if (two) { num(tr, n(x.b)); }
      return tr;
    });
    det.appendChild(tableOf(id + '-cap', [o ? o.item : 'rep.chart.item'].concat(keys), rows));
    fig.appendChild(det);
    return fig;
  }

  function monthLabel(k) {
    return P.lang() === 'vi' ? k.slice(5) + '/' + k.slice(0, 4) : k;
  }

  function summary(c) {
    var dl = el('dl', 'rep-summary');
    [['rep.c.people', n(c.people)], ['rep.c.enrolled', n(c.enrolled)], ['rep.c.rate', pct(c.completion_rate)],
      ['rep.c.completed', n(c.completed)], ['rep.c.overdue', n(c.overdue)], ['rep.c.active', n1(c.active_hours)],
      ['rep.c.periods_pp', n1(c.periods_per_person)], ['rep.c.at_target', n(c.at_target)]].forEach(function (x) {
      var d = el('div');
      d.appendChild(el('dt', null, t(x[0])));
      d.appendChild(el('dd', null, x[1]));
      dl.appendChild(d);
    });
    return dl;
  }

  function renderReport(body) {
    var d = S.data;
    var h2 = el('h2', null, t('rep.title', { unit: d.unit.name, period: periodText(d.period) }));
    h2.id = 'rep-title';
    h2.tabIndex = -1;
    body.appendChild(h2);
    if (d.predecessors && d.predecessors.length) {
      var names = d.predecessors.map(function (p) { return p.name + ' (' + p.code + ')'; }).join(', ');
      body.appendChild(el('p', 'rep-note', t('rep.preds', { units: names })));
    }
    var acts = el('div', 'rep-actions no-print');
    acts.appendChild(button('rep.print', 'btn btn-small', function () { window.print(); }));
    acts.appendChild(button(S.drill === 'people' ? 'rep.by_units' : 'rep.by_people', 'btn btn-small', function () {
      S.drill = S.drill === 'people' ? 'units' : 'people';
      if (S.drill === 'people') { loadPeople(0); } else { S.people = null; render(); $('rep-title').focus(); }
    }));
    body.appendChild(acts);
    body.appendChild(summary(d.total));
    var charts = el('div', 'rep-charts');
    charts.appendChild(chart('rep-ch-month', 'rep.chart.month', d.series.months.map(function (m) {
      return { label: monthLabel(m.key), a: m.enrolled, b: m.completed };
    })));
    var units = d.rows.slice().sort(function (x, y) { return y.completed - x.completed; }).slice(0, 12);
    charts.appendChild(chart('rep-ch-unit', 'rep.chart.unit', units.map(function (u) {
      return { label: u.own ? t('rep.own', { name: u.name }) : u.name, a: u.enrolled, b: u.completed };
    })));
    charts.appendChild(chart('rep-ch-area', 'rep.chart.area', d.series.par_areas.map(function (x) {
      return { label: x.key || t('rep.area.none'), a: x.enrolled, b: x.completed };
    })));
    body.appendChild(charts);
    if (S.drill === 'people') { renderPeople(body); return; }
    var h3 = el('h3', null, t('rep.units.heading'));
    h3.id = 'rep-units-heading';
    body.appendChild(h3);
    body.appendChild(files('/api/reports/completion', '', 'rep.files.units'));
    var rows = d.rows.map(unitRow);
    rows.push(totalRow(d.total));
    body.appendChild(tableOf('rep-units-heading', UNIT_HEADS, rows));
    body.appendChild(el('p', 'muted', t('rep.explain')));
  }

  var PEOPLE_HEADS = ['rep.c.person', 'rep.c.unit', 'rep.c.role', 'rep.c.enrolled', 'rep.c.completed',
    'rep.c.overdue', 'rep.c.active', 'rep.c.periods_year'];

  function renderPeople(body) {
    var h3 = el('h3', null, t('rep.people.heading'));
    h3.id = 'rep-people-heading';
    h3.tabIndex = -1;
    body.appendChild(h3);
    body.appendChild(files('/api/reports/completion', '&drill=people', 'rep.files.people'));
    if (!S.people) { return; }
    var p = S.people;
    var rows = p.people.map(function (x) {
      var tr = document.createElement('tr');
      var th = cell('th', x.employee_code ? '' : x.full_name, 'row'); /* the name opens the record (person.js) */
      if (x.employee_code) { th.textContent = ''; th.appendChild(el('a', null, x.full_name)).href = '#/person/' + encodeURIComponent(x.employee_code); }
      th.appendChild(el('span', 'code', ' ' + (x.employee_code || '')));
      tr.appendChild(th);
      tr.appendChild(cell('td', x.unit_name));
      var role = [];
      if (x.is_leader) { role.push(t('rep.leader')); }
      if (x.par_role === 'dedicated' || x.par_role === 'concurrent') { role.push(t('rep.par.' + x.par_role)); }
      if (!x.on_roster) { role.push(t('rep.not_on_roster')); }
      tr.appendChild(cell('td', role.join(', ')));
      num(tr, n(x.enrolled));
      num(tr, n(x.completed));
      num(tr, n(x.overdue));
      num(tr, n1(x.active_hours));
      var td = cell('td', n(x.periods_year) + (x.periods_year >= S.data.target_periods ? ' ✓' : ''));
      td.className = 'num';
      tr.appendChild(td);
      return tr;
    });
    body.appendChild(tableOf('rep-people-heading', PEOPLE_HEADS, rows));
    body.appendChild(pager(p.total, S.peopleOffset, loadPeople, 'rep-people'));
  }

  function pager(total, offset, go, id) {
    var nav = el('nav', 'rep-pager no-print');
    nav.setAttribute('aria-label', t('rep.pager'));
    var from = total ? offset + 1 : 0, to = Math.min(total, offset + PAGE);
    var s = el('span', null, t('rep.range', { from: n(from), to: n(to), total: n(total) }));
    s.id = id + '-range';
    nav.appendChild(s);
    var prev = button('rep.prev', 'btn btn-small', function () { go(Math.max(0, offset - PAGE)); });
    prev.disabled = offset === 0;
    var next = button('rep.next', 'btn btn-small', function () { go(offset + PAGE); });
    next.disabled = offset + PAGE >= total;
    nav.appendChild(prev);
    nav.appendChild(next);
    return nav;
  }

  function renderIndicators(body) {
    var sec = el('section', 'rep-ind');
    sec.setAttribute('aria-labelledby', 'rep-ind-heading');
    var h = el('h2', null, t('rep.ind.heading'));
    h.id = 'rep-ind-heading';
    sec.appendChild(h);
    sec.appendChild(el('p', 'muted', t('rep.ind.intro')));
    sec.appendChild(files('/api/reports/indicators', '', 'rep.files.ind'));
    var rows = S.ind.indicators.map(function (x) {
      var tr = document.createElement('tr');
      tr.appendChild(cell('th', t('rep.ind.' + x.id), 'row'));
      if (!x.available) {
        var na = cell('td', t('rep.ind.na'));
        na.colSpan = 3;
        tr.appendChild(na);
      } else {
        num(tr, n(x.numerator));
        num(tr, x.kind === 'share' ? n(x.denominator) : '—');
        num(tr, x.kind === 'share' ? pct(x.percent) : '—');
      }
      tr.appendChild(cell('td', x.kind === 'share' ? t('rep.ind.target.share') : t('rep.ind.target.count', { n: x.target })));
      var act = cell('td', '');
      act.textContent = '';
      if (x.available) {
        var b = button('rep.ind.list', 'btn btn-small', function () { loadList(x.id, 0); });
        b.setAttribute('aria-label', t('rep.ind.list.of', { name: t('rep.ind.' + x.id) }));
        act.appendChild(b);
      }
      tr.appendChild(act);
      return tr;
    });
    sec.appendChild(tableOf('rep-ind-heading', ['rep.ind.c.name', 'rep.ind.c.num', 'rep.ind.c.den', 'rep.ind.c.pct',
      'rep.ind.c.target', 'rep.ind.c.list'], rows, 'rep-ind-table'));
    if (S.list) { renderList(sec); }
    body.appendChild(sec);
  }

  function renderList(sec) {
    var L = S.list, d = L.data, cols = IND_COLS[L.id] || [null, null, null];
    var h = el('h3', null, t('rep.list.heading', { name: t('rep.ind.' + L.id) }));
    h.id = 'rep-list-heading';
    h.tabIndex = -1;
    sec.appendChild(h);
    sec.appendChild(files('/api/reports/indicator-list', '&id=' + encodeURIComponent(L.id), 'rep.files.list'));
    var heads = [L.id === 'units_par_position' ? 'rep.c.unit' : 'rep.c.person',
      L.id === 'units_par_position' ? 'rep.c.parent' : 'rep.c.unit', 'rep.list.counted'];
    cols.forEach(function (k) { if (k) { heads.push(k); } });
    var rows = d.items.map(function (x) {
      var tr = document.createElement('tr');
      var th = cell('th', x.name, 'row');
      th.appendChild(el('span', 'code', ' ' + (x.code || '')));
      tr.appendChild(th);
      tr.appendChild(cell('td', x.unit_name));
      tr.appendChild(cell('td', t(x.counted ? 'rep.yes' : 'rep.no')));
      if (cols[0]) { num(tr, n(x.n1)); }
      if (cols[1]) { num(tr, L.id === 'experts_certified' ? String(x.n2) : n(x.n2)); }
      if (cols[2]) { tr.appendChild(cell('td', x.detail)); }
      return tr;
    });
    sec.appendChild(tableOf('rep-list-heading', heads, rows));
    sec.appendChild(pager(d.total, L.offset, function (o) { loadList(L.id, o); }, 'rep-list'));
  }

  /* ---- quiz and exam results ---- */

  var EX_HEADS = ['rep.ex.c.attempts', 'rep.ex.c.people', 'rep.ex.c.avg', 'rep.ex.c.pass', 'rep.ex.c.pending'];

  function examCells(tr, c) {
    num(tr, n(c.attempts));
    num(tr, n(c.people));
    num(tr, pct(c.average_score));
    num(tr, pct(c.pass_rate));
    num(tr, n(c.pending_essays));
  }

  function bandLabel(i) { return (i * 10) + '–' + (i * 10 + 10) + ' %'; }

  function sectionHeading(sec, id, key) {
    var h = el('h2', null, t(key));
    h.id = id;
    h.tabIndex = -1;
    sec.setAttribute('aria-labelledby', id);
    sec.appendChild(h);
  }

  function sectionSelect(id, key, options, value, onChange) {
    var f = field(id, key, select(options));
    f.className = 'field rep-inline no-print';
    var s = f.querySelector('select');
    s.value = value;
    s.addEventListener('change', function () { onChange(s.value); });
    return f;
  }

  function renderExams(body) {
    var d = S.exams;
    var sec = el('section', 'rep-ex');
    sectionHeading(sec, 'rep-ex-heading', 'rep.ex.heading');
    sec.appendChild(el('p', 'muted', t('rep.ex.intro')));
    sec.appendChild(sectionSelect('rep-ex-kind', 'rep.ex.kind', [['', 'rep.ex.kind.all'], ['quiz', 'rep.ex.kind.quiz'],
      ['exam', 'rep.ex.kind.exam']], S.exKind, function (v) {
      S.exKind = v;
      loadSection('/api/reports/exams', examExtra(), 'exams', 'rep-ex-heading');
    }));
    sec.appendChild(files('/api/reports/exams', examExtra(), 'rep.files.exams'));
    if (d.total.pending_essays) { sec.appendChild(el('p', 'rep-note', t('rep.ex.pending', { n: n(d.total.pending_essays) }))); }
    if (!d.total.attempts) {
      sec.appendChild(el('p', null, t('rep.ex.none')));
    } else {
      var dl = el('dl', 'rep-summary');
      [['rep.ex.c.attempts', n(d.total.attempts)], ['rep.ex.c.people', n(d.total.people)],
        ['rep.ex.c.avg', pct(d.total.average_score)], ['rep.ex.c.pass', pct(d.total.pass_rate)]].forEach(function (x) {
        var dv = el('div');
        dv.appendChild(el('dt', null, t(x[0])));
        dv.appendChild(el('dd', null, x[1]));
        dl.appendChild(dv);
      });
      sec.appendChild(dl);
      var charts = el('div', 'rep-charts');
      charts.appendChild(chart('rep-ch-bands', 'rep.ex.chart', d.total.bands.map(function (v, i) {
        return { label: bandLabel(i), a: v };
      }), { a: 'rep.ex.c.attempts', item: 'rep.ex.chart.band' }));
      sec.appendChild(charts);
    }
    var h3 = el('h3', null, t('rep.ex.units'));
    h3.id = 'rep-ex-units-heading';
    sec.appendChild(h3);
    var rows = d.rows.map(function (u) {
      var tr = document.createElement('tr');
      var th = cell('th', u.own ? t('rep.own', { name: u.name }) : u.name, 'row');
      th.appendChild(el('span', 'code', ' ' + u.code));
      tr.appendChild(th);
      examCells(tr, u);
      return tr;
    });
    var tot = document.createElement('tr');
    tot.className = 'total';
    tot.appendChild(cell('th', t('rep.total'), 'row'));
    examCells(tot, d.total);
    rows.push(tot);
    sec.appendChild(tableOf('rep-ex-units-heading', ['rep.c.unit'].concat(EX_HEADS), rows));
    if (d.assessments.length) {
      var h4 = el('h3', null, t('rep.ex.by_asm'));
      h4.id = 'rep-ex-asm-heading';
      sec.appendChild(h4);
      sec.appendChild(tableOf('rep-ex-asm-heading', ['rep.ex.c.assessment', 'rep.ex.c.kind'].concat(EX_HEADS),
        d.assessments.map(function (a) {
          var tr = document.createElement('tr');
          var th = cell('th', a.title, 'row');
          th.appendChild(el('span', 'code', ' ' + a.code));
          tr.appendChild(th);
          tr.appendChild(cell('td', t('rep.ex.kind.' + a.kind)));
          examCells(tr, a);
          return tr;
        })));
    }
    body.appendChild(sec);
  }

  /* ---- the talent-pool list ---- */

  function renderPool(body) {
    var d = S.pool;
    var sec = el('section', 'rep-pool');
    sectionHeading(sec, 'rep-pool-heading', 'rep.pool.heading');
    sec.appendChild(el('p', 'muted', t('rep.pool.intro')));
    sec.appendChild(sectionSelect('rep-pool-status', 'rep.pool.status', [['', 'rep.pool.st.all'],
      ['proposed', 'rep.pool.st.proposed'], ['approved', 'rep.pool.st.approved'], ['rejected', 'rep.pool.st.rejected']],
    S.poolStatus, function (v) {
      S.poolStatus = v;
      S.poolOffset = 0;
      loadSection('/api/reports/talent-pool', poolExtra(0), 'pool', 'rep-pool-heading');
    }));
    sec.appendChild(files('/api/reports/talent-pool', poolExtra(null), 'rep.files.pool'));
    if (!d.total) {
      sec.appendChild(el('p', null, t('rep.pool.none')));
      body.appendChild(sec);
      return;
    }
    var rows = d.entries.map(function (x) {
      var tr = document.createElement('tr');
      var th = cell('th', x.full_name, 'row');
      th.appendChild(el('span', 'code', ' ' + (x.employee_code || '')));
      tr.appendChild(th);
      tr.appendChild(cell('td', x.unit_name));
      tr.appendChild(cell('td', t('rep.pool.track.' + x.track)));
      tr.appendChild(cell('td', x.assessment_title));
      num(tr, n(x.rank));
      num(tr, x.score_percent === null ? '—' : pct(x.score_percent));
      tr.appendChild(cell('td', t('rep.pool.st.' + x.status)));
      tr.appendChild(cell('td', x.proposed_by + ', ' + P.fmtDate(x.proposed_at.slice(0, 10))));
      tr.appendChild(cell('td', x.decided_by ? x.decided_by + ', ' + P.fmtDate(x.decided_at.slice(0, 10)) : '—'));
      return tr;
    });
    sec.appendChild(tableOf('rep-pool-heading', ['rep.c.person', 'rep.c.unit', 'rep.pool.c.track', 'rep.pool.c.exam',
      'rep.pool.c.rank', 'rep.pool.c.score', 'rep.pool.status', 'rep.pool.c.proposed', 'rep.pool.c.decided'], rows));
    sec.appendChild(pager(d.total, S.poolOffset, function (o) {
      S.poolOffset = o;
      loadSection('/api/reports/talent-pool', poolExtra(o), 'pool', 'rep-pool-heading');
    }, 'rep-pool'));
    body.appendChild(sec);
  }

  /* ---- survey results (docs/reports.md, "Survey results") ---- */

  /* A hidden line (an anonymous survey's group of fewer than 5 responses, or the one hidden so
   * that it cannot be worked out) shows words, never a number. */
  function svCells(tr, sv, l) {
    if (l.suppressed) {
      var td = cell('td', t('rep.sv.hidden'));
      td.className = 'rep-sv-hidden';
      tr.appendChild(td);
    } else {
      num(tr, n(l.responses));
    }
    num(tr, n(l.population));
    num(tr, pct(l.response_rate));
    sv.questions.forEach(function (q, i) {
      var x = l.questions ? l.questions[i] : null;
      if (!x) { tr.appendChild(cell('td', l.suppressed ? t('rep.sv.hidden.short') : '—')); return; }
      var td = cell('td', x.mean === null ? '—' : n1(x.mean));
      td.className = 'num';
      if (x.mean !== null) {
        td.appendChild(el('span', 'rep-sv-dist', ' (' + x.counts.map(function (c, k) {
          return (k + 1) + ': ' + n(c);
        }).join(' · ') + ')'));
      }
      tr.appendChild(td);
    });
  }

  function svTable(sv, idx) {
    var hid = 'rep-sv-' + idx + '-heading';
    var wrap = el('div', 'table-wrap');
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-labelledby', hid);
    wrap.tabIndex = 0;
    var tb = el('table', 'rep-table rep-sv-table');
    tb.setAttribute('aria-labelledby', hid);
    var hr = document.createElement('tr');
    hr.appendChild(cell('th', t('rep.c.unit'), 'col'));
    hr.appendChild(cell('th', t('rep.sv.c.responses'), 'col'));
    hr.appendChild(cell('th', t('rep.sv.c.population'), 'col'));
    hr.appendChild(cell('th', t('rep.sv.c.rate'), 'col'));
    sv.questions.forEach(function (q) {
      hr.appendChild(cell('th', t('rep.sv.c.question', { id: q.id, text: q.text, points: q.points }), 'col'));
    });
    tb.createTHead().appendChild(hr);
    var body = tb.createTBody();
    sv.rows.forEach(function (l) {
      var tr = document.createElement('tr');
      var th = cell('th', l.kind === 'direct' ? t('rep.own', { name: l.name }) : l.name, 'row');
      th.appendChild(el('span', 'code', ' ' + l.code));
      tr.appendChild(th);
      svCells(tr, sv, l);
      body.appendChild(tr);
    });
    var tot = document.createElement('tr');
    tot.className = 'total';
    tot.appendChild(cell('th', t('rep.total'), 'row'));
    svCells(tot, sv, sv.total);
    body.appendChild(tot);
    wrap.appendChild(tb);
    return wrap;
  }

  function renderSurveys(body) {
    var d = S.surveys;
    var sec = el('section', 'rep-sv');
    sec.id = 'rep-sv';
    sectionHeading(sec, 'rep-sv-heading', 'rep.sv.heading');
    sec.appendChild(el('p', 'muted', t('rep.sv.intro', { k: d.k })));
    sec.appendChild(files('/api/reports/surveys', '', 'rep.sv.files'));
    if (!d.surveys.length) {
      sec.appendChild(el('p', null, t('rep.sv.none')));
    }
    if (d.more) { sec.appendChild(el('p', 'rep-note', t('rep.sv.more', { n: d.surveys.length }))); }
    d.surveys.forEach(function (sv, i) {
      var h3 = el('h3', null, sv.title);
      h3.id = 'rep-sv-' + i + '-heading';
      h3.appendChild(el('span', 'code', ' ' + sv.code));
      sec.appendChild(h3);
      sec.appendChild(el('p', 'muted', t(sv.anonymous ? 'rep.sv.anonymous' : 'rep.sv.named') + ' ' +
        t(sv.kind === 'course' ? 'rep.sv.kind.course' : 'rep.sv.kind.standalone')));
      sec.appendChild(svTable(sv, i));
      if (!sv.questions.length) { sec.appendChild(el('p', 'muted', t('rep.sv.no_likert'))); }
    });
    body.appendChild(sec);
  }

  function render() {
    if (!$('rep-view')) { return; }
    $('rep-status').textContent = S.busy ? t('rep.loading') : '';
    var e = $('rep-error');
    e.textContent = '';
    ['rep-unit', 'rep-year', 'rep-from', 'rep-to', 'rep-course'].forEach(function (id) { $(id).removeAttribute('aria-invalid'); });
    if (S.msg) {
      e.textContent = P.msgText(S.msg);
      var bad = { unit: 'rep-unit', period: 'rep-year', from: 'rep-from', to: 'rep-to', course: 'rep-course' }[S.msg.field];
      if (bad) { $(bad).setAttribute('aria-invalid', 'true'); }
    }
    $('rep-show').disabled = S.busy;
    var body = $('rep-body');
    body.textContent = '';
    body.setAttribute('aria-busy', S.busy ? 'true' : 'false');
    if (!S.data) { return; }
    renderReport(body);
    if (S.ind) { renderIndicators(body); }
    if (S.exams) { renderExams(body); }
    if (S.pool) { renderPool(body); }
    if (S.surveys) { renderSurveys(body); }
  }

  /* ---- events ---- */

  function onFilter(ev) {
    ev.preventDefault();
    var q = {
      ptype: $('rep-ptype').value, year: $('rep-year').value, quarter: $('rep-quarter').value,
      half: $('rep-half').value, from: $('rep-from').value, to: $('rep-to').value,
      course: $('rep-course').value.trim(), area: $('rep-area').value.trim(),
      audience: $('rep-audience').value, par: $('rep-par').value
    };
    S.msg = null;
    if (q.ptype === 'd' && (!DATE_RE.test(q.from) || !DATE_RE.test(q.to) || q.to < q.from)) {
      S.msg = { key: 'rep.err.period', field: !DATE_RE.test(q.from) ? 'from' : 'to' };
    } else if (q.course && !CODE_RE.test(q.course)) {
      S.msg = { key: 'rep.err.course', field: 'course' };
    }
    if (S.msg) {
      render();
      $(S.msg.field === 'course' ? 'rep-course' : S.msg.field === 'from' ? 'rep-from' : 'rep-to').focus();
      return;
    }
    S.q = q;
    S.drill = 'units';
    var unit = $('rep-unit').value;
    if (unit && unit !== S.unit) {
      location.hash = '#/reports/' + encodeURIComponent(unit);
      return; /* route() loads */
    }
    load(true);
  }

  /* ---- routing ---- */

  function parseHash() {
    var m = /^#\/reports(?:\/([^/]*))?$/.exec(location.hash);
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
        if (!(/^#\/(catalogue|course|learn|sync|questions|surveys?)(\/|$)/.test(location.hash))) {
          P.goHome(/^#section-[\w-]+$/.test(location.hash) ? location.hash.slice(1) : null);
        }
      }
      return;
    }
    build();
    var drilled = S.active && !!r.unit; /* a unit picked on this page: its report gets the focus */
    S.active = true;
    P.show('reports');
    if (!drilled) { $('rep-heading').focus(); }
    var me = P.me();
    var go = function () {
      S.unit = r.unit || defaultUnit();
      S.drill = 'units';
      fillFilter();
      if (S.unit) { load(drilled); }
    };
    if (S.units) { go(); return; }
    P.api('GET', '/api/units').then(function (res) {
      if (P.me() !== me || !S.active) { return; }
      if (P.lostSession(res)) { return; }
      S.units = res.ok && res.data ? res.data.units : [];
      go();
    });
  }

  P.hook({
    enter: function () { if (parseHash()) { route(); } },
    leave: function () {
      S.active = false;
      S.data = null;
      S.ind = null;
      S.people = null;
      S.list = null;
      S.exams = null;
      S.pool = null;
      S.units = null;
      S.q = null;
      S.unit = null;
    },
    lang: function () { if (S.active) { fillUnits(); render(); } }
  });
  window.addEventListener('hashchange', route);
}());
