/* Value Compass: chart helpers over the vendored Chart.js (static/vendor/chart.umd.min.js). */
(function () {
  'use strict';
  var VC = window.VC, C = VC.charts = {};
  /** The names (`short`) of a system's dimensions a model has no score on, when it has a score on some. */
  C.gaps = function (model, system) {
    var missing = system.dims.filter(function (d) { return !model.scores[d.id]; });
    return missing.length < system.dims.length ? missing.map(function (d) { return d.short; }) : [];
  };

  if (!window.Chart) return;
  var Chart = window.Chart;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#475569';
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  /* On a narrow chart (a phone) the axis names are smaller and broken after '/', '-' or a space, so
   * the whole name fits beside the radar instead of being cut at the canvas edge. */
  var NARROW = 480;
  function narrow(ctx) { return (ctx && ctx.chart ? ctx.chart.width : 1e4) < NARROW; }
  function pointFont(ctx) { return {size: narrow(ctx) ? 11 : 12, weight: '600'}; }
  function pointLabel(label) {
    var text = String(label);
    if (!(this && this.chart && this.chart.width < NARROW) || text.length <= 9) return text;
    return text.replace(/([\/-])(?=\S)/g, '$1\n').replace(/ (?=\S{3,})/g, '\n').split('\n');
  }

  /**
   * A radar of one or more series on 0-100 with their intervals as shaded bands.
   * series: [{label, color, values: [..], low: [..], high: [..]}] (null where not scored).
   * opts: {bands: false to leave the interval bands out, legend: true/false (default: more than one series)}.
   * A dimension without a score is a gap in the outline (spanGaps: false), never a point at 0 nor a
   * line joining its neighbours; say so beside the chart (see C.gaps).
   */
  C.radar = function (canvas, axes, series, opts) {
    opts = opts || {};
    var datasets = [], bands = opts.bands !== false;
    series.forEach(function (s) {
      if (bands) {
        datasets.push({label: s.label + ' (upper)', data: s.high, borderWidth: 0, pointRadius: 0, fill: '+1', spanGaps: false,
          backgroundColor: VC.alpha(s.color, series.length > 1 ? 0.10 : 0.18), band: true});
        datasets.push({label: s.label + ' (lower)', data: s.low, borderWidth: 0, pointRadius: 0, fill: false, spanGaps: false, band: true});
      }
      datasets.push({label: s.label, data: s.values, borderColor: s.color, backgroundColor: s.color, borderWidth: 2.2,
        pointRadius: 3, pointHoverRadius: 5, fill: false, spanGaps: false, lo: s.low, hi: s.high});
    });
    return new Chart(canvas, {
      type: 'radar',
      data: {labels: axes, datasets: datasets},
      options: {
        scales: {r: {min: 0, max: 100, ticks: {stepSize: 25, backdropColor: 'rgba(255,255,255,.75)', color: '#94a3b8', font: {size: 10}},
          grid: {color: '#e2e8f0'}, angleLines: {color: '#e2e8f0'}, pointLabels: {font: pointFont, color: '#334155', callback: pointLabel}}},
        plugins: {
          legend: {display: opts.legend !== undefined ? opts.legend : series.length > 1, position: 'bottom',
            labels: {filter: function (item, data) { return !data.datasets[item.datasetIndex].band; }, boxWidth: 12, usePointStyle: true}},
          tooltip: {filter: function (item) { return !item.dataset.band; },
            callbacks: {label: function (ctx) {
              var d = ctx.dataset, i = ctx.dataIndex;
              if (d.data[i] === null) return d.label + ': not scored';
              return d.label + ': ' + VC.fmt(d.data[i]) + '  (95% ' + VC.fmt(d.lo[i], 0) + '\u2013' + VC.fmt(d.hi[i], 0) + ')';
            }}}
        }
      }
    });
  };

  /** Series values of one model on a system's dimensions (nulls where not scored). */
  C.seriesOf = function (model, system, color) {
    var pick = function (k) { return system.dims.map(function (d) { var s = model.scores[d.id]; return s ? s[k] : null; }); };
    return {label: model.label, color: color, values: pick(0), low: pick(2), high: pick(3)};
  };

  /** Draws point labels next to scatter points (Chart.js has no built-in data labels). */
  var labelPlugin = {
    id: 'vcPointLabels',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      ctx.save();
      chart.data.datasets.forEach(function (ds, i) {
        if (!ds.showLabels || !chart.isDatasetVisible(i)) return;
        var meta = chart.getDatasetMeta(i);
        ctx.font = (ds.labelWeight || '500') + ' 11px ' + Chart.defaults.font.family;
        ctx.fillStyle = ds.labelColor || '#334155';
        meta.data.forEach(function (pt, j) {
          ctx.fillText(ds.data[j].name, pt.x + 7, pt.y - 6);
        });
      });
      ctx.restore();
    }
  };

  /** A 2-D scatter with named points: groups [{label, color, points: [{x, y, name}], showLabels, radius}]. */
  C.scatter = function (canvas, groups, axes) {
    return new Chart(canvas, {
      type: 'scatter',
      data: {datasets: groups.map(function (g) {
        return {label: g.label, data: g.points, backgroundColor: VC.alpha(g.color, g.alpha || 0.85), borderColor: g.color,
          pointRadius: g.radius || 5, pointHoverRadius: (g.radius || 5) + 2, pointStyle: g.style || 'circle',
          showLabels: g.showLabels, labelColor: g.labelColor, labelWeight: g.labelWeight};
      })},
      options: {
        scales: {x: {title: {display: true, text: axes[0]}, grid: {color: '#eef2f7'}},
          y: {title: {display: true, text: axes[1]}, grid: {color: '#eef2f7'}}},
        plugins: {legend: {position: 'bottom', labels: {usePointStyle: true}},
          tooltip: {callbacks: {label: function (ctx) { return ctx.raw.name + ' (' + VC.fmt(ctx.raw.x, 2) + ', ' + VC.fmt(ctx.raw.y, 2) + ')'; }}}}
      },
      plugins: [labelPlugin]
    });
  };
})();
