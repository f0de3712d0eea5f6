"""GDRegressor and GDClassifier: the scikit-learn contract, and agreement with its solvers."""

from __future__ import annotations

import pickle
import re
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from gdlab import schedules
from gdlab.estimators import GDClassifier, GDRegressor
from gdlab.models import InterceptFreeL2, LeastSquares, Logistic, Softmax
from gdlab.optim import descend
from gdlab.optim.rules import Adam
from gdlab.scaling import StandardScaler
from gdlab.trajectory import Trajectory


def _expected_failures(estimator):
    # Shuffled mini-batches: weighting a row by 2 and repeating it are the same objective but
    # not the same random batches, so the two fits stop at different points of the noise
    # around the optimum (scikit-learn's SGD estimators are marked the same way).
    if estimator.batch_size is None:
        return {}
    return {
        "check_sample_weight_equivalence_on_dense_data": "shuffled batches differ",
        "check_sample_weight_equivalence_on_sparse_data": "shuffled batches differ",
    }


# Mini-batch fits at a constant rate do not reach tol and say so (ConvergenceWarning).
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(
    [
        GDRegressor(),
        GDClassifier(),
        # The shuffled mini-batch path with another update rule, and with a schedule.
        GDRegressor(batch_size=16, method="nesterov"),
        GDClassifier(batch_size=16, lr="exponential(lr=0.05, gamma=0.99)", l2=1e-3),
    ],
    expected_failed_checks=_expected_failures,
)
def test_sklearn_contract(estimator, check):
    check(estimator)


def regression_data(n=80, d=3, seed=0, scales=None):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) + rng.uniform(-1, 1, size=d)
    if scales is not None:
        X = X * np.asarray(scales)
    y = X @ rng.normal(size=d) + 0.5 + 0.1 * rng.normal(size=n)
    return X, y


def classification_data(n=120, k=2, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k
    # Overlapping clouds: the unpenalised optimum is finite, so solvers can agree on it.
    X = rng.normal(size=(n, 2)) + 1.2 * np.column_stack((np.cos(y * 2.1), np.sin(y * 2.1)))
    return X, y


# -- agreement with scikit-learn's solvers (the oracles) -------------------------------------
def test_regressor_matches_linear_regression():
    X, y = regression_data()
    ours = GDRegressor(max_iter=3000, tol=None).fit(X, y)
    ref = LinearRegression().fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-8)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-8)
    assert ours.score(X, y) == pytest.approx(ref.score(X, y), abs=1e-12)


def test_regressor_l2_leaves_intercept_unpenalised_like_ridge():
    X, y = regression_data()
    l2 = 0.3
    ours = GDRegressor(l2=l2, max_iter=3000, tol=None).fit(X, y)
    # mean(r^2) + l2/2 ||w||^2  ==  (||r||^2 + alpha ||w||^2) / n  with alpha = n l2 / 2.
    ref = Ridge(alpha=len(y) * l2 / 2).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-8)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-8)


def test_binary_classifier_matches_unpenalised_logistic_regression():
    X, y = classification_data()
    labels = np.array(["ham", "spam"])[y]
    ours = GDClassifier(l2=0.0, max_iter=5000, tol=None).fit(X, labels)
    # C=inf is scikit-learn's spelling of penalty=None since 1.8.
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, labels)
    assert ours.classes_.tolist() == ["ham", "spam"]
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-5)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)
    assert (ours.predict(X) == ref.predict(X)).all()


def test_multiclass_classifier_matches_multinomial_logistic_regression():
    X, y = classification_data(k=3)
    ours = GDClassifier(l2=0.0, max_iter=5000, tol=None).fit(X, y + 10)
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y + 10)
    assert ours.coef_.shape == (3, 2) and ours.intercept_.shape == (3,)
    # Softmax logits are defined up to a common shift, so compare probabilities.
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)
    assert (ours.predict(X) == ref.predict(X)).all()


def test_classifier_l2_matches_logistic_regression_C():
    X, y = classification_data()
    l2 = 0.05
    ours = GDClassifier(l2=l2, max_iter=3000, tol=None).fit(X, y)
    # C * sum(logloss) + ||w||^2 / 2, divided by C n: mean(logloss) + ||w||^2 / (2 C n).
    ref = LogisticRegression(C=1 / (l2 * len(y)), tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-6)


# -- outputs ----------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [2, 3])
def test_classifier_outputs_are_consistent(k):
    X, y = classification_data(k=k)
    clf = GDClassifier(max_iter=300).fit(X, y)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(proba), atol=1e-12)
    assert (clf.predict(X) == clf.classes_[proba.argmax(axis=1)]).all()
    scores = clf.decision_function(X)
    assert scores.shape == ((len(y),) if k == 2 else (len(y), k))
    assert clf.score(X, y) > 0.6


def test_history_is_the_trajectory_of_the_run():
    X, y = regression_data()
    reg = GDRegressor(lr="exponential(lr=0.05, gamma=0.9)", batch_size=16, max_iter=7, tol=None)
    reg.set_params(random_state=3).fit(X, y)
    t = reg.history_
    assert isinstance(t, Trajectory)
    assert reg.n_iter_ == t.n_epochs == 7
    assert t.config["lr"] == "exponential(lr=0.05, gamma=0.9)"
    assert t.config["batch_size"] == 16
    np.testing.assert_array_equal(np.append(reg.coef_, reg.intercept_), t.w)
    again = clone(reg).fit(X, y)
    np.testing.assert_array_equal(again.coef_, reg.coef_)  # same seed, same run
    other = clone(reg).set_params(random_state=4).fit(X, y)
    assert not np.array_equal(other.coef_, reg.coef_)


def test_lr_accepts_a_schedule_object_and_stops_on_tol():
    X, y = regression_data()
    reg = GDRegressor(lr=schedules.exponential(lr=0.1, gamma=0.999), max_iter=5000, tol=1e-6)
    reg.fit(X, y)
    assert reg.history_.status == "converged"
    assert reg.n_iter_ < 5000
    # tol is relative to the gradient norm at w = 0 (the intercept alone starts elsewhere).
    at_zero = np.linalg.norm(LeastSquares().grad(np.zeros(4), np.c_[X, np.ones(len(y))], y))
    assert reg.history_.grad_norm[-1] <= 1e-6 * at_zero
    np.testing.assert_allclose(reg.coef_, LinearRegression().fit(X, y).coef_, atol=1e-5)


def test_a_rate_that_decays_too_fast_is_not_called_converged():
    # 0.1 * 0.95^t sums to 2: the steps stop short of the optimum while the loss stalls,
    # which a loss-based tolerance took for convergence.
    X, y = regression_data()
    reg = GDRegressor(lr=schedules.exponential(lr=0.1, gamma=0.95), max_iter=500, tol=1e-6)
    with pytest.warns(ConvergenceWarning, match=r"the gradient norm is .* times the target tol"):
        reg.fit(X, y)
    assert reg.history_.status == "max_epochs"


def test_auto_lr_is_stable_on_badly_scaled_features():
    X, y = regression_data(scales=[1e-2, 1.0, 1e2])
    for batch_size in (None, 1, 8):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            reg = GDRegressor(batch_size=batch_size, max_iter=20, random_state=0).fit(X, y)
        assert np.isfinite(reg.history_.loss).all()
        assert reg.history_.loss[-1] < reg.history_.loss[0]


# -- working with other estimators -------------------------------------------------------------
def test_pipeline_after_gdlab_scaler_matches_linear_regression():
    X, y = regression_data(scales=[1e-2, 1.0, 1e2])
    pipe = make_pipeline(StandardScaler(), GDRegressor(max_iter=500, tol=None)).fit(X, y)
    ref = LinearRegression().fit(X, y)
    np.testing.assert_allclose(pipe.predict(X), ref.predict(X), atol=1e-8)


def test_transformed_target_regressor_scales_labels_back():
    X, y = regression_data()
    y = 1000.0 * y + 5e4
    model = TransformedTargetRegressor(
        regressor=make_pipeline(StandardScaler(), GDRegressor(max_iter=500, tol=None)),
        transformer=StandardScaler(),
    ).fit(X, y)
    np.testing.assert_allclose(model.predict(X), LinearRegression().fit(X, y).predict(X), rtol=1e-9)


def test_clone_get_set_params_and_pickle():
    reg = GDRegressor(lr=0.05, batch_size=4, l2=0.1)
    assert repr(reg) == "GDRegressor(batch_size=4, l2=0.1, lr=0.05)"
    params = reg.get_params()
    assert params["lr"] == 0.05 and params["fit_intercept"] is True
    twin = clone(reg)
    assert twin is not reg and twin.get_params() == params
    twin.set_params(lr="auto", max_iter=3)
    assert twin.lr == "auto" and twin.max_iter == 3 and reg.lr == 0.05
    X, y = regression_data()
    fitted = GDRegressor(max_iter=50).fit(X, y)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict(X), fitted.predict(X))


def test_no_intercept():
    X, y = regression_data()
    reg = GDRegressor(fit_intercept=False, max_iter=3000, tol=None).fit(X, y)
    ref = LinearRegression(fit_intercept=False).fit(X, y)
    assert reg.intercept_ == 0.0
    np.testing.assert_allclose(reg.coef_, ref.coef_, atol=1e-8)


# -- errors -----------------------------------------------------------------------------------
def test_divergence_raises_with_a_stable_rate_in_the_message():
    X, y = regression_data(scales=[1.0, 1.0, 100.0])
    with pytest.raises(ValueError, match=r"diverged.*try lr="):
        GDRegressor(lr=1.0).fit(X, y)


def test_max_iter_reached_warns():
    X, y = regression_data(scales=[1e-2, 1.0, 1e2])
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        GDRegressor(max_iter=3).fit(X, y)


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ({"lr": -1.0}, ValueError, "lr must be finite and > 0"),
        ({"lr": [0.1]}, TypeError, "lr must be a positive float"),
        ({"lr": "warp(9)"}, ValueError, "warp"),
        ({"max_iter": 0}, ValueError, "max_iter must be an int >= 1"),
        ({"batch_size": 0.5}, ValueError, "batch_size must be None"),
        ({"method": "sgdx"}, ValueError, "sgdx"),
        ({"random_state": "seed"}, TypeError, "random_state must be"),
        ({"l2": "big"}, TypeError, "l2 must be a finite float"),
        ({"l2": float("nan")}, ValueError, "l2 must be a finite float >= 0, got nan"),
        ({"l2": float("inf")}, ValueError, "l2 must be a finite float >= 0, got inf"),
    ],
)
def test_bad_parameters_raise_when_fitting(params, error, match):
    X, y = regression_data()
    reg = GDRegressor(**params)  # __init__ only stores them
    with pytest.raises(error, match=match):
        reg.fit(X, y)


def test_one_class_is_refused():
    X, _ = classification_data()
    with pytest.raises(ValueError, match=r"at least 2 classes.*got 1 class"):
        GDClassifier().fit(X, np.zeros(len(X)))


# -- the intercept-free penalty and the remaining options ------------------------------------
@pytest.mark.parametrize("base", [LeastSquares(), Logistic(), Softmax(n_classes=3)])
def test_intercept_free_penalty_gradient_matches_finite_differences(base):
    rng = np.random.default_rng(1)
    X = np.column_stack((rng.normal(size=(30, 2)), np.ones(30)))
    model = InterceptFreeL2(base, l2=0.7)
    y = model.check_y(np.arange(30) % (3 if isinstance(base, Softmax) else 2), 30)
    w = rng.normal(size=base.init_params(X, y).shape)
    numeric = np.zeros_like(w)
    for idx in np.ndindex(*w.shape):
        e = np.zeros_like(w)
        e[idx] = 1e-6
        numeric[idx] = (model.loss(w + e, X, y) - model.loss(w - e, X, y)) / 2e-6
    np.testing.assert_allclose(model.grad(w, X, y), numeric, atol=1e-7)
    out, work = np.empty_like(w), np.empty((30, *w.shape[1:]))
    np.testing.assert_allclose(model.grad_into(w, X, y, out, work), numeric, atol=1e-7)
    # The intercept row carries no penalty: its gradient is the base model's.
    np.testing.assert_allclose(model.grad(w, X, y)[-1], base.grad(w, X, y)[-1])


@pytest.mark.parametrize("method", ["momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_update_rules_reach_the_least_squares_fit(method):
    X, y = regression_data()
    reg = GDRegressor(method=method, max_iter=3000, tol=None).fit(X, y)
    assert reg.score(X, y) == pytest.approx(LinearRegression().fit(X, y).score(X, y), abs=1e-3)


def test_validation_fraction_and_per_step_schedule():
    X, y = regression_data()
    reg = GDRegressor(
        lr="exponential(lr=0.05, gamma=0.999)", lr_per="step", batch_size=8, max_iter=5,
        tol=None, early_stopping=True, validation_fraction=0.25, random_state=0,
    ).fit(X, y)  # fmt: skip
    t = reg.history_
    assert t.val_loss is not None and np.isfinite(t.val_loss).all()
    assert t.config["lr_per"] == "step" and t.n_steps == 5 * 8  # 60 training rows, batches of 8
    assert t.lr[-1] == pytest.approx(0.05 * 0.999 ** (t.n_steps - 1))


def test_recorded_loss_on_many_rows_charges_the_penalty_once():
    # Enough rows for the engine to sum the objective over several row blocks.
    X, y = regression_data(n=120_000, d=2)
    reg = GDRegressor(l2=0.5, max_iter=2, tol=None).fit(X, y)
    A = np.column_stack((X, np.ones(len(y))))
    expected = InterceptFreeL2(LeastSquares(), l2=0.5).loss(reg.history_.w, A, y)
    assert reg.history_.loss[-1] == pytest.approx(expected, rel=1e-12)


# -- defaults reach the optimum, or say what to change ------------------------------------------
def test_a_slow_rule_warns_with_the_epochs_it_needs_and_then_converges():
    # Plain steps on standardized diabetes (kappa ~ 470): 1000 epochs at 1/L leave the
    # coefficients ~9% off LinearRegression's; the warning names the budget that suffices.
    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import StandardScaler as SkStandardScaler

    X, y = load_diabetes(return_X_y=True)
    ref = make_pipeline(SkStandardScaler(), LinearRegression()).fit(X, y)[-1].coef_
    with pytest.warns(ConvergenceWarning, match=r"raise max_iter to about (\d+)") as caught:
        make_pipeline(SkStandardScaler(), GDRegressor(method="gd", max_iter=1000)).fit(X, y)
    assert "method='accelerated'" in str(caught[0].message)
    needed = int(re.search(r"raise max_iter to about (\d+)", str(caught[0].message))[1])
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        pipe = make_pipeline(SkStandardScaler(), GDRegressor(method="gd", max_iter=needed))
        reg = pipe.fit(X, y)[-1]
    assert reg.history_.status == "converged" and reg.n_iter_ <= needed
    np.testing.assert_allclose(reg.coef_, ref, rtol=1e-4, atol=1e-4 * np.abs(ref).max())


@pytest.mark.parametrize("method", ["adam", "Adam", "ADAM", Adam()])
def test_auto_lr_of_an_adaptive_rule_ignores_name_case_and_instances(method):
    X, y = regression_data()
    reg = GDRegressor(method=method, max_iter=2, tol=None).fit(X, y)
    # Adam's documented rate, 0.01 times the target's spread, not 1/L.
    assert reg.history_.lr[-1] == pytest.approx(0.01 * y.std(), rel=1e-12)


def test_a_logit_of_exactly_zero_is_the_first_class_everywhere():
    X, y = classification_data()
    clf = GDClassifier(max_iter=5, tol=None).fit(X, y)
    clf.coef_[:] = 0.0
    clf.intercept_[:] = 0.0
    sk = LogisticRegression().fit(X, y)
    sk.coef_[:] = 0.0
    sk.intercept_[:] = 0.0
    expected = sk.predict(X[:3])  # scikit-learn's rule: class 1 only where the logit is > 0
    assert expected.tolist() == [0, 0, 0]
    assert clf.predict(X[:3]).tolist() == expected.tolist()
    assert Logistic().predict(np.zeros(3), np.c_[X[:3], np.ones(3)]).tolist() == [0, 0, 0]


def test_intercept_free_penalty_is_public_and_matches_ridge():
    X, y = regression_data()
    l2 = 0.4
    t = descend(
        InterceptFreeL2(LeastSquares(), l2=l2), np.c_[X, np.ones(len(y))], y, lr=0.2, epochs=3000
    )
    ref = Ridge(alpha=l2 * len(y) / 2).fit(X, y)  # sum of squares + alpha ||w||^2
    np.testing.assert_allclose(t.w[:-1], ref.coef_, atol=1e-8)
    assert t.w[-1] == pytest.approx(ref.intercept_, abs=1e-8)
    reg = GDRegressor(l2=l2, max_iter=2, tol=None).fit(X, y)
    assert reg.history_.config["model"] == repr(InterceptFreeL2(LeastSquares(), l2=l2))
