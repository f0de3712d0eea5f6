"""Update rules: how a gradient becomes a step. Each is a frozen config plus explicit state.

A rule never holds arrays itself: ``init(w)`` returns its state (a dict of arrays) and
``update(w, g, lr, state)`` changes ``w`` and ``state`` in place, so the engine can save the
state in a Trajectory and resume bit for bit. ``g`` is scratch: rules may overwrite it.

The momentum of `Momentum` and `Nesterov` and Adam's ``beta1`` may be a schedule (PyTorch's
``cycle_momentum``, e.g. ``one_cycle(...).momentum()``): `descend` evaluates it on the same
counter as the learning rate and passes each update's value as ``update(..., momentum=m)``.
"""

from __future__ import annotations

import dataclasses
import math
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from gdlab.schedules import Schedule

Array = NDArray[np.float64]
State = dict[str, Array]


def _check_unit(name: str, value: float, rule: str) -> None:
    if not (0.0 <= value < 1.0):
        raise ValueError(f"{rule}: {name} must be in [0, 1), got {value!r}.")


def _check_coefficient(name: str, value: float | Schedule, rule: str) -> None:
    """A momentum-like coefficient: a number in [0, 1), or a schedule of such numbers (whose
    values `descend` checks update by update)."""
    if isinstance(value, Schedule):
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(
            f"{rule}: {name} must be a number in [0, 1) or a gdlab schedule of such numbers, "
            f"got {type(value).__name__}."
        )
    _check_unit(name, value, rule)


def _coefficient(rule: UpdateRule, value: float | Schedule, given: float | None) -> float:
    """This update's coefficient: the one passed in, else the rule's constant."""
    if given is not None:
        return given
    if isinstance(value, Schedule):
        raise ValueError(
            f"{type(rule).__name__}'s {rule.scheduled} is a schedule, {value}; its value depends "
            "on the step, so pass it as update(..., momentum=value) (descend does)."
        )
    return value


def _check_eps(value: float, rule: str) -> None:
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{rule}: eps must be a small positive float, got {value!r}.")


@dataclasses.dataclass(frozen=True)
class UpdateRule:
    r"""Plain gradient descent, :math:`w \leftarrow w - \eta g`; the base of every rule.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0, 2.0]); rule = GD(); state = rule.init(w)
    >>> rule.update(w, np.array([1.0, -1.0]), 0.5, state); w
    array([0.5, 2.5])
    """

    name: ClassVar[str] = "gd"
    # The field that may hold a schedule (momentum, or Adam's beta1), if the rule has one.
    scheduled: ClassVar[str | None] = None

    @property
    def momentum_schedule(self) -> Schedule | None:
        """The schedule of the momentum-like coefficient, or None when it is a constant."""
        value = getattr(self, self.scheduled) if self.scheduled else None
        return value if isinstance(value, Schedule) else None

    @property
    def wants_oracle(self) -> bool:
        """Whether a full-batch run passes ``update`` the full-data ``oracle`` (``w -> (loss,
        gradient)``), for a rule that tries steps (:class:`Accelerated` with ``line_search``)."""
        return bool(getattr(self, "line_search", False))

    @property
    def plain(self) -> bool:
        """Whether updates are plain steps ``w -= lr * g`` (the compiled loops' rule)."""
        return type(self).update is UpdateRule.update

    def init(self, w: Array) -> State:
        """Fresh state for parameters shaped like ``w`` (empty for plain descent)."""
        return {}

    def update(
        self, w: Array, g: Array, lr: float, state: State, momentum: float | None = None
    ) -> None:
        """Apply one step in place (``g`` may be overwritten); ``momentum`` is this update's
        value of a scheduled momentum (or ``beta1``), ignored by rules without one."""
        g *= lr
        w -= g


class GD(UpdateRule):
    """Plain gradient descent (see :class:`UpdateRule`)."""


@dataclasses.dataclass(frozen=True)
class Momentum(UpdateRule):
    r"""Heavy-ball momentum: :math:`v \leftarrow \mu v + g,\; w \leftarrow w - \eta v`.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.zeros(1); rule = Momentum(momentum=0.5); s = rule.init(w)
    >>> for _ in range(2): rule.update(w, np.ones(1), 1.0, s)
    >>> w   # steps of 1 then 1.5
    array([-2.5])

    ``momentum`` may be a schedule, as PyTorch's ``cycle_momentum`` cycles it:

    >>> from gdlab.schedules import one_cycle
    >>> rule = Momentum(momentum=one_cycle(max_lr=0.1, total_steps=100).momentum())
    """

    momentum: float | Schedule = 0.9
    name: ClassVar[str] = "momentum"
    scheduled: ClassVar[str | None] = "momentum"

    def __post_init__(self) -> None:
        _check_coefficient("momentum", self.momentum, type(self).__name__)

    def init(self, w: Array) -> State:
        return {"velocity": np.zeros_like(w)}

    def update(
        self, w: Array, g: Array, lr: float, state: State, momentum: float | None = None
    ) -> None:
        mu = _coefficient(self, self.momentum, momentum)
        v = state["velocity"]
        v *= mu
        v += g
        w -= lr * v


@dataclasses.dataclass(frozen=True)
class Nesterov(Momentum):
    r"""Nesterov momentum in Sutskever's form (as PyTorch writes it):
    :math:`v \leftarrow \mu v + g,\; w \leftarrow w - \eta (g + \mu v)`.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.zeros(1); rule = Nesterov(momentum=0.5); s = rule.init(w)
    >>> rule.update(w, np.ones(1), 1.0, s); w
    array([-1.5])
    """

    name: ClassVar[str] = "nesterov"

    def update(
        self, w: Array, g: Array, lr: float, state: State, momentum: float | None = None
    ) -> None:
        mu = _coefficient(self, self.momentum, momentum)
        v = state["velocity"]
        v *= mu
        v += g
        g += mu * v
        g *= lr
        w -= g


@dataclasses.dataclass(frozen=True)
class AdaGrad(UpdateRule):
    r"""AdaGrad: :math:`s \leftarrow s + g^2,\; w \leftarrow w - \eta g / (\sqrt{s} + \epsilon)`.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.zeros(2); rule = AdaGrad(); s = rule.init(w)
    >>> rule.update(w, np.array([4.0, -0.1]), 0.1, s); w.round(6)   # first step = lr * sign(g)
    array([-0.1,  0.1])
    """

    eps: float = 1e-10
    name: ClassVar[str] = "adagrad"

    def __post_init__(self) -> None:
        _check_eps(self.eps, type(self).__name__)

    def init(self, w: Array) -> State:
        return {"sum_sq": np.zeros_like(w)}

    def update(
        self, w: Array, g: Array, lr: float, state: State, momentum: float | None = None
    ) -> None:
        s = state["sum_sq"]
        s += g * g
        w -= lr * g / (np.sqrt(s) + self.eps)


@dataclasses.dataclass(frozen=True)
class RMSProp(UpdateRule):
    r"""RMSProp: :math:`s \leftarrow \rho s + (1-\rho) g^2,\;
    w \leftarrow w - \eta g / (\sqrt{s} + \epsilon)`.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.zeros(1); rule = RMSProp(rho=0.75); s = rule.init(w)
    >>> rule.update(w, np.array([2.0]), 0.1, s); w.round(6)   # 0.1 * 2 / sqrt(0.25 * 4)
    array([-0.2])
    """

    rho: float = 0.9
    eps: float = 1e-8
    name: ClassVar[str] = "rmsprop"

    def __post_init__(self) -> None:
        _check_unit("rho", self.rho, type(self).__name__)
        _check_eps(self.eps, type(self).__name__)

    def init(self, w: Array) -> State:
        return {"mean_sq": np.zeros_like(w)}

    def update(
        self, w: Array, g: Array, lr: float, state: State, momentum: float | None = None
    ) -> None:
        s = state["mean_sq"]
        s *= self.rho
        s += (1.0 - self.rho) * (g * g)
        w -= lr * g / (np.sqrt(s) + self.eps)


@dataclasses.dataclass(frozen=True)
class Adam(UpdateRule):
    r"""Adam with bias correction (Kingma & Ba):
    :math:`m \leftarrow \beta_1 m + (1-\beta_1) g,\; v \leftarrow \beta_2 v + (1-\beta_2) g^2,\;
    w \leftarrow w - \eta \hat m / (\sqrt{\hat v} + \epsilon)` with
    :math:`\hat m = m / (1-\beta_1^t)`, :math:`\hat v = v / (1-\beta_2^t)`.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.zeros(2); rule = Adam(); s = rule.init(w)
    >>> rule.update(w, np.array([3.0, -0.01]), 0.1, s); w.round(6)   # first step ~ lr * sign(g)
    array([-0.1,  0.1])

    ``beta1`` may be a schedule (PyTorch's ``cycle_momentum`` cycles it for Adam); the bias
    correction then uses each update's own value, :math:`1 - \beta_{1,t}^t`, as PyTorch does.
    """

    beta1: float | Schedule = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    name: ClassVar[str] = "adam"
    scheduled: ClassVar[str | None] = "beta1"

    def __post_init__(self) -> None:
        _check_coefficient("beta1", self.beta1, "Adam")
        _check_unit("beta2", self.beta2, "Adam")
        _check_eps(self.eps, "Adam")

    def init(self, w: Array) -> State:
        return {"m": np.zeros_like(w), "v": np.zeros_like(w), "t": np.zeros((), np.float64)}

    def update(
        self, w: Array, g: Array, lr: float, state: State, momentum: float | None = None
    ) -> None:
        beta1 = _coefficient(self, self.beta1, momentum)
        m, v, t = state["m"], state["v"], state["t"]
        t += 1.0
        m *= beta1
        m += (1.0 - beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * (g * g)
        m_hat = m / (1.0 - beta1 ** float(t))
        v_hat = v / (1.0 - self.beta2 ** float(t))
        w -= lr * m_hat / (np.sqrt(v_hat) + self.eps)
