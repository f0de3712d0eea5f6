"""Named invariants of individual schedules, the scikit-learn oracle and argument validation."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDRegressor

from gdlab import schedules as S

T = np.arange(200)


def test_lesson_exponential_decay_is_the_closed_form() -> None:
    # SPEC.md §8: lr_i = lr_init * 0.95**i with lr_init = 0.2.
    s = S.exponential(lr=0.2, gamma=0.95)
    expected = np.array([0.2 * 0.95**i for i in range(50)])
    np.testing.assert_allclose(s(np.arange(50)), expected, rtol=1e-14, atol=0)


def test_warmup_increases() -> None:
    s = S.warmup_cosine(lr=0.1, warmup_steps=10, decay_steps=50, start_lr=0.001)
    ramp = s(np.arange(11))
    assert np.all(np.diff(ramp) > 0)
    assert ramp[0] == 0.001


def test_peak_at_boundary() -> None:
    for dialect, horizon in (("optax", 50), ("keras", 60)):
        s = S.warmup_cosine(lr=0.1, warmup_steps=10, decay_steps=50, dialect=dialect)
        values = s(T)
        assert int(values.argmax()) == 10 and values[10] == 0.1
        # optax counts the warmup inside decay_steps, Keras after it
        assert s.horizon == horizon and values[horizon] == 0.0 and values[horizon - 1] > 0


def test_one_cycle_peak_step_per_dialect() -> None:
    # PyTorch: the peak is at pct_start * total_steps - 1; optax: at int(pct_start * total_steps).
    torch_s = S.one_cycle(max_lr=1.0, total_steps=100, pct_start=0.3)
    optax_s = S.one_cycle(max_lr=1.0, total_steps=100, pct_start=0.3, dialect="optax")
    assert int(torch_s(T).argmax()) == 29 and torch_s(29) == 1.0
    assert int(optax_s(T).argmax()) == 30 and optax_s(30) == 1.0
    assert torch_s(0) == pytest.approx(1.0 / 25.0, rel=1e-14)
    assert optax_s(0) == pytest.approx(1.0 / 25.0, rel=1e-14)
    assert torch_s(99) == optax_s(100) == 1.0 / 25.0 / 1e4


def test_cosine_reaches_its_floor_at_the_horizon_and_torch_rises_again() -> None:
    s = S.cosine(lr=0.1, total_steps=20, min_lr=0.01)
    assert s(20) == 0.01 and s(1000) == 0.01
    t = S.cosine(lr=0.1, total_steps=20, min_lr=0.01, dialect="torch")
    assert t(20) == 0.01 and t(40) == pytest.approx(0.1, rel=1e-15)


def test_restarts_happen_exactly_at_the_period_starts() -> None:
    s = S.cosine_restarts(lr=1.0, first_period=3, t_mult=2, m_mult=0.5)
    starts = [0, 3, 9, 21, 45, 93, 189]
    for k, start in enumerate(starts):
        assert s(start) == 0.5**k
        assert s(start - 1) < 0.5**k if start else True


def test_restart_index_is_exact_for_large_steps() -> None:
    s = S.cosine_restarts(lr=1.0, first_period=5, t_mult=3)
    starts = [5 * (3**k - 1) // 2 for k in range(1, 25)]
    np.testing.assert_array_equal(s(np.array(starts)), np.ones(len(starts)))


def test_boundary_counting_per_dialect() -> None:
    ms = S.multistep(lr=1.0, milestones=[5], gamma=0.5)
    torch_pc = S.piecewise_constant(values=[1.0, 0.5], boundaries=[5])
    keras_pc = S.piecewise_constant(values=[1.0, 0.5], boundaries=[5], dialect="keras")
    assert ms(5) == torch_pc(5) == 0.5  # new value at the boundary (PyTorch, optax)
    assert keras_pc(5) == 1.0 and keras_pc(6) == 0.5  # one step later (Keras)


def test_triangular2_halves_the_amplitude_each_cycle() -> None:
    s = S.cyclic(base_lr=0.0, max_lr=1.0, step_size_up=4, mode="triangular2")
    assert [s(4), s(12), s(20)] == [1.0, 0.5, 0.25]


def test_polynomial_cycle_jumps_back_up() -> None:
    s = S.polynomial(lr=1.0, total_steps=4, end_lr=0.1, cycle=True)
    assert s(4) == pytest.approx(0.1) and s(5) == pytest.approx(0.9 * (3 / 8) + 0.1)


def test_staircase_is_constant_within_blocks() -> None:
    s = S.exponential(lr=1.0, gamma=0.5, decay_steps=4, staircase=True)
    np.testing.assert_array_equal(s(np.arange(8)), [1.0] * 4 + [0.5] * 4)


def test_join_restarts_each_child_at_its_boundary() -> None:
    child = S.exponential(lr=0.5, gamma=0.9)
    s = S.join([S.constant(1.0), child], boundaries=[7])
    np.testing.assert_array_equal(s(np.arange(7, 30)), child(np.arange(23)))


def test_warmup_is_a_join_of_a_linear_ramp() -> None:
    inner = S.cosine(lr=0.1, total_steps=10)
    w = S.warmup(inner, steps=5, start=0.01)
    expected = S.join([S.linear(0.01, 0.1, 5), inner], [5])
    np.testing.assert_array_equal(w(T), expected(T))


def test_wsd_is_flat_in_the_middle() -> None:
    s = S.warmup_stable_decay(lr=0.1, total_steps=100, warmup_steps=10, decay_steps=20)
    np.testing.assert_array_equal(s(np.arange(10, 81)), np.full(71, 0.1))
    assert s(100) == 0.0 and s(0) == 0.0


def _sgd_final_weight(learning_rate: str, n: int, **kw: float) -> float:
    # One sample x=1, y=1, squared loss, no penalty, no intercept: w_{k+1} = w_k - eta_k (w_k - 1),
    # so after n updates from w_0 = 0, w_n = 1 - prod(1 - eta_k).
    reg = SGDRegressor(
        learning_rate=learning_rate, penalty=None, fit_intercept=False, shuffle=False,
        max_iter=n, tol=None, **kw,
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(np.ones((1, 1)), np.ones(1))
    return float(reg.coef_[0])


@pytest.mark.parametrize(
    ("learning_rate", "kw", "schedule"),
    [
        ("invscaling", {"eta0": 0.3, "power_t": 0.5}, S.invscaling(lr=0.3, power_t=0.5)),
        ("optimal", {"alpha": 0.5}, S.optimal(alpha=0.5)),
    ],
)
def test_sklearn_rates_match_sgdregressor(
    learning_rate: str, kw: dict[str, float], schedule: S.Schedule
) -> None:
    n = 12
    expected = _sgd_final_weight(learning_rate, n, **kw)
    got = 1.0 - np.prod(1.0 - schedule(np.arange(n)))
    assert got == pytest.approx(expected, rel=1e-12)


INVALID: list[tuple[Callable[[], object], str]] = [
    (lambda: S.constant(0.0), r"constant: lr must be in \(0, inf\), got 0.0"),
    (lambda: S.exponential(lr=0.1, gamma=0.0), r"gamma must be in \(0, inf\), got 0.0"),
    (lambda: S.exponential(lr=0.1, gamma=-1), r"gamma must be in \(0, inf\), got -1"),
    (lambda: S.multistep(lr=0.1, milestones=[]), "non-empty"),
    (lambda: S.multistep(lr=0.1, milestones=[5, 3]), r"strictly increasing, got \[5, 3\]"),
    (
        lambda: S.cosine(lr=0.1, total_steps=0),
        r"total_steps must be an int in \[1, 2\*\*53 = 9007199254740992\], got 0",
    ),
    (lambda: S.cosine(lr=0.1, total_steps=10, min_lr=0.2), r"min_lr must be in \[0, 0.1\]"),
    (lambda: S.cosine(lr=0.1, total_steps=10, dialect="jax"), "dialect must be one of"),
    (lambda: S.piecewise_constant(values=[1.0], boundaries=[3]), "len\\(boundaries\\) \\+ 1"),
    (lambda: S.one_cycle(max_lr=0.1, total_steps=3, pct_start=0.1), "empty phase"),
    (lambda: S.warmup_cosine(lr=0.1, warmup_steps=10, decay_steps=10), "decay_steps counts"),
    (lambda: S.warmup_stable_decay(0.1, 10, 6, 6), "warmup_steps \\+ decay_steps"),
    (lambda: S.join([S.constant(1.0)], boundaries=[3]), "needs len\\(boundaries\\) \\+ 1"),
    (lambda: S.cyclic(base_lr=0.2, max_lr=0.1), r"max_lr must be in \[0.2, inf\)"),
    (lambda: S.ReduceOnPlateau(factor=1.0), r"factor must be in \(0, 1\)"),
    (lambda: S.ReduceOnPlateau(mode="up"), "mode must be one of"),
    (lambda: S.check(S.constant(0.1), 0), r"total_steps must be an int in \[1, 2\*\*53"),
]


@pytest.mark.parametrize(("make", "pattern"), INVALID)
def test_invalid_arguments_name_parameter_value_and_range(
    make: Callable[[], object], pattern: str
) -> None:
    with pytest.raises(ValueError, match=pattern):
        make()


def test_wrong_types_raise_type_error() -> None:
    with pytest.raises(TypeError, match="step_size must be an int"):
        S.step(lr=0.1, step_size=2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="lr must be a number"):
        S.constant("0.1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"schedules\[1\] must be a Schedule"):
        S.join([S.constant(1.0), 0.5], boundaries=[3])  # type: ignore[list-item]


def test_exponential_end_lr_bounds_decay_and_growth() -> None:
    decay = S.exponential(lr=0.2, gamma=0.9, end_lr=0.01)
    h = decay.horizon
    assert h is not None and decay(h) == 0.01 and decay(h - 1) > 0.01
    growth = S.exponential(lr=1e-7, gamma=1.36, end_lr=10.0)
    g = growth.horizon
    assert g is not None and growth(g) == 10.0 and growth(g - 1) < 10.0
    assert growth(10**6) == 10.0  # capped, no overflow
    assert S.exponential(lr=1e-7, gamma=1.36)(10**6) == np.inf  # uncapped growth is honest


@pytest.mark.parametrize("staircase", [False, True])
def test_exponential_horizon_is_the_first_step_at_its_bound(staircase: bool) -> None:
    # lr * 0.5**p reaches end_lr = lr / 10 at p = log2(10) = 3.32 (p = 4 with staircase).
    # Found: the step was walked one at a time from decay_steps before it (seconds for 1e5).
    s = S.exponential(lr=1.0, gamma=0.5, decay_steps=10**6, staircase=staircase, end_lr=0.1)
    h = s.horizon
    assert h is not None
    expected = 4 * 10**6 if staircase else np.log2(10.0) * 10**6
    assert abs(h - expected) <= 1
    assert s(h) == 0.1 and s(h - 1) > 0.1  # the definition: first step at the bound
