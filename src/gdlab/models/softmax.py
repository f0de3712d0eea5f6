"""Multinomial logistic (softmax) regression with one weight column per class."""

from __future__ import annotations

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

    @staticmethod
    def _labels(y: ArrayLike) -> NDArray[np.intp]:
        return np.asarray(Model._flat(y)).astype(np.intp, copy=False)

    def loss(self, w: Array, X: ArrayLike, y: ArrayLike) -> float:
        import scipy.special  # imported on first use: loading it takes 0.4 s

        Z = np.asarray(X) @ w
        yi = self._labels(y)
        picked = np.take_along_axis(Z, yi[:, None], axis=1)[:, 0]
        data = float(np.mean(scipy.special.logsumexp(Z, axis=1) - picked))
        return data + self._penalty(w)

    def grad(self, w: Array, X: ArrayLike, y: ArrayLike) -> Array:
        import scipy.special  # imported on first use: loading it takes 0.4 s

        Xa = np.asarray(X)
        P = scipy.special.softmax(Xa @ w, axis=1)
        P[np.arange(P.shape[0]), self._labels(y)] -= 1.0
        g: Array = (Xa.T @ P) / P.shape[0]
        return g + self.l2 * w if self.l2 else g

    def loss_grad(self, w: Array, X: ArrayLike, y: ArrayLike) -> tuple[float, Array]:
        import scipy.special  # imported on first use: loading it takes 0.4 s

        Xa = np.asarray(X)
        yi = self._labels(y)
        Z = Xa @ w
        lse = scipy.special.logsumexp(Z, axis=1)
        rows = np.arange(Z.shape[0])
        loss = float(np.mean(lse - Z[rows, yi])) + self._penalty(w)
        P = np.exp(Z - lse[:, None])
        P[rows, yi] -= 1.0
        g: Array = (Xa.T @ P) / P.shape[0]
        return loss, (g + self.l2 * w if self.l2 else g)

    def grad_into(self, w: Array, X: Array, y: NDArray[Any], out: Array, work: Array) -> Array:
        np.matmul(X, w, out=work)
        # Shift by the row max before exp: the softmax is unchanged and exp cannot overflow.
        work -= work.max(axis=1, keepdims=True)
        np.exp(work, out=work)
        work /= work.sum(axis=1, keepdims=True)
        work[np.arange(work.shape[0]), y] -= 1.0
        return self._grad_from_residual(w, X, work, out, 1.0)

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
        return 0.5 * self._gram_top(X) + self.l2
