"""The learning-rate range test (Smith 2015; fastai's ``lr_find``), checked against ``2 / L``.

The learning rate grows geometrically from ``start_lr`` to ``end_lr`` over ``num_iter``
updates, ``lr_i = start_lr * (end_lr / start_lr) ** (i / num_iter)``, while the training loss
is recorded and smoothed with a debiased exponential moving average (``beta = 0.98``, as
fastai). The test stops at the first update whose smoothed loss exceeds ``4 x`` its minimum
so far, as fastai's does; it keeps three floats per update and takes at most 100,000 updates.
Suggestions:

* ``"steep"``: where the smoothed loss falls fastest against ``log(lr)``;
* ``"minimum"``: a tenth of the rate at the smoothed loss's minimum (fastai's ``lr_min``).

For a convex model the test has a yardstick: fixed-step descent is stable only below
``2 / L``, so a sound suggestion lies below it, within a small factor.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdlab.analysis.conditioning import conditioning
from gdlab.analysis.progress import Progress, progress_reporter
from gdlab.optim import iterate
from gdlab.schedules import constant, exponential, join

__all__ = ["MAX_NUM_ITER", "LRFinderResult", "lr_range_test"]

MIN_NUM_ITER = 5
#: The most updates one range test may take. fastai's default is 100 and a few hundred
#: resolve any curve; the bound keeps a mistyped count from running for hours.
MAX_NUM_ITER = 100_000
#: The widest sweep, ``end_lr / start_lr``.
MAX_SPAN = 1e300


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


def _check_sweep(start_lr: float, end_lr: float, num_iter: int) -> None:
    """Refuse a sweep that cannot be run, before any work."""
    if isinstance(num_iter, bool) or not isinstance(num_iter, numbers.Integral):
        raise ValueError(f"num_iter must be an integer, got {num_iter!r}.")
    if not MIN_NUM_ITER <= num_iter <= MAX_NUM_ITER:
        raise ValueError(
            f"num_iter must be from {MIN_NUM_ITER} to {MAX_NUM_ITER:,} (a curve needs a few, the "
            f"test stops once the loss blows up), got {num_iter:,}."
        )
    if not (0 < start_lr < end_lr < math.inf):
        raise ValueError(
            f"need 0 < start_lr < end_lr < inf, got start_lr={start_lr!r}, end_lr={end_lr!r}."
        )
    if start_lr < end_lr / MAX_SPAN:
        # The rate is start_lr * gamma**i: past 1e300 the growth gamma**i overflows.
        raise ValueError(
            f"start_lr must be at least end_lr / 1e300 = {end_lr / MAX_SPAN:.3g} (a sweep spans "
            f"at most 300 decades), got start_lr={start_lr!r}."
        )


def _sweep(
    model: Any,
    A: NDArray[np.float64],
    y: ArrayLike,
    *,
    start_lr: float,
    end_lr: float,
    num_iter: int,
    batch_size: int | None,
    method: str,
    seed: int | None,
    beta: float,
    stop_factor: float,
    report: Callable[[int, int, str], None] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Run the sweep one update at a time, stopping as soon as the smoothed loss blows up.

    Only the rate, the full-data loss and its smoothed value of each update are kept (the run
    records no parameters), so memory is three floats per update however many features.
    """
    per_epoch = 1 if batch_size is None else math.ceil(A.shape[0] / batch_size)
    # The growth factor is taken in log space, where rounding is the same at every width.
    # Growth stops at end_lr after num_iter updates: a geometric rate
    # left to grow overflows when the engine evaluates the schedule ahead of the updates.
    gamma = math.exp((math.log(end_lr) - math.log(start_lr)) / num_iter)
    sweep = join([exponential(lr=start_lr, gamma=gamma), constant(end_lr)], boundaries=[num_iter])
    updates = iterate(
        model, A, y, lr=sweep, lr_per="step", record=num_iter + 1, batch_size=batch_size,
        method=method, seed=seed, epochs=math.ceil(num_iter / per_epoch),
        # One event per update, so the sweep stops at the blow-up, not at the end of a
        # stretch. The plain NumPy engine, unlike the Gram engine, which steps the exact
        # offset from the minimiser, keeps the rounding noise of real training: a run that
        # has reached the optimum still blows up once lr > 2 / L, as it would in practice.
        engine="numpy", every="update",
    )  # fmt: skip
    kept = np.empty((3, num_iter))  # rate, loss, smoothed loss of each update
    n, avg, best = 0, 0.0, math.inf
    try:
        for update in updates:
            with np.errstate(all="ignore"):  # a blown-up run overflows: that is the signal
                loss = float(model.loss(update.w, A, y))
            if not math.isfinite(loss):
                break
            avg = beta * avg + (1 - beta) * loss
            smooth = avg / (1 - beta ** (n + 1))  # debias the zero start
            if smooth > stop_factor * min(best, smooth):  # fastai: 4 x the best so far
                break
            best = min(best, smooth)
            kept[:, n] = update.lr, loss, smooth
            n += 1
            if report is not None:
                report(n, num_iter, f"lr={update.lr:.3g}")
            if n == num_iter:
                break
    finally:
        updates.close()
    return kept[0, :n].copy(), kept[1, :n].copy(), kept[2, :n].copy()


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
    progress: Progress = False,
) -> LRFinderResult:
    """Sweep the learning rate upward and suggest one from the loss curve.

    Parameters
    ----------
    model : gdlab.models model
    X, y : array-like
        Design as the model sees it (including any intercept column) and labels.
    start_lr, end_lr : float
        Range of the geometric sweep, ``0 < start_lr < end_lr < inf``, at most 300 decades
        wide (``end_lr / start_lr <= 1e300``).
    num_iter : int
        Number of updates (each with its own rate), from 5 to ``MAX_NUM_ITER`` (100,000). The
        test usually ends sooner, once the loss has blown up.
    batch_size : int or None
        Batch size of the updates (None: full batch).
    method : str
        Update rule of ``descend``.
    rule : {"steep", "minimum"}
        How the suggestion is read from the curve (see the module docstring).
    beta : float
        Smoothing factor of the moving average, in ``[0, 1)``.
    stop_factor : float
        Stop as soon as the smoothed loss exceeds ``stop_factor x`` its minimum so far (or the
        loss is no longer finite): no update is spent past the blow-up.
    seed : int or None
        Seed of the batch shuffles.
    progress : bool or callable
        True draws a ``tqdm.auto`` bar of the updates (it ends at the blow-up); a callable is
        called as ``progress(done, total, label)`` after each update.

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
    _check_sweep(start_lr, end_lr, num_iter)
    if rule not in ("steep", "minimum"):
        raise ValueError(f"rule must be 'steep' or 'minimum', got {rule!r}.")
    if not (0 <= beta < 1) or not stop_factor > 1:
        raise ValueError(f"need 0 <= beta < 1 and stop_factor > 1, got {beta!r}, {stop_factor!r}.")
    A = np.asarray(X, dtype=np.float64)
    report = progress_reporter(progress, int(num_iter), "lr range test")
    lrs, losses, smoothed = _sweep(
        model, A, y, start_lr=start_lr, end_lr=end_lr, num_iter=int(num_iter),
        batch_size=batch_size, method=method, seed=seed, beta=beta, stop_factor=stop_factor,
        report=report,
    )  # fmt: skip
    if report is not None and smoothed.size < num_iter:  # the sweep is over: end the bar
        report(int(num_iter), int(num_iter), f"stopped at the blow-up after {smoothed.size}")
    if smoothed.size < 3:
        raise ValueError(
            f"the loss blew up within {smoothed.size} updates; lower start_lr (now {start_lr:g})."
        )
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
