"""The page's JavaScript: the engine, then the page's own scripts, inlined in this order.

The engine (:mod:`gdlab.report.engine_js`) computes; the page's scripts under ``js/page``
fill words in the reader's language (``words.js``), run the labs (``lab.js`` and one
controller per lab under ``labs/``) and switch languages (``page.js``, last: it starts the
labs). Each is a plain file of package data, so it can be read, linted and tested as
JavaScript.
"""

from __future__ import annotations

from importlib import resources

from gdlab.report.engine_js import engine_source

PAGE_FILES = (
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
    "page.js",
)


def page_javascript() -> str:
    """The engine and the page's scripts, concatenated in load order."""
    folder = resources.files("gdlab.report").joinpath("js", "page")
    scripts = [folder.joinpath(*name.split("/")).read_text("utf-8") for name in PAGE_FILES]
    return "\n".join([engine_source(), *scripts])
