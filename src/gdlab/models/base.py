"""The shared contract of every model: validation, the loss as a function of ``z = X w``, and
the methods derived from it.

A model is a small stateless object: it knows its objective, never the data. Parameters are
passed in and returned, so the engine can hold one array and update it in place.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdlab.models.l2 import L2

Array = NDArray[np.float64]


class Model(ABC):
    """Base class of the gdlab models: ``f(w) = mean_i l(z_i, y_i) + penalty(w)`` with ``z = X w``.

    A model defines its loss once, as :meth:`link`: the mean loss of the scores ``z`` and its
    residual ``r`` (``dl/dz = residual_scale * r`` per row). ``loss``, ``grad``, ``loss_grad``
    and ``grad_into`` derive from it; the penalty is :attr:`penalty`, an
    :class:`~gdlab.models.l2.L2`. ``family`` names the loss for the engine's fast paths (the
    compiled kernels exist for "LeastSquares" and "Logistic"); ``curvature`` is ``c`` in the
    Hessian bound ``c * lambda_max(X^T X / m) + l2``, exact where ``exact_lipschitz``.

    Parameters
    ----------
    l2 : float, default 0.0
        Strength of the ridge penalty ``l2/2 * ||w||^2`` (applied to every coefficient,
        the intercept column included, since models add no intercept of their own).
    """

    family: ClassVar[str]
    residual_scale: ClassVar[float] = 1.0
    curvature: ClassVar[float]
    exact_lipschitz: ClassVar[bool] = False

    def __init__(self, l2: float = 0.0) -> None:
        self.penalty = L2(l2)

    @property
    def l2(self) -> float:
        """The penalty strength."""
        return self.penalty.strength

    def __repr__(self) -> str:
        return f"{type(self).__name__}(l2={self.l2!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and repr(other) == repr(self)

    def __hash__(self) -> int:
        return hash(repr(self))

    # -- validation ---------------------------------------------------------------------
    def check_X(self, X: ArrayLike, *, finite: bool = True) -> Array:
        """Return ``X`` as a C-contiguous float64 matrix, or raise a ValueError saying why not.

        ``finite=False`` skips the scan for NaN/inf (a caller that evaluates the loss at once
        finds them there, for free).
        """
        if np.iscomplexobj(X):
            # Converting to float64 would drop the imaginary parts with only a warning.
            raise ValueError(
                f"{type(self).__name__} expects real features, got a complex array; pass "
                "X.real (or the magnitudes np.abs(X)) if that is what is meant."
            )
        arr = np.ascontiguousarray(X, dtype=np.float64)
        if arr.ndim != 2:
            raise ValueError(
                f"{type(self).__name__} expects X as a 2-D array (n_samples, n_features), "
                f"got shape {arr.shape}; reshape a single feature with X.reshape(-1, 1)."
            )
        if arr.shape[1] == 0:
            raise ValueError(
                f"X has {arr.shape[0]} rows but no columns; {type(self).__name__} needs at "
                "least one feature (or the ones column of gdlab.datasets.add_intercept)."
            )
        if finite and not np.isfinite(arr).all():
            raise ValueError(
                f"X holds NaN or infinite values; {type(self).__name__} needs finite "
                "features: impute or drop them first."
            )
        return arr

    def check_y(self, y: ArrayLike, n: int) -> NDArray[Any]:
        """Return ``y`` as 1-D float64 of length ``n`` (an ``(n, 1)`` column is flattened)."""
        arr = np.asarray(y, dtype=np.float64)
        if arr.ndim == 2 and arr.shape[1] == 1:
            arr = arr[:, 0]
        if arr.ndim != 1 or arr.shape[0] != n:
            raise ValueError(f"y must have shape ({n},) or ({n}, 1) to match X, got {arr.shape}.")
        if not np.isfinite(arr).all():
            raise ValueError("y holds NaN or infinite values; drop those rows first.")
        return np.ascontiguousarray(arr)

    def check(
        self, X: ArrayLike, y: ArrayLike, *, finite: bool = True
    ) -> tuple[Array, NDArray[Any]]:
        """Validate a data set once; the hot-loop methods then trust their inputs."""
        Xa = self.check_X(X, finite=finite)
        return Xa, self.check_y(y, Xa.shape[0])

    def check_params(self, w: ArrayLike, X: Array, y: NDArray[Any]) -> Array:
        """Return a float64 copy of ``w`` after checking its shape against ``init_params``."""
        expected = self.init_params(X, y).shape
        arr = np.array(w, dtype=np.float64, order="C")
        if arr.shape != expected:
            raise ValueError(
                f"w0 must have shape {expected} for {self!r} on this data, got {arr.shape}."
            )
        if not np.isfinite(arr).all():
            raise ValueError("w0 holds NaN or infinite values; start from finite parameters.")
        return arr

    @staticmethod
    def _flat(y: ArrayLike) -> NDArray[Any]:
        arr = np.asarray(y)
        return arr[:, 0] if arr.ndim == 2 and arr.shape[1] == 1 else arr

    def target(self, y: ArrayLike) -> NDArray[Any]:
        """``y`` as :meth:`link` reads it (a flat array; class ids for softmax)."""
        return self._flat(y)

    # -- the objective: one definition, the rest derived ---------------------------------
    @abstractmethod
    def link(
        self,
        z: Array,
        y: NDArray[Any],
        *,
        loss: bool = True,
        residual: bool = True,
        weight: Array | None = None,
    ) -> tuple[float, Array | None]:
        r"""Mean loss of the scores ``z = X w`` against ``y`` (NaN unless ``loss``) and the
        residual ``r`` per row (None unless ``residual``), computed in ``z``'s buffer where
        the model can (``z`` is scratch). ``weight``, one factor per row, scales each row's
        loss and residual: the loss is then :math:`\frac1m \sum_i s_i l_i` (weights of mean 1
        make it the weighted mean)."""

    @abstractmethod
    def init_params(self, X: ArrayLike, y: ArrayLike) -> Array:
        """Zeros of the shape the parameters take on this data."""

    @abstractmethod
    def predict(self, w: Array, X: ArrayLike) -> NDArray[Any]:
        """Predictions for the rows of ``X``."""

    def _link(
        self,
        z: Array,
        y: NDArray[Any],
        weight: Array | None,
        *,
        loss: bool = True,
        residual: bool = True,
    ) -> tuple[float, Array | None]:
        # A model written before row weights existed takes no `weight` keyword: it is passed
        # only when there are weights.
        if weight is None:
            return self.link(z, y, loss=loss, residual=residual)
        return self.link(z, y, loss=loss, residual=residual, weight=weight)

    def _mean(self, g: Array, m: int) -> Array:
        # c X^T r / m in place. A unit scale divides, the others multiply by c / m: the order
        # of operations each model always had, so iterates stay bit for bit.
        if self.residual_scale == 1.0:
            g /= m
        else:
            g *= self.residual_scale / m
        return g

    def loss(self, w: Array, X: ArrayLike, y: ArrayLike, weight: Array | None = None) -> float:
        """Mean loss over the rows of ``X`` plus the penalty (``weight``: see :meth:`link`)."""
        z = np.asarray(X) @ w
        value = self._link(z, self.target(y), weight, residual=False)[0]
        return value + self.penalty.value(w)

    def loss_grad(
        self, w: Array, X: ArrayLike, y: ArrayLike, weight: Array | None = None
    ) -> tuple[float, Array]:
        """Loss and gradient together, from one product ``X w``."""
        Xa = np.asarray(X)
        value, r = self._link(Xa @ w, self.target(y), weight)
        assert r is not None
        g = self._mean(Xa.T @ r, r.shape[0])
        return value + self.penalty.value(w), self.penalty.add_grad(w, g)

    def grad(self, w: Array, X: ArrayLike, y: ArrayLike, weight: Array | None = None) -> Array:
        """Gradient of :meth:`loss` with respect to ``w`` (same shape as ``w``)."""
        Xa = np.asarray(X)
        r = self._link(Xa @ w, self.target(y), weight, loss=False)[1]
        assert r is not None
        return self.penalty.add_grad(w, self._mean(Xa.T @ r, r.shape[0]))

    def grad_into(
        self,
        w: Array,
        X: Array,
        y: NDArray[Any],
        out: Array,
        work: Array,
        weight: Array | None = None,
    ) -> Array:
        """Gradient on a batch written into ``out`` using scratch ``work`` (no allocation).

        ``work`` has ``X.shape[0]`` rows and the trailing shape of ``w`` beyond the first axis.
        """
        np.matmul(X, w, out=work)
        r = self._link(work, y, weight, loss=False)[1]
        assert r is not None
        np.matmul(X.T, r, out=out)
        out *= self.residual_scale / X.shape[0]
        return self.penalty.add_grad(w, out)

    def lipschitz(self, X: ArrayLike) -> float:
        """An upper bound ``L`` on the largest eigenvalue of the Hessian over all ``w``:
        ``curvature * lambda_max(X^T X / m) + l2``.

        Gradient descent with a constant rate ``lr < 2 / L`` cannot diverge.
        """
        return self.curvature * self._gram_top(X) + self.penalty.strength

    def _gram_top(self, X: ArrayLike) -> float:
        # The top eigenvalue of X^T X / m is the top squared singular value of X / sqrt(m);
        # the d x d Gram is cheaper than an SVD of the tall matrix. NaN when X is not finite.
        try:
            return float(gram_eigenvalues(X)[-1])
        except ValueError:
            return math.nan


def gram_eigenvalues(X: ArrayLike) -> Array:
    """Eigenvalues of ``X^T X / m`` in ascending order, also where ``X^T X`` overflows.

    ``X^T X`` overflows once features reach about 1e154 although ``X`` is finite. Dividing
    ``X`` by a power of two changes no digit, so the eigenvalues of the rescaled Gram, scaled
    back, are the true ones; those beyond float64 come back as ``inf``.

    Parameters
    ----------
    X : array-like, shape (m, d)
        Finite values, ``m >= 1``.

    Returns
    -------
    ndarray, shape (d,)

    Raises
    ------
    ValueError
        When ``X`` holds NaN or inf (its Gram has no eigenvalues).

    Examples
    --------
    >>> gram_eigenvalues([[3.0, 0.0], [0.0, 1.0]])
    array([0.5, 4.5])
    >>> gram_eigenvalues(np.full((1000, 1), 1e153))   # X^T X = 1e309 overflows; / m does not
    array([1.e+306])
    >>> gram_eigenvalues([[1e160]])
    array([inf])
    """
    Xa = np.asarray(X, dtype=np.float64)
    m = Xa.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        gram = Xa.T @ Xa / m
    if np.isfinite(gram).all():
        return np.asarray(np.linalg.eigvalsh(gram))
    if not np.isfinite(Xa).all():
        raise ValueError("X holds NaN or infinite values; its curvature is undefined.")
    _, exponent = np.frexp(np.max(np.abs(Xa)))
    scaled = np.ldexp(Xa, -int(exponent))
    eig = np.linalg.eigvalsh(scaled.T @ scaled / m)
    with np.errstate(over="ignore"):
        return np.asarray(np.ldexp(eig, 2 * int(exponent)))
