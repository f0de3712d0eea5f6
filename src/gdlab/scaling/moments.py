"""Mergeable float64 column statistics: counts, means and squared deviations, minima and maxima.

Every statistic is computed per row block in float64 (whatever the input dtype) and merged
with a rule that is associative up to rounding (exact for minima and maxima), so statistics
of a whole array, of its blocks on several threads, and of chunks fed to ``partial_fit``
agree to rounding. Means and variances use the
two-pass deviation form inside a block and Chan, Golub and LeVeque's pairwise update across
blocks:

.. math::

    n = n_a + n_b,\\quad \\delta = \\bar x_b - \\bar x_a,\\quad
    \\bar x = \\bar x_a + \\delta \\frac{n_b}{n},\\quad
    M_2 = M_{2,a} + M_{2,b} + \\delta^2 \\frac{n_a n_b}{n},

which never forms :math:`\\sum x^2` and so keeps full precision for data such as
``1e6 + N(0, 1)`` in float32, where the one-pass :math:`E[x^2] - E[x]^2` loses every digit.
NaN is missing data: each column counts only its observed values. ±inf raises ValueError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from gdlab.scaling import kernels
from gdlab.scaling.blocks import block_rows, compiled_layout, map_reduce, row_ranges, run_jobs
from gdlab.scaling.checks import reject_infinite

F64 = NDArray[np.float64]
S = TypeVar("S")


@dataclass(frozen=True)
class Moments:
    """Count, mean and sum of squared deviations (M2) per column, all float64.

    ``var = m2 / count`` is the population variance (ddof=0). A column with no observed
    value has count 0 and NaN mean.

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
    m2: F64

    @classmethod
    def of(cls, block: NDArray[np.generic]) -> Moments:
        """Statistics of one block of rows (ValueError on ±inf)."""
        n = block.shape[0]
        with np.errstate(over="ignore", invalid="ignore"):
            total = block.sum(axis=0, dtype=np.float64)
        if np.isfinite(total).all():
            mean = total / n
            dev = np.subtract(block, mean, dtype=np.float64)
            m2 = np.einsum("ij,ij->j", dev, dev)
            return cls(np.full(block.shape[1], float(n)), mean, m2)
        reject_infinite(block)
        missing = np.isnan(block)
        count = (n - missing.sum(axis=0)).astype(np.float64)
        filled = np.where(missing, 0.0, block).astype(np.float64, copy=False)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = filled.sum(axis=0) / count
        dev = np.where(missing, 0.0, filled - mean)
        return cls(count, mean, np.einsum("ij,ij->j", dev, dev))

    @classmethod
    def from_var(cls, count: F64, mean: F64, var: F64) -> Moments:
        """Rebuild from stored ``(count, mean, var)``, as kept by a fitted scaler."""
        count = np.asarray(count, dtype=np.float64)
        return cls(count, np.asarray(mean, dtype=np.float64), np.asarray(var) * count)

    def merge(self, other: Moments) -> Moments:
        """Chan's pairwise update: the statistics of both row sets together."""
        n = self.count + other.count
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = other.mean - self.mean
            frac = other.count / n
            mean = self.mean + delta * frac
            m2 = self.m2 + other.m2 + delta * delta * self.count * frac
        # An empty side contributes nothing (its NaN mean must not leak in).
        mean = np.where(self.count == 0, other.mean, np.where(other.count == 0, self.mean, mean))
        m2 = np.where(self.count == 0, other.m2, np.where(other.count == 0, self.m2, m2))
        return Moments(n, mean, m2)

    @property
    def var(self) -> F64:
        """Population variance ``m2 / count`` (NaN where nothing was observed)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.count > 0, self.m2 / self.count, np.nan)


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


def column_moments(X: NDArray[np.generic]) -> Moments:
    """Moments of every column of a non-empty 2-D ``X`` in one pass (ValueError on ±inf).

    Examples
    --------
    >>> import numpy as np
    >>> m = column_moments(np.array([[1.0, np.nan], [3.0, 4.0]]))
    >>> m.count, m.mean, m.var
    (array([2., 1.]), array([2., 4.]), array([1., 0.]))
    """
    if not compiled_layout(X):
        return map_reduce(X, Moments.of, Moments.merge)
    p, rows = X.shape[1], block_rows(X.shape[1])

    def job(start: int, stop: int) -> Callable[[], tuple[int, Moments]]:
        def run() -> tuple[int, Moments]:
            count, mean, m2 = np.zeros(p), np.zeros(p), np.zeros(p)
            flag = int(kernels.moments(X, start, stop, rows, count, mean, m2))
            return flag, Moments(count, np.where(count > 0, mean, np.nan), m2)

        return run

    return _reduce_compiled(X, job, Moments.merge)


def column_extremes(X: NDArray[np.generic]) -> Extremes:
    """Minimum and maximum of every column of a non-empty 2-D ``X`` (ValueError on ±inf).

    Examples
    --------
    >>> import numpy as np
    >>> e = column_extremes(np.array([[1.0, np.nan], [3.0, np.nan]]))
    >>> e.low, e.high
    (array([ 1., nan]), array([ 3., nan]))
    """
    if not compiled_layout(X):
        return map_reduce(X, Extremes.of, Extremes.merge)
    p = X.shape[1]

    def job(start: int, stop: int) -> Callable[[], tuple[int, Extremes]]:
        def run() -> tuple[int, Extremes]:
            low, high = np.full(p, np.inf), np.full(p, -np.inf)
            flag = int(kernels.extremes(X, start, stop, low, high))
            seen = low <= high  # a column never observed (all NaN) keeps +inf > -inf
            return flag, Extremes(np.where(seen, low, np.nan), np.where(seen, high, np.nan))

        return run

    return _reduce_compiled(X, job, Extremes.merge)


def _reduce_compiled(
    X: NDArray[np.generic],
    job: Callable[[int, int], Callable[[], tuple[int, S]]],
    merge: Callable[[S, S], S],
) -> S:
    # Kernels return an error flag (they cannot build a message): name the bad columns here.
    parts = run_jobs([job(*r) for r in row_ranges(X)])
    if any(flag for flag, _ in parts):
        reject_infinite(X)
    acc = parts[0][1]
    for _, part in parts[1:]:
        acc = merge(acc, part)
    return acc
