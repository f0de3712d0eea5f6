"""Classic convergence theory of fixed-step gradient descent on a quadratic.

For a loss whose Hessian has extreme eigenvalues ``L`` (largest) and ``mu`` (smallest), one
gradient step with a fixed learning rate ``lr`` maps the error ``e = w - w*`` to
``(I - lr H) e``. Along an eigenvector of eigenvalue ``lam`` the error is multiplied by
``1 - lr * lam``, so the worst-case contraction per step is

``rate(lr) = max(|1 - lr L|, |1 - lr mu|)``.

It is below 1 exactly when ``0 < lr < 2 / L`` (the stable range) and smallest at
``lr = 2 / (L + mu)``, where it equals ``(kappa - 1) / (kappa + 1)`` with ``kappa = L / mu``.
Then ``||w_k - w*|| <= rate^k ||w_0 - w*||`` and a relative tolerance ``rtol`` is reached after
at most ``ceil(log(rtol) / log(rate))`` steps. The bound is tight on quadratics: a start with
weight on both extreme eigenvectors contracts at exactly that rate.
"""

from __future__ import annotations

import math

__all__ = ["best_lr", "contraction_rate", "predicted_iterations", "stable_lr"]


def _check_curvature(L: float, mu: float) -> None:
    if not (math.isfinite(L) and L > 0):
        raise ValueError(
            f"L (largest Hessian eigenvalue) must be a positive finite number, got {L!r}; "
            "an all-zero design has no curvature to analyse."
        )
    if not (0 <= mu <= L):
        raise ValueError(
            f"mu (smallest Hessian eigenvalue) must lie in [0, L] = [0, {L}], got {mu!r}."
        )


def stable_lr(L: float) -> float:
    """Largest fixed learning rate for which gradient descent still converges, ``2 / L``.

    Parameters
    ----------
    L : float
        Largest eigenvalue of the Hessian (the smoothness constant), > 0.

    Returns
    -------
    float
        ``2 / L``; any ``lr`` in ``(0, 2 / L)`` converges on a quadratic, any larger diverges.

    Examples
    --------
    >>> stable_lr(4.0)
    0.5
    """
    _check_curvature(L, 0.0)
    return 2.0 / L


def best_lr(L: float, mu: float) -> float:
    """Fixed learning rate with the fastest worst-case contraction, ``2 / (L + mu)``.

    Parameters
    ----------
    L, mu : float
        Largest and smallest Hessian eigenvalues, ``0 <= mu <= L``, ``L > 0``.

    Returns
    -------
    float
        ``2 / (L + mu)``.

    Examples
    --------
    >>> best_lr(4.0, 2.0)
    0.3333333333333333
    """
    _check_curvature(L, mu)
    return 2.0 / (L + mu)


def contraction_rate(L: float, mu: float, lr: float | None = None) -> float:
    """Worst-case factor by which one step shrinks ``||w - w*||``.

    ``rate(lr) = max(|1 - lr L|, |1 - lr mu|)``; with the default ``lr = 2 / (L + mu)`` this is
    ``(kappa - 1) / (kappa + 1)``.

    Parameters
    ----------
    L, mu : float
        Largest and smallest Hessian eigenvalues.
    lr : float, optional
        Fixed learning rate; defaults to :func:`best_lr`.

    Returns
    -------
    float
        The rate; ``>= 1`` means no guaranteed convergence (``lr >= 2 / L`` or ``mu == 0``).

    Examples
    --------
    >>> contraction_rate(4.0, 2.0)  # (kappa - 1) / (kappa + 1) with kappa = 2
    0.3333333333333333
    >>> contraction_rate(4.0, 2.0, lr=0.25)  # lr = 1 / L gives 1 - 1 / kappa
    0.5
    """
    _check_curvature(L, mu)
    if lr is None:
        lr = best_lr(L, mu)
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive finite number, got {lr!r}.")
    return max(abs(1.0 - lr * L), abs(1.0 - lr * mu))


def predicted_iterations(rate: float, rtol: float) -> float:
    """Steps after which ``||w_k - w*|| <= rtol ||w_0 - w*||`` is guaranteed.

    ``k = ceil(log(rtol) / log(rate))`` for ``0 < rate < 1``; ``0`` when ``rtol >= 1``;
    ``1`` when ``rate == 0`` (one step lands on the optimum); ``inf`` when ``rate >= 1``.

    Parameters
    ----------
    rate : float
        Contraction per step, from :func:`contraction_rate`.
    rtol : float
        Relative tolerance on the distance to the optimum, > 0.

    Returns
    -------
    float
        The iteration count (a whole number, or ``inf``).

    Examples
    --------
    >>> predicted_iterations(0.5, 1e-3)  # 0.5**10 < 1e-3 <= 0.5**9
    10.0
    >>> predicted_iterations(1.0, 1e-3)
    inf
    """
    if not (math.isfinite(rtol) and rtol > 0):
        raise ValueError(f"rtol must be a positive finite number, got {rtol!r}.")
    if not rate >= 0:
        raise ValueError(f"rate must be >= 0, got {rate!r}; compute it with contraction_rate.")
    if rtol >= 1:
        return 0.0
    if rate >= 1:
        return math.inf
    if rate == 0:
        return 1.0
    # A tiny epsilon keeps exact powers (rtol == rate**k) from rounding up to k + 1.
    return float(math.ceil(math.log(rtol) / math.log(rate) - 1e-12))
