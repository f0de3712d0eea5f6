"""Plain-step SGD and mini-batch descent as compiled loops (numba), least squares and logistic.

One Python-level update costs microseconds; compiled, an update costs a few nanoseconds per
feature and row. Each batch's rows are copied through the epoch's permutation into a small
scratch block (no permuted copy of the whole data set), and the kernel then does what the
NumPy path does for that batch, operation by operation, apart from the order of the sums
inside a batch: the two agree to rounding. The engine imports this module only when a
compiled loop could run; numba caches the machine code on disk (``cache=True``). Without
numba the engine keeps the NumPy path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

Kernel = Callable[..., None]


def _gather(X: Any, y: Any, order: Any, start: int, stop: int, rows: Any) -> None:
    # Copy the batch's rows (and labels, in the last column) into a small scratch block
    # first: the loads are independent, so the CPU overlaps their cache misses, and the
    # arithmetic then runs on rows in cache. Reading rows through `order` inside the
    # arithmetic instead serialises the misses and is several times slower.
    d = X.shape[1]
    for k in range(start, stop):
        i = order[k]
        for j in range(d):
            rows[k - start, j] = X[i, j]
        rows[k - start, d] = y[i]


def _ls_kernel(
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
) -> None:
    n, d = order.shape[0], w.shape[0]
    for b in range(b0, b1):
        start, stop = b * bs, min(b * bs + bs, n)
        _gather(X, y, order, start, stop, rows)
        g[:] = 0.0
        for k in range(stop - start):
            s = 0.0
            for j in range(d):
                s += rows[k, j] * w[j]
            r = s - rows[k, d]
            for j in range(d):
                g[j] += rows[k, j] * r
        c, lr = 2.0 / (stop - start), lrs[b]
        for j in range(d):
            w[j] -= (g[j] * c + l2 * w[j]) * lr


def _logistic_kernel(
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
) -> None:
    n, d = order.shape[0], w.shape[0]
    for b in range(b0, b1):
        start, stop = b * bs, min(b * bs + bs, n)
        _gather(X, y, order, start, stop, rows)
        g[:] = 0.0
        for k in range(stop - start):
            s = 0.0
            for j in range(d):
                s += rows[k, j] * w[j]
            # The stable sigmoid: exp of a non-positive number only, so no overflow.
            if s >= 0.0:
                p = 1.0 / (1.0 + math.exp(-s))
            else:
                e = math.exp(s)
                p = e / (1.0 + e)
            r = p - rows[k, d]
            for j in range(d):
                g[j] += rows[k, j] * r
        c, lr = 1.0 / (stop - start), lrs[b]
        for j in range(d):
            w[j] -= (g[j] * c + l2 * w[j]) * lr


_PY_KERNELS: dict[str, Kernel] = {"LeastSquares": _ls_kernel, "Logistic": _logistic_kernel}

numba: Any
try:
    import numba
except ImportError:  # numba is optional at run time: the NumPy path stays correct
    numba = None
_KERNELS: dict[str, Kernel] = {}
if numba is not None:
    _jit = numba.njit(cache=True, nogil=True)
    # Kernels find `_gather` as a module global, so the compiled helper replaces it here.
    _gather = _jit(_gather)
    _KERNELS = {name: _jit(fn) for name, fn in _PY_KERNELS.items()}


def kernel(model_name: str) -> Kernel | None:
    """The compiled batch kernel for a model class name, or None (no numba, or no kernel).

    ``kernel(w, X, y, order, b0, b1, bs, lrs, l2, g, rows)`` applies the plain-step updates
    of batches ``b0..b1-1`` in place: batch ``b`` is the rows ``order[b*bs : (b+1)*bs]`` (the
    last one may be shorter), with learning rate ``lrs[b]``; ``g`` (length d) and ``rows``
    (``bs x (d + 1)``) are scratch.

    Examples
    --------
    >>> kernel("Softmax") is None
    True
    """
    if numba is None:
        return None
    return _KERNELS.get(model_name)
