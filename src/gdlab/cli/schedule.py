"""``gdlab schedule show``: print (and optionally plot) a learning-rate schedule."""

from __future__ import annotations

import argparse
import math
from typing import Any

import numpy as np

from gdlab.report.result import Table
from gdlab.report.summary import format_table

_MAX_ROWS = 21
_MAX_PLOT_STEPS = 1_000_000


def add_parser(commands: Any) -> None:
    """Declare ``gdlab schedule show TEXT [--steps N] [--plot out.png]``."""
    parser = commands.add_parser(
        "schedule",
        help="inspect a learning-rate schedule",
        description="Inspect a learning-rate schedule written in gdlab's text form.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show",
        help="print a schedule's learning rate step by step, optionally plot it",
        description=(
            "Print the learning rate lr(t) of a schedule for t = 0 .. N-1 (at most 21 rows: "
            "every k-th step and the last) and optionally save a plot."
        ),
        epilog='example: gdlab schedule show "cosine(lr=0.1, total_steps=100)" --plot lr.png',
    )
    show.add_argument(
        "text",
        metavar="SCHEDULE",
        help='the schedule as text, e.g. "exponential(lr=0.2, gamma=0.95)" or "constant(0.1)"',
    )
    show.add_argument(
        "--steps",
        type=int,
        default=None,
        metavar="N",
        help="number of steps to show (default: the schedule's total_steps, else 100)",
    )
    show.add_argument("--plot", metavar="OUT.png", help="also save a plot of lr against step")
    show.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Parse the schedule, print its table and write the plot if asked."""
    from gdlab import schedules
    from gdlab.cli.inputs import UsageError

    schedule = schedules.parse(args.text)
    n = args.steps if args.steps is not None else int(getattr(schedule, "total_steps", 100) or 100)
    if n < 1:
        raise UsageError(f"--steps must be a positive integer, got {n}")
    if args.plot and n > _MAX_PLOT_STEPS:
        raise UsageError(
            f"--plot draws every step and {n:,} is too many; pass --steps {_MAX_PLOT_STEPS:,} "
            "or fewer"
        )
    # Every k-th step on a round stride, plus the last one; only those are evaluated, so a
    # schedule with a horizon of 10**12 steps prints without an array of that length.
    stride = max(1, math.ceil((n - 1) / (_MAX_ROWS - 1)))
    shown = np.unique(np.append(np.arange(0, n, stride), n - 1))
    lrs = np.broadcast_to(np.asarray(schedule(shown), dtype=np.float64), shown.shape)
    rows = tuple((int(t), float(lr)) for t, lr in zip(shown, lrs, strict=True))
    print(format_table(Table(str(schedule), ("step", "lr"), rows)))
    if args.plot:
        from gdlab.files import write_atomic
        from gdlab.plotting import plot_schedules
        from gdlab.report.result import render_png

        ax = plot_schedules(schedule, steps=n, xlabel="step")
        write_atomic(args.plot, render_png(ax.figure))
        print(f"plot written to {args.plot}")
    return 0
