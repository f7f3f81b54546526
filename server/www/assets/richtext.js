/* richtext.js — question texts, options and feedback from Moodle XML files are HTML; this
 * shows them as rich text without ever running anything in them (docs/assessment.md,
 * "Images and rich text"). Used by exam.js (the exam page and the review) and qbank.js (the
 * trainer's preview); loaded before them.
 *
 * How: the HTML is parsed with DOMParser into an inert document (no script runs, no image
 * loads, no handler fires there), then copied node by node into new elements of this page
 * through a whitelist: p, br, b, strong, i, em, u, sub, sup, ul, ol, li, span, table, thead,
 * tbody, tr, th, td, img, and text. Every attribute is dropped except img src and alt and
 * th/td colspan and rowspan (small whole numbers). script, style, iframe, object, svg, math,
 * template and similar are dropped with their content; any other element (a, div, font, h1)
 * is unwrapped: its content stays, the element goes (a block such as div or h2 becomes a
 * plain p) — so no link, no style, no on* handler ever reaches the page. An image is kept only when its src is @@PLUGINFILE@@/ref (the
 * question's own file) and the caller's fileUrl(ref) gives a path on our origin
 * ("/api/..."); its alt is kept ("" when it has none) and it scales to the width.
 * Plain-text and Markdown formats are shown as text, their line breaks kept.
 *
 * window.PL_RICH = { block(text, fileUrl) → a div; inline(text, fileUrl) → a span (for a
 * label: paragraphs become spans); text(text) → plain text (for a select's option) }.
 * text may be a string (HTML) or a {text, format} object as the API gives it.
 */
(function () {
  'use strict';

  var HTML_NS = 'http://www.w3.org/1999/xhtml';
  var PLUGIN = '@@PLUGINFILE@@/';
  var KEEP = { P: 1, BR: 1, B: 1, STRONG: 1, I: 1, EM: 1, U: 1, SUB: 1, SUP: 1, UL: 1, OL: 1, LI: 1,
    SPAN: 1, TABLE: 1, THEAD: 1, TBODY: 1, TR: 1, TH: 1, TD: 1, IMG: 1 };
  var DROP = { SCRIPT: 1, STYLE: 1, TEMPLATE: 1, NOSCRIPT: 1, IFRAME: 1, FRAME: 1, FRAMESET: 1,
    OBJECT: 1, EMBED: 1, APPLET: 1, TITLE: 1, HEAD: 1, META: 1, LINK: 1, BASE: 1, TEXTAREA: 1,
    SELECT: 1, OPTION: 1, BUTTON: 1, INPUT: 1, FORM: 1, AUDIO: 1, VIDEO: 1, SOURCE: 1, TRACK: 1,
    CANVAS: 1, MAP: 1, AREA: 1, PICTURE: 1, DIALOG: 1, XMP: 1, PLAINTEXT: 1, NOEMBED: 1, NOFRAMES: 1 };
  /* blocks that are not kept become paragraphs (no attributes), so their words do not run
   * into the next ones */
  var BLOCK = { DIV: 1, H1: 1, H2: 1, H3: 1, H4: 1, H5: 1, H6: 1, BLOCKQUOTE: 1, PRE: 1, SECTION: 1,
    ARTICLE: 1, HEADER: 1, FOOTER: 1, FIGURE: 1, FIGCAPTION: 1, ADDRESS: 1, DL: 1, DT: 1, DD: 1,
    CENTER: 1, HR: 1, MAIN: 1, ASIDE: 1, NAV: 1 };
  var MAX_DEPTH = 40;
  var MAX_NODES = 20000;

  function split(x) {
    if (x && typeof x === 'object') { return { html: String(x.text === undefined || x.text === null ? '' : x.text), format: x.format || 'html' }; }
    return { html: String(x === undefined || x === null ? '' : x), format: 'html' };
  }

  /* The path of an image on our origin, or null: only the question's own files. */
  function imageSrc(src, fileUrl) {
    if (typeof fileUrl !== 'function' || typeof src !== 'string') { return null; }
    src = src.trim();
    if (src.indexOf(PLUGIN) !== 0) { return null; }
    var ref = src.slice(PLUGIN.length).split(/[?#]/)[0];
    try { ref = decodeURIComponent(ref); } catch (e) { return null; }
    if (!ref || ref.length > 511) { return null; }
    var url = fileUrl(ref);
    /* a path of our own origin: "/api/...", never "//host" nor a scheme */
    return typeof url === 'string' && /^\/api\/[^/\\]/.test(url) ? url : null;
  }

  function copy(src, dst, ctx, depth) {
    for (var n = src.firstChild; n; n = n.nextSibling) {
      if (++ctx.nodes > MAX_NODES) { return; }
      if (n.nodeType === 3) { dst.appendChild(document.createTextNode(n.nodeValue)); continue; }
      if (n.nodeType !== 1 || n.namespaceURI !== HTML_NS) { continue; } /* comments, svg, math */
      var tag = String(n.localName || '').toUpperCase();
      if (DROP[tag]) { continue; }
      if (depth >= MAX_DEPTH) { dst.appendChild(document.createTextNode(n.textContent || '')); continue; }
      if (!KEEP[tag]) {
        if (BLOCK[tag] && !ctx.inline) {
          var p = document.createElement('p');
          copy(n, p, ctx, depth + 1);
          dst.appendChild(p);
        } else {
          copy(n, dst, ctx, depth + 1);
        }
        continue;
      }
      if (tag === 'IMG') {
        var url = imageSrc(n.getAttribute('src'), ctx.fileUrl);
        var alt = n.getAttribute('alt') || '';
        if (!url) { if (alt) { dst.appendChild(document.createTextNode(' ' + alt + ' ')); } continue; }
        var img = document.createElement('img');
        img.alt = alt;
        img.src = url;
        img.decoding = 'async';
        /* scales to the width of a 360 px phone (CSSOM: allowed by the page's CSP) */
        img.style.maxWidth = '100%';
        img.style.height = 'auto';
        img.style.verticalAlign = 'middle';
        dst.appendChild(img);
        continue;
      }
      var name = ctx.inline && tag === 'P' ? 'span' : tag.toLowerCase();
      var e = document.createElement(name);
      if (tag === 'TD' || tag === 'TH') {
        ['colspan', 'rowspan'].forEach(function (a) {
          var v = n.getAttribute(a);
          if (v && /^[1-9]\d?$/.test(v.trim())) { e.setAttribute(a, v.trim()); }
        });
      }
      if (tag === 'TABLE') { e.className = 'rich-table'; }
      copy(n, e, ctx, depth + 1);
      if (ctx.inline && tag === 'P' && n.nextElementSibling) { e.appendChild(document.createElement('br')); }
      dst.appendChild(e);
    }
  }

  /* style and on* attributes are cut from the tags before the inert parse: the copy drops
   * them anyway, but parsing them makes the page's CSP report each one it blocks (console
   * noise on every Moodle text with a style). What keeps the page safe is copy(), not this. */
  function quiet(html) {
    return html.replace(/<[A-Za-z][^>]*>/g, function (tag) {
      return tag.replace(/[\s/](?:on[A-Za-z-]*|style)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)/gi, ' ');
    });
  }

  function parse(html) { return new DOMParser().parseFromString(quiet(html), 'text/html'); }

  /* Plain text with its line breaks, into dst. */
  function lines(text, dst) {
    String(text).split(/\r\n|\r|\n/).forEach(function (l, i) {
      if (i) { dst.appendChild(document.createElement('br')); }
      dst.appendChild(document.createTextNode(l));
    });
  }

  function render(x, fileUrl, inline) {
    var s = split(x);
    var out = document.createElement(inline ? 'span' : 'div');
    out.className = 'rich';
    if (s.format === 'plain_text' || s.format === 'markdown') { lines(s.html, out); return out; }
    var doc = parse(s.html);
    copy(doc.body, out, { fileUrl: fileUrl, inline: inline, nodes: 0 }, 0);
    /* a wide table scrolls inside its own box, never the page */
    Array.prototype.forEach.call(out.querySelectorAll('table'), function (tb) {
      var wrap = document.createElement('div');
      wrap.style.overflowX = 'auto';
      wrap.style.maxWidth = '100%';
      tb.parentNode.insertBefore(wrap, tb);
      wrap.appendChild(tb);
    });
    return out;
  }

  function text(x) {
    var s = split(x);
    if (s.format === 'plain_text' || s.format === 'markdown') { return s.html.replace(/\s+/g, ' ').trim(); }
    var doc = parse(s.html);
    Array.prototype.forEach.call(doc.querySelectorAll('script, style, template, noscript'), function (e) { e.remove(); });
    return (doc.body ? doc.body.textContent || '' : '').replace(/\s+/g, ' ').trim();
  }

  window.PL_RICH = {
    block: function (x, fileUrl) { return render(x, fileUrl, false); },
    inline: function (x, fileUrl) { return render(x, fileUrl, true); },
    text: text
  };
}());
