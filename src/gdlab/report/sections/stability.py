"""附录 2, the stability limit: why a fixed learning rate must stay below 2 / L, and measured.

On a quadratic loss a fixed-rate step multiplies the error along a direction of curvature
``c`` by ``1 - lr c``; the steepest direction (``c = L``) is the first whose factor passes -1,
so the run converges exactly when ``lr < 2 / L``. The section bisects the largest stable
rate over real full-batch runs on the appendix's four problems, watches the error grow by
``|1 - lr L|`` per step just above the limit, and maps rate x batch size: mini-batches hit
their edge below 2 / L.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.analysis import conditioning, stability_map
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.charts import Chart, Series
from gdlab.report.data import appendix_problems, design, regression_problem
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.result import Cell, ExperimentResult, Table

PARAMS = (
    Param("epochs", 300, 50, 2_000, quick=100),
    Param("iterations", 14, 4, 30, quick=8),
    Param("n_samples", 1000, 200, 20_000, quick=300),
)
ABOVE = 1.1  # the rate, as a multiple of 2 / L, whose growth per step the section shows
MAP_EPOCHS = 20
BATCHES = (None, 50, 1)
t = words("stability")

Array = NDArray[np.float64]


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


def measured_limit(A: Array, y: Array, limit: float, *, epochs: int, iterations: int) -> float:
    """Bisect the largest fixed rate whose full-batch loss gap is not growing after ``epochs``.

    Searches ``[limit / 2, 2 limit]`` (``limit`` the theory's ``2 / L``) and returns the
    midpoint of the final bracket, so it lies within ``0.75 limit / 2**iterations`` of the
    edge the runs show.
    """
    lo, hi = 0.5 * limit, 2.0 * limit
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if _rising(A, y, mid, epochs):
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def _growth(A: Array, y: Array, limit: float) -> tuple[float, int]:
    """At ``ABOVE x 2 / L``: the last step's factor on the distance to the minimum, and the
    step at which the engine stopped the run as diverged."""
    model = LeastSquares()
    run = descend(model, A, y, lr=ABOVE * limit, epochs=200, record="step")
    dist = np.linalg.norm(np.asarray(run.params) - model.optimum(A, y), axis=1)
    return float(dist[-1] / dist[-2]), int(run.step[-1])


def _map(n_samples: int) -> tuple[Any, float]:
    """Loss after ``MAP_EPOCHS`` epochs for rates around 2 / L by batch size (z-scored part
    二 data), and that 2 / L."""
    X, y = regression_problem(n_samples)
    limit = conditioning(design(X, "z-score"), intercept=False).lr_stable
    grid = stability_map(
        LeastSquares(),
        X,
        y,
        lrs=limit * np.geomspace(0.05, 4.0, 13),
        batch_sizes=BATCHES,
        epochs=MAP_EPOCHS,
        scaler="zscore",
        seed=24,
    )
    return grid, limit


def _map_numbers(grid: Any, limit: float) -> dict[str, float]:
    full = grid[grid["batch_size"].isna()]
    numbers = {
        "map_full_diverged_below": float((full["diverged"] & (full["lr"] < limit)).sum()),
        "map_full_stable_above": float((~full["diverged"] & (full["lr"] > limit)).sum()),
    }
    for batch in BATCHES[1:]:
        kept = grid[(grid["batch_size"] == batch) & ~grid["diverged"]]["lr"]
        numbers[f"map_edge_batch_{batch}"] = float(kept.max() / limit) if len(kept) else 0.0
    return numbers


def _bisect_all(epochs: int, iterations: int) -> dict[str, float]:
    numbers: dict[str, float] = {}
    for key, (A, y) in appendix_problems().items():
        limit = conditioning(A, intercept=False).lr_stable
        found = measured_limit(A, y, limit, epochs=epochs, iterations=iterations)
        numbers.update(
            {f"limit_{key}": limit, f"measured_{key}": found, f"ratio_{key}": found / limit}
        )
    return numbers


def _worst(numbers: dict[str, Any], epochs: int) -> dict[str, Any]:
    """The problem whose bisected limit lies furthest from 2 / L, and why it can: at that
    rate the steepest direction's factor is ``lr L - 1 = 2 ratio - 1``, barely above 1."""
    ratios = {k[len("ratio_") :]: v for k, v in numbers.items() if k.startswith("ratio_")}
    key = max(ratios, key=lambda k: abs(ratios[k] - 1.0))
    factor = abs(1 - 2 * ratios[key])
    return {
        "worst_ratio_error": abs(ratios[key] - 1.0),
        "worst_problem": t(f"problem.{key}"),
        "worst_factor": factor,
        "worst_growth": factor**epochs,
        "min_ratio": min(ratios.values()),
        "max_ratio": max(ratios.values()),
    }


def _measure(epochs: int, iterations: int, n_samples: int) -> tuple[dict[str, Any], Any, float]:
    numbers: dict[str, Any] = {
        "epochs": epochs,
        "iterations": iterations,
        "n_samples": n_samples,
        "map_epochs": MAP_EPOCHS,
        "resolution": 0.75 / 2**iterations,
        "above": ABOVE,
        "factor_above": abs(1 - 2 * ABOVE),
    }
    numbers.update(_bisect_all(epochs, iterations))
    numbers.update(_worst(numbers, epochs))
    A, y = appendix_problems()["lesson_raw"]
    numbers["measured_growth"], numbers["diverged_step"] = _growth(
        A, y, numbers["limit_lesson_raw"]
    )
    grid, limit = _map(n_samples)
    numbers.update(_map_numbers(grid, limit))
    numbers["map_limit"] = limit
    clean = numbers["map_full_diverged_below"] == 0 and numbers["map_full_stable_above"] == 0
    numbers["map_sentence"] = t("map.clean" if clean else "map.unclean", **numbers)
    return numbers, grid, limit


def measure(*, epochs: int = 300, iterations: int = 14, n_samples: int = 1000) -> dict[str, Any]:
    """The numbers of the section.

    Returns
    -------
    dict
        For the problems ``lesson_raw``, ``lesson_zscore``, ``part2_minmax``,
        ``part2_zscore``: ``limit_<p>`` (the theory's 2 / L), ``measured_<p>`` (the bisected
        largest stable rate) and ``ratio_<p>``; ``min_ratio``, ``max_ratio``,
        ``worst_ratio_error`` (largest ``|ratio - 1|``), ``worst_problem``, ``worst_factor``
        (the steepest direction's factor at that problem's measured limit) and
        ``worst_growth`` (that factor over ``epochs`` steps); ``resolution`` (the
        bisection's, relative to 2 / L);
        ``factor_above`` (``|1 - lr L|`` at ``lr = above x 2 / L``), ``measured_growth``
        (the distance's factor on the last step of that run on ``lesson_raw``) and
        ``diverged_step``; the map's ``map_full_diverged_below``, ``map_full_stable_above``
        (full-batch runs on the wrong side of 2 / L), ``map_edge_batch_50``,
        ``map_edge_batch_1`` (largest rate that did not diverge, over 2 / L) and
        ``map_limit``, ``map_sentence``; and the settings.
    """
    return _measure(epochs, iterations, n_samples)[0]


def _table(numbers: dict[str, Any]) -> Table:
    # Six digits: the measured limits differ from 2 / L in the fourth decimal or later.
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            t(f"problem.{key}"),
            f"{numbers[f'limit_{key}']:.6g}",
            f"{numbers[f'measured_{key}']:.6g}",
            f"{numbers[f'ratio_{key}']:.6f}",
        )
        for key in appendix_problems()
    )
    columns = tuple(t(f"table.{c}") for c in ("problem", "limit", "measured", "ratio"))
    return Table(t("table.title", **numbers), columns, rows)


def _chart(grid: Any, limit: float, numbers: dict[str, Any]) -> Chart:
    colors = {None: "#c92a2a", 50: "#1864ab", 1: "#2b8a3e"}
    series = []
    for batch, color in colors.items():
        part = (
            grid[grid["batch_size"].isna()] if batch is None else grid[grid["batch_size"] == batch]
        )
        final = np.asarray(part["final_loss"], dtype=float)
        # A diverged run is drawn at the top of the view: its final loss is off any scale.
        diverged = np.asarray(part["diverged"], dtype=bool) | ~np.isfinite(final)
        shown = np.where(diverged, 1e8, final)
        name = "full" if batch is None else f"b{batch}"
        x = np.asarray(part["lr"], dtype=float) / limit
        series.append(Series(name, "line", {"x": x, "y": shown}, t(f"fig.{name}"), color))
    return Chart(
        "map",
        t("fig.title", **numbers),
        t("fig.x"),
        t("fig.y"),
        tuple(series),
        caption=t("fig.caption", **numbers),
        x_log=True,
        y_log=True,
        y_range=(0.5, 3e8),
        vlines=((1.0, t("fig.limit")),),
    )


def run(*, epochs: int = 300, iterations: int = 14, n_samples: int = 1000) -> ExperimentResult:
    """附录 2: the largest stable fixed rate, theory 2 / L against a bisection of real runs.

    Examples
    --------
    >>> r = run(epochs=60, iterations=6, n_samples=200)
    >>> r.numbers["worst_ratio_error"] <= r.numbers["resolution"]
    True
    """
    numbers, grid, limit = _measure(epochs, iterations, n_samples)
    return section_result(
        "stability", numbers, tables=(_table(numbers),), charts=(_chart(grid, limit, numbers),)
    )
