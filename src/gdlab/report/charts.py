"""What a figure of the report shows, as plain data: series, axes, reference lines.

A section describes its figures with these records and never touches the plotting library;
:mod:`gdlab.report.figures` draws them with Bokeh in the browser. A static figure carries its
data; a live one (drawn by a section's lab, :mod:`gdlab.report.lab`) starts empty and the
page's engine fills its series on every control change.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gdlab.report.text import Text

# Column name -> values: a 1-D array or list, or for multi_line a list of such lines.
Columns = Mapping[str, Any]

KINDS = ("line", "scatter", "multi_line", "band", "vbar")


def as_list(values: object, floor: float | None = None) -> list[float | None]:
    """A 1-D array as a JSON-friendly list: non-finite values become ``None`` (JSON null).

    ``floor`` clips from below first, for log axes where 0 cannot be drawn.

    Examples
    --------
    >>> as_list([1.0, float("inf"), 0.0], floor=1e-16)
    [1.0, None, 1e-16]
    """
    arr = np.asarray(values, dtype=np.float64).ravel()
    if floor is not None:
        arr = np.where(np.isfinite(arr), np.maximum(arr, floor), arr)
    return [float(v) if math.isfinite(v) else None for v in arr.tolist()]


def decade_ticks(low: float, high: float, most: int = 6) -> tuple[float, ...]:
    """Powers of ten from ``low`` to ``high``, every k-th decade so at most ``most`` remain.

    A log axis over many decades labels each one by default; a live figure measures every
    label again on each redraw, so fewer labels redraw faster and read as easily.

    Examples
    --------
    >>> decade_ticks(1e-12, 1e4)
    (1e-12, 1e-08, 0.0001, 1.0, 10000.0)
    """
    first, last = round(math.log10(low)), round(math.log10(high))
    step = max(1, math.ceil((last - first) / (most - 1)))
    return tuple(10.0**e for e in range(last, first - 1, -step))[::-1]


@dataclass(frozen=True)
class Series:
    """One glyph of a chart: a line, points, contour lines, a band between two curves or bars.

    Parameters
    ----------
    name : str
        Unique within its chart; the page's data source is named ``"<section>/<chart>/<name>"``.
    kind : str
        One of ``"line"``, ``"scatter"``, ``"multi_line"`` (columns ``xs``, ``ys``: lists of
        lines), ``"band"`` (columns ``x``, ``lower``, ``upper``), ``"vbar"`` (``x``, ``top``).
    data : mapping of column name to list
        The columns shown; empty for a series a lab fills.
    legend : str or Bilingual, optional
        Label in the figure's legend (drawn as HTML beside the chart).
    """

    name: str
    kind: str
    data: Columns = field(default_factory=dict)
    legend: Text | None = None
    color: str = "#1f77b4"
    dash: str = "solid"
    width: float = 2.0
    alpha: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"series kind must be one of {KINDS}, got {self.kind!r}")


def guide(name: str, legend: Text) -> Series:
    """A thin dotted grey line a lab draws to mark a target or a tolerance."""
    return Series(name, "line", legend=legend, color="#555555", width=1, dash="dotted")


@dataclass(frozen=True)
class Chart:
    """A figure: a title, two labelled axes and its series.

    ``x_range`` / ``y_range`` fix the view (a diverging path then leaves it instead of
    rescaling it); ``None`` lets the axis fit the data, or only series ``fit_to`` when given.
    ``vlines`` / ``hlines`` are reference lines ``(position, legend)``; ``x_ticks`` / ``y_ticks``
    place the ticks (``()``: none, for rows whose legend says what they are); a log axis with a
    fixed range is labelled at a few decades by default (:func:`decade_ticks`). ``pointer``
    sends taps and drags on the figure to the section's lab (to move a starting point).
    ``half`` figures stand two to a row on a wide screen (one above the other on a phone), so
    the two sides of a comparison are seen at once.
    """

    name: str
    title: Text
    x_label: Text
    y_label: Text
    series: tuple[Series, ...]
    caption: Text = ""
    x_log: bool = False
    y_log: bool = False
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    height: int = 340
    equal_aspect: bool = False
    vlines: tuple[tuple[float, Text], ...] = ()
    hlines: tuple[tuple[float, Text], ...] = ()
    fit_to: str | None = None
    y_ticks: tuple[float, ...] | None = None
    x_ticks: tuple[float, ...] | None = None
    pointer: bool = False
    half: bool = False

    def __post_init__(self) -> None:
        if self.y_ticks is None and self.y_log and self.y_range is not None:
            object.__setattr__(self, "y_ticks", decade_ticks(*self.y_range))

    def series_named(self, name: str) -> Series:
        """The series called ``name``."""
        for s in self.series:
            if s.name == name:
                return s
        raise KeyError(f"chart {self.name!r} has no series {name!r}")
