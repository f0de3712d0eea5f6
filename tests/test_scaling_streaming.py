"""Chunked partial_fit equals fit: the float64 mergeable statistics (Chan's update)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdlab.scaling import MaxAbsScaler, MinMaxScaler, RobustScaler, SigmoidScaler, StandardScaler
from gdlab.scaling.moments import Moments, column_moments

STREAMING = [StandardScaler, MinMaxScaler, MaxAbsScaler, SigmoidScaler]


def _chunks(X: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    edges = np.cumsum([0, *sizes])
    return [X[a:b] for a, b in itertools.pairwise(edges) if b > a]


def test_float32_large_offset_where_naive_one_pass_fails():
    # 1e6 + N(0, 1) in float32: E[x^2] - E[x]^2 cancels 12 digits; float32 keeps 7.
    rng = np.random.default_rng(0)
    X = (1e6 + rng.standard_normal((200_000, 3))).astype(np.float32)
    X64 = X.astype(np.float64)
    true_var = X64.var(axis=0)  # two-pass float64: the reference
    naive = np.mean(X * X, axis=0) - np.mean(X, axis=0) ** 2  # one pass, input precision
    assert np.abs(naive - true_var).max() > 0.5  # garbage, not a variance near 1

    whole = StandardScaler().fit(X)
    chunked = StandardScaler()
    for chunk in _chunks(X, [1, 999, 65_536, 7, 100_000, 33_457]):
        chunked.partial_fit(chunk)
    for s in (whole, chunked):
        np.testing.assert_allclose(s.var_, true_var, rtol=1e-9)
        np.testing.assert_allclose(s.mean_, X64.mean(axis=0), rtol=1e-14)
        assert s.n_samples_seen_ == X.shape[0]
    np.testing.assert_allclose(chunked.var_, whole.var_, rtol=1e-10)


@pytest.mark.parametrize("cls", STREAMING)
def test_partial_fit_equals_fit_with_nan(cls):
    rng = np.random.default_rng(1)
    X = rng.normal(5.0, 3.0, size=(1000, 4))
    X[rng.random(X.shape) < 0.1] = np.nan
    X[:, 3] = np.nan  # a column never observed
    X[:400, 2] = np.nan  # a column absent from the first chunks
    whole = cls(standardize=True) if cls is SigmoidScaler else cls()
    whole.fit(X)
    chunked = cls(standardize=True) if cls is SigmoidScaler else cls()
    for chunk in _chunks(X, [3, 300, 1, 500, 196]):
        chunked.partial_fit(chunk)
    for attr in ("mean_", "var_", "scale_", "data_min_", "data_max_", "max_abs_"):
        if hasattr(whole, attr):
            np.testing.assert_allclose(getattr(chunked, attr), getattr(whole, attr), rtol=1e-12)
    np.testing.assert_array_equal(np.asarray(chunked.n_samples_seen_), whole.n_samples_seen_)
    np.testing.assert_allclose(chunked.transform(X), whole.transform(X), rtol=1e-12, atol=1e-12)


def test_standard_counts_per_column_with_nan():
    X = np.array([[1.0, np.nan], [2.0, 4.0], [3.0, 6.0]])
    s = StandardScaler().fit(X)
    np.testing.assert_array_equal(s.n_samples_seen_, [3, 2])
    np.testing.assert_allclose(s.mean_, [2.0, 5.0])
    np.testing.assert_allclose(s.var_, [2 / 3, 1.0])
    assert StandardScaler().fit(X[1:]).n_samples_seen_ == 2  # same count: an int


def test_partial_fit_one_row_at_a_time():
    X = np.random.default_rng(2).normal(size=(50, 3))
    s = StandardScaler()
    for row in X:
        s.partial_fit(row[None, :])
    np.testing.assert_allclose(s.mean_, X.mean(0), rtol=1e-13)
    np.testing.assert_allclose(s.var_, X.var(0), rtol=1e-12)


def test_fit_restarts_but_partial_fit_continues():
    X = np.arange(20.0).reshape(10, 2)
    s = MinMaxScaler().fit(X[:5]).fit(X[5:])
    np.testing.assert_array_equal(s.data_min_, X[5])
    s.partial_fit(X[:5])
    np.testing.assert_array_equal(s.data_min_, X[0])
    assert s.n_samples_seen_ == 10


def test_robust_scaler_has_no_partial_fit():
    # Quantiles cannot be merged exactly; offering partial_fit would be a lie.
    assert not hasattr(RobustScaler(), "partial_fit")


@settings(max_examples=40, deadline=None)
@given(
    data=st.lists(
        st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False), min_size=2, max_size=60
    ),
    cut=st.integers(1, 59),
)
def test_moments_merge_is_fit_of_the_union(data, cut):
    X = np.array(data).reshape(-1, 1)
    cut = min(cut, len(data) - 1)
    merged = column_moments(X[:cut]).merge(column_moments(X[cut:]))
    assert merged.count[0] == len(data)
    np.testing.assert_allclose(merged.mean, X.mean(0), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(merged.var, X.var(0), rtol=1e-9, atol=1e-6)


def test_merge_with_an_empty_side_keeps_the_other():
    full = Moments.of(np.array([[1.0], [3.0]]))
    empty = Moments(np.zeros(1), np.full(1, np.nan), np.zeros(1))
    for m in (full.merge(empty), empty.merge(full)):
        np.testing.assert_array_equal([m.count[0], m.mean[0], m.var[0]], [2.0, 2.0, 1.0])


@settings(max_examples=30, deadline=None)
@given(
    rows=st.integers(2, 40),
    seed=st.integers(0, 2**16),
    offset=st.floats(-1e6, 1e6),
    spread=st.floats(1e-3, 1e3),
)
def test_inverse_undoes_transform(rows, seed, offset, spread):
    X = offset + spread * np.random.default_rng(seed).standard_normal((rows, 3))
    for scaler in (StandardScaler(), MinMaxScaler((-1, 1)), MaxAbsScaler(), RobustScaler()):
        Z = scaler.fit_transform(X)
        assert np.isfinite(Z).all()
        tol = 1e-9 * (abs(offset) + spread)
        np.testing.assert_allclose(scaler.inverse_transform(Z), X, rtol=1e-9, atol=tol)
