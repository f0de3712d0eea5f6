"""Update rules against their textbook formulas, written out step by step."""

from __future__ import annotations

import numpy as np
import pytest

from gdlab.optim import GD, AdaGrad, Adam, Momentum, Nesterov, RMSProp, UpdateRule, make_rule

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
