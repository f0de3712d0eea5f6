"""Model gradients against central finite differences, and the models' contract details."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.special

from gdlab.models import LeastSquares, Logistic, Model, Softmax


def _data(model: Model, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, 4))
    if isinstance(model, LeastSquares):
        y = X @ rng.normal(size=4) + rng.normal(size=30)
    elif isinstance(model, Logistic):
        y = (rng.random(30) < 0.5).astype(float)
    else:
        y = rng.integers(0, 3, size=30)
    w = rng.normal(size=model.init_params(X, y).shape)
    return X, y, w


MODELS = [
    LeastSquares(),
    LeastSquares(l2=0.3),
    Logistic(),
    Logistic(l2=0.3),
    Softmax(),
    Softmax(l2=0.3),
]


@pytest.mark.parametrize("model", MODELS, ids=repr)
def test_gradient_matches_central_differences(model: Model) -> None:
    X, y, w = _data(model)
    h = 1e-6
    numeric = np.zeros_like(w)
    for idx in np.ndindex(*w.shape):
        e = np.zeros_like(w)
        e[idx] = h
        numeric[idx] = (model.loss(w + e, X, y) - model.loss(w - e, X, y)) / (2 * h)
    np.testing.assert_allclose(model.grad(w, X, y), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("model", MODELS, ids=repr)
def test_loss_grad_and_grad_into_agree_with_loss_and_grad(model: Model) -> None:
    X, y, w = _data(model, seed=1)
    X, y = model.check(X, y)
    loss, grad = model.loss_grad(w, X, y)
    assert loss == pytest.approx(model.loss(w, X, y), rel=1e-14)
    np.testing.assert_allclose(grad, model.grad(w, X, y), rtol=1e-13, atol=1e-15)
    out = np.empty_like(w)
    work = np.empty((X.shape[0], *w.shape[1:]))
    model.grad_into(w, X, y, out, work)
    np.testing.assert_allclose(out, grad, rtol=1e-13, atol=1e-15)


def test_least_squares_is_the_lessons_mse_and_gradient() -> None:
    # The lesson's MSELoss and lr_gd, written out: mean squared residual, 2 X^T (Xw - y) / m.
    X, y, w = _data(LeastSquares())
    r = X @ w - y
    assert LeastSquares().loss(w, X, y) == pytest.approx(np.mean(r**2), rel=1e-14)
    np.testing.assert_allclose(LeastSquares().grad(w, X, y), 2 * X.T @ r / len(y), rtol=1e-14)


@pytest.mark.parametrize("model", [LeastSquares(0.5), Logistic(0.5)], ids=repr)
def test_hessian_matches_differences_of_the_gradient(model: Model) -> None:
    X, y, w = _data(model, seed=2)
    h = 1e-6
    cols = [
        (model.grad(w + h * e, X, y) - model.grad(w - h * e, X, y)) / (2 * h) for e in np.eye(4)
    ]
    np.testing.assert_allclose(model.hessian(w, X), np.array(cols).T, rtol=1e-5, atol=1e-7)  # type: ignore[attr-defined]


@pytest.mark.parametrize("model", [LeastSquares(0.1), Logistic(0.1), Softmax(0.1)], ids=repr)
def test_lipschitz_bounds_the_hessian(model: Model) -> None:
    X, y, w = _data(model, seed=3)
    L = model.lipschitz(X)
    # A bound on the curvature along random directions: v^T H v <= L |v|^2.
    rng = np.random.default_rng(4)
    for _ in range(5):
        v = rng.normal(size=w.shape)
        h = 1e-5
        curv = np.vdot(v, model.grad(w + h * v, X, y) - model.grad(w - h * v, X, y)) / (2 * h)
        assert curv <= L * np.vdot(v, v) * (1 + 1e-6)


def test_logistic_is_stable_for_huge_logits() -> None:
    X = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    w = np.array([1e3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = Logistic().loss(w, X, y)
        grad = Logistic().grad(w, X, y)
    # Two rows are right with margin 1e3 (loss ~0), two are wrong (loss 1e3 each).
    assert loss == pytest.approx(500.0, rel=1e-12)
    # Gradient: the two wrong rows each contribute x * (p - y) = +1, averaged over 4 rows.
    np.testing.assert_allclose(grad, [0.5], rtol=1e-12)


def test_softmax_is_stable_for_huge_scores() -> None:
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    y = np.array([0, 1])
    W = np.array([[1e3, -1e3], [-1e3, 1e3]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Softmax().loss(W, X, y) == pytest.approx(0.0, abs=1e-300)
        assert np.isfinite(Softmax().grad(W, X, y)).all()


def test_column_labels_are_flattened_and_shapes_checked() -> None:
    X, y, w = _data(LeastSquares())
    assert LeastSquares().loss(w, X, y[:, None]) == LeastSquares().loss(w, X, y)
    with pytest.raises(ValueError, match=r"y must have shape \(30,\)"):
        LeastSquares().check(X, y[:10])
    with pytest.raises(ValueError, match="2-D array"):
        LeastSquares().check(X[0], y)
    with pytest.raises(ValueError, match="NaN or infinite"):
        LeastSquares().check(np.where(X > 1, np.nan, X), y)


def test_bad_labels_and_settings_raise_clear_errors() -> None:
    X = np.ones((3, 2))
    with pytest.raises(ValueError, match=r"labels in \{0, 1\}"):
        Logistic().check(X, [0, 1, 2])
    with pytest.raises(ValueError, match="integer class ids"):
        Softmax().check(X, [0, 1.5, 2])
    with pytest.raises(ValueError, match="l2 must be a finite float >= 0"):
        LeastSquares(l2=-1.0)
    with pytest.raises(ValueError, match="w0 must have shape"):
        LeastSquares().check_params(np.zeros(3), X, np.zeros(3))


def test_predictions_and_repr() -> None:
    X = np.array([[2.0, -1.0], [-3.0, 0.5]])
    assert Logistic().predict(np.array([1.0, 0.0]), X).tolist() == [1, 0]
    np.testing.assert_allclose(
        Logistic().predict_proba(np.array([1.0, 0.0]), X), scipy.special.expit([2.0, -3.0])
    )
    W = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
    assert Softmax().predict(W, X).tolist() == [0, 2]
    np.testing.assert_allclose(Softmax().predict_proba(W, X).sum(axis=1), 1.0)
    assert repr(Softmax(l2=0.1, n_classes=3)) == "Softmax(l2=0.1, n_classes=3)"
    assert Logistic(0.5) == Logistic(0.5) and Logistic(0.5) != LeastSquares(0.5)
