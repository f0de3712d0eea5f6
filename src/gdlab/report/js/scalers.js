/* gdlab page engine, the lesson's scalers: min-max, z-score (with eps) and sigmoid, fitted on
 * some rows (a training split) and applied to others, as gdlab.scaling's MinMaxScaler,
 * StandardScaler and SigmoidScaler do them, operation for operation:
 *   forward  z = (x - offset) * factor     inverse  x = z * inverseFactor + offset
 * (the sigmoid squashes after the forward map and takes the logit before the inverse one).
 *
 * Constant columns follow gdlab.scaling.constant: a column whose spread is within rounding
 * of its values gets scale 1, so it is only shifted, never divided by (almost) zero.
 */
(function (root) {
  "use strict";

  const gdlab = root.gdlab, internal = gdlab._internal;
  const fail = internal.fail, EPS = internal.EPS;
  const KINDS = ["raw", "minmax", "zscore", "sigmoid"];

  /** Column minima and maxima. */
  function extremes(X) {
    const d = X.cols, low = new Float64Array(d).fill(Infinity);
    const high = new Float64Array(d).fill(-Infinity);
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < d; j++) {
        const v = X.data[i * d + j];
        if (v < low[j]) low[j] = v;
        if (v > high[j]) high[j] = v;
      }
    }
    return { low: low, high: high };
  }

  /**
   * Column means and population variances by the corrected two-pass algorithm about a shift
   * (the first row), as gdlab.scaling.moments computes them: e is zero in exact arithmetic and
   * removes the rounding of the first mean from both statistics.
   */
  function moments(X) {
    const n = X.rows, d = X.cols, A = X.data;
    const mean = new Float64Array(d), variance = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const shift = A[j];
      let total = 0;
      for (let i = 0; i < n; i++) total += A[i * d + j] - shift;
      const first = total / n;
      let e = 0, q = 0;
      for (let i = 0; i < n; i++) {
        const dev = A[i * d + j] - shift - first;
        e += dev;
        q += dev * dev;
      }
      mean[j] = first + e / n + shift;
      variance[j] = Math.max(q - (e * e) / n, 0) / n;
    }
    return { mean: mean, variance: variance };
  }

  /** sqrt(var) + eps, or 1 where the variance is within the two-pass rounding bound. */
  function stdScale(stats, n, eps) {
    const d = stats.mean.length, scale = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const v = stats.variance[j], bound = n * EPS * v + Math.pow(n * stats.mean[j] * EPS, 2);
      scale[j] = v <= bound ? 1 : Math.sqrt(v) + eps;
    }
    return scale;
  }

  function expit(u) {
    // Exponentials of non-positive numbers only: no overflow for any u.
    if (u >= 0) return 1 / (1 + Math.exp(-u));
    const e = Math.exp(u);
    return e / (1 + e);
  }

  const TINY = Number.MIN_VALUE, BELOW_ONE = 1 - EPS / 2;

  function logit(z, where) {
    if (!(z >= 0 && z <= 1)) {
      fail("domain", where + ": the sigmoid's inverse takes values in [0, 1], got " +
        internal.shown(z) + "; pass sigmoid outputs only.");
    }
    // gdlab's policy at 0 and 1: the nearest values inside (0, 1), so the logit stays finite.
    const p = Math.min(Math.max(z, TINY), BELOW_ONE);
    return Math.log(p / (1 - p));
  }

  /** offset, factor and inverseFactor of the affine part, plus the stats a page reads. */
  function fitStats(F, kind, opts) {
    const d = F.cols, one = new Float64Array(d).fill(1), zero = new Float64Array(d);
    if (kind === "raw") return { offset: zero, factor: one, inverseFactor: one, stats: {} };
    if (kind === "minmax") {
      const ext = extremes(F), range = new Float64Array(d), scale = new Float64Array(d);
      const min = new Float64Array(d), inverse = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        range[j] = ext.high[j] - ext.low[j];
        const magnitude = Math.max(Math.abs(ext.low[j]), Math.abs(ext.high[j]));
        scale[j] = 1 / (range[j] <= 10 * EPS * magnitude ? 1 : range[j]);
        min[j] = 0 - ext.low[j] * scale[j];
        inverse[j] = 1 / scale[j];
      }
      return { offset: ext.low, factor: scale, inverseFactor: inverse,
        stats: { dataMin: ext.low, dataMax: ext.high, dataRange: range, scale: scale, min: min } };
    }
    const standardize = kind === "zscore" || opts.standardize === true;
    if (!standardize) {
      return { offset: zero, factor: one, inverseFactor: one,
        stats: { standardize: false, mean: zero, var: one, scale: one } };
    }
    const m = moments(F), scale = stdScale(m, F.rows, kind === "zscore" ? opts.eps : 0);
    const factor = scale.map(function (s) { return 1 / s; });
    const stats = { mean: m.mean, var: m.variance, scale: scale };
    if (kind === "zscore") stats.eps = opts.eps;
    else stats.standardize = true;
    return { offset: m.mean, factor: factor, inverseFactor: scale, stats: stats };
  }

  function checkOptions(kind, opts, where) {
    if (KINDS.indexOf(kind) < 0) {
      fail("kind", where + ": kind must be one of " + KINDS.join(", ") + ", got " +
        internal.shown(kind) + ".");
    }
    const o = opts === undefined ? {} : opts;
    internal.checkKeys(o, ["fitOn", "eps", "standardize"], where);
    const eps = o.eps === undefined ? 0 : o.eps;
    if (typeof eps !== "number" || !isFinite(eps) || eps < 0) {
      fail("eps", where + ": eps must be a finite number >= 0, got " + internal.shown(eps) + ".");
    }
    if (o.standardize !== undefined && typeof o.standardize !== "boolean") {
      fail("option", where + ": standardize must be true or false, got " +
        internal.shown(o.standardize) + ".");
    }
    return { eps: eps, standardize: o.standardize === true, fitOn: o.fitOn };
  }

  /**
   * Fit a scaler on some rows; apply it (and its inverse) to any rows with as many columns.
   *
   * @param {number[][]|{data, rows, cols}} X rows to fit the statistics on (a training split).
   * @param {"raw"|"minmax"|"zscore"|"sigmoid"} kind
   *   minmax: (x - min) / (max - min) (MinMaxScaler); zscore: (x - mean) / (std + eps), std the
   *   population one (StandardScaler(eps)); sigmoid: 1 / (1 + exp(-x)), of the z-score when
   *   standardize is true (SigmoidScaler, whose default is standardize=false).
   * @param {{eps?: number, standardize?: boolean}} [opts] eps (zscore, default 0);
   *   standardize (sigmoid, default false).
   * @returns {{kind: string, transform: Function, inverse: Function}} plus the fitted
   *   statistics (Float64Array per column): minmax dataMin, dataMax, dataRange, scale, min;
   *   zscore mean, var, scale, eps; sigmoid standardize, mean, var, scale. transform(rows) and
   *   inverse(rows) return rows in the form given (array of rows, or {data, rows, cols}).
   * @example
   * const s = gdlab.fitScaler(train, "zscore");
   * s.transform(test); s.inverse(s.transform(test));   // test again, to rounding
   */
  gdlab.fitScaler = function fitScaler(X, kind, opts) {
    const o = checkOptions(kind, opts, "fitScaler");
    if (o.fitOn !== undefined) fail("option", "fitScaler fits on X itself; fitOn is for scale().");
    const F = internal.toMatrix(X, "X");
    const fit = fitStats(F, kind, o);
    const d = F.cols;
    function apply(rows, forward) {
      const where = forward ? "transform" : "inverse";
      const Z = internal.toMatrix(rows, where + " rows");
      if (Z.cols !== d) {
        fail("shape", where + ": rows have " + Z.cols + " columns, but the scaler was fitted " +
          "on " + d + ".");
      }
      const a = fit.offset, z = Z.data;
      for (let k = 0; k < z.length; k++) {
        const j = k % d;
        if (forward) {
          const u = (z[k] - a[j]) * fit.factor[j];
          z[k] = kind === "sigmoid" ? expit(u) : u;
        } else {
          const u = kind === "sigmoid" ? logit(z[k], where) : z[k];
          z[k] = u * fit.inverseFactor[j] + a[j];
        }
      }
      return internal.inForm(rows, Z);
    }
    const scaler = {
      kind: kind,
      transform: function (rows) { return apply(rows, true); },
      inverse: function (rows) { return apply(rows, false); },
    };
    // Copies: changing a statistic a page reads must not change what transform does.
    Object.keys(fit.stats).forEach(function (key) {
      const v = fit.stats[key];
      scaler[key] = ArrayBuffer.isView(v) ? Float64Array.from(v) : v;
    });
    return scaler;
  };

  /**
   * Scale the columns of X with statistics fitted on `fitOn` (default X itself).
   *
   * @param {number[][]|{data, rows, cols}} X rows to scale.
   * @param {"raw"|"minmax"|"zscore"|"sigmoid"} kind see fitScaler.
   * @param {{fitOn?: number[][], eps?: number, standardize?: boolean}} [opts]
   * @returns {number[][]|{data, rows, cols}} the scaled rows, in the form X was given.
   * @example gdlab.scale([[1], [3]], "zscore")   // [[-1], [1]]
   */
  gdlab.scale = function scale(X, kind, opts) {
    const o = checkOptions(kind, opts, "scale");
    const fitOpts = { eps: o.eps, standardize: o.standardize };
    return gdlab.fitScaler(o.fitOn === undefined ? X : o.fitOn, kind, fitOpts).transform(X);
  };

  /**
   * Append a column of ones last (the intercept's, as gdlab.datasets.add_intercept does).
   *
   * @param {number[][]|{data, rows, cols}} X
   * @returns {number[][]|{data, rows, cols}} in the form X was given.
   */
  gdlab.addIntercept = function addIntercept(X) {
    const A = internal.toMatrix(X, "X"), d = A.cols;
    const out = { data: new Float64Array(A.rows * (d + 1)), rows: A.rows, cols: d + 1 };
    for (let i = 0; i < A.rows; i++) {
      out.data.set(A.data.subarray(i * d, (i + 1) * d), i * (d + 1));
      out.data[i * (d + 1) + d] = 1;
    }
    return internal.inForm(X, out);
  };

  /** The lesson's own helpers, by their lesson names. */
  gdlab.lesson = gdlab.lesson || {};

  /**
   * The lesson's plain element-wise sigmoid, 1 / (1 + exp(-x)) (gdlab.lesson.sigmoid).
   *
   * @param {number|number[]|number[][]} x a number, or an array (of arrays) of numbers.
   * @returns {number|number[]|number[][]} the same shape.
   */
  gdlab.lesson.sigmoid = function sigmoid(x) {
    if (internal.isList(x)) return Array.prototype.map.call(x, sigmoid);
    if (typeof x !== "number") {
      fail("nonfinite", "sigmoid takes numbers, got " + internal.shown(x) + ".");
    }
    return 1 / (1 + Math.exp(-x));
  };
})(typeof globalThis !== "undefined" ? globalThis : this);
