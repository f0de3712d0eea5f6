/* gdlab page engine, the least-squares objective as a quadratic:
 * f(w) = (1/m) ||X w - y||^2 (gdlab.models.LeastSquares with l2 = 0), its Hessian
 * H = 2 X^T X / m, its minimiser w* and the closed-form contour ellipses around w*.
 */
(function (root) {
  "use strict";

  const gdlab = root.gdlab, internal = gdlab._internal;
  const fail = internal.fail;

  /** f(w) from the residuals, (1/m) sum_i (x_i w - y_i)^2: exact wherever it is evaluated. */
  function residualLoss(X, y, w) {
    const m = X.rows, d = X.cols, A = X.data;
    let total = 0;
    for (let i = 0; i < m; i++) {
      let s = 0;
      const off = i * d;
      for (let j = 0; j < d; j++) s += A[off + j] * w[j];
      const r = s - y[i];
      total += r * r;
    }
    return total / m;
  }

  /**
   * The full-data objective of (X, y) from one pass over the rows, as gdlab's Gram oracle
   * (gdlab.optim.oracle.GramLeastSquares) keeps it: the gradient is `H w - c` and the loss is
   * expanded around the minimiser, f(w) = f* + g*.e + e.H e / 2 with e = w - w*, f* computed
   * from the rows. Each call is O(d^2) whatever m is, and the loss keeps its relative accuracy
   * near the optimum, where y.y - 2 b.w + w.G w / m would cancel catastrophically.
   */
  function leastSquares(X, y) {
    const m = X.rows, d = X.cols;
    const sums = internal.gram(X, y);
    const H = new Float64Array(d * d), c = new Float64Array(d);
    for (let k = 0; k < d * d; k++) H[k] = (2 / m) * sums.G[k];
    for (let j = 0; j < d; j++) c[j] = (2 / m) * sums.b[j];
    for (let k = 0; k < d * d; k++) {
      if (!isFinite(H[k]) || (k < d && !isFinite(c[k]))) {
        fail("nonfinite", "X or y holds values so large that X^T X overflows; scale the " +
          "features first (e.g. gdlab.scale(X, \"zscore\")).");
      }
    }
    // Collinear columns make H singular: w* is then the least-norm minimiser (NumPy's lstsq).
    const wStar = internal.luSolve(H, c, d) || internal.pseudoSolve(H, c, d);
    const fStar = residualLoss(X, y, wStar);
    const gStar = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += H[j * d + k] * wStar[k];
      gStar[j] = s - c[j];
    }
    const e = new Float64Array(d), He = new Float64Array(d);
    function loss(w) {
      let lin = 0, quad = 0;
      for (let j = 0; j < d; j++) e[j] = w[j] - wStar[j];
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += H[j * d + k] * e[k];
        He[j] = s;
        lin += gStar[j] * e[j];
      }
      for (let j = 0; j < d; j++) quad += e[j] * He[j];
      return fStar + lin + 0.5 * quad;
    }
    return { m: m, d: d, H: H, c: c, yy: sums.yy, wStar: wStar, fStar: fStar, loss: loss };
  }

  function problem(X, y, where) {
    const A = internal.toMatrix(X, "X");
    internal.checkFeatures(A.cols, "X");
    if (A.rows * A.cols * A.cols > gdlab.limits.work) {
      fail("budget", where + " on " + A.rows + " x " + A.cols + " data needs more than " +
        gdlab.limits.work + " operations (gdlab.limits.work).");
    }
    return { X: A, y: internal.toVector(y, "y", A.rows) };
  }

  /**
   * The least-squares solution of (X, y) and the objective there.
   *
   * @param {number[][]|{data: ArrayLike<number>, rows: number, cols: number}} X design rows
   *   (include a column of ones for an intercept).
   * @param {ArrayLike<number>} y targets, one per row.
   * @returns {{w: number[], loss: number}} w*, the least-norm minimiser when X has collinear
   *   columns, and f* = (1/m) ||X w* - y||^2.
   * @example gdlab.optimum([[1, 1], [3, 1]], [2, 4])   // {w: [1, 1], loss: 0}
   */
  gdlab.optimum = function optimum(X, y) {
    const p = problem(X, y, "optimum");
    const q = leastSquares(p.X, p.y);
    return { w: Array.from(q.wStar), loss: q.fStar };
  };

  /**
   * The objective f(w) = (1/m) ||X w - y||^2, from the residuals.
   *
   * @param {number[][]|{data, rows, cols}} X design rows.
   * @param {ArrayLike<number>} y targets.
   * @param {ArrayLike<number>} w parameters, one per column of X.
   * @returns {number}
   */
  gdlab.loss = function loss(X, y, w) {
    const A = internal.toMatrix(X, "X");
    return residualLoss(A, internal.toVector(y, "y", A.rows), internal.toVector(w, "w", A.cols));
  };

  /**
   * Contour lines of a two-parameter least-squares problem, in closed form: the level set
   * f(w) = level is the ellipse w* + Q diag(sqrt(2 (level - f*) / lambda)) (cos t, sin t),
   * with H = Q diag(lambda) Q^T the Hessian.
   *
   * @param {number[][]|{data, rows, cols}} X design with exactly two columns.
   * @param {ArrayLike<number>} y targets.
   * @param {number[]} levels objective values; a level at or below f* gives empty x and y.
   * @param {number} [nPoints=100] points per ellipse (the first is repeated last to close it).
   * @returns {{center: number[], fStar: number,
   *   lines: {level: number, x: Float64Array, y: Float64Array}[]}}
   * @throws {GdlabError} code "shape" unless X has 2 columns, "singular" when H is singular
   *   (the level sets are then unbounded strips), "levels" for a bad level or nPoints.
   */
  gdlab.ellipses = function ellipses(X, y, levels, nPoints) {
    const p = problem(X, y, "ellipses");
    if (p.X.cols !== 2) {
      fail("shape", "ellipses needs a design with exactly 2 columns (two parameters), got " +
        p.X.cols + ".");
    }
    const n = nPoints === undefined ? 100 : nPoints;
    internal.integer(n, "nPoints", 3, "levels");
    if (!internal.isList(levels)) {
      fail("levels", "levels must be an array of numbers, got " + internal.shown(levels) + ".");
    }
    const q = leastSquares(p.X, p.y);
    const eig = internal.symmetricEigen(q.H, 2);
    if (!(eig.values[0] > 2 * internal.EPS * eig.values[1])) {
      fail("singular", "the Hessian of this design is singular (its columns are collinear): " +
        "its level sets are unbounded strips, not ellipses.");
    }
    const lines = [];
    for (let k = 0; k < levels.length; k++) {
      const level = levels[k];
      if (typeof level !== "number" || !isFinite(level)) {
        fail("levels", "levels[" + k + "] must be a finite number, got " +
          internal.shown(level) + ".");
      }
      lines.push(ellipse(q, eig, level, n));
    }
    return { center: Array.from(q.wStar), fStar: q.fStar, lines: lines };
  };

  function ellipse(q, eig, level, n) {
    const rise = level - q.fStar;
    const size = rise > 0 ? n + 1 : 0;
    const xs = new Float64Array(size), ys = new Float64Array(size);
    if (rise > 0) {
      const V = eig.vectors;
      const r0 = Math.sqrt(2 * rise / eig.values[0]), r1 = Math.sqrt(2 * rise / eig.values[1]);
      for (let i = 0; i <= n; i++) {
        const t = (2 * Math.PI * (i % n)) / n;
        const a = r0 * Math.cos(t), b = r1 * Math.sin(t);
        xs[i] = q.wStar[0] + V[0] * a + V[1] * b;
        ys[i] = q.wStar[1] + V[2] * a + V[3] * b;
      }
    }
    return { level: level, x: xs, y: ys };
  }

  internal.residualLoss = residualLoss;
  internal.leastSquares = leastSquares;
})(typeof globalThis !== "undefined" ? globalThis : this);
