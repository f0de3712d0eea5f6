"""Robust scaling: ``z = (x - median) / IQR``, column by column, insensitive to outliers."""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np
from scipy.stats import norm

from gdlab.scaling import sparse_data
from gdlab.scaling.base import F64, BaseScaler, Floats
from gdlab.scaling.constant import constant_spread, safe_scale
from gdlab.scaling.moments import column_extremes


class RobustScaler(BaseScaler):
    r"""Centre on the median and divide by an inter-quantile range.

    .. math:: z = \frac{x - \operatorname{median}(x)}{q_{hi}(x) - q_{lo}(x)}

    Quantiles use linear interpolation (NumPy's default), NaN ignored. Outliers barely move
    the median and the quartiles, so they stay visible after scaling instead of squashing the
    other values (the min-max failure the lesson shows). A column whose inter-quantile range is
    within rounding of its values is constant (see :mod:`gdlab.scaling.constant`) and keeps
    ``scale_ = 1``. Quantiles cannot be merged exactly, so there is no ``partial_fit``.
    Sparse CSR/CSC input is taken with ``with_centering=False``; its quantiles count the
    implicit zeros. A quantile whose interpolation overflows float64 is computed again in
    units of a power of two; a range beyond float64 raises ValueError naming the column.

    Parameters
    ----------
    with_centering : bool, default=True
        Subtract the median.
    with_scaling : bool, default=True
        Divide by the inter-quantile range.
    quantile_range : tuple (q_lo, q_hi), default=(25.0, 75.0)
        Percentiles with ``0 <= q_lo < q_hi <= 100``.
    copy : bool, default=True
        False lets ``transform`` write into its input when it is a float ndarray.
    unit_variance : bool, default=False
        Also divide by the same range of the standard normal, so normal data ends with
        unit variance (needs ``0 < q_lo`` and ``q_hi < 100``, where that range is finite).

    Attributes
    ----------
    center_ : ndarray of shape (n_features,) or None
        Column medians; None when ``with_centering`` is False (as in scikit-learn).
    scale_ : ndarray of shape (n_features,) or None
        The denominator; None when ``with_scaling`` is False.
    n_samples_seen_ : int
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0], [100.0]])
    >>> s = RobustScaler().fit(X)
    >>> s.center_, s.scale_
    (array([3.]), array([2.]))
    >>> s.transform(X).ravel()
    array([-1. , -0.5,  0. ,  0.5, 48.5])
    """

    _statistics: ClassVar[tuple[str, ...]] = ("center_", "scale_")
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "with_centering": ["boolean"],
        "with_scaling": ["boolean"],
        "quantile_range": [tuple],
        "copy": ["boolean"],
        "unit_variance": ["boolean"],
    }

    center_: F64 | None
    scale_: F64 | None

    def __init__(
        self,
        *,
        with_centering: bool = True,
        with_scaling: bool = True,
        quantile_range: tuple[float, float] = (25.0, 75.0),
        copy: bool = True,
        unit_variance: bool = False,
    ) -> None:
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range
        self.copy = copy
        self.unit_variance = unit_variance

    def _check_params(self) -> None:
        q: Any = self.quantile_range
        ok = len(q) == 2 and all(isinstance(v, numbers.Real) for v in q)
        if not ok or not 0 <= q[0] < q[1] <= 100:
            raise ValueError(
                f"Invalid quantile range: {q!r}; quantile_range must be a tuple (q_lo, q_hi) "
                "with 0 <= q_lo < q_hi <= 100, e.g. quantile_range=(25.0, 75.0)."
            )
        if self.unit_variance and not 0 < q[0] < q[1] < 100:
            # The normal distribution's 0th and 100th percentiles are infinite: the scale
            # would become 0.
            raise ValueError(
                "unit_variance=True needs 0 < q_lo < q_hi < 100 (the standard normal's range "
                f"between them must be finite), got quantile_range={q!r}; e.g. (25.0, 75.0)."
            )

    def _sparse_refusal(self) -> Exception | None:
        if not self.with_centering:
            return None
        return ValueError(
            "Cannot center sparse matrices: use `with_centering=False` instead (centring "
            "would make every zero nonzero and densify the matrix)."
        )

    def _absent(self) -> frozenset[str]:
        return frozenset(
            ({"center_"} if not self.with_centering else set())
            | ({"scale_"} if not self.with_scaling else set())
        )

    def _accumulate(self, X: Floats) -> None:
        ext = column_extremes(X)  # also rejects ±inf
        magnitude = np.fmax(np.abs(ext.low), np.abs(ext.high))
        observed = ~np.isnan(ext.low)
        lo, hi = (float(v) for v in self.quantile_range)
        q = np.full((3, X.shape[1]), np.nan)
        if observed.any():
            # An all-NaN column would make nanpercentile warn; it keeps NaN statistics instead.
            cols = X if observed.all() else X[:, observed]
            with np.errstate(over="ignore", invalid="ignore"):
                q[:, observed] = np.nanpercentile(cols, [50.0, lo, hi], axis=0)
            huge = observed & ~np.isfinite(q).all(axis=0)
            for j in np.flatnonzero(huge):  # interpolation overflowed: measure in units of 2^k
                unit = np.ldexp(1.0, int(np.frexp(magnitude[j])[1]) - 1)
                col = np.asarray(X[:, j], dtype=np.float64) / unit
                with np.errstate(over="ignore"):
                    q[:, j] = np.nanpercentile(col, [50.0, lo, hi]) * unit
        self._store(X.shape[0], q, magnitude)

    def _accumulate_sparse(self, X: Any) -> None:
        lo, hi = (float(v) for v in self.quantile_range)
        q = np.vstack([np.full(X.shape[1], np.nan), sparse_data.percentiles(X, [lo, hi])])
        self._store(X.shape[0], q, sparse_data.max_abs(X))

    def _store(self, rows: int, q: F64, magnitude: F64) -> None:
        lo, hi = (float(v) for v in self.quantile_range)
        with np.errstate(over="ignore", invalid="ignore"):
            scale = q[2] - q[1]
        wide = ~np.isnan(q[1]) & ~np.isfinite(scale)
        if wide.any():
            raise ValueError(
                f"The quantile range of column(s) {np.flatnonzero(wide).tolist()} exceeds the "
                "largest float64 (1.8e308). Divide those columns by a large constant (e.g. "
                "1e10) first, then scale."
            )
        constant = constant_spread(scale, magnitude)
        if self.unit_variance:
            scale = scale / (norm.ppf(hi / 100.0) - norm.ppf(lo / 100.0))
        scale = safe_scale(scale, constant)  # after the adjustment: constant columns keep 1
        self.n_samples_seen_ = rows
        self.center_ = q[0] if self.with_centering else None
        self.scale_ = scale if self.with_scaling else None

    def _check_state(self) -> None:
        if self.scale_ is not None and (self.scale_ <= 0).any():
            raise ValueError("Invalid scaler state: scale_ has non-positive values; refit.")

    def _map(self) -> tuple[F64, F64, F64]:
        n = self.n_features_in_
        offset = np.zeros(n) if self.center_ is None else self.center_
        scale = np.ones(n) if self.scale_ is None else self.scale_
        return offset, 1.0 / scale, scale
