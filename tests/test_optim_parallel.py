"""The engine's second-core paths give the same results as the single-thread ones.

Oracles: the single-thread compiled kernel itself (the iterates must be bit-for-bit equal,
as the split only changes which thread reads a row), NumPy fancy indexing for the gather,
and the model's own ``loss_grad`` for the one-pass least-squares evaluation.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

pytest.importorskip("numba")

from gdlab.models import LeastSquares, Logistic
from gdlab.optim import compiled, descend, relay, workers
from gdlab.optim.oracle import FullData
from gdlab.optim.relay import SplitGather

POOL = ThreadPoolExecutor(max_workers=1)


def _data(n: int = 5003, d: int = 6, seed: int = 0) -> tuple[Any, Any]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, X @ rng.normal(size=d) + 0.1 * rng.normal(size=n)


def test_gather_equals_fancy_indexing() -> None:
    X, y = _data()
    order = np.random.default_rng(1).permutation(len(y))
    Xout, yout = np.empty((100, X.shape[1])), np.empty(100)
    compiled.gather(X, y, order, 250, 350, Xout, yout)
    np.testing.assert_array_equal(Xout, X[order[250:350]])
    np.testing.assert_array_equal(yout, y[order[250:350]])


@pytest.mark.parametrize(
    ("model", "bs", "chunk", "b0", "b1"),
    [
        ("LeastSquares", 16, 2, 0, 313),  # last batch partial (5003 = 312 * 16 + 11)
        ("LeastSquares", 7, 3, 5, 600),  # a stretch that starts and ends mid-epoch
        ("Logistic", 32, 1, 0, 157),
    ],
)
def test_split_gather_is_bit_identical_to_the_kernel(
    model: str, bs: int, chunk: int, b0: int, b1: int
) -> None:
    X, y = _data()
    if model == "Logistic":
        y = (y > 0).astype(np.float64)
    order = np.random.default_rng(2).permutation(len(y))
    lrs = np.linspace(0.05, 0.01, -(-len(y) // bs))
    kern = compiled.kernel(model, bs)
    assert kern is not None
    split = SplitGather(kern, compiled.gather, POOL, X.shape[1], bs, chunk=chunk)
    g, rows = np.empty(X.shape[1]), np.empty((bs, X.shape[1] + 1))
    w_split, w_plain = np.zeros(X.shape[1]), np.zeros(X.shape[1])
    split.run(w_split, X, y, order, b0, b1, lrs, 0.01, g, rows)
    kern(w_plain, X, y, order, b0, b1, bs, lrs, 0.01, g, rows)
    np.testing.assert_array_equal(w_split, w_plain)
    # The same object runs again (the engine reuses it every epoch).
    split.run(w_split, X, y, order, b0, b1, lrs, 0.01, g, rows)
    kern(w_plain, X, y, order, b0, b1, bs, lrs, 0.01, g, rows)
    np.testing.assert_array_equal(w_split, w_plain)


def test_worker_failure_is_raised_not_waited_for() -> None:
    X, y = _data()
    order = np.arange(len(y))
    kern = compiled.kernel("LeastSquares", 8)
    assert kern is not None

    def broken(*args: Any) -> None:
        raise RuntimeError("gather failed")

    split = SplitGather(kern, broken, POOL, X.shape[1], 8, chunk=2)
    with pytest.raises(RuntimeError, match="gather failed"):
        split.run(
            np.zeros(6), X, y, order, 0, 600, np.full(626, 0.01), 0.0, np.empty(6), np.empty((8, 7))
        )


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_one_pass_least_squares_matches_the_model(l2: float) -> None:
    X, y = _data()
    w = np.linspace(-1.0, 1.0, X.shape[1])
    model = LeastSquares(l2=l2)
    loss, grad = FullData(model, X, y, compiled.least_squares_pass)(w)
    ref_loss, ref_grad = model.loss_grad(w, X, y)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("model", "kw"),
    [
        (LeastSquares(), {"batch_size": 16, "epochs": 3}),
        (LeastSquares(l2=0.1), {"batch_size": 5, "epochs": 2, "record": 300}),
        (Logistic(), {"batch_size": 8, "epochs": 2}),
    ],
)
def test_descend_with_and_without_the_worker(
    model: Any, kw: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks, so that small data crosses many chunk and ring boundaries.
    monkeypatch.setattr(relay, "CHUNK_BYTES", 4096)
    monkeypatch.setattr(workers, "MIN_ELEMENTS", 1)
    X, y = _data(n=20_011)
    if isinstance(model, Logistic):
        y = (y > 0).astype(np.float64)
    calls = []
    run = relay.SplitGather.run

    def counted(self: relay.SplitGather, *args: Any) -> None:
        calls.append(self.chunk)
        run(self, *args)

    monkeypatch.setattr(relay.SplitGather, "run", counted)
    with_worker = descend(model, X, y, lr=0.01, seed=4, engine="numba", **kw)
    if workers.pool() is not None:
        assert calls  # the split ran
    monkeypatch.setattr(workers, "pool", lambda: None)
    alone = descend(model, X, y, lr=0.01, seed=4, engine="numba", **kw)
    np.testing.assert_array_equal(with_worker.params, alone.params)
    np.testing.assert_array_equal(with_worker.step, alone.step)
    np.testing.assert_allclose(with_worker.loss, alone.loss, rtol=1e-13)
    assert with_worker.state["rng"] == alone.state["rng"]


def test_runs_in_two_threads_share_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(relay, "CHUNK_BYTES", 4096)
    monkeypatch.setattr(workers, "MIN_ELEMENTS", 1)
    X, y = _data(n=20_011)

    def fit(seed: int) -> Any:
        return descend(LeastSquares(), X, y, lr=0.01, epochs=2, batch_size=16, seed=seed).params

    with ThreadPoolExecutor(max_workers=2) as callers:
        together = list(callers.map(fit, [1, 2]))
    for seed, params in zip([1, 2], together, strict=True):
        np.testing.assert_array_equal(params, fit(seed))


def test_split_gather_skips_batches_wider_than_a_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    # The ring holds SLOTS chunks of at least one batch each: a batch over CHUNK_BYTES would
    # make it SLOTS whole batches (hundreds of MiB for big batches), so no worker is used.
    monkeypatch.setattr(workers, "pool", lambda: POOL)
    kern = compiled.kernel("LeastSquares", 2)
    assert kern is not None
    assert relay.split_gather(kern, 256, 20, 1_000_000) is not None
    wide = relay.CHUNK_BYTES // (8 * 21) + 1  # one batch of 20 features + y over a chunk
    assert relay.split_gather(kern, wide, 20, 1_000_000) is None


def test_worker_evaluation_raises_no_floating_point_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The start evaluation runs on the worker; NumPy's error state is per thread, so the
    # caller's silencing must travel with it (found: "overflow encountered in matmul").
    monkeypatch.setattr(workers, "MIN_ELEMENTS", 1)
    monkeypatch.setattr(workers, "pool", lambda: POOL)
    X, y = _data(n=2000, d=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="loss at the starting point"):
            descend(
                Logistic(),
                X,
                (y > 0).astype(np.float64),
                lr=0.1,
                epochs=1,
                batch_size=16,
                seed=0,
                engine="numba",
                w0=np.full(3, 1e308),
            )
