"""The lesson report as one self-contained HTML file: both languages, live figures, no network.

BokehJS, the style sheet, the page's script and every figure's data are inlined, so the file
can be mailed, archived or opened from disk offline and shows the same thing everywhere.

Stable hooks of the page (tests and the style sheet rely on them; keep them):

- ``<html lang="zh|en" data-default-lang="zh|en|auto">``: ``lang`` is the language shown;
  ``auto`` opens in ``navigator.language``. ``data-ready="true"`` once the script has set up
  the figures, the language and every control.
- ``<button id="lang-switch">`` toggles the language.
- Text exists in both languages as siblings ``<span lang="zh">`` / ``<span lang="en">`` (or
  blocks); elements that can hold only text (``<option>``, ``<title>``) carry ``data-zh`` /
  ``data-en`` instead.
- ``<h2 class="part">`` opens each part of the lesson's outline (一、二、附录).
- Each section is ``<section id="KEY" class="lesson-section">``; its first ``<p class="claim">``
  is the claim; ``<script type="application/json" id="claims-KEY">`` holds its measured
  numbers (``ExperimentResult.numbers``).
- Controls of a section: labelled form controls (``<select>``, ``<input type="range">``,
  ``<input type="checkbox">``, each with ``data-control``) inside
  ``<div class="controls" data-section="KEY">``, which carries the current state key in
  ``data-state``; live numbers are ``<dd id="readout-KEY-NAME">`` in ``<dl class="readouts">``.
  ``<script type="application/json" id="states-KEY">`` holds every state's data.
- Figures: ``<figure class="chart" data-chart="KEY/CHART">`` holding the Bokeh figure (named
  ``KEY/CHART``), an HTML legend ``<ul class="legend">`` and a ``<figcaption>``; each series'
  data source is named ``KEY/CHART/SERIES`` (``Bokeh.documents[0].get_model_by_name``).
- Wide tables sit in ``<div class="table-scroll">``.
"""

from __future__ import annotations

import base64
import html
import json
import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from gdlab.files import write_atomic
from gdlab.report.charts import Chart, Interactive
from gdlab.report.figures import bokeh_javascript, draw_charts, plain_columns
from gdlab.report.page_script import SCRIPT
from gdlab.report.result import ExperimentResult, Image, Table, format_cell
from gdlab.report.text import Bilingual, Text, as_bilingual, section_number

# The style sheet ships as package data so it can be read and edited as CSS; it is inlined
# into every page so the file still opens offline on its own.
_CSS = resources.files("gdlab.report").joinpath("style.css").read_text(encoding="utf-8")
# Which language is shown is function, not style: it lives here, beside the script.
_LANG_CSS = 'html[lang="zh"] [lang="en"], html[lang="en"] [lang="zh"] { display: none !important; }'
DEFAULT_TITLE = Bilingual(
    "梯度下降优化基础：数据归一化与学习率调度",
    "Why gradient descent converges: feature scaling and learning-rate scheduling",
)


def _t(text: Text, tag: str = "span") -> str:
    """``text`` as two sibling elements, one per language (one plain string if both agree)."""
    words = as_bilingual(text)
    if words.zh == words.en:
        return html.escape(words.en)
    return (
        f'<{tag} lang="zh">{html.escape(words.zh)}</{tag}>'
        f'<{tag} lang="en">{html.escape(words.en)}</{tag}>'
    )


def _plain(text: Text, lang: str = "en") -> tuple[str, str]:
    """For an element that holds text only: its ``data-zh``/``data-en`` attributes and its
    text in ``lang`` (what shows before the script runs)."""
    words = as_bilingual(text)
    return (
        f'data-zh="{html.escape(words.zh)}" data-en="{html.escape(words.en)}"',
        html.escape(words.get(lang)),
    )


def _table_html(table: Table) -> str:
    head = "".join(f"<th>{_t(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for value in row:
            cls = ' class="num"' if isinstance(value, int | float) else ""
            if isinstance(value, Bilingual):
                cells.append(f"<td>{_t(value)}</td>")
            else:
                cells.append(f"<td{cls}>{html.escape(format_cell(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    # The wrapper scrolls a wide table inside its own box, so a phone's page never runs wide.
    return (
        f'<div class="table-scroll"><table><caption>{_t(table.title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _image_html(image: Image) -> str:
    data = base64.b64encode(image.png).decode("ascii")
    alt = html.escape(as_bilingual(image.caption).en)
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{alt}">'
        f"<figcaption>{_t(image.caption)}</figcaption></figure>"
    )


def _chart_html(key: str, chart: Chart, div: str) -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{html.escape(s.color)}"></span>'
        f"{_t(s.legend)}</li>"
        for s in chart.series
        if s.legend is not None
    )
    items += "".join(
        f'<li><span class="swatch swatch-rule"></span>{_t(label)}</li>'
        for _, label in (*chart.vlines, *chart.hlines)
    )
    legend = f'<ul class="legend">{items}</ul>' if items else ""
    caption = f"<figcaption>{_t(chart.caption)}</figcaption>" if str(chart.caption) else ""
    return (
        f'<figure class="chart" data-chart="{html.escape(key)}/{html.escape(chart.name)}">'
        f'<p class="chart-title">{_t(chart.title)}</p>{div}{legend}{caption}</figure>'
    )


def _controls_html(key: str, interactive: Interactive, lang: str) -> str:
    parts = []
    for c in interactive.controls:
        ident = f"control-{key}-{c.name}"
        label = _t(c.label)
        if c.kind == "select":
            options = "".join(
                f'<option value="{html.escape(v)}" {_plain(t, lang)[0]}'
                f"{' selected' if v == c.default else ''}>{_plain(t, lang)[1]}</option>"
                for v, t in c.options
            )
            parts.append(
                f'<label for="{ident}">{label}</label>'
                f'<select id="{ident}" data-control="{html.escape(c.name)}">{options}</select>'
            )
        elif c.kind == "range":
            values = [v for v, _ in c.options]
            index = values.index(c.default)
            shown = _t(dict(c.options)[c.default])
            parts.append(
                f'<label for="{ident}">{label}</label>'
                f'<input type="range" id="{ident}" data-control="{html.escape(c.name)}" '
                f'min="0" max="{len(values) - 1}" step="1" value="{index}" '
                f"data-values='{html.escape(json.dumps(values))}'>"
                f'<output for="{ident}">{shown}</output>'
            )
        else:
            checked = " checked" if c.default == "on" else ""
            parts.append(
                f'<label for="{ident}" class="check"><input type="checkbox" id="{ident}" '
                f'data-control="{html.escape(c.name)}"{checked}> {label}</label>'
            )
    readouts = "".join(
        f'<div><dt>{_t(r.label)}</dt><dd id="readout-{key}-{r.name}">'
        f"{_t(interactive.states[interactive.default_key].readouts.get(r.name, ''))}</dd></div>"
        for r in interactive.readouts
    )
    return (
        f'<div class="controls" data-section="{html.escape(key)}" '
        f'data-state="{html.escape(interactive.default_key)}">{"".join(parts)}</div>'
        + (f'<dl class="readouts">{readouts}</dl>' if readouts else "")
    )


def _json_script(ident: str, payload: object) -> str:
    text = json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    # "</" would end the <script> element early; JSON allows the escaped form.
    text = text.replace("</", "<\\/")
    return f'<script type="application/json" id="{ident}">{text}</script>'


def _states_payload(interactive: Interactive) -> dict[str, object]:
    def words(t: Text) -> object:
        b = as_bilingual(t)
        return b.en if b.zh == b.en else {"zh": b.zh, "en": b.en}

    # States often share columns (the contour lines of one scaling at every learning rate):
    # each distinct columns object is written once in "blocks" and states point at it.
    blocks: list[object] = []
    index: dict[int, int] = {}

    def block(cols: object) -> int:
        if id(cols) not in index:
            index[id(cols)] = len(blocks)
            blocks.append(plain_columns(cols))  # type: ignore[arg-type]
        return index[id(cols)]

    return {
        "controls": [c.name for c in interactive.controls],
        "options": {c.name: {v: words(t) for v, t in c.options} for c in interactive.controls},
        "states": {
            key: {
                "data": {f"{c}/{s}": block(cols) for (c, s), cols in st.data.items()},
                "readouts": {n: words(t) for n, t in st.readouts.items()},
            }
            for key, st in interactive.states.items()
        },
        "blocks": blocks,
    }


def _claims(result: ExperimentResult) -> dict[str, float | None]:
    return {
        k: (float(v) if v == v and abs(float(v)) != float("inf") else None)
        for k, v in result.numbers.items()
    }


def _section_html(result: ExperimentResult, divs: dict[tuple[str, str], str], lang: str) -> str:
    key = html.escape(result.key)
    claim = _t(result.claim) if str(result.claim) else _t(result.title)
    number = _plain(section_number(result.section), lang)
    parts = [
        f'<section id="{key}" class="lesson-section">',
        # The number holds text only (data-zh / data-en), so the heading's first language
        # span is its title.
        f'<h3><span class="number" {number[0]}>{number[1]}</span> {_t(result.title)}</h3>',
        f'<p class="claim">{claim}</p>',
    ]
    if result.interactive is not None:
        parts.append(_controls_html(result.key, result.interactive, lang))
    parts.extend(_chart_html(result.key, c, divs[(result.key, c.name)]) for c in result.charts)
    parts.extend(_image_html(i) for i in result.images)
    if str(result.text):
        parts.append(f'<div class="text">{_t(result.text, "p")}</div>')
    parts.extend(_table_html(t) for t in result.tables)
    parts.append(_json_script(f"claims-{result.key}", _claims(result)))
    if result.interactive is not None:
        parts.append(_json_script(f"states-{result.key}", _states_payload(result.interactive)))
    parts.append("</section>")
    return "\n".join(parts)


def render_html(
    results: Sequence[ExperimentResult],
    *,
    title: Text = DEFAULT_TITLE,
    meta: Text = "",
    summary: Table | None = None,
    lang: str = "auto",
) -> str:
    """Build the report's HTML text.

    Parameters
    ----------
    results : sequence of ExperimentResult
        The experiments, in report order; each becomes a ``<section>`` whose id is its key.
    title : str or Bilingual
        Page title and top heading.
    meta : str or Bilingual
        One line under the heading (how it was made, how long it took).
    summary : Table, optional
        A table shown before the sections.
    lang : {"auto", "zh", "en"}
        The language the page opens in; ``"auto"`` follows the browser (``navigator.language``).

    Examples
    --------
    >>> r = ExperimentResult("k", "§1", Bilingual("0-1 标准化", "Min-max"), "Scales to [0, 1].")
    >>> page = render_html([r], lang="zh")
    >>> '<section id="k" class="lesson-section">' in page and '<html lang="zh"' in page
    True
    """
    if lang not in ("auto", "zh", "en"):
        raise ValueError(f"lang must be 'auto', 'zh' or 'en', got {lang!r}")
    script, divs, labels = draw_charts(
        [(r.key, r.charts, r.interactive) for r in results if r.charts]
    )
    toc = "".join(
        f'<li><a href="#{html.escape(r.key)}">{_t(section_number(r.section))} '
        f"{_t(r.title)}</a></li>"
        for r in results
    )
    sections = []
    part: str | None = None
    for r in results:
        if str(r.part) and str(r.part) != part:
            part = str(r.part)
            sections.append(f'<h2 class="part">{_t(r.part)}</h2>')
        sections.append(_section_html(r, divs, "en" if lang == "auto" else lang))
    switch = (
        '<button id="lang-switch" type="button" aria-pressed="false">'
        '<span lang="zh">English</span><span lang="en">中文</span></button>'
    )
    body = [
        f"<header>{switch}<h1>{_t(title)}</h1>",
        f'<p class="meta">{_t(meta)}</p>' if str(meta) else "",
        "</header>",
        _table_html(summary) if summary is not None else "",
        f"<nav><ol>{toc}</ol></nav>",
        *sections,
        _json_script("axis-labels", labels),
        f"<script>{SCRIPT}</script>",
        script,
    ]
    shown = "en" if lang == "auto" else lang
    head_title = _plain(title, shown)
    bokeh = bokeh_javascript() if script else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{shown}" data-default-lang="{lang}"><head>'
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title {head_title[0]}>{head_title[1]}</title>"
        f"<style>{_CSS}</style><style>{_LANG_CSS}</style>{bokeh}</head>\n<body>\n"
        + "\n".join(b for b in body if b)
        + "\n</body></html>\n"
    )


def write_report(
    results: Sequence[ExperimentResult],
    path: str | os.PathLike[str],
    *,
    title: Text = DEFAULT_TITLE,
    meta: Text = "",
    summary: Table | None = None,
    lang: str = "auto",
) -> Path:
    """Render the report (see :func:`render_html`) and write it to ``path`` atomically."""
    page = render_html(results, title=title, meta=meta, summary=summary, lang=lang)
    return write_atomic(path, page)
