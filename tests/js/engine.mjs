// Loads the page engine (the files of src/gdlab/report/js/files.json, in that order, as the
// page inlines them) into this Node process, and the golden runs of the Python engine.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const JS = path.join(ROOT, "src", "gdlab", "report", "js");

/** The engine's source, joined in the declared load order. */
export const FILES = JSON.parse(fs.readFileSync(path.join(JS, "files.json"), "utf8")).files;
export const SOURCE = FILES.map((f) => fs.readFileSync(path.join(JS, f), "utf8")).join("\n");
vm.runInThisContext(SOURCE, { filename: "gdlab-engine.js" });
export const gdlab = globalThis.gdlab;

// The golden file writes non-finite floats as strings ("Infinity", "NaN"): read them back.
function revive(key, value) {
  return value === "Infinity" || value === "-Infinity" || value === "NaN" ? Number(value) : value;
}

let golden = null;
/** tests/data/golden_runs.json, written by tools/write_golden_runs.py. */
export function loadGolden() {
  if (golden === null) {
    const file = path.join(ROOT, "tests", "data", "golden_runs.json");
    golden = JSON.parse(fs.readFileSync(file, "utf8"), revive);
  }
  return golden;
}

/** The replay of a golden run through gdlab.descend. */
export function replay(run) {
  const design = loadGolden().designs[run.design];
  return gdlab.descend(Object.assign({ X: design.X, y: design.y }, run.js));
}

export function maxAbs(v) {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m;
}
