/* Value Compass: helpers shared by every page.
 *
 * Safety rule for all scripts: text from the store (model names, items, responses,
 * rationales) is only ever inserted with textContent, never as HTML, and links are only
 * built from keys the server made safe (relative paths, no URL scheme).
 */
(function () {
  'use strict';
  var VC = window.VC = {};

  /** The page's embedded JSON (script#vc-data), parsed once. */
  var cached = null;
  VC.data = function () {
    if (cached === null) {
      var node = document.getElementById('vc-data');
      cached = node ? JSON.parse(node.textContent) : {};
    }
    return cached;
  };

  /** Build an element: VC.el('a', {cls: 'x', text: 'y', href: 'model/k.html', attrs: {...}}, children...). */
  VC.el = function (tag, opts) {
    var node = document.createElement(tag);
    opts = opts || {};
    if (opts.cls) node.className = opts.cls;
    if (opts.text !== undefined && opts.text !== null) node.textContent = String(opts.text);
    if (opts.title) node.title = String(opts.title);
    if (opts.href) node.setAttribute('href', VC.safeHref(opts.href));
    if (opts.attrs) {
      Object.keys(opts.attrs).forEach(function (k) {
        if (/^on/i.test(k) || k === 'href' || k === 'src' || k === 'style') throw new Error('unsafe attribute ' + k);
        node.setAttribute(k, String(opts.attrs[k]));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  };

  /** Only relative links without a scheme pass (blocks javascript:, data:, //host). */
  VC.safeHref = function (href) {
    href = String(href);
    if (/^\s*[a-z][a-z0-9+.-]*:/i.test(href) || /^\s*\/\//.test(href)) throw new Error('unsafe link ' + href);
    return href;
  };

  /** Remove every child of a node. */
  VC.clear = function (node) { while (node.firstChild) node.removeChild(node.firstChild); return node; };

  /** Format a number with `digits` decimals ('–' for missing). */
  VC.fmt = function (x, digits) {
    if (x === null || x === undefined || !isFinite(x)) return '\u2013';
    return Number(x).toFixed(digits === undefined ? 1 : digits);
  };

  var SVG = 'http://www.w3.org/2000/svg';
  function rect(cls, x, y, w, h) {
    var r = document.createElementNS(SVG, 'rect');
    r.setAttribute('class', cls);
    [['x', x], ['y', y], ['width', w], ['height', h]].forEach(function (p) { r.setAttribute(p[0], p[1]); });
    return r;
  }
  function pct(v) { return Math.max(0, Math.min(100, v)).toFixed(2); }

  /** The interval bar (same markup as the server's `bar` macro). */
  VC.bar = function (value, low, high) {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'ibar');
    svg.setAttribute('viewBox', '0 0 100 10');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('aria-hidden', 'true');
    svg.appendChild(rect('ibar-track', 0, 4, 100, 2));
    var ci = rect('ibar-ci', pct(low), 2, pct(high - low), 6);
    ci.setAttribute('rx', '1');
    svg.appendChild(ci);
    svg.appendChild(rect('ibar-pt', pct(value - 0.8), 0, 1.6, 10));
    return svg;
  };

  /** A horizontal bar of `fraction` (0-1), for profile weights. */
  VC.fillBar = function (fraction) {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 100 10');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.appendChild(rect('', 0, 0, pct(100 * fraction), 10));
    return svg;
  };

  /** Score with interval: number, "low–high" and the bar. */
  VC.scoreNode = function (value, low, high) {
    return VC.el('span', {cls: 'score'},
      VC.el('span', {cls: 'score-num', text: VC.fmt(value, 1)}),
      VC.el('span', {cls: 'score-ci', text: VC.fmt(low, 0) + '\u2013' + VC.fmt(high, 0)}),
      VC.bar(value, low, high));
  };

  /** URL state: read the query string, write it back without reloading. */
  VC.params = function () { return new URLSearchParams(window.location.search); };
  VC.setParams = function (params) {
    var query = params.toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':');
    var url = window.location.pathname + (query ? '?' + query : '') + window.location.hash;
    try { window.history.replaceState(null, '', url); } catch (e) { /* some file:// setups refuse; the view still works */ }
  };

  /** Offer `text` as a file download (made in the browser, works offline and from disk). */
  VC.download = function (name, mime, text) {
    var blob = new Blob([text], {type: mime});
    var a = VC.el('a', {attrs: {download: name}});
    var url = URL.createObjectURL(blob);
    a.href = url;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  };

  /** A CSV field: quoted when needed; text starting with = + - @ is defused for spreadsheets. */
  VC.csvField = function (v) {
    if (v === null || v === undefined) return '';
    var s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  VC.csv = function (header, rows) {
    return [header].concat(rows).map(function (r) { return r.map(VC.csvField).join(','); }).join('\n') + '\n';
  };

  /** A short message at the bottom of the screen. */
  VC.toast = function (message) {
    var t = VC.el('div', {cls: 'toast', text: message, attrs: {role: 'status'}});
    document.body.appendChild(t);
    setTimeout(function () { t.remove(); }, 2200);
  };

  /** Copy the current address (the whole view state) to the clipboard. */
  VC.copyLink = function () {
    var url = window.location.href;
    var done = function () { VC.toast('Link copied: it reproduces this exact view'); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, function () { VC.toast(url); });
    } else {
      VC.toast(url);
    }
  };

  /** Colours for up to 8 series (colour-blind friendly order). */
  VC.palette = ['#0f766e', '#d97706', '#7c3aed', '#dc2626', '#2563eb', '#db2777', '#65a30d', '#475569'];
  VC.alpha = function (hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16 & 255) + ',' + (n >> 8 & 255) + ',' + (n & 255) + ',' + a + ')';
  };

  /** Wire tab links (a.tab[data-system]) to a callback instead of a reload. */
  VC.tabs = function (container, onSelect) {
    if (!container) return;
    container.addEventListener('click', function (ev) {
      var tab = ev.target.closest('a.tab');
      if (!tab || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
      ev.preventDefault();
      VC.selectTab(container, tab.getAttribute('data-system'));
      onSelect(tab.getAttribute('data-system'));
    });
  };
  VC.selectTab = function (container, id) {
    container.querySelectorAll('a.tab').forEach(function (t) {
      t.setAttribute('aria-selected', t.getAttribute('data-system') === id ? 'true' : 'false');
    });
  };
})();
