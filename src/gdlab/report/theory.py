"""The analyses behind the lesson: conditioning, the ``2 / L`` limit, iteration counts.

Fixed-step gradient descent on a quadratic contracts the error by ``max|1 - lr lambda|`` per
step (``gdlab.analysis.theory``), so the Hessian's extreme eigenvalues ``L`` and ``mu`` predict
both the largest stable rate ``2 / L`` and the number of steps to a tolerance. Here each
prediction is set beside a measurement on the report's own data.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from gdlab.analysis import conditioning, conditioning_table, stability_map, theory_vs_measured
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.plotting import plot_scaling, plot_stability_map
from gdlab.report.data import SCALINGS, design, regression_problem
from gdlab.report.result import Cell, ExperimentResult, Image, Table, render_png
from gdlab.scaling import SCALERS

RTOL = 1e-6
Array = NDArray[np.float64]


def conditioning_analysis(*, n_samples: int = 1000) -> ExperimentResult:
    """Condition number of the least-squares Hessian, raw and after every gdlab scaler.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``kappa_<name>`` for ``raw`` and every key of ``gdlab.scaling.SCALERS``.
    """
    X, _ = regression_problem(n_samples)
    frame = conditioning_table(X, scalers=SCALERS, rtol=RTOL)
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            str(name),
            float(r.L),
            float(r.mu),
            float(r.kappa),
            float(r.lr_stable),
            float(r.predicted_iterations),
        )
        for name, r in frame.iterrows()
    )
    numbers = {f"kappa_{name}": float(k) for name, k in frame["kappa"].items()}
    ax = plot_scaling(
        X,
        SCALINGS["z-score"](X),
        labels=("raw", "z-scored"),
        names=("x1 (x 0.1)", "x2 (x 10)"),
        equal=False,
        title="The regression set before and after z-score",
    )
    image = Image(
        "conditioning",
        "The regression set's two features, raw and z-scored.",
        render_png(ax.figure),
    )
    best = min((k for k in numbers if k != "kappa_raw"), key=numbers.__getitem__)
    text = (
        "The Hessian of the mean squared error is 2 X^T X / m (intercept included); its "
        "extreme eigenvalues L and mu set the stable rate 2 / L and, through kappa = L / mu, "
        f"the speed. On the raw regression set kappa is {numbers['kappa_raw']:,.0f}; every "
        f"scaler brings it down, the best being {best[6:]} at {numbers[best]:.3g}. Centring "
        "matters as much as scaling: z-score and robust scaling centre the columns, which "
        "decouples the intercept, while min-max, max-abs and sigmoid leave an offset."
    )
    return ExperimentResult(
        key="conditioning",
        section="Analysis",
        title="Conditioning before and after scaling",
        text=text,
        numbers=numbers,
        tables=(
            Table(
                f"least squares on the regression set (predicted iterations to rtol {RTOL:g} at "
                "lr = 2 / (L + mu))",
                ("scaling", "L", "mu", "kappa", "2 / L", "predicted iterations"),
                rows,
            ),
        ),
        images=(image,),
        headline=f"kappa raw {numbers['kappa_raw']:,.0f} -> {best[6:]} {numbers[best]:.3g}",
    )


def _rising(A: Array, y: Array, lr: float, epochs: int) -> bool:
    """True when a fixed-rate run's loss gap is still growing at the end: the rate is unstable.

    A converged run sits at the optimum up to round-off, so growth only counts above a floor
    of 1e-10 of the starting gap.
    """
    model = LeastSquares()
    run = descend(model, A, y, lr=lr, epochs=epochs)
    if run.status == "diverged" or not np.isfinite(run.loss[-1]):
        return True
    gap = np.asarray(run.loss) - model.loss(model.optimum(A, y), A, y)
    return bool(gap[-1] > max(gap[-10], 1e-10 * gap[0]))


def measured_limit(
    A: Array, y: Array, limit: float, *, epochs: int = 300, iterations: int = 14
) -> float:
    """Bisect the largest fixed rate whose full-batch loss gap is not growing after ``epochs``.

    Searches ``[limit / 2, 2 limit]`` (``limit`` the theory's ``2 / L``); returns the midpoint
    of the final bracket, so the resolution is ``1.5 limit / 2**iterations``.
    """
    lo, hi = 0.5 * limit, 2.0 * limit
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if _rising(A, y, mid, epochs):
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def _lesson_designs() -> dict[str, tuple[Array, Array]]:
    """The §6 two-row problem (raw, z-scored) and the regression set (min-max, z-score)."""
    X6 = np.array([[1.0, 1.0], [3.0, 1.0]])
    Z6 = np.array([[-1.0, 1.0], [1.0, 1.0]])
    y6 = np.array([2.0, 4.0])
    X, y = regression_problem()
    return {
        "§6 raw": (X6, y6),
        "§6 z-scored": (Z6, y6),
        "§7 min-max": (design(X, "min-max"), y),
        "§7 z-score": (design(X, "z-score"), y),
    }


def stability_limit(
    *, epochs: int = 300, iterations: int = 14, n_samples: int = 1000
) -> ExperimentResult:
    """The largest stable fixed rate, theory ``2 / L`` against a bisection of real runs.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``limit_<problem>`` (``2 / L``), ``measured_<problem>`` and
        ``ratio_<problem>`` (measured over theory) for the problems of the table.
    """
    rows: list[tuple[Cell, ...]] = []
    numbers: dict[str, float] = {}
    for name, (A, y) in _lesson_designs().items():
        limit = conditioning(A, intercept=False).lr_stable
        found = measured_limit(A, y, limit, epochs=epochs, iterations=iterations)
        key = name.replace("§", "s").replace(" ", "_")
        numbers.update(
            {f"limit_{key}": limit, f"measured_{key}": found, f"ratio_{key}": found / limit}
        )
        rows.append((name, limit, found, found / limit))
    worst = max(abs(v - 1.0) for k, v in numbers.items() if k.startswith("ratio_"))
    # The map: fixed rates around 2 / L of the z-scored regression set, by batch size.
    X, y = regression_problem(n_samples)
    limit = conditioning(design(X, "z-score"), intercept=False).lr_stable
    grid = stability_map(
        LeastSquares(),
        X,
        y,
        lrs=limit * np.geomspace(0.05, 4.0, 13),
        batch_sizes=(None, 50, 1),
        epochs=20,
        scaler="zscore",
        seed=24,
    )
    ax = plot_stability_map(grid, lr_limit=limit, title="z-scored regression set, 20 epochs")
    image = Image(
        "stability",
        "Final loss by fixed learning rate and batch size (crosses: diverged), with the "
        "full-batch limit 2 / L.",
        render_png(ax.figure),
    )
    full = grid[grid["batch_size"].isna()]
    numbers["map_full_diverged_below"] = float((full["diverged"] & (full["lr"] < limit)).sum())
    numbers["map_full_stable_above"] = float((~full["diverged"] & (full["lr"] > limit)).sum())
    resolution = 1.5 / 2**iterations
    numbers["worst_ratio_error"] = worst
    text = (
        "Theory says a fixed learning rate converges on a quadratic exactly when it is below "
        "2 / L. Bisecting the rate at which a full-batch run's loss gap stops shrinking "
        f"({epochs} epochs per run, {iterations} halvings, resolution {resolution:.2%} of "
        f"2 / L) finds the same boundary on every problem: the largest relative difference "
        f"is {worst:.3%}. Scaling moves the boundary, from {rows[0][1]:.4g} on the raw "
        f"two-row problem to {rows[1][1]:.4g} once z-scored: it is a property of the data's "
        "curvature. "
        + (
            "In the map over rate and batch size, full batch diverges at every rate above "
            "2 / L within 20 epochs and at none below"
            if numbers["map_full_diverged_below"] == 0 and numbers["map_full_stable_above"] == 0
            else "In the map over rate and batch size the full-batch edge in 20 epochs is blurred "
            f"({numbers['map_full_stable_above']:.0f} rates above 2 / L not yet flagged as "
            f"diverged, {numbers['map_full_diverged_below']:.0f} below it diverged)"
        )
        + "; smaller batches take noisier steps and their edge is read off the same map."
    )
    return ExperimentResult(
        key="stability",
        section="Analysis",
        title="The stability limit 2 / L, predicted and measured",
        text=text,
        numbers=numbers,
        tables=(
            Table(
                "largest stable fixed learning rate, full batch",
                ("problem", "2 / L (theory)", "measured", "measured / theory"),
                tuple(rows),
            ),
        ),
        images=(image,),
        headline=f"measured limit = 2/L within {worst:.3%}",
    )


def iteration_counts() -> ExperimentResult:
    """Predicted against measured iterations to ``||w - w*|| <= 1e-6 ||w0 - w*||``.

    Every run is full batch at ``lr = 2 / (L + mu)``, recorded each step.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``predicted_<problem>``, ``measured_<problem>`` (-1 if not reached).
    """
    rows: list[tuple[Cell, ...]] = []
    numbers: dict[str, float] = {}
    curves = {}
    for name, (A, y) in _lesson_designs().items():
        model = LeastSquares()
        cond = conditioning(A, intercept=False)
        w_star = model.optimum(A, y)
        budget = int(min(cond.predicted_iterations(RTOL), 1e5)) + 10
        run = descend(model, A, y, lr=cond.lr_best, epochs=budget, record="step")
        check = theory_vs_measured(run, cond, w_star, RTOL)
        key = name.replace("§", "s").replace(" ", "_")
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
        (line,) = ax.plot(k, np.maximum(dist, 1e-16), label=name)
        ax.plot(k, np.maximum(rate**k, 1e-16), ":", color=line.get_color())
    ax.set(yscale="log", xlabel="step", ylabel="||w - w*|| / ||w0 - w*||", ylim=(1e-12, 2))
    ax.axhline(RTOL, color="k", lw=0.8, ls="--")
    ax.legend(fontsize="small")
    return fig
