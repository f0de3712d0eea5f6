"""Results against oracles: scikit-learn's scalers, SciPy's sigmoid, the lesson's printed values."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.preprocessing as skp
from scipy.special import expit

from gdlab import threads
from gdlab.scaling import (
    MaxAbsScaler,
    MinMaxScaler,
    RobustScaler,
    SigmoidScaler,
    StandardScaler,
    kernels,
)
from gdlab.scaling.blocks import PARALLEL_MIN_ELEMENTS

# The lesson's array and its z-score and sigmoid exactly as printed in the seed text
# (seed/lesson-4.5-part1.zh.txt, sections 1.2 and 1.3).
A = np.arange(12).reshape(6, 2)
LESSON_Z = np.array([-1.46385011, -0.87831007, -0.29277002, 0.29277002, 0.87831007, 1.46385011])
LESSON_SIGMOID = np.array(
    [
        [0.5, 0.73105858],
        [0.88079708, 0.95257413],
        [0.98201379, 0.99330715],
        [0.99752738, 0.99908895],
        [0.99966465, 0.99987661],
        [0.9999546, 0.9999833],
    ]
)

PAIRS = [
    (StandardScaler(), skp.StandardScaler()),
    (StandardScaler(with_mean=False), skp.StandardScaler(with_mean=False)),
    (MinMaxScaler(), skp.MinMaxScaler()),
    (MinMaxScaler(feature_range=(-2, 3)), skp.MinMaxScaler(feature_range=(-2, 3))),
    (MaxAbsScaler(), skp.MaxAbsScaler()),
    (RobustScaler(), skp.RobustScaler()),
    (RobustScaler(unit_variance=True), skp.RobustScaler(unit_variance=True)),
]


def _data(n: int, d: int = 5, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    # Columns on very different scales (1e-3 .. 1e4), like the lesson's unit mismatch, each
    # offset by a few of its standard deviations.
    scale = np.logspace(-3, 4, d)
    return rng.normal(size=(n, d)) * scale + np.linspace(-3, 5, d) * scale


def _close(ours: np.ndarray, ref: np.ndarray) -> None:
    # 1e-12 relative to each column's output scale: values near zero carry only the
    # rounding of the column's magnitude, in scikit-learn's result as in ours.
    scale = np.max(np.abs(ref), axis=0)
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12 * scale.max())


def test_lesson_printed_values():
    z = StandardScaler().fit_transform(A)
    np.testing.assert_allclose(z[:, 0], LESSON_Z, atol=5e-9)
    np.testing.assert_allclose(z[:, 1], LESSON_Z, atol=5e-9)
    np.testing.assert_allclose(MinMaxScaler().fit_transform(A)[:, 0], np.linspace(0, 1, 6))
    np.testing.assert_allclose(SigmoidScaler().fit_transform(A), LESSON_SIGMOID, atol=5e-9)


@pytest.fixture
def two_threads():
    """Let the scalers split large arrays over two threads (opt-in, gdlab.threads)."""
    with threads.workers(2):
        yield


@pytest.mark.parametrize(("ours", "ref"), PAIRS, ids=lambda p: repr(p))
@pytest.mark.parametrize("n", [257, PARALLEL_MIN_ELEMENTS // 4 + 3])  # one thread, two threads
@pytest.mark.usefixtures("two_threads")
def test_matches_sklearn_float64(ours, ref, n):
    X = _data(n, d=4)
    new = _data(50, d=4, seed=1)
    ours.fit(X)
    ref.fit(X)
    for attr in (
        "mean_",
        "var_",
        "scale_",
        "data_min_",
        "data_max_",
        "min_",
        "max_abs_",
        "center_",
    ):
        if hasattr(ref, attr) and getattr(ref, attr) is not None:
            np.testing.assert_allclose(getattr(ours, attr), getattr(ref, attr), rtol=1e-12)
    _close(ours.transform(new), ref.transform(new))
    _close(ours.fit_transform(X), ref.fit_transform(X))
    _close(ours.inverse_transform(ours.transform(new)), new)


def test_minmax_clip_matches_sklearn():
    X, new = _data(100), _data(30, seed=2) * 3
    ours = MinMaxScaler(clip=True).fit(X).transform(new)
    _close(ours, skp.MinMaxScaler(clip=True).fit(X).transform(new))
    assert ours.min() == 0.0 and ours.max() == 1.0


def test_minmax_maps_extremes_exactly():
    X = _data(1000)
    z = MinMaxScaler().fit_transform(X)
    assert (z.min(axis=0) == 0.0).all()
    np.testing.assert_allclose(z.max(axis=0), 1.0, rtol=1e-15)


def test_eps_enters_the_denominator_only():
    X = _data(200)
    std = X.std(axis=0)  # ddof=0, the lesson's a.std(0)
    for eps in (0.0, 1e-3, 0.5):
        s = StandardScaler(eps=eps).fit(X)
        np.testing.assert_allclose(s.scale_, std + eps, rtol=1e-13)
        np.testing.assert_allclose(s.transform(X), (X - X.mean(0)) / (std + eps), rtol=1e-12)


def test_sigmoid_standardize_is_sigmoid_of_zscore():
    X = _data(300)
    z = (X - X.mean(0)) / X.std(0)
    np.testing.assert_allclose(SigmoidScaler(standardize=True).fit_transform(X), expit(z))
    out = SigmoidScaler(standardize=True).fit(X)
    np.testing.assert_allclose(out.inverse_transform(out.transform(X)), X, rtol=1e-9)


@pytest.mark.parametrize("layout", ["F", "strided", "no-numba"])
@pytest.mark.parametrize("cls", [StandardScaler, MinMaxScaler, MaxAbsScaler, SigmoidScaler])
def test_numpy_path_equals_compiled_path(cls, layout, monkeypatch):
    # C-ordered float32/float64 data runs the row kernels, Fortran order the column kernels,
    # strided views the row kernels on a C-ordered copy of each block, and without numba
    # everything runs NumPy code. (tests/test_scaling_layouts.py: C and F give the same bits.)
    X = _data(3000, d=6)
    X[::7, 2] = np.nan
    a = cls().fit(X)
    expected = a.transform(X)
    if layout == "no-numba":
        monkeypatch.setattr(kernels, "compiled", lambda: None)
        other = X
    else:
        other = np.asfortranarray(X) if layout == "F" else np.repeat(X, 2, axis=1)[:, ::2]
    b = cls().fit(other)
    for attr in ("mean_", "var_", "scale_", "data_min_", "data_max_"):
        if hasattr(a, attr):
            np.testing.assert_allclose(getattr(a, attr), getattr(b, attr), rtol=1e-13)
    np.testing.assert_allclose(expected, b.transform(other), rtol=1e-13, atol=1e-13)
    np.testing.assert_array_equal(np.isnan(b.transform(other)), np.isnan(X))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.float16])
def test_output_dtype_follows_input(dtype):
    X = (_data(64, d=3) / 10).astype(dtype)  # inside float16 range
    s = StandardScaler().fit(X)
    expected = np.float64 if dtype == np.int64 else dtype
    assert s.mean_.dtype == np.float64 and s.var_.dtype == np.float64
    assert s.transform(X).dtype == expected
    assert s.fit_transform(X).dtype == expected
    assert s.inverse_transform(s.transform(X)).dtype == expected
    assert MinMaxScaler().fit_transform(X).dtype == expected


def test_float32_statistics_are_float64_exact():
    X32 = _data(5000).astype(np.float32)
    s = StandardScaler().fit(X32)
    X64 = X32.astype(np.float64)
    np.testing.assert_allclose(s.mean_, X64.mean(0), rtol=1e-14)
    np.testing.assert_allclose(s.var_, X64.var(0), rtol=1e-12)
    ref = skp.StandardScaler().fit(X64).transform(X64)
    np.testing.assert_allclose(s.transform(X32), ref, rtol=2e-6, atol=2e-6)


def test_minmax_is_more_accurate_than_sklearn_far_from_zero():
    # Columns near 1e5 with a spread of 0.1: x * scale_ + min_ (scikit-learn) cancels two
    # numbers near 1e6; (x - data_min_) * scale_ does not. The oracle is the same formula
    # in extended precision (np.longdouble).
    rng = np.random.default_rng(3)
    X = 1e5 + 0.1 * rng.random((500, 3))
    exact = (X.astype(np.longdouble) - X.min(0)) / (X.max(0) - X.min(0).astype(np.longdouble))
    ours = MinMaxScaler().fit_transform(X)
    theirs = skp.MinMaxScaler().fit_transform(X)
    err_ours = np.abs(ours - exact).max()
    err_theirs = np.abs(theirs - exact).max()
    assert err_ours <= 1e-14
    assert err_ours < err_theirs


@pytest.mark.usefixtures("two_threads")
def test_forked_child_can_still_scale():
    # The thread pool is per process: a child forked after the parent used it must not wait
    # on the parent's threads.
    import multiprocessing as mp

    X = _data(PARALLEL_MIN_ELEMENTS // 4 + 3, d=4)
    StandardScaler().fit(X)  # the parent's pool exists now
    ctx = mp.get_context("fork")
    with ctx.Pool(1) as pool:
        means = pool.apply_async(_child_mean, (X,)).get(timeout=60)
    np.testing.assert_allclose(means, X.mean(axis=0), rtol=1e-12)


def _child_mean(X: np.ndarray) -> np.ndarray:
    return StandardScaler().fit(X).mean_


@pytest.mark.parametrize("cls", [StandardScaler, MinMaxScaler, MaxAbsScaler])
@pytest.mark.usefixtures("two_threads")
def test_threaded_numpy_path_equals_compiled_path(cls):
    # Large enough for two threads on both paths: Fortran order runs the column kernels.
    X = _data(PARALLEL_MIN_ELEMENTS // 4 + 3, d=4)
    X[::11, 1] = np.nan
    a, b = cls().fit(X), cls().fit(np.asfortranarray(X))
    for attr in ("mean_", "var_", "data_min_", "data_max_", "max_abs_"):
        if hasattr(a, attr):
            np.testing.assert_allclose(getattr(a, attr), getattr(b, attr), rtol=1e-13)
    Zf = b.transform(np.asfortranarray(X))
    np.testing.assert_allclose(a.transform(X), Zf, rtol=1e-13, atol=1e-13)


@pytest.mark.usefixtures("two_threads")
def test_threaded_fit_is_deterministic():
    # Threads take chunks in any order, but chunk boundaries and the merge order are fixed,
    # so refitting gives bit-identical statistics.
    X = _data(PARALLEL_MIN_ELEMENTS // 2 + 5, d=4)
    runs = [StandardScaler().fit(X) for _ in range(3)]
    for s in runs[1:]:
        np.testing.assert_array_equal(s.mean_, runs[0].mean_)
        np.testing.assert_array_equal(s.var_, runs[0].var_)


@pytest.mark.parametrize("cls", [StandardScaler, MinMaxScaler])
@pytest.mark.usefixtures("two_threads")
def test_many_chunks_equal_one_chunk(cls, monkeypatch):
    from gdlab.scaling import blocks

    X = _data(PARALLEL_MIN_ELEMENTS // 4 + 3, d=4)
    X[::13, 2] = np.nan
    monkeypatch.setattr(blocks, "PARALLEL_MIN_ELEMENTS", X.size + 1)  # one chunk, no threads
    one = cls().fit(X)
    Z_one = one.transform(X)
    monkeypatch.setattr(blocks, "PARALLEL_MIN_ELEMENTS", 1)
    monkeypatch.setattr(blocks, "CHUNK_BYTES", 1 << 16)  # the most chunks: 64
    assert len(blocks.row_ranges(X)) == 64
    many = cls().fit(X)
    for attr in ("mean_", "var_", "data_min_", "data_max_"):
        if hasattr(one, attr):
            np.testing.assert_allclose(getattr(many, attr), getattr(one, attr), rtol=1e-13)
    np.testing.assert_allclose(many.transform(X), Z_one, rtol=1e-13, atol=1e-13)
