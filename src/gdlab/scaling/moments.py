r"""Mergeable float64 column statistics: counts, means and variances, minima and maxima.

Every statistic is computed per row block in float64 (whatever the input dtype) and merged
with a rule that is associative up to rounding (exact for minima and maxima), so statistics
of a whole array, of its blocks on several threads, and of chunks fed to ``partial_fit``
agree to rounding. Inside a block, means and variances come from deviations: the two-pass form
on the NumPy path; in the compiled kernels (:mod:`gdlab.scaling.moment_kernels`) one pass about
the running mean, a block far from it summed again about its own. Means are kept relative to
a shift (one observed value per column) common to every block, and blocks merge with Chan,
Golub and LeVeque's pairwise update:

.. math::

    n = n_a + n_b,\quad \delta = \bar x_b - \bar x_a,\quad
    \bar x = \bar x_a + \delta \frac{n_b}{n},\quad
    \sigma^2 = \frac{n_a}{n}\sigma_a^2 + \frac{n_b}{n}\sigma_b^2
             + \frac{n_a}{n}\frac{n_b}{n}\delta^2,

which never forms :math:`\sum x^2` and so keeps full precision for data such as
``1e6 + N(0, 1)`` in float32, where the one-pass :math:`E[x^2] - E[x]^2` loses every digit;
the shift keeps the block means exact to rounding of the deviations (not of the data's
magnitude), and an exactly constant column has exactly zero variance.

Values so large that their squared deviations overflow float64 (above about 1e154) are
measured again in units of a power of two, which is exact: the statistics stay the true
ones wherever they are representable. NaN is missing data: each column counts only its
observed values. ±inf raises ValueError. Optional sample weights count each row that many
times (the weighted count, mean and population variance).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.scaling import kernels, layouts, moment_kernels
from gdlab.scaling.blocks import block_rows, compiled_dtype, map_reduce, row_blocks
from gdlab.scaling.checks import reject_infinite
from gdlab.scaling.columns import column, first_row

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class Moments:
    """Count (or weight sum), mean and population variance per column, all float64.

    A column with no observed value has count 0 and NaN mean and variance.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [3.0, np.nan], [5.0, 4.0]])
    >>> m = Moments.of(X[:2]).merge(Moments.of(X[2:]))
    >>> m.count, m.mean, m.var
    (array([3., 2.]), array([3., 3.]), array([2.66666667, 1.        ]))
    """

    count: F64
    mean: F64
    var: F64

    @classmethod
    def of(
        cls,
        block: NDArray[np.generic],
        shift: F64 | None = None,
        weights: F64 | None = None,
    ) -> Moments:
        """Statistics of one block of rows (ValueError on ±inf), the mean relative to ``shift``.

        ``shift`` (default 0) is subtracted from every value first; ``weights`` (one per row)
        weight the rows.
        """
        shift = np.zeros(block.shape[1]) if shift is None else shift
        with np.errstate(over="ignore", invalid="ignore"):
            dev = np.subtract(block, shift, dtype=np.float64)
            total = dev.sum(axis=0)
        n = block.shape[0]
        if weights is None and np.isfinite(total).all():  # the common case: no mask needed
            first = total / n
            dev -= first
            e = dev.sum(axis=0)
            q = np.einsum("ij,ij->j", dev, dev)
            # The corrected two-pass form: e is zero in exact arithmetic and measures the
            # rounding of the first mean, which it removes from both statistics.
            var = np.maximum(q - e * e / n, 0.0) / n
            return cls(np.full(block.shape[1], float(n)), first + e / n, var)
        if not np.isfinite(total).all():
            reject_infinite(block)
        observed = ~np.isnan(dev)
        w = np.ones((block.shape[0], 1)) if weights is None else weights.reshape(-1, 1)
        w = np.where(observed, w, 0.0)
        dev = np.where(observed, dev, 0.0)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            count = w.sum(axis=0)
            first = (w * dev).sum(axis=0) / count
            d = np.where(observed, dev - first, 0.0)
            e = (w * d).sum(axis=0)
            q = (w * d * d).sum(axis=0)
            mean = first + e / count
            var = np.maximum(q - e * e / count, 0.0) / count
        seen = count > 0
        return cls(count, np.where(seen, mean, np.nan), np.where(seen, var, np.nan))

    def merge(self, other: Moments) -> Moments:
        """Chan's pairwise update: the statistics of both row sets together."""
        n = self.count + other.count
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            fa, fb = self.count / n, other.count / n
            delta = other.mean - self.mean
            mean = np.where(
                np.isfinite(delta), self.mean + delta * fb, self.mean * fa + other.mean * fb
            )
            h = np.sqrt(fa * fb)  # delta * h cannot overflow where delta itself would
            g = other.mean * h - self.mean * h
            var = fa * self.var + fb * other.var + g * g
        # An empty side contributes nothing (its NaN mean must not leak in).
        mean = np.where(self.count == 0, other.mean, np.where(other.count == 0, self.mean, mean))
        var = np.where(self.count == 0, other.var, np.where(other.count == 0, self.var, var))
        return Moments(n, mean, var)

    def shifted(self, shift: F64) -> Moments:
        """The same statistics with ``shift`` added to the mean."""
        return Moments(self.count, self.mean + shift, self.var)


@dataclass(frozen=True)
class Extremes:
    """Column minima and maxima in float64, NaN ignored (NaN where nothing was observed).

    Examples
    --------
    >>> import numpy as np
    >>> e = Extremes.of(np.array([[1.0, np.nan], [-2.0, 5.0]]))
    >>> e.low, e.high
    (array([-2.,  5.]), array([1., 5.]))
    """

    low: F64
    high: F64

    @classmethod
    def of(cls, block: NDArray[np.generic]) -> Extremes:
        """Minima and maxima of one block of rows (ValueError on ±inf)."""
        # fmin/fmax skip NaN without a mask pass; an all-NaN column stays NaN.
        low = np.fmin.reduce(block, axis=0)
        high = np.fmax.reduce(block, axis=0)
        if np.isinf(low).any() or np.isinf(high).any():
            reject_infinite(block)
        return cls(low.astype(np.float64), high.astype(np.float64))

    def merge(self, other: Extremes) -> Extremes:
        """Extremes of both row sets together."""
        return Extremes(np.fmin(self.low, other.low), np.fmax(self.high, other.high))


def column_moments(X: Any, weights: F64 | None = None) -> Moments:
    """Moments of every column of a non-empty 2-D ``X`` in one pass (ValueError on ±inf).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), or :class:`~gdlab.scaling.columns.Columns`
    weights : ndarray of float64, shape (n_samples,), optional
        Sample weights (NumPy path).

    Examples
    --------
    >>> import numpy as np
    >>> m = column_moments(np.array([[1.0, np.nan], [3.0, 4.0]]))
    >>> m.count, m.mean, m.var
    (array([2., 1.]), array([2., 4.]), array([1., 0.]))
    """
    k = kernels.compiled() if weights is None and compiled_dtype(X) else None
    if k is None:
        X = np.asarray(X)  # Columns reach here only without numba: the NumPy path below
    shift = _shift(X)
    rows = block_rows(X.shape[1], moment_kernels.BLOCK_BYTES)
    pair = (k.moments_rows, k.moments_columns) if k is not None else None
    fresh = [np.zeros] * 3
    ranges = None if pair is None else layouts.statistics(X, pair, (rows,), (shift,), fresh)
    if ranges is not None:
        m = functools.reduce(Moments.merge, [_chunk(*r) for r in ranges])
    elif k is not None:  # another layout: each block copied into C order first
        p = X.shape[1]

        def staged(block: NDArray[np.generic]) -> Moments:
            c = np.ascontiguousarray(block)
            count, mean, m2 = np.zeros(p), np.zeros(p), np.zeros(p)
            if k.moments_rows(c, 0, c.shape[0], rows, shift, count, mean, m2):
                reject_infinite(c)
            return _chunk(count, mean, m2)

        m = map_reduce(X, staged, Moments.merge)
    elif weights is None:
        m = map_reduce(X, lambda b: Moments.of(b, shift), Moments.merge)
    else:  # block by block, so the weighted temporaries stay cache-sized
        parts = [Moments.of(X[b], shift, weights[b]) for b in row_blocks(*X.shape)]
        m = functools.reduce(Moments.merge, parts)
    with np.errstate(over="ignore", invalid="ignore"):
        m = m.shifted(shift)
    huge = (m.count > 0) & ~(np.isfinite(m.mean) & np.isfinite(m.var))
    return _rescaled(X, m, np.flatnonzero(huge), weights) if huge.any() else m


def _chunk(count: F64, mean: F64, m2: F64) -> Moments:
    # A kernel's (count, mean, sum of squared deviations) as Moments (NaN where unobserved).
    seen = count > 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        var = np.where(seen, m2 / count, np.nan)
    return Moments(count, np.where(seen, mean, np.nan), var)


def _shift(X: Any) -> F64:
    # One observed value per column (the first), 0 for a column with none; looked for in
    # slices, so a column missing its first rows costs no mask of its length.
    shift = first_row(X)
    for j in np.flatnonzero(np.isnan(shift)):
        col = column(X, int(j))
        shift[j] = 0.0
        for start in range(0, col.shape[0], 4096):
            seen = np.flatnonzero(~np.isnan(col[start : start + 4096]))
            if seen.size:
                shift[j] = col[start + seen[0]]
                break
    return shift


def _rescaled(X: Any, m: Moments, cols: NDArray[np.intp], weights: F64 | None) -> Moments:
    # Squared deviations overflowed: measure these columns again in units of a power of two
    # at least their largest magnitude (dividing by it is exact), then scale back.
    count, mean, var = m.count.copy(), m.mean.copy(), m.var.copy()
    for j in cols:
        col = np.asarray(column(X, int(j)), dtype=np.float64)
        unit = np.ldexp(1.0, int(np.frexp(np.nanmax(np.abs(col)))[1]) - 1)
        y = (col / unit).reshape(-1, 1)
        shift = _shift(y)
        part = Moments.of(y, shift, weights).shifted(shift)
        with np.errstate(over="ignore"):
            mean[j] = part.mean[0] * unit
            var[j] = part.var[0] * unit * unit  # inf only where the true variance is
    return Moments(count, mean, var)


def column_extremes(X: Any) -> Extremes:
    """Minimum and maximum of every column of a non-empty 2-D ``X`` (ValueError on ±inf).

    Examples
    --------
    >>> import numpy as np
    >>> e = column_extremes(np.array([[1.0, np.nan], [3.0, np.nan]]))
    >>> e.low, e.high
    (array([ 1., nan]), array([ 3., nan]))
    """
    k = kernels.compiled()
    pair = None if k is None else (k.extremes_rows, k.extremes_columns)
    fresh = [functools.partial(np.full, fill_value=v) for v in (np.inf, -np.inf)]
    ranges = None if pair is None else layouts.statistics(X, pair, (), (), fresh)
    if ranges is None:
        return map_reduce(np.asarray(X), Extremes.of, Extremes.merge)
    parts = []
    for low, high in ranges:
        seen = low <= high  # a column never observed (all NaN) keeps +inf > -inf
        parts.append(Extremes(np.where(seen, low, np.nan), np.where(seen, high, np.nan)))
    return functools.reduce(Extremes.merge, parts)
