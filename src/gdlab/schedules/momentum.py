"""The momentum companion of the cyclical schedules: PyTorch's ``cycle_momentum``.

A large rate with a large momentum overshoots, so `cyclic` and `one_cycle` lower the momentum
(or Adam's ``beta1``) while the rate rises and raise it while the rate falls. The companion is
a schedule like any other (its values are momentum coefficients in [0, 1)); `descend` reads it
from ``Momentum(momentum=...)``, ``Nesterov(momentum=...)`` or ``Adam(beta1=...)``.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from gdlab.schedules import params as P
from gdlab.schedules.base import FloatArray, IntArray, Schedule
from gdlab.schedules.cyclic import cyclic, one_cycle

__all__ = ["cycled_momentum"]

# PyTorch's defaults: CyclicLR(base_momentum=0.8, max_momentum=0.9), OneCycleLR(0.85, 0.95).
_DEFAULTS = {"cyclic": (0.8, 0.9), "one_cycle": (0.85, 0.95)}


@dataclasses.dataclass(frozen=True, repr=False)
class cycled_momentum(Schedule):
    r"""Momentum cycled against a `cyclic` or `one_cycle` rate (PyTorch ``cycle_momentum``).

    For `cyclic`, with the rate's wave :math:`h_t g_t` in [0, 1] (see `cyclic`),
    :math:`\mu_t = \mathrm{max\_momentum} - (\mathrm{max\_momentum} - \mathrm{base\_momentum})
    \,h_t g_t`: ``max_momentum`` where the rate is lowest. For `one_cycle`, each phase anneals
    the momentum the other way from the rate: ``max_momentum`` down to ``base_momentum`` while
    the rate rises, back up while it falls, held at ``max_momentum`` in a third phase (PyTorch
    ``OneCycleLR``; fastai's ``moms=(0.95, 0.85, 0.95)``). Usually built with
    ``schedule.momentum()``.

    Parameters
    ----------
    schedule : cyclic or one_cycle
        The rate the momentum mirrors; its phases and mode are used, not its rates.
    base_momentum, max_momentum : float, optional
        Lowest and highest momentum, in [0, 1); default PyTorch's (0.8 and 0.9 for `cyclic`,
        0.85 and 0.95 for `one_cycle`).

    Examples
    --------
    >>> from gdlab.optim import Momentum
    >>> from gdlab.schedules import one_cycle
    >>> lr = one_cycle(max_lr=0.1, total_steps=100)
    >>> lr.momentum()
    cycled_momentum(schedule=one_cycle(max_lr=0.1, total_steps=100))
    >>> rule = Momentum(momentum=lr.momentum())   # descend(..., lr=lr, method=rule)
    >>> round(lr.momentum()(29), 4)
    0.85
    """

    schedule: Schedule
    base_momentum: float | None = None
    max_momentum: float | None = None

    real_steps: ClassVar[bool] = True

    def __post_init__(self) -> None:
        owner = "cycled_momentum"
        if not isinstance(self.schedule, (cyclic, one_cycle)):
            raise TypeError(
                f"{owner}: schedule must be a cyclic or one_cycle schedule (the ones PyTorch "
                f"cycles momentum with), got {type(self.schedule).__name__}; for any other "
                "shape pass a schedule of momentum values, e.g. linear(lr=0.9, end_lr=0.99, "
                "total_steps=100)."
            )
        defaults = _DEFAULTS[type(self.schedule).__name__]
        for name, default in zip(("base_momentum", "max_momentum"), defaults, strict=True):
            value = getattr(self, name)
            if value is not None:
                value = P.number(owner, name, value, low=0.0, high=1.0, high_open=True)
                # The default is stored as None so that equal schedules compare equal.
                self._set(name, None if value == default else value)

    @property
    def bounds(self) -> tuple[float, float]:
        """``(base_momentum, max_momentum)`` in use (PyTorch's defaults where None)."""
        low, high = _DEFAULTS[type(self.schedule).__name__]
        return (
            low if self.base_momentum is None else self.base_momentum,
            high if self.max_momentum is None else self.max_momentum,
        )

    def _value(self, t: IntArray) -> FloatArray:
        low, high = self.bounds
        if isinstance(self.schedule, cyclic):
            return self.schedule._wave(t, high, low)
        assert isinstance(self.schedule, one_cycle)
        return self.schedule._anneal(t, self.schedule._momentum_phases(low, high))

    @property
    def horizon(self) -> int | None:
        return self.schedule.horizon
