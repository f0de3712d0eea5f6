"""一、3, the contour experiment: raw against scaled data, side by side, step by step.

The lesson's problem ``X = [[1, 1], [3, 1]]`` (the second column is the intercept), ``y = [2, 4]``,
a start drawn by ``np.random.seed(24); np.random.randn(2, 1)`` and full-batch steps on the mean
squared error, with the first column raw, min-max scaled or z-scored. Z-scoring makes
``X^T X`` a multiple of the identity: the contours become circles and every step points at
the minimum. Python measures what the claim says; the page's lab recomputes the same runs
live for any rate, start and step count.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab import lesson
from gdlab.analysis import conditioning, steps_to_tolerance
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.charts import Chart, Series
from gdlab.report.data import contour_problem
from gdlab.report.lab import Control, Lab
from gdlab.report.legacy_rng import lesson_seed
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.prose import Count, Phrase, Predicted, Status, Tiny
from gdlab.report.result import ExperimentResult, Table

PARAMS = (Param("lr", 0.1, 1e-4, 10.0), Param("steps", 100, 1, 1_000))
RTOL = 1e-3
BUDGET = 500
TRAIN_SHARE = 0.7  # of a reader's own rows: the first 70 % fit the scaler and the descent
# Rates, as multiples of 2/L, that check the claim "past 2/L the path diverges".
LIMIT_CHECKS = (0.5, 0.9, 0.99, 1.01, 1.1, 1.5)
DESIGNS = ("raw", "minmax", "zscore")
t = words("contours")


def designs() -> dict[str, NDArray[np.float64]]:
    """The lesson's design with its first column raw, min-max scaled and z-scored."""
    X, X_norm, _ = contour_problem()
    X_mm = X.copy()
    X_mm[:, :1] = lesson.maxmin_norm(X[:, :1])
    return {"raw": X, "minmax": X_mm, "zscore": X_norm}


def lesson_start() -> NDArray[np.float64]:
    """The lesson's start: ``np.random.seed(24); np.random.randn(2, 1)``."""
    with lesson_seed(24):
        return np.random.randn(2)  # noqa: NPY002 (the lesson's own draw)


def _measure(name: str, A: NDArray[np.float64], lr: float, steps: int) -> dict[str, Any]:
    _, _, y = contour_problem()
    w0, model = lesson_start(), LeastSquares()
    cond = conditioning(A, intercept=False)
    w_star = model.optimum(A, y)
    run = descend(model, A, y, lr=lr, epochs=max(BUDGET, steps), w0=w0, record="step")
    hit = steps_to_tolerance(run, w_star, RTOL)
    diverged = run.status == "diverged"
    hit = None if hit is None or hit > BUDGET else hit
    status = "diverged" if diverged else "converged" if hit is not None else "not_within"
    shown = np.asarray(run.params[: steps + 1])
    numbers = {
        "kappa": cond.kappa,
        "limit": cond.lr_stable,
        "factor": cond.rate(lr),
        "predicted": Predicted(cond.predicted_iterations(RTOL, lr)),
        "measured": Count(hit, BUDGET),
        "shown": Count(hit if hit is not None and hit <= steps else None, steps),
        "status": Status(status),
        "dist": float(np.linalg.norm(shown[-1] - w_star)) if len(shown) > steps else np.inf,
    }
    # What happened to this design, in the words that fit how its run ended.
    sentence = t(
        f"sentence.{status}", design=t(f"lab.{name}"), lr=lr, rtol=RTOL, budget=BUDGET, **numbers
    )
    return {**{f"{k}_{name}": v for k, v in numbers.items()}, f"sentence_{name}": sentence}


def _limit_is_sharp(A: NDArray[np.float64]) -> bool:
    """Every checked rate above 2/L diverges within the budget and none below it does."""
    _, _, y = contour_problem()
    limit = conditioning(A, intercept=False).lr_stable
    for factor in LIMIT_CHECKS:
        run = descend(LeastSquares(), A, y, lr=factor * limit, epochs=BUDGET, w0=lesson_start())
        if (run.status == "diverged") != (factor > 1):
            return False
    return True


def _lesson_gap(A: NDArray[np.float64], lr: float = 0.1, steps: int = 100) -> float:
    """Largest difference between the engine's path and the lesson's ``w_cal_rec``, at the
    lesson's own rate and step count."""
    _, _, y = contour_problem()
    w0 = lesson_start()
    run = descend(LeastSquares(), A, y, lr=lr, epochs=steps, w0=w0, record="step")
    _, rec = lesson.w_cal_rec(
        A, w0[:, None], y[:, None], gd_cal=lesson.lr_gd, lr=lr, itera_times=steps
    )
    return float(np.abs(np.asarray(rec)[:, :, 0] - np.asarray(run.params)).max())


def measure(*, lr: float = 0.1, steps: int = 100) -> dict[str, Any]:
    """The numbers of the section at rate ``lr`` over ``steps`` shown steps.

    Returns
    -------
    dict
        For ``s`` in ``raw``, ``minmax``, ``zscore``: ``kappa_s``, ``limit_s`` (2 / L),
        ``factor_s`` (the per-step factor ``max |1 - lr λ|``), ``predicted_s`` (the theory's
        steps to ``‖w − w*‖ ≤ 1e-3 ‖w0 − w*‖``), ``measured_s`` (the steps it took, within 500),
        ``shown_s`` (the same within the ``steps`` shown), ``status_s``, ``dist_s`` (distance
        to the minimum after ``steps``); ``limit_sharp`` (1.0 when rates just above 2 / L
        diverge and rates just below do not, raw and z-scored), ``max_diff_lesson`` (the
        engine against the lesson's ``w_cal_rec`` at the lesson's lr 0.1 over 100 steps) and
        the settings ``lr``, ``steps``, ``rtol``, ``budget``.
    """
    A = designs()
    numbers: dict[str, Any] = {"lr": lr, "steps": steps, "rtol": RTOL, "budget": BUDGET}
    for name in DESIGNS:
        numbers.update(_measure(name, A[name], lr, steps))
    numbers["limit_sharp"] = float(_limit_is_sharp(A["raw"]) and _limit_is_sharp(A["zscore"]))
    numbers["max_diff_lesson"] = Tiny(max(_lesson_gap(A[n]) for n in ("raw", "zscore")))
    return numbers


def _surface(side: str) -> Chart:
    return Chart(
        f"surface-{side}",
        t(f"fig.surface_{side}"),
        t("fig.w1"),
        t("fig.w2"),
        (
            Series("contours", "multi_line", legend=t("fig.contours"), color="#2f5f8a", width=1.5),
            Series("path", "line", legend=t("fig.path"), color="#d9480f", width=2),
            Series("points", "scatter", color="#d9480f", width=6),
            Series("start", "scatter", legend=t("fig.start"), color="#c92a2a", width=12),
            Series("optimum", "scatter", legend=t("fig.optimum"), color="#2b8a3e", width=12),
            Series("current", "scatter", legend=t("fig.current"), color="#111111", width=9),
            # Two invisible corner points: the view follows the design, not a runaway path.
            Series("view", "scatter", color="#ffffff", width=0.1, alpha=0.0),
        ),
        caption=t("fig.surface_caption"),
        equal_aspect=True,
        fit_to="view",
        height=380,
        pointer=True,
        half=True,
    )


def _charts() -> tuple[Chart, ...]:
    loss = Chart(
        "loss",
        t("fig.loss"),
        t("fig.step"),
        t("fig.gap"),
        (
            Series("raw", "line", legend=t("lab.raw"), color="#d9480f", width=2),
            Series("scaled", "line", legend=t("lab.scaled"), color="#1864ab", width=2),
            Series("now", "line", legend=t("fig.now"), color="#666666", width=1, dash="dashed"),
        ),
        y_log=True,
        y_range=(1e-12, 1e4),
        height=280,
    )
    return (_surface("raw"), _surface("scaled"), loss)


def _lab(lr: float, steps: int) -> Lab:
    X, _, y = contour_problem()
    w0 = lesson_start()
    setup = {
        "X": X.tolist(),
        "y": y.tolist(),
        "w0": w0.tolist(),
        "scaled_columns": [0],
        "rtol": RTOL,
        "budget": BUDGET,
        "train_share": TRAIN_SHARE,
    }
    controls = (
        Control("lr", t("lab.lr"), "rate", lr, low=min(0.01, lr), high=max(2.0, lr)),
        Control("steps", t("lab.steps"), "slider", steps, low=1, high=max(300, steps)),
        Control(
            "scaler",
            t("lab.scaler"),
            "select",
            "zscore",
            options=(("zscore", t("lab.zscore")), ("minmax", t("lab.minmax"))),
        ),
        Control("start1", t("lab.start1"), "number", round(float(w0[0]), 4)),
        Control("start2", t("lab.start2"), "number", round(float(w0[1]), 4)),
    )
    rows = tuple(
        (name, t(f"lab.{name}", rtol=RTOL, budget=BUDGET))
        for name in ("kappa", "limit", "factor", "predicted", "measured")
    )
    columns = (("raw", t("lab.raw")), ("scaled", t("lab.scaled")))
    actions = (("start_reset", Phrase("lab.start_reset")),)
    return Lab(
        "contours",
        setup,
        controls,
        columns=columns,
        rows=rows,
        player=True,
        actions=actions,
        data=True,
    )


def _table(numbers: dict[str, Any]) -> Table:
    rows = tuple(
        (
            t(f"lab.{name}"),
            numbers[f"kappa_{name}"],
            numbers[f"limit_{name}"],
            numbers[f"factor_{name}"],
            numbers[f"predicted_{name}"],
            numbers[f"measured_{name}"],
        )
        for name in DESIGNS
    )
    columns = ("design", "kappa", "limit", "factor", "predicted", "measured")
    return Table(
        t("table.title", **numbers), tuple(t(f"table.{c}", **numbers) for c in columns), rows
    )


def run(*, lr: float = 0.1, steps: int = 100) -> ExperimentResult:
    """一、3: descend on the raw, min-max and z-scored design; the page draws them live.

    Examples
    --------
    >>> r = run()  # kappa_raw = (6 + sqrt(32)) / (6 - sqrt(32))
    >>> round(r.numbers["kappa_raw"], 2), r.numbers["measured_zscore"].value
    (33.97, 31)
    """
    numbers = measure(lr=lr, steps=steps)
    return section_result(
        "contours", numbers, tables=(_table(numbers),), charts=_charts(), lab=_lab(lr, steps)
    )
