"""Binary logistic regression: mean cross-entropy, stable for any size of ``X w``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdlab.models.base import Array, Model


class Logistic(Model):
    r"""Mean binary cross-entropy of :math:`p = \sigma(Xw)` with labels :math:`y \in \{0, 1\}`.

    .. math:: f(w) = \frac1m \sum_i \big(\log(1 + e^{z_i}) - y_i z_i\big) + \frac{l_2}{2}\|w\|^2,
              \quad z = Xw, \qquad \nabla f(w) = \frac1m X^\top(\sigma(z) - y) + l_2 w

    ``log(1 + e^z)`` is evaluated as ``logaddexp(0, z)`` and :math:`\sigma` as
    ``scipy.special.expit``, so ``|z| = 1e3`` neither overflows nor warns.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, -2.0], [0.5, 1.0], [-1.0, 0.0]]); y = np.array([1, 0, 0])
    >>> model = Logistic()
    >>> round(model.loss(np.zeros(2), X, y), 6)   # log(2) at w = 0
    0.693147
    >>> model.predict(np.array([1.0, 0.0]), X)
    array([1, 1, 0])
    >>> model.loss(np.array([1e3, 0.0]), X, y) > 0   # no overflow warning
    True
    """

    def check_y(self, y: ArrayLike, n: int) -> NDArray[Any]:
        arr = super().check_y(y, n)
        if not np.isin(arr, (0.0, 1.0)).all():
            found = np.unique(arr)[:5]
            raise ValueError(
                f"Logistic expects labels in {{0, 1}}, got values such as {found.tolist()}; "
                "encode the two classes as 0 and 1 (e.g. with sklearn's LabelEncoder)."
            )
        return arr

    family = "Logistic"
    curvature = 0.25

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
        value = math.nan
        if loss:
            each = np.logaddexp(0.0, z) - y * z
            value = float(np.mean(each) if weight is None else (weight @ each) / z.shape[0])
        if not residual:
            return value, None
        import scipy.special  # imported on first use: loading it takes 0.4 s

        scipy.special.expit(z, out=z)
        z -= y  # sigmoid(z) - y
        if weight is not None:
            z *= weight
        return value, z

    def decision_function(self, w: Array, X: ArrayLike) -> Array:
        """The logits ``X @ w``."""
        return np.asarray(np.asarray(X, dtype=np.float64) @ w)

    def predict_proba(self, w: Array, X: ArrayLike) -> Array:
        """Probability of class 1, ``sigmoid(X @ w)``."""
        import scipy.special  # imported on first use: loading it takes 0.4 s

        return np.asarray(scipy.special.expit(self.decision_function(w, X)))

    def predict(self, w: Array, X: ArrayLike) -> NDArray[np.int64]:
        """Class labels: 1 where ``X w > 0`` (``sigmoid(X w) > 0.5``), else 0.

        A logit of exactly 0 is class 0: ties go to the first class, as in
        :meth:`Softmax.predict`, ``GDClassifier`` and scikit-learn's linear classifiers.
        """
        return (self.decision_function(w, X) > 0).astype(np.int64)

    def hessian(self, w: Array, X: ArrayLike) -> Array:
        """``X^T diag(p (1 - p)) X / m + l2 I`` at ``w``."""
        import scipy.special  # imported on first use: loading it takes 0.4 s

        Xa = np.asarray(X, dtype=np.float64)
        p = scipy.special.expit(Xa @ w)
        H = (Xa.T * (p * (1.0 - p))) @ Xa / Xa.shape[0]
        return H + np.diag(self.penalty.diagonal(H.shape[0])) if self.l2 else H

    def lipschitz(self, X: ArrayLike) -> float:
        """Bound ``lambda_max(X^T X / m) / 4 + l2``, since ``p (1 - p) <= 1/4``."""
        return super().lipschitz(X)
