"""The scikit-learn estimator contract, checked for every scaler by scikit-learn itself."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MaxAbsScaler as SkMaxAbsScaler
from sklearn.preprocessing import RobustScaler as SkRobustScaler
from sklearn.preprocessing import StandardScaler as SkStandardScaler
from sklearn.utils._param_validation import InvalidParameterError
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
        (StandardScaler(eps=-1.0), "The 'eps' parameter of StandardScaler must be a float"),
        (StandardScaler(eps="small"), "The 'eps' parameter of StandardScaler must be a float"),
        (StandardScaler(with_mean="no"), "The 'with_mean' parameter of StandardScaler must be"),
        (StandardScaler(copy=None), "The 'copy' parameter of StandardScaler must be"),
        (MinMaxScaler(feature_range=[0, 1]), "The 'feature_range' parameter of MinMaxScaler"),
        (MaxAbsScaler(clip=1), "The 'clip' parameter of MaxAbsScaler must be"),
        (RobustScaler(quantile_range=[25, 75]), "The 'quantile_range' parameter of Robust"),
        (SigmoidScaler(standardize="yes"), "The 'standardize' parameter of SigmoidScaler"),
    ],
)
def test_bad_parameter_types_raise_invalid_parameter_error_at_fit(scaler, message):
    # scikit-learn's own declarative checks (_parameter_constraints), run by every fit method.
    X = np.arange(6.0).reshape(3, 2)
    for fit in ("fit", "fit_transform", "partial_fit"):
        if hasattr(scaler, fit):
            with pytest.raises(InvalidParameterError, match=message):
                getattr(clone(scaler), fit)(X)


@pytest.mark.parametrize(
    ("scaler", "message"),
    [
        (MinMaxScaler(feature_range=(1, 0)), "Minimum of desired feature range must be smaller"),
        (MinMaxScaler(feature_range=(0, 1, 2)), "feature_range must be a tuple"),
        (RobustScaler(quantile_range=(75.0, 25.0)), r"Invalid quantile range: \(75.0, 25.0\)"),
        (RobustScaler(quantile_range=(-1, 90)), r"Invalid quantile range: \(-1, 90\)"),
    ],
)
def test_bad_configuration_values_raise_at_fit(scaler, message):
    # The wording scikit-learn's own scalers use, which its tests and users look for.
    with pytest.raises(ValueError, match=message):
        scaler.fit(np.arange(6.0).reshape(3, 2))


def test_sample_weight_where_scikit_learn_takes_it():
    rng = np.random.default_rng(0)
    X, w = rng.normal(3.0, 2.0, size=(50, 3)), rng.uniform(0.1, 2.0, size=50)
    ours = StandardScaler().fit(X, sample_weight=w)
    theirs = SkStandardScaler().fit(X, sample_weight=w)
    np.testing.assert_allclose(ours.mean_, theirs.mean_, rtol=1e-13)
    np.testing.assert_allclose(ours.var_, theirs.var_, rtol=1e-12)
    # fit_transform passes the weights on (a Pipeline's scaler__sample_weight arrives here).
    np.testing.assert_allclose(
        StandardScaler().fit_transform(X, sample_weight=w), theirs.transform(X), rtol=1e-12
    )
    pipe = make_pipeline(StandardScaler(), LinearRegression())
    pipe.fit(X, X[:, 0], standardscaler__sample_weight=w)
    np.testing.assert_allclose(pipe[0].mean_, theirs.mean_, rtol=1e-13)
    # Weighted chunks merge: two partial_fit calls equal one weighted fit.
    s = StandardScaler().partial_fit(X[:20], sample_weight=w[:20])
    s.partial_fit(X[20:], sample_weight=w[20:])
    np.testing.assert_allclose(s.var_, theirs.var_, rtol=1e-12)
    assert s.n_samples_seen_ == pytest.approx(w.sum())
    # The other scalers take no weights: a TypeError, never silently unweighted results.
    for scaler in (MinMaxScaler(), MaxAbsScaler(), RobustScaler(), SigmoidScaler()):
        for call in (scaler.fit, scaler.fit_transform):
            with pytest.raises(TypeError, match="sample_weight"):
                call(X, sample_weight=w)


@pytest.mark.parametrize(
    ("ours", "theirs", "unset"),
    [
        (StandardScaler(with_std=False), SkStandardScaler(with_std=False), ["var_", "scale_"]),
        (
            StandardScaler(with_mean=False, with_std=False),
            SkStandardScaler(with_mean=False, with_std=False),
            ["mean_", "var_", "scale_"],
        ),
        (RobustScaler(with_centering=False), SkRobustScaler(with_centering=False), ["center_"]),
        (RobustScaler(with_scaling=False), SkRobustScaler(with_scaling=False), ["scale_"]),
    ],
)
def test_attributes_left_unset_are_none_as_in_scikit_learn(ours, theirs, unset):
    X = np.random.default_rng(1).normal(size=(30, 2))
    a, b = clone(ours).fit(X), clone(theirs).fit(X)
    for name in unset:
        assert getattr(a, name) is None and getattr(b, name) is None, name
    np.testing.assert_allclose(a.transform(X), b.transform(X), rtol=1e-12)
    np.testing.assert_allclose(a.inverse_transform(X), b.inverse_transform(X), rtol=1e-12)


def test_maxabs_clip_matches_scikit_learn():
    X = np.random.default_rng(2).normal(size=(20, 3))
    new = 3.0 * np.random.default_rng(3).normal(size=(5, 3))
    ours, theirs = MaxAbsScaler(clip=True).fit(X), SkMaxAbsScaler(clip=True).fit(X)
    np.testing.assert_allclose(ours.transform(new), theirs.transform(new), rtol=1e-15)
    assert np.abs(ours.transform(new)).max() == 1.0


def test_inverse_of_numpy_after_a_dataframe_fit_does_not_warn():
    X = pd.DataFrame(np.random.default_rng(4).normal(size=(10, 2)), columns=["a", "b"])
    for scaler in (StandardScaler(), MinMaxScaler(), MaxAbsScaler(), RobustScaler()):
        scaler.fit(X)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            scaler.inverse_transform(np.zeros((3, 2)))
        with pytest.warns(UserWarning, match="does not have valid feature names"):
            scaler.transform(np.zeros((3, 2)))  # transform still checks, as scikit-learn's


class _Recorder:
    """A fit callback (scikit-learn's FitCallback protocol) that writes down its hooks."""

    def __init__(self) -> None:
        self.hooks: list[str] = []

    def setup(self, estimator, context):
        self.hooks.append("setup")

    def on_fit_task_begin(self, estimator, context, **kwargs):
        self.hooks.append("begin")

    def on_fit_task_end(self, estimator, context, **kwargs):
        self.hooks.append("end")

    def teardown(self, estimator, context):
        self.hooks.append("teardown")


def test_standard_scaler_takes_fit_callbacks():
    pytest.importorskip("sklearn.callback")
    for fit in ("fit", "partial_fit", "fit_transform"):
        recorder = _Recorder()
        scaler = StandardScaler().set_callbacks(recorder)
        getattr(scaler, fit)(np.arange(6.0).reshape(3, 2))
        assert recorder.hooks == ["setup", "begin", "end", "teardown"], fit
