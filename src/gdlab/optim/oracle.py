"""Full-data objective and gradient: plain (row blocks) or, for least squares, from the Gram.

The engine asks an oracle for ``f(w)`` and ``grad f(w)`` on all training rows at every record
and, in full-batch mode, for every update.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.models import Model

Array = NDArray[np.float64]
# ``(w, X, y) -> (sum of squared residuals, X^T r)``: a one-pass least-squares evaluation.
SquaresPass = Callable[[Array, Array, NDArray[Any]], tuple[float, Array]]
# ``(Z, y, weight) -> summed loss``, Z made the residual in place: a compiled softmax link.
SoftmaxLink = Callable[[Array, NDArray[Any], Array | None], float]

# Rows per block so that a block of X (about 1 MiB) stays in cache between X w and X^T r.
_BLOCK_BYTES = 1 << 20


class FullData:
    """``f(w)`` and ``grad f(w)`` over all rows, in cache-sized row blocks when ``X`` is large.

    ``squares``, a one-pass evaluation of a least-squares model's data term (see
    :func:`gdlab.optim.compiled.least_squares_pass`), replaces the two matrix products;
    ``softmax``, a compiled softmax link (:func:`gdlab.optim.compiled.softmax_residual`),
    replaces NumPy's pass per reduction between them. ``weight`` (one factor per row, of mean
    1) weights the rows' losses.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import LeastSquares
    >>> X = np.eye(3); y = np.ones(3)
    >>> FullData(LeastSquares(), X, y)(np.zeros(3))
    (1.0, array([-0.66666667, -0.66666667, -0.66666667]))
    """

    def __init__(
        self,
        model: Model,
        X: Array,
        y: NDArray[Any],
        squares: SquaresPass | None = None,
        weight: Array | None = None,
        softmax: SoftmaxLink | None = None,
    ) -> None:
        self.model, self.X, self.y, self.weight = model, X, y, weight
        self._squares = squares if weight is None else None
        self._softmax = softmax
        n, d = X.shape
        rows = max(256, _BLOCK_BYTES // (8 * max(d, 1)))
        self._blocks = [(s, min(s + rows, n)) for s in range(0, n, rows)]

    def __repr__(self) -> str:
        return f"FullData(model={self.model!r}, n={self.X.shape[0]}, blocks={len(self._blocks)})"

    def __call__(self, w: Array) -> tuple[float, Array]:
        n = self.X.shape[0]
        if self._squares is not None:
            total, grad = self._squares(w, self.X, self.y)
            loss = total / n
            grad *= 2.0 / n
        elif self._softmax is not None:
            loss, grad = 0.0, np.zeros_like(w)
            for s, e in self._blocks:
                Xb = self.X[s:e]
                Z = Xb @ w
                loss += self._softmax(Z, self.y[s:e], self._part(s, e)) / n
                grad += Xb.T @ Z
            grad /= n
        elif len(self._blocks) == 1:
            return self.model.loss_grad(w, self.X, self.y, self.weight)
        else:  # the data term block by block, the penalty once
            model, loss, grad = self.model, 0.0, np.zeros_like(w)
            for s, e in self._blocks:
                Xb = self.X[s:e]
                value, r = model._link(Xb @ w, model.target(self.y[s:e]), self._part(s, e))
                assert r is not None
                loss += value * ((e - s) / n)
                grad += model._mean(Xb.T @ r, e - s) * ((e - s) / n)
        self.model.penalty.add_grad(w, grad)
        return loss + self.model.penalty.value(w), grad

    def loss(self, w: Array) -> float:
        """``f(w)`` alone (one pass, no gradient)."""
        n, model = self.X.shape[0], self.model
        total = sum(
            model._link(
                self.X[s:e] @ w, model.target(self.y[s:e]), self._part(s, e), residual=False
            )[0]
            * ((e - s) / n)
            for s, e in self._blocks
        )
        return float(total) + model.penalty.value(w)

    def _part(self, start: int, stop: int) -> Array | None:
        return None if self.weight is None else self.weight[start:stop]

    def gram(self) -> tuple[Array, Array]:
        """``X^T S X`` and ``X^T S y`` (``S`` the row weights, or none) in one pass: each block
        is still in cache for the second."""
        d = self.X.shape[1]
        G, b = np.zeros((d, d)), np.zeros(d)
        for s, e in self._blocks:
            Xb = self.X[s:e]
            Xs = Xb if self.weight is None else Xb * self.weight[s:e, None]
            G += Xs.T @ Xb
            b += Xs.T @ self.y[s:e]
        return G, b


class GramLeastSquares:
    r"""Least squares from one pass over the data: ``G = X^T X``, ``b = X^T y``.

    Then :math:`\nabla f(w) = H w - c` with :math:`H = \frac2n G + P`, :math:`c = \frac2n b`
    (``P`` the penalty's diagonal Hessian, which may spare the intercept),
    in O(d^2) per call whatever n is. The loss is expanded around the minimiser ``w*``
    (found from the d x d system), :math:`f(w) = f(w^*) + g^{*\top} e + \frac12 e^\top H e`
    with :math:`e = w - w^*` and :math:`f(w^*)` computed exactly from the rows once, so it
    keeps its relative accuracy near the optimum, where ``y^T y - 2 b^T w + w^T G w`` would
    cancel catastrophically.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import LeastSquares
    >>> rng = np.random.default_rng(0); X = rng.normal(size=(50, 3)); y = rng.normal(size=50)
    >>> gram = GramLeastSquares(LeastSquares(), X, y); w = np.ones(3)
    >>> loss, grad = gram(w)
    >>> bool(np.isclose(loss, LeastSquares().loss(w, X, y), rtol=1e-12))
    True
    """

    def __init__(
        self, model: Model, X: Array, y: NDArray[Any], weight: Array | None = None
    ) -> None:
        rows = FullData(model, X, y, weight=weight)
        self._setup(model, *rows.gram(), X.shape[0], rows.loss)

    @classmethod
    def from_sums(
        cls, model: Model, G: Array, b: Array, n: int, loss: Callable[[Array], float]
    ) -> GramLeastSquares:
        """The oracle from sums computed elsewhere (a distributed pass): ``G = X^T X``,
        ``b = X^T y`` over ``n`` rows, and ``loss(w)``, the exact loss over those rows."""
        oracle = cls.__new__(cls)
        oracle._setup(model, G, b, n, loss)
        return oracle

    def _setup(
        self, model: Model, G: Array, b: Array, n: int, loss: Callable[[Array], float]
    ) -> None:
        d = G.shape[0]
        self.model = model
        self.H = (2.0 / n) * G
        if model.l2:
            self.H += np.diag(model.penalty.diagonal(d))
        self.c = (2.0 / n) * b
        if not (np.isfinite(self.H).all() and np.isfinite(self.c).all()):
            raise ValueError(
                "X or y holds NaN or infinite values (or values so large that X^T X overflows "
                "float64, or X^T y); impute or drop those rows, or scale the features and the "
                "target first."
            )
        try:
            w_star = np.linalg.solve(self.H, self.c)
        except np.linalg.LinAlgError:  # singular (collinear columns): the least-norm minimiser
            w_star = np.linalg.lstsq(self.H, self.c, rcond=None)[0]
        self.w_star = np.asarray(w_star, dtype=np.float64)
        self.f_star = loss(self.w_star)
        self.g_star = self.H @ self.w_star - self.c

    def __repr__(self) -> str:
        return f"GramLeastSquares(model={self.model!r}, d={self.H.shape[0]})"

    def __call__(self, w: Array) -> tuple[float, Array]:
        grad = self.H @ w - self.c
        e = w - self.w_star
        loss = self.f_star + float(self.g_star @ e) + 0.5 * float(e @ (self.H @ e))
        return loss, grad
