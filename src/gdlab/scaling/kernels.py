"""Compiled one-pass kernels for C-contiguous float32/float64 data (numba, GIL released).

NumPy reductions along axis 0 of a narrow ``(n, 20)`` array run an inner loop of 20
elements per row and allocate temporaries, so a NumPy fit costs several times the memory
floor. These kernels make a single sweep over row blocks that stay in cache: the block is
read from memory once, summed, then revisited in cache for its squared deviations (the
two-pass form, accurate for data far from zero), and merged into running statistics with
Chan's update. Each kernel takes a row range, so threads can split the rows. Any other
layout or dtype goes through the NumPy path of :mod:`gdlab.scaling.moments`, which
computes the same statistics.

Every kernel returns an error flag instead of raising (compiled code cannot build the
message): 1 means a ±inf value was seen.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
from numpy.typing import NDArray

# nogil: threads run kernels in parallel; cache: compile once per machine, not per process.
_jit = numba.njit(nogil=True, cache=True, error_model="numpy", boundscheck=False)


@_jit
def moments(
    X: NDArray[Any],
    start: int,
    stop: int,
    rows: int,
    count: NDArray[np.float64],
    mean: NDArray[np.float64],
    m2: NDArray[np.float64],
) -> int:  # pragma: no cover - compiled; tested through the scalers
    """Merge the moments of rows ``[start, stop)`` into ``count, mean, m2`` (in place)."""
    p = X.shape[1]
    s = np.zeros(p)
    q = np.zeros(p)
    c = np.zeros(p)
    for b0 in range(start, stop, rows):
        b1 = min(b0 + rows, stop)
        n = b1 - b0
        s[:] = 0.0
        for i in range(b0, b1):
            for j in range(p):
                s[j] += X[i, j]
        clean = True
        for j in range(p):
            if not np.isfinite(s[j]):
                clean = False
        q[:] = 0.0
        if clean:
            for j in range(p):
                c[j] = n
                s[j] /= n
            for i in range(b0, b1):
                for j in range(p):
                    d = X[i, j] - s[j]
                    q[j] += d * d
        else:  # NaN (missing, skipped) or ±inf (an error) somewhere in this block
            s[:] = 0.0
            c[:] = 0.0
            for i in range(b0, b1):
                for j in range(p):
                    v = X[i, j]
                    if np.isinf(v):
                        return 1
                    if v == v:
                        c[j] += 1.0
                        s[j] += v
            for j in range(p):
                s[j] = s[j] / c[j] if c[j] > 0 else np.nan
            for i in range(b0, b1):
                for j in range(p):
                    v = X[i, j]
                    if v == v:
                        d = v - s[j]
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


@_jit
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


@_jit
def affine(
    X: NDArray[Any],
    out: NDArray[np.floating],
    offset: NDArray[np.floating],
    factor: NDArray[np.floating],
    start: int,
    stop: int,
    inverse: bool,
) -> int:  # pragma: no cover - compiled; tested through the scalers
    """Write ``(X - offset) * factor`` (or ``X * factor + offset``) for rows ``[start, stop)``.

    Also flags ±inf in ``X``: ``x - x`` is NaN exactly for NaN and ±inf, so one vectorised
    running sum per column finds both for the price of an add, and only a flagged column is
    searched again for an infinity. ``out`` may be ``X``.
    """
    p = X.shape[1]
    flag = np.zeros(p, dtype=X.dtype)
    # One loop per direction keeps each inner loop branch-free, so it vectorises.
    if inverse:
        for i in range(start, stop):
            for j in range(p):
                v = X[i, j]
                flag[j] += v - v
                out[i, j] = v * factor[j] + offset[j]
    else:
        for i in range(start, stop):
            for j in range(p):
                v = X[i, j]
                flag[j] += v - v
                out[i, j] = (v - offset[j]) * factor[j]
    for j in range(p):
        if flag[j] != 0:  # NaN: this column holds NaN or ±inf; ±inf is the error
            for i in range(start, stop):
                if np.isinf(X[i, j]):
                    return 1
    return 0
