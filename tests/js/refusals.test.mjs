// Bad input: every refusal throws a GdlabError with its stable code and an English message
// saying what was expected and what came, before any work, leaving the caller's data as it was.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gdlab } from "./engine.mjs";

const X = [[1, 1], [3, 1]];
const y = [2, 4];
const base = { X: X, y: y, lr: 0.1, epochs: 5 };

function refuses(code, call, words) {
  let error = null;
  try {
    call();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof gdlab.GdlabError, `expected a GdlabError ${code}, got ${error}`);
  assert.equal(error.code, code, error.message);
  for (const w of words) assert.ok(error.message.includes(w), `"${error.message}" lacks "${w}"`);
}

function descend(changes) {
  return () => gdlab.descend(Object.assign({}, base, changes));
}

test("shape", () => {
  refuses("shape", descend({ X: [[1, 1], [3]] }), ["equal length", "row 1 has 1"]);
  refuses("shape", descend({ X: [] }), ["non-empty"]);
  refuses("shape", descend({ y: [1, 2, 3] }), ["2 values", "got 3"]);
  refuses("shape", descend({ w0: [0] }), ["2 values", "got 1"]);
  refuses("shape", descend({ X: { data: [1, 2, 3], rows: 2, cols: 2 } }), ["rows * cols"]);
  refuses("shape", () => gdlab.ellipses([[1, 2, 1]], [1], [1]), ["exactly 2 columns", "got 3"]);
  const s = gdlab.fitScaler([[1, 2], [3, 4]], "zscore");
  refuses("shape", () => s.transform([[1, 2, 3]]), ["3 columns", "fitted on 2"]);
});

test("nonfinite", () => {
  refuses("nonfinite", descend({ X: [[1, NaN], [3, 1]] }), ["X[0][1]", "finite", "NaN"]);
  refuses("nonfinite", descend({ y: [2, Infinity] }), ["y[1]", "Infinity"]);
  refuses("nonfinite", descend({ X: [[1, "1"], [3, 1]] }), ["X[0][1]", '"1"']);
  refuses("nonfinite", descend({ w0: [1e200, 1e200] }), ["starting point"]);
  refuses("nonfinite", () => gdlab.scale([[1], [NaN]], "zscore"), ["X[1][0]"]);
});

test("lr", () => {
  for (const lr of [0, -1, NaN, Infinity, "0.1", undefined]) {
    refuses("lr", descend({ lr: lr }), ["lr must be a positive finite number"]);
  }
  refuses("lr", () => gdlab.conditioning(X, { intercept: false }).rate(-0.1), ["got -0.1"]);
});

test("epochs, batch, record, momentum, seed", () => {
  refuses("epochs", descend({ epochs: -1 }), ["integer >= 0", "got -1"]);
  refuses("epochs", descend({ epochs: 1.5 }), ["got 1.5"]);
  refuses("batch", descend({ batchSize: 0 }), ["batchSize", ">= 1", "got 0"]);
  refuses("batch", descend({ batchSize: 2.5 }), ["got 2.5"]);
  refuses("record", descend({ record: "update" }), ['"step" or "epoch"', '"update"']);
  for (const m of [1, -0.1, "0.9", NaN]) refuses("momentum", descend({ momentum: m }), ["[0, 1)"]);
  for (const s of [-1, 2 ** 32, 0.5]) refuses("seed", descend({ shuffleSeed: s }), ["[0, 2^32)"]);
});

test("order", () => {
  const mb = { batchSize: 1, epochs: 2 };
  refuses("order", descend(Object.assign({ order: [[0, 1]] }, mb)), ["at least epochs = 2"]);
  refuses("order", descend(Object.assign({ order: [[0, 1], [1, 1]] }, mb)),
    ["order[1]", "permutation", "again"]);
  refuses("order", descend(Object.assign({ order: [[0, 1], [0, 1, 2]] }, mb)), ["each of the 2"]);
  refuses("order", descend(Object.assign({ order: [[0, 1], [0, 2]] }, mb)), ["entry 1 is 2"]);
});

test("decay", () => {
  refuses("decay", descend({ decay: { type: "linear" } }), ['"exponential"', '"linear"']);
  refuses("decay", descend({ decay: "exponential" }), ["null or an object"]);
  refuses("decay", descend({ decay: { type: "exponential", gamma: 0 } }), ["gamma", "> 0"]);
  refuses("decay", descend({ decay: { type: "exponential" } }), ["gamma", "undefined"]);
  refuses("decay", descend({ decay: { type: "step", stepSize: 0 } }), ["stepSize", ">= 1"]);
  refuses("decay", descend({ decay: { type: "cosine", totalSteps: 5, minLr: 0.2 } }),
    ["minLr", "[0, lr]"]);
  refuses("decay", descend({ decay: { type: "exponential", gamma: 0.9, step: 2 } }),
    ['unknown option "step"']);
  // A growing rate that overflows is refused at the epoch it would overflow, as gdlab does
  // (a descent at such rates diverges long before: the rates alone reach it).
  refuses("decay", () => gdlab.rates(1, { type: "exponential", gamma: 10 }, 400),
    ["Infinity at epoch 309"]);
});

test("option", () => {
  refuses("option", descend({ batch_size: 1 }), ['unknown option "batch_size"', "batchSize"]);
  refuses("option", () => gdlab.descend(null), ["options object", "null"]);
  refuses("option", descend({ shuffle: "no" }), ["true or false"]);
  refuses("option", () => gdlab.scale(X, "zscore", { eps: 0, fit: X }), ['"fit"', "fitOn"]);
  refuses("option", () => gdlab.conditioning(X, { intercept: "no" }), ["true or false"]);
});

test("budget: nothing runs unbounded", () => {
  refuses("budget", descend({ epochs: 1e9 }), ["gdlab.limits.work"]);
  const rows = [];
  for (let i = 0; i < 1000; i++) rows.push([i / 1000, 1]);
  const big = { X: rows, y: rows.map((r) => r[0]), batchSize: 1, epochs: 10000 };
  refuses("budget", descend(big), ["gdlab.limits.recorded", 'record: "epoch"']);
  refuses("budget", () => gdlab.rowOrders(1e6, 100), ["gdlab.limits.recorded"]);
  const wide = [new Array(201).fill(1)];
  refuses("budget", () => gdlab.conditioning(wide, { intercept: false }), ["at most 200"]);
});

test("kind, eps, domain, rtol, singular, levels", () => {
  refuses("kind", () => gdlab.scale(X, "robust"), ["raw, minmax, zscore, sigmoid", '"robust"']);
  refuses("eps", () => gdlab.scale(X, "zscore", { eps: -1 }), [">= 0", "got -1"]);
  const s = gdlab.fitScaler(X, "sigmoid");
  refuses("domain", () => s.inverse([[1.5, 0.5]]), ["[0, 1]", "1.5"]);
  const c = gdlab.conditioning(X, { intercept: false });
  refuses("rtol", () => c.steps(0.1, 0), ["rtol", "got 0"]);
  refuses("singular", () => gdlab.ellipses([[1, 2], [2, 4]], [1, 2], [1]), ["singular"]);
  refuses("singular", () => gdlab.conditioning([[0, 0]], { intercept: false }), ["all zeros"]);
  refuses("levels", () => gdlab.ellipses(X, y, [NaN]), ["levels[0]", "NaN"]);
  refuses("levels", () => gdlab.ellipses(X, y, [1], 2), ["nPoints", ">= 3"]);
  refuses("levels", () => gdlab.ellipses(X, y, 1), ["array of numbers"]);
});

test("refused or not, a call leaves the caller's arrays as they were", () => {
  const Xc = [[1, 1], [3, 1]], yc = [2, 4], w0 = [0.5, -0.5], order = [[1, 0], [0, 1]];
  gdlab.descend({ X: Xc, y: yc, w0: w0, lr: 0.1, epochs: 2, batchSize: 1, order: order });
  gdlab.scale(Xc, "zscore");
  assert.throws(() => gdlab.descend({ X: Xc, y: yc, w0: w0, lr: -1, epochs: 2 }));
  assert.deepEqual([Xc, yc, w0, order], [[[1, 1], [3, 1]], [2, 4], [0.5, -0.5], [[1, 0], [0, 1]]]);
});
