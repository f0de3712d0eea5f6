// How long the page's JavaScript engine takes to recompute what one control change asks of
// it, against the lesson page's budgets: one frame (16 ms) for the lesson's problems and
// 100 ms for 10,000 rows. Node's V8 stands in for the browser's here (the page's own figure
// redraw is not included); each figure is the median of --repeats calls after one warm-up,
// and the first call (cold, before the JIT has seen the code) is printed beside it.
// Ratio = time / budget: below 1 fits the budget.
//
// Run:
//     node benchmarks/bench_page_engine.mjs [--repeats 30]
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const js = path.join(root, "src", "gdlab", "report", "js");
const files = JSON.parse(fs.readFileSync(path.join(js, "files.json"), "utf8")).files;
vm.runInThisContext(files.map((f) => fs.readFileSync(path.join(js, f), "utf8")).join("\n"));
const gdlab = globalThis.gdlab;

const arg = process.argv.indexOf("--repeats");
const REPEATS = arg > 0 ? Number(process.argv[arg + 1]) : 30;

/** Part 二's law on n rows: y = 200 x1 - x2 + 1 + noise, x1 in units x 0.1, x2 x 10. */
function lawData(n, seed) {
  const next = gdlab._internal.generator(seed);
  const normal = () => {
    const u = (next() + 1) / 4294967297, v = next() / 4294967296;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const X = [], y = [];
  for (let i = 0; i < n; i++) {
    const a = normal(), b = 0.9 * a + Math.sqrt(1 - 0.81) * normal();
    X.push([0.1 * a, 10 * b]);
    y.push(200 * a - b + 1 + normal());
  }
  return { X, y };
}

/** A control change on a data set: fit the scaler on the training rows, scale, descend, and
 * the readouts (conditioning). */
function change(data, options) {
  const train = Math.floor(0.7 * data.X.length);
  const scaler = gdlab.fitScaler(data.X.slice(0, train), "zscore");
  const A = gdlab.addIntercept(scaler.transform(data.X.slice(0, train)));
  const c = gdlab.conditioning(A, { intercept: false });
  return gdlab.descend(Object.assign({ X: A, y: data.y.slice(0, train), lr: 0.25 * c.limit },
    options));
}

/** The contour section: raw, min-max and z-scored first column, 100 steps each, readouts and
 * eight contour ellipses per panel. */
function contours() {
  const X = [[1, 1], [3, 1]], y = [2, 4], w0 = [1.32921217, -0.77003345];
  for (const kind of ["raw", "minmax", "zscore"]) {
    const first = gdlab.scale(X.map((r) => [r[0]]), kind);
    const A = X.map((r, i) => [first[i][0], 1]);
    const c = gdlab.conditioning(A, { intercept: false });
    c.steps(0.1);
    gdlab.descend({ X: A, y, w0, lr: 0.1, epochs: 100 });
    const f0 = gdlab.loss(A, y, w0);
    gdlab.ellipses(A, y, [1, 2, 3, 4, 5, 6, 7, 8].map((k) => (k / 8) * 4 * f0), 100);
  }
}

const small = lawData(1000, 1), big = lawData(10000, 2);
const cases = [
  ["contour section, 3 scalings x 100 steps (2 x 2)", 16, contours],
  ["1000 x 2, SGD, 20 epochs, every step recorded", 16,
    () => change(small, { batchSize: 1, epochs: 20 })],
  ["1000 x 2, mini-batch 50 + exponential decay, 20 epochs", 16,
    () => change(small, { batchSize: 50, epochs: 20, decay: { type: "exponential", gamma: 0.9 } })],
  ["10,000 x 2, SGD, 20 epochs, one row per epoch", 100,
    () => change(big, { batchSize: 1, epochs: 20, record: "epoch" })],
  ["10,000 x 2, mini-batch 50, 20 epochs, every step recorded", 100,
    () => change(big, { batchSize: 50, epochs: 20 })],
  ["10,000 x 2, full batch, 200 epochs, momentum 0.9", 100,
    () => change(big, { epochs: 200, momentum: 0.9 })],
];

// Cold: each case's first call, in a process that has run nothing else yet.
const cold = cases.map(([, , fn]) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
});
// Warm: interleaved rounds, one call of each case per round.
const times = cases.map(() => []);
for (let r = 0; r < REPEATS; r++) {
  cases.forEach(([, , fn], i) => {
    const start = performance.now();
    fn();
    times[i].push(performance.now() - start);
  });
}
const median = (v) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(`page engine on Node ${process.version}, median of ${REPEATS} (first call in brackets)`);
cases.forEach(([label, budget], i) => {
  const t = median(times[i]);
  console.log(`${label}: ${t.toFixed(2)} ms (${cold[i].toFixed(2)} ms) | budget ${budget} ms | ` +
    `ratio ${(t / budget).toFixed(3)} (${(cold[i] / budget).toFixed(3)}) ` +
    `(${t <= budget ? "fits" : "OVER"})`);
});
