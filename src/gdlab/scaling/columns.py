"""Column-major data as it is stored: Fortran-ordered arrays and DataFrames, never copied.

A DataFrame keeps each column contiguous (a block of same-dtype columns is a C-ordered
``(columns, rows)`` array), so ``np.asarray(frame)`` is a Fortran-ordered view when every column
shares one block, and a converted copy when they do not (float32 beside float64 columns, or
columns added one by one). :class:`Columns` reads them where they are instead: a few parts,
each a C-contiguous ``(k, n)`` array whose row ``i`` is column ``cols.start + i`` of the data,
which is what the column kernels of :mod:`gdlab.scaling.kernels` take. A transform of it writes
a Fortran-ordered array (one contiguous column after the other, as scikit-learn returns for a
DataFrame), and ``set_output(transform="pandas")`` wraps that without a copy.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils.validation import _check_feature_names, _check_n_features

from gdlab.scaling import kernels
from gdlab.scaling.checks import refuse_infinite_columns

#: Below this many rows a DataFrame is converted instead: pandas takes microseconds to hand
#: over each column, about the time a copy of 16,384 of its values takes.
FRAME_MIN_ROWS = 1 << 14


@dataclass(frozen=True)
class Columns:
    """Float32/float64 columns held column-major, in parts of adjacent same-dtype columns.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.asfortranarray(np.arange(6.0).reshape(3, 2))
    >>> c = column_major(X)
    >>> c.shape, len(c.parts), c.column(1)
    ((3, 2), 1, array([1., 3., 5.]))
    """

    parts: tuple[tuple[NDArray[np.floating], slice], ...]
    shape: tuple[int, int]
    #: The transform's output dtype: float64 unless every column is float32 (NumPy's rule).
    dtype: np.dtype[Any]
    #: The data these columns belong to (a DataFrame or an array), for :meth:`__array__`.
    source: Any

    @property
    def size(self) -> int:
        return self.shape[0] * self.shape[1]

    @property
    def nbytes(self) -> int:
        return sum(part.nbytes for part, _ in self.parts)

    def column(self, j: int) -> NDArray[np.floating]:
        """Column ``j`` as a contiguous 1-D array (a view)."""
        for part, cols in self.parts:
            if cols.start <= j < cols.stop:
                return part[j - cols.start]
        raise IndexError(f"column {j} out of range for {self.shape[1]} columns")

    def first_row(self) -> NDArray[np.float64]:
        """Row 0 in float64."""
        row = np.empty(self.shape[1])
        for part, cols in self.parts:
            row[cols] = part[:, 0]
        return row

    def empty(self) -> NDArray[np.floating]:
        """A Fortran-ordered array for the transformed data."""
        return np.empty(self.shape, dtype=self.dtype, order="F")

    def check_names(self, estimator: Any, *, reset: bool) -> None:
        """Set (``reset``) or check ``estimator``'s feature names and count against the
        DataFrame's, as scikit-learn's ``validate_data`` does, without converting it."""
        _check_feature_names(estimator, self.source, reset=reset)
        _check_n_features(estimator, self.source, reset=reset)

    def reject_infinite(self) -> None:
        """Raise ValueError naming the columns that hold ±inf (as :func:`reject_infinite`)."""
        bad = np.zeros(self.shape[1], dtype=bool)
        for part, cols in self.parts:
            bad[cols] = np.isinf(part).any(axis=1)
        refuse_infinite_columns(bad)

    def __array__(self, dtype: Any = None, copy: Any = None) -> NDArray[Any]:
        # For code that needs one array (the NumPy paths): what validation would have made.
        return np.asarray(self.source, dtype=self.dtype if dtype is None else dtype)


def column_major(X: Any) -> Columns | None:
    """``X`` as :class:`Columns` if it is held column by column (a Fortran-ordered float32 or
    float64 array that is not also C-ordered, or :class:`Columns` already), else None.

    Examples
    --------
    >>> import numpy as np
    >>> column_major(np.zeros((3, 2))) is None, column_major(np.zeros((3, 2), order="F")) is None
    (True, False)
    """
    if isinstance(X, Columns):
        return X
    if not isinstance(X, np.ndarray) or X.ndim != 2 or X.dtype not in (np.float32, np.float64):
        return None
    if X.flags.c_contiguous or not X.flags.f_contiguous:
        return None
    return Columns(((X.T, slice(0, X.shape[1])),), X.shape, X.dtype, X)


def frame_columns(X: Any) -> Columns | None:
    """:func:`of_frame` of a pandas DataFrame where the compiled kernels can read it, else None.

    Examples
    --------
    >>> import numpy as np
    >>> frame_columns(np.zeros((3, 2))) is None
    True
    """
    pandas = sys.modules.get("pandas")  # no DataFrame exists before pandas is imported
    if pandas is None or not isinstance(X, pandas.DataFrame) or kernels.compiled() is None:
        return None
    return of_frame(X)


def of_frame(frame: Any, min_rows: int = FRAME_MIN_ROWS) -> Columns | None:
    """The columns of a pandas DataFrame as stored, or None where converting it is as good.

    None unless every column is a contiguous float32 or float64 NumPy array and there are at
    least ``min_rows`` rows (a DataFrame built on a C-ordered array without a copy has strided
    columns, and ``np.asarray`` of it is a C-ordered view: no copy either).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> frame = pd.DataFrame({"a": np.arange(3.0), "b": np.ones(3, np.float32)})
    >>> c = of_frame(frame, min_rows=1)
    >>> c.dtype, [cols for _, cols in c.parts]
    (dtype('float64'), [slice(0, 1, None), slice(1, 2, None)])
    """
    n = len(frame)
    if n < max(1, min_rows) or frame.shape[1] == 0:
        return None
    floats = (np.dtype(np.float32), np.dtype(np.float64))
    if not all(isinstance(kind, np.dtype) and kind in floats for kind in frame.dtypes):
        return None  # integers, booleans, pandas' own nullable types: validation converts
    arrays = []
    for _, series in frame.items():
        values = series.to_numpy()
        if values.ndim != 1 or not values.flags.c_contiguous:
            return None
        arrays.append(values)
    dtype = np.result_type(*{a.dtype for a in arrays})
    return Columns(tuple(_adjacent_runs(arrays)), (n, len(arrays)), dtype, frame)


def _adjacent_runs(arrays: list[NDArray[np.floating]]) -> list[tuple[NDArray[Any], slice]]:
    # Consecutive columns of one dtype lying one after the other in memory (one pandas block)
    # become one (k, n) part, so a wide frame costs one kernel call per block, not per column.
    # The view covers exactly those columns' values.
    runs: list[tuple[NDArray[Any], slice]] = []
    start = 0
    for j in range(1, len(arrays) + 1):
        if j < len(arrays) and _follows(arrays[j - 1], arrays[j]):
            continue
        first, k = arrays[start], j - start
        part = first[np.newaxis, :]
        if k > 1:
            shape, strides = (k, first.size), (first.nbytes, first.itemsize)
            part = np.lib.stride_tricks.as_strided(first, shape, strides, writeable=False)
        runs.append((part, slice(start, j)))
        start = j
    return runs


def _follows(a: NDArray[Any], b: NDArray[Any]) -> bool:
    address = a.__array_interface__["data"][0]
    return b.dtype == a.dtype and b.__array_interface__["data"][0] == address + a.nbytes


def column(X: Any, j: int) -> NDArray[Any]:
    """Column ``j`` of an array or of :class:`Columns`."""
    return X.column(j) if isinstance(X, Columns) else X[:, j]


def first_row(X: Any) -> NDArray[np.float64]:
    """Row 0 of an array or of :class:`Columns`, in float64."""
    return X.first_row() if isinstance(X, Columns) else np.array(X[0], dtype=np.float64)
