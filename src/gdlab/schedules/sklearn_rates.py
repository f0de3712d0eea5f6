"""scikit-learn's SGD learning-rate rules, ``learning_rate="optimal"`` and ``"invscaling"``.

scikit-learn counts updates from 1; gdlab counts from 0, so gdlab's ``t`` is scikit-learn's
``t - 1`` and the values are the same update for update.
"""

from __future__ import annotations

import dataclasses
import math
from typing import ClassVar

import numpy as np

from gdlab.schedules import params as P
from gdlab.schedules.base import FloatArray, IntArray, Schedule

__all__ = ["invscaling", "optimal"]


@dataclasses.dataclass(frozen=True, repr=False)
class optimal(Schedule):
    r"""scikit-learn's "optimal" rate (Bottou): :math:`\eta_t = 1 / (\alpha (t_0 + t))`.

    ``alpha`` is the L2 regularisation strength. When ``t0`` is None it is scikit-learn's
    heuristic :math:`t_0 = 1/(w\alpha)` with :math:`w = \alpha^{-1/4}` (the "typical weight"),
    which is what ``SGDClassifier``/``SGDRegressor`` use for the hinge, log and squared losses.

    Examples
    --------
    >>> from gdlab.schedules import optimal
    >>> s = optimal(alpha=0.01)
    >>> round(s(0), 6)  # t0 = 1 / (alpha**0.75), so eta_0 = alpha**-0.25
    3.162278
    """

    real_steps: ClassVar[bool] = True

    alpha: float
    t0: float | None = None

    def __post_init__(self) -> None:
        self._set("alpha", P.number("optimal", "alpha", self.alpha, low=0.0, low_open=True))
        if self.t0 is not None:
            self._set("t0", P.number("optimal", "t0", self.t0, low=0.0, low_open=True))

    @property
    def offset(self) -> float:
        """The ``t0`` in use (scikit-learn's ``optimal_init`` when ``t0`` is None)."""
        if self.t0 is not None:
            return self.t0
        typw = math.sqrt(1.0 / math.sqrt(self.alpha))
        return 1.0 / (typw * self.alpha)

    def _value(self, t: IntArray) -> FloatArray:
        return np.asarray(1.0 / (self.alpha * (self.offset + t)), dtype=np.float64)


@dataclasses.dataclass(frozen=True, repr=False)
class invscaling(Schedule):
    r"""scikit-learn's "invscaling" rate, :math:`\eta_t = \mathrm{lr} / (t+1)^{\mathrm{power\_t}}`.

    ``lr`` is scikit-learn's ``eta0``.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import invscaling
    >>> invscaling(lr=1.0, power_t=0.5)(np.array([0, 3]))
    array([1. , 0.5])
    """

    real_steps: ClassVar[bool] = True

    lr: float = 0.01
    power_t: float = 0.25

    def __post_init__(self) -> None:
        self._set("lr", P.number("invscaling", "lr", self.lr, low=0.0, low_open=True))
        self._set("power_t", P.number("invscaling", "power_t", self.power_t, low=0.0))

    def _value(self, t: IntArray) -> FloatArray:
        return np.asarray(self.lr / np.power(t + 1.0, self.power_t), dtype=np.float64)
