/* gdlab page engine, conditioning: the Hessian's extreme eigenvalues L and mu, kappa = L / mu,
 * and the classic theory of fixed-step descent on a quadratic, as gdlab.analysis.conditioning
 * and gdlab.analysis.theory define them:
 *   rate(lr) = max(|1 - lr L|, |1 - lr mu|)   (the worst-case contraction of ||w - w*||)
 *   steps    = ceil(log(rtol) / log(rate))    (0 when rtol >= 1, 1 when rate = 0, inf when
 *                                              rate >= 1, i.e. lr >= 2/L or mu = 0)
 */
(function (root) {
  "use strict";

  const gdlab = root.gdlab, internal = gdlab._internal;
  const fail = internal.fail, EPS = internal.EPS;

  /** The eigenvalues of H = 2 A^T A / m, also where A^T A overflows (as gdlab rescales). */
  function hessianEigenvalues(A) {
    const d = A.cols, m = A.rows;
    let G = internal.gram(A, null).G;
    let unit = 1;
    if (!G.every(isFinite)) {
      // Dividing A by a power of two changes no digit; the eigenvalues scale back exactly.
      let big = 0;
      for (let k = 0; k < A.data.length; k++) big = Math.max(big, Math.abs(A.data[k]));
      unit = Math.pow(2, Math.ceil(Math.log2(big)));
      const S = { data: A.data.map(function (v) { return v / unit; }), rows: m, cols: d };
      G = internal.gram(S, null).G;
    }
    const H = G.map(function (v) { return (2 * v) / m; });
    return internal.symmetricEigen(H, d).values.map(function (v) { return v * unit * unit; });
  }

  function contraction(L, mu, lr) {
    if (typeof lr !== "number" || !isFinite(lr) || lr <= 0) {
      fail("lr", "lr must be a positive finite number, got " + internal.shown(lr) + ".");
    }
    return Math.max(Math.abs(1 - lr * L), Math.abs(1 - lr * mu));
  }

  /** gdlab.analysis.theory.predicted_iterations. */
  function predictedSteps(rate, rtol) {
    if (typeof rtol !== "number" || !isFinite(rtol) || rtol <= 0) {
      fail("rtol", "rtol must be a positive finite number, got " + internal.shown(rtol) + ".");
    }
    if (rtol >= 1) return 0;
    if (rate >= 1) return Infinity;
    if (rate === 0) return 1;
    // A tiny epsilon keeps exact powers (rtol == rate^k) from rounding up to k + 1.
    return Math.ceil(Math.log(rtol) / Math.log(rate) - 1e-12);
  }

  /**
   * Curvature of the least-squares loss on a design, and what it implies for fixed-step
   * gradient descent (gdlab.analysis.conditioning with model "least_squares").
   *
   * @param {number[][]|{data, rows, cols}} X features; with intercept (the default, as in
   *   Python) a ones column is appended last first. Pass {intercept: false} when X already
   *   holds it (the designs gdlab.descend runs on).
   * @param {{intercept?: boolean}} [opts]
   * @returns {{L: number, mu: number, kappa: number, limit: number, best: number,
   *   eigenvalues: Float64Array, intercept: boolean,
   *   rate: function(number=): number, steps: function(number=, number=): number}}
   *   L, mu: largest and smallest eigenvalue of H = 2 A^T A / m (mu is 0 below L d eps);
   *   kappa = L / mu (Infinity when mu = 0); limit = 2 / L, the largest stable fixed rate;
   *   best = 2 / (L + mu), the fastest; rate(lr = best) the contraction per step;
   *   steps(lr = best, rtol = 1e-3) the steps to ||w - w*|| <= rtol ||w0 - w*||.
   * @example
   * const c = gdlab.conditioning([[1, 1], [3, 1]], {intercept: false});
   * c.kappa; c.limit; c.steps(0.1, 1e-3);   // 33.97, 0.1716, 198
   */
  gdlab.conditioning = function conditioning(X, opts) {
    const o = opts === undefined ? {} : opts;
    internal.checkKeys(o, ["intercept"], "conditioning");
    if (o.intercept !== undefined && typeof o.intercept !== "boolean") {
      fail("option", "intercept must be true or false, got " + internal.shown(o.intercept) + ".");
    }
    const intercept = o.intercept !== false;
    let A = internal.toMatrix(X, "X");
    if (intercept) A = internal.toMatrix(gdlab.addIntercept(A), "X");
    internal.checkFeatures(A.cols, "X");
    if (A.rows * A.cols * A.cols > gdlab.limits.work) {
      fail("budget", "conditioning of " + A.rows + " x " + A.cols + " data exceeds " +
        "gdlab.limits.work.");
    }
    const eig = hessianEigenvalues(A), d = A.cols;
    const L = eig[d - 1];
    if (!isFinite(L)) {
      fail("nonfinite", "the curvature of X overflows (largest Hessian eigenvalue beyond " +
        "1.8e308); scale the features first.");
    }
    if (!(L > 0)) fail("singular", "X is all zeros: the loss has no curvature; check the data.");
    // Round-off can leave a singular Hessian's smallest eigenvalue slightly off zero.
    const mu = eig[0] > L * d * EPS ? eig[0] : 0;
    const best = 2 / (L + mu);
    return {
      L: L, mu: mu, kappa: mu > 0 ? L / mu : Infinity, limit: 2 / L, best: best,
      eigenvalues: eig, intercept: intercept,
      rate: function (lr) { return contraction(L, mu, lr === undefined ? best : lr); },
      steps: function (lr, rtol) {
        const rate = contraction(L, mu, lr === undefined ? best : lr);
        return predictedSteps(rate, rtol === undefined ? 1e-3 : rtol);
      },
    };
  };
})(typeof globalThis !== "undefined" ? globalThis : this);
