"""Input checks shared by every scaler: ±inf is an error, NaN is missing data, text is refused."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


def reject_infinite(block: NDArray[np.generic]) -> None:
    """Raise ValueError naming the columns of ``block`` that hold ±inf.

    Examples
    --------
    >>> import numpy as np
    >>> reject_infinite(np.array([[1.0, np.nan]]))
    >>> reject_infinite(np.array([[1.0, np.inf]]))
    Traceback (most recent call last):
    ...
    ValueError: X contains infinity in column(s) [1]; expected finite values or NaN ...
    """
    refuse_infinite_columns(np.isinf(block).any(axis=0))


def refuse_infinite_columns(bad: NDArray[np.bool_]) -> None:
    """Raise the ValueError of :func:`reject_infinite` for the columns flagged in ``bad``.

    Examples
    --------
    >>> import numpy as np
    >>> refuse_infinite_columns(np.array([False, False]))
    """
    if bad.any():
        cols = np.flatnonzero(bad).tolist()
        raise ValueError(
            f"X contains infinity in column(s) {cols}; expected finite values or NaN for "
            "missing ones. Replace or drop the infinite values first."
        )


def check_block(block: NDArray[np.generic]) -> None:
    """Raise on ±inf in ``block``; one cheap sum in the common all-finite case.

    Examples
    --------
    >>> import numpy as np
    >>> check_block(np.array([[1.0, 2.0]]))
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = block.sum()
    if not np.isfinite(total):  # NaN, inf or an overflowing sum: look closer
        reject_infinite(block)


def reject_overflow(out: NDArray[np.floating]) -> None:
    """Raise ValueError naming the columns of a transform's output that overflowed to ±inf.

    Examples
    --------
    >>> import numpy as np
    >>> reject_overflow(np.array([[1.0, np.nan]]))
    >>> reject_overflow(np.array([[1.0, np.inf]], dtype=np.float32))
    Traceback (most recent call last):
    ...
    ValueError: The scaled values of column(s) [1] exceed the largest float32 (3.4e+38), ...
    """
    bad = np.isinf(out).any(axis=0)
    if bad.any():
        cols = np.flatnonzero(bad).tolist()
        raise ValueError(
            f"The scaled values of column(s) {cols} exceed the largest {out.dtype} "
            f"({float(np.finfo(out.dtype).max):.2g}), so they cannot be stored; those input "
            "values lie far outside what the scaler was fitted on. Check them, or pass float64 "
            "data."
        )


def check_sample_weight(sample_weight: Any, X: Any) -> NDArray[np.float64]:
    """``sample_weight`` as float64, one finite weight ``>= 0`` per row of ``X``, not all zero.

    A negative weight, or weights that sum to zero, would make the weighted statistics NaN
    (a division by the total weight); they are refused here, before anything is learned.

    Examples
    --------
    >>> import numpy as np
    >>> check_sample_weight([1, 2], np.zeros((2, 1)))
    array([1., 2.])
    >>> check_sample_weight([1.0, -0.5], np.zeros((2, 1)))
    Traceback (most recent call last):
    ...
    ValueError: sample_weight must be >= 0 (a row of weight 2 counts twice), got -0.5 at row 1; ...
    >>> check_sample_weight([0, 0], np.zeros((2, 1)))
    Traceback (most recent call last):
    ...
    ValueError: sample_weight sums to zero, so no row counts and the weighted statistics are ...
    """
    from sklearn.utils.validation import _check_sample_weight

    weights = np.asarray(
        _check_sample_weight(sample_weight, X, dtype=np.float64, allow_all_zero_weights=True),
        dtype=np.float64,
    )
    negative = np.flatnonzero(weights < 0)
    if negative.size:
        row = int(negative[0])
        raise ValueError(
            f"sample_weight must be >= 0 (a row of weight 2 counts twice), got "
            f"{float(weights[row])!r} at row {row}; drop rows rather than give them negative "
            "weights."
        )
    if not weights.sum() > 0:
        raise ValueError(
            "sample_weight sums to zero, so no row counts and the weighted statistics are "
            "undefined (0/0); give at least one row a positive weight."
        )
    return weights


def reject_non_numeric(X: Any) -> None:
    """Raise ValueError naming the non-numeric columns of a DataFrame-like ``X``.

    Examples
    --------
    >>> import pandas as pd
    >>> reject_non_numeric(pd.DataFrame({"a": [1.0], "b": [True]}))
    >>> reject_non_numeric(pd.DataFrame({"a": [1.0], "city": ["Paris"]}))
    Traceback (most recent call last):
    ...
    ValueError: X has non-numeric column(s) ['city'] (dtype: [...]); scalers expect numbers. ...
    """
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(X, "columns") or not hasattr(dtypes, "items"):
        return
    from pandas.api.types import is_numeric_dtype  # only DataFrame input gets here

    bad = [(col, str(dt)) for col, dt in dtypes.items() if not is_numeric_dtype(dt)]
    if bad:
        raise ValueError(
            f"X has non-numeric column(s) {[c for c, _ in bad]} (dtype: {[d for _, d in bad]}); "
            "scalers expect numbers. Drop or encode them first, e.g. with "
            "sklearn.compose.ColumnTransformer."
        )
