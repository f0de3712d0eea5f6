"""Analysis: iterations to a tolerance, the theory's count against the measured one.

At ``lr = 2 / (L + mu)`` fixed-step gradient descent on a quadratic contracts the distance to
the optimum by at most ``(kappa - 1) / (kappa + 1)`` per step, which predicts the steps to a
relative tolerance (``gdlab.analysis.theory_vs_measured``).
"""

from __future__ import annotations

import numpy as np

from gdlab.analysis import conditioning, theory_vs_measured
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.data import Array, design_key, lesson_designs
from gdlab.report.result import Cell, ExperimentResult, Image, Table, render_png

RTOL = 1e-6


def iteration_counts() -> ExperimentResult:
    """Predicted against measured iterations to ``||w - w*|| <= 1e-6 ||w0 - w*||``.

    Every run is full batch at ``lr = 2 / (L + mu)``, recorded each step.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``predicted_<problem>``, ``measured_<problem>`` (-1 if not reached).

    Examples
    --------
    >>> r = iteration_counts()  # kappa = 1 after z-scoring: a single step
    >>> r.numbers["predicted_s6_z-scored"], r.numbers["measured_s6_z-scored"]
    (1.0, 1.0)
    """
    rows: list[tuple[Cell, ...]] = []
    numbers: dict[str, float] = {}
    curves = {}
    for name, (A, y) in lesson_designs().items():
        model = LeastSquares()
        cond = conditioning(A, intercept=False)
        w_star = model.optimum(A, y)
        budget = int(min(cond.predicted_iterations(RTOL), 1e5)) + 10
        run = descend(model, A, y, lr=cond.lr_best, epochs=budget, record="step")
        check = theory_vs_measured(run, cond, w_star, RTOL)
        key = design_key(name)
        measured = -1.0 if check.measured is None else float(check.measured)
        numbers.update({f"predicted_{key}": check.predicted, f"measured_{key}": measured})
        rows.append((name, cond.kappa, check.lr, check.rate, check.predicted, check.measured))
        dist = np.linalg.norm((np.asarray(run.params) - w_star).reshape(len(run), -1), axis=1)
        curves[name] = (dist / dist[0], check.rate)
    image = Image(
        "iterations",
        "Relative distance to the optimum per step (solid) and the "
        "theory's bound rate^k (dotted), at lr = 2 / (L + mu).",
        render_png(_distance_figure(curves)),
    )
    pairs = "; ".join(
        f"{r[0]} {r[4]:,.0f} predicted, "
        f"{'not reached' if r[5] is None else format(r[5], ',')} measured"
        for r in rows
    )
    within = all(r[5] is not None and r[5] <= r[4] for r in rows)  # type: ignore[operator]
    numbers["all_within_bound"] = float(within)
    text = (
        "At lr = 2 / (L + mu) theory bounds the distance to the optimum by "
        "((kappa - 1) / (kappa + 1))^k times the starting distance, so it predicts the steps "
        f"needed for a relative tolerance of {RTOL:g}: {pairs}. "
        + (
            "Every measured count is within the bound; it is met exactly when the start has "
            "weight on both extreme eigenvectors, and beaten when most of the error lies along "
            "directions that contract faster than the worst case."
            if within
            else "At least one run needed more steps than the bound: see the table."
        )
    )
    return ExperimentResult(
        key="iterations",
        section="Analysis",
        title="Iterations to a tolerance, predicted and measured",
        text=text,
        numbers=numbers,
        tables=(
            Table(
                f"full-batch GD at lr = 2 / (L + mu), tolerance {RTOL:g} on ||w - w*||",
                ("problem", "kappa", "lr", "rate per step", "predicted", "measured"),
                tuple(rows),
            ),
        ),
        images=(image,),
        headline=(
            "measured <= predicted on every problem" if within else "bound exceeded: see table"
        ),
    )


def _distance_figure(curves: dict[str, tuple[Array, float]]) -> object:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    for name, (dist, rate) in curves.items():
        k = np.arange(len(dist))
        (line,) = ax.plot(k, np.maximum(dist, 1e-16), label=f"{name}, measured")
        ax.plot(k, np.maximum(rate**k, 1e-16), ":", color=line.get_color())
    # One legend entry explains every dotted line; the colours pair them with their runs.
    ax.plot([], [], ":", color="grey", label="bound rate^k (dotted, same colour)")
    ax.axhline(RTOL, color="k", lw=0.8, ls="--", label=f"tolerance {RTOL:g}")
    ax.set(
        yscale="log",
        xlabel="step",
        ylabel="||w - w*|| / ||w0 - w*||",
        ylim=(1e-12, 2),
        title="Distance to the optimum at lr = 2 / (L + mu): measured against the bound",
    )
    ax.legend(fontsize="small")
    return fig
