"""``gdlab demo``: the whole lesson as one self-contained HTML report."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_parser(commands: Any) -> None:
    """Declare ``gdlab demo [--out DIR] [--quick]``."""
    parser = commands.add_parser(
        "demo",
        help="run every experiment of the lesson and write the HTML report",
        description=(
            "Run every experiment of the lesson (scaling formulas, outliers, unit mismatch, "
            "contours, scaling and speed, learning-rate decay, mini-batches, the combined "
            "strategy, and the analyses: conditioning, the 2 / L limit, iteration counts) on "
            "built-in data. Writes DIR/index.html (self-contained: figures embedded) and each "
            "figure as DIR/figures/*.png, and prints a summary table."
        ),
    )
    parser.add_argument(
        "--out",
        default="gdlab-report",
        metavar="DIR",
        help="output folder (default: gdlab-report)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smaller data and budgets: a first look in seconds"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the experiments with a progress bar on stderr, then print the summary."""
    from gdlab.cli.inputs import check_folder
    from gdlab.report import format_table, summary_table
    from gdlab.report.demo import run_demo

    check_folder(args.out)
    demo = run_demo(args.out, quick=args.quick, stream=sys.stderr)
    print(format_table(summary_table(demo.results)))
    print(f"\nreport written to {demo.path} ({demo.seconds:.1f} s)")
    return 0
