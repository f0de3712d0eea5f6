"""Sparse input (CSR and CSC matrices): statistics in float64 and column scaling that keeps zeros.

Only the scalers whose map sends 0 to 0 take sparse input (``MaxAbsScaler``,
``StandardScaler(with_mean=False)``, ``RobustScaler(with_centering=False)``): the others would
fill every implicit zero and densify the matrix, so they refuse it with a clear error. The
statistics count the implicit zeros as values, as scikit-learn does, and are computed in
float64 whatever the stored dtype; NaN entries are missing values, ±inf is an error. The
moments come from scikit-learn's ``sparsefuncs`` (they are mergeable, so ``partial_fit``
works on sparse chunks too).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils.sparsefuncs import (
    incr_mean_variance_axis,
    inplace_column_scale,
    mean_variance_axis,
)

from gdlab.scaling.moments import Moments

F64 = NDArray[np.float64]


def _columns_of_entries(X: Any) -> NDArray[np.intp]:
    # The column of every stored value.
    if X.format == "csr":
        return np.asarray(X.indices, dtype=np.intp)
    return np.repeat(np.arange(X.shape[1]), np.diff(X.indptr))


def reject_infinite(X: Any) -> None:
    """Raise ValueError naming the columns of a CSR/CSC matrix that store ±inf.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> reject_infinite(sparse.csr_array(np.array([[0.0, np.nan]])))
    >>> reject_infinite(sparse.csc_array(np.array([[0.0, np.inf]])))
    Traceback (most recent call last):
    ...
    ValueError: X contains infinity in column(s) [1]; expected finite values or NaN ...
    """
    bad = np.isinf(X.data)
    if bad.any():
        cols = np.unique(_columns_of_entries(X)[bad]).tolist()
        raise ValueError(
            f"X contains infinity in column(s) {cols}; expected finite values or NaN for "
            "missing ones. Replace or drop the infinite values first."
        )


def _float64(X: Any) -> Any:
    return X if X.dtype == np.float64 else X.astype(np.float64)


def moments(X: Any, weights: F64 | None = None, previous: Moments | None = None) -> Moments:
    """Weighted count, mean and variance of every column (implicit zeros count), merged.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> m = moments(sparse.csr_array(np.array([[0.0, 2.0], [4.0, 0.0]])))
    >>> m.count, m.mean, m.var
    (array([2., 2.]), array([2., 1.]), array([4., 1.]))
    """
    X = _float64(X)
    if previous is None:
        mean, var, count = mean_variance_axis(X, axis=0, weights=weights, return_sum_weights=True)
    else:
        mean, var, count = incr_mean_variance_axis(
            X,
            axis=0,
            last_mean=previous.mean,
            last_var=previous.var,
            last_n=previous.count,
            weights=weights,
        )
    count = np.asarray(count, dtype=np.float64)
    seen = count > 0
    return Moments(
        count,
        np.where(seen, np.asarray(mean, np.float64), np.nan),
        np.where(seen, np.asarray(var, np.float64), np.nan),
    )


def observed_counts(X: Any, weights: F64 | None = None) -> F64:
    """Rows (or weights) per column minus the NaN entries: what a column has observed.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> observed_counts(sparse.csr_array(np.array([[np.nan, 1.0], [0.0, 2.0]])))
    array([1., 2.])
    """
    w = np.ones(X.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    nan = np.isnan(X.data)
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr)) if X.format == "csr" else X.indices
    lost = np.bincount(_columns_of_entries(X)[nan], weights=w[rows[nan]], minlength=X.shape[1])
    return np.asarray(w.sum() - lost, dtype=np.float64)


def max_abs(X: Any) -> F64:
    """Largest absolute value of every column (implicit zeros count, NaN ignored).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> max_abs(sparse.csc_array(np.array([[0.0, -3.0], [0.0, 2.0]])))
    array([0., 3.])
    """
    # One unbuffered fmax over the stored values, in their order: no conversion between
    # CSR and CSC (which scikit-learn's min_max_axis makes, at several times the cost).
    cols = _columns_of_entries(X)
    out = np.full(X.shape[1], -np.inf)
    np.fmax.at(out, cols, np.abs(np.asarray(X.data, dtype=np.float64)))  # NaN skipped
    implicit_zeros = np.bincount(cols, minlength=X.shape[1]) < X.shape[0]
    out = np.where(implicit_zeros, np.fmax(out, 0.0), out)
    return np.where(out == -np.inf, np.nan, out)  # nothing observed: NaN, as dense input


def percentiles(X: Any, q: list[float]) -> F64:
    """Percentiles ``q`` of every column, implicit zeros included, NaN ignored.

    Returns an array of shape ``(len(q), n_features)``; NaN for a column with no observed
    value.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> percentiles(sparse.csr_array(np.array([[0.0], [4.0], [0.0], [8.0]])), [50.0])
    array([[2.]])
    """
    X = _float64(X).tocsc()
    out = np.full((len(q), X.shape[1]), np.nan)
    column = np.empty(X.shape[0])
    for j in range(X.shape[1]):
        stored = X.data[X.indptr[j] : X.indptr[j + 1]]
        column[:] = 0.0
        column[: stored.size] = stored
        if not np.isnan(column).all():
            out[:, j] = np.nanpercentile(column, q)
    return out


def scale_columns(X: Any, factor: F64, *, copy: bool) -> Any:
    """Multiply every column of a CSR/CSC matrix by ``factor`` (in place unless ``copy``).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> scale_columns(sparse.csr_array(np.array([[1.0, 2.0]])), np.array([2.0, 0.5]),
    ...               copy=True).toarray()
    array([[2., 1.]])
    """
    out = X.copy() if copy else X
    inplace_column_scale(out, np.asarray(factor, dtype=np.float64))
    return out
