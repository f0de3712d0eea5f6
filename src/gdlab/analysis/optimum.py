"""The optimal loss a comparison measures every run against, for every model.

Least squares has a closed form. Logistic and softmax regression have none, so the same
objective (penalty included) is minimised here with scipy's L-BFGS-B, a quasi-Newton method,
to a gradient norm near round-off: a reference that does not depend on how well the runs being
compared did. On separable classes the infimum 0 is approached without being attained; the
solver then stops at its iteration cap, far below any loss gradient descent reaches in a
comparison's budget.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from gdlab.models import Model

__all__ = ["optimal_loss"]

# L-BFGS-B's stopping rules: projected gradient and relative decrease near round-off.
_GTOL = 1e-12
_FTOL = 1e-15
_MAX_ITER = 10_000


def optimal_loss(model: Model, X: ArrayLike, y: ArrayLike) -> float:
    """The minimum of ``model``'s objective on ``(X, y)``: closed form or a quasi-Newton solve.

    Parameters
    ----------
    model : gdlab model
        Its ``optimum(X, y)`` is used when it has one (least squares); otherwise its
        ``loss_grad`` is minimised from ``w = 0`` by ``scipy.optimize.minimize`` with
        L-BFGS-B.
    X, y : array-like
        The design (with its ones column, if any) and the labels, as ``descend`` takes them.

    Returns
    -------
    float
        The optimal loss ``f*``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from gdlab.models import Logistic
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2)); y = (X[:, 0] + rng.normal(size=200) > 0).astype(float)
    >>> sk = LogisticRegression(C=np.inf, tol=1e-12, max_iter=1000).fit(X, y)
    >>> w = np.r_[sk.coef_.ravel(), sk.intercept_]
    >>> A = np.c_[X, np.ones(200)]
    >>> bool(abs(optimal_loss(Logistic(), A, y) - Logistic().loss(w, A, y)) < 1e-12)
    True
    """
    A, labels = model.check(X, y)
    if hasattr(model, "optimum"):
        return float(model.loss(model.optimum(A, labels), A, labels))
    import scipy.optimize  # imported on use: loading it takes a fraction of a second

    shape = model.init_params(A, labels).shape

    def objective(flat: np.ndarray) -> tuple[float, np.ndarray]:
        loss, grad = model.loss_grad(flat.reshape(shape), A, labels)
        return float(loss), np.asarray(grad, dtype=np.float64).ravel()

    options: dict[str, Any] = {"gtol": _GTOL, "ftol": _FTOL, "maxiter": _MAX_ITER}
    with np.errstate(all="ignore"):
        result = scipy.optimize.minimize(
            objective, np.zeros(int(np.prod(shape))), jac=True, method="L-BFGS-B", options=options
        )
    return float(result.fun)
