"""Step-wise and exponential schedules: constant, exponential, factor, step, multistep,
piecewise_constant and inverse_time."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np

from gdlab.schedules import params as P
from gdlab.schedules.base import FloatArray, IntArray, Schedule, vectorize_callable

__all__ = [
    "constant",
    "exponential",
    "factor",
    "inverse_time",
    "multistep",
    "piecewise_constant",
    "step",
]


@dataclasses.dataclass(frozen=True, repr=False)
class constant(Schedule):
    r"""Constant learning rate, :math:`\eta_t = \mathrm{lr}`.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import constant
    >>> constant(0.1)(7)
    0.1
    """

    real_steps: ClassVar[bool] = True

    lr: float

    def __post_init__(self) -> None:
        self._set("lr", P.number("constant", "lr", self.lr, low=0.0, low_open=True))

    def _value(self, t: IntArray) -> FloatArray:
        return np.full(t.shape, self.lr)

    @property
    def horizon(self) -> int | None:
        return 0


@dataclasses.dataclass(frozen=True, repr=False)
class exponential(Schedule):
    r"""Exponential decay, the lesson's schedule: :math:`\eta_t = \mathrm{lr}\,\gamma^{p}`.

    With :math:`p = t / \mathrm{decay\_steps}` (``floor`` of it when ``staircase``). With the
    defaults this is PyTorch ``ExponentialLR(gamma)``; with ``decay_steps`` it is Keras
    ``ExponentialDecay`` and optax ``exponential_decay``. It never ends (no horizon) unless
    ``end_lr`` bounds it (optax ``end_value``): a floor when decaying, a ceiling when growing.

    Parameters
    ----------
    lr : float
        Value at ``t = 0``, > 0.
    gamma : float
        Decay factor per ``decay_steps`` steps, > 0 (below 1 decays, above 1 grows).
    decay_steps : int, default 1
        Steps over which the rate is multiplied by ``gamma``.
    staircase : bool, default False
        Decay in whole ``decay_steps`` blocks instead of smoothly.
    end_lr : float or None, default None
        Bound on the rate: ``max(rate, end_lr)`` when ``gamma < 1``, ``min`` when ``gamma > 1``.
        It bounds the held start too, as optax's ``end_value`` does.
    delay_steps : int, default 0
        Steps that hold ``lr`` before the decay starts (optax ``transition_begin``):
        :math:`p = \max(t - \mathrm{delay\_steps}, 0) / \mathrm{decay\_steps}`.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import exponential
    >>> s = exponential(lr=0.2, gamma=0.95)
    >>> s(np.arange(3))
    array([0.2   , 0.19  , 0.1805])
    """

    real_steps: ClassVar[bool] = True

    lr: float
    gamma: float
    decay_steps: int = 1
    staircase: bool = False
    end_lr: float | None = None
    delay_steps: int = 0

    def __post_init__(self) -> None:
        self._set("lr", P.number("exponential", "lr", self.lr, low=0.0, low_open=True))
        self._set("delay_steps", P.integer("exponential", "delay_steps", self.delay_steps))
        self._set("gamma", P.number("exponential", "gamma", self.gamma, low=0.0, low_open=True))
        self._set("decay_steps", P.integer("exponential", "decay_steps", self.decay_steps, low=1))
        self._set("staircase", P.flag("exponential", "staircase", self.staircase))
        if self.end_lr is not None:
            self._set("end_lr", P.number("exponential", "end_lr", self.end_lr, low=0.0))

    def _value(self, t: IntArray) -> FloatArray:
        if self.delay_steps:
            t = np.maximum(t - self.delay_steps, 0)
        p = t / float(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        # A growing rate overflows to inf far out; that is the honest value (or end_lr caps it).
        with np.errstate(over="ignore"):
            values = self.lr * np.power(self.gamma, p)
        if self.end_lr is None:
            return values
        bound = np.maximum if self.gamma < 1.0 else np.minimum
        return bound(values, self.end_lr)

    @property
    def horizon(self) -> int | None:
        if self.end_lr is None or self.gamma == 1.0:
            return None
        # First step at which the bound holds: solve lr * gamma**p = end_lr, then check exactly.
        ratio = np.log(self.end_lr / self.lr) / np.log(self.gamma) if self.end_lr > 0 else np.inf
        if not np.isfinite(ratio) or ratio > 2**52:
            return None
        # The bound holds from some step on, never before: bisect for that step between 0 and
        # a point past the estimate (a walk from the estimate costs decay_steps calls).
        lo, hi = 0, (int(np.ceil(max(ratio, 0.0))) + 2) * self.decay_steps
        while self(hi) != self.end_lr:  # rounding left the estimate short
            lo, hi = hi, 2 * hi
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if self(mid) == self.end_lr else (mid + 1, hi)
        return lo


@dataclasses.dataclass(frozen=True, repr=False)
class factor(Schedule):
    r"""A rate times a user function (PyTorch ``LambdaLR``): :math:`\eta_t = \mathrm{lr}\,f(t)`.

    This is the lesson's ``lr_lambda = lambda epoch: 0.95 ** epoch``. Because ``fn`` is Python
    code it has no text or dict form: ``to_dict`` raises TypeError and ``parse`` cannot read it
    back. Prefer a named schedule (``exponential(lr, gamma)`` for the lesson's decay) when the
    schedule must be saved.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import factor
    >>> s = factor(0.2, lambda epoch: 0.95**epoch)
    >>> s
    factor(lr=0.2, fn=<function <lambda>>)
    >>> round(s(1), 6)
    0.19
    """

    lr: float
    fn: Callable[[int], float]
    _opaque_fields: ClassVar[tuple[str, ...]] = ("fn",)

    def __post_init__(self) -> None:
        self._set("lr", P.number("factor", "lr", self.lr, low=0.0, low_open=True))
        if not callable(self.fn):
            raise TypeError(f"factor: fn must be a callable int -> float, got {self.fn!r:.40}.")

    def _value(self, t: IntArray) -> FloatArray:
        return self.lr * vectorize_callable(self.fn, t)


@dataclasses.dataclass(frozen=True, repr=False)
class step(Schedule):
    r"""Step decay (PyTorch ``StepLR``).

    :math:`\eta_t = \mathrm{lr}\,\gamma^{\lfloor t / \mathrm{step\_size} \rfloor}`.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import step
    >>> step(lr=1.0, step_size=2, gamma=0.5)(np.arange(5))
    array([1.  , 1.  , 0.5 , 0.5 , 0.25])
    """

    lr: float
    step_size: int
    gamma: float = 0.1

    def __post_init__(self) -> None:
        self._set("lr", P.number("step", "lr", self.lr, low=0.0, low_open=True))
        self._set("step_size", P.integer("step", "step_size", self.step_size, low=1))
        self._set("gamma", P.number("step", "gamma", self.gamma, low=0.0, low_open=True))

    def _value(self, t: IntArray) -> FloatArray:
        return self.lr * np.power(self.gamma, (t // self.step_size).astype(np.float64))


@dataclasses.dataclass(frozen=True, repr=False)
class multistep(Schedule):
    r"""Decay by ``gamma`` at each milestone (PyTorch ``MultiStepLR``).

    :math:`\eta_t = \mathrm{lr}\,\gamma^{k(t)}` where :math:`k(t)` counts the milestones
    :math:`m \le t`: the new value applies *at* the milestone step. Holds after the last one.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import multistep
    >>> multistep(lr=1.0, milestones=[2, 4], gamma=0.5)(np.arange(6))
    array([1.  , 1.  , 0.5 , 0.5 , 0.25, 0.25])
    """

    lr: float
    milestones: Sequence[int]
    gamma: float = 0.1

    def __post_init__(self) -> None:
        self._set("lr", P.number("multistep", "lr", self.lr, low=0.0, low_open=True))
        self._set("milestones", P.steps("multistep", "milestones", self.milestones, low=1))
        self._set("gamma", P.number("multistep", "gamma", self.gamma, low=0.0, low_open=True))

    def _value(self, t: IntArray) -> FloatArray:
        k = np.searchsorted(np.asarray(self.milestones), t, side="right")
        return self.lr * np.power(self.gamma, k.astype(np.float64))

    @property
    def horizon(self) -> int | None:
        return self.milestones[-1]


@dataclasses.dataclass(frozen=True, repr=False)
class piecewise_constant(Schedule):
    r"""``values[i]`` between consecutive ``boundaries``.

    ``dialect="torch"`` (default, also optax ``piecewise_constant_schedule``): the value changes
    *at* the boundary, :math:`\eta_t = v_i` for :math:`b_{i-1} \le t < b_i`. ``dialect="keras"``
    (``PiecewiseConstantDecay``): it changes one step later, :math:`b_{i-1} < t \le b_i`.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import piecewise_constant
    >>> piecewise_constant(values=[1.0, 0.5], boundaries=[2])(np.arange(4))
    array([1. , 1. , 0.5, 0.5])
    >>> piecewise_constant(values=[1.0, 0.5], boundaries=[2], dialect="keras")(np.arange(4))
    array([1. , 1. , 1. , 0.5])
    """

    values: Sequence[float]
    boundaries: Sequence[int]
    dialect: str = "torch"

    def __post_init__(self) -> None:
        owner = "piecewise_constant"
        self._set("values", P.floats(owner, "values", self.values, low=0.0))
        self._set("boundaries", P.steps(owner, "boundaries", self.boundaries, low=0))
        self._set("dialect", P.choice(owner, "dialect", self.dialect, ("torch", "optax", "keras")))
        if len(self.values) != len(self.boundaries) + 1:
            raise ValueError(
                f"{owner}: values must have len(boundaries) + 1 = {len(self.boundaries) + 1} "
                f"entries, got {len(self.values)}."
            )

    def _value(self, t: IntArray) -> FloatArray:
        i = np.searchsorted(
            np.asarray(self.boundaries), t, side="left" if self.dialect == "keras" else "right"
        )
        return np.asarray(self.values, dtype=np.float64)[i]

    @property
    def horizon(self) -> int | None:
        return self.boundaries[-1] + (1 if self.dialect == "keras" else 0)


@dataclasses.dataclass(frozen=True, repr=False)
class inverse_time(Schedule):
    r"""Inverse-time decay (Keras ``InverseTimeDecay``): :math:`\eta_t = \mathrm{lr} / (1 + r\,p)`.

    With :math:`p = t / \mathrm{decay\_steps}`, floored when ``staircase``.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import inverse_time
    >>> inverse_time(lr=1.0, decay_rate=0.5)(np.arange(3))
    array([1. , 0.66666667, 0.5 ])
    """

    real_steps: ClassVar[bool] = True

    lr: float
    decay_rate: float
    decay_steps: int = 1
    staircase: bool = False

    def __post_init__(self) -> None:
        owner = "inverse_time"
        self._set("lr", P.number(owner, "lr", self.lr, low=0.0, low_open=True))
        self._set("decay_rate", P.number(owner, "decay_rate", self.decay_rate, low=0.0))
        self._set("decay_steps", P.integer(owner, "decay_steps", self.decay_steps, low=1))
        self._set("staircase", P.flag(owner, "staircase", self.staircase))

    def _value(self, t: IntArray) -> FloatArray:
        p = t / float(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return self.lr / (1.0 + self.decay_rate * p)
