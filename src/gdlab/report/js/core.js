/* gdlab page engine, core: the `gdlab` namespace, errors with stable codes, input checks.
 *
 * Every file of the engine is a classic script (no modules, no build step) wrapped in an
 * IIFE that registers into `globalThis.gdlab`, so the same text runs inline in the lesson
 * page and in Node through `vm`. This file loads first (see files.json): it creates the
 * namespace and the helpers the other files share, kept on `gdlab._internal` (not
 * enumerable, so the console lists the public API only).
 */
(function (root) {
  "use strict";

  const gdlab = root.gdlab || (root.gdlab = {});
  const internal = {};
  Object.defineProperty(gdlab, "_internal", { value: internal, enumerable: false });

  /** Upper bounds that keep every call finite; checked before any work starts. */
  gdlab.limits = Object.freeze({
    // Row-feature visits of one call: Gram pass plus epochs over the rows (about a second
    // of work in a browser at its worst, so a typo such as epochs = 1e9 cannot hang a page).
    work: 2e8,
    // Numbers kept in one result (iterates and losses): about 40 MB of Float64Array.
    recorded: 5e6,
    // Columns of a design: the d x d eigen-solver is O(d^3) per sweep.
    features: 200,
  });

  /** An engine error: `code` is stable (the page shows its own zh/en text per code). */
  class GdlabError extends Error {
    constructor(code, message) {
      super(message);
      this.name = "GdlabError";
      this.code = code;
    }
  }
  gdlab.GdlabError = GdlabError;

  function fail(code, message) {
    throw new GdlabError(code, message);
  }

  /** A short, readable rendering of a value that came in, for error messages. */
  function shown(value) {
    if (typeof value === "number") return String(value);
    if (typeof value === "string") return JSON.stringify(value.slice(0, 40));
    if (value === null || value === undefined) return String(value);
    if (Array.isArray(value)) return "an array of length " + value.length;
    if (ArrayBuffer.isView(value)) return "a typed array of length " + value.length;
    return "a " + typeof value;
  }

  function isList(value) {
    return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  }

  /** Refuse option names the function does not know (a typo must not pass silently). */
  function checkKeys(options, allowed, where, code) {
    const kind = code || "option";
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      fail(kind, where + " expects an options object, got " + shown(options) + ".");
    }
    for (const key of Object.keys(options)) {
      if (allowed.indexOf(key) < 0) {
        fail(kind, where + ": unknown option " + JSON.stringify(key) +
          "; expected one of " + allowed.join(", ") + ".");
      }
    }
  }

  function finiteAt(value, name) {
    if (typeof value !== "number" || !isFinite(value)) {
      fail("nonfinite", name + " must be a finite number, got " + shown(value) + ".");
    }
    return value;
  }

  /**
   * A matrix as the engine keeps it: {data: Float64Array (row-major), rows, cols}, always a
   * fresh copy. Accepts an array of rows (arrays or typed arrays) or {data, rows, cols}.
   */
  function toMatrix(X, name) {
    if (X && !isList(X) && typeof X === "object" && "data" in X) {
      const rows = X.rows, cols = X.cols;
      if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows >= 1 && cols >= 1) ||
          !isList(X.data) || X.data.length !== rows * cols) {
        fail("shape", name + " as {data, rows, cols} needs integers rows, cols >= 1 and " +
          "data of length rows * cols, got rows " + shown(rows) + ", cols " + shown(cols) +
          " and data " + shown(X.data) + ".");
      }
      const src = X.data, data = new Float64Array(rows * cols);
      for (let k = 0; k < data.length; k++) {
        const v = src[k];
        if (typeof v !== "number" || !isFinite(v)) finiteAt(v, name + ".data[" + k + "]");
        data[k] = v;
      }
      return { data: data, rows: rows, cols: cols };
    }
    if (!isList(X) || X.length === 0 || !isList(X[0]) || X[0].length === 0) {
      fail("shape", name + " must be a non-empty array of rows (or {data, rows, cols}), got " +
        shown(X) + ".");
    }
    const rows = X.length, cols = X[0].length;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = X[i];
      if (!isList(row) || row.length !== cols) {
        fail("shape", name + " must have rows of equal length: row 0 has " + cols +
          " values, row " + i + " has " + (isList(row) ? row.length : shown(row)) + ".");
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== "number" || !isFinite(v)) finiteAt(v, name + "[" + i + "][" + j + "]");
        data[i * cols + j] = v;
      }
    }
    return { data: data, rows: rows, cols: cols };
  }

  /** A vector of `length` finite numbers; a column (rows of one value) is accepted too. */
  function toVector(v, name, length) {
    if (!isList(v)) fail("shape", name + " must be an array of numbers, got " + shown(v) + ".");
    if (length !== undefined && v.length !== length) {
      fail("shape", name + " must have " + length + " values (one per " +
        (name === "y" ? "row of X" : "column of X") + "), got " + v.length + ".");
    }
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      let x = v[i];
      if (isList(x) && x.length === 1) x = x[0];
      if (typeof x !== "number" || !isFinite(x)) finiteAt(x, name + "[" + i + "]");
      out[i] = x;
    }
    return out;
  }

  /** The matrix back in the form the caller gave: rows in, rows out; flat in, flat out. */
  function inForm(given, M) {
    if (given && !isList(given) && typeof given === "object") return M;
    const out = new Array(M.rows), d = M.cols, data = M.data;
    for (let i = 0; i < M.rows; i++) {
      // A plain loop: Array.from on a typed-array view is ten times slower.
      const row = new Array(d);
      for (let j = 0; j < d; j++) row[j] = data[i * d + j];
      out[i] = row;
    }
    return out;
  }

  function positive(value, name, code) {
    if (typeof value !== "number" || !isFinite(value) || value <= 0) {
      fail(code, name + " must be a positive finite number, got " + shown(value) + ".");
    }
    return value;
  }

  function integer(value, name, low, code) {
    if (!Number.isInteger(value) || value < low) {
      fail(code, name + " must be an integer >= " + low + ", got " + shown(value) + ".");
    }
    return value;
  }

  function checkFeatures(d, name) {
    if (d > gdlab.limits.features) {
      fail("budget", name + " has " + d + " columns; the page engine takes at most " +
        gdlab.limits.features + " (gdlab.limits.features).");
    }
  }

  internal.fail = fail;
  internal.shown = shown;
  internal.isList = isList;
  internal.checkKeys = checkKeys;
  internal.toMatrix = toMatrix;
  internal.toVector = toVector;
  internal.inForm = inForm;
  internal.positive = positive;
  internal.integer = integer;
  internal.finite = finiteAt;
  internal.checkFeatures = checkFeatures;
  internal.EPS = Math.pow(2, -52);
})(typeof globalThis !== "undefined" ? globalThis : this);
