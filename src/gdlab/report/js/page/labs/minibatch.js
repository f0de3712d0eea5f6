/* 二、3's lab: mini-batches over several shuffles (a band) against full batch at 2/(L+μ). */
(function (root) {
  "use strict";
  var W = root.gdlabWords, P = root.gdlabPart2;

  function median(values) {
    var v = values.slice().sort(function (a, b) { return a - b; }), n = v.length;
    return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  function tailMean(gap, tail) {
    var s = 0;
    for (var i = gap.length - tail; i < gap.length; i++) { s += gap[i]; }
    return s / tail;
  }

  /** The shuffles' gaps per epoch: their range, their median, and the readouts' numbers. */
  function band(runs, d, S) {
    var gaps = runs.map(function (run) { return P.gaps(run.loss, d.fStar, false); });
    var n = gaps[0].length, lower = new Float64Array(n), upper = new Float64Array(n), mid = new Float64Array(n);
    for (var e = 0; e < n; e++) {
      var at = gaps.map(function (gap) { return gap[e]; });
      lower[e] = Math.min.apply(null, at);
      upper[e] = Math.max.apply(null, at);
      mid[e] = median(at);
    }
    var reach = gaps.map(function (gap) { return P.firstAtOrBelow(gap, S.target * d.fStar); });
    var ends = gaps.map(function (gap) { return gap[n - 1]; });
    return {
      lower: lower, upper: upper, median: mid,
      reached: reach.indexOf(null) >= 0 ? null : Math.floor(median(reach)),
      final: median(gaps.map(function (gap) { return tailMean(gap, S.tail); })),
      spread: Math.max.apply(null, ends) - Math.min.apply(null, ends),
      diverged: runs.some(function (run) { return run.status === "diverged"; })
    };
  }

  function show(lab, column, lr, updates, b, epochs) {
    lab.readout("lr", column, W.format(lr, ".3g"));
    lab.readout("updates", column, W.format(updates, ","));
    lab.readout("epochs", column, b.diverged ? W.both("common.status.diverged")
      : b.reached === null ? W.both("common.not_reached", { budget: epochs }) : W.format(b.reached, ","));
    lab.readout("final", column, b.diverged ? W.both("common.status.diverged") : W.format(b.final, ".3g"));
    lab.readout("spread", column, b.spread === null ? W.both("sections.minibatch.lab.no_randomness")
      : W.format(b.spread, ".3g"));
  }

  root.gdlabLabs = root.gdlabLabs || {};
  root.gdlabLabs.minibatch = function (lab) {
    var g = root.gdlab, S = lab.setup, design = P.Designs(g, S);
    function update() {
      var d = design("zscore"), batch = parseInt(lab.value("batch"), 10), gamma = lab.value("gamma");
      var seed = lab.value("seed"), lr = lab.value("factor") * d.cond.limit;
      if (!(Number.isInteger(seed) && seed >= 0)) { seed = 0; }
      var decay = gamma < 1 ? { type: "exponential", gamma: gamma } : null;
      var runs = [];
      for (var k = 0; k < S.shuffles; k++) {
        runs.push(g.descend({ X: d.A, y: S.y, lr: lr, epochs: S.epochs, batchSize: batch, decay: decay,
                              shuffleSeed: seed + k, record: "epoch" }));
      }
      var mini = band(runs, d, S);
      var full = band([g.descend({ X: d.A, y: S.y, lr: d.cond.best, epochs: S.epochs })], d, S);
      full.spread = null;
      var lower = P.curve(mini.lower), upper = P.curve(mini.upper);
      lab.draw("loss", "band", { x: lower.x, lower: lower.y, upper: upper.y });
      lab.draw("loss", "median", P.curve(mini.median));
      lab.draw("loss", "full", P.curve(full.median));
      lab.draw("loss", "target", P.level(S.target * d.fStar, S.epochs));
      show(lab, "mini", lr, Math.ceil(S.y.length / batch), mini, S.epochs);
      show(lab, "full", d.cond.best, 1, full, S.epochs);
    }
    return { update: update };
  };
})(window);
