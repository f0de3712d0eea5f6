"""Screenshots of the lesson page, both languages, on a laptop and on a phone.

Runs ``gdlab demo`` into a temporary folder (or takes ``--page``), opens the page in
Debian's headless Chromium through Selenium (the test extra) and saves, for zh and en at
1280 and 390 CSS pixels wide, what a reader sees once the first interactive section is
scrolled into view:

    python tools/screenshots.py                 # writes docs/images/lesson-{zh,en}-{1280,390}.png
    python tools/screenshots.py --page gdlab-report/index.html --section top

The browser's own language is set (``--lang`` and ``intl.accept_languages``), so the page
opens in it as it would for a reader; nothing is switched by script.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from gdlab.cli import main as gdlab_main
from gdlab.files import write_atomic

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LANGS = {"zh": "zh-CN", "en": "en-US"}
# (CSS width, CSS height, device pixel ratio): a laptop, and a phone drawn at its own 2x.
VIEWPORTS = {1280: (1280, 860, 1), 390: (390, 844, 2)}
# Ready: loaded, the page's script done (it marks <html data-ready>) and Bokeh idle.
_READY_JS = """
return document.readyState === 'complete' &&
  (!document.getElementById('lang-switch') || document.documentElement.dataset.ready === 'true') &&
  (!window.Bokeh || (Bokeh.documents.length > 0 && Bokeh.documents.every((d) => d.is_idle)));
"""
_SCROLL_JS = """
const target = arguments[0] === 'top' ? null
  : arguments[0] ? document.getElementById(arguments[0])
  : (document.querySelector('.lab[data-section]') || {}).closest?.('section');
if (target) target.scrollIntoView({block: 'start'});
return target ? target.id : null;
"""


def start_browser(lang: str, profile: Path) -> WebDriver:
    """A headless Chromium whose language is ``lang``, driven through Debian's chromedriver."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--disable-background-networking",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--lang={lang}",
    ):
        options.add_argument(arg)
    # navigator.language comes from this preference (headless Chromium ignores --lang for it).
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    # The explicit driver path keeps Selenium Manager (and its downloads) out of it.
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def shoot(page: Path, out: Path, section: str | None) -> list[Path]:
    """Save one screenshot per language and viewport into ``out``; return their paths."""
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for short, lang in LANGS.items():
            driver = start_browser(lang, Path(tmp) / short)
            try:
                for name, (width, height, ratio) in VIEWPORTS.items():
                    driver.execute_cdp_cmd(
                        "Emulation.setDeviceMetricsOverride",
                        {
                            "width": width,
                            "height": height,
                            "deviceScaleFactor": ratio,
                            "mobile": width < 600,
                        },
                    )
                    driver.get(page.resolve().as_uri())
                    WebDriverWait(driver, 60).until(lambda d: d.execute_script(_READY_JS))
                    driver.execute_script(_SCROLL_JS, section)
                    # Let Bokeh redraw after the scroll and the viewport change.
                    driver.execute_async_script(
                        "const done = arguments[0];"
                        "requestAnimationFrame(() => requestAnimationFrame(() => done()));"
                    )
                    path = out / f"lesson-{short}-{name}.png"
                    written.append(write_atomic(path, driver.get_screenshot_as_png()))
            finally:
                driver.quit()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=Path, help="the page to shoot (default: run gdlab demo)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument(
        "--section",
        help="section id to scroll to, or 'top' (default: the first section with controls)",
    )
    parser.add_argument("--quick", action="store_true", help="run the demo with --quick")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        page = args.page
        if page is None:
            folder = Path(tmp) / "report"
            code = gdlab_main(["demo", "--out", str(folder), *(["--quick"] * args.quick)])
            if code != 0:
                return code
            page = folder / "index.html"
        for path in shoot(page, args.out, args.section):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
