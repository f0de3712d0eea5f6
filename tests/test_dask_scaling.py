"""The scalers on Dask arrays and DataFrames, on a LocalCluster of worker processes.

Oracle: the same scaler fitted on the same rows as a NumPy array (itself checked against
scikit-learn and closed forms elsewhere); for the data larger than memory, the parameters the
rows were drawn with.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dask_cluster import N_WORKERS, WORKER_MEMORY, local_client

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
dask = pytest.importorskip("dask")
pytest.importorskip("distributed")

from gdlab.scaling import (  # noqa: E402
    MaxAbsScaler,
    MinMaxScaler,
    RobustScaler,
    SigmoidScaler,
    StandardScaler,
)

client = pytest.fixture(scope="module")(local_client)

SCALERS = {
    "standard": (StandardScaler, ("mean_", "var_", "scale_")),
    "standard-eps": (lambda: StandardScaler(with_mean=False, eps=0.1), ("var_", "scale_")),
    "minmax": (lambda: MinMaxScaler(feature_range=(-1, 2)), ("data_min_", "data_max_", "scale_")),
    "maxabs": (MaxAbsScaler, ("max_abs_", "scale_")),
    "sigmoid-z": (lambda: SigmoidScaler(standardize=True), ("mean_", "var_", "scale_")),
    "sigmoid": (SigmoidScaler, ("mean_", "var_", "scale_")),
}


def _data(n: int = 5000, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5)) * [1.0, 10.0, 1e3, 1e-3, 2.0] + [0.5, -5.0, 1e6, 1.0, 0.0]
    X[::7, 1] = np.nan  # missing values: ignored by fit, kept by transform
    X[:, 4] = 7.0  # a constant column
    return X


def _same_fit(a, b, attrs) -> None:
    np.testing.assert_array_equal(np.asarray(b.n_samples_seen_), np.asarray(a.n_samples_seen_))
    assert b.n_features_in_ == a.n_features_in_
    for name in attrs:
        want, got = getattr(a, name), getattr(b, name)
        if name == "mean_":  # a mean near 0 is exact relative to its column's spread
            spread = np.sqrt(a.var_) + np.abs(want)
            np.testing.assert_array_less(np.abs(got - want), 1e-12 * spread + 1e-300)
        else:
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=0, err_msg=name)


@pytest.mark.parametrize("name", sorted(SCALERS))
def test_fit_equals_the_numpy_fit_and_transform_is_lazy(client, name):
    make, attrs = SCALERS[name]
    X = _data()
    Xd = da.from_array(X, chunks=(700, 2))  # uneven row chunks, columns split too
    a, b = make().fit(X), make().fit(Xd)
    _same_fit(a, b, attrs)
    out = b.transform(Xd)
    assert isinstance(out, da.Array) and out.chunks[0] == Xd.chunks[0]
    np.testing.assert_allclose(out.compute(), a.transform(X), rtol=1e-12, atol=1e-12)
    back = b.inverse_transform(out)
    assert isinstance(back, da.Array)
    np.testing.assert_allclose(back.compute(), a.inverse_transform(a.transform(X)), rtol=1e-10)


@pytest.mark.parametrize("name", ["standard", "minmax", "maxabs"])
def test_partial_fit_continues_a_fit_across_numpy_and_dask(client, name):
    make, attrs = SCALERS[name]
    X = _data()
    a = make().fit(X)
    b = make().partial_fit(X[:1200]).partial_fit(da.from_array(X[1200:], chunks=900))
    _same_fit(a, b, attrs)


def test_one_graph_one_pass(client):
    # Each chunk is read once: a fit computes every source task exactly once.
    X = _data(3000)
    reads = []

    def load(i):
        reads.append(i)
        return X[i * 500 : (i + 1) * 500]

    parts = [da.from_delayed(dask.delayed(load)(i), (500, 5), float) for i in range(6)]
    Xd = da.concatenate(parts)
    with dask.config.set(scheduler="sync"):  # the counter lives in this process
        s = StandardScaler().fit(Xd)
    assert sorted(reads) == list(range(6))
    _same_fit(StandardScaler().fit(X), s, ("mean_", "var_", "scale_"))


def test_transform_builds_without_computing(client):
    def boom():
        raise AssertionError("the graph was computed")

    s = StandardScaler().fit(_data())
    lazy = da.from_delayed(dask.delayed(boom)(), shape=(100, 5), dtype=float)
    assert isinstance(s.transform(lazy), da.Array)
    assert isinstance(s.inverse_transform(lazy), da.Array)


def test_dataframe_keeps_columns_and_divisions(client):
    X = _data(2000)
    frame = pd.DataFrame(X, columns=list("abcde"), index=pd.RangeIndex(2000))
    ddf = dd.from_pandas(frame, npartitions=4)
    a, b = StandardScaler().fit(frame), StandardScaler().fit(ddf)
    _same_fit(a, b, ("mean_", "var_", "scale_"))
    assert list(b.feature_names_in_) == list("abcde")
    out = b.transform(ddf)
    assert isinstance(out, dd.DataFrame)
    assert list(out.columns) == list("abcde") and out.divisions == ddf.divisions
    want = pd.DataFrame(a.transform(frame), columns=list("abcde"))
    pd.testing.assert_frame_equal(out.compute(), want, rtol=1e-12)
    both = StandardScaler().fit_transform(ddf)
    assert isinstance(both, dd.DataFrame) and both.divisions == ddf.divisions
    pd.testing.assert_frame_equal(both.compute(), want, rtol=1e-12)
    with pytest.raises(ValueError, match="feature names should match"):
        b.transform(ddf.rename(columns={"a": "z"}))


@pytest.mark.parametrize("name", ["standard", "minmax", "maxabs"])
def test_dataframe_of_float32_and_float64_columns(client, name):
    # Partitions are read column by column where pandas keeps them (no float64 copy first);
    # the results are those of the pandas DataFrame in memory.
    make, attrs = SCALERS[name]
    X = _data(3000)
    frame = pd.DataFrame(X, columns=list("abcde")).astype({"a": np.float32, "c": np.float32})
    ddf = dd.from_pandas(frame, npartitions=3)
    a, b = make().fit(frame), make().fit(ddf)
    _same_fit(a, b, attrs)
    out = b.transform(ddf).compute()
    assert (out.dtypes == np.float64).all() and list(out.columns) == list("abcde")
    np.testing.assert_allclose(out.to_numpy(), a.transform(frame), rtol=1e-12, atol=1e-12)


def test_robust_quantiles_are_approximate_but_close(client):
    X = _data(20000)
    a = RobustScaler().fit(X)
    b = RobustScaler().fit(da.from_array(X, chunks=(4000, 5)))
    # Merged per-chunk quantiles: within half a percent of each column's IQR.
    iqr = a.scale_
    assert np.all(np.abs(b.center_ - a.center_) <= 0.005 * iqr)
    assert np.all(np.abs(b.scale_ - a.scale_) <= 0.005 * iqr)
    assert not np.array_equal(b.center_, a.center_)  # approximate, as documented
    one = RobustScaler().fit(da.from_array(X, chunks=(20000, 5)))  # one chunk: exact
    np.testing.assert_allclose(one.center_, a.center_, rtol=1e-12)


def test_refusals(client):
    Xd = da.from_array(_data(100), chunks=50)
    with pytest.raises(ValueError, match="sample_weight"):
        StandardScaler().fit(Xd, sample_weight=np.ones(100))
    bad = da.from_array(np.array([[1.0, np.inf]] * 10), chunks=5)
    with pytest.raises(ValueError, match="inf"):
        StandardScaler().fit(bad)
    s = StandardScaler().fit(Xd)
    with pytest.raises(ValueError, match="expecting 5 features"):
        s.transform(Xd[:, :3])


def test_fit_of_data_three_times_larger_than_the_workers_memory(client):
    workers = set(client.scheduler_info()["workers"])
    cols = 20
    total = 3.2 * N_WORKERS * WORKER_MEMORY  # bytes: over three times what the workers may hold
    rows = int(total // (8 * cols))
    chunk = (20 * 2**20) // (8 * cols)  # 20 MiB chunks, generated where they are used
    X = da.random.default_rng(7).normal(3.0, 2.0, size=(rows, cols), chunks=(chunk, cols))
    assert X.nbytes >= 3 * N_WORKERS * WORKER_MEMORY
    s = StandardScaler().fit(X)
    assert s.n_samples_seen_ == rows
    # The sampling error of a mean of `rows` draws is 2 / sqrt(rows) ~ 3e-4.
    np.testing.assert_allclose(s.mean_, 3.0, atol=3e-3)
    np.testing.assert_allclose(s.scale_, 2.0, atol=3e-3)
    assert set(client.scheduler_info()["workers"]) == workers  # no worker died or restarted


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_local_schedulers_give_the_same_fit(client, scheduler):
    X = _data(3000)
    with dask.config.set(scheduler=scheduler):  # in place of the cluster's client
        b = MinMaxScaler().fit(da.from_array(X, chunks=(700, 5)))
        out = b.transform(da.from_array(X, chunks=(700, 5))).compute()
    a = MinMaxScaler().fit(X)
    _same_fit(a, b, ("data_min_", "data_max_", "scale_"))
    np.testing.assert_allclose(out, a.transform(X), rtol=1e-12, atol=1e-15)
