"""Which compiled kernel reads which layout, over which row ranges.

The kernels of :mod:`gdlab.scaling.kernels` come in two forms: along the rows of C-ordered
data, and down the columns of column-major data (:class:`~gdlab.scaling.columns.Columns`:
Fortran-ordered arrays and DataFrames). Both split the rows into the same ranges
(:func:`~gdlab.scaling.blocks.row_ranges`, one per thread job) and the same blocks, so they
produce the same statistics, bit for bit. Each function here returns None for a layout it does
not take (a strided view, float16, different dtypes in and out): the caller then takes its
block-by-block path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.scaling.blocks import compiled_layout, row_ranges
from gdlab.scaling.checks import reject_infinite
from gdlab.scaling.columns import Columns, column_major
from gdlab.threads import run_jobs

F64 = NDArray[np.float64]
Floats = NDArray[np.floating]
#: A pair of kernels: along rows, down columns.
Pair = tuple[Callable[..., int], Callable[..., int]]


def statistics(
    X: Any,
    kernels: Pair,
    scalars: tuple[Any, ...],
    per_column: tuple[F64, ...],
    fresh: Sequence[Callable[[int], F64]],
) -> list[tuple[F64, ...]] | None:
    """Run a statistics kernel over each row range of ``X``; per range, its output arrays.

    The kernels take ``(data, start, stop, *scalars, *per_column, *outputs)``, the outputs one
    value per column, made by ``fresh`` and filled in place. ValueError on ±inf.
    """
    columns = column_major(X)
    if columns is None and not compiled_layout(X):
        return None
    along_rows, down_columns = kernels
    p = X.shape[1]

    def job(start: int, stop: int) -> Callable[[], tuple[int, tuple[F64, ...]]]:
        def run() -> tuple[int, tuple[F64, ...]]:
            out = tuple(make(p) for make in fresh)
            if columns is None:
                return int(along_rows(X, start, stop, *scalars, *per_column, *out)), out
            for XT, cols in columns.parts:
                args = (*(a[cols] for a in per_column), *(a[cols] for a in out))
                if down_columns(XT, start, stop, *scalars, *args):
                    return 1, out
            return 0, out

        return run

    parts = run_jobs([job(*r) for r in row_ranges(X)])
    if any(flag for flag, _ in parts):
        reject_infinite_anywhere(X)
    return [out for _, out in parts]


def affine(
    kernels: Pair,
    X: Any,
    out: Floats,
    fast: tuple[Floats, Floats],
    exact: tuple[F64, F64] | None,
    inverse: bool,
) -> bool | None:
    """Map ``X`` into ``out`` with the ``fast`` parameters, redoing with the ``exact`` (float64)
    ones a range whose output is not finite; whether an infinity remains (None: layout).

    ``exact`` None: no redo (in place, the input is gone once mapped)."""
    along_rows, down_columns = kernels
    columns = column_major(X)
    if columns is not None and out.flags.f_contiguous and out.shape == columns.shape:
        outT = out.T
        work = [(down_columns, XT, outT[cols], cols) for XT, cols in columns.parts]
    elif columns is None and compiled_layout(X, out):
        work = [(along_rows, X, out, slice(None))]
    else:
        return None

    def job(start: int, stop: int) -> Callable[[], bool]:
        def run() -> bool:
            bad = False
            for kernel, src, dst, cols in work:
                if not kernel(src, dst, fast[0][cols], fast[1][cols], start, stop, inverse):
                    continue
                if exact is None:
                    bad = True
                else:
                    a, b = exact[0][cols], exact[1][cols]
                    bad |= bool(kernel(src, dst, a, b, start, stop, inverse))
            return bad

        return run

    return any(run_jobs([job(*r) for r in row_ranges(X)]))


def reject_infinite_anywhere(X: Any) -> None:
    """:func:`~gdlab.scaling.checks.reject_infinite` for an array or :class:`Columns`."""
    if isinstance(X, Columns):
        X.reject_infinite()
    else:
        reject_infinite(X)
