"""The constant-column policy shared by every scaler.

A column is *constant* when its spread is indistinguishable from floating-point rounding
noise of its values. Dividing by such a spread would blow rounding noise up into values of
order one (or divide by zero), so every scaler uses the same rule: **a constant column gets
scale 1**, i.e. it is only shifted (centred, or moved to the bottom of ``feature_range``),
never divided. No warning is emitted; the decision is visible in ``scale_``.

Two bounds decide "indistinguishable from rounding", both with float64 machine epsilon
:math:`\\epsilon`:

* a variance :math:`\\sigma^2` from :math:`n` samples of mean :math:`\\mu` is constant when
  :math:`\\sigma^2 \\le n\\epsilon\\sigma^2 + (n\\mu\\epsilon)^2`, the error bound of the
  two-pass variance algorithm (Chan, Golub and LeVeque, 1983) that scikit-learn uses too;
* a spread :math:`s` measured as a difference of data values (a range, a maximum absolute
  value, an inter-quantile range) with magnitude :math:`m = \\max|x|` is constant when
  :math:`s \\le 10\\epsilon m`, ten rounding units of the values themselves (so an
  all-zero column is constant, and data on any scale, however small, is not).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

_EPS = float(np.finfo(np.float64).eps)


def constant_variance(
    var: NDArray[np.float64], mean: NDArray[np.float64], n: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Flag columns whose variance is within the rounding error of the two-pass algorithm.

    Parameters
    ----------
    var, mean, n : ndarray of float64, shape (n_features,)
        Population variance, mean and number of observed values per column.

    Returns
    -------
    ndarray of bool, shape (n_features,)
        ``var <= n * eps * var + (n * mean * eps) ** 2``; False where ``var`` is NaN.

    Examples
    --------
    >>> import numpy as np
    >>> constant_variance(np.array([0.0, 1e-40, 1.0]), np.array([5.0, 1.0, 0.0]),
    ...                   np.array([10.0, 10.0, 10.0]))
    array([ True,  True, False])
    """
    with np.errstate(invalid="ignore", over="ignore"):
        bound = n * _EPS * var + (n * mean * _EPS) ** 2
        return np.asarray(var <= bound, dtype=bool)


def constant_spread(
    spread: NDArray[np.float64], magnitude: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Flag columns whose spread is within ten rounding units of their values.

    Parameters
    ----------
    spread : ndarray of float64, shape (n_features,)
        A non-negative spread: range, maximum absolute value or inter-quantile range.
    magnitude : ndarray of float64, shape (n_features,)
        The largest absolute value of the column.

    Returns
    -------
    ndarray of bool, shape (n_features,)
        ``spread <= 10 * eps * magnitude``; False where ``spread`` is NaN.

    Examples
    --------
    >>> import numpy as np
    >>> constant_spread(np.array([0.0, 1e-9, 1e-20]), np.array([0.0, 1e6, 2e-20]))
    array([ True,  True, False])
    """
    with np.errstate(invalid="ignore"):
        return np.asarray(spread <= 10 * _EPS * magnitude, dtype=bool)


def safe_scale(scale: NDArray[np.float64], constant: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Return a copy of ``scale`` with constant columns set to 1 (the shared policy).

    Examples
    --------
    >>> import numpy as np
    >>> safe_scale(np.array([0.0, 2.0]), np.array([True, False]))
    array([1., 2.])
    """
    out = np.array(scale, dtype=np.float64, copy=True)
    out[constant] = 1.0
    return out
