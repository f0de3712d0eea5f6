"""Curvature of the loss: the Hessian's extreme eigenvalues ``L``, ``mu`` and ``kappa = L / mu``.

Least squares with loss ``mean((X w - y)^2) + l2 / 2 ||w||^2`` has the constant Hessian
``H = 2 X^T X / m + l2 I``. Logistic regression's Hessian ``X^T D X / m + l2 I`` (``D`` the
diagonal of ``p (1 - p) <= 1/4``) is bounded by ``X^T X / (4 m) + l2 I``; softmax's by
``X^T X / (2 m) + l2 I`` (Böhning's bound). For those two the numbers below are the bound's.

The intercept is handled by appending a ones column last (as ``gdlab.datasets.add_intercept``
and the lesson do) when ``intercept=True``; pass ``intercept=False`` when ``X`` already holds it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from gdlab.analysis.scaler_copies import fresh_scaler
from gdlab.analysis.theory import best_lr, contraction_rate, predicted_iterations, stable_lr
from gdlab.models import InterceptFreeL2, LeastSquares, Logistic, Softmax
from gdlab.scaling import SCALERS

__all__ = ["Conditioning", "conditioning", "conditioning_table"]

# Factor c in the Hessian (bound) c * X^T X / m, per model.
_CURVATURE = {"least_squares": 2.0, "logistic": 0.25, "softmax": 0.5}
_MODELS = {LeastSquares: "least_squares", Logistic: "logistic", Softmax: "softmax"}


@dataclass(frozen=True)
class Conditioning:
    """Extreme curvatures of a loss and what they imply for fixed-step gradient descent.

    Attributes
    ----------
    L, mu : float
        Largest and smallest eigenvalue of the Hessian (or its bound, see ``model``).
    model : str
        ``"least_squares"`` (exact Hessian), ``"logistic"`` or ``"softmax"`` (upper bound).
    intercept : bool
        Whether a ones column was appended before computing.
    """

    L: float
    mu: float
    model: str = "least_squares"
    intercept: bool = True

    @property
    def kappa(self) -> float:
        """Condition number ``L / mu`` (``inf`` when ``mu == 0``)."""
        return self.L / self.mu if self.mu > 0 else math.inf

    @property
    def lr_stable(self) -> float:
        """Largest stable fixed learning rate ``2 / L``."""
        return stable_lr(self.L)

    @property
    def lr_best(self) -> float:
        """Fastest fixed learning rate ``2 / (L + mu)``."""
        return best_lr(self.L, self.mu)

    def rate(self, lr: float | None = None) -> float:
        """Worst-case contraction ``max(|1 - lr L|, |1 - lr mu|)``, default ``lr = lr_best``."""
        return contraction_rate(self.L, self.mu, lr)

    def predicted_iterations(self, rtol: float, lr: float | None = None) -> float:
        """Steps to reach ``||w_k - w*|| <= rtol ||w_0 - w*||`` at ``lr`` (default ``lr_best``)."""
        return predicted_iterations(self.rate(lr), rtol)

    def __repr__(self) -> str:
        return (
            f"Conditioning(L={self.L:.6g}, mu={self.mu:.6g}, kappa={self.kappa:.6g}, "
            f"model={self.model!r}, intercept={self.intercept})"
        )


def _model_name(model: Any) -> tuple[str, float, bool]:
    """Model key, its l2 strength, and whether the penalty spares the last (ones) column."""
    if isinstance(model, InterceptFreeL2):
        return _model_name(model.base)[0], model.strength, True
    if isinstance(model, str):
        if model not in _CURVATURE:
            raise ValueError(
                f"model must be one of {sorted(_CURVATURE)} or a gdlab.models instance, "
                f"got {model!r}."
            )
        return model, 0.0, False
    name = next((key for cls, key in _MODELS.items() if isinstance(model, cls)), None)
    if name is None:
        raise TypeError(
            "model must be a name such as 'least_squares' or a gdlab.models LeastSquares, "
            f"Logistic or Softmax instance, got {type(model).__name__}."
        )
    return name, float(getattr(model, "l2", 0.0)), False


def _design(X: ArrayLike, intercept: bool) -> NDArray[np.float64]:
    A = np.asarray(X, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] == 0:
        raise ValueError(f"X must be a non-empty 2-D array (rows x features), got shape {A.shape}.")
    if not np.isfinite(A).all():
        raise ValueError("X contains NaN or inf; impute or drop those rows before analysing it.")
    if intercept:
        A = np.hstack([A, np.ones((A.shape[0], 1))])
    return A


def conditioning(
    X: ArrayLike, *, model: Any = "least_squares", intercept: bool = True, l2: float | None = None
) -> Conditioning:
    """Largest and smallest Hessian eigenvalue of the model's loss on design ``X``.

    ``H = c X^T X / m + l2 I`` with ``c = 2`` for least squares (exact), ``1/4`` for logistic and
    ``1/2`` for softmax (upper bounds); eigenvalues from ``numpy.linalg.eigvalsh``.

    Parameters
    ----------
    X : array-like, shape (m, d)
        Features, without the intercept column when ``intercept=True``.
    model : str or gdlab.models instance
        ``"least_squares"``, ``"logistic"``, ``"softmax"``, or a model (its ``l2`` is used;
        ``InterceptFreeL2`` spares the last column, the intercept's).
    intercept : bool
        Append a ones column last before computing.
    l2 : float, optional
        Ridge strength; overrides the model's.

    Returns
    -------
    Conditioning

    Examples
    --------
    A diagonal design: ``X^T X / m = diag(a^2, b^2) / 2``, so ``L = 2 * 9 / 2``, ``mu = 2 / 2``.

    >>> c = conditioning([[3.0, 0.0], [0.0, 1.0]], intercept=False)
    >>> c.L, c.mu, c.kappa
    (9.0, 1.0, 9.0)
    >>> c.lr_stable, c.lr_best
    (0.2222222222222222, 0.2)
    """
    name, model_l2, spare_last = _model_name(model)
    ridge = model_l2 if l2 is None else float(l2)
    if ridge < 0:
        raise ValueError(f"l2 must be >= 0, got {ridge}.")
    A = _design(X, intercept)
    penalty = np.diag(np.r_[np.full(A.shape[1] - 1, ridge), 0.0 if spare_last else ridge])
    c, m = _CURVATURE[name], A.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        H = c * (A.T @ A) / m + penalty
    if np.isfinite(H).all():
        eig = np.linalg.eigvalsh(H)
    else:
        # X^T X overflows (features of about 1e154 and more). Dividing X by a power of two
        # changes no digit: the rescaled Hessian's eigenvalues, scaled back, are the true
        # ones wherever they fit in float64.
        _, k = np.frexp(np.max(np.abs(A)))
        S = np.ldexp(A, -int(k))
        eig = np.linalg.eigvalsh(c * (S.T @ S) / m + np.ldexp(penalty, -2 * int(k)))
        with np.errstate(over="ignore"):
            eig = np.ldexp(eig, 2 * int(k))
    L = float(eig[-1])
    if not math.isfinite(L):
        raise ValueError(
            f"the curvature of X overflows float64 (largest Hessian eigenvalue beyond 1.8e308; "
            f"largest |x| = {np.max(np.abs(A)):.3g}); scale the features first, e.g. with "
            "gdlab.scaling.StandardScaler."
        )
    # Round-off can make a singular Hessian's smallest eigenvalue slightly negative;
    # anything below L * d * eps is indistinguishable from zero curvature.
    floor = L * A.shape[1] * np.finfo(np.float64).eps
    mu = float(eig[0]) if eig[0] > floor else 0.0
    if L <= 0:
        raise ValueError("X is all zeros: the loss has no curvature; check the data.")
    return Conditioning(L=L, mu=mu, model=name, intercept=intercept)


def conditioning_table(
    X: ArrayLike,
    *,
    scalers: Mapping[str, Any] | None = None,
    model: Any = "least_squares",
    intercept: bool = True,
    rtol: float = 1e-6,
) -> pd.DataFrame:
    """Conditioning of ``X`` raw and after each scaler, one row each.

    Parameters
    ----------
    X : array-like, shape (m, d)
        Raw features, without an intercept column when ``intercept=True``.
    scalers : mapping of str to scaler, optional
        Name to a scaler instance or class (a fresh copy is fitted here on ``X``); defaults to
        ``gdlab.scaling.SCALERS``.
    model, intercept
        As in :func:`conditioning`.
    rtol : float
        Tolerance for the ``predicted_iterations`` column (at ``lr = 2 / (L + mu)``).

    Returns
    -------
    pandas.DataFrame
        Index ``"raw"`` then the scaler names; columns ``L, mu, kappa, lr_stable, lr_best,
        predicted_iterations``.

    Examples
    --------
    >>> from sklearn.preprocessing import StandardScaler
    >>> X = [[1.0, 100.0], [2.0, 300.0], [3.0, 200.0]]
    >>> t = conditioning_table(X, scalers={"zscore": StandardScaler})
    >>> list(t.index), bool(t.loc["zscore", "kappa"] < t.loc["raw", "kappa"])
    (['raw', 'zscore'], True)
    """
    if scalers is None:
        scalers = SCALERS
    A = np.asarray(X, dtype=np.float64)
    rows: dict[str, Conditioning] = {"raw": conditioning(A, model=model, intercept=intercept)}
    for name, scaler in scalers.items():
        scaled = fresh_scaler(scaler).fit_transform(A)
        rows[name] = conditioning(scaled, model=model, intercept=intercept)
    frame = pd.DataFrame(
        {
            "L": [c.L for c in rows.values()],
            "mu": [c.mu for c in rows.values()],
            "kappa": [c.kappa for c in rows.values()],
            "lr_stable": [c.lr_stable for c in rows.values()],
            "lr_best": [c.lr_best for c in rows.values()],
            "predicted_iterations": [c.predicted_iterations(rtol) for c in rows.values()],
        },
        index=pd.Index(list(rows), name="scaler"),
    )
    return frame
