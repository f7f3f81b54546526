/* exam.js — quizzes and capability exams (kiểm tra, sát hạch; docs/assessment.md):
 *   #/assessments              learners: what is offered to them; trainers and admins: the
 *                              assessments they manage and "new"; HR officers: published ones
 *   #/assessments/new          a trainer builds a quiz or an exam from the bank
 *   #/assessments/edit/CODE    a trainer edits a draft (the same form, prefilled; a rev guards it)
 *   #/assessments/view/CODE    trainers: status, publication, results and ranking, essays,
 *                              item analysis, extra attempts, talent-pool proposals;
 *                              HR officers: results of their units, once published
 *   #/talent-pool              the talent-pool list; HR officers approve or reject
 *   #/exam/ID                  a learner takes an attempt
 *   #/exam-review/ID           a learner's review, as the rules allow
 *
 * The exam page: the timer counts down from the server's deadline and the server's time at
 * load (deadline_ms - server_now_ms, then the page's monotonic clock; never the browser's
 * date), and is resynchronised by every save; screen readers hear it at 10, 5 and 1 minutes
 * only. Each question is a fieldset with its legend and says whether its answer is saved
 * ("Đã lưu" with the time). Answers are saved as they change, kept in localStorage until the
 * server has them, retried with a growing delay (an offline banner says so), and sent again
 * after a reload. Leaving the page, hiding it or losing focus is reported as an integrity
 * event. Invariants as survey.js: textContent only, strings from i18n.js, app.js through
 * window.parlearn.
 */
(function () {
  'use strict';

  var P = window.parlearn;
  if (!P) { return; }
  var t = P.t, el = P.el, cell = P.cell;
  var CODE_RE = /^[A-Za-z0-9._-]{1,32}$/;
  var CITY_MS = 7 * 3600 * 1000;
  /* statuses worth another try: no answer at all, a proxy or server busy or restarting */
  var TRANSIENT = /^(0|429|502|503|504)$/;
  var OTHER = /^#\/(catalogue|course|learn|sync|survey|surveys|questions)(\/|$)/;
  var S = { active: false, r: null, seq: 0, msg: null, busy: false, data: null, done: null,
    cats: null, qlist: null };
  var X = null; /* the attempt being taken: see openExam */

  function $(id) { return document.getElementById(id); }
  function enc(c) { return encodeURIComponent(c); }
  function pct(x) { return P.fmtNum(x * 100, 1) + ' %'; }
  function isBuilder() { return P.hasRole('admin') || P.hasRole('trainer'); }
  function isStaff() { return isBuilder() || P.hasRole('hr_officer'); }

  function node(tag, attrs, text) {
    var e = el(tag, attrs && attrs['class'], text);
    Object.keys(attrs || {}).forEach(function (k) { if (k !== 'class') { e.setAttribute(k, attrs[k]); } });
    return e;
  }

  function button(key, cls, onClick, params) {
    var b = node('button', { type: 'button', 'class': 'btn ' + (cls || 'btn-small') }, t(key, params));
    b.addEventListener('click', onClick);
    return b;
  }

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  /* A question's text as plain text (for a select's options and summaries): texts may be
   * HTML (from a bank file); richtext.js parses them inertly and keeps the text only. */
  function plain(x) {
    if (window.PL_RICH) { return window.PL_RICH.text(x); }
    return String(x && x.text !== undefined ? x.text : x || '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  }

  /* A text as rich text (richtext.js: a whitelist, nothing runs), its images (the question's
   * own files, @@PLUGINFILE@@/name) from the attempt's file endpoint for that slot. */
  function fileUrl(attempt, slot) {
    return function (ref) { return '/api/my/attempt/file?attempt=' + enc(attempt) + '&slot=' + enc(slot) + '&name=' + enc(ref); };
  }
  function rich(x, urls, inline) {
    if (!window.PL_RICH) { return el(inline ? 'span' : 'p', null, plain(x)); }
    return window.PL_RICH[inline ? 'inline' : 'block'](x, urls);
  }

  /* A time of day in Ho Chi Minh City, with seconds. */
  function clock(iso) {
    var ms = Date.parse(iso);
    if (isNaN(ms)) { return ''; }
    var d = new Date(ms + CITY_MS);
    return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds());
  }

  function failure(r) {
    var k = 'ex.err.' + r.code;
    return window.PL_I18N.vi[k] ? { key: k, field: r.data && r.data.field } : P.messageFor(r);
  }

  /* ---- the view, built once ---- */

  function build() {
    if ($('exam-view')) { return; }
    var v = node('section', { id: 'exam-view', 'data-view': 'exam', 'aria-labelledby': 'exam-heading' });
    v.hidden = true;
    var back = el('p', 'crumbs');
    back.appendChild(el('a', null, '')).id = 'exam-back';
    v.appendChild(back);
    v.appendChild(node('h1', { id: 'exam-heading', tabindex: '-1' }));
    v.appendChild(node('div', { id: 'exam-offline', 'class': 'error', role: 'alert' }));
    v.appendChild(node('p', { id: 'exam-status', 'class': 'status', role: 'status', tabindex: '-1' }));
    v.appendChild(node('div', { id: 'exam-error', 'class': 'error', role: 'alert' }));
    v.appendChild(node('div', { id: 'exam-body' }));
    $('main').appendChild(v);
  }

  function frame(heading, backHref, backKey) {
    $('exam-heading').textContent = heading;
    $('exam-back').href = backHref;
    $('exam-back').textContent = t(backKey);
    $('exam-error').textContent = S.msg ? P.msgText(S.msg) : '';
    $('exam-offline').textContent = '';
    $('exam-status').textContent = S.busy ? t('loading') : (S.done ? t(S.done.key, S.done.params) : '');
    $('exam-status').hidden = !$('exam-status').textContent;
    var body = $('exam-body');
    body.textContent = '';
    body.setAttribute('aria-busy', S.busy ? 'true' : 'false');
    /* which route the view shows, once its data is in (the tests wait for it) */
    $('exam-view').setAttribute('data-shown', S.busy ? '' : location.hash);
    return body;
  }

  function table(hid, cols, rows) {
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

  function row(cells) {
    var tr = document.createElement('tr');
    cells.forEach(function (c, i) {
      if (c && c.nodeType) { var td = document.createElement('td'); td.appendChild(c); tr.appendChild(td); }
      else { tr.appendChild(cell(i === 0 ? 'th' : 'td', c, i === 0 ? 'row' : null)); }
    });
    return tr;
  }

  function facts(pairs) {
    var dl = el('dl', 'facts facts-wide');
    pairs.forEach(function (p) {
      dl.appendChild(el('dt', null, t(p[0])));
      dl.appendChild(el('dd', null, p[1] === null || p[1] === undefined || p[1] === '' ? '—' : String(p[1])));
    });
    return dl;
  }

  function field(id, key, input, hintKey) {
    var d = el('div', 'field');
    var l = el('label', null, t(key));
    l.htmlFor = id;
    input.id = id;
    d.appendChild(l);
    d.appendChild(input);
    if (hintKey) {
      var h = el('p', 'hint', t(hintKey));
      h.id = id + '-hint';
      input.setAttribute('aria-describedby', h.id);
      d.appendChild(h);
    }
    return d;
  }

  function input(type, value) {
    var i = document.createElement('input');
    i.type = type;
    if (value !== undefined && value !== null) { i.value = value; }
    return i;
  }

  function select(options, value) {
    var s = document.createElement('select');
    options.forEach(function (o) {
      var op = el('option', null, o[1]);
      op.value = o[0];
      s.appendChild(op);
    });
    if (value !== undefined) { s.value = value; }
    return s;
  }

  function when(a) { return a ? P.fmtStamp(a) : '—'; }
  function kindText(k) { return t('ex.kind.' + k); }
  function statusText(s) { return t('ex.status.' + s); }

  /* ---- the list ---- */

  function myCard(a) {
    var li = el('li', 'card-item');
    var h = el('h3', null, a.title);
    li.appendChild(h);
    li.appendChild(el('p', 'muted', kindText(a.kind) + ' · ' + statusText(a.status)));
    var f = [['ex.f.window', a.opens_at || a.closes_at ? when(a.opens_at) + ' – ' + when(a.closes_at) : t('ex.any_time')],
      ['ex.f.time_limit', a.time_limit_s ? t('ex.minutes', { n: Math.round(a.time_limit_s / 60) }) : t('ex.no_limit')],
      ['ex.f.attempts', a.attempts_allowed ? t('ex.attempts_of', { used: a.attempts_used, allowed: a.attempts_allowed }) : String(a.attempts_used)]];
    if (a.result) {
      f.push(['ex.f.result', a.result.waiting_for_grading ? t('ex.waiting') : pct(a.result.fraction) + ' · ' + t(a.result.passed ? 'ex.passed' : 'ex.failed')]);
    }
    li.appendChild(facts(f));
    var act = el('p', 'card-actions');
    if (a.open_attempt) {
      var go = el('a', 'btn btn-go', t('ex.resume'));
      go.href = '#/exam/' + a.open_attempt;
      act.appendChild(go);
    } else if (a.can_start) {
      act.appendChild(button('ex.start', 'btn-go', function (ev) { startAttempt(a.code, ev.target); }));
    }
    if (a.last_attempt) {
      var rv = el('a', 'btn btn-small', t('ex.review'));
      rv.href = '#/exam-review/' + a.last_attempt;
      act.appendChild(rv);
    }
    if (act.childNodes.length) { li.appendChild(act); }
    return li;
  }

  function startAttempt(code, btn) {
    var me = P.me();
    btn.disabled = true;
    P.api('POST', '/api/my/assessments/start', { code: code }).then(function (r) {
      if (P.me() !== me || P.lostSession(r)) { return; }
      btn.disabled = false;
      if (r.ok && r.data) { location.hash = '#/exam/' + r.data.attempt; return; }
      S.msg = failure(r);
      render();
      $('exam-error').focus();
    });
  }

  function renderList() {
    var d = S.data || {};
    var body = frame(t('ex.heading'), '#home-heading', 'ex.back.home');
    if (d.mine) {
      body.appendChild(node('h2', { id: 'ex-mine-h' }, t('ex.mine')));
      if (!d.mine.length) { body.appendChild(el('p', 'muted', t('ex.mine.none'))); }
      var ul = node('ul', { 'class': 'cards', 'aria-labelledby': 'ex-mine-h' });
      d.mine.forEach(function (a) { ul.appendChild(myCard(a)); });
      body.appendChild(ul);
    }
    if (d.managed) {
      body.appendChild(node('h2', { id: 'ex-managed-h' }, t(isBuilder() ? 'ex.managed' : 'ex.published')));
      if (isBuilder()) {
        var nw = el('a', 'btn btn-go', t('ex.new'));
        nw.href = '#/assessments/new';
        body.appendChild(el('p', 'card-actions')).appendChild(nw);
      }
      var rows = d.managed.map(function (a) {
        var l = el('a', null, a.code);
        l.href = '#/assessments/view/' + enc(a.code);
        return row([a.title, l, kindText(a.kind), statusText(a.status), when(a.opens_at) + ' – ' + when(a.closes_at),
          P.fmtNum(a.counts.submitted, 0), a.published_at ? when(a.published_at) : '—']);
      });
      if (rows.length) {
        body.appendChild(table('ex-managed-h', ['ex.c.title', 'ex.c.code', 'ex.c.kind', 'ex.c.status', 'ex.c.window',
          'ex.c.submitted', 'ex.c.published'], rows));
      } else {
        body.appendChild(el('p', 'muted', t('ex.managed.none')));
      }
      var tp = el('a', null, t('ex.pool.link'));
      tp.href = '#/talent-pool';
      body.appendChild(el('p')).appendChild(tp);
    }
  }

  /* ---- a trainer builds one, or edits a draft (#/assessments/new, #/assessments/edit/CODE) ----
   * The form is drawn from a model (S.form) and read back into it before every redraw (a new
   * rule or audience line, the language), so nothing typed is lost; a refused save marks the
   * field at fault (aria-invalid, its message in aria-describedby) and moves the focus there.
   * An edit sends the rev it read: someone else's change in between is a 409 that says so and
   * offers the latest version, keeping what was typed. */

  function cityIso(v) { return v ? v + (v.length === 16 ? ':00' : '') + '+07:00' : null; }

  /* An ISO time as a datetime-local value in Ho Chi Minh City time (seconds when it has some). */
  function cityInput(iso) {
    var ms = iso ? Date.parse(iso) : NaN;
    if (isNaN(ms)) { return ''; }
    var s = new Date(ms + CITY_MS).toISOString();
    return s.slice(17, 19) === '00' ? s.slice(0, 16) : s.slice(0, 19);
  }

  function list(v) { return v.split(/[,\n]/).map(function (x) { return x.trim(); }).filter(Boolean); }
  function sfx(i) { return i ? '-' + i : ''; }
  function numOk(v, lo, hi, whole) {
    var s = String(v).trim(), n = Number(s);
    return s === '' || (isFinite(n) && n >= lo && n <= hi && (!whole || n === Math.floor(n)));
  }

  /* The form's model: a new one's defaults, or a definition read from /api/assessments/detail. */
  function modelOf(d) {
    if (!d) {
      return { code: '', kind: 'exam', title: '', description: '', unit: '', course: '', counts: false,
        opens: '', closes: '', limit: '45', pass: '70', max: '0', grading: 'highest', showScore: 'after_publish',
        showAnswers: 'after_publish', showFeedback: '', shuffle: false, named: '', fixed: [],
        rules: [{ cat: '', count: '10', diff: '', tag: '', points: '' }],
        aud: [{ units: '', positions: '', role: '', leader: '' }] };
    }
    /* audience lines that differ only by unit become one line of the form ("SNV, STC") */
    var groups = [];
    (d.audience || []).forEach(function (a) {
      var key = JSON.stringify([a.positions || [], a.par_role || '', a.leader === null || a.leader === undefined ? '' : String(a.leader)]);
      var g = a.unit ? groups.filter(function (x) { return x.key === key && x.units.length; })[0] : null;
      if (!g) { g = { key: key, units: [], a: a }; groups.push(g); }
      if (a.unit) { g.units.push(a.unit); }
    });
    return { code: d.code, kind: d.kind, title: d.title, description: d.description || '', unit: (d.unit && d.unit.code) || '',
      course: d.course || '', counts: !!d.counts_for_course, opens: cityInput(d.opens_at), closes: cityInput(d.closes_at),
      limit: String(d.time_limit_s / 60), pass: String(Math.round(d.pass_fraction * 10000) / 100), max: String(d.max_attempts),
      grading: d.grading, showScore: d.show_score, showAnswers: d.show_answers,
      showFeedback: d.show_feedback === d.show_answers ? '' : d.show_feedback, shuffle: !!d.shuffle_questions,
      named: (d.named || []).join('\n'), fixed: (d.fixed || []).slice(),
      rules: (d.rules || []).length ? d.rules.map(function (r) {
        return { cat: r.category === null ? '*' : r.category, count: String(r.count), diff: r.difficulty || '', tag: r.tag || '', points: r.points ? String(r.points) : '' };
      }) : [{ cat: '', count: '', diff: '', tag: '', points: '' }],
      aud: groups.length ? groups.map(function (g) {
        return { units: g.units.join(', '), positions: (g.a.positions || []).join(', '), role: g.a.par_role || '',
          leader: g.a.leader === null || g.a.leader === undefined ? '' : String(g.a.leader) };
      }) : [{ units: '', positions: '', role: '', leader: '' }] };
  }

  /* What the form shows now, into S.form (the fixed questions are kept there as they are ticked). */
  function readForm() {
    var m = S.form, v = function (id) { return $(id) ? $(id).value : ''; };
    if (!m || !$('ex-new')) { return m; }
    m.code = v('ex-code'); m.kind = v('ex-kind'); m.title = v('ex-title'); m.description = v('ex-desc');
    m.unit = v('ex-unit'); m.course = v('ex-course'); m.counts = $('ex-counts').checked;
    m.opens = v('ex-opens'); m.closes = v('ex-closes'); m.limit = v('ex-limit'); m.pass = v('ex-pass');
    m.max = v('ex-max'); m.grading = v('ex-grading'); m.showScore = v('ex-show-score');
    m.showAnswers = v('ex-show-answers'); m.showFeedback = v('ex-show-feedback'); m.shuffle = $('ex-shuffle').checked;
    m.named = v('ex-named');
    m.rules = m.rules.map(function (r, i) {
      return { cat: v('ex-cat' + sfx(i)), count: v('ex-count' + sfx(i)), diff: v('ex-diff' + sfx(i)), tag: v('ex-tag' + sfx(i)), points: v('ex-points' + sfx(i)) };
    });
    m.aud = m.aud.map(function (a, i) {
      return { units: v('ex-units' + sfx(i)), positions: v('ex-positions' + sfx(i)), role: v('ex-role' + sfx(i)), leader: v('ex-leader' + sfx(i)) };
    });
    return m;
  }

  function checkbox(id, key, on, hintKey) {
    var c = input('checkbox');
    c.checked = !!on;
    c.id = id;
    var d = el('div', 'field');
    var l = el('label', null, ' ' + t(key));
    l.insertBefore(c, l.firstChild);
    d.appendChild(l);
    if (hintKey) {
      var h = el('p', 'hint', t(hintKey));
      h.id = id + '-hint';
      c.setAttribute('aria-describedby', h.id);
      d.appendChild(h);
    }
    return d;
  }

  function textarea(value) {
    var ta = document.createElement('textarea');
    ta.value = value || '';
    ta.rows = 3;
    return ta;
  }

  function ruleBox(r, i, n) {
    var s = sfx(i);
    var fs = node('fieldset', { id: 'ex-rule' + s, 'class': 'card' });
    fs.appendChild(el('legend', null, t('ex.edit.rule', { n: i + 1 })));
    var cats = [['', t('ex.f.category.none')], ['*', t('ex.edit.f.category.all')]].concat((S.cats || []).map(function (c) { return [c.path, c.path + ' (' + c.questions + ')']; }));
    if (r.cat && !cats.some(function (c) { return c[0] === r.cat; })) { cats.push([r.cat, r.cat]); }
    var cat = select(cats, r.cat);
    fs.appendChild(field('ex-cat' + s, 'ex.f.category', cat, i ? null : 'ex.f.category.hint'));
    if (!i) { cat.addEventListener('change', function () { loadPicks(cat.value); }); }
    fs.appendChild(field('ex-count' + s, 'ex.f.count', input('number', r.count), i ? null : 'ex.f.count.hint'));
    fs.appendChild(field('ex-diff' + s, 'ex.edit.f.difficulty', select([['', t('ex.edit.diff.any')], ['easy', t('ex.edit.diff.easy')],
      ['medium', t('ex.edit.diff.medium')], ['hard', t('ex.edit.diff.hard')]], r.diff)));
    fs.appendChild(field('ex-tag' + s, 'ex.edit.f.tag', input('text', r.tag)));
    fs.appendChild(field('ex-points' + s, 'ex.edit.f.points', input('number', r.points), i ? null : 'ex.edit.f.points.hint'));
    if (n > 1) {
      fs.appendChild(button('ex.edit.rule.remove', null, function () {
        readForm().rules.splice(i, 1);
        draw();
        $('ex-cat' + sfx(Math.min(i, S.form.rules.length - 1))).focus();
      }, { n: i + 1 }));
    }
    return fs;
  }

  function audBox(a, i, n) {
    var s = sfx(i);
    var fs = node('fieldset', { id: 'ex-aud' + s, 'class': 'card' });
    fs.appendChild(el('legend', null, t('ex.edit.aud', { n: i + 1 })));
    fs.appendChild(field('ex-units' + s, 'ex.f.units', input('text', a.units), i ? null : 'ex.f.units.hint'));
    fs.appendChild(field('ex-positions' + s, 'ex.f.positions', input('text', a.positions), i ? null : 'ex.f.positions.hint'));
    fs.appendChild(field('ex-role' + s, 'ex.edit.f.par_role', select([['', t('ex.edit.role.any')], ['dedicated', t('par_role.dedicated')],
      ['concurrent', t('par_role.concurrent')], ['none', t('par_role.none')]], a.role)));
    fs.appendChild(field('ex-leader' + s, 'ex.f.leader', select([['', t('ex.f.leader.any')], ['true', t('ex.f.leader.yes')], ['false', t('ex.f.leader.no')]], a.leader)));
    if (n > 1) {
      fs.appendChild(button('ex.edit.aud.remove', null, function () {
        readForm().aud.splice(i, 1);
        draw();
        $('ex-units' + sfx(Math.min(i, S.form.aud.length - 1))).focus();
      }, { n: i + 1 }));
    }
    return fs;
  }

  function renderNew() {
    readForm();
    draw();
  }

  /* Draws the form from S.form (made from the draft, or a new one's defaults, the first time). */
  function draw() {
    var edit = S.r.v === 'edit', d = S.data && S.data.def;
    var body = frame(edit ? (d ? t('ex.edit.heading', { title: d.title }) : S.r.code) : t('ex.new.heading'),
      edit ? '#/assessments/view/' + enc(S.r.code) : '#/assessments', edit ? 'ex.edit.back' : 'ex.back.list');
    if (S.busy || !S.data || (edit && !d)) { return; }
    if (edit && d.status !== 'draft') { body.appendChild(el('p', 'muted', t('ex.edit.not_draft'))); return; }
    var m = S.form || (S.form = modelOf(edit ? d : null));
    var f = node('form', { id: 'ex-new', novalidate: 'novalidate' });
    f.addEventListener('submit', function (ev) { ev.preventDefault(); save(); });
    var cf = node('p', { id: 'ex-conflict', 'class': 'card-actions' });
    cf.hidden = true;
    cf.appendChild(button('ex.edit.reload', null, reloadLatest));
    f.appendChild(cf);
    var code = input('text', m.code);
    if (edit) { code.readOnly = true; }
    f.appendChild(field('ex-code', 'ex.f.code', code, edit ? 'ex.edit.code.hint' : 'ex.f.code.hint'));
    var kind = select([['quiz', t('ex.kind.quiz')], ['exam', t('ex.kind.exam')]], m.kind);
    f.appendChild(field('ex-kind', 'ex.f.kind', kind));
    f.appendChild(field('ex-title', 'ex.f.title', input('text', m.title)));
    f.appendChild(field('ex-desc', 'ex.edit.f.description', textarea(m.description)));
    f.appendChild(field('ex-unit', 'ex.edit.f.unit', input('text', m.unit), 'ex.edit.f.unit.hint'));
    var course = input('text', m.course);
    f.appendChild(field('ex-course', 'ex.edit.f.course', course, 'ex.edit.f.course.hint'));
    var counts = f.appendChild(checkbox('ex-counts', 'ex.edit.f.counts', m.counts, 'ex.edit.f.counts.hint'));
    /* the paper */
    f.appendChild(node('h2', { id: 'ex-sec-paper' }, t('ex.edit.sec.paper')));
    var rules = node('div', { id: 'ex-rules' });
    m.rules.forEach(function (r, i) { rules.appendChild(ruleBox(r, i, m.rules.length)); });
    f.appendChild(rules);
    f.appendChild(el('p', 'card-actions')).appendChild(button('ex.edit.rule.add', null, function () {
      readForm().rules.push({ cat: '', count: '', diff: '', tag: '', points: '' });
      draw();
      $('ex-cat' + sfx(S.form.rules.length - 1)).focus();
    }));
    var picks = node('fieldset', { id: 'ex-picks' });
    picks.appendChild(el('legend', null, t('ex.f.fixed')));
    picks.appendChild(el('p', 'hint', t('ex.f.fixed.hint')));
    f.appendChild(picks);
    f.appendChild(field('ex-opens', 'ex.f.opens', input('datetime-local', m.opens), 'ex.f.city_time'));
    f.appendChild(field('ex-closes', 'ex.f.closes', input('datetime-local', m.closes)));
    f.appendChild(field('ex-limit', 'ex.f.time_limit_min', input('number', m.limit)));
    f.appendChild(field('ex-pass', 'ex.f.pass', input('number', m.pass)));
    f.appendChild(field('ex-max', 'ex.f.max_attempts', input('number', m.max), 'ex.f.max_attempts.hint'));
    var grading = f.appendChild(field('ex-grading', 'ex.edit.f.grading', select([['highest', t('ex.edit.grading.highest')],
      ['average', t('ex.edit.grading.average')], ['first', t('ex.edit.grading.first')], ['last', t('ex.edit.grading.last')]], m.grading)));
    /* who may sit it */
    f.appendChild(node('h2', { id: 'ex-sec-aud' }, t('ex.edit.sec.audience')));
    var aud = node('div', { id: 'ex-auds' });
    m.aud.forEach(function (a, i) { aud.appendChild(audBox(a, i, m.aud.length)); });
    f.appendChild(aud);
    f.appendChild(el('p', 'card-actions')).appendChild(button('ex.edit.aud.add', null, function () {
      readForm().aud.push({ units: '', positions: '', role: '', leader: '' });
      draw();
      $('ex-units' + sfx(S.form.aud.length - 1)).focus();
    }));
    f.appendChild(field('ex-named', 'ex.f.named', textarea(m.named), 'ex.f.named.hint'));
    /* what the learner sees afterwards */
    f.appendChild(node('h2', { id: 'ex-sec-review' }, t('ex.edit.sec.review')));
    var shows = [['never', t('ex.show.never')], ['after_submit', t('ex.show.after_submit')], ['after_close', t('ex.show.after_close')], ['after_publish', t('ex.show.after_publish')]];
    f.appendChild(field('ex-show-score', 'ex.f.show_score', select(shows, m.showScore)));
    f.appendChild(field('ex-show-answers', 'ex.f.show_answers', select(shows, m.showAnswers)));
    f.appendChild(field('ex-show-feedback', 'ex.edit.f.show_feedback', select([['', t('ex.edit.show.same')]].concat(shows), m.showFeedback)));
    f.appendChild(checkbox('ex-shuffle', 'ex.f.shuffle', m.shuffle));
    var acts = el('p', 'card-actions');
    var sb = button(edit ? 'ex.edit.save' : 'ex.create', 'btn-primary', save);
    sb.id = 'ex-save';
    acts.appendChild(sb);
    if (edit) {
      var cancel = el('a', 'btn btn-small', t('ex.edit.cancel'));
      cancel.href = '#/assessments/view/' + enc(S.r.code);
      acts.appendChild(cancel);
    }
    f.appendChild(acts);
    body.appendChild(f);
    var sync = function () {
      counts.hidden = !(kind.value === 'quiz' && course.value.trim());
      grading.hidden = kind.value !== 'quiz';
    };
    kind.addEventListener('change', sync);
    course.addEventListener('input', sync);
    sync();
    loadPicks(m.rules[0].cat);
    if (S.conflict) { cf.hidden = false; }
    if (S.fieldErr) { S.fieldErr.forEach(function (x) { markField(x.id, x.key); }); }
  }

  /* Fixed questions: those already chosen that the category shown does not list, then the
   * category's questions; ticking one adds it to the end of the list, unticking removes it. */
  function pickBox(id, label) {
    var c = input('checkbox');
    c.value = id;
    c.id = 'ex-pick-' + id;
    c.checked = S.form.fixed.indexOf(id) >= 0;
    c.addEventListener('change', function () {
      var k = S.form.fixed.indexOf(id);
      if (c.checked && k < 0) { S.form.fixed.push(id); }
      if (!c.checked && k >= 0) { S.form.fixed.splice(k, 1); }
    });
    var l = el('label', null, ' ' + label);
    l.htmlFor = c.id;
    var d = el('div', 'field');
    d.appendChild(c);
    d.appendChild(l);
    return d;
  }

  function showPicks(box, qs) {
    while (box.childNodes.length > 2) { box.removeChild(box.lastChild); }
    var listed = qs.map(function (q) { return q.id; });
    S.form.fixed.forEach(function (id) {
      if (listed.indexOf(id) < 0) { box.appendChild(pickBox(id, t('ex.edit.fixed.other', { id: id }))); }
    });
    qs.forEach(function (q) { box.appendChild(pickBox(q.id, q.name + ' (' + t('qbank.type.' + q.type) + ')')); });
  }

  function loadPicks(path) {
    var box = $('ex-picks');
    if (!box || !S.form) { return; }
    showPicks(box, []);
    if (!path || path === '*') { return; }
    P.api('GET', '/api/questions?limit=200&category=' + enc(path)).then(function (r) {
      if (!r.ok || !r.data || $('ex-picks') !== box) { return; }
      showPicks(box, r.data.questions);
    });
  }

  /* The body of POST /api/assessments (or /update) from the model; which line of the form each
   * rule and audience line came from, to put an error where it belongs. */
  function collect(m) {
    var num = function (v) { return Number(String(v).trim() || 0); };
    var def = { kind: m.kind, title: m.title.trim(), description: m.description.trim() || null, unit: m.unit.trim() || null,
      course: m.course.trim() || null, opens_at: cityIso(m.opens), closes_at: cityIso(m.closes),
      time_limit_s: Math.round(num(m.limit) * 60), pass_fraction: num(m.pass) / 100, shuffle_questions: m.shuffle,
      fixed: m.fixed.slice(), rules: [], audience: [], named: list(m.named),
      show_score: m.showScore, show_answers: m.showAnswers, show_feedback: m.showFeedback || m.showAnswers };
    var rows = { rules: [], audience: [] };
    if (m.kind === 'quiz') {
      def.max_attempts = num(m.max);
      def.grading = m.grading;
      if (def.course) { def.counts_for_course = m.counts; }
    }
    m.rules.forEach(function (r, i) {
      var n = num(r.count);
      if (!r.cat || n <= 0) { return; }
      var x = { category: r.cat === '*' ? null : r.cat, count: n, difficulty: r.diff || null, tag: r.tag.trim() || null };
      if (String(r.points).trim() !== '') { x.points = num(r.points); }
      def.rules.push(x);
      rows.rules.push(i);
    });
    m.aud.forEach(function (a, i) {
      var units = list(a.units), positions = list(a.positions);
      if (!units.length && !positions.length && !a.role && !a.leader) { return; }
      (units.length ? units : [null]).forEach(function (u) {
        def.audience.push({ unit: u, positions: positions, par_role: a.role || null, leader: a.leader === '' ? null : a.leader === 'true' });
        rows.audience.push(i);
      });
    });
    return { def: def, rows: rows };
  }

  /* What the page can tell before asking the server: [{id, key}], in the order of the form. */
  function check(m, edit) {
    var bad = [];
    if (!edit && !CODE_RE.test(m.code.trim())) { bad.push({ id: 'ex-code', key: 'ex.err.code' }); }
    if (!m.title.trim()) { bad.push({ id: 'ex-title', key: 'ex.edit.fe.title' }); }
    m.rules.forEach(function (r, i) {
      if (!numOk(r.count, 0, 500, true)) { bad.push({ id: 'ex-count' + sfx(i), key: 'ex.edit.fe.count' }); }
      if (!numOk(r.points, 0, 1000, false)) { bad.push({ id: 'ex-points' + sfx(i), key: 'ex.edit.fe.points' }); }
    });
    if (m.opens && m.closes && Date.parse(cityIso(m.closes)) <= Date.parse(cityIso(m.opens))) { bad.push({ id: 'ex-closes', key: 'ex.edit.fe.closes_at' }); }
    if (!numOk(m.limit, 0, 1440, false)) { bad.push({ id: 'ex-limit', key: 'ex.edit.fe.time_limit' }); }
    if (!numOk(m.pass, 0, 100, false)) { bad.push({ id: 'ex-pass', key: 'ex.edit.fe.pass_fraction' }); }
    if (m.kind === 'quiz' && !numOk(m.max, 0, 100, true)) { bad.push({ id: 'ex-max', key: 'ex.edit.fe.max_attempts' }); }
    return bad;
  }

  /* The input an API error's field names ("rules[1]", "audience[0].unit", "closes_at"). */
  var FIELD_INPUT = { code: 'ex-code', kind: 'ex-kind', title: 'ex-title', description: 'ex-desc', unit: 'ex-unit',
    course: 'ex-course', counts_for_course: 'ex-counts', opens_at: 'ex-opens', closes_at: 'ex-closes',
    time_limit_s: 'ex-limit', time_limit: 'ex-limit', pass_fraction: 'ex-pass', max_attempts: 'ex-max',
    grading: 'ex-grading', shuffle_questions: 'ex-shuffle', show_score: 'ex-show-score', show_answers: 'ex-show-answers',
    show_feedback: 'ex-show-feedback', named: 'ex-named', questions: 'ex-count', rules: 'ex-cat', audience: 'ex-units', fixed: 'ex-cat' };

  function fieldOf(field, rows) {
    var p = /^([a-z_]+)(?:\[(\d+)\])?/.exec(field || '');
    if (!p || !FIELD_INPUT[p[1]]) { return null; }
    var id = FIELD_INPUT[p[1]], k = p[2] === undefined ? -1 : Number(p[2]);
    if (p[1] === 'rules' && k >= 0 && rows.rules[k] !== undefined) { id += sfx(rows.rules[k]); }
    if (p[1] === 'audience' && k >= 0 && rows.audience[k] !== undefined) { id += sfx(rows.audience[k]); }
    if (p[1] === 'fixed') {
      var on = document.querySelector('#ex-picks input:checked');
      if (on) { id = on.id; }
    }
    var key = 'ex.edit.fe.' + (p[1] === 'time_limit_s' ? 'time_limit' : p[1]);
    return { id: id, key: window.PL_I18N.vi[key] ? key : 'ex.err.invalid_field' };
  }

  function markField(id, key) {
    var e = $(id);
    if (!e || $(id + '-err')) { return; }
    var p = node('p', { id: id + '-err', 'class': 'error field-error' }, t(key));
    e.setAttribute('aria-invalid', 'true');
    e.setAttribute('aria-describedby', ((e.getAttribute('aria-describedby') || '') + ' ' + p.id).trim());
    (e.closest('.field') || e.parentNode).appendChild(p);
  }

  function clearMarks() {
    Array.prototype.forEach.call(document.querySelectorAll('#ex-new .field-error'), function (p) {
      var e = $(p.id.slice(0, -4));
      if (e) {
        e.removeAttribute('aria-invalid');
        var ids = (e.getAttribute('aria-describedby') || '').split(' ').filter(function (x) { return x && x !== p.id; });
        if (ids.length) { e.setAttribute('aria-describedby', ids.join(' ')); } else { e.removeAttribute('aria-describedby'); }
      }
      p.parentNode.removeChild(p);
    });
    S.fieldErr = null;
  }

  /* Marks the fields at fault, says so at the top (an alert) and moves the focus to the first. */
  function showErrors(bad, top) {
    S.fieldErr = bad;
    bad.forEach(function (x) { markField(x.id, x.key); });
    S.msg = top || { key: 'ex.edit.check' };
    $('exam-error').textContent = P.msgText(S.msg) + (bad.length ? ' ' + t(bad[0].key) : '');
    if (bad.length && $(bad[0].id)) { $(bad[0].id).focus(); return; }
    $('exam-error').setAttribute('tabindex', '-1');
    $('exam-error').focus();
  }

  function save() {
    var edit = S.r.v === 'edit', m = readForm(), bad;
    clearMarks();
    S.msg = null;
    S.done = null;
    $('exam-error').textContent = '';
    $('exam-status').textContent = '';
    $('exam-status').hidden = true;
    if ((bad = check(m, edit)).length) { showErrors(bad); return; }
    var x = collect(m), def = x.def;
    def.code = edit ? S.r.code : m.code.trim();
    if (edit) { def.rev = S.rev; }
    var me = P.me(), hash = location.hash, sb = $('ex-save');
    sb.disabled = true;
    P.api('POST', edit ? '/api/assessments/update' : '/api/assessments', def).then(function (r) {
      if (P.me() !== me || P.lostSession(r) || location.hash !== hash) { return; }
      if ($('ex-save')) { $('ex-save').disabled = false; }
      if (r.ok) {
        S.form = null;
        S.conflict = false;
        S.done = { key: edit ? 'ex.edit.saved' : 'ex.created' };
        location.hash = '#/assessments/view/' + enc(def.code);
        return;
      }
      if (r.code === 'assessment_changed') { conflict(); return; }
      var f = fieldOf(r.data && r.data.field, x.rows);
      showErrors(f ? [f] : [], f ? null : failure(r));
    });
  }

  /* Someone else saved the draft since this page read it: say so, keep what was typed, offer
   * the latest version. */
  function conflict() {
    S.conflict = true;
    S.msg = { key: 'ex.edit.conflict' };
    $('exam-error').textContent = t('ex.edit.conflict');
    $('ex-conflict').hidden = false;
    $('ex-conflict').querySelector('button').focus();
  }

  /* Fields of the model whose values differ, as the labels the form shows. */
  function differences(a, b) {
    var keys = [['title', 'ex.f.title'], ['description', 'ex.edit.f.description'], ['kind', 'ex.f.kind'], ['unit', 'ex.edit.f.unit'],
      ['course', 'ex.edit.f.course'], ['counts', 'ex.edit.f.counts'], ['opens', 'ex.f.opens'], ['closes', 'ex.f.closes'],
      ['limit', 'ex.f.time_limit'], ['pass', 'ex.f.pass'], ['max', 'ex.f.max_attempts'], ['grading', 'ex.edit.f.grading'],
      ['shuffle', 'ex.f.shuffle'], ['rules', 'ex.edit.sec.paper'], ['fixed', 'ex.f.fixed'], ['aud', 'ex.edit.sec.audience'],
      ['named', 'ex.f.named'], ['showScore', 'ex.f.show_score'], ['showAnswers', 'ex.f.show_answers'], ['showFeedback', 'ex.edit.f.show_feedback']];
    var norm = function (m, k) {
      var v = m[k];
      if (k === 'opens' || k === 'closes') { return v ? Date.parse(cityIso(v)) : null; }
      if (k === 'limit' || k === 'pass' || k === 'max') { return Number(String(v).trim() || 0); }
      if (k === 'named') { return JSON.stringify(list(v)); }
      if (k === 'rules' || k === 'aud') { return JSON.stringify(collect(m).def[k === 'aud' ? 'audience' : 'rules']); }
      return JSON.stringify(typeof v === 'string' ? v.trim() : v);
    };
    return keys.filter(function (k) { return norm(a, k[0]) !== norm(b, k[0]); }).map(function (k) { return t(k[1]); });
  }

  function reloadLatest() {
    var me = P.me(), hash = location.hash;
    P.api('GET', '/api/assessments/detail?code=' + enc(S.r.code)).then(function (r) {
      if (P.me() !== me || P.lostSession(r) || location.hash !== hash) { return; }
      if (!r.ok || r.data.status !== 'draft') {
        S.msg = r.ok ? { key: 'ex.edit.not_draft' } : failure(r);
        $('exam-error').textContent = P.msgText(S.msg);
        return;
      }
      var diff = differences(readForm(), modelOf(r.data));
      S.rev = r.data.rev;
      S.data.def = r.data;
      S.conflict = false;
      S.msg = null;
      $('exam-error').textContent = '';
      $('ex-conflict').hidden = true;
      S.done = diff.length ? { key: 'ex.edit.reloaded', params: { fields: diff.join(', ') } } : { key: 'ex.edit.reloaded.same' };
      $('exam-status').textContent = t(S.done.key, S.done.params);
      $('exam-status').hidden = false;
      $('exam-status').focus();
    });
  }

  /* ---- a trainer's or HR officer's view of one ---- */

  function act(path, body, doneKey) {
    var me = P.me();
    P.api('POST', path, body).then(function (r) {
      if (P.me() !== me || P.lostSession(r)) { return; }
      S.msg = r.ok ? null : failure(r);
      S.done = r.ok ? { key: doneKey } : null;
      load();
    });
  }

  function renderView() {
    var d = S.data;
    if (!d || !d.results) { frame(S.r.code, '#/assessments', 'ex.back.list'); return; }
    var a = d.results.assessment;
    var body = frame(a.title, '#/assessments', 'ex.back.list');
    body.appendChild(facts([['ex.f.code', a.code], ['ex.f.kind', kindText(a.kind)], ['ex.f.status', statusText(a.status)],
      ['ex.f.window', when(a.opens_at) + ' – ' + when(a.closes_at)],
      ['ex.f.time_limit', a.time_limit_s ? t('ex.minutes', { n: Math.round(a.time_limit_s / 60) }) : t('ex.no_limit')],
      ['ex.f.pass', pct(a.pass_fraction)], ['ex.f.published', a.published_at ? when(a.published_at) + ' · ' + a.published_by : '—']]));
    var manager = d.results.manager && isBuilder();
    if (manager) {
      var acts = el('p', 'card-actions');
      if (a.status === 'draft') {
        var ed = el('a', 'btn btn-small', t('ex.edit.do'));
        ed.href = '#/assessments/edit/' + enc(a.code);
        acts.appendChild(ed);
        acts.appendChild(button('ex.open', 'btn-go', function () { act('/api/assessments/open', { code: a.code }, 'ex.done.open'); }));
      }
      if (a.status === 'open') { acts.appendChild(button('ex.close', null, function () { act('/api/assessments/close', { code: a.code }, 'ex.done.close'); })); }
      if (a.status !== 'draft' && !a.published_at) { acts.appendChild(button('ex.publish', 'btn-go', function () { act('/api/assessments/publish', { code: a.code }, 'ex.done.publish'); })); }
      var csv = el('a', 'btn btn-small', t('ex.items.csv'));
      csv.href = '/api/assessments/items.csv?code=' + enc(a.code);
      acts.appendChild(csv);
      body.appendChild(acts);
    }
    /* results and ranking */
    body.appendChild(node('h2', { id: 'ex-res-h' }, t('ex.results')));
    var res = d.results.results;
    if (!res.length) { body.appendChild(el('p', 'muted', t('ex.results.none'))); }
    else {
      body.appendChild(table('ex-res-h', ['ex.c.learner', 'ex.c.rank', 'ex.c.unit', 'ex.c.score', 'ex.c.result', 'ex.c.time', 'ex.c.events', 'ex.c.pool'],
        res.map(function (x) {
          var pool = '';
          if (manager && x.rank && a.kind === 'exam' && a.published_at) {
            var wrap = el('span');
            var tr = select([['expert', t('ex.track.expert')], ['leader', t('ex.track.leader')]], 'expert');
            tr.setAttribute('aria-label', t('ex.track.label', { name: x.learner }));
            wrap.appendChild(tr);
            wrap.appendChild(button('ex.propose', null, function () {
              act('/api/talent-pool/propose', { code: a.code, attempt: x.attempt, track: tr.value }, 'ex.done.propose');
            }));
            pool = wrap;
          }
          return row([x.learner + (x.employee_code ? ' (' + x.employee_code + ')' : ''), x.rank ? String(x.rank) : '—',
            x.unit_name || x.unit_code, x.waiting_for_grading ? t('ex.waiting') : P.fmtNum(x.score, 2) + ' / ' + P.fmtNum(x.max_score, 2),
            x.passed === null ? '—' : t(x.passed ? 'ex.passed' : 'ex.failed'), t('ex.minutes', { n: Math.round(x.time_used_s / 60) }),
            String(x.integrity_events), pool]);
        })));
    }
    if (!manager) { return; }
    /* essays */
    var essays = (d.essays && d.essays.essays) || [];
    if (essays.length) {
      body.appendChild(node('h2', { id: 'ex-essay-h' }, t('ex.essays')));
      essays.forEach(function (e, i) {
        var box = el('div', 'card');
        box.appendChild(el('h3', null, e.learner + ' · ' + t('ex.slot', { n: e.slot + 1 })));
        box.appendChild(el('p', null, plain(e.question.text)));
        box.appendChild(el('p', 'muted', t('ex.answer') + ' ' + (e.answer ? e.answer.text : t('ex.unanswered'))));
        var pts = input('number', e.graded ? e.given : '');
        pts.min = '0';
        pts.max = String(e.points);
        box.appendChild(field('ex-es-p-' + i, 'ex.points_of', pts));
        box.lastChild.firstChild.textContent = t('ex.points_of', { max: e.points });
        var com = document.createElement('textarea');
        box.appendChild(field('ex-es-c-' + i, 'ex.comment', com));
        if (e.comment) { com.value = e.comment; }
        box.appendChild(button('ex.grade', null, function () {
          act('/api/assessments/grade', { code: a.code, attempt: e.attempt, slot: e.slot, points: Number(pts.value), comment: com.value }, 'ex.done.grade');
        }));
        body.appendChild(box);
      });
    }
    /* item analysis */
    var it = d.items;
    if (it) {
      body.appendChild(node('h2', { id: 'ex-items-h' }, t('ex.items')));
      body.appendChild(el('p', 'muted', t('ex.items.test', { n: it.test.n,
        alpha: it.test.alpha === null ? '—' : P.fmtNum(it.test.alpha, 2) })));
      var num = function (v) { return v === null || v === undefined ? '—' : P.fmtNum(v, 2); };
      body.appendChild(table('ex-items-h', ['ex.c.question', 'ex.c.n', 'ex.c.facility', 'ex.c.discrimination', 'ex.c.rir', 'ex.c.flags'],
        it.items.map(function (x) {
          return row([x.name, String(x.n), num(x.facility), num(x.discrimination), num(x.item_rest_r),
            x.flags.map(function (f) { return t('ex.flag.' + f); }).join('; ')]);
        })));
    }
    /* an extra attempt */
    body.appendChild(node('h2', { id: 'ex-grant-h' }, t('ex.grant')));
    var g = node('form', { novalidate: 'novalidate', 'aria-labelledby': 'ex-grant-h' });
    g.appendChild(field('ex-grant-user', 'ex.f.username', input('text')));
    g.appendChild(field('ex-grant-reason', 'ex.f.reason', input('text')));
    g.appendChild(button('ex.grant.do', null, function () {
      act('/api/assessments/grant', { code: a.code, username: $('ex-grant-user').value.trim(), reason: $('ex-grant-reason').value.trim() }, 'ex.done.grant');
    }));
    body.appendChild(g);
  }

  /* ---- the talent pool ---- */

  function renderPool() {
    var body = frame(t('ex.pool'), '#/assessments', 'ex.back.list');
    var entries = (S.data && S.data.entries) || [];
    body.appendChild(el('p', 'muted', t('ex.pool.intro')));
    if (!entries.length) { body.appendChild(el('p', 'muted', t('ex.pool.none'))); return; }
    var hr = P.hasRole('hr_officer') || P.hasRole('admin');
    body.appendChild(node('h2', { id: 'ex-pool-h', 'class': 'visually-hidden' }, t('ex.pool')));
    body.appendChild(table('ex-pool-h', ['ex.c.learner', 'ex.c.exam', 'ex.c.track', 'ex.c.rank', 'ex.c.unit', 'ex.c.status', 'ex.c.decided', 'ex.c.actions'],
      entries.map(function (x) {
        var acts = '';
        if (hr && x.status === 'proposed') {
          acts = el('span');
          var note = input('text');
          note.setAttribute('aria-label', t('ex.pool.note', { name: x.learner }));
          acts.appendChild(note);
          acts.appendChild(button('ex.approve', 'btn-go', function () { act('/api/talent-pool/decide', { id: x.id, approve: true, note: note.value.trim() || null }, 'ex.done.approve'); }));
          acts.appendChild(button('ex.reject', null, function () { act('/api/talent-pool/decide', { id: x.id, approve: false, note: note.value.trim() || null }, 'ex.done.reject'); }));
        }
        return row([x.learner + ' (' + x.employee_code + ')', x.title, t('ex.track.' + x.track), String(x.rank), x.unit_name,
          t('ex.pool.' + x.status), x.decided_by ? x.decided_by + ' · ' + when(x.decided_at) : '—', acts]);
      })));
  }

  /* ---- taking an attempt ---- */

  function store(id) {
    try { return JSON.parse(window.localStorage.getItem('parlearn.exam.' + id) || '{}') || {}; } catch (e) { return {}; }
  }
  function keep() {
    try {
      if (Object.keys(X.pending).length) { window.localStorage.setItem('parlearn.exam.' + X.id, JSON.stringify(X.pending)); }
      else { window.localStorage.removeItem('parlearn.exam.' + X.id); }
    } catch (e) { /* storage blocked: the answers are still sent */ }
  }

  function device() {
    var k = 'parlearn.device', v = null;
    try { v = window.localStorage.getItem(k); } catch (e) { v = null; }
    if (!v || !/^[A-Za-z0-9_-]{8,64}$/.test(v)) {
      var b = new Uint8Array(12);
      window.crypto.getRandomValues(b);
      v = Array.prototype.map.call(b, function (x) { return (x & 63).toString(36); }).join('').replace(/[^A-Za-z0-9]/g, 'x');
      v = ('d' + v + 'xxxxxxxx').slice(0, 16);
      try { window.localStorage.setItem(k, v); } catch (e) { /* ignore */ }
    }
    return v;
  }

  function report(kind, detail) {
    if (!X || !X.open) { return; }
    P.api('POST', '/api/my/attempt/event', { attempt: X.id, kind: kind, detail: detail || null, client_at: new Date().toISOString() });
  }

  function left() { return X.deadline === null ? null : X.remaining - (performance.now() - X.t0); }

  function fmtLeft(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + ':' + pad(m) : String(m)) + ':' + pad(s % 60);
  }

  function tick() {
    if (!X || !X.open || X.deadline === null) { return; }
    var ms = left();
    $('exam-timer').textContent = t('ex.timer', { left: fmtLeft(ms) });
    var mins = Math.ceil(ms / 60000);
    [10, 5, 1].forEach(function (m) {
      if (mins <= m && X.said.indexOf(m) < 0 && ms > 0) {
        X.said.push(m);
        $('exam-timer-live').textContent = t('ex.timer.say', { n: m });
      }
    });
    if (ms <= 0) { timeUp(); }
  }

  function timeUp() {
    if (!X || !X.open) { return; }
    X.open = false;
    clearInterval(X.timer);
    $('exam-timer-live').textContent = t('ex.timeup');
    $('exam-timer').textContent = t('ex.timeup');
    Array.prototype.forEach.call(document.querySelectorAll('#exam-form input, #exam-form select, #exam-form textarea, #exam-submit'),
      function (i) { i.disabled = true; });
    /* the server closes it at its deadline; the page shows what it kept */
    setTimeout(function () { if (X) { location.hash = '#/exam-review/' + X.id; } }, 1500);
  }

  function setState(slot) {
    var s = X.slots[slot], p = $('q-' + slot + '-state');
    if (!p) { return; }
    var text;
    if (X.pending[slot]) { text = s.sending ? t('ex.saving') : X.offline ? t('ex.unsaved.offline') : t('ex.unsaved'); }
    else if (s.savedAt) { text = t('ex.saved', { at: clock(s.savedAt) }); }
    else { text = t('ex.unanswered'); }
    p.textContent = text;
  }

  function offline(on) {
    X.offline = on;
    var b = $('exam-offline');
    b.textContent = on ? t('ex.offline') : '';
    Object.keys(X.slots).forEach(setState);
  }

  function send(slot) {
    var s = X.slots[slot], p = X.pending[slot];
    if (!p || s.sending || !X.open) { return; }
    s.sending = true;
    setState(slot);
    var rev = Math.max(s.rev, p.rev || 0) + 1;
    p.rev = rev;
    keep();
    var body = { attempt: X.id, slot: Number(slot), rev: rev, response: p.response };
    P.api('POST', '/api/my/attempt/save', body).then(function (r) {
      s.sending = false;
      if (!X || X.slots[slot] !== s) { return; }
      if (P.lostSession(r)) { return; }
      if (r.ok && r.data) {
        if (X.offline) { offline(false); report('reconnect', 'saves go through again'); }
        s.rev = r.data.rev;
        s.delay = 0;
        if (r.data.deadline_ms) { X.remaining = r.data.deadline_ms - r.data.server_now_ms; X.t0 = performance.now(); }
        if (X.pending[slot] === p) {
          if (r.data.stale && (p.tries = (p.tries || 0) + 1) < 4) { setTimeout(function () { send(slot); }, 0); return; }
          delete X.pending[slot];
          s.savedAt = r.data.saved_at;
        }
        keep();
        setState(slot);
        if (X.pending[slot]) { send(slot); }
        return;
      }
      if (r.code === 'deadline_passed' || r.code === 'attempt_submitted') { X.pending = {}; keep(); timeUp(); return; }
      if (r.status === 0 || r.status >= 500 || r.status === 429) {
        offline(true);
        s.delay = Math.min(30000, (s.delay || 1000) * 2);
        setTimeout(function () { send(slot); }, s.delay);
        return;
      }
      /* refused (a shape the page should never send): say so, keep the answer here */
      S.msg = failure(r);
      $('exam-error').textContent = P.msgText(S.msg);
      setState(slot);
    });
  }

  function changed(slot, response, wait) {
    if (!X || !X.open) { return; }
    var s = X.slots[slot];
    X.pending[slot] = { response: response, rev: (X.pending[slot] && X.pending[slot].rev) || s.rev };
    keep();
    setState(slot);
    clearTimeout(s.debounce);
    s.debounce = setTimeout(function () { send(slot); }, wait ? 700 : 0);
  }

  /* The inputs of one question; values from answer (shown positions). */
  function inputs(q, slot, answer) {
    var box = el('div');
    var name = 'q' + slot;
    var qt = q.type;
    var pick = function (type, items, isOn, onChange) {
      items.forEach(function (o, i) {
        var id = name + '-' + i;
        var c = input(type);
        c.name = name;
        c.id = id;
        c.value = String(o.id);
        c.checked = isOn(o.id);
        c.addEventListener('change', onChange);
        /* the input inside its label: one line, the whole line a touch target */
        var l = el('label');
        l.appendChild(o.label && o.label.nodeType ? o.label : document.createTextNode(o.label));
        l.insertBefore(c, l.firstChild);
        l.style.display = 'flex';
        l.style.alignItems = 'center';
        l.style.gap = '.6rem';
        l.style.fontWeight = '400';
        l.style.minHeight = '44px';
        box.appendChild(l);
      });
    };
    if (qt === 'single' || qt === 'multi') {
      var opts = q.options.map(function (o) { return { id: o.id, label: rich(o.text, fileUrl(X.id, slot), true) }; });
      pick(qt === 'single' ? 'radio' : 'checkbox', opts,
        function (id) { return answer ? (qt === 'single' ? answer.choice === id : (answer.choices || []).indexOf(id) >= 0) : false; },
        function () {
          var on = Array.prototype.slice.call(box.querySelectorAll('input:checked')).map(function (c) { return Number(c.value); });
          changed(slot, qt === 'single' ? { choice: on[0] } : { choices: on });
        });
    } else if (qt === 'truefalse') {
      pick('radio', [{ id: 1, label: t('ex.true') }, { id: 0, label: t('ex.false') }],
        function (id) { return answer && answer.value !== undefined ? (answer.value ? 1 : 0) === id : false; },
        function () { changed(slot, { value: box.querySelector('input:checked').value === '1' }); });
    } else if (qt === 'short' || qt === 'numerical' || qt === 'essay') {
      var ta = qt === 'essay' ? document.createElement('textarea') : input('text');
      if (qt === 'essay') { ta.rows = Math.min(20, q.response_lines || 8); }
      if (qt === 'numerical') { ta.inputMode = 'decimal'; }
      ta.value = answer && answer.text ? answer.text : '';
      ta.addEventListener('input', function () { changed(slot, { text: ta.value }, true); });
      box.appendChild(field(name + '-text', 'ex.your_answer', ta));
    } else if (qt === 'matching') {
      var sels = q.stems.map(function (st, i) {
        var s = select([['', t('ex.choose')]].concat(q.choices.map(function (c) { return [String(c.id), c.text]; })), '');
        var have = answer && (answer.pairs || []).filter(function (p) { return p.stem === st.id; })[0];
        if (have) { s.value = String(have.choice); }
        s.addEventListener('change', function () {
          changed(slot, { pairs: sels.map(function (x, k) { return x.value === '' ? null : { stem: q.stems[k].id, choice: Number(x.value) }; }).filter(Boolean) });
        });
        var d = field(name + '-m' + i, 'ex.match', s);
        d.firstChild.textContent = '';
        d.firstChild.appendChild(rich(st.text, fileUrl(X.id, slot), true));
        box.appendChild(d);
        return s;
      });
    } else if (qt === 'ordering') {
      var ord = q.items.map(function (it, i) {
        var s = select([['', t('ex.choose')]].concat(q.items.map(function (x) { return [String(x.id), plain(x.text)]; })), '');
        if (answer && answer.order) { s.value = String(answer.order[i]); }
        s.addEventListener('change', function () {
          var v = ord.map(function (x) { return x.value; });
          if (v.indexOf('') < 0 && v.filter(function (x, k) { return v.indexOf(x) === k; }).length === v.length) {
            changed(slot, { order: v.map(Number) });
          }
        });
        var d = field(name + '-o' + i, 'ex.position', s);
        d.firstChild.textContent = t('ex.position', { n: i + 1 });
        box.appendChild(d);
        return s;
      });
    }
    return box;
  }

  function renderExam() {
    var d = S.data;
    var body = frame(d ? d.title : t('ex.heading'), '#/assessments', 'ex.back.list');
    if (!d) { return; }
    var bar = el('div', 'status');
    bar.appendChild(node('p', { id: 'exam-timer' }, d.deadline_ms ? '' : t('ex.no_limit')));
    bar.appendChild(node('p', { id: 'exam-timer-live', 'class': 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' }));
    bar.style.position = 'sticky';
    bar.style.top = '0';
    bar.style.zIndex = '1';
    body.appendChild(bar);
    var f = node('form', { id: 'exam-form', novalidate: 'novalidate' });
    f.addEventListener('submit', function (ev) { ev.preventDefault(); });
    d.questions.forEach(function (x, i) {
      var q = x.question;
      var fs = node('fieldset', { id: 'q-' + x.slot, 'class': 'card' });
      fs.appendChild(el('legend', null, t('ex.question', { n: i + 1, points: P.fmtNum(q.points, q.points % 1 ? 2 : 0) })));
      fs.appendChild(rich(q.text, fileUrl(d.attempt, x.slot)));
      var local = X.pending[x.slot];
      fs.appendChild(inputs(q, x.slot, local ? local.response : x.answer));
      fs.appendChild(node('p', { id: 'q-' + x.slot + '-state', 'class': 'muted small' }));
      f.appendChild(fs);
    });
    body.appendChild(f);
    var conf = node('div', { id: 'exam-confirm', 'class': 'sync-confirm', role: 'alertdialog', 'aria-labelledby': 'exam-confirm-text' });
    conf.hidden = true;
    conf.appendChild(node('p', { id: 'exam-confirm-text' }));
    conf.appendChild(button('ex.submit.yes', 'btn-go', submit));
    conf.appendChild(button('ex.submit.no', null, function () { conf.hidden = true; $('exam-submit').focus(); }));
    var sb = button('ex.submit', 'btn-primary', function () {
      var unanswered = d.questions.filter(function (x) { return !x.answer && !X.pending[x.slot] && !X.slots[x.slot].savedAt; }).length;
      $('exam-confirm-text').textContent = t('ex.submit.confirm', { n: unanswered });
      conf.hidden = false;
      conf.querySelector('button').focus();
    });
    sb.id = 'exam-submit';
    body.appendChild(sb);
    body.appendChild(conf);
    Object.keys(X.slots).forEach(setState);
    tick();
  }

  function submit() {
    var me = P.me(), id = X.id, waited = 0;
    var go = function () {
      var busy = Object.keys(X.pending).length && waited < 10000;
      if (busy) { waited += 250; Object.keys(X.pending).forEach(send); setTimeout(go, 250); return; }
      P.api('POST', '/api/my/attempt/submit', { attempt: id }).then(function (r) {
        if (P.me() !== me || P.lostSession(r)) { return; }
        if (r.ok || r.code === 'attempt_submitted') {
          X.open = false;
          X.pending = {};
          keep();
          S.done = { key: 'ex.submitted' };
          location.hash = '#/exam-review/' + id;
          return;
        }
        S.msg = failure(r);
        $('exam-error').textContent = P.msgText(S.msg);
      });
    };
    $('exam-submit').disabled = true;
    go();
  }

  function openExam(d) {
    closeExam();
    X = { id: d.attempt, open: d.open, pending: store(d.attempt), slots: {}, said: [], offline: false,
      deadline: d.deadline_ms, remaining: d.deadline_ms ? d.deadline_ms - d.server_now_ms : null, t0: performance.now() };
    d.questions.forEach(function (x) {
      X.slots[x.slot] = { rev: x.rev, savedAt: x.saved_at, sending: false, delay: 0 };
      var p = X.pending[x.slot];
      /* an answer saved by this page before a reload, that the server has not got yet */
      if (p && (p.rev || 0) <= x.rev && JSON.stringify(p.response) === JSON.stringify(x.answer)) { delete X.pending[x.slot]; }
    });
    if (!d.open) { X.pending = {}; }
    keep();
    X.timer = setInterval(tick, 1000);
    var nav = performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
    if (nav && nav.type === 'reload' && !S.reloadSaid) { S.reloadSaid = true; report('reload', 'the page was reloaded'); }
    Object.keys(X.pending).forEach(function (slot) { setTimeout(function () { send(slot); }, 0); });
  }

  function closeExam() {
    if (X) { clearInterval(X.timer); }
    X = null;
  }

  function onHidden() { if (X && X.open && document.visibilityState === 'hidden') { report('page_hidden'); } }
  function onBlur() {
    if (!X || !X.open || document.visibilityState === 'hidden') { return; }
    var n = performance.now();
    if (X.lastBlur && n - X.lastBlur < 5000) { return; }
    X.lastBlur = n;
    report('focus_lost');
  }
  function onOffline() { if (X && X.open) { offline(true); } }
  function onOnline() {
    if (!X || !X.open) { return; }
    report('reconnect', 'the browser is online again');
    Object.keys(X.pending).forEach(send);
  }

  /* ---- a learner's review ---- */

  function answerText(q, a) {
    if (!a || !Object.keys(a).length) { return t('ex.unanswered'); }
    var opt = function (id) { var o = (q.options || q.items || []).filter(function (x) { return x.id === id; })[0]; return o ? plain(o.text) : '?'; };
    if (a.choice !== undefined) { return opt(a.choice); }
    if (a.choices) { return a.choices.map(opt).join('; '); }
    if (a.value !== undefined) { return t(a.value ? 'ex.true' : 'ex.false'); }
    if (a.text !== undefined) { return a.text; }
    if (a.order) { return a.order.map(opt).join(' → '); }
    if (a.pairs) {
      return a.pairs.map(function (p) {
        var st = q.stems.filter(function (s) { return s.id === p.stem; })[0], ch = q.choices.filter(function (c) { return c.id === p.choice; })[0];
        return (st ? plain(st.text) : '?') + ' → ' + (ch ? ch.text : '?');
      }).join('; ');
    }
    return '';
  }

  function keyText(q, k) {
    if (k.options) { return k.options.map(function (o) { return answerText(q, { choice: o.id }); }).join('; '); }
    if (k.value !== undefined) { return t(k.value ? 'ex.true' : 'ex.false'); }
    if (k.accepted) { return k.accepted.map(function (x) { return x.text; }).join('; '); }
    if (k.numbers) { return k.numbers.map(function (x) { return x.value + (x.tolerance ? ' ± ' + x.tolerance : ''); }).join('; '); }
    if (k.order) { return answerText(q, { order: k.order }); }
    if (k.pairs) { return answerText(q, { pairs: k.pairs }); }
    return '';
  }

  function renderReview() {
    var d = S.data;
    var body = frame(t('ex.review.heading'), '#/assessments', 'ex.back.list');
    if (!d) { return; }
    var box = el('div', d.result ? (d.result.passed === false ? 'result-bad' : 'result-ok') : 'status');
    if (d.result) {
      box.appendChild(el('p', null, d.result.waiting_for_grading ? t('ex.waiting')
        : t('ex.score', { score: P.fmtNum(d.result.score, 2), max: P.fmtNum(d.result.max_score, 2), pct: pct(d.result.fraction) }) + ' · ' + t(d.result.passed ? 'ex.passed' : 'ex.failed')));
    } else {
      box.appendChild(el('p', null, t('ex.result.later')));
    }
    body.appendChild(box);
    d.slots.forEach(function (s, i) {
      var q = s.question;
      var sec = node('section', { 'class': 'card', 'aria-labelledby': 'rv-' + i });
      sec.appendChild(node('h2', { id: 'rv-' + i }, t('ex.question', { n: i + 1, points: P.fmtNum(q.points, q.points % 1 ? 2 : 0) })));
      var urls = fileUrl(S.r.id, s.slot);
      sec.appendChild(rich(q.text, urls));
      var f = [['ex.your_answer', answerText(q, s.answer)]];
      if (s.earned !== undefined) { f.push(['ex.earned', s.earned === null ? t('ex.waiting') : P.fmtNum(s.earned, 2)]); }
      if (s.key) { f.push(['ex.key', keyText(q, s.key)]); }
      var dl = facts(f);
      /* feedback texts are HTML (rich, with their images); a trainer's comment is text */
      var fbs = s.feedback ? [s.feedback.general].concat(s.feedback.chosen || []).concat([s.feedback.overall]).filter(Boolean) : [];
      if (fbs.length || (s.feedback && s.comment)) {
        var dd = el('dd');
        fbs.forEach(function (h) { dd.appendChild(rich(h, urls)); });
        if (s.comment) { dd.appendChild(el('p', null, s.comment)); }
        dl.appendChild(el('dt', null, t('ex.feedback')));
        dl.appendChild(dd);
      }
      sec.appendChild(dl);
      body.appendChild(sec);
    });
  }

  /* ---- routing ---- */

  function parseHash() {
    var h = location.hash, m;
    if (h === '#/assessments') { return { v: 'list' }; }
    if (h === '#/assessments/new') { return { v: 'new' }; }
    if (h === '#/talent-pool') { return { v: 'pool' }; }
    if ((m = /^#\/assessments\/(view|edit)\/([^/]+)$/.exec(h))) {
      var c = null;
      try { c = decodeURIComponent(m[2]); } catch (e) { return null; }
      return CODE_RE.test(c) ? { v: m[1], code: c } : null;
    }
    if ((m = /^#\/exam\/(\d{1,15})$/.exec(h))) { return { v: 'exam', id: Number(m[1]) }; }
    if ((m = /^#\/exam-review\/(\d{1,15})$/.exec(h))) { return { v: 'review', id: Number(m[1]) }; }
    return null;
  }

  function allowed(r) {
    if (r.v === 'exam' || r.v === 'review') { return P.hasRole('learner'); }
    if (r.v === 'new' || r.v === 'edit') { return isBuilder(); }
    if (r.v === 'view' || r.v === 'pool') { return isStaff(); }
    return P.hasRole('learner') || isStaff();
  }

  function render() {
    if (!S.active) { return; }
    var v = S.r.v;
    if (v === 'list') { renderList(); }
    else if (v === 'new' || v === 'edit') { renderNew(); }
    else if (v === 'view') { renderView(); }
    else if (v === 'pool') { renderPool(); }
    else if (v === 'exam') { renderExam(); }
    else { renderReview(); }
  }

  function load() {
    var r = S.r, me = P.me(), seq = ++S.seq;
    var ok = function (res) {
      if (P.me() !== me || seq !== S.seq || P.lostSession(res)) { return false; }
      if (!res.ok) { S.busy = false; S.msg = failure(res); S.data = null; render(); return false; }
      return true;
    };
    S.busy = true;
    S.data = null;
    render();
    var done = function (data) { S.busy = false; S.data = data; render(); };
    if (r.v === 'list') {
      var mine = P.hasRole('learner') ? P.api('GET', '/api/my/assessments') : Promise.resolve(null);
      var managed = isStaff() ? P.api('GET', '/api/assessments') : Promise.resolve(null);
      Promise.all([mine, managed]).then(function (x) {
        if ((x[0] && !ok(x[0])) || (x[1] && !ok(x[1]))) { return; }
        done({ mine: x[0] && x[0].data.assessments, managed: x[1] && x[1].data.assessments });
      });
    } else if (r.v === 'new') {
      P.api('GET', '/api/categories').then(function (res) {
        if (!ok(res)) { return; }
        S.cats = res.data.categories;
        done({});
      });
    } else if (r.v === 'edit') {
      Promise.all([P.api('GET', '/api/categories'), P.api('GET', '/api/assessments/detail?code=' + enc(r.code))]).then(function (x) {
        if (!ok(x[0]) || !ok(x[1])) { return; }
        S.cats = x[0].data.categories;
        S.rev = x[1].data.rev;
        done({ def: x[1].data });
      });
    } else if (r.v === 'view') {
      var q = '?code=' + enc(r.code);
      P.api('GET', '/api/assessments/results' + q).then(function (res) {
        if (!ok(res)) { return; }
        if (!res.data.manager || !isBuilder()) { done({ results: res.data }); return; }
        Promise.all([P.api('GET', '/api/assessments/essays' + q), P.api('GET', '/api/assessments/items' + q)]).then(function (x) {
          if (P.me() !== me || seq !== S.seq) { return; }
          done({ results: res.data, essays: x[0].ok ? x[0].data : null, items: x[1].ok ? x[1].data : null });
        });
      });
    } else if (r.v === 'pool') {
      P.api('GET', '/api/talent-pool').then(function (res) { if (ok(res)) { done(res.data); } });
    } else if (r.v === 'exam') {
      var tries = 0;
      var paper = function () {
        P.api('GET', '/api/my/attempt?id=' + r.id + '&device=' + device()).then(got);
      };
      var got = function (res) {
        /* a dropped connection or a busy server while the paper loads: say so and try again,
         * every few seconds, rather than leave the examinee before an error */
        if (!res.ok && TRANSIENT.test(String(res.status)) && P.me() === me && seq === S.seq) {
          S.msg = { key: 'ex.err.retrying' };
          render();
          setTimeout(function () { if (P.me() === me && seq === S.seq) { paper(); } }, Math.min(15000, 1000 * Math.pow(2, tries++)));
          return;
        }
        if (!ok(res)) { return; }
        S.msg = null;
        if (!res.data.open) { location.hash = '#/exam-review/' + r.id; return; }
        openExam(res.data);
        done(res.data);
        var first = document.querySelector('#exam-form input, #exam-form select, #exam-form textarea');
        $('exam-heading').focus();
        return first;
      };
      paper();
    } else {
      P.api('GET', '/api/my/attempt/review?id=' + r.id).then(function (res) { if (ok(res)) { done(res.data); } });
    }
  }

  function route() {
    if (!P.me()) { return; }
    var r = parseHash();
    if (!r || !allowed(r)) {
      if (S.active) {
        S.active = false;
        closeExam();
        if (!OTHER.test(location.hash)) { P.goHome(/^#section-[\w-]+$/.test(location.hash) ? location.hash.slice(1) : null); }
      }
      return;
    }
    build();
    if (r.v !== 'exam') { closeExam(); }
    var keepDone = S.done && S.active;
    S.active = true;
    S.r = r;
    S.msg = null;
    S.form = null; /* the builder's model (a new one, or the draft being edited) */
    S.fieldErr = null;
    S.conflict = false;
    if (!keepDone) { S.done = null; }
    P.show('exam');
    load();
    $('exam-heading').focus();
    S.done = keepDone ? S.done : null;
  }

  P.hook({
    enter: function () { if (parseHash()) { route(); } },
    leave: function () { S.active = false; S.data = null; closeExam(); },
    lang: render
  });
  /* after the other scripts' own handlers (which send the page home when their view is left,
   * some of them in a timeout of their own), so that this view is the one shown */
  window.addEventListener('hashchange', function () { setTimeout(route, 0); });
  document.addEventListener('visibilitychange', onHidden);
  window.addEventListener('blur', onBlur);
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
}());
