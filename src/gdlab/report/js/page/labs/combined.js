/* 二、4's lab: your combination of z-score, mini-batch and decay, beside the tuned "all
 * three" and "none" (their settings come from gdlab's grid, setup.tuned). */
(function (root) {
  "use strict";
  var W = root.gdlabWords, P = root.gdlabPart2;

  function run(g, S, design, settings) {
    var d = design(settings.zscore ? "zscore" : "raw");
    var lr = settings.fraction * d.cond.limit;
    var decay = settings.decay && settings.gamma < 1 ? { type: "exponential", gamma: settings.gamma } : null;
    var res = g.descend({ X: d.A, y: S.y, lr: lr, epochs: S.epochs, decay: decay,
                          batchSize: settings.minibatch ? S.batch_size : null, record: "epoch" });
    var gap = P.gaps(res.loss, d.fStar, false);
    return {
      lr: lr, gamma: decay ? settings.gamma : null, gap: gap, diverged: res.status === "diverged",
      settled: res.status === "diverged" ? null : P.settle(gap, S.target * d.fStar)
    };
  }

  function show(lab, column, r, S) {
    lab.readout("rate", column, W.format(r.lr, ".3g"));
    lab.readout("factor_used", column, r.gamma === null ? "—" : W.format(r.gamma, "g"));
    lab.readout("settle", column, r.diverged ? W.both("common.status.diverged")
      : r.settled === null ? W.both("common.not_reached", { budget: S.epochs }) : W.format(r.settled, ","));
    lab.readout("final", column, r.diverged ? W.both("common.status.diverged") : W.format(r.gap[r.gap.length - 1], ".3g"));
  }

  root.gdlabLabs = root.gdlabLabs || {};
  root.gdlabLabs.combined = function (lab) {
    var g = root.gdlab, S = lab.setup, design = P.Designs(g, S);
    function tuned(code) {
      return { zscore: code[0] === "1", minibatch: code[1] === "1", decay: code[2] === "1",
               fraction: S.tuned[code].fraction, gamma: S.tuned[code].gamma };
    }
    function update() {
      // γ matters only with decay: a slider that does nothing is greyed out.
      lab.box.querySelector('[data-control="gamma"]').disabled = !lab.value("decay");
      var runs = {
        yours: run(g, S, design, {
          zscore: lab.value("zscore"), minibatch: lab.value("minibatch"), decay: lab.value("decay"),
          fraction: lab.value("factor"), gamma: lab.value("gamma")
        }),
        all: run(g, S, design, tuned("111")),
        none: run(g, S, design, tuned("000"))
      };
      Object.keys(runs).forEach(function (column) {
        lab.draw("loss", column, P.curve(runs[column].gap));
        show(lab, column, runs[column], S);
      });
      lab.draw("loss", "target", P.level(S.target * design("zscore").fStar, S.epochs));
    }
    return { update: update };
  };
})(window);
