"""Shuffled mini-batch epochs on two cores (``workers=2``): a worker gathers rows ahead of the
compiled loop.

Reading rows through a permutation is latency-bound: each row is a cache miss that the
arithmetic on it cannot hide, and it dominates a compiled mini-batch epoch. A second core
halves that wait. The epoch's batches are cut into chunks, taken in order from one counter by
both threads: the worker copies the rows of the chunks it takes into a small ring of
contiguous slots (:func:`gdlab.optim.compiled.gather`); the main thread applies every chunk in
order, reading the rows itself (through the permutation, as without a worker) when it took the
chunk, or streaming the worker's slot, which is several times cheaper. The updates are the
same kernel calls on the same rows in the same order either way, so the iterates do not
depend on the split. The ring bounds the extra memory to a few MiB. When the chunk it needs
next is still being copied, the main thread copies later chunks itself rather than idle.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.optim import workers

Array = NDArray[np.float64]
Gather = Callable[..., None]
# Bytes of rows per chunk: a slot stays in the L2/L3 cache for the main thread to stream, and
# a few hundred hand-offs per million rows cost well under a millisecond of Python.
CHUNK_BYTES = 3 << 19
# Slots in the ring: how far the worker may run ahead of the main thread.
SLOTS = 4


def chunk_batches(batch_size: int, n_features: int) -> int:
    """Batches per chunk: about ``CHUNK_BYTES`` of rows, at least one batch.

    Examples
    --------
    >>> chunk_batches(256, 21)
    34
    >>> chunk_batches(1024, 1000)
    1
    """
    return max(1, CHUNK_BYTES // (8 * batch_size * (n_features + 1)))


class SplitGather:
    """Run a compiled mini-batch kernel over batches ``b0..b1-1`` with a gathering worker.

    Parameters
    ----------
    kernel : callable
        The compiled mini-batch loop (:func:`gdlab.optim.compiled.kernel`).
    gather : callable
        :func:`gdlab.optim.compiled.gather`.
    pool : ThreadPoolExecutor
        Where the worker runs.
    n_features, batch_size : int
        Row width of ``X`` and rows per batch (shape the slots, allocated once).
    chunk : int, optional
        Batches per chunk (default :func:`chunk_batches`).

    Examples
    --------
    >>> import numpy as np
    >>> from concurrent.futures import Future, ThreadPoolExecutor
    >>> from gdlab.optim import compiled
    >>> rng = np.random.default_rng(0); X = rng.normal(size=(1000, 3)); y = X @ np.ones(3)
    >>> order, lrs = rng.permutation(1000), np.full(100, 0.05)
    >>> kern = compiled.kernel("LeastSquares", 10)
    >>> split = SplitGather(kern, compiled.gather, ThreadPoolExecutor(1), 3, 10, chunk=3)
    >>> split
    SplitGather(batch_size=10, chunk_batches=3, slots=4)
    >>> w1, w2, g, rows = np.zeros(3), np.zeros(3), np.empty(3), np.empty((10, 4))
    >>> split.run(w1, X, y, order, 0, 100, lrs, 0.0, g, rows)
    >>> kern(w2, X, y, order, 0, 100, 10, lrs, 0.0, g, rows)
    >>> bool(np.array_equal(w1, w2))
    True
    """

    def __init__(
        self,
        kernel: Callable[..., None],
        gather: Gather,
        pool: ThreadPoolExecutor,
        n_features: int,
        batch_size: int,
        chunk: int | None = None,
    ) -> None:
        self.kernel, self.gather, self.pool = kernel, gather, pool
        self.bs = batch_size
        self.chunk = chunk_batches(batch_size, n_features) if chunk is None else chunk
        rows = self.chunk * batch_size
        self._X = np.empty((SLOTS, rows, n_features))
        self._y = np.empty((SLOTS, rows))
        self._ident = np.arange(rows)  # a slot's rows are already in batch order
        self._lock = threading.Condition()
        self._next = 0  # the first chunk neither thread has taken
        self._current = 0  # the chunk the main thread applies; slots of older ones are free
        self._ready: list[threading.Event] = []
        # The stretch being run: X, y, order, b0, b1.
        self._job: tuple[Array, NDArray[Any], NDArray[np.intp], int, int] = (
            self._X[0, :0],
            self._y[0, :0],
            self._ident[:0],
            0,
            0,
        )

    def __repr__(self) -> str:
        return f"SplitGather(batch_size={self.bs}, chunk_batches={self.chunk}, slots={SLOTS})"

    def _rows(self, c: int, b0: int, b1: int, n: int) -> tuple[int, int, int, int]:
        """Batches ``[cb0, cb1)`` of chunk ``c`` and their rows ``[r0, r1)``."""
        cb0 = b0 + c * self.chunk
        cb1 = min(cb0 + self.chunk, b1)
        return cb0, cb1, cb0 * self.bs, min(cb1 * self.bs, n)

    def _take(self, c: int | None = None, block: bool = True) -> int | None:
        """Take chunk ``c``, or the next chunk that has a free slot (waiting for one if
        ``block``); None when it is taken already or there is none."""
        with self._lock:
            if c is None:
                while block and self._next < len(self._ready) and self._full():
                    self._lock.wait()
                if self._next >= len(self._ready) or self._full():
                    return None
            elif self._next != c:
                return None
            taken = self._next
            self._next += 1
            return taken

    def _full(self) -> bool:
        return self._next >= self._current + SLOTS

    def _fill(self, c: int) -> None:
        """Copy chunk ``c``'s rows into its slot and say it is ready."""
        X, y, order, b0, b1 = self._job
        _, _, r0, r1 = self._rows(c, b0, b1, order.shape[0])
        self.gather(X, y, order, r0, r1, self._X[c % SLOTS], self._y[c % SLOTS])
        self._ready[c].set()

    def _work(self) -> None:
        while (c := self._take()) is not None:
            self._fill(c)

    def run(
        self,
        w: Array,
        X: Array,
        y: NDArray[Any],
        order: NDArray[np.intp],
        b0: int,
        b1: int,
        lrs: Array,
        l2: float,
        g: Array,
        rows: Array,
    ) -> None:
        """Apply batches ``b0..b1-1`` in place, as ``kernel(w, X, y, order, b0, b1, ...)``."""
        n = order.shape[0]
        n_chunks = -(-(b1 - b0) // self.chunk)
        self._job = (X, y, order, b0, b1)
        self._next, self._current = 0, 0
        self._ready = [threading.Event() for _ in range(n_chunks)]
        worker = self.pool.submit(self._work)
        try:
            for c in range(n_chunks):
                cb0, cb1, r0, r1 = self._rows(c, b0, b1, n)
                if self._take(c) is not None:  # not copied: read through the permutation
                    self.kernel(w, X, y, order, cb0, cb1, self.bs, lrs, l2, g, rows)
                else:
                    self._wait(c, worker)
                    Xs, ys, ident = self._X[c % SLOTS], self._y[c % SLOTS], self._ident[: r1 - r0]
                    self.kernel(w, Xs, ys, ident, 0, cb1 - cb0, self.bs, lrs[cb0:cb1], l2, g, rows)
                with self._lock:
                    self._current = c + 1
                    self._lock.notify()
        finally:
            with self._lock:  # stop the worker even if the loop failed half-way
                self._next = n_chunks
                self._lock.notify()
            if not worker.cancel():  # still queued (another run holds the worker): drop it
                worker.result()

    def _wait(self, c: int, worker: Future[None]) -> None:
        """Until the worker has filled chunk ``c``, fill later chunks here rather than idle."""
        while not self._ready[c].is_set():
            ahead = self._take(block=False)
            if ahead is not None:
                self._fill(ahead)
            elif not self._ready[c].wait(0.1) and worker.done():
                worker.result()  # the worker failed: raise its error here


def split_gather(
    kernel: Callable[..., None], batch_size: int, n_features: int, n_rows: int
) -> SplitGather | None:
    """A :class:`SplitGather` for a shuffled compiled mini-batch run, or None where it is not
    asked for (``workers=2``) or cannot help: one CPU, batches of one row (that loop reads
    rows in place), an epoch shorter than two chunks, or a batch larger than a chunk (the ring
    would hold ``SLOTS`` whole batches, far more than a few MiB).

    Examples
    --------
    >>> split_gather(print, 256, 20, 100) is None
    True
    """
    pool = workers.pool()
    chunk = chunk_batches(batch_size, n_features)
    too_wide = 8 * batch_size * (n_features + 1) > CHUNK_BYTES
    if pool is None or batch_size < 2 or too_wide or -(-n_rows // batch_size) < 2 * chunk:
        return None
    from gdlab.optim import compiled  # numba is loaded already: a kernel exists

    return SplitGather(kernel, compiled.gather, pool, n_features, batch_size, chunk)
