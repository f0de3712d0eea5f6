"""The lesson page on a phone and on paper, in headless Chromium.

A phone: Chromium's touch emulation and a 390 px mobile viewport; a finger's swipe is a
sequence of DevTools ``Input.dispatchTouchEvent`` touches, which Chromium turns into the
same touch and pointer events, and the same scrolling, as a real screen. Paper: the print
style sheet (``Emulation.setEmulatedMedia``) and the PDF that ``Page.printToPDF`` makes.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import pytest

from browser_page import (
    HAVE_CHROMIUM,
    NO_CHROMIUM,
    console_errors,
    figure,
    lesson_page,
    load,
    scroll_to_figure,
    source,
    start_browser,
    wait_for,
)
from gdlab.report.sections import contours

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
pytest.importorskip("selenium", reason="selenium is not installed")

# Every figure's ranges, by name.
_RANGES_JS = """
const out = {};
for (const v of Object.values(Bokeh.index)) {
  if (v.model.type !== 'Figure') continue;
  const m = v.model;
  out[m.name] = [m.x_range.start, m.x_range.end, m.y_range.start, m.y_range.end];
}
return out;
"""
# Resolves once the page has painted twice more: whatever input came before is handled.
_FRAMES_JS = """
const done = arguments[arguments.length - 1];
requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
"""
# What the print style sheet does to the page: controls shown, sections that open a page
# (themselves, or through the part heading just before them), headings that may end a page,
# figures shown and how wide, toolbars shown.
_PRINTED_JS = """
const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
const opensPage = (e) => !!e && getComputedStyle(e).breakBefore === 'page';
const part = (s) => {
  let e = s.previousElementSibling;
  if (e && e.matches('p.part-intro')) e = e.previousElementSibling;  // a part's opening words
  return e && e.matches('h2.part') ? e : null;
};
const sections = Array.from(document.querySelectorAll('section.lesson-section'));
const toolbars = [];
const walk = (root) => root.querySelectorAll('*').forEach((e) => {
  if (e.classList.contains('bk-Toolbar') && shown(e)) toolbars.push(e);
  if (e.shadowRoot) walk(e.shadowRoot);
});
walk(document);
const figures = {};
for (const f of document.querySelectorAll('figure.chart')) {
  const view = Object.values(Bokeh.index).find((v) => f.contains(v.el));
  const box = view.el.getBoundingClientRect();
  figures[f.dataset.chart] = [shown(f) && shown(view.el), box.width, box.height,
                              box.right <= document.documentElement.clientWidth + 1];
}
return {
  controls: Array.from(document.querySelectorAll(
    '.lab .controls, .lab .player, .lab-message, #lang-switch')).filter(shown).length,
  sections: sections.length,
  breaks: sections.filter((s) => opensPage(s) || opensPage(part(s))).length,
  sectionBreaks: sections.filter(opensPage).length,
  parts: document.querySelectorAll('h2.part').length,
  headings: Array.from(document.querySelectorAll('h1, h2, h3, h4'))
    .filter((h) => getComputedStyle(h).breakAfter !== 'avoid').length,
  figures: figures,
  toolbars: toolbars.length,
};
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    return lesson_page(tmp_path_factory).as_uri()


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    browser = start_browser("en-US", tmp_path_factory.mktemp("profile"))
    yield browser
    browser.quit()


def _swipe_up(driver: Any, x: float, y: float, distance: float) -> None:
    """A finger put down at ``(x, y)``, moved ``distance`` CSS pixels up and lifted."""
    touch = "Input.dispatchTouchEvent"
    driver.execute_cdp_cmd(touch, {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 11):
        point = {"x": x, "y": y - distance * i / 10}
        driver.execute_cdp_cmd(touch, {"type": "touchMove", "touchPoints": [point]})
    driver.execute_cdp_cmd(touch, {"type": "touchEnd", "touchPoints": []})


@pytest.fixture
def phone(driver: Any, page: str) -> Iterator[Any]:
    """The page on a 390 px touch screen."""
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})
    try:
        yield load(driver, page, width=390, mobile=True, changes=True)
    finally:
        driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})


@pytest.mark.parametrize("name", ["contours/surface-raw", "speed/loss"])
def test_a_swipe_over_a_figure_scrolls_the_page(phone: Any, name: str) -> None:
    # The contour figure takes taps for the lab (its start), the loss figure takes nothing:
    # over either, a vertical swipe is the page's, not the figure's.
    driver = phone
    driver.get_log("browser")
    scroll_to_figure(driver, name)
    ranges = driver.execute_script(_RANGES_JS)
    start = source(driver, "contours/surface-raw/start")
    box = figure(driver, name)
    assert box["width"] <= 390
    y0 = driver.execute_script("return window.scrollY")
    _swipe_up(driver, box["left"] + box["width"] / 2, box["top"] + 0.7 * box["height"], 150)
    wait_for(driver, lambda: driver.execute_script("return window.scrollY") > y0, "a scroll")
    driver.execute_async_script(_FRAMES_JS)
    assert driver.execute_script(_RANGES_JS) == ranges  # no figure panned
    assert source(driver, "contours/surface-raw/start") == start  # nor the lab's start moved
    assert start["x"] == [contours.lesson_start()[0]]
    assert console_errors(driver) == []


def test_a_tap_on_the_contour_figure_still_moves_the_start(phone: Any) -> None:
    driver = phone
    name = "contours/surface-raw"
    scroll_to_figure(driver, name)
    box = figure(driver, name)
    x0, y0, w, h = box["frame"]
    point = {"x": box["left"] + x0 + 0.3 * w, "y": box["top"] + y0 + 0.4 * h}
    driver.execute_cdp_cmd(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]}
    )
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    lesson = [contours.lesson_start()[0]]
    wait_for(driver, lambda: source(driver, "contours/surface-raw/start")["x"] != lesson, "a start")
    moved = source(driver, "contours/surface-scaled/start")
    assert moved == source(driver, "contours/surface-raw/start")
    want_x = box["x"][0] + 0.3 * (box["x"][1] - box["x"][0])
    assert moved["x"][0] == pytest.approx(want_x, abs=2 * (box["x"][1] - box["x"][0]) / w)


def _printed(driver: Any) -> dict[str, Any]:
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        driver.execute_async_script(_FRAMES_JS)
        return dict(driver.execute_script(_PRINTED_JS))
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_printing_shows_each_comparison_and_leaves_no_sheet_half_empty(
    driver: Any, page: str
) -> None:
    # An A4 page's printable width, about 700 CSS pixels: the figures print at that width.
    load(driver, page, width=700)
    printed = _printed(driver)
    assert printed["sections"] >= 5 and printed["parts"] >= 2
    assert printed["controls"] == 0  # controls are hidden on paper
    # A part opens a new sheet; its sections flow on, so no sheet ends half empty.
    assert printed["sectionBreaks"] == 0 and printed["breaks"] == printed["parts"]
    assert printed["headings"] == 0  # no heading is left alone at the foot of a page
    # Every figure is on paper, inside the page, both sides of the contour comparison too.
    figures = printed["figures"]
    assert {"contours/surface-raw", "contours/surface-scaled"} <= set(figures)
    for name, (shown, width, height, inside) in figures.items():
        assert shown and width > 200 and height > 150 and inside, name
    for side in ("raw", "scaled"):
        assert len(source(driver, f"contours/surface-{side}/path")["x"]) == 101
    pdf = base64.b64decode(
        driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})["data"]
    )
    assert pdf.startswith(b"%PDF")
    # Chromium writes one "/Type /Page" object per page (no object streams) and each drawn
    # Bokeh canvas as an image.
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)) >= printed["parts"]
    assert len(re.findall(rb"/Subtype\s*/Image", pdf)) >= len(figures)


def test_no_toolbar_is_printed(driver: Any, page: str) -> None:
    load(driver, page, width=700)
    assert _printed(driver)["toolbars"] == 0
    assert driver.execute_script(_PRINTED_JS)["toolbars"] > 0  # back on screen


# Each formula's MathML against the sentence beside it: [formula name, overlap in px].
_FORMULA_OVERLAPS_JS = """
return Array.from(document.querySelectorAll('.formula')).map((f) => {
  // What the formula draws may reach past its own box: its parts' extent is what is seen.
  const parts = Array.from(f.querySelector('math').querySelectorAll('*'))
    .map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
  const right = Math.max(...parts.map((r) => r.right));
  const top = Math.min(...parts.map((r) => r.top));
  const bottom = Math.max(...parts.map((r) => r.bottom));
  const where = f.querySelector('.where').getBoundingClientRect();
  const across = Math.min(bottom, where.bottom) > Math.max(top, where.top);
  return [f.closest('section').id, across ? Math.max(0, right - where.left) : 0];
});
"""


@pytest.mark.parametrize("width", [1280, 820])
def test_no_formula_runs_into_the_sentence_beside_it(driver: Any, page: str, width: int) -> None:
    load(driver, page, width=width)
    overlaps = driver.execute_script(_FORMULA_OVERLAPS_JS)
    assert len(overlaps) >= 10
    assert [o for o in overlaps if o[1] > 0.5] == []
