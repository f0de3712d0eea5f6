"""Composition: build schedules from schedules, with no formula of their own.

`join` runs children one after another (each restarts its own counter at its boundary),
`warmup` puts a linear ramp in front of any schedule, `scaled` and `product` multiply.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from gdlab.schedules import params as P
from gdlab.schedules.annealing import linear
from gdlab.schedules.base import FloatArray, IntArray, Schedule

__all__ = ["join", "product", "scaled", "warmup"]


def _schedules(owner: str, name: str, value: object) -> tuple[Schedule, ...]:
    if isinstance(value, Schedule) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{owner}: {name} must be a list of schedules, got {type(value).__name__}.")
    for i, s in enumerate(value):
        if not isinstance(s, Schedule):
            raise TypeError(
                f"{owner}: {name}[{i}] must be a Schedule, got {type(s).__name__}; wrap a "
                "number as constant(lr)."
            )
    if not value:
        raise ValueError(f"{owner}: {name} must hold at least one schedule, got [].")
    return tuple(value)


@dataclasses.dataclass(frozen=True, repr=False)
class join(Schedule):
    r"""Run ``schedules[i]`` from ``boundaries[i-1]`` on, restarted at 0 there.

    :math:`\eta_t = s_i(t - b_{i-1})` for :math:`b_{i-1} \le t < b_i` (with :math:`b_{-1} = 0`),
    as optax ``join_schedules`` and PyTorch ``SequentialLR``. The last schedule runs forever.

    Parameters
    ----------
    schedules : list of Schedule
        The phases, in order.
    boundaries : list of int
        ``len(schedules) - 1`` strictly increasing steps where the next phase starts.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import constant, exponential, join
    >>> join([constant(1.0), exponential(lr=0.5, gamma=0.5)], boundaries=[2])(np.arange(5))
    array([1.   , 1.   , 0.5  , 0.25 , 0.125])
    """

    schedules: Sequence[Schedule]
    boundaries: Sequence[int]

    def __post_init__(self) -> None:
        self._set("schedules", _schedules("join", "schedules", self.schedules))
        self._set(
            "boundaries", P.steps("join", "boundaries", self.boundaries, low=1, allow_empty=True)
        )
        if len(self.schedules) != len(self.boundaries) + 1:
            raise ValueError(
                f"join: needs len(boundaries) + 1 = {len(self.boundaries) + 1} schedules, got "
                f"{len(self.schedules)}."
            )

    def _value(self, t: IntArray) -> FloatArray:
        which = np.searchsorted(np.asarray(self.boundaries, dtype=np.int64), t, side="right")
        offsets = (0, *self.boundaries)
        out = np.empty(t.shape, dtype=np.float64)
        for i, child in enumerate(self.schedules):
            mask = which == i
            if mask.any():
                out[mask] = child(t[mask] - offsets[i])
        return out

    def _real_t(self) -> bool:
        return all(child._real_t() for child in self.schedules)

    @property
    def horizon(self) -> int | None:
        last = self.schedules[-1].horizon
        start = self.boundaries[-1] if self.boundaries else 0
        return None if last is None else start + last


@dataclasses.dataclass(frozen=True, repr=False)
class warmup(Schedule):
    r"""Linear warmup from ``start`` to ``schedule(0)`` over ``steps``, then ``schedule``.

    Equivalent to ``join([linear(start, schedule(0), steps), schedule], [steps])``: the warmup
    steps come *before* the schedule's own horizon (Keras ``CosineDecay(warmup_steps=...)``).
    To count them inside the horizon (optax ``warmup_cosine_decay_schedule``), shorten the
    inner schedule's horizon by ``steps``, or use `warmup_cosine` with ``dialect="optax"``.

    Parameters
    ----------
    schedule : Schedule
        What runs after the warmup (restarted at 0 at step ``steps``).
    steps : int
        Length of the ramp, >= 1.
    start : float, default 0.0
        Rate at step 0.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import cosine, warmup
    >>> warmup(cosine(lr=1.0, total_steps=2), steps=2)(np.arange(6))
    array([0. , 0.5, 1. , 0.5, 0. , 0. ])
    """

    schedule: Schedule
    steps: int
    start: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.schedule, Schedule):
            raise TypeError(
                f"warmup: schedule must be a Schedule, got {type(self.schedule).__name__}."
            )
        self._set("steps", P.integer("warmup", "steps", self.steps, low=1))
        self._set("start", P.number("warmup", "start", self.start, low=0.0))

    def as_join(self) -> join:
        """The same schedule written as a `join` of a `linear` ramp and the inner schedule."""
        ramp = linear(lr=self.start, end_lr=self.schedule(0), total_steps=self.steps)
        return join(schedules=(ramp, self.schedule), boundaries=(self.steps,))

    def _value(self, t: IntArray) -> FloatArray:
        return self.as_join()(t)

    def _real_t(self) -> bool:
        return self.schedule._real_t()

    @property
    def horizon(self) -> int | None:
        return self.as_join().horizon


@dataclasses.dataclass(frozen=True, repr=False)
class scaled(Schedule):
    r"""A schedule times a constant, :math:`\eta_t = c\,s(t)` (also written ``c * s``).

    Examples
    --------
    >>> from gdlab.schedules import exponential
    >>> 0.5 * exponential(lr=0.2, gamma=0.5)
    scaled(schedule=exponential(lr=0.2, gamma=0.5), factor=0.5)
    """

    schedule: Schedule
    factor: float

    def __post_init__(self) -> None:
        if not isinstance(self.schedule, Schedule):
            raise TypeError(
                f"scaled: schedule must be a Schedule, got {type(self.schedule).__name__}."
            )
        self._set("factor", P.number("scaled", "factor", self.factor, low=0.0, low_open=True))

    def _value(self, t: IntArray) -> FloatArray:
        return self.factor * self.schedule(t)

    def _real_t(self) -> bool:
        return self.schedule._real_t()

    @property
    def horizon(self) -> int | None:
        return self.schedule.horizon


@dataclasses.dataclass(frozen=True, repr=False)
class product(Schedule):
    r"""The product of schedules, :math:`\eta_t = \prod_i s_i(t)` (PyTorch ``ChainedScheduler``).

    Examples
    --------
    >>> from gdlab.schedules import constant, step
    >>> (constant(2.0) * step(lr=1.0, step_size=1, gamma=0.5))(2)
    0.5
    """

    schedules: Sequence[Schedule]

    def __post_init__(self) -> None:
        self._set("schedules", _schedules("product", "schedules", self.schedules))

    def _value(self, t: IntArray) -> FloatArray:
        out = np.ones(t.shape, dtype=np.float64)
        for child in self.schedules:
            out = out * child(t)
        return out

    def _real_t(self) -> bool:
        return all(child._real_t() for child in self.schedules)

    @property
    def horizon(self) -> int | None:
        ends = [s.horizon for s in self.schedules]
        return None if any(h is None for h in ends) else max(h for h in ends if h is not None)
