r"""Row weights (``sample_weight``): checked once and scaled to mean 1.

With weights :math:`s_i` of mean 1 the engine's mean loss :math:`\frac1m \sum_i s_i l_i` is the
weighted mean :math:`\sum_i s_i l_i / \sum_i s_i`, and a row of weight 2 counts as two copies
of it: every model's ``link`` scales each row's loss and residual by its weight.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdlab.dask_types import is_dask

Array = NDArray[np.float64]


def row_weights(sample_weight: ArrayLike, X: Any) -> Array:
    """``sample_weight`` checked (one finite weight >= 0 per row of ``X``, not all zero) and
    scaled to mean 1, so the mean loss over the rows is the weighted mean.

    Examples
    --------
    >>> row_weights([1.0, 3.0], np.zeros((2, 1)))
    array([0.5, 1.5])
    """
    if is_dask(X) or is_dask(sample_weight):
        raise ValueError(
            "sample_weight is not available on Dask arrays; weight the rows in memory, or "
            "repeat the rows that should count more."
        )
    s = np.asarray(sample_weight, dtype=np.float64)
    n = np.shape(X)[0]
    if s.shape != (n,):
        raise ValueError(
            f"sample_weight must have shape ({n},), one weight per row, got {s.shape}."
        )
    if not np.isfinite(s).all() or (s < 0).any():
        raise ValueError(
            "sample_weight must hold finite weights >= 0 (a row of weight 2 counts twice); "
            "drop rows rather than give them negative weights."
        )
    if not s.sum() > 0:
        raise ValueError("sample_weight sums to zero: no row counts; give some rows weight > 0.")
    return mean_one(s)


def mean_one(s: Array) -> Array:
    """``s`` scaled to mean 1 (ValueError when it sums to 0)."""
    total = float(s.sum())
    if not total > 0:
        raise ValueError(
            "the rows held out for validation (or those left to train on) all have weight 0; "
            "use a larger validation_fraction or give more rows weight > 0."
        )
    return np.ascontiguousarray(s * (s.shape[0] / total))
