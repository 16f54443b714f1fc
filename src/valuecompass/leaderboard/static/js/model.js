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
