"""gdlab.lesson's losses, gradients and descent loops against independent oracles.

Oracles: closed forms (np.linalg.solve, the linear recursion of gradient descent on a
quadratic), central finite differences, scikit-learn's metrics, and the legacy
``RandomState.permutation`` that ``np.random.shuffle`` applies after the same seed.
"""

# The course's helpers draw from NumPy's legacy global RNG; the tests seed it as callers do.
# ruff: noqa: NPY002

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, mean_squared_error

import gdlab.lesson
from gdlab.lesson import (
    MSELoss,
    SSELoss,
    array_split,
    arrayGenCla,
    arrayGenReg,
    logit_acc,
    logit_cla,
    logit_gd,
    lr_gd,
    sgd_cal,
    sigmoid,
    w_cal,
    w_cal_rec,
    z_score,
)

Grad = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def _central_diff(f: Callable[[np.ndarray], float], w: np.ndarray, h: float = 1e-6) -> np.ndarray:
    g = np.zeros_like(w)
    for idx in np.ndindex(w.shape):
        e = np.zeros_like(w)
        e[idx] = h
        g[idx] = (f(w + e) - f(w - e)) / (2 * h)
    return g


def _cross_entropy(X: np.ndarray, w: np.ndarray, y: np.ndarray) -> float:
    p = sigmoid(X @ w)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


@pytest.fixture
def reg_data() -> tuple[np.ndarray, np.ndarray]:
    np.random.seed(0)
    return arrayGenReg(num_examples=30, w=[2, -1, 0.5, 1], delta=0.1)


def test_losses_match_sklearn(reg_data: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = reg_data
    w = np.array([[1.0], [0.5], [-0.3], [0.2]])
    mse = mean_squared_error(y, X @ w)
    assert MSELoss(X, w, y).shape == (1, 1)
    assert_allclose(MSELoss(X, w, y)[0, 0], mse, rtol=1e-12)
    assert_allclose(SSELoss(X, w, y)[0, 0], mse * len(y), rtol=1e-12)


def test_lr_gd_matches_finite_differences(reg_data: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = reg_data
    w = np.array([[1.0], [0.5], [-0.3], [0.2]])
    fd = _central_diff(lambda v: float(MSELoss(X, v, y)[0, 0]), w)
    assert lr_gd(X, w, y).shape == w.shape
    assert_allclose(lr_gd(X, w, y), fd, rtol=1e-6, atol=1e-8)


def test_logit_gd_matches_finite_differences() -> None:
    np.random.seed(1)
    X, y = arrayGenCla(num_examples=20, num_class=2, bias=True)
    w = np.array([[0.3], [-0.2], [0.1]])
    fd = _central_diff(lambda v: _cross_entropy(X, v, y), w)
    assert_allclose(logit_gd(X, w, y), fd, rtol=1e-6, atol=1e-8)


def test_contour_experiment_converges_to_closed_form() -> None:
    # SPEC §6: X = [[1,1],[3,1]], y = [[2],[4]], w0 from seed 24, lr 0.1, 100 steps.
    x = np.array([[1, 1], [3, 1]])
    x_norm = np.copy(x)
    x_norm[:, :1] = z_score(x_norm[:, :1])
    y = np.array([[2], [4]])
    np.random.seed(24)
    w0 = np.random.randn(2, 1)
    gaps = []
    for data in (x, x_norm):
        w = np.copy(w0)
        w_out, path = w_cal_rec(data, w, y, gd_cal=lr_gd, lr=0.1, itera_times=100)
        assert w_out is w  # updated in place, as the course does
        assert len(path) == 101
        assert_array_equal(path[0], w0)
        assert_array_equal(path[-1], w)
        w_star = np.linalg.solve(data.astype(float), y.astype(float))
        # Gradient descent on a quadratic is the linear recursion
        # w_t - w* = (I - lr * H)^t (w_0 - w*), H = 2 X^T X / m.
        step = np.eye(2) - 0.1 * (2 * data.T @ data / 2)
        for t in (1, 10, 100):
            expected = w_star + np.linalg.matrix_power(step, t) @ (w0 - w_star)
            assert_allclose(path[t], expected, rtol=1e-10, atol=1e-12)
        gaps.append(float(np.linalg.norm(w - w_star)))
    # The lesson's point: the same 100 steps get far closer after z-scoring.
    assert gaps[1] < 1e-8
    assert gaps[0] > 1e3 * gaps[1]


def test_w_cal_equals_w_cal_rec_final_point(reg_data: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = reg_data
    w1 = np.zeros((4, 1))
    w2 = np.zeros((4, 1))
    w_cal(X, w1, y, lr_gd, lr=0.05, itera_times=7)
    w_cal_rec(X, w2, y, lr_gd, lr=0.05, itera_times=7)
    assert_array_equal(w1, w2)
    assert not np.all(w1 == 0)


def test_sgd_full_batch_without_shuffle_equals_w_cal(
    reg_data: tuple[np.ndarray, np.ndarray],
) -> None:
    X, y = reg_data
    w_gd = w_cal(X, np.zeros((4, 1)), y, lr_gd, lr=0.05, itera_times=6)
    w0 = np.zeros((4, 1))
    w_sgd = sgd_cal(X, w0, y, lr_gd, epoch=6, batch_size=len(X), lr=0.05, shuffle=False)
    assert_array_equal(w_sgd, w_gd)


def _recorder(calls: list[tuple[np.ndarray, np.ndarray]]) -> Grad:
    def grad(X: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
        calls.append((X.copy(), y.copy()))
        return lr_gd(X, w, y)

    return grad


def test_sgd_cal_batches_and_permutation() -> None:
    m, bs, epochs = 10, 4, 3
    X = np.arange(2 * m, dtype=float).reshape(m, 2)
    y = X[:, :1] * 3 + X[:, 1:]  # y determined by its row, to check alignment
    X_before, y_before = X.copy(), y.copy()
    calls: list[tuple[np.ndarray, np.ndarray]] = []
    w = np.zeros((2, 1))
    out = sgd_cal(X, w, y, _recorder(calls), epoch=epochs, batch_size=bs, lr=1e-4)
    assert out is w
    # ceil(10 / 4) = 3 updates per epoch, the last partial batch of 2 rows kept.
    assert [len(c[0]) for c in calls] == [4, 4, 2] * epochs
    # Inputs are copied, not shuffled in place.
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)
    # The global RNG is reseeded before each epoch, so the same permutation is applied again
    # to the already shuffled copy: epoch k sees the rows in the order perm^k.
    perm = np.random.RandomState(24).permutation(m)
    order = np.arange(m)
    for k in range(epochs):
        order = order[perm]
        seen_X = np.vstack([c[0] for c in calls[3 * k : 3 * k + 3]])
        seen_y = np.vstack([c[1] for c in calls[3 * k : 3 * k + 3]])
        assert_array_equal(seen_X, X_before[order])
        assert_array_equal(seen_y, y_before[order])


def test_sgd_cal_batch_one_matches_explicit_loop(reg_data: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = reg_data
    w = sgd_cal(X, np.zeros((4, 1)), y, lr_gd, epoch=2, batch_size=1, lr=0.01, random_state=5)
    perm = np.random.RandomState(5).permutation(len(X))
    ref = np.zeros((4, 1))
    Xs, ys = X, y
    for _ in range(2):
        Xs, ys = Xs[perm], ys[perm]
        for i in range(len(X)):
            xi, yi = Xs[i : i + 1], ys[i : i + 1]
            ref = ref - 0.01 * 2 * xi.T @ (xi @ ref - yi)
    assert_allclose(w, ref, rtol=1e-12, atol=1e-14)


def test_array_split_copies_aligns_and_splits() -> None:
    features = np.arange(20, dtype=float).reshape(10, 2)
    labels = features[:, :1] * 10
    f0, l0 = features.copy(), labels.copy()
    Xtr, Xte, ytr, yte = array_split(features, labels, rate=0.7, random_state=24)
    assert (len(Xtr), len(Xte), len(ytr), len(yte)) == (7, 3, 7, 3)
    perm = np.random.RandomState(24).permutation(10)
    assert_array_equal(np.vstack([Xtr, Xte]), f0[perm])
    assert_array_equal(np.vstack([ytr, yte]), l0[perm])
    assert_array_equal(features, f0)
    assert_array_equal(labels, l0)


def test_array_gen_cla_draw_order_and_labels() -> None:
    # SPEC: class i ~ normal(i*mean - mean*(C-1)/2, std), drawn in class order.
    np.random.seed(24)
    X, y = arrayGenCla(num_examples=5, num_inputs=3, num_class=3, deg_dispersion=[4, 2], bias=True)
    np.random.seed(24)
    expected = np.vstack([np.random.normal(4 * i - 4, 2, size=(5, 3)) for i in range(3)])
    assert_array_equal(X[:, :3], expected)
    assert_array_equal(X[:, 3], np.ones(15))
    assert_array_equal(y.ravel(), np.repeat([0.0, 1.0, 2.0], 5))
    assert y.shape == (15, 1)


@pytest.mark.parametrize("bias", [True, False])
def test_array_gen_reg_noise_drawn_after_features(bias: bool) -> None:
    w = [1.5, -2.0, 0.5]
    np.random.seed(3)
    X, y = arrayGenReg(num_examples=8, w=w, bias=bias, delta=0.5, deg=2)
    np.random.seed(3)
    k = len(w) - 1 if bias else len(w)
    raw = np.random.randn(8, k)
    noise = np.random.normal(size=(8, 1))
    coef = np.array(w[:k]).reshape(-1, 1)
    intercept = w[-1] if bias else 0.0
    assert X.shape == (8, len(w))
    assert_array_equal(X[:, :k], raw)
    assert_allclose(y, raw**2 @ coef + intercept + 0.5 * noise, rtol=1e-12)


def test_logit_cla_and_acc_against_sklearn() -> None:
    np.random.seed(2)
    X, y = arrayGenCla(num_examples=40, num_class=2, deg_dispersion=[2, 2], bias=True)
    w = np.array([[0.8], [0.4], [-0.1]])
    for thr in (0.3, 0.5, 0.7):
        expected = accuracy_score(y.ravel(), (sigmoid(X @ w) >= thr).ravel().astype(float))
        assert logit_acc(X, w, y, thr=thr) == pytest.approx(expected, abs=1e-15)
    assert_array_equal(logit_cla(np.array([[0.49], [0.5]])), [[0.0], [1.0]])


def test_combined_strategy_matches_sklearn_accuracy() -> None:
    # The course's combined strategy (SPEC §10): z-score with training statistics,
    # mini-batch 50, lr 0.2 decayed by 0.95 per epoch, 20 epochs, seed 24.
    np.random.seed(24)
    features, labels = arrayGenCla(num_class=2, bias=True)
    Xtrain, Xtest, ytrain, ytest = array_split(features, labels)
    mean_, std_ = Xtrain[:, :-1].mean(axis=0), Xtrain[:, :-1].std(axis=0)
    Xtrain[:, :-1] = (Xtrain[:, :-1] - mean_) / std_
    Xtest[:, :-1] = (Xtest[:, :-1] - mean_) / std_
    np.random.seed(24)
    w = np.random.randn(3, 1)
    for epoch in range(20):
        w = sgd_cal(Xtrain, w, ytrain, logit_gd, batch_size=50, epoch=1, lr=0.2 * 0.95**epoch)
    ref = LogisticRegression(C=np.inf).fit(Xtrain[:, :-1], ytrain.ravel())
    ref_acc = ref.score(Xtest[:, :-1], ytest.ravel())
    assert logit_acc(Xtest, w, ytest) >= ref_acc - 0.02
    assert logit_acc(Xtest, w, ytest) > 0.8


def test_star_import_exports_exactly_the_course_names() -> None:
    namespace: dict[str, object] = {}
    exec("from gdlab.lesson import *", namespace)
    exported = {k for k in namespace if not k.startswith("__")}
    assert exported == set(gdlab.lesson.__all__)
    assert len(exported) == 15


LESSON_CONTOUR_SNIPPET = """
import numpy as np
import matplotlib.pyplot as plt
from gdlab.lesson import *

x = np.array([[1, 1], [3, 1]])
x_norm = np.copy(x)
x_norm[:, :1] = z_score(x_norm[:, :1])
y = np.array([[2], [4]])
np.random.seed(24)
w = np.random.randn(2, 1)
w_norm = np.copy(w)
w, w_res = w_cal_rec(x, w, y, gd_cal = lr_gd, lr = 0.1, itera_times = 100)
w_norm, w_res_norm = w_cal_rec(x_norm, w_norm, y, gd_cal = lr_gd, lr = 0.1, itera_times = 100)
plt.subplot(121)
x1, x2 = np.meshgrid(np.arange(1, 2, 0.001), np.arange(-1, 1, 0.001))
plt.contour(x1, x2, (2-x1-x2)**2+(4-3*x1-x2)**2)
plt.plot(np.array(w_res)[:, 0], np.array(w_res)[:, 1], '-o', color='#ff7f0e')
plt.subplot(122)
x1, x2 = np.meshgrid(np.arange(0, 4, 0.01), np.arange(-1, 3, 0.01))
plt.contour(x1, x2, (2+x1-x2)**2+(4-x1-x2)**2)
plt.plot(np.array(w_res_norm)[:, 0], np.array(w_res_norm)[:, 1], '-o', color='#ff7f0e')
"""


def test_lesson_contour_code_runs_unchanged() -> None:
    # Copied from the seed text, section 3, with the import line changed to gdlab.lesson.
    import matplotlib.pyplot as plt

    namespace: dict[str, object] = {}
    try:
        exec(LESSON_CONTOUR_SNIPPET, namespace)
    finally:
        plt.close("all")
    assert_allclose(np.asarray(namespace["w_norm"]).ravel(), [1.0, 3.0], atol=1e-8)
    assert len(namespace["w_res"]) == 101  # type: ignore[arg-type]
