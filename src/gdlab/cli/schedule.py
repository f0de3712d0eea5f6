"""``gdlab schedule show``: print (and optionally plot) learning-rate schedules side by side."""

from __future__ import annotations

import argparse
import math
from typing import Any

import numpy as np

from gdlab.report.result import Table
from gdlab.report.summary import format_table

_MAX_ROWS = 21
_MAX_PLOT_STEPS = 1_000_000
#: The most steps ``schedule show`` evaluates up to, the schedules' own bound on a horizon:
#: past 2^53 a float64 step counter is no longer exact.
MAX_STEPS = 2**53


def step_count(text: str) -> int:
    """argparse type: a whole number of steps from 1 to 2^53 (``1e6`` is accepted)."""
    try:
        value = float(text) if any(c in text.lower() for c in ".e") else int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number such as 100 or 1e6, got {text!r}"
        ) from None
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    count = int(value)
    if not 1 <= count <= MAX_STEPS:
        raise argparse.ArgumentTypeError(
            f"expected 1 to 2^53 = {MAX_STEPS:,} steps (past that a step counter is no longer "
            f"exact in floating point), got {text}"
        )
    return count


def add_parser(commands: Any) -> None:
    """Declare ``gdlab schedule show TEXT [TEXT ...] [--steps N] [--plot out.png]``."""
    parser = commands.add_parser(
        "schedule",
        help="inspect learning-rate schedules",
        description="Inspect learning-rate schedules written in gdlab's text form.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show",
        help="print schedules' learning rates step by step, optionally plot them",
        description=(
            "Print the learning rate lr(t) of one or more schedules for t = 0 .. N-1, side by "
            "side (at most 21 rows: every k-th step and the last), and optionally save a plot "
            "of them together."
        ),
        epilog=(
            'example: gdlab schedule show "cosine(lr=0.1, total_steps=100)" '
            '"exponential(lr=0.1, gamma=0.97)" --plot lr.png'
        ),
    )
    show.add_argument(
        "text",
        nargs="+",
        metavar="SCHEDULE",
        help='schedules as text, e.g. "exponential(lr=0.2, gamma=0.95)" or "constant(0.1)"',
    )
    show.add_argument(
        "--steps",
        type=step_count,
        default=None,
        metavar="N",
        help="number of steps to show, 1 to 2^53 (default: the largest total_steps among "
        "the schedules, else 100)",
    )
    show.add_argument("--plot", metavar="OUT.png", help="also save a plot of lr against step")
    show.set_defaults(run=run)


def _horizon(schedules: list[Any]) -> int:
    """The default number of steps: the longest horizon among the schedules, else 100."""
    from gdlab.cli.inputs import UsageError

    horizons = [int(getattr(s, "total_steps", 0) or 0) for s in schedules]
    n = max(horizons) or 100
    if n > MAX_STEPS:
        raise UsageError(
            f"the schedule's total_steps {n:,} is more than 2^53 steps; pass --steps N "
            "(at most 2^53) to show the first N"
        )
    return n


def run(args: argparse.Namespace) -> int:
    """Parse the schedules, print their table and write the plot if asked."""
    from gdlab import schedules as lr_schedules
    from gdlab.cli.inputs import UsageError, check_outputs

    if args.plot:
        check_outputs([args.plot], [])
    parsed = [lr_schedules.parse(text) for text in args.text]
    n = args.steps if args.steps is not None else _horizon(parsed)
    if args.plot and n > _MAX_PLOT_STEPS:
        raise UsageError(
            f"--plot draws every step and {n:,} is too many; pass --steps {_MAX_PLOT_STEPS:,} "
            "or fewer"
        )
    # Every k-th step on a round stride, plus the last one; only those are evaluated, so a
    # schedule with a horizon of 10**12 steps prints without an array of that length.
    stride = max(1, math.ceil((n - 1) / (_MAX_ROWS - 1)))
    shown = np.unique(np.append(np.arange(0, n, stride, dtype=np.int64), n - 1))
    columns = [np.broadcast_to(np.asarray(s(shown), dtype=np.float64), shown.shape) for s in parsed]
    rows = tuple((int(t), *(float(c[i]) for c in columns)) for i, t in enumerate(shown.tolist()))
    headers: tuple[str, ...]
    if len(parsed) == 1:
        title, headers = str(parsed[0]), ("step", "lr")
    else:
        title = "\n".join(f"lr {k}: {s}" for k, s in enumerate(parsed, start=1))
        headers = ("step", *(f"lr {k}" for k in range(1, len(parsed) + 1)))
    print(format_table(Table(title, headers, rows)))
    if args.plot:
        from gdlab.files import write_atomic
        from gdlab.plotting import plot_schedules
        from gdlab.report.result import render_png

        ax = plot_schedules(parsed, steps=n, xlabel="step")
        write_atomic(args.plot, render_png(ax.figure))
        print(f"plot written to {args.plot}")
    return 0
