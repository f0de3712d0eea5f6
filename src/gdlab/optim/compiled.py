"""Per-sample SGD as a compiled loop (numba), for least squares and logistic with plain steps.

One Python-level update per row costs microseconds; compiled, an update costs a few
nanoseconds per feature. The kernels do exactly what the NumPy path does for a batch of one
row (same order of operations, so the two agree to rounding). numba is imported on first use
and cached on disk (``cache=True``); without numba the engine keeps the NumPy path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

Kernel = Callable[..., None]


def _ls_kernel(w: Any, X: Any, y: Any, start: int, stop: int, lrs: Any, l2: float) -> None:
    d = w.shape[0]
    for i in range(start, stop):
        s = 0.0
        for j in range(d):
            s += X[i, j] * w[j]
        r = s - y[i]
        lr = lrs[i - start]
        for j in range(d):
            g = X[i, j] * r * 2.0 + l2 * w[j]
            w[j] -= g * lr


def _logistic_kernel(w: Any, X: Any, y: Any, start: int, stop: int, lrs: Any, l2: float) -> None:
    d = w.shape[0]
    for i in range(start, stop):
        s = 0.0
        for j in range(d):
            s += X[i, j] * w[j]
        # The stable sigmoid: exp of a non-positive number only, so no overflow.
        if s >= 0.0:
            p = 1.0 / (1.0 + math.exp(-s))
        else:
            e = math.exp(s)
            p = e / (1.0 + e)
        r = p - y[i]
        lr = lrs[i - start]
        for j in range(d):
            g = X[i, j] * r + l2 * w[j]
            w[j] -= g * lr


_PY_KERNELS: dict[str, Kernel] = {"LeastSquares": _ls_kernel, "Logistic": _logistic_kernel}


@cache
def kernel(model_name: str) -> Kernel | None:
    """The compiled per-sample kernel for a model class name, or None (no numba, no kernel).

    Examples
    --------
    >>> kernel("Softmax") is None
    True
    """
    fn = _PY_KERNELS.get(model_name)
    if fn is None:
        return None
    try:
        import numba
    except ImportError:  # numba is optional at run time: the NumPy path stays correct
        return None
    compiled: Kernel = numba.njit(cache=True, nogil=True)(fn)
    return compiled


def run_rows(
    model_name: str,
    w: NDArray[np.float64],
    X: NDArray[np.float64],
    y: NDArray[Any],
    start: int,
    stop: int,
    lrs: NDArray[np.float64],
    l2: float,
) -> None:
    """Apply SGD updates for rows ``start..stop-1`` of ``X`` in place, ``lrs[i - start]`` each."""
    fn = kernel(model_name)
    if fn is None:
        raise ValueError(f"no compiled SGD kernel for {model_name}; use the NumPy path.")
    fn(w, X, y, start, stop, lrs, l2)
