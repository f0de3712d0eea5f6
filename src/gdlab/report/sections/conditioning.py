"""附录 1, conditioning: the loss's steepest and flattest curvature, raw and after each scaler.

The mean squared error of a linear model is a quadratic bowl. Its steepest curvature ``L`` and
its flattest ``mu`` (the extreme eigenvalues of the Hessian ``2 X^T X / m``) set the stable
rate ``2 / L`` and, through ``kappa = L / mu``, how many steps fixed-rate gradient descent
needs. On part 二's data every scaler lowers ``kappa``; z-score, which also centres the
columns, leaves only what the features' correlation ``r`` causes: ``(1 + r) / (1 - r)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.analysis import conditioning_table
from gdlab.report.charts import Chart, Series
from gdlab.report.data import CORRELATION, SCALINGS, regression_problem
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.prose import Predicted
from gdlab.report.result import Cell, ExperimentResult, Table
from gdlab.scaling import SCALERS

PARAMS = (Param("n_samples", 1000, 50, 100_000),)
RTOL = 1e-6
NAMES = ("raw", *SCALERS)
COLUMNS = ("L", "mu", "kappa", "limit", "rate", "predicted")
t = words("conditioning")

Array = NDArray[np.float64]


def measure(*, n_samples: int = 1000) -> dict[str, Any]:
    """The numbers of the section.

    Returns
    -------
    dict
        For ``s`` in ``raw`` and the keys of :data:`gdlab.scaling.SCALERS`: ``L_s``, ``mu_s``
        (steepest and flattest curvature of the mean squared error, intercept included),
        ``kappa_s``, ``limit_s`` (``2 / L``), ``rate_s`` (the per-step factor
        ``(kappa - 1) / (kappa + 1)`` at ``lr = 2 / (L + mu)``) and ``predicted_s`` (steps
        to ``||w - w*|| <= rtol ||w0 - w*||`` at that rate); ``corr`` (the features' sample
        correlation), ``kappa_corr`` (``(1 + corr) / (1 - corr)``), ``best`` and ``kappa_best``
        (the scaler with the lowest ``kappa``, named), ``rtol``, ``n_samples`` and
        ``correlation`` (the correlation the data are drawn with).
    """
    X, _ = regression_problem(n_samples)
    frame = conditioning_table(X, scalers=SCALERS, rtol=RTOL)
    numbers: dict[str, Any] = {"rtol": RTOL, "n_samples": n_samples, "correlation": CORRELATION}
    for name, row in frame.iterrows():
        kappa = float(row["kappa"])
        numbers.update(
            {
                f"L_{name}": float(row["L"]),
                f"mu_{name}": float(row["mu"]),
                f"kappa_{name}": kappa,
                f"limit_{name}": float(row["lr_stable"]),
                f"rate_{name}": (kappa - 1) / (kappa + 1),
                f"predicted_{name}": Predicted(float(row["predicted_iterations"])),
            }
        )
    r = float(np.corrcoef(X[:, 0], X[:, 1])[0, 1])
    best = min(SCALERS, key=lambda name: numbers[f"kappa_{name}"])
    numbers.update(
        {
            "corr": r,
            "kappa_corr": (1 + r) / (1 - r),
            "best": t(f"scaler.{best}"),
            "kappa_best": numbers[f"kappa_{best}"],
        }
    )
    return numbers


def _cell(numbers: dict[str, Any], column: str, name: str) -> Cell:
    value: Cell = numbers[f"{column}_{name}"]
    # Four significant digits would print 0.99997 as 1, which reads as "never converges".
    return f"{value:.6f}" if column == "rate" else value


def _table(numbers: dict[str, Any]) -> Table:
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (t(f"scaler.{name}"), *(_cell(numbers, c, name) for c in COLUMNS)) for name in NAMES
    )
    columns = (t("table.scaling"), *(t(f"table.{c}", **numbers) for c in COLUMNS))
    return Table(t("table.title", **numbers), columns, rows)


def _cloud(name: str, X: Array, color: str, numbers: dict[str, Any], **options: Any) -> Chart:
    points = Series(
        "points", "scatter", {"x": X[:, 0], "y": X[:, 1]}, None, color, width=4, alpha=0.4
    )
    return Chart(
        name,
        t(f"fig.{name}"),
        t(f"fig.{name}_x"),
        t(f"fig.{name}_y"),
        (points,),
        caption=t(f"fig.{name}_caption", **numbers),
        height=300,
        half=True,
        **options,
    )


def run(*, n_samples: int = 1000) -> ExperimentResult:
    """附录 1: the condition number of least squares on part 二's data, raw and scaled.

    Examples
    --------
    >>> r = run(n_samples=200)
    >>> r.numbers["kappa_zscore"] < r.numbers["kappa_minmax"] < r.numbers["kappa_raw"]
    True
    """
    numbers = measure(n_samples=n_samples)
    X, _ = regression_problem(n_samples)
    charts = (
        _cloud("raw", X, "#c92a2a", numbers),
        _cloud(
            "zscore",
            SCALINGS["z-score"](X),
            "#1864ab",
            numbers,
            x_range=(-4, 4),
            y_range=(-4, 4),
            equal_aspect=True,
        ),
    )
    return section_result("conditioning", numbers, tables=(_table(numbers),), charts=charts)
