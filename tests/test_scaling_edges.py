"""Edge cases: constant columns, NaN, ±inf, empty and one-sample input, bad shapes and types."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from gdlab.scaling import (
    SCALERS,
    MaxAbsScaler,
    MinMaxScaler,
    RobustScaler,
    SigmoidScaler,
    StandardScaler,
    load,
    save,
)

ALL = [
    StandardScaler,
    MinMaxScaler,
    MaxAbsScaler,
    RobustScaler,
    SigmoidScaler,
    lambda: SigmoidScaler(standardize=True),
]
IDS = ["standard", "minmax", "maxabs", "robust", "sigmoid", "sigmoid-z"]


def _x(n: int = 20) -> np.ndarray:
    return np.random.default_rng(0).normal(size=(n, 3)) * [1.0, 10.0, 100.0]


@pytest.mark.parametrize("make", ALL, ids=IDS)
def test_constant_and_near_constant_columns(make):
    X = _x(200)
    X[:, 0] = 7.0  # constant
    X[:, 1] = 1e6 + np.random.default_rng(1).choice([0.0, 2**-33], size=200)  # rounding noise
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning flood, no division by zero
        s = make().fit(X)
        Z = s.transform(X)
    assert np.isfinite(Z).all()
    if isinstance(s, MaxAbsScaler):  # only an all-zero column is constant for max-abs
        np.testing.assert_array_equal(s.scale_[:2], [7.0, s.max_abs_[1]])
    else:  # both columns are constant: scale 1 (min-max: range read as 1)
        np.testing.assert_array_equal(s.scale_[:2], 1.0)
    np.testing.assert_allclose(s.inverse_transform(Z)[:, 0], 7.0)


def test_constant_policy_values():
    X = np.array([[7.0, 1.0], [7.0, 2.0], [7.0, 3.0]])
    np.testing.assert_array_equal(StandardScaler().fit_transform(X)[:, 0], 0.0)
    np.testing.assert_array_equal(StandardScaler(eps=1e-3).fit(X).scale_[0], 1.0)
    mm = MinMaxScaler(feature_range=(-1, 1)).fit(X)
    np.testing.assert_array_equal(mm.transform(X)[:, 0], -1.0)  # the bottom of the range
    # The range is read as 1: new data is shifted and multiplied by (b - a) / 1, never / 0.
    np.testing.assert_array_equal(mm.transform([[9.0, 1.0]])[0, 0], -1.0 + (9.0 - 7.0) * 2)
    np.testing.assert_array_equal(MaxAbsScaler().fit(np.zeros((3, 1))).scale_, [1.0])
    np.testing.assert_array_equal(RobustScaler().fit(X).scale_[0], 1.0)
    # A genuinely small spread is not constant: data on any scale is scaled.
    tiny = np.array([[1e-20], [2e-20], [3e-20]])
    np.testing.assert_allclose(MinMaxScaler().fit_transform(tiny).ravel(), [0.0, 0.5, 1.0])


@pytest.mark.parametrize("make", ALL, ids=IDS)
def test_nan_is_ignored_by_fit_and_kept_by_transform(make):
    X = _x(50)
    X[[3, 10, 11], 1] = np.nan
    s = make().fit(X)
    ref = make().fit(X[~np.isnan(X[:, 1])])
    Z = s.transform(X)
    np.testing.assert_array_equal(np.isnan(Z), np.isnan(X))
    # Columns 0 and 2 see 3 more rows than the reference; column 1 sees the same values.
    np.testing.assert_allclose(
        Z[~np.isnan(X[:, 1]), 1], ref.transform(X[~np.isnan(X[:, 1])])[:, 1], rtol=1e-12
    )
    np.testing.assert_array_equal(np.isnan(s.inverse_transform(Z)), np.isnan(X))


@pytest.mark.parametrize("make", ALL, ids=IDS)
def test_all_nan_column_gives_nan_without_warnings(make):
    X = _x(10)
    X[:, 2] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Z = make().fit_transform(X)
    assert np.isnan(Z[:, 2]).all() and np.isfinite(Z[:, :2]).all()


@pytest.mark.parametrize("make", ALL, ids=IDS)
@pytest.mark.parametrize("bad", [np.inf, -np.inf])
@pytest.mark.parametrize("layout", ["C", "F"])
def test_infinity_is_a_value_error(make, bad, layout):
    X = _x(30)
    X = np.asfortranarray(X) if layout == "F" else X
    s = make().fit(X)
    Y = X.copy()
    Y[5, 1] = bad
    for call in (make().fit, s.transform, make().fit_transform):
        with pytest.raises(ValueError, match=r"infinity in column\(s\) \[1\]"):
            call(Y)
    if hasattr(s, "partial_fit"):
        with pytest.raises(ValueError, match="infinity"):
            make().partial_fit(Y)


@pytest.mark.parametrize("make", [StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler])
def test_infinity_in_inverse_transform(make):
    s = make().fit(_x())
    with pytest.raises(ValueError, match="infinity"):
        s.inverse_transform([[0.0, np.inf, 0.0]])


def test_in_place_error_leaves_the_input_untouched():
    s = StandardScaler(copy=False).fit(_x())
    Y = _x(5000)
    Y[-1, 0] = np.inf
    before = Y.copy()
    with pytest.raises(ValueError, match="infinity"):
        s.transform(Y)
    np.testing.assert_array_equal(Y, before)


@pytest.mark.parametrize("make", ALL, ids=IDS)
def test_empty_input(make):
    with pytest.raises(ValueError, match="0 sample"):
        make().fit(np.empty((0, 3)))
    s = make().fit(_x())
    with pytest.raises(ValueError, match="0 sample"):
        s.transform(np.empty((0, 3)))
    with pytest.raises(ValueError, match="0 feature"):
        make().fit(np.empty((5, 0)))


@pytest.mark.parametrize("name", ["StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler"])
def test_one_sample_fit_gives_scale_one_as_scikit_learn(name):
    import sklearn.preprocessing as skp

    from gdlab import scaling

    X = [[1.0, -2.0]]
    ours, theirs = getattr(scaling, name)().fit(X), getattr(skp, name)().fit(X)
    np.testing.assert_array_equal(ours.scale_, theirs.scale_)  # the spread of one row is 0
    np.testing.assert_array_equal(ours.transform([[2.0, 3.0]]), theirs.transform([[2.0, 3.0]]))
    np.testing.assert_array_equal(getattr(scaling, name)().fit_transform(X), theirs.transform(X))
    np.testing.assert_allclose(SigmoidScaler(standardize=True).fit_transform(X), [[0.5, 0.5]])


@pytest.mark.parametrize("make", ALL, ids=IDS)
def test_wrong_feature_count(make):
    s = make().fit(_x())
    with pytest.raises(ValueError, match=r"X has 2 features, but .* is expecting 3 features"):
        s.transform(np.ones((4, 2)))
    with pytest.raises(ValueError, match="is expecting 3 features"):
        s.inverse_transform(np.ones((4, 4)))
    if hasattr(s, "partial_fit"):
        with pytest.raises(ValueError, match="is expecting 3 features"):
            s.partial_fit(np.ones((4, 5)))


def test_one_dimensional_input_asks_for_a_reshape():
    with pytest.raises(ValueError, match=r"(?s)Expected 2D array, got 1D array.*reshape\(-1, 1\)"):
        StandardScaler().fit(np.arange(5.0))


@pytest.mark.parametrize("name", list(SCALERS))
def test_non_numeric_dataframe_columns(name):
    df = pd.DataFrame(
        {"x": [1.0, 2.0, 3.0], "city": ["a", "b", "c"], "t": pd.date_range("2024", periods=3)}
    )
    with pytest.raises(ValueError, match=r"non-numeric column\(s\) \['city', 't'\]"):
        SCALERS[name]().fit(df)
    fitted = SCALERS[name]().fit(df[["x"]])
    with pytest.raises(ValueError, match="non-numeric"):
        fitted.transform(df[["city"]].rename(columns={"city": "x"}))


@pytest.mark.parametrize("make", ALL, ids=IDS)
def test_not_fitted(make):
    s = make()
    for call in (s.transform, s.inverse_transform):
        with pytest.raises(NotFittedError, match="not fitted yet"):
            call(_x())
    with pytest.raises(NotFittedError):
        s.to_dict()


@pytest.mark.parametrize("make", ALL, ids=IDS)
def test_copy_false_transforms_in_place(make):
    X = _x(100)
    s = make().fit(X)
    expected = s.transform(X)
    Y = X.copy()
    out = s.transform(Y, copy=False)
    assert out is Y
    np.testing.assert_allclose(Y, expected)
    back = s.inverse_transform(Y, copy=False)
    assert back is Y
    np.testing.assert_allclose(Y, s.inverse_transform(expected))
    # The constructor's copy=False is the default for transform and fit_transform.
    Y = X.copy()
    assert make().set_params(copy=False).fit_transform(Y) is Y
    np.testing.assert_allclose(Y, expected)
    # copy=True (the default) never touches the input.
    Y = X.copy()
    s.transform(Y)
    np.testing.assert_array_equal(Y, X)


def test_copy_false_cannot_change_dtype_in_place():
    X = np.arange(12).reshape(6, 2)  # integers: the result needs a new float array
    out = StandardScaler(copy=False).fit_transform(X)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(X, np.arange(12).reshape(6, 2))


def test_sigmoid_inverse_policy_at_0_and_1():
    s = SigmoidScaler().fit(np.zeros((2, 1)))
    back = s.inverse_transform([[0.0], [1.0], [0.5], [np.nan]]).ravel()
    assert np.isfinite(back[:3]).all()
    # Closed forms: logit(2**-1074) = ln(2**-1074 / (1 - 2**-1074)) and
    # logit(1 - 2**-53) = ln((1 - 2**-53) / 2**-53), the neighbours of 0 and 1 in float64.
    lo, hi = math.log(2.0**-1074), math.log((1 - 2.0**-53) / 2.0**-53)
    np.testing.assert_allclose(back[:3], [lo, hi, 0.0], rtol=1e-12)
    assert lo == pytest.approx(-744.44, abs=0.01) and hi == pytest.approx(36.74, abs=0.01)
    # 1 and 0 are the images of every large enough input: the inverse gives the boundary.
    assert s.transform([[back[1]]])[0, 0] < 1.0 and s.transform([[40.0]])[0, 0] == 1.0
    assert np.isnan(back[3])
    b32 = s.inverse_transform(np.array([[0.0], [1.0]], dtype=np.float32)).ravel()
    assert b32.dtype == np.float32 and np.isfinite(b32).all()
    with pytest.raises(ValueError, match=r"expects values in \[0, 1\]"):
        s.inverse_transform([[1.5]])


def test_sigmoid_in_place_inverse_error_leaves_the_input_untouched():
    # Several row blocks (one column: 32,768 rows a block); the bad value is in the last one,
    # after earlier blocks would already have been written.
    s = SigmoidScaler().fit(np.zeros((2, 1)))
    Y = np.full((200_000, 1), 0.5)
    Y[-1, 0] = 1.5
    before = Y.copy()
    with pytest.raises(ValueError, match=r"expects values in \[0, 1\]"):
        s.inverse_transform(Y, copy=False)
    np.testing.assert_array_equal(Y, before)


@pytest.mark.parametrize("quantile_range", [(0.0, 75.0), (25.0, 100.0)])
def test_robust_unit_variance_needs_finite_normal_quantiles(quantile_range):
    # The standard normal's 0th and 100th percentiles are infinite: the scale would be 0.
    with pytest.raises(ValueError, match=r"unit_variance=True needs 0 < q_lo < q_hi < 100"):
        RobustScaler(unit_variance=True, quantile_range=quantile_range).fit(_x())
    assert np.isfinite(RobustScaler(quantile_range=quantile_range).fit(_x()).scale_).all()


def test_robust_unit_variance_keeps_the_constant_policy():
    X = _x(50)
    X[:, 0] = 7.0
    s = RobustScaler(unit_variance=True).fit(X)
    # 1.3489795... = norm.ppf(0.75) - norm.ppf(0.25), the standard normal's IQR.
    ref = RobustScaler().fit(X).scale_[1:] / 1.3489795003921634
    np.testing.assert_array_equal(s.scale_[0], 1.0)
    np.testing.assert_allclose(s.scale_[1:], ref, rtol=1e-15)


@pytest.mark.parametrize("eps", [np.inf, np.nan, -1e-3])
def test_eps_must_be_finite_and_non_negative(eps):
    with pytest.raises(ValueError, match=r"'eps' parameter of StandardScaler .* \[0.0, inf\)"):
        StandardScaler(eps=eps).fit(_x())


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ([1.0, -1.0, 1.0], r"sample_weight must be >= 0 .* got -1.0 at row 1"),
        ([2.0, -1.0, -1.0], r"sample_weight must be >= 0"),  # sums to 0
        ([0.0, 0.0, 0.0], r"sample_weight sums to zero"),
    ],
)
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_negative_or_zero_sum_sample_weight_is_refused(weights, match, method, tmp_path):
    # Such weights made the weighted statistics NaN, which save wrote and load then refused
    # as an edited file.
    X = np.array([[1.0, 2.0], [3.0, 5.0], [4.0, 1.0]])
    scaler = StandardScaler()
    with pytest.raises(ValueError, match=match):
        getattr(scaler, method)(X, sample_weight=weights)
    assert not hasattr(scaler, "mean_")
    fitted = StandardScaler().fit(X, sample_weight=[1.0, 0.0, 2.0])
    path = save(fitted, tmp_path / "scaler.json")
    np.testing.assert_allclose(load(path).mean_, fitted.mean_)
    np.testing.assert_allclose(fitted.mean_, np.average(X, axis=0, weights=[1.0, 0.0, 2.0]))
