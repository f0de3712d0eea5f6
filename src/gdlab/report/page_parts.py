"""The pieces of a section on the page, as HTML: words, tables, figures, a lab's controls.

Every text exists in both languages, as sibling ``<span lang="zh">`` / ``<span lang="en">``
elements (the style sheet shows the page's language); elements that can hold text only
(``<option>``, ``<title>``) carry ``data-zh`` / ``data-en`` instead.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Mapping

from gdlab.report.charts import Chart
from gdlab.report.lab import Control, Lab
from gdlab.report.maths import bare, mathml, rich_html
from gdlab.report.prose import Count, Phrase, Predicted, keys_under, phrases
from gdlab.report.result import Image, Table, format_cell
from gdlab.report.text import Text, as_bilingual


def words_html(text: Text, tag: str = "span") -> str:
    """``text`` as two sibling elements, one per language (one if both agree), its ``$...$``
    typeset as MathML."""
    words = as_bilingual(text)
    if words.zh == words.en:
        return rich_html(words.en)
    return (
        f'<{tag} lang="zh">{rich_html(words.zh)}</{tag}>'
        f'<{tag} lang="en">{rich_html(words.en)}</{tag}>'
    )


def plain_attrs(text: Text, lang: str = "en") -> tuple[str, str]:
    """For an element that holds text only: its ``data-zh``/``data-en`` attributes and its
    text in ``lang`` (what shows before the script runs)."""
    words = as_bilingual(text)
    zh, en = bare(words.zh), bare(words.en)
    return (
        f'data-zh="{html.escape(zh)}" data-en="{html.escape(en)}"',
        html.escape(zh if lang == "zh" else en),
    )


def json_script(ident: str, payload: object) -> str:
    """``payload`` as an inert ``<script type="application/json">``."""
    text = json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    # "</" would end the <script> element early; JSON allows the escaped form.
    text = text.replace("</", "<\\/")
    return f'<script type="application/json" id="{ident}">{text}</script>'


def table_html(table: Table) -> str:
    """A table in a box that scrolls sideways on its own, so a phone's page never runs wide."""
    head = "".join(f"<th>{words_html(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for value in row:
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(f'<td class="num">{html.escape(format_cell(value))}</td>')
            elif isinstance(value, str) or value is None:
                cells.append(f"<td>{html.escape(format_cell(value))}</td>")
            else:
                num = ' class="num"' if isinstance(value, Count | Predicted) else ""
                text = _pair(format_cell(value, "zh"), format_cell(value, "en"))
                cells.append(f"<td{num}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="table-scroll"><table><caption>{words_html(table.title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _pair(zh: str, en: str) -> str:
    if zh == en:
        return html.escape(en)
    return f'<span lang="zh">{html.escape(zh)}</span><span lang="en">{html.escape(en)}</span>'


def image_html(image: Image) -> str:
    """A rendered PNG figure, inlined."""
    data = base64.b64encode(image.png).decode("ascii")
    alt = html.escape(as_bilingual(image.caption).en)
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{alt}">'
        f"<figcaption>{words_html(image.caption)}</figcaption></figure>"
    )


def chart_html(key: str, chart: Chart, div: str) -> str:
    """A figure: its title, the Bokeh placeholder, an HTML legend and its caption."""
    items = "".join(
        f'<li data-series="{html.escape(s.name)}"><span class="swatch" '
        f'style="background:{html.escape(s.color)}"></span>{words_html(s.legend)}</li>'
        for s in chart.series
        if s.legend is not None
    )
    items += "".join(
        f'<li><span class="swatch swatch-rule"></span>{words_html(label)}</li>'
        for _, label in (*chart.vlines, *chart.hlines)
    )
    legend = f'<ul class="legend">{items}</ul>' if items else ""
    caption = f"<figcaption>{words_html(chart.caption)}</figcaption>" if str(chart.caption) else ""
    ident = f"{html.escape(key)}/{html.escape(chart.name)}"
    size = " half" if chart.half else ""
    return (
        f'<figure class="chart{size}" data-chart="{ident}">'
        f'<p class="chart-title" id="title-{key}-{html.escape(chart.name)}">'
        f"{words_html(chart.title)}</p>{div}{legend}{caption}</figure>"
    )


def _control_html(key: str, c: Control, lang: str) -> str:
    ident = f"control-{key}-{c.name}"
    label = f'<label for="{ident}">{words_html(c.label)}</label>'
    data = f'data-control="{html.escape(c.name)}"'
    if c.kind == "select":
        options = "".join(
            f'<option value="{html.escape(v)}" {plain_attrs(t, lang)[0]}'
            f"{' selected' if v == c.default else ''}>{plain_attrs(t, lang)[1]}</option>"
            for v, t in c.options
        )
        return f'<div class="control">{label}<select id="{ident}" {data}>{options}</select></div>'
    if c.kind == "checkbox":
        checked = " checked" if c.default else ""
        return (
            f'<div class="control"><label for="{ident}" class="check"><input type="checkbox" '
            f'id="{ident}" {data}{checked}> {words_html(c.label)}</label></div>'
        )
    if c.kind == "number":
        return (
            f'<div class="control">{label}<input type="number" id="{ident}" {data} step="any" '
            f'value="{c.default:g}" inputmode="decimal"></div>'
        )
    if c.kind == "slider":
        return (
            f'<div class="control">{label}<input type="range" id="{ident}" {data} '
            f'min="{c.low:g}" max="{c.high:g}" step="{c.step:g}" value="{c.default:g}">'
            f'<output for="{ident}">{c.default:g}</output></div>'
        )
    # A rate: a log slider for sweeping and a number box for any value; the box is the
    # control (the label points at it), the slider moves it.
    low, high, value = (math.log10(v) for v in (c.low, c.high, float(c.default)))
    return (
        f'<div class="control rate">{label}<input type="range" id="{ident}-slider" '
        f'data-rate-for="{html.escape(c.name)}" min="{low:.6g}" max="{high:.6g}" step="0.001" '
        f'value="{value:.6g}" aria-label="{html.escape(as_bilingual(c.label).get(lang))}">'
        f'<input type="number" id="{ident}" {data} min="0" step="any" value="{c.default:g}" '
        f'inputmode="decimal"></div>'
    )


def _player_html(lang: str) -> str:
    buttons = "".join(
        f'<button type="button" data-player="{name}">{words_html(Phrase(f"lab.{name}"))}</button>'
        for name in ("play", "step", "reset")
    )
    return f'<div class="player">{buttons}<output class="counter" aria-live="off"></output></div>'


def _readouts_html(key: str, lab: Lab) -> str:
    if not lab.rows:
        return ""
    named = any(name for name, _ in lab.columns)
    head = (
        "<thead><tr><th></th>"
        + "".join(
            f'<th id="readout-{key}-head-{html.escape(n)}">{words_html(label)}</th>'
            for n, label in lab.columns
        )
        + "</tr></thead>"
        if named
        else ""
    )
    rows = "".join(
        f'<tr><th scope="row">{words_html(label)}</th>'
        + "".join(f'<td id="readout-{key}-{row}-{col}"></td>' for col, _ in lab.columns)
        + "</tr>"
        for row, label in lab.rows
    )
    return (
        f'<div class="table-scroll"><table class="readouts">{head}<tbody>{rows}</tbody>'
        "</table></div>"
    )


def _data_html(key: str) -> str:
    """The panel for a reader's own CSV file: a file input (the panel also takes a drop) and
    the drop-downs for two features and the target."""

    def word(name: str) -> str:
        return words_html(Phrase(f"sections.{key}.lab.data_{name}"))

    ident = f"data-{key}"
    selects = "".join(
        f'<div class="control"><label for="{ident}-{c}">{word(c)}</label>'
        f'<select id="{ident}-{c}" data-column="{c}" disabled></select></div>'
        for c in ("x1", "x2", "y")
    )
    return (
        f'<details class="data-panel"><summary>{word("title")}</summary>'
        f'<p class="data-note">{word("note")}</p><div class="controls">'
        f'<div class="control"><label for="{ident}-file">{word("file")}</label>'
        f'<input type="file" id="{ident}-file" accept=".csv,.tsv,.txt,text/csv,text/plain">'
        f'</div>{selects}<div class="control"><button type="button" data-action="lesson_data">'
        f"{word('lesson')}</button></div></div></details>"
    )


def lab_html(key: str, lab: Lab, lang: str) -> str:
    """A lab's controls, its player, its readout grid and its message line."""
    controls = "".join(_control_html(key, c, lang) for c in lab.controls)
    controls += "".join(
        f'<div class="control"><button type="button" data-action="{html.escape(name)}">'
        f"{words_html(label)}</button></div>"
        for name, label in lab.actions
    )
    player = _player_html(lang) if lab.player else ""
    data = _data_html(key) if lab.data else ""
    return (
        f'<div class="lab" data-section="{html.escape(key)}" data-kind="{html.escape(lab.kind)}">'
        f'{data}<div class="controls">{controls}</div>{player}{_readouts_html(key, lab)}'
        '<p class="lab-message" role="status" aria-live="polite"></p></div>'
    )


def _numbered(prefix: str) -> list[str]:
    """The indices of the list at ``prefix`` in the word files (``hints.0``, ``hints.1``, ...)."""
    return sorted({k[len(prefix) + 1 :].split(".")[0] for k in keys_under(prefix)}, key=int)


def teaching_html(key: str, values: Mapping[str, object]) -> tuple[str, str]:
    """A section's formulas (before its lab), and its hints and exercises (after its text).

    Formulas are ``sections.KEY.formulas.N.tex`` (LaTeX, the same in both languages) with a
    sentence ``where`` that defines their symbols; hints are ``sections.KEY.hints.N``;
    exercises ``sections.KEY.exercises.N.q`` with the answer ``a`` behind a disclosure.
    """
    base = f"sections.{key}"
    formulas = "".join(
        f'<div class="formula">{mathml(phrases("en")[f"{base}.formulas.{i}.tex"], "block")}'
        f'<p class="where">{words_html(Phrase(f"{base}.formulas.{i}.where", values))}</p></div>'
        for i in _numbered(f"{base}.formulas")
    )
    hints = "".join(
        f"<li>{words_html(Phrase(f'{base}.hints.{i}', values))}</li>"
        for i in _numbered(f"{base}.hints")
    )
    exercises = "".join(
        f"<li><p>{words_html(Phrase(f'{base}.exercises.{i}.q', values))}</p><details><summary>"
        f"{words_html(Phrase('page.answer'))}</summary>"
        f"<p>{words_html(Phrase(f'{base}.exercises.{i}.a', values))}</p></details></li>"
        for i in _numbered(f"{base}.exercises")
    )
    before = f'<div class="formulas">{formulas}</div>' if formulas else ""
    after = (
        f'<aside class="hints"><h4>{words_html(Phrase("page.hints"))}</h4><ul>{hints}</ul></aside>'
        if hints
        else ""
    )
    if exercises:
        after += (
            f'<div class="exercises"><h4>{words_html(Phrase("page.exercises"))}</h4>'
            f"<ol>{exercises}</ol></div>"
        )
    return before, after
