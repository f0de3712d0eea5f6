"""The documentation site's shared settings, and the small Sphinx extension they load.

The site is two Sphinx projects side by side, one per language: ``docs/en`` and ``docs/zh``,
each with a three-line ``conf.py`` that calls :func:`settings`. A page is written once in
each language, under the same name in both trees; the language switch on every page links
to the page of the same name in the other tree (``en/guide/scaling.html`` and
``zh/guide/scaling.html``). ``tools/build_docs.py`` builds both into ``html/en`` and
``html/zh`` and writes the landing page that picks one.

What is generated when a build starts, never committed:

- the lesson notebook of the tree's language, copied from ``notebooks/`` to
  ``<tree>/lesson/notebook.ipynb`` (myst-nb renders its stored outputs; nothing executes);
- the lesson page, the file ``gdlab demo`` writes, one per language (it opens in that
  language), into the site's static files as ``_static/lesson/index.html``. The lesson is run
  once for both; the result is kept in ``docs/_build/lesson-page`` with a stamp of gdlab's
  sources, so a build reruns it only when the code that makes it has changed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
LESSON_CACHE = DOCS / "_build" / "lesson-page"
LANGUAGES = ("en", "zh")
# What each language calls the other one, on its switch.
SWITCH_LABEL = {"en": "English", "zh": "中文"}
SPHINX_LANGUAGE = {"en": "en", "zh": "zh_CN"}


def settings(lang: str) -> dict[str, Any]:
    """The Sphinx configuration of the tree in language ``lang`` (``"en"`` or ``"zh"``)."""
    from importlib.metadata import version

    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    _copy_notebook(lang)
    os.environ.setdefault("MPLBACKEND", "Agg")  # the gallery's plot directive draws off screen
    release = version("gdlab")
    return {
        "project": "gdlab",
        "author": "gdlab contributors",
        "copyright": "gdlab contributors",
        "release": release,
        "version": release,
        "language": SPHINX_LANGUAGE[lang],
        "gdlab_language": lang,
        "extensions": [
            "myst_nb",
            "sphinx.ext.autodoc",
            "sphinx.ext.napoleon",
            "matplotlib.sphinxext.plot_directive",
            "gdlab_site",
        ],
        "root_doc": "index",
        "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
        "templates_path": [str(DOCS / "_templates")],
        # Notebooks: rendered from their stored outputs, never executed here.
        "nb_execution_mode": "off",
        "myst_enable_extensions": ["dollarmath", "colon_fence"],
        "myst_heading_anchors": 3,
        # API reference from numpydoc docstrings, in source order, types from the signatures.
        "napoleon_google_docstring": False,
        "napoleon_numpy_docstring": True,
        "autodoc_member_order": "bysource",
        "autodoc_typehints": "signature",
        "autodoc_default_options": {"members": True, "show-inheritance": False},
        # The widget's page documents it even where the notebook extra is not installed.
        "autodoc_mock_imports": [
            m for m in ("anywidget", "traitlets") if importlib.util.find_spec(m) is None
        ],
        # The gallery's figures: drawn at build time by gdlab.plotting, from docs/gallery.
        "plot_basedir": str(DOCS / "gallery"),
        "plot_include_source": True,
        "plot_html_show_source_link": False,
        "plot_html_show_formats": False,
        "plot_formats": [("png", 90)],
        # Formulas as MathML, typeset when the site is built, as on the lesson page: the
        # browser draws them with no script and no network (MathJax would come from a CDN).
        "html_math_renderer": "mathml",
        "html_theme": "pydata_sphinx_theme",
        "html_title": "gdlab",
        # The screenshots of the lesson page (docs/images) and the lesson page itself.
        "html_static_path": [
            str(DOCS / "_static"),
            str(DOCS / "images"),
            str(LESSON_CACHE / lang),
        ],
        "html_css_files": ["gdlab.css"],
        "html_favicon": str(DOCS / "_static" / "favicon.svg"),
        # Without a mode the theme logs an error on a first visit.
        "html_context": {"default_mode": "auto"},
        "html_theme_options": {
            "navigation_with_keys": False,
            "show_toc_level": 2,
            "header_links_before_dropdown": 6,
            # The switch stays in the header on a phone, where the other items fold away.
            "navbar_persistent": ["search-button-field", "language-switch"],
        },
    }


def _copy_notebook(lang: str) -> None:
    """The stored notebook of ``lang`` as ``<tree>/lesson/notebook.ipynb``; an unchanged
    copy keeps its date, so an incremental build does not read it again."""
    source = ROOT / "notebooks" / f"lesson-4.5.{lang}.ipynb"
    target = DOCS / lang / "lesson" / "notebook.ipynb"
    if not target.exists() or target.read_bytes() != source.read_bytes():
        shutil.copyfile(source, target)


def _sources_stamp() -> str:
    """A digest of everything the lesson page is made from: gdlab's own files."""
    import gdlab

    package = Path(gdlab.__file__).resolve().parent
    digest = hashlib.sha256(gdlab.__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".js", ".css", ".yaml", ".json", ".j2"}:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def lesson_pages() -> Path:
    """The lesson page in both languages under ``LESSON_CACHE/<lang>/lesson/index.html``,
    made again only when gdlab's sources have changed since the last time."""
    stamp_file = LESSON_CACHE / "stamp"
    stamp = _sources_stamp()
    pages = [LESSON_CACHE / lang / "lesson" / "index.html" for lang in LANGUAGES]
    if stamp_file.exists() and stamp_file.read_text() == stamp and all(map(Path.exists, pages)):
        return LESSON_CACHE
    from gdlab import __version__
    from gdlab.report import Phrase, summary_table, write_report
    from gdlab.report.demo import run_demo

    # Run the lesson once, as `gdlab demo` does, and draw its page opening in each language.
    run = run_demo(None)
    meta = Phrase(
        "page.meta", {"version": __version__, "count": len(run.results), "seconds": run.seconds}
    )
    for lang, page in zip(LANGUAGES, pages, strict=True):
        page.parent.mkdir(parents=True, exist_ok=True)
        write_report(run.results, page, meta=meta, summary=summary_table(run.results), lang=lang)
    stamp_file.write_text(stamp)
    return LESSON_CACHE


def _language_switch(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give the page's template the address of the same page in the other language."""
    lang = app.config.gdlab_language
    other = next(o for o in LANGUAGES if o != lang)
    up = "../" * (pagename.count("/") + 1)  # from this page to the folder above both trees
    context["gdlab_switch"] = {
        "href": f"{up}{other}/{pagename}.html",
        "lang": other,
        "label": SWITCH_LABEL[other],
    }


# Chinese search without a word list: Han characters are indexed one by one and Latin words
# whole; a query is split the same way, so a page matches when it holds every character.
_HAN_OR_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9_]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _chinese_search() -> type:
    from sphinx.search.zh import SearchChinese

    class SearchChineseCharacters(SearchChinese):  # type: ignore[misc]
        """Sphinx's Chinese search, indexing Han characters one by one.

        Sphinx splits Chinese into words with jieba, which gdlab does not install; without
        it no Chinese word is indexed. Sphinx also names the English stemmer it ships for
        Chinese "ChineseStemmer" in the page's script, which breaks every page; the class
        name below is the one the script defines.
        """

        language_name = "English"
        js_splitter_code = (
            "function splitQuery(query) {\n"
            "  return query.match(/[\\u4e00-\\u9fff]|[A-Za-z0-9_]+/g) || [];\n"
            "}\n"
        )

        def split(self, input: str) -> list[str]:
            return _HAN_OR_WORD.findall(input)

        def stem(self, word: str) -> str:
            return word if _HAN.fullmatch(word) else str(super().stem(word))

        def word_filter(self, stemmed_word: str) -> bool:
            if _HAN.fullmatch(stemmed_word):
                return True
            return len(stemmed_word) > 1 and stemmed_word not in self.stopwords

    return SearchChineseCharacters


def _mathml(tex: str, display: str, node: Any) -> str:
    """``tex`` as MathML; TeX that latex2mathml cannot read is a build warning (an error,
    with ``-W``) and is shown as it is written."""
    import html

    from sphinx.util import logging

    from gdlab.report.maths import mathml

    try:
        return mathml(tex.strip(), display)
    except Exception as err:  # latex2mathml raises a range of errors for TeX it does not know
        logging.getLogger(__name__).warning("cannot typeset %r: %s", tex, err, location=node)
        return f'<code class="tex">{html.escape(tex)}</code>'


def _visit_math(self: Any, node: Any) -> None:
    # In a box of its own: a formula longer than a phone's line scrolls instead of being cut.
    self.body.append(f'<span class="math">{_mathml(node.astext(), "inline", node)}</span>')
    raise _skip_node()


def _visit_displaymath(self: Any, node: Any) -> None:
    from sphinx.util.math import get_node_equation_number

    self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
    if node["number"] and not node.get("no-wrap", node.get("nowrap", False)):
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})</span>')
    for part in node.astext().split("\n\n"):
        if part.strip():
            self.body.append(_mathml(part, "block", node))
    self.body.append("</div>\n")
    raise _skip_node()


def _skip_node() -> Exception:
    from docutils import nodes

    return nodes.SkipNode()


def _skip_member(app: Any, what: str, name: str, obj: Any, skip: bool, options: Any) -> Any:
    # scikit-learn generates set_*_request methods on every estimator; they are its API,
    # documented there, not gdlab's.
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("gdlab_language", "en", "html")
    app.add_html_math_renderer(
        "mathml",
        inline_renderers=(_visit_math, None),
        block_renderers=(_visit_displaymath, None),
    )
    # Before Sphinx checks that every static folder exists (its own check runs at 800).
    app.connect("config-inited", lambda app, config: lesson_pages(), priority=100)
    app.connect("html-page-context", _language_switch)
    app.add_search_language(_chinese_search())
    app.connect("autodoc-skip-member", _skip_member)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
