/* Value Compass: filter the drill-down's cases by the judge's label. */
(function () {
  'use strict';
  var bar = document.getElementById('label-filter');
  if (!bar) return;
  bar.addEventListener('click', function (ev) {
    var btn = ev.target.closest('button[data-label]');
    if (!btn) return;
    var want = btn.getAttribute('data-label');
    bar.querySelectorAll('button[data-label]').forEach(function (b) { b.setAttribute('aria-pressed', b === btn ? 'true' : 'false'); });
    document.querySelectorAll('#cases .case').forEach(function (c) {
      c.hidden = want !== 'all' && c.getAttribute('data-label') !== want;
    });
  });
})();
