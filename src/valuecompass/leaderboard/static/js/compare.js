/* Value Compass: overlay up to 5 models on one radar per value system; ?m=key&m=key in the URL. */
(function () {
  'use strict';
  var VC = window.VC, D = VC.data(), MAX = D.max || 5;
  var byKey = {}, charts = {};
  D.models.forEach(function (m) { byKey[m.key] = m; });
  var list = document.getElementById('picker-list');

  function chosenFromUrl() {
    var keys = [];
    VC.params().getAll('m').forEach(function (v) { v.split(',').forEach(function (k) { if (byKey[k] && keys.indexOf(k) < 0) keys.push(k); }); });
    if (!keys.length) keys = D.models.slice(0, Math.min(3, D.models.length)).map(function (m) { return m.key; });
    return keys.slice(0, MAX);
  }
  var chosen = chosenFromUrl();

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
  }

  function drawCharts() {
    D.systems.forEach(function (system) {
      var card = document.querySelector('.system-card[data-system="' + system.id + '"]');
      if (charts[system.id]) { charts[system.id].destroy(); delete charts[system.id]; }
      var models = chosen.map(function (k) { return byKey[k]; }).filter(function (m) {
        return system.dims.some(function (d) { return m.scores[d.id]; });
      });
      card.hidden = !models.length;
      if (!models.length || !VC.charts.radar) return;
      charts[system.id] = VC.charts.radar(document.getElementById('radar-' + system.id), system.dims.map(function (d) { return d.short; }),
        models.map(function (m) { return VC.charts.seriesOf(m, system, VC.palette[chosen.indexOf(m.key)]); }));
    });
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
            text: VC.fmt(s[0], 0) + ' \u00b1' + VC.fmt((s[3] - s[2]) / 2, 0)}) : VC.el('td', {cls: 'col-dim na', text: '\u2013'}));
        });
        body.appendChild(row);
      });
    });
  }

  function update() {
    var P = new URLSearchParams();
    if (chosen.length) P.set('m', chosen.join(','));
    VC.setParams(P);
    syncPicker(); drawCharts(); drawTable();
  }

  list.addEventListener('change', function (ev) {
    var key = ev.target.value, i = chosen.indexOf(key);
    if (ev.target.checked && i < 0 && chosen.length < MAX) chosen.push(key);
    if (!ev.target.checked && i >= 0) chosen.splice(i, 1);
    update();
  });
  document.getElementById('picker-search').addEventListener('input', function (ev) {
    var q = ev.target.value.toLowerCase();
    list.querySelectorAll('label.pick').forEach(function (l) { l.hidden = q && l.textContent.toLowerCase().indexOf(q) < 0; });
  });
  document.getElementById('picker-clear').addEventListener('click', function () { chosen = []; update(); });
  document.getElementById('copy-link').addEventListener('click', VC.copyLink);
  update();
})();
