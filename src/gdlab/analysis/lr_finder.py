"""The learning-rate range test (Smith 2015; fastai's ``lr_find``), checked against ``2 / L``.

The learning rate grows geometrically from ``start_lr`` to ``end_lr`` over ``num_iter``
updates, ``lr_i = start_lr * (end_lr / start_lr) ** (i / num_iter)``, while the training loss
is recorded and smoothed with a debiased exponential moving average (``beta = 0.98``, as
fastai). The test stops once the smoothed loss exceeds ``4 x`` its minimum. Suggestions:

* ``"steep"``: where the smoothed loss falls fastest against ``log(lr)``;
* ``"minimum"``: a tenth of the rate at the smoothed loss's minimum (fastai's ``lr_min``).

For a convex model the test has a yardstick: fixed-step descent is stable only below
``2 / L``, so a sound suggestion lies below it, within a small factor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdlab.analysis.conditioning import conditioning
from gdlab.optim import descend
from gdlab.schedules import constant, exponential, join

__all__ = ["LRFinderResult", "lr_range_test"]


@dataclass(frozen=True)
class LRFinderResult:
    """Result of :func:`lr_range_test`.

    Attributes
    ----------
    lrs, losses, smoothed : ndarray
        Learning rate of each update, the training loss after it and its smoothed value.
    suggestion : float
        Suggested learning rate.
    rule : str
        ``"steep"`` or ``"minimum"``.
    lr_stable : float or None
        ``2 / L`` of the design (the logistic/softmax value uses the Hessian bound);
        None when the model has no known curvature.
    """

    lrs: NDArray[np.float64]
    losses: NDArray[np.float64]
    smoothed: NDArray[np.float64]
    suggestion: float
    rule: str
    lr_stable: float | None

    @property
    def ratio(self) -> float | None:
        """``suggestion / (2 / L)``: below 1 means inside the stable range."""
        return None if self.lr_stable is None else self.suggestion / self.lr_stable

    def __repr__(self) -> str:
        stable = "None" if self.lr_stable is None else f"{self.lr_stable:.4g}"
        return (
            f"LRFinderResult(suggestion={self.suggestion:.4g}, rule={self.rule!r}, "
            f"lr_stable={stable}, n_iter={self.lrs.size})"
        )


def _smooth(losses: NDArray[np.float64], beta: float) -> NDArray[np.float64]:
    out = np.empty_like(losses)
    avg = 0.0
    for i, value in enumerate(losses):
        avg = beta * avg + (1 - beta) * value
        out[i] = avg / (1 - beta ** (i + 1))  # debias the zero start
    return out


def lr_range_test(
    model: Any,
    X: ArrayLike,
    y: ArrayLike,
    *,
    start_lr: float = 1e-7,
    end_lr: float = 10.0,
    num_iter: int = 100,
    batch_size: int | None = None,
    method: str = "gd",
    rule: str = "steep",
    beta: float = 0.98,
    stop_factor: float = 4.0,
    seed: int | None = 0,
) -> LRFinderResult:
    """Sweep the learning rate upward and suggest one from the loss curve.

    Parameters
    ----------
    model : gdlab.models model
    X, y : array-like
        Design as the model sees it (including any intercept column) and labels.
    start_lr, end_lr : float
        Range of the geometric sweep, ``0 < start_lr < end_lr``.
    num_iter : int
        Number of updates (each with its own rate).
    batch_size : int or None
        Batch size of the updates (None: full batch).
    method : str
        Update rule of ``descend``.
    rule : {"steep", "minimum"}
        How the suggestion is read from the curve (see the module docstring).
    beta : float
        Smoothing factor of the moving average, in ``[0, 1)``.
    stop_factor : float
        Stop when the smoothed loss exceeds ``stop_factor x`` its minimum.
    seed : int or None
        Seed of the batch shuffles.

    Returns
    -------
    LRFinderResult

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import LeastSquares
    >>> rng = np.random.default_rng(0)
    >>> X = np.c_[rng.normal(size=(100, 2)), np.ones(100)]; y = X @ [2.0, -1.0, 0.5]
    >>> res = lr_range_test(LeastSquares(), X, y, start_lr=1e-4, end_lr=10.0)
    >>> bool(0.05 < res.ratio < 1.0)  # the suggestion sits inside the stable range
    True
    """
    if not (0 < start_lr < end_lr and math.isfinite(end_lr)):
        raise ValueError(
            f"need 0 < start_lr < end_lr, got start_lr={start_lr!r}, end_lr={end_lr!r}."
        )
    if int(num_iter) < 5:
        raise ValueError(f"num_iter must be at least 5 to read a curve, got {num_iter!r}.")
    if rule not in ("steep", "minimum"):
        raise ValueError(f"rule must be 'steep' or 'minimum', got {rule!r}.")
    if not (0 <= beta < 1) or stop_factor <= 1:
        raise ValueError(f"need 0 <= beta < 1 and stop_factor > 1, got {beta!r}, {stop_factor!r}.")
    A = np.asarray(X, dtype=np.float64)
    n = A.shape[0]
    per_epoch = 1 if batch_size is None else math.ceil(n / batch_size)
    # Growth stops at end_lr after num_iter updates: a geometric rate left to grow overflows
    # when the engine evaluates the schedule ahead of the updates.
    sweep = join(
        [exponential(lr=start_lr, gamma=(end_lr / start_lr) ** (1.0 / num_iter)), constant(end_lr)],
        boundaries=[int(num_iter)],
    )
    t = descend(
        model, A, y, lr=sweep, lr_per="step", record="step", batch_size=batch_size,
        method=method, seed=seed, epochs=math.ceil(num_iter / per_epoch),
    )  # fmt: skip
    # Row 0 is the start (no update yet); the engine may stop early on divergence.
    stop = min(len(t), num_iter + 1)
    lrs, losses = t.lr[1:stop], t.loss[1:stop]
    finite = np.isfinite(losses)
    if not finite.all():
        lrs, losses = lrs[: np.argmin(finite)], losses[: np.argmin(finite)]
    smoothed = _smooth(losses, beta)
    over = np.flatnonzero(smoothed > stop_factor * np.minimum.accumulate(smoothed))
    end = int(over[0]) if over.size else smoothed.size
    if end < 3:
        raise ValueError(
            f"the loss blew up within {end} updates; lower start_lr (now {start_lr:g})."
        )
    lrs, losses, smoothed = lrs[:end], losses[:end], smoothed[:end]
    if rule == "minimum":
        suggestion = float(lrs[int(np.argmin(smoothed))] / 10)
    else:
        slope = np.gradient(smoothed, np.log(lrs))
        suggestion = float(lrs[int(np.argmin(slope))])
    try:
        lr_stable: float | None = conditioning(A, model=model, intercept=False).lr_stable
    except (TypeError, ValueError):
        lr_stable = None
    return LRFinderResult(
        lrs=lrs, losses=losses, smoothed=smoothed, suggestion=suggestion, rule=rule,
        lr_stable=lr_stable,
    )  # fmt: skip
