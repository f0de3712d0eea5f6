"""The terminal side of the report: aligned plain-text tables."""

from __future__ import annotations

from collections.abc import Sequence

from gdlab.report.prose import Phrase
from gdlab.report.result import Cell, ExperimentResult, Table, format_cell
from gdlab.report.text import in_language, section_number


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters are two wide."""
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def format_table(table: Table, lang: str = "en") -> str:
    """Render a :class:`Table` as aligned plain text (numbers right-aligned), in ``lang``.

    Examples
    --------
    >>> print(format_table(Table("kappa", ("data", "kappa"), (("raw", 12000), ("z", 1.5)))))
    kappa
    data    kappa
    ----  ------
    raw   12,000
    z        1.5
    """
    cells = [[format_cell(c, lang) for c in row] for row in table.rows]
    names = [in_language(c, lang) for c in table.columns]
    widths = [
        max([_width(name), *(_width(row[i]) for row in cells)]) for i, name in enumerate(names)
    ]
    numeric = [
        all(row[i] is None or isinstance(row[i], int | float) for row in table.rows)
        and any(row[i] is not None for row in table.rows)
        for i in range(len(table.columns))
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            " " * (w - _width(v)) + v if num else v + " " * (w - _width(v))
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rows = [line(names), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    return "\n".join([in_language(table.title, lang), *rows])


def summary_table(results: Sequence[ExperimentResult]) -> Table:
    """One row per experiment: section, title and its headline measurement."""
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (section_number(r.section), r.title, r.headline) for r in results
    )
    return Table(
        Phrase("page.summary"),
        (
            Phrase("page.summary_section"),
            Phrase("page.summary_title"),
            Phrase("page.summary_measured"),
        ),
        rows,
    )
