"""descend, GDRegressor and GDClassifier on Dask arrays, on a LocalCluster of processes.

The oracle is the in-memory path on the same rows (itself checked against closed forms and
scikit-learn elsewhere) and ``np.linalg.lstsq``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from dask_cluster import local_client

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")
pytest.importorskip("distributed")

from gdlab.datasets import add_intercept  # noqa: E402
from gdlab.estimators import GDClassifier, GDRegressor  # noqa: E402
from gdlab.models import InterceptFreeL2, LeastSquares, Logistic, Softmax  # noqa: E402
from gdlab.optim import descend  # noqa: E402
from gdlab.optim.dask_stepper import ChunkBatcher  # noqa: E402

client = pytest.fixture(scope="module")(local_client)


def _data(n: int = 700, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = add_intercept(rng.normal(size=(n, 3)) * [1.0, 3.0, 0.5])
    return X, X @ [1.0, -2.0, 0.5, 3.0] + 0.1 * rng.normal(size=n)


def _chunked(*arrays: np.ndarray, rows: int = 160) -> list:
    return [da.from_array(a, chunks=(rows, *a.shape[1:])) for a in arrays]


def _same(a, b, rtol: float = 1e-12) -> None:
    assert b.config["engine"] == "dask"  # ran on the chunks, not on a gathered copy
    np.testing.assert_allclose(b.loss, a.loss, rtol=rtol, atol=0)
    np.testing.assert_allclose(b.w, a.w, rtol=1e-10, atol=1e-13)
    assert (b.n_epochs, b.n_steps, b.status) == (a.n_epochs, a.n_steps, a.status)


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_full_batch_least_squares_is_the_gram_path(client, l2):
    X, y = _data()
    Xd, yd = _chunked(X, y)
    model = InterceptFreeL2(LeastSquares(), l2) if l2 else LeastSquares()
    a = descend(model, X, y, lr=0.05, epochs=30)
    b = descend(model, Xd, yd, lr=0.05, epochs=30)
    assert b.config["engine"] == "dask" and a.config["engine"] == "gram"
    _same(a, b)


@pytest.mark.parametrize("kind", ["logistic", "softmax"])
def test_full_batch_classifiers_match_in_memory(client, kind):
    X, y = _data()
    if kind == "logistic":
        model, labels = Logistic(l2=0.01), (y > 0).astype(float)
    else:
        model, labels = Softmax(n_classes=3), np.digitize(y, [-1.0, 2.0])
    Xd, yd = _chunked(X, labels)
    a = descend(model, X, labels, lr=0.3, epochs=15, method="momentum")
    b = descend(model, Xd, yd, lr=0.3, epochs=15, method="momentum")
    _same(a, b)


def test_unshuffled_mini_batches_cross_chunk_boundaries_exactly(client):
    X, y = _data()
    Xd, yd = _chunked(X, y, rows=150)  # 150 rows per chunk, 64 per batch: batches straddle
    kw = dict(lr=0.02, epochs=3, batch_size=64, shuffle=False, record="step")
    a = descend(LeastSquares(), X, y, **kw)
    b = descend(LeastSquares(), Xd, yd, **kw)
    assert b.n_steps == 3 * 11  # ceil(700 / 64), the last batch partial
    _same(a, b)


def test_shuffled_epoch_visits_every_row_once_in_a_new_order():
    n = 1000
    X = da.from_array(np.zeros((n, 2)), chunks=(170, 2))
    y = da.from_array(np.arange(n, dtype=float), chunks=170)
    batcher = ChunkBatcher(X, y, batch_size=64, shuffle=True, work_shape=())
    rng = np.random.default_rng(0)
    epochs = []
    for _ in range(2):
        batcher.epoch(rng)
        rows = np.concatenate([yb for _, yb, _ in batcher.stretch(0, batcher.n_batches)])
        epochs.append(rows)
        np.testing.assert_array_equal(np.sort(rows), np.arange(n))
    assert not np.array_equal(epochs[0], epochs[1])
    assert not np.array_equal(epochs[0], np.arange(n))


def test_shuffled_sgd_reaches_the_least_squares_optimum(client):
    rng = np.random.default_rng(1)
    X = add_intercept(rng.normal(size=(600, 2)))
    y = X @ [2.0, -1.0, 0.5]  # noiseless: constant-rate SGD converges to the exact optimum
    Xd, yd = _chunked(X, y, rows=100)
    t = descend(LeastSquares(), Xd, yd, lr=0.05, epochs=40, batch_size=8, seed=3)
    assert t.config["engine"] == "dask"
    np.testing.assert_allclose(t.w, np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-8)


def test_resume_on_dask_continues_exactly(client):
    X, y = _data()
    Xd, yd = _chunked(X, y)
    kw = dict(lr=0.01, batch_size=50, seed=5, method="adam")
    whole = descend(LeastSquares(), Xd, yd, epochs=4, **kw)
    first = descend(LeastSquares(), Xd, yd, epochs=2, **kw)
    rest = descend(LeastSquares(), Xd, yd, epochs=2, resume=first, **{**kw, "lr": None})
    np.testing.assert_array_equal(rest.w, whole.w)
    np.testing.assert_array_equal(rest.loss, whole.loss)


def test_divergence_names_the_same_stable_rate(client):
    X, y = _data()
    Xd, yd = _chunked(X, y)
    a = descend(LeastSquares(), X, y, lr=5.0, epochs=50)
    b = descend(LeastSquares(), Xd, yd, lr=5.0, epochs=50)
    assert b.status == a.status == "diverged"
    assert b.reason == a.reason


def test_refusals_name_what_is_expected():
    X, y = _data(100)
    Xd, yd = _chunked(X, y, rows=30)
    with pytest.raises(ValueError, match="validation_fraction"):
        descend(LeastSquares(), Xd, yd, lr=0.1, epochs=1, validation_fraction=0.2)
    with pytest.raises(ValueError, match="engine='numba' cannot run on a Dask array"):
        descend(LeastSquares(), Xd, yd, lr=0.1, epochs=1, batch_size=4, engine="numba")
    with pytest.raises(ValueError, match="engine='dask' cannot run on a ndarray"):
        descend(LeastSquares(), X, y, lr=0.1, epochs=1, engine="dask")
    with pytest.raises(ValueError, match="unknown chunk sizes"):
        descend(LeastSquares(), Xd[Xd[:, 0] > 0], yd, lr=0.1, epochs=1)
    with pytest.raises(ValueError, match="labels in"):
        descend(Logistic(), Xd, yd, lr=0.1, epochs=1)
    with pytest.raises(ValueError, match="Softmax\\(n_classes=k\\)"):
        descend(Softmax(), Xd, yd, lr=0.1, epochs=1)


def _never_computed(shape: tuple[int, int]):
    def boom():
        raise AssertionError("the graph was computed")

    return da.from_delayed(dask.delayed(boom)(), shape=shape, dtype=float)


def test_regressor_fits_and_predicts_lazily_on_dask(client):
    X, y = _data()
    Xd, yd = _chunked(X[:, :-1], y)
    a = GDRegressor(l2=0.1).fit(X[:, :-1], y)
    b = GDRegressor(l2=0.1).fit(Xd, yd)
    np.testing.assert_allclose(b.coef_, a.coef_, rtol=1e-10)
    assert b.intercept_ == pytest.approx(a.intercept_, rel=1e-10)
    assert b.n_iter_ == a.n_iter_ and b.n_features_in_ == 3
    pred = b.predict(_never_computed((50, 3)))  # building the prediction computes nothing
    assert isinstance(pred, da.Array) and pred.shape == (50,)
    np.testing.assert_allclose(b.predict(Xd).compute(), a.predict(X[:, :-1]), rtol=1e-10)
    with pytest.raises(ValueError, match="expecting 3 features"):
        b.predict(Xd[:, :2])


@pytest.mark.parametrize("k", [2, 3])
def test_classifier_fits_and_predicts_lazily_on_dask(client, k):
    X, y = _data()
    names = np.array(["low", "mid", "top"])[:k]
    labels = names[np.digitize(y, [0.0, 3.0][: k - 1])]
    Xd, yd = _chunked(X[:, :-1], labels)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = GDClassifier(max_iter=100).fit(X[:, :-1], labels)
        b = GDClassifier(max_iter=100).fit(Xd, yd)
    np.testing.assert_array_equal(b.classes_, a.classes_)
    np.testing.assert_allclose(b.coef_, a.coef_, rtol=1e-9, atol=1e-12)
    lazy = _never_computed((40, 3))
    for method in ("predict", "predict_proba", "predict_log_proba", "decision_function"):
        out = getattr(b, method)(lazy)
        assert isinstance(out, da.Array), method
        got, want = getattr(b, method)(Xd).compute(), getattr(a, method)(X[:, :-1])
        if method == "predict":
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def test_minibatch_auto_rate_bounds_the_largest_row(client):
    X, y = _data()
    Xd, yd = _chunked(X[:, :-1], y)
    a = GDRegressor(batch_size=32, max_iter=3, tol=None, random_state=0).fit(X[:, :-1], y)
    b = GDRegressor(batch_size=32, max_iter=3, tol=None, random_state=0).fit(Xd, yd)
    assert b.history_.lr[-1] == pytest.approx(a.history_.lr[-1], rel=1e-12)


def test_threads_scheduler_gives_the_same_run(client):
    X, y = _data()
    labels = (y > 0).astype(float)
    Xd, yd = _chunked(X, labels)
    a = descend(Logistic(), X, labels, lr=0.5, epochs=5)
    with dask.config.set(scheduler="threads"):
        b = descend(Logistic(), Xd, yd, lr=0.5, epochs=5)
    _same(a, b)
