"""The stability map: final loss and status over learning rate x batch size.

Full-batch descent on least squares is stable exactly for ``lr < 2 / L`` (see
:mod:`gdlab.analysis.theory`); the map shows that edge measured, and how batch noise moves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from gdlab.analysis.compare import scaled_design
from gdlab.analysis.conditioning import conditioning
from gdlab.analysis.progress import Progress, progress_reporter
from gdlab.optim import descend

__all__ = ["stability_map"]


def stability_map(
    model: Any,
    X: ArrayLike,
    y: ArrayLike,
    *,
    lrs: Sequence[float] | ArrayLike,
    batch_sizes: Sequence[int | None] = (None,),
    epochs: int = 50,
    scaler: Any = None,
    intercept: bool = True,
    method: str = "gd",
    seed: int | None = 0,
    progress: Progress = False,
) -> pd.DataFrame:
    """Run fixed-rate descent for every learning rate x batch size.

    Parameters
    ----------
    model : gdlab.models model
    X, y : array-like
        Raw features (no intercept column) and labels.
    lrs : sequence of float
        Fixed learning rates (log-spaced around ``2 / L`` shows the edge).
    batch_sizes : sequence of int or None
        None is full batch.
    epochs : int
        Epochs per run.
    scaler : scaler, class, name or None
        Applied to ``X`` first (see :func:`gdlab.analysis.compare.scaled_design`).
    intercept : bool
        Append a ones column after scaling.
    method : str
        Update rule.
    seed : int or None
        Seed of the shuffles.
    progress : bool or callable, default False
        True draws a ``tqdm.auto`` progress bar (the widget in Jupyter); a callable is called
        as ``progress(done, total, label)`` after each run.

    Returns
    -------
    pandas.DataFrame
        Columns ``lr, batch_size, status, final_loss, diverged``; ``attrs["lr_stable"]`` is
        ``2 / L`` of the design (from the Hessian bound for logistic and softmax), absent when
        ``L`` overflows float64.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import LeastSquares
    >>> X = np.random.default_rng(0).normal(size=(50, 2)); y = X @ [1.0, 2.0]
    >>> m = stability_map(LeastSquares(), X, y, lrs=[0.1, 10.0], epochs=30)
    >>> m[["lr", "diverged"]].values.tolist(), round(m.attrs["lr_stable"], 2)
    ([[0.1, False], [10.0, True]], 0.83)
    """
    rates = np.asarray(lrs, dtype=np.float64).ravel()
    if rates.size == 0 or not (np.isfinite(rates).all() and (rates > 0).all()):
        raise ValueError(f"lrs must be positive finite numbers, got {rates.tolist()}.")
    if len(batch_sizes) == 0:
        raise ValueError("batch_sizes is empty; give at least one (None for full batch).")
    A = scaled_design(X, scaler, intercept=intercept)
    report = progress_reporter(progress, len(batch_sizes) * rates.size, "stability map")
    rows: list[dict[str, Any]] = []
    for bs in batch_sizes:
        for lr in rates:
            t = descend(
                model, A, y, lr=float(lr), epochs=epochs, batch_size=bs, method=method, seed=seed
            )
            if report is not None:
                report(len(rows) + 1, len(batch_sizes) * rates.size,
                       f"lr={lr:.4g} batch={'full' if bs is None else bs}")  # fmt: skip
            diverged = t.status == "diverged"
            rows.append(
                {
                    "lr": float(lr),
                    "batch_size": bs,
                    "status": t.status,
                    "final_loss": np.inf if diverged else float(t.loss[-1]),
                    "diverged": diverged,
                }
            )
    frame = pd.DataFrame(rows)
    try:
        frame.attrs["lr_stable"] = conditioning(A, model=model, intercept=False).lr_stable
    except ValueError:
        pass  # a curvature beyond float64 has no stable rate to show; the map itself stands
    return frame
