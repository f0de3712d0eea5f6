"""Nesterov's accelerated gradient with adaptive restart and, for full batch, a step that
follows the local curvature: the estimators' full-batch rule."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import ClassVar

import numpy as np

from gdlab.optim.rules import Array, State, UpdateRule

# A step that passed the curvature test is tried this much longer at the next update, up to
# this many times the rate: on standardized digits the accepted steps reach about 135 x 1/L;
# unbounded growth along nearly flat directions let the momentum carry an ill-conditioned fit
# (features at 100 +- 1) far up the other side.
GROW, MAX_STEP = 1.25, 256.0
Oracle = Callable[[Array], tuple[float, Array]]


@dataclasses.dataclass(frozen=True)
class Accelerated(UpdateRule):
    r"""Nesterov's accelerated gradient (FISTA's momentum) with adaptive restart.

    With ``w`` the point where the gradient is taken, ``x`` the last gradient step and
    :math:`\eta` the step,

    .. math:: x^+ = w - \eta g,\quad t^+ = \tfrac12\big(1 + \sqrt{1 + 4 r t^2}\big),\quad
              w^+ = x^+ + \beta (x^+ - x),\quad \beta = \frac{t - 1}{t^+},

    with :math:`r = 1` for a constant step. At :math:`\eta = 1/L` on a convex objective this
    needs :math:`O(\sqrt{L/\epsilon})` steps where plain steps need :math:`O(L/\epsilon)`.

    ``restart`` drops the momentum (``t = 1``) whenever the step points uphill,
    :math:`g^\top (x^+ - x) > 0` (O'Donoghue & Candès, 2015): the run then adapts to the local
    strong convexity without knowing it. ``mu``, a lower bound on the strong convexity (an L2
    penalty's strength, or the smallest Hessian eigenvalue of least squares), keeps the
    momentum at least Nesterov's constant :math:`(1 - \sqrt{\mu\eta}) / (1 + \sqrt{\mu\eta})`
    (not with ``line_search``: a step checked along the gradient says nothing of the curvature
    along the momentum, and a floor kept up after restarts let such a run climb).

    ``line_search`` (full batch: the engine passes the full-data ``oracle``) lets the step
    exceed the rate ``lr`` where the curvature allows it, as FISTA's backtracking does: each
    update first tries 1.25 times the last accepted step (at most 256 ``lr``), and halves it
    until the gradient at the trial point :math:`x^+` differs from :math:`g` by at most
    :math:`\|g\|/2`. For a convex
    objective that bounds the curvature between the two points by :math:`1/(2\eta)`, so the
    step decreases the loss as a step of :math:`1/L` would; ``lr`` (``1/L``) is the floor, always
    accepted. The momentum sequence then uses :math:`r = \eta_{old}/\eta` (Scheinberg, Goldfarb
    and Bai, 2014). Logistic and softmax curvature far below its bound near the optimum: on
    standardized digits it takes about a third of the gradient evaluations. The momentum's move,
    which no trial checks, is checked one update later with the gradients both ends already
    have: if the curvature between :math:`x^+` and :math:`w^+` exceeds what the step allows,
    the update starts again from :math:`x^+` without momentum (a long step along a flat
    direction then cannot carry the run up a steep one).

    The state is ``x``, ``t``, ``step`` (the last step, 0 before the first), and with
    ``line_search`` the gradient at ``x`` (``gx``) and whether ``w`` is a checked extrapolation
    from it (``moved``).

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
    line_search: bool = False
    name: ClassVar[str] = "accelerated"

    def __post_init__(self) -> None:
        mu = self.mu
        if isinstance(mu, bool) or not isinstance(mu, (int, float, np.integer, np.floating)):
            raise TypeError(f"Accelerated: mu must be a float >= 0, got {type(mu).__name__}.")
        if not (math.isfinite(mu) and mu >= 0):
            raise ValueError(f"Accelerated: mu must be a finite float >= 0, got {mu!r}.")
        for flag in ("restart", "line_search"):
            if not isinstance(getattr(self, flag), bool):
                raise TypeError(
                    f"Accelerated: {flag} must be True or False, got {getattr(self, flag)!r}."
                )

    def init(self, w: Array) -> State:
        state = {"x": w.copy(), "t": np.ones((), np.float64), "step": np.zeros((), np.float64)}
        if self.line_search:
            state["gx"], state["moved"] = np.zeros_like(w), np.zeros((), np.float64)
        return state

    def momentum_at(self, t: float, step: float, ratio: float = 1.0) -> tuple[float, float]:
        """The next ``t`` and this step's momentum ``beta`` (without a restart); ``ratio`` is
        the last step over this one."""
        t_next = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * ratio * t * t))
        beta = (t - 1.0) / t_next
        if self.mu > 0 and not self.line_search:
            q = math.sqrt(min(self.mu * step, 1.0))
            beta = max(beta, (1.0 - q) / (1.0 + q))
        return t_next, beta

    def search(
        self, w: Array, g: Array, lr: float, last: float, oracle: Oracle
    ) -> tuple[float, Array | None]:
        """The step from ``w`` along ``-g``: the longest of ``min(1.25 last, 256 lr) / 2^j``
        whose trial point's gradient is within ``|g|/2`` of ``g``, and at least ``lr``; with
        the gradient at the trial point (None for ``lr``, which needs no trial)."""
        size = math.sqrt(float(np.vdot(g, g)))
        trial = max(min(GROW * last, MAX_STEP * lr), lr)
        while True:
            if trial <= lr:
                return lr, None
            there = oracle(w - trial * g)[1]
            change = there - g
            if math.sqrt(float(np.vdot(change, change))) <= 0.5 * size:
                return trial, there
            trial *= 0.5

    def _overshot(self, w: Array, g: Array, state: State, step: float) -> bool:
        """Whether the momentum's last move, from ``x`` to ``w``, went where the curvature is
        above what ``step`` allows (``|g - g_x| > |w - x| / (2 step)``)."""
        if not state["moved"]:
            return False
        change = g - state["gx"]
        move = w - state["x"]
        return bool(
            math.sqrt(float(np.vdot(change, change)))
            > math.sqrt(float(np.vdot(move, move))) / (2.0 * step)
        )

    def update(
        self,
        w: Array,
        g: Array,
        lr: float,
        state: State,
        momentum: float | None = None,
        oracle: Oracle | None = None,
    ) -> None:
        x, t, last = state["x"], state["t"], state["step"]
        step, ratio, there, back = lr, 1.0, None, False
        if self.line_search and oracle is not None:
            previous = float(last) if last > 0 else lr
            back = self._overshot(w, g, state, previous)
            if back:  # start again from x, whose gradient is known
                w[...] = x
                g[...] = state["gx"]
            step, there = self.search(w, g, lr, previous, oracle)
            ratio = previous / step
        g *= step
        w -= g  # w is now x+, the gradient step
        # Uphill: the gradient (a positive multiple of g) agrees with the move x+ - x.
        uphill = back or (self.restart and float(np.vdot(g, w - x)) > 0.0)
        np.subtract(w, x, out=g)  # g is now the move x+ - x
        # A restart starts the momentum sequence again (t = 1: no momentum on this step).
        t_next, beta = self.momentum_at(1.0 if uphill else float(t), step, ratio)
        x[...] = w
        if beta:
            g *= beta
            w += g
        t[...] = t_next
        last[...] = step
        if "gx" in state:  # the next update checks the momentum's move from x
            if there is not None:
                state["gx"][...] = there
            state["moved"][...] = float(bool(beta) and there is not None)
