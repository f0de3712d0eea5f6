"""The built documentation site in headless Chromium, in both languages.

The site (built once per session, see docs_site.py) is served from a local HTTP server on
127.0.0.1, as a reader's server would serve it; Chromium opens it through Debian's
chromedriver (browser_page.py). Every page of both languages loads without a console error
and without running off a 390 px screen; the language switch, tapped on that screen, lands on
the same page in the other language; the landing page opens the reader's language; and the
lesson page embedded in the site answers a rate typed into its contour lab as gdlab's engine
does, as the console page's example says it will.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from browser_page import (
    HAVE_CHROMIUM,
    NO_CHROMIUM,
    READY_JS,
    console_errors,
    control,
    readout,
    scroll_to_figure,
    settled,
    start_browser,
    type_into,
    wait_for,
)
from docs_site import LANGS, ROOT, built_site, html_pages
from gdlab.report.sections import contours

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
pytest.importorskip("selenium", reason="selenium is not installed")

PHONE = 390  # CSS pixels: a phone held upright
BROWSER_LANG = {"en": "en-US", "zh": "zh-CN"}
# Pages whose switch is tapped (every page's switch is checked by test_docs_build.py).
SWITCHED = ["index", "getting-started", "lesson/index", "teachers-guide", "gallery", "api/engine"]
# Elements of the article that end right of the article's own edge, outside any box that
# scrolls sideways (a wide table or code block scrolls; anything else is cut off).
CUT_OFF_JS = """
const article = document.querySelector('.bd-article') || document.body;
const edge = article.getBoundingClientRect().right + 1;
const scrolls = (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
const out = [];
for (const e of article.querySelectorAll('*')) {
  const box = e.getBoundingClientRect();
  if (box.width === 0 || box.right <= edge) continue;
  if (getComputedStyle(e).visibility === 'hidden') continue;
  let a = e.parentElement, inside = false;
  while (a && a !== article) { if (scrolls(a)) { inside = true; break; } a = a.parentElement; }
  if (inside || scrolls(e)) continue;
  out.push(`${e.tagName}.${e.className}: ${e.textContent.slice(0, 50)}`);
}
const doc = document.documentElement;
return {overflow: doc.scrollWidth - doc.clientWidth, cut: out.slice(0, 5)};
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site's address on a server of this machine's loopback interface."""
    site = built_site(tmp_path_factory)[0]
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module", params=LANGS)
def browser(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A headless Chromium in one of the site's languages, on a phone's width."""
    lang = request.param
    driver = start_browser(BROWSER_LANG[lang], tmp_path_factory.mktemp(f"profile-{lang}"))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )
    driver.lang = lang
    yield driver
    driver.quit()


def open_page(driver: Any, url: str) -> None:
    driver.get(url)
    wait_for(driver, lambda: driver.execute_script("return document.readyState") == "complete",
             f"{url} to load")  # fmt: skip


def test_every_page_loads_cleanly_and_fits_a_phone(
    browser: Any, served: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = built_site(tmp_path_factory)[0]
    problems = {}
    for page in html_pages(site, browser.lang):
        open_page(browser, f"{served}/{browser.lang}/{page}.html")
        fit = browser.execute_script(CUT_OFF_JS)
        errors = console_errors(browser)
        if fit["overflow"] > 0 or fit["cut"] or errors:
            problems[page] = {"errors": errors, **fit}
    assert problems == {}


@pytest.mark.parametrize("page", SWITCHED)
def test_the_switch_goes_to_the_same_page_in_the_other_language(
    browser: Any, served: str, page: str
) -> None:
    other = "zh" if browser.lang == "en" else "en"
    open_page(browser, f"{served}/{browser.lang}/{page}.html")
    switches = browser.find_elements("css selector", "a.gdlab-lang-switch")
    visible = [s for s in switches if s.is_displayed()]
    assert len(visible) == 1  # one switch on a phone, in the header
    visible[0].click()
    target = f"{served}/{other}/{page}.html"
    wait_for(browser, lambda: browser.current_url == target, f"the switch to open {target}")
    html_lang = browser.execute_script("return document.documentElement.lang")
    assert html_lang == ("zh-CN" if other == "zh" else "en")
    assert console_errors(browser) == []


def test_the_landing_page_opens_the_readers_language(browser: Any, served: str) -> None:
    open_page(browser, f"{served}/index.html")
    target = f"{served}/{browser.lang}/index.html"
    wait_for(browser, lambda: browser.current_url == target, f"the landing page to open {target}")


@pytest.fixture
def lesson(browser: Any, served: str) -> Iterator[Any]:
    """The browser inside the lesson page embedded in the site's lesson page, ready."""
    open_page(browser, f"{served}/{browser.lang}/lesson/index.html")
    frame = browser.find_element("css selector", "iframe.gdlab-lesson-frame")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", frame)
    browser.switch_to.frame(frame)
    wait_for(browser, lambda: browser.execute_script(READY_JS), "the embedded lesson page")
    yield browser
    browser.switch_to.default_content()
    assert console_errors(browser) == []


def test_the_embedded_lesson_opens_in_the_sites_language(lesson: Any) -> None:
    assert lesson.execute_script("return document.documentElement.lang") == lesson.lang


def test_a_rate_typed_into_the_embedded_contour_lab_changes_its_readouts(lesson: Any) -> None:
    scroll_to_figure(lesson, "contours/surface-raw")
    at_default = contours.measure()
    factor = readout(lesson, "contours", "factor", "raw", lesson.lang)
    assert factor.startswith(f"{at_default['factor_raw']:.4f}")
    assert readout(lesson, "contours", "measured", "raw", "en") == "198"
    # 0.16 is below raw data's 2/L = 0.1716: a slower contraction, counted by gdlab's engine.
    at_016 = contours.measure(lr=0.16)
    type_into(control(lesson, "contours", "lr"), "0.16")
    want = f"{at_016['factor_raw']:.4f}"
    assert settled(lesson, lambda: readout(lesson, "contours", "factor", "raw")[:6], want) == want
    assert want != factor[:6]
    measured = readout(lesson, "contours", "measured", "raw", "en")
    assert measured == at_016["measured_raw"].in_language("en") != "198"


def test_the_console_example_computes_what_the_console_page_says(lesson: Any) -> None:
    text = (ROOT / "docs" / "en" / "lesson" / "console.md").read_text(encoding="utf-8")
    code = re.search(r"```js\n(.*?)```", text, re.S).group(1)  # type: ignore[union-attr]
    setup = code.split("// Part 2's recipe")[0]
    assert "// 33.97, 0.1716, 198 steps to 1e-3" in setup and "// 31" in setup
    assert "// {step: 11, epoch: 11}" in setup and '"max_epochs"' in setup
    got = lesson.execute_script(
        setup + "return [c.kappa, c.limit, c.steps(0.1), gdlab.conditioning(Z, {intercept: false})"
        ".steps(0.1), Array.from(run.w[100]), run.loss[100], run.status,"
        " gdlab.descend({X, y, lr: 1.2 * c.limit, epochs: 100}).divergedAt];"
    )
    kappa, limit, steps_raw, steps_z, w, loss, status, diverged = got
    assert round(kappa, 2) == 33.97 and round(limit, 4) == 0.1716
    assert (steps_raw, steps_z, status) == (198, 31, "max_epochs")
    assert w == pytest.approx([1.0, 3.0], abs=5e-5) and loss < 1e-17
    assert diverged == {"step": 11, "epoch": 11}
