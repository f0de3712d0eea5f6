"""Every layout gives the C-ordered results: Fortran order, float32, DataFrames, threads.

The compiled kernels read C-ordered rows and column-major data (Fortran-ordered arrays, a
DataFrame's columns where pandas keeps them) with the same blocks, lanes and merges, so the
statistics and the transformed values are the same bits whatever the layout. float32 data
gives the statistics of its values in float64 exactly; its transform is computed in float32
(see the tolerance below).
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest

from gdlab import threads
from gdlab.scaling import MaxAbsScaler, MinMaxScaler, StandardScaler, columns, kernels
from gdlab.scaling.blocks import PARALLEL_MIN_ELEMENTS

SCALERS = [StandardScaler, MinMaxScaler, MaxAbsScaler]
ATTRS = ("mean_", "var_", "scale_", "data_min_", "data_max_", "max_abs_", "min_")
ROWS = columns.FRAME_MIN_ROWS + 1001  # a DataFrame this long is read column by column
needs_numba = pytest.mark.skipif(kernels.compiled() is None, reason="numba is not installed")


def _data(n: int = ROWS, d: int = 6, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * np.logspace(-2, 3, d) + np.linspace(-50, 1e4, d)
    X[::37, 2] = np.nan  # missing values in many blocks of one column
    X[: n // 3, 3] = np.nan  # and a column missing for its first third
    return X


def _names(d: int) -> list[str]:
    return [f"x{j}" for j in range(d)]


def _mixed(X: np.ndarray) -> pd.DataFrame:
    # float32 and float64 columns alternate: pandas keeps one block per dtype.
    kinds = [np.float32 if j % 2 == 0 else np.float64 for j in range(X.shape[1])]
    return pd.DataFrame({n: X[:, j].astype(kinds[j]) for j, n in enumerate(_names(X.shape[1]))})


def _assert_same(a, b, A, B) -> None:
    for attr in ATTRS:
        if hasattr(a, attr):
            np.testing.assert_array_equal(getattr(a, attr), getattr(b, attr), err_msg=attr)
    np.testing.assert_array_equal(a.transform(A), b.transform(B))
    np.testing.assert_array_equal(a.transform(A), type(b)().fit_transform(B))


LAYOUTS = {
    "F": np.asfortranarray,
    "DataFrame": lambda X: pd.DataFrame(X, columns=_names(X.shape[1])),
    # Columns added one at a time: several blocks, so np.asarray would copy.
    "DataFrame, added column by column": lambda X: pd.concat(
        [pd.DataFrame({n: X[:, j]}) for j, n in enumerate(_names(X.shape[1]))], axis=1
    ),
    # Built on the C-ordered array without a copy: strided columns, read as that array.
    "DataFrame on C order": lambda X: pd.DataFrame(X, columns=_names(X.shape[1]), copy=False),
}


@needs_numba
@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("cls", SCALERS)
def test_every_float64_layout_gives_the_c_ordered_bits(cls, layout):
    X = _data()
    data = LAYOUTS[layout](X)
    _assert_same(cls().fit(X), cls().fit(data), X, data)


@needs_numba
@pytest.mark.parametrize("cls", SCALERS)
def test_a_dataframe_of_float32_and_float64_columns_gives_the_bits_of_its_float64_array(cls):
    frame = _mixed(_data())
    X = np.ascontiguousarray(frame.to_numpy())  # what scikit-learn converts it to: float64
    _assert_same(cls().fit(X), cls().fit(frame), X, frame)


@needs_numba
@pytest.mark.parametrize("cls", SCALERS)
def test_fortran_float32_gives_the_c_ordered_float32_bits(cls):
    X = _data().astype(np.float32)
    _assert_same(cls().fit(X), cls().fit(np.asfortranarray(X)), X, np.asfortranarray(X))


@needs_numba
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("cls", SCALERS)
def test_float32_statistics_are_those_of_its_values_in_float64(cls, order):
    # float32 values are float64 values exactly, and the statistics are accumulated in float64
    # with the same arithmetic: the same bits. The transform is computed in float32, from the
    # float32-rounded offset and factor, so it differs from the float64 one rounded by at most
    # the rounding of x - offset, of the product and of the two parameters: 4 units of float32
    # roundoff of (|x| + |offset|) * |factor|.
    X32 = np.asarray(_data(), dtype=np.float32, order=order)
    X64 = X32.astype(np.float64)
    s32, s64 = cls().fit(X32), cls().fit(X64)
    for attr in ATTRS:
        if hasattr(s64, attr):
            np.testing.assert_array_equal(getattr(s32, attr), getattr(s64, attr), err_msg=attr)
    Z32, Z64 = s32.transform(X32), s64.transform(X64)
    assert Z32.dtype == np.float32
    offset, factor, _ = s64._map()
    bound = 4 * np.finfo(np.float32).eps * (np.abs(X64) + np.abs(offset)) * np.abs(factor)
    observed = ~np.isnan(Z64)
    assert np.array_equal(np.isnan(Z32), ~observed)
    assert (np.abs(Z32 - Z64)[observed] <= bound[observed]).all()


@needs_numba
@pytest.mark.parametrize("cls", SCALERS)
def test_two_threads_give_the_same_bits_in_every_layout(cls):
    X = _data(PARALLEL_MIN_ELEMENTS // 6 + 7)
    with threads.workers(2):
        a = cls().fit(X)
        for data in (np.asfortranarray(X), LAYOUTS["DataFrame"](X)):
            _assert_same(a, cls().fit(data), X, data)


@needs_numba
@pytest.mark.parametrize("cls", [StandardScaler, MinMaxScaler])
@pytest.mark.parametrize("kind", ["trend", "outlier first", "constant after a step"])
def test_blocks_far_from_the_running_mean_are_exact_in_both_layouts(cls, kind):
    # The one-pass block sums are taken about the running mean; a block far from it (sorted
    # data, an outlier in row 0, a level shift) is summed again about its own mean.
    n = 50_000
    rng = np.random.default_rng(5)
    if kind == "trend":
        X = np.sort(rng.normal(1e6, 1.0, size=(n, 3)), axis=0)
    elif kind == "outlier first":
        X = rng.normal(0.0, 1.0, size=(n, 3))
        X[0] = 1e7
    else:
        X = np.where(np.arange(n)[:, None] < n // 2, 3.0, 1e8 + 0.5) * np.ones((n, 3))
    a, b = cls().fit(X), cls().fit(np.asfortranarray(X))
    _assert_same(a, b, X, np.asfortranarray(X))
    if cls is StandardScaler:  # against the exact statistics (extended precision)
        x = X.astype(np.longdouble)
        mean, var = x.mean(axis=0), ((x - x.mean(axis=0)) ** 2).mean(axis=0)
        # The mean is kept relative to row 0, so it carries the rounding of values of that
        # size: 1e7 in row 0 costs the mean (200) about 1e-9, as it always did (more before).
        bound = 1e-15 * np.abs(mean) + 8 * np.finfo(float).eps * np.abs(X).max(axis=0)
        assert (np.abs(a.mean_ - mean) <= bound).all()
        np.testing.assert_allclose(a.var_, var.astype(float), rtol=1e-14)


# -- what comes out ----------------------------------------------------------------------------


@pytest.mark.parametrize("cls", SCALERS)
def test_output_keeps_the_layout_it_was_given(cls):
    X = _data(200)
    for data, contiguous in ((X, "C_CONTIGUOUS"), (np.asfortranarray(X), "F_CONTIGUOUS")):
        s = cls().fit(data)
        for out in (s.transform(data), cls().fit_transform(data), s.inverse_transform(data)):
            assert out.flags[contiguous]


@pytest.mark.parametrize("make", [LAYOUTS["DataFrame"], _mixed], ids=["float64", "mixed"])
@pytest.mark.parametrize("cls", SCALERS)
def test_a_dataframe_gives_a_fortran_array_and_with_set_output_a_dataframe(cls, make):
    frame = make(_data())
    frame.index = frame.index * 3 + 7  # a non-default index is kept by set_output
    out = cls().fit(frame).transform(frame)
    assert isinstance(out, np.ndarray) and out.flags.f_contiguous and out.dtype == np.float64
    fitted = cls().set_output(transform="pandas").fit(frame)
    for z in (fitted.transform(frame), cls().set_output(transform="pandas").fit_transform(frame)):
        assert isinstance(z, pd.DataFrame)
        assert list(z.columns) == list(frame.columns) and z.index.equals(frame.index)
        assert (z.dtypes == np.float64).all()
        np.testing.assert_array_equal(z.to_numpy(), out)


def test_a_float32_dataframe_stays_float32():
    frame = pd.DataFrame(_data().astype(np.float32), columns=_names(6))
    z = StandardScaler().set_output(transform="pandas").fit_transform(frame)
    assert (z.dtypes == np.float32).all()


@needs_numba
@pytest.mark.parametrize("cls", SCALERS)
def test_a_mixed_dataframe_is_read_where_it_is(cls):
    # Converting float32 and float64 columns to one array copies them all (np.asarray makes
    # float64); read where they are, fit allocates nothing of their size, and transform only
    # its output.
    frame = _mixed(_data(n=4 * ROWS))
    nbytes = frame.shape[0] * frame.shape[1] * 8
    cls().fit(frame.iloc[:ROWS])  # compile and warm up

    def peak(call) -> float:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        result = call()
        extra = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        del result
        return extra / nbytes

    assert peak(lambda: cls().fit(frame)) < 0.05
    fitted = cls().fit(frame)
    assert 0.99 < peak(lambda: fitted.transform(frame)) < 1.05
    assert 0.99 < peak(lambda: cls().fit_transform(frame)) < 1.05


def test_small_or_non_float_dataframes_are_converted_as_before():
    assert columns.of_frame(pd.DataFrame(_data(100))) is None  # few rows: converted
    frame = pd.DataFrame(_data())
    frame[0] = np.arange(len(frame))
    assert columns.of_frame(frame) is None  # an integer column: validation converts
    s = StandardScaler().fit(frame)
    np.testing.assert_array_equal(s.mean_, StandardScaler().fit(frame.to_numpy(float)).mean_)


# -- errors on the column path -----------------------------------------------------------------


@pytest.mark.parametrize("make", [LAYOUTS["DataFrame"], _mixed], ids=["float64", "mixed"])
@pytest.mark.parametrize("cls", SCALERS)
def test_infinity_in_a_dataframe_names_its_column(cls, make):
    X = _data()
    s = cls().fit(make(X))
    X[ROWS // 2, 4] = -np.inf
    bad = make(X)
    for call in (cls().fit, s.transform, cls().fit_transform):
        with pytest.raises(ValueError, match=r"infinity in column\(s\) \[4\]"):
            call(bad)


def test_dataframe_columns_are_checked_as_scikit_learn_checks_them():
    frame = LAYOUTS["DataFrame"](_data())
    s = StandardScaler().fit(frame)
    assert list(s.feature_names_in_) == list(frame.columns) and s.n_features_in_ == 6
    with pytest.raises(ValueError, match="feature names should match"):
        s.transform(frame.rename(columns={"x0": "other"}))
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        s.transform(frame.to_numpy())
    unnamed = StandardScaler().fit(pd.DataFrame(_data()))  # integer labels: no names kept
    assert not hasattr(unnamed, "feature_names_in_")
    with pytest.raises(ValueError, match="X has 5 features, but StandardScaler is expecting 6"):
        unnamed.transform(pd.DataFrame(_data()[:, :5]))
