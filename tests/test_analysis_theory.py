"""Theory of fixed-step gradient descent, and the theory against real descend runs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdlab.analysis import (
    TheoryCheck,
    best_lr,
    conditioning,
    contraction_rate,
    first_within_tolerance,
    predicted_iterations,
    stable_lr,
    steps_to_tolerance,
    theory_vs_measured,
)
from gdlab.models import LeastSquares
from gdlab.optim import descend

# Ratio measured / predicted below which the bound would be called loose. On a quadratic the
# bound is tight: the error's components on the two extreme eigenvectors contract at exactly
# the worst-case rate, so measured falls short of predicted only by the few steps the start's
# weight on them saves (ratio ~0.97 on these problems).
TIGHTNESS = 0.9


def regression(seed: int, n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) * [1.0, 5.0] + [2.0, 0.0]
    return X, X @ [1.5, -0.5] + 3.0 + 0.1 * rng.normal(size=n)


def test_closed_forms() -> None:
    assert stable_lr(4.0) == 0.5
    assert best_lr(4.0, 1.0) == pytest.approx(0.4)
    # kappa = 4: (kappa - 1) / (kappa + 1) = 0.6; lr = 1 / L: 1 - 1 / kappa = 0.75.
    assert contraction_rate(4.0, 1.0) == pytest.approx(0.6)
    assert contraction_rate(4.0, 1.0, lr=0.25) == pytest.approx(0.75)
    # The stability edge: rate 1 at lr = 2 / L, above 1 beyond it.
    assert contraction_rate(4.0, 1.0, lr=0.5) == pytest.approx(1.0)
    assert contraction_rate(4.0, 1.0, lr=0.6) > 1.0


def test_best_lr_minimises_the_rate() -> None:
    L, mu = 10.0, 0.7
    grid = np.linspace(0.01, 2 / L, 2001)
    rates = [contraction_rate(L, mu, lr) for lr in grid]
    assert grid[int(np.argmin(rates))] == pytest.approx(best_lr(L, mu), abs=grid[1] - grid[0])


def test_predicted_iterations_edges() -> None:
    assert predicted_iterations(0.5, 1e-3) == 10  # 0.5**9 > 1e-3 >= 0.5**10
    assert predicted_iterations(0.5, 0.25) == 2  # an exact power is not rounded up
    assert predicted_iterations(0.0, 1e-9) == 1
    assert predicted_iterations(0.3, 1.0) == 0
    assert math.isinf(predicted_iterations(1.0, 0.5))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: stable_lr(0.0), "L .* positive"),
        (lambda: best_lr(1.0, 2.0), "mu .* \\[0, L\\]"),
        (lambda: contraction_rate(1.0, 0.5, lr=-1.0), "lr must be"),
        (lambda: predicted_iterations(0.5, 0.0), "rtol must be"),
        (lambda: predicted_iterations(-0.1, 0.5), "rate must be"),
    ],
)
def test_bad_arguments(call: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()  # type: ignore[operator]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("which", ["best", "one_over_L"])
def test_measured_iterations_agree_with_the_bound(seed: int, which: str) -> None:
    X, y = regression(seed, n=40)
    A = np.hstack([X, np.ones((len(X), 1))])
    # kappa ~ 150 here: about 1,000 updates at 2 / (L + mu), 2,000 at 1 / L
    c = conditioning(X)
    lr = c.lr_best if which == "best" else 1.0 / c.L
    predicted = c.predicted_iterations(1e-6, lr)
    t = descend(LeastSquares(), A, y, lr=lr, epochs=int(predicted) + 5, record="step")
    check = theory_vs_measured(t, c, LeastSquares().optimum(A, y), 1e-6)
    assert check.lr == pytest.approx(lr)
    assert check.predicted == predicted
    assert check.measured is not None
    assert check.within_bound
    assert check.measured >= TIGHTNESS * check.predicted


def test_zscore_cuts_the_measured_count_as_kappa_predicts() -> None:
    X, y = regression(2, n=40)
    Z = (X - X.mean(0)) / X.std(0)
    counts: dict[str, int] = {}
    for name, D in (("raw", X), ("zscore", Z)):
        A = np.hstack([D, np.ones((len(D), 1))])
        c = conditioning(D)
        t = descend(LeastSquares(), A, y, lr=c.lr_best, epochs=2000, record="step")
        measured = steps_to_tolerance(t, LeastSquares().optimum(A, y), 1e-6)
        assert measured is not None and measured <= c.predicted_iterations(1e-6)
        counts[name] = measured
    assert counts["zscore"] * 10 < counts["raw"]


def test_above_two_over_L_diverges_below_converges() -> None:
    X, y = regression(3, n=40)
    A = np.hstack([X, np.ones((len(X), 1))])
    c = conditioning(X)
    below = descend(LeastSquares(), A, y, lr=0.95 * c.lr_stable, epochs=300)
    above = descend(LeastSquares(), A, y, lr=1.05 * c.lr_stable, epochs=300)
    assert below.loss[-1] < below.loss[0]
    assert above.status == "diverged" or above.loss[-1] > above.loss[0]


def test_loss_criterion_and_parameter_criterion() -> None:
    # w* = (1, 1), f* = 0 on X = I; lr = 0.5 halves the error each step, the loss
    # (quadratic in the error) falls by 4 each step.
    X, y = np.eye(2), np.ones(2)
    t = descend(LeastSquares(), X, y, lr=0.5, epochs=30, record="step")
    assert steps_to_tolerance(t, np.ones(2), 1e-3) == 10  # 0.5**10 <= 1e-3 < 0.5**9
    assert steps_to_tolerance(t, 0.0, 1e-3) == 5  # 0.25**5 <= 1e-3 < 0.25**4
    assert steps_to_tolerance(t, 0.0, 1e-30) is None
    assert first_within_tolerance(t, 0.0, 1.0) == 0
    with pytest.raises(ValueError, match="shape"):
        steps_to_tolerance(t, np.ones(3), 1e-3)
    with pytest.raises(ValueError, match="rtol"):
        steps_to_tolerance(t, 0.0, 0.0)


def test_theory_check_needs_a_fixed_rate_and_prints_its_numbers() -> None:
    from gdlab import schedules

    X, y = np.eye(2), np.ones(2)
    t = descend(
        LeastSquares(), X, y, lr=schedules.exponential(lr=0.5, gamma=0.5), epochs=5, record="step"
    )
    with pytest.raises(ValueError, match="fixed learning rate"):
        theory_vs_measured(t, conditioning(X, intercept=False), np.ones(2), 1e-3)
    text = repr(TheoryCheck(lr=0.5, rate=0.5, rtol=1e-3, predicted=10.0, measured=10))
    assert "predicted=10" in text and "measured=10" in text


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("x", 0.0, 1e-3), "trajectory must be a gdlab Trajectory .*got str"),
        ((None, 0.0, 1e-3), "trajectory must be a gdlab Trajectory .*got NoneType"),
        (("run", "zero", 1e-3), "optimum must be the optimal loss"),
        (("run", 0.0, "1e-3"), "rtol must be a number"),
    ],
)
def test_steps_to_tolerance_names_what_it_expected(args: tuple, match: str) -> None:
    # Found: AttributeError: 'str' object has no attribute 'loss'.
    X, y = np.eye(2), np.ones(2)
    run = descend(LeastSquares(), X, y, lr=0.5, epochs=3)
    args = tuple(run if a == "run" else a for a in args)
    with pytest.raises(TypeError, match=match):
        steps_to_tolerance(*args)
