"""The documentation site, built once per test session for the tests that read it.

``tools/build_docs.py`` builds both languages from a clean state (``-E``) with warnings as
errors into a temporary folder; the lesson page it embeds is kept between sessions in
``docs/_build/lesson-page`` (made again when gdlab's sources change). Skipped where the docs
tools (the ``docs`` extra, also in the ``test`` extra) are not installed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "zh")
_BUILT: dict[str, tuple[Path, str]] = {}


def built_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The built site's ``html`` folder and what the build wrote on stderr."""
    for module in ("sphinx", "myst_nb", "pydata_sphinx_theme"):
        pytest.importorskip(module)
    if "site" not in _BUILT:
        out = tmp_path_factory.mktemp("docs")
        command = [sys.executable, "tools/build_docs.py", "--out", str(out), "--fresh", "--quiet"]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=1200)
        assert done.returncode == 0, done.stderr[-5000:]
        _BUILT["site"] = (out / "html", done.stderr)
    return _BUILT["site"]


def html_pages(site: Path, lang: str) -> list[str]:
    """The pages of one language, as page names (``lesson/index``), sorted."""
    tree = site / lang
    skip = ("_static", "_images", "_sources", "_modules")
    return sorted(
        p.relative_to(tree).with_suffix("").as_posix()
        for p in tree.rglob("*.html")
        if not p.relative_to(tree).as_posix().startswith(skip)
    )
