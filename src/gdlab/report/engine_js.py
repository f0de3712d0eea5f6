"""The page's JavaScript engine: its script files, in load order, and their text as one script.

The engine lives in ``gdlab/report/js/`` as plain browser scripts (ES2017, no modules, no
build step), each registering into ``globalThis.gdlab``. Their load order is declared once, in
``js/files.json``, which the Node tests read too; :func:`engine_source` joins the files in that
order for the page to inline in one ``<script>``.
"""

from __future__ import annotations

import json
from importlib import resources

__all__ = ["ENGINE_FILES", "engine_source"]

_JS = resources.files("gdlab.report").joinpath("js")


def _files() -> tuple[str, ...]:
    listing = json.loads(_JS.joinpath("files.json").read_text(encoding="utf-8"))
    return tuple(str(name) for name in listing["files"])


ENGINE_FILES: tuple[str, ...] = _files()
"""The engine's script files (names inside ``gdlab/report/js/``), in load order."""


def engine_source() -> str:
    """The engine's files joined in load order: one classic script defining ``window.gdlab``.

    Each file is preceded by a comment naming it, so a browser's error position leads back to
    its file.

    Examples
    --------
    >>> source = engine_source()
    >>> ENGINE_FILES[0], "gdlab.descend = function" in source
    ('core.js', True)
    """
    parts = []
    for name in ENGINE_FILES:
        text = _JS.joinpath(name).read_text(encoding="utf-8")
        parts.append(f"/* --- gdlab/report/js/{name} --- */\n{text}")
    return "\n".join(parts)
