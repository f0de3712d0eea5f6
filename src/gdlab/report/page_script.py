"""The page's JavaScript: the engine, then the page's own scripts, inlined in this order.

The engine (:mod:`gdlab.report.engine_js`) computes; the scripts under ``js/page`` fill words
in the reader's language (``words.js``), run the labs (``lab.js`` and one controller per lab
under ``labs/``), draw the labs into the page's Bokeh figures (``page_labs.js``) and switch
languages (``page.js``, last: it starts the labs). The scripts before ``page_labs.js``
(:data:`LAB_FILES`) know nothing of the page: the notebook widget
(:mod:`gdlab.report.widget_script`) runs the same files. Each is a plain file of package
data, so it can be read, linted and tested as JavaScript.
"""

from __future__ import annotations

from importlib import resources

from gdlab.report.engine_js import engine_source

LAB_FILES = (
    "words.js",
    "csv.js",
    "lab.js",
    "labs/own_data.js",
    "labs/contours.js",
    "labs/part2.js",
    "labs/speed.js",
    "labs/decay.js",
    "labs/minibatch.js",
    "labs/combined.js",
)
"""The labs' runtime and controllers (names inside ``js/page``), in load order."""

PAGE_FILES = (*LAB_FILES, "page_labs.js", "page.js")
"""Every script of the page (names inside ``js/page``), in load order."""


def page_scripts(names: tuple[str, ...]) -> list[str]:
    """The text of the scripts ``names`` of ``js/page``, in that order.

    Examples
    --------
    >>> "root.gdlabLab = Lab;" in page_scripts(("lab.js",))[0]
    True
    """
    folder = resources.files("gdlab.report").joinpath("js", "page")
    return [folder.joinpath(*name.split("/")).read_text("utf-8") for name in names]


def page_javascript() -> str:
    """The engine and the page's scripts, concatenated in load order."""
    return "\n".join([engine_source(), *page_scripts(PAGE_FILES)])
