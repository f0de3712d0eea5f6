"""Sphinx configuration of gdlab's documentation site.

The pages are Markdown (MyST); the module pages include the README's sections, the API
reference comes from the numpydoc docstrings, and the lesson notebooks are rendered from their
stored outputs (copied from ``notebooks/`` into ``docs/notebooks/`` when the build starts;
nothing is executed at build time). Build with ``make docs`` (warnings are errors).
"""

from __future__ import annotations

import os
import re
import shutil
from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

try:  # myst-parser >= 5.2
    from myst_parser.slugs import github_slugify
except ImportError:  # older releases keep the same function here
    from myst_parser.mdit_to_docutils.base import default_slugify as github_slugify

HERE = Path(__file__).resolve().parent
NOTEBOOKS = HERE.parent / "notebooks"
RENDERED = HERE / "notebooks"  # build input only, ignored by git


def _copy_notebooks() -> None:
    """Copy the stored notebooks into the source tree; unchanged files keep their date, so
    an incremental build reads only what changed."""
    RENDERED.mkdir(exist_ok=True)
    for source in sorted(NOTEBOOKS.glob("*.ipynb")):
        target = RENDERED / source.name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)


_copy_notebooks()

os.environ.setdefault("MPLBACKEND", "Agg")  # the gallery's plot directive draws off screen

project = "gdlab"
author = "gdlab contributors"
copyright = "gdlab contributors"
release = _version("gdlab")
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "matplotlib.sphinxext.plot_directive",
]

root_doc = "index"
exclude_patterns = ["_build", "images/README*"]
# The README's sections are included as they stand: their subsections start at "###" below
# each page's title, which MyST would otherwise report as a skipped heading level.
suppress_warnings = ["myst.header"]

# Notebooks: rendered from their stored outputs, never executed here.
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

# API reference from numpydoc docstrings, in source order, types from the signatures.
napoleon_google_docstring = False
napoleon_numpy_docstring = True
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": False}

# The gallery's figures: drawn at build time by gdlab.plotting.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 90)]

html_theme = "pydata_sphinx_theme"
html_title = "gdlab"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path: list[str] = []


def _skip_member(app: Any, what: str, name: str, obj: Any, skip: bool, options: Any) -> Any:
    # scikit-learn generates set_*_request methods on every estimator; they are its API,
    # documented there, not gdlab's.
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


# README links between its own sections ("](#slug)") point, in the site, at the page that
# includes that section: each page below includes one region of the README.
_INCLUDE = re.compile(r"```\{include\} \S*README\.md\n((?::[^\n]*\n)*)```")
_OPTION = re.compile(r'^:(start-after|end-before): "(.*)"$', re.M)


def _readme_anchors() -> dict[str, tuple[str, str]]:
    """Map each README heading's slug to (page, anchor on that page; "" for the page top)."""
    readme = (HERE.parent / "README.md").read_text(encoding="utf-8")
    anchors: dict[str, tuple[str, str]] = {}
    for page in sorted(HERE.rglob("*.md")):
        doc = page.relative_to(HERE).with_suffix("").as_posix()
        for match in _INCLUDE.finditer(page.read_text(encoding="utf-8")):
            options = dict(_OPTION.findall(match.group(1)))
            start = options.get("start-after", "")
            region = readme.split(start, 1)[-1] if start else readme
            region = (
                region.split(options["end-before"], 1)[0] if "end-before" in options else region
            )
            if start.startswith("#"):
                anchors.setdefault(github_slugify(start.lstrip("# ")), (doc, ""))
            for title in re.findall(r"^#{2,6} (.+)$", region, flags=re.M):
                anchors.setdefault(github_slugify(title), (doc, github_slugify(title)))
    return anchors


def _readme_links(app: Any, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    if relative_path.name != "README.md":
        return
    anchors = _readme_anchors()

    def move(match: re.Match[str]) -> str:
        doc, anchor = anchors.get(match.group(1), ("", ""))
        if not doc or Path(doc).name == parent_docname:
            return match.group(0)  # on this page already, or unknown (Sphinx reports it)
        return f"](/{doc}.md{'#' + anchor if anchor else ''})"

    content[0] = re.sub(r"\]\(#([^)\s]+)\)", move, content[0])


def setup(app: Any) -> None:
    app.connect("autodoc-skip-member", _skip_member)
    app.connect("include-read", _readme_links)
