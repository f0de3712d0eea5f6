"""The fast paths give the plain path's iterates: Gram least squares and compiled SGD."""

from __future__ import annotations

import numpy as np
import pytest

from gdlab import schedules
from gdlab.models import InterceptFreeL2, LeastSquares, Logistic, Softmax
from gdlab.optim import Accelerated, compiled, descend, full_batch

rng = np.random.default_rng(0)
X = np.c_[rng.normal(size=(60, 3)) * [0.1, 1.0, 10.0], np.ones(60)]
Y = X @ [3.0, -1.0, 0.2, 1.0] + 0.5 * rng.normal(size=60)


@pytest.mark.parametrize("method", ["gd", "momentum", "adam"])
@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_gram_path_equals_plain_path(method: str, l2: float) -> None:
    model = LeastSquares(l2=l2)
    lr = 1.0 / model.lipschitz(X)
    kw = dict(lr=lr, epochs=200, method=method, record="step")
    gram = descend(model, X, Y, engine="gram", **kw)  # type: ignore[arg-type]
    plain = descend(model, X, Y, engine="numpy", **kw)  # type: ignore[arg-type]
    assert gram.config["engine"] == "gram" and plain.config["engine"] == "numpy"
    np.testing.assert_allclose(gram.params, plain.params, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(gram.loss, plain.loss, rtol=1e-10)
    np.testing.assert_allclose(gram.grad_norm, plain.grad_norm, rtol=1e-6, atol=1e-9)


def test_gram_loss_keeps_relative_accuracy_at_a_perfect_fit() -> None:
    # Noise-free data: the optimum has loss ~0, where y'y - 2b'w + w'Gw would cancel to noise.
    y = X @ [3.0, -1.0, 0.2, 1.0]
    t = descend(LeastSquares(), X, y, lr=1.0 / LeastSquares().lipschitz(X), epochs=3000,
                engine="gram")  # fmt: skip
    direct = LeastSquares().loss(t.w, X, y)
    assert t.loss[-1] == pytest.approx(direct, rel=1e-6, abs=1e-28)
    assert (t.loss >= 0).all()


def test_auto_engine_choice() -> None:
    assert descend(LeastSquares(), X, Y, lr=0.001, epochs=1).config["engine"] == "gram"
    t = descend(LeastSquares(), X, Y, lr=0.001, epochs=1, batch_size=1, seed=0)
    assert t.config["engine"] == "numba"
    assert descend(Softmax(), X, (Y > 0).astype(int), lr=0.01, epochs=1, batch_size=1,
                   seed=0).config["engine"] == "numpy"  # fmt: skip
    assert descend(LeastSquares(), X, Y, lr=0.001, epochs=1, batch_size=1, seed=0,
                   method="momentum").config["engine"] == "numpy"  # fmt: skip


@pytest.mark.parametrize("model", [LeastSquares(), LeastSquares(l2=0.2), Logistic(0.1)], ids=repr)
@pytest.mark.parametrize(("batch_size", "lr_per"), [(1, "epoch"), (1, "step"), (7, "step")])
def test_compiled_loop_equals_numpy_loop(
    model: LeastSquares | Logistic, batch_size: int, lr_per: str
) -> None:
    y = Y if isinstance(model, LeastSquares) else (Y > 1).astype(float)
    lr = schedules.exponential(lr=0.002, gamma=0.99)
    kw = dict(lr=lr, epochs=4, batch_size=batch_size, seed=9, lr_per=lr_per, record=7)
    fast = descend(model, X, y, engine="numba", **kw)  # type: ignore[arg-type]
    slow = descend(model, X, y, engine="numpy", **kw)  # type: ignore[arg-type]
    np.testing.assert_array_equal(fast.step, slow.step)
    np.testing.assert_allclose(fast.params, slow.params, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fast.loss, slow.loss, rtol=1e-12)
    np.testing.assert_array_equal(fast.lr, slow.lr)


def test_without_numba_the_engine_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "numba", None)
    t = descend(LeastSquares(), X, Y, lr=0.001, epochs=2, batch_size=1, seed=0)
    assert t.config["engine"] == "numpy"
    with pytest.raises(ValueError, match="engine='numba' needs"):
        descend(LeastSquares(), X, Y, lr=0.001, epochs=1, batch_size=1, engine="numba")


def test_large_data_uses_blocks_with_the_same_result() -> None:
    # More rows than one cache block: the blocked full-data evaluation equals one big call.
    r = np.random.default_rng(1)
    Xb = r.normal(size=(70_000, 3))
    yb = Xb @ [1.0, 2.0, 3.0] + r.normal(size=70_000)
    model = LeastSquares(l2=0.1)
    for engine in ("numpy", "gram"):
        t = descend(model, Xb, yb, lr=0.1, epochs=3, engine=engine)
        for w, loss, gnorm in zip(t.params, t.loss, t.grad_norm, strict=True):
            assert loss == pytest.approx(model.loss(w, Xb, yb), rel=1e-12)
            assert gnorm == pytest.approx(np.linalg.norm(model.grad(w, Xb, yb)), rel=1e-8)


RULES_IN_STRETCHES = [
    pytest.param("gd", id="gd"),
    pytest.param(Accelerated(mu=0.05), id="accelerated"),
    pytest.param(Accelerated(line_search=True), id="accelerated-search"),
]


@pytest.mark.skipif(full_batch.kernel() is None, reason="numba not installed")
@pytest.mark.parametrize("rule", RULES_IN_STRETCHES)
@pytest.mark.parametrize(
    ("model", "labels"),
    [
        (LeastSquares(), Y),
        (InterceptFreeL2(Logistic(), 0.05), (Y > 1).astype(float)),
        (InterceptFreeL2(Softmax(n_classes=3), 0.05), np.digitize(Y, [0.0, 2.0])),
    ],
    ids=["gram", "logistic", "softmax"],
)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_compiled_stretches_give_the_loop_s_run(model, labels, rule, weighted) -> None:
    # record=None, nothing between epochs: stretches of epochs in one compiled call; with a
    # record per epoch the loop applies the same rule epoch by epoch in NumPy.
    weight = 0.5 + (np.arange(len(Y)) % 3) if weighted else None
    searched = getattr(rule, "line_search", False)
    kw = dict(lr=1.0 / model.lipschitz(X), epochs=3000 if searched else 300, method=rule,
              gtol_rel=1e-9, keep_best=True, sample_weight=weight)  # fmt: skip
    fast = descend(model, X, labels, record=None, **kw)
    slow = descend(model, X, labels, record="epoch", **kw)
    if searched:
        # Accepting a trial step is a threshold test: the sums' rounding may flip one, and
        # the two runs then take other steps to the same optimum.
        assert fast.status == slow.status == "converged"
        np.testing.assert_allclose(fast.w, slow.w, rtol=1e-6, atol=1e-8)
        return
    assert fast.n_epochs == slow.n_epochs and fast.status == slow.status
    np.testing.assert_allclose(fast.w, slow.w, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fast.best_w, slow.best_w, rtol=1e-9, atol=1e-12)
    assert fast.best_epoch == slow.best_epoch
    np.testing.assert_allclose(fast.loss[-1], slow.loss[-1], rtol=1e-11)


@pytest.mark.skipif(compiled.numba is None, reason="numba not installed")
@pytest.mark.parametrize("rows", [60, 70_000])  # one row block, then three
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_the_compiled_softmax_link_gives_the_model_s_loss_and_gradient(rows, weighted) -> None:
    from gdlab.optim.oracle import FullData

    gen = np.random.default_rng(5)
    A = np.c_[gen.normal(size=(rows, 3)) * [1.0, 30.0, 0.1], np.ones(rows)]
    labels = gen.integers(0, 3, size=rows)
    weight = gen.uniform(0.0, 2.0, size=rows) if weighted else None
    model = InterceptFreeL2(Softmax(n_classes=3), 0.1)
    W = gen.normal(size=(4, 3)) * 5  # large scores: the row max shift matters
    fast = FullData(model, A, labels, weight=weight, softmax=compiled.softmax_residual)(W)
    plain = FullData(model, A, labels, weight=weight)(W)
    assert fast[0] == pytest.approx(plain[0], rel=1e-12)
    np.testing.assert_allclose(fast[1], plain[1], rtol=1e-10, atol=1e-12)
