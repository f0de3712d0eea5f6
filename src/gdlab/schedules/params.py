"""Argument checks shared by the schedule constructors.

Each check returns the normalised value (ints stay ints, numbers become floats, lists become
tuples) so that equal schedules compare equal, and raises a ValueError naming the schedule, the
parameter, the value that came and the valid range.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["choice", "flag", "floats", "integer", "number", "steps"]


def _interval(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    left = "(-inf" if low is None else f"{'(' if low_open else '['}{low:g}"
    right = "inf)" if high is None else f"{high:g}{')' if high_open else ']'}"
    return f"{left}, {right}"


def number(
    owner: str,
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a finite float inside the interval, else raise ValueError/TypeError."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(
            f"{owner}: {name} must be a number, got {type(value).__name__} {value!r:.40}."
        )
    x = float(value)
    bad = (
        not math.isfinite(x)
        or (low is not None and (x < low or (low_open and x == low)))
        or (high is not None and (x > high or (high_open and x == high)))
    )
    if bad:
        raise ValueError(
            f"{owner}: {name} must be in {_interval(low, high, low_open, high_open)}, "
            f"got {value!r}."
        )
    return x


def integer(owner: str, name: str, value: Any, *, low: int = 0) -> int:
    """Return ``value`` as an int >= ``low``; floats such as 10.0 are refused (ambiguous counts)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"{owner}: {name} must be an int >= {low}, got {type(value).__name__} {value!r:.40}."
        )
    if value < low:
        raise ValueError(f"{owner}: {name} must be an int in [{low}, inf), got {value!r}.")
    return int(value)


def choice(owner: str, name: str, value: Any, options: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``options``."""
    if value not in options:
        raise ValueError(f"{owner}: {name} must be one of {list(options)}, got {value!r}.")
    return str(value)


def flag(owner: str, name: str, value: Any) -> bool:
    """Return ``value`` if it is a bool."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{owner}: {name} must be True or False, got {value!r:.40}.")
    return bool(value)


def steps(
    owner: str, name: str, value: Any, *, low: int = 1, allow_empty: bool = False
) -> tuple[int, ...]:
    """Return a strictly increasing tuple of ints >= ``low`` (milestones, boundaries)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        raise TypeError(f"{owner}: {name} must be a list of ints, got {type(value).__name__}.")
    out = tuple(integer(owner, f"{name}[{i}]", v, low=low) for i, v in enumerate(value))
    if not out and not allow_empty:
        raise ValueError(f"{owner}: {name} must be a non-empty list of ints >= {low}, got [].")
    if any(b <= a for a, b in itertools.pairwise(out)):
        raise ValueError(
            f"{owner}: {name} must be strictly increasing, got {list(out)}; sort them and "
            "remove duplicates."
        )
    return out


def floats(
    owner: str, name: str, value: Any, *, low: float = 0.0, low_open: bool = False
) -> tuple[float, ...]:
    """Return a non-empty tuple of finite floats >= ``low`` (> when ``low_open``)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        raise TypeError(f"{owner}: {name} must be a list of numbers, got {type(value).__name__}.")
    out = tuple(
        number(owner, f"{name}[{i}]", v, low=low, low_open=low_open) for i, v in enumerate(value)
    )
    if not out:
        raise ValueError(f"{owner}: {name} must be a non-empty list of numbers, got [].")
    return out
