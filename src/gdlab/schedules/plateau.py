"""Reduce-on-plateau: a loss-driven controller with explicit, immutable state.

It is not a `Schedule` (its value depends on the metrics seen, not on the step alone). The
controller holds the configuration; `PlateauState` holds everything that changes, so a run can
be saved and resumed exactly: ``update`` returns a new state and never touches its inputs.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from gdlab.schedules import params as P

__all__ = ["PlateauState", "ReduceOnPlateau"]


@dataclasses.dataclass(frozen=True)
class PlateauState:
    """What `ReduceOnPlateau` remembers between metrics.

    Attributes
    ----------
    scale : float
        Product of the reductions so far; the learning rate is ``max(lr * scale, min_lr)``.
    best : float
        Best metric seen (``inf`` in min mode / ``-inf`` in max mode before the first one).
    num_bad : int
        Consecutive metrics without improvement (PyTorch ``num_bad_epochs``, Keras ``wait``).
    cooldown_counter : int
        Metrics left before bad metrics count again.
    count : int
        Metrics seen so far.

    Examples
    --------
    >>> s = PlateauState(scale=0.1, best=0.5, num_bad=2, cooldown_counter=0, count=7)
    >>> PlateauState.from_dict(s.to_dict()) == s
    True
    """

    scale: float = 1.0
    best: float = math.inf
    num_bad: int = 0
    cooldown_counter: int = 0
    count: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict; an infinite ``best`` is written as the string "inf"/"-inf"."""
        out = dataclasses.asdict(self)
        if math.isinf(self.best):
            out["best"] = "inf" if self.best > 0 else "-inf"
        return out

    def _repr_html_(self) -> str:
        """Jupyter's display: the scale, the best metric and the counters as a table."""
        from gdlab.display import plateau_state_html  # the one module that draws displays

        return plateau_state_html(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlateauState:
        """Rebuild a state written by `to_dict`."""
        names = {f.name for f in dataclasses.fields(cls)}
        if not isinstance(data, dict) or set(data) != names:
            raise ValueError(
                f"PlateauState.from_dict expects a dict with keys {sorted(names)}, got "
                f"{data!r:.80}; pass the output of PlateauState.to_dict()."
            )
        best = data["best"]
        return cls(
            scale=float(data["scale"]),
            best=float(best),
            num_bad=int(data["num_bad"]),
            cooldown_counter=int(data["cooldown_counter"]),
            count=int(data["count"]),
        )


def _metric(metric: Any) -> float:
    """The metric as a float: a real number (NaN and ±inf allowed: they never improve, or
    count as the best), or a NumPy scalar or 0-d array holding one."""
    value = metric.item() if isinstance(metric, np.ndarray) and metric.ndim == 0 else metric
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"ReduceOnPlateau.update: metric must be a real number (the loss or score the "
            f"controller watches), got {type(metric).__name__} {metric!r:.40}."
        )
    return float(value)


def _rate(lr: Any) -> float:
    """The rate a cut would lower, checked: a finite number >= 0."""
    try:
        return P.number("ReduceOnPlateau.update", "lr", lr, low=0.0)
    except ValueError:
        raise ValueError(
            f"ReduceOnPlateau.update: lr must be a finite number >= 0 (the schedule's rate "
            f"at the next step, which a cut would lower), got {lr!r:.40}."
        ) from None


@dataclasses.dataclass(frozen=True)
class ReduceOnPlateau:
    r"""Multiply the learning rate by ``factor`` when a metric stops improving.

    ``dialect="torch"`` (default, PyTorch ``ReduceLROnPlateau``): a metric improves when
    :math:`m < \mathrm{best}(1 - \mathrm{threshold})` (``rel``) or
    :math:`m < \mathrm{best} - \mathrm{threshold}` (``abs``) in min mode; after
    ``patience + 1`` bad metrics in a row the scale is multiplied by ``factor``; during
    ``cooldown`` metrics after a reduction bad metrics are not counted.

    ``dialect="keras"`` (Keras ``ReduceLROnPlateau``): reduces after ``patience`` bad metrics
    (not ``patience + 1``), tests improvement as :math:`m + \mathrm{threshold} < \mathrm{best}`
    (its ``min_delta``; use ``threshold_mode="abs"``), and counts the cooldown before the test.

    A NaN metric never improves. The controller multiplies any schedule: the applied rate is
    ``lr * scale`` with ``lr`` the schedule's value. Where ``min_lr`` bites, the dialects part:

    - ``"torch"`` bounds only its own cuts, as PyTorch does: a cut takes the rate
      :math:`r = \mathrm{lr}\cdot\mathrm{scale}` to :math:`\max(r\,\mathrm{factor},
      \mathrm{min\_lr})`, and is skipped when it would lower the rate by ``eps`` or less.
      The schedule underneath goes on changing the rate, so an exponential decay under the
      controller takes the rate below ``min_lr`` (PyTorch's ``ExponentialLR`` with
      ``ReduceLROnPlateau`` does the same). `update` then needs ``lr=``, the rate it cuts.
    - ``"keras"`` floors the applied rate at every step, :math:`\max(\mathrm{lr}\cdot
      \mathrm{scale}, \mathrm{min\_lr})` (Keras' callback cannot sit on a schedule; on a
      constant rate both rules give the same rates).

    Examples
    --------
    >>> rop = ReduceOnPlateau(factor=0.5, patience=1)
    >>> state = rop.init()
    >>> for loss in [1.0, 0.9, 0.9, 0.9]:
    ...     state = rop.update(state, loss)
    >>> state.scale, rop.apply(state, 0.2)
    (0.5, 0.1)
    """

    mode: str = "min"
    factor: float = 0.1
    patience: int = 10
    threshold: float = 1e-4
    threshold_mode: str = "rel"
    cooldown: int = 0
    min_lr: float = 0.0
    dialect: str = "torch"
    eps: float = 0.0

    def __post_init__(self) -> None:
        owner = "ReduceOnPlateau"
        set_ = object.__setattr__
        set_(self, "mode", P.choice(owner, "mode", self.mode, ("min", "max")))
        factor = P.number(
            owner, "factor", self.factor, low=0.0, high=1.0, low_open=True, high_open=True
        )
        set_(self, "factor", factor)
        set_(self, "patience", P.integer(owner, "patience", self.patience, low=0))
        set_(self, "threshold", P.number(owner, "threshold", self.threshold, low=0.0))
        tm = P.choice(owner, "threshold_mode", self.threshold_mode, ("rel", "abs"))
        set_(self, "threshold_mode", tm)
        set_(self, "cooldown", P.integer(owner, "cooldown", self.cooldown, low=0))
        set_(self, "min_lr", P.number(owner, "min_lr", self.min_lr, low=0.0))
        set_(self, "dialect", P.choice(owner, "dialect", self.dialect, ("torch", "keras")))
        set_(self, "eps", P.number(owner, "eps", self.eps, low=0.0))
        if self.eps and self.dialect == "keras":
            raise ValueError(
                f"{owner}: eps={self.eps!r} is PyTorch's rule (skip cuts smaller than eps); "
                "Keras has none, so use dialect='torch' or drop eps."
            )

    @property
    def needs_rate(self) -> bool:
        """Whether `update` needs the rate it cuts (PyTorch's ``min_lr`` and ``eps`` rules)."""
        return self.dialect == "torch" and (self.min_lr > 0 or self.eps > 0)

    def init(self) -> PlateauState:
        """Return the state before any metric: scale 1 and the worst possible ``best``."""
        return PlateauState(best=math.inf if self.mode == "min" else -math.inf)

    def _improves(self, metric: float, best: float) -> bool:
        if self.dialect == "keras":
            # Keras shifts the metric, not the best value: min_delta is negated in min mode.
            if self.mode == "min":
                return metric + self.threshold < best
            return metric - self.threshold > best
        if self.mode == "min":
            if self.threshold_mode == "rel":
                return metric < best * (1.0 - self.threshold)
            return metric < best - self.threshold
        if self.threshold_mode == "rel":
            return metric > best * (self.threshold + 1.0)
        return metric > best + self.threshold

    def update(self, state: PlateauState, metric: float, lr: float | None = None) -> PlateauState:
        """Return the state after seeing ``metric`` (``state`` itself is left unchanged).

        ``lr`` is the schedule's rate that a cut now would lower (the next update's, before
        the controller's scale); ``dialect="torch"`` needs it when ``min_lr`` or ``eps`` is
        set, to bound the cut the way PyTorch does. ``metric`` must be a real number (NaN never
        improves), else TypeError; ``lr`` a finite number >= 0 (0: nothing left to cut), else
        ValueError, so a NaN rate never poisons the rates that follow.
        """
        if not isinstance(state, PlateauState):
            raise TypeError(
                f"ReduceOnPlateau.update expects a PlateauState (from init()), got "
                f"{type(state).__name__}."
            )
        m = _metric(metric)
        if lr is not None:
            lr = _rate(lr)
        best, bad, cool, scale = state.best, state.num_bad, state.cooldown_counter, state.scale
        if self.dialect == "keras":
            if cool > 0:
                cool -= 1
                bad = 0
            if self._improves(m, best):
                best, bad = m, 0
            elif cool == 0:
                bad += 1
                if bad >= self.patience:
                    scale, cool, bad = scale * self.factor, self.cooldown, 0
        else:
            if self._improves(m, best):
                best, bad = m, 0
            else:
                bad += 1
            if cool > 0:
                cool -= 1
                bad = 0  # bad metrics during cooldown are ignored
            if bad > self.patience:
                scale, cool, bad = self._cut(scale, lr), self.cooldown, 0
        return PlateauState(
            scale=scale, best=best, num_bad=bad, cooldown_counter=cool, count=state.count + 1
        )

    def _cut(self, scale: float, lr: float | None) -> float:
        """The scale after one PyTorch cut: the rate floored at ``min_lr``, or no cut at all
        when it would lower the rate by ``eps`` or less."""
        if not self.needs_rate:
            return scale * self.factor
        if lr is None:
            raise TypeError(
                "ReduceOnPlateau(dialect='torch') bounds its cuts at min_lr and skips those "
                "smaller than eps, as PyTorch does, so update needs the rate it cuts: "
                "update(state, metric, lr=schedule(next_step))."
            )
        old = float(lr) * scale
        new = max(old * self.factor, self.min_lr)
        if old - new <= self.eps:
            return scale
        # Unbounded cuts multiply the scale itself, so they round as they always have.
        return scale * self.factor if new == old * self.factor else new / float(lr)

    @overload
    def apply(self, state: PlateauState, lr: float) -> float: ...

    @overload
    def apply(self, state: PlateauState, lr: NDArray[np.float64]) -> NDArray[np.float64]: ...

    def apply(
        self, state: PlateauState, lr: float | NDArray[np.float64]
    ) -> float | NDArray[np.float64]:
        """Return the rate(s) to use: ``lr * state.scale``, floored at ``min_lr`` in the Keras
        dialect (the PyTorch dialect floors its cuts instead, see the class)."""
        if isinstance(lr, np.ndarray):
            rates = lr * state.scale
            return np.maximum(rates, self.min_lr) if self.dialect == "keras" else rates
        rate = float(lr) * state.scale
        return max(rate, self.min_lr) if self.dialect == "keras" else rate

    def _repr_html_(self) -> str:
        """Jupyter's display: every setting of the controller as a table."""
        from gdlab.display import plateau_html  # the one module that draws displays

        return plateau_html(self)

    def to_dict(self) -> dict[str, Any]:
        """Return the configuration as a JSON-able dict."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReduceOnPlateau:
        """Rebuild a controller from `to_dict` output."""
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise ValueError(
                f"ReduceOnPlateau.from_dict: unknown key(s) {unknown}; valid keys are {names}."
            )
        return cls(**data)
