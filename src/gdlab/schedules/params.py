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

__all__ = ["MAX_COUNT", "MEANINGS", "choice", "flag", "floats", "integer", "number", "steps"]

# Largest count a schedule accepts: step counters are int64 and many formulas divide them as
# float64, which holds every integer exactly only up to 2**53. No run takes that many steps.
MAX_COUNT = 2**53

# What each required argument means, for the message that says it is missing.
MEANINGS = {
    "lr": "the learning rate at step 0",
    "gamma": "the factor the rate is multiplied by per decay period",
    "fn": "a Python function of the step giving the factor",
    "step_size": "the number of steps between two decays",
    "milestones": "the list of steps at which the rate decays",
    "values": "the rate in each interval",
    "boundaries": "the steps where the next interval or phase starts",
    "decay_rate": "how fast the rate falls",
    "end_lr": "the rate at the end",
    "total_steps": "the horizon: the number of steps until the schedule ends",
    "first_period": "the length in steps of the first cosine period",
    "base_lr": "the bottom of the cycle",
    "max_lr": "the peak rate",
    "schedules": "the list of schedules to combine",
    "schedule": "the schedule to wrap",
    "steps": "the number of warmup steps",
    "factor": "the constant the schedule is multiplied by",
    "warmup_steps": "the number of warmup steps",
    "decay_steps": "the number of decay steps",
    "alpha": "the L2 regularisation strength",
}


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
    try:
        x = float(value)
    except OverflowError:  # an int too large for a float
        x = math.inf
    bad = (
        not math.isfinite(x)
        or (low is not None and (x < low or (low_open and x == low)))
        or (high is not None and (x > high or (high_open and x == high)))
    )
    if bad:
        raise ValueError(
            f"{owner}: {name} must be in {_interval(low, high, low_open, high_open)}, "
            f"got {value!r:.60}."
        )
    return x


def integer(owner: str, name: str, value: Any, *, low: int = 0) -> int:
    """Return ``value`` as an int in ``[low, MAX_COUNT]``; floats such as 10.0 are refused
    (ambiguous counts)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"{owner}: {name} must be an int >= {low}, got {type(value).__name__} {value!r:.40}."
        )
    if not low <= value <= MAX_COUNT:
        raise ValueError(
            f"{owner}: {name} must be an int in [{low}, 2**53 = {MAX_COUNT}], got {value!r:.60}."
        )
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
