"""The `Schedule` base class: a frozen dataclass mapping a 0-based step counter to a learning rate.

Every concrete schedule is a small frozen dataclass whose fields are its constructor arguments, so
it prints as the call that built it, compares equal by value and serialises to a dict without any
per-class code. Subclasses register themselves by class name; `from_dict` and `parse` look them up
in `SCHEDULES` and never evaluate code.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

__all__ = ["SCHEDULES", "Schedule", "as_schedule", "format_value", "from_dict", "to_dict"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# Every registered schedule class by its public (lower-case) name; filled by __init_subclass__.
SCHEDULES: dict[str, type[Schedule]] = {}

S = TypeVar("S", bound="Schedule")


@dataclasses.dataclass(frozen=True, repr=False)
class Schedule:
    """A pure learning-rate schedule ``lr = s(t)`` over a 0-based step counter ``t``.

    Calling a schedule with an int returns a float; calling it with an integer array returns a
    float64 array of the same shape. Schedules hold no state: ``s(t)`` depends on ``t`` only, so
    resuming a run at step ``N`` is ``s(N)``.

    Subclasses implement ``_value(t)`` on an int64 array and may override `horizon` (the first
    step from which the schedule has reached its final behaviour, or None when it has none).

    Examples
    --------
    >>> from gdlab import schedules
    >>> s = schedules.exponential(lr=0.2, gamma=0.95)
    >>> s
    exponential(lr=0.2, gamma=0.95)
    >>> round(s(2), 6)
    0.1805
    >>> s == schedules.parse(str(s))
    True
    """

    # Names of fields that cannot be written as text (e.g. a Python callable).
    _opaque_fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            SCHEDULES[cls.__name__] = cls

    @overload
    def __call__(self, t: int | np.integer[Any]) -> float: ...

    @overload
    def __call__(self, t: NDArray[np.integer[Any]]) -> FloatArray: ...

    def __call__(self, t: int | np.integer[Any] | NDArray[np.integer[Any]]) -> float | FloatArray:
        steps = np.asarray(t)
        if steps.dtype.kind not in "iu":
            raise TypeError(
                f"{type(self).__name__}: step must be an int or an integer array, got "
                f"{steps.dtype} ({t!r:.60}); pass the 0-based update or epoch counter as an int."
            )
        if steps.size and int(steps.min()) < 0:
            raise ValueError(
                f"{type(self).__name__}: step must be >= 0, got {int(steps.min())}; "
                "steps count from 0."
            )
        # Always evaluate a 1-d array: NumPy's 0-d and array code paths (e.g. of np.power) may
        # differ in the last bit, and s(t) must equal s(array)[i] exactly.
        flat = steps.astype(np.int64).reshape(-1)
        values = np.asarray(self._value(flat), dtype=np.float64)
        values = np.broadcast_to(values, flat.shape).reshape(steps.shape)
        if steps.ndim == 0:
            return float(values)
        return np.array(values, dtype=np.float64)

    def _value(self, t: IntArray) -> FloatArray:
        raise NotImplementedError(f"{type(self).__name__} does not implement _value")

    @property
    def horizon(self) -> int | None:
        """First step of the final behaviour (e.g. the end of a decay), or None if unbounded."""
        return None

    # ---- text and dict forms -------------------------------------------------------------
    def _shown_fields(self) -> list[tuple[str, Any]]:
        """Fields to print: required ones always, optional ones when not at their default."""
        shown = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            has_default = f.default is not dataclasses.MISSING
            if has_default and _same(value, f.default):
                continue
            shown.append((f.name, value))
        return shown

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={format_value(value)}" for name, value in self._shown_fields())
        return f"{type(self).__name__}({args})"

    def __str__(self) -> str:
        return repr(self)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict ``{"type": name, **arguments}`` (see `from_dict`)."""
        if self._opaque_fields:
            raise TypeError(
                f"{type(self).__name__} holds a Python callable ({', '.join(self._opaque_fields)}) "
                "that cannot be saved as data; use a schedule with a closed form instead, e.g. "
                "exponential(lr, gamma) for lr * gamma**t."
            )
        out: dict[str, Any] = {"type": type(self).__name__}
        for f in dataclasses.fields(self):
            out[f.name] = _to_data(getattr(self, f.name))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schedule:
        """Rebuild a schedule from `to_dict` output; the class comes from ``data["type"]``."""
        return from_dict(data)

    # ---- composition ---------------------------------------------------------------------
    def __mul__(self, other: object) -> Schedule:
        from gdlab.schedules.compose import product, scaled

        if isinstance(other, Schedule):
            return product(schedules=(self, other))
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            return scaled(schedule=self, factor=float(other))
        return NotImplemented

    __rmul__ = __mul__

    def _set(self, name: str, value: Any) -> None:
        """Store a normalised field value (the dataclass is frozen)."""
        object.__setattr__(self, name, value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and bool(a == b)


def format_value(value: Any) -> str:
    """Write one argument as text that `parse` reads back (floats use the shortest exact repr)."""
    if isinstance(value, tuple):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if callable(value) and not isinstance(value, Schedule):
        # A callable has no text form; show its name rather than a memory address.
        return f"<function {getattr(value, '__qualname__', type(value).__name__)}>"
    return repr(value)


def _to_data(value: Any) -> Any:
    if isinstance(value, Schedule):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_to_data(v) for v in value]
    return value


def _from_data(value: Any) -> Any:
    if isinstance(value, dict):
        return from_dict(value)
    if isinstance(value, list):
        return tuple(_from_data(v) for v in value)
    return value


def to_dict(schedule: Schedule) -> dict[str, Any]:
    """Return ``schedule.to_dict()``: a JSON-able dict that `from_dict` turns back into it.

    Examples
    --------
    >>> from gdlab import schedules
    >>> schedules.to_dict(schedules.step(lr=0.1, step_size=10))
    {'type': 'step', 'lr': 0.1, 'step_size': 10, 'gamma': 0.1}
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(f"to_dict expects a Schedule, got {type(schedule).__name__}")
    return schedule.to_dict()


def from_dict(data: dict[str, Any]) -> Schedule:
    """Rebuild a schedule from a dict written by `to_dict`; unknown names raise ValueError.

    Examples
    --------
    >>> from gdlab import schedules
    >>> schedules.from_dict({"type": "constant", "lr": 0.5})
    constant(lr=0.5)
    """
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ValueError(
            f"from_dict expects a dict with a 'type' key naming a schedule, got {data!r:.80}; "
            "pass the output of to_dict(schedule)."
        )
    name = data["type"]
    cls = SCHEDULES.get(name)
    if cls is None:
        raise ValueError(f"unknown schedule {name!r}; expected one of {sorted(SCHEDULES)}.")
    kwargs = {k: _from_data(v) for k, v in data.items() if k != "type"}
    return build(cls, kwargs)


def build(cls: type[S], kwargs: dict[str, Any]) -> S:
    """Call ``cls(**kwargs)`` for `parse`/`from_dict`; any bad argument becomes a ValueError.

    Data read from text or a file is malformed input, so wrong types (which the constructors
    report as TypeError when called from code) are reported as ValueError here.
    """
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(kwargs) - set(names))
    if unknown:
        raise ValueError(
            f"{cls.__name__}: unknown argument(s) {unknown}; valid arguments are {names}."
        )
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ValueError(f"{cls.__name__}: {exc} Valid arguments are {names}.") from None


def as_schedule(value: Schedule | float | int | str) -> Schedule:
    """Return a Schedule: a positive number becomes ``constant(value)``, text is parsed.

    Examples
    --------
    >>> from gdlab import schedules
    >>> schedules.as_schedule(0.1)
    constant(lr=0.1)
    >>> schedules.as_schedule("exponential(lr=0.2, gamma=0.95)")
    exponential(lr=0.2, gamma=0.95)
    """
    from gdlab.schedules.basic import constant
    from gdlab.schedules.text import parse

    if isinstance(value, Schedule):
        return value
    if isinstance(value, str):
        return parse(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return constant(lr=float(value))
    if callable(value):
        raise TypeError(
            f"as_schedule got a plain callable {value!r:.60}; wrap it as factor(lr, fn) or use "
            "a named schedule such as exponential(lr, gamma) so it can be printed and saved."
        )
    raise TypeError(
        f"as_schedule expects a positive number, a Schedule or its text form, "
        f"got {type(value).__name__}."
    )


def vectorize_callable(fn: Callable[[int], float], t: IntArray) -> FloatArray:
    """Evaluate a scalar user function element by element (it need not accept arrays)."""
    flat = [float(fn(int(k))) for k in t.ravel()]
    return np.asarray(flat, dtype=np.float64).reshape(t.shape)
