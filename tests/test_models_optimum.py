"""Model optima against trusted oracles: NumPy's lstsq and scikit-learn's logistic models."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, Ridge

from gdlab.models import LeastSquares, Logistic, Softmax
from gdlab.optim import descend


def test_least_squares_optimum_equals_lstsq() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 5)) * [0.01, 0.1, 1.0, 10.0, 100.0]
    y = X @ rng.normal(size=5) + rng.normal(size=80)
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(LeastSquares().optimum(X, y), expected, rtol=1e-10)


def test_ridge_optimum_equals_sklearn_ridge() -> None:
    # Our objective mean(r^2) + l2/2 |w|^2 has the minimiser of sklearn's
    # |r|^2 + alpha |w|^2 with alpha = m * l2 / 2 (no intercept fitted).
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 4))
    y = X @ rng.normal(size=4) + rng.normal(size=60)
    l2 = 0.2
    ridge = Ridge(alpha=60 * l2 / 2, fit_intercept=False, solver="cholesky").fit(X, y)
    w = LeastSquares(l2=l2).optimum(X, y)
    np.testing.assert_allclose(w, ridge.coef_, rtol=1e-10)
    assert np.linalg.norm(LeastSquares(l2=l2).grad(w, X, y)) < 1e-12


def _classes(k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(k), 40)
    X = rng.normal(size=(40 * k, 2)) * 2.0 + y[:, None] * [1.0, -0.5]
    return np.c_[X, np.ones(len(y))], y


def test_logistic_long_descent_matches_sklearn_without_penalty() -> None:
    X, y = _classes(2, seed=2)
    t = descend(Logistic(), X, y, lr=1.0, epochs=3000, gtol=1e-10)
    assert t.status == "converged"
    # C=inf is scikit-learn's spelling of "no penalty" (penalty=None is deprecated in 1.8).
    sk = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12, max_iter=10_000)
    sk.fit(X, y)
    np.testing.assert_allclose(t.w, sk.coef_[0], rtol=1e-5, atol=1e-6)


def test_softmax_long_descent_matches_sklearn_multinomial() -> None:
    # scikit-learn's multinomial model is over-parametrised like ours; with an L2 penalty the
    # minimiser is unique. sklearn minimises sum(loss) + |W|^2 / (2C): C = 1 / (m * l2).
    X, y = _classes(3, seed=3)
    m, l2 = len(y), 0.01
    lr = 1.0 / Softmax(l2=l2).lipschitz(X)
    t = descend(Softmax(l2=l2), X, y, lr=lr, epochs=5000, gtol=1e-10, method="nesterov")
    assert t.status == "converged"
    sk = LogisticRegression(C=1.0 / (m * l2), fit_intercept=False, tol=1e-12, max_iter=10_000)
    sk.fit(X, y)
    np.testing.assert_allclose(t.w, sk.coef_.T, rtol=1e-5, atol=1e-6)
    assert (Softmax().predict(t.w, X) == sk.predict(X)).all()


def test_least_squares_descent_reaches_the_closed_form() -> None:
    X, y = _classes(2, seed=4)
    t = descend(LeastSquares(), X, y.astype(float), lr=0.05, epochs=2000, gtol=1e-12)
    assert t.status == "converged"
    np.testing.assert_allclose(t.w, LeastSquares().optimum(X, y), rtol=1e-9, atol=1e-10)
    assert t.loss[-1] == pytest.approx(LeastSquares().loss(t.w, X, y), rel=1e-10)
