"""Named multi-phase schedules built with `join`/`warmup`, no formula of their own:
warmup_cosine (with the optax/Keras horizon dialects) and warmup_stable_decay (WSD)."""

from __future__ import annotations

import dataclasses
import itertools

from gdlab.schedules import params as P
from gdlab.schedules.annealing import cosine, linear
from gdlab.schedules.base import FloatArray, IntArray, Schedule
from gdlab.schedules.basic import constant
from gdlab.schedules.compose import join, warmup

__all__ = ["warmup_cosine", "warmup_stable_decay"]


@dataclasses.dataclass(frozen=True, repr=False)
class warmup_cosine(Schedule):
    r"""Linear warmup from ``start_lr`` to ``lr`` over ``warmup_steps``, then cosine to ``min_lr``.

    ``dialect="optax"`` (default, optax ``warmup_cosine_decay_schedule``): ``decay_steps`` is the
    whole horizon, warmup included, so the cosine lasts ``decay_steps - warmup_steps`` steps.
    ``dialect="keras"`` (Keras ``CosineDecay(warmup_target=lr, warmup_steps=...)``): the cosine
    lasts ``decay_steps`` steps *after* the warmup. Either way it is
    ``warmup(cosine(lr, D, min_lr, exponent), warmup_steps, start_lr)`` with the right ``D``.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import warmup_cosine
    >>> warmup_cosine(lr=1.0, warmup_steps=2, decay_steps=4)(np.arange(6))
    array([0. , 0.5, 1. , 0.5, 0. , 0. ])
    """

    lr: float
    warmup_steps: int
    decay_steps: int
    start_lr: float = 0.0
    min_lr: float = 0.0
    exponent: float = 1.0
    dialect: str = "optax"

    def __post_init__(self) -> None:
        owner = "warmup_cosine"
        self._set("lr", P.number(owner, "lr", self.lr, low=0.0, low_open=True))
        self._set("warmup_steps", P.integer(owner, "warmup_steps", self.warmup_steps, low=1))
        self._set("decay_steps", P.integer(owner, "decay_steps", self.decay_steps, low=1))
        self._set("start_lr", P.number(owner, "start_lr", self.start_lr, low=0.0))
        self._set("min_lr", P.number(owner, "min_lr", self.min_lr, low=0.0, high=self.lr))
        self._set("exponent", P.number(owner, "exponent", self.exponent, low=0.0, low_open=True))
        self._set("dialect", P.choice(owner, "dialect", self.dialect, ("optax", "keras")))
        if self.dialect == "optax" and self.decay_steps <= self.warmup_steps:
            raise ValueError(
                f"{owner}: with dialect='optax' decay_steps counts the warmup and must be > "
                f"warmup_steps={self.warmup_steps}, got {self.decay_steps}."
            )

    def as_warmup(self) -> warmup:
        """The same schedule as ``warmup(cosine(...), ...)``."""
        length = self.decay_steps - (self.warmup_steps if self.dialect == "optax" else 0)
        inner = cosine(lr=self.lr, total_steps=length, min_lr=self.min_lr, exponent=self.exponent)
        return warmup(schedule=inner, steps=self.warmup_steps, start=self.start_lr)

    def _value(self, t: IntArray) -> FloatArray:
        return self.as_warmup()(t)

    def _real_t(self) -> bool:
        return True  # a linear ramp and a cosine

    @property
    def horizon(self) -> int | None:
        return self.as_warmup().horizon


@dataclasses.dataclass(frozen=True, repr=False)
class warmup_stable_decay(Schedule):
    r"""Warmup-stable-decay (WSD, "trapezoid"): ramp up, hold ``lr``, then decay at the end.

    Over ``total_steps`` = ``warmup_steps`` + stable + ``decay_steps``: a linear ramp from
    ``start_lr`` to ``lr``, a constant ``lr``, then ``decay`` ("linear" or "cosine") to
    ``min_lr`` in the last ``decay_steps`` steps; ``min_lr`` afterwards. Built as
    ``join([linear, constant, linear | cosine], [W, T - D])``.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import warmup_stable_decay
    >>> warmup_stable_decay(lr=1.0, total_steps=6, warmup_steps=2, decay_steps=2)(np.arange(7))
    array([0. , 0.5, 1. , 1. , 1. , 0.5, 0. ])
    """

    lr: float
    total_steps: int
    warmup_steps: int
    decay_steps: int
    start_lr: float = 0.0
    min_lr: float = 0.0
    decay: str = "linear"

    def __post_init__(self) -> None:
        owner = "warmup_stable_decay"
        self._set("lr", P.number(owner, "lr", self.lr, low=0.0, low_open=True))
        self._set("total_steps", P.integer(owner, "total_steps", self.total_steps, low=1))
        self._set("warmup_steps", P.integer(owner, "warmup_steps", self.warmup_steps, low=0))
        self._set("decay_steps", P.integer(owner, "decay_steps", self.decay_steps, low=1))
        self._set("start_lr", P.number(owner, "start_lr", self.start_lr, low=0.0))
        self._set("min_lr", P.number(owner, "min_lr", self.min_lr, low=0.0, high=self.lr))
        self._set("decay", P.choice(owner, "decay", self.decay, ("linear", "cosine")))
        if self.warmup_steps + self.decay_steps > self.total_steps:
            raise ValueError(
                f"{owner}: warmup_steps + decay_steps must be <= total_steps={self.total_steps}, "
                f"got {self.warmup_steps} + {self.decay_steps}."
            )

    def as_join(self) -> join:
        """The same schedule as a `join` of its phases."""
        tail: Schedule
        if self.decay == "cosine":
            tail = cosine(lr=self.lr, total_steps=self.decay_steps, min_lr=self.min_lr)
        else:
            tail = linear(lr=self.lr, end_lr=self.min_lr, total_steps=self.decay_steps)
        stable = self.total_steps - self.warmup_steps - self.decay_steps
        pieces: list[tuple[Schedule, int]] = []
        if self.warmup_steps:
            ramp = linear(lr=self.start_lr, end_lr=self.lr, total_steps=self.warmup_steps)
            pieces.append((ramp, self.warmup_steps))
        if stable:
            pieces.append((constant(lr=self.lr), stable))
        pieces.append((tail, self.decay_steps))
        bounds = itertools.accumulate(length for _, length in pieces[:-1])
        return join(schedules=tuple(p for p, _ in pieces), boundaries=tuple(bounds))

    def _value(self, t: IntArray) -> FloatArray:
        return self.as_join()(t)

    def _real_t(self) -> bool:
        return True  # linear, constant and linear or cosine pieces

    @property
    def horizon(self) -> int | None:
        return self.total_steps
