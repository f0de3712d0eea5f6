"""The report opens in a real browser: headless Chromium decodes every image, logs no error.

A copy of the report gets a small script at the top of <head> that records load errors and,
on load, writes into the DOM how many images there are and how many failed to decode;
``--dump-dom`` prints that DOM and ``--enable-logging=stderr`` the console. Skipped where
Chromium is not installed (CI installs Debian's ``chromium``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gdlab.report import ExperimentResult, Image, write_report
from gdlab.report.demo import run_demo

CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).exists()),
    None,
)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

_PROBE = """<script>
window.__errors = [];
window.addEventListener('error', function (e) {
  window.__errors.push(e.message || ('failed to load ' + ((e.target && e.target.tagName) || '?')));
}, true);
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var bad = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); });
  var out = document.createElement('pre');
  out.id = 'gdlab-check';
  out.textContent = JSON.stringify({images: imgs.length, undecoded: bad.length,
                                    errors: window.__errors});
  document.body.appendChild(out);
});
</script>"""


def browser_check(page: Path, tmp: Path) -> tuple[dict[str, object], list[str]]:
    """Load ``page`` in headless Chromium; return the probe's findings and console lines."""
    probed = tmp / f"probed-{page.name}"
    html = page.read_text(encoding="utf-8")
    probed.write_text(html.replace("<head>", "<head>" + _PROBE, 1), encoding="utf-8")
    assert CHROMIUM is not None
    proc = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
            probed.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="gdlab-check">(.*?)</pre>', proc.stdout, re.S)
    assert found, f"the probe did not run (exit {proc.returncode}): {proc.stderr[-2000:]}"
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return json.loads(found.group(1).replace("&quot;", '"')), console


def test_demo_report_loads_with_every_image_decoded(tmp_path: Path) -> None:
    demo = run_demo(tmp_path / "report", quick=True)
    assert demo.path is not None
    expected = sum(len(r.images) for r in demo.results)
    result, console = browser_check(demo.path, tmp_path)
    assert result == {"images": expected, "undecoded": 0, "errors": []}
    assert expected >= 10
    assert console == []


def test_probe_catches_an_undecodable_image(tmp_path: Path) -> None:
    # The check must be able to fail: a PNG data URI with garbage bytes does not decode.
    broken = ExperimentResult("x", "§0", "broken", "text", images=(Image("x", "x", b"not png"),))
    page = write_report([broken], tmp_path / "broken.html")
    result, _ = browser_check(page, tmp_path)
    assert result["images"] == 1
    assert result["undecoded"] == 1
