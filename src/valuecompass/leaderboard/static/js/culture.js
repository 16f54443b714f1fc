/* Value Compass: models x country profiles heatmap and the 2-D value space.
 * URL state: ?sys=<system>&method=<spearman|align|cosine>&sort=<model key>&q=<country search>&map=<pca|tsne>. */
(function () {
  'use strict';
  var VC = window.VC, D = VC.data();
  if (!D.systems || !D.systems.length) return;
  var $ = function (id) { return document.getElementById(id); };
  var HELP = {
    spearman: 'Rank correlation between the model\u2019s scores and the country\u2019s value priorities, from \u22121 (opposite order) to +1 (same order of importance).',
    align: 'The alignment score Align(m | w): the model\u2019s scores weighted by the country\u2019s profile, 0\u2013100.',
    cosine: 'Cosine between the model\u2019s score vector and the country\u2019s weights, 0 to 1 (a scale-free alignment).'
  };
  var P = VC.params(), ids = D.systems.map(function (s) { return s.id; });
  var state = {sys: ids.indexOf(P.get('sys')) >= 0 ? P.get('sys') : ids[0],
    method: ['spearman', 'align', 'cosine'].indexOf(P.get('method')) >= 0 ? P.get('method') : 'spearman',
    sort: P.get('sort') || '', q: (P.get('q') || '').slice(0, 100),
    map: P.get('map') === 'tsne' ? 'tsne' : 'pca'};
  var chart = null;

  function bucket(v, lo, hi, method) {
    if (v === null) return 0;
    if (method === 'spearman') {
      if (v < -0.33) return 1;
      if (v < 0) return 2;
      if (v < 0.15) return 3;
      return Math.min(9, 4 + Math.floor((v - 0.15) / 0.85 * 6));
    }
    if (!(hi > lo)) return 6;
    return Math.min(9, 3 + Math.floor((v - lo) / (hi - lo) * 7));
  }

  function legend(method, lo, hi) {
    var box = VC.clear($('heat-legend'));
    var stops = method === 'spearman' ? [[1, '\u22121'], [2, ''], [3, '0'], [4, ''], [6, ''], [9, '+1']] :
      [[3, VC.fmt(lo, method === 'align' ? 0 : 2)], [5, ''], [7, ''], [9, VC.fmt(hi, method === 'align' ? 0 : 2)]];
    box.appendChild(VC.el('span', {text: 'Colour:'}));
    stops.forEach(function (s) {
      box.appendChild(VC.el('span', {cls: 'sw heat-' + s[0]}));
      if (s[1]) box.appendChild(VC.el('span', {text: s[1]}));
    });
    box.appendChild(VC.el('span', {cls: 'sw heat-0'}));
    box.appendChild(VC.el('span', {text: 'undefined'}));
  }

  function drawHeatmap() {
    var hm = D.heatmaps[state.sys][state.method], table = $('heatmap');
    var head = VC.clear(table.querySelector('thead')), body = VC.clear(table.querySelector('tbody'));
    $('method-help').textContent = HELP[state.method];
    if (!hm) { body.appendChild(VC.el('tr', {}, VC.el('td', {text: 'No models scored on this system yet.'}))); return; }
    var all = [];
    hm.values.forEach(function (row) { row.forEach(function (v) { if (v !== null) all.push(v); }); });
    var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all);
    var tr = VC.el('tr', {}, VC.el('th', {text: 'Country \u2193 / model \u2192', attrs: {scope: 'col'}}));
    hm.models.forEach(function (key) {
      var th = VC.el('th', {title: (D.labels[key] || key) + ': sort countries by their similarity to this model', attrs: {scope: 'col', 'data-model': key}},
        VC.el('span', {cls: 'hm-name', text: D.labels[key] || key}));
      if (state.sort === key) th.setAttribute('aria-sort', 'descending');
      tr.appendChild(th);
    });
    head.appendChild(tr);
    var order = hm.profiles.map(function (p, j) { return j; });
    var col = hm.models.indexOf(state.sort);
    if (col >= 0) order.sort(function (a, b) { return (hm.values[col][b] === null ? -9 : hm.values[col][b]) - (hm.values[col][a] === null ? -9 : hm.values[col][a]); });
    var q = state.q.toLowerCase();
    order.forEach(function (j) {
      var name = hm.names[j];
      if (q && name.toLowerCase().indexOf(q) < 0) return;
      var row = VC.el('tr', {}, VC.el('th', {text: name.replace(/ \([^()]*\)$/, ''), title: name, attrs: {scope: 'row'}}));
      hm.models.forEach(function (key, i) {
        var v = hm.values[i][j];
        row.appendChild(VC.el('td', {cls: 'heat-' + bucket(v, lo, hi, state.method), text: v === null ? '\u2013' : VC.fmt(v, state.method === 'align' ? 1 : 2)}));
      });
      body.appendChild(row);
    });
    legend(state.method, lo, hi);
  }

  /* The map (PCA or t-SNE, ?map=tsne) and its lists: static/js/space.js. */
  function drawSpace() {
    if (chart) { chart.destroy(); chart = null; }
    chart = VC.space.draw({canvas: $('space'), space: D.spaces[state.sys], map: state.map,
      names: D.profiles[state.sys] || {}, labels: D.labels});
  }

  function update() {
    var Q = new URLSearchParams();
    Q.set('sys', state.sys);
    if (state.method !== 'spearman') Q.set('method', state.method);
    if (state.sort) Q.set('sort', state.sort);
    if (state.q) Q.set('q', state.q);
    if (state.map !== 'pca') Q.set('map', state.map);
    VC.setParams(Q);
    VC.selectTab($('culture-tabs'), state.sys);
    $('method-select').value = state.method;
    drawHeatmap(); drawSpace();
  }

  VC.tabs($('culture-tabs'), function (sys) { state.sys = sys; state.sort = ''; update(); });
  $('method-select').addEventListener('change', function (ev) { state.method = ev.target.value; update(); });
  $('space-methods').addEventListener('click', function (ev) {
    var b = ev.target.closest('button[data-map]');
    if (b && !b.disabled) { state.map = b.getAttribute('data-map'); update(); }
  });
  VC.space.wire(function () { return chart; });
  /* The country search is in the address too (?q=), like the leaderboard's model search. */
  $('country-search').value = state.q;
  $('country-search').addEventListener('input', function (ev) {
    state.q = ev.target.value.slice(0, 100);
    var Q = VC.params();
    if (state.q) Q.set('q', state.q); else Q.delete('q');
    VC.setParams(Q);
    drawHeatmap();
  });
  document.querySelector('#heatmap thead').addEventListener('click', function (ev) {
    var th = ev.target.closest('th[data-model]');
    if (!th) return;
    state.sort = state.sort === th.getAttribute('data-model') ? '' : th.getAttribute('data-model');
    update();
  });
  update();
})();
