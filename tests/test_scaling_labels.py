"""The lesson's label path: scale an (n, 1) label column, fit, map predictions back."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import LinearRegression

from gdlab.scaling import MaxAbsScaler, MinMaxScaler, RobustScaler, SigmoidScaler, StandardScaler

LINEAR = [MinMaxScaler, StandardScaler, MaxAbsScaler, RobustScaler]


def _regression(n: int = 200, seed: int = 24) -> tuple[np.ndarray, np.ndarray]:
    # The lesson's unit-mismatch setting: y = 200 x1 - x2 + 1, x1 scaled by 0.1, x2 by 10.
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2)) * [0.1, 10.0]
    y = (X @ np.array([2000.0, -0.1]) + 1.0 + 0.01 * rng.standard_normal(n)).reshape(-1, 1)
    return X, y


@pytest.mark.parametrize("cls", LINEAR)
def test_scaled_label_predictions_map_back_to_label_units(cls):
    X, y = _regression()
    X1 = np.hstack([X, np.ones((len(X), 1))])
    label = cls().fit(y)  # an (n, 1) label column, as in the lesson
    y_scaled = label.transform(y)
    assert y_scaled.shape == (len(y), 1)
    w = np.linalg.lstsq(X1, y_scaled, rcond=None)[0]
    pred = label.inverse_transform(X1 @ w)
    direct = X1 @ np.linalg.lstsq(X1, y, rcond=None)[0]  # least squares on raw labels
    # An affine map of the labels commutes with least squares: same predictions.
    np.testing.assert_allclose(pred, direct, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(label.inverse_transform(y_scaled), y, rtol=1e-12)


def test_lesson_minmax_label_use():
    # The lesson normalises the labels with min-max, fits, then maps new predictions back
    # with the training label range (never the new data's own range).
    X, y = _regression(seed=1)
    X_new, y_new = _regression(n=100, seed=2)
    xs, ys = MinMaxScaler().fit(X), MinMaxScaler().fit(y)
    A = np.hstack([xs.transform(X), np.ones((len(X), 1))])
    w = np.linalg.lstsq(A, ys.transform(y), rcond=None)[0]
    pred = ys.inverse_transform(np.hstack([xs.transform(X_new), np.ones((100, 1))]) @ w)
    assert np.abs(pred - y_new).max() < 0.1  # noise is 0.01; labels span hundreds


@pytest.mark.parametrize("cls", LINEAR)
def test_transformed_target_regressor(cls):
    X, y = _regression()
    model = TransformedTargetRegressor(regressor=LinearRegression(), transformer=cls())
    model.fit(X, y.ravel())
    pred = model.predict(X)
    assert pred.shape == (len(X),)
    ref = LinearRegression().fit(X, y.ravel()).predict(X)
    np.testing.assert_allclose(pred, ref, rtol=1e-9, atol=1e-9)
    assert model.transformer_.n_features_in_ == 1


def test_sigmoid_target_needs_predictions_inside_0_1():
    # A linear model fitted in sigmoid space predicts outside [0, 1], where the logit has no
    # value: the inverse refuses clearly instead of inventing numbers.
    X, y = _regression()
    model = TransformedTargetRegressor(
        regressor=LinearRegression(),
        transformer=SigmoidScaler(standardize=True),
        check_inverse=False,
    ).fit(X, y.ravel())
    with pytest.raises(ValueError, match=r"expects values in \[0, 1\]"):
        model.predict(X * 3)
