"""The scalers on Dask: one distributed pass to fit, lazy maps to transform.

``fit`` and ``partial_fit`` of a ``dask.array.Array`` or ``dask.dataframe.DataFrame`` compute
each chunk's float64 statistics where the chunk lives, with the in-memory functions
(:func:`~gdlab.scaling.moments.column_moments`, :func:`~gdlab.scaling.moments.column_extremes`),
and merge them pairwise in a tree with the same rules (Chan's update
:meth:`~gdlab.scaling.moments.Moments.merge`, :meth:`~gdlab.scaling.moments.Extremes.merge`):
one Dask graph, one pass over the data, whichever scheduler runs it (threads, processes, a
``distributed.Client``). The fitted attributes are those of the NumPy fit of the same rows, to
rounding. ``RobustScaler`` is the exception: its quantiles come from per-chunk quantiles
merged by Dask's :func:`dask.array.percentile` algorithm, so they are **approximate** (close
for chunks of many rows; exact only for one chunk).

``transform`` and ``inverse_transform`` map every chunk (partition) with the fitted scaler,
lazily: a Dask array gives a Dask array, a Dask DataFrame a Dask DataFrame with the same
columns, index and divisions. Dask is imported only here, once a Dask object is passed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.dask_types import is_dask_dataframe
from gdlab.scaling.checks import reject_non_numeric
from gdlab.scaling.columns import Columns, of_frame
from gdlab.scaling.moments import Extremes, Moments, column_extremes, column_moments

F64 = NDArray[np.float64]
#: Chunks' statistics merged per task: the merge tree is log8(chunks) deep. Every task costs a
#: round trip through the scheduler; merging eight chunks' statistics takes microseconds.
FAN_IN = 8
# Quantiles each chunk reports for RobustScaler's merge: every 0.1 % plus the ones asked for
# (a coarser grid biases the merged median by about a grid step's share of the IQR).
_GRID = np.linspace(0.0, 100.0, 1001)


# -- per-chunk statistics (run where the chunk is) ---------------------------------------------
def _block(chunk: Any) -> NDArray[np.floating]:
    # A chunk of a Dask array, or a partition of a Dask DataFrame, as a float ndarray.
    arr = np.asarray(chunk)
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def _held(chunk: Any) -> Any:
    # As _block, but a partition of float columns stays where pandas keeps it (Columns).
    held = of_frame(chunk, min_rows=1) if isinstance(chunk, _pandas_frame()) else None
    return _block(chunk) if held is None else held


def _pandas_frame() -> type:
    import pandas as pd

    return pd.DataFrame


def _rows(chunk: Any) -> tuple[int, Any]:
    block = _held(chunk)
    if block.shape[0]:
        column_extremes(block)  # rejects ±inf, as the in-memory fit does
    return block.shape[0], None


def _moments(chunk: Any) -> tuple[int, Moments | None]:
    block = _held(chunk)
    return block.shape[0], column_moments(block) if block.shape[0] else None


def _extremes(chunk: Any) -> tuple[int, Extremes | None]:
    block = _held(chunk)
    return block.shape[0], column_extremes(block) if block.shape[0] else None


def _quantiles(chunk: Any, q: F64) -> tuple[int, Any]:
    block = _block(chunk)
    if not block.shape[0]:
        return 0, None
    ext = column_extremes(block)
    observed = ~np.isnan(block)
    values = np.full((q.size, block.shape[1]), np.nan)
    seen = ~np.isnan(ext.low)
    if seen.any():
        with np.errstate(over="ignore", invalid="ignore"):
            values[:, seen] = np.nanpercentile(block[:, seen], q, axis=0)
    return block.shape[0], (ext, observed.sum(axis=0), values)


def _combine(
    merge: Callable[[Any, Any], Any], a: tuple[int, Any], b: tuple[int, Any]
) -> tuple[int, Any]:
    # Chunks' (rows, statistics): an empty chunk (statistics None) adds nothing.
    if a[1] is None or b[1] is None:
        return a[0] + b[0], a[1] if b[1] is None else b[1]
    return a[0] + b[0], merge(a[1], b[1])


def _gather(a: tuple[int, Any], b: tuple[int, Any]) -> tuple[int, Any]:
    # RobustScaler's chunks are merged at the end, all at once: collect them in a list.
    def as_list(part: tuple[int, Any]) -> list[Any]:
        return part[1] if isinstance(part[1], list) else ([] if part[1] is None else [part[1]])

    return a[0] + b[0], as_list(a) + as_list(b)


def _merge_all(combine: Callable[[Any, Any], Any], *parts: Any) -> Any:
    return functools.reduce(combine, parts)


def _tree(parts: list[Any], combine: Callable[[Any, Any], Any]) -> Any:
    """Merge delayed ``parts`` ``FAN_IN`` at a time, level by level: one graph, few tasks."""
    import dask

    task = dask.delayed(functools.partial(_merge_all, combine), pure=True)
    while len(parts) > 1:
        groups = [parts[i : i + FAN_IN] for i in range(0, len(parts), FAN_IN)]
        parts = [task(*group) if len(group) > 1 else group[0] for group in groups]
    return parts[0]


# -- fit ---------------------------------------------------------------------------------------
def _chunks(X: Any) -> list[Any]:
    """The delayed row chunks (all columns in each) of a Dask array or DataFrame."""
    if is_dask_dataframe(X):
        return list(X.to_delayed())
    if X.ndim != 2:
        raise ValueError(
            f"Expected a 2-D Dask array (n_samples, n_features), got shape {X.shape}; reshape a "
            "single feature with X.reshape(-1, 1)."
        )
    if len(X.chunks[1]) > 1:
        X = X.rechunk({1: -1})
    return list(X.to_delayed().ravel())


def _check_columns(scaler: Any, X: Any, *, reset: bool) -> None:
    """``n_features_in_`` and ``feature_names_in_`` as ``validate_data`` would set or check
    them, from the Dask object's metadata (no data read)."""
    if is_dask_dataframe(X):
        reject_non_numeric(X._meta)
        width = len(X.columns)
        names = [str(c) for c in X.columns] if all(isinstance(c, str) for c in X.columns) else None
    else:
        if X.dtype.kind not in "biuf":
            raise ValueError(
                f"{type(scaler).__name__} expects numeric data, got a Dask array of dtype "
                f"{X.dtype}; convert it with X.astype(float)."
            )
        width, names = int(X.shape[1]) if X.ndim == 2 else -1, None
    if reset:
        scaler.n_features_in_ = width
        if names is not None:
            scaler.feature_names_in_ = np.array(names, dtype=object)
        elif hasattr(scaler, "feature_names_in_"):
            del scaler.feature_names_in_
        return
    if width != scaler.n_features_in_:
        raise ValueError(
            f"X has {width} features, but {type(scaler).__name__} is expecting "
            f"{scaler.n_features_in_} features as input."
        )
    fitted = getattr(scaler, "feature_names_in_", None)
    if names is not None and fitted is not None and list(fitted) != names:
        raise ValueError(
            f"The feature names should match those that were passed during fit: got "
            f"{names}, fitted {list(fitted)}."
        )


def learn(scaler: Any, X: Any, fit_params: dict[str, Any], *, reset: bool) -> None:
    """Fit (``reset``) or continue fitting ``scaler`` on a Dask object, in one pass."""
    import dask

    if any(v is not None for v in fit_params.values()):
        raise ValueError(
            f"{type(scaler).__name__} takes no sample_weight on Dask input; fit on the rows "
            "repeated, or on a NumPy array with the weights."
        )
    _check_columns(scaler, X, reset=reset)
    plan = _plan(scaler)
    chunk, combine = plan[0], plan[1]
    rows, stats = dask.compute(_tree([dask.delayed(chunk)(c) for c in _chunks(X)], combine))[0]
    if rows == 0:
        raise ValueError(
            f"Found array with 0 sample(s) while a minimum of 1 is required by "
            f"{type(scaler).__name__}."
        )
    plan[2](scaler, rows, stats)


def _plan(scaler: Any) -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., None]]:
    """(per-chunk statistics, merge of two, absorb into the scaler) for this scaler."""
    from gdlab.scaling.maxabs import MaxAbsScaler
    from gdlab.scaling.minmax import MinMaxScaler
    from gdlab.scaling.robust import RobustScaler
    from gdlab.scaling.sigmoid import SigmoidScaler
    from gdlab.scaling.standard import MomentScaler

    if isinstance(scaler, RobustScaler):
        lo, hi = (float(v) for v in scaler.quantile_range)
        q = np.union1d(_GRID, [50.0, lo, hi])
        return functools.partial(_quantiles, q=q), _gather, functools.partial(_robust, q=q)
    if isinstance(scaler, SigmoidScaler) and not scaler.standardize:
        return _rows, functools.partial(_combine, lambda a, b: None), _counted
    if isinstance(scaler, MomentScaler):
        return _moments, functools.partial(_combine, Moments.merge), _moments_into
    if isinstance(scaler, (MinMaxScaler, MaxAbsScaler)):
        return _extremes, functools.partial(_combine, Extremes.merge), _extremes_into
    raise TypeError(f"{type(scaler).__name__} has no Dask fit.")


def _moments_into(scaler: Any, rows: int, m: Moments) -> None:
    from gdlab.scaling.standard import _too_wide, counts_attribute

    previous = scaler._previous(m.count.shape[0])
    m = m if previous is None else previous.merge(m)  # the same Chan update as chunk merges
    _too_wide(m)
    scaler.n_samples_seen_ = counts_attribute(m.count)
    scaler.mean_, scaler.var_ = m.mean, m.var
    scaler._finish()


def _extremes_into(scaler: Any, rows: int, ext: Extremes) -> None:
    from gdlab.scaling.maxabs import MaxAbsScaler

    if isinstance(scaler, MaxAbsScaler):
        scaler._merge(np.fmax(np.abs(ext.low), np.abs(ext.high)), rows)
        return
    if hasattr(scaler, "n_samples_seen_"):
        ext = Extremes(scaler.data_min_, scaler.data_max_).merge(ext)
        scaler.n_samples_seen_ = int(scaler.n_samples_seen_) + rows
    else:
        scaler.n_samples_seen_ = rows
    scaler.data_min_, scaler.data_max_ = ext.low, ext.high
    scaler._finish()


def _counted(scaler: Any, rows: int, _: Any) -> None:
    width = scaler.n_features_in_
    scaler.n_samples_seen_ = int(getattr(scaler, "n_samples_seen_", 0)) + rows
    scaler.mean_, scaler.var_ = np.zeros(width), np.ones(width)
    scaler._finish()


def _robust(scaler: Any, rows: int, parts: Any, q: F64) -> None:
    import importlib

    # dask.array.percentile is also the name of the function the package exports.
    merge_percentiles = importlib.import_module("dask.array.percentile").merge_percentiles
    parts = parts if isinstance(parts, list) else [parts]
    ext = functools.reduce(Extremes.merge, [p[0] for p in parts])
    magnitude = np.fmax(np.abs(ext.low), np.abs(ext.high))
    lo, hi = (float(v) for v in scaler.quantile_range)
    out = np.full((3, magnitude.shape[0]), np.nan)
    for j in np.flatnonzero(~np.isnan(ext.low)):
        keep = [p for p in parts if p[1][j] > 0]
        out[:, j] = merge_percentiles(
            np.array([50.0, lo, hi]),
            [q] * len(keep),
            [p[2][:, j] for p in keep],
            method="linear",
            Ns=[int(p[1][j]) for p in keep],
        )
    scaler._store(rows, out, magnitude)


# -- transform ---------------------------------------------------------------------------------
def _mapped(block: Any, scaler: Any, inverse: bool) -> NDArray[Any]:
    # The columns were checked once, on the Dask object. The chunk (which Dask may share with
    # other tasks) is read once and the scaler's own map (with its check of the values)
    # writes a new array in its layout: one read and one write, as in memory.
    if isinstance(block, Columns):
        out = block.empty()
    else:
        if block.dtype.kind != "f":
            block = block.astype(np.float64)
        out = np.empty_like(block)
    if out.shape[0]:
        (scaler._backward if inverse else scaler._forward)(block, out, checked=False)
    return out


def _mapped_frame(frame: Any, scaler: Any, inverse: bool) -> Any:
    import pandas as pd

    # A partition's columns are read where pandas keeps them (float32 beside float64: no
    # conversion copy); the result is wrapped without a copy.
    held = None if inverse else of_frame(frame, min_rows=1)
    values = _mapped(frame.to_numpy() if held is None else held, scaler, inverse)
    return pd.DataFrame(values, index=frame.index, columns=frame.columns, copy=False)


def apply(scaler: Any, X: Any, *, inverse: bool) -> Any:
    """``transform`` (or its inverse) of a Dask object, lazily, chunk by chunk."""
    _check_columns(scaler, X, reset=False)
    if is_dask_dataframe(X):
        meta = _mapped_frame(X._meta, scaler, inverse)
        return X.map_partitions(_mapped_frame, scaler, inverse, meta=meta)
    if len(X.chunks[1]) > 1:
        X = X.rechunk({1: -1})
    dtype = np.result_type(X.dtype, np.float32)
    meta = np.empty((0, 0), dtype=dtype)  # given: Dask need not call _mapped to learn it
    return X.map_blocks(_mapped, scaler, inverse, dtype=dtype, meta=meta)
