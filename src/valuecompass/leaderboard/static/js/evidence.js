/* Value Compass: a response with its evidence spans marked (the same markup as the `response` macro).
 *
 * VC.renderEvidence(el, text, spans) empties `el` and fills it with `text` as text nodes, the
 * characters of each [start, end) span in `spans` (offsets into `text`, as Case.spans holds them)
 * wrapped in <mark class="evidence">. Spans are taken in order; overlapping or out-of-range parts
 * are clipped, so a span past a cut response marks only what is shown. Model text is untrusted:
 * only text nodes are created, never HTML.
 */
(function () {
  'use strict';
  var VC = window.VC;

  VC.renderEvidence = function (el, text, spans) {
    text = String(text === null || text === undefined ? '' : text);
    VC.clear(el);
    var at = 0;
    (spans || []).forEach(function (span) {
      var start = Math.max(Number(span[0]) || 0, at), end = Math.min(Number(span[1]) || 0, text.length);
      if (start >= end) return;
      if (start > at) el.appendChild(document.createTextNode(text.slice(at, start)));
      el.appendChild(VC.el('mark', {cls: 'evidence', text: text.slice(start, end)}));
      at = end;
    });
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
    return el;
  };
})();
