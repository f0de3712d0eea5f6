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
from gdlab.estimators._rates import Curvature
from gdlab.models import Model
from gdlab.optim.dask_stepper import as_matrix


def fit(estimator: Any, X: Any, y: Any, sample_weight: Any, k: int | None) -> None:
    """``fit`` on Dask data: ``k`` classes (None: found from ``y``; 1 for regression)."""
    name = type(estimator).__name__
    unavailable = [
        text for text, used in (
            ("sample_weight", sample_weight is not None),
            ("class_weight", getattr(estimator, "class_weight", None) is not None),
            ("early_stopping", bool(estimator.early_stopping)),
        ) if used
    ]  # fmt: skip
    if unavailable:
        raise ValueError(
            f"{name}: {', '.join(unavailable)} is not available on Dask arrays (row weights and "
            "held-out rows would be gathered); fit in memory, or without it."
        )
    Xd, yd = fit_inputs(estimator, X, y)
    estimator._partial = False
    if k is not None:
        estimator._fit_arrays(Xd, yd.astype(np.float64), None, k)
        return
    estimator.classes_, codes = encode_labels(yd)
    k = len(estimator.classes_)
    if k < 2:
        raise ValueError(
            f"{name} needs samples of at least 2 classes in y, got 1 class "
            f"({estimator.classes_[0]!r}); a classifier cannot learn from one class."
        )
    estimator._fit_arrays(Xd, codes.astype(np.float64 if k == 2 else np.int64), None, k)


def summaries(model: Model, A: Any, t: Any, k: int) -> tuple[Curvature, float, Any]:
    """The curvature, the target's spread and the intercept's starting value of
    :mod:`gdlab.estimators._rates`, from one pass over the chunks of ``A`` and ``t``."""
    import dask

    parts = dask.compute(
        *(
            dask.delayed(_chunk_sums)(Ac, tc, model.family, k)
            for Ac, tc in zip(A.to_delayed().ravel(), t.to_delayed().ravel(), strict=True)
        )
    )
    m = int(A.shape[0])
    gram = sum(p[0] for p in parts) / m
    row = max(p[1] for p in parts)
    counts = sum(p[2] for p in parts)
    curvature = Curvature.from_gram(model, gram, row, m)
    if model.family == "LeastSquares":
        mean = counts[0] / m
        spread = float(np.sqrt(max(counts[1] / m - mean * mean, 0.0)))
        return curvature, spread, float(mean)
    shares = counts / m
    if (shares <= 0).any():
        return curvature, 1.0, 0.0 if k == 2 else np.zeros(k)
    if k == 2:
        return curvature, 1.0, float(np.log(shares[1] / shares[0]))
    logs = np.log(shares)
    return curvature, 1.0, logs - logs.mean()


def _chunk_sums(A: NDArray[np.float64], t: NDArray[Any], family: str, k: int) -> Any:
    # A^T A, the largest squared row norm, and the target's sums (least squares) or counts.
    row = float(np.einsum("ij,ij->i", A, A).max(initial=0.0))
    if family == "LeastSquares":
        counts = np.array([t.sum(), (t * t).sum()])
    else:
        counts = np.bincount(np.asarray(t, dtype=np.intp), minlength=k).astype(np.float64)
    return A.T @ A, row, counts


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
