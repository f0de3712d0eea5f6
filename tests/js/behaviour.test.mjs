// What the page engine promises beyond the golden replays, each checked against an oracle
// written out here: closed forms (ellipses, one SGD step, schedules), the definition of the
// loss, exact round trips, and the distribution of the page's own shuffles.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gdlab, FILES, SOURCE } from "./engine.mjs";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const X = [[1, 1], [3, 1]];
const y = [2, 4];

/** The least-squares objective by its definition, (1/m) sum (x_i . w - y_i)^2. */
function lossByHand(rows, targets, w) {
  let total = 0;
  rows.forEach((row, i) => {
    const r = row.reduce((s, v, j) => s + v * w[j], 0) - targets[i];
    total += r * r;
  });
  return total / rows.length;
}

/** The lesson's part 二 law on a small grid: y = 200 x1 - x2 + 1, x1 and x2 correlated. */
function lawData(m) {
  const rows = [], targets = [];
  for (let i = 0; i < m; i++) {
    const a = Math.sin(i + 1), b = 0.9 * a + 0.4 * Math.cos(3 * i);
    rows.push([0.1 * a, 10 * b, 1]);
    targets.push(200 * a - b + 1 + 0.5 * Math.sin(7 * i));
  }
  return { X: rows, y: targets };
}

test("ellipses: every point lies on its level, the polygon has the ellipse's area", () => {
  for (const rows of [X, [[-1, 1], [1, 1]], [[0.1, 5], [0.3, -2], [0.2, 1]]]) {
    const opt = gdlab.optimum(rows, y.concat([3]).slice(0, rows.length));
    const targets = y.concat([3]).slice(0, rows.length);
    const levels = [opt.loss + 0.01, opt.loss + 1, opt.loss + 50];
    const n = 60;
    const out = gdlab.ellipses(rows, targets, levels, n);
    assert.deepEqual(out.center, opt.w);
    // det H for the area: an affine image of a regular n-gon inscribed in the unit circle.
    const m = rows.length;
    const h = [0, 0, 0];
    rows.forEach((r) => { h[0] += 2 * r[0] * r[0] / m; h[1] += 2 * r[0] * r[1] / m; h[2] += 2 * r[1] * r[1] / m; });
    const det = h[0] * h[2] - h[1] * h[1];
    out.lines.forEach((line, k) => {
      assert.equal(line.x.length, n + 1);
      assert.equal(line.x[0], line.x[n]);
      assert.equal(line.y[0], line.y[n]);
      let area = 0;
      for (let i = 0; i < n; i++) {
        const f = lossByHand(rows, targets, [line.x[i], line.y[i]]);
        assert.ok(Math.abs(f - levels[k]) <= 1e-12 * levels[k], `${f} vs ${levels[k]}`);
        area += line.x[i] * line.y[i + 1] - line.x[i + 1] * line.y[i];
      }
      const expected = (n / 2) * Math.sin((2 * Math.PI) / n) * (2 * (levels[k] - opt.loss)) /
        Math.sqrt(det);
      assert.ok(Math.abs(Math.abs(area / 2) - expected) <= 1e-9 * expected);
    });
  }
  const below = gdlab.ellipses(X, y, [0, -1]);
  assert.deepEqual(below.lines.map((l) => l.x.length), [0, 0]);
});

test("fitScaler: fit on training rows, apply to others, inverse gives them back", () => {
  const data = lawData(50);
  const train = data.X.slice(0, 35).map((r) => r.slice(0, 2));
  // One row far outside the training range: an affine map takes it back exactly; the
  // sigmoid saturates there (to 1, its documented policy), so it is left out for that one.
  const test_ = data.X.slice(35).map((r) => r.slice(0, 2)).concat([[7, -3]]);
  const cases = [["raw", {}], ["minmax", {}], ["zscore", {}], ["zscore", { eps: 1e-3 }],
    ["sigmoid", { standardize: true }]];
  for (const [kind, opts] of cases) {
    const s = gdlab.fitScaler(train, kind, opts);
    const rows = kind === "sigmoid" ? test_.slice(0, -1) : test_;
    const back = s.inverse(s.transform(rows));
    // Floor: the column's magnitude in the training rows (the size the map's terms have).
    const size = [0, 1].map((j) => Math.max(...train.map((r) => Math.abs(r[j]))));
    back.forEach((row, i) => row.forEach((v, j) => {
      assert.ok(Math.abs(v - rows[i][j]) <= 1e-12 * Math.max(Math.abs(rows[i][j]), size[j]),
        `${kind} [${i}][${j}]: ${v} vs ${rows[i][j]}`);
    }));
    // scale(X, kind, {fitOn}) is the same map; a flat matrix comes back flat.
    assert.deepEqual(gdlab.scale(test_, kind, Object.assign({ fitOn: train }, opts)),
      s.transform(test_));
    const flat = { data: Float64Array.from(test_.flat()), rows: test_.length, cols: 2 };
    assert.deepEqual(Array.from(s.transform(flat).data), s.transform(test_).flat());
  }
  // What each scaler promises on its own training rows.
  const mm = gdlab.scale(train, "minmax");
  const z = gdlab.scale(train, "zscore");
  for (const j of [0, 1]) {
    const col = mm.map((r) => r[j]), zc = z.map((r) => r[j]);
    assert.equal(Math.min(...col), 0);
    assert.ok(Math.abs(Math.max(...col) - 1) <= 1e-15);
    const mean = zc.reduce((s, v) => s + v, 0) / zc.length;
    const variance = zc.reduce((s, v) => s + (v - mean) ** 2, 0) / zc.length;
    assert.ok(Math.abs(mean) < 1e-15 && Math.abs(variance - 1) < 1e-14);
  }
});

test("sigmoid: the lesson's helper, the scaler's default and its policy at 0 and 1", () => {
  assert.equal(gdlab.lesson.sigmoid(0), 0.5);
  assert.deepEqual(gdlab.lesson.sigmoid([[0, 2], [-2, 40]]),
    [[0.5, 1 / (1 + Math.exp(-2))], [1 / (1 + Math.exp(2)), 1]]);
  // SigmoidScaler's default (standardize false) is the plain sigmoid of each value.
  assert.deepEqual(gdlab.scale([[0, 2], [-2, 1]], "sigmoid"),
    [[0.5, 1 / (1 + Math.exp(-2))], [Math.exp(-2) / (1 + Math.exp(-2)), 1 / (1 + Math.exp(-1))]]);
  // 0 and 1 carry no information on how far out the input was: finite logits, never inf.
  const back = gdlab.fitScaler([[0]], "sigmoid").inverse([[0], [1]]);
  assert.ok(Math.abs(back[0][0] + 744.44) < 0.01 && Math.abs(back[1][0] - 36.737) < 0.01);
});

test("a constant column is shifted, never divided (gdlab's constant policy)", () => {
  const rows = [[1, 7], [2, 7], [4, 7]];
  assert.deepEqual(gdlab.scale(rows, "minmax").map((r) => r[1]), [0, 0, 0]);
  assert.deepEqual(gdlab.scale(rows, "zscore", { eps: 1e-8 }).map((r) => r[1]), [0, 0, 0]);
  assert.equal(gdlab.fitScaler(rows, "zscore").scale[1], 1);
});

test("one SGD step, one mini-batch step, one momentum step: the formulas by hand", () => {
  const d = lawData(7), lr = 1e-4, w0 = [0.5, -0.2, 0.1];
  const grad = (rows) => {
    const g = [0, 0, 0];
    for (const i of rows) {
      const r = d.X[i].reduce((s, v, j) => s + v * w0[j], 0) - d.y[i];
      d.X[i].forEach((v, j) => { g[j] += (2 / rows.length) * v * r; });
    }
    return g;
  };
  const order = [[4, 1, 6, 0, 2, 5, 3]];
  const sgd = gdlab.descend({ X: d.X, y: d.y, w0, lr, epochs: 1, batchSize: 1, order });
  const mb = gdlab.descend({ X: d.X, y: d.y, w0, lr, epochs: 1, batchSize: 3, order });
  const mom = gdlab.descend({ X: d.X, y: d.y, w0, lr, epochs: 1, batchSize: 3, order,
    momentum: 0.9 });
  const expect = (g) => w0.map((v, j) => v - lr * g[j]);
  const close = (a, b) => a.forEach((v, j) => assert.ok(Math.abs(v - b[j]) <= 1e-14, `${v} ${b[j]}`));
  close(sgd.w[1], expect(grad([4])));
  close(mb.w[1], expect(grad([4, 1, 6])));
  assert.equal(mb.w.length, 4); // 7 rows in batches of 3: the last partial batch is kept
  close(mom.w[1], mb.w[1]); // the velocity starts at zero: the first step is a plain one
  // Second momentum step: v = 0.9 g1 + g2 at w1.
  const g1 = grad([4, 1, 6]);
  const w1 = Array.from(mom.w[1]);
  const g2 = [0, 0, 0];
  for (const i of [0, 2, 5]) {
    const r = d.X[i].reduce((s, v, j) => s + v * w1[j], 0) - d.y[i];
    d.X[i].forEach((v, j) => { g2[j] += (2 / 3) * v * r; });
  }
  close(mom.w[2], w1.map((v, j) => v - lr * (0.9 * g1[j] + g2[j])));
});

test("the recorded loss is the objective at each recorded iterate", () => {
  const d = lawData(40);
  for (const batchSize of [null, 1, 7]) {
    const r = gdlab.descend({ X: d.X, y: d.y, lr: 1e-4, epochs: 3, batchSize });
    r.w.forEach((w, k) => {
      const f = lossByHand(d.X, d.y, w);
      assert.ok(Math.abs(r.loss[k] - f) <= 1e-12 * r.loss[0], `${r.loss[k]} vs ${f}`);
    });
  }
});

test("options that must agree: full batch, record per epoch, momentum 0, flat data", () => {
  const d = lawData(30), base = { X: d.X, y: d.y, lr: 1e-4, epochs: 4 };
  const run = (o) => gdlab.descend(Object.assign({}, base, o));
  const full = run({});
  assert.deepEqual(run({ batchSize: 30 }).path, full.path);
  assert.deepEqual(run({ batchSize: 99 }).path, full.path);
  assert.deepEqual(run({ momentum: 0 }).path, full.path);
  const flat = { data: Float64Array.from(d.X.flat()), rows: 30, cols: 3 };
  assert.deepEqual(run({ X: flat }).path, full.path);
  // Per epoch: the rows of the per-step record at the epoch ends, nothing else.
  const steps = run({ batchSize: 4 }), epochs = run({ batchSize: 4, record: "epoch" });
  const ends = [0, 8, 16, 24, 32];
  assert.deepEqual(Array.from(epochs.step), ends);
  ends.forEach((s, k) => {
    assert.deepEqual(epochs.w[k], steps.w[s]);
    assert.equal(epochs.loss[k], steps.loss[s]);
  });
  // Epoch zero: the start alone.
  const none = run({ epochs: 0 });
  assert.equal(none.w.length, 1);
  assert.equal(none.status, "max_epochs");
});

test("shuffles: the documented seeded stream, fresh each epoch, no order without batches", () => {
  const d = lawData(20), base = { X: d.X, y: d.y, lr: 1e-4, epochs: 3, batchSize: 5 };
  const run = (o) => gdlab.descend(Object.assign({}, base, o));
  const orders = gdlab.rowOrders(20, 3, 7);
  assert.deepEqual(run({ shuffleSeed: 7 }).path, run({ order: orders }).path);
  assert.deepEqual(run({}).path, run({ order: gdlab.rowOrders(20, 3) }).path);
  assert.notDeepEqual(run({ shuffleSeed: 1 }).path, run({ shuffleSeed: 2 }).path);
  assert.notDeepEqual(Array.from(orders[0]), Array.from(orders[1]));
  const identity = [...Array(20).keys()];
  assert.deepEqual(run({ shuffle: false }).path, run({ order: [identity, identity, identity] }).path);
  for (const o of orders) assert.deepEqual(Array.from(o).sort((a, b) => a - b), identity);
});

test("shuffles are uniform: every order of 3 rows equally often (chi-square, p = 0.001)", () => {
  const counts = new Map();
  for (const o of gdlab.rowOrders(3, 6000, 12345)) {
    const key = o.join("");
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  assert.equal(counts.size, 6);
  let chi2 = 0;
  for (const c of counts.values()) chi2 += (c - 1000) ** 2 / 1000;
  assert.ok(chi2 < 20.52, `chi2 = ${chi2}`); // the 0.999 quantile with 5 degrees of freedom
});

test("rates: gdlab.schedules' closed forms, cosine holding its floor past the horizon", () => {
  const close = (a, b) => a.forEach((v, t) => assert.ok(Math.abs(v - b[t]) <= 1e-15 * b[t]));
  close(gdlab.rates(0.2, { type: "exponential", gamma: 0.95 }, 4), [0.2, 0.19, 0.1805, 0.171475]);
  close(gdlab.rates(1, { type: "step", stepSize: 2 }, 5), [1, 1, 0.1, 0.1, 0.01]);
  const cos = gdlab.rates(1, { type: "cosine", totalSteps: 4, minLr: 0.1 }, 7);
  close(cos, [1, 0.1 + 0.9 * (1 + Math.SQRT1_2) / 2, 0.55, 0.1 + 0.9 * (1 - Math.SQRT1_2) / 2,
    0.1, 0.1, 0.1]);
  assert.deepEqual(Array.from(gdlab.rates(0.3, null, 2)), [0.3, 0.3]);
});

test("divergence: a first step that overflows is reported, and not kept", () => {
  const r = gdlab.descend({ X, y, lr: 1e160, epochs: 5, w0: [1, 2] });
  assert.equal(r.status, "diverged");
  assert.deepEqual(r.divergedAt, { step: 1, epoch: 1 });
  assert.equal(r.w.length, 1);
  assert.match(r.reason, /loss is Infinity; a stable constant learning rate is below 2\/L = 0.1716/);
});

test("conditioning: the lesson's numbers, and intercept appended by default as in Python", () => {
  const c = gdlab.conditioning(X, { intercept: false });
  assert.equal(c.kappa.toFixed(2), "33.97");
  assert.equal(c.limit.toFixed(4), "0.1716");
  // 198 at the lesson's 0.1; at 2/(L + mu), ceil(log 1e-3 / log((kappa - 1) / (kappa + 1))).
  assert.deepEqual([c.steps(0.1), c.steps(c.best), c.steps()], [198, 118, 118]);
  assert.equal(c.steps(0.2), Infinity); // past 2/L: no convergence
  const features = gdlab.conditioning([[1], [3]]);
  assert.equal(features.L, c.L);
  assert.equal(features.mu, c.mu);
  const flat = gdlab.conditioning([[1, 1], [1, 1]], { intercept: false });
  assert.deepEqual([flat.mu, flat.kappa, flat.steps(0.1)], [0, Infinity, Infinity]);
});

test("source: ES2017 classic scripts, safe to inline, small files", () => {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "gdlab",
    "report", "js");
  const listed = fs.readdirSync(dir).filter((f) => f.endsWith(".js")).sort();
  assert.deepEqual([...FILES].sort(), listed, "files.json lists every script");
  // Comments and strings removed, no syntax newer than ES2017 may remain.
  const code = SOURCE.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "")
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
  for (const [pattern, what] of [[/\?\.(?!\d)/, "optional chaining"], [/\?\?/, "nullish ?? "],
    [/\.\.\./, "spread / rest (object spread is ES2018)"], [/catch\s*\{/, "catch without binding"],
    [/\bimport\b|\bexport\b/, "modules"], [/#[A-Za-z_]/, "private fields"],
    [/\b\d+n\b/, "BigInt"], [/`/, "template literals (fine, but kept out for old inliners)"]]) {
    assert.ok(!pattern.test(code), what);
  }
  assert.ok(!/<\/script/i.test(SOURCE), "a </script> would end the page's inline script");
  for (const f of FILES) {
    const text = fs.readFileSync(path.join(dir, f), "utf8");
    assert.ok(text.split("\n").length <= 300, `${f} is over 300 lines`);
    assert.match(text, /\(function \(root\) \{\n {2}"use strict";/, `${f}: IIFE, strict`);
  }
});
