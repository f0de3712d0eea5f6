"""The documentation site builds from a clean state with warnings as errors.

Skipped only where the docs tools (the ``docs`` extra, also in the ``test`` extra) are not
installed. The build reads the stored notebooks and never executes them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("myst_nb")
pytest.importorskip("pydata_sphinx_theme")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    command = [
        sys.executable, "-m", "sphinx", "-W", "--keep-going", "-E", "-q", "-b", "html",
        "-d", str(out / "doctrees"), str(DOCS), str(out / "html"),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-5000:]
    assert "WARNING" not in done.stderr and "ERROR" not in done.stderr, done.stderr[-5000:]
    return out / "html"


def test_front_page_links_the_chinese_notebook(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="notebooks/lesson-4.5.zh.html"' in index
    assert "中文课程笔记本" in index


@pytest.mark.parametrize("name", ["lesson-4.5.zh", "lesson-4.5.en"])
def test_notebooks_render_their_stored_outputs(site: Path, name: str) -> None:
    page = (site / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
    # The lesson's least-squares coefficients on the mis-scaled features (seed text), and the
    # outlier's z-score: outputs that exist only because the stored notebook holds them.
    assert "1.99999619e+03" in page and "1.72970047" in page
    assert page.count("<img") >= 8  # the inline figures
    assert "<strong>Trajectory</strong>" in page  # rich displays render as HTML


def test_api_reference_comes_from_the_docstrings(site: Path) -> None:
    engine = (site / "api" / "engine.html").read_text(encoding="utf-8")
    assert 'id="gdlab.optim.descend"' in engine
    assert "Minimise" in engine  # the first line of descend's docstring
    schedules = (site / "api" / "schedules.html").read_text(encoding="utf-8")
    assert 'id="gdlab.schedules.exponential"' in schedules
    assert "set_fit_request" not in (site / "api" / "scaling.html").read_text(encoding="utf-8")


def test_module_pages_hold_the_readme_sections(site: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page, heading in [
        ("scaling", "## Feature scaling (`gdlab.scaling`)"),
        ("schedules", "## Learning-rate schedules (`gdlab.schedules`)"),
    ]:
        section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
        first = next(line for line in section.splitlines() if line.strip())
        words = re.findall(r"[A-Za-z]{4,}", first)[:6]
        html = (site / "modules" / f"{page}.html").read_text(encoding="utf-8")
        assert all(word in html for word in words), (page, words)


def test_gallery_draws_every_figure(site: Path) -> None:
    gallery = (site / "gallery.html").read_text(encoding="utf-8")
    figures = re.findall(r'<img[^>]*src="(_images/[a-z_]+\.png)"', gallery)
    assert len(set(figures)) == 7  # one per plotting function, drawn at build time
    assert all((site / f).stat().st_size > 10_000 for f in figures)


def test_readme_links_between_sections_point_at_the_page_holding_the_section() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gdlab_docs_conf", DOCS / "conf.py")
    assert spec is not None and spec.loader is not None
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    text = "see [scaling](#feature-scaling-gdlabscaling) and [nowhere](#no-such-section)"
    content = [text]
    conf._readme_links(None, Path("../README.md"), "cli", content)
    assert content[0] == ("see [scaling](/modules/scaling.md) and [nowhere](#no-such-section)")
    same_page = [text]
    conf._readme_links(None, Path("../README.md"), "scaling", same_page)
    assert same_page == [text]  # a link within the page it is on stays as it is
