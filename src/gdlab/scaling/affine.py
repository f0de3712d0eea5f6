"""The transform pass: a column-wise affine map, block by block, checked as it goes.

Every scaler's transform and inverse is ``(x - offset) * factor`` or ``x * factor + offset``
(a nonlinear scaler adds a function before or after it). This is one fused pass over the data
(on threads inside ``gdlab.threads.workers``): where numba is installed, the compiled kernel
for the layout (:mod:`gdlab.scaling.layouts`: along C-ordered rows, down the columns of a
Fortran-ordered array or a DataFrame, on a C-ordered copy of each block of a strided view);
two in-place NumPy ufuncs per cached row block where not. Either way ±inf in the input raises
ValueError naming its columns, and so does a result too large for the output dtype.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.scaling import kernels, layouts
from gdlab.scaling.blocks import compiled_dtype, runs, scan
from gdlab.scaling.checks import check_block, reject_overflow
from gdlab.scaling.columns import column_major
from gdlab.threads import run_jobs


def affine(
    X: NDArray[np.floating],
    offset: NDArray[np.float64],
    factor: NDArray[np.float64],
    out: NDArray[np.floating],
    *,
    inverse: bool = False,
    check: Callable[[NDArray[np.floating]], None] | None = None,
    before: Callable[[NDArray[np.floating], NDArray[np.floating]], None] | None = None,
    after: Callable[[NDArray[np.floating]], None] | None = None,
) -> NDArray[np.floating]:
    """Apply the column-wise affine map block by block into the preallocated ``out``.

    Forward: ``out = (X - offset) * factor``; inverse: ``out = X * factor + offset``. Each
    block is one fused pass on a cached block. ``out`` may be ``X`` itself (in-place
    transform). float32 data is computed in float32 where its parameters are representable
    there, as fast as it goes; a block whose result is not finite is computed again in
    float64 (an intermediate such as ``x - offset`` can overflow near float32's largest value
    although the result fits), so only a result too large for ``out.dtype`` raises
    ValueError, naming its columns.

    Parameters
    ----------
    X, out : ndarray, shape (n_samples, n_features)
    offset, factor : ndarray of float64, shape (n_features,)
    inverse : bool
        Use the inverse form ``X * factor + offset``.
    check : callable, optional
        Raises on bad values; runs on every input block before anything is written into it.
        (The compiled kernel flags ±inf itself, so the default :func:`check_block` is not
        run again where ``out`` is a separate array: an error then only discards ``out``.)
    before : callable, optional
        ``before(src, dst)`` writes a transformed copy of the input block into its output
        block, which then goes through the affine map in place (a link function first).
    after : callable, optional
        ``after(dst)`` finishes an output block in place (clipping, a squashing function).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 10.0], [3.0, 30.0]])
    >>> affine(X, np.array([1.0, 10.0]), np.array([0.5, 0.05]), np.empty_like(X))
    array([[0., 0.],
           [1., 1.]])
    """
    a = np.asarray(offset, dtype=np.float64)
    b = np.asarray(factor, dtype=np.float64)
    if not X.shape[0]:
        return out
    k = kernels.compiled() if before is None and after is None else None
    if k is None or not compiled_dtype(out):
        X = np.asarray(X)  # Columns reach here only without numba, or with hooks: NumPy blocks
    shared = isinstance(X, np.ndarray) and np.may_share_memory(X, out)
    if k is not None and compiled_dtype(out) and (column_major(X) or compiled_dtype(X, out)):
        if check is not None and (shared or check is not check_block):
            scan(np.asarray(X), check)  # the kernel writes as it goes: check everything first
        pair = (k.affine_rows, k.affine_columns)
        # In place, an overflowed range cannot be redone: float64 from the start.
        fast = (a, b) if shared else _own_precision(a, b, out.dtype)
        flagged = layouts.affine(pair, X, out, fast, None if shared else (a, b), inverse)
        if flagged is None:  # another layout: C-ordered copies of each block
            X = np.asarray(X)
            flagged = any(run_jobs([_staged_job(k, X, out, a, b, inverse, run) for run in runs(X)]))
        if flagged:
            if not shared:
                layouts.reject_infinite_anywhere(X)
            reject_overflow(out)
        return out

    # float32 (float16: in float32) output is first computed in its own precision, as fast
    # as NumPy goes; a block whose result is not finite is computed again in float64 (an
    # intermediate may overflow where the result fits). In place, the input is gone by then,
    # so there every block goes through float64 scratch.
    narrow = out.dtype != np.float64
    own = np.result_type(out.dtype, np.float32)
    with np.errstate(over="ignore"):  # a parameter beyond float32 gives inf: redone in float64
        a_fast, b_fast = a.astype(own), b.astype(own)

    def job(run: list[slice]) -> Callable[[], None]:
        def transform_run() -> None:
            for block in run:
                src, dst = X[block], out[block]
                if check is not None:
                    check(src)
                if before is not None:
                    before(src, dst)
                    src = dst
                if narrow and not shared and src is not dst:
                    _affine_block(src, dst, a_fast, b_fast, inverse)
                    finite = _finite(dst)
                    if not finite:
                        _affine_block(src, dst, a, b, inverse, scratch=True)
                else:
                    _affine_block(src, dst, a, b, inverse, scratch=narrow)
                    finite = after is not None or _finite(dst)
                if after is not None:
                    after(dst)  # clipping or squashing: an overflow there has its true image
                elif not finite:
                    # The input passed its check, so an infinite output is an overflow.
                    reject_overflow(dst)

        return transform_run

    run_jobs([job(run) for run in runs(X)])
    return out


def _finite(block: NDArray[np.floating]) -> bool:
    # NaN and ±inf propagate through a sum (inf - inf is NaN); a dot product with ones is
    # the cheapest sum NumPy has for a strided block. A false alarm (a finite sum that
    # overflows) only costs a second look.
    ones = np.ones(block.shape[1], dtype=block.dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(np.einsum("ij,j->", block, ones)))


def _affine_block(
    src: NDArray[np.floating],
    dst: NDArray[np.floating],
    a: NDArray[np.floating],
    b: NDArray[np.floating],
    inverse: bool,
    *,
    scratch: bool = False,
) -> None:
    # Two in-place ufuncs on a cached block; with scratch, in a float64 copy, rounded once.
    tmp = np.empty(dst.shape, dtype=np.result_type(a.dtype, b.dtype)) if scratch else dst
    with np.errstate(over="ignore", invalid="ignore"):
        if inverse:
            np.multiply(src, b, out=tmp)
            np.add(tmp, a, out=tmp)
        else:
            np.subtract(src, a, out=tmp)
            np.multiply(tmp, b, out=tmp)
        if scratch:
            dst[...] = tmp


def _own_precision(
    a: NDArray[np.float64], b: NDArray[np.float64], dtype: np.dtype[Any]
) -> tuple[NDArray[np.floating], NDArray[np.floating]]:
    # The map's parameters in the output's precision (float32 arithmetic is twice as fast),
    # unless that would change them beyond rounding: an infinite or subnormal factor.
    if dtype != np.float32:
        return a, b
    with np.errstate(over="ignore", under="ignore"):
        a32, b32 = a.astype(np.float32), b.astype(np.float32)
    normal = (np.abs(b32) >= np.finfo(np.float32).tiny) | (b == 0)
    usable = np.isfinite(a32).all() and np.isfinite(b32).all() and normal.all()
    return (a32, b32) if usable else (a, b)


def _staged_job(
    k: Any,
    X: NDArray[np.floating],
    out: NDArray[np.floating],
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    inverse: bool,
    run: list[slice],
) -> Callable[[], bool]:
    # Each block copied into C order in cache, mapped by the kernel, copied back; the copy
    # keeps the input, so an overflowed block is redone in float64 even in place.
    fast = _own_precision(a, b, out.dtype)

    def staged_run() -> bool:
        src = np.empty((run[0].stop - run[0].start, X.shape[1]), dtype=X.dtype)
        dst = np.empty_like(src)
        flagged = False
        for block in run:
            m = block.stop - block.start
            src[:m] = X[block]
            if k.affine_rows(src[:m], dst[:m], *fast, 0, m, inverse):
                flagged |= bool(k.affine_rows(src[:m], dst[:m], a, b, 0, m, inverse))
            out[block] = dst[:m]
        return flagged

    return staged_run
