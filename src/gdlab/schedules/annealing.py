"""Schedules that anneal from one value to another over a horizon: linear, polynomial and cosine
(cosine with warm restarts, SGDR, is `gdlab.schedules.restarts`)."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np

from gdlab.schedules import params as P
from gdlab.schedules.base import FloatArray, IntArray, Schedule

__all__ = ["cosine", "linear", "polynomial"]


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
