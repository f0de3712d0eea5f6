"""How fast the notebook widget answers a control change, against the lesson page's own labs.

In headless Chromium (Debian's ``chromium`` and ``chromedriver``, through Selenium), the
contour and decay labs are loaded twice: as the widget (``gdlab.report.widget``, in the test
suite's anywidget-like host page, ``tests/widget_host.py``) and on the lesson page
(``render_html`` of the same two sections). One control per lab is moved back and forth
``--changes`` times, the four views taking turns (interleaved, so they share the same moments
of a busy machine), after two untimed changes each. One change is timed with
``performance.now()`` from just before the control's value is set and its event dispatched:

- widget: until its figures are redrawn (the controller, then the SVG plotter, which redraws
  in a microtask after the handler);
- page (the anchor): until the handler returns (the same controller and Bokeh's data-source
  updates; Bokeh paints its canvas later, in an animation frame not counted here).

Each figure is a median, printed in milliseconds, as a ratio to the page's and as a ratio to
one 60 Hz frame (16.7 ms). Run: ``python benchmarks/bench_widget.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FRAME_MS = 1000 / 60
# Per lab: the control moved and the two values it alternates between.
CHANGES = {"contours": ("lr", (0.12, 0.1)), "decay": ("gamma", (0.9, 0.95))}

# One change: the milliseconds until the handler returned, and until the microtasks queued by
# it (the widget's redraws) have run.
_CHANGE_JS = """
const [key, name, value, done] = [arguments[0], arguments[1], arguments[2], arguments[3]];
const host = document.getElementById('host');
const root = host ? host.shadowRoot : document;
const el = root.querySelector(`.lab[data-section="${key}"] [data-control="${name}"]`);
const t0 = performance.now();
el.value = String(value);
el.dispatchEvent(new Event('input', {bubbles: true}));
const handler = performance.now() - t0;
Promise.resolve().then(() => done([handler, performance.now() - t0]));
"""


def _host() -> Any:
    """``tests/widget_host.py`` as a module (the host page and the browser's start)."""
    spec = importlib.util.spec_from_file_location("widget_host", ROOT / "tests" / "widget_host.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pages(folder: Path) -> dict[tuple[str, str], str]:
    """The four views' addresses: (lab, "widget" or "page")."""
    from gdlab.report import render_html
    from gdlab.report.sections import contours, decay
    from gdlab.report.widget import lab

    host = _host()
    results = {"contours": contours.run(), "decay": decay.run()}
    page = folder / "page.html"
    page.write_text(render_html(list(results.values()), lang="en"), encoding="utf-8")
    out = {}
    for key in results:
        widget = folder / f"{key}.html"
        widget.write_text(host.host_page(lab(key, lang="en").get_state()), encoding="utf-8")
        out[(key, "widget")] = widget.as_uri()
        out[(key, "page")] = page.as_uri()
    return out


def _ready(driver: Any) -> bool:
    return bool(
        driver.execute_script(
            "return window.rendered === true || document.documentElement.dataset.ready === 'true';"
        )
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--changes", type=int, default=40, help="timed changes per view")
    args = parser.parse_args(argv)
    host = _host()
    if not (host.CHROMIUM.exists() and host.CHROMEDRIVER.exists()):
        sys.exit("needs Debian's chromium and chromedriver")
    from selenium.webdriver.support.ui import WebDriverWait

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pages = _pages(folder)
        drivers = {}
        try:
            for view, url in pages.items():
                drivers[view] = host.start_chromium(folder / f"profile-{view[0]}-{view[1]}")
                drivers[view].get(url)
                WebDriverWait(drivers[view], 120).until(_ready)
            times: dict[tuple[str, str], list[list[float]]] = {v: [] for v in pages}
            for i in range(args.changes + 2):
                for view, driver in drivers.items():
                    name, values = CHANGES[view[0]]
                    took = driver.execute_async_script(_CHANGE_JS, view[0], name, values[i % 2])
                    if i >= 2:
                        times[view].append(took)
        finally:
            for driver in drivers.values():
                driver.quit()
    print(f"{'lab':10} {'widget ms':>10} {'page ms':>9} {'widget/page':>12} {'widget/frame':>13}")
    for key in CHANGES:
        widget = statistics.median(t[1] for t in times[(key, "widget")])
        page = statistics.median(t[0] for t in times[(key, "page")])
        print(
            f"{key:10} {widget:10.2f} {page:9.2f} {widget / page:12.2f} {widget / FRAME_MS:13.2f}"
        )


if __name__ == "__main__":
    main()
