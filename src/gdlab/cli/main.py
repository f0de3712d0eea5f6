"""The ``gdlab`` command: argument parsing, dispatch and the one-line error policy.

Every subcommand lives in its own module with an ``add_parser(subparsers)`` that declares its
arguments and a ``run(args) -> int`` that does the work. Heavy imports (the engine, matplotlib)
happen inside ``run`` so that ``gdlab --help`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

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


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``gdlab`` with ``argv`` (``sys.argv[1:]`` by default) and return the exit code.

    Bad input of any kind (missing file, unknown column, non-numeric data, malformed schedule,
    an output that would overwrite an input) is one line on stderr and exit code 2.

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
        code: int = args.run(args)
    except BrokenPipeError:
        # The reader went away (`gdlab ... | head`): stop quietly, as a killed pipe would.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
    except UsageError as exc:
        print(f"gdlab {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, KeyError, OSError) as exc:
        # Library validation errors already say what was expected and what came;
        # GDLAB_DEBUG=1 shows the traceback when the one line is not enough.
        if os.environ.get("GDLAB_DEBUG"):
            raise
        print(f"gdlab {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"gdlab {args.command}: interrupted", file=sys.stderr)
        return 130
    return code
