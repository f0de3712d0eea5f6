"""The ``gdlab`` command: argument parsing, dispatch and the one-line error policy.

Every subcommand lives in its own module with an ``add_parser(subparsers)`` that declares its
arguments and a ``run(args) -> int`` that does the work. Heavy imports (the engine, matplotlib)
happen inside ``run`` so that ``gdlab --help`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import NoReturn

import numpy as np

from gdlab import __version__
from gdlab.cli import compare, demo, lr_find, scale, schedule
from gdlab.cli.inputs import UsageError

_DESCRIPTION = """\
Gradient Descent Lab: feature scaling, learning-rate schedules and gradient descent,
shown and measured.

  gdlab demo                                   the whole lesson as one HTML report
  gdlab compare data.csv --target y            scalers x schedules x batch sizes on your data
  gdlab lr-find data.csv --target y            learning-rate range test
  gdlab scale fit data.csv --method zscore -o params.json
  gdlab scale apply params.json new.csv -o out.csv
  gdlab schedule show "cosine(lr=0.1, total_steps=100)"
"""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (sub-parsers inherit the class)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, one sub-parser per subcommand."""
    parser = _Parser(
        prog="gdlab",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gdlab {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (demo, compare, lr_find, scale, schedule):
        module.add_parser(commands)
    return parser


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, KeyError) and exc.args:
        text = str(exc.args[0])
    return text.splitlines()[0] if text else type(exc).__name__


# Errors that bad input can provoke deep inside Python or NumPy, with the sentence the user
# gets instead of their own message (which names an internal, e.g. "maximum recursion depth
# exceeded while decoding a JSON array"). Library code refuses such input with a ValueError
# first; this is the guard for what it did not foresee.
_SURPRISES: tuple[tuple[type[BaseException], str], ...] = (
    (
        RecursionError,
        "the input is nested too deeply to read (more levels than Python allows); give a flat file",
    ),
    (MemoryError, "not enough memory for this input; use fewer rows, steps or iterations"),
    (
        ArithmeticError,  # OverflowError, ZeroDivisionError, FloatingPointError
        "a number in the input is too large or otherwise out of range ({detail}); "
        "use values a 64-bit float or integer can hold",
    ),
)

# Bad input that library code reports with a message of its own.
_INPUT_ERRORS = (ValueError, TypeError, KeyError, OSError)


def _describe(exc: BaseException) -> str | None:
    """The one line to print for an error caused by bad input, or None for anything else."""
    if isinstance(exc, (UsageError, *_INPUT_ERRORS)):
        return _one_line(exc)
    for kind, sentence in _SURPRISES:
        if isinstance(exc, kind):
            return sentence.format(detail=_one_line(exc))
    return None


def _quietly(run: Callable[[], int]) -> int:
    """Run a command without NumPy's floating-point warnings or the parser's SyntaxWarnings.

    The commands judge every number they print (a run that overflows is reported as
    diverged, an input whose statistics overflow is refused), so the warnings would only
    repeat the verdict as noise, naming NumPy's internals.
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        return run()


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``gdlab`` with ``argv`` (``sys.argv[1:]`` by default) and return the exit code.

    Bad input of any kind (missing file, unknown column, non-numeric data, malformed schedule,
    an output that would overwrite an input, a count too large, a file nested too deeply) is
    one line on stderr and exit code 2, never a traceback. An error that is a fault of gdlab
    itself is one line and exit code 1. ``GDLAB_DEBUG=1`` shows the traceback of either.

    Examples
    --------
    >>> main(["schedule", "show", "exponential(lr=0.2, gamma=0.5)", "--steps", "3"])
    exponential(lr=0.2, gamma=0.5)
    step    lr
    ----  ----
       0   0.2
       1   0.1
       2  0.05
    0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and argparse's own usage errors (code 2)
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    try:
        code: int = _quietly(lambda: args.run(args))
    except BrokenPipeError:
        # The reader went away (`gdlab ... | head`): stop quietly, as a killed pipe would.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
    except KeyboardInterrupt:
        print(f"gdlab {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("GDLAB_DEBUG"):
            raise
        line = _describe(exc)
        if line is not None:
            print(f"gdlab {args.command}: error: {line}", file=sys.stderr)
            return 2
        print(
            f"gdlab {args.command}: internal error ({type(exc).__name__}: {_one_line(exc)}); "
            "GDLAB_DEBUG=1 shows where",
            file=sys.stderr,
        )
        return 1
    return code
