"""Descent on Dask arrays: the data stay chunked on the scheduler's workers, ``w`` on the caller.

:func:`gdlab.optim.descend` takes a ``dask.array.Array`` (rows in chunks, all columns in each)
and runs the same loop, records and Trajectory as on NumPy data; only how the data are read
changes, by batch mode:

- full-batch least squares: one distributed pass for ``X^T X`` and ``X^T y`` (and one for the
  exact loss at the optimum), then every update costs O(d^2) on the caller, as on the Gram
  path (:class:`~gdlab.optim.oracle.GramLeastSquares`);
- full-batch logistic and softmax: the chunks are persisted on the workers, and each update's
  loss and gradient is a map-reduce over them (per chunk ``sum l`` and ``X_c^T r_c``);
- mini-batches and SGD: the chunks stream to the caller one at a time, in a new random order
  every epoch, their rows shuffled within the chunk (see :class:`ChunkBatcher`).

Dask is imported only here, and only once a Dask array is passed; every scheduler works
(threads, processes or a ``distributed.Client``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.models import Model
from gdlab.optim.batching import Batch
from gdlab.optim.options import Options
from gdlab.optim.oracle import GramLeastSquares
from gdlab.optim.steppers import NumpyStepper
from gdlab.optim.stopping import divergence_reference

Array = NDArray[np.float64]


def as_matrix(X: Any, owner: str) -> Any:
    """``X`` (a Dask array or DataFrame) as a float64 Dask array with known row chunks, each
    holding all the columns; ValueError naming ``owner`` when that cannot be."""
    import dask.array as da

    from gdlab.dask_types import is_dask_dataframe

    if is_dask_dataframe(X):
        X = X.to_dask_array(lengths=True)
    if not isinstance(X, da.Array):
        X = da.asarray(X)
    if np.iscomplexobj(np.empty(0, X.dtype)):
        raise ValueError(f"{owner} expects real features, got a complex array.")
    if X.ndim != 2 or X.shape[1] == 0:
        raise ValueError(
            f"{owner} expects X as a 2-D array (n_samples, n_features) with at least one "
            f"column, got shape {X.shape}."
        )
    if any(np.isnan(c) for c in X.chunks[0]):
        raise ValueError(
            "X has unknown chunk sizes (rows per chunk); call X.compute_chunk_sizes(), or build "
            "it with DataFrame.to_dask_array(lengths=True)."
        )
    X = X.astype(np.float64)
    return X.rechunk({1: -1}) if len(X.chunks[1]) > 1 else X


def check(model: Model, X: Any, y: Any, options: Options) -> tuple[Any, Any]:
    """``X`` as :func:`as_matrix` makes it, ``y`` as a Dask array chunked like its rows, its
    labels checked lazily (chunk by chunk, as they are read) by ``model.check_y``."""
    import dask.array as da

    from gdlab.dask_types import is_dask

    if options.validation_fraction is not None:
        raise ValueError(
            "validation_fraction is not available on Dask arrays (holding out random rows "
            "would gather them); split off a validation set first and pass "
            "validation_fraction=None."
        )
    if model.family == "Softmax" and getattr(getattr(model, "base", model), "n_classes", 0) is None:
        # The parameters' shape would need max(y): a pass over the labels before the run.
        raise ValueError(
            "Softmax on Dask data needs the number of classes up front: pass "
            "Softmax(n_classes=k) (GDClassifier does so itself)."
        )
    X = as_matrix(X, type(model).__name__)
    if is_dask(y) and hasattr(y, "to_dask_array"):  # a Dask Series or one-column DataFrame
        y = y.to_dask_array(lengths=True)
    if not isinstance(y, da.Array):
        y = da.from_array(np.asarray(y), chunks=(X.chunks[0],) + ((1,) if np.ndim(y) == 2 else ()))
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        n = X.shape[0]
        raise ValueError(f"y must have shape ({n},) or ({n}, 1) to match X, got {y.shape}.")
    y = y.rechunk((X.chunks[0],))
    dtype = model.check_y(np.zeros(1), 1).dtype
    return X, y.map_blocks(_checked_labels, model, dtype=dtype)


def _checked_labels(block: NDArray[Any], model: Model) -> NDArray[Any]:
    return model.check_y(block, block.shape[0])


# -- map-reduce pieces: each runs on a worker, on one chunk ------------------------------------
def _loss_grad_part(model: Model, w: Array, X: Array, y: NDArray[Any], grad: bool) -> Any:
    value, r = model.link(X @ w, model.target(y), residual=grad)
    total = value * X.shape[0]
    if not grad:
        return total, None
    assert r is not None
    return total, (X.T @ r) * model.residual_scale


def _gram_part(X: Array, y: NDArray[Any] | None = None) -> tuple[Array, Array | None]:
    return X.T @ X, None if y is None else X.T @ y


def _row_norms_max(X: Array) -> float:
    return float(np.einsum("ij,ij->i", X, X).max(initial=0.0))


class DaskFullData:
    """``f(w)`` and its gradient over all rows of a Dask array, one map-reduce per call.

    Each chunk returns its summed loss and ``c X_c^T r_c``; the caller adds them and divides by
    ``n``, then adds the penalty once, as :class:`~gdlab.optim.oracle.FullData` does.
    """

    def __init__(self, model: Model, X: Any, y: Any) -> None:
        self.model, self.n = model, int(X.shape[0])
        self.parts = list(zip(X.to_delayed().ravel(), y.to_delayed().ravel(), strict=True))

    def __repr__(self) -> str:
        return f"DaskFullData(model={self.model!r}, n={self.n}, chunks={len(self.parts)})"

    def _reduce(self, w: Array, grad: bool) -> tuple[float, Array | None]:
        import dask

        task = dask.delayed(_loss_grad_part, pure=True)
        parts = dask.compute(*(task(self.model, w, Xc, yc, grad) for Xc, yc in self.parts))
        loss = sum(p[0] for p in parts) / self.n
        if not grad:
            return loss, None
        g = np.sum([p[1] for p in parts], axis=0) / self.n
        return loss, np.asarray(g, dtype=np.float64)

    def __call__(self, w: Array) -> tuple[float, Array]:
        loss, g = self._reduce(w, grad=True)
        assert g is not None
        self.model.penalty.add_grad(w, g)
        return loss + self.model.penalty.value(w), g

    def loss(self, w: Array) -> float:
        """``f(w)`` alone."""
        return float(self._reduce(w, grad=False)[0]) + self.model.penalty.value(w)

    def gram(self) -> tuple[Array, Array]:
        """``X^T X`` and ``X^T y``, one pass over the chunks."""
        import dask

        task = dask.delayed(_gram_part, pure=True)
        parts = dask.compute(*(task(Xc, yc) for Xc, yc in self.parts))
        return np.sum([p[0] for p in parts], axis=0), np.sum([p[1] for p in parts], axis=0)


def rows_with_gram(G: Array, n: int) -> Array:
    """A ``d x d`` matrix ``R`` with ``R^T R / d == G / n``: it stands for ``n`` rows of ``X``
    wherever only ``X^T X / n`` matters (``model.lipschitz``), without reading them again."""
    lam, V = np.linalg.eigh(G / n)
    d = G.shape[0]
    return np.asarray(np.sqrt(d * np.clip(lam, 0.0, None))[:, None] * V.T)


def lipschitz(model: Model, X: Any, batch: bool) -> float:
    """``model.lipschitz`` of a Dask array, in one pass: of all rows (``X^T X``), or for
    ``batch`` of the row of largest norm (bounding every mini-batch's curvature)."""
    import dask

    if batch:
        parts = dask.compute(*(dask.delayed(_row_norms_max)(c) for c in X.to_delayed().ravel()))
        row = np.zeros((1, X.shape[1]))
        row[0, 0] = np.sqrt(max(parts))  # only the row's norm enters the bound
        return model.lipschitz(row)
    parts = dask.compute(*(dask.delayed(_gram_part)(c) for c in X.to_delayed().ravel()))
    G = np.sum([p[0] for p in parts], axis=0)
    return model.lipschitz(rows_with_gram(G, int(X.shape[0])))


class ChunkBatcher:
    """The batches of an epoch, streamed chunk by chunk to the caller.

    Each epoch draws a random order of the chunks and, per chunk, a seed for the order of its
    rows; a chunk is fetched when the batches reach it, its rows permuted, and batches taken
    from it in turn (a batch may span the end of one chunk and the start of the next). Only
    one chunk (and a partial batch) is held at a time. There are ``ceil(n / batch_size)``
    batches, the last partial, as on in-memory data.

    This is not one global permutation of the rows: rows of one chunk always land in the same
    stretch of the epoch, so two rows from different chunks are never in one batch (except at
    a chunk boundary). When the chunks are exchangeable (the rows were not stored sorted by
    the target or by a feature), each batch is still a uniform sample and convergence is that
    of ordinary shuffled SGD. When the storage order carries structure (files sorted by date
    or label), the gradients of consecutive batches are correlated within a chunk, which
    acts like a larger effective step along that chunk's direction: the loss oscillates from
    chunk to chunk, and a smaller rate (or smaller chunks, or shuffling the data once on
    disk) restores the in-memory behaviour. Without ``shuffle`` the order is the rows' own.
    """

    def __init__(
        self, X: Any, y: Any, batch_size: int | None, shuffle: bool, work_shape: tuple[int, ...]
    ) -> None:
        n = int(X.shape[0])
        self.n = n
        self.full = batch_size is None
        self.batch_size = n if batch_size is None else min(int(batch_size), n)
        self.shuffle = bool(shuffle) and batch_size is not None and n > 1
        self.sizes = [int(c) for c in X.chunks[0]]
        self._chunks = list(zip(X.to_delayed().ravel(), y.to_delayed().ravel(), strict=True))
        self.order: NDArray[np.intp] = np.arange(len(self.sizes))
        self.seeds: NDArray[np.int64] | None = None
        self._work = np.empty((self.batch_size, *work_shape), dtype=np.float64)
        self._queue: Iterator[int] = iter(())
        self._X = np.empty((0, X.shape[1]))
        self._y: NDArray[Any] = np.empty(0, y.dtype)
        self._at = 0

    def __repr__(self) -> str:
        return (
            f"ChunkBatcher(n={self.n}, batch_size={self.batch_size}, n_batches="
            f"{self.n_batches}, chunks={len(self.sizes)}, shuffle={self.shuffle})"
        )

    @property
    def n_batches(self) -> int:
        """Updates per epoch: ``ceil(n / batch_size)``."""
        return -(-self.n // self.batch_size)

    def epoch(self, rng: np.random.Generator) -> None:
        """Draw this epoch's chunk order and row seeds (all from ``rng``, at the epoch start,
        so a saved generator state resumes exactly)."""
        if self.shuffle:
            self.order = rng.permutation(len(self.sizes))
            self.seeds = rng.integers(0, np.iinfo(np.int64).max, size=len(self.sizes))
        self._queue = iter(self.order.tolist())
        self._X, self._y, self._at = self._X[:0], self._y[:0], 0

    def _fetch(self) -> None:
        import dask

        index = next(self._queue)
        Xc, yc = dask.compute(*self._chunks[index])
        if self.seeds is not None:
            perm = np.random.default_rng(int(self.seeds[index])).permutation(Xc.shape[0])
            Xc, yc = Xc[perm], yc[perm]
        rest_X, rest_y = self._X[self._at :], self._y[self._at :]
        if rest_X.shape[0]:
            Xc, yc = np.concatenate((rest_X, Xc)), np.concatenate((rest_y, yc))
        self._X, self._y, self._at = np.ascontiguousarray(Xc), np.ascontiguousarray(yc), 0

    def weights(self, batch: int) -> None:
        """No row weights on Dask data (they are refused before a run starts)."""
        return None

    def stretch(self, start: int, stop: int) -> Iterator[Batch]:
        """The batches ``start..stop-1`` of this epoch (asked for in order)."""
        size = self.batch_size
        for b in range(start, stop):
            if self.full:  # the full-batch update reads the full-data gradient, not rows
                yield self._X, self._y, self._work
                continue
            m = min(size, self.n - b * size)
            while self._X.shape[0] - self._at < m:
                self._fetch()
            s = self._at
            self._at += m
            yield self._X[s : s + m], self._y[s : s + m], self._work[:m]


class DaskStepper(NumpyStepper):
    """Any model and rule on a Dask array: the NumPy stepper's updates, data read by chunk."""

    name = "dask"
    needs = "X as a Dask array"

    def __init__(
        self, model: Model, X: Any, y: Any, options: Options, w: Array, weight: Any = None
    ) -> None:
        # Row weights are refused before a run starts (gdlab.optim.weights.row_weights).
        assert weight is None
        import dask

        self.weight = None
        self.model, self.rule, self.full_batch = model, options.rule, options.full_batch
        self.gram = model.family == "LeastSquares" and self.full_batch
        if self.full_batch and not self.gram:  # every update reads all chunks: keep them
            X, y = dask.persist(X, y)
        self.X, self.y = X, y
        self.rows = DaskFullData(model, X, y)
        self.oracle = self.rows  # type: ignore[assignment]
        if self.gram:
            G, b = self.rows.gram()
            self.oracle = GramLeastSquares.from_sums(model, G, b, self.rows.n, self.rows.loss)
        self.batcher = ChunkBatcher(  # type: ignore[assignment]
            X, y, options.batch_size, options.shuffle, work_shape=w.shape[1:]
        )
        self.g = np.empty_like(w)
        self.g_shape = w.shape[1:]
        self.cached = None

    def __repr__(self) -> str:
        return f"DaskStepper(model={self.model!r}, batches={self.batcher!r})"

    def curvature(self) -> float:
        if isinstance(self.oracle, GramLeastSquares):
            return float(np.linalg.eigvalsh(self.oracle.H)[-1])
        return lipschitz(self.model, self.X, batch=False)

    def batch_curvature(self) -> float:
        return lipschitz(self.model, self.X, batch=True)

    def reference(self, w0: Array, loss0: float) -> float:
        return divergence_reference(self.rows.loss, w0, loss0)
