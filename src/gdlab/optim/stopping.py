"""When a run stops: tolerance with patience, gradient-norm tolerance, and divergence.

``tol`` and ``n_iter_no_change`` mean what they mean in scikit-learn's SGD estimators: after
each epoch the monitored loss counts as "no improvement" when it is not below
``best - tol * scale``; the run stops after ``n_iter_no_change`` such epochs in a row.
``tol_mode="rel"`` (default) uses ``scale = |best|``, ``"abs"`` uses ``scale = 1``
(scikit-learn's own meaning).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass
class Stopper:
    """Patience-based tolerance on the epoch loss plus an optional gradient-norm tolerance.

    Examples
    --------
    >>> s = Stopper(tol=0.1, n_iter_no_change=2)
    >>> [s.epoch_end(v, grad_norm=1.0) for v in (10.0, 5.0, 4.9, 4.8)]
    [None, None, None, 'converged']
    >>> s.reason
    'loss improved by less than tol=0.1 (relative) for 2 epochs in a row'
    """

    tol: float | None = None
    n_iter_no_change: int = 5
    tol_mode: str = "rel"
    gtol: float | None = None
    best: float = math.inf
    count: int = 0
    reason: str = ""

    def __post_init__(self) -> None:
        for name in ("tol", "gtol"):
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
        """True when some tolerance can stop the run (so each epoch needs a full evaluation)."""
        return self.tol is not None or self.gtol is not None

    def epoch_end(self, metric: float, grad_norm: float) -> str | None:
        """Update with one epoch's loss; return "converged" when the run should stop."""
        if self.gtol is not None and grad_norm <= self.gtol:
            self.reason = f"gradient norm {grad_norm:.3g} <= gtol={self.gtol:g}"
            return "converged"
        if self.tol is None:
            return None
        scale = abs(self.best) if self.tol_mode == "rel" and math.isfinite(self.best) else 1.0
        if metric > self.best - self.tol * scale:
            self.count += 1
        else:
            self.count = 0
        self.best = min(self.best, metric)
        if self.count >= self.n_iter_no_change:
            kind = "relative" if self.tol_mode == "rel" else "absolute"
            self.reason = (
                f"loss improved by less than tol={self.tol:g} ({kind}) for "
                f"{self.n_iter_no_change} epochs in a row"
            )
            return "converged"
        return None

    def state(self) -> dict[str, Any]:
        """JSON-able counters for a resumed run (an infinite best is written as a string)."""
        return {"best": self.best if math.isfinite(self.best) else "inf", "count": self.count}

    def restore(self, state: dict[str, Any]) -> None:
        """Load counters written by :meth:`state`."""
        self.best = float(state.get("best", "inf"))
        self.count = int(state.get("count", 0))


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


def divergence_reason(what: str, lr: float, stable_lr: float | None, lipschitz_kind: str) -> str:
    """A sentence saying the run diverged and which learning rate would be stable.

    Examples
    --------
    >>> print(divergence_reason("loss is nan", 5.0, 0.4, "exact"))
    diverged at lr=5: loss is nan; a stable constant learning rate is below 2/L = 0.4
    (L = largest eigenvalue of the Hessian); try lr=0.2
    """
    text = f"diverged at lr={lr:g}: {what}"
    if stable_lr is None or not (math.isfinite(stable_lr) and stable_lr > 0):
        return text + "; lower the learning rate (e.g. by 10x) or scale the features"
    kind = (
        "L = largest eigenvalue of the Hessian"
        if lipschitz_kind == "exact"
        else "L = an upper bound on the Hessian's largest eigenvalue"
    )
    return (
        f"{text}; a stable constant learning rate is below 2/L = {stable_lr:.4g} ({kind}); "
        f"try lr={stable_lr / 2:.3g}"
    )
