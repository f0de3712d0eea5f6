"""附录 3, iterations to a tolerance: the theory's count against the measured one.

At ``lr = 2 / (L + mu)`` each step of fixed-rate gradient descent on a quadratic leaves at most
``q = (kappa - 1) / (kappa + 1)`` of the distance to the minimum, which predicts the steps to a
relative tolerance: ``ceil(log(rtol) / log(q))`` (:func:`gdlab.analysis.theory_vs_measured`).
The prediction is an upper bound; a run whose starting error lies partly along directions
that shrink faster needs fewer steps.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.analysis import conditioning, theory_vs_measured
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.charts import Chart, Series
from gdlab.report.data import appendix_problems
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.prose import Count, Predicted, Status
from gdlab.report.result import Cell, ExperimentResult, Table

PARAMS: tuple[Param, ...] = ()
RTOL = 1e-6
MAX_BUDGET = 100_000
COLORS = ("#c92a2a", "#1864ab", "#d9480f", "#2b8a3e")
t = words("iterations")

Array = NDArray[np.float64]


def _problem(A: Array, y: Array) -> tuple[dict[str, Any], Array]:
    """One problem's numbers, and its relative distance to the minimum at every step."""
    model = LeastSquares()
    cond = conditioning(A, intercept=False)
    w_star = model.optimum(A, y)
    budget = int(min(cond.predicted_iterations(RTOL), MAX_BUDGET)) + 10
    run = descend(model, A, y, lr=cond.lr_best, epochs=budget, record="step")
    check = theory_vs_measured(run, cond, w_star, RTOL)
    hit = check.measured
    status = "diverged" if run.status == "diverged" else "converged" if hit else "not_within"
    dist = np.linalg.norm(np.asarray(run.params) - w_star, axis=1)
    numbers = {
        "L": cond.L,
        "mu": cond.mu,
        "kappa": cond.kappa,
        "lr": check.lr,
        "rate": check.rate,
        "predicted": Predicted(check.predicted),
        "measured": Count(hit, budget),
        "status": Status(status),
    }
    return numbers, dist / dist[0]


def _measure() -> tuple[dict[str, Any], dict[str, Array]]:
    numbers: dict[str, Any] = {"rtol": RTOL}
    curves: dict[str, Array] = {}
    for key, (A, y) in appendix_problems().items():
        found, curves[key] = _problem(A, y)
        numbers.update({f"{name}_{key}": v for name, v in found.items()})
    keys = list(curves)
    pairs = [(float(numbers[f"measured_{k}"]), float(numbers[f"predicted_{k}"])) for k in keys]
    rate = numbers["rate_lesson_raw"]
    numbers["steps_exact_lesson_raw"] = math.log(RTOL) / math.log(rate)
    numbers["all_within_bound"] = float(all(m <= p for m, p in pairs))
    numbers["n_exact"] = sum(m == p for m, p in pairs)
    numbers["n_problems"] = len(keys)
    return numbers, curves


def measure() -> dict[str, Any]:
    """The numbers of the section.

    Returns
    -------
    dict
        For the problems ``lesson_raw``, ``lesson_zscore``, ``part2_minmax``,
        ``part2_zscore``: ``L_<p>``, ``mu_<p>``, ``kappa_<p>``, ``lr_<p>`` (2 / (L + mu)),
        ``rate_<p>`` (the per-step factor ``(kappa - 1) / (kappa + 1)``), ``predicted_<p>``
        (:class:`~gdlab.report.prose.Predicted`), ``measured_<p>``
        (:class:`~gdlab.report.prose.Count`: steps until ``||w - w*|| <= rtol ||w0 - w*||``,
        within the predicted count plus 10) and ``status_<p>``; ``all_within_bound``,
        ``n_exact`` (problems whose measured count equals the predicted one),
        ``n_problems``, ``steps_exact_lesson_raw`` (``log(rtol) / log(q)`` before rounding
        up) and ``rtol``.
    """
    return _measure()[0]


def _table(numbers: dict[str, Any]) -> Table:
    columns = ("kappa", "lr", "rate", "predicted", "measured", "status")
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            t(f"problem.{key}"),
            numbers[f"kappa_{key}"],
            numbers[f"lr_{key}"],
            # Six digits: 0.99686 at four would read 0.9969, and 0.9999 as 1.
            f"{numbers[f'rate_{key}']:.6f}",
            numbers[f"predicted_{key}"],
            numbers[f"measured_{key}"],
            numbers[f"status_{key}"],
        )
        for key in appendix_problems()
    )
    head = (t("table.problem"), *(t(f"table.{c}", **numbers) for c in columns))
    return Table(t("table.title", **numbers), head, rows)


def _chart(curves: dict[str, Array], numbers: dict[str, Any]) -> Chart:
    series: list[Series] = []
    # Steps from 1 on a log axis; each run's first step within the tolerance is marked,
    # so a run of one step still shows.
    for (key, dist), color in zip(curves.items(), COLORS, strict=True):
        k = np.arange(1, len(dist))
        name = t(f"problem.{key}")
        bound = numbers[f"rate_{key}"] ** k
        hit = int(float(numbers[f"measured_{key}"]))
        series += [
            Series(
                f"{key}_measured",
                "line",
                {"x": k, "y": np.maximum(dist[1:], 1e-16)},
                t("fig.measured", problem=name),
                color,
            ),
            Series(
                f"{key}_bound",
                "line",
                {"x": k, "y": np.maximum(bound, 1e-16)},
                t("fig.bound", problem=name),
                color,
                dash="dotted",
            ),
            Series(
                f"{key}_hit",
                "scatter",
                {"x": [hit], "y": [max(dist[hit], 1e-16)]},
                None,
                color,
                width=10,
            ),
        ]
    return Chart(
        "distance",
        t("fig.title"),
        t("fig.x"),
        t("fig.y"),
        tuple(series),
        caption=t("fig.caption", **numbers),
        x_log=True,
        y_log=True,
        y_range=(1e-17, 2),
        hlines=((RTOL, t("fig.rtol", **numbers)),),
    )


def run() -> ExperimentResult:
    """附录 3: predicted against measured steps to ``||w - w*|| <= 1e-6 ||w0 - w*||``.

    Examples
    --------
    >>> r = run()  # kappa = 1 after z-scoring the lesson's two rows: a single step
    >>> float(r.numbers["predicted_lesson_zscore"]), r.numbers["measured_lesson_zscore"].value
    (1.0, 1)
    """
    numbers, curves = _measure()
    return section_result(
        "iterations", numbers, tables=(_table(numbers),), charts=(_chart(curves, numbers),)
    )
