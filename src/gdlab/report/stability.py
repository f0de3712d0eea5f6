"""Analysis: the largest stable fixed learning rate, theory ``2 / L`` against real runs.

On a quadratic a fixed-rate step multiplies the error along an eigenvector of eigenvalue
``lambda`` by ``1 - lr lambda``, so the run converges exactly when ``lr < 2 / L``. Here the
boundary is found by bisecting the rate over real full-batch runs, and mapped over rate x
batch size.
"""

from __future__ import annotations

import numpy as np

from gdlab.analysis import conditioning, stability_map
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.plotting import plot_stability_map
from gdlab.report.data import Array, design, design_key, lesson_designs, regression_problem
from gdlab.report.result import Cell, ExperimentResult, Image, Table, render_png


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


def stability_limit(
    *, epochs: int = 300, iterations: int = 14, n_samples: int = 1000
) -> ExperimentResult:
    """The largest stable fixed rate, theory ``2 / L`` against a bisection of real runs.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``limit_<problem>`` (``2 / L``), ``measured_<problem>`` and
        ``ratio_<problem>`` (measured over theory) for the problems of the table.

    Examples
    --------
    >>> r = stability_limit(epochs=60, iterations=6, n_samples=200)
    >>> abs(r.numbers["ratio_s6_raw"] - 1) < 1.5 / 2**6  # within the bisection's resolution
    True
    """
    rows: list[tuple[Cell, ...]] = []
    numbers: dict[str, float] = {}
    for name, (A, y) in lesson_designs().items():
        limit = conditioning(A, intercept=False).lr_stable
        found = measured_limit(A, y, limit, epochs=epochs, iterations=iterations)
        key = design_key(name)
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
    for batch in (50, 1):
        kept = grid[(grid["batch_size"] == batch) & ~grid["diverged"]]["lr"]
        numbers[f"map_edge_batch_{batch}"] = float(kept.max() / limit) if len(kept) else 0.0
    resolution = 1.5 / 2**iterations
    numbers["worst_ratio_error"] = worst
    agreement = (
        f"finds the same boundary on every problem: the largest relative difference is {worst:.3%}"
        if worst <= 2 * resolution
        else f"differs from 2 / L by up to {worst:.2%}, more than the resolution"
    )
    clean_edge = numbers["map_full_diverged_below"] == 0 and numbers["map_full_stable_above"] == 0
    text = (
        "Theory says a fixed learning rate converges on a quadratic exactly when it is below "
        "2 / L. Bisecting the rate at which a full-batch run's loss gap stops shrinking "
        f"({epochs} epochs per run, {iterations} halvings, resolution {resolution:.2%} of "
        f"2 / L) {agreement}. Scaling moves the boundary, from {rows[0][1]:.4g} on the raw "
        f"two-row problem to {rows[1][1]:.4g} once z-scored: it is a property of the data's "
        "curvature. In the map over rate and batch size (20 epochs), full batch diverges "
        + (
            "at every rate above 2 / L and at none below"
            if clean_edge
            else f"at {numbers['map_full_diverged_below']:.0f} rates below 2 / L and misses "
            f"{numbers['map_full_stable_above']:.0f} above it"
        )
        + "; the largest rate that did not diverge is "
        f"{numbers['map_edge_batch_50']:.2f} x 2 / L with batch 50 and "
        f"{numbers['map_edge_batch_1']:.2f} x 2 / L with SGD, whose single-row steps see "
        "curvatures other than the average one."
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
