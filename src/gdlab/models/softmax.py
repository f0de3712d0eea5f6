"""Multinomial logistic (softmax) regression with one weight column per class."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdlab.models.base import Array, Model


class Softmax(Model):
    r"""Mean multinomial cross-entropy with parameters ``W`` of shape ``(d, k)``.

    .. math:: f(W) = \frac1m \sum_i \Big(\log \sum_c e^{z_{ic}} - z_{i y_i}\Big)
              + \frac{l_2}{2}\|W\|_F^2, \quad Z = XW, \qquad
              \nabla f(W) = \frac1m X^\top (P - Y) + l_2 W

    with ``P = softmax(Z)`` row-wise and ``Y`` the one-hot labels (integer ids ``0..k-1``).

    Parameters
    ----------
    l2 : float, default 0.0
        Ridge penalty strength.
    n_classes : int or None, default None
        Number of classes ``k``; by default ``max(y) + 1``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]); y = np.array([0, 1, 2])
    >>> model = Softmax()
    >>> W = model.init_params(X, y); W.shape
    (2, 3)
    >>> round(model.loss(W, X, y), 6)   # log(3) at W = 0
    1.098612
    >>> model.grad(W, X, y).shape
    (2, 3)
    """

    family = "Softmax"
    curvature = 0.5

    def __init__(self, l2: float = 0.0, n_classes: int | None = None) -> None:
        super().__init__(l2)
        if n_classes is not None and (not isinstance(n_classes, int) or n_classes < 2):
            raise ValueError(f"n_classes must be an int >= 2 or None, got {n_classes!r}.")
        self.n_classes = n_classes

    def __repr__(self) -> str:
        extra = "" if self.n_classes is None else f", n_classes={self.n_classes}"
        return f"Softmax(l2={self.l2!r}{extra})"

    def check_y(self, y: ArrayLike, n: int) -> NDArray[Any]:
        arr = super().check_y(y, n)
        k = self.n_classes
        if arr.size and (
            (arr != np.round(arr)).any() or arr.min() < 0 or (k is not None and arr.max() >= k)
        ):
            raise ValueError(
                "Softmax expects integer class ids 0..k-1 as labels, got values such as "
                f"{np.unique(arr)[:5].tolist()}; encode classes with sklearn's LabelEncoder."
            )
        if k is None and arr.size and arr.max() >= max(n, 2):
            # k = max(y) + 1 columns of weights: a label such as 1e9 would ask for gigabytes
            # of parameters, almost all of them for classes that never occur.
            raise ValueError(
                f"Softmax takes the number of classes from the largest label, {arr.max():.0f}, "
                f"which is more classes than the {n} rows; encode the classes as 0..k-1 "
                "(sklearn's LabelEncoder), or pass Softmax(n_classes=k)."
            )
        return arr.astype(np.intp)

    def _k(self, y: ArrayLike) -> int:
        if self.n_classes is not None:
            return self.n_classes
        return max(int(np.max(np.asarray(y))) + 1, 2)

    def init_params(self, X: ArrayLike, y: ArrayLike) -> Array:
        return np.zeros((np.shape(X)[1], self._k(y)), dtype=np.float64)

    def target(self, y: ArrayLike) -> NDArray[np.intp]:
        return np.asarray(Model._flat(y)).astype(np.intp, copy=False)

    def link(
        self,
        z: Array,
        y: NDArray[Any],
        *,
        loss: bool = True,
        residual: bool = True,
        weight: Array | None = None,
    ) -> tuple[float, Array | None]:
        rows = np.arange(z.shape[0])
        # Shift by the row max before exp: the softmax is unchanged and exp cannot overflow.
        # The loss is then log(sum(exp(z - max))) + max - z_y per row (logsumexp's formula).
        top = z.max(axis=1)
        picked = z[rows, y] if loss else None
        z -= top[:, None]
        np.exp(z, out=z)
        total = z.sum(axis=1)
        value = math.nan
        if loss:
            assert picked is not None
            each = np.log(total) + top - picked
            value = float(np.mean(each) if weight is None else (weight @ each) / z.shape[0])
        if not residual:
            return value, None
        z /= total[:, None]
        z[rows, y] -= 1.0  # P - Y
        if weight is not None:
            z *= weight[:, None]
        return value, z

    def decision_function(self, w: Array, X: ArrayLike) -> Array:
        """The class scores ``X @ W``, shape ``(n, k)``."""
        return np.asarray(np.asarray(X, dtype=np.float64) @ w)

    def predict_proba(self, w: Array, X: ArrayLike) -> Array:
        """Row-wise softmax of the scores, shape ``(n, k)``."""
        import scipy.special  # imported on first use: loading it takes 0.4 s

        return np.asarray(scipy.special.softmax(self.decision_function(w, X), axis=1))

    def predict(self, w: Array, X: ArrayLike) -> NDArray[np.int64]:
        """The most probable class id of each row."""
        return np.argmax(self.decision_function(w, X), axis=1).astype(np.int64)

    def lipschitz(self, X: ArrayLike) -> float:
        """Bound ``lambda_max(X^T X / m) / 2 + l2`` (the softmax Jacobian is at most 1/2)."""
        return super().lipschitz(X)
