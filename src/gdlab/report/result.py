"""What one experiment of the lesson report hands back: numbers, tables and figures.

An experiment is a plain function returning an :class:`ExperimentResult`. Figures are rendered
to PNG bytes as soon as they are drawn, so a result holds no live matplotlib state and the
HTML writer, the terminal summary and the tests all read the same immutable record.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Cell = str | int | float | None


def format_cell(value: Cell) -> str:
    """Format one table cell the same way in HTML and in the terminal.

    Integers get thousands separators; floats from 1e4 to 1e12 are rounded to whole numbers
    with separators, others get four significant digits (``"{:.4g}"``); NaN and ``None`` a
    hyphen.

    Examples
    --------
    >>> [format_cell(v) for v in (12000, -20002.9, 0.123456, 2.0e-7, float("nan"), "z")]
    ['12,000', '-20,003', '0.1235', '2e-07', '-', 'z']
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        # Large counts and ratios read better whole than as 2e+04.
        return f"{value:,.0f}" if 1e4 <= abs(value) < 1e12 else f"{value:.4g}"
    return str(value)


def count_text(count: float, budget: int) -> str:
    """An iteration count for prose: the number, or "more than <budget>" when never reached.

    Experiments store "not reached" as -1 so that their numbers stay floats.

    Examples
    --------
    >>> count_text(31.0, 100), count_text(-1.0, 100)
    ('31', 'more than 100')
    """
    return f"more than {budget:,}" if count < 0 else f"{count:,.0f}"


@dataclass(frozen=True)
class Table:
    """A titled table: column names and rows of cells.

    Examples
    --------
    >>> Table("kappa", ("data", "kappa"), (("raw", 1.0e4), ("z-score", 2.0)))
    Table(title='kappa', columns=('data', 'kappa'), n_rows=2)
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.title!r} has {len(self.columns)} columns but a row has "
                    f"{len(row)} cells; give one cell per column"
                )

    def __repr__(self) -> str:
        return f"Table(title={self.title!r}, columns={self.columns!r}, n_rows={len(self.rows)})"


@dataclass(frozen=True)
class Image:
    """A rendered figure: PNG bytes, a file-friendly name and a caption."""

    name: str
    caption: str
    png: bytes

    def __repr__(self) -> str:
        return f"Image(name={self.name!r}, caption={self.caption!r}, png=<{len(self.png)} bytes>)"


def render_png(fig: Any, *, dpi: int = 100) -> bytes:
    """Render a matplotlib figure to PNG bytes and close it (figures are not kept alive)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    finally:
        plt.close(fig)
    return buf.getvalue()


@dataclass(frozen=True)
class ExperimentResult:
    """One experiment of the lesson: what it shows and the numbers that show it.

    Parameters
    ----------
    key : str
        Short identifier, e.g. ``"contours"``.
    section : str
        Where the experiment sits in the lesson, e.g. ``"§6"``.
    title : str
        Heading in the report.
    text : str
        One paragraph saying what the experiment shows, quoting the measured numbers.
    numbers : Mapping[str, float]
        The measured numbers behind the paragraph (tests and the terminal summary read them).
    tables, images : sequences
        Tables and rendered figures, in report order.
    headline : str
        One line for the terminal summary table.
    """

    key: str
    section: str
    title: str
    text: str
    numbers: Mapping[str, float] = field(default_factory=dict)
    tables: Sequence[Table] = ()
    images: Sequence[Image] = ()
    headline: str = ""

    def __repr__(self) -> str:
        return (
            f"ExperimentResult(key={self.key!r}, section={self.section!r}, "
            f"numbers={sorted(self.numbers)!r}, n_tables={len(self.tables)}, "
            f"n_images={len(self.images)})"
        )
