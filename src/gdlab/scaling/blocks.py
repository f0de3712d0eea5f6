"""Row blocks spread over threads: the one-pass engine behind every scaler.

Scaling is memory-bound: the floor is one read of ``X`` to fit and one read plus one write
to transform. Work is therefore cut into row blocks small enough to stay in the CPU cache,
so all the arithmetic on a block (a sum, a deviation, a square) happens while the block is
cached and main memory is touched once. The compiled kernels (:mod:`gdlab.scaling.kernels`)
and NumPy's ufuncs release the GIL, so inside ``gdlab.threads.workers(k)`` contiguous runs of
blocks go to the shared thread pool (:mod:`gdlab.threads`); by default they run here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from gdlab import threads
from gdlab.scaling.checks import check_block

S = TypeVar("S")

#: Bytes of float64 per block: a block and its float64 temporaries fit in a 2 MiB L2 cache.
BLOCK_BYTES = 1 << 18
#: Below this many elements a thread hand-off costs more than it saves.
PARALLEL_MIN_ELEMENTS = 1 << 20
#: Target bytes per chunk handed to a thread.
CHUNK_BYTES = 32 << 20


def row_blocks(n_rows: int, n_cols: int) -> list[slice]:
    """Cut ``n_rows`` rows into consecutive slices of about ``BLOCK_BYTES`` of float64.

    Examples
    --------
    >>> row_blocks(5, 1 << 16)
    [slice(0, 1, None), slice(1, 2, None), slice(2, 3, None), slice(3, 4, None), slice(4, 5, None)]
    >>> len(row_blocks(10_000, 2))
    1
    """
    step = block_rows(n_cols)
    return [slice(i, min(i + step, n_rows)) for i in range(0, n_rows, step)]


def block_rows(n_cols: int, block_bytes: int = BLOCK_BYTES) -> int:
    """Rows per cache block for ``n_cols`` columns (``block_bytes`` of float64).

    Examples
    --------
    >>> block_rows(20), block_rows(20, 1 << 20)
    (1638, 6553)
    """
    return max(1, block_bytes // (8 * max(1, n_cols)))


def row_ranges(X: NDArray[np.generic]) -> list[tuple[int, int]]:
    """Split the rows of ``X`` into contiguous ``(start, stop)`` chunks for the thread pool.

    Large arrays get several chunks per thread (about ``CHUNK_BYTES`` each, at most 64), so a
    thread slowed by another process on its core takes fewer chunks instead of holding up
    the call; small arrays get one chunk, run on the calling thread.

    Examples
    --------
    >>> import numpy as np
    >>> row_ranges(np.zeros((10, 3)))
    [(0, 10)]
    """
    k = threads.allowed()
    if X.size < PARALLEL_MIN_ELEMENTS or k == 1:
        return [(0, X.shape[0])]
    chunks = int(min(64, max(k, X.nbytes // CHUNK_BYTES), X.shape[0]))
    bounds = np.linspace(0, X.shape[0], chunks + 1).round().astype(int).tolist()
    return list(itertools.pairwise(bounds))


def compiled_dtype(*arrays: NDArray[np.generic]) -> bool:
    """Whether the compiled kernels can run on these arrays: float32/float64, one dtype.

    C-ordered and Fortran-ordered data run in place (:mod:`gdlab.scaling.layouts`); a strided
    view is copied block by block into a C-ordered scratch block first: a copy in cache costs
    less than NumPy's passes.

    Examples
    --------
    >>> import numpy as np
    >>> compiled_dtype(np.zeros((2, 2), order="F")), compiled_dtype(np.zeros((2, 2), np.float16))
    (True, False)
    """
    first = arrays[0].dtype
    return first in (np.float32, np.float64) and all(a.dtype == first for a in arrays)


def compiled_layout(*arrays: NDArray[np.generic]) -> bool:
    """Whether the row kernels run on the arrays in place: C-contiguous, as above.

    Examples
    --------
    >>> import numpy as np
    >>> compiled_layout(np.zeros((2, 2))), compiled_layout(np.zeros((2, 2), order="F"))
    (True, False)
    """
    first = arrays[0].dtype
    return first in (np.float32, np.float64) and all(
        a.dtype == first and a.flags.c_contiguous for a in arrays
    )


def runs(X: NDArray[np.generic]) -> list[list[slice]]:
    """Consecutive row blocks of ``X`` grouped into one run per thread (one for small ``X``).

    Examples
    --------
    >>> import numpy as np
    >>> runs(np.zeros((5, 2)))
    [[slice(0, 5, None)]]
    """
    blocks = row_blocks(X.shape[0], X.shape[1])
    k = threads.allowed() if X.size >= PARALLEL_MIN_ELEMENTS else 1
    k = min(k, len(blocks))
    bounds = np.linspace(0, len(blocks), k + 1).round().astype(int)
    return [blocks[a:b] for a, b in itertools.pairwise(bounds)]


def map_reduce(
    X: NDArray[np.generic],
    reduce_block: Callable[[NDArray[np.generic]], S],
    merge: Callable[[S, S], S],
) -> S:
    """Reduce every row block of a non-empty 2-D ``X`` and merge the partial results in order.

    Parameters
    ----------
    X : ndarray, shape (n_samples, n_features), n_samples >= 1
    reduce_block : callable
        Maps a block of rows to a partial result (statistics of those rows).
    merge : callable
        Combines the partial results of two consecutive runs of rows (associative).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(12.0).reshape(6, 2)
    >>> map_reduce(X, lambda b: b.sum(axis=0), lambda a, b: a + b)
    array([30., 36.])
    """

    def job(run: list[slice]) -> Callable[[], S]:
        def reduce_run() -> S:
            acc = reduce_block(X[run[0]])
            for block in run[1:]:
                acc = merge(acc, reduce_block(X[block]))
            return acc

        return reduce_run

    parts = threads.run_jobs([job(run) for run in runs(X)])
    acc = parts[0]
    for part in parts[1:]:
        acc = merge(acc, part)
    return acc


def scan(X: NDArray[np.generic], check: Callable[[Any], None] = check_block) -> None:
    """Run ``check`` on every row block of a non-empty 2-D ``X``, writing nothing.

    Used before an in-place transform, so that bad input raises before the caller's array
    is touched.

    Examples
    --------
    >>> import numpy as np
    >>> scan(np.array([[1.0, np.nan]]))
    >>> scan(np.array([[1.0, np.inf]]))
    Traceback (most recent call last):
    ...
    ValueError: X contains infinity in column(s) [1]; expected finite values or NaN ...
    """
    map_reduce(X, check, lambda a, b: None)
