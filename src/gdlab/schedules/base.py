"""The `Schedule` base class: a frozen dataclass mapping a 0-based step counter to a learning rate.

Every concrete schedule is a small frozen dataclass whose fields are its constructor arguments, so
it prints as the call that built it, compares equal by value and serialises to a dict without any
per-class code. Subclasses register themselves by class name; `from_dict` and `parse` look them up
in `SCHEDULES` and never evaluate code. This module imports none of its subclasses: the few
places that build one (``s * t`` builds a `product`) find it in `SCHEDULES`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, cast, overload

import numpy as np
from numpy.typing import NDArray

from gdlab.schedules.params import MEANINGS

__all__ = ["SCHEDULES", "Schedule", "format_value", "from_dict", "to_dict"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# Every registered schedule class by its public (lower-case) name; filled by __init_subclass__.
SCHEDULES: dict[str, type[Schedule]] = {}

S = TypeVar("S", bound="Schedule")

# Schedules saved as data nest only a few levels (a join of warmups of cosines); far deeper
# input is damaged or hostile and is refused before Python's recursion limit is reached.
MAX_DEPTH = 50


@dataclasses.dataclass(frozen=True, repr=False)
class Schedule:
    """A pure learning-rate schedule ``lr = s(t)`` over a 0-based step counter ``t``.

    Calling a schedule with an int returns a float; calling it with an integer array returns a
    float64 array of the same shape. Schedules hold no state: ``s(t)`` depends on ``t`` only, so
    resuming a run at step ``N`` is ``s(N)``. Closed forms defined for real ``t`` (cosines,
    decays, cycles) also take a float step, as PyTorch's ``scheduler.step(epoch + i / iters)``
    does; step-wise schedules and `factor` take whole steps only and say so.

    Subclasses implement ``_value(t)`` on an int64 array (a float64 one when ``real_steps``)
    and may override `horizon` (the first step from which the schedule has reached its final
    behaviour, or None when it has none).

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
    # Whether ``_value`` is a closed form of a real step (so a float step is meaningful).
    real_steps: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            SCHEDULES[cls.__name__] = cls

    @overload
    def __call__(self, t: int | np.integer[Any]) -> float: ...

    @overload
    def __call__(self, t: float | np.floating[Any]) -> float: ...

    @overload
    def __call__(self, t: NDArray[Any]) -> FloatArray: ...

    def __call__(self, t: float | np.number[Any] | NDArray[Any]) -> float | FloatArray:
        name = type(self).__name__
        try:
            steps = np.asarray(t)
        except OverflowError:  # a list holding an int beyond int64
            steps = np.asarray(None)
        too_large = steps.dtype.kind == "O" and all(isinstance(v, int) for v in np.ravel(steps))
        too_large |= steps.dtype.kind == "u" and steps.size > 0 and steps.max() >= 2**63
        if too_large:
            raise ValueError(f"{name}: step {t!r:.60} is too large; steps are int64.")
        kind = steps.dtype.kind
        if kind == "f" and not self._real_t():
            raise TypeError(
                f"{name}: step must be an int or an integer array, got {steps.dtype} "
                f"({t!r:.60}); {name} changes only at whole steps, so pass the 0-based update "
                "or epoch counter as an int."
            )
        if kind not in "iuf":
            raise TypeError(
                f"{name}: step must be an int or an integer array, got {steps.dtype} "
                f"({t!r:.60}); pass the 0-based update or epoch counter as an int."
            )
        if kind == "f" and not np.isfinite(steps).all():
            raise ValueError(f"{name}: step must be finite, got {t!r:.60}.")
        if steps.size and steps.min() < 0:
            raise ValueError(
                f"{name}: step must be >= 0, got {steps.min().item()}; steps count from 0."
            )
        # Always evaluate a 1-d array: NumPy's 0-d and array code paths (e.g. of np.power) may
        # differ in the last bit, and s(t) must equal s(array)[i] exactly.
        # int64, or float64 for the closed forms of a real step (see real_steps).
        flat = cast(IntArray, steps.astype(np.float64 if kind == "f" else np.int64).reshape(-1))
        values = np.asarray(self._value(flat), dtype=np.float64)
        values = np.broadcast_to(values, flat.shape).reshape(steps.shape)
        if steps.ndim == 0:
            return float(values)
        return np.array(values, dtype=np.float64)

    def _value(self, t: IntArray) -> FloatArray:
        raise NotImplementedError(f"{type(self).__name__} does not implement _value")

    def _real_t(self) -> bool:
        """Whether this schedule takes a float step (composites ask their children)."""
        return self.real_steps

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

    def _repr_html_(self) -> str:
        """Jupyter's display: the text form and the curve over the horizon (inline SVG)."""
        from gdlab.display import schedule_html  # the one module that draws displays

        return schedule_html(self)

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
        if isinstance(other, Schedule):
            return SCHEDULES["product"](schedules=(self, other))  # type: ignore[call-arg]
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            return SCHEDULES["scaled"](schedule=self, factor=float(other))  # type: ignore[call-arg]
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


def _from_data(value: Any, depth: int) -> Any:
    if isinstance(value, dict):
        return _from_dict(value, depth + 1)
    if isinstance(value, list):
        if depth >= MAX_DEPTH:
            raise _too_deep()
        return tuple(_from_data(v, depth + 1) for v in value)
    return value


def _too_deep() -> ValueError:
    return ValueError(
        f"from_dict: the data is nested more than {MAX_DEPTH} levels deep; a schedule saved by "
        "to_dict nests a few levels only, so the data is damaged."
    )


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
    return _from_dict(data, 0)


def _from_dict(data: Any, depth: int) -> Schedule:
    if depth >= MAX_DEPTH:
        raise _too_deep()
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ValueError(
            f"from_dict expects a dict with a 'type' key naming a schedule, got "
            f"{_short(data)}; pass the output of to_dict(schedule)."
        )
    odd = [k for k in data if not isinstance(k, str)]
    if odd:
        raise ValueError(
            f"from_dict: argument names must be strings, got the key {odd[0]!r:.40} "
            f"({type(odd[0]).__name__}); pass the output of to_dict(schedule)."
        )
    name = data["type"]
    cls = SCHEDULES.get(name)
    if cls is None:
        raise ValueError(f"unknown schedule {name!r:.60}; expected one of {sorted(SCHEDULES)}.")
    kwargs = {k: _from_data(v, depth) for k, v in data.items() if k != "type"}
    return build(cls, kwargs)


def _short(value: Any) -> str:
    """The start of ``repr(value)``, without walking all of a deeply nested value."""
    if isinstance(value, (dict, list, tuple)):
        return f"a {type(value).__name__} of {len(value)} item(s)"
    return f"{value!r:.80}"


def build(cls: type[S], kwargs: dict[str, Any]) -> S:
    """Call ``cls(**kwargs)`` for `parse`/`from_dict`; any bad argument becomes a ValueError.

    Data read from text or a file is malformed input, so wrong types (which the constructors
    report as TypeError when called from code) are reported as ValueError here.
    """
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    unknown = sorted(set(kwargs) - set(names))
    if unknown:
        raise ValueError(
            f"{cls.__name__}: unknown argument(s) {unknown}; valid arguments are {names}."
        )
    required = (dataclasses.MISSING, dataclasses.MISSING)
    missing = [f.name for f in fields if (f.default, f.default_factory) == required]
    missing = [name for name in missing if name not in kwargs]
    if missing:
        what = "; ".join(f"{name}, {MEANINGS.get(name, 'required')}" for name in missing)
        call = ", ".join(f"{n}=..." for n in names if n in kwargs or n in missing)
        raise ValueError(
            f"{cls.__name__}: missing required argument(s): {what}. Write e.g. "
            f"{cls.__name__}({call})."
        )
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ValueError(f"{cls.__name__}: {exc} Valid arguments are {names}.") from None


def vectorize_callable(fn: Callable[[int], float], t: IntArray) -> FloatArray:
    """Evaluate a scalar user function element by element (it need not accept arrays)."""
    flat = [float(fn(int(k))) for k in t.ravel()]
    return np.asarray(flat, dtype=np.float64).reshape(t.shape)
