/* 二、2's lab: a fixed rate against a decayed one from the same start, z-scored data. */
(function (root) {
  "use strict";
  var W = root.gdlabWords, P = root.gdlabPart2;

  function schedule(kind, gamma, epochs, S) {
    if (kind === "cosine") { return { type: "cosine", totalSteps: epochs, minLr: 0 }; }
    if (gamma === 1) { return null; }
    if (kind === "step") { return { type: "step", stepSize: S.step_size, gamma: gamma }; }
    return { type: "exponential", gamma: gamma };
  }

  function read(run, d, rtol, epochs) {
    var gap = P.gaps(run.loss, d.fStar, true);
    var reached = run.status === "diverged" ? null : P.settle(gap, rtol);
    var status = run.status === "diverged" ? "diverged" : reached === null ? "not_within" : "converged";
    return { gap: gap, reached: reached, status: status, final: gap[gap.length - 1], epochs: epochs };
  }

  function show(lab, column, r, rates) {
    var sum = 0;
    for (var i = 0; i < rates.length; i++) { sum += rates[i]; }
    lab.readout("status", column, W.both("common.status." + r.status));
    lab.readout("reached", column, r.status === "diverged" ? W.both("common.status.diverged")
      : r.reached === null ? W.both("common.not_reached", { budget: r.epochs }) : W.format(r.reached, ","));
    lab.readout("gap", column, r.status === "diverged" ? W.both("common.status.diverged") : W.format(r.final, ".1e"));
    lab.readout("sum", column, W.format(sum, ".3g"));
  }

  root.gdlabLabs = root.gdlabLabs || {};
  root.gdlabLabs.decay = function (lab) {
    var g = root.gdlab, S = lab.setup, design = P.Designs(g, S);
    function update() {
      var d = design("zscore"), epochs = lab.value("epochs");
      var lr0 = lab.value("factor") * d.cond.limit;
      var decay = schedule(lab.value("kind"), lab.value("gamma"), epochs, S);
      var runs = { fixed: null, decay: decay };
      Object.keys(runs).forEach(function (column) {
        var run = g.descend({ X: d.A, y: S.y, lr: lr0, epochs: epochs, decay: runs[column] });
        var rates = g.rates(lr0, runs[column], epochs);
        var r = read(run, d, S.rtol, epochs);
        lab.draw("loss", column, P.curve(r.gap));
        lab.draw("rate", column, P.curve(rates));
        show(lab, column, r, rates);
      });
      lab.draw("loss", "tolerance", P.level(S.rtol, epochs));
      lab.draw("rate", "limit", P.level(d.cond.limit, epochs));
    }
    return { update: update };
  };
})(window);
