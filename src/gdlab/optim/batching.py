"""Batches without per-step allocation: one permutation per epoch into reused buffers.

Gathering shuffled rows is most of a naive mini-batch loop's time. Here the rows are
permuted once per epoch with ``np.take(..., out=buffer)`` into a contiguous buffer, and every
batch is a view made once, at construction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

Batch = tuple[NDArray[np.float64], NDArray[Any], NDArray[np.float64]]
# Above this many batches per epoch, views are made on the fly instead of kept.
CACHED_VIEWS = 1 << 16


class Batcher:
    """Split ``n`` rows into ``ceil(n / batch_size)`` batches, the last partial one kept.

    Parameters
    ----------
    X, y : ndarray
        Validated training data (``X`` C-contiguous).
    batch_size : int or None
        Rows per batch; None means one batch of all rows (never shuffled).
    shuffle : bool
        Permute the rows at the start of every epoch with the run's generator.
    work_shape : tuple of int
        Trailing shape of the per-row scratch the model needs (``()`` or ``(k,)``).
    gather : bool
        Copy the permuted rows into the buffers (for the NumPy path); when False only
        :attr:`order` (this epoch's row order) is kept.
    weight : ndarray or None
        Row weights, permuted with the rows (:meth:`weights` gives a batch's).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(10.0).reshape(5, 2); y = np.arange(5.0)
    >>> b = Batcher(X, y, batch_size=2, shuffle=False)
    >>> b
    Batcher(n=5, batch_size=2, n_batches=3, shuffle=False)
    >>> b.epoch(np.random.default_rng(0))
    >>> [yb.tolist() for _, yb, _ in b.batches]
    [[0.0, 1.0], [2.0, 3.0], [4.0]]
    """

    def __init__(
        self,
        X: NDArray[np.float64],
        y: NDArray[Any],
        batch_size: int | None,
        shuffle: bool,
        work_shape: tuple[int, ...] = (),
        gather: bool = True,
        weight: NDArray[np.float64] | None = None,
    ) -> None:
        n = X.shape[0]
        self.n = n
        self.batch_size = n if batch_size is None else min(int(batch_size), n)
        self.shuffle = bool(shuffle) and batch_size is not None and n > 1
        self._X, self._y = X, y
        self.gather = gather
        # This epoch's order of the rows of X (shuffled runs draw a new one every epoch).
        self.order: NDArray[np.intp] = np.empty(0, np.intp) if self.shuffle else np.arange(n)
        self._weight = self._wbuf = weight
        if self.shuffle and gather:
            self._Xbuf = np.empty_like(X)
            self._ybuf = np.empty_like(y)
            if weight is not None:
                self._wbuf = np.empty_like(weight)
        else:
            self._Xbuf, self._ybuf = X, y
        self._work = np.empty((self.batch_size, *work_shape), dtype=np.float64)
        self._views: list[Batch] = []

    @property
    def n_batches(self) -> int:
        """Updates per epoch: ``ceil(n / batch_size)``."""
        return -(-self.n // self.batch_size)

    @property
    def batches(self) -> Sequence[Batch] | Iterator[Batch]:
        """``(X_view, y_view, work_view)`` per batch, into buffers refilled every epoch.

        Up to ``CACHED_VIEWS`` batches the views are built once and kept, so no epoch allocates
        them again; beyond that (tiny batches on big data) they are made as the loop asks, as
        holding millions of views would cost more memory than the data.
        """
        if self.n_batches > CACHED_VIEWS:
            return self._make_views()
        if not self._views:
            self._views = list(self._make_views())
        return self._views

    def stretch(self, start: int, stop: int) -> Sequence[Batch] | Iterator[Batch]:
        """The batches ``start..stop-1`` of this epoch (views, as :attr:`batches`)."""
        if self.n_batches <= CACHED_VIEWS:
            views = self.batches
            assert isinstance(views, list)
            return views[start:stop] if stop - start > 1 else (views[start],)
        return self._make_views(start, stop)

    def _make_views(self, start: int = 0, stop: int | None = None) -> Iterator[Batch]:
        size, Xb, yb, work = self.batch_size, self._Xbuf, self._ybuf, self._work
        end = self.n if stop is None else min(self.n, stop * size)
        for s in range(start * size, end, size):
            yield Xb[s : s + size], yb[s : s + size], work[: min(size, self.n - s)]

    def weights(self, batch: int) -> NDArray[np.float64] | None:
        """The row weights of batch ``batch`` of this epoch (None without weights)."""
        if self._wbuf is None:
            return None
        size = self.batch_size
        return self._wbuf[batch * size : (batch + 1) * size]

    @property
    def X(self) -> NDArray[np.float64]:
        """The rows in this epoch's order (the shuffled buffer, or the data itself)."""
        return self._Xbuf

    @property
    def y(self) -> NDArray[Any]:
        """The labels in this epoch's order."""
        return self._ybuf

    def __repr__(self) -> str:
        return (
            f"Batcher(n={self.n}, batch_size={self.batch_size}, n_batches={self.n_batches}, "
            f"shuffle={self.shuffle})"
        )

    def epoch(self, rng: np.random.Generator) -> None:
        """Refill the buffers for a new epoch with one permutation drawn from ``rng``."""
        if self.shuffle:
            perm = self.order = rng.permutation(self.n)
            if not self.gather:  # a compiled loop reads rows through `order` itself
                return
            # mode="clip" skips the bounds-checking buffer np.take uses with out= (the
            # permutation is in range by construction), which doubles the speed.
            np.take(self._X, perm, axis=0, out=self._Xbuf, mode="clip")
            np.take(self._y, perm, axis=0, out=self._ybuf, mode="clip")
            if self._weight is not None:
                np.take(self._weight, perm, out=self._wbuf, mode="clip")
