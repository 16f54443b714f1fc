/* Value Compass: the few formulas the browser recomputes when the user changes the view.
 *
 * Each mirrors a function of the Python package (valuecompass.metric / .leaderboard) and is
 * checked against it by the browser tests (tests/leaderboard/test_browser_*.py):
 *   align          <- metric.weighted_alignment(on_missing="renormalise")
 *   rankRanges     <- leaderboard.rank_ranges
 *   spearman       <- metric.spearman (average ranks for ties)
 *   softmax        <- metric.softmax_weights
 *   scoreAnswers   <- metric.score_answers (reverse keying, MRAT centring)
 */
(function () {
  'use strict';
  var M = window.VC.metric = {};

  /** Normalise non-negative weights to sum 1 over `dims` (null if all are zero). */
  M.normalise = function (weights, dims) {
    var total = 0, out = {};
    dims.forEach(function (d) { total += Math.max(0, weights[d] || 0); });
    if (!(total > 0)) return null;
    dims.forEach(function (d) { out[d] = Math.max(0, weights[d] || 0) / total; });
    return out;
  };

  /**
   * Align(m | w) = sum_d w_d s_d with SE sqrt(sum_d w_d^2 se_d^2) and a z-interval clipped to
   * 0-100. scores: {dim: [score, se, low, high, n]}. Weighted dims without a score are dropped
   * and the rest renormalised (listed in `missing`). Returns null if nothing is scored.
   */
  M.align = function (scores, weights, z) {
    var used = Object.keys(weights).filter(function (d) { return weights[d] > 0; });
    var have = used.filter(function (d) { return scores[d] !== undefined; });
    var missing = used.filter(function (d) { return scores[d] === undefined; });
    var total = 0;
    have.forEach(function (d) { total += weights[d]; });
    if (!have.length || !(total > 0)) return null;
    var value = 0, variance = 0, n = 0;
    have.forEach(function (d) {
      var w = weights[d] / total;
      value += w * scores[d][0];
      variance += (w * scores[d][1]) * (w * scores[d][1]);
      n += scores[d][4];
    });
    var se = Math.sqrt(variance);
    return {value: value, se: se, low: Math.max(0, value - z * se), high: Math.min(100, value + z * se),
      missing: missing, n: n};
  };

  /** Best and worst rank each [low, high] interval allows among the others. */
  M.rankRanges = function (intervals) {
    return intervals.map(function (iv) {
      var above = 0, below = 0;
      intervals.forEach(function (o) {
        if (o[0] > iv[1]) above += 1;
        if (o[1] < iv[0]) below += 1;
      });
      return [above + 1, intervals.length - below];
    });
  };

  function ranks(xs) {
    var idx = xs.map(function (x, i) { return i; }).sort(function (a, b) { return xs[a] - xs[b]; });
    var out = new Array(xs.length), i = 0;
    while (i < idx.length) {
      var j = i;
      while (j + 1 < idx.length && xs[idx[j + 1]] === xs[idx[i]]) j += 1;
      for (var k = i; k <= j; k++) out[idx[k]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return out;
  }

  /** Spearman rank correlation (ties get average ranks); NaN if a vector is constant. */
  M.spearman = function (a, b) {
    if (a.length !== b.length || a.length < 2) return NaN;
    var ra = ranks(a), rb = ranks(b), mid = (a.length + 1) / 2, sab = 0, saa = 0, sbb = 0;
    for (var i = 0; i < a.length; i++) {
      var x = ra[i] - mid, y = rb[i] - mid;
      sab += x * y; saa += x * x; sbb += y * y;
    }
    var denom = Math.sqrt(saa * sbb);
    return denom > 0 ? sab / denom : NaN;
  };

  /** Softmax of priorities at temperature T: weights > 0 summing to 1. */
  M.softmax = function (priorities, dims, temperature) {
    var max = -Infinity, out = {}, total = 0;
    dims.forEach(function (d) { max = Math.max(max, priorities[d] / temperature); });
    dims.forEach(function (d) { out[d] = Math.exp(priorities[d] / temperature - max); total += out[d]; });
    dims.forEach(function (d) { out[d] /= total; });
    return out;
  };

  /**
   * Score questionnaire answers: mean of each dimension's items (reverse-keyed ones as
   * min + max - answer), then MRAT centring (minus the mean of all scored answers) if the
   * questionnaire centres. Returns {raw, priorities} keyed by dimension.
   */
  M.scoreAnswers = function (q, answers, dims) {
    var sums = {}, counts = {}, all = 0, nAll = 0;
    q.items.forEach(function (item) {
      if (!item.dimension) return;
      var v = answers[item.id];
      if (item.reverse) v = q.min + q.max - v;
      sums[item.dimension] = (sums[item.dimension] || 0) + v;
      counts[item.dimension] = (counts[item.dimension] || 0) + 1;
      all += v; nAll += 1;
    });
    var raw = {}, prio = {}, mean = all / nAll;
    dims.forEach(function (d) {
      raw[d] = sums[d] / counts[d];
      prio[d] = q.centring === 'mrat' ? raw[d] - mean : raw[d];
    });
    return {raw: raw, priorities: prio};
  };
})();
