"""GDRegressor and GDClassifier as a practitioner uses them: scikit-learn's data sets, pipelines,
cross-validation, weights, streams and bad input.

Oracles: scikit-learn's solvers of the same objective at a tight tolerance (``LinearRegression``,
``Ridge``, ``LogisticRegression`` by newton-cg), gradients written out here in NumPy, the
closed form of gradient descent on least squares, and repeated rows for sample weights.
"""

from __future__ import annotations

import pickle
import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from gdlab.estimators import GDClassifier, GDRegressor


def standardized(load):
    X, y = load(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def stacked(est):
    return np.column_stack((np.atleast_2d(est.coef_), np.atleast_1d(est.intercept_)))


def relative_difference(est, ref):
    return float(np.abs(stacked(est) - stacked(ref)).max() / np.abs(stacked(ref)).max())


def tight_logistic(X, y, C=1.0, **kw):
    return LogisticRegression(C=C, solver="newton-cg", tol=1e-12, max_iter=10_000, **kw).fit(X, y)


def squares_gradient(coef, intercept, X, y, l2=0.0):
    """Gradient of mean((X coef + b - y)^2) + l2/2 |coef|^2 in (coef, b), written out."""
    r = X @ coef + intercept - y
    return np.r_[2 * X.T @ r / len(y) + l2 * coef, 2 * r.mean()]


def cross_entropy_gradient(coef, intercept, X, y, l2):
    """Gradient of the mean cross-entropy + l2/2 |coef|^2 (two classes or softmax)."""
    classes = np.unique(y)
    onehot = (y[:, None] == classes[None, :]).astype(float)
    scores = X @ np.atleast_2d(coef).T + intercept
    if scores.shape[1] == 1:
        p = 1 / (1 + np.exp(-scores[:, 0]))
        r = (p - onehot[:, 1])[:, None]
    else:
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        r = e / e.sum(axis=1, keepdims=True) - onehot
    return np.r_[(r.T @ X / len(y) + l2 * np.atleast_2d(coef)).ravel(), r.mean(axis=0)]


# -- "converged" only near the optimum; the best iterate otherwise ---------------------------------
def test_an_oscillating_mini_batch_fit_warns_and_keeps_its_best_iterate():
    # Momentum at 0.1 on batches of 16 overshoots: the epoch loss jumps between about 4,000
    # and 19,000. It used to stop after 10 epochs as "converged", returning the last iterate
    # (training R^2 -2.2 where least squares reaches 0.52).
    X, y = standardized(load_diabetes)
    reg = GDRegressor(lr=0.1, batch_size=16, method="momentum", max_iter=200, random_state=0)
    with pytest.warns(ConvergenceWarning, match="batches of 16 rows hover around the optimum"):
        reg.set_params(record=True).fit(X, y)
    t = reg.history_
    assert t.status == "max_epochs" and reg.n_iter_ == 200
    losses = t.loss[1:]  # the epoch ends
    assert losses.max() > 2 * losses.min()  # it does oscillate
    returned = np.mean((reg.predict(X) - y) ** 2)
    assert returned == pytest.approx(losses.min(), rel=1e-12)
    assert reg.score(X, y) >= 1 - losses[-1] / np.var(y)


@pytest.mark.parametrize(
    ("load", "make"),
    [(load_diabetes, GDRegressor), (load_breast_cancer, GDClassifier), (load_wine, GDClassifier)],
)
def test_a_converged_fit_meets_the_gradient_test_at_the_optimum(load, make):
    X, y = standardized(load)
    est = make().fit(X, y)
    assert est.history_.status == "converged"
    coef, intercept = est.coef_, est.intercept_
    if make is GDRegressor:
        grad = squares_gradient(coef, intercept, X, y)
        at_zero = squares_gradient(0 * coef, 0.0, X, y)
        ref = LinearRegression().fit(X, y)
    else:
        grad = cross_entropy_gradient(coef, intercept, X, y, est.l2_)
        at_zero = cross_entropy_gradient(0 * coef, 0 * intercept, X, y, est.l2_)
        ref = tight_logistic(X, y)
    assert np.linalg.norm(grad) <= est.tol * np.linalg.norm(at_zero) * (1 + 1e-6)
    assert relative_difference(est, ref) <= 1e-4


def test_mini_batches_converge_by_the_same_test_as_full_batch():
    # Noiseless data: every batch's gradient vanishes at the optimum, so constant-rate steps
    # reach it; tol means the same full-data gradient test whatever the batches.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = X @ [1.0, -2.0, 0.5] + 3.0
    reg = GDRegressor(batch_size=16, random_state=0, max_iter=300).fit(X, y)
    assert reg.history_.status == "converged" and reg.n_iter_ < 300
    grad = squares_gradient(reg.coef_, reg.intercept_, X, y)
    assert np.linalg.norm(grad) <= 1e-8 * np.linalg.norm(squares_gradient(0 * reg.coef_, 0, X, y))
    np.testing.assert_allclose(reg.coef_, [1.0, -2.0, 0.5], rtol=1e-7)
    # With noise the batches disagree at the optimum: constant-rate steps stay in a cloud
    # around it, which the same tol does not call converged (a loss that stopped improving
    # did, for mini-batches only).
    noisy = y + rng.normal(size=len(y))
    with pytest.warns(ConvergenceWarning, match="hover around the optimum"):
        reg = GDRegressor(batch_size=16, random_state=0, max_iter=300).fit(X, noisy)
    assert reg.history_.status == "max_epochs"


# -- messages that are right -----------------------------------------------------------------------
def test_a_diverging_mini_batch_fit_quotes_the_bound_of_batches():
    X, y = standardized(load_diabetes)
    A = np.c_[X, np.ones(len(y))]
    full = 2 / (2 * np.linalg.eigvalsh(A.T @ A / len(y))[-1])  # 0.2485: above the rate
    row = 2 / (2 * np.einsum("ij,ij->i", A, A).max())  # the bound for any batch
    with pytest.raises(ValueError, match=r"diverged at lr=0\.2") as caught:
        GDRegressor(lr=0.2, batch_size=1).fit(X, y)
    message = str(caught.value)
    assert 0.2 < full and f"{full:.4g}" not in message
    assert f"2/L_max = {row:.4g}" in message and 0.2 > row


def test_an_overflowing_loss_on_finite_data_says_it_overflowed():
    X, y = standardized(load_diabetes)
    with pytest.raises(ValueError) as caught:
        GDRegressor().fit(X, 1e200 * y)
    message = str(caught.value)
    assert "overflows float64" in message and "Scale the target" in message
    assert "NaN or infinite values" not in message


# -- defaults that converge ------------------------------------------------------------------------
@pytest.mark.parametrize("load", [load_breast_cancer, load_wine, load_digits])
def test_classifier_defaults_are_logistic_regression_c1_and_converge(load):
    X, y = standardized(load)  # all three are linearly separable
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf = GDClassifier().fit(X, y)
    assert clf.history_.status == "converged"
    assert clf.l2_ == pytest.approx(1 / len(y), rel=1e-15)
    assert relative_difference(clf, tight_logistic(X, y, C=1.0)) <= 1e-4


def test_without_a_penalty_separable_classes_are_named_not_more_epochs():
    # Following "raise max_iter to about 9,280" led to 99,201, then 494,742: there is no
    # optimum to reach.
    X, y = standardized(load_breast_cancer)
    with pytest.warns(ConvergenceWarning, match="separable") as caught:
        GDClassifier(l2=0.0, max_iter=300).fit(X, y)
    message = str(caught[0].message)
    assert "Set l2 > 0" in message and "raise max_iter" not in message


@pytest.mark.parametrize(
    ("load", "est", "anchor"),
    [
        (load_diabetes, GDRegressor(), LinearRegression()),
        (load_breast_cancer, GDClassifier(), LogisticRegression(C=1.0, tol=1e-10)),
        (load_wine, GDClassifier(), LogisticRegression(C=1.0, tol=1e-10)),
    ],
)
def test_default_fits_in_cross_validation_raise_no_warning(load, est, anchor):
    X, y = load(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = cross_val_score(make_pipeline(StandardScaler(), est), X, y, cv=5)
    theirs = cross_val_score(make_pipeline(StandardScaler(), anchor), X, y, cv=5)
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


# -- lr="auto" for mini-batches and adaptive rules -------------------------------------------------
def test_mini_batch_auto_rate_follows_the_mean_curvature_of_batches():
    X, y = standardized(load_digits)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
    clf = GDClassifier(batch_size=64, max_iter=30, tol=None, random_state=0).fit(X_train, y_train)
    A = np.c_[X_train, np.ones(len(y_train))]
    m, b, l2 = len(y_train), 64, clf.l2_
    L = np.linalg.eigvalsh(A.T @ A / m)[-1] / 2 + l2  # softmax's bound, all rows
    L_max = np.einsum("ij,ij->i", A, A).max() / 2 + l2  # the most curved row
    L_b = (m * (b - 1) * L + (m - b) * L_max) / (b * (m - 1))  # Gower et al. 2019, Prop. 3.8
    assert clf.history_.lr[-1] == pytest.approx(1 / (2 * L_b), rel=1e-9)
    assert clf.history_.lr[-1] > (1 / L) / 20  # the row bound alone was 1/350 of it
    assert clf.score(X_test, y_test) >= 0.95


@pytest.mark.parametrize("method", ["adam", "rmsprop", "adagrad"])
def test_adaptive_rules_with_auto_rate_reach_the_least_squares_fit(method):
    # Diabetes' target has mean 152 and spread 77: steps of 0.01 per coefficient needed over
    # 20,000 epochs to get there.
    X, y = standardized(load_diabetes)
    reg = GDRegressor(method=method, max_iter=2000, tol=None).fit(X, y)
    assert reg.score(X, y) >= LinearRegression().fit(X, y).score(X, y) - 5e-3


# -- what scikit-learn users reach for -------------------------------------------------------------
def test_sample_weight_is_repeating_rows_and_matches_scikit_learn():
    X, y = standardized(load_diabetes)
    weight = np.arange(len(y)) % 3  # 0, 1 or 2 copies of each row
    repeated = np.repeat(np.arange(len(y)), weight)
    ours = GDRegressor(l2=0.3).fit(X, y, sample_weight=weight)
    twin = GDRegressor(l2=0.3).fit(X[repeated], y[repeated])
    np.testing.assert_allclose(stacked(ours), stacked(twin), rtol=1e-6, atol=1e-8)
    # mean weighted loss + l2/2 |w|^2 is Ridge(alpha = l2 sum(s) / 2).
    ridge = Ridge(alpha=0.3 * weight.sum() / 2).fit(X, y, sample_weight=weight)
    assert relative_difference(ours, ridge) <= 1e-6

    Xc, yc = standardized(load_breast_cancer)
    weight = 1.0 + (np.arange(len(yc)) % 4)
    clf = GDClassifier().fit(Xc, yc, sample_weight=weight)
    assert clf.l2_ == pytest.approx(1 / weight.sum())  # LogisticRegression(C=1.0)'s penalty
    ref = tight_logistic(Xc, yc, C=1.0)
    ref.fit(Xc, yc, sample_weight=weight)
    assert relative_difference(clf, ref) <= 1e-4


@pytest.mark.parametrize("class_weight", ["balanced", {0: 3.0, 1: 1.0, 2: 0.5}])
def test_class_weight_matches_logistic_regression(class_weight):
    X, y = standardized(load_wine)
    clf = GDClassifier(class_weight=class_weight).fit(X, y)
    ref = tight_logistic(X, y, C=1.0, class_weight=class_weight)
    assert relative_difference(clf, ref) <= 1e-4


def test_l2_maps_to_logistic_regression_c_with_weights():
    X, y = standardized(load_breast_cancer)
    weight = 0.5 + (np.arange(len(y)) % 3)
    clf = GDClassifier(l2=0.05).fit(X, y, sample_weight=weight)
    ref = tight_logistic(X, y, C=1 / (0.05 * weight.sum()))
    ref.fit(X, y, sample_weight=weight)
    assert relative_difference(clf, ref) <= 1e-4


def test_partial_fit_steps_are_gradient_descent_in_closed_form():
    X, y = standardized(load_diabetes)
    reg = GDRegressor(method="gd")
    for _ in range(5):
        reg.partial_fit(X, y)  # one full-batch epoch each: one step at the first call's rate
    A = np.c_[X, np.ones(len(y))]
    H, c = 2 * A.T @ A / len(y), 2 * A.T @ y / len(y)
    w_star = np.linalg.solve(H, c)
    eta = 1 / np.linalg.eigvalsh(H)[-1]  # lr="auto" for full batch
    w0 = np.r_[np.zeros(X.shape[1]), y.mean()]  # the intercept starts at its optimum
    expected = w_star + np.linalg.matrix_power(np.eye(len(w0)) - eta * H, 5) @ (w0 - w_star)
    np.testing.assert_allclose(np.r_[reg.coef_, reg.intercept_], expected, rtol=1e-10)
    assert reg.n_iter_ == 5 and reg.t_ == 5 and reg.lr_ == pytest.approx(eta, rel=1e-10)


def test_classifier_partial_fit_streams_chunks_towards_the_optimum():
    X, y = standardized(load_wine)
    clf = GDClassifier(batch_size=16, random_state=0)
    with pytest.raises(ValueError, match="needs classes= on its first call"):
        clf.partial_fit(X[:50], y[:50])
    for epoch in range(200):
        for chunk in np.array_split(np.random.default_rng(epoch).permutation(len(y)), 4):
            clf.partial_fit(X[chunk], y[chunk], classes=np.unique(y))
    assert relative_difference(clf, tight_logistic(X, y, C=1 / (clf.l2_ * len(y)))) < 0.05
    assert clf.n_iter_ == 800
    with pytest.raises(ValueError, match="not in classes"):
        clf.partial_fit(X[:3], np.array([0, 1, 7]))


def test_warm_start_continues_from_the_previous_fit():
    X, y = standardized(load_breast_cancer)
    clf = GDClassifier(max_iter=20, warm_start=True, record=True)
    with pytest.warns(ConvergenceWarning, match="max_iter=20"):
        clf.fit(X, y)
    before = np.r_[clf.coef_[0], clf.intercept_]
    clf.set_params(max_iter=10_000).fit(X, y)
    np.testing.assert_array_equal(clf.history_.params[0], before)
    assert clf.history_.status == "converged"
    cold = GDClassifier(record=True).fit(X, y)
    assert not np.array_equal(cold.history_.params[0], before)


def test_early_stopping_keeps_the_validation_best_iterate():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 40))
    y = 2 * X[:, 0] + rng.normal(size=200)  # and 39 useless features: training overfits
    reg = GDRegressor(batch_size=8, early_stopping=True, n_iter_no_change=3, record=True,
                      random_state=0)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # stopping early is asked for: no warning
        reg.fit(X, y)
    t = reg.history_
    assert t.status == "early_stopped"
    assert t.state["val_index"].size == int(0.1 * 200)  # validation_fraction's rows
    best = int(np.argmin(t.val_loss))
    assert 0 < best and reg.n_iter_ == t.epoch[best] + 3  # then 3 epochs without a new low
    np.testing.assert_array_equal(np.r_[reg.coef_, reg.intercept_], t.params[best])


def test_verbose_prints_each_epoch(capsys):
    X, y = standardized(load_diabetes)
    reg = GDRegressor(max_iter=3, tol=None, verbose=1).fit(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == reg.n_iter_ == 3
    assert re.fullmatch(r"epoch 1: loss [0-9.e+-]+, gradient norm [0-9.e+-]+", lines[0])


def test_a_fitted_estimator_pickles_small_unless_asked_to_record():
    X, y = standardized(load_digits)
    clf = GDClassifier().fit(X, y)
    assert len(pickle.dumps(clf)) < 64 * 1024  # every epoch's parameters made it 5 MiB
    recorded = GDClassifier(max_iter=50, tol=None, record=True).fit(X, y)
    assert len(recorded.history_) == 51 and recorded.history_.params.shape == (51, 65, 10)
