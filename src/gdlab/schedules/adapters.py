"""Drive PyTorch and Keras training loops with a gdlab schedule.

torch and keras are optional: they are imported only when an adapter is called, and the
adapter classes are built once on first use.
"""

from __future__ import annotations

import functools
from typing import Any

from gdlab.schedules.base import Schedule, from_dict, to_dict
from gdlab.schedules.cyclic import cyclic, one_cycle

__all__ = ["to_keras", "to_torch"]


@functools.cache
def _torch_class() -> type:
    from torch.optim.lr_scheduler import LRScheduler

    class GdlabLR(LRScheduler):
        """A PyTorch scheduler that sets every param group's lr to ``schedule(last_epoch)``
        and, with a momentum schedule, its momentum (or Adam's ``beta1``) to
        ``momentum(last_epoch)``, as ``OneCycleLR(cycle_momentum=True)`` does."""

        def __init__(
            self,
            optimizer: Any,
            schedule: Schedule,
            momentum: Schedule | None = None,
            last_epoch: int = -1,
        ) -> None:
            self.schedule = schedule
            self.momentum = momentum
            self.use_beta1 = momentum is not None and "betas" in optimizer.defaults
            super().__init__(optimizer, last_epoch)

        def get_lr(self) -> list[Any]:
            t = max(int(self.last_epoch), 0)
            if self.momentum is not None:
                # A side effect, as in PyTorch's cyclical schedulers: the momentum of the
                # update about to run is set with its rate.
                value = float(self.momentum(t))
                for group in self.optimizer.param_groups:
                    if self.use_beta1:
                        group["betas"] = (value, *group["betas"][1:])
                    else:
                        group["momentum"] = value
            rate = self.schedule(t)
            return [rate for _ in self.optimizer.param_groups]

        def _get_closed_form_lr(self) -> list[Any]:
            return self.get_lr()

        def state_dict(self) -> dict[str, Any]:
            """The scheduler's state, schedules as their ``to_dict`` forms: plain dicts,
            strings and numbers, which ``torch.load(weights_only=True)`` reads back."""
            state = super().state_dict()
            state["schedule"] = to_dict(self.schedule)
            state["momentum"] = None if self.momentum is None else to_dict(self.momentum)
            return state

        def load_state_dict(self, state_dict: dict[str, Any]) -> None:
            """Restore a state written by :meth:`state_dict` (schedules rebuilt and checked)."""
            state = dict(state_dict)
            state["schedule"] = from_dict(state["schedule"])
            if state.get("momentum") is not None:
                state["momentum"] = from_dict(state["momentum"])
            super().load_state_dict(state)

        def __repr__(self) -> str:
            extra = "" if self.momentum is None else f", momentum={self.momentum!r}"
            return f"GdlabLR({self.schedule!r}{extra}, last_epoch={self.last_epoch})"

    return GdlabLR


def _momentum_of(schedule: Schedule, cycle_momentum: bool | Schedule | None) -> Schedule | None:
    """The momentum schedule ``to_torch`` applies: PyTorch's default for the rate's kind
    (cycled for ``cyclic`` and ``one_cycle``, none otherwise), none, or the one given."""
    if isinstance(cycle_momentum, Schedule):
        return cycle_momentum
    cyclical = isinstance(schedule, (cyclic, one_cycle))
    if cycle_momentum is None:
        return schedule.momentum() if cyclical else None  # type: ignore[attr-defined]
    if not isinstance(cycle_momentum, bool):
        raise TypeError(
            "to_torch: cycle_momentum must be None, True, False or a gdlab schedule of "
            f"momentum values, got {type(cycle_momentum).__name__}."
        )
    if cycle_momentum and not cyclical:
        raise ValueError(
            f"to_torch: cycle_momentum=True needs a cyclic or one_cycle rate (the ones PyTorch "
            f"cycles momentum with), got {schedule}; pass a schedule of momentum values "
            "instead, e.g. cycle_momentum=linear(lr=0.95, end_lr=0.85, total_steps=100)."
        )
    return schedule.momentum() if cycle_momentum else None  # type: ignore[attr-defined]


def to_torch(
    schedule: Schedule,
    optimizer: Any,
    last_epoch: int = -1,
    *,
    cycle_momentum: bool | Schedule | None = None,
) -> Any:
    """Return a ``torch.optim.lr_scheduler.LRScheduler`` that applies ``schedule`` exactly.

    After construction every param group's ``lr`` is ``schedule(0)``; after the k-th
    ``scheduler.step()`` it is ``schedule(k)`` (the value itself, not a factor of the
    optimizer's initial lr, so no rounding is added). Pass ``last_epoch=N - 1`` with a restored
    optimizer to resume at step N.

    ``cycle_momentum`` does what PyTorch's cyclical schedulers do by default: for a `cyclic`
    or `one_cycle` rate (None or True) each group's ``momentum`` (or Adam's ``beta1``) follows
    ``schedule.momentum()`` (PyTorch's ``base_momentum`` and ``max_momentum``), so the adapter
    replaces ``CyclicLR`` and ``OneCycleLR`` without changing training. False leaves the
    momentum alone; a schedule of momentum values sets it for any rate. An optimizer without
    momentum or betas is refused then, as PyTorch refuses it.

    ``state_dict()`` holds only plain dicts, lists, strings and numbers (the schedules as their
    ``to_dict`` forms), so a checkpoint loads with ``torch.load(weights_only=True)``, the
    default since PyTorch 2.6.

    Examples
    --------
    >>> import pytest
    >>> torch = pytest.importorskip("torch")
    >>> from gdlab.schedules import exponential, one_cycle, to_torch
    >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    >>> sched = to_torch(exponential(lr=0.2, gamma=0.5), opt)
    >>> opt.step(); sched.step()
    >>> opt.param_groups[0]["lr"]
    0.1
    >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0, momentum=0.9)
    >>> sched = to_torch(one_cycle(max_lr=0.1, total_steps=100), opt)
    >>> opt.param_groups[0]["momentum"]   # OneCycleLR's max_momentum at step 0
    0.95
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(f"to_torch expects a gdlab Schedule, got {type(schedule).__name__}.")
    momentum = _momentum_of(schedule, cycle_momentum)
    try:
        cls = _torch_class()
    except ImportError as exc:
        raise ImportError("to_torch needs PyTorch; install it with `pip install torch`.") from exc
    if momentum is not None and not (
        "momentum" in optimizer.defaults or "betas" in optimizer.defaults
    ):
        raise ValueError(
            f"to_torch: {type(optimizer).__name__} has no momentum or betas to cycle (PyTorch "
            "refuses it with cycle_momentum enabled too); pass cycle_momentum=False."
        )
    if last_epoch != -1:
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
    return cls(optimizer, schedule, momentum, last_epoch)


@functools.cache
def _keras_class() -> type:
    import keras

    @keras.saving.register_keras_serializable(package="gdlab")
    class GdlabSchedule(keras.optimizers.schedules.LearningRateSchedule):
        """A Keras schedule returning ``schedule(step)``; serialisable through ``get_config``."""

        def __init__(self, schedule: Schedule) -> None:
            self.schedule = schedule

        def __call__(self, step: Any) -> Any:
            # The gdlab value is computed in NumPy, so this runs eagerly (the torch backend, or
            # run_eagerly=True with TensorFlow/JAX).
            t = int(keras.ops.convert_to_numpy(step))
            return keras.ops.convert_to_tensor(self.schedule(t))

        def get_config(self) -> dict[str, Any]:
            return {"schedule": self.schedule.to_dict()}

        @classmethod
        def from_config(cls, config: dict[str, Any]) -> Any:
            return cls(from_dict(config["schedule"]))

        def __repr__(self) -> str:
            return f"GdlabSchedule({self.schedule!r})"

    return GdlabSchedule


def to_keras(schedule: Schedule) -> Any:
    """Return a ``keras.optimizers.schedules.LearningRateSchedule`` computing ``schedule(step)``.

    Keras passes the optimizer's iteration count (0-based), so the k-th update uses
    ``schedule(k)``. The schedule is evaluated eagerly in NumPy: use the torch backend or
    ``run_eagerly=True``. Keras computes in its ``floatx`` (float32 by default).

    Examples
    --------
    >>> import pytest
    >>> keras = pytest.importorskip("keras")
    >>> from gdlab.schedules import exponential, to_keras
    >>> round(float(to_keras(exponential(lr=0.2, gamma=0.5))(1)), 6)
    0.1
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(f"to_keras expects a gdlab Schedule, got {type(schedule).__name__}.")
    try:
        cls = _keras_class()
    except ImportError as exc:
        raise ImportError("to_keras needs Keras 3; install it with `pip install keras`.") from exc
    return cls(schedule)
