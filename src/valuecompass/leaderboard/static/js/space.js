/* Value Compass: the culture page's value space, a map people can read.
 *
 * VC.space.draw(opts) draws the models and countries of one system as PCA or t-SNE (both computed
 * by the server), names the method on the page, labels the points (model names always, country
 * names where there is room), says in words which countries each model is closest to, and lists
 * the same in text beside the map: the models with their closest countries, the models left out
 * (with the dimensions they lack), and every country; pointing at or focusing a name shows its point.
 * Text from the store is only set with textContent / canvas fillText, never as HTML.
 */
(function () {
  'use strict';
  var VC = window.VC, S = VC.space = {};
  var $ = function (id) { return document.getElementById(id); };
  var COUNTRIES = 0, MODELS = 1;
  var FONT = {country: {size: 10, weight: '400', color: '#64748b'}, model: {size: 11.5, weight: '650', color: '#0f172a'}};

  /** A country's name without its source ("Germany (Schwartz cultural orientations)" -> "Germany"). */
  S.shortName = function (name) { return String(name).replace(/ \([^()]*\)$/, ''); };

  /* Names joined by commas only ("Bosnia and Herzegovina" has an "and" of its own). */
  function listWords(items) { return items.join(', '); }

  /** A model's closest countries in words, from its `near` list ([{id, r}], closest first): two lines,
   * who ("closest to Chile, Spain, Peru") and how close (the pattern correlations). */
  S.closestLines = function (near, names) {
    if (!near || !near.length) return ['equal scores on every dimension: no pattern, so no country is closer than another'];
    var who = near.map(function (n) { return S.shortName(names[n.id] || n.id); });
    var how = 'pattern correlation ' + near.map(function (n) { return VC.fmt(n.r, 2).replace('-', '\u2212'); }).join(', ');
    return ['closest to ' + listWords(who), near[0].r < 0.3 ? how + '; no country has a similar pattern' : how];
  };
  /** The same as one line: "closest to Chile, Spain, Peru (pattern correlation 0.91, 0.88, 0.85)". */
  S.closestText = function (near, names) {
    var lines = S.closestLines(near, names);
    return lines.length > 1 ? lines[0] + ' (' + lines[1] + ')' : lines[0];
  };

  function overlaps(a, b) { return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2; }
  /* The text, cut with an ellipsis to at most `max` pixels (the whole name is in the tooltip and the lists). */
  function fit(ctx, text, max) {
    if (ctx.measureText(text).width <= max) return text;
    var n = text.length;
    while (n > 1 && ctx.measureText(text.slice(0, n) + '\u2026').width > max) n -= 1;
    return text.slice(0, n) + '\u2026';
  }
  /* The box moved the least that puts it inside the plot (when it is not wider or taller than the plot). */
  function shiftInto(b, area) {
    var dx = Math.max(0, area.left - b.x1) - Math.max(0, b.x2 - area.right);
    var dy = Math.max(0, area.top - b.y1) - Math.max(0, b.y2 - area.bottom);
    return {x1: b.x1 + dx, y1: b.y1 + dy, x2: b.x2 + dx, y2: b.y2 + dy};
  }

  /* Place every label next to its point: the first of 8 spots inside the plot that covers no other
   * label and no point, else none but the country dots; a country label with no such spot is left
   * out (its name is in the list beside the map), a model's goes where it covers the fewest labels. */
  function placeLabels(ch) {
    var ctx = ch.ctx, area = ch.chartArea, taken = [], marks = [], out = [];
    [COUNTRIES, MODELS].forEach(function (di) {
      if (!ch.isDatasetVisible(di)) return;
      var r = ch.data.datasets[di].pointRadius + 1;
      ch.getDatasetMeta(di).data.forEach(function (el, j) {
        marks.push({x1: el.x - r, y1: el.y - r, x2: el.x + r, y2: el.y + r, di: di, j: j});
      });
    });
    var inside = function (b) { return b.x1 >= area.left && b.x2 <= area.right && b.y1 >= area.top && b.y2 <= area.bottom; };
    ctx.save();
    ctx.textBaseline = 'top';
    ctx.lineJoin = 'round';
    [MODELS, COUNTRIES].forEach(function (di) {
      var ds = ch.data.datasets[di], kind = di === MODELS ? 'model' : 'country', f = FONT[kind];
      var shown = ch.isDatasetVisible(di);
      ctx.font = f.weight + ' ' + f.size + 'px ' + window.Chart.defaults.font.family;
      ch.getDatasetMeta(di).data.forEach(function (el, j) {
        var name = ds.data[j].short, box = null, text = fit(ctx, name, (area.right - area.left) * 0.6);
        if (shown) {
          var w = ctx.measureText(text).width, h = f.size + 2, g = ds.pointRadius + 3;
          var spots = [[g, -h / 2], [-g - w, -h / 2], [-w / 2, -g - h], [-w / 2, g], [g, -g - h], [g, g], [-g - w, -g - h], [-g - w, g]]
            .map(function (s) { return {x1: el.x + s[0], y1: el.y + s[1], x2: el.x + s[0] + w, y2: el.y + s[1] + h}; });
          if (kind === 'model') spots = spots.concat(spots.map(function (b) { return shiftInto(b, area); }));  // near an edge: slid inside
          var free = function (b, dots) {
            return !taken.some(function (t) { return overlaps(t, b); }) && !marks.some(function (m) {
              return !(m.di === di && m.j === j) && (dots || m.di === MODELS) && overlaps(m, b);
            });
          };
          box = spots.filter(function (b) { return inside(b) && free(b, true); })[0] ||
            spots.filter(function (b) { return inside(b) && free(b, false); })[0] || null;
          if (!box && kind === 'model') {
            var cost = function (b) { return taken.filter(function (t) { return overlaps(t, b); }).length + (inside(b) ? 0 : 1.5); };
            box = spots.slice().sort(function (a, b) { return cost(a) - cost(b); })[0];
          }
          if (box) {
            taken.push(box);
            ctx.strokeStyle = 'rgba(255,255,255,.9)';
            ctx.lineWidth = 3;
            ctx.strokeText(text, box.x1, box.y1 + 1);
            ctx.fillStyle = f.color;
            ctx.fillText(text, box.x1, box.y1 + 1);
          }
        }
        out.push({kind: kind, id: ds.data[j].id, name: name, text: text, drawn: !!box, box: box});
      });
    });
    ctx.restore();
    return out;
  }

  var labelPlugin = {
    id: 'vcSpaceLabels',
    afterDatasetsDraw: function (ch) {
      ch.$vcLabels = placeLabels(ch);
      if (ch.$vcOnLabels) ch.$vcOnLabels(ch.$vcLabels);
    }
  };

  function methodWords(sp, map) {
    if (map === 'tsne') {
      return {name: 't-SNE', axes: ['t-SNE 1 (no meaning of its own)', 't-SNE 2 (no meaning of its own)'],
        text: 'Method: t-SNE (t-distributed stochastic neighbour embedding; perplexity ' + VC.fmt(sp.tsne.perplexity, 1) +
          ', started from the PCA map, seed ' + sp.tsne.seed + '). Points close together have similar patterns; the axes, and the distances between far-apart groups, have no meaning.'};
    }
    var pc = function (k) { return VC.fmt(100 * (sp.explained[k] || 0), 0) + '%'; };
    return {name: 'PCA', axes: ['PC1 (' + pc(0) + ' of variance)', 'PC2 (' + pc(1) + ' of variance)'],
      text: 'Method: PCA (principal component analysis). The axes are the two directions in which the patterns differ most: the first explains ' +
        pc(0) + ' of the variance, the second ' + pc(1) + '.'};
  }

  function chartOf(canvas, groups, axes, ticks) {
    return new window.Chart(canvas, {
      type: 'scatter',
      data: {datasets: groups.map(function (g) {
        return {label: g.label, data: g.points, backgroundColor: VC.alpha(g.color, g.alpha), borderColor: g.color,
          pointRadius: g.radius, pointHoverRadius: g.radius + 3, pointStyle: g.style};
      })},
      options: {
        layout: {padding: {right: 6, top: 6}},
        scales: {x: {title: {display: true, text: axes[0]}, grid: {color: '#eef2f7'}, ticks: {display: ticks}},
          y: {title: {display: true, text: axes[1]}, grid: {color: '#eef2f7'}, ticks: {display: ticks}}},
        plugins: {legend: {position: 'bottom', labels: {usePointStyle: true}},
          tooltip: {callbacks: {title: function (items) { return items.map(function (i) { return i.raw.name; }).join(' \u00b7 '); },
            label: function (ctx) { return ctx.raw.lines; }}}}
      },
      plugins: [labelPlugin]
    });
  }

  /** Show one point's tooltip (from a list entry), or none. */
  function point(chart, di, j) {
    if (!chart) return;
    var act = di === null ? [] : [{datasetIndex: di, index: j}];
    var el = di === null ? null : chart.getDatasetMeta(di).data[j];
    chart.setActiveElements(act);
    chart.tooltip.setActiveElements(act, el ? {x: el.x, y: el.y} : {x: 0, y: 0});
    chart.update();
  }

  function pointButton(text, di, j, extra) {
    return VC.el('button', {cls: 'space-pt' + (extra || ''), text: text, attrs: {type: 'button', 'data-ds': di, 'data-i': j}});
  }

  function fillLists(sp, groups, labels) {
    var models = VC.clear($('space-models')), left = VC.clear($('space-left-out')), countries = VC.clear($('space-countries'));
    groups[MODELS].points.forEach(function (p, j) {
      models.appendChild(VC.el('li', {attrs: {'data-model': p.id}}, pointButton(p.name, MODELS, j), VC.el('span', {text: ': ' + p.words})));
    });
    if (!groups[MODELS].points.length) models.appendChild(VC.el('li', {cls: 'muted', text: 'No model is scored on every dimension of this system yet.'}));
    (sp ? sp.left_out : []).forEach(function (m) {
      left.appendChild(VC.el('li', {attrs: {'data-model': m.id}}, VC.el('span', {cls: 'space-name', text: labels[m.id] || m.id}),
        VC.el('span', {text: m.all ? ': no score on this system yet' : ': left out, no score on ' + listWords(m.missing)})));
    });
    if (sp && !sp.left_out.length) left.appendChild(VC.el('li', {cls: 'muted', text: 'None: every model scored on this system is on the map.'}));
    groups[COUNTRIES].points.forEach(function (p, j) {
      countries.appendChild(VC.el('li', {}, pointButton(p.short, COUNTRIES, j)));
    });
    $('space-countries-head').textContent = 'Countries on the map (' + groups[COUNTRIES].points.length + ')';
  }

  function markUnlabelled(list) {
    var drawn = {};
    list.forEach(function (l) { if (l.kind === 'country' && l.drawn) drawn[l.id] = true; });
    $('space-countries').querySelectorAll('button.space-pt').forEach(function (b, j) {
      var off = !drawn[S.lastGroups[COUNTRIES].points[j].id];
      b.classList.toggle('off-map', off);
      b.title = off ? 'No room for this label on the map: point here to find it' : '';
    });
  }

  /**
   * Draw the value space of one system and fill the lists beside it.
   * opts: {canvas, space (the payload's space or null), map ('pca' | 'tsne'), names (profile id -> name),
   *        labels (model key -> label)}. Returns the Chart (null when there is no space).
   */
  S.draw = function (opts) {
    var sp = opts.space, names = opts.names, labels = opts.labels;
    var map = opts.map === 'tsne' && sp && sp.tsne ? 'tsne' : 'pca';
    document.querySelectorAll('#space-methods button[data-map]').forEach(function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-map') === map ? 'true' : 'false');
      if (b.getAttribute('data-map') === 'tsne') {
        b.disabled = !(sp && sp.tsne);
        b.title = sp && !sp.tsne ? 't-SNE is not available: ' + sp.tsne_note : '';
      }
    });
    var groups = [{label: 'Countries', color: '#94a3b8', alpha: 0.55, radius: 4, style: 'circle', points: []},
      {label: 'Models', color: '#0f766e', alpha: 0.85, radius: 7, style: 'rectRot', points: []}];
    (sp ? sp.points : []).forEach(function (p) {
      var x = map === 'tsne' ? p.tx : p.x, y = map === 'tsne' ? p.ty : p.y;
      if (p.kind === 'model') {
        var label = labels[p.id] || p.id;
        groups[MODELS].points.push({x: x, y: y, id: p.id, name: label, short: label,
          words: S.closestText(p.near, names), lines: S.closestLines(p.near, names)});
      } else {
        var full = names[p.id] || p.id;
        groups[COUNTRIES].points.push({x: x, y: y, id: p.id, name: full, short: S.shortName(full), lines: ['country profile from survey data']});
      }
    });
    S.lastGroups = groups;
    fillLists(sp, groups, labels);
    if (!sp || !window.Chart) {
      $('space-method').textContent = sp ? '' : 'Too few models or profiles scored on every dimension of this system for a value space.';
      return null;
    }
    var m = methodWords(sp, map);
    $('space-method').textContent = m.text + (opts.map === 'tsne' && map !== 'tsne' ? ' (t-SNE is not available: ' + sp.tsne_note + ')' : '');
    opts.canvas.setAttribute('aria-label', 'Value space drawn with ' + m.name + ': models and countries; the lists beside the map say the same in words');
    var chart = chartOf(opts.canvas, groups, m.axes, map === 'pca');
    chart.$vcMethod = map;
    chart.$vcOnLabels = markUnlabelled;
    markUnlabelled(chart.$vcLabels || []);
    return chart;
  };

  /** Wire the lists to the chart: pointing at or focusing a name shows its point's tooltip. */
  S.wire = function (getChart) {
    ['space-models', 'space-countries'].forEach(function (id) {
      var box = $(id);
      var on = function (ev) {
        var b = ev.target.closest('button.space-pt');
        if (b) point(getChart(), Number(b.getAttribute('data-ds')), Number(b.getAttribute('data-i')));
      };
      var off = function () { point(getChart(), null, null); };
      box.addEventListener('mouseover', on);
      box.addEventListener('focusin', on);
      box.addEventListener('mouseleave', off);
      box.addEventListener('focusout', off);
      box.addEventListener('click', on);
    });
  };
})();
