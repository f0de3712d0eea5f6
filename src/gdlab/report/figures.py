"""Draw the report's :class:`~gdlab.report.charts.Chart` records as Bokeh figures.

Bokeh is imported only here and only when a page is built, so ``import gdlab.report`` stays
light. Every figure is drawn on a canvas at the screen's own pixel density (a lab redraws it on
every control change) and stretches to the width of its box. No drag tool is active, so a
swipe over a figure scrolls the page on a phone; pan and zoom are one tap away in the
toolbar, which is left off paper. Legends and titles are HTML beside the figure (so both
languages live in the page's text); the axis labels are the only words drawn inside the
figure, and :func:`draw_charts` returns them in both languages for the page's language
switch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gdlab.report.charts import Chart, Columns, Series, as_list
from gdlab.report.text import as_bilingual


def source_name(section: str, chart: str, series: str) -> str:
    """The name of a series' data source in the page: ``"<section>/<chart>/<series>"``.

    Examples
    --------
    >>> source_name("contours", "path", "w")
    'contours/path/w'
    """
    return f"{section}/{chart}/{series}"


def plain_columns(columns: Columns) -> dict[str, list[Any]]:
    """Columns as JSON-friendly lists (non-finite numbers become ``None``)."""
    out: dict[str, list[Any]] = {}
    for name, values in columns.items():
        if name in ("xs", "ys"):
            out[name] = [as_list(line) for line in values]
        else:
            out[name] = as_list(values)
    return out


# The columns of a series that a lab fills, before it does.
_EMPTY: dict[str, Columns] = {
    "line": {"x": [], "y": []},
    "scatter": {"x": [], "y": []},
    "multi_line": {"xs": [], "ys": []},
    "band": {"x": [], "lower": [], "upper": []},
    "vbar": {"x": [], "top": []},
}


def _bokeh_columns(columns: Columns) -> dict[str, Any]:
    import numpy as np

    out: dict[str, Any] = {}
    for name, values in columns.items():
        if name in ("xs", "ys"):
            out[name] = [np.asarray(line, dtype=np.float64) for line in values]
        else:
            out[name] = np.asarray(values, dtype=np.float64)
    return out


def _glyph(fig: Any, series: Series, source: Any, bottom: float) -> Any:
    style = {"color": series.color, "alpha": series.alpha}
    if series.kind == "line":
        return fig.line(
            "x", "y", source=source, line_width=series.width, line_dash=series.dash, **style
        )
    if series.kind == "scatter":
        return fig.scatter("x", "y", source=source, size=series.width, **style)
    if series.kind == "multi_line":
        return fig.multi_line(
            "xs", "ys", source=source, line_width=series.width, line_dash=series.dash, **style
        )
    if series.kind == "band":
        return fig.varea(
            "x", "lower", "upper", source=source, fill_color=series.color, fill_alpha=series.alpha
        )
    # vbar: ``width`` is the bar's width in data units; ``bottom`` the axis' lower end.
    return fig.vbar(
        "x",
        top="top",
        width=series.width,
        bottom=bottom,
        source=source,
        fill_color=series.color,
        line_color=series.color,
        alpha=series.alpha,
    )


_TOOLBAR_PRINT_CSS = "@media print { :host { display: none !important; } }"


def _forward_pointer(fig: Any, section: str, chart: str) -> None:
    """Send taps and drags on ``fig`` to the page's lab script (``window.gdlabPointer``)."""
    from bokeh.models import CustomJS

    callback = CustomJS(
        code=f"if (window.gdlabPointer) window.gdlabPointer({section!r}, {chart!r}, cb_obj);"
    )
    for event in ("tap", "panstart", "pan", "panend"):
        fig.js_on_event(event, callback)


def _reference_lines(fig: Any, chart: Chart) -> None:
    """The chart's vertical (dashed) and horizontal (dotted) reference lines."""
    from bokeh.models import Span  # type: ignore[attr-defined]

    for value, _ in chart.vlines:
        fig.add_layout(
            Span(
                location=value,
                dimension="height",
                line_dash="dashed",
                line_color="#444444",
                line_width=1.5,
            )
        )
    for value, _ in chart.hlines:
        fig.add_layout(
            Span(
                location=value,
                dimension="width",
                line_dash="dotted",
                line_color="#444444",
                line_width=1.5,
            )
        )


def draw_chart(section: str, chart: Chart) -> tuple[Any, list[dict[str, str]]]:
    """One Bokeh figure for ``chart`` and its axis labels ``[{id, attr, zh, en}, ...]``."""
    from bokeh.models import ColumnDataSource, InlineStyleSheet
    from bokeh.plotting import figure

    fig = figure(
        sizing_mode="stretch_width",
        height=chart.height,
        x_axis_type="log" if chart.x_log else "linear",
        y_axis_type="log" if chart.y_log else "linear",
        output_backend="canvas",
        tools="pan,box_zoom,reset",
        toolbar_location="above",
        match_aspect=chart.equal_aspect,
        name=f"{section}/{chart.name}",
    )
    # Nothing captures a swipe: the page scrolls; the pan tool is one tap away.
    fig.toolbar.active_drag = None
    # No logo: it links to bokeh.org, and the page links nowhere outside itself.
    fig.toolbar.logo = None
    # Not on paper: the toolbar lives in the figure's shadow root, out of the page style
    # sheet's reach, so it carries its own print rule.
    fig.toolbar.stylesheets = [InlineStyleSheet(css=_TOOLBAR_PRINT_CSS)]
    if chart.pointer:
        _forward_pointer(fig, section, chart.name)
    # The figure's ranges are DataRange1d objects; the stubs type them as the base Range.
    x_range: Any = fig.x_range
    y_range: Any = fig.y_range
    if chart.x_range is not None:
        x_range.start, x_range.end = chart.x_range
    if chart.y_range is not None:
        y_range.start, y_range.end = chart.y_range
    for series in chart.series:
        source = ColumnDataSource(
            _bokeh_columns(series.data or _EMPTY[series.kind]),
            name=source_name(section, chart.name, series.name),
        )
        # Bars start at the axis' lower end (on a log axis there is no 0 to start from).
        bottom = chart.y_range[0] if chart.y_range is not None else (1.0 if chart.y_log else 0.0)
        renderer = _glyph(fig, series, source, bottom)
        if series.name == chart.fit_to:
            x_range.renderers = [renderer]
            y_range.renderers = [renderer]
    _reference_lines(fig, chart)
    if chart.x_ticks is not None:
        fig.xaxis.ticker = list(chart.x_ticks)
    if chart.y_ticks is not None:
        fig.yaxis.ticker = list(chart.y_ticks)
    fig.axis.axis_label_text_font_size = "14px"
    fig.axis.major_label_text_font_size = "13px"
    labels = []
    for axes, text in ((fig.xaxis, chart.x_label), (fig.yaxis, chart.y_label)):
        words = as_bilingual(text)
        for axis in axes:
            axis.axis_label = words.en
            labels.append({"id": axis.id, "attr": "axis_label", "zh": words.zh, "en": words.en})
    return fig, labels


def draw_charts(
    sections: Sequence[tuple[str, Sequence[Chart]]],
) -> tuple[str, dict[tuple[str, str], str], list[dict[str, str]]]:
    """Draw every chart of every section into one Bokeh document.

    Returns
    -------
    script : str
        The ``<script>`` that renders the document into the page's placeholders.
    divs : dict
        ``(section, chart)`` -> the placeholder ``<div>`` for that figure.
    labels : list of dict
        The axis labels in both languages, for the language switch.
    """
    from bokeh.document import Document
    from bokeh.embed import components

    figures: dict[str, Any] = {}
    labels: list[dict[str, str]] = []
    for section, charts in sections:
        for chart in charts:
            fig, words = draw_chart(section, chart)
            figures[f"{section}/{chart.name}"] = fig
            labels.extend(words)
    if not figures:
        return "", {}, []
    # One document holds every figure, its model graph walked once: added one at a time,
    # each root would walk the graph of all before it again.
    document = Document()
    with document.models.freeze():
        for fig in figures.values():
            document.add_root(fig)
    script, divs = components(figures)
    keyed = {tuple(k.split("/", 1)): v for k, v in divs.items()}
    return script, keyed, labels  # type: ignore[return-value]


def bokeh_javascript() -> str:
    """BokehJS itself as ``<script>`` elements (the core bundle only: no widgets, no WebGL),
    inlined: the page needs no network."""
    from bokeh.resources import Resources

    return str(Resources(mode="inline", components=["bokeh"]).render_js())
