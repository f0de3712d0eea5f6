/* gdlab page engine, learning-rate decay per epoch: the closed forms of gdlab.schedules'
 * exponential, step and cosine (optax dialect), in their operation order, so a page's rate at
 * epoch t is the Python engine's to the last bit or two.
 */
(function (root) {
  "use strict";

  const gdlab = root.gdlab, internal = gdlab._internal;
  const fail = internal.fail;

  function number(spec, key, fallback, ok, expected) {
    const v = spec[key] === undefined ? fallback : spec[key];
    if (typeof v !== "number" || !isFinite(v) || !ok(v)) {
      fail("decay", "decay." + key + " must be " + expected + ", got " +
        internal.shown(spec[key]) + ".");
    }
    return v;
  }

  function positive(v) { return v > 0; }

  /**
   * The rate of epoch t (0-based) as a function, from a starting rate and a decay spec.
   *   null: lr (gdlab.schedules.constant)
   *   {type: "exponential", gamma}: lr * gamma^t (schedules.exponential; PyTorch ExponentialLR)
   *   {type: "step", stepSize, gamma = 0.1}: lr * gamma^floor(t / stepSize) (schedules.step)
   *   {type: "cosine", totalSteps, minLr = 0}: minLr + (lr - minLr) (1 + cos(pi tau / T)) / 2
   *     with tau = min(t, T): it holds minLr past T (schedules.cosine, dialect "optax")
   */
  function schedule(lr, spec) {
    if (spec === null || spec === undefined) return function () { return lr; };
    if (typeof spec !== "object" || Array.isArray(spec)) {
      fail("decay", "decay must be null or an object such as {type: \"exponential\", gamma: " +
        "0.95}, got " + internal.shown(spec) + ".");
    }
    const type = spec.type;
    if (type === "exponential") {
      internal.checkKeys(spec, ["type", "gamma"], "decay", "decay");
      const gamma = number(spec, "gamma", undefined, positive, "a number > 0");
      return function (t) { return lr * Math.pow(gamma, t); };
    }
    if (type === "step") {
      internal.checkKeys(spec, ["type", "gamma", "stepSize"], "decay", "decay");
      const gamma = number(spec, "gamma", 0.1, positive, "a number > 0");
      const size = number(spec, "stepSize", undefined, function (v) {
        return Number.isInteger(v) && v >= 1;
      }, "an integer >= 1");
      return function (t) { return lr * Math.pow(gamma, Math.floor(t / size)); };
    }
    if (type === "cosine") {
      internal.checkKeys(spec, ["type", "totalSteps", "minLr"], "decay", "decay");
      const total = number(spec, "totalSteps", undefined, function (v) {
        return Number.isInteger(v) && v >= 1;
      }, "an integer >= 1 (epochs to reach minLr)");
      const minLr = number(spec, "minLr", 0, function (v) {
        return v >= 0 && v <= lr;
      }, "a number in [0, lr] = [0, " + lr + "]");
      return function (t) {
        const tau = Math.min(t, total);
        const decay = 0.5 * (1 + Math.cos(Math.PI * tau / total));
        return minLr + (lr - minLr) * decay;
      };
    }
    fail("decay", "decay.type must be \"exponential\", \"step\" or \"cosine\", got " +
      internal.shown(type) + ".");
  }

  /** The checked rate of epoch t: a growing schedule may overflow, as gdlab's engine says. */
  function rateAt(rate, t) {
    const value = rate(t);
    if (!(isFinite(value) && value >= 0)) {
      fail("decay", "the decay gives the rate " + value + " at epoch " + t +
        "; a rate must be finite and >= 0 (check gamma).");
    }
    return value;
  }

  /**
   * The learning rate of each epoch, as gdlab.descend applies it.
   *
   * @param {number} lr the rate of epoch 0, > 0.
   * @param {?{type: string}} decay as in gdlab.descend.
   * @param {number} epochs how many epochs.
   * @returns {Float64Array} rates[t] for t = 0 .. epochs - 1.
   * @example gdlab.rates(0.2, {type: "exponential", gamma: 0.95}, 3)  // [0.2, 0.19, 0.1805]
   */
  gdlab.rates = function rates(lr, decay, epochs) {
    internal.positive(lr, "lr", "lr");
    internal.integer(epochs, "epochs", 0, "epochs");
    if (epochs > gdlab.limits.recorded) {
      fail("budget", "rates for " + epochs + " epochs exceed gdlab.limits.recorded.");
    }
    const rate = schedule(lr, decay), out = new Float64Array(epochs);
    for (let t = 0; t < epochs; t++) out[t] = rateAt(rate, t);
    return out;
  };

  internal.schedule = schedule;
  internal.rateAt = rateAt;
})(typeof globalThis !== "undefined" ? globalThis : this);
