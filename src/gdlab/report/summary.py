"""The terminal side of the report: aligned plain-text tables."""

from __future__ import annotations

from collections.abc import Sequence

from gdlab.report.result import Cell, ExperimentResult, Table, format_cell


def format_table(table: Table) -> str:
    """Render a :class:`Table` as aligned plain text (numbers right-aligned).

    Examples
    --------
    >>> print(format_table(Table("kappa", ("data", "kappa"), (("raw", 12000), ("z", 1.5)))))
    kappa
    data    kappa
    ----  ------
    raw   12,000
    z        1.5
    """
    cells = [[format_cell(c) for c in row] for row in table.rows]
    widths = [
        max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(table.columns)
    ]
    numeric = [
        all(row[i] is None or isinstance(row[i], int | float) for row in table.rows)
        and any(row[i] is not None for row in table.rows)
        for i in range(len(table.columns))
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rows = [line(table.columns), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    return "\n".join([table.title, *rows])


def summary_table(results: Sequence[ExperimentResult]) -> Table:
    """One row per experiment: section, title and its headline measurement."""
    rows: tuple[tuple[Cell, ...], ...] = tuple((r.section, r.title, r.headline) for r in results)
    return Table("gdlab demo: the lesson, measured", ("§", "experiment", "measured"), rows)
