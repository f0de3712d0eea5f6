"""The lesson page in headless Chromium, for the browser tests: the driver, the page, its state.

The page is built once per test session with the lesson's live labs (``gdlab demo --only``)
and opened from disk (no server, no network) in Debian's Chromium through its
``chromedriver``; Selenium Manager, which would go to the network, is never run. Everything
here reads what a reader gets: the readouts' text, the Bokeh documents' data, the controls'
values. Waits are on the page's own state, never on a measured duration, so a slow machine
only makes a test take longer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HAVE_CHROMIUM = CHROMIUM.exists() and CHROMEDRIVER.exists()
NO_CHROMIUM = "Chromium and chromedriver are not installed (Debian: chromium, chromium-driver)"
# The sections with a live lab; the page the tests build holds these (other sections may be
# added to the outline: nothing here counts on there being only these).
LABS = ("contours", "speed", "decay", "minibatch", "combined")
WAIT_S = 60  # how long a page may take to get to a state before a test gives up on it

T = TypeVar("T")

# Ready: loaded, the page's scripts done (they mark <html data-ready>) and Bokeh idle.
READY_JS = """
return document.readyState === 'complete' &&
  document.documentElement.dataset.ready === 'true' &&
  (!window.Bokeh || Bokeh.documents.every((d) => d.is_idle));
"""
# A readout cell's text in one language (a cell of plain numbers has no language spans).
READOUT_JS = """
const [key, row, column, lang] = arguments;
const cell = document.getElementById('readout-' + key + '-' + row + '-' + column);
if (!cell) return null;
const span = cell.querySelector('[lang="' + lang + '"]');
return (span || cell).textContent;
"""
# The columns of a named Bokeh data source, as plain lists (NaN comes back as null).
SOURCE_JS = """
const source = Bokeh.documents[0].get_model_by_name(arguments[0]);
if (!source) return null;
const out = {};
for (const [k, v] of Object.entries(source.data)) {
  out[k] = Array.from(v, (x) => (x && typeof x === 'object' ? Array.from(x) : x));
}
return JSON.stringify(out);
"""
# A figure's view: where its plotting frame is in the viewport and its ranges.
FIGURE_JS = """
const view = Object.values(Bokeh.index).find((v) => v.model.name === arguments[0]);
const box = view.el.getBoundingClientRect(), frame = view.frame.bbox, m = view.model;
return {left: box.left, top: box.top, width: box.width, height: box.height,
        frame: [frame.x0, frame.y0, frame.width, frame.height],
        x: [m.x_range.start, m.x_range.end], y: [m.y_range.start, m.y_range.end]};
"""
# Data coordinates of a point of a figure, given in CSS pixels from the figure's corner.
INVERT_JS = """
const view = Object.values(Bokeh.index).find((v) => v.model.name === arguments[0]);
return [view.frame.x_scale.invert(arguments[1]), view.frame.y_scale.invert(arguments[2])];
"""
# Move a slider, a drop-down or a checkbox as a reader's hand would: the value, then the event
# the page listens to.
SET_CONTROL_JS = """
const [el, value] = arguments;
if (el.type === 'checkbox') { el.checked = value; } else { el.value = String(value); }
el.dispatchEvent(new Event(el.tagName === 'SELECT' || el.type === 'checkbox' ? 'change' : 'input',
                           {bubbles: true}));
"""


def chrome_options(lang: str, profile: Path, width: int = 1280, height: int = 900) -> Any:
    """Headless Chromium options: language ``lang``, a fresh profile, no background network."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--lang={lang}",
        f"--window-size={width},{height}",
    ):
        options.add_argument(arg)
    # navigator.language comes from this preference (headless Chromium ignores --lang for
    # it); --lang sets the browser's own locale to match.
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return options


def start_browser(lang: str, profile: Path) -> Any:
    """A headless Chromium whose language is ``lang``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    service = Service(executable_path=str(CHROMEDRIVER))
    return webdriver.Chrome(service=service, options=chrome_options(lang, profile))


_BUILT: dict[tuple[str, ...], Path] = {}


def lesson_page(tmp_path_factory: pytest.TempPathFactory, *options: str) -> Path:
    """The page ``gdlab demo --only <the labs> [options]`` writes, built once per session."""
    from gdlab.cli import main

    key = (*LABS, *options)
    if key not in _BUILT:
        out = tmp_path_factory.mktemp("lesson")
        assert main(["demo", "--only", ",".join(LABS), *options, "--out", str(out)]) == 0
        _BUILT[key] = out / "index.html"
    return _BUILT[key]


def wait_for(driver: Any, condition: Callable[[], T], what: str, timeout: float = WAIT_S) -> T:
    """The first truthy value of ``condition()``; fails the test with ``what`` if none comes."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda _: condition())
    except TimeoutException:
        pytest.fail(f"waited {timeout} s for {what}; console errors: {console_errors(driver)}")


def settled(driver: Any, read: Callable[[], T], expected: T, timeout: float = 10) -> T:
    """``read()`` once it equals ``expected`` or, after ``timeout`` s, as it is then (for the
    caller to assert on, so a failure shows the value the page kept)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda _: read() == expected)
    except TimeoutException:
        pass
    return read()


# The page each browser session shows untouched, as (url, width, mobile): a test that only
# reads the page reuses it rather than loading it again.
_UNTOUCHED: dict[str, tuple[str, int, bool]] = {}


def load(
    driver: Any, url: str, width: int = 1280, *, mobile: bool = False, changes: bool = False
) -> Any:
    """Show ``url`` in a viewport ``width`` CSS pixels wide, loaded, drawn and every lab run.

    The page is reloaded unless the browser already shows it untouched at that size;
    ``changes`` tells that the caller will change it (the next call then reloads it).
    """
    shown = (url, width, mobile)
    if _UNTOUCHED.get(driver.session_id) == shown and not changes:
        return driver
    _UNTOUCHED.pop(driver.session_id, None)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile},
    )
    driver.get(url)
    wait_for(driver, lambda: driver.execute_script(READY_JS), "the page to be ready")
    if not changes:
        _UNTOUCHED[driver.session_id] = shown
    return driver


def console_errors(driver: Any) -> list[str]:
    """The errors logged since the last call (uncaught exceptions, failed loads, console.error)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def readout(driver: Any, key: str, row: str, column: str, lang: str = "en") -> str:
    """The text of a lab's live readout ``readout-KEY-ROW-COLUMN`` in ``lang``."""
    text = driver.execute_script(READOUT_JS, key, row, column, lang)
    assert text is not None, f"no readout {key}/{row}/{column}"
    return str(text)


def source(driver: Any, name: str) -> dict[str, list[Any]]:
    """The columns of the Bokeh data source ``name`` (``KEY/CHART/SERIES``)."""
    text = driver.execute_script(SOURCE_JS, name)
    assert text is not None, f"no data source {name}"
    data: dict[str, list[Any]] = json.loads(text)
    return data


def control(driver: Any, key: str, name: str) -> Any:
    """The form control ``name`` of section ``key``'s lab."""
    return driver.find_element(
        "css selector", f'.lab[data-section="{key}"] [data-control="{name}"]'
    )


def set_control(driver: Any, key: str, name: str, value: object) -> None:
    """Move a lab's slider, drop-down or checkbox to ``value``."""
    driver.execute_script(SET_CONTROL_JS, control(driver, key, name), value)


def type_into(element: Any, text: str) -> None:
    """Replace what a text or number box holds by ``text``, typed key by key."""
    from selenium.webdriver.common.keys import Keys

    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(text)


def click_button(driver: Any, key: str, selector: str) -> None:
    """Click a button of section ``key``'s lab, scrolled into view first."""
    button = driver.find_element("css selector", f'.lab[data-section="{key}"] {selector}')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()


def figure(driver: Any, name: str) -> dict[str, Any]:
    """Where the figure ``KEY/CHART`` is on screen, its frame and its ranges."""
    return dict(driver.execute_script(FIGURE_JS, name))


def scroll_to_figure(driver: Any, name: str) -> None:
    driver.execute_script(
        "Object.values(Bokeh.index).find((v) => v.model.name === arguments[0])"
        ".el.scrollIntoView({block: 'center'})",
        name,
    )
