/* exam.js — quizzes and capability exams (kiểm tra, sát hạch; docs/assessment.md):
 *   #/assessments              learners: what is offered to them; trainers and admins: the
 *                              assessments they manage and "new"; HR officers: published ones
 *   #/assessments/new          a trainer builds a quiz or an exam from the bank
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

  /* A question's text as plain text: texts may be HTML (from a bank file); they are shown
   * through textContent only, so tags are dropped and entities left as they are. */
  function plain(x) { return String(x && x.text !== undefined ? x.text : x || '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim(); }

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

  /* ---- a trainer builds one ---- */

  function cityIso(v) { return v ? v + ':00+07:00' : null; }

  function renderNew() {
    var body = frame(t('ex.new.heading'), '#/assessments', 'ex.back.list');
    var f = node('form', { id: 'ex-new', novalidate: 'novalidate' });
    f.appendChild(field('ex-code', 'ex.f.code', input('text'), 'ex.f.code.hint'));
    f.appendChild(field('ex-kind', 'ex.f.kind', select([['quiz', t('ex.kind.quiz')], ['exam', t('ex.kind.exam')]], 'exam')));
    f.appendChild(field('ex-title', 'ex.f.title', input('text')));
    var cats = [['', t('ex.f.category.none')]].concat((S.cats || []).map(function (c) { return [c.path, c.path + ' (' + c.questions + ')']; }));
    var cat = select(cats, '');
    f.appendChild(field('ex-cat', 'ex.f.category', cat, 'ex.f.category.hint'));
    f.appendChild(field('ex-count', 'ex.f.count', input('number', '10'), 'ex.f.count.hint'));
    var picks = node('fieldset', { id: 'ex-picks' });
    picks.appendChild(el('legend', null, t('ex.f.fixed')));
    picks.appendChild(el('p', 'hint', t('ex.f.fixed.hint')));
    f.appendChild(picks);
    cat.addEventListener('change', function () { loadPicks(cat.value); });
    f.appendChild(field('ex-opens', 'ex.f.opens', input('datetime-local'), 'ex.f.city_time'));
    f.appendChild(field('ex-closes', 'ex.f.closes', input('datetime-local')));
    f.appendChild(field('ex-limit', 'ex.f.time_limit_min', input('number', '45')));
    f.appendChild(field('ex-pass', 'ex.f.pass', input('number', '70')));
    f.appendChild(field('ex-max', 'ex.f.max_attempts', input('number', '0'), 'ex.f.max_attempts.hint'));
    f.appendChild(field('ex-units', 'ex.f.units', input('text'), 'ex.f.units.hint'));
    f.appendChild(field('ex-positions', 'ex.f.positions', input('text'), 'ex.f.positions.hint'));
    f.appendChild(field('ex-leader', 'ex.f.leader', select([['', t('ex.f.leader.any')], ['true', t('ex.f.leader.yes')], ['false', t('ex.f.leader.no')]], '')));
    f.appendChild(field('ex-named', 'ex.f.named', document.createElement('textarea'), 'ex.f.named.hint'));
    var shows = [['never', t('ex.show.never')], ['after_submit', t('ex.show.after_submit')], ['after_close', t('ex.show.after_close')], ['after_publish', t('ex.show.after_publish')]];
    f.appendChild(field('ex-show-score', 'ex.f.show_score', select(shows, 'after_publish')));
    f.appendChild(field('ex-show-answers', 'ex.f.show_answers', select(shows, 'after_publish')));
    var shuffle = input('checkbox');
    var sl = el('label', null, ' ' + t('ex.f.shuffle'));
    sl.insertBefore(shuffle, sl.firstChild);
    shuffle.id = 'ex-shuffle';
    f.appendChild(el('div', 'field')).appendChild(sl);
    f.appendChild(button('ex.create', 'btn-primary', onCreate));
    body.appendChild(f);
  }

  function loadPicks(path) {
    var box = $('ex-picks');
    while (box.childNodes.length > 2) { box.removeChild(box.lastChild); }
    if (!path) { return; }
    P.api('GET', '/api/questions?limit=200&category=' + enc(path)).then(function (r) {
      if (!r.ok || !r.data || $('ex-picks') !== box) { return; }
      r.data.questions.forEach(function (q) {
        var c = input('checkbox');
        c.value = q.id;
        c.id = 'ex-pick-' + q.id;
        var l = el('label', null, ' ' + q.name + ' (' + t('qbank.type.' + q.type) + ')');
        l.htmlFor = c.id;
        var d = el('div', 'field');
        d.appendChild(c);
        d.appendChild(l);
        box.appendChild(d);
      });
    });
  }

  function list(v) { return v.split(/[,\n]/).map(function (x) { return x.trim(); }).filter(Boolean); }

  function onCreate() {
    var kind = $('ex-kind').value;
    var fixed = Array.prototype.slice.call(document.querySelectorAll('#ex-picks input:checked')).map(function (c) { return Number(c.value); });
    var count = parseInt($('ex-count').value, 10) || 0;
    var def = { code: $('ex-code').value.trim(), kind: kind, title: $('ex-title').value.trim(),
      opens_at: cityIso($('ex-opens').value), closes_at: cityIso($('ex-closes').value),
      time_limit_s: (parseInt($('ex-limit').value, 10) || 0) * 60,
      pass_fraction: (Number($('ex-pass').value) || 0) / 100,
      shuffle_questions: $('ex-shuffle').checked, fixed: fixed,
      rules: $('ex-cat').value && count > 0 ? [{ category: $('ex-cat').value, count: count }] : [],
      show_score: $('ex-show-score').value, show_answers: $('ex-show-answers').value,
      show_feedback: $('ex-show-answers').value, named: list($('ex-named').value) };
    if (kind === 'quiz') { def.max_attempts = parseInt($('ex-max').value, 10) || 0; }
    var units = list($('ex-units').value), positions = list($('ex-positions').value), leader = $('ex-leader').value;
    if (units.length || positions.length || leader) {
      def.audience = (units.length ? units : [null]).map(function (u) {
        return { unit: u, positions: positions, leader: leader === '' ? null : leader === 'true' };
      });
    }
    if (!CODE_RE.test(def.code)) {
      S.msg = { key: 'ex.err.code' };
      render();
      $('ex-code').focus();
      return;
    }
    var me = P.me();
    P.api('POST', '/api/assessments', def).then(function (r) {
      if (P.me() !== me || P.lostSession(r)) { return; }
      if (r.ok) { S.done = { key: 'ex.created' }; location.hash = '#/assessments/view/' + enc(def.code); return; }
      S.msg = failure(r);
      $('exam-error').textContent = P.msgText(S.msg) + (S.msg.field ? ' (' + S.msg.field + ')' : '');
      $('exam-error').focus();
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
      if (a.status === 'draft') { acts.appendChild(button('ex.open', 'btn-go', function () { act('/api/assessments/open', { code: a.code }, 'ex.done.open'); })); }
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
        var l = el('label', null, o.label);
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
      var opts = q.options.map(function (o) { return { id: o.id, label: plain(o.text) }; });
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
        d.firstChild.textContent = plain(st.text);
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
      fs.appendChild(el('p', null, plain(q.text)));
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
      sec.appendChild(el('p', null, plain(q.text)));
      var f = [['ex.your_answer', answerText(q, s.answer)]];
      if (s.earned !== undefined) { f.push(['ex.earned', s.earned === null ? t('ex.waiting') : P.fmtNum(s.earned, 2)]); }
      if (s.key) { f.push(['ex.key', keyText(q, s.key)]); }
      if (s.feedback) {
        var fb = [s.feedback.general].concat(s.feedback.chosen || []).concat([s.feedback.overall, s.comment]).filter(Boolean).join(' ');
        if (fb) { f.push(['ex.feedback', fb]); }
      }
      sec.appendChild(facts(f));
      body.appendChild(sec);
    });
  }

  /* ---- routing ---- */

  function parseHash() {
    var h = location.hash, m;
    if (h === '#/assessments') { return { v: 'list' }; }
    if (h === '#/assessments/new') { return { v: 'new' }; }
    if (h === '#/talent-pool') { return { v: 'pool' }; }
    if ((m = /^#\/assessments\/view\/([^/]+)$/.exec(h))) {
      var c = null;
      try { c = decodeURIComponent(m[1]); } catch (e) { return null; }
      return CODE_RE.test(c) ? { v: 'view', code: c } : null;
    }
    if ((m = /^#\/exam\/(\d{1,15})$/.exec(h))) { return { v: 'exam', id: Number(m[1]) }; }
    if ((m = /^#\/exam-review\/(\d{1,15})$/.exec(h))) { return { v: 'review', id: Number(m[1]) }; }
    return null;
  }

  function allowed(r) {
    if (r.v === 'exam' || r.v === 'review') { return P.hasRole('learner'); }
    if (r.v === 'new') { return isBuilder(); }
    if (r.v === 'view' || r.v === 'pool') { return isStaff(); }
    return P.hasRole('learner') || isStaff();
  }

  function render() {
    if (!S.active) { return; }
    var v = S.r.v;
    if (v === 'list') { renderList(); }
    else if (v === 'new') { renderNew(); }
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
