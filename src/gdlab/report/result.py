"""What one section of the lesson hands back: numbers, tables, figures and its lab.

A section is a plain function returning an :class:`ExperimentResult`. Its words are phrases of
the word files (:mod:`gdlab.report.prose`) filled from its numbers; its figures are plain data
(:mod:`gdlab.report.charts`, drawn in the browser) or PNG bytes rendered as soon as they are
drawn, so a result holds no live plotting state and the page, the notebooks, the terminal
summary and the tests all read the same immutable record.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gdlab.report.prose import Count, Phrase, Predicted, Status
from gdlab.report.text import Bilingual, Text

if TYPE_CHECKING:
    from gdlab.report.charts import Chart
    from gdlab.report.lab import Lab

Cell = str | int | float | Bilingual | Phrase | Count | Predicted | Status | None


def format_cell(value: Cell, lang: str = "en") -> str:
    """Format one table cell the same way in HTML and in the terminal.

    Integers get thousands separators; floats from 1e4 to 1e12 are rounded to whole numbers
    with separators, others get four significant digits (``"{:.4g}"``); NaN and ``None`` a
    hyphen.

    Examples
    --------
    >>> [format_cell(v) for v in (12000, -20002.9, 0.123456, 2.0e-7, float("nan"), "z")]
    ['12,000', '-20,003', '0.1235', '2e-07', '-', 'z']
    """
    if isinstance(value, Bilingual | Phrase):
        return value.get(lang)
    if isinstance(value, Count | Predicted | Status):
        return value.in_language(lang)
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


@dataclass(frozen=True)
class Table:
    """A titled table: column names and rows of cells.

    Examples
    --------
    >>> Table("kappa", ("data", "kappa"), (("raw", 1.0e4), ("z-score", 2.0)))
    Table(title='kappa', columns=('data', 'kappa'), n_rows=2)
    """

    title: Text
    columns: tuple[Text, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.title!r} has {len(self.columns)} columns but a row has "
                    f"{len(row)} cells; give one cell per column"
                )

    def __repr__(self) -> str:
        title, columns = str(self.title), tuple(str(c) for c in self.columns)
        return f"Table(title={title!r}, columns={columns!r}, n_rows={len(self.rows)})"


@dataclass(frozen=True)
class Image:
    """A rendered figure: PNG bytes, a file-friendly name and a caption."""

    name: str
    caption: Text
    png: bytes

    def __repr__(self) -> str:
        caption = str(self.caption)
        return f"Image(name={self.name!r}, caption={caption!r}, png=<{len(self.png)} bytes>)"


def render_png(fig: Any, *, dpi: int = 200) -> bytes:
    """Render a matplotlib figure to PNG bytes and close it (figures are not kept alive).

    The default 200 dpi is twice a screen's resolution, so the figure stays sharp on a
    projector or a phone's high-density screen.
    """
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
        Short identifier, e.g. ``"contours"``; the section's ``id`` on the page.
    section : str
        Where the experiment sits in the lesson's outline, e.g. ``"一、3"``.
    title : str or Bilingual
        Heading in the report.
    text : str or Bilingual
        The explanation, quoting the measured numbers.
    numbers : Mapping[str, Any]
        The measured numbers behind the claim: floats, and :class:`~gdlab.report.prose.Count`
        or :class:`~gdlab.report.prose.Status` where words depend on the value. Tests assert
        the claims on them; the prose's slots and the page's claims JSON read them.
    tables, images : sequences
        Tables and static figures, in report order.
    headline : str or Bilingual
        One line for the terminal summary table.
    claim : str or Bilingual
        The section's point in one sentence, shown first.
    charts : sequence of Chart
        Figures drawn in the browser (Bokeh), in report order.
    lab : Lab, optional
        The section's live part: controls, readouts and the data its page controller runs.
    part : str or Bilingual
        The lesson's part the section belongs to (a heading is drawn when it changes).
    """

    key: str
    section: str
    title: Text
    text: Text
    numbers: Mapping[str, Any] = field(default_factory=dict)
    tables: Sequence[Table] = ()
    images: Sequence[Image] = ()
    headline: Text = ""
    claim: Text = ""
    charts: Sequence[Chart] = ()
    lab: Lab | None = None
    part: Text = ""

    def __repr__(self) -> str:
        return (
            f"ExperimentResult(key={self.key!r}, section={self.section!r}, "
            f"numbers={sorted(self.numbers)!r}, n_tables={len(self.tables)}, "
            f"n_images={len(self.images)})"
        )
