"""Max-abs scaling: ``z = x / max|x|``, column by column, into [-1, 1] without shifting."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from gdlab.scaling.base import F64, Floats, StreamingScaler
from gdlab.scaling.constant import constant_spread, safe_scale
from gdlab.scaling.moments import column_extremes


class MaxAbsScaler(StreamingScaler):
    r"""Divide each column by its largest absolute value.

    .. math:: z = \frac{x}{\max_i |x_i|}

    Zeros stay zeros (sparsity and sign are kept). An all-zero column is constant (see
    :mod:`gdlab.scaling.constant`) and keeps ``scale_ = 1``. NaN is ignored by fit and kept
    by transform.

    Parameters
    ----------
    copy : bool, default=True
        False lets ``transform`` write into its input when it is a float ndarray.

    Attributes
    ----------
    max_abs_ : ndarray of shape (n_features,)
        Per-column maximum absolute value.
    scale_ : ndarray of shape (n_features,)
        ``max_abs_``, 1 for all-zero columns.
    n_samples_seen_ : int
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> s = MaxAbsScaler().fit([[1.0, -4.0], [-2.0, 2.0], [0.0, 0.0]])
    >>> s.max_abs_
    array([2., 4.])
    >>> s.transform([[1.0, 1.0]])
    array([[0.5 , 0.25]])
    """

    _statistics: ClassVar[tuple[str, ...]] = ("max_abs_",)
    _derived: ClassVar[tuple[str, ...]] = ("scale_",)

    max_abs_: F64
    scale_: F64

    def __init__(self, *, copy: bool = True) -> None:
        self.copy = copy

    def _accumulate(self, X: Floats) -> None:
        ext = column_extremes(X)
        max_abs = np.fmax(np.abs(ext.low), np.abs(ext.high))
        if hasattr(self, "n_samples_seen_"):
            max_abs = np.fmax(self.max_abs_, max_abs)
            self.n_samples_seen_ = int(self.n_samples_seen_) + X.shape[0]
        else:
            self.n_samples_seen_ = X.shape[0]
        self.max_abs_ = max_abs
        self._finish()

    def _finish(self) -> None:
        self.scale_ = safe_scale(self.max_abs_, constant_spread(self.max_abs_, self.max_abs_))

    def _check_state(self) -> None:
        if (self.max_abs_ < 0).any():
            raise ValueError("Invalid scaler state: max_abs_ has negative values; refit and save.")

    def _map(self) -> tuple[F64, F64, F64]:
        return np.zeros_like(self.scale_), 1.0 / self.scale_, self.scale_
