/* What part 二's labs share: the data set's designs and how a run is read.
 *
 * Each lab gets the raw data (setup.X, setup.y); a design scales every column with the
 * page's engine (fitted on all rows, as the lesson does) and appends the intercept column.
 * Runs start from w = 0, as in gdlab.report.sections.part2.
 */
(function (root) {
  "use strict";
  var FLOOR = 1e-16;  // where a log axis shows a gap of 0

  function Designs(g, S) {
    var cache = {};
    return function design(kind) {
      if (!cache[kind]) {
        var A = g.addIntercept(kind === "raw" ? S.X : g.scale(S.X, kind, { eps: 0 }));
        var best = g.optimum(A, S.y);
        cache[kind] = {
          kind: kind, A: A, y: S.y, cond: g.conditioning(A, { intercept: false }),
          wStar: best.w, fStar: best.loss, w0: A[0].map(function () { return 0; })
        };
      }
      return cache[kind];
    };
  }

  /** The first index where values[i] <= level, or null. */
  function firstAtOrBelow(values, level) {
    for (var i = 0; i < values.length; i++) { if (values[i] <= level) { return i; } }
    return null;
  }

  /** The first index from which values stay <= level to the end, or null. */
  function settle(values, level) {
    for (var i = values.length - 1; i >= 0; i--) {
      if (!(values[i] <= level)) { return i + 1 < values.length ? i + 1 : null; }
    }
    return 0;
  }

  var DRAWN = 1000;  // points a curve keeps: a screen is narrower, and Bokeh paints each one

  /** A curve for a log axis: x = 0, 1, ..., y clipped at FLOOR (NaN where not finite); a long
   * run keeps every k-th epoch and its last, so a redraw stays within a frame. */
  function curve(values) {
    var n = values.length, stride = Math.max(1, Math.ceil(n / DRAWN));
    var m = Math.ceil(n / stride) + ((n - 1) % stride ? 1 : 0);
    var x = new Float64Array(m), y = new Float64Array(m), j = 0;
    for (var i = 0; i < n; i += stride) { x[j] = i; y[j++] = values[i]; }
    if ((n - 1) % stride) { x[j] = n - 1; y[j++] = values[n - 1]; }
    for (j = 0; j < m; j++) { y[j] = isFinite(y[j]) ? Math.max(y[j], FLOOR) : NaN; }
    return { x: x, y: y };
  }

  /** loss - fStar per record (relative to the start's gap when `relative`). */
  function gaps(loss, fStar, relative) {
    var scale = relative ? loss[0] - fStar : 1, out = new Float64Array(loss.length);
    for (var i = 0; i < loss.length; i++) { out[i] = Math.max((loss[i] - fStar) / scale, 0); }
    return out;
  }

  /** A horizontal reference line across `n` epochs. */
  function level(value, n) { return { x: [0, n], y: [value, value] }; }

  root.gdlabPart2 = {
    Designs: Designs, firstAtOrBelow: firstAtOrBelow, settle: settle, curve: curve,
    gaps: gaps, level: level
  };
})(window);
