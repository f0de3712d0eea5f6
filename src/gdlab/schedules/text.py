"""Read a schedule's text form, e.g. ``"cosine(lr=0.1, total_steps=100)"``, without running code.

The grammar is a tiny subset of Python expressions: a call of a registered schedule name whose
arguments are numbers (optionally signed), strings, True/False, ``inf``, lists of those, or
nested schedule calls. The text is parsed by `ast.parse` in "eval" mode and the tree is walked
by hand; nothing is ever evaluated, so ``__import__('os')`` is just an unknown name.
"""

from __future__ import annotations

import ast
import dataclasses
import math
import warnings
from typing import Any

import numpy as np

from gdlab.schedules.base import SCHEDULES, Schedule, build
from gdlab.schedules.basic import constant

__all__ = ["as_schedule", "parse"]

_MAX_CHARS = 10_000  # a schedule is a one-liner; refuse pathological inputs before ast sees them
_NAMES = {"True": True, "False": False, "inf": math.inf, "nan": math.nan}


def parse(text: str) -> Schedule:
    """Return the schedule written by ``str(schedule)``; a bare number means ``constant(number)``.

    Parameters
    ----------
    text : str
        The text form, e.g. ``"exponential(lr=0.2, gamma=0.95)"``. Positional arguments follow
        the order of the constructor's parameters.

    Raises
    ------
    ValueError
        If the text is not a call of a known schedule with literal arguments.

    Examples
    --------
    >>> from gdlab.schedules import parse
    >>> parse("cosine(lr=0.1, total_steps=100)")
    cosine(lr=0.1, total_steps=100)
    >>> parse("0.05")
    constant(lr=0.05)
    """
    if not isinstance(text, str):
        raise TypeError(f"parse expects a str, got {type(text).__name__}.")
    if len(text) > _MAX_CHARS:
        raise ValueError(f"schedule text is {len(text)} characters long; at most {_MAX_CHARS}.")
    try:
        with warnings.catch_warnings():
            # Python warns on text such as "1or 2"; here that is a syntax error like any other.
            warnings.simplefilter("error", SyntaxWarning)
            tree = ast.parse(text.strip(), mode="eval")
        value = _literal(tree.body, text)
    except SyntaxError as exc:
        raise ValueError(
            f"cannot read schedule text {text!r:.80}: {exc.msg}; expected a call such as "
            "'exponential(lr=0.2, gamma=0.95)'."
        ) from None
    except (MemoryError, RecursionError):  # thousands of nested signs or brackets
        raise ValueError(
            f"cannot read schedule text {text!r:.80}: it is nested too deeply; expected a call "
            "such as 'exponential(lr=0.2, gamma=0.95)'."
        ) from None
    if isinstance(value, Schedule):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return constant(lr=value)
    raise ValueError(
        f"schedule text {text!r:.80} is not a schedule call; expected e.g. "
        "'cosine(lr=0.1, total_steps=100)'."
    )


def _fail(node: ast.AST, text: str, what: str) -> ValueError:
    snippet = ast.get_source_segment(text.strip(), node) or type(node).__name__
    return ValueError(
        f"cannot read schedule text {text!r:.80}: {what} {snippet!r:.60} is not allowed; only "
        f"schedule calls ({', '.join(sorted(SCHEDULES))}), numbers, strings, True/False and "
        "lists are."
    )


def _literal(node: ast.AST, text: str) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _literal(node.operand, text)
        if isinstance(inner, bool) or not isinstance(inner, (int, float)):
            raise _fail(node, text, "sign on a non-number")
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.Name) and node.id in _NAMES:
        return _NAMES[node.id]
    if isinstance(node, (ast.List, ast.Tuple)):
        return tuple(_literal(e, text) for e in node.elts)
    if isinstance(node, ast.Call):
        return _call(node, text)
    raise _fail(node, text, "expression")


def _call(node: ast.Call, text: str) -> Schedule:
    if not isinstance(node.func, ast.Name) or node.func.id not in SCHEDULES:
        raise _fail(node.func, text, "unknown schedule")
    cls = SCHEDULES[node.func.id]
    names = [f.name for f in dataclasses.fields(cls)]
    if len(node.args) > len(names):
        raise ValueError(f"{cls.__name__} takes at most {len(names)} arguments ({names}).")
    kwargs: dict[str, Any] = {}
    for name, arg in zip(names, node.args, strict=False):
        if isinstance(arg, ast.Starred):
            raise _fail(arg, text, "starred argument")
        kwargs[name] = _literal(arg, text)
    for kw in node.keywords:
        if kw.arg is None:
            raise _fail(kw.value, text, "** argument")
        if kw.arg in kwargs:
            raise ValueError(f"{cls.__name__}: argument {kw.arg!r} given twice in {text!r:.80}.")
        kwargs[kw.arg] = _literal(kw.value, text)
    return build(cls, kwargs)


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
    if isinstance(value, Schedule):
        return value
    if isinstance(value, str):
        return parse(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return constant(lr=value)
    if callable(value):
        raise TypeError(
            f"as_schedule got a plain callable {value!r:.60}; wrap it as factor(lr, fn) or use "
            "a named schedule such as exponential(lr, gamma) so it can be printed and saved."
        )
    raise TypeError(
        f"as_schedule expects a positive number, a Schedule or its text form, "
        f"got {type(value).__name__}."
    )
