"""Min-max (0-1) normalization: ``z = (x - min) / (max - min)``, column by column."""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np

from gdlab.scaling.affine import affine
from gdlab.scaling.base import F64, Floats, StreamingScaler
from gdlab.scaling.checks import check_block
from gdlab.scaling.constant import constant_spread, safe_scale
from gdlab.scaling.moments import Extremes, column_extremes


class MinMaxScaler(StreamingScaler):
    r"""Map each column's fitted range onto ``feature_range``.

    .. math:: z = \frac{x - x_{\min}}{x_{\max} - x_{\min}} (b - a) + a,
              \qquad (a, b) = \text{feature\_range}

    computed as one fused pass ``z = (x - offset) * scale_`` with
    ``offset = data_min_ - a / scale_``. Minimum and maximum are exact (merging them is
    exact), in float64. A constant column (range within rounding of its values, see
    :mod:`gdlab.scaling.constant`) is treated as having range 1, so it maps to ``a`` and is
    never divided by zero. NaN is ignored by fit and kept by transform.

    Parameters
    ----------
    feature_range : tuple (min, max), default=(0, 1)
        Target range; ``min < max``.
    copy : bool, default=True
        False lets ``transform`` write into its input when it is a float ndarray.
    clip : bool, default=False
        Clip transformed values of new data into ``feature_range``.

    Attributes
    ----------
    data_min_, data_max_, data_range_ : ndarray of shape (n_features,)
        Per-column minimum, maximum and ``data_max_ - data_min_`` seen in fit.
    scale_ : ndarray of shape (n_features,)
        ``(b - a) / data_range_`` (``data_range_`` read as 1 for constant columns).
    min_ : ndarray of shape (n_features,)
        ``a - data_min_ * scale_``, so that ``z = x * scale_ + min_`` (scikit-learn's names).
    n_samples_seen_ : int
        Rows seen.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> a = np.arange(12).reshape(6, 2)
    >>> s = MinMaxScaler().fit(a)
    >>> s.transform(a)[:3]
    array([[0. , 0. ],
           [0.2, 0.2],
           [0.4, 0.4]])
    >>> s.inverse_transform([[1.0, 0.5]])
    array([[10.,  6.]])
    """

    _statistics: ClassVar[tuple[str, ...]] = ("data_min_", "data_max_")
    _derived: ClassVar[tuple[str, ...]] = ("data_range_", "scale_", "min_")

    data_min_: F64
    data_max_: F64
    data_range_: F64
    scale_: F64
    min_: F64

    def __init__(
        self, feature_range: tuple[float, float] = (0, 1), *, copy: bool = True, clip: bool = False
    ) -> None:
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "feature_range": [tuple],
        "copy": ["boolean"],
        "clip": ["boolean"],
    }

    def _check_params(self) -> None:
        fr: Any = self.feature_range
        ok = len(fr) == 2 and all(isinstance(v, numbers.Real) and np.isfinite(float(v)) for v in fr)
        if not ok or not fr[0] < fr[1]:
            raise ValueError(
                "Minimum of desired feature range must be smaller than maximum: feature_range "
                f"must be a tuple (min, max) of finite numbers with min < max, got {fr!r}; "
                "e.g. feature_range=(0, 1) or (-1, 1)."
            )

    def _takes_columns(self) -> bool:
        return not self.clip  # clipping runs on NumPy blocks of one array

    def _accumulate(self, X: Floats) -> None:
        ext = column_extremes(X)
        if hasattr(self, "n_samples_seen_"):
            ext = Extremes(self.data_min_, self.data_max_).merge(ext)
            self.n_samples_seen_ = int(self.n_samples_seen_) + X.shape[0]
        else:
            self.n_samples_seen_ = X.shape[0]
        self.data_min_, self.data_max_ = ext.low, ext.high
        self._finish()

    def _finish(self) -> None:
        a, b = (float(v) for v in self.feature_range)
        with np.errstate(over="ignore"):
            self.data_range_ = self.data_max_ - self.data_min_
        wide = np.isinf(self.data_range_)
        if wide.any():
            raise ValueError(
                f"The range (max - min) of column(s) {np.flatnonzero(wide).tolist()} exceeds "
                "the largest float64 (1.8e308). Divide those columns by a large constant "
                "(e.g. 1e10) first, then scale."
            )
        magnitude = np.fmax(np.abs(self.data_min_), np.abs(self.data_max_))
        span = safe_scale(self.data_range_, constant_spread(self.data_range_, magnitude))
        self.scale_ = (b - a) / span
        self.min_ = a - self.data_min_ * self.scale_

    def _check_state(self) -> None:
        if (self.data_min_ > self.data_max_).any():
            raise ValueError(
                "Invalid scaler state: data_min_ exceeds data_max_ in some column; refit and save."
            )

    def _map(self) -> tuple[F64, F64, F64]:
        a = float(self.feature_range[0])
        inverse = 1.0 / self.scale_
        # Subtracting data_min_ first (offset == data_min_ when a == 0) keeps x == data_min_
        # exactly at a, where x * scale_ + min_ would leave rounding residue.
        return self.data_min_ - a * inverse, self.scale_, inverse

    def _forward(self, X: Floats, out: Floats, *, checked: bool) -> None:
        offset, factor, _ = self._map()
        lo, hi = (float(v) for v in self.feature_range)

        def clip(block: Floats) -> None:
            np.clip(block, lo, hi, out=block)

        check = None if checked else check_block
        affine(X, offset, factor, out, check=check, after=clip if self.clip else None)
