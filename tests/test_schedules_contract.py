"""The contract every schedule keeps: finite, deterministic, non-negative, vectorised, resumable,
printable as its call, equal by value, and round-tripping through text and dict."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gdlab import schedules as S

EXAMPLES: list[S.Schedule] = [
    S.constant(0.1),
    S.exponential(lr=0.2, gamma=0.95),
    S.exponential(lr=0.2, gamma=0.9, decay_steps=3, staircase=True),
    S.exponential(lr=0.2, gamma=0.9, decay_steps=3, end_lr=0.05),
    S.exponential(lr=1e-7, gamma=1.5, end_lr=10.0),
    S.step(lr=0.1, step_size=3, gamma=0.5),
    S.multistep(lr=0.1, milestones=[3, 7]),
    S.piecewise_constant(values=[0.1, 0.05, 0.01], boundaries=[3, 7]),
    S.piecewise_constant(values=[0.1, 0.05, 0.01], boundaries=[3, 7], dialect="keras"),
    S.inverse_time(lr=0.1, decay_rate=0.5, decay_steps=2),
    S.linear(lr=0.0, end_lr=0.1, total_steps=5),
    S.polynomial(lr=0.1, total_steps=6, end_lr=0.01, power=2.0),
    S.polynomial(lr=0.1, total_steps=5, power=0.5, cycle=True),
    S.cosine(lr=0.1, total_steps=8, min_lr=0.001, exponent=2.0),
    S.cosine(lr=0.1, total_steps=8, dialect="torch"),
    S.cosine_restarts(lr=0.1, first_period=3, t_mult=2, m_mult=0.8, min_lr=0.001),
    S.cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=5, mode="triangular2"),
    S.cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3, mode="exp_range", gamma=0.9),
    S.one_cycle(max_lr=0.1, total_steps=20),
    S.one_cycle(max_lr=0.1, total_steps=20, anneal="linear", three_phase=True, dialect="optax"),
    S.warmup_cosine(lr=0.1, warmup_steps=3, decay_steps=10),
    S.warmup_cosine(lr=0.1, warmup_steps=3, decay_steps=10, start_lr=0.01, dialect="keras"),
    S.warmup_stable_decay(lr=0.1, total_steps=12, warmup_steps=3, decay_steps=4, decay="cosine"),
    S.optimal(alpha=1e-3),
    S.optimal(alpha=1e-3, t0=5.0),
    S.invscaling(lr=0.5, power_t=0.5),
    S.join([S.linear(0.0, 0.1, 3), S.constant(0.1), S.cosine(0.1, 5)], boundaries=[3, 6]),
    S.warmup(S.exponential(lr=0.1, gamma=0.9), steps=4, start=0.001),
    S.scaled(S.step(lr=1.0, step_size=2), factor=0.1),
    S.product([S.cosine(lr=1.0, total_steps=10), S.exponential(lr=0.1, gamma=0.99)]),
    S.cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3, mode="triangular2").momentum(),
    S.one_cycle(max_lr=0.1, total_steps=20, three_phase=True).momentum(0.8, 0.95),
    S.exponential(lr=0.2, gamma=0.8, decay_steps=2, end_lr=0.05, delay_steps=3),
    S.linear(lr=0.1, end_lr=0.0, total_steps=5, delay_steps=2),
    S.polynomial(lr=0.1, total_steps=5, power=2.0, delay_steps=4),
    S.cosine_restarts(lr=0.1, first_period=3, t_mult=1.5, m_mult=0.9),
]
LESSON_FACTOR = S.factor(0.2, lambda epoch: 0.95**epoch)
ALL = [*EXAMPLES, LESSON_FACTOR]
SAVEABLE = EXAMPLES
T = np.arange(60)


def _id(s: S.Schedule) -> str:
    return repr(s)[:60]


def test_every_registered_schedule_has_an_example() -> None:
    covered = {type(s).__name__ for s in ALL}
    assert covered == set(S.SCHEDULES), set(S.SCHEDULES) ^ covered


@pytest.mark.parametrize("s", ALL, ids=_id)
def test_finite_non_negative_and_deterministic(s: S.Schedule) -> None:
    values = s(T)
    assert values.dtype == np.float64 and values.shape == T.shape
    assert np.all(np.isfinite(values))
    assert np.all(values >= 0)
    np.testing.assert_array_equal(values, s(T))


@pytest.mark.parametrize("s", ALL, ids=_id)
def test_vectorised_equals_scalar(s: S.Schedule) -> None:
    scalar = [s(int(t)) for t in T]
    assert all(type(v) is float for v in scalar)
    np.testing.assert_array_equal(s(T), np.array(scalar))
    np.testing.assert_array_equal(s(T.reshape(6, 10)), s(T).reshape(6, 10))
    assert s(np.int32(7)) == s(7)


@pytest.mark.parametrize("s", ALL, ids=_id)
def test_resume_in_two_pieces_equals_one_run(s: S.Schedule) -> None:
    n, m = 17, 29
    first, second = s(np.arange(n)), s(np.arange(n, n + m))
    np.testing.assert_array_equal(np.concatenate([first, second]), s(np.arange(n + m)))


@pytest.mark.parametrize("s", ALL, ids=_id)
def test_past_the_horizon_holds_the_final_value(s: S.Schedule) -> None:
    h = s.horizon
    if h is None:
        # No horizon (decays, cycles): it runs on by design, finite and non-negative far out.
        far = s(np.array([10**4, 10**6, 10**9]))
        assert np.all(np.isfinite(far)) and np.all(far >= 0)
        return
    periodic = getattr(s, "dialect", None) == "torch" and isinstance(s, S.cosine)
    tail = s(np.arange(h, h + 50))
    if periodic:
        assert tail.max() > tail[0]  # PyTorch's cosine rises again (documented)
    else:
        np.testing.assert_array_equal(tail, np.full(50, tail[0]))


@pytest.mark.parametrize("s", SAVEABLE, ids=_id)
def test_text_round_trip(s: S.Schedule) -> None:
    text = str(s)
    assert text == repr(s)
    back = S.parse(text)
    assert back == s and type(back) is type(s)
    np.testing.assert_array_equal(back(T), s(T))


@pytest.mark.parametrize("s", SAVEABLE, ids=_id)
def test_dict_round_trip_through_json(s: S.Schedule) -> None:
    data = json.loads(json.dumps(S.to_dict(s)))
    back = S.from_dict(data)
    assert back == s and hash(back) == hash(s)
    assert S.Schedule.from_dict(s.to_dict()) == s


@pytest.mark.parametrize("s", SAVEABLE, ids=_id)
def test_equality_is_by_value(s: S.Schedule) -> None:
    twin = S.parse(str(s))
    assert twin is not s and twin == s
    assert s != S.constant(123.0)


def test_numbers_are_normalised_so_equal_values_compare_equal() -> None:
    assert S.constant(1) == S.constant(1.0)
    assert repr(S.constant(1)) == "constant(lr=1.0)"
    assert S.multistep(1.0, (3, 7)) == S.multistep(1.0, [3, 7])
    assert S.cyclic(0.1, 1.0, 3) == S.cyclic(0.1, 1.0, 3, step_size_down=3)


def test_repr_is_the_call_that_built_it() -> None:
    assert repr(S.exponential(lr=0.2, gamma=0.95)) == "exponential(lr=0.2, gamma=0.95)"
    assert repr(S.cosine(0.1, 100)) == "cosine(lr=0.1, total_steps=100)"
    assert repr(S.warmup(S.constant(0.1), 5)) == "warmup(schedule=constant(lr=0.1), steps=5)"


def test_factor_cannot_be_saved_and_says_what_to_use_instead() -> None:
    with pytest.raises(TypeError, match=r"exponential\(lr, gamma\)"):
        LESSON_FACTOR.to_dict()
    with pytest.raises(ValueError, match="cannot read schedule text"):
        S.parse(str(LESSON_FACTOR))
    # the lesson's factor and its saveable form give the same rates
    np.testing.assert_allclose(
        LESSON_FACTOR(T), S.exponential(lr=0.2, gamma=0.95)(T), rtol=1e-15, atol=0
    )


def test_steps_must_be_non_negative() -> None:
    s = S.step(lr=0.1, step_size=2)
    with pytest.raises(TypeError, match="only at whole steps"):
        s(1.5)
    with pytest.raises(TypeError, match="integer"):
        s(np.array([0.0, 1.0]))
    with pytest.raises(TypeError, match="integer"):
        S.constant(0.1)(np.array(["1"]))
    with pytest.raises(ValueError, match=">= 0"):
        s(-1)
    with pytest.raises(ValueError, match=">= 0"):
        S.cosine(0.1, 10)(-0.5)
    with pytest.raises(ValueError, match="finite"):
        S.cosine(0.1, 10)(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="too large"):
        s(2**70)


INTEGER_ONLY = (S.step, S.multistep, S.piecewise_constant, S.factor)


@pytest.mark.parametrize("s", ALL, ids=_id)
def test_closed_forms_take_a_float_step_and_step_functions_refuse_it(s: S.Schedule) -> None:
    # A float step that is a whole number gives the integer step's value (up to rounding), and
    # the value between two steps lies between theirs where the closed form is monotone there.
    steps = np.arange(0, 20)
    children = [*getattr(s, "schedules", ()), getattr(s, "schedule", None)]
    whole_only = isinstance(s, INTEGER_ONLY) or any(isinstance(c, INTEGER_ONLY) for c in children)
    if whole_only:
        with pytest.raises(TypeError, match="only at whole steps"):
            s(steps.astype(np.float64))
        return
    np.testing.assert_allclose(s(steps.astype(np.float64)), s(steps), rtol=1e-12, atol=1e-300)
    assert type(s(2.0)) is float


def test_a_float_step_interpolates_the_closed_form() -> None:
    # cos annealing at the middle of step 2 -> 3 of a 4-step horizon: 0.5 (1 + cos(pi 2.5 / 4)).
    assert S.cosine(lr=1.0, total_steps=4)(2.5) == pytest.approx(0.5 * (1 + np.cos(np.pi * 0.625)))
    # SGDR with period 3 then 6: t = 4.5 is 1.5 steps into the 6-step period.
    got = S.cosine_restarts(lr=1.0, first_period=3, t_mult=2)(4.5)
    assert got == pytest.approx(0.5 * (1 + np.cos(np.pi * 1.5 / 6)))


def test_as_schedule() -> None:
    assert S.as_schedule(0.1) == S.constant(0.1)
    cos = S.cosine(0.1, 10)
    assert S.as_schedule(cos) is cos
    assert S.as_schedule("cosine(lr=0.1, total_steps=10)") == cos
    with pytest.raises(ValueError, match=r"\(0, inf\)"):
        S.as_schedule(-0.1)
    with pytest.raises(TypeError, match="factor"):
        S.as_schedule(lambda t: 0.1)  # type: ignore[arg-type]


def test_multiplication_builds_scaled_and_product() -> None:
    a, b = S.constant(0.5), S.exponential(lr=1.0, gamma=0.5)
    assert 2.0 * a == S.scaled(a, 2.0)
    assert a * b == S.product((a, b))
    assert (a * b)(3) == 0.5 * 0.125
