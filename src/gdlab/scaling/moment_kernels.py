r"""Column means and variances in one compiled pass, the same arithmetic for every layout.

Rows of a block are dealt round-robin to ``LANES`` partial sums per column (row ``i`` of a
block to lane ``i % LANES``), and the lanes are folded pairwise at the end of the block. That
order does not depend on how the data is stored: :func:`moments_rows` runs along C-ordered
rows (a lane is a run of ``p`` columns, so one long loop covers ``LANES`` rows),
:func:`moments_columns` down each column of column-major data (Fortran order, a DataFrame's
columns), and both give the same bits. Independent lanes are also what lets the compiler
vectorise a sum without reordering it.

Each block is read once: the deviations ``d = x - c`` from a centre ``c`` (the column's running
mean; its first observed value before that) give ``S = sum(d)`` and ``Q = sum(d**2)``, and the
block's sum of squared deviations from its own mean is ``Q - S**2 / n``. With ``c`` within a
quarter of a standard deviation of the block's mean (``S**2 / n <= Q / 16``) that subtraction
removes at most a sixteenth of ``Q``, so it keeps the accuracy of the two-pass form; a block
further off (the first block, or trending data) is summed again about its own mean while it is
still in cache, as the two-pass algorithm does. Blocks merge into the running statistics with
Chan's update. A column whose block holds NaN (missing, skipped), ±inf (an error: the kernel
returns 1) or values whose squares overflow takes a plain sequential pass over that block.

These are plain Python functions; :func:`gdlab.scaling.kernels.compiled` compiles them (numba
is optional).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]

#: Partial sums per column and block (a power of two: the lanes fold pairwise).
LANES = 32
#: Bytes of float64 per block. One pass needs no block in cache, only a block summed again
#: does (from the L2 or L3 cache); a large block spreads the work per block (the folds, the
#: merge) over more rows.
BLOCK_BYTES = 1 << 20
#: A block is summed again about its own mean when ``S**2 / n > REDO * Q`` (see above).
REDO = 1.0 / 16.0

# Unsigned indices: the compiled code then needs no wrap-around test for negative indices,
# which would keep it from loading contiguous vectors.
U = np.uint64


def lane_sums(values: NDArray[Any], centre: F64, s: F64, q: F64) -> None:
    """``s[t], q[t]`` = sums of ``d`` and ``d**2``, ``d = values[k] - centre[t]``, ``t = k mod W``.

    ``W = centre.size``: one lane per entry of ``centre`` (``LANES`` copies of each column's
    centre), so a contiguous run of ``values`` goes round the lanes in order.
    """
    width = U(centre.size)
    s[:] = 0.0
    q[:] = 0.0
    n = U(values.size)
    whole = n - n % width
    if width == U(LANES):  # one column: a constant trip count, compiled to straight vector code
        for i0 in range(U(0), whole, U(LANES)):
            for t in range(U(LANES)):
                d = values[i0 + t] - centre[t]
                s[t] += d
                q[t] += d * d
    else:
        for i0 in range(U(0), whole, width):
            for t in range(width):
                d = values[i0 + t] - centre[t]
                s[t] += d
                q[t] += d * d
    for t in range(n - whole):  # the last, partial round
        d = values[whole + t] - centre[t]
        s[t] += d
        q[t] += d * d


def lane_squares(values: NDArray[Any], centre: F64, q: F64) -> None:
    """``q[t]`` = sum of ``(values[k] - centre[t])**2`` over the lane, as in :func:`lane_sums`."""
    width = U(centre.size)
    q[:] = 0.0
    n = U(values.size)
    for i0 in range(U(0), n, width):
        m = min(width, n - i0)
        for t in range(m):
            d = values[i0 + t] - centre[t]
            q[t] += d * d


def fold(acc: F64, width: int) -> None:
    """Add the ``LANES`` lanes of ``acc`` (lane ``l`` at ``acc[l * width:]``) pairwise into lane 0.

    The same tree for every width, so a column's total does not depend on its neighbours.
    """
    h = LANES // 2
    while h >= 1:
        span = U(h * width)
        for t in range(span):
            acc[t] += acc[span + t]
        h //= 2


def masked(values: NDArray[Any], shift: float) -> tuple[int, float, float, float]:
    """``(flag, count, mean - shift, sum of squared deviations)`` of the observed ``values``.

    NaN is skipped; ±inf gives flag 1. A plain sequential pass, for blocks the lanes refused.
    """
    count = 0.0
    total = 0.0
    for v in values:
        if np.isinf(v):
            return 1, 0.0, 0.0, 0.0
        if v == v:
            count += 1.0
            total += v - shift
    if count == 0:
        return 0, 0.0, 0.0, 0.0
    mean = total / count
    centre = shift + mean
    m2 = 0.0
    for v in values:
        if v == v:
            d = v - centre
            m2 += d * d
    return 0, count, mean, m2


def merge(j: int, n: float, mean_b: float, m2_b: float, count: F64, mean: F64, m2: F64) -> None:
    """Chan's update: fold a block's ``(n, mean_b, m2_b)`` into column ``j``'s running moments."""
    if n == 0:
        return
    if count[j] == 0:
        count[j], mean[j], m2[j] = n, mean_b, m2_b
        return
    total = count[j] + n
    delta = mean_b - mean[j]
    frac = n / total
    mean[j] += delta * frac
    m2[j] += m2_b + delta * delta * count[j] * frac
    count[j] = total


def block_moments(s: float, q: float, n: int) -> tuple[float, float, bool]:
    """A clean block's ``(mean - centre, sum of squared deviations, needs a second pass)``."""
    mb = s / n
    return mb, q - s * mb, s * mb > REDO * q


def moments_rows(
    X: NDArray[Any],
    start: int,
    stop: int,
    rows: int,
    shift: F64,
    count: F64,
    mean: F64,
    m2: F64,
) -> int:  # pragma: no cover - compiled; tested through the scalers
    """Merge the moments of rows ``[start, stop)`` of a C-ordered ``X`` into ``count, mean, m2``.

    ``rows`` rows per block; ``mean`` is relative to ``shift`` (one value per column). Returns 1
    on ±inf.
    """
    p = X.shape[1]
    width = LANES * p
    flat = X.reshape(-1)
    s, q, centre = np.empty(width), np.empty(width), np.empty(width)
    c, q1 = np.empty(p), np.empty(p)
    for b0 in range(start, stop, rows):
        b1 = min(b0 + rows, stop)
        n = b1 - b0
        for j in range(p):
            c[j] = shift[j] + mean[j] if count[j] > 0 else shift[j]
        for lane in range(LANES):
            centre[lane * p : (lane + 1) * p] = c
        block = flat[b0 * p : b1 * p]
        lane_sums(block, centre, s, q)
        fold(s, p)
        fold(q, p)
        again = False
        for j in range(p):
            q1[j] = q[j]
            if np.isfinite(s[j]) and np.isfinite(q[j]):
                mb, _, redo = block_moments(s[j], q[j], n)
                again |= redo
                for lane in range(LANES):
                    centre[lane * p + j] = c[j] + mb
        if again:  # one more pass over the cached block, used by the columns that need it
            lane_squares(block, centre, q)
            fold(q, p)
        for j in range(p):
            if not (np.isfinite(s[j]) and np.isfinite(q1[j])):
                flag, nb, mean_b, m2_b = masked(X[b0:b1, j], shift[j])
                if flag:
                    return 1
            else:
                mb, m2_b, redo = block_moments(s[j], q1[j], n)
                nb, mean_b = n, (c[j] - shift[j]) + mb
                if redo:
                    m2_b = q[j]
            merge(j, nb, mean_b, m2_b, count, mean, m2)
    return 0


def moments_columns(
    XT: NDArray[Any],
    start: int,
    stop: int,
    rows: int,
    shift: F64,
    count: F64,
    mean: F64,
    m2: F64,
) -> int:  # pragma: no cover - compiled; tested through the scalers
    """As :func:`moments_rows` for column-major data: row ``j`` of ``XT`` is column ``j``.

    The same blocks, lanes and folds per column, so the same results as the row-major kernel.
    """
    s, q, centre = np.empty(LANES), np.empty(LANES), np.empty(LANES)
    for j in range(XT.shape[0]):
        x = XT[j]
        for b0 in range(start, stop, rows):
            b1 = min(b0 + rows, stop)
            n = b1 - b0
            c = shift[j] + mean[j] if count[j] > 0 else shift[j]
            centre[:] = c
            block = x[b0:b1]
            lane_sums(block, centre, s, q)
            fold(s, 1)
            fold(q, 1)
            if not (np.isfinite(s[0]) and np.isfinite(q[0])):
                flag, nb, mean_b, m2_b = masked(block, shift[j])
                if flag:
                    return 1
                merge(j, nb, mean_b, m2_b, count, mean, m2)
                continue
            mb, m2_b, redo = block_moments(s[0], q[0], n)
            if redo:
                centre[:] = c + mb
                lane_squares(block, centre, q)
                fold(q, 1)
                m2_b = q[0]
            merge(j, n, (c - shift[j]) + mb, m2_b, count, mean, m2)
    return 0


#: The functions the kernels call, compiled before them (see :func:`compile_callees`).
CALLEES = ("lane_sums", "lane_squares", "fold", "masked", "merge", "block_moments")


def compile_callees(space: dict[str, Any], names: tuple[str, ...], decorate: Any) -> None:
    """Replace each function ``space[name]`` by its compiled self, once.

    A compiled function calls what a name in its module resolves to when it compiles, so the
    functions a kernel calls are compiled first, in place; they compute the same numbers, so
    plain-Python calls are unaffected. A kernel and its callees share a file: numba's disk
    cache of the kernel then expires whenever one of them changes.
    """
    for name in names:
        if not hasattr(space[name], "py_func"):  # not compiled yet
            space[name] = decorate(space[name])


def compile_kernels(decorate: Any) -> tuple[Any, Any]:
    """``(moments_rows, moments_columns)`` compiled by ``decorate``, their callees first."""
    compile_callees(globals(), CALLEES, decorate)
    return decorate(moments_rows), decorate(moments_columns)
