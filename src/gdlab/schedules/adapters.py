"""Drive PyTorch and Keras training loops with a gdlab schedule.

torch and keras are optional: they are imported only when an adapter is called, and the
adapter classes are built once on first use.
"""

from __future__ import annotations

import functools
from typing import Any

from gdlab.schedules.base import Schedule, from_dict

__all__ = ["to_keras", "to_torch"]


@functools.cache
def _torch_class() -> type:
    from torch.optim.lr_scheduler import LRScheduler

    class GdlabLR(LRScheduler):
        """A PyTorch scheduler that sets every param group's lr to ``schedule(last_epoch)``."""

        def __init__(self, optimizer: Any, schedule: Schedule, last_epoch: int = -1) -> None:
            self.schedule = schedule
            super().__init__(optimizer, last_epoch)

        def get_lr(self) -> list[float]:
            value = self.schedule(max(int(self.last_epoch), 0))
            return [value for _ in self.optimizer.param_groups]

        def _get_closed_form_lr(self) -> list[float]:
            return self.get_lr()

        def __repr__(self) -> str:
            return f"GdlabLR({self.schedule!r}, last_epoch={self.last_epoch})"

    return GdlabLR


def to_torch(schedule: Schedule, optimizer: Any, last_epoch: int = -1) -> Any:
    """Return a ``torch.optim.lr_scheduler.LRScheduler`` that applies ``schedule`` exactly.

    After construction every param group's ``lr`` is ``schedule(0)``; after the k-th
    ``scheduler.step()`` it is ``schedule(k)`` (the value itself, not a factor of the
    optimizer's initial lr, so no rounding is added). Pass ``last_epoch=N - 1`` with a restored
    optimizer to resume at step N.

    Examples
    --------
    >>> import pytest
    >>> torch = pytest.importorskip("torch")
    >>> from gdlab.schedules import exponential, to_torch
    >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    >>> sched = to_torch(exponential(lr=0.2, gamma=0.5), opt)
    >>> opt.step(); sched.step()
    >>> opt.param_groups[0]["lr"]
    0.1
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(f"to_torch expects a gdlab Schedule, got {type(schedule).__name__}.")
    try:
        cls = _torch_class()
    except ImportError as exc:
        raise ImportError("to_torch needs PyTorch; install it with `pip install torch`.") from exc
    if last_epoch != -1:
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
    return cls(optimizer, schedule, last_epoch)


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
