/* qbank.js — the question bank for trainers and admins (#/questions, #/questions/ID):
 * the category tree, the list of questions with filters, a question with its versions and a
 * small edit form (a new version), importing a GIFT or Moodle XML file (a dry run first,
 * showing every problem, then the import) and export links. API: /api/categories,
 * /api/questions, /api/question, /api/question/edit, /api/questions/import and
 * /api/questions/export (docs/question-bank.md).
 *
 * Invariants: data reaches the page only through textContent (question texts are HTML from
 * files: shown as text, never as markup); every string comes from i18n.js; the views are
 * built here once (index.html only loads this script); app.js is reached through
 * window.parlearn only.
 */
(function () {
  'use strict';

  var P = window.parlearn;
  if (!P) { return; }
  var t = P.t, el = P.el, cell = P.cell;
  var MAX_FILE = 50 * 1048576;
  var PAGE = 50;
  var TYPES = ['single', 'multi', 'truefalse', 'short', 'numerical', 'matching', 'ordering', 'essay', 'description'];
  var DIFFS = ['none', 'easy', 'medium', 'hard'];

  var S = {
    active: null, cats: null, catsMsg: null, cat: '', filter: { q: '', type: '', difficulty: '', tag: '' },
    offset: 0, list: null, listMsg: null, busy: false, seq: 0,
    imp: { busy: false, msg: null, report: null, checked: null },
    qid: 0, q: null, qMsg: null, edit: { busy: false, msg: null }
  };

  function $(id) { return document.getElementById(id); }
  function allowed() { return P.hasRole('trainer') || P.hasRole('admin'); }
  function n(x) { return P.fmtNum(x, 0); }

  /* ---- building blocks ---- */

  function keyed(tag, key, cls) {
    var e = el(tag, cls || null, t(key));
    e.setAttribute('data-i18n', key);
    return e;
  }

  function field(id, key, input, hintKey) {
    var d = el('div', 'field');
    var l = keyed('label', key);
    l.htmlFor = id;
    input.id = id;
    d.appendChild(l);
    d.appendChild(input);
    if (hintKey) {
      var h = keyed('p', hintKey, 'hint');
      h.id = id + '-hint';
      d.appendChild(h);
    }
    return d;
  }

  function input(type) {
    var i = document.createElement('input');
    i.type = type;
    if (type === 'text') { i.autocomplete = 'off'; i.spellcheck = false; }
    return i;
  }

  function select(values, prefix, anyKey) {
    var s = document.createElement('select');
    if (anyKey) { s.appendChild(option('', anyKey)); }
    values.forEach(function (v) { s.appendChild(option(v, prefix + v)); });
    return s;
  }

  function option(value, key) {
    var o = keyed('option', key);
    o.value = value;
    return o;
  }

  function button(id, key, cls, type) {
    var b = keyed('button', key, 'btn ' + cls);
    b.type = type || 'button';
    b.id = id;
    return b;
  }

  function heading(tag, id, key) {
    var h = keyed(tag, key);
    h.id = id;
    return h;
  }

  function table(hid, cols, rows) {
    var wrap = el('div', 'table-wrap');
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-labelledby', hid);
    wrap.tabIndex = 0;
    var tb = el('table', 'sync-table');
    tb.setAttribute('aria-labelledby', hid);
    var hr = document.createElement('tr');
    cols.forEach(function (c) { hr.appendChild(cell('th', t('qbank.col.' + c), 'col')); });
    tb.createTHead().appendChild(hr);
    var body = tb.createTBody();
    rows.forEach(function (r) { body.appendChild(r); });
    wrap.appendChild(tb);
    return wrap;
  }

  /* A question's text (HTML from a file) as plain text: parsed in an inert document. */
  function plain(html) {
    if (!html) { return ''; }
    var d = new DOMParser().parseFromString(String(html), 'text/html');
    return (d.body.textContent || '').replace(/\s+/g, ' ').trim();
  }

  /* A text of a version as rich text (richtext.js: a whitelist, nothing in it runs), its
   * images (@@PLUGINFILE@@/name) from the bank's file endpoint for that version. */
  function rich(x, versionId, inline) {
    var urls = function (ref) { return '/api/questions/file?version=' + encodeURIComponent(versionId) + '&name=' + encodeURIComponent(ref); };
    if (!window.PL_RICH) { return el(inline ? 'span' : 'p', 'wrap-text', plain(x && x.text !== undefined ? x.text : x)); }
    var r = window.PL_RICH[inline ? 'inline' : 'block'](x, urls);
    r.className += ' wrap-text';
    return r;
  }

  function typeLabel(x) { return TYPES.indexOf(x) >= 0 ? t('qbank.type.' + x) : x; }
  function diffLabel(x) { return DIFFS.indexOf(x) >= 0 ? t('qbank.diff.' + x) : x; }

  /* ---- the views, built once ---- */

  function build() {
    if ($('qbank-view')) { return; }
    var v = el('section');
    v.id = 'qbank-view';
    v.setAttribute('data-view', 'qbank');
    v.setAttribute('aria-labelledby', 'qbank-heading');
    v.hidden = true;
    var back = el('p', 'crumbs');
    var a = keyed('a', 'qbank.back');
    a.href = '#home-heading';
    back.appendChild(a);
    v.appendChild(back);
    var h1 = heading('h1', 'qbank-heading', 'qbank.heading');
    h1.tabIndex = -1;
    v.appendChild(h1);
    v.appendChild(keyed('p', 'qbank.intro', 'muted'));

    /* import */
    v.appendChild(heading('h2', 'qbank-import-h', 'qbank.import.heading'));
    v.appendChild(keyed('p', 'qbank.import.intro', 'hint')).id = 'qbank-import-intro';
    var f = el('form', 'sync-filter');
    f.id = 'qbank-import';
    f.noValidate = true;
    f.setAttribute('aria-labelledby', 'qbank-import-h');
    f.setAttribute('aria-describedby', 'qbank-import-intro');
    var file = input('file');
    file.accept = '.gift,.txt,.xml,text/plain,application/xml,text/xml';
    f.appendChild(field('qbank-file', 'qbank.import.file', file));
    f.appendChild(field('qbank-format', 'qbank.import.format', select(['gift', 'moodlexml'], 'qbank.format.')));
    var cat = input('text');
    cat.maxLength = 1024;
    f.appendChild(field('qbank-category', 'qbank.import.category', cat, 'qbank.import.category.hint'));
    var err = el('div', 'error');
    err.id = 'qbank-import-err';
    err.setAttribute('aria-live', 'assertive');
    f.appendChild(err);
    f.appendChild(button('qbank-check', 'qbank.import.check', 'btn-primary btn-auto', 'submit'));
    f.appendChild(document.createTextNode(' '));
    f.appendChild(button('qbank-do-import', 'qbank.import.submit', 'btn-go btn-auto'));
    f.addEventListener('submit', function (ev) { ev.preventDefault(); send(true); });
    v.appendChild(f);
    var rep = el('div', 'result');
    rep.id = 'qbank-report';
    rep.tabIndex = -1;
    rep.setAttribute('aria-live', 'polite');
    v.appendChild(rep);

    /* export */
    v.appendChild(heading('h2', 'qbank-export-h', 'qbank.export.heading'));
    var ex = el('p');
    ex.id = 'qbank-export-hint';
    v.appendChild(ex);
    var links = el('p', 'card-actions');
    ['gift', 'moodlexml'].forEach(function (fmt) {
      var l = keyed('a', 'qbank.export.' + fmt, 'btn btn-secondary');
      l.id = 'qbank-export-' + fmt;
      l.setAttribute('download', '');
      l.setAttribute('aria-describedby', 'qbank-export-hint');
      links.appendChild(l);
      links.appendChild(document.createTextNode(' '));
    });
    v.appendChild(links);

    /* categories */
    v.appendChild(heading('h2', 'qbank-cats-h', 'qbank.cats.heading'));
    var nav = el('nav');
    nav.id = 'qbank-cats';
    nav.setAttribute('aria-labelledby', 'qbank-cats-h');
    v.appendChild(nav);

    /* the list */
    v.appendChild(heading('h2', 'qbank-list-h', 'qbank.list.heading'));
    var lf = el('form', 'sync-filter');
    lf.id = 'qbank-filter';
    lf.noValidate = true;
    var fs = el('fieldset');
    fs.appendChild(keyed('legend', 'qbank.filter.legend'));
    var q = input('text');
    q.maxLength = 200;
    fs.appendChild(field('qbank-q', 'qbank.filter.q', q));
    fs.appendChild(field('qbank-type', 'qbank.filter.type', select(TYPES, 'qbank.type.', 'qbank.filter.any')));
    fs.appendChild(field('qbank-diff', 'qbank.filter.diff', select(DIFFS, 'qbank.diff.', 'qbank.filter.any')));
    var tag = input('text');
    tag.maxLength = 100;
    fs.appendChild(field('qbank-tag', 'qbank.filter.tag', tag));
    lf.appendChild(fs);
    lf.appendChild(button('qbank-filter-go', 'qbank.filter.submit', 'btn-primary btn-auto', 'submit'));
    lf.addEventListener('submit', function (ev) {
      ev.preventDefault();
      S.filter = { q: $('qbank-q').value.trim(), type: $('qbank-type').value, difficulty: $('qbank-diff').value,
        tag: $('qbank-tag').value.trim() };
      S.offset = 0;
      loadList();
    });
    v.appendChild(lf);
    var st = el('p', 'muted');
    st.id = 'qbank-status';
    st.setAttribute('role', 'status');
    v.appendChild(st);
    var le = el('div', 'error');
    le.id = 'qbank-list-err';
    le.setAttribute('aria-live', 'assertive');
    v.appendChild(le);
    v.appendChild(el('div')).id = 'qbank-list';
    var pg = el('p', 'card-actions');
    var prev = button('qbank-prev', 'qbank.page.prev', 'btn-secondary');
    var next = button('qbank-next', 'qbank.page.next', 'btn-secondary');
    prev.addEventListener('click', function () { S.offset = Math.max(0, S.offset - PAGE); loadList(); });
    next.addEventListener('click', function () { S.offset += PAGE; loadList(); });
    pg.appendChild(prev);
    pg.appendChild(document.createTextNode(' '));
    pg.appendChild(next);
    v.appendChild(pg);
    $('main').appendChild(v);

    file.addEventListener('change', function () {
      var fl = file.files && file.files[0];
      if (fl) { $('qbank-format').value = /\.xml$/i.test(fl.name) ? 'moodlexml' : 'gift'; }
      changed();
    });
    $('qbank-format').addEventListener('change', changed);
    cat.addEventListener('input', changed);
    $('qbank-do-import').addEventListener('click', function () { send(false); });

    buildQuestion();
  }

  function buildQuestion() {
    var v = el('section');
    v.id = 'qbank-q-view';
    v.setAttribute('data-view', 'qbank-question');
    v.setAttribute('aria-labelledby', 'qbank-q-heading');
    v.hidden = true;
    var back = el('p', 'crumbs');
    var a = keyed('a', 'qbank.q.back');
    a.href = '#/questions';
    back.appendChild(a);
    v.appendChild(back);
    var h1 = el('h1');
    h1.id = 'qbank-q-heading';
    h1.tabIndex = -1;
    v.appendChild(h1);
    var st = el('p', 'muted');
    st.id = 'qbank-q-status';
    st.setAttribute('role', 'status');
    v.appendChild(st);
    v.appendChild(el('div')).id = 'qbank-q-body';

    v.appendChild(heading('h2', 'qbank-edit-h', 'qbank.edit.heading'));
    var p = el('p', 'hint');
    p.id = 'qbank-edit-intro';
    v.appendChild(p);
    var f = el('form', 'sync-filter');
    f.id = 'qbank-edit';
    f.noValidate = true;
    f.setAttribute('aria-labelledby', 'qbank-edit-h');
    f.setAttribute('aria-describedby', 'qbank-edit-intro');
    var name = input('text');
    name.maxLength = 1000;
    f.appendChild(field('qbank-edit-name', 'qbank.edit.name', name));
    var text = document.createElement('textarea');
    text.rows = 5;
    text.cols = 30;
    f.appendChild(field('qbank-edit-text', 'qbank.edit.text', text));
    f.appendChild(field('qbank-edit-diff', 'qbank.filter.diff', select(DIFFS, 'qbank.diff.')));
    var tags = input('text');
    f.appendChild(field('qbank-edit-tags', 'qbank.edit.tags', tags));
    var m = el('p', 'status');
    m.id = 'qbank-edit-msg';
    m.tabIndex = -1;
    m.setAttribute('role', 'status');
    f.appendChild(m);
    f.appendChild(button('qbank-edit-save', 'qbank.edit.submit', 'btn-primary btn-auto', 'submit'));
    f.addEventListener('submit', onEdit);
    v.appendChild(f);

    v.appendChild(heading('h2', 'qbank-hist-h', 'qbank.history.heading'));
    v.appendChild(el('div')).id = 'qbank-history';
    $('main').appendChild(v);
  }

  /* ---- import ---- */

  function importKey() {
    var fl = $('qbank-file').files && $('qbank-file').files[0];
    return fl ? [fl.name, fl.size, fl.lastModified, $('qbank-format').value, $('qbank-category').value.trim()].join('\n') : null;
  }

  function changed() {
    S.imp.checked = null;
    S.imp.msg = null;
    renderImport();
  }

  function importFailure(r) {
    if (r.status === 413 || r.code === 'body_too_large') { return { key: 'qbank.err.too_big', field: 'file' }; }
    if (r.status === 415) { return { key: 'qbank.err.type', field: 'file' }; }
    if (r.code === 'invalid_field' && r.data && r.data.field === 'category') { return { key: 'qbank.err.category', field: 'category' }; }
    if (r.code === 'forbidden') { return { key: 'qbank.err.forbidden' }; }
    if (r.code === 'csrf_failed') { return { key: 'qbank.err.csrf' }; }
    return P.messageFor(r);
  }

  function send(dry) {
    if (S.imp.busy) { return; }
    var fl = $('qbank-file').files && $('qbank-file').files[0];
    var fmt = $('qbank-format').value, cat = $('qbank-category').value.trim();
    var err = null;
    if (!fl) { err = { key: 'qbank.err.nofile', field: 'file' }; }
    else if (fl.size > MAX_FILE) { err = { key: 'qbank.err.too_big', field: 'file' }; }
    else if (!dry && S.imp.checked !== importKey()) { err = { key: 'qbank.err.check_first' }; }
    S.imp.msg = err;
    if (err) {
      renderImport();
      $(err.field === 'file' ? 'qbank-file' : 'qbank-check').focus();
      return;
    }
    var key = importKey(), me = P.me();
    S.imp.busy = dry ? 'check' : 'import';
    S.imp.report = null;
    renderImport();
    var q = '?format=' + fmt + '&name=' + encodeURIComponent(fl.name.slice(0, 255)) +
      (cat ? '&category=' + encodeURIComponent(cat) : '') + (dry ? '&dry_run=1' : '');
    P.api('POST', '/api/questions/import' + q, fl, fmt === 'gift' ? 'text/plain' : 'application/xml').then(function (r) {
      if (P.me() !== me) { return; }
      S.imp.busy = false;
      if (P.lostSession(r)) { return; }
      var rep = r.ok ? r.data : (r.code === 'questions_rejected' && r.data ? r.data.report : null);
      if (rep && typeof rep.outcome === 'string') {
        S.imp.report = rep;
        S.imp.checked = dry && rep.outcome === 'dry_run' && importKey() === key ? key : null;
        if (!dry && rep.outcome === 'applied') {
          $('qbank-file').value = '';
          S.imp.checked = null;
          loadCats();
          loadList();
        }
      } else {
        S.imp.msg = importFailure(r);
      }
      renderImport();
      $(S.imp.report ? 'qbank-report' : 'qbank-check').focus();
    });
  }

  function problemItem(p) {
    var li = el('li', 'sev-' + (p.severity === 'error' ? 'error' : 'warning'));
    li.appendChild(el('strong', null, t(p.severity === 'error' ? 'sev.error' : 'sev.warning')));
    var where = [];
    if (p.index) { where.push(t('qbank.report.q', { i: p.index })); } else { where.push(t('qbank.report.file')); }
    if (p.line) { where.push(t('qbank.report.line', { n: p.line })); }
    var w = ' · ' + where.join(', ') + (p.name ? ' (' + p.name + ')' : '') + ': ';
    li.appendChild(document.createTextNode(w));
    var m = el('span', null, P.lang() === 'vi' ? p.message_vi : p.message);
    if (P.lang() !== 'vi') { m.lang = 'en'; }
    li.appendChild(m);
    li.appendChild(document.createTextNode(' ('));
    li.appendChild(el('code', null, p.code));
    li.appendChild(document.createTextNode(')'));
    return li;
  }

  function renderImport() {
    if (!$('qbank-import')) { return; }
    var m = S.imp.msg, busy = !!S.imp.busy;
    $('qbank-import-err').textContent = P.msgText(m);
    $('qbank-file').setAttribute('aria-invalid', m && m.field === 'file' ? 'true' : 'false');
    $('qbank-category').setAttribute('aria-invalid', m && m.field === 'category' ? 'true' : 'false');
    $('qbank-file').setAttribute('aria-describedby', 'qbank-import-err');
    $('qbank-category').setAttribute('aria-describedby', 'qbank-category-hint qbank-import-err');
    $('qbank-import').setAttribute('aria-busy', busy ? 'true' : 'false');
    $('qbank-check').disabled = busy;
    $('qbank-do-import').disabled = busy || !S.imp.checked || S.imp.checked !== importKey();
    var box = $('qbank-report');
    box.textContent = '';
    box.className = 'result';
    if (busy) {
      box.appendChild(el('p', 'status', t(S.imp.busy === 'check' ? 'qbank.import.busy.check' : 'qbank.import.busy.import')));
      return;
    }
    var r = S.imp.report;
    if (!r) { return; }
    var bad = r.outcome === 'rejected';
    box.className = 'result ' + (bad ? 'result-bad' : 'result-ok');
    var head = { dry_run: 'qbank.report.dry', applied: 'qbank.report.applied', already_imported: 'qbank.report.already',
      rejected: 'qbank.report.rejected' }[r.outcome] || 'qbank.report.rejected';
    box.appendChild(el('h3', null, t(head, { n: n(bad ? r.errors : r.questions), id: r.outcome === 'already_imported' ? r.previous_import_id : r.import_id,
      c: n(r.categories_created) })));
    if (!bad && r.by_type && r.outcome !== 'already_imported') {
      var parts = TYPES.filter(function (x) { return r.by_type[x]; }).map(function (x) { return typeLabel(x) + ': ' + n(r.by_type[x]); });
      if (parts.length) { box.appendChild(el('p', null, t('qbank.report.by_type', { list: parts.join('; ') }))); }
    }
    if (r.outcome === 'dry_run') { box.appendChild(el('p', null, t('qbank.report.dry.next'))); }
    if (r.warnings && !bad) { box.appendChild(el('p', null, t('qbank.report.warnings', { n: n(r.warnings) }))); }
    var probs = Array.isArray(r.problems) ? r.problems : [];
    if (probs.length) {
      var ul = el('ul', 'problems');
      probs.forEach(function (p) { if (p && typeof p === 'object') { ul.appendChild(problemItem(p)); } });
      box.appendChild(ul);
    }
    if (r.dropped) { box.appendChild(el('p', 'muted', t('qbank.report.dropped', { n: n(r.dropped) }))); }
  }

  /* ---- categories and the list ---- */

  function loadCats() {
    var me = P.me();
    return P.api('GET', '/api/categories').then(function (r) {
      if (P.me() !== me || P.lostSession(r)) { return; }
      if (r.ok && r.data && Array.isArray(r.data.categories)) { S.cats = r.data.categories; S.catsMsg = null; }
      else { S.cats = []; S.catsMsg = P.messageFor(r); }
      renderCats();
    });
  }

  function catButton(label, path, count) {
    var b = el('button', 'btn btn-small', label);
    b.type = 'button';
    if (typeof count === 'number') { b.appendChild(el('span', 'note', ' (' + n(count) + ')')); }
    b.setAttribute('aria-pressed', S.cat === path ? 'true' : 'false');
    b.addEventListener('click', function () {
      S.cat = path;
      S.offset = 0;
      renderCats();
      loadList();
    });
    return b;
  }

  function renderCats() {
    var nav = $('qbank-cats');
    if (!nav) { return; }
    nav.textContent = '';
    if (S.catsMsg) { nav.appendChild(el('p', 'error', P.msgText(S.catsMsg))); return; }
    if (S.cats === null) { nav.appendChild(el('p', 'muted', t('qbank.list.loading'))); return; }
    var byParent = {};
    S.cats.forEach(function (c) { var k = c.parent_id || 0; (byParent[k] = byParent[k] || []).push(c); });
    function list(parent) {
      var ul = el('ul', 'problems');
      (byParent[parent] || []).slice().sort(function (x, y) { return x.name.localeCompare(y.name, 'vi'); }).forEach(function (c) {
        var li = el('li');
        li.appendChild(catButton(c.name, c.path, c.questions));
        if (byParent[c.id]) { li.appendChild(list(c.id)); }
        ul.appendChild(li);
      });
      return ul;
    }
    var top = el('ul', 'problems');
    var all = el('li');
    all.appendChild(catButton(t('qbank.cats.all'), ''));
    top.appendChild(all);
    nav.appendChild(top);
    if (!S.cats.length) { nav.appendChild(el('p', 'muted', t('qbank.cats.empty'))); }
    else { nav.appendChild(list(0)); }
  }

  function loadList() {
    var me = P.me(), seq = ++S.seq, f = S.filter;
    var q = ['limit=' + PAGE, 'offset=' + S.offset];
    if (S.cat) { q.push('category=' + encodeURIComponent(S.cat)); }
    if (f.q) { q.push('q=' + encodeURIComponent(f.q)); }
    if (f.type) { q.push('type=' + f.type); }
    if (f.difficulty) { q.push('difficulty=' + f.difficulty); }
    if (f.tag) { q.push('tag=' + encodeURIComponent(f.tag)); }
    S.busy = true;
    renderList();
    return P.api('GET', '/api/questions?' + q.join('&')).then(function (r) {
      if (P.me() !== me || seq !== S.seq || P.lostSession(r)) { return; }
      S.busy = false;
      if (r.ok && r.data && Array.isArray(r.data.questions)) { S.list = r.data; S.listMsg = null; }
      else { S.list = null; S.listMsg = P.messageFor(r); }
      renderList();
    });
  }

  function questionRow(x) {
    var tr = document.createElement('tr');
    var th = cell('th', '', 'row');
    th.textContent = '';
    th.className = 'wrap-text';
    var a = el('a', null, x.name);
    a.href = '#/questions/' + x.id;
    th.appendChild(a);
    tr.appendChild(th);
    tr.appendChild(cell('td', typeLabel(x.type)));
    tr.appendChild(cell('td', diffLabel(x.difficulty)));
    var c = cell('td', x.category);
    c.className = 'wrap-text';
    tr.appendChild(c);
    tr.appendChild(cell('td', x.tags));
    var v = cell('td', n(x.version));
    v.className = 'num';
    tr.appendChild(v);
    tr.appendChild(cell('td', P.fmtStamp(x.updated_at)));
    return tr;
  }

  function renderList() {
    if (!$('qbank-list')) { return; }
    var d = S.list, box = $('qbank-list');
    box.textContent = '';
    $('qbank-list-err').textContent = P.msgText(S.listMsg);
    $('qbank-filter').setAttribute('aria-busy', S.busy ? 'true' : 'false');
    var st = '';
    if (S.busy) { st = t('qbank.list.loading'); }
    else if (d && !d.questions.length) { st = t('qbank.list.empty'); }
    else if (d) {
      st = t('qbank.list.count', { from: n(d.offset + 1), to: n(d.offset + d.questions.length), total: n(d.total) }) +
        (S.cat ? ' ' + t('qbank.list.in', { cat: S.cat }) : '');
    }
    $('qbank-status').textContent = st;
    if (d && d.questions.length) {
      box.appendChild(table('qbank-list-h', ['name', 'type', 'diff', 'category', 'tags', 'version', 'updated'],
        d.questions.map(questionRow)));
    }
    $('qbank-prev').hidden = !d || d.offset === 0;
    $('qbank-next').hidden = !d || d.offset + d.questions.length >= d.total;
    ['gift', 'moodlexml'].forEach(function (fmt) {
      $('qbank-export-' + fmt).href = '/api/questions/export?format=' + fmt + (S.cat ? '&category=' + encodeURIComponent(S.cat) : '');
    });
    $('qbank-export-hint').textContent = t('qbank.export.hint', { cat: S.cat || t('qbank.cats.all') });
  }

  /* ---- one question ---- */

  function loadQuestion(id) {
    var me = P.me();
    S.q = null;
    S.qMsg = null;
    renderQuestion();
    return P.api('GET', '/api/question?id=' + id).then(function (r) {
      if (P.me() !== me || S.qid !== id || P.lostSession(r)) { return; }
      if (r.ok && r.data && r.data.question && Array.isArray(r.data.versions)) { S.q = r.data; }
      else { S.qMsg = r.status === 404 ? { key: 'qbank.q.notfound' } : P.messageFor(r); }
      renderQuestion();
      fillEdit();
    });
  }

  function pct(f) { return P.fmtNum(f * 100, Math.round(f * 100) === f * 100 ? 0 : 2) + ' %'; }

  /* The answers of a version's body, as a list a trainer can read. */
  function answers(b, vid) {
    var ul = el('ul', 'problems');
    var add = function (s) { ul.appendChild(el('li', null, s)); };
    if (b.type === 'single' || b.type === 'multi') {
      (b.options || []).forEach(function (o) {
        var li = el('li', null, pct(o.fraction) + ' — ');
        li.appendChild(rich(o.text, vid, true));
        if (o.feedback && o.feedback.text) { li.appendChild(document.createTextNode(' (' + plain(o.feedback.text) + ')')); }
        ul.appendChild(li);
      });
    } else if (b.type === 'short') {
      (b.options || []).forEach(function (o) { add(pct(o.fraction) + ' — ' + o.text.text); });
    } else if (b.type === 'truefalse') {
      add(t('qbank.q.tf', { v: t(b.tf_answer ? 'qbank.q.true' : 'qbank.q.false') }));
    } else if (b.type === 'numerical') {
      (b.numerics || []).forEach(function (x) {
        add(pct(x.fraction) + ' — ' + (x.any ? t('qbank.q.any') : t('qbank.q.tolerance', { v: x.value, t: x.tolerance })));
      });
    } else if (b.type === 'matching') {
      (b.pairs || []).forEach(function (x) { add((plain(x.stem.text) || '—') + ' → ' + x.answer); });
    } else if (b.type === 'ordering') {
      var ol = el('ol', 'problems');
      (b.items || []).forEach(function (x) { ol.appendChild(el('li', null, plain(x.text))); });
      return ol;
    } else if (b.type === 'essay') {
      add(t('qbank.q.essay'));
    }
    return ul;
  }

  function fact(dl, key, value) {
    dl.appendChild(keyed('dt', key));
    dl.appendChild(el('dd', null, value === '' || value === null || value === undefined ? '—' : value));
  }

  function renderQuestion() {
    if (!$('qbank-q-view')) { return; }
    var d = S.q, box = $('qbank-q-body');
    box.textContent = '';
    $('qbank-q-heading').textContent = d ? d.question.name : t('qbank.heading');
    $('qbank-q-status').textContent = S.qMsg ? P.msgText(S.qMsg) : (d ? '' : t('qbank.q.loading'));
    $('qbank-q-status').className = S.qMsg ? 'error' : 'muted';
    $('qbank-edit').hidden = !d;
    $('qbank-edit-h').hidden = !d;
    $('qbank-hist-h').hidden = !d;
    var hist = $('qbank-history');
    hist.textContent = '';
    if (!d) { $('qbank-edit-intro').textContent = ''; return; }
    var q = d.question, cur = d.versions[0] || {}, b = cur.body || {};
    var dl = el('dl', 'facts');
    fact(dl, 'qbank.col.type', typeLabel(q.type));
    fact(dl, 'qbank.col.category', q.category);
    fact(dl, 'qbank.filter.diff', diffLabel(q.difficulty));
    fact(dl, 'qbank.col.tags', (b.tags || []).join(', '));
    fact(dl, 'qbank.q.version', n(q.version));
    fact(dl, 'qbank.q.points', P.fmtNum(b.default_mark || 0, 2));
    fact(dl, 'qbank.q.created', q.created_by + ', ' + P.fmtStamp(q.created_at));
    box.appendChild(dl);
    var h = el('h2', null, t('qbank.q.content', { n: n(q.version) }));
    h.id = 'qbank-content-h';
    box.appendChild(h);
    box.appendChild(rich(b.text || '', cur.id));
    var files = [];
    [b.text].concat(b.options ? b.options.map(function (o) { return o.text; }) : []).forEach(function (x) {
      (x && x.files || []).forEach(function (f) { files.push(f.name); });
    });
    if (files.length) { box.appendChild(el('p', 'muted', t('qbank.q.files', { list: files.join(', ') }))); }
    var ah = keyed('h3', 'qbank.q.answers');
    box.appendChild(ah);
    box.appendChild(answers(b, cur.id));
    $('qbank-edit-intro').textContent = t('qbank.edit.intro', { n: n(q.version + 1) });
    hist.appendChild(table('qbank-hist-h', ['version', 'at', 'by', 'diff', 'sha'], d.versions.map(function (v) {
      var tr = document.createElement('tr');
      tr.appendChild(cell('th', n(v.version), 'row'));
      tr.appendChild(cell('td', P.fmtStamp(v.created_at)));
      tr.appendChild(cell('td', v.created_by));
      tr.appendChild(cell('td', diffLabel(v.difficulty)));
      var c = el('td');
      c.appendChild(el('code', null, String(v.sha256 || '').slice(0, 16)));
      tr.appendChild(c);
      return tr;
    })));
    renderEdit();
  }

  function fillEdit() {
    var d = S.q;
    if (!d || !d.versions[0]) { return; }
    var b = d.versions[0].body;
    $('qbank-edit-name').value = b.name || '';
    $('qbank-edit-text').value = b.text ? b.text.text : '';
    $('qbank-edit-diff').value = b.difficulty || 'none';
    $('qbank-edit-tags').value = (b.tags || []).join(', ');
  }

  function renderEdit() {
    var m = S.edit.msg;
    $('qbank-edit-save').disabled = S.edit.busy;
    $('qbank-edit').setAttribute('aria-busy', S.edit.busy ? 'true' : 'false');
    $('qbank-edit-msg').textContent = m ? (m.key ? P.msgText(m) : '') : '';
    $('qbank-edit-msg').className = m && m.bad ? 'error' : 'status';
    ['name', 'text'].forEach(function (k) {
      $('qbank-edit-' + k).setAttribute('aria-invalid', m && m.field === k ? 'true' : 'false');
      $('qbank-edit-' + k).setAttribute('aria-describedby', 'qbank-edit-msg');
    });
  }

  function onEdit(ev) {
    ev.preventDefault();
    var d = S.q;
    if (!d || S.edit.busy) { return; }
    var body = JSON.parse(JSON.stringify(d.versions[0].body));
    body.name = $('qbank-edit-name').value.trim();
    body.text.text = $('qbank-edit-text').value.trim();
    body.difficulty = $('qbank-edit-diff').value;
    body.tags = $('qbank-edit-tags').value.split(',').map(function (s) { return s.trim(); })
      .filter(function (s, i, all) { return s && all.indexOf(s) === i; });
    if (!body.name || !body.text.text) {
      S.edit.msg = { key: 'qbank.edit.err.empty', bad: true, field: body.name ? 'text' : 'name' };
      renderEdit();
      $('qbank-edit-' + S.edit.msg.field).focus();
      return;
    }
    var me = P.me(), id = S.qid;
    S.edit.busy = true;
    S.edit.msg = null;
    renderEdit();
    P.api('POST', '/api/question/edit?id=' + id + '&version=' + d.question.version, body).then(function (r) {
      if (P.me() !== me || S.qid !== id) { return; }
      S.edit.busy = false;
      if (P.lostSession(r)) { return; }
      if (r.ok && r.data) {
        S.edit.msg = r.data.unchanged ? { key: 'qbank.edit.unchanged' } : { key: 'qbank.edit.saved', params: { n: n(r.data.version) } };
        if (!r.data.unchanged) { loadQuestion(id); }
      } else if (r.code === 'version_conflict') {
        S.edit.msg = { key: 'qbank.edit.err.conflict', bad: true };
      } else if (r.status === 422 && r.data && typeof r.data.code === 'string') {
        S.edit.msg = { key: 'qbank.edit.err.rule', params: { code: r.data.code, field: r.data.field || '—' }, bad: true };
      } else {
        S.edit.msg = P.messageFor(r);
        S.edit.msg.bad = true;
      }
      renderEdit();
      $('qbank-edit-msg').focus();
    });
  }

  /* ---- routing ---- */

  function parseHash() {
    var m = /^#\/questions(?:\/(\d{1,15}))?$/.exec(location.hash);
    return m ? { id: m[1] ? Number(m[1]) : 0 } : null;
  }

  function render() {
    if (S.active === 'qbank') { renderImport(); renderCats(); renderList(); }
    if (S.active === 'qbank-question') { renderQuestion(); }
  }

  function route() {
    if (!P.me()) { return; }
    var r = parseHash();
    if (!r || !allowed()) {
      if (S.active) {
        S.active = null;
        /* another script's view (#/sync, the learner's) shows itself; anything else is home */
        if (!/^#\/(sync|catalogue|course|learn|surveys?)(\/|$)/.test(location.hash)) {
          P.goHome(/^#section-[\w-]+$/.test(location.hash) ? location.hash.slice(1) : null);
        }
      }
      return;
    }
    build();
    if (r.id) {
      S.active = 'qbank-question';
      S.qid = r.id;
      S.edit = { busy: false, msg: null };
      P.show('qbank-question');
      loadQuestion(r.id);
      $('qbank-q-heading').focus();
      return;
    }
    var first = S.active !== 'qbank';
    S.active = 'qbank';
    P.show('qbank');
    render();
    if (first) {
      if (!S.cats) { loadCats(); }
      loadList();
    }
    $('qbank-heading').focus();
  }

  P.hook({
    enter: function () { if (parseHash()) { route(); } },
    leave: function () {
      S.active = null;
      S.cats = S.list = S.q = null;
      S.cat = '';
      S.offset = 0;
      S.filter = { q: '', type: '', difficulty: '', tag: '' };
      S.imp = { busy: false, msg: null, report: null, checked: null };
      if ($('qbank-import')) { $('qbank-import').reset(); $('qbank-filter').reset(); }
    },
    lang: render
  });
  /* after the other scripts' handlers: one of them may send its view home first */
  window.addEventListener('hashchange', function () { setTimeout(route, 0); });
}());
