"""Plain-step SGD and mini-batch descent as compiled loops (numba), least squares and logistic.

One Python-level update costs microseconds; compiled, an update costs a few nanoseconds per
feature and row. Per-sample SGD reads each row through the epoch's permutation; a mini-batch
first copies its rows into a small cache-resident block (independent loads, so the CPU
overlaps their cache misses). Either way a kernel does what the NumPy path does for the
batch, operation by operation, apart from the order of the sums inside a batch: the two agree
to rounding. The engine imports this module only when a compiled loop could run; numba caches
the machine code on disk (``cache=True``). Without numba the engine keeps the NumPy path.
A one-pass full-data least-squares evaluation serves the same runs' records.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

Kernel = Callable[..., None]
# Model families (``Model.family``) inside the kernels: the residual r = dloss/dz of the
# model's ``link`` for one row, and the gradient scale 2/m or 1/m (its ``residual_scale``).
_KINDS = {"LeastSquares": 0, "Logistic": 1}
# Families whose full-data pass is compiled too (data term: sum of squared residuals, X^T r).
PASSES = ("LeastSquares",)


def _residual(kind: int, s: float, t: float) -> float:
    if kind == 0:
        return s - t
    # The stable sigmoid: exp of a non-positive number only, so no overflow.
    if s >= 0.0:
        return 1.0 / (1.0 + math.exp(-s)) - t
    e = math.exp(s)
    return e / (1.0 + e) - t


def _sgd(
    kind: int,
    w: Any,
    X: Any,
    y: Any,
    order: Any,
    b0: int,
    b1: int,
    bs: int,
    lrs: Any,
    l2: float,
    g: Any,
    rows: Any,
    spare: int = 0,
) -> None:
    # Batches of one row: read it in place (a copy first would only add work); bs, g and
    # rows are unused, the signature is the mini-batch kernel's. The penalty l2 applies to
    # all but the last `spare` coordinates (the intercept's, for an intercept-free L2).
    d = w.shape[0]
    dp = d - spare
    c = 2.0 if kind == 0 else 1.0
    for k in range(b0, b1):
        i = order[k]
        s = 0.0
        for j in range(d):
            s += X[i, j] * w[j]
        r = _residual(kind, s, y[i])
        lr = lrs[k]
        for j in range(dp):
            w[j] -= (X[i, j] * r * c + l2 * w[j]) * lr
        for j in range(dp, d):
            w[j] -= (X[i, j] * r * c) * lr


def _batches(
    kind: int,
    w: Any,
    X: Any,
    y: Any,
    order: Any,
    b0: int,
    b1: int,
    bs: int,
    lrs: Any,
    l2: float,
    g: Any,
    rows: Any,
    spare: int = 0,
) -> None:
    n, d = order.shape[0], w.shape[0]
    dp = d - spare
    for b in range(b0, b1):
        start, stop = b * bs, min(b * bs + bs, n)
        for k in range(start, stop):
            i = order[k]
            for j in range(d):
                rows[k - start, j] = X[i, j]
            rows[k - start, d] = y[i]
        g[:] = 0.0
        for k in range(stop - start):
            s = 0.0
            for j in range(d):
                s += rows[k, j] * w[j]
            r = _residual(kind, s, rows[k, d])
            for j in range(d):
                g[j] += rows[k, j] * r
        c, lr = (2.0 if kind == 0 else 1.0) / (stop - start), lrs[b]
        for j in range(dp):
            w[j] -= (g[j] * c + l2 * w[j]) * lr
        for j in range(dp, d):
            w[j] -= (g[j] * c) * lr


def _squares_pass(w: Any, X: Any, y: Any, g: Any) -> float:
    # One read of each row for both sums: X w - y and X^T r need the row once, not twice
    # (half the memory traffic of two matrix-vector products over the data).
    n, d = X.shape
    total = 0.0
    g[:] = 0.0
    for i in range(n):
        s = 0.0
        for j in range(d):
            s += X[i, j] * w[j]
        r = s - y[i]
        total += r * r
        for j in range(d):
            g[j] += X[i, j] * r
    return total


def _softmax_residual(Z: Any, y: Any, sw: Any) -> float:
    # Row by row, in place: Z becomes s_i (softmax(z_i) - onehot(y_i)); returns the sum of the
    # rows' weighted losses, logsumexp(z_i) - z_{i, y_i} (both as Softmax.link computes them).
    n, k = Z.shape
    total = 0.0
    for i in range(n):
        top = Z[i, 0]
        for c in range(1, k):
            top = max(top, Z[i, c])
        label = y[i]
        picked = Z[i, label]
        norm = 0.0
        for c in range(k):
            e = math.exp(Z[i, c] - top)
            Z[i, c] = e
            norm += e
        s = sw[i] if sw.shape[0] else 1.0
        total += s * (math.log(norm) + top - picked)
        for c in range(k):
            Z[i, c] = s * Z[i, c] / norm
        Z[i, label] -= s
    return total


numba: Any
try:
    import numba
except ImportError:  # numba is optional at run time: the NumPy path stays correct
    numba = None
if numba is not None:
    from gdlab.jit import njit

    # Reassociation lets LLVM vectorise the dot products (2x faster per sample); it changes
    # only the order of additions, as BLAS does, so results match the NumPy path to ~1e-15.
    # No "nnan"/"ninf": divergence must still show up as inf/nan.
    # gdlab.jit.njit caches on disk where a folder is writable, and compiles per process
    # where none is (a read-only install), instead of failing the import.
    _jit = njit(nogil=True, fastmath={"reassoc", "contract"})
    # The kernels find `_residual` as a module global, so the compiled one replaces it here.
    _residual = _jit(_residual)
    _sgd = _jit(_sgd)
    _batches = _jit(_batches)
    _squares_pass = _jit(_squares_pass)
    _softmax_residual = _jit(_softmax_residual)


def kernel(family: str, batch_size: int, spare: int = 0) -> Kernel | None:
    """The compiled loop for a model family (``Model.family``) and batch size, or None (no
    numba, or no kernel for that loss).

    The returned ``kernel(w, X, y, order, b0, b1, bs, lrs, l2, g, rows)`` applies the
    plain-step updates of batches ``b0..b1-1`` in place: batch ``b`` is the rows
    ``order[b*bs : (b+1)*bs]`` (the last one may be shorter), with learning rate ``lrs[b]``
    and the penalty ``l2`` on all but the last ``spare`` coordinates; ``g`` (length d) and
    ``rows`` (``bs x (d + 1)``) are scratch.

    Examples
    --------
    >>> kernel("Softmax", 1) is None
    True
    """
    kind = _KINDS.get(family)
    if numba is None or kind is None:
        return None
    loop = _sgd if batch_size == 1 else _batches
    return functools.partial(loop, kind, spare=spare) if spare else functools.partial(loop, kind)


def least_squares_pass(w: Any, X: Any, y: Any) -> tuple[float, Any]:
    """``sum_i r_i^2`` and ``X^T r`` with ``r = X w - y``, in one compiled pass over the rows.

    The full-data least-squares objective is ``sum / n`` and its gradient ``2 X^T r / n``.

    Examples
    --------
    >>> import numpy as np
    >>> least_squares_pass(np.zeros(2), np.eye(2), np.ones(2))
    (2.0, array([-1., -1.]))
    """
    g = np.empty_like(w)
    return float(_squares_pass(w, X, y, g)), g


def softmax_residual(Z: Any, y: Any, weight: Any = None) -> float:
    """Softmax regression's link over the scores ``Z = X W`` (n x k), compiled and in place:
    ``Z`` becomes the residual ``softmax(Z) - onehot(y)`` (rows times ``weight``); returns the
    summed (weighted) loss. NumPy's version takes a pass per reduction; this takes one.

    Examples
    --------
    >>> import numpy as np
    >>> Z = np.zeros((2, 2)); total = softmax_residual(Z, np.array([0, 1]))
    >>> round(total, 6), Z.tolist()
    (1.386294, [[-0.5, 0.5], [0.5, -0.5]])
    """
    sw = np.empty(0) if weight is None else weight
    return float(_softmax_residual(Z, np.asarray(y, dtype=np.intp), sw))
