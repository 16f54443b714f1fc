/* Value Compass: the leaderboard table (tabs, profiles, dimension selection, sliders,
 * sorting, search, downloads), with the whole view state in the address.
 * URL parameters and their defaults mirror valuecompass/leaderboard/_state.py. */
(function () {
  'use strict';
  var VC = window.VC, M = VC.metric, D = VC.data();
  var FREE = ['custom', 'personal'], FIXED_SORTS = ['rank', 'score', 'model', 'items', 'measured'];
  var MEDALS = ['first', 'second', 'third'];
  var systems = {};
  D.systems.forEach(function (s) { systems[s.id] = s; });
  var $ = function (id) { return document.getElementById(id); };
  var state;

  function dimIds(sys) { return systems[sys].dims.map(function (d) { return d.id; }); }
  function profilesOf(sys) { return D.profiles[sys] || []; }
  function findProfile(sys, id) { return profilesOf(sys).filter(function (p) { return p.id === id; })[0]; }

  function parseWeights(text, dims) {
    var out = {};
    (text || '').split(',').forEach(function (part) {
      var bits = part.split(':'), v = Number(bits[1]);
      if (bits.length === 2 && bits[1] !== '' && dims.indexOf(bits[0]) >= 0 && isFinite(v) && v >= 0) out[bits[0]] = Math.min(v, 1e6);
    });
    return out;
  }

  function defaultState(sys, query) {
    var def = D.defaults[sys];
    return {sys: sys, p: def.profile, w: {}, dims: def.dims.slice(), sort: 'score', desc: true, q: query || '',
            from: '', to: ''};
  }

  function readState() {
    var P = VC.params(), sys = P.get('sys');
    if (!systems[sys]) sys = D.systems[0].id;
    var st = defaultState(sys, (P.get('q') || '').slice(0, 200)), all = dimIds(sys);
    var p = P.get('p') || st.p, w = FREE.indexOf(p) >= 0 ? parseWeights(P.get('w'), all) : {};
    var valid = FREE.indexOf(p) >= 0 ? Object.keys(w).length > 0 : !!findProfile(sys, p);
    if (valid) { st.p = p; st.w = w; }
    if (P.has('dims')) {
      var chosen = P.get('dims').split(',');
      st.dims = all.filter(function (d) { return chosen.indexOf(d) >= 0; });
      if (!st.dims.length) st.dims = all;
    }
    var sort = P.get('sort') || 'score';
    if (FIXED_SORTS.indexOf(sort) < 0 && all.indexOf(sort) < 0) sort = 'score';
    st.sort = sort;
    st.desc = (P.get('dir') || (sort === 'model' || sort === 'rank' ? 'asc' : 'desc')) !== 'asc';
    st.from = parseDate(P.get('from'));
    st.to = parseDate(P.get('to'));
    return st;
  }

  /** A valid YYYY-MM-DD date, else '' (as _state.parse_date). */
  function parseDate(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text || '')) return '';
    var d = new Date(text + 'T00:00:00Z');
    return !isNaN(d) && d.toISOString().slice(0, 10) === text ? text : '';
  }

  function measuredIn(m) {
    return (!state.from || m.measured >= state.from) && (!state.to || m.measured <= state.to);
  }

  function num(v) { return Number.isInteger(v) ? String(v) : String(+v.toPrecision(6)); }

  function writeState() {
    var def = D.defaults[state.sys], P = new URLSearchParams();
    P.set('sys', state.sys);
    var hasW = Object.keys(state.w).length > 0;
    if (state.p !== def.profile || hasW) P.set('p', state.p);
    if (hasW) P.set('w', Object.keys(state.w).map(function (d) { return d + ':' + num(state.w[d]); }).join(','));
    if (state.dims.join(',') !== def.dims.join(',')) P.set('dims', state.dims.join(','));
    if (state.sort !== 'score' || !state.desc) { P.set('sort', state.sort); P.set('dir', state.desc ? 'desc' : 'asc'); }
    if (state.q) P.set('q', state.q);
    if (state.from) P.set('from', state.from);
    if (state.to) P.set('to', state.to);
    VC.setParams(P);
  }

  function baseWeights() {
    if (FREE.indexOf(state.p) >= 0) return state.w;
    return findProfile(state.sys, state.p).weights;
  }

  function effectiveWeights() {
    var base = baseWeights(), chosen = {};
    state.dims.forEach(function (d) { chosen[d] = base[d] || 0; });
    return M.normalise(chosen, state.dims);
  }

  /** Rows best first: {m, a, rank: [best, worst]}; models with no weighted score are left out. */
  function computeRows() {
    var w = effectiveWeights();
    if (!w) return [];
    var rows = [];
    D.models.forEach(function (m) {
      if (!measuredIn(m)) return;
      var a = M.align(m.scores, w, D.z);
      if (a) rows.push({m: m, a: a});
    });
    rows.sort(function (x, y) {
      return (y.a.value - x.a.value) || (x.m.label.toLowerCase() < y.m.label.toLowerCase() ? -1 : 1);
    });
    var ranks = M.rankRanges(rows.map(function (r) { return [r.a.low, r.a.high]; }));
    rows.forEach(function (r, i) { r.rank = ranks[i]; r.order = i; });
    return rows;
  }

  function sortRows(rows) {
    var key = state.sort, sign = state.desc ? -1 : 1, out = rows.slice();
    var val = function (r) {
      if (key === 'score') return r.a.value;
      if (key === 'rank') return -r.order;
      if (key === 'items') return r.a.n;
      if (key === 'model') return r.m.label.toLowerCase();
      if (key === 'measured') return r.m.measured;
      var s = r.m.scores[key];
      return s ? s[0] : (state.desc ? -1 : 101);
    };
    out.sort(function (x, y) {
      var a = val(x), b = val(y);
      if (key === 'rank') return state.desc ? a - b : b - a;
      if (a < b) return sign === -1 ? 1 : -1;
      if (a > b) return sign === -1 ? -1 : 1;
      return x.order - y.order;
    });
    return out;
  }

  function rankText(rank) { return rank[0] === rank[1] ? String(rank[0]) : rank[0] + '\u2013' + rank[1]; }

  /** The rank cell: a medal where the intervals settle a top-3 place (as RankedRow.medal). */
  function rankCell(rank) {
    var td = VC.el('td', {cls: 'col-rank'});
    if (rank[0] === rank[1] && rank[0] <= 3) {
      td.appendChild(VC.el('span', {cls: 'medal medal-' + rank[0], text: String(rank[0]),
        title: MEDALS[rank[0] - 1] + ' place: the 95% intervals separate it from the models around it'}));
    } else {
      td.textContent = rankText(rank);
    }
    return td;
  }

  function cardCells(m) {
    var c = m.card || {}, type = VC.el('td', {cls: 'col-type'});
    if (c.weights) type.appendChild(VC.el('span', {cls: 'weights weights-' + c.weights, text: c.weights}));
    return [VC.el('td', {cls: 'col-dev', text: c.developer || ''}), type,
            VC.el('td', {cls: 'col-released', text: c.released || ''}),
            VC.el('td', {cls: 'col-measured', text: m.measured})];
  }

  function dimCell(m, dim, on) {
    var td = VC.el('td', {cls: 'col-dim' + (on ? '' : ' dim-off')}), s = m.scores[dim];
    if (!s) { td.appendChild(VC.el('span', {cls: 'na', text: '\u2013', title: 'not scored'})); return td; }
    var wrap = VC.el('span', {cls: 'dimcell'}, VC.el('a', {cls: 'dimscore', href: 'model/' + m.key + '/' + dim + '.html',
        title: VC.fmt(s[0]) + ' (95% interval ' + VC.fmt(s[2]) + '\u2013' + VC.fmt(s[3]) + ', ' + s[4] + ' items): see the items'},
      VC.el('span', {cls: 'dimscore-num', text: VC.fmt(s[0], 0)}),
      VC.el('span', {cls: 'dimscore-pm', text: '\u00b1' + VC.fmt((s[3] - s[2]) / 2, 0)})));
    if (s[5]) {
      wrap.appendChild(VC.el('span', {cls: 'grade grade-' + s[5], text: s[5], title: s[6],
                                      attrs: {tabindex: '0', role: 'note', 'aria-label': s[6]}}));
    }
    td.appendChild(wrap);
    return td;
  }

  function renderBody(rows) {
    var body = VC.clear($('board-body')), dims = systems[state.sys].dims, q = state.q.toLowerCase();
    var shown = sortRows(rows).filter(function (r) { return !q || r.m.label.toLowerCase().indexOf(q) >= 0; });
    shown.forEach(function (r) {
      var label = VC.el('td', {cls: 'col-model'}, VC.el('a', {href: 'model/' + r.m.key + '.html', text: r.m.label,
                                                             title: r.m.spec}));
      if (r.a.missing.length) label.appendChild(VC.el('span', {cls: 'tag', text: 'partial', title: 'no score on ' + r.a.missing.join(', ')}));
      var tr = VC.el('tr', {cls: r.rank[0] === 1 ? 'rank-1' : '', attrs: {'data-model': r.m.key}},
        rankCell(r.rank), label, VC.el('td', {cls: 'col-score'}, VC.scoreNode(r.a.value, r.a.low, r.a.high)));
      cardCells(r.m).forEach(function (td) { tr.appendChild(td); });
      dims.forEach(function (d) { tr.appendChild(dimCell(r.m, d.id, state.dims.indexOf(d.id) >= 0)); });
      tr.appendChild(VC.el('td', {cls: 'col-items', text: r.a.n}));
      body.appendChild(tr);
    });
    if (!shown.length) {
      var msg = rows.length ? 'No model matches \u201c' + state.q + '\u201d.' :
        (effectiveWeights() ? 'No model has scores on these dimensions yet.' : 'Give at least one selected dimension a weight above zero.');
      body.appendChild(VC.el('tr', {cls: 'empty'}, VC.el('td', {text: msg, attrs: {colspan: dims.length + 8}})));
    }
    return shown.length;
  }

  function renderHead() {
    var tr = VC.clear(document.querySelector('#board thead tr'));
    var head = function (key, cls, label, sub, title) {
      var a = VC.el('a', {href: '#', text: label, title: title || ''});
      if (sub) a.appendChild(VC.el('span', {cls: 'th-sub', text: sub}));
      var th = VC.el('th', {cls: cls, attrs: {scope: 'col', 'data-sort': key}}, a);
      if (state.sort === key) th.setAttribute('aria-sort', state.desc ? 'descending' : 'ascending');
      tr.appendChild(th);
    };
    head('rank', 'col-rank', 'Rank');
    head('model', 'col-model', 'Model');
    head('score', 'col-score', 'Score ', '95% interval');
    ['Developer', 'Weights', 'Released'].forEach(function (label) {
      tr.appendChild(VC.el('th', {cls: 'col-' + (label === 'Weights' ? 'type' : label === 'Developer' ? 'dev' : 'released'),
                                  text: label, attrs: {scope: 'col'}}));
    });
    head('measured', 'col-measured', 'Measured');
    systems[state.sys].dims.forEach(function (d) {
      head(d.id, 'col-dim' + (state.dims.indexOf(d.id) >= 0 ? '' : ' dim-off'), d.short, null, d.name);
    });
    head('items', 'col-items', 'Items');
  }

  /** The chosen profile's menu entry says how many dimensions it scores (as ProfileOption.menu_label). */
  function menuLabel(p) {
    var n = state.dims.length, all = dimIds(state.sys).length;
    return n >= all ? p.label : p.label + ' (' + n + ' of ' + all + ' dimensions)';
  }

  /** On a narrow screen the tab strip scrolls: keep the chosen tab in view. */
  function showTab() {
    var strip = $('tabs'), tab = strip.querySelector('a.tab[aria-selected="true"]');
    if (!tab || strip.scrollWidth <= strip.clientWidth) return;
    var t = tab.getBoundingClientRect(), s = strip.getBoundingClientRect();
    if (t.right > s.right) strip.scrollLeft += t.right - s.right + 24;
    else if (t.left < s.left) strip.scrollLeft -= s.left - t.left + 24;
  }

  function renderProfiles() {
    var sel = VC.clear($('profile-select')), groups = [], byGroup = {};
    profilesOf(state.sys).forEach(function (p) {
      if (!byGroup[p.group]) { byGroup[p.group] = VC.el('optgroup', {attrs: {label: p.group}}); groups.push(byGroup[p.group]); }
      byGroup[p.group].appendChild(VC.el('option', {text: p.id === state.p ? menuLabel(p) : p.label, attrs: {value: p.id}}));
    });
    groups.forEach(function (g) { sel.appendChild(g); });
    if (state.p === 'custom') sel.appendChild(VC.el('option', {text: 'Custom weights', attrs: {value: 'custom'}}));
    if (state.p === 'personal') sel.appendChild(VC.el('option', {text: 'Personal weights (from your answers)', attrs: {value: 'personal'}}));
    sel.value = state.p;
  }

  function renderChips() {
    var chips = VC.clear($('dim-chips')), groups = VC.clear($('group-buttons')), sys = systems[state.sys];
    sys.dims.forEach(function (d) {
      var input = VC.el('input', {attrs: {type: 'checkbox', value: d.id}});
      input.checked = state.dims.indexOf(d.id) >= 0;
      chips.appendChild(VC.el('label', {cls: 'chip', title: d.name}, input, VC.el('span', {text: d.short})));
    });
    var all = dimIds(state.sys);
    [{id: 'all', name: 'All', dims: all}].concat(sys.groups).forEach(function (g) {
      var active = g.dims.length === state.dims.length && g.dims.every(function (d) { return state.dims.indexOf(d) >= 0; });
      groups.appendChild(VC.el('button', {cls: 'btn btn-small' + (active ? ' active' : ''), text: g.name,
        attrs: {type: 'button', 'data-group': g.id, 'aria-pressed': active ? 'true' : 'false'}}));
    });
  }

  function renderSliders() {
    var box = VC.clear($('sliders')), base = baseWeights(), eff = effectiveWeights() || {}, max = 0;
    dimIds(state.sys).forEach(function (d) { max = Math.max(max, base[d] || 0); });
    systems[state.sys].dims.forEach(function (d) {
      var on = state.dims.indexOf(d.id) >= 0;
      var input = VC.el('input', {attrs: {type: 'range', min: 0, max: 100, step: 1, 'data-dim': d.id, 'aria-label': 'Weight of ' + d.name}});
      input.value = max > 0 ? Math.round(100 * (base[d.id] || 0) / max) : 0;
      input.disabled = !on;
      box.appendChild(VC.el('label', {cls: 'slider' + (on ? '' : ' off'), title: d.name},
        VC.el('span', {cls: 'slider-name', text: d.short}), input,
        VC.el('span', {cls: 'slider-val', text: on ? Math.round(100 * (eff[d.id] || 0)) + '%' : 'off'})));
    });
  }

  /** What the score column means (same text as status_text in _pages.py). */
  function statusText() {
    var sys = systems[state.sys], names = sys.dims.filter(function (d) { return state.dims.indexOf(d.id) >= 0; })
      .map(function (d) { return d.short; });
    var all = sys.dims.length, listed = names.length === 1 ? names[0] : names.length <= 4 ?
      names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1] :
      names.length === all ? 'all ' + all + ' dimensions' : names.length + ' of ' + all + ' dimensions';
    var option = findProfile(state.sys, state.p);
    if (option && option.kind === 'uniform') return 'Score: equal-weight mean of ' + listed + '.';
    var source = option ? option.label : (state.p === 'personal' ? 'your answers' : 'custom weights');
    return 'Score: weighted mean of ' + listed + ', weights from ' + source + '.';
  }

  function render() {
    var sys = systems[state.sys];
    VC.selectTab($('tabs'), state.sys);
    showTab();
    $('system-name').textContent = sys.name;
    $('system-score-meaning').textContent = sys.meaning;
    $('search').value = state.q;
    $('date-from').value = state.from; $('date-to').value = state.to;
    $('date-clear').hidden = !(state.from || state.to);
    renderProfiles(); renderChips(); renderSliders(); renderHead();
    var rows = computeRows(), shown = renderBody(rows), n = state.dims.length;
    $('status').textContent = (n ? statusText() : 'No dimension selected.') + ' Showing ' + shown + ' of ' +
      rows.length + ' model' + (rows.length === 1 ? '' : 's') + '.';
    writeState();
  }

  function sliderWeights() {
    var w = {};
    $('sliders').querySelectorAll('input[type=range]').forEach(function (s) { w[s.getAttribute('data-dim')] = Number(s.value); });
    return w;
  }

  function viewRows() {
    var dims = dimIds(state.sys), q = state.q.toLowerCase();
    return sortRows(computeRows()).filter(function (r) { return !q || r.m.label.toLowerCase().indexOf(q) >= 0; })
      .map(function (r) {
        var row = {rank_best: r.rank[0], rank_worst: r.rank[1], model: r.m.label, spec: r.m.spec,
          developer: (r.m.card || {}).developer || '', measured: r.m.measured, score: +r.a.value.toFixed(3),
          se: +r.a.se.toFixed(3), ci_low: +r.a.low.toFixed(3), ci_high: +r.a.high.toFixed(3), items: r.a.n, missing: r.a.missing.join(' ')};
        dims.forEach(function (d) { row[d] = r.m.scores[d] ? r.m.scores[d][0] : null; });
        return row;
      });
  }

  function download(kind) {
    var rows = viewRows(), name = 'valuecompass-' + state.sys + '-' + state.p;
    if (kind === 'csv') {
      var header = Object.keys(rows[0] || {rank_best: 0, rank_worst: 0, model: 0, score: 0});
      VC.download(name + '.csv', 'text/csv', VC.csv(header, rows.map(function (r) { return header.map(function (h) { return r[h]; }); })));
    } else {
      var view = {url: window.location.href, system: state.sys, profile: state.p, dimensions: state.dims,
        weights: effectiveWeights(), sort: state.sort, descending: state.desc, query: state.q, z: D.z,
        measured_from: state.from, measured_to: state.to};
      VC.download(name + '.json', 'application/json', JSON.stringify({view: view, rows: rows}, null, 1));
    }
  }

  function wire() {
    VC.tabs($('tabs'), function (sys) {
      var from = state.from, to = state.to;
      state = defaultState(sys, state.q); state.from = from; state.to = to;
      render();
    });
    ['from', 'to'].forEach(function (end) {
      $('date-' + end).addEventListener('change', function (ev) { state[end] = parseDate(ev.target.value); render(); });
    });
    $('date-clear').addEventListener('click', function () { state.from = ''; state.to = ''; render(); });
    $('profile-select').addEventListener('change', function (ev) {
      var p = ev.target.value;
      if (FREE.indexOf(p) < 0) { state.p = p; state.w = {}; state.dims = dimIds(state.sys); }
      render();
    });
    $('dim-chips').addEventListener('change', function () {
      var checked = [];
      $('dim-chips').querySelectorAll('input:checked').forEach(function (i) { checked.push(i.value); });
      state.dims = dimIds(state.sys).filter(function (d) { return checked.indexOf(d) >= 0; });
      render();
    });
    $('group-buttons').addEventListener('click', function (ev) {
      var b = ev.target.closest('button[data-group]');
      if (!b) return;
      var id = b.getAttribute('data-group'), g = systems[state.sys].groups.filter(function (x) { return x.id === id; })[0];
      state.dims = g ? g.dims.slice() : dimIds(state.sys);
      render();
    });
    $('sliders').addEventListener('input', function (ev) {
      if (!ev.target.matches('input[type=range]')) return;
      state.w = sliderWeights(); state.p = 'custom';
      if (!Object.keys(state.w).some(function (d) { return state.w[d] > 0; })) state.w[ev.target.getAttribute('data-dim')] = 0;
      render();
      var again = $('sliders').querySelector('input[data-dim="' + ev.target.getAttribute('data-dim') + '"]');
      if (again) again.focus();
    });
    $('search').addEventListener('input', function (ev) { state.q = ev.target.value.slice(0, 200); render(); });
    document.querySelector('#board thead').addEventListener('click', function (ev) {
      var th = ev.target.closest('th[data-sort]');
      if (!th) return;
      ev.preventDefault();
      var key = th.getAttribute('data-sort');
      state.desc = state.sort === key ? !state.desc : !(key === 'model' || key === 'rank');
      state.sort = key;
      render();
    });
    $('toggle-weights').addEventListener('click', function (ev) {
      var panel = $('weights-panel'), open = panel.hidden;
      panel.hidden = !open;
      ev.currentTarget.setAttribute('aria-expanded', open ? 'true' : 'false');
    });
    $('download-csv').addEventListener('click', function () { download('csv'); });
    $('download-json').addEventListener('click', function () { download('json'); });
    $('copy-link').addEventListener('click', VC.copyLink);
  }

  state = readState();
  wire();
  if (FREE.indexOf(state.p) >= 0) { $('weights-panel').hidden = false; $('toggle-weights').setAttribute('aria-expanded', 'true'); }
  render();
})();
