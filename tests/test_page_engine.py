"""The page's JavaScript engine: its Node test suite, its golden file and a real browser.

- ``node --test tests/js/*.test.mjs`` replays every golden run of gdlab's Python engine through the
  JavaScript engine and checks its refusals and promises (skipped, with the reason, where
  ``node`` is not on PATH; ``.ci/run`` installs Debian's ``nodejs``).
- The golden file cannot drift from the Python engine: every case is computed again here
  and compared with ``tests/data/golden_runs.json``. Integers, names, statuses, divergence
  points and row orders must be equal; floats agree to 1e-12 relative to the largest
  magnitude of the list they sit in (normwise per row of iterates), a thousand times tighter
  than the replay's 1e-9. Not bit for bit: BLAS kernels and numba's reassociated sums
  round differently on another CPU, and the file must stay valid there.
- The same source, inlined in a page, gives the same iterates in headless Chromium.
"""

from __future__ import annotations

import importlib.util
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from gdlab.report.engine_js import ENGINE_FILES, engine_source

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden_runs.json"
JS_DIR = ROOT / "src" / "gdlab" / "report" / "js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def _writer() -> ModuleType:
    """``tools/write_golden_runs.py`` as a module."""
    spec = importlib.util.spec_from_file_location("write_golden_runs", ROOT / "tools" /
                                                  "write_golden_runs.py")  # fmt: skip
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH (Debian: nodejs)")
def test_node_suite_passes() -> None:
    # The files by name (Node 18 searches a directory, Node 21+ reads globs) and the TAP
    # reporter (the default depends on the version and on a terminal).
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "js").glob("*.test.mjs"))
    done = subprocess.run(
        ["node", "--test", "--test-reporter=tap", *files],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-20000:] + done.stderr[-5000:]
    assert "# fail 0" in done.stdout
    # The suite ran the golden replays, not an empty directory.
    runs = len(json.loads(GOLDEN.read_text(encoding="utf-8"))["runs"])
    assert done.stdout.count("\nok ") >= runs


def test_engine_source_joins_the_declared_files_in_order() -> None:
    listing = json.loads((JS_DIR / "files.json").read_text(encoding="utf-8"))["files"]
    assert list(ENGINE_FILES) == listing
    assert sorted(listing) == sorted(p.name for p in JS_DIR.glob("*.js"))
    source = engine_source()
    at = [source.index((JS_DIR / name).read_text(encoding="utf-8")) for name in listing]
    assert at == sorted(at)
    assert "</script" not in source.lower()  # the page inlines it in a <script> element


def _same(fresh: Any, stored: Any, where: str) -> None:
    """Equal structure and discrete values; floats to 1e-12 of their list's magnitude."""
    if isinstance(stored, dict):
        assert isinstance(fresh, dict) and fresh.keys() == stored.keys(), where
        for key in stored:
            _same(fresh[key], stored[key], f"{where}.{key}")
    elif isinstance(stored, list) and stored and all(type(v) is float for v in stored):
        assert isinstance(fresh, list) and len(fresh) == len(stored), where
        size = max(abs(v) for v in stored)
        for i, (a, b) in enumerate(zip(fresh, stored, strict=True)):
            assert type(a) is float and abs(a - b) <= 1e-12 * size, f"{where}[{i}]: {a} vs {b}"
    elif isinstance(stored, list):
        assert isinstance(fresh, list) and len(fresh) == len(stored), where
        for i, (a, b) in enumerate(zip(fresh, stored, strict=True)):
            _same(a, b, f"{where}[{i}]")
    elif type(stored) is float:
        assert type(fresh) is float and math.isclose(fresh, stored, rel_tol=1e-12), (
            f"{where}: {fresh} vs {stored}"
        )
    else:
        assert fresh == stored, f"{where}: {fresh!r} vs {stored!r}"


def test_golden_file_is_current() -> None:
    writer = _writer()
    fresh = json.loads(writer.dumps(writer.build()))
    stored = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert [r["name"] for r in fresh["runs"]] == [r["name"] for r in stored["runs"]]
    _same(fresh, stored, "golden")
    # Under the size the page's tests can afford to read on every run.
    assert GOLDEN.stat().st_size < 2_000_000


def test_golden_orders_are_the_engines_own() -> None:
    # The orders are reconstructed, not read out of the engine; a shuffled run with the same
    # seed but the rows visited in order ends elsewhere, so the replay could not pass with
    # wrong ones. Here: the reconstruction is a permutation per epoch, one per epoch run.
    stored = json.loads(GOLDEN.read_text(encoding="utf-8"))
    shuffled = [r for r in stored["runs"] if "order" in r["js"]]
    assert len(shuffled) >= 6
    for run in shuffled:
        n = len(stored["designs"][run["design"]]["y"])
        assert len(run["js"]["order"]) == run["js"]["epochs"]
        assert all(sorted(order) == list(range(n)) for order in run["js"]["order"])


def _chromium() -> Any:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run"):  # fmt: skip
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


@pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium and chromedriver are not installed (Debian: chromium, chromium-driver)",
)
def test_inlined_engine_replays_golden_runs_in_chromium(tmp_path: Path) -> None:
    stored = json.loads(GOLDEN.read_text(encoding="utf-8"))
    names = ("contour raw lr 0.1", "part2 zscore mini-batch 32", "part2 zscore fixed 1.25 x 2/L")
    runs = [r for r in stored["runs"] if r["name"] in names]
    cases = [{"X": stored["designs"][r["design"]]["X"], "y": stored["designs"][r["design"]]["y"],
              "js": r["js"]} for r in runs]  # fmt: skip
    page = tmp_path / "engine.html"
    page.write_text(
        "<!doctype html><meta charset='utf-8'><title>engine</title>"
        f"<script>{engine_source()}</script><script>"
        f"window.results = {json.dumps(cases)}.map(function (c) {{"
        "  var r = gdlab.descend(Object.assign({X: c.X, y: c.y}, c.js));"
        "  return {w: r.w.map(function (row) { return Array.from(row); }),"
        "          loss: Array.from(r.loss), status: r.status, at: r.divergedAt};"
        "});</script>",
        encoding="utf-8",
    )
    driver = _chromium()
    try:
        driver.get(page.as_uri())
        results = driver.execute_script("return window.results;")
    finally:
        driver.quit()
    assert len(results) == len(runs) == 3
    for run, got in zip(runs, results, strict=True):
        assert (got["status"], got["at"]) == (run["status"], run["diverged_at"])
        assert len(got["w"]) == len(run["w"])
        size = max(max(abs(v) for v in row) for row in run["w"])
        for a, b in zip(got["w"], run["w"], strict=True):
            assert max(abs(p - q) for p, q in zip(a, b, strict=True)) <= 1e-9 * size
        for a, b in zip(got["loss"], run["loss"], strict=True):
            assert abs(a - b) <= 1e-9 * max(abs(b), run["loss"][0])
