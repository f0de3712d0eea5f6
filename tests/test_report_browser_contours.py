"""一、3's live lab in a real browser: typed rates, a moved start, the player, kept controls.

Every path the page draws is checked against gdlab's Python engine (``gdlab.optim.descend``)
on the same design, rate and start, iterate by iterate; every count against
``gdlab.analysis``. Input reaches the page as a reader's does: keys typed into the number
box, mouse presses on the figure (Chromium's own input events, through the DevTools
protocol), clicks on the buttons.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from browser_page import (
    HAVE_CHROMIUM,
    NO_CHROMIUM,
    click_button,
    console_errors,
    control,
    figure,
    lesson_page,
    load,
    readout,
    scroll_to_figure,
    set_control,
    settled,
    source,
    start_browser,
    type_into,
    wait_for,
)
from gdlab.analysis import conditioning, steps_to_tolerance
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.data import contour_problem
from gdlab.report.prose import Count, fill
from gdlab.report.sections import contours

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
pytest.importorskip("selenium", reason="selenium is not installed")

SIDES = {"raw": "raw", "scaled": "zscore"}  # figure side -> its design at the lab's defaults
Y = contour_problem()[2]  # the lesson's labels
RTOL = 1e-9  # how closely the page's iterates follow the Python engine's, relative


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = start_browser("en-US", tmp_path_factory.mktemp("profile"))
    yield driver
    driver.quit()


@pytest.fixture
def driver(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The browser showing the lesson page as it opens, scrolled to the contour lab."""
    load(browser, lesson_page(tmp_path_factory).as_uri(), changes=True)
    browser.get_log("browser")
    scroll_to_figure(browser, "contours/surface-raw")
    yield browser
    assert console_errors(browser) == []


def python_run(design: str, lr: float, start: Any, steps: int) -> np.ndarray:
    """The Python engine's iterates on ``design`` from ``start``: ``steps + 1`` rows, or fewer
    when the run diverges."""
    run = descend(
        LeastSquares(), contours.designs()[design], Y, lr=lr, epochs=steps, w0=np.asarray(start)
    )
    return np.asarray(run.params)


def measured(design: str, lr: float, start: Any) -> str:
    """What the lab's "measured steps" readout must say on a converging run: gdlab's own count
    of steps to ``rtol`` of the starting distance, within the section's budget."""
    A = contours.designs()[design]
    run = descend(
        LeastSquares(), A, Y, lr=lr, epochs=contours.BUDGET, w0=np.asarray(start), record="step"
    )
    assert run.status != "diverged"
    hit = steps_to_tolerance(run, LeastSquares().optimum(A, Y), contours.RTOL)
    return Count(hit, contours.BUDGET).in_language("en")


def drawn_path(driver: Any, side: str) -> np.ndarray:
    data = source(driver, f"contours/surface-{side}/path")
    return np.column_stack([data["x"], data["y"]]).astype(float)


def start_point(driver: Any, side: str) -> tuple[float, float]:
    data = source(driver, f"contours/surface-{side}/start")
    return float(data["x"][0]), float(data["y"][0])


def boxes(driver: Any) -> tuple[float, float]:
    """The start's two number boxes."""
    one, two = (control(driver, "contours", f"start{i}").get_attribute("value") for i in (1, 2))
    return float(one), float(two)


def assert_same_iterates(page: np.ndarray, python: np.ndarray) -> None:
    assert 1 < len(page) <= len(python)
    gap = np.linalg.norm(page - python[: len(page)], axis=1)
    size = np.maximum(np.linalg.norm(python[: len(page)], axis=1), 1e-300)
    worst = int(np.argmax(gap / size))
    assert gap[worst] <= RTOL * size[worst], f"iterate {worst}: {page[worst]} != {python[worst]}"


def counter(driver: Any) -> tuple[int, int]:
    text = driver.execute_script(
        "return document.querySelector('.lab[data-section=contours] output.counter"
        " [lang=en]').textContent"
    )
    match = re.fullmatch(r"step (\d+) of (\d+)", text)
    assert match, text
    return int(match[1]), int(match[2])


@pytest.mark.parametrize("lr", [0.16, 0.183])
def test_a_typed_rate_redraws_both_paths_as_the_python_engine(driver: Any, lr: float) -> None:
    # Rates no grid could hold: one just under raw data's 2/L = 0.1716, one past it.
    numbers = contours.measure(lr=lr)
    type_into(control(driver, "contours", "lr"), f"{lr:g}")
    factor = f"{numbers['factor_raw']:.4f}"
    assert (
        settled(driver, lambda: readout(driver, "contours", "factor", "raw")[:6], factor) == factor
    )
    start = contours.lesson_start()
    for side, design in SIDES.items():
        python = python_run(design, lr, start, steps=100)
        page = drawn_path(driver, side)
        assert_same_iterates(page, python)
        if numbers[f"status_{design}"].name != "diverged":
            assert len(page) == 101  # the start and the 100 steps drawn
    # The slider follows the box, on its log scale.
    slider = float(driver.find_element("id", "control-contours-lr-slider").get_attribute("value"))
    assert slider == pytest.approx(math.log10(lr), abs=1e-3)
    diverged = numbers["status_raw"].name == "diverged"
    assert diverged == (lr > numbers["limit_raw"])
    words = readout(driver, "contours", "measured", "raw")
    if diverged:
        assert words.startswith("diverged"), words
        assert readout(driver, "contours", "factor", "raw").endswith("(above 1: diverges)")
    else:
        assert words == measured("raw", lr, start)
    assert readout(driver, "contours", "measured", "scaled") == measured("zscore", lr, start)


@pytest.mark.parametrize("bad", ["0", "-1", "abc"])
def test_a_bad_rate_says_so_and_keeps_the_figures(driver: Any, bad: str) -> None:
    box = control(driver, "contours", "lr")
    type_into(box, "0.16")
    wait_for(driver, lambda: len(drawn_path(driver, "raw")) == 101, "the path at lr 0.16")
    before = {side: drawn_path(driver, side) for side in SIDES}
    cells = [readout(driver, "contours", r, "raw") for r in ("factor", "measured")]
    type_into(box, bad)
    shown = box.get_attribute("value")  # a number box holds nothing for "abc"
    message = driver.find_element("css selector", ".lab[data-section=contours] .lab-message")
    for lang in ("en", "zh"):
        if driver.execute_script("return document.documentElement.lang") != lang:
            driver.find_element("id", "lang-switch").click()
        expected = fill("lab.bad_rate", lang, {"value": shown})
        assert settled(driver, lambda: message.text, expected) == expected
        assert "NaN" not in message.text
    for side in SIDES:
        np.testing.assert_array_equal(drawn_path(driver, side), before[side])
    assert [readout(driver, "contours", r, "raw") for r in ("factor", "measured")] == cells
    type_into(box, "0.1")
    assert settled(driver, lambda: message.is_displayed(), False) is False


def _mouse(driver: Any, kind: str, x: float, y: float, buttons: int) -> None:
    driver.execute_cdp_cmd(
        "Input.dispatchMouseEvent",
        {"type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1},
    )


def _screen(driver: Any, name: str, fx: float, fy: float) -> tuple[float, float, float, float]:
    """A point at fractions ``fx, fy`` of a figure's plotting frame: viewport and figure
    coordinates (CSS pixels)."""
    box = figure(driver, name)
    x0, y0, w, h = box["frame"]
    sx, sy = x0 + fx * w, y0 + fy * h
    return box["left"] + sx, box["top"] + sy, sx, sy


def _data_at(driver: Any, name: str, sx: float, sy: float) -> tuple[float, float]:
    x, y = driver.execute_script(
        "const v = Object.values(Bokeh.index).find((v) => v.model.name === arguments[0]);"
        "return [v.frame.x_scale.invert(arguments[1]), v.frame.y_scale.invert(arguments[2])];",
        name,
        sx,
        sy,
    )
    return float(x), float(y)


def _pixel(driver: Any, name: str) -> tuple[float, float]:
    """The size of one CSS pixel of a figure in data units, along x and y."""
    box = figure(driver, name)
    _, _, w, h = box["frame"]
    return (box["x"][1] - box["x"][0]) / w, (box["y"][1] - box["y"][0]) / h


def _assert_start_moved_to(driver: Any, name: str, target: tuple[float, float]) -> None:
    px = 2 * max(_pixel(driver, name))  # two CSS pixels, in data units

    def there() -> bool:
        return bool(np.allclose(start_point(driver, "raw"), target, rtol=0, atol=px))

    wait_for(driver, there, f"the start to move to {target}")
    for side in SIDES:
        start = start_point(driver, side)
        assert start == pytest.approx(target, abs=px), side
        # The run starts there: the drawn path's first point is the start.
        assert tuple(drawn_path(driver, side)[0]) == start
    assert boxes(driver) == pytest.approx(start_point(driver, "raw"), rel=1e-12)
    for side, design in SIDES.items():
        want = measured(design, 0.1, start_point(driver, side))
        assert (
            settled(driver, lambda s=side: readout(driver, "contours", "measured", s), want) == want
        )


def test_a_click_on_the_figure_moves_both_starts(driver: Any) -> None:
    name = "contours/surface-raw"
    ranges = figure(driver, name)["x"], figure(driver, name)["y"]
    x, y, sx, sy = _screen(driver, name, 0.3, 0.4)
    target = _data_at(driver, name, sx, sy)
    _mouse(driver, "mouseMoved", x, y, 0)
    _mouse(driver, "mousePressed", x, y, 1)
    _mouse(driver, "mouseReleased", x, y, 0)
    wait_for(
        driver, lambda: start_point(driver, "raw") != tuple(contours.lesson_start()), "a start"
    )
    _assert_start_moved_to(driver, name, target)
    assert readout(driver, "contours", "measured", "raw") != "198"  # the lesson's start's count
    assert (figure(driver, name)["x"], figure(driver, name)["y"]) == ranges  # the view stays


def test_a_drag_on_the_figure_moves_both_starts_and_reset_puts_it_back(driver: Any) -> None:
    name = "contours/surface-scaled"
    x, y, _, _ = _screen(driver, name, 0.5, 0.5)
    x1, y1, sx1, sy1 = _screen(driver, name, 0.75, 0.3)
    _mouse(driver, "mouseMoved", x, y, 0)
    _mouse(driver, "mousePressed", x, y, 1)
    for t in np.linspace(0, 1, 8)[1:]:
        _mouse(driver, "mouseMoved", x + t * (x1 - x), y + t * (y1 - y), 1)
    _mouse(driver, "mouseReleased", x1, y1, 0)
    _assert_start_moved_to(driver, name, _data_at(driver, name, sx1, sy1))
    click_button(driver, "contours", '[data-action="start_reset"]')
    lesson = tuple(contours.lesson_start())
    assert settled(driver, lambda: start_point(driver, "raw"), lesson) == lesson
    assert start_point(driver, "scaled") == lesson
    assert boxes(driver) == pytest.approx(lesson, rel=1e-3)
    assert [readout(driver, "contours", "measured", s) for s in SIDES] == ["198", "31"]


# Press play, then pause from inside the page the moment the counter reaches a step.
_PLAY_TO_JS = """
const [play, stop, done] = arguments;
const counter = play.closest('.player').querySelector('output.counter');
const step = () => +counter.querySelector('[lang=en]').textContent.match(/step (\\d+)/)[1];
const watch = new MutationObserver(() => {
  if (step() >= stop) { watch.disconnect(); play.click(); done(step()); }
});
watch.observe(counter, {childList: true, subtree: true, characterData: true});
play.click();
"""


def test_step_reset_and_play_walk_the_path(driver: Any) -> None:
    assert counter(driver) == (100, 100)  # a new page shows the whole run
    set_control(driver, "contours", "steps", 30)  # a shorter run to play through
    assert settled(driver, lambda: counter(driver), (30, 30)) == (30, 30)
    start = contours.lesson_start()
    python = {side: python_run(design, 0.1, start, 30) for side, design in SIDES.items()}
    click_button(driver, "contours", '[data-player="reset"]')
    assert settled(driver, lambda: counter(driver), (0, 30)) == (0, 30)
    for k in (1, 2, 3):
        click_button(driver, "contours", '[data-player="step"]')
        assert settled(driver, lambda: counter(driver), (k, 30)) == (k, 30)
        for side in SIDES:
            path = drawn_path(driver, side)
            assert len(path) == k + 1
            np.testing.assert_allclose(path, python[side][: k + 1], rtol=RTOL)
            now = source(driver, f"contours/surface-{side}/current")
            assert (now["x"][0], now["y"][0]) == tuple(path[-1])
    # The step button answers the keyboard too.
    step = driver.find_element("css selector", '.lab[data-section=contours] [data-player="step"]')
    step.send_keys("\n")
    assert settled(driver, lambda: counter(driver), (4, 30)) == (4, 30)
    play = driver.find_element("css selector", '.lab[data-section=contours] [data-player="play"]')
    # Play, and pause as soon as the counter shows step 6: the page pauses itself, in the same
    # turn as it draws that step, however slow the machine.
    k = driver.execute_async_script(_PLAY_TO_JS, play, 6)
    assert k == 6
    assert play.get_attribute("aria-pressed") == "false"
    assert counter(driver) == (6, 30) and len(drawn_path(driver, "raw")) == 7
    play.click()  # on to the end, where it stops by itself
    wait_for(driver, lambda: counter(driver) == (30, 30), "the player to reach the end")
    wait_for(driver, lambda: play.get_attribute("aria-pressed") == "false", "the player to stop")
    for side in SIDES:
        np.testing.assert_allclose(drawn_path(driver, side), python[side], rtol=RTOL)


def test_changing_one_control_keeps_the_others(driver: Any) -> None:
    type_into(control(driver, "contours", "lr"), "0.16")
    type_into(control(driver, "contours", "start1"), "-0.5")
    type_into(control(driver, "contours", "start2"), "2.5")
    set_control(driver, "contours", "scaler", "minmax")
    set_control(driver, "contours", "steps", 50)
    start = (-0.5, 2.5)
    assert control(driver, "contours", "lr").get_attribute("value") == "0.16"
    assert boxes(driver) == start and start_point(driver, "scaled") == start
    assert counter(driver)[1] == 50
    minmax = conditioning(contours.designs()["minmax"], intercept=False)
    want = {
        ("kappa", "scaled"): f"{minmax.kappa:.2f}",
        ("factor", "scaled"): f"{minmax.rate(0.16):.4f}",
        ("measured", "raw"): measured("raw", 0.16, start),
        ("measured", "scaled"): measured("minmax", 0.16, start),
    }
    for (row, side), text in want.items():
        assert (
            settled(driver, lambda r=row, s=side: readout(driver, "contours", r, s), text) == text
        )
    assert_same_iterates(drawn_path(driver, "scaled"), python_run("minmax", 0.16, start, 50))
    # And the other way round: a new rate keeps the start, the scaler and the steps.
    type_into(control(driver, "contours", "lr"), "0.12")
    want_raw = measured("raw", 0.12, start)
    assert (
        settled(driver, lambda: readout(driver, "contours", "measured", "raw"), want_raw)
        == want_raw
    )
    assert boxes(driver) == start and counter(driver)[1] == 50
    assert control(driver, "contours", "scaler").get_attribute("value") == "minmax"
    assert_same_iterates(drawn_path(driver, "raw"), python_run("raw", 0.12, start, 50))
