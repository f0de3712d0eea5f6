"""Z-score standardization: ``z = (x - mean) / (std + eps)``, column by column."""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval

from gdlab.scaling import sparse_data
from gdlab.scaling.base import F64, Floats, StreamingScaler
from gdlab.scaling.checks import check_sample_weight
from gdlab.scaling.constant import constant_variance, safe_scale
from gdlab.scaling.moments import Moments, column_moments

try:  # scikit-learn >= 1.9: estimators take fit callbacks (progress bars, monitors)
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # pragma: no cover - older scikit-learn

    class CallbackSupportMixin:  # type: ignore[no-redef]
        """Stands in where scikit-learn has no callback API."""


def counts_attribute(count: F64, *, weighted: bool = False) -> Any:
    """``n_samples_seen_`` as scikit-learn keeps it: a number, or per column when they differ.

    Counts are integers; with sample weights they are the (float) sums of the weights.

    Examples
    --------
    >>> import numpy as np
    >>> counts_attribute(np.array([3.0, 3.0])), counts_attribute(np.array([3.0, 2.0]))
    (3, array([3, 2]))
    >>> counts_attribute(np.array([2.5, 2.5]), weighted=True)
    2.5
    """
    counts = count if weighted else count.astype(np.int64)
    same = bool((counts == counts[0]).all())
    if weighted:
        return float(counts[0]) if same else counts.astype(np.float64)
    return int(counts[0]) if same else counts


def _too_wide(m: Moments) -> None:
    bad = (m.count > 0) & ~np.isfinite(m.var)
    if bad.any():
        cols = np.flatnonzero(bad).tolist()
        raise ValueError(
            f"The variance of column(s) {cols} exceeds the largest float64 (1.8e308): those "
            "values spread wider than about 1e154. Divide those columns by a large constant "
            "(e.g. 1e10) first, then scale."
        )


class MomentScaler(StreamingScaler):
    """Base of the scalers built on column means and variances (the z-score's statistics).

    The statistics merge with Chan's update, so ``partial_fit`` continues a fit; ``scale_``
    follows the shared constant-column policy of :mod:`gdlab.scaling.constant`.
    """

    _abstract: ClassVar[bool] = True
    _statistics: ClassVar[tuple[str, ...]] = ("mean_", "var_")
    _derived: ClassVar[tuple[str, ...]] = ("scale_",)

    mean_: F64 | None
    var_: F64 | None
    scale_: F64 | None

    def _previous(self, n: int) -> Moments | None:
        if not hasattr(self, "n_samples_seen_"):
            return None
        count = np.broadcast_to(np.asarray(self.n_samples_seen_, np.float64), (n,))
        # A statistic kept as None (not asked for) merges as zeros; only the counts matter.
        mean = np.zeros(n) if self.mean_ is None else self.mean_
        var = np.zeros(n) if self.var_ is None else self.var_
        return Moments(count.copy(), mean, var)

    def _merge_moments(self, X: Any, weights: F64 | None = None, *, sparse: bool = False) -> None:
        """Set ``n_samples_seen_, mean_, var_`` to those of ``X`` and of what was seen before."""
        previous = self._previous(X.shape[1])
        if sparse:
            m = sparse_data.moments(X, weights, previous)
        else:
            m = column_moments(X, weights)
            m = m if previous is None else previous.merge(m)
        _too_wide(m)
        self.n_samples_seen_ = counts_attribute(m.count, weighted=weights is not None)
        self.mean_, self.var_ = m.mean, m.var

    def _std_scale(self, eps: float = 0.0) -> F64:
        """``sqrt(var_) + eps``, and 1 for constant columns."""
        assert self.var_ is not None and self.mean_ is not None
        count = np.broadcast_to(np.asarray(self.n_samples_seen_, np.float64), self.var_.shape)
        constant = constant_variance(self.var_, self.mean_, count)
        return safe_scale(np.sqrt(self.var_) + eps, constant)

    def _observed_counts(self) -> bool:
        """Whether ``n_samples_seen_`` counts each column's observed values."""
        return True

    def _check_state(self) -> None:
        if self.var_ is not None and (self.var_ < 0).any():
            raise ValueError("Invalid scaler state: var_ has negative values; refit and save.")
        stat = self.mean_ if self.mean_ is not None else self.var_
        if stat is not None and self._observed_counts():
            count = np.broadcast_to(np.asarray(self.n_samples_seen_), stat.shape)
            if not np.array_equal(count == 0, np.isnan(stat)):
                raise ValueError(
                    "Invalid scaler state: n_samples_seen_ and the statistics disagree (a "
                    "column with 0 samples must have null statistics, and only such a column). "
                    "Fit the scaler again and save it."
                )


class StandardScaler(CallbackSupportMixin, MomentScaler):
    r"""Standardize columns to zero mean and unit variance (the z-score).

    .. math:: z = \frac{x - \mu}{\sigma + \varepsilon}

    with :math:`\mu` the column mean and :math:`\sigma` the population standard deviation
    (ddof=0) of the fitted data, both accumulated in float64. ``eps`` enters exactly there:
    ``scale_ = sqrt(var_) + eps`` for every non-constant column. A constant column (see
    :mod:`gdlab.scaling.constant`) gets ``scale_ = 1`` whatever ``eps`` is, so it is centred
    and never divided by zero or by rounding noise. A column with no observed value (all NaN)
    has NaN statistics and transforms to NaN. Sparse CSR/CSC input is taken with
    ``with_mean=False`` (centring would densify it) and stays sparse; ``sample_weight``
    weights the rows in ``fit``, ``partial_fit`` and ``fit_transform``.

    Parameters
    ----------
    copy : bool, default=True
        False lets ``transform`` write into its input when it is a float ndarray.
    with_mean : bool, default=True
        Subtract the mean (False: ``z = x / scale_``).
    with_std : bool, default=True
        Divide by the standard deviation (False: divide by nothing, ``scale_`` is None).
    eps : float, default=0.0
        Non-negative constant added to the standard deviation (the lesson's small constant
        that keeps the denominator positive).

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,) or None
        Column mean; None when ``with_mean`` and ``with_std`` are both False, and for sparse
        input with ``with_std=False`` (as in scikit-learn).
    var_ : ndarray of shape (n_features,) or None
        Population variance; None when ``with_std`` is False.
    scale_ : ndarray of shape (n_features,) or None
        The denominator: ``sqrt(var_) + eps``, 1 for constant columns; None when
        ``with_std`` is False.
    n_samples_seen_ : int, float or ndarray of shape (n_features,)
        Observed values per column (a number when every column has the same count); with
        sample weights, the sums of the weights.
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

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "copy": ["boolean"],
        "with_mean": ["boolean"],
        "with_std": ["boolean"],
        "eps": [Interval(Real, 0, np.inf, closed="left")],
    }
    _fit_keywords: ClassVar[frozenset[str]] = frozenset({"sample_weight"})

    def __init__(
        self, *, copy: bool = True, with_mean: bool = True, with_std: bool = True, eps: float = 0.0
    ) -> None:
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std
        self.eps = eps

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self, X: ArrayLike, y: Any = None, sample_weight: ArrayLike | None = None
    ) -> StandardScaler:
        """Compute the (weighted) mean and standard deviation of ``X`` from scratch.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Sparse input needs ``with_mean=False`` (centring would densify it).
        y : ignored
        sample_weight : array-like of shape (n_samples,), optional
            Weight of each row: the statistics count a row of weight 2 twice.

        Returns
        -------
        self
        """
        self._fit(X, sample_weight=sample_weight)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(
        self, X: ArrayLike, y: Any = None, sample_weight: ArrayLike | None = None
    ) -> StandardScaler:
        """Merge the (weighted) statistics of one more chunk of rows into the fit so far.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        self._partial(X, sample_weight=sample_weight)
        return self

    def _takes_columns(self) -> bool:
        return True

    def _sparse_refusal(self) -> Exception | None:
        if not self.with_mean:
            return None
        return ValueError(
            "Cannot center sparse matrices: pass `with_mean=False` instead (centring would "
            "make every zero nonzero and densify the matrix)."
        )

    def _absent(self) -> frozenset[str]:
        if self.with_std:
            return frozenset()
        return frozenset({"var_", "scale_"} | (set() if self.with_mean else {"mean_"}))

    def _learn(self, Xv: Any, **fit_params: Any) -> None:
        hooks = getattr(self, "_init_callback_context", None)
        context = hooks() if hooks is not None else None
        metadata = {"sample_weight": fit_params.get("sample_weight")}
        if context is not None:
            context.call_on_fit_task_begin(estimator=self, X=Xv, metadata=metadata)
        super()._learn(Xv, **fit_params)
        if context is not None:
            context.call_on_fit_task_end(
                estimator=self, X=Xv, metadata=metadata, reconstruction_attributes={}
            )

    def _weights(self, X: Any, sample_weight: ArrayLike | None) -> F64 | None:
        if sample_weight is None:
            return None
        return check_sample_weight(sample_weight, X)

    def _accumulate(self, X: Floats, sample_weight: ArrayLike | None = None) -> None:
        self._merge_moments(X, self._weights(X, sample_weight))
        self._finish()

    def _accumulate_sparse(self, X: Any, sample_weight: ArrayLike | None = None) -> None:
        weights = self._weights(X, sample_weight)
        if self.with_std:
            self._merge_moments(X, weights, sparse=True)
        else:  # nothing to learn but the counts
            seen = sparse_data.observed_counts(X, weights)
            if hasattr(self, "n_samples_seen_"):
                seen = seen + np.asarray(self.n_samples_seen_, np.float64)
            self.n_samples_seen_ = counts_attribute(seen, weighted=weights is not None)
            self.mean_ = self.var_ = None
        self._finish()

    def _finish(self) -> None:
        if self.with_std:
            self.scale_ = self._std_scale(self.eps)
            return
        self.scale_ = self.var_ = None
        if not self.with_mean:
            self.mean_ = None

    def _map(self) -> tuple[F64, F64, F64]:
        n = self.n_features_in_
        offset = self.mean_ if self.with_mean and self.mean_ is not None else np.zeros(n)
        scale = np.ones(n) if self.scale_ is None else self.scale_
        return offset, 1.0 / scale, scale
