"""The parameters a section of the lesson takes, each with its type and its bounds.

A section declares its parameters once (``PARAMS``); ``gdlab demo --set contours.lr=0.16``
is parsed and checked against that declaration before anything runs, so a value that is not
a finite number, lies outside its bounds or would make the run unbounded is refused with a
message that names the parameter, what it accepts and what came.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Value = int | float


@dataclass(frozen=True)
class Param:
    """One parameter: its default, the closed interval ``[low, high]`` it accepts and the value
    ``--quick`` uses (``None``: the default).

    The type is the default's: an ``int`` parameter accepts whole numbers only.

    Examples
    --------
    >>> p = Param("steps", 100, 1, 10_000)
    >>> p.parse("250"), p
    (250, Param('steps', default=100, range [1, 10000]))
    >>> p.parse("0")
    Traceback (most recent call last):
    ...
    ValueError: --set steps expects a whole number from 1 to 10,000, got '0'
    """

    name: str
    default: Value
    low: Value
    high: Value
    quick: Value | None = None

    def __post_init__(self) -> None:
        for value in (self.default, self.quick):
            if value is not None and not self.low <= value <= self.high:
                raise ValueError(f"{self.name}: {value} lies outside [{self.low}, {self.high}]")

    @property
    def whole(self) -> bool:
        return isinstance(self.default, int)

    def expects(self) -> str:
        """What the parameter accepts, in words."""
        kind = "a whole number" if self.whole else "a number"
        return f"{kind} from {self.low:,} to {self.high:,}"

    def parse(self, text: str, where: str | None = None) -> Value:
        """``text`` as this parameter's value, or a ValueError saying what it accepts."""
        where = where or f"--set {self.name}"
        problem = f"{where} expects {self.expects()}, got {text!r}"
        try:
            value: Value = int(text) if self.whole else float(text)
        except ValueError:
            raise ValueError(problem) from None
        if not (math.isfinite(value) and self.low <= value <= self.high):
            raise ValueError(problem)
        return value

    def __repr__(self) -> str:
        return f"Param({self.name!r}, default={self.default!r}, range [{self.low}, {self.high}])"


def parse_overrides(
    items: Iterable[str], declared: Mapping[str, tuple[Param, ...]]
) -> dict[str, dict[str, Value]]:
    """``["decay.gamma=0.9", ...]`` as ``{"decay": {"gamma": 0.9}}``, checked and typed.

    Parameters
    ----------
    items : iterable of str
        ``SECTION.PARAMETER=VALUE`` texts, as given to ``--set``.
    declared : mapping
        Each section's key and its parameters.

    Raises
    ------
    ValueError
        For a malformed item, an unknown section or parameter, or a value the parameter does
        not accept.

    Examples
    --------
    >>> declared = {"decay": (Param("gamma", 0.95, 0.5, 1.0),)}
    >>> parse_overrides(["decay.gamma=0.9"], declared)
    {'decay': {'gamma': 0.9}}
    >>> parse_overrides(["decay.gamma=nan"], declared)
    Traceback (most recent call last):
    ...
    ValueError: --set decay.gamma expects a number from 0.5 to 1.0, got 'nan'
    """
    out: dict[str, dict[str, Value]] = {}
    for item in items:
        name, sep, text = item.partition("=")
        section, dot, param = name.strip().partition(".")
        if not sep or not dot or not section or not param:
            raise ValueError(
                f"--set expects SECTION.PARAMETER=VALUE (e.g. decay.gamma=0.9), got {item!r}"
            )
        if section not in declared:
            raise ValueError(f"--set: no section {section!r}; sections: {', '.join(declared)}")
        params = {p.name: p for p in declared[section]}
        if param not in params:
            known = ", ".join(params) or "none"
            raise ValueError(
                f"--set: section {section!r} has no parameter {param!r}; its parameters: {known}"
            )
        value = params[param].parse(text.strip(), f"--set {section}.{param}")
        out.setdefault(section, {})[param] = value
    return out
