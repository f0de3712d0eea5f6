/* gdlab page engine, row orders: the per-epoch permutations of SGD and mini-batch descent.
 *
 * A page's own shuffles come from a small seeded generator, mulberry32 (32-bit state, period
 * 2^32), and the Fisher-Yates shuffle with unbiased indices (Lemire's method). It is not
 * NumPy's stream: to replay a run of gdlab's Python engine exactly, pass that run's orders
 * to gdlab.descend as `order`.
 */
(function (root) {
  "use strict";

  const gdlab = root.gdlab, internal = gdlab._internal;
  const fail = internal.fail;
  const TWO32 = 4294967296;

  /** mulberry32: a function returning the next uniform 32-bit unsigned integer. */
  function generator(seed) {
    let a = seed >>> 0;
    return function next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return (t ^ (t >>> 14)) >>> 0;
    };
  }

  /**
   * A uniform integer in [0, n), n <= 2^32, by Lemire's multiply-and-shift with rejection
   * (unbiased): floor(x n / 2^32), redrawn when the low part of x n falls below 2^32 mod n.
   * x n is exact in a double up to n = 2^21 rows; beyond, a plain rejection of x >= the last
   * multiple of n (a floating-point modulo per draw, slower but as exact).
   */
  function below(next, n) {
    if (n > 2097152) {
      const limit = TWO32 - (TWO32 % n);
      let x = next();
      while (x >= limit) x = next();
      return x % n;
    }
    let m = next() * n, high = Math.floor(m / TWO32), low = m - high * TWO32;
    if (low < n) {
      const threshold = (TWO32 - n) % n;
      while (low < threshold) {
        m = next() * n;
        high = Math.floor(m / TWO32);
        low = m - high * TWO32;
      }
    }
    return high;
  }

  /** Fill `order` with a fresh uniform permutation of 0 .. length - 1. */
  function shuffle(order, next) {
    const m = order.length;
    for (let i = 0; i < m; i++) order[i] = i;
    for (let i = m - 1; i > 0; i--) {
      const j = below(next, i + 1);
      const t = order[i]; order[i] = order[j]; order[j] = t;
    }
  }

  function checkSeed(seed) {
    const s = seed === undefined ? 0 : seed;
    if (!Number.isInteger(s) || s < 0 || s >= TWO32) {
      fail("seed", "shuffleSeed must be an integer in [0, 2^32), got " + internal.shown(seed) +
        ".");
    }
    return s;
  }

  /**
   * Given per-epoch row orders, checked (each a permutation of the m rows) and packed into one
   * Int32Array of epochs x m.
   */
  function packOrders(order, m, epochs) {
    if (!internal.isList(order) || order.length < epochs) {
      fail("order", "order must be an array of at least epochs = " + epochs + " row orders " +
        "(one permutation of 0 .. " + (m - 1) + " per epoch), got " + internal.shown(order) +
        ".");
    }
    const packed = new Int32Array(epochs * m), seen = new Uint8Array(m);
    for (let e = 0; e < epochs; e++) {
      const rows = order[e];
      if (!internal.isList(rows) || rows.length !== m) {
        fail("order", "order[" + e + "] must list each of the " + m + " rows once, got " +
          internal.shown(rows) + ".");
      }
      seen.fill(0);
      for (let k = 0; k < m; k++) {
        const i = rows[k];
        if (!Number.isInteger(i) || i < 0 || i >= m || seen[i]) {
          fail("order", "order[" + e + "] must be a permutation of 0 .. " + (m - 1) + ": entry " +
            k + " is " + internal.shown(i) + (seen[i] ? " again" : "") + ".");
        }
        seen[i] = 1;
        packed[e * m + k] = i;
      }
    }
    return packed;
  }

  /**
   * The row orders gdlab.descend draws for a shuffled run with this seed.
   *
   * @param {number} m rows.
   * @param {number} epochs epochs.
   * @param {number} [seed=0] an integer in [0, 2^32).
   * @returns {Int32Array[]} one permutation of 0 .. m - 1 per epoch.
   */
  gdlab.rowOrders = function rowOrders(m, epochs, seed) {
    internal.integer(m, "m", 1, "shape");
    internal.integer(epochs, "epochs", 0, "epochs");
    if (m * epochs > gdlab.limits.recorded) {
      fail("budget", "rowOrders: " + m + " x " + epochs + " entries exceed " +
        "gdlab.limits.recorded = " + gdlab.limits.recorded + ".");
    }
    const next = generator(checkSeed(seed)), out = [];
    for (let e = 0; e < epochs; e++) {
      const order = new Int32Array(m);
      shuffle(order, next);
      out.push(order);
    }
    return out;
  };

  internal.generator = generator;
  internal.shuffle = shuffle;
  internal.checkSeed = checkSeed;
  internal.packOrders = packOrders;
})(typeof globalThis !== "undefined" ? globalThis : this);
