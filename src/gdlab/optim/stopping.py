"""When a run stops: the gradient test, a loss plateau, early stopping, and divergence.

Only the gradient test says a run "converged": ``gtol`` (absolute) or ``gtol_rel`` (relative
to the gradient norm at ``w = 0``) bound the norm of the full-data gradient at an epoch end,
the first-order measure of the distance to the optimum that lbfgs stops on. The other rules stop
a run without claiming that: a loss that stays flat ("stalled": ``tol``, ``n_iter_no_change``,
after each epoch the loss within ``tol * scale`` of the best so far, ``scale = |best|`` for
``tol_mode="rel"``, 1 for ``"abs"``), and a validation loss that stopped reaching new lows
("early_stopped"). A loss that oscillates above its best is not a plateau: only epochs inside
the band count, so a run whose rate is too large for its batches does not stop as if it had
settled.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

# A loss this many times the reference loss (see divergence_reference) has diverged. A
# least-squares loss that blows up grows geometrically and passes any factor within a few
# steps; a cross-entropy grows only linearly in |w| (by about |x w| per row), so the factor
# must be small enough for it too: 1000 x log(2) means the mean logit is about 700 on the
# wrong side. Runs that converge stay far below it (an oscillating but stable rate peaks at
# a few times the start).
EXPLODE_FACTOR = 1e3
# Epoch-end gradient norms kept (the latest): their rate of decrease tells how many more
# epochs a run that ran out of them needs.
RECENT = 64


@dataclass
class Stopper:
    """The stopping rules of a run, updated once per epoch with its losses and gradient norm.

    ``grad_scale`` is the gradient norm at ``w = 0`` that ``gtol_rel`` is relative to (the
    run sets it). ``early_stopping`` watches the validation loss passed to :meth:`epoch_end`.
    ``recent`` holds the latest epoch-end gradient norms.

    Examples
    --------
    >>> s = Stopper(tol=0.1, n_iter_no_change=2)
    >>> [s.epoch_end(v, grad_norm=1.0) for v in (10.0, 5.0, 4.9, 4.8)]
    [None, None, None, 'stalled']
    >>> s.reason
    'the loss stayed within tol=0.1 (relative) of its best for 2 epochs in a row'
    >>> s = Stopper(tol=0.1, n_iter_no_change=2)   # oscillating far above its best: no plateau
    >>> [s.epoch_end(v, grad_norm=1.0) for v in (10.0, 5.0, 9.0, 5.2, 9.0, 5.1)]
    [None, None, None, None, None, None]
    >>> Stopper(gtol_rel=1e-3, grad_scale=50.0).epoch_end(1.0, grad_norm=0.04)
    'converged'
    """

    tol: float | None = None
    n_iter_no_change: int = 5
    tol_mode: str = "rel"
    gtol: float | None = None
    gtol_rel: float | None = None
    early_stopping: bool = False
    grad_scale: float = math.nan
    best: float = math.inf
    count: int = 0
    val_best: float = math.inf
    val_count: int = 0
    reason: str = ""
    recent: deque[float] = field(default_factory=lambda: deque(maxlen=RECENT))

    def __post_init__(self) -> None:
        for name in ("tol", "gtol", "gtol_rel"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a float >= 0 or None, got {value!r}.")
        if isinstance(self.n_iter_no_change, bool) or not (
            isinstance(self.n_iter_no_change, int) and self.n_iter_no_change >= 1
        ):
            raise ValueError(
                f"n_iter_no_change must be an int >= 1, got {self.n_iter_no_change!r}."
            )
        if self.tol_mode not in ("rel", "abs"):
            raise ValueError(f"tol_mode must be 'rel' or 'abs', got {self.tol_mode!r}.")

    @property
    def active(self) -> bool:
        """True when some rule can stop the run (so each epoch needs a full evaluation)."""
        return (
            self.tol is not None or self.gtol is not None or self.gtol_rel is not None
            or self.early_stopping
        )  # fmt: skip

    @property
    def threshold(self) -> float:
        """The gradient norm at or below which the run has converged (-inf: no test)."""
        limits = [self.gtol] if self.gtol is not None else []
        if self.gtol_rel is not None and math.isfinite(self.grad_scale):
            limits.append(self.gtol_rel * self.grad_scale)
        return max(limits) if limits else -math.inf

    def epoch_end(self, metric: float, grad_norm: float, val: float | None = None) -> str | None:
        """Update with one epoch's training loss, gradient norm and validation loss; return
        "converged", "stalled" or "early_stopped" when the run should stop."""
        self.recent.append(grad_norm)
        if grad_norm <= self.threshold:
            self.reason = self._converged(grad_norm)
            return "converged"
        if self.early_stopping and val is not None:
            self.val_count = 0 if val < self.val_best else self.val_count + 1
            self.val_best = min(self.val_best, val)
            if self.val_count >= self.n_iter_no_change:
                self.reason = (
                    f"the validation loss has not improved on {self.val_best:.6g} for "
                    f"{self.n_iter_no_change} epochs in a row (early stopping)"
                )
                return "early_stopped"
        if self.tol is None:
            return None
        scale = abs(self.best) if self.tol_mode == "rel" and math.isfinite(self.best) else 1.0
        band = self.tol * scale
        # Flat: within the band around the best. Below it is progress, above it an
        # oscillation; either resets the count.
        flat = self.best - band < metric <= self.best + band
        self.count = self.count + 1 if flat else 0
        self.best = min(self.best, metric)
        if self.count >= self.n_iter_no_change:
            kind = "relative" if self.tol_mode == "rel" else "absolute"
            self.reason = (
                f"the loss stayed within tol={self.tol:g} ({kind}) of its best for "
                f"{self.n_iter_no_change} epochs in a row"
            )
            return "stalled"
        return None

    def _converged(self, grad_norm: float) -> str:
        if self.gtol is not None and grad_norm <= self.gtol:
            return f"gradient norm {grad_norm:.3g} <= gtol={self.gtol:g}"
        return (
            f"gradient norm {grad_norm:.3g} <= gtol_rel={self.gtol_rel:g} x {self.grad_scale:.3g} "
            "(its norm at w = 0)"
        )

    def state(self) -> dict[str, Any]:
        """JSON-able counters for a resumed run (an infinite best is written as a string)."""
        return {
            "best": _number(self.best), "count": self.count,
            "val_best": _number(self.val_best), "val_count": self.val_count,
            "grad_scale": self.grad_scale if math.isfinite(self.grad_scale) else None,
            "recent": [g if math.isfinite(g) else None for g in self.recent],
        }  # fmt: skip

    def restore(self, state: dict[str, Any]) -> None:
        """Load counters written by :meth:`state`."""
        self.best = float(state.get("best", "inf"))
        self.count = int(state.get("count", 0))
        self.val_best = float(state.get("val_best", "inf"))
        self.val_count = int(state.get("val_count", 0))
        recent = [math.nan if g is None else float(g) for g in state.get("recent") or []]
        self.recent = deque(recent, maxlen=RECENT)


def _number(value: float) -> float | str:
    return value if math.isfinite(value) else "inf"


def explosion(loss: float, reference: float) -> str | None:
    """What shows that a run diverged, or None when ``loss`` is fine: it is not finite, or
    more than ``EXPLODE_FACTOR`` times ``reference`` (see :func:`divergence_reference`).

    Examples
    --------
    >>> explosion(10.0, 1.0) is None, explosion(float("nan"), 1.0)
    (True, 'loss is nan')
    >>> print(explosion(7.08e4, 0.693))
    loss 7.08e+04 is more than 1000 x the reference 0.693 (the larger of the starting loss and
    the loss at w = 0)
    """
    if not math.isfinite(loss):
        return f"loss is {loss}"
    if loss <= EXPLODE_FACTOR * max(reference, 1e-300):
        return None
    return (
        f"loss {loss:.3g} is more than {EXPLODE_FACTOR:g} x the reference {reference:.3g} (the "
        "larger of the starting loss and the loss at w = 0)"
    )


def divergence_reference(loss: Callable[[Array], float], w0: Array, loss0: float) -> float:
    """The loss that divergence is measured against: the start's ``loss0``, or ``loss`` (the
    full-data loss of the run's rows) at ``w = 0`` if that is larger.

    A run started at (or very near) the optimum of noiseless data has a starting loss of about
    0, so any method that moves at all (Adam's normalised steps do) would otherwise look like
    an explosion. The loss at ``w = 0`` is a scale of the problem that does not vanish; it costs
    one extra pass, and only when the run starts away from zero.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import LeastSquares
    >>> X, y = np.eye(2), np.array([3.0, 4.0])
    >>> divergence_reference(lambda w: LeastSquares().loss(w, X, y), np.array([3.0, 4.0]), 0.0)
    12.5
    """
    if not np.any(w0):
        return loss0
    with np.errstate(all="ignore"):
        at_zero = loss(np.zeros_like(w0))
    return max(loss0, at_zero) if math.isfinite(at_zero) else loss0


def divergence_reason(
    what: str,
    lr: float,
    stable_lr: float | None,
    lipschitz_kind: str,
    batch_size: int | None = None,
) -> str:
    """A sentence saying the run diverged and which learning rate would be stable.

    Full batch (``batch_size`` None): ``stable_lr`` is ``2/L`` with ``L`` the Hessian's
    largest eigenvalue (or a bound on it), below which a constant rate cannot diverge. Batches
    of rows: the full-batch bound does not apply (one row can be far more curved than their
    mean); ``stable_lr`` is then ``2/L_max``, with ``L_max`` the largest curvature of a single
    row, which bounds every batch's: below it every update shrinks its batch's error instead
    of amplifying it.

    Examples
    --------
    >>> print(divergence_reason("loss is nan", 5.0, 0.4, "exact"))
    diverged at lr=5: loss is nan; a stable constant learning rate is below 2/L = 0.4
    (L = largest eigenvalue of the Hessian); try lr=0.2
    >>> print(divergence_reason("loss is nan", 0.2, 0.012, "bound", batch_size=1))
    diverged at lr=0.2: loss is nan; with batches of 1 row the full-batch bound 2/L does not
    hold: below 2/L_max = 0.012 (L_max = the largest curvature of one row, which bounds every
    batch's) each update shrinks its batch's error instead of amplifying it; try lr=0.006
    """
    text = f"diverged at lr={lr:g}: {what}"
    if stable_lr is None or not (math.isfinite(stable_lr) and stable_lr > 0):
        return text + "; lower the learning rate (e.g. by 10x) or scale the features"
    if batch_size is not None:
        rows = "row" if batch_size == 1 else "rows"
        return (
            f"{text}; with batches of {batch_size} {rows} the full-batch bound 2/L does not "
            f"hold: below 2/L_max = {stable_lr:.4g} (L_max = the largest curvature of one row, "
            "which bounds every batch's) each update shrinks its batch's error instead of "
            f"amplifying it; try lr={stable_lr / 2:.3g}"
        )
    kind = (
        "L = largest eigenvalue of the Hessian"
        if lipschitz_kind == "exact"
        else "L = an upper bound on the Hessian's largest eigenvalue"
    )
    return (
        f"{text}; a stable constant learning rate is below 2/L = {stable_lr:.4g} ({kind}); "
        f"try lr={stable_lr / 2:.3g}"
    )


def bad_start(loss: float, X: Any, y: Any) -> str:
    """Why the loss at a run's start is not finite: NaN or inf in the data, or finite values
    so large that the loss overflows (X and y may be NumPy or Dask arrays).

    Examples
    --------
    >>> import numpy as np
    >>> print(bad_start(float("inf"), np.ones((2, 1)), np.array([1e200, 0.0])))
    the loss at the starting point overflows float64 (inf) although X and y are finite: their
    values are too large (largest |y| = 1e+200, largest |x| = 1) or w0 is extreme. Scale the
    target (e.g. sklearn.compose.TransformedTargetRegressor with a StandardScaler) and the
    features.
    """
    if not (bool(np.isfinite(X).all()) and bool(np.isfinite(y).all())):
        return (
            f"the loss at the starting point is {loss}: X or y holds NaN or infinite values; "
            "impute or drop those rows first."
        )
    top_y, top_x = float(np.max(np.abs(y))), float(np.max(np.abs(X)))
    return (
        f"the loss at the starting point overflows float64 ({loss}) although X and y are "
        f"finite: their values are too large (largest |y| = {top_y:.3g}, largest |x| = "
        f"{top_x:.3g}) or w0 is extreme. Scale the target (e.g. "
        "sklearn.compose.TransformedTargetRegressor with a StandardScaler) and the features."
    )
