"""一、4, one extreme value: min-max against z-score, and how far out a z-score can be.

Both maps are affine, so both squeeze the ordinary values together; what differs is the
reading. After min-max the outlier is just the maximum, 1; z-score reads in standard
deviations. But with ``n`` values no z-score exceeds ``sqrt(n - 1)`` (the squares of the
z-scores add up to ``n`` and the z-scores to 0), so the lesson's 4-row column can never show
more than 1.73 and a rule such as ``|z| > 3`` needs at least 11 values. The section shows the
lesson's 4 rows and a longer column where the rule finds the outlier and capping (盖帽)
restores the ordinary values' spread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.report.charts import Chart, Series
from gdlab.report.data import SEED
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.result import Cell, ExperimentResult, Table
from gdlab.report.text import Text
from gdlab.scaling import MinMaxScaler, StandardScaler

PARAMS = (
    Param("n_ordinary", 50, 3, 10_000),
    Param("outlier", 100.0, 10.0, 1e6),
    Param("threshold", 3.0, 2.0, 10.0),
)
t = words("outliers")

Array = NDArray[np.float64]


def lesson_table() -> Array:
    """The lesson's ``a = np.arange(8).reshape(4, 2)`` with ``a[1, 1] = 100``."""
    a = np.arange(8, dtype=np.float64).reshape(4, 2)
    a[1, 1] = 100.0
    return a


def _zscore(x: Array) -> Array:
    return np.asarray(StandardScaler().fit_transform(x[:, None])[:, 0], dtype=np.float64)


@dataclass(frozen=True)
class Column:
    """The longer column: ``n_ordinary`` values around 5 (seed 24) and the outlier last."""

    values: Array
    minmax: Array
    z: Array
    flagged: NDArray[np.bool_]
    capped: Array  # the values after capping (盖帽)
    z_capped: Array


def _column(n_ordinary: int, outlier: float, threshold: float) -> Column:
    rng = np.random.default_rng(SEED)
    values = np.append(5.0 + rng.standard_normal(n_ordinary), outlier)
    z = _zscore(values)
    flagged = np.abs(z) > threshold
    # 盖帽: flagged values are pulled in to the nearest value that was not flagged.
    kept = values[~flagged]
    capped = np.clip(values, kept.min(), kept.max())
    minmax = np.asarray(MinMaxScaler().fit_transform(values[:, None])[:, 0], dtype=np.float64)
    return Column(values, minmax, z, flagged, capped, _zscore(capped))


def _regime(outlier_z: float, cap: float, threshold: float) -> str:
    """Which sentence tells what the |z| rule did on the longer column."""
    if abs(outlier_z) > threshold:
        return "flagged"
    return "capped_by_n" if cap <= threshold else "not_far"


def measure(
    *, n_ordinary: int = 50, outlier: float = 100.0, threshold: float = 3.0
) -> dict[str, Any]:
    """The numbers of the section.

    Returns
    -------
    dict
        The lesson's 4 rows: ``minmax_others_span`` (span of the other three values of the
        second column after min-max), ``zscore_outlier``, ``zscore_others_max`` (largest |z|
        of the others), ``n_lesson`` and ``cap_lesson`` (``sqrt(n - 1)``). The longer column:
        ``n_column``, ``cap_column``, ``column_minmax_span`` (span of the ordinary values
        after min-max), ``column_zscore_outlier``, ``column_flagged`` (values with
        ``|z| > threshold``), ``sd_with_outlier``, ``sd_capped`` (standard deviations before
        and after capping), ``capped_zscore_span`` (span of the ordinary values' z-scores
        after capping); ``min_rows`` (fewest values for which ``|z| > threshold`` is
        possible), ``cap_below_min`` (the cap with one value fewer), ``regime`` and its
        ``sentence``, and the settings.
    """
    a = lesson_table()
    mm = MinMaxScaler().fit_transform(a)[:, 1]
    z = _zscore(a[:, 1])
    others = np.array([0, 2, 3])
    col = _column(n_ordinary, outlier, threshold)
    n_column = n_ordinary + 1
    # sqrt(n - 1) > threshold  <=>  n > threshold^2 + 1
    min_rows = math.floor(threshold**2 + 1) + 1
    numbers: dict[str, Any] = {
        "minmax_others_span": float(np.ptp(mm[others])),
        "zscore_outlier": float(z[1]),
        "zscore_others_max": float(np.abs(z[others]).max()),
        "n_lesson": len(a),
        "cap_lesson": math.sqrt(len(a) - 1),
        "n_ordinary": n_ordinary,
        "n_column": n_column,
        "cap_column": math.sqrt(n_column - 1),
        "outlier": outlier,
        "threshold": threshold,
        "column_minmax_span": float(np.ptp(col.minmax[:n_ordinary])),
        "column_zscore_outlier": float(col.z[-1]),
        "column_flagged": int(col.flagged.sum()),
        "sd_with_outlier": float(col.values.std()),
        "sd_capped": float(col.capped.std()),
        "capped_zscore_span": float(np.ptp(col.z_capped[:n_ordinary])),
        "min_rows": min_rows,
        "cap_below_min": math.sqrt(min_rows - 2),
    }
    numbers["regime"] = _regime(numbers["column_zscore_outlier"], numbers["cap_column"], threshold)
    numbers["sentence"] = t(f"sentence.{numbers['regime']}", **numbers)
    return numbers


def _tables(numbers: dict[str, Any]) -> tuple[Table, Table]:
    a = lesson_table()
    scaled = np.column_stack(
        [a, MinMaxScaler().fit_transform(a), StandardScaler().fit_transform(a)]
    )
    rows: tuple[tuple[Cell, ...], ...] = tuple(tuple(float(v) for v in r) for r in scaled)
    columns: tuple[Text, ...] = (
        "a0",
        "a1",
        *(t(f"table.{c}") for c in ("minmax_0", "minmax_1", "zscore_0", "zscore_1")),
    )
    lesson = Table(t("table.title"), columns, rows)
    caps: tuple[tuple[Cell, ...], ...] = tuple(
        (
            t(f"cap_table.{name}", **numbers),
            numbers[f"n_{name}"],
            abs(numbers[z_key]),
            numbers[f"cap_{name}"],
            t("cap_table.yes" if abs(numbers[z_key]) > numbers["threshold"] else "cap_table.no"),
        )
        for name, z_key in (("lesson", "zscore_outlier"), ("column", "column_zscore_outlier"))
    )
    cap_columns = tuple(t(f"cap_table.{c}", **numbers) for c in ("data", "n", "z", "cap", "beyond"))
    return lesson, Table(t("cap_table.title", **numbers), cap_columns, caps)


def _strips(col: Column, numbers: dict[str, Any]) -> Chart:
    rows = (
        ("minmax", col.minmax, 3.0, "#d9480f"),
        ("zscore", col.z, 2.0, "#1864ab"),
        ("capped", col.z_capped, 1.0, "#2b8a3e"),
    )
    series = tuple(
        Series(
            name,
            "scatter",
            {"x": x, "y": np.full(len(x), level)},
            t(f"fig.{name}", **numbers),
            color,
            width=9,
            alpha=0.6,
        )
        for name, x, level, color in rows
    )
    return Chart(
        "strips",
        t("fig.strips", **numbers),
        t("fig.value"),
        t("fig.treatments"),
        series,
        caption=t("fig.strips_caption", **numbers),
        y_range=(0.4, 3.6),
        vlines=((numbers["threshold"], t("fig.rule", **numbers)),),
        y_ticks=(),
        height=280,
    )


def _cap_chart(numbers: dict[str, Any]) -> Chart:
    n = np.unique(np.geomspace(2, max(1000, 2 * numbers["n_column"]), 200).round())
    points = (
        ("lesson", numbers["n_lesson"], numbers["zscore_outlier"], "#d9480f"),
        ("column", numbers["n_column"], numbers["column_zscore_outlier"], "#1864ab"),
    )
    series = (
        Series("cap", "line", {"x": n, "y": np.sqrt(n - 1)}, t("fig.cap_line"), "#495057"),
        *(
            Series(
                name,
                "scatter",
                {"x": [float(k)], "y": [abs(z)]},
                t(f"fig.cap_{name}", **numbers),
                color,
                width=12,
            )
            for name, k, z, color in points
        ),
    )
    return Chart(
        "cap",
        t("fig.cap"),
        t("fig.n"),
        t("fig.max_z"),
        series,
        caption=t("fig.cap_caption", **numbers),
        x_log=True,
        y_log=True,
        y_ticks=(1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0),
        hlines=((numbers["threshold"], t("fig.rule", **numbers)),),
        height=300,
    )


def run(
    *, n_ordinary: int = 50, outlier: float = 100.0, threshold: float = 3.0
) -> ExperimentResult:
    """一、4: the lesson's 4 rows and a longer column, min-max against z-score.

    Examples
    --------
    >>> r = run()  # the lesson prints 0.06060606 and 1.72970047
    >>> round(r.numbers["minmax_others_span"], 8), round(r.numbers["zscore_outlier"], 8)
    (0.06060606, 1.72970047)
    """
    numbers = measure(n_ordinary=n_ordinary, outlier=outlier, threshold=threshold)
    col = _column(n_ordinary, outlier, threshold)
    charts = (_strips(col, numbers), _cap_chart(numbers))
    return section_result("outliers", numbers, tables=_tables(numbers), charts=charts)
