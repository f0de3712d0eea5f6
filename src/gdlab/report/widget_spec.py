"""What the notebook widget's front end gets from a section: its lab as the page draws it.

The widget shows one live section: the lab's controls, player and readout grid as the page's
markup (:func:`~gdlab.report.page_parts.lab_html`), its figures' titles, legends and captions
(:func:`~gdlab.report.page_parts.chart_html`) around an empty plot that the front end draws,
each figure's declaration as plain JSON (:func:`chart_spec`), the phrases the labs fill
(:func:`~gdlab.report.page.live_words`) and the controller's setup. Everything is JSON, with
no NaN: Jupyter's messages refuse it.
"""

from __future__ import annotations

import html
from typing import Any

from gdlab.report.charts import Chart
from gdlab.report.figures import plain_columns
from gdlab.report.page import live_words
from gdlab.report.page_parts import chart_html, lab_html, words_html
from gdlab.report.prose import LANGUAGES, Phrase, phrases
from gdlab.report.result import ExperimentResult
from gdlab.report.text import Text, as_bilingual, section_number

# The widget's own phrases, beside the labs' (the language switch).
_WIDGET_WORDS = ("page.switch",)


def _both(text: Text) -> dict[str, str]:
    words = as_bilingual(text)
    return {"zh": words.zh, "en": words.en}


def _pair(span: tuple[float, float] | None) -> list[float] | None:
    return None if span is None else [float(span[0]), float(span[1])]


def chart_spec(chart: Chart) -> dict[str, Any]:
    """A figure's declaration as JSON for the widget's plotter (``js/widget/plot.js``).

    Examples
    --------
    >>> from gdlab.report.charts import Series
    >>> spec = chart_spec(Chart("loss", "Loss", "step", "loss", (Series("run", "line"),),
    ...                         y_log=True, y_range=(1e-12, 1.0)))
    >>> spec["y_log"], spec["y_range"], spec["series"][0]["data"]
    (True, [1e-12, 1.0], {})
    """
    return {
        "name": chart.name,
        "x_label": _both(chart.x_label),
        "y_label": _both(chart.y_label),
        "x_log": chart.x_log,
        "y_log": chart.y_log,
        "x_range": _pair(chart.x_range),
        "y_range": _pair(chart.y_range),
        "height": chart.height,
        "equal_aspect": chart.equal_aspect,
        "fit_to": chart.fit_to,
        "pointer": chart.pointer,
        "x_ticks": None if chart.x_ticks is None else [float(v) for v in chart.x_ticks],
        "y_ticks": None if chart.y_ticks is None else [float(v) for v in chart.y_ticks],
        "vlines": [float(v) for v, _ in chart.vlines],
        "hlines": [float(v) for v, _ in chart.hlines],
        "series": [
            {
                "name": s.name,
                "kind": s.kind,
                "color": s.color,
                "dash": s.dash,
                "width": s.width,
                "alpha": s.alpha,
                "data": plain_columns(s.data),
            }
            for s in chart.series
        ],
    }


def _head_html(result: ExperimentResult) -> str:
    number = words_html(section_number(result.section))
    switch = words_html(Phrase("page.switch"))
    return (
        f'<div class="widget-head"><p class="widget-title"><span class="number">{number}</span>'
        f"{words_html(result.title)}</p>"
        f'<button type="button" class="lang-switch">{switch}</button></div>'
    )


def widget_spec(result: ExperimentResult, lang: str = "zh") -> dict[str, Any]:
    """The front end's description of a live section: ``key``, ``html``, ``charts``,
    ``words`` and ``setup``.

    ``lang`` is the language the markup opens in (the front end switches it later).

    Raises
    ------
    ValueError
        When ``result`` has no lab, or for a language other than ``"zh"`` or ``"en"``.

    Examples
    --------
    >>> from gdlab.report.sections import decay
    >>> spec = widget_spec(decay.run(n_samples=200, epochs=60), "en")
    >>> [c["name"] for c in spec["charts"]], 'data-kind="decay"' in spec["html"]
    (['loss', 'rate'], True)
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    if result.lab is None:
        raise ValueError(f"section {result.key!r} has no lab to show")
    figures = "".join(
        chart_html(result.key, c, f'<div class="plot" data-plot="{html.escape(c.name)}"></div>')
        for c in result.charts
    )
    words = live_words([result])
    for language in LANGUAGES:
        words[language].update({k: phrases(language)[k] for k in _WIDGET_WORDS})
    return {
        "key": result.key,
        "html": _head_html(result)
        + lab_html(result.key, result.lab, lang)
        + f'<div class="figures">{figures}</div>',
        "charts": [chart_spec(c) for c in result.charts],
        "words": words,
        "setup": dict(result.lab.setup),
    }
