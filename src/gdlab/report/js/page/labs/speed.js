/* 二、1's lab: full batch on raw, min-max and z-scored data, each at c × its own 2/L. */
(function (root) {
  "use strict";
  var W = root.gdlabWords, P = root.gdlabPart2;
  var KINDS = ["raw", "minmax", "zscore"];

  function epochsTo(run, d, rtol) {
    var d0 = Math.hypot.apply(null, d.wStar);  // w0 = 0
    for (var k = 0; k < run.w.length; k++) {
      var dist = 0;
      for (var j = 0; j < d.wStar.length; j++) { dist += Math.pow(run.w[k][j] - d.wStar[j], 2); }
      if (Math.sqrt(dist) <= rtol * d0) { return k; }
    }
    return null;
  }

  root.gdlabLabs = root.gdlabLabs || {};
  root.gdlabLabs.speed = function (lab) {
    var g = root.gdlab, S = lab.setup, design = P.Designs(g, S);
    function update() {
      var c = lab.value("fraction"), epochs = lab.value("epochs");
      KINDS.forEach(function (kind) {
        var d = design(kind), lr = c * d.cond.limit;
        var run = g.descend({ X: d.A, y: S.y, lr: lr, epochs: epochs });
        var hit = run.status === "diverged" ? null : epochsTo(run, d, S.rtol);
        var steps = d.cond.steps(lr, S.rtol);
        lab.draw("loss", kind, P.curve(P.gaps(run.loss, d.fStar, false)));
        lab.readout("kappa", kind, W.format(d.cond.kappa, ",.1f"));
        lab.readout("lr", kind, W.format(lr, ".4g"));
        lab.readout("predicted", kind, isFinite(steps) ? W.format(steps, ",") : W.both("common.no_prediction"));
        lab.readout("measured", kind, run.status === "diverged" ? W.both("common.status.diverged")
          : hit === null ? W.both("common.not_reached", { budget: epochs }) : W.format(hit, ","));
        var last = run.loss[run.loss.length - 1] - d.fStar;
        lab.readout("gap", kind, run.status === "diverged" ? W.both("common.status.diverged")
          : W.format(Math.max(last, 0), ".3g"));
      });
    }
    return { update: update };
  };
})(window);
