"""Compiled one-pass kernels for C-contiguous float32/float64 data (numba, GIL released).

NumPy reductions along axis 0 of a narrow ``(n, 20)`` array run an inner loop of 20
elements per row and allocate temporaries, so a NumPy fit costs several times the memory
floor. These kernels make a single sweep over row blocks that stay in cache: the block is
read from memory once, summed, then revisited in cache for its deviations (the corrected
two-pass form, exact to rounding for data far from zero), and merged into running
statistics with Chan's update. Each kernel takes a row range, so threads can split the rows.
Other layouts are copied block by block into C order first (:mod:`gdlab.scaling.blocks`);
float16 goes through the NumPy path of :mod:`gdlab.scaling.moments`, which computes the same
statistics.

numba is optional and loaded on first use: :func:`compiled` gives the compiled kernels, or
None where numba is not installed (the callers then take the NumPy path). The functions below
are also plain Python, which is how they run without numba in tests of the kernels' logic.

Every kernel returns an error flag instead of raising (compiled code cannot build the
message): 1 means a ±inf value was seen (in the input, or in the output where a transform
overflowed).
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab import jit

#: Rows per partial sum inside a block (see :func:`moments`).
SUB_ROWS = 128


def moments(
    X: NDArray[Any],
    start: int,
    stop: int,
    rows: int,
    shift: NDArray[np.float64],
    count: NDArray[np.float64],
    mean: NDArray[np.float64],
    m2: NDArray[np.float64],
) -> int:  # pragma: no cover - compiled; tested through the scalers
    """Merge the moments of rows ``[start, stop)`` into ``count, mean, m2`` (in place).

    ``mean`` is kept relative to ``shift`` (one observed value per column, the same for every
    block and thread): deviations from it are of the order of the spread, so a block mean
    rounds relative to the spread rather than to the data's magnitude, merges lose nothing to
    a large common offset, and an exactly constant column gives exactly zero. The squared
    deviations are then taken from the block mean (a second pass over the cached block);
    rounding that mean to the data's magnitude, ``delta``, adds only ``n * delta**2`` to
    them, far below the rounding of the sum itself. The squares, all positive, are summed in
    two levels (partial sums of ``SUB_ROWS`` rows, then their total), which keeps their
    rounding error near that of NumPy's pairwise sums: a block of a narrow array holds tens
    of thousands of rows.
    """
    p = X.shape[1]
    s = np.zeros(p)
    q = np.zeros(p)
    c = np.zeros(p)
    a = np.zeros(p)
    t = np.zeros(p)
    for b0 in range(start, stop, rows):
        b1 = min(b0 + rows, stop)
        n = b1 - b0
        s[:] = 0.0
        for i in range(b0, b1):
            for j in range(p):
                s[j] += X[i, j] - shift[j]
        clean = True
        for j in range(p):
            if not np.isfinite(s[j]):
                clean = False
        q[:] = 0.0
        if clean:
            for j in range(p):
                c[j] = n
                s[j] /= n
                a[j] = shift[j] + s[j]  # the block mean itself, for one subtraction below
            for i0 in range(b0, b1, SUB_ROWS):
                t[:] = 0.0
                for i in range(i0, min(i0 + SUB_ROWS, b1)):
                    for j in range(p):
                        d = X[i, j] - a[j]
                        t[j] += d * d
                for j in range(p):
                    q[j] += t[j]
        else:  # NaN (missing, skipped), ±inf (an error) or an overflowing sum in this block
            s[:] = 0.0
            c[:] = 0.0
            for i in range(b0, b1):
                for j in range(p):
                    v = X[i, j]
                    if np.isinf(v):
                        return 1
                    if v == v:
                        c[j] += 1.0
                        s[j] += v - shift[j]
            for j in range(p):
                s[j] = s[j] / c[j] if c[j] > 0 else np.nan
                a[j] = shift[j] + s[j]
            for i in range(b0, b1):
                for j in range(p):
                    v = X[i, j]
                    if v == v:
                        d = v - a[j]
                        q[j] += d * d
        for j in range(p):
            if c[j] == 0:
                continue
            if count[j] == 0:
                count[j], mean[j], m2[j] = c[j], s[j], q[j]
                continue
            total = count[j] + c[j]
            delta = s[j] - mean[j]
            frac = c[j] / total
            mean[j] += delta * frac
            m2[j] += q[j] + delta * delta * count[j] * frac
            count[j] = total
    return 0


def extremes(
    X: NDArray[Any],
    start: int,
    stop: int,
    low: NDArray[np.float64],
    high: NDArray[np.float64],
) -> int:  # pragma: no cover - compiled; tested through the scalers
    """Lower ``low`` and raise ``high`` (in place) to the extremes of rows ``[start, stop)``.

    NaN compares false, so it is skipped without a test; ``low`` and ``high`` start at
    +inf and -inf, so a column holding ±inf shows up as an infinite extreme.
    """
    p = X.shape[1]
    for i in range(start, stop):
        for j in range(p):
            v = X[i, j]
            if v < low[j]:
                low[j] = v
            if v > high[j]:
                high[j] = v
    for j in range(p):
        if low[j] == -np.inf or high[j] == np.inf:
            return 1
    return 0


def affine(
    X: NDArray[Any],
    out: NDArray[np.floating],
    offset: NDArray[np.float64],
    factor: NDArray[np.float64],
    start: int,
    stop: int,
    inverse: bool,
) -> int:  # pragma: no cover - compiled; tested through the scalers
    """Write ``(X - offset) * factor`` (or ``X * factor + offset``) for rows ``[start, stop)``.

    The arithmetic has the precision of ``offset`` and ``factor``: float32 ones for float32
    data run twice as fast, float64 ones hold what would overflow in float32 (the caller
    redoes a flagged range so). Also flags ±inf in the output, which is where ±inf in ``X``
    and an overflowing result both show: ``o - o`` is NaN exactly for NaN and ±inf, so one
    vectorised running sum per column finds them for the price of an add, and only a flagged
    column is searched again for an infinity. ``out`` may be ``X``.
    """
    p = X.shape[1]
    flag = np.zeros(p, dtype=out.dtype)
    # One loop per direction keeps each inner loop branch-free, so it vectorises.
    if inverse:
        for i in range(start, stop):
            for j in range(p):
                out[i, j] = X[i, j] * factor[j] + offset[j]
                o = out[i, j]  # read back: the rounded (maybe overflowed) stored value
                flag[j] += o - o
    else:
        for i in range(start, stop):
            for j in range(p):
                out[i, j] = (X[i, j] - offset[j]) * factor[j]
                o = out[i, j]
                flag[j] += o - o
    for j in range(p):
        if flag[j] != 0:  # NaN: this column's output holds NaN or ±inf; ±inf is the error
            for i in range(start, stop):
                if np.isinf(out[i, j]):
                    return 1
    return 0


@functools.cache
def compiled() -> SimpleNamespace | None:
    """The three kernels compiled by numba (on first call), or None without numba.

    Examples
    --------
    >>> k = compiled()
    >>> k is None or callable(k.moments)
    True
    """
    if jit.numba_or_none() is None:
        return None
    # nogil: threads run kernels in parallel; the error model and bounds checks of NumPy
    # (no ZeroDivisionError, no index checks) keep the inner loops vectorisable.
    decorate = jit.njit(nogil=True, error_model="numpy", boundscheck=False)
    return SimpleNamespace(
        moments=decorate(moments), extremes=decorate(extremes), affine=decorate(affine)
    )
