"""What the estimators say when a fit does not converge, or diverges: what to change.

A fit converges when the gradient norm of its objective on all training rows falls to
``tol`` times its norm at ``w = 0`` (see ``tol`` in :class:`gdlab.estimators.GDRegressor`).
Otherwise the warning says how far off it is, which iterate ``coef_`` holds, and what to
change: the budget (``max_iter``, with an estimate for full batch), the rule, the rate,
``l2`` (separable classes have no optimum without it) or the batches (mini-batch steps at a
constant rate hover around the optimum instead of reaching it).
"""

from __future__ import annotations

import math

import numpy as np

from gdlab.trajectory import Trajectory

_STANDARDIZE = "standardize X (gdlab.scaling.StandardScaler in a Pipeline) if it is not yet"


def not_converged(
    name: str,
    history: Trajectory,
    tol: float,
    *,
    batch_size: int | None,
    rule: str,
    lr_auto: bool,
    separable: bool,
) -> str:
    """The ConvergenceWarning of a fit that ran out of epochs (status "max_epochs").

    Examples
    --------
    >>> import numpy as np
    >>> t = Trajectory(params=np.zeros((2, 1)), loss=np.array([2.0, 1.0]),
    ...                lr=np.array([np.nan, 0.1]), epoch=np.array([0, 100]),
    ...                step=np.array([0, 100]), grad_norm=np.array([1.0, 1e-3]),
    ...                samples_seen=np.array([0, 100]), time=np.array([0.0, 0.01]))
    >>> print(not_converged("GDRegressor", t, 1e-8, batch_size=None, rule="gd",
    ...                     lr_auto=True, separable=False))
    GDRegressor did not converge in max_iter=100 epochs: the gradient norm is 0.001, 1e+05
    times the target tol x its norm at w = 0 = 1e-08; coef_ holds the iterate of epoch 100, the
    lowest loss seen. To converge: raise max_iter to about 267 (the gradient norm's rate of
    decrease so far); use method='accelerated', which needs about sqrt(L/mu) times fewer
    epochs; or standardize X (gdlab.scaling.StandardScaler in a Pipeline) if it is not yet.
    """
    stopper = history.state.get("stopper") or {}
    start = stopper.get("grad_scale")
    target = tol * (float(start) if start is not None else float(history.grad_norm[0]))
    g = float(history.grad_norm[-1])
    epochs = history.n_epochs
    # The rate of decrease over the latest epochs (the start's is often far faster).
    recent = [float(v) for v in stopper.get("recent") or [] if v is not None]
    if len(recent) >= 2:
        window = (recent[0], recent[-1], len(recent) - 1)
    else:  # the recorded rows
        span = int(history.epoch[-1] - history.epoch[0])
        window = (float(history.grad_norm[0]), float(history.grad_norm[-1]), span)
    if separable:
        return (
            f"{name} has no optimum to converge to: the classes are linearly separable, so "
            "with l2=0 the loss keeps falling towards 0 while the coefficients grow without "
            f"bound (after {epochs} epochs the largest is {np.abs(history.w).max():.3g}); more "
            "epochs or a looser tol only make them larger. Set l2 > 0 (l2='auto' is "
            "LogisticRegression(C=1.0)'s penalty)."
        )
    head = (
        f"{name} did not converge in max_iter={epochs} epochs: the gradient norm is {g:.3g}, "
        f"{g / target:.3g} times the target tol x its norm at w = 0 = {target:.3g}; coef_ holds "
        f"the iterate of epoch {history.best_epoch}, the lowest loss seen. To converge: "
    )
    if batch_size is not None:
        return head + (
            f"at a constant rate, steps on batches of {batch_size} rows hover around the "
            "optimum (at a distance set by the rate and the batches' noise) instead of reaching "
            "it: decay the rate (e.g. lr='exponential(lr=0.1, gamma=0.95)'), raise batch_size, "
            "fit full batch (batch_size=None), or pass tol=None to run max_iter epochs without "
            "this test."
        )
    advice = [_budget(*window, target, epochs)]
    if rule != "accelerated":
        advice.append("use method='accelerated', which needs about sqrt(L/mu) times fewer epochs")
    if not lr_auto:
        advice.append("use lr='auto' (1/L, the largest stable constant rate for full batch)")
    advice.append(_STANDARDIZE)
    return head + "; ".join(advice[:-1]) + "; or " + advice[-1] + "."


def _budget(first: float, last: float, span: int, target: float, epochs: int) -> str:
    """``raise max_iter to about N`` from the gradient norm's geometric rate of decrease from
    ``first`` to ``last`` over ``span`` epochs."""
    if span >= 1 and 0 < last < first:
        rate = (last / first) ** (1.0 / span)
        if rate < 1:
            more = math.ceil(math.log(target / last) / math.log(rate))
            if 0 < more < 10**9:
                return (
                    f"raise max_iter to about {epochs + more} (the gradient norm's rate of "
                    "decrease so far)"
                )
    return "the gradient norm is not falling: lower lr, or raise max_iter"


def diverged(name: str, history: Trajectory, batch_size: int | None) -> str:
    """The ValueError of a fit whose loss blew up.

    Examples
    --------
    >>> t = Trajectory(params=np.zeros((1, 1)), loss=np.ones(1), lr=np.ones(1),
    ...                epoch=np.zeros(1), step=np.zeros(1), grad_norm=np.ones(1),
    ...                samples_seen=np.zeros(1), time=np.zeros(1), status="diverged",
    ...                reason="diverged at lr=5: loss is nan")
    >>> print(diverged("GDRegressor", t, None))
    GDRegressor: diverged at lr=5: loss is nan. Lower lr: lr='auto' (1/L) is stable for full
    batch; or standardize X (gdlab.scaling.StandardScaler in a Pipeline) if it is not yet.
    """
    rows = "1 row" if batch_size == 1 else f"{batch_size} rows"
    stable = (
        "lr='auto' (1/L) is stable for full batch"
        if batch_size is None
        else f"lr='auto' follows the curvature of batches of {rows}"
    )
    return f"{name}: {history.reason}. Lower lr: {stable}; or {_STANDARDIZE}."


def separable(A: np.ndarray, codes: np.ndarray, k: int, w: np.ndarray) -> bool:
    """Whether a linear model classifies every row of ``A`` (intercept column included)
    correctly, with a margin: then the unpenalised cross-entropy has no minimum.

    Certificates, cheapest first: the fitted weights ``w`` already do (their scores put every
    row strictly in its class); or a linear program finds weights that do, "``s_i a_i^T v >=
    1``" with ``s_i = +-1`` for two classes (exact), and for more classes each class against
    the others (enough, not needed: classes separable only jointly, as digits' are, are found
    by the first test once the fit separates them).

    Examples
    --------
    >>> A = np.c_[[-2.0, -1.0, 1.0, 2.0], np.ones(4)]; w = np.zeros(2)
    >>> separable(A, np.array([0, 0, 1, 1]), 2, w), separable(A, np.array([0, 1, 0, 1]), 2, w)
    (True, False)
    """
    from scipy.optimize import linprog

    scores = A @ w
    rows = np.arange(len(codes))
    if scores.ndim == 1:
        sign = np.where(codes == 1, 1.0, -1.0)
        if np.all(sign * scores > 0):
            return True
    else:
        others = scores.copy()
        others[rows, codes] = -np.inf
        if np.all(scores[rows, codes] > others.max(axis=1)):
            return True
    for c in [1] if k == 2 else range(k):
        sign = np.where(codes == c, 1.0, -1.0)
        found = linprog(
            np.zeros(A.shape[1]), A_ub=-(A * sign[:, None]), b_ub=-np.ones(len(codes)),
            bounds=(None, None), method="highs",
        )  # fmt: skip
        if found.status != 0:
            return False
    return True
