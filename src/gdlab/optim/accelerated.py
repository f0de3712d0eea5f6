"""Nesterov's accelerated gradient with adaptive restart: the estimators' full-batch rule."""

from __future__ import annotations

import dataclasses
import math
from typing import ClassVar

import numpy as np

from gdlab.optim.rules import Array, State, UpdateRule


@dataclasses.dataclass(frozen=True)
class Accelerated(UpdateRule):
    r"""Nesterov's accelerated gradient (FISTA's momentum) with adaptive restart.

    With ``w`` the point where the gradient is taken and ``x`` the last gradient step,

    .. math:: x^+ = w - \eta g,\quad t^+ = \tfrac12\big(1 + \sqrt{1 + 4t^2}\big),\quad
              w^+ = x^+ + \beta (x^+ - x),\quad \beta = \frac{t - 1}{t^+}.

    At rate :math:`\eta = 1/L` on a convex objective this needs :math:`O(\sqrt{L/\epsilon})`
    steps where plain steps need :math:`O(L/\epsilon)`. ``restart`` drops the momentum
    (``t = 1``) whenever the step points uphill, :math:`g^\top (x^+ - x) > 0` (O'Donoghue &
    Candès, 2015): the run then adapts to the local strong convexity without knowing it.
    ``mu``, a lower bound on the strong convexity (an L2 penalty's strength, or the smallest
    Hessian eigenvalue of least squares), keeps the momentum at least Nesterov's constant
    :math:`(1 - \sqrt{\mu\eta}) / (1 + \sqrt{\mu\eta})`. The state is ``x`` and ``t``.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.zeros(1); rule = Accelerated(); s = rule.init(w)
    >>> for _ in range(3): rule.update(w, np.full(1, -1.0), 1.0, s)
    >>> w   # moves of 1, 1 + 0.28 x 1, then 1 + 0.43 x 1.28: the momentum builds up
    array([3.83808939])
    """

    mu: float = 0.0
    restart: bool = True
    name: ClassVar[str] = "accelerated"

    def __post_init__(self) -> None:
        mu = self.mu
        if isinstance(mu, bool) or not isinstance(mu, (int, float, np.integer, np.floating)):
            raise TypeError(f"Accelerated: mu must be a float >= 0, got {type(mu).__name__}.")
        if not (math.isfinite(mu) and mu >= 0):
            raise ValueError(f"Accelerated: mu must be a finite float >= 0, got {mu!r}.")
        if not isinstance(self.restart, bool):
            raise TypeError(f"Accelerated: restart must be True or False, got {self.restart!r}.")

    def init(self, w: Array) -> State:
        return {"x": w.copy(), "t": np.ones((), np.float64)}

    def momentum_at(self, t: float, lr: float) -> tuple[float, float]:
        """The next ``t`` and this step's momentum ``beta`` (without a restart)."""
        t_next = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * t * t))
        beta = (t - 1.0) / t_next
        if self.mu > 0:
            q = math.sqrt(min(self.mu * lr, 1.0))
            beta = max(beta, (1.0 - q) / (1.0 + q))
        return t_next, beta

    def update(
        self, w: Array, g: Array, lr: float, state: State, momentum: float | None = None
    ) -> None:
        x, t = state["x"], state["t"]
        g *= lr
        w -= g  # w is now x+, the gradient step
        # Uphill: the gradient (a positive multiple of g) agrees with the move x+ - x.
        uphill = self.restart and float(np.vdot(g, w - x)) > 0.0
        np.subtract(w, x, out=g)  # g is now the move x+ - x
        # A restart starts the momentum sequence again (t = 1: no momentum on this step).
        t_next, beta = self.momentum_at(1.0 if uphill else float(t), lr)
        x[...] = w
        if beta:
            g *= beta
            w += g
        t[...] = t_next
