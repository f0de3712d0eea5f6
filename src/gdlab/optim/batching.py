"""Batches without per-step allocation: one permutation per epoch into reused buffers.

Gathering shuffled rows is most of a naive mini-batch loop's time. Here the rows are
permuted once per epoch with ``np.take(..., out=buffer)`` into a contiguous buffer, and every
batch is a view made once, at construction.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


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

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(10.0).reshape(5, 2); y = np.arange(5.0)
    >>> b = Batcher(X, y, batch_size=2, shuffle=False)
    >>> b
    Batcher(n=5, batch_size=2, n_batches=3, shuffle=False)
    >>> [yb.tolist() for _, yb, _ in b.epoch(np.random.default_rng(0))]
    [[0.0, 1.0], [2.0, 3.0], [4.0]]
    """

    def __init__(
        self,
        X: NDArray[np.float64],
        y: NDArray[Any],
        batch_size: int | None,
        shuffle: bool,
        work_shape: tuple[int, ...] = (),
    ) -> None:
        n = X.shape[0]
        self.n = n
        self.batch_size = n if batch_size is None else min(int(batch_size), n)
        self.shuffle = bool(shuffle) and batch_size is not None and n > 1
        self._X, self._y = X, y
        if self.shuffle:
            self._Xbuf = np.empty_like(X)
            self._ybuf = np.empty_like(y)
        else:
            self._Xbuf, self._ybuf = X, y
        work = np.empty((self.batch_size, *work_shape), dtype=np.float64)
        bounds = [(s, min(s + self.batch_size, n)) for s in range(0, n, self.batch_size)]
        # Views are built once; the buffers they look into are refilled every epoch.
        self.batches = [
            (self._Xbuf[s:e], self._ybuf[s:e], work[: e - s]) for s, e in bounds
        ]

    @property
    def n_batches(self) -> int:
        """Updates per epoch: ``ceil(n / batch_size)``."""
        return len(self.batches)

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

    def epoch(
        self, rng: np.random.Generator
    ) -> list[tuple[NDArray[np.float64], NDArray[Any], NDArray[np.float64]]]:
        """Refill the buffers for a new epoch (one permutation from ``rng``); return the batches.

        Each batch is ``(X_view, y_view, work_view)``.
        """
        if self.shuffle:
            perm = rng.permutation(self.n)
            np.take(self._X, perm, axis=0, out=self._Xbuf)
            np.take(self._y, perm, axis=0, out=self._ybuf)
        return self.batches
