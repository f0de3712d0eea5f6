"""Schedules that anneal from one value to another over a horizon: linear, polynomial, cosine and
cosine with warm restarts (SGDR)."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from gdlab.schedules import params as P
from gdlab.schedules.base import FloatArray, IntArray, Schedule

__all__ = ["cosine", "cosine_restarts", "linear", "polynomial"]


@dataclasses.dataclass(frozen=True, repr=False)
class linear(Schedule):
    r"""Straight line from ``lr`` to ``end_lr`` over ``total_steps``, then ``end_lr``.

    :math:`\eta_t = (\mathrm{end\_lr} - \mathrm{lr})\,\min(t, T)/T + \mathrm{lr}`. PyTorch
    ``LinearLR`` (with factors times the base rate), optax ``linear_schedule``, Keras
    ``PolynomialDecay(power=1)``. ``lr = 0`` is allowed (a warmup from zero). ``delay_steps``
    (optax ``transition_begin``) holds ``lr`` that many steps first: :math:`t` becomes
    :math:`\max(t - \mathrm{delay\_steps}, 0)`.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import linear
    >>> linear(lr=0.0, end_lr=1.0, total_steps=4)(np.arange(6))
    array([0.  , 0.25, 0.5 , 0.75, 1.  , 1.  ])
    """

    real_steps: ClassVar[bool] = True

    lr: float
    end_lr: float
    total_steps: int
    delay_steps: int = 0

    def __post_init__(self) -> None:
        self._set("lr", P.number("linear", "lr", self.lr, low=0.0))
        self._set("delay_steps", P.integer("linear", "delay_steps", self.delay_steps))
        self._set("end_lr", P.number("linear", "end_lr", self.end_lr, low=0.0))
        self._set("total_steps", P.integer("linear", "total_steps", self.total_steps, low=1))

    def _value(self, t: IntArray) -> FloatArray:
        if self.delay_steps:
            t = np.maximum(t - self.delay_steps, 0)
        frac = np.minimum(t, self.total_steps) / float(self.total_steps)
        # Same operation order as Keras' warmup and PyTorch's OneCycleLR linear phase.
        return (self.end_lr - self.lr) * frac + self.lr

    @property
    def horizon(self) -> int | None:
        return self.delay_steps + self.total_steps


@dataclasses.dataclass(frozen=True, repr=False)
class polynomial(Schedule):
    r"""Polynomial decay (Keras ``PolynomialDecay``, PyTorch ``PolynomialLR``, optax
    ``polynomial_schedule``).

    :math:`\eta_t = (\mathrm{lr} - \mathrm{end\_lr})(1 - \min(t, T)/T)^{\mathrm{power}}
    + \mathrm{end\_lr}`.
    With ``cycle=True`` (Keras) the horizon grows to the next multiple of ``T`` instead of
    clamping: :math:`T_t = T\lceil t/T \rceil` (``T`` at ``t = 0``), so the rate jumps back up.
    ``delay_steps`` (optax ``transition_begin``) holds ``lr`` that many steps first.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import polynomial
    >>> polynomial(lr=1.0, total_steps=4, power=2.0)(np.arange(5))
    array([1.    , 0.5625, 0.25  , 0.0625, 0.    ])
    """

    real_steps: ClassVar[bool] = True

    lr: float
    total_steps: int
    end_lr: float = 0.0
    power: float = 1.0
    cycle: bool = False
    delay_steps: int = 0

    def __post_init__(self) -> None:
        owner = "polynomial"
        self._set("delay_steps", P.integer(owner, "delay_steps", self.delay_steps))
        self._set("lr", P.number(owner, "lr", self.lr, low=0.0, low_open=True))
        self._set("total_steps", P.integer(owner, "total_steps", self.total_steps, low=1))
        self._set("end_lr", P.number(owner, "end_lr", self.end_lr, low=0.0))
        self._set("power", P.number(owner, "power", self.power, low=0.0, low_open=True))
        self._set("cycle", P.flag(owner, "cycle", self.cycle))

    def _value(self, t: IntArray) -> FloatArray:
        if self.delay_steps:
            t = np.maximum(t - self.delay_steps, 0)
        steps = t.astype(np.float64)
        horizon = float(self.total_steps)
        if self.cycle:
            mult = np.where(t == 0, 1.0, np.ceil(steps / horizon))
            p = steps / (horizon * mult)
        else:
            p = np.minimum(steps, horizon) / horizon
        return (self.lr - self.end_lr) * np.power(1.0 - p, self.power) + self.end_lr

    @property
    def horizon(self) -> int | None:
        return None if self.cycle else self.delay_steps + self.total_steps


@dataclasses.dataclass(frozen=True, repr=False)
class cosine(Schedule):
    r"""Cosine annealing from ``lr`` to the floor ``min_lr`` over ``total_steps``.

    :math:`\eta_t = \mathrm{min\_lr} + (\mathrm{lr} - \mathrm{min\_lr})
    \left[\tfrac12\left(1 + \cos(\pi\,\tau/T)\right)\right]^{\mathrm{exponent}}`.

    ``dialect="optax"`` (default; Keras ``CosineDecay`` and optax ``cosine_decay_schedule``):
    :math:`\tau = \min(t, T)`, the rate holds ``min_lr`` after the horizon.
    ``dialect="torch"`` (PyTorch ``CosineAnnealingLR``): :math:`\tau = t`, so after ``T`` the rate
    rises again with period ``2T``. Keras/optax's ``alpha`` is ``min_lr / lr``; PyTorch's
    ``eta_min`` is ``min_lr``.

    Parameters
    ----------
    lr : float
        Value at ``t = 0``, > 0.
    total_steps : int
        Horizon :math:`T` (PyTorch ``T_max``, Keras/optax ``decay_steps``), >= 1.
    min_lr : float, default 0.0
        Floor reached at ``t = T``, in ``[0, lr]``.
    exponent : float, default 1.0
        Power of the cosine factor (optax), > 0.
    dialect : {"optax", "keras", "torch"}, default "optax"
        What happens after ``T``: hold (optax, Keras) or continue the cosine (PyTorch).

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import cosine
    >>> cosine(lr=1.0, total_steps=4)(np.arange(6)).round(4)
    array([1.    , 0.8536, 0.5   , 0.1464, 0.    , 0.    ])
    >>> cosine(lr=1.0, total_steps=4, dialect="torch")(np.arange(6)).round(4)
    array([1.    , 0.8536, 0.5   , 0.1464, 0.    , 0.1464])
    """

    real_steps: ClassVar[bool] = True

    lr: float
    total_steps: int
    min_lr: float = 0.0
    exponent: float = 1.0
    dialect: str = "optax"

    def __post_init__(self) -> None:
        owner = "cosine"
        self._set("lr", P.number(owner, "lr", self.lr, low=0.0, low_open=True))
        self._set("total_steps", P.integer(owner, "total_steps", self.total_steps, low=1))
        self._set("min_lr", P.number(owner, "min_lr", self.min_lr, low=0.0, high=self.lr))
        self._set("exponent", P.number(owner, "exponent", self.exponent, low=0.0, low_open=True))
        self._set("dialect", P.choice(owner, "dialect", self.dialect, ("optax", "keras", "torch")))

    def _value(self, t: IntArray) -> FloatArray:
        tau = t if self.dialect == "torch" else np.minimum(t, self.total_steps)
        decay = 0.5 * (1.0 + np.cos(np.pi * tau / self.total_steps))
        if self.exponent != 1.0:
            decay = np.power(decay, self.exponent)
        return self.min_lr + (self.lr - self.min_lr) * decay

    @property
    def horizon(self) -> int | None:
        return self.total_steps


@dataclasses.dataclass(frozen=True, repr=False)
class cosine_restarts(Schedule):
    r"""Cosine annealing with warm restarts, SGDR (PyTorch ``CosineAnnealingWarmRestarts``,
    Keras ``CosineDecayRestarts``).

    Period :math:`k` lasts :math:`P\,m^k` steps (``first_period`` times ``t_mult`` to the k)
    and starts at :math:`s_k = P(m^k - 1)/(m - 1)` (:math:`kP` when :math:`m = 1`); inside it

    :math:`\eta_t = \mathrm{min\_lr} + (\mathrm{lr} - \mathrm{min\_lr})\,
    \mathrm{m\_mult}^k\,\tfrac12\left(1 + \cos\left(\pi\,\frac{t - s_k}{P m^k}\right)\right)`.

    With a whole ``t_mult`` the period index is found with exact integer arithmetic, so a
    restart happens exactly at :math:`s_k`; a fractional one (Keras' float ``t_mul``) starts
    periods between steps. PyTorch's ``eta_min`` is ``min_lr``; Keras' ``alpha`` is
    ``min_lr / lr`` and its ``m_mul`` is ``m_mult``. It never ends (no horizon).

    Parameters
    ----------
    lr : float
        Peak of the first period, > 0.
    first_period : int
        Length :math:`P` of the first period (PyTorch ``T_0``, Keras ``first_decay_steps``).
    t_mult : int or float, default 1
        Each period is ``t_mult`` >= 1 times longer than the previous one (an int in PyTorch,
        a float in Keras; a whole float such as 2.0 is stored as the int 2).
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
        self._set("t_mult", int(t_mult) if t_mult.is_integer() else t_mult)
        self._set("m_mult", P.number(owner, "m_mult", self.m_mult, low=0.0, low_open=True))
        self._set("min_lr", P.number(owner, "min_lr", self.min_lr, low=0.0, high=self.lr))

    def _start(self, k: IntArray) -> NDArray[Any]:
        """First step of period ``k`` (an int, or a float for a fractional ``t_mult``)."""
        m, p = self.t_mult, self.first_period
        if m == 1:
            return k * p
        if isinstance(m, float):
            return p * (np.power(m, k) - 1.0) / (m - 1.0)
        return p * (m**k - 1) // (m - 1)

    def _value(self, t: IntArray) -> FloatArray:
        m, p = self.t_mult, self.first_period
        if m == 1:
            k = t // p
        else:
            # A float estimate of the period index, then a correction by one (exact for an
            # integer t_mult).
            k = np.floor(np.log(t * (m - 1) / p + 1.0) / np.log(m)).astype(np.int64)
            k = np.maximum(k, 0)
            k = np.where(self._start(k) > t, k - 1, k)
            k = np.where(self._start(k + 1) <= t, k + 1, k)
        length = p * np.power(m, k)
        frac = (t - self._start(k)) / length
        decay = 0.5 * (1.0 + np.cos(np.pi * frac))
        return self.min_lr + (self.lr - self.min_lr) * np.power(self.m_mult, k) * decay
