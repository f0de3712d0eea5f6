"""cosine_restarts (SGDR) against its closed form, evaluated exactly: Python's integers and
fractions for a whole t_mult, 80-digit decimals for a fractional one.

Period k starts at s_k = P (m^k - 1) / (m - 1) and lasts P m^k; the oracle walks the periods
with exact arithmetic up to the step, so it finds the period of every step exactly, even where
m^k is far beyond int64 or float64.
"""

from __future__ import annotations

import math
import warnings
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest

from gdlab import schedules as S

INT64_MAX = 2**63 - 1


def _exact_period(s: S.cosine_restarts, t: int | float) -> tuple[int, Fraction]:
    """Period index and the exact fraction of it elapsed at step ``t`` (whole t_mult)."""
    step, first, mult = Fraction(t), s.first_period, s.t_mult
    assert isinstance(mult, int)
    if mult == 1:
        k, offset = divmod(step, first)
        return int(k), offset / first
    k, start, length = 0, 0, first
    while start + length <= step:
        start, length, k = start + length, length * mult, k + 1
    return k, (step - start) / length


def _closed_form(s: S.cosine_restarts, k: int, frac: float) -> float:
    decay = 0.5 * (1.0 + math.cos(math.pi * frac))
    return s.min_lr + (s.lr - s.min_lr) * s.m_mult**k * decay


def _starts(s: S.cosine_restarts, below: int) -> list[int]:
    """The period starts below ``below`` (for equal periods: the first 50 and the last 50)."""
    if s.t_mult == 1:
        last = (below - 1) // s.first_period
        ks = [*range(50), *range(max(50, last - 49), last + 1)]
        return [k * s.first_period for k in ks]
    starts, length = [0], s.first_period
    while starts[-1] + length < below:
        starts.append(starts[-1] + length)
        length *= s.t_mult
    return starts


WHOLE = [
    S.cosine_restarts(lr=1.0, first_period=1, t_mult=10**10),  # (10**10)**2 overflows int64
    S.cosine_restarts(lr=1.0, first_period=1, t_mult=2**31),
    S.cosine_restarts(lr=1.0, first_period=1, t_mult=1e19),  # Keras t_mul=1e19: above 2**63
    S.cosine_restarts(lr=1.0, first_period=1, t_mult=1e300),
    S.cosine_restarts(lr=0.1, first_period=3, t_mult=2, m_mult=0.8, min_lr=0.001),
    S.cosine_restarts(lr=1.0, first_period=5, t_mult=3, m_mult=0.5),
    S.cosine_restarts(lr=1.0, first_period=2**53, t_mult=7),
    S.cosine_restarts(lr=1.0, first_period=3),
    S.cosine_restarts(lr=1.0, first_period=2**40 + 1, m_mult=0.999),
]


def _whole_steps(s: S.cosine_restarts) -> tuple[np.ndarray, list[float]]:
    """Every period start below 2**63 and its neighbours, random int64 steps, and float steps
    from 0.5 to 1.7e308 (the starts themselves where float64 holds them)."""
    rng = np.random.default_rng(7)
    ints = {0, 1, 2, INT64_MAX, INT64_MAX - 1, *rng.integers(0, INT64_MAX, 200).tolist()}
    for start in _starts(s, INT64_MAX):
        ints.update(t for t in (start - 1, start, start + 1) if 0 <= t <= INT64_MAX)
    floats = [0.5, 4.5, 1e15 + 0.5, 1e20, 3.3e100, 1e300, 1.7e308]
    floats += (10.0 ** rng.uniform(0, 308, 100)).tolist()
    floats += [float(x) for x in _starts(s, 2**1000) if float(x) == x][:200]
    return np.array(sorted(ints), dtype=np.int64), floats


@pytest.mark.parametrize("s", WHOLE, ids=repr)
def test_a_whole_t_mult_is_exact_at_every_step(s: S.cosine_restarts) -> None:
    ints, floats = _whole_steps(s)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning either
        got_ints, got_floats = s(ints), s(np.array(floats))
    for steps, got in ((ints.tolist(), got_ints), (floats, got_floats)):
        exact = [_exact_period(s, t) for t in steps]
        want = [_closed_form(s, k, float(frac)) for k, frac in exact]
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15 * s.lr)
    # The restarts themselves: the value at a period start is that period's peak, exactly.
    for start in _starts(s, INT64_MAX):
        k = _exact_period(s, start)[0]
        assert s(start) == s.min_lr + (s.lr - s.min_lr) * np.power(s.m_mult, float(k))


def test_the_cases_that_overflowed_int64() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        huge = S.cosine_restarts(lr=1.0, first_period=1, t_mult=10**10)
        assert huge(10**10) < 1e-15  # the end of the 10**10-step period, not a restart
        assert huge(10**10 + 1) == 1.0  # the restart
        assert S.cosine_restarts(lr=1.0, first_period=1, t_mult=2**31)(2**31 + 1) == 1.0
        keras = S.cosine_restarts(lr=1.0, first_period=1, t_mult=1e19)
        assert keras.t_mult == 10**19 and keras(0) == 1.0
        # A float step of 1e20 with periods 3, 6, 12, ...: 1e20 = 3 (2^k - 1) + offset.
        _, frac = _exact_period(S.cosine_restarts(lr=1.0, first_period=3, t_mult=2), 1e20)
        got = S.cosine_restarts(lr=1.0, first_period=3, t_mult=2)(1e20)
        assert got == pytest.approx(0.5 * (1 + math.cos(math.pi * float(frac))), rel=1e-14)
        # 1e20 = 3 * 33333333333333333333 + 1: one third of a period of 3 steps.
        assert S.cosine_restarts(lr=1.0, first_period=3)(1e20) == pytest.approx(0.75, rel=1e-15)


def _decimal_fraction(first: int, mult: float, t: float) -> tuple[int, float]:
    """Period index and fraction for a fractional t_mult, at 80 significant digits."""
    with localcontext() as ctx:
        ctx.prec = 80
        m, q = Decimal(mult), Decimal(t) / first  # Decimal(float) is the float exactly
        r = m - 1

        def start(k: int) -> Decimal:
            return (m**k - 1) / r

        k = int(((q * r + 1).ln() / m.ln()).to_integral_value(rounding="ROUND_FLOOR"))
        while start(k) > q:
            k -= 1
        while start(k + 1) <= q:
            k += 1
        return k, float((q - start(k)) / m**k)


@pytest.mark.parametrize("first", [1, 3, 1000, 2**40])
@pytest.mark.parametrize("mult", [1.5, 3.7, 1.001, 1 + 2**-20, 2**51 + 0.5])
def test_a_fractional_t_mult_follows_its_closed_form(first: int, mult: float) -> None:
    s = S.cosine_restarts(lr=1.0, first_period=first, t_mult=mult)
    rng = np.random.default_rng(3)
    ints = [0, 1, 2, 5, 17, 1000, 12345, 2**53 - 1, 2**62 + 12345, INT64_MAX]
    ints += rng.integers(0, 2**40, 30).tolist()
    floats = [0.5, 4.5, 1e15 + 0.5, 1e20, 3.3e100, 1e200, 1e300, 1.7e308]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = np.concatenate([s(np.array(ints)), s(np.array(floats))])
    want = [0.5 * (1 + math.cos(math.pi * _decimal_fraction(first, mult, t)[1])) for t in ints]
    want += [0.5 * (1 + math.cos(math.pi * _decimal_fraction(first, mult, t)[1])) for t in floats]
    # float64 loses about log2(1 / (t_mult - 1)) bits of a step's place in its period, and
    # log2(log(t)) more where the powers are taken through logarithms (steps beyond 1e270).
    tolerance = 2e-15 * (1 + 1 / (mult - 1)) * 750
    np.testing.assert_allclose(got, want, rtol=0, atol=tolerance)


def test_a_fractional_t_mult_too_close_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"cosine_restarts: a fractional t_mult must be at least"):
        S.cosine_restarts(lr=0.1, first_period=3, t_mult=1 + 2**-30)
    with pytest.raises(ValueError, match="t_mult must be at least"):
        S.parse("cosine_restarts(lr=0.1, first_period=3, t_mult=1.0000000000000002)")
    assert S.cosine_restarts(lr=0.1, first_period=3, t_mult=1 + 2**-20).t_mult == 1 + 2**-20
    assert S.cosine_restarts(lr=0.1, first_period=3, t_mult=1.0).t_mult == 1  # equal periods


def test_a_growing_peak_is_inf_only_where_it_overflows_and_never_nan() -> None:
    s = S.cosine_restarts(lr=1.0, first_period=3, t_mult=3, m_mult=5.0)
    steps = np.array([0.0, 1e6, 2.0**62, 1e300, 1.7e308])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = s(steps)
    assert not np.isnan(got).any()
    for t, value in zip(steps.tolist(), got.tolist(), strict=True):
        k, frac = _exact_period(S.cosine_restarts(lr=1.0, first_period=3, t_mult=3), t)
        log_value = k * math.log(5.0) + math.log(0.5 * (1 + math.cos(math.pi * float(frac))))
        if log_value < 709:
            assert value == pytest.approx(math.exp(log_value), rel=1e-12)
        else:
            assert value == math.inf
    # The last step of the period of 2**61 steps: 0.5 (1 + cos(pi f)) is 0 in float64 (f rounds
    # to 1), under a peak of 1e610: the rate is that formula's, min_lr, not inf * 0 = nan.
    ending = S.cosine_restarts(lr=1.0, first_period=1, t_mult=2, m_mult=1e10, min_lr=0.001)
    assert 0.5 * (1 + math.cos(math.pi * float(Fraction(2**61 - 1, 2**61)))) == 0.0
    assert ending(2**62 - 2) == 0.001
