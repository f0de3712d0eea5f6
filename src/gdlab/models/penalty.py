"""An L2 penalty that spares the intercept: ``InterceptFreeL2`` wraps any unpenalised model.

A model's own ``l2`` penalises every coefficient, the ones column's
included, because models add no intercept of their own. Shrinking the intercept makes
predictions depend on where ``y`` is centred, which ridge regression (and scikit-learn's
``Ridge`` and ``LogisticRegression``) does not do: ``InterceptFreeL2(model, l2)`` penalises
every row of ``w`` except the last one, the weight of the ones column that
:func:`gdlab.datasets.add_intercept` appends last. ``GDRegressor`` and ``GDClassifier`` use it
for their ``l2``; pass it to :func:`gdlab.optim.descend` like any model.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdlab.models.base import Model
from gdlab.models.l2 import L2

Array = NDArray[np.float64]


class InterceptFreeL2(Model):
    r"""``base`` plus :math:`\frac{l_2}{2}\|w_{:-1}\|^2`: a ridge penalty without the intercept row.

    .. math:: f(w) = f_{base}(w) + \frac{l_2}{2} \sum_{j < d} \|w_j\|^2, \qquad
              \nabla f(w) = \nabla f_{base}(w) + l_2 \, [w_{:-1}; 0]

    The last row of ``w`` multiplies the ones column that ``add_intercept`` appends last. The
    loss, its residual and every fast path are the base model's; only the penalty differs.

    Parameters
    ----------
    base : Model
        The unpenalised objective (its own ``l2`` must be 0).
    l2 : float
        Penalty strength, ``>= 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import InterceptFreeL2, LeastSquares
    >>> model = InterceptFreeL2(LeastSquares(), l2=2.0)
    >>> model
    InterceptFreeL2(LeastSquares(l2=0.0), l2=2.0)
    >>> X = np.array([[1.0, 1.0], [2.0, 1.0]]); y = np.array([1.0, 2.0])
    >>> w = np.array([1.0, 5.0])
    >>> model.loss(w, X, y) - LeastSquares().loss(w, X, y)   # 2/2 * 1**2: the intercept is free
    1.0
    """

    exact_lipschitz = False

    def __init__(self, base: Model, l2: float) -> None:
        if base.l2:
            raise ValueError(
                f"InterceptFreeL2 adds the penalty itself; pass the base model with l2=0, "
                f"got {base!r}."
            )
        self.base = base
        self.penalty = L2(l2, spare_last=True)

    def __repr__(self) -> str:
        return f"InterceptFreeL2({self.base!r}, l2={self.strength!r})"

    @property
    def strength(self) -> float:
        """The penalty strength (also ``l2``)."""
        return self.penalty.strength

    @property
    def family(self) -> str:  # type: ignore[override]
        return self.base.family

    @property
    def residual_scale(self) -> float:  # type: ignore[override]
        return self.base.residual_scale

    def check_y(self, y: ArrayLike, n: int) -> NDArray[Any]:
        return self.base.check_y(y, n)

    def target(self, y: ArrayLike) -> NDArray[Any]:
        return self.base.target(y)

    def link(
        self,
        z: Array,
        y: NDArray[Any],
        *,
        loss: bool = True,
        residual: bool = True,
        weight: Array | None = None,
    ) -> tuple[float, Array | None]:
        return self.base.link(z, y, loss=loss, residual=residual, weight=weight)

    def init_params(self, X: ArrayLike, y: ArrayLike) -> Array:
        return self.base.init_params(X, y)

    def predict(self, w: Array, X: ArrayLike) -> NDArray[Any]:
        return self.base.predict(w, X)

    def lipschitz(self, X: ArrayLike) -> float:
        # The penalty adds at most l2 to every Hessian eigenvalue.
        return self.base.lipschitz(X) + self.strength
