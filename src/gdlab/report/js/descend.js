/* gdlab page engine, descent: least squares by full-batch, stochastic and mini-batch gradient
 * descent, plain or with momentum, as gdlab.optim.descend runs it (engine "gram" for full
 * batch, the compiled loops for SGD and mini-batches, torch.optim.SGD's momentum rule).
 *
 * The hot loop works on Float64Arrays allocated once per call: the data (row-major), the
 * parameters, the velocity, a gradient buffer and the recorded rows. Every loss is the
 * O(d^2) Gram form of quadratic.js, so recording every step costs nothing per row of data.
 */
(function (root) {
  "use strict";

  const gdlab = root.gdlab, internal = gdlab._internal;
  const fail = internal.fail;
  const KEYS = ["X", "y", "w0", "lr", "epochs", "batchSize", "order", "shuffle", "shuffleSeed",
    "decay", "momentum", "record"];
  // gdlab.optim.stopping.EXPLODE_FACTOR: a loss above this many times the reference diverged.
  const EXPLODE_FACTOR = 1e3;

  /** The checked settings of one run. */
  function settings(o) {
    internal.checkKeys(o, KEYS, "descend");
    const X = internal.toMatrix(o.X, "X"), m = X.rows, d = X.cols;
    internal.checkFeatures(d, "X");
    const y = internal.toVector(o.y, "y", m);
    const w0 = o.w0 === undefined || o.w0 === null ? new Float64Array(d)
      : internal.toVector(o.w0, "w0", d);
    const lr = internal.positive(o.lr, "lr", "lr");
    const epochs = internal.integer(o.epochs, "epochs", 0, "epochs");
    const given = o.batchSize;
    if (given !== undefined && given !== null) internal.integer(given, "batchSize", 1, "batch");
    const full = given === undefined || given === null || given >= m;
    const size = full ? m : given;
    const record = o.record === undefined ? "step" : o.record;
    if (record !== "step" && record !== "epoch") {
      fail("record", "record must be \"step\" or \"epoch\", got " + internal.shown(record) + ".");
    }
    const mu = o.momentum === undefined || o.momentum === null ? 0 : o.momentum;
    if (typeof mu !== "number" || !(mu >= 0 && mu < 1)) {
      fail("momentum", "momentum must be a number in [0, 1), got " + internal.shown(mu) + ".");
    }
    if (o.shuffle !== undefined && typeof o.shuffle !== "boolean") {
      fail("option", "shuffle must be true or false, got " + internal.shown(o.shuffle) + ".");
    }
    const seed = internal.checkSeed(o.shuffleSeed);
    return { X: X, y: y, w0: w0, lr: lr, epochs: epochs, full: full, size: size,
      batches: Math.ceil(m / size), record: record, mu: mu, rate: internal.schedule(lr, o.decay),
      order: o.order, shuffle: o.shuffle !== false, seed: seed };
  }

  /** Refuse a run whose work or record would exceed gdlab.limits, before any work. */
  function checkBudget(s) {
    const m = s.X.rows, d = s.X.cols;
    const rows = s.record === "step" ? s.epochs * s.batches + 1 : s.epochs + 1;
    const work = m * d * d + s.epochs * (s.full ? d * d : m * d) + rows * d * d;
    if (work > gdlab.limits.work) {
      fail("budget", "descend: " + s.epochs + " epochs on " + m + " x " + d + " data need about " +
        work.toPrecision(3) + " operations, more than gdlab.limits.work = " + gdlab.limits.work +
        "; use fewer epochs or rows.");
    }
    if (rows * (d + 1) > gdlab.limits.recorded) {
      fail("budget", "descend: recording " + rows + " rows of " + d + " parameters exceeds " +
        "gdlab.limits.recorded = " + gdlab.limits.recorded + " numbers; use record: \"epoch\" " +
        "or fewer epochs.");
    }
    return rows;
  }

  /** Preallocated columns of the record (a diverged run fills fewer rows). */
  function recorder(rows, d) {
    const rec = { n: 0, W: new Float64Array(rows * d), loss: new Float64Array(rows),
      lr: new Float64Array(rows), epoch: new Int32Array(rows), step: new Int32Array(rows) };
    rec.add = function (w, loss, lr, epoch, step) {
      const k = rec.n++, W = rec.W;
      for (let j = 0; j < d; j++) W[k * d + j] = w[j];
      rec.loss[k] = loss;
      rec.lr[k] = lr;
      rec.epoch[k] = epoch;
      rec.step[k] = step;
    };
    return rec;
  }

  /** One full-batch update: g = H w - c, then the plain or momentum rule. */
  function fullUpdate(q, w, v, g, lr, mu) {
    const d = q.d, H = q.H;
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += H[j * d + k] * w[k];
      g[j] = s - q.c[j];
    }
    step(w, v, g, lr, mu);
  }

  /** The update of the batch of rows order[start .. stop - 1]: g = 2/b X_B^T (X_B w - y_B). */
  function batchUpdate(X, y, order, start, stop, w, v, g, lr, mu) {
    const d = X.cols, A = X.data;
    for (let j = 0; j < d; j++) g[j] = 0;
    for (let k = start; k < stop; k++) {
      const i = order[k], off = i * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += A[off + j] * w[j];
      const r = s - y[i];
      for (let j = 0; j < d; j++) g[j] += A[off + j] * r;
    }
    const scale = 2 / (stop - start);
    for (let j = 0; j < d; j++) g[j] *= scale;
    step(w, v, g, lr, mu);
  }

  /** Plain, w -= lr g; momentum (torch.optim.SGD, gdlab's "momentum"): v = mu v + g, w -= lr v. */
  function step(w, v, g, lr, mu) {
    const d = w.length;
    if (mu === 0) {
      for (let j = 0; j < d; j++) w[j] -= g[j] * lr;
      return;
    }
    for (let j = 0; j < d; j++) {
      v[j] = v[j] * mu + g[j];
      w[j] -= lr * v[j];
    }
  }

  /**
   * gdlab.optim.stopping: the loss divergence is measured against, the start's, or the loss
   * at w = 0 when that is larger (a start at the optimum must not make any move explode).
   */
  function reference(q, w0, loss0) {
    const atZero = q.yy / q.m;
    return w0.some(function (v) { return v !== 0; }) && isFinite(atZero)
      ? Math.max(loss0, atZero) : loss0;
  }

  function explosion(loss, ref) {
    if (!isFinite(loss)) return "loss is " + loss;
    if (loss <= EXPLODE_FACTOR * Math.max(ref, 1e-300)) return null;
    return "loss " + loss.toPrecision(3) + " is more than 1000 x the reference " +
      ref.toPrecision(3) + " (the larger of the starting loss and the loss at w = 0)";
  }

  /** The epoch's row order: given, drawn by the seeded shuffle, or the rows as they are. */
  function orderFor(s, packed, buffer, next, epoch) {
    const m = s.X.rows;
    if (packed) return packed.subarray(epoch * m, (epoch + 1) * m);
    if (s.shuffle) internal.shuffle(buffer, next);
    return buffer;
  }

  /** The loop: epochs of batches; a record (and the divergence check) per step or epoch. */
  function run(s, q, rec) {
    // Settings read into locals once: the inner loop runs up to millions of times.
    const X = s.X, y = s.y, m = X.rows, d = X.cols, size = s.size, nb = s.batches;
    const mu = s.mu, full = s.full, everyStep = s.record === "step";
    const w = Float64Array.from(s.w0), v = new Float64Array(d), g = new Float64Array(d);
    const loss0 = q.loss(w);
    if (!isFinite(loss0)) {
      fail("nonfinite", "the loss at the starting point is " + loss0 + ": w0 or the data are " +
        "too large; scale the features or move w0.");
    }
    const ref = reference(q, s.w0, loss0);
    rec.add(w, loss0, NaN, 0, 0);
    const packed = full || s.order === undefined || s.order === null ? null
      : internal.packOrders(s.order, m, s.epochs);
    const buffer = new Int32Array(m).map(function (_, i) { return i; });
    const next = internal.generator(s.seed);
    let steps = 0, lr = NaN;
    for (let epoch = 0; epoch < s.epochs; epoch++) {
      lr = internal.rateAt(s.rate, epoch);
      const order = full ? null : orderFor(s, packed, buffer, next, epoch);
      for (let b = 0; b < nb; b++) {
        if (full) fullUpdate(q, w, v, g, lr, mu);
        else batchUpdate(X, y, order, b * size, b === nb - 1 ? m : (b + 1) * size, w, v, g, lr, mu);
        steps++;
        if (everyStep || b === nb - 1) {
          const done = b === nb - 1 ? epoch + 1 : epoch;
          const loss = q.loss(w), what = explosion(loss, ref);
          if (what !== null) return diverged(rec, w, loss, lr, done, steps, what, q);
          rec.add(w, loss, lr, done, steps);
        }
      }
    }
    return { status: "max_epochs", divergedAt: null,
      reason: "reached epochs=" + s.epochs + " (the epoch budget)" };
  }

  /** Stop as gdlab does: keep the diverged point when it is finite, say where and why. */
  function diverged(rec, w, loss, lr, epoch, steps, what, q) {
    if (isFinite(loss) && w.every(isFinite)) rec.add(w, loss, lr, epoch, steps);
    const L = internal.symmetricEigen(q.H, q.d).values[q.d - 1];
    const limit = L > 0 ? 2 / L : NaN;
    const advice = isFinite(limit)
      ? "; a stable constant learning rate is below 2/L = " + limit.toPrecision(4) +
        " (L = largest eigenvalue of the Hessian); try lr=" + (limit / 2).toPrecision(3)
      : "; lower the learning rate (e.g. by 10x) or scale the features";
    return { status: "diverged", divergedAt: { step: steps, epoch: epoch },
      reason: "diverged at lr=" + lr + ": " + what + advice };
  }

  /**
   * Least squares f(w) = (1/m) ||X w - y||^2 by gradient descent, as gdlab.optim.descend with
   * LeastSquares() runs it: the gradient of a batch B is 2/|B| X_B^T (X_B w - y_B).
   *
   * @param {Object} options
   * @param {number[][]|{data, rows, cols}} options.X design rows (a ones column for an
   *   intercept: gdlab.addIntercept).
   * @param {ArrayLike<number>} options.y targets, one per row.
   * @param {ArrayLike<number>} [options.w0] start (default zeros).
   * @param {number} options.lr learning rate (of epoch 0 when decaying), > 0.
   * @param {number} options.epochs passes over the data, an integer >= 0.
   * @param {?number} [options.batchSize] null or >= rows: full batch; 1: SGD; k: mini-batches
   *   of k rows, ceil(m / k) per epoch, the last partial one kept.
   * @param {ArrayLike<number>[]} [options.order] per-epoch row orders (permutations) to replay,
   *   e.g. gdlab's own shuffles; without it rows are shuffled each epoch (gdlab.rowOrders).
   *   Full batch ignores it: the order of the rows does not change their gradient.
   * @param {boolean} [options.shuffle=true] false: rows in their order every epoch.
   * @param {number} [options.shuffleSeed=0] seed of the page's shuffles, in [0, 2^32).
   * @param {?Object} [options.decay] per-epoch schedule: {type: "exponential", gamma},
   *   {type: "step", stepSize, gamma = 0.1} or {type: "cosine", totalSteps, minLr = 0}.
   * @param {number} [options.momentum=0] in [0, 1): v = momentum v + g, w -= lr v.
   * @param {"step"|"epoch"} [options.record="step"] a row after every update, or after each
   *   epoch (the divergence check runs at the same points, as in gdlab).
   * @returns {{w: number[][], path: {data: Float64Array, rows: number, cols: number},
   *   loss: Float64Array, lr: Float64Array, epoch: Int32Array, step: Int32Array,
   *   status: string, divergedAt: ?{step: number, epoch: number}, reason: string,
   *   optimum: {w: number[], loss: number}}}
   *   w[k] is the iterate of row k (w[0] = w0) and loss[k] its full-data objective; lr[k] the
   *   rate of the update that made it (NaN for w0); epoch[k] the epochs completed; step[k]
   *   the updates made. status is "max_epochs" or "diverged" (the loss became non-finite or
   *   exceeded 1000 x its reference): the run then stops, divergedAt says at which update and
   *   epoch, and its last row is the diverged iterate when that is finite.
   * @throws {GdlabError} with code "shape", "nonfinite", "lr", "epochs", "batch", "order",
   *   "seed", "decay", "momentum", "record", "option" or "budget".
   * @example
   * gdlab.descend({X: [[1, 1], [3, 1]], y: [2, 4], lr: 0.1, epochs: 100}).w[100]  // ~[1, 1]
   */
  gdlab.descend = function descend(options) {
    const s = settings(options);
    const rows = checkBudget(s);
    const q = internal.leastSquares(s.X, s.y);
    const rec = recorder(rows, s.X.cols);
    const end = run(s, q, rec);
    const n = rec.n, d = s.X.cols, W = rec.W.subarray(0, n * d);
    // Rows as plain arrays: three times faster to make than typed-array views, and they print
    // as numbers in a console. `path` keeps the same values in one flat buffer.
    const w = new Array(n);
    for (let k = 0; k < n; k++) {
      const row = new Array(d);
      for (let j = 0; j < d; j++) row[j] = W[k * d + j];
      w[k] = row;
    }
    return { w: w, path: { data: W, rows: n, cols: d }, loss: rec.loss.subarray(0, n),
      lr: rec.lr.subarray(0, n), epoch: rec.epoch.subarray(0, n), step: rec.step.subarray(0, n),
      status: end.status, divergedAt: end.divergedAt, reason: end.reason,
      optimum: { w: Array.from(q.wStar), loss: q.fStar } };
  };
})(typeof globalThis !== "undefined" ? globalThis : this);
