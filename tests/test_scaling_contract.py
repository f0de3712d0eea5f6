"""The scikit-learn estimator contract, checked for every scaler by scikit-learn itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from gdlab.scaling import (
    SCALERS,
    MaxAbsScaler,
    MinMaxScaler,
    RobustScaler,
    SigmoidScaler,
    StandardScaler,
)

VARIANTS = [
    MinMaxScaler(),
    MinMaxScaler(feature_range=(-1, 1), clip=True),
    StandardScaler(),
    StandardScaler(with_mean=False, eps=1e-8),
    SigmoidScaler(),
    SigmoidScaler(standardize=True),
    MaxAbsScaler(),
    RobustScaler(),
    RobustScaler(unit_variance=True, quantile_range=(10.0, 90.0)),
]


@parametrize_with_checks(VARIANTS)
def test_sklearn_check_estimator(estimator, check):
    check(estimator)


def test_scalers_registry_names():
    assert SCALERS == {
        "minmax": MinMaxScaler,
        "zscore": StandardScaler,
        "sigmoid": SigmoidScaler,
        "maxabs": MaxAbsScaler,
        "robust": RobustScaler,
    }


@pytest.mark.parametrize("scaler", VARIANTS, ids=repr)
def test_pipeline_clone_and_pandas_output(scaler):
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(3.0, 2.0, size=(40, 3)), columns=["a", "b", "c"])
    y = X["a"] * 2.0 - X["b"] + 1.0

    fresh = clone(scaler)
    assert fresh.get_params() == scaler.get_params()
    assert not hasattr(fresh, "n_features_in_")

    out = clone(scaler).set_output(transform="pandas").fit_transform(X)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["a", "b", "c"]
    fitted = clone(scaler).fit(X)
    assert list(fitted.get_feature_names_out()) == ["a", "b", "c"]
    np.testing.assert_allclose(out.to_numpy(), fitted.transform(X))

    model = make_pipeline(clone(scaler), LinearRegression()).fit(X, y)
    # A linear model on an affine rescaling recovers the linear relation exactly.
    if not isinstance(scaler, SigmoidScaler):
        assert model.score(X, y) == pytest.approx(1.0)


def test_repr_shows_the_configuration():
    assert repr(StandardScaler(eps=1e-8)) == "StandardScaler(eps=1e-08)"
    assert (
        repr(MinMaxScaler((-1, 1), clip=True)) == "MinMaxScaler(clip=True, feature_range=(-1, 1))"
    )
    assert repr(SigmoidScaler(standardize=True)) == "SigmoidScaler(standardize=True)"


@pytest.mark.parametrize(
    ("scaler", "message"),
    [
        (StandardScaler(eps=-1.0), "eps must be a non-negative"),
        (StandardScaler(eps="small"), "eps must be a non-negative"),
        (MinMaxScaler(feature_range=(1, 0)), "feature_range must be a tuple"),
        (MinMaxScaler(feature_range=(0, 1, 2)), "feature_range must be a tuple"),
        (RobustScaler(quantile_range=(75.0, 25.0)), "quantile_range must be a tuple"),
    ],
)
def test_bad_configuration_raises_at_fit(scaler, message):
    with pytest.raises(ValueError, match=message):
        scaler.fit(np.arange(6.0).reshape(3, 2))
