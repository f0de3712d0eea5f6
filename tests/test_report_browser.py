"""The lesson page in a real browser: headless Chromium, driven by Selenium.

The page ``gdlab demo --quick`` writes is opened from disk (no server, no network) in
Debian's Chromium through its ``chromedriver``. The tests read what a reader gets: the
console, the Bokeh documents' data after a control is moved by keyboard, which language is
shown, the page width on a phone, the PDF that printing makes, and the pixels of Chinese
glyphs. Skipped where Chromium, chromedriver or Selenium is missing (``.ci/run`` installs
Debian's ``chromium``, ``chromium-driver`` and ``fonts-noto-cjk``).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium and chromedriver are not installed (Debian: chromium, chromium-driver)",
)
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from gdlab.cli import main  # noqa: E402

Browser = Callable[[str], WebDriver]
CJK = re.compile(r"[\u4e00-\u9fff]")

# Every form control inside an element, looking into open shadow roots (Bokeh's widgets
# draw theirs in one).
_CONTROLS_JS = """
const out = [];
const walk = (root) => root.querySelectorAll('*').forEach((e) => {
  if (e.matches('input, select, textarea, button, [role="slider"]')) out.push(e);
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
# What the figures of a section draw: for every glyph renderer of the Bokeh roots inside the
# section, whether it is visible and a hash of every column of its data source.
_FIGURE_STATE_JS = """
const section = arguments[0];
const hash = (values) => {
  let h = 0;
  for (const v of values) {
    const s = typeof v === 'number' ? (Number.isFinite(v) ? v.toPrecision(12) : String(v))
                                    : JSON.stringify(v);
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    h = (Math.imul(h, 31) + 44) | 0;
  }
  return h;
};
const seen = {};
for (const doc of (window.Bokeh ? Bokeh.documents : [])) {
  for (const root of doc.roots()) {
    const view = Object.values(Bokeh.index).find((v) => v.model === root);
    if (!view || !section.contains(view.el)) continue;
    for (const m of root.references()) {
      if (m.type !== 'GlyphRenderer' || !m.data_source.data) continue;
      const cols = Object.entries(m.data_source.data).map(([k, v]) => k + ':' + hash(v));
      seen[m.id] = [m.visible, cols.sort().join(',')];
    }
  }
}
return JSON.stringify(seen);
"""
# Ready: loaded, the page's script done (it marks <html data-ready>) and Bokeh idle.
_READY_JS = """
return document.readyState === 'complete' &&
  (!document.getElementById('lang-switch') || document.documentElement.dataset.ready === 'true') &&
  (!window.Bokeh || (Bokeh.documents.length > 0 && Bokeh.documents.every((d) => d.is_idle)));
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The ``file://`` address of the quick demo's page, written once for the module."""
    out = tmp_path_factory.mktemp("lesson")
    assert main(["demo", "--quick", "--out", str(out)]) == 0
    return (out / "index.html").as_uri()


def _start(lang: str, profile: Path) -> WebDriver:
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
        "--window-size=1280,900",
    ):
        options.add_argument(arg)
    # navigator.language comes from this preference (headless Chromium ignores --lang for
    # it); --lang sets the browser's own locale to match.
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: Selenium Manager (which would go to the network) is not run.
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """``browser(lang)``: a headless Chromium whose language is ``lang``, one per language."""
    drivers: dict[str, WebDriver] = {}

    def get(lang: str) -> WebDriver:
        if lang not in drivers:
            drivers[lang] = _start(lang, tmp_path_factory.mktemp(f"profile-{lang}"))
        return drivers[lang]

    yield get
    for driver in drivers.values():
        driver.quit()


# The page each browser shows untouched, as (url, width): a test that only reads the page
# reuses it rather than loading the 3 MB page again.
_UNTOUCHED: dict[int, tuple[str, int]] = {}


def load(
    driver: WebDriver, url: str, width: int = 1280, *, fresh: bool = False, changes: bool = False
) -> WebDriver:
    """Show ``url`` in a viewport ``width`` CSS pixels wide, loaded and drawn.

    The page is reloaded unless the browser already shows it untouched at that width; ``fresh``
    always reloads, ``changes`` tells that the caller will change the page.
    """
    if not fresh and _UNTOUCHED.get(id(driver)) == (url, width):
        return driver
    _UNTOUCHED.pop(id(driver), None)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.get(url)
    try:
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(_READY_JS))
    except TimeoutException:
        pytest.fail(f"the page was not ready after 30 s; console errors: {console_errors(driver)}")
    if not changes:
        _UNTOUCHED[id(driver)] = (url, width)
    return driver


def console_errors(driver: WebDriver) -> list[str]:
    """The errors logged since the last call (uncaught exceptions, failed loads, console.error)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def undecoded_images(driver: WebDriver) -> int:
    """How many of the page's images failed to decode."""
    return int(
        driver.execute_script(
            "return Array.from(document.images)"
            ".filter((i) => !(i.complete && i.naturalWidth > 0)).length"
        )
    )


def test_page_loads_with_no_console_errors(page: str, browser: Browser) -> None:
    driver = browser("en-US")
    driver.get_log("browser")  # drop what an earlier page logged
    load(driver, page, fresh=True)
    assert console_errors(driver) == []
    assert undecoded_images(driver) == 0


def test_console_check_catches_a_broken_page(tmp_path: Path, browser: Browser) -> None:
    # The check above must be able to fail: a script error and an undecodable image show up.
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><html><body><img src="data:image/png;base64,bm90IHBuZw==">'
        "<script>undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    driver = browser("en-US")
    driver.get_log("browser")
    load(driver, broken.as_uri(), fresh=True)
    errors = console_errors(driver)
    assert any("undefinedFunction" in e for e in errors), errors
    assert undecoded_images(driver) == 1


def test_every_section_opens_with_its_claim_and_its_numbers(page: str, browser: Browser) -> None:
    driver = load(browser("en-US"), page)
    sections = driver.execute_script(
        "return Array.from(document.querySelectorAll('section.lesson-section')).map((s) => {"
        "  const claim = s.querySelector('p.claim');"
        "  const numbers = document.getElementById('claims-' + s.id);"
        "  return [s.id, claim ? claim.textContent.trim() : '',"
        "          numbers ? numbers.textContent : null]; })"
    )
    assert len(sections) >= 8
    for key, claim, numbers in sections:
        assert claim, f"section {key} has no claim"
        assert numbers is not None, f"section {key} has no claims-{key} numbers"


def _control_groups(driver: WebDriver) -> dict[str, Any]:
    return {
        box.get_attribute("data-section"): box
        for box in driver.find_elements("css selector", "div.controls[data-section]")
    }


def _keys_for(element: Any) -> tuple[str, ...]:
    role = element.get_attribute("role")
    kind = (element.get_attribute("type") or "").lower()
    if role == "slider" or kind == "range":
        return (Keys.ARROW_RIGHT, Keys.ARROW_LEFT + Keys.ARROW_LEFT)
    if element.tag_name == "select":
        return (Keys.ARROW_DOWN, Keys.ARROW_UP + Keys.ARROW_UP)
    if kind in ("checkbox", "radio") or element.tag_name == "button":
        return (Keys.SPACE,)
    return (Keys.ARROW_UP,)


def _redrawn(driver: WebDriver, section: Any, before: str) -> bool:
    """Whether the section's figures change from ``before`` within a few seconds."""
    try:
        WebDriverWait(driver, 5).until(
            lambda d: d.execute_script(_FIGURE_STATE_JS, section) != before
        )
    except TimeoutException:
        return False
    return True


def test_each_control_changes_its_figure(page: str, browser: Browser) -> None:
    # Each control is moved from the keyboard, as a reader without a mouse would; whenever the
    # control's own state changes, the glyphs its section draws must change too.
    driver = load(browser("en-US"), page, changes=True)
    groups = _control_groups(driver)
    # The lesson's four experiments a reader must be able to rerun with other settings.
    assert {"contours", "decay", "minibatch", "combined"} <= set(groups), sorted(groups)
    for key, box in groups.items():
        section = driver.find_element("id", key)
        controls = driver.execute_script(_CONTROLS_JS, box)
        assert controls, f"section {key}: no form control in its controls"
        for control in controls:
            label = f"section {key}: {control.get_attribute('outerHTML')[:120]}"
            for keys in _keys_for(control):
                before = driver.execute_script(_CONTROL_STATE_JS, controls)
                figure = driver.execute_script(_FIGURE_STATE_JS, section)
                control.send_keys(keys)
                if driver.execute_script(_CONTROL_STATE_JS, controls) == before:
                    continue  # already at that end: try the other way
                assert _redrawn(driver, section, figure), f"{label} left its figure unchanged"
                break
            else:
                pytest.fail(f"{label} could not be moved from the keyboard")
    assert console_errors(driver) == []


def test_controls_are_labelled_and_reachable_by_keyboard(page: str, browser: Browser) -> None:
    driver = load(browser("en-US"), page)
    unnamed = []
    for key, box in _control_groups(driver).items():
        for control in driver.execute_script(_CONTROLS_JS, box):
            named = driver.execute_script(
                "const e = arguments[0];"
                "return e.tabIndex >= 0 && !!((e.labels && e.labels.length)"
                " || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')"
                " || e.getAttribute('title') || (e.tagName === 'BUTTON' && e.textContent.trim()));",
                control,
            )
            if not named:
                unnamed.append(f"{key}: {control.get_attribute('outerHTML')[:120]}")
    assert unnamed == []


def _visible_text(driver: WebDriver, lang: str) -> str:
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
    driver = load(browser(lang), page, width=390)
    width = driver.execute_script("return window.innerWidth")
    assert width == 390
    assert driver.execute_script("return document.documentElement.scrollWidth") <= width
    # Figures shrink with the screen rather than being cut off by it.
    too_wide = driver.execute_script(
        "return Array.from(document.querySelectorAll('img, canvas, [data-root-id] > *, table'))"
        ".filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1"
        "  && !e.closest('.table-scroll')).map((e) => e.tagName + '.' + e.className)"
    )
    assert too_wide == []
    # Text stays legible: nothing the reader is meant to read is set below 12 px.
    smallest = driver.execute_script(
        "return Math.min(...Array.from(document.querySelectorAll('p, li, td, th, figcaption,"
        " label, caption')).filter((e) => e.getClientRects().length > 0)"
        ".map((e) => parseFloat(getComputedStyle(e).fontSize)))"
    )
    assert smallest >= 12


# What the print style sheet does to the page: controls shown, sections that open a page
# (themselves, or through the part heading just before them), headings that may end a page,
# figures shown.
_PRINTED_JS = """
const shown = (e) => e.getClientRects().length > 0;
const opensPage = (e) => !!e && getComputedStyle(e).breakBefore === 'page';
const part = (s) => {
  const e = s.previousElementSibling;
  return e && e.matches('h2.part') ? e : null;
};
const sections = Array.from(document.querySelectorAll('section.lesson-section'));
return {
  controls: Array.from(document.querySelectorAll('.controls, #lang-switch')).filter(shown).length,
  breaks: sections.filter((s) => opensPage(s) || opensPage(part(s))).length,
  headings: Array.from(document.querySelectorAll('h1, h2, h3'))
    .filter((h) => getComputedStyle(h).breakAfter !== 'avoid').length,
  figures: Array.from(document.querySelectorAll('figure, [data-root-id] > *')).filter(shown).length,
};
"""


def test_printing_gives_at_least_one_page_per_section(page: str, browser: Browser) -> None:
    driver = load(browser("en-US"), page)
    n_sections = driver.execute_script(
        "return document.querySelectorAll('section.lesson-section').length"
    )
    assert n_sections >= 8
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        printed = driver.execute_script(_PRINTED_JS)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert printed["controls"] == 0  # controls are hidden on paper
    assert printed["breaks"] == n_sections  # each section starts a page (or its part's does)
    assert printed["headings"] == 0  # no heading is left alone at the foot of a page
    assert printed["figures"] >= n_sections  # the figures, as they stand now, are printed
    pdf = base64.b64decode(
        driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})["data"]
    )
    assert pdf.startswith(b"%PDF")
    # Chromium writes one "/Type /Page" object per page (no object streams).
    n_pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert n_pages >= n_sections


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
        fg, bg = driver.execute_script(
            "const s = getComputedStyle(document.body); return [s.color, s.backgroundColor];"
        )
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    text, ground = _luminance(fg), _luminance(bg)
    assert (ground < text) == (scheme == "dark"), (fg, bg)
    # WCAG AAA contrast for body text either way.
    assert (max(text, ground) + 0.05) / (min(text, ground) + 0.05) >= 7


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
