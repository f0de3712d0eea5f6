"""Least squares: the mean squared error of a linear model, with its closed-form optimum."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdlab.models.base import Array, Model


class LeastSquares(Model):
    r"""Mean squared error of ``X w``: :math:`f(w) = \frac1m \|Xw - y\|^2 + \frac{l_2}{2}\|w\|^2`.

    The gradient is the lesson's :math:`\nabla f(w) = \frac2m X^\top (Xw - y) + l_2 w` and the
    Hessian the constant :math:`H = \frac2m X^\top X + l_2 I`.

    Parameters
    ----------
    l2 : float, default 0.0
        Ridge penalty strength.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 1.0], [3.0, 1.0]]); y = np.array([2.0, 4.0])
    >>> model = LeastSquares()
    >>> w = model.optimum(X, y)
    >>> w.round(6)
    array([1., 1.])
    >>> model.loss(w, X, y) < 1e-20
    True
    >>> model.grad(np.zeros(2), X, y)
    array([-14.,  -6.])
    """

    family = "LeastSquares"
    residual_scale = 2.0
    curvature = 2.0
    exact_lipschitz = True

    def init_params(self, X: ArrayLike, y: ArrayLike) -> Array:
        return np.zeros(np.shape(X)[1], dtype=np.float64)

    def link(
        self,
        z: Array,
        y: NDArray[Any],
        *,
        loss: bool = True,
        residual: bool = True,
        weight: Array | None = None,
    ) -> tuple[float, Array | None]:
        z -= y  # the residual z - y, whose square is the loss
        if weight is None:
            return (float(z @ z) / z.shape[0] if loss else math.nan), z
        value = float((weight * z) @ z) / z.shape[0] if loss else math.nan
        z *= weight
        return value, z

    def predict(self, w: Array, X: ArrayLike) -> Array:
        """Fitted values ``X @ w``."""
        return np.asarray(np.asarray(X, dtype=np.float64) @ w)

    def hessian(self, w: Array | None, X: ArrayLike) -> Array:
        """The constant Hessian ``2 X^T X / m + l2 I`` (``w`` is accepted for symmetry)."""
        Xa = np.asarray(X, dtype=np.float64)
        H = (2.0 / Xa.shape[0]) * (Xa.T @ Xa)
        return H + np.diag(self.penalty.diagonal(H.shape[0])) if self.l2 else H

    def lipschitz(self, X: ArrayLike) -> float:
        """The largest eigenvalue of the Hessian: ``2 * lambda_max(X^T X / m) + l2`` (exact)."""
        return super().lipschitz(X)

    def optimum(self, X: ArrayLike, y: ArrayLike) -> Array:
        """The minimiser in closed form.

        Without penalty ``np.linalg.lstsq`` (the minimum-norm solution when ``X`` is rank
        deficient); with ``l2 > 0`` the ridge system ``(X^T X + m l2 / 2 I) w = X^T y``.
        """
        Xa, ya = self.check(X, y)
        if not self.l2:
            return np.asarray(np.linalg.lstsq(Xa, ya, rcond=None)[0])
        A = Xa.T @ Xa + (0.5 * Xa.shape[0] * self.l2) * np.eye(Xa.shape[1])
        return np.asarray(np.linalg.solve(A, Xa.T @ ya))
