// The page engine replays gdlab's Python engine: every golden run (tests/data/golden_runs.json,
// written by tools/write_golden_runs.py), every scaler and every conditioning case.
//
// Agreement is |js - py| <= RTOL * max(|py|, floor), with a floor per quantity:
// - iterates w: normwise per row, floor max(||w_k||_inf, ||w0 - w*||_inf). Each update's
//   rounding is relative to the vectors it combines (w and lr g, whose size is the distance
//   to w*), not to each component: a component crossing zero carries the error of the whole
//   vector, and a run from w0 = 0 starts with nothing to be relative to.
// - losses: floor loss[0], the start's objective. Both engines compute f(w) as
//   f* + g*.e + e.H e / 2 (or from residuals), whose rounding is absolute, eps times the size
//   of the terms, which along a run is bounded by the starting loss; near f* = 0 (the contour
//   problem) the loss itself would be no scale at all.
// - status, divergence step and epoch, the number of rows, epoch and step columns: equal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gdlab, loadGolden, replay, maxAbs } from "./engine.mjs";

const RTOL = 1e-9;
const golden = loadGolden();

function near(js, py, floor, what, rtol = RTOL) {
  const bound = rtol * Math.max(Math.abs(py), floor);
  if (!(Math.abs(js - py) <= bound) && !(Object.is(js, py))) {
    assert.fail(`${what}: js ${js} vs python ${py} (bound ${bound.toExponential(2)})`);
  }
}

function nearAll(js, py, floor, what, rtol = RTOL) {
  assert.equal(js.length, py.length, `${what}: length`);
  for (let i = 0; i < py.length; i++) near(js[i], py[i], floor, `${what}[${i}]`, rtol);
}

for (const run of golden.runs) {
  test(`replay: ${run.name}`, () => {
    const r = replay(run);
    assert.equal(r.status, run.status);
    assert.deepEqual(r.divergedAt, run.diverged_at);
    assert.equal(r.w.length, run.w.length, "rows");
    assert.deepEqual(Array.from(r.step), run.step);
    assert.deepEqual(Array.from(r.epoch), run.epoch);
    const wStar = golden.designs[run.design].optimum.w;
    const reach = maxAbs(run.w[0].map((v, j) => v - wStar[j]));
    for (let k = 0; k < run.w.length; k++) {
      const floor = Math.max(maxAbs(run.w[k]), reach);
      run.w[k].forEach((v, j) => near(r.w[k][j], v, floor, `w[${k}][${j}]`));
      near(r.loss[k], run.loss[k], run.loss[0], `loss[${k}]`);
    }
    // Rates: the same closed forms, apart from the last bit of pow and cos.
    assert.ok(Number.isNaN(r.lr[0]) && Number.isNaN(run.lr[0]));
    nearAll(r.lr.subarray(1), run.lr.slice(1), 0, "lr", 1e-14);
  });
}

test("the golden runs cover every kind of run the page makes", () => {
  const kinds = new Set();
  for (const run of golden.runs) {
    const o = run.js;
    kinds.add(o.batchSize === undefined ? "full" : o.batchSize === 1 ? "sgd" : "minibatch");
    kinds.add(o.decay ? o.decay.type : "fixed");
    if (o.momentum) kinds.add(`momentum ${o.batchSize === undefined ? "full" : "batches"}`);
    kinds.add(`record ${o.record}`);
    kinds.add(run.status);
    if (run.diverged_at && run.w.length === run.diverged_at.step + 1) kinds.add("diverged kept");
    if (run.diverged_at && run.w.length <= run.diverged_at.step) kinds.add("diverged dropped");
    if (o.batchSize && golden.designs[run.design].y.length % o.batchSize) kinds.add("partial");
  }
  for (const kind of ["full", "sgd", "minibatch", "fixed", "exponential", "step", "cosine",
    "momentum full", "momentum batches", "record step", "record epoch", "max_epochs",
    "diverged", "diverged kept", "diverged dropped", "partial"]) {
    assert.ok(kinds.has(kind), kind);
  }
});

test("optimum: w* and f* of every design", () => {
  for (const [name, design] of Object.entries(golden.designs)) {
    const o = gdlab.optimum(design.X, design.y);
    const py = design.optimum;
    // w*: normwise, as the iterates; f*: floor the loss at w = 0 (f* may be 0).
    nearAll(o.w, py.w, maxAbs(py.w), `${name} w*`);
    const atZero = design.y.reduce((s, v) => s + v * v, 0) / design.y.length;
    near(o.loss, py.loss, atZero, `${name} f*`);
  }
});

for (const c of golden.scalers) {
  test(`scaler: ${c.name}`, () => {
    const set = golden.scaler_sets[c.set];
    const s = gdlab.fitScaler(set.fit, c.kind, c.options);
    // Statistics: relative, a mean floored at its column's spread (a mean near 0 is a sum
    // that cancels, accurate to eps times the spread).
    for (const [key, py] of Object.entries(c.stats)) {
      const floors = py.map((v, j) => (key === "mean" ? Math.sqrt(c.stats.var[j]) : 0));
      py.forEach((v, j) => near(s[key][j], v, floors[j], `${key}[${j}]`, 1e-12));
    }
    // Scaled values are O(1) by construction: floor 1. The inverse of Python's own
    // transformed rows is in the data's units: floor each column's largest |value|.
    const Z = s.transform(set.apply), X = s.inverse(c.transformed);
    const scale = c.inverse[0].map((_, j) => maxAbs(c.inverse.map((row) => row[j])));
    c.transformed.forEach((row, i) => row.forEach((v, j) => near(Z[i][j], v, 1, `z[${i}][${j}]`,
      1e-12)));
    c.inverse.forEach((row, i) => row.forEach((v, j) => near(X[i][j], v, scale[j],
      `x[${i}][${j}]`, 1e-12)));
  });
}

for (const c of golden.conditioning) {
  test(`conditioning: ${c.name}`, () => {
    const X = c.design ? golden.designs[c.design].X : c.set ? golden.scaler_sets[c.set].fit : c.X;
    const r = gdlab.conditioning(X, { intercept: c.intercept });
    for (const key of ["L", "mu", "kappa", "limit", "best"]) near(r[key], c[key], 0, key);
    for (const q of c.rates) {
      // A rate is a contraction factor: absolute rounding eps * lr * L, so floor 1.
      near(r.rate(q.lr), q.rate, 1, `rate(${q.lr})`);
      assert.equal(r.steps(q.lr, q.rtol), q.steps, `steps(${q.lr}, ${q.rtol})`);
    }
  });
}
