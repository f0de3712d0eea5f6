"""Cosine annealing with warm restarts (SGDR): periods that grow by ``t_mult``, found exactly.

A whole ``t_mult`` (PyTorch's ``T_mult``) places every restart with Python's integers: the
period starts :math:`s_k = P(m^k - 1)/(m - 1)` are listed once, as exact integers and as floats
rounded up, and a step finds its period by a binary search. No power of ``t_mult`` is taken
in int64 (``10**10`` squared overflows it), so any whole ``t_mult`` a float can hold works at
every step, int64 or float up to 1.8e308. A fractional ``t_mult`` (Keras' float ``t_mul``)
starts its periods between steps; those are found in float64 as Keras does, with logarithms
where the powers would overflow, and ``t_mult`` must then exceed 1 by enough that float64 can
tell its periods apart (:data:`MIN_FRACTIONAL_GROWTH`).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import sys
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from gdlab.schedules import params as P
from gdlab.schedules.base import FloatArray, IntArray, Schedule

__all__ = ["MIN_FRACTIONAL_GROWTH", "cosine_restarts"]

#: Smallest ``t_mult - 1`` of a fractional ``t_mult``. A step's place in its period is the
#: difference of two numbers about ``1 / (t_mult - 1)`` periods large, so float64 loses
#: ``log2(1 / (t_mult - 1))`` of its 53 bits there: at 2**-20 about 1e-9 of a period is lost;
#: much closer to 1, the restarts themselves could no longer be placed.
MIN_FRACTIONAL_GROWTH = 2.0**-20

# Beyond this exponent (natural log) a power of t_mult is taken through logarithms.
_LOG_LIMIT = 700.0
_INT64_MAX = np.iinfo(np.int64).max


@dataclasses.dataclass(frozen=True)
class _Periods:
    """Every period of a whole ``t_mult`` that starts before 2**1024: starts and lengths.

    ``starts`` are exact where they fit int64 (searched by int64 steps); ``starts_up`` are
    the starts rounded up to float64 (a float step ``t`` is ``>= s`` exactly when it is
    ``>=`` the float at or above ``s``); a length is stored as ``length * 2**-shift`` with
    ``shift`` chosen so that it is a normal float64 even where the length itself is not.
    """

    starts: IntArray
    starts_up: FloatArray
    scaled_lengths: FloatArray
    shifts: IntArray


def _float_up(n: int) -> float:
    """The smallest float64 >= the integer ``n`` (inf beyond the largest float)."""
    try:
        x = float(n)
    except OverflowError:
        return math.inf
    return math.nextafter(x, math.inf) if int(x) < n else x


def _periods(first: int, mult: int) -> _Periods:
    starts, lengths = [0], [first]
    while starts[-1] < 2**1024:
        starts.append(starts[-1] + lengths[-1])
        lengths.append(lengths[-1] * mult)
    shifts = [max(0, n.bit_length() - sys.float_info.max_exp + 30) for n in lengths]
    return _Periods(
        starts=np.array([s for s in starts if s <= _INT64_MAX], dtype=np.int64),
        starts_up=np.array([_float_up(s) for s in starts], dtype=np.float64),
        scaled_lengths=np.array([n / 2**e for n, e in zip(lengths, shifts, strict=True)]),
        shifts=np.array(shifts, dtype=np.int64),
    )


@dataclasses.dataclass(frozen=True, repr=False)
class cosine_restarts(Schedule):
    r"""Cosine annealing with warm restarts, SGDR (PyTorch ``CosineAnnealingWarmRestarts``,
    Keras ``CosineDecayRestarts``).

    Period :math:`k` lasts :math:`P\,m^k` steps (``first_period`` times ``t_mult`` to the k)
    and starts at :math:`s_k = P(m^k - 1)/(m - 1)` (:math:`kP` when :math:`m = 1`); inside it

    :math:`\eta_t = \mathrm{min\_lr} + (\mathrm{lr} - \mathrm{min\_lr})\,
    \mathrm{m\_mult}^k\,\tfrac12\left(1 + \cos\left(\pi\,\frac{t - s_k}{P m^k}\right)\right)`.

    With a whole ``t_mult`` the period index is found with exact integer arithmetic, for any
    whole ``t_mult`` and any step: a restart happens exactly at :math:`s_k`. A fractional one
    (Keras' float ``t_mul``) starts periods between steps and is evaluated in float64. A peak
    that grows (``m_mult > 1``) beyond float64 is inf, as `exponential`'s. PyTorch's
    ``eta_min`` is ``min_lr``; Keras' ``alpha`` is ``min_lr / lr`` and its ``m_mul`` is
    ``m_mult``. It never ends (no horizon).

    Parameters
    ----------
    lr : float
        Peak of the first period, > 0.
    first_period : int
        Length :math:`P` of the first period (PyTorch ``T_0``, Keras ``first_decay_steps``).
    t_mult : int or float, default 1
        Each period is ``t_mult`` >= 1 times longer than the previous one (an int in PyTorch,
        a float in Keras; a whole float such as 2.0 or 1e19 is stored as the int). A fractional
        one must be at least ``1 + 2**-20`` (:data:`MIN_FRACTIONAL_GROWTH`).
    m_mult : float, default 1.0
        Each period's peak above ``min_lr`` is ``m_mult`` times the previous one (Keras).
    min_lr : float, default 0.0
        Floor of every period, in ``[0, lr]``.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import cosine_restarts
    >>> cosine_restarts(lr=1.0, first_period=2, t_mult=2)(np.arange(7)).round(3)
    array([1.   , 0.5  , 1.   , 0.854, 0.5  , 0.146, 1.   ])
    >>> s = cosine_restarts(lr=1.0, first_period=1, t_mult=10**10)  # periods 1, 1e10, 1e20
    >>> s(np.array([10**10, 10**10 + 1]))  # the end of the second period, the third's start
    array([0., 1.])
    """

    real_steps: ClassVar[bool] = True

    lr: float
    first_period: int
    t_mult: int | float = 1
    m_mult: float = 1.0
    min_lr: float = 0.0

    def __post_init__(self) -> None:
        owner = "cosine_restarts"
        self._set("lr", P.number(owner, "lr", self.lr, low=0.0, low_open=True))
        self._set("first_period", P.integer(owner, "first_period", self.first_period, low=1))
        t_mult = P.number(owner, "t_mult", self.t_mult, low=1.0)
        if not t_mult.is_integer() and t_mult - 1.0 < MIN_FRACTIONAL_GROWTH:
            raise ValueError(
                f"{owner}: a fractional t_mult must be at least 1 + 2**-20 = "
                f"{1.0 + MIN_FRACTIONAL_GROWTH!r}, got {self.t_mult!r:.60}: periods that grow "
                "by less than that cannot be told apart in float64; use t_mult=1 for periods "
                "of equal length."
            )
        # A whole float (2.0, Keras' 1e19) is the int it equals: its restarts are then exact.
        self._set("t_mult", int(t_mult) if t_mult.is_integer() else t_mult)
        self._set("m_mult", P.number(owner, "m_mult", self.m_mult, low=0.0, low_open=True))
        self._set("min_lr", P.number(owner, "min_lr", self.min_lr, low=0.0, high=self.lr))

    @functools.cached_property
    def _periods(self) -> _Periods:
        assert isinstance(self.t_mult, int)
        return _periods(self.first_period, self.t_mult)

    def _whole(self, t: NDArray[Any]) -> tuple[NDArray[Any], FloatArray]:
        """Period index and fraction of a whole ``t_mult``, from the exact period starts."""
        if self.t_mult == 1:
            k, offset = np.divmod(t, self.first_period)  # exact for int64 and float64 steps
            return k, offset / float(self.first_period)
        table = self._periods
        if t.dtype.kind == "f":
            k = np.searchsorted(table.starts_up, t, side="right") - 1
            offset = t - table.starts_up[k]
        else:
            k = np.searchsorted(table.starts, t, side="right") - 1
            offset = (t - table.starts[k]).astype(np.float64)
        return k, np.ldexp(offset, -table.shifts[k]) / table.scaled_lengths[k]

    def _starts_after(self, k: FloatArray, q: FloatArray) -> NDArray[np.bool_]:
        """Whether period ``k`` of a fractional ``t_mult`` starts after ``q`` first periods."""
        m, r = float(self.t_mult), float(self.t_mult) - 1.0
        k_log = k * math.log(m)
        far = k_log >= _LOG_LIMIT  # m**k would overflow: compare the logarithms
        after = (np.power(m, np.where(far, 0.0, k)) - 1.0) / r > q
        if far.any():
            kf = k_log[far]
            after[far] = kf + np.log(-np.expm1(-kf)) - math.log(r) > np.log(q[far])
        return after

    def _fractional(self, t: NDArray[Any]) -> tuple[FloatArray, FloatArray]:
        """Period index and fraction of a fractional ``t_mult``, in Keras' form: with
        :math:`q = t/P`, period k starts at :math:`(m^k - 1)/(m - 1)` first periods."""
        m = float(self.t_mult)
        r, log_m = m - 1.0, math.log(m)
        q = t / float(self.first_period)
        log_x = np.log1p(q * r)
        huge = ~np.isfinite(log_x)  # q r beyond float64: log(1 + q r) is log(q) + log(r)
        if huge.any():
            log_x[huge] = np.log(q[huge]) + math.log(r)
        k = np.floor(log_x / log_m)  # a float estimate, then a correction by one
        k = np.where(self._starts_after(k, q), k - 1.0, k)
        k = np.maximum(np.where(self._starts_after(k + 1.0, q), k, k + 1.0), 0.0)
        k_log = k * log_m
        far = k_log >= _LOG_LIMIT
        growth = np.power(m, np.where(far, 0.0, k))
        frac = (q - (growth - 1.0) / r) / growth
        if far.any():
            kf = k_log[far]
            frac[far] = np.exp(np.log(q[far]) - kf) + np.expm1(-kf) / r
        return k, np.clip(frac, 0.0, 1.0)

    def _value(self, t: IntArray) -> FloatArray:
        # Overflow and 0 * inf are handled below; NumPy's warnings would only repeat that.
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            if isinstance(self.t_mult, int):
                k, frac = self._whole(t)
            else:
                k, frac = self._fractional(t)
            decay = 0.5 * (1.0 + np.cos(np.pi * frac))
            return self.min_lr + self._peak_times(k, decay)

    def _peak_times(self, k: NDArray[Any], decay: FloatArray) -> FloatArray:
        """``(lr - min_lr) * m_mult**k * decay``, without ``inf * 0``: a decay of 0 gives 0,
        and a peak beyond float64 is taken through logarithms (inf only when the product
        itself is)."""
        span = self.lr - self.min_lr
        out = span * np.power(self.m_mult, k.astype(np.float64)) * decay
        if self.m_mult > 1.0 and span > 0.0:
            far = ~np.isfinite(out)
            logs = math.log(span) + k[far] * math.log(self.m_mult) + np.log(decay[far])
            out[far] = np.exp(logs)
        out[decay == 0.0] = 0.0
        return out
