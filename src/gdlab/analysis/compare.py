"""Compare scalers x schedules x batch sizes x update rules at equal budgets.

Every configuration runs the same number of epochs; the table then reads each run at one
shared budget:

* ``"epochs"``: after ``budget_value`` epochs (default all of them);
* ``"samples"``: after ``budget_value`` gradient evaluations = training rows processed. Every
  batch size processes ``n`` rows per epoch, so this equals an epoch budget unless the value
  is not a multiple of ``n`` (record per step to cut inside an epoch);
* ``"time"``: after ``budget_value`` seconds of wall time (default: the total time of the
  fastest run that did not diverge), which charges small batches for their per-update
  overhead. Wall time is measured, so it varies from run to run and machine to machine.

A run is read at its last record within the budget (at its start when even its first record
lies beyond it). Time to tolerance uses the loss criterion of
:func:`gdlab.analysis.steps_to_tolerance` with ``f*`` the optimal loss on that scaling
(:func:`gdlab.analysis.optimal_loss`): the closed form for least squares, a quasi-Newton solve
of the same objective for logistic and softmax regression. A run whose loss climbs far above
its start is stopped by ``descend`` as "diverged" (see :mod:`gdlab.optim.stopping`), for every
model, and never counts as having reached the tolerance.
Losses are comparable across scalers because only the features are scaled: the objective is
measured in the label's units and every run starts from ``w = 0``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from gdlab import scaling
from gdlab.analysis.optimum import optimal_loss
from gdlab.analysis.progress import Progress, progress_reporter
from gdlab.analysis.scaler_copies import fresh_scaler
from gdlab.analysis.tolerance import first_within_tolerance
from gdlab.datasets import add_intercept
from gdlab.optim import descend
from gdlab.schedules import as_schedule
from gdlab.trajectory import Trajectory

__all__ = ["BUDGETS", "GridRun", "compare", "grid_runs", "scaled_design", "summarize"]

#: budget name -> Trajectory counter it limits
BUDGETS = {"epochs": "epoch", "samples": "samples_seen", "time": "time"}


@dataclass(frozen=True)
class GridRun:
    """One configuration of a comparison grid and its run."""

    scaler: str
    schedule: str
    batch_size: int | None
    method: str
    trajectory: Trajectory
    optimum: float

    def __repr__(self) -> str:
        return (
            f"GridRun(scaler={self.scaler!r}, schedule={self.schedule!r}, "
            f"batch_size={self.batch_size}, method={self.method!r}, "
            f"status={self.trajectory.status!r}, optimum={self.optimum:.6g})"
        )


def _resolve_scalers(scalers: Sequence[str] | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(scalers, Mapping):
        return dict(scalers)
    out: dict[str, Any] = {}
    for name in scalers:
        if name in ("none", "raw"):
            out[name] = None
        elif name in scaling.SCALERS:
            out[name] = scaling.SCALERS[name]
        else:
            raise ValueError(
                f"unknown scaler {name!r}; expected 'none' or one of {sorted(scaling.SCALERS)}."
            )
    return out


def scaled_design(X: ArrayLike, scaler: Any, *, intercept: bool = True) -> NDArray[np.float64]:
    """Fit ``scaler`` on ``X``, transform ``X``, then append the ones column last.

    Parameters
    ----------
    X : array-like, shape (m, d)
        Raw features.
    scaler : scaler instance, class, short name (``"zscore"``, ...), ``"none"`` or None
        A fresh copy is fitted here on ``X`` (an instance given is left untouched); None or
        ``"none"`` leaves ``X`` as it is.
    intercept : bool
        Append the ones column (as ``gdlab.datasets.add_intercept``).

    Returns
    -------
    ndarray, shape (m, d + intercept)

    Examples
    --------
    >>> scaled_design([[1.0], [3.0]], "zscore").tolist()
    [[-1.0, 1.0], [1.0, 1.0]]
    """
    A = np.asarray(X, dtype=np.float64)
    if isinstance(scaler, str):
        scaler = _resolve_scalers([scaler])[scaler]
    if scaler is not None:
        A = np.asarray(fresh_scaler(scaler).fit_transform(A), dtype=np.float64)
    return np.asarray(add_intercept(A), dtype=np.float64) if intercept else A


def grid_runs(
    model: Any,
    X: ArrayLike,
    y: ArrayLike,
    *,
    scalers: Sequence[str] | Mapping[str, Any] = ("none", "zscore"),
    schedules: Sequence[Any] = (0.01,),
    batch_sizes: Sequence[int | None] = (None,),
    methods: Sequence[str] = ("gd",),
    epochs: int = 50,
    intercept: bool = True,
    seed: int | None = 0,
    progress: Progress = False,
    **descend_kwargs: Any,
) -> list[GridRun]:
    """Run ``descend`` on every combination of the grid.

    Parameters
    ----------
    model : gdlab.models model
    X, y : array-like
        Raw features (no intercept column) and labels.
    scalers : sequence of names or mapping of name to scaler
        Names from ``gdlab.scaling.SCALERS`` or ``"none"``; a mapping may hold instances.
    schedules : sequence
        Learning rates: numbers, Schedules or their text forms.
    batch_sizes : sequence of int or None
        None is full batch, 1 is SGD.
    methods : sequence of str
        Update rules of ``descend``.
    epochs : int
        Epochs every run gets.
    intercept : bool
        Append a ones column after scaling.
    seed : int or None
        Seed of every run (same shuffles for every configuration).
    progress : bool or callable, default False
        True draws a ``tqdm.auto`` progress bar (the widget in Jupyter); a callable is called
        as ``progress(done, total, label)`` after each run.
    **descend_kwargs
        Passed on to ``descend`` (``lr_per``, ``record``, ``tol``, ...).

    Returns
    -------
    list of GridRun
    """
    resolved = _resolve_scalers(scalers)
    scheds = [as_schedule(s) for s in schedules]
    total = len(resolved) * len(scheds) * len(batch_sizes) * len(methods)
    if total == 0:
        raise ValueError(
            "the grid is empty: give at least one scaler, schedule, batch size, method."
        )
    report = progress_reporter(progress, total, "compare")
    runs: list[GridRun] = []
    for name, scaler in resolved.items():
        A = scaled_design(X, scaler, intercept=intercept)
        batch: list[tuple[str, int | None, str, Trajectory]] = []
        for sched in scheds:
            for bs in batch_sizes:
                for method in methods:
                    t = descend(
                        model, A, y, lr=sched, epochs=epochs, batch_size=bs, method=method,
                        seed=seed, **descend_kwargs,
                    )  # fmt: skip
                    batch.append((str(sched), bs, method, t))
                    if report is not None:
                        report(
                            len(runs) + len(batch),
                            total,
                            f"{name} {sched} batch={'full' if bs is None else bs} {method}",
                        )
        # A run may end a rounding error below the solver's optimum; it is then at f*.
        best = np.nanmin([np.nanmin(t.loss) for *_, t in batch])
        f_star = min(optimal_loss(model, A, y), float(best))
        runs.extend(GridRun(name, s, bs, m, t, f_star) for s, bs, m, t in batch)
    return runs


def _cut(t: Trajectory, budget: str, value: float) -> int:
    """Index of the last record within the budget.

    A run whose first record already lies beyond it (a time budget shorter than the first
    evaluation) is read at its start, row 0: it has made no progress within the budget.
    """
    counter = np.asarray(getattr(t, BUDGETS[budget]), dtype=np.float64)
    within = np.flatnonzero(counter <= value * (1 + 1e-12))
    return int(within[-1]) if within.size else 0


def summarize(
    runs: Sequence[GridRun],
    *,
    budget: str = "epochs",
    budget_value: float | None = None,
    rtol: float = 1e-3,
) -> pd.DataFrame:
    """Table of grid runs read at one shared budget (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        One row per run: ``scaler, schedule, batch_size, method, budget, epochs, steps,
        samples, seconds, final_loss, status, reached, epochs_to_tol, steps_to_tol,
        samples_to_tol, seconds_to_tol`` (the ``*_to_tol`` columns are NaN when the tolerance
        was not reached within the budget). ``attrs["budget_value"]`` holds the budget used.
    """
    if budget not in BUDGETS:
        raise ValueError(f"budget must be one of {sorted(BUDGETS)}, got {budget!r}.")
    if not runs:
        raise ValueError("no runs to summarize; call grid_runs first.")
    if budget_value is not None and not budget_value >= 0:
        raise ValueError(
            f"budget_value must be a number >= 0 ({budget} from the start), got {budget_value!r}."
        )
    if budget_value is None:
        # A diverged run stops early; letting it set the time budget would cut every other
        # run at the moment the first one blew up.
        finished = [r for r in runs if r.trajectory.status != "diverged"] or list(runs)
        ends = [float(getattr(r.trajectory, BUDGETS[budget])[-1]) for r in finished]
        budget_value = min(ends) if budget == "time" else max(ends)
    rows = []
    for r in runs:
        t = r.trajectory
        k = _cut(t, budget, budget_value)
        hit = first_within_tolerance(t, r.optimum, rtol)
        reached = hit is not None and hit <= k
        at = {"epochs": t.epoch, "steps": t.step, "samples": t.samples_seen, "seconds": t.time}
        row: dict[str, Any] = {
            "scaler": r.scaler,
            "schedule": r.schedule,
            "batch_size": r.batch_size,
            "method": r.method,
            "budget": budget,
            **{key: col[k].item() for key, col in at.items()},
            "final_loss": float(t.loss[k]),
            # A run cut before its end by the budget has not stopped yet.
            "status": t.status if k == len(t) - 1 else "budget",
            "reached": reached,
        }
        for key, col in at.items():
            row[f"{key}_to_tol"] = col[hit].item() if reached and hit is not None else np.nan
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame.attrs["budget_value"] = float(budget_value)
    return frame


def compare(
    model: Any,
    X: ArrayLike,
    y: ArrayLike,
    *,
    scalers: Sequence[str] | Mapping[str, Any] = ("none", "zscore"),
    schedules: Sequence[Any] = (0.01,),
    batch_sizes: Sequence[int | None] = (None,),
    methods: Sequence[str] = ("gd",),
    epochs: int = 50,
    budget: str = "epochs",
    budget_value: float | None = None,
    rtol: float = 1e-3,
    intercept: bool = True,
    seed: int | None = 0,
    progress: Progress = False,
    **descend_kwargs: Any,
) -> pd.DataFrame:
    """Run the grid and tabulate it at an equal budget: :func:`grid_runs` then :func:`summarize`.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import LeastSquares
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 2)) * [0.1, 10.0]
    >>> y = X @ [200.0, -1.0] + 1.0
    >>> table = compare(LeastSquares(), X, y, scalers=["none", "zscore"],
    ...                 schedules=[0.005, 0.1], epochs=100, rtol=1e-6)
    >>> best = table.sort_values("final_loss").iloc[0]
    >>> best["scaler"], best["schedule"], bool(best["reached"])
    ('zscore', 'constant(lr=0.1)', True)
    """
    runs = grid_runs(
        model, X, y, scalers=scalers, schedules=schedules, batch_sizes=batch_sizes,
        methods=methods, epochs=epochs, intercept=intercept, seed=seed, progress=progress,
        **descend_kwargs,
    )  # fmt: skip
    return summarize(runs, budget=budget, budget_value=budget_value, rtol=rtol)
