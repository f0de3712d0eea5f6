/* 一、3's lab: the lesson's contour experiment, raw data beside scaled data, step by step.
 *
 * Both sides start from the same point (the lesson copies w into w_norm) and descend at the
 * same rate for the same number of steps; the start moves with a tap or a drag on either
 * figure, or with the two number boxes. Each run goes on to the budget so the measured step
 * count is known even when fewer steps are drawn. A reader's own CSV file replaces the
 * lesson's two rows (labs/own_data.js): two features and a target, the first rows fitting
 * the scaler and the descent.
 */
(function (root) {
  "use strict";
  var W = root.gdlabWords;
  var LEVELS = [1e-3, 4e-3, 0.016, 0.06, 0.25, 1, 2.5, 6, 16];  // x (f(start) - f*), above f*
  var FAR = 10;  // a diverging path is cut once this many view widths from the minimum

  function norm(a, b) { return Math.hypot(a[0] - b[0], a[1] - b[1]); }

  function scaledDesign(g, data, kind) {
    if (kind === "raw" || data.scaled.length === 0) { return data.X; }
    var cols = data.X.map(function (row) { return data.scaled.map(function (j) { return row[j]; }); });
    var scaled = g.scale(cols, kind, { eps: 0 });
    return data.X.map(function (row, i) {
      var out = row.slice();
      data.scaled.forEach(function (j, c) { out[j] = scaled[i][c]; });
      return out;
    });
  }

  function Design(g, data, kind) {
    var A = scaledDesign(g, data, kind);
    var cond = g.conditioning(A, { intercept: false });
    var best = g.optimum(A, data.y), wStar = best.w, fStar = best.loss;
    var f0 = g.loss(A, data.y, data.w0);
    var half = 0.8 * Math.max(Math.abs(data.w0[0] - wStar[0]), Math.abs(data.w0[1] - wStar[1]), 1e-9);
    var cx = (data.w0[0] + wStar[0]) / 2, cy = (data.w0[1] + wStar[1]) / 2;
    var levels = LEVELS.map(function (r) { return fStar + r * (f0 - fStar); });
    return {
      kind: kind, A: A, cond: cond, wStar: wStar, fStar: fStar, width: 2 * half,
      view: { x: [cx - half, cx + half], y: [cy - half, cy + half] },
      contours: g.ellipses(A, data.y, levels, 96).lines
    };
  }

  function runOn(g, data, d, start, lr, steps) {
    var res = g.descend({ X: d.A, y: data.y, w0: start, lr: lr, epochs: Math.max(data.budget, steps) });
    var d0 = norm(start, d.wStar), hit = null;
    for (var k = 0; k < res.w.length && k <= data.budget; k++) {
      if (norm(res.w[k], d.wStar) <= data.rtol * d0) { hit = k; break; }
    }
    var status = res.status === "diverged" ? "diverged" : hit !== null ? "converged" : "not_within";
    var far = res.w.length;
    for (k = 0; k < res.w.length; k++) {
      if (Math.max(Math.abs(res.w[k][0] - d.wStar[0]), Math.abs(res.w[k][1] - d.wStar[1])) > FAR * d.width) {
        far = k + 1;
        break;
      }
    }
    return { w: res.w.slice(0, far), loss: res.loss, hit: hit, status: status, divergedAt: res.divergedAt };
  }

  function readouts(lab, column, d, run, lr, data) {
    var factor = d.cond.rate(lr), steps = d.cond.steps(lr, data.rtol);
    lab.readout("kappa", column, W.format(d.cond.kappa, ".2f"));
    lab.readout("limit", column, W.format(d.cond.limit, ".4g"));
    lab.readout("factor", column, factor > 1 + 1e-12 ? W.both("lab.factor_diverges", { factor: factor })
      : factor >= 1 - 1e-12 ? W.both("lab.factor_edge", { factor: factor }) : W.format(factor, ".4f"));
    lab.readout("predicted", column, isFinite(steps) ? W.format(steps, ",") : W.both("common.no_prediction"));
    lab.readout("measured", column,
      run.status === "converged" ? W.format(run.hit, ",")
        : run.status === "diverged" ? W.both("lab.measured_diverged", { k: run.divergedAt.step })
          : W.both("common.not_reached", { budget: data.budget }));
  }

  root.gdlabLabs = root.gdlabLabs || {};
  root.gdlabLabs.contours = function (lab) {
    var g = root.gdlab, S = lab.setup;
    var lesson = { X: S.X, y: S.y, w0: S.w0, scaled: S.scaled_columns, rtol: S.rtol, budget: S.budget };
    var data = lesson, designs = {}, runs = {}, start = S.w0.slice(), drawn = {};
    var slider = lab.box.querySelector('input[data-rate-for="lr"]');
    var lessonRate = [lab.value("lr"), Math.pow(10, +slider.min), Math.pow(10, +slider.max)];
    function design(kind) { return designs[kind] || (designs[kind] = Design(g, data, kind)); }
    function sides() { return { raw: design("raw"), scaled: design(lab.value("scaler")) }; }

    function drawSurface(side, d) {
      lab.draw("surface-" + side, "start", { x: [start[0]], y: [start[1]] });
      // The contours and the view change with the design only: redrawing them on every rate
      // would make Bokeh recompute the figure's ranges for nothing.
      if (drawn[side] === d) { return; }
      drawn[side] = d;
      lab.draw("surface-" + side, "contours", {
        xs: d.contours.map(function (l) { return Array.from(l.x); }),
        ys: d.contours.map(function (l) { return Array.from(l.y); })
      });
      lab.draw("surface-" + side, "view", d.view);
      lab.draw("surface-" + side, "optimum", { x: [d.wStar[0]], y: [d.wStar[1]] });
    }

    function show(k) {
      var now = sides();
      ["raw", "scaled"].forEach(function (side) {
        var w = runs[side].w.slice(0, k + 1);
        var xs = w.map(function (p) { return p[0]; }), ys = w.map(function (p) { return p[1]; });
        lab.draw("surface-" + side, "path", { x: xs, y: ys });
        lab.draw("surface-" + side, "points", { x: xs, y: ys });
        var last = w[w.length - 1];
        lab.draw("surface-" + side, "current", { x: [last[0]], y: [last[1]] });
        var gap = runs[side].loss.slice(0, lab.value("steps") + 1).map(function (f) {
          return isFinite(f) ? Math.max(f - now[side].fStar, 1e-16) : NaN;
        });
        lab.draw("loss", side, { x: gap.map(function (_, i) { return i; }), y: gap });
      });
      lab.draw("loss", "now", { x: [k, k], y: [1e-12, 1e4] });
    }

    function update(changed) {
      var lr = lab.value("lr"), steps = lab.value("steps");
      if (!(lr > 0 && isFinite(lr))) {
        lab.say("lab.bad_rate", { value: lab.text("lr") });
        return;
      }
      if (changed === "start1" || changed === "start2") {
        var typed = [lab.value("start1"), lab.value("start2")];
        if (!(isFinite(typed[0]) && isFinite(typed[1]))) { return; }
        start = typed;
      }
      var now = sides();
      ["raw", "scaled"].forEach(function (side) {
        runs[side] = runOn(g, data, now[side], start, lr, steps);
        drawSurface(side, now[side]);
        readouts(lab, side, now[side], runs[side], lr, data);
      });
      lab.head("scaled", W.both("sections.contours.lab." + now.scaled.kind));
      lab.frames(steps);
    }

    function moveStart(point, shown) {
      start = point;
      lab.set({ start1: shown[0], start2: shown[1] });
    }

    function useData(own) {
      data = own ? Object.assign({ rtol: S.rtol, budget: S.budget }, own) : lesson;
      designs = {};
      moveStart(data.w0.slice(), data.w0.map(function (v) { return +v.toPrecision(4); }));
      if (own) {
        var limit = Math.min(design("raw").cond.limit, design(lab.value("scaler")).cond.limit);
        lab.rate("lr", +(0.9 * limit).toPrecision(3), limit / 1000, 4 * limit);
      } else {
        lab.rate("lr", lessonRate[0], lessonRate[1], lessonRate[2]);
      }
      lab.refresh(null);
    }
    root.gdlabOwnData(lab, S.train_share, useData);

    return {
      update: update,
      show: show,
      pointer: function (chart, event) {
        var point = [+event.x.toPrecision(4), +event.y.toPrecision(4)];
        moveStart(point, point);
      },
      action: function (name) {
        if (name === "start_reset") {
          moveStart(data.w0.slice(), data.w0.map(function (v) { return +v.toPrecision(4); }));
        }
        if (name === "lesson_data") { useData(null); }
      }
    };
  };
})(window);
