/* Value Compass: "Test your values". Scores the questionnaire in the browser (nothing is sent),
 * shows the personal profile and the models whose scores rank the values the same way.
 * URL state: ?q=<system>&a=<one digit per item, in order> (shareable results). */
(function () {
  'use strict';
  var VC = window.VC, M = VC.metric, D = VC.data();
  var $ = function (id) { return document.getElementById(id); };
  var MIN_DIMS = 3;
  var qs = {}, systems = {};
  D.questionnaires.forEach(function (q) { qs[q.system] = q; });
  D.systems.forEach(function (s) { systems[s.id] = s; });
  var P = VC.params(), current = qs[P.get('q')] ? P.get('q') : D.questionnaires[0].system;

  function form(sys) { return $('q-' + sys); }

  function answers(sys) {
    var out = {}, f = form(sys);
    qs[sys].items.forEach(function (item) {
      var c = f.querySelector('input[name="' + item.id + '"]:checked');
      if (c) out[item.id] = Number(c.value);
    });
    return out;
  }

  function progress(sys) {
    var n = Object.keys(answers(sys)).length, total = qs[sys].items.length, f = form(sys), text = n + ' of ' + total + ' answered';
    f.querySelectorAll('.q-progress, .q-meter-text').forEach(function (node) { node.textContent = text; });
    var meter = f.querySelector('.q-meter'), bar = meter && meter.querySelector('progress');
    if (bar) { bar.max = total; bar.value = n; bar.textContent = text; meter.classList.toggle('done', n === total); }
    return n === total;
  }

  function show(sys) {
    current = sys;
    D.questionnaires.forEach(function (q) { form(q.system).hidden = q.system !== sys; });
    VC.selectTab($('q-tabs'), sys);
    $('results').hidden = true;
    progress(sys);
  }

  function bars(sys, weights) {
    var box = VC.clear($('profile-bars')), max = 0;
    systems[sys].dims.forEach(function (d) { max = Math.max(max, weights[d.id]); });
    systems[sys].dims.slice().sort(function (a, b) { return weights[b.id] - weights[a.id]; }).forEach(function (d) {
      box.appendChild(VC.el('span', {text: d.name}));
      box.appendChild(VC.el('span', {cls: 'pbar'}, VC.fillBar(weights[d.id] / max)));
      box.appendChild(VC.el('span', {cls: 'slider-val', text: Math.round(100 * weights[d.id]) + '%'}));
    });
  }

  function matches(sys, priorities) {
    var dims = systems[sys].dims.map(function (d) { return d.id; }), out = [];
    D.models.forEach(function (m) {
      var shared = dims.filter(function (d) { return m.scores[d]; });
      if (shared.length < MIN_DIMS) return;
      var rho = M.spearman(shared.map(function (d) { return m.scores[d][0]; }), shared.map(function (d) { return priorities[d]; }));
      if (isFinite(rho)) out.push({m: m, rho: rho, n: shared.length});
    });
    out.sort(function (a, b) { return b.rho - a.rho || (a.m.label < b.m.label ? -1 : 1); });
    var list = VC.clear($('matches'));
    out.slice(0, 10).forEach(function (r) {
      list.appendChild(VC.el('li', {attrs: {'data-model': r.m.key, 'data-rho': r.rho.toFixed(6)}},
        VC.el('a', {href: 'model/' + r.m.key + '.html', text: r.m.label}),
        VC.el('span', {cls: 'rho', text: (r.rho >= 0 ? '+' : '\u2212') + Math.abs(r.rho).toFixed(2)}),
        VC.el('span', {cls: 'muted small', text: '  over ' + r.n + ' values'})));
    });
    if (!out.length) list.appendChild(VC.el('li', {cls: 'muted', text: 'No model is scored on at least ' + MIN_DIMS + ' of these values yet.'}));
  }

  /* The value portrait: a few sentences from the top values (static/js/portrait.js), as text only. */
  function portrait(sys, priorities) {
    var p = VC.portrait(D.portraits[sys], priorities);
    $('portrait-title').textContent = p.title;
    $('portrait-text').textContent = p.text;
    $('portrait').setAttribute('data-dims', p.dims.join(','));
  }

  function results(sys) {
    var q = qs[sys], a = answers(sys), dims = systems[sys].dims.map(function (d) { return d.id; });
    var scored = M.scoreAnswers(q, a, dims), weights = M.softmax(scored.priorities, dims, D.temperature);
    bars(sys, weights);
    matches(sys, scored.priorities);
    portrait(sys, scored.priorities);
    $('results-note').textContent = q.centring === 'mrat' ?
      'Each value\u2019s score is the mean of its items, centred on your mean over all items; weights are their softmax (temperature ' + D.temperature + ').' :
      'Each foundation\u2019s score is the mean of its items; weights are their softmax (temperature ' + D.temperature + ').';
    var w = dims.map(function (d) { return d + ':' + (+weights[d].toPrecision(4)); }).join(',');
    $('use-profile').setAttribute('href', VC.safeHref('index.html?sys=' + sys + '&p=personal&w=' + w + '&dims=' + dims.join(',')));
    $('results').hidden = false;
    var Q = new URLSearchParams();
    Q.set('q', sys);
    Q.set('a', q.items.map(function (item) { return a[item.id]; }).join(''));
    VC.setParams(Q);
  }

  D.questionnaires.forEach(function (q) {
    var f = form(q.system);
    f.addEventListener('change', function (ev) {
      var li = ev.target.closest('.q-item');
      if (li) li.classList.remove('missing');
      progress(q.system);
    });
    f.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (!progress(q.system)) {
        var a = answers(q.system), first = null;
        f.querySelectorAll('.q-item').forEach(function (li) {
          var miss = a[li.getAttribute('data-item')] === undefined;
          li.classList.toggle('missing', miss);
          if (miss && !first) first = li;
        });
        if (first) first.scrollIntoView({block: 'center'});
        VC.toast('Please answer every item first');
        return;
      }
      results(q.system);
      $('results').scrollIntoView({block: 'start'});
    });
  });
  VC.tabs($('q-tabs'), show);
  show(current);

  var saved = P.get('a') || '', q0 = qs[current];
  if (saved.length === q0.items.length && /^[0-9]+$/.test(saved)) {
    q0.items.forEach(function (item, i) {
      var input = form(current).querySelector('input[name="' + item.id + '"][value="' + saved[i] + '"]');
      if (input) input.checked = true;
    });
    if (progress(current)) results(current);
  }
})();
