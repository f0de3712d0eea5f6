"""Z-score standardization: ``z = (x - mean) / (std + eps)``, column by column."""

from __future__ import annotations

import numbers
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from gdlab.scaling.base import F64, Floats, StreamingScaler
from gdlab.scaling.constant import constant_variance, safe_scale
from gdlab.scaling.moments import Moments, column_moments


def counts_attribute(count: F64) -> int | NDArray[np.int64]:
    """``n_samples_seen_`` as scikit-learn keeps it: an int, or per column when they differ.

    Examples
    --------
    >>> import numpy as np
    >>> counts_attribute(np.array([3.0, 3.0])), counts_attribute(np.array([3.0, 2.0]))
    (3, array([3, 2]))
    """
    counts = count.astype(np.int64)
    return int(counts[0]) if (counts == counts[0]).all() else counts


class MomentScaler(StreamingScaler):
    """Base of the scalers built on column means and variances (the z-score's statistics).

    The statistics merge with Chan's update, so ``partial_fit`` continues a fit; ``scale_``
    follows the shared constant-column policy of :mod:`gdlab.scaling.constant`.
    """

    _abstract: ClassVar[bool] = True
    _statistics: ClassVar[tuple[str, ...]] = ("mean_", "var_")
    _derived: ClassVar[tuple[str, ...]] = ("scale_",)

    mean_: F64
    var_: F64
    scale_: F64

    def _merge_moments(self, X: Floats) -> None:
        """Set ``n_samples_seen_, mean_, var_`` to those of ``X`` and of what was seen before."""
        m = column_moments(X)
        if hasattr(self, "n_samples_seen_"):
            seen = np.broadcast_to(np.asarray(self.n_samples_seen_, np.float64), m.count.shape)
            m = Moments.from_var(seen, self.mean_, self.var_).merge(m)
        self.n_samples_seen_ = counts_attribute(m.count)
        self.mean_, self.var_ = m.mean, m.var

    def _std_scale(self, eps: float = 0.0) -> F64:
        """``sqrt(var_) + eps``, and 1 for constant columns."""
        count = np.broadcast_to(np.asarray(self.n_samples_seen_, np.float64), self.var_.shape)
        constant = constant_variance(self.var_, self.mean_, count)
        return safe_scale(np.sqrt(self.var_) + eps, constant)

    def _check_state(self) -> None:
        if (self.var_ < 0).any():
            raise ValueError("Invalid scaler state: var_ has negative values; refit and save.")


class StandardScaler(MomentScaler):
    r"""Standardize columns to zero mean and unit variance (the z-score).

    .. math:: z = \frac{x - \mu}{\sigma + \varepsilon}

    with :math:`\mu` the column mean and :math:`\sigma` the population standard deviation
    (ddof=0) of the fitted data, both accumulated in float64. ``eps`` enters exactly there:
    ``scale_ = sqrt(var_) + eps`` for every non-constant column. A constant column (see
    :mod:`gdlab.scaling.constant`) gets ``scale_ = 1`` whatever ``eps`` is, so it is centred
    and never divided by zero or by rounding noise. A column with no observed value (all NaN)
    has NaN statistics and transforms to NaN.

    Parameters
    ----------
    copy : bool, default=True
        False lets ``transform`` write into its input when it is a float ndarray.
    with_mean : bool, default=True
        Subtract the mean (False: ``z = x / scale_``).
    with_std : bool, default=True
        Divide by the standard deviation (False: ``scale_`` is all ones).
    eps : float, default=0.0
        Non-negative constant added to the standard deviation (the lesson's small constant
        that keeps the denominator positive).

    Attributes
    ----------
    mean_, var_ : ndarray of shape (n_features,)
        Column mean and population variance (always computed).
    scale_ : ndarray of shape (n_features,)
        The denominator: ``sqrt(var_) + eps``, 1 for constant columns.
    n_samples_seen_ : int or ndarray of shape (n_features,)
        Observed values per column (an int when every column has the same count).
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> a = np.arange(12).reshape(6, 2)
    >>> s = StandardScaler().fit(a)
    >>> s.mean_, s.scale_
    (array([5., 6.]), array([3.41565026, 3.41565026]))
    >>> s.transform(a)[:2]
    array([[-1.46385011, -1.46385011],
           [-0.87831007, -0.87831007]])
    >>> s.inverse_transform(s.transform(a))[:2]
    array([[0., 1.],
           [2., 3.]])
    """

    def __init__(
        self, *, copy: bool = True, with_mean: bool = True, with_std: bool = True, eps: float = 0.0
    ) -> None:
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std
        self.eps = eps

    def _check_params(self) -> None:
        eps = self.eps
        if not isinstance(eps, numbers.Real) or isinstance(eps, bool) or not 0 <= eps < np.inf:
            raise ValueError(
                f"eps must be a non-negative finite number, got {eps!r}; use e.g. eps=1e-8."
            )

    def _accumulate(self, X: Floats) -> None:
        self._merge_moments(X)
        self._finish()

    def _finish(self) -> None:
        self.scale_ = self._std_scale(self.eps) if self.with_std else np.ones_like(self.var_)

    def _map(self) -> tuple[F64, F64, F64]:
        offset = self.mean_ if self.with_mean else np.zeros_like(self.mean_)
        return offset, 1.0 / self.scale_, self.scale_
