"""The documentation site builds from a clean state in both languages, warnings as errors.

What the build made is read from its files: every page in both languages with a switch to
its namesake, the notebooks with their stored outputs (nothing is executed at build time),
the API reference from the docstrings, the gallery's figures, and the lesson page in the
static files of each language, opening in that language.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from docs_site import LANGS, built_site, html_pages


def remote_addresses(html: str) -> list[str]:
    """The ``src`` and ``href`` of the page's elements that lead off the machine."""
    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            for name, value in attrs:
                if name in ("src", "href") and value and re.match(r"\s*(https?:|//)", value):
                    found.append(value)

    Links().feed(html)
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory)[0]


def test_the_build_warns_about_nothing(tmp_path_factory: pytest.TempPathFactory) -> None:
    stderr = built_site(tmp_path_factory)[1]
    assert "WARNING" not in stderr and "ERROR" not in stderr, stderr[-5000:]


def test_both_languages_have_the_same_pages(site: Path) -> None:
    en, zh = html_pages(site, "en"), html_pages(site, "zh")
    assert en == zh
    learner = {"index", "getting-started", "lesson/index", "lesson/notebook", "teachers-guide"}
    assert learner <= set(en)
    assert (site / "index.html").exists()  # the landing page that picks a language


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_links_to_itself_in_the_other_language(site: Path, lang: str) -> None:
    other = "zh" if lang == "en" else "en"
    for page in html_pages(site, lang):
        html = (site / lang / f"{page}.html").read_text(encoding="utf-8")
        hrefs = set(re.findall(r'<a class="btn gdlab-lang-switch" href="([^"]+)"', html))
        assert len(hrefs) == 1, page
        target = (site / lang / page).parent / hrefs.pop()
        assert target.resolve() == (site / other / f"{page}.html").resolve(), page
        assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}"' in html, page


@pytest.mark.parametrize("lang", LANGS)
def test_the_notebook_renders_its_stored_outputs(site: Path, lang: str) -> None:
    page = (site / lang / "lesson" / "notebook.html").read_text(encoding="utf-8")
    # The lesson's least-squares coefficients on the mis-scaled features (seed text), and the
    # outlier's z-score: outputs that exist only because the stored notebook holds them.
    assert "1.99999619e+03" in page and "1.72970047" in page
    assert page.count("<img") >= 8  # the inline figures
    assert "<strong>Trajectory</strong>" in page  # rich displays render as HTML
    title = "梯度下降优化基础" if lang == "zh" else "Gradient-descent optimization basics"
    assert title in page


@pytest.mark.parametrize("lang", LANGS)
def test_api_reference_comes_from_the_docstrings(site: Path, lang: str) -> None:
    engine = (site / lang / "api" / "engine.html").read_text(encoding="utf-8")
    assert 'id="gdlab.optim.descend"' in engine
    assert "Minimise" in engine  # the first line of descend's docstring
    schedules = (site / lang / "api" / "schedules.html").read_text(encoding="utf-8")
    assert 'id="gdlab.schedules.exponential"' in schedules
    report = (site / lang / "api" / "report.html").read_text(encoding="utf-8")
    assert 'id="gdlab.report.widget.lab"' in report
    scaling = (site / lang / "api" / "scaling.html").read_text(encoding="utf-8")
    assert "set_fit_request" not in scaling


@pytest.mark.parametrize("lang", LANGS)
def test_gallery_draws_every_figure_with_its_code_wrapped(site: Path, lang: str) -> None:
    gallery = (site / lang / "gallery.html").read_text(encoding="utf-8")
    figures = re.findall(r'<img[^>]*src="(_images/[a-z_]+\.png)"', gallery)
    assert len(set(figures)) == 7  # one per plotting function, drawn at build time
    assert all((site / lang / f).stat().st_size > 10_000 for f in figures)
    assert gallery.count('class="gdlab-gallery') == 7  # the boxes whose long lines wrap


@pytest.mark.parametrize("lang", LANGS)
def test_the_lesson_page_is_in_the_static_files_and_embedded(site: Path, lang: str) -> None:
    page = (site / lang / "_static" / "lesson" / "index.html").read_text(encoding="utf-8")
    assert f'data-default-lang="{lang}"' in page  # it opens in the site's language
    assert page.count('class="lesson-section"') == 14
    assert remote_addresses(page) == []  # it asks the network for nothing
    lesson = (site / lang / "lesson" / "index.html").read_text(encoding="utf-8")
    assert '<iframe class="gdlab-lesson-frame" src="../_static/lesson/index.html"' in lesson
    assert 'href="../_static/lesson/index.html"' in lesson  # and a link to open it alone


def test_the_chinese_site_is_chinese(site: Path) -> None:
    index = (site / "zh" / "index.html").read_text(encoding="utf-8")
    assert "教师指南" in index and "课程页面" in index
    assert "搜索" in index  # the theme's own words are translated too
    assert 'href="teachers-guide.html"' in index


def test_the_chinese_search_index_holds_chinese(site: Path) -> None:
    index = (site / "zh" / "searchindex.js").read_text(encoding="utf-8")
    assert '"\\u68af"' in index or '"梯"' in index  # 梯, of 梯度下降
