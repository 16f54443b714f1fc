/* Value Compass: the value portrait shown after "Test your values": a few sentences about the
 * person from the values their answers put first. Mirrors valuecompass.metric.portrait_of, from
 * the same words (metric/data/portraits.yaml, embedded as payload.portraits):
 *   top values = the highest priorities (ties keep the system's dimension order);
 *   title = their traits joined ("a, b and c"), first letter upper case;
 *   text = the lead with {values} replaced by their names joined, then one sentence per value.
 * The result is plain text: callers insert it with textContent only. */
(function () {
  'use strict';
  var VC = window.VC;

  function join(names) {
    return names.length === 1 ? names[0] : names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
  }

  /** spec: payload.portraits[system]; priorities: {dim: number}. Returns {dims, title, text}. */
  VC.portrait = function (spec, priorities, top) {
    var ranked = spec.dims.slice().sort(function (a, b) { return priorities[b] - priorities[a]; })
      .slice(0, top || spec.top);  // Array.prototype.sort is stable: ties keep the system's order
    var words = ranked.map(function (d) { return spec.words[d]; });
    var title = join(words.map(function (w) { return w.trait; }));
    var lead = spec.lead.split('{values}').join(join(words.map(function (w) { return w.name; })));
    return {dims: ranked, title: title.charAt(0).toUpperCase() + title.slice(1),
      text: [lead].concat(words.map(function (w) { return w.sentence; })).join(' ')};
  };
})();
