"""Moving through the lesson page in headless Chromium: the contents, presentation mode.

The tool bar stays at the top of the window; whatever brings a section into view (a link of
the contents, a key in presentation mode) must leave the section's heading whole below it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from browser_page import (
    HAVE_CHROMIUM,
    NO_CHROMIUM,
    console_errors,
    lesson_page,
    load,
    start_browser,
)

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
pytest.importorskip("selenium", reason="selenium is not installed")

# The section whose top is nearest the window's top, and where its heading stands against
# the bottom of the tool bar: [section id, heading top - bar bottom].
_SHOWN_JS = """
const bar = document.querySelector('.page-tools').getBoundingClientRect();
const sections = Array.from(document.querySelectorAll('section.lesson-section'));
const near = sections.reduce((a, b) =>
  Math.abs(b.getBoundingClientRect().top - bar.bottom) <
  Math.abs(a.getBoundingClientRect().top - bar.bottom) ? b : a);
const heading = near.querySelector('h2, h3').getBoundingClientRect();
return [near.id, heading.top - bar.bottom];
"""


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    browser = start_browser("en-US", tmp_path_factory.mktemp("profile"))
    browser.url = lesson_page(tmp_path_factory).as_uri()
    yield browser
    browser.quit()


def _key(driver: Any, key: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(key).perform()
    driver.execute_async_script(
        "const done = arguments[0];"
        "requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_a_link_of_the_contents_shows_the_whole_heading_below_the_bar(
    driver: Any, width: int
) -> None:
    load(driver, driver.url, width=width, mobile=width < 600, changes=True)
    links = driver.find_elements("css selector", "nav a[href^='#']")
    assert len(links) >= 5
    target = links[2].get_attribute("href").split("#")[1]
    driver.execute_script("arguments[0].click();", links[2])
    section, gap = driver.execute_script(_SHOWN_JS)
    assert section == target
    assert 0 <= gap <= 48  # below the bar, and near it
    assert console_errors(driver) == []


def test_presentation_mode_moves_a_section_at_a_time_and_escape_leaves_it(driver: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    load(driver, driver.url, changes=True)
    ids = driver.execute_script(
        "return Array.from(document.querySelectorAll('section.lesson-section')).map(s => s.id);"
    )
    present = driver.find_element("id", "present")
    present.click()
    assert present.get_attribute("aria-pressed") == "true"
    driver.execute_script("document.activeElement.blur();")  # keys go to the page, not a button
    seen = [driver.execute_script(_SHOWN_JS)[0]]
    for _ in range(3):
        _key(driver, Keys.PAGE_DOWN)
        section, gap = driver.execute_script(_SHOWN_JS)
        seen.append(section)
        assert 0 <= gap <= 48, (section, gap)
    first = ids.index(seen[0])
    assert seen == ids[first : first + 4]  # one section at a time, none skipped
    _key(driver, Keys.ARROW_LEFT)
    assert driver.execute_script(_SHOWN_JS)[0] == seen[2]
    _key(driver, Keys.ESCAPE)
    assert present.get_attribute("aria-pressed") == "false"
    assert "presenting" not in driver.execute_script("return document.documentElement.className;")
    assert console_errors(driver) == []
