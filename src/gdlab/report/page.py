"""The lesson report as one self-contained HTML file: figures embedded, no script, no network.

Figures are PNG bytes inlined as ``data:image/png;base64`` URIs and the style sheet is inline,
so the file can be mailed, archived or opened offline and shows the same thing everywhere.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Sequence
from pathlib import Path

from gdlab.files import write_atomic
from gdlab.report.result import ExperimentResult, Image, Table, format_cell

_CSS = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; }
h1 { margin-bottom: 0.2rem; } .meta { color: #666; margin-top: 0; }
section { border-top: 1px solid #ddd; margin-top: 2rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9rem; }
"""


def _table_html(table: Table) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for value in row:
            cls = ' class="num"' if isinstance(value, int | float) else ""
            cells.append(f"<td{cls}>{html.escape(format_cell(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table><caption>{html.escape(table.title)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _image_html(image: Image) -> str:
    data = base64.b64encode(image.png).decode("ascii")
    caption = html.escape(image.caption)
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{caption}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def _section_html(result: ExperimentResult) -> str:
    parts = [
        f'<section id="{html.escape(result.key)}">',
        f"<h2>{html.escape(result.section)} {html.escape(result.title)}</h2>",
        f"<p>{html.escape(result.text)}</p>",
        *(_table_html(t) for t in result.tables),
        *(_image_html(i) for i in result.images),
        "</section>",
    ]
    return "\n".join(parts)


def render_html(
    results: Sequence[ExperimentResult],
    *,
    title: str = "gdlab: why gradient descent converges",
    meta: str = "",
    summary: Table | None = None,
) -> str:
    """Build the report's HTML text.

    Parameters
    ----------
    results : sequence of ExperimentResult
        The experiments, in report order; each becomes a ``<section>`` whose id is its key.
    title : str
        Page title and top heading.
    meta : str
        One line under the heading (how it was made, how long it took).
    summary : Table, optional
        A table shown before the sections.

    Examples
    --------
    >>> r = ExperimentResult("k", "§1", "Min-max", "Scales each column to [0, 1].")
    >>> page = render_html([r])
    >>> page.startswith("<!DOCTYPE html>") and '<section id="k">' in page
    True
    """
    toc = "".join(
        f'<li><a href="#{html.escape(r.key)}">{html.escape(r.section)} '
        f"{html.escape(r.title)}</a></li>"
        for r in results
    )
    body = [
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="meta">{html.escape(meta)}</p>' if meta else "",
        _table_html(summary) if summary is not None else "",
        f"<nav><ol>{toc}</ol></nav>",
        *(_section_html(r) for r in results),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(b for b in body if b)
        + "\n</body></html>\n"
    )


def write_report(
    results: Sequence[ExperimentResult],
    path: str | os.PathLike[str],
    *,
    title: str = "gdlab: why gradient descent converges",
    meta: str = "",
    summary: Table | None = None,
) -> Path:
    """Render the report (see :func:`render_html`) and write it to ``path`` atomically."""
    return write_atomic(path, render_html(results, title=title, meta=meta, summary=summary))
