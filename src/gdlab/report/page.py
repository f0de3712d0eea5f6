"""The lesson as one self-contained HTML file: both languages, live labs, no network.

BokehJS, the style sheet, the page's engine and scripts and every figure's data are inlined,
so the file can be mailed, archived or opened from disk offline and works the same anywhere.

Stable hooks of the page (tests, the style sheet and the scripts rely on them; keep them):

- ``<html lang="zh|en" data-default-lang="zh|en|auto">``: ``lang`` is the language shown;
  ``auto`` opens in ``navigator.language``. ``data-ready="true"`` once the scripts have set
  up the language, the figures and every lab.
- ``<button id="lang-switch">`` toggles the language.
- Text exists in both languages as siblings ``<span lang="zh">`` / ``<span lang="en">``;
  elements that hold text only carry ``data-zh`` / ``data-en``.
- ``<h2 class="part">`` opens each part of the outline. Each section is ``<section id="KEY"
  class="lesson-section">``; its ``<p class="claim">`` is the claim; ``<script
  type="application/json" id="claims-KEY">`` holds its measured numbers.
- A lab is ``<div class="lab" data-section="KEY" data-kind="KIND">`` holding labelled form
  controls (``data-control``), an optional player (``button[data-player]``, ``output.counter``)
  and the readout grid (``td#readout-KEY-ROW-COLUMN``); ``<script id="lab-KEY">`` holds its
  setup, read by the controller ``window.gdlabLabs[KIND]``.
- Figures: ``<figure class="chart" data-chart="KEY/CHART">`` holding the Bokeh figure named
  ``KEY/CHART``; each series' data source is named ``KEY/CHART/SERIES``.
- ``window.gdlab`` is the page's engine (``descend``, ``scale``, ``conditioning``, ...).
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from gdlab.files import write_atomic
from gdlab.report.figures import bokeh_javascript, draw_charts
from gdlab.report.page_parts import (
    chart_html,
    image_html,
    json_script,
    lab_html,
    plain_attrs,
    table_html,
    teaching_html,
    words_html,
)
from gdlab.report.page_script import page_javascript
from gdlab.report.prose import LANGUAGES, Phrase, keys_under, phrases
from gdlab.report.result import ExperimentResult, Table
from gdlab.report.text import Text, section_number

# The style sheet ships as package data so it can be read and edited as CSS; it is inlined
# into every page so the file still opens offline on its own.
_CSS = resources.files("gdlab.report").joinpath("style.css").read_text(encoding="utf-8")
# Which language is shown is function, not style: it lives here, beside the script.
_LANG_CSS = 'html[lang="zh"] [lang="en"], html[lang="en"] [lang="zh"] { display: none !important; }'
DEFAULT_TITLE = Phrase("page.title")


def claims(result: ExperimentResult) -> dict[str, float | None]:
    """A section's numbers as JSON values: counts and predictions as numbers, "never" and
    infinities as ``null``; words (phrases, statuses) are left out."""
    out: dict[str, float | None] = {}
    for key, value in result.numbers.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        out[key] = number if math.isfinite(number) else None
    return out


def _section_html(result: ExperimentResult, divs: Mapping[tuple[str, str], str], lang: str) -> str:
    key = html.escape(result.key)
    number = plain_attrs(section_number(result.section), lang)
    claim = words_html(result.claim) if str(result.claim) else ""
    figures = "".join(chart_html(result.key, c, divs[(result.key, c.name)]) for c in result.charts)
    formulas, practice = teaching_html(result.key, result.numbers)
    parts = [
        f'<section id="{key}" class="lesson-section">',
        # The number holds text only (data-zh / data-en), so the heading's first language
        # span is its title.
        f'<h3><span class="number" {number[0]}>{number[1]}</span> {words_html(result.title)}</h3>',
        f'<p class="claim">{claim}</p>' if claim else "",
        formulas,
        lab_html(result.key, result.lab, lang) if result.lab is not None else "",
        f'<div class="figures">{figures}</div>' if figures else "",
        *(image_html(i) for i in result.images),
        f'<div class="text">{words_html(result.text, "p")}</div>' if str(result.text) else "",
        *(table_html(t) for t in result.tables),
        practice,
        json_script(f"claims-{result.key}", claims(result)),
        json_script(f"lab-{result.key}", dict(result.lab.setup)) if result.lab else "",
        "</section>",
    ]
    return "\n".join(p for p in parts if p)


def _part_intro(first: ExperimentResult) -> str:
    """The paragraph under a part's heading (``intro.<part>``), filled from the numbers of
    the part's first section; nothing when the part has none."""
    if not isinstance(first.part, Phrase):
        return ""
    key = "intro." + first.part.key.rsplit(".", 1)[-1]
    if key not in phrases("en"):
        return ""
    return f'<p class="part-intro">{words_html(Phrase(key, first.numbers))}</p>'


def live_words(results: Sequence[ExperimentResult]) -> dict[str, dict[str, str]]:
    """The phrases the labs' scripts fill live, in both languages: the shared ones and each
    lab's own (the page's ``<script id="words">``, the notebook widget's words)."""
    prefixes = ["common", "lab"]
    prefixes += [f"sections.{r.key}.{part}" for r in results if r.lab for part in ("lab", "fig")]
    keys = [k for p in prefixes for k in keys_under(p)]
    return {lang: {k: phrases(lang)[k] for k in keys} for lang in LANGUAGES}


def _share_html(url: str | None) -> str:
    """Where the page is served, as a QR code for phones (``gdlab demo --serve``)."""
    if url is None:
        return ""
    from gdlab.report.serve import qr_svg

    return (
        f'<aside class="share"><figure>{qr_svg(url)}<figcaption>'
        f'{words_html(Phrase("page.share"))} <a href="{html.escape(url)}">{html.escape(url)}</a>'
        "</figcaption></figure></aside>"
    )


def _body(
    results: Sequence[ExperimentResult],
    title: Text,
    meta: Text,
    summary: Table | None,
    lang: str,
    share: str | None,
) -> tuple[list[str], str]:
    script, divs, labels = draw_charts([(r.key, r.charts) for r in results if r.charts])
    toc = "".join(
        f'<li><a href="#{html.escape(r.key)}">{words_html(section_number(r.section))} '
        f"{words_html(r.title)}</a></li>"
        for r in results
    )
    sections, part = [], None
    for r in results:
        if str(r.part) and str(r.part) != part:
            part = str(r.part)
            sections.append(f'<h2 class="part">{words_html(r.part)}</h2>')
            sections.append(_part_intro(r))
        sections.append(_section_html(r, divs, lang))
    switch = f'<button id="lang-switch" type="button">{words_html(Phrase("page.switch"))}</button>'
    present = (
        f'<button id="present" type="button" aria-pressed="false">'
        f"{words_html(Phrase('page.present'))}</button>"
    )
    body = [
        f'<div class="page-tools">{present}{switch}</div>',
        f"<header><h1>{words_html(title)}</h1>",
        f'<p class="meta">{words_html(meta)}</p>' if str(meta) else "",
        _share_html(share),
        "</header>",
        f"<nav><ol>{toc}</ol></nav>",
        "<main>",
        *sections,
        "</main>",
        f'<section id="summary">{table_html(summary)}</section>' if summary is not None else "",
        json_script("words", live_words(results)),
        json_script("axis-labels", labels),
        f"<script>{page_javascript()}</script>",
        script,
    ]
    return [b for b in body if b], script


def render_html(
    results: Sequence[ExperimentResult],
    *,
    title: Text = DEFAULT_TITLE,
    meta: Text = "",
    summary: Table | None = None,
    lang: str = "auto",
    share: str | None = None,
) -> str:
    """Build the page's HTML text.

    Parameters
    ----------
    results : sequence of ExperimentResult
        The sections, in order; each becomes a ``<section>`` whose id is its key.
    title : str, Bilingual or Phrase
        Page title and top heading.
    meta : str, Bilingual or Phrase
        One line under the heading (how it was made, how long it took).
    summary : Table, optional
        A table of every section's headline, shown after the sections.
    lang : {"auto", "zh", "en"}
        The language the page opens in; ``"auto"`` follows the browser (``navigator.language``).
    share : str, optional
        The address the page is served at; shown at the top as a QR code for phones.

    Examples
    --------
    >>> r = ExperimentResult("k", "一、1", "Min-max", "Scales to [0, 1].")
    >>> page = render_html([r], lang="zh")
    >>> '<section id="k" class="lesson-section">' in page and '<html lang="zh"' in page
    True
    """
    if lang not in ("auto", "zh", "en"):
        raise ValueError(f"lang must be 'auto', 'zh' or 'en', got {lang!r}")
    shown = "en" if lang == "auto" else lang
    body, script = _body(results, title, meta, summary, shown, share)
    head_title = plain_attrs(title, shown)
    bokeh = bokeh_javascript() if script else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{shown}" data-default-lang="{lang}"><head>'
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title {head_title[0]}>{head_title[1]}</title>"
        f"<style>{_CSS}</style><style>{_LANG_CSS}</style>{bokeh}</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def write_report(
    results: Sequence[ExperimentResult], path: str | os.PathLike[str], **options: Any
) -> Path:
    """Render the page (see :func:`render_html` for ``options``) and write it to ``path``
    atomically."""
    return write_atomic(path, render_html(results, **options))
