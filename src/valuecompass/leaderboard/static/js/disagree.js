/* Value Compass: where two models disagree (disagree.html?a=KEY&b=KEY).
 *
 * The served app renders the pair itself (#disagree-results[data-source=server]); then this script
 * does nothing. In the static export the page cannot read its query string on a server, so this
 * script loads the two models' verdicts from data/cases/<key>.js (a <script src>, which works from
 * file:// where fetch() does not), joins them by the rule of leaderboard/_disagree.py and renders
 * the same markup as templates/disagree.html. Model text is only ever set as text.
 */
(function () {
  'use strict';
  var VC = window.VC, D = VC.data();
  var results = document.getElementById('disagree-results');
  if (!results || results.getAttribute('data-source') === 'server') return;
  var byKey = {}, rank = {}, dims = {}, n = 0;
  D.models.forEach(function (m) { byKey[m.key] = m; });
  D.systems.forEach(function (s) {
    s.dims.forEach(function (d) { rank[d.id] = n++; dims[d.id] = {name: d.name, system: s.short}; });
  });

  function say(text) { VC.clear(results).appendChild(VC.el('p', {cls: 'muted', text: text, attrs: {id: 'disagree-summary'}})); }

  /** Add data/cases/<key>.js for every key not loaded yet; `done(failedKey)` once all have loaded. */
  function load(keys, done) {
    var registry = window.VC_CASES || {}, left = 0, failed = null;
    keys.forEach(function (key) {
      if (registry[key]) return;
      left++;
      var s = document.createElement('script');
      s.src = D.cases + encodeURIComponent(key) + '.js';
      s.onload = s.onerror = function (ev) {
        if (ev.type === 'error' || !(window.VC_CASES || {})[key]) failed = failed || key;
        if (--left === 0) done(failed);
      };
      document.head.appendChild(s);
    });
    if (!left) done(null);
  }

  function indexed(rows) {
    var map = {}, keys = [];
    rows.forEach(function (r) { var k = r[0] + '\u0000' + r[1]; map[k] = r; keys.push(k); });
    return {map: map, keys: keys};
  }
  function rankOf(d) { return rank[d] === undefined ? n : rank[d]; }
  function score(m, d) { return m.scores[d] === undefined ? null : m.scores[d]; }

  /** The same result as _disagree.disagreements (see its docstring for the rule and the order). */
  function compare(a, b, rowsA, rowsB) {
    var A = indexed(rowsA), B = indexed(rowsB), shared = {}, diff = {}, seen = [], nShared = 0;
    A.keys.forEach(function (k) {
      var ra = A.map[k], rb = B.map[k];
      if (!rb) return;
      shared[ra[1]] = (shared[ra[1]] || 0) + 1;
      nShared++;
      if (ra[2] !== rb[2]) {
        if (!diff[ra[1]]) { diff[ra[1]] = []; seen.push(ra[1]); }
        diff[ra[1]].push([ra, rb]);
      }
    });
    var groups = seen.map(function (d) {
      var x = score(a, d), y = score(b, d);
      return {dim: d, a: x, b: y, gap: x === null || y === null ? null : Math.abs(x - y), shared: shared[d], items: diff[d]};
    });
    groups.sort(function (p, q) {
      return ((p.gap === null) - (q.gap === null)) || ((q.gap || 0) - (p.gap || 0)) || (q.items.length - p.items.length) ||
        (rankOf(p.dim) - rankOf(q.dim)) || (p.dim < q.dim ? -1 : p.dim > q.dim ? 1 : 0);
    });
    var agreeing = Object.keys(shared).filter(function (d) { return !diff[d]; });
    return {shared: nShared, onlyA: A.keys.length - nShared, onlyB: B.keys.filter(function (k) { return !A.map[k]; }).length,
      dims: groups, agreeing: agreeing, differing: groups.reduce(function (t, g) { return t + g.items.length; }, 0)};
  }

  function labelClass(label) {
    if (label === null || label === undefined) return 'none';
    return ['supports', 'unrelated', 'opposes'].indexOf(label) >= 0 ? label : 'other';
  }

  function side(name, model, row) {
    var cls = labelClass(row[2]);
    var part = VC.el('div', {cls: 'case-part disagree-side side-' + name, attrs: {'data-label': cls}},
      VC.el('h4', {}, VC.el('span', {cls: 'side-name', text: model.label}), ' ',
        VC.el('span', {cls: 'badge badge-' + cls, text: row[2] || 'not judged'})));
    if (row[4]) {
      var p = VC.renderEvidence(VC.el('p', {cls: 'text response'}), row[4], row[8]);
      if (row[5]) p.appendChild(VC.el('span', {cls: 'cut', title: 'the rest is in the run records download',
        text: '\u2026 [truncated: ' + row[5] + ' more characters]'}));
      part.appendChild(p);
    } else {
      part.appendChild(VC.el('p', {cls: 'muted', text: 'No response stored.'}));
    }
    if (row[6]) part.appendChild(VC.el('p', {cls: 'text rationale'},
      VC.el('span', {cls: 'field-label', text: D.paths[row[7]] || 'Judge'}), ' ' + row[6]));
    return part;
  }

  function render(a, b, r) {
    VC.clear(results);
    results.appendChild(VC.el('p', {cls: 'lede disagree-summary', attrs: {id: 'disagree-summary'}},
      VC.el('strong', {text: r.differing + ' of ' + r.shared + ' shared items differ'}), ' between ',
      VC.el('span', {cls: 'side-name side-a', text: a.label}), ' and ', VC.el('span', {cls: 'side-name side-b', text: b.label}), '.'));
    var k = r.agreeing.length;
    results.appendChild(VC.el('p', {cls: 'muted', attrs: {id: 'disagree-only'}, text: 'Items only one model has a verdict on: ' +
      r.onlyA + ' only ' + a.label + ', ' + r.onlyB + ' only ' + b.label + ' (not compared).' +
      (k ? ' No difference on ' + k + ' other shared dimension' + (k !== 1 ? 's' : '') + '.' : '')}));
    r.dims.forEach(function (g) {
      var dim = dims[g.dim] || {name: g.dim, system: ''};
      var section = VC.el('section', {cls: 'panel disagree-dim', attrs: {'data-dimension': g.dim}},
        VC.el('h2', {}, dim.name + ' ', VC.el('span', {cls: 'muted small', text: dim.system})),
        VC.el('p', {cls: 'disagree-gap', text: a.label + ' ' + VC.fmt(g.a, 0) + ' \u00b7 ' + b.label + ' ' + VC.fmt(g.b, 0) +
          ' \u00b7 gap ' + VC.fmt(g.gap, 0) + ' \u00b7 ' + g.items.length + ' of ' + g.shared + ' shared items differ'}));
      g.items.forEach(function (pair) {
        section.appendChild(VC.el('article', {cls: 'case disagree-case', attrs: {'data-item': pair[0][0]}},
          VC.el('header', {cls: 'case-head'}, VC.el('span', {cls: 'case-id'}, VC.el('code', {text: pair[0][0]}))),
          VC.el('div', {cls: 'case-part disagree-item'}, VC.el('h4', {text: 'Item'}), VC.el('p', {cls: 'text', text: pair[0][3]})),
          VC.el('div', {cls: 'disagree-pair'}, side('a', a, pair[0]), side('b', b, pair[1]))));
      });
      results.appendChild(section);
    });
    document.title = a.label + ' vs ' + b.label + ': disagreements \u00b7 Value Compass';
  }

  var P = VC.params(), a = byKey[P.get('a')], b = byKey[P.get('b')];
  if (a) document.getElementById('pick-a').value = a.key;
  if (b) document.getElementById('pick-b').value = b.key;
  if (!a || !b) { say(P.has('a') || P.has('b') ? 'Unknown model: pick two from the lists.' : 'Pick two models and press "Show disagreements".'); return; }
  if (a.key === b.key) { say('Pick two different models.'); return; }
  say('Loading the two models\u2019 verdicts\u2026');
  load([a.key, b.key], function (failed) {
    if (failed) { say('Could not load the verdicts of ' + byKey[failed].label + ' (data/cases/' + failed + '.js is missing).'); return; }
    render(a, b, compare(a, b, window.VC_CASES[a.key], window.VC_CASES[b.key]));
  });
})();
