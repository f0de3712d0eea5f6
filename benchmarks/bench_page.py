"""How fast the lesson page redraws after a control change, and how big and slow to build it is.

In headless Chromium (Debian's ``chromium`` and ``chromedriver``, through Selenium), each lab's
control is moved back and forth ``--changes`` times, the labs taking turns (interleaved, so
they share the same moments of a busy machine), after two untimed changes each. One change is
timed inside the page with ``performance.now()``: from just before the control's value is set
and its event dispatched until every figure of the lab has finished its next Bokeh paint. It
splits into the handler (the page's engine and the Bokeh data-source updates, synchronous) and
Bokeh's paint work; the rest is Bokeh waiting for an animation frame. Each figure is a median,
printed as a ratio to its budget: one frame (16 ms) on the lesson's problems, 100 ms with
10,000 rows in every part-二 lab.

Also printed: the page's size against 3 MB and the wall time of ``gdlab demo`` (a fresh
process; every section of the outline that exists), against the 8-15 s the page took before
its labs were live (a recorded figure, not one of this run). Run:
``python benchmarks/bench_page.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from gdlab.report.outline import KEYS

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
MAX_BYTES = 3_000_000
FRAME_MS, LARGE_MS = 16.0, 100.0
DEMO_BEFORE_S = (8.0, 15.0)
PART_TWO = ("speed", "decay", "minibatch", "combined")
BIG_ROWS = 10_000
# Per lab: the control moved and the values it alternates between (its default among them).
CHANGES = {
    "contours": ("lr", (0.12, 0.1)),
    "speed": ("fraction", (0.9, 0.95)),
    "decay": ("gamma", (0.9, 0.95)),
    "minibatch": ("factor", (0.3, 0.25)),
    "combined": ("factor", (0.9, 1.0)),
}

# Installed once per page: every figure view records when its paints end and how long they
# took, so one change can wait for the paints of its own lab.
_HOOK_JS = """
window.benchPaints = new Map();
for (const view of Object.values(Bokeh.index)) {
  if (view.model.type !== 'Figure') continue;
  const own = view._actual_paint;
  view._actual_paint = function () {
    const start = performance.now();
    own.call(this);
    const end = performance.now();
    const seen = benchPaints.get(view) || {end: 0, ms: 0};
    benchPaints.set(view, {end: end, ms: seen.ms + end - start});
  };
}
"""
# One change of a lab's control: [total, handler, paint] in milliseconds.
_CHANGE_JS = """
const [key, name, value, done] = arguments;
const el = document.querySelector(`.lab[data-section="${key}"] [data-control="${name}"]`);
const section = document.getElementById(key);
const views = Object.values(Bokeh.index)
  .filter((v) => v.model.type === 'Figure' && section.contains(v.el));
benchPaints.clear();
const event = el.tagName === 'SELECT' || el.type === 'checkbox' ? 'change' : 'input';
const t0 = performance.now();
el.value = String(value);
el.dispatchEvent(new Event(event, {bubbles: true}));
const handler = performance.now() - t0;
(function wait() {
  const seen = views.map((v) => benchPaints.get(v));
  if (seen.every((p) => p && p.end > t0)) {
    done([Math.max(...seen.map((p) => p.end)) - t0, handler,
          seen.reduce((s, p) => s + p.ms, 0)]);
  } else {
    setTimeout(wait, 0);
  }
})();
"""
_READY_JS = """
return document.documentElement.dataset.ready === 'true' &&
  Bokeh.documents.every((d) => d.is_idle);
"""


def sections() -> list[str]:
    """The outline's sections whose modules exist (all of them once the lesson is complete)."""
    return [k for k in KEYS if importlib.util.find_spec(f"gdlab.report.sections.{k}")]


def demo_wall_time(out: Path, keys: list[str]) -> float:
    """Seconds ``gdlab demo`` takes in a fresh process, writing into ``out``."""
    # The console script as a reader runs it, in a fresh interpreter.
    code = "import sys; from gdlab.cli import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", code, "demo", "--out", str(out)]
    if keys != list(KEYS):
        command += ["--only", ",".join(keys)]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def big_page(out: Path) -> Path:
    """The part-二 labs with ``BIG_ROWS`` rows each."""
    from gdlab.report.demo import run_demo

    overrides = {key: {"n_samples": BIG_ROWS} for key in PART_TWO}
    path = run_demo(out, only=PART_TWO, overrides=overrides).path
    assert path is not None
    return path


def browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.add_argument("--window-size=1280,900")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(120)
    return driver


def time_changes(driver: Any, page: Path, labs: list[str], changes: int) -> dict[str, list[Any]]:
    """Per lab, ``changes`` timed changes of its control, the labs taking turns."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(page.as_uri())
    WebDriverWait(driver, 120).until(lambda d: d.execute_script(_READY_JS))
    driver.execute_script(_HOOK_JS)
    times: dict[str, list[Any]] = {lab: [] for lab in labs}
    for i in range(changes + 2):
        for lab in labs:
            name, values = CHANGES[lab]
            measured = driver.execute_async_script(_CHANGE_JS, lab, name, values[i % 2])
            if i >= 2:  # two untimed changes each: the engine's code is compiled by then
                times[lab].append(measured)
    return times


def report(title: str, times: dict[str, list[Any]], budget: float) -> None:
    print(f"{title} (budget {budget:g} ms; median of {len(next(iter(times.values())))} changes)")
    for lab, rows in times.items():
        total, handler, paint = (statistics.median(r[k] for r in rows) for k in range(3))
        print(
            f"  {lab:<10} redraw {total:6.1f} ms | ratio to budget {total / budget:5.2f}x "
            f"({'within' if total <= budget else 'OVER'}) | handler {handler:5.1f} ms, "
            f"Bokeh paint {paint:5.1f} ms, waiting for a frame {total - handler - paint:5.1f} ms"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--changes", type=int, default=25, help="timed changes per lab (>= 20)")
    args = parser.parse_args(argv)
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        print("bench_page: skipped (Debian's chromium and chromium-driver are not installed)")
        return
    keys = sections()
    labs = [k for k in CHANGES if k in keys]
    with tempfile.TemporaryDirectory() as tmp:
        seconds = demo_wall_time(Path(tmp, "lesson"), keys)
        page = Path(tmp, "lesson", "index.html")
        big = big_page(Path(tmp, "big"))
        size, big_size = page.stat().st_size, big.stat().st_size
        driver = browser()
        try:
            lesson = time_changes(driver, page, labs, args.changes)
            large = time_changes(driver, big, [k for k in labs if k in PART_TWO], args.changes)
        finally:
            driver.quit()
    shown = "all sections" if keys == list(KEYS) else f"{len(keys)} of {len(KEYS)} sections"
    low, high = DEMO_BEFORE_S
    print(
        f"bench_page: gdlab demo ({shown}: {', '.join(keys)}) {seconds:.1f} s | against the "
        f"{low:g}-{high:g} s before live labs: {seconds / high:.2f}x of {high:g} s"
    )
    print(
        f"page size {size / 1e6:.2f} MB | ratio to 3 MB {size / MAX_BYTES:.2f}x "
        f"({'within' if size <= MAX_BYTES else 'OVER'}); with {BIG_ROWS:,} rows per part-二 "
        f"lab: {big_size / 1e6:.2f} MB"
    )
    report("redraw after a control change, the lesson's problems", lesson, FRAME_MS)
    report(f"redraw after a control change, {BIG_ROWS:,} rows", large, LARGE_MS)


if __name__ == "__main__":
    main()
