"""Coefficients learned on scaled data, mapped back to raw units, against scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, RobustScaler, StandardScaler

from gdlab.analysis import AffineMap, RawCoefficients, affine_map, coefficients_to_raw
from gdlab.models import LeastSquares


def lesson_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    # The lesson's unit mismatch: y = 200 x1 - x2 + 1 with x1 scaled by 0.1, x2 by 10.
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(200, 2)) * [0.1, 10.0] + [3.0, -50.0]
    y = X @ [200.0, -1.0] + 1.0 + 0.01 * rng.normal(size=200)
    return X, y


def fit_scaled(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    A = np.hstack([X, np.ones((len(X), 1))])  # intercept last, as add_intercept does
    return np.asarray(LeastSquares().optimum(A, y))


@pytest.mark.parametrize("scaler", [MinMaxScaler, StandardScaler, MaxAbsScaler, RobustScaler])
def test_features_scaled_match_linear_regression_on_raw(scaler: type) -> None:
    X, y = lesson_data()
    oracle = LinearRegression().fit(X, y)
    sx = scaler().fit(X)
    raw = coefficients_to_raw(fit_scaled(sx.transform(X), y), x_scaler=sx)
    np.testing.assert_allclose(raw.coef, oracle.coef_, rtol=1e-8)
    assert raw.intercept == pytest.approx(oracle.intercept_, rel=1e-8)


@pytest.mark.parametrize("scaler", [MinMaxScaler, StandardScaler])
def test_labels_scaled_too(scaler: type) -> None:
    X, y = lesson_data(1)
    oracle = LinearRegression().fit(X, y)
    sx, sy = StandardScaler().fit(X), scaler().fit(y[:, None])
    w = fit_scaled(sx.transform(X), sy.transform(y[:, None]).ravel())
    raw = coefficients_to_raw(w, x_scaler=sx, y_scaler=sy)
    np.testing.assert_allclose(raw.coef, oracle.coef_, rtol=1e-8)
    assert raw.intercept == pytest.approx(oracle.intercept_, rel=1e-8)


def test_gdlab_scalers_map_back() -> None:
    from gdlab import scaling

    X, y = lesson_data(2)
    oracle = LinearRegression().fit(X, y)
    for cls in (scaling.MinMaxScaler, scaling.StandardScaler, scaling.MaxAbsScaler):
        sx = cls().fit(X)
        raw = coefficients_to_raw(fit_scaled(sx.transform(X), y), x_scaler=sx)
        np.testing.assert_allclose(raw.coef, oracle.coef_, rtol=1e-8)
        assert raw.intercept == pytest.approx(oracle.intercept_, rel=1e-8)
    with pytest.raises(ValueError, match="not affine"):
        coefficients_to_raw([1.0, 1.0, 0.0], x_scaler=scaling.SigmoidScaler().fit(X))


def test_logits_map_back_for_logistic_regression() -> None:
    # With no penalty on the raw-unit problem's equivalent, sklearn's unpenalised fit on
    # scaled data mapped back must equal its unpenalised fit on raw data's decision function.
    rng = np.random.default_rng(3)
    X = rng.normal(size=(300, 2)) * [0.5, 20.0] + [1.0, 100.0]
    y = (X @ [2.0, -0.1] + 8.0 + rng.logistic(size=300) > 0).astype(int)
    sx = StandardScaler().fit(X)
    fit = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(sx.transform(X), y)
    raw = coefficients_to_raw(np.r_[fit.coef_[0], fit.intercept_], x_scaler=sx)
    np.testing.assert_allclose(
        X @ raw.coef + raw.intercept, fit.decision_function(sx.transform(X)), rtol=1e-9, atol=1e-9
    )


def test_softmax_shaped_parameters() -> None:
    X, _ = lesson_data(4)
    sx = MinMaxScaler().fit(X)
    W = np.random.default_rng(5).normal(size=(3, 4))  # 2 features + intercept, 4 classes
    raw = coefficients_to_raw(W, x_scaler=sx)
    assert raw.coef.shape == (2, 4)
    np.testing.assert_allclose(
        X @ raw.coef + raw.intercept, np.c_[sx.transform(X), np.ones(len(X))] @ W, rtol=1e-10
    )


def test_no_intercept_in_w_gains_one_in_raw_units() -> None:
    sx = StandardScaler().fit([[0.0], [2.0]])  # mean 1, std 1
    raw = coefficients_to_raw([3.0], x_scaler=sx, intercept=False)
    assert raw.coef.tolist() == [3.0]
    assert raw.intercept == pytest.approx(-3.0)


def test_affine_map_of_min_max_is_its_formula() -> None:
    m = affine_map(MinMaxScaler().fit([[2.0, -1.0], [6.0, 1.0]]))
    assert isinstance(m, AffineMap)
    np.testing.assert_allclose(m.slope, [1 / 4, 1 / 2])
    np.testing.assert_allclose(m.offset, [-2 / 4, 1 / 2])
    assert "slope=[0.25, 0.5]" in repr(m)


def test_sigmoid_scaler_is_rejected() -> None:
    from sklearn.preprocessing import FunctionTransformer

    sig = FunctionTransformer(lambda x: 1 / (1 + np.exp(-x))).fit([[0.0]])
    with pytest.raises(ValueError, match="not affine"):
        coefficients_to_raw([1.0, 0.0], x_scaler=sig)


def test_errors_say_what_to_do() -> None:
    sx = StandardScaler().fit([[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="intercept flag"):
        coefficients_to_raw([1.0, 2.0], x_scaler=sx)
    with pytest.raises(TypeError, match="call fit first"):
        coefficients_to_raw([1.0, 2.0], x_scaler=StandardScaler())
    with pytest.raises(ValueError, match="single output"):
        coefficients_to_raw(np.ones((3, 2)), x_scaler=sx, y_scaler=sx)
    assert "RawCoefficients(coef=[1.0]" in repr(RawCoefficients(np.array([1.0]), 0.0))
