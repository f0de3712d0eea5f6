"""Compiled one-pass kernels for float32/float64 data, row-major or column-major (numba, no GIL).

NumPy reductions along axis 0 of a narrow ``(n, 20)`` array run an inner loop of 20 elements
per row and allocate temporaries, and on a Fortran-ordered array (a DataFrame's columns) they
stride across memory; either way a NumPy fit costs several times the memory floor. These
kernels read the data once, in the order it is stored: ``*_rows`` along the rows of C-ordered
data, ``*_columns`` down each column of column-major data (passed transposed: row ``j`` of
``XT`` is column ``j``). Each takes a row range, so threads can split the rows.

* moments (counts, means, sums of squared deviations): :mod:`gdlab.scaling.moment_kernels`,
  the same bits for both layouts;
* extremes: minima and maxima in ``LANES`` running lanes per column (exact in any order);
* affine: ``(x - offset) * factor`` or ``x * factor + offset``, element by element.

Other layouts (strided views) are copied block by block into C order first
(:mod:`gdlab.scaling.blocks`); float16 goes through the NumPy path of
:mod:`gdlab.scaling.moments`, which computes the same statistics.

numba is optional and loaded on first use: :func:`compiled` gives the compiled kernels, or
None where numba is not installed (the callers then take the NumPy path). The functions below
are also plain Python. Every kernel returns an error flag instead of raising (compiled code
cannot build the message): 1 means a ±inf value was seen (in the input, or in the output where
a transform overflowed).
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab import jit
from gdlab.scaling import moment_kernels
from gdlab.scaling.moment_kernels import LANES, U

F64 = NDArray[np.float64]


def lane_extremes(values: NDArray[Any], low: NDArray[Any], high: NDArray[Any]) -> None:
    """Lower ``low[t]`` and raise ``high[t]`` to the values ``values[k]``, ``t = k mod W``.

    ``W = low.size``. ``v if v < lo else lo`` is the processor's own minimum instruction and
    skips NaN (it compares false); ``low`` starts at +inf, so it never holds NaN itself.
    """
    width = U(low.size)
    n = U(values.size)
    four = U(4) * width
    whole = n - n % four
    # Four rounds of the lanes at a time: one load and store of each lane per four values
    # (the stores, not the comparisons, bound this loop; any order is exact).
    if width == U(LANES):  # one column: a constant trip count, compiled to straight vector code
        for i0 in range(U(0), whole, U(4 * LANES)):
            for t in range(U(LANES)):
                lo, hi = low[t], high[t]
                for r in range(U(4)):
                    v = values[i0 + r * U(LANES) + t]
                    lo = v if v < lo else lo
                    hi = v if v > hi else hi
                low[t], high[t] = lo, hi
    else:
        for i0 in range(U(0), whole, four):
            for t in range(width):
                lo, hi = low[t], high[t]
                for r in range(U(4)):
                    v = values[i0 + r * width + t]
                    lo = v if v < lo else lo
                    hi = v if v > hi else hi
                low[t], high[t] = lo, hi
    for t in range(n - whole):  # the last rounds
        v = values[whole + t]
        lo, hi = low[t % width], high[t % width]
        low[t % width] = v if v < lo else lo
        high[t % width] = v if v > hi else hi


def extremes_rows(
    X: NDArray[Any], start: int, stop: int, low: F64, high: F64
) -> int:  # pragma: no cover - compiled; tested through the scalers
    """Lower ``low`` and raise ``high`` (in place) to the extremes of rows ``[start, stop)``.

    ``low`` and ``high`` start at +inf and -inf, so a column never observed (all NaN) keeps
    them and a column holding ±inf shows up as an infinite extreme (flag 1).
    """
    p = X.shape[1]
    # Lanes in the data's own dtype (exact: an extreme is one of the values), so float32 data
    # is compared eight at a time.
    lo = np.full(LANES * p, np.inf, dtype=X.dtype)
    hi = np.full(LANES * p, -np.inf, dtype=X.dtype)
    lane_extremes(X.reshape(-1)[start * p : stop * p], lo, hi)
    for lane in range(LANES):
        for j in range(p):
            low[j] = np.fmin(low[j], lo[lane * p + j])
            high[j] = np.fmax(high[j], hi[lane * p + j])
    for j in range(p):
        if low[j] == -np.inf or high[j] == np.inf:
            return 1
    return 0


def extremes_columns(
    XT: NDArray[Any], start: int, stop: int, low: F64, high: F64
) -> int:  # pragma: no cover - compiled; tested through the scalers
    """As :func:`extremes_rows` for column-major data: row ``j`` of ``XT`` is column ``j``."""
    lo, hi = np.empty(LANES, dtype=XT.dtype), np.empty(LANES, dtype=XT.dtype)
    for j in range(XT.shape[0]):
        lo[:] = np.inf
        hi[:] = -np.inf
        lane_extremes(XT[j, start:stop], lo, hi)
        for lane in range(LANES):
            low[j] = np.fmin(low[j], lo[lane])
            high[j] = np.fmax(high[j], hi[lane])
        if low[j] == -np.inf or high[j] == np.inf:
            return 1
    return 0


def affine_rows(
    X: NDArray[Any],
    out: NDArray[np.floating],
    offset: NDArray[np.floating],
    factor: NDArray[np.floating],
    start: int,
    stop: int,
    inverse: bool,
) -> int:  # pragma: no cover - compiled; tested through the scalers
    """Write ``(X - offset) * factor`` (or ``X * factor + offset``) for rows ``[start, stop)``.

    The arithmetic has the precision of ``offset`` and ``factor``: float32 ones for float32
    data run twice as fast, float64 ones hold what would overflow in float32 (the caller
    redoes a flagged range so). Returns 1 where an output value is ±inf, which is where ±inf
    in ``X`` and an overflowing result both show (NaN passes through). ``out`` may be ``X``.
    The rows run as one flat sequence against the parameters repeated ``LANES`` times, so the
    loop is long whatever the width (a row of 20 float32 values is not a whole number of
    vectors).
    """
    p = X.shape[1]
    a = np.empty(LANES * p, dtype=offset.dtype)
    b = np.empty(LANES * p, dtype=factor.dtype)
    for lane in range(LANES):
        a[lane * p : (lane + 1) * p] = offset
        b[lane * p : (lane + 1) * p] = factor
    src = X.reshape(-1)[start * p : stop * p]
    dst = out.reshape(-1)[start * p : stop * p]
    return 1 if map_tiled(src, dst, a, b, inverse) else 0


def map_tiled(
    x: NDArray[Any], out: NDArray[np.floating], offset: Any, factor: Any, inverse: bool
) -> bool:
    """``out[k] = (x[k] - offset[t]) * factor[t]`` (or ``x[k] * factor[t] + offset[t]``),
    ``t = k mod W``, ``W = offset.size``; whether a value written is ±inf."""
    width = U(offset.size)
    n = U(x.size)
    infinite = False
    for i0 in range(U(0), n, width):
        m = min(width, n - i0)
        if inverse:
            for t in range(m):
                out[i0 + t] = x[i0 + t] * factor[t] + offset[t]
                infinite |= np.abs(out[i0 + t]) == np.inf  # the rounded stored value
        else:
            for t in range(m):
                out[i0 + t] = (x[i0 + t] - offset[t]) * factor[t]
                infinite |= np.abs(out[i0 + t]) == np.inf
    return infinite


def map_column(
    x: NDArray[Any], out: NDArray[np.floating], offset: Any, factor: Any, inverse: bool
) -> bool:
    """``out = (x - offset) * factor`` (or ``x * factor + offset``); whether a value is ±inf."""
    n = U(x.size)
    infinite = False
    if inverse:
        for i in range(n):
            out[i] = x[i] * factor + offset
            infinite |= np.abs(out[i]) == np.inf  # read back: the rounded stored value
    else:
        for i in range(n):
            out[i] = (x[i] - offset) * factor
            infinite |= np.abs(out[i]) == np.inf
    return infinite


def affine_columns(
    XT: NDArray[Any],
    outT: NDArray[np.floating],
    offset: NDArray[np.floating],
    factor: NDArray[np.floating],
    start: int,
    stop: int,
    inverse: bool,
) -> int:  # pragma: no cover - compiled; tested through the scalers
    """As :func:`affine_rows` for column-major data: row ``j`` of ``XT``, ``outT`` is column ``j``.

    NaN passes through without a second look: only an infinity in the output is counted.
    """
    for j in range(XT.shape[0]):
        if map_column(XT[j, start:stop], outT[j, start:stop], offset[j], factor[j], inverse):
            return 1
    return 0


#: The functions the kernels call (compiled first: see ``moment_kernels.compile_callees``).
CALLEES = ("lane_extremes", "map_tiled", "map_column")


@functools.cache
def compiled() -> SimpleNamespace | None:
    """The kernels compiled by numba (on first call), or None without numba.

    Examples
    --------
    >>> k = compiled()
    >>> k is None or callable(k.moments_rows)
    True
    """
    if jit.numba_or_none() is None:
        return None
    # nogil: threads run kernels in parallel; the error model and bounds checks of NumPy
    # (no ZeroDivisionError, no index checks) keep the inner loops vectorisable.
    decorate = jit.njit(nogil=True, error_model="numpy", boundscheck=False)
    moment_kernels.compile_callees(globals(), CALLEES, decorate)
    moments_rows, moments_columns = moment_kernels.compile_kernels(decorate)
    return SimpleNamespace(
        moments_rows=moments_rows,
        moments_columns=moments_columns,
        extremes_rows=decorate(extremes_rows),
        extremes_columns=decorate(extremes_columns),
        affine_rows=decorate(affine_rows),
        affine_columns=decorate(affine_columns),
    )
