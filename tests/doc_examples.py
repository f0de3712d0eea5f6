"""Running the documentation's Python examples, and checking what they print.

An example is a fenced ```python block of a Markdown file. It runs as written, in a scratch
folder (a path under ``/tmp/`` is moved into it). A ``print(...)`` line that ends with a
comment states what it prints: the comment, up to its first ": " (what follows is an
explanation), must be found in that call's output. Numbers in it are compared at the
precision they are written with (``1.05`` matches 1.0478), ``...`` stands for anything, and
runs of spaces match any whitespace. A comment on a line of its own is prose.
"""

from __future__ import annotations

import builtins
import io
import math
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FENCE = re.compile(r"^```python\n(.*?)^```", re.M | re.S)
_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")
_PRINT_COMMENT = re.compile(r"^\s*print\(.*\)\s+#\s?(.*)$")


def python_blocks(path: Path) -> list[tuple[int, str]]:
    """The ```python blocks of ``path`` with the line each starts on."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in FENCE.finditer(text)]


def expected_prints(code: str) -> dict[int, str]:
    """``{line number in the block: what the comment says it prints}``."""
    expected = {}
    for number, line in enumerate(code.splitlines(), start=1):
        match = _PRINT_COMMENT.match(line)
        if match:
            expected[number] = re.split(r": |：", match.group(1), maxsplit=1)[0].strip()
    return expected


def _pattern(expected: str) -> tuple[re.Pattern[str], list[str]]:
    """A regex for ``expected`` and the numbers written in it, in order."""
    parts, numbers, at = [], [], 0
    for match in re.finditer(r"\.\.\.|" + _NUMBER.pattern + r"|\s+", expected):
        parts.append(re.escape(expected[at : match.start()]))
        token = match.group(0)
        if token == "...":
            parts.append(".*?")
        elif token.isspace():
            parts.append(r"\s*")
        else:
            parts.append(r"(-?\d+(?:\.\d*)?(?:e[-+]?\d+)?)")
            numbers.append(token)
        at = match.end()
    parts.append(re.escape(expected[at:]))
    return re.compile("".join(parts), re.S), numbers


def _same_number(written: str, printed: str) -> bool:
    """``printed`` rounds to ``written`` at the precision ``written`` has."""
    value, shown = float(printed), float(written)
    if "e" in written.lower():
        mantissa = written.lower().split("e")[0]
        digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
        scale = 10.0 ** math.floor(math.log10(abs(shown))) if shown else 1.0
        return abs(value - shown) <= 0.5 * 10.0**-digits * scale * (1 + 1e-9)
    digits = len(written.split(".")[1]) if "." in written else 0
    return abs(value - shown) <= 0.5 * 10.0**-digits * (1 + 1e-9)


def printed_matches(expected: str, printed: str) -> bool:
    """Whether ``printed`` shows ``expected`` (see the module's docstring)."""
    pattern, numbers = _pattern(expected)
    for match in pattern.finditer(printed):
        if all(_same_number(w, p) for w, p in zip(numbers, match.groups(), strict=True)):
            return True
    # A number may sit inside a longer run of digits the regex split differently.
    return False


def run_example(code: str, name: str, folder: Path) -> dict[int, str]:
    """Run ``code`` in ``folder``; return ``{line: what the print on that line wrote}``."""
    code = code.replace('"/tmp/', f'"{folder}/')
    outputs: dict[int, str] = {}
    real_print = builtins.print

    def recording_print(*args: Any, **kwargs: Any) -> None:
        frame = sys._getframe(1)
        if frame.f_code.co_filename == name and "file" not in kwargs:
            buffer = io.StringIO()
            real_print(*args, **kwargs, file=buffer)
            outputs[frame.f_lineno] = outputs.get(frame.f_lineno, "") + buffer.getvalue()
        else:
            real_print(*args, **kwargs)

    namespace = {"__name__": "example", "print": recording_print}
    exec(compile(code, name, "exec"), namespace)
    return outputs


def check_example(code: str, name: str, folder: Path) -> Iterator[str]:
    """Run ``code`` and yield one message for each print that does not show what its
    comment says."""
    outputs = run_example(code, name, folder)
    for line, expected in expected_prints(code).items():
        printed = outputs.get(line)
        if printed is None:
            yield f"{name}, line {line}: nothing printed, expected {expected!r}"
        elif not printed_matches(expected, printed):
            yield f"{name}, line {line}: printed {printed.strip()!r}, the comment says {expected!r}"
