/* Value Compass: up to 5 models on one radar per value system, overlaid or one radar each.
 *
 * URL state: m=key,key (the pool), view=multiples (one radar per model; default: overlay),
 * bands=off (no interval bands), add=key (merge a model into the stored pool: the model page's
 * "Compare" button). The pool is also kept in localStorage, so it survives other pages, in the
 * served app and in the export opened from disk; without m= the stored pool is shown, and with
 * nothing stored the payload's default (the top 3 of the leaderboard's default view).
 */
(function () {
  'use strict';
  var VC = window.VC, D = VC.data(), MAX = D.max || 5, STORE = 'valuecompass.compare.pool';
  var byKey = {}, charts = [];
  D.models.forEach(function (m) { byKey[m.key] = m; });
  var list = document.getElementById('picker-list');

  function stored() {
    try {
      var v = JSON.parse(window.localStorage.getItem(STORE) || 'null');
      return Array.isArray(v) ? v : null;
    } catch (e) { return null; } /* storage refused (privacy mode, some file:// setups): the URL still holds the pool */
  }
  function store(keys) {
    try { window.localStorage.setItem(STORE, JSON.stringify(keys)); } catch (e) { /* see stored() */ }
  }
  function keysOf(values) {
    var keys = [];
    values.forEach(function (v) { String(v).split(',').forEach(function (k) { if (byKey[k] && keys.indexOf(k) < 0) keys.push(k); }); });
    return keys;
  }

  var P = VC.params();
  var chosen = P.has('m') ? keysOf(P.getAll('m')) : keysOf(stored() || D['default'] || []);
  keysOf(P.getAll('add')).forEach(function (k) {
    if (chosen.indexOf(k) >= 0) return;
    chosen.push(k);
    if (chosen.length > MAX) VC.toast('At most ' + MAX + ' models: ' + byKey[chosen.shift()].label + ' left the pool');
  });
  chosen = chosen.slice(0, MAX);
  var view = P.get('view') === 'multiples' ? 'multiples' : 'overlay', bands = P.get('bands') !== 'off';

  function syncPicker() {
    list.querySelectorAll('label.pick').forEach(function (label) {
      var box = label.querySelector('input'), i = chosen.indexOf(box.value);
      box.checked = i >= 0;
      box.disabled = i < 0 && chosen.length >= MAX;
      label.classList.toggle('disabled', box.disabled);
      var sw = label.querySelector('.swatch');
      sw.style.background = i >= 0 ? VC.palette[i] : 'transparent';
      sw.style.borderColor = i >= 0 ? VC.palette[i] : '';
    });
    document.getElementById('picker-count').textContent = chosen.length + ' of at most ' + MAX + ' chosen';
    document.querySelectorAll('#compare-controls button[data-view]').forEach(function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-view') === view ? 'true' : 'false');
    });
    document.getElementById('bands-toggle').checked = bands;
  }

  function gapNote(node, models, system) {
    var parts = models.map(function (m) {
      var gaps = VC.charts.gaps(m, system);
      return gaps.length ? m.label + ': no score on ' + gaps.join(', ') : '';
    }).filter(Boolean);
    node.hidden = !parts.length;
    node.textContent = parts.length ? 'Gaps in the outline are dimensions without a score. ' + parts.join('; ') + '.' : '';
  }

  function axes(system, model) {
    return system.dims.map(function (d) { return d.short + (model && !model.scores[d.id] ? ' (no score)' : ''); });
  }

  function drawCharts() {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    document.getElementById('compare-charts').classList.toggle('multiples-view', view === 'multiples');
    D.systems.forEach(function (system) {
      var card = document.querySelector('.system-card[data-system="' + system.id + '"]');
      var box = card.querySelector('.radar-box'), multi = VC.clear(document.getElementById('multiples-' + system.id));
      var models = chosen.map(function (k) { return byKey[k]; }).filter(function (m) {
        return system.dims.some(function (d) { return m.scores[d.id]; });
      });
      card.hidden = !models.length;
      box.hidden = view !== 'overlay';
      multi.hidden = view === 'overlay';
      gapNote(document.getElementById('gaps-' + system.id), models, system);
      if (!models.length || !VC.charts.radar) return;
      var series = function (m) { return VC.charts.seriesOf(m, system, VC.palette[chosen.indexOf(m.key)]); };
      if (view === 'overlay') {
        charts.push(VC.charts.radar(document.getElementById('radar-' + system.id), axes(system), models.map(series), {bands: bands}));
        return;
      }
      models.forEach(function (m) {
        var sw = VC.el('span', {cls: 'swatch'});
        sw.style.background = sw.style.borderColor = VC.palette[chosen.indexOf(m.key)];
        var canvas = VC.el('canvas', {cls: 'radar radar-small', attrs: {role: 'img', 'data-model': m.key,
          'aria-label': 'Radar chart of ' + m.label + ' on ' + system.name}});
        multi.appendChild(VC.el('figure', {cls: 'multiple'}, VC.el('figcaption', {}, sw, VC.el('span', {text: m.label})),
          VC.el('div', {cls: 'radar-box radar-box-small'}, canvas)));
        charts.push(VC.charts.radar(canvas, axes(system, m), [series(m)], {bands: bands, legend: false}));
      });
    });
  }

  function drawPairs() {
    var ul = VC.clear(document.getElementById('pair-links'));
    for (var i = 0; i < chosen.length; i++) {
      for (var j = i + 1; j < chosen.length; j++) {
        var a = byKey[chosen[i]], b = byKey[chosen[j]];
        ul.appendChild(VC.el('li', {}, VC.el('a', {href: 'disagree.html?a=' + encodeURIComponent(a.key) + '&b=' + encodeURIComponent(b.key)},
          VC.el('span', {text: a.label}), ' vs ', VC.el('span', {text: b.label}))));
      }
    }
    document.getElementById('pairs-panel').hidden = chosen.length < 2;
  }

  function drawTable() {
    var table = document.getElementById('compare-table'), head = VC.clear(table.querySelector('thead')), body = VC.clear(table.querySelector('tbody'));
    var models = chosen.map(function (k) { return byKey[k]; });
    var tr = VC.el('tr', {}, VC.el('th', {text: 'Dimension', attrs: {scope: 'col'}}));
    models.forEach(function (m) { tr.appendChild(VC.el('th', {cls: 'col-dim', attrs: {scope: 'col'}}, VC.el('a', {href: 'model/' + m.key + '.html', text: m.label}))); });
    head.appendChild(tr);
    D.systems.forEach(function (system) {
      if (!models.some(function (m) { return system.dims.some(function (d) { return m.scores[d.id]; }); })) return;
      body.appendChild(VC.el('tr', {cls: 'group-row'}, VC.el('th', {text: system.short, attrs: {colspan: models.length + 1, scope: 'colgroup'}})));
      system.dims.forEach(function (d) {
        var vals = models.map(function (m) { return m.scores[d.id] ? m.scores[d.id][0] : null; });
        var best = Math.max.apply(null, vals.filter(function (v) { return v !== null; }).concat([-1]));
        var row = VC.el('tr', {}, VC.el('th', {text: d.name, attrs: {scope: 'row'}}));
        models.forEach(function (m, i) {
          var s = m.scores[d.id];
          row.appendChild(s ? VC.el('td', {cls: 'col-dim' + (models.length > 1 && vals[i] === best ? ' best' : ''),
            title: '95% interval ' + VC.fmt(s[2], 0) + '\u2013' + VC.fmt(s[3], 0) + ', ' + s[4] + ' items',
            text: VC.fmt(s[0], 0) + ' \u00b1' + VC.fmt((s[3] - s[2]) / 2, 0)}) : VC.el('td', {cls: 'col-dim na', text: '\u2013', title: 'no score'}));
        });
        body.appendChild(row);
      });
    });
  }

  function update() {
    var Q = new URLSearchParams();
    if (chosen.length) Q.set('m', chosen.join(','));
    if (view !== 'overlay') Q.set('view', view);
    if (!bands) Q.set('bands', 'off');
    VC.setParams(Q);
    store(chosen);
    syncPicker(); drawCharts(); drawPairs(); drawTable();
  }

  list.addEventListener('change', function (ev) {
    var key = ev.target.value, i = chosen.indexOf(key);
    if (ev.target.checked && i < 0 && chosen.length < MAX) chosen.push(key);
    if (!ev.target.checked && i >= 0) chosen.splice(i, 1);
    update();
  });
  document.getElementById('compare-controls').addEventListener('click', function (ev) {
    var btn = ev.target.closest('button[data-view]');
    if (!btn) return;
    view = btn.getAttribute('data-view');
    update();
  });
  document.getElementById('bands-toggle').addEventListener('change', function (ev) { bands = ev.target.checked; update(); });
  document.getElementById('picker-search').addEventListener('input', function (ev) {
    var q = ev.target.value.toLowerCase();
    list.querySelectorAll('label.pick').forEach(function (l) { l.hidden = q && l.textContent.toLowerCase().indexOf(q) < 0; });
  });
  document.getElementById('picker-clear').addEventListener('click', function () { chosen = []; update(); });
  document.getElementById('copy-link').addEventListener('click', VC.copyLink);
  update();
})();
