"""The lesson page in a real browser: headless Chromium, driven by Selenium.

The page (the lesson's live labs, built once for the session) is opened from disk in
Debian's Chromium. The tests read what a reader gets: the console, the network (none), the
file's size, the controls from the keyboard, which language is shown, the page on a 390 px
phone and under a finger, the PDF that printing makes, dark mode and the pixels of Chinese
glyphs. Skipped where Chromium, chromedriver or Selenium is missing (``.ci/run`` installs
Debian's ``chromium``, ``chromium-driver`` and ``fonts-noto-cjk``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from browser_page import (
    HAVE_CHROMIUM,
    LABS,
    NO_CHROMIUM,
    console_errors,
    lesson_page,
    load,
    start_browser,
)

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
pytest.importorskip("selenium", reason="selenium is not installed")

from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

Browser = Callable[[str], Any]
CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_BYTES = 3_000_000  # the page stays one offline file of at most 3 MB

# Every form control inside an element, looking into open shadow roots.
_CONTROLS_JS = """
const out = [];
const walk = (root) => root.querySelectorAll('*').forEach((e) => {
  // The own-data panel has its own tests (test_report_browser_data.py).
  const control = e.matches('input, select, textarea, button, [role="slider"]');
  if (control && !e.closest('.data-panel')) out.push(e);
  if (e.shadowRoot) walk(e.shadowRoot);
});
walk(arguments[0]);
return out;
"""
# What a control shows now: its value, checked state, pressed state and active class.
_CONTROL_STATE_JS = """
return JSON.stringify(arguments[0].map((e) => [e.value, e.checked, e.className,
  e.getAttribute('aria-valuenow'), e.getAttribute('aria-pressed'),
  e.getAttribute('aria-checked')]));
"""
# What the figures of a section draw: a hash of every column of every glyph's data source.
_FIGURE_STATE_JS = """
const section = arguments[0];
const hash = (values) => {
  let h = 0;
  for (const v of values) {
    const s = typeof v === 'number' ? (Number.isFinite(v) ? v.toPrecision(12) : String(v))
                                    : JSON.stringify(Array.from(v));
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    h = (Math.imul(h, 31) + 44) | 0;
  }
  return h;
};
const seen = {};
for (const view of Object.values(Bokeh.index)) {
  if (!section.contains(view.el)) continue;
  for (const m of view.model.references()) {
    if (m.type !== 'GlyphRenderer' || !m.data_source.data) continue;
    const cols = Object.entries(m.data_source.data).map(([k, v]) => k + ':' + hash(v));
    seen[m.id] = [m.visible, cols.sort().join(',')];
  }
}
return JSON.stringify(seen);
"""
# Every element with a src or href, in the page and in Bokeh's shadow roots.
_LINKS_JS = """
const out = [];
const walk = (root) => root.querySelectorAll('*').forEach((e) => {
  for (const a of ['src', 'href']) if (e.hasAttribute(a)) out.push(e.getAttribute(a));
  if (e.shadowRoot) walk(e.shadowRoot);
});
walk(document);
return out;
"""


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return lesson_page(tmp_path_factory)


@pytest.fixture(scope="module")
def page(page_file: Path) -> str:
    return page_file.as_uri()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """``browser(lang)``: a headless Chromium whose language is ``lang``, one per language."""
    drivers: dict[str, Any] = {}

    def get(lang: str) -> Any:
        if lang not in drivers:
            drivers[lang] = start_browser(lang, tmp_path_factory.mktemp(f"profile-{lang}"))
        drivers[lang].get_log("browser")  # what an earlier test left is not this test's
        return drivers[lang]

    yield get
    for driver in drivers.values():
        driver.quit()


_REMOTE = re.compile(r"\s*(https?:|//)", re.IGNORECASE)


class _Links(HTMLParser):
    """The ``src`` and ``href`` of every element of an HTML text."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]


def undecoded_images(driver: Any) -> int:
    """How many of the page's images failed to decode."""
    return int(
        driver.execute_script(
            "return Array.from(document.images)"
            ".filter((i) => !(i.complete && i.naturalWidth > 0)).length"
        )
    )


def test_page_loads_with_no_console_errors(page: str, browser: Browser) -> None:
    driver = load(browser("en-US"), page, changes=True)  # loaded afresh, to hear it load
    assert console_errors(driver) == []
    assert undecoded_images(driver) == 0


def test_console_check_catches_a_broken_page(tmp_path: Path, browser: Browser) -> None:
    # The check above must be able to fail: a script error and an undecodable image show up.
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><html data-ready="true"><body>'
        '<img src="data:image/png;base64,bm90IHBuZw==">'
        "<script>undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    driver = load(browser("en-US"), broken.as_uri(), changes=True)
    errors = console_errors(driver)
    assert any("undefinedFunction" in e for e in errors), errors
    assert undecoded_images(driver) == 1


def test_page_is_one_offline_file_of_at_most_3_mb(page_file: Path, browser: Browser) -> None:
    assert page_file.stat().st_size <= MAX_BYTES
    assert list(page_file.parent.iterdir()) == [page_file]  # one file, nothing beside it
    # No element's address leaves the file (scripts' text is not markup: BokehJS holds a
    # MathJax address it would use only for TeX in a figure, which the page has none of; the
    # network check below shows that nothing is fetched).
    links = _Links()
    links.feed(page_file.read_text(encoding="utf-8"))
    assert links.urls and [u for u in links.urls if _REMOTE.match(u)] == []
    # Opened with the network cut, it still works, and asks for nothing but itself.
    driver = browser("en-US")
    driver.get_log("performance")
    driver.execute_cdp_cmd("Network.enable", {})
    offline = {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0}
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
    try:
        load(driver, page_file.as_uri(), changes=True)
        links = driver.execute_script(_LINKS_JS)
        requests = [
            json.loads(e["message"])["message"]["params"]["request"]["url"]
            for e in driver.get_log("performance")
            if '"Network.requestWillBeSent"' in e["message"]
        ]
    finally:
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {**offline, "offline": False})
        driver.execute_cdp_cmd("Network.disable", {})
    assert console_errors(driver) == []
    assert [u for u in links if _REMOTE.match(u)] == []
    # The page's own file, its data: images, and the browser's own chrome: pages, nothing else.
    assert page_file.as_uri() in requests
    assert [u for u in requests if not u.startswith(("file:", "data:", "chrome:"))] == []


def test_every_section_opens_with_its_claim_and_its_numbers(page: str, browser: Browser) -> None:
    driver = load(browser("en-US"), page)
    sections = driver.execute_script(
        "return Array.from(document.querySelectorAll('section.lesson-section')).map((s) => {"
        "  const claim = s.querySelector('p.claim');"
        "  const numbers = document.getElementById('claims-' + s.id);"
        "  return [s.id, claim ? claim.textContent.trim() : '',"
        "          numbers ? numbers.textContent : null]; })"
    )
    assert {key for key, _, _ in sections} >= set(LABS)
    for key, claim, numbers in sections:
        assert claim, f"section {key} has no claim"
        assert numbers is not None and json.loads(numbers), f"section {key} has no numbers"


def _labs(driver: Any) -> dict[str, Any]:
    return {
        box.get_attribute("data-section"): box
        for box in driver.find_elements("css selector", ".lab[data-section]")
    }


def _keys_for(element: Any) -> tuple[str, ...]:
    kind = (element.get_attribute("type") or "").lower()
    if kind == "range":
        return (Keys.ARROW_RIGHT, Keys.ARROW_LEFT + Keys.ARROW_LEFT)
    if element.tag_name == "select":
        return (Keys.ARROW_DOWN, Keys.ARROW_UP + Keys.ARROW_UP)
    if kind == "checkbox":
        return (Keys.SPACE,)
    return (Keys.ARROW_UP, Keys.ARROW_DOWN + Keys.ARROW_DOWN)  # number boxes


def _redrawn(driver: Any, section: Any, before: str) -> bool:
    """Whether the section's figures change from ``before`` within a few seconds."""
    try:
        WebDriverWait(driver, 10).until(
            lambda d: d.execute_script(_FIGURE_STATE_JS, section) != before
        )
    except TimeoutException:
        return False
    return True


def test_each_control_changes_its_figure(page: str, browser: Browser) -> None:
    # Each form control is moved from the keyboard, as a reader without a mouse would; when
    # the control's own state changes, the glyphs its section draws must change too.
    driver = load(browser("en-US"), page, changes=True)
    labs = _labs(driver)
    assert set(LABS) <= set(labs), sorted(labs)
    for key, box in labs.items():
        section = driver.find_element("id", key)
        controls = [
            c for c in driver.execute_script(_CONTROLS_JS, box) if c.tag_name != "button"
        ]  # buttons: the player's and start tests press them
        assert controls, f"section {key}: no form control in its lab"
        for control in controls:
            label = f"section {key}: {control.get_attribute('outerHTML')[:120]}"
            for keys in _keys_for(control):
                before = driver.execute_script(_CONTROL_STATE_JS, controls)
                drawn = driver.execute_script(_FIGURE_STATE_JS, section)
                control.send_keys(keys)
                if driver.execute_script(_CONTROL_STATE_JS, controls) == before:
                    continue  # already at that end: try the other way
                assert _redrawn(driver, section, drawn), f"{label} left its figure unchanged"
                if control.get_attribute("type") == "checkbox":  # back, for the next controls
                    drawn = driver.execute_script(_FIGURE_STATE_JS, section)
                    control.send_keys(Keys.SPACE)
                    assert _redrawn(driver, section, drawn), label
                break
            else:
                pytest.fail(f"{label} could not be moved from the keyboard")
    assert console_errors(driver) == []


def test_controls_are_labelled_and_reachable_by_keyboard(page: str, browser: Browser) -> None:
    driver = load(browser("en-US"), page)
    unnamed = []
    for key, box in _labs(driver).items():
        for control in driver.execute_script(_CONTROLS_JS, box):
            named = driver.execute_script(
                "const e = arguments[0];"
                "return e.tabIndex >= 0 && !e.disabled && !!((e.labels && e.labels.length)"
                " || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')"
                " || (e.tagName === 'BUTTON' && e.textContent.trim()));",
                control,
            )
            if not named:
                unnamed.append(f"{key}: {control.get_attribute('outerHTML')[:120]}")
    assert unnamed == []


def _visible_text(driver: Any, lang: str) -> str:
    return str(
        driver.execute_script(
            "return Array.from(document.body.querySelectorAll('[lang|=\"' + arguments[0] + '\"]'))"
            ".filter((e) => e.getClientRects().length > 0).map((e) => e.innerText).join(' ')",
            lang,
        )
    )


# The words that cannot be two sibling spans: axis labels drawn by Bokeh, <option> texts.
_DRAWN_WORDS_JS = """
const words = Array.from(document.querySelectorAll('option')).map((o) => o.textContent);
for (const doc of (window.Bokeh ? Bokeh.documents : [])) {
  for (const m of doc.all_models) if (typeof m.axis_label === 'string') words.push(m.axis_label);
}
return words.filter((w) => w.trim());
"""


@pytest.mark.parametrize("lang", ["zh-CN", "en-US"])
def test_page_opens_in_the_browsers_language(page: str, browser: Browser, lang: str) -> None:
    driver = load(browser(lang), page)
    assert driver.execute_script("return navigator.language") == lang
    shown = driver.execute_script("return document.documentElement.lang")
    assert shown.split("-")[0] == lang.split("-")[0]
    claims = " ".join(e.text for e in driver.find_elements("css selector", "p.claim"))
    assert bool(CJK.search(claims)) == lang.startswith("zh"), claims[:200]
    # The labs' live readouts too: a status word in the reader's language.
    status = driver.find_element("id", "readout-decay-status-fixed").text
    assert status == ("发散" if lang.startswith("zh") else "diverged")


def test_language_switch_shows_the_other_language(page: str, browser: Browser) -> None:
    driver = load(browser("zh-CN"), page, changes=True)
    switch = driver.find_element("id", "lang-switch")
    for expected, hidden in (("zh", "en"), ("en", "zh"), ("zh", "en")):
        assert driver.execute_script("return document.documentElement.lang").startswith(expected)
        assert _visible_text(driver, expected).strip(), f"no {expected} text is shown"
        assert _visible_text(driver, hidden).strip() == "", f"{hidden} text is still shown"
        # The words drawn inside the figures (axis labels) and in the drop-downs follow too.
        drawn = driver.execute_script(_DRAWN_WORDS_JS)
        assert drawn, "no axis label or option text found"
        in_chinese = [bool(CJK.search(w)) for w in drawn]
        assert any(in_chinese) if expected == "zh" else not any(in_chinese), drawn
        switch.send_keys(Keys.ENTER)  # from the keyboard, as a button must allow
    assert console_errors(driver) == []


@pytest.mark.parametrize("lang", ["zh-CN", "en-US"])
def test_nothing_runs_off_a_390px_screen(page: str, browser: Browser, lang: str) -> None:
    driver = load(browser(lang), page, width=390, mobile=True)
    width = driver.execute_script("return window.innerWidth")
    assert width == 390
    assert driver.execute_script("return document.documentElement.scrollWidth") <= width
    # Figures and labs shrink with the screen rather than being cut off by it.
    too_wide = driver.execute_script(
        "return Array.from(document.querySelectorAll('img, canvas, .bk-Figure, .lab *, table,"
        " math')).filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1"
        "  && !e.closest('.table-scroll')).map((e) => e.tagName + '.' + e.className)"
    )
    assert too_wide == []
    # Text stays legible: nothing the reader is meant to read is set below 12 px.
    smallest = driver.execute_script(
        "return Math.min(...Array.from(document.querySelectorAll('p, li, td, th, figcaption,"
        " label, caption, output, button')).filter((e) => e.getClientRects().length > 0)"
        ".map((e) => parseFloat(getComputedStyle(e).fontSize)))"
    )
    assert smallest >= 12


def _luminance(css_color: str) -> float:
    """Relative luminance (WCAG 2) of a computed ``rgb(...)`` colour."""
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css_color)[:3])

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colours_follow_the_systems_scheme(page: str, browser: Browser, scheme: str) -> None:
    driver = load(browser("en-US"), page)
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )
    try:
        colours = driver.execute_script(
            "return ['body', '.lab', 'table.readouts td'].map((s) => {"
            "  const e = document.querySelector(s); let bg = 'rgba(0, 0, 0, 0)';"
            "  for (let p = e; p && /rgba\\(.*, 0\\)$/.test(bg); p = p.parentElement)"
            "    bg = getComputedStyle(p).backgroundColor;"
            "  return [getComputedStyle(e).color, bg]; })"
        )
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    for fg, bg in colours:
        text, ground = _luminance(fg), _luminance(bg)
        assert (ground < text) == (scheme == "dark"), (fg, bg)
        # WCAG AAA contrast for body text, the labs and their readouts, either way.
        assert (max(text, ground) + 0.05) / (min(text, ground) + 0.05) >= 7, (fg, bg)


# Each character drawn alone on a canvas in the heading's own font: with a CJK font the
# glyphs differ from one another and from the box drawn for an unassigned code point; without
# one they would all be the same box (or nothing).
_GLYPHS_JS = """
const [element, chars] = arguments;
const canvas = document.createElement('canvas');
canvas.width = canvas.height = 48;
const ctx = canvas.getContext('2d', {willReadFrequently: true});
ctx.font = '40px ' + getComputedStyle(element).fontFamily;
return chars.map((c) => {
  ctx.clearRect(0, 0, 48, 48);
  ctx.fillText(c, 2, 40);
  const px = ctx.getImageData(0, 0, 48, 48).data;
  let ink = 0, h = 0;
  for (let i = 3; i < px.length; i += 4) { ink += px[i]; h = (Math.imul(h, 31) + px[i]) | 0; }
  return [ink, h];
});
"""


def test_chinese_glyphs_render(page: str, browser: Browser) -> None:
    driver = load(browser("zh-CN"), page)
    heading = driver.find_element("css selector", 'section.lesson-section :is(h2, h3) [lang|="zh"]')
    chars = sorted(set(CJK.findall(heading.text)))[:6]
    assert len(chars) >= 2, heading.text
    assert heading.size["width"] > 0
    # Two unassigned code points: no font has them, so both draw the same missing-glyph box,
    # which is what Chinese would draw without a CJK font.
    drawn = driver.execute_script(_GLYPHS_JS, heading, [*chars, "\u0378", "\u0379"])
    glyphs, missing, missing_too = drawn[:-2], drawn[-2], drawn[-1]
    assert missing == missing_too
    assert all(ink > 0 for ink, _ in glyphs), f"{chars} draw nothing"
    hashes = [h for _, h in glyphs]
    assert len(set(hashes)) == len(hashes), f"{chars} draw the same shape"
    assert missing[1] not in hashes, f"{chars} draw the missing-glyph box"
