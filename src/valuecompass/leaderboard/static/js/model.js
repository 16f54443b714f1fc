/* Value Compass: the model page's radar charts (one per value system, with intervals). */
(function () {
  'use strict';
  var VC = window.VC, D = VC.data();
  if (!VC.charts.radar) return;
  D.systems.forEach(function (system) {
    var canvas = document.getElementById('radar-' + system.id);
    if (!canvas) return;
    VC.charts.radar(canvas, system.dims.map(function (d) { return d.short; }),
      [VC.charts.seriesOf(D.model, system, VC.palette[0])]);
  });
})();

/* Value Compass: the model page's "PDF report" button in the static export (the server links to
 * model/<key>.pdf instead), and charts redrawn at their printed size before printing. */
(function () {
  'use strict';
  var button = document.getElementById('print-report');
  if (button) button.addEventListener('click', function () { window.print(); });
  var screenSizes = {};
  function layout(printing) {  // app.css lays the page out for print under html.printing
    document.documentElement.classList.toggle('printing', printing);
    if (!window.Chart) return;
    Object.keys(window.Chart.instances).forEach(function (id) {
      var chart = window.Chart.instances[id], r = chart.options.scales && chart.options.scales.r;
      if (r && r.pointLabels && r.pointLabels.font) {  // smaller axis names beside the printed table
        if (!(id in screenSizes)) screenSizes[id] = r.pointLabels.font.size;
        r.pointLabels.font.size = printing ? 9 : screenSizes[id];
      }
      chart.resize();
      chart.update('none');
    });
  }
  window.addEventListener('beforeprint', function () { layout(true); });
  window.addEventListener('afterprint', function () { layout(false); });
})();
