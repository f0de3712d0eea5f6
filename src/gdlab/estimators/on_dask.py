"""GDRegressor and GDClassifier on Dask arrays: checks, the intercept column, lazy outputs.

``fit`` reads a ``dask.array.Array`` (or a Dask DataFrame of numeric columns) through the Dask
stepper of :func:`gdlab.optim.descend`; ``predict``, ``decision_function`` and
``predict_proba`` return Dask arrays, computed only when asked. Dask is imported here only,
once the caller has passed a Dask object.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.dask_types import is_dask
from gdlab.optim.dask_stepper import as_matrix


def fit_inputs(estimator: Any, X: Any, y: Any) -> tuple[Any, Any]:
    """Checked ``X`` and ``y`` for ``fit`` (``y`` a Dask array chunked like ``X``'s rows);
    sets ``n_features_in_``."""
    import dask.array as da

    name = type(estimator).__name__
    X = as_matrix(X, name)
    if is_dask(y) and hasattr(y, "to_dask_array"):
        y = y.to_dask_array(lengths=True)
    if not isinstance(y, da.Array):
        y = da.from_array(np.asarray(y))
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"{name}: y must have shape ({X.shape[0]},) to match X, got {y.shape}.")
    estimator.n_features_in_ = int(X.shape[1])
    return X, y.rechunk((X.chunks[0],))


def predict_input(estimator: Any, X: Any) -> Any:
    """Checked ``X`` for ``predict``: as many columns as at ``fit``."""
    name = type(estimator).__name__
    X = as_matrix(X, name)
    if X.shape[1] != estimator.n_features_in_:
        raise ValueError(
            f"X has {X.shape[1]} features, but {name} is expecting "
            f"{estimator.n_features_in_} features as input."
        )
    return X


def add_intercept(X: Any) -> Any:
    """``[X | 1]`` lazily, the ones column last (as :func:`gdlab.datasets.add_intercept`)."""
    import dask.array as da

    ones = da.ones((X.shape[0], 1), chunks=(X.chunks[0], 1), dtype=np.float64)
    return da.concatenate([X, ones], axis=1).rechunk({1: -1})


def encode_labels(y: Any) -> tuple[NDArray[Any], Any]:
    """The sorted classes (one pass) and the labels' codes ``0..k-1``, lazily."""
    import dask.array as da

    classes = np.asarray(da.unique(y).compute())
    return classes, y.map_blocks(_codes, classes, dtype=np.intp)


def _codes(block: NDArray[Any], classes: NDArray[Any]) -> NDArray[np.intp]:
    return np.searchsorted(classes, block)


def labels_of(classes: NDArray[Any], index: Any) -> Any:
    """``classes[index]`` lazily."""
    return index.map_blocks(classes.take, dtype=classes.dtype)


def stack_columns(*columns: Any) -> Any:
    """Columns side by side, lazily (``np.column_stack``)."""
    import dask.array as da

    return da.stack(columns, axis=1)


def softmax(scores: Any, log: bool = False) -> Any:
    """Row-wise (log-)softmax of a Dask array of scores (each chunk holds whole rows)."""
    import scipy.special

    func = scipy.special.log_softmax if log else scipy.special.softmax
    return scores.map_blocks(func, axis=1, dtype=np.float64)
