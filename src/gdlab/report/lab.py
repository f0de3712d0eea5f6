"""A section's lab: the controls a learner turns and the live readouts, computed in the page.

A lab names the page's controller that runs it (``kind``, a script under ``js/labs``) and
hands it plain JSON (``setup``: the data and fixed settings); the controller recomputes the
section's live figures and readouts with the page's engine on every control change. Python
declares what the learner sees (labelled controls, the readout grid); the words come from the
word files like every other text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gdlab.report.text import Text

CONTROL_KINDS = ("rate", "slider", "number", "select", "checkbox")


@dataclass(frozen=True)
class Control:
    """A labelled form control of a lab.

    ``kind`` is ``"rate"`` (a logarithmic slider from ``low`` to ``high`` beside a number box
    that takes any value), ``"slider"`` (numbers from ``low`` to ``high`` in ``step``),
    ``"number"`` (a box for any finite number, such as a coordinate of a starting point),
    ``"select"`` (a drop-down of ``options``: ``(value, label)`` pairs) or ``"checkbox"``.

    Examples
    --------
    >>> Control("lr", "learning rate", "rate", 0.1, low=0.01, high=2.0)
    Control('lr', kind='rate', default=0.1)
    """

    name: str
    label: Text
    kind: str
    default: float | str | bool
    options: tuple[tuple[str, Text], ...] = ()
    low: float = math.nan
    high: float = math.nan
    step: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in CONTROL_KINDS:
            raise ValueError(f"control kind must be one of {CONTROL_KINDS}, got {self.kind!r}")
        if self.kind == "select" and self.default not in [v for v, _ in self.options]:
            raise ValueError(f"control {self.name!r}: default {self.default!r} is not an option")
        if self.kind in ("rate", "slider") and not (
            isinstance(self.default, int | float) and self.low <= self.default <= self.high
        ):
            raise ValueError(
                f"control {self.name!r}: default {self.default!r} is not in "
                f"[{self.low}, {self.high}]"
            )

    def __repr__(self) -> str:
        return f"Control({self.name!r}, kind={self.kind!r}, default={self.default!r})"


@dataclass(frozen=True)
class Lab:
    """The live part of a section.

    Parameters
    ----------
    kind : str
        The page's controller (``window.gdlabLabs[kind]``).
    setup : mapping
        JSON-friendly data the controller starts from (the problem, the fixed settings).
    controls : tuple of Control
        In the order they are shown.
    columns, rows : tuple of (name, label) pairs
        The readout grid: one live value per row and column, ``readout-KEY-ROW-COLUMN``;
        a single unnamed column ``(("", ""),)`` for a plain list.
    player : bool
        Play / step / reset buttons and a step counter.
    actions : tuple of (name, label) pairs
        Buttons the controller answers (``action(name)``), such as putting the start back.
    data : bool
        A panel that takes the reader's own CSV file (read in the browser), its columns
        chosen with drop-downs the controller fills.
    """

    kind: str
    setup: Mapping[str, Any]
    controls: tuple[Control, ...]
    columns: tuple[tuple[str, Text], ...] = (("", ""),)
    rows: tuple[tuple[str, Text], ...] = ()
    player: bool = False
    actions: tuple[tuple[str, Text], ...] = ()
    data: bool = False

    def __repr__(self) -> str:
        names = [c.name for c in self.controls]
        return f"Lab(kind={self.kind!r}, controls={names!r}, player={self.player})"
