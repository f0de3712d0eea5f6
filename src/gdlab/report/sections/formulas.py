"""一、1, the formulas: min-max, z-score (and where its small constant ε enters) and sigmoid.

Each formula runs twice on the lesson's ``a = np.arange(12).reshape(6, 2)``, once with the
course's helper (:mod:`gdlab.lesson`) and once with the library's scaler
(:mod:`gdlab.scaling`); the section shows the lesson's printed values, the largest difference
between the two implementations and what ε does to an ordinary and to a constant column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab import lesson
from gdlab.report.charts import Chart, Series
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.prose import Tiny
from gdlab.report.result import Cell, ExperimentResult, Table
from gdlab.report.text import Text
from gdlab.scaling import MinMaxScaler, SigmoidScaler, StandardScaler

PARAMS = (Param("eps", 1e-8, 1e-12, 1e-2),)
SCALINGS = ("minmax", "zscore", "sigmoid")
t = words("formulas")

Array = NDArray[np.float64]


def lesson_array() -> Array:
    """The lesson's ``a = np.arange(12).reshape(6, 2)``, as floats."""
    return np.arange(12, dtype=np.float64).reshape(6, 2)


def _scaled(a: Array) -> dict[str, tuple[Array, Array]]:
    """Each scaling of ``a``: the lesson's helper and gdlab's scaler."""
    return {
        "minmax": (lesson.maxmin_norm(a), MinMaxScaler().fit_transform(a)),
        "zscore": (lesson.z_score(a), StandardScaler().fit_transform(a)),
        "sigmoid": (np.asarray(lesson.sigmoid(a)), SigmoidScaler().fit_transform(a)),
    }


def _constant_column(eps: float) -> tuple[bool, float]:
    """The z-score of a constant column without ε (is it NaN?) and with ε (its value)."""
    constant = np.full((4, 1), 5.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        bare = lesson.z_score(constant)  # 0 / 0: the case the small constant is for
    guarded = (constant - constant.mean(0)) / (constant.std(0) + eps)
    return bool(np.isnan(bare).all()), float(guarded[0, 0])


def measure(*, eps: float = 1e-8) -> dict[str, Any]:
    """The numbers of the section.

    Returns
    -------
    dict
        ``max_diff_<s>`` for ``s`` in ``minmax``, ``zscore``, ``sigmoid`` and ``max_diff``
        (largest absolute difference between :mod:`gdlab.lesson` and :mod:`gdlab.scaling`),
        ``minmax_second`` (the min-max value of 2 in column 0), ``zscore_mean`` (largest
        |mean| of the z-scored columns), ``zscore_std``, ``sigma`` (column 0's standard
        deviation), ``eps``, ``eps_shift`` (largest change ε makes on ``a``),
        ``constant_without_eps`` (1.0: the lesson's formula gives NaN on a constant column),
        ``constant_with_eps``, ``sigmoid_4``, ``sigmoid_10`` and ``sigmoid_tail_gap``
        (sigmoid of 4 and of 10, and their difference).
    """
    a = lesson_array()
    scaled = _scaled(a)
    diffs = {k: float(np.max(np.abs(x - y))) for k, (x, y) in scaled.items()}
    z, sig = scaled["zscore"][1], scaled["sigmoid"][1]
    with_eps = StandardScaler(eps=eps).fit_transform(a)
    without_eps_nan, with_eps_constant = _constant_column(eps)
    return {
        **{f"max_diff_{k}": v for k, v in diffs.items()},
        "max_diff": Tiny(max(diffs.values())),
        "minmax_second": float(scaled["minmax"][1][1, 0]),
        "zscore_mean": float(np.abs(z.mean(0)).max()),
        "zscore_std": float(z.std(0)[0]),
        "sigma": float(a[:, 0].std()),
        "eps": eps,
        "eps_shift": float(np.max(np.abs(with_eps - z))),
        "constant_without_eps": float(without_eps_nan),
        "constant_with_eps": with_eps_constant,
        "sigmoid_4": float(sig[2, 0]),
        "sigmoid_10": float(sig[5, 0]),
        "sigmoid_tail_gap": float(sig[5, 0] - sig[2, 0]),
    }


def _tables(
    a: Array, scaled: dict[str, tuple[Array, Array]], numbers: dict[str, Any]
) -> tuple[Table, ...]:
    stacked = np.column_stack([a, *(scaled[s][1] for s in SCALINGS)])
    rows: tuple[tuple[Cell, ...], ...] = tuple(tuple(float(v) for v in row) for row in stacked)
    columns: tuple[Text, ...] = (
        "a0",
        "a1",
        *(t(f"table.{s}_{j}") for s in SCALINGS for j in (0, 1)),
    )
    values = Table(t("table.title"), columns, rows)
    without_eps = float(scaled["zscore"][1][0, 0])
    with_eps = float(StandardScaler(eps=numbers["eps"]).fit_transform(a)[0, 0])
    eps_rows: tuple[tuple[Cell, ...], ...] = (
        (t("eps_table.ordinary"), numbers["sigma"], without_eps, with_eps),
        (t("eps_table.constant"), 0.0, t("eps_table.nan"), numbers["constant_with_eps"]),
    )
    eps_columns = tuple(t(f"eps_table.{c}") for c in ("column", "sigma", "without", "with"))
    return values, Table(t("eps_table.title", **numbers), eps_columns, eps_rows)


def _chart(a: Array, scaled: dict[str, tuple[Array, Array]], numbers: dict[str, Any]) -> Chart:
    x = a[:, 0]
    colors = {"minmax": "#d9480f", "zscore": "#1864ab", "sigmoid": "#2b8a3e"}
    lines = tuple(
        Series(s, "line", {"x": x, "y": scaled[s][1][:, 0]}, t(f"fig.{s}"), colors[s])
        for s in SCALINGS
    )
    points = tuple(
        Series(
            f"{s}_points", "scatter", {"x": x, "y": scaled[s][1][:, 0]}, None, colors[s], width=7
        )
        for s in SCALINGS
    )
    return Chart(
        "maps",
        t("fig.title"),
        t("fig.x"),
        t("fig.y"),
        lines + points,
        caption=t("fig.caption", **numbers),
        height=320,
    )


def run(*, eps: float = 1e-8) -> ExperimentResult:
    """一、1: the three formulas on the lesson's ``a``, the lesson's helpers against gdlab's.

    Examples
    --------
    >>> r = run()  # the lesson prints z_score(a)[0, 0] = -1.46385011
    >>> float(r.numbers["max_diff"]) < 1e-12, round(r.tables[0].rows[0][4], 8)
    (True, -1.46385011)
    """
    a = lesson_array()
    scaled = _scaled(a)
    numbers = measure(eps=eps)
    return section_result(
        "formulas",
        numbers,
        tables=_tables(a, scaled, numbers),
        charts=(_chart(a, scaled, numbers),),
    )
