"""The lab widget: the page's own JavaScript in Jupyter, its state, and its front end.

- Its ES module holds the engine and the labs' scripts verbatim: the files the page inlines.
- Its state survives JSON, as Jupyter's messages carry it, and refuses what a control cannot
  hold; ``lab()`` refuses a section without a lab and names the live ones.
- In a kernel with no widget front end (nbclient, then nbconvert, as the notebooks are run)
  its text says that the static figures stand in for it.
- In headless Chromium, the front end rendered by a minimal anywidget-like host
  (``tests/widget_host.py``) shows the contour lab with the Python section's numbers,
  recomputes for a typed rate and for values set from Python, moves the start where a click
  or a drag lands (the readouts then equal gdlab's Python engine run from there), plays step
  by step and switches language; the decay lab shows its section's numbers. Oracles: the
  sections' own ``measure()`` and gdlab's engine; no wait depends on the machine's speed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("anywidget", reason="the notebook extra is not installed")

from browser_page import CHROMEDRIVER, CHROMIUM
from gdlab.analysis import steps_to_tolerance
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.data import contour_problem
from gdlab.report.engine_js import engine_source
from gdlab.report.outline import OUTLINE
from gdlab.report.page_script import LAB_FILES, page_javascript, page_scripts
from gdlab.report.prose import fill
from gdlab.report.sections import contours, decay
from gdlab.report.widget import LIVE_SECTIONS, LabWidget, lab
from gdlab.report.widget_script import widget_scripts
from widget_host import host_page, start_chromium

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SMALL = {"n_samples": 200, "epochs": 60}  # a quick decay lab


def test_module_runs_the_pages_own_scripts_verbatim() -> None:
    module = LabWidget._esm
    assert engine_source() in module
    for name, text in zip(LAB_FILES, page_scripts(LAB_FILES), strict=True):
        assert text in module, f"js/page/{name} is not in the widget's module as it is"
        assert text in page_javascript(), f"the page does not run js/page/{name}"
    for kind in LIVE_SECTIONS:
        assert f"root.gdlabLabs.{kind} = function (lab)" in module
    assert all(text in module for text in widget_scripts())
    # The page's own side (Bokeh, the language switch of the whole page) stays out.
    for page_only in page_scripts(("page_labs.js", "page.js")):
        assert page_only not in module
    assert module.rstrip().endswith("export default { render };")


def test_state_round_trips_through_json() -> None:
    w = lab("contours", lang="zh")
    w.values = {"lr": 0.15, "scaler": "minmax"}
    w.lang = "en"
    state = json.loads(json.dumps(w.get_state(), allow_nan=False))
    again = LabWidget(contours.run(), lang="zh")
    again.set_state(state)
    assert (again.values, again.lang, again.section) == (w.values, "en", "contours")
    assert again.spec == w.spec and again.get_state() == w.get_state()
    assert w.values == {"lr": 0.15, "steps": 100, "scaler": "minmax", "start1": 1.3292,
                        "start2": -0.77}  # fmt: skip


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"lr": 0.0}, "control 'lr' takes a learning rate above 0, got 0.0"),
        ({"lr": float("nan")}, "control 'lr' takes a finite number, got nan"),
        ({"steps": 5000}, "control 'steps' takes a number from 1 to 300, got 5000"),
        ({"scaler": "robust"}, "control 'scaler' takes one of ['zscore', 'minmax'], got 'robust'"),
        ({"start1": "1"}, "control 'start1' takes a finite number, got '1'"),
        ({"speed": 1}, "this lab has no control 'speed'; its controls: lr, steps, scaler, start1"),
    ],
)
def test_values_a_control_cannot_hold_are_refused(values: dict[str, Any], message: str) -> None:
    w = lab("contours")
    before = dict(w.values)
    with pytest.raises(ValueError, match=re.escape(message)):
        w.values = values
    assert w.values == before


@pytest.mark.parametrize(
    ("key", "params", "message"),
    [
        (
            "formulas",
            {},
            "section 'formulas' has no live lab; the live sections: contours, "
            "speed, decay, minibatch, combined",
        ),
        ("contour", {}, "section 'contour' is not a section of the lesson; the live sections"),
        ("contours", {"lang": "fr"}, "lang must be 'zh' or 'en', got 'fr'"),
        (
            "contours",
            {"rate": 0.1},
            "section 'contours' has no parameter 'rate'; its parameters: lr, steps",
        ),
        ("contours", {"lr": 20.0}, "contours.lr expects a number from 0.0001 to 10.0, got '20.0'"),
        ("contours", {"steps": 10.5}, "contours.steps expects a whole number from 1 to 1,000"),
        ("contours", {"steps": True}, "contours.steps expects a whole number from 1 to 1,000"),
        ("decay", {"gamma": "0.9"}, "decay.gamma expects a number from 0.5 to 0.999, got '0.9'"),
    ],
)
def test_lab_refuses_what_it_cannot_show(key: str, params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        lab(key, **params)


def test_live_sections_are_those_whose_result_has_a_lab() -> None:
    # Each section at its quick settings (the combined section on fewer rows): the lesson's
    # own declaration decides which sections are live, not the list.
    small = {"combined": {"n_samples": 200, "epochs": 10}, "decay": SMALL}
    live = []
    for e in OUTLINE:
        params = {p.name: p.quick for p in e.params if p.quick is not None}
        if e.run(**{**params, **small.get(e.key, {})}).lab is not None:
            live.append(e.key)
    assert tuple(live) == LIVE_SECTIONS


def test_without_a_widget_front_end_the_text_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    nbconvert = pytest.importorskip("nbconvert")
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    code = "from gdlab.report.widget import lab\nlab('decay', lang='en', n_samples=200, epochs=60)"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    [out] = nb.cells[0].outputs
    assert out.output_type == "execute_result" and WIDGET_MIME in out.data
    text = fill("widget.fallback", "en", {"number": "2.2", "title": decay.run(**SMALL).title})
    assert out.data["text/plain"] == text
    assert "no widget front end shows it here" in text and "gdlab[notebook]" in text
    markdown, _ = nbconvert.MarkdownExporter().from_notebook_node(nb)
    assert text in markdown  # plain nbconvert shows the text, not a broken widget
    zh = lab("decay", lang="zh", **SMALL)._repr_mimebundle_()[0]["text/plain"]
    assert zh.startswith("二、2 ") and "静态图" in zh


# --- The front end in headless Chromium --------------------------------------------------

browser_only = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium and chromedriver are not installed (Debian: chromium, chromium-driver)",
)
_SHADOW = "const root = document.getElementById('host').shadowRoot;"


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    pytest.importorskip("selenium")
    d = start_chromium(tmp_path_factory.mktemp("profile"))
    yield d
    d.quit()


def show(driver: Any, tmp: Path, widget: LabWidget) -> None:
    """Render ``widget``'s state in the host page and wait until its first run is drawn."""
    from selenium.webdriver.support.ui import WebDriverWait

    page = tmp / f"{widget.section}.html"
    page.write_text(host_page(widget.get_state()), encoding="utf-8")
    driver.get(page.as_uri())
    WebDriverWait(driver, 60).until(lambda d: d.execute_script(
        "return window.rendered || window.renderError"))  # fmt: skip
    assert driver.execute_script("return window.renderError || null") is None


def readouts(driver: Any, key: str) -> dict[str, str]:
    """The readout grid's visible texts by ``ROW-COLUMN``."""
    cells = driver.execute_script(
        _SHADOW + "return Array.from(root.querySelectorAll('table.readouts td'))"
        ".map((td) => [td.id, td.innerText.trim()]);"
    )
    return {ident.removeprefix(f"readout-{key}-"): text for ident, text in cells}


def wait_for(driver: Any, what: Any, expected: Any) -> None:
    """Wait until ``what(driver)`` equals ``expected`` (a generous timeout, no sleeps)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, 30).until(lambda d: what(d) == expected)
    except TimeoutException:
        assert what(driver) == expected


def shown(driver: Any, selector: str) -> Any:
    return driver.execute_script(_SHADOW + "return root.querySelector(arguments[0]);", selector)


def contour_numbers(numbers: dict[str, Any]) -> dict[str, str]:
    """The readouts the contour lab must show, from the Python section's numbers."""
    out = {}
    for side, design in (("raw", "raw"), ("scaled", "zscore")):
        out[f"kappa-{side}"] = f"{numbers[f'kappa_{design}']:.2f}"
        out[f"measured-{side}"] = f"{numbers[f'measured_{design}'].value:,}"
        out[f"predicted-{side}"] = f"{float(numbers[f'predicted_{design}']):,.0f}"
    return out


def picked(readout: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    return {k: readout[k] for k in names}


def console_errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def marker(driver: Any, chart: str, series: str) -> list[tuple[float, float]]:
    """The client-pixel centres of a scatter series' points."""
    return [
        tuple(p)
        for p in driver.execute_script(
            _SHADOW + "return Array.from(root.querySelectorAll(arguments[0])).map((c) => {"
            "const r = c.getBoundingClientRect();"
            "return [r.x + r.width / 2, r.y + r.height / 2];});",
            f'[data-chart="contours/{chart}"] g[data-series="{series}"] circle',
        )
    ]


def start_box(driver: Any) -> list[float]:
    boxes = (shown(driver, f'[data-control="start{i}"]') for i in (1, 2))
    return [float(b.get_property("value")) for b in boxes]


def measured_from(start: list[float], lr: float = 0.1) -> dict[str, str]:
    """Steps to the section's tolerance from ``start``, by gdlab's Python engine."""
    _, _, y = contour_problem()
    out = {}
    for side, design in (("raw", "raw"), ("scaled", "zscore")):
        A = contours.designs()[design]
        run = descend(LeastSquares(), A, y, lr=lr, epochs=contours.BUDGET, w0=np.array(start),
                      record="step")  # fmt: skip
        hit = steps_to_tolerance(run, LeastSquares().optimum(A, y), contours.RTOL)
        assert hit is not None and hit <= contours.BUDGET
        out[f"measured-{side}"] = f"{hit:,}"
    return out


@browser_only
def test_contour_lab_shows_the_sections_numbers_and_recomputes(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    w = lab("contours", lang="zh")
    show(driver, tmp_path, w)
    expected = contour_numbers(contours.measure())
    assert [expected[k] for k in ("kappa-raw", "kappa-scaled")] == ["33.97", "1.00"]
    assert [expected[k] for k in ("measured-raw", "measured-scaled")] == ["198", "31"]
    assert picked(readouts(driver, "contours"), expected) == expected
    # Drawn: contour lines on both surfaces, the 100 steps shown (101 points), the fixed
    # range of the loss figure on its log axis.
    for side in ("raw", "scaled"):
        lines = f'[data-chart="contours/surface-{side}"] g[data-series="contours"] path'
        assert driver.execute_script(
            _SHADOW + "return Array.from(root.querySelectorAll(arguments[0]))"
            ".filter((p) => p.getAttribute('d').length > 100).length;", lines) >= 5  # fmt: skip
        assert len(marker(driver, f"surface-{side}", "points")) == 101
    ticks = driver.execute_script(
        _SHADOW + "return Array.from(root.querySelectorAll("
        "'[data-chart=\"contours/loss\"] text.tick')).map((t) => t.textContent);"
    )
    assert "10⁻¹²" in ticks and "10⁴" in ticks
    # A typed rate recomputes, and the model (what goes back to Python) holds it.
    box = shown(driver, '[data-control="lr"]')
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("0.15")
    expected = contour_numbers(contours.measure(lr=0.15))
    wait_for(driver, lambda d: picked(readouts(d, "contours"), expected), expected)
    assert driver.execute_script("return window.model.state.values.lr") == 0.15
    w.set_state({"values": driver.execute_script("return window.model.state.values")})
    assert w.values["lr"] == 0.15
    # Values set from Python move the controls as a reader would.
    w.values = {"lr": 0.05}
    driver.execute_script("window.model.set('values', arguments[0]);", w.get_state()["values"])
    expected = contour_numbers(contours.measure(lr=0.05))
    wait_for(driver, lambda d: picked(readouts(d, "contours"), expected), expected)
    assert box.get_property("value") == "0.05"
    slider = shown(driver, 'input[data-rate-for="lr"]')
    assert float(slider.get_property("value")) == pytest.approx(np.log10(0.05), abs=1e-3)
    assert console_errors(driver) == []


@browser_only
def test_a_click_or_a_drag_moves_the_start(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    show(driver, tmp_path, lab("contours", lang="en"))
    svg = shown(driver, '[data-chart="contours/surface-raw"] svg')
    box = driver.execute_script("return arguments[0].getBoundingClientRect().toJSON();", svg)
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    lesson = start_box(driver)
    for move in ("click", "drag"):
        actions = ActionChains(driver).move_to_element_with_offset(svg, 40, -60)
        if move == "click":
            actions.click().perform()
            aim = (centre[0] + 40, centre[1] - 60)
        else:
            actions.click_and_hold().move_by_offset(-90, 50).release().perform()
            aim = (centre[0] - 50, centre[1] - 10)
        wait_for(driver, lambda d: len(marker(d, "surface-raw", "start")), 1)
        [(x, y)] = marker(driver, "surface-raw", "start")
        assert abs(x - aim[0]) <= 1.5 and abs(y - aim[1]) <= 1.5, (move, (x, y), aim)
        start = start_box(driver)
        assert start != lesson
        expected = measured_from(start)
        assert picked(readouts(driver, "contours"), expected) == expected
        values = driver.execute_script("return window.model.state.values")
        assert [values["start1"], values["start2"]] == start
    shown(driver, '[data-action="start_reset"]').click()
    # The lesson's start, as the controller writes it back (four significant digits).
    assert start_box(driver) == [float(f"{v:.4g}") for v in contours.lesson_start()]
    assert start_box(driver) == pytest.approx(lesson, abs=1e-3)
    assert console_errors(driver) == []


@browser_only
def test_player_steps_and_the_language_switches(driver: Any, tmp_path: Path) -> None:
    show(driver, tmp_path, lab("contours", lang="en"))

    def counter(d: Any) -> str:
        return str(shown(d, ".player .counter").get_property("innerText")).strip()

    assert counter(driver) == fill("lab.counter", "en", {"k": 100, "n": 100})
    shown(driver, '[data-player="reset"]').click()
    assert counter(driver) == fill("lab.counter", "en", {"k": 0, "n": 100})
    wait_for(driver, lambda d: len(marker(d, "surface-raw", "points")), 1)
    shown(driver, '[data-player="step"]').click()
    assert counter(driver) == fill("lab.counter", "en", {"k": 1, "n": 100})
    wait_for(driver, lambda d: len(marker(d, "surface-raw", "points")), 2)
    head = shown(driver, "#readout-contours-head-raw")
    assert head.get_property("innerText").strip() == fill("sections.contours.lab.raw", "en")
    shown(driver, ".lang-switch").click()
    assert driver.execute_script("return window.model.state.lang") == "zh"
    assert head.get_property("innerText").strip() == fill("sections.contours.lab.raw", "zh")
    assert counter(driver) == fill("lab.counter", "zh", {"k": 1, "n": 100})
    assert console_errors(driver) == []


@browser_only
def test_decay_lab_shows_the_sections_numbers(driver: Any, tmp_path: Path) -> None:
    show(driver, tmp_path, lab("decay", lang="en", **SMALL))
    n = decay.measure(**SMALL)
    expected = {}
    for column, run in (("fixed", "large_fixed"), ("decay", "large_decay")):
        expected[f"status-{column}"] = n[f"status_{run}"].in_language("en")
        expected[f"reached-{column}"] = n[f"epochs_{run}"].in_language("en")
        expected[f"sum-{column}"] = f"{n[f'sum_{run}']:.3g}"
    expected["gap-decay"] = f"{n['gap_large_decay']:.1e}"
    assert (expected["status-fixed"], expected["reached-decay"]) == ("diverged", "42")
    assert picked(readouts(driver, "decay"), expected) == expected
    for chart in ("loss", "rate"):
        for series in ("fixed", "decay"):
            path = shown(driver, f'[data-chart="decay/{chart}"] g[data-series="{series}"] path')
            assert len(path.get_attribute("d")) > 100, (chart, series)
    assert console_errors(driver) == []


@browser_only
@pytest.mark.parametrize(
    ("key", "params"),
    [
        ("speed", {"epochs": 2000}),
        ("minibatch", {"shuffles": 4}),
        ("combined", {"n_samples": 200, "epochs": 10}),
    ],
)
def test_every_other_lab_fills_its_readouts(
    driver: Any, tmp_path: Path, key: str, params: dict[str, Any]
) -> None:
    w = lab(key, lang="zh", **params)
    show(driver, tmp_path, w)
    cells = readouts(driver, key)
    assert len(cells) == len(w.spec["html"].split("<td id=")) - 1 > 0
    assert all(cells.values()), cells
    drawn = driver.execute_script(
        _SHADOW + "return Array.from(root.querySelectorAll('g[data-series] path'))"
        ".filter((p) => (p.getAttribute('d') || '').length > 20).length;"
    )
    assert drawn >= 2
    assert console_errors(driver) == []
