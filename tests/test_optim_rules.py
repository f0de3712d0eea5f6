"""Update rules against their textbook formulas, written out step by step."""

from __future__ import annotations

import numpy as np
import pytest

from gdlab.optim import (
    GD,
    Accelerated,
    AdaGrad,
    Adam,
    Momentum,
    Nesterov,
    RMSProp,
    UpdateRule,
    make_rule,
)

G = [np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.array([-1.0, 3.0])]


def _run(rule: UpdateRule, lr: float = 0.1) -> np.ndarray:
    w = np.array([1.0, 1.0])
    state = rule.init(w)
    for g in G:
        rule.update(w, g.copy(), lr, state)
    return w


def test_gd() -> None:
    np.testing.assert_allclose(_run(GD()), np.array([1.0, 1.0]) - 0.1 * sum(G))


def test_momentum_and_nesterov() -> None:
    w, v = np.array([1.0, 1.0]), np.zeros(2)
    wn, vn = w.copy(), np.zeros(2)
    for g in G:
        v = 0.9 * v + g
        w = w - 0.1 * v
        vn = 0.9 * vn + g
        wn = wn - 0.1 * (g + 0.9 * vn)
    np.testing.assert_allclose(_run(Momentum()), w, rtol=1e-15)
    np.testing.assert_allclose(_run(Nesterov()), wn, rtol=1e-15)


def test_adagrad_and_rmsprop() -> None:
    w, s = np.array([1.0, 1.0]), np.zeros(2)
    wr, sr = w.copy(), np.zeros(2)
    for g in G:
        s = s + g**2
        w = w - 0.1 * g / (np.sqrt(s) + 1e-10)
        sr = 0.9 * sr + 0.1 * g**2
        wr = wr - 0.1 * g / (np.sqrt(sr) + 1e-8)
    np.testing.assert_allclose(_run(AdaGrad()), w, rtol=1e-14)
    np.testing.assert_allclose(_run(RMSProp()), wr, rtol=1e-14)


def test_adam() -> None:
    w, m, v = np.array([1.0, 1.0]), np.zeros(2), np.zeros(2)
    for t, g in enumerate(G, start=1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g**2
        w = w - 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    np.testing.assert_allclose(_run(Adam()), w, rtol=1e-14)


def test_rule_state_is_explicit_and_rules_print_their_settings() -> None:
    rule = Adam(beta1=0.8)
    state = rule.init(np.zeros(3))
    assert set(state) == {"m", "v", "t"} and rule == Adam(beta1=0.8)
    assert repr(rule) == "Adam(beta1=0.8, beta2=0.999, eps=1e-08)"
    assert repr(make_rule("momentum")) == "Momentum(momentum=0.9)"
    assert make_rule(rule) is rule


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: Momentum(momentum=1.5), "momentum must be in"),
        (lambda: RMSProp(rho=-0.1), "rho must be in"),
        (lambda: Adam(eps=0.0), "eps must be a small positive float"),
        (lambda: make_rule("lbfgs"), "method must be one of"),
    ],
)
def test_bad_settings_raise(build: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        build()  # type: ignore[operator]


def _fista(H: np.ndarray, c: np.ndarray, lr: float, steps: int, mu: float = 0.0) -> np.ndarray:
    """Accelerated steps on 1/2 w^T H w - c^T w, written out: FISTA's momentum, a restart when
    the gradient agrees with the move, a floor from mu (Nesterov's constant momentum)."""
    x = y = np.zeros(len(c))
    t = 1.0
    floor = (1 - np.sqrt(mu * lr)) / (1 + np.sqrt(mu * lr))
    for _ in range(steps):
        g = H @ y - c
        x_new = y - lr * g
        if g @ (x_new - x) > 0:
            t = 1.0
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
        beta = max((t - 1) / t_new, floor) if mu else (t - 1) / t_new
        y, x, t = x_new + beta * (x_new - x), x_new, t_new
    return y


@pytest.mark.parametrize("mu", [0.0, 0.05])
def test_accelerated_is_fista_with_restart(mu: float) -> None:
    rng = np.random.default_rng(0)
    B = rng.normal(size=(6, 4))
    H, c = B.T @ B / 6 + 0.05 * np.eye(4), rng.normal(size=4)
    lr = 1 / np.linalg.eigvalsh(H)[-1]
    rule = make_rule("accelerated") if not mu else Accelerated(mu=mu)
    w = np.zeros(4)
    state = rule.init(w)
    for _ in range(40):
        rule.update(w, H @ w - c, lr, state)
    np.testing.assert_allclose(w, _fista(H, c, lr, 40, mu), rtol=1e-12, atol=1e-14)


def test_a_searched_step_decreases_the_loss_as_the_descent_lemma_says() -> None:
    # Accepted when the gradient moves by at most |g|/2: for a convex loss that bounds the
    # curvature between the points by 1/(2 step), so f(w - step g) <= f(w) - step |g|^2 / 2.
    from gdlab.models import Logistic

    rng = np.random.default_rng(1)
    X = np.c_[rng.normal(size=(200, 3)) * [1.0, 5.0, 0.2], np.ones(200)]
    y = (X[:, 0] + rng.normal(size=200) > 0).astype(float)
    model, rule = Logistic(l2=0.01), Accelerated(line_search=True)
    lr = 1 / model.lipschitz(X)

    def oracle(v: np.ndarray) -> tuple[float, np.ndarray]:
        return model.loss_grad(v, X, y)

    grown = 0
    for _ in range(30):
        w = rng.normal(size=4)
        f, g = oracle(w)
        step, there = rule.search(w, g, lr, 64 * lr, oracle)
        assert step >= lr and step <= 256 * lr
        assert model.loss(w - step * g, X, y) <= f - step * (g @ g) / 2 + 1e-12
        grown += step > lr
        if there is not None:
            np.testing.assert_allclose(there, oracle(w - step * g)[1], rtol=1e-12)
    assert grown > 20  # the curvature is far below its bound: most steps exceed 1/L
