"""一、3, scaling is affine: the data's shape, and their law, are kept.

The lesson's scatter of ``arrayGenReg(delta=0.01)`` (seed 24) before and after min-max: the
same cloud on new axes. The correlation between feature and label measures the shape; an
affine map with a positive factor leaves it unchanged, a negative factor flips its sign.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab import lesson
from gdlab.report.charts import Chart, Series
from gdlab.report.legacy_rng import lesson_seed
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.prose import Tiny
from gdlab.report.result import ExperimentResult
from gdlab.scaling import StandardScaler

PARAMS: tuple[Param, ...] = ()
t = words("affine")

Array = NDArray[np.float64]


def lesson_scatter() -> tuple[Array, Array]:
    """The lesson's plot: feature 0 and the label of ``arrayGenReg(delta=0.01)``, seed 24."""
    with lesson_seed(24):
        features, labels = lesson.arrayGenReg(delta=0.01)
    return features[:, 0], labels[:, 0]


def _corr(x: Array, y: Array) -> float:
    return float(np.corrcoef(x, y)[0, 1])


def measure() -> dict[str, Any]:
    """The numbers of the section.

    Returns
    -------
    dict
        ``corr_raw``, ``corr_minmax`` (feature and label both min-max scaled, as the lesson
        plots them), ``corr_zscore`` (both z-scored), ``corr_diff`` (the largest difference
        from ``corr_raw``), ``corr_negated`` (the feature multiplied by -1) and ``n_rows``.
    """
    x, y = lesson_scatter()
    z = StandardScaler().fit_transform(np.column_stack([x, y]))
    corr = {
        "corr_raw": _corr(x, y),
        "corr_minmax": _corr(lesson.maxmin_norm(x), lesson.maxmin_norm(y)),
        "corr_zscore": _corr(z[:, 0], z[:, 1]),
    }
    return {
        **corr,
        "corr_diff": Tiny(max(abs(v - corr["corr_raw"]) for v in corr.values())),
        "corr_negated": _corr(-x, y),
        "n_rows": len(x),
        "corr_law": 2 / math.sqrt(5),
    }


def _scatter(name: str, x: Array, y: Array, color: str, **options: Any) -> Chart:
    points = Series("points", "scatter", {"x": x, "y": y}, None, color, width=4, alpha=0.5)
    return Chart(
        name,
        t(f"fig.{name}"),
        t(f"fig.{name}_x"),
        t(f"fig.{name}_y"),
        (points,),
        height=300,
        half=True,
        **options,
    )


def run() -> ExperimentResult:
    """一、3: the lesson's scatter before and after min-max; the correlation is unchanged.

    Examples
    --------
    >>> r = run()
    >>> float(r.numbers["corr_diff"]) < 1e-12
    True
    """
    x, y = lesson_scatter()
    numbers = measure()
    charts = (
        _scatter("raw", x, y, "#1864ab"),
        _scatter(
            "minmax",
            lesson.maxmin_norm(x),
            lesson.maxmin_norm(y),
            "#d9480f",
            caption=t("fig.caption", **numbers),
        ),
    )
    return section_result("affine", numbers, charts=charts)
