"""What part 二's sections share: its data set, its designs, and how a run is read.

Part 二 runs on one data set throughout (:func:`gdlab.report.data.regression_problem`): the
lesson's law ``y = 200 x1 - x2 + 1`` with its unit mismatch, noise of standard deviation 1 and
features correlated 0.9. Every run starts from ``w = 0``; the scalers are fitted on all rows,
as the lesson does; the intercept column is appended after scaling.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab import schedules
from gdlab.analysis import conditioning, grid_runs
from gdlab.analysis.conditioning import Conditioning
from gdlab.models import LeastSquares
from gdlab.report.data import design, regression_problem
from gdlab.report.prose import Count, Status
from gdlab.trajectory import Trajectory

Array = NDArray[np.float64]
# The lesson's names of the scalings (the page's engine calls them by its own short names).
SCALINGS = {"raw": "raw", "minmax": "min-max", "zscore": "z-score"}


@dataclass(frozen=True)
class Design:
    """One scaling of part 二's data: the design (intercept last), its conditioning and its
    least-squares optimum."""

    A: Array
    y: Array
    cond: Conditioning
    w_star: Array
    f_star: float

    @property
    def w0(self) -> Array:
        """Every run's start, ``w = 0``."""
        return np.zeros(self.A.shape[1])


@functools.cache
def designs(n_samples: int) -> dict[str, Design]:
    """Part 二's data, raw, min-max scaled and z-scored, by the page engine's names."""
    X, y = regression_problem(n_samples)
    model, out = LeastSquares(), {}
    for name, lesson_name in SCALINGS.items():
        A = design(X, lesson_name)
        w_star = model.optimum(A, y)
        out[name] = Design(A, y, conditioning(A, intercept=False), w_star, model.loss(w_star, A, y))
    return out


def lab_data(n_samples: int) -> dict[str, Any]:
    """The raw data for a lab: the page scales it and appends the intercept itself."""
    X, y = regression_problem(n_samples)
    return {"X": X.tolist(), "y": y.tolist()}


def relative_gap(run: Trajectory, f_star: float) -> Array:
    """``(f - f*) / (f0 - f*)`` per record, clipped at 0 (round-off can dip below f*)."""
    loss = np.asarray(run.loss, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.maximum((loss - f_star) / (loss[0] - f_star), 0.0)


def first_at_or_below(values: Array, level: float) -> int | None:
    """The first index where ``values <= level``, or None."""
    hit = np.flatnonzero(values <= level)
    return int(hit[0]) if len(hit) else None


def settle(values: Array, level: float) -> int | None:
    """The first index from which ``values`` stays at or below ``level`` to the end, or None.

    Examples
    --------
    >>> settle(np.array([5.0, 0.5, 2.0, 0.4, 0.3]), 1.0), settle(np.array([2.0]), 1.0)
    (3, None)
    """
    above = np.flatnonzero(~(values <= level))
    if len(above) == 0:
        return 0
    return int(above[-1]) + 1 if above[-1] + 1 < len(values) else None


def outcome(run: Trajectory, reached: int | None, budget: int) -> tuple[Status, Count | Status]:
    """How a run ended, and what to say of when it reached its tolerance: the epoch, "not
    reached (> budget)", or "diverged" (a diverged run reached nothing).

    Examples
    --------
    >>> from gdlab.optim import descend
    >>> from gdlab.models import LeastSquares
    >>> run = descend(LeastSquares(), np.eye(2), np.ones(2), lr=0.5, epochs=3)
    >>> outcome(run, 1, 3)
    (Status(name='converged'), Count(value=1, budget=3))
    """
    if run.status == "diverged":
        return Status("diverged"), Status("diverged")
    return Status("converged" if reached is not None else "not_within"), Count(reached, budget)


# Rates tried when a section tunes one, as fractions of the design's own 2/L.
GRID = tuple(float(f) for f in np.geomspace(1 / 64, 1.0, 13))
SEED = 24


@dataclass(frozen=True)
class Tuned:
    """The best grid point of a tuning: its rate (a fraction of 2/L), its decay factor (1:
    fixed), the epoch it scored and its final loss above the optimum."""

    fraction: float
    gamma: float
    epoch: int | None
    final: float


def tune(
    n_samples: int,
    scaling: str,
    batch_size: int | None,
    gammas: tuple[float, ...],
    epochs: int,
    score: Callable[[Array], int | None],
) -> Tuned:
    """The rate and decay factor of the grid that ``score`` (an epoch, from the run's loss
    above the optimum per epoch; None: never) ranks first, ties broken by the final gap.

    Every grid point runs with the same seed through :func:`gdlab.analysis.grid_runs`.
    """
    X, y = regression_problem(n_samples)
    limit = designs(n_samples)[scaling].cond.lr_stable
    points = [(f, g) for f in GRID for g in gammas]
    rates = [
        schedules.constant(f * limit) if g == 1 else schedules.exponential(lr=f * limit, gamma=g)
        for f, g in points
    ]
    runs = grid_runs(
        LeastSquares(),
        X,
        y,
        scalers=(_GRID_NAMES[scaling],),
        schedules=rates,
        batch_sizes=(batch_size,),
        epochs=epochs,
        seed=SEED,
    )
    best: tuple[tuple[float, float], Tuned] | None = None
    for (f, g), r in zip(points, runs, strict=True):
        gap = np.asarray(r.trajectory.loss) - r.optimum
        if r.trajectory.status == "diverged" or not np.isfinite(gap).all():
            continue
        epoch = score(gap)
        rank = (epochs + 1.0 if epoch is None else float(epoch), float(gap[-1]))
        if best is None or rank < best[0]:
            best = (rank, Tuned(f, g, epoch, float(gap[-1])))
    if best is None:
        raise RuntimeError("every rate of the grid diverged")
    return best[1]


_GRID_NAMES = {"raw": "none", "minmax": "minmax", "zscore": "zscore"}
