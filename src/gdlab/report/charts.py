"""What a figure of the report shows, as plain data: series, axes, controls and their states.

An experiment describes its figures with these records and never touches the plotting
library; :mod:`gdlab.report.figures` draws them with Bokeh in the browser. An interactive
section precomputes, with gdlab's engine, the data of every state its controls can select
(``Interactive.states``); the page only swaps those arrays in, it computes nothing itself, so
every path and number on screen is one the engine produced and the tests can read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
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
        The columns shown in the section's default state.
    legend : str or Bilingual, optional
        Label in the figure's legend (drawn as HTML beside the chart).
    """

    name: str
    kind: str
    data: Columns
    legend: Text | None = None
    color: str = "#1f77b4"
    dash: str = "solid"
    width: float = 2.0
    alpha: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"series kind must be one of {KINDS}, got {self.kind!r}")


@dataclass(frozen=True)
class Chart:
    """A figure: a title, two labelled axes and its series.

    ``x_range`` / ``y_range`` fix the view (a diverging path then leaves it instead of
    rescaling it); ``None`` lets the axis fit the data, or only series ``fit_to`` when given.
    ``vlines`` / ``hlines`` are reference lines ``(position, legend)``; ``x_ticks`` / ``y_ticks``
    place the ticks (``()``: none, for rows whose legend says what they are).
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

    def series_named(self, name: str) -> Series:
        """The series called ``name``."""
        for s in self.series:
            if s.name == name:
                return s
        raise KeyError(f"chart {self.name!r} has no series {name!r}")


@dataclass(frozen=True)
class Control:
    """A form control of an interactive section.

    ``kind`` is ``"select"`` (a drop-down), ``"range"`` (a slider over ``options`` in order)
    or ``"checkbox"`` (values ``"on"`` / ``"off"``). ``options`` are ``(value, label)`` pairs;
    the value is what the state keys use.
    """

    name: str
    label: Text
    kind: str
    options: tuple[tuple[str, Text], ...]
    default: str

    def __post_init__(self) -> None:
        if self.kind not in ("select", "range", "checkbox"):
            raise ValueError(f"control kind must be select, range or checkbox, got {self.kind!r}")
        values = [v for v, _ in self.options]
        if self.default not in values:
            raise ValueError(f"control {self.name!r}: default {self.default!r} not in {values}")


@dataclass(frozen=True)
class Readout:
    """A live number beside the figure (its value per state is in ``Interactive.states``)."""

    name: str
    label: Text


@dataclass(frozen=True)
class State:
    """What one setting of the controls shows: ``data[(chart, series)]`` and readout texts."""

    data: Mapping[tuple[str, str], Columns]
    readouts: Mapping[str, Text] = field(default_factory=dict)


def state_key(values: Mapping[str, str], controls: Sequence[Control]) -> str:
    """The key of a setting of the controls: ``"name=value|name=value"`` in control order.

    Examples
    --------
    >>> c = Control("scaling", "scaling", "select", (("raw", "raw"), ("z", "z")), "raw")
    >>> state_key({"scaling": "z"}, [c])
    'scaling=z'
    """
    return "|".join(f"{c.name}={values[c.name]}" for c in controls)


@dataclass(frozen=True)
class Interactive:
    """The controls of a section, its live readouts, and the data of every state."""

    controls: tuple[Control, ...]
    readouts: tuple[Readout, ...]
    states: Mapping[str, State]

    def __post_init__(self) -> None:
        default = self.default_key
        if default not in self.states:
            raise ValueError(f"the controls' default state {default!r} has no data")

    @property
    def default_key(self) -> str:
        """The state the page opens in."""
        return state_key({c.name: c.default for c in self.controls}, self.controls)
