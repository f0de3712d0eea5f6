"""``gdlab lr-find``: the learning-rate range test on the user's data, set beside ``2 / L``."""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from gdlab.cli.inputs import read_xy
from gdlab.cli.options import add_data_arguments, batch_size, choose_model


def add_parser(commands: Any) -> None:
    """Declare ``gdlab lr-find DATA.csv --target COL [...]``."""
    finder = commands.add_parser(
        "lr-find",
        help="learning-rate range test: sweep the rate upward and suggest one",
        description=(
            "Run the learning-rate range test (an upward geometric sweep of the rate, one "
            "update each) on DATA.csv after scaling, suggest a rate from the loss curve and set "
            "it beside the theory's stability limit 2 / L."
        ),
        epilog="example: gdlab lr-find data.csv --target y --scaler zscore --batch-size 32",
    )
    add_data_arguments(finder)
    finder.add_argument("--scaler", default="zscore", help="scaler applied first (default: zscore)")
    finder.add_argument("--batch-size", type=batch_size, default=None, help="default: full batch")
    finder.add_argument("--start-lr", type=float, default=1e-7, help="default: 1e-7")
    finder.add_argument("--end-lr", type=float, default=10.0, help="default: 10")
    finder.add_argument("--num-iter", type=int, default=100, help="updates in the sweep (100)")
    finder.add_argument(
        "--rule",
        choices=("steep", "minimum"),
        default="steep",
        help="steep: steepest descent of the smoothed loss; minimum: a tenth of its minimum",
    )
    finder.set_defaults(run=run_lr_find)


def run_lr_find(args: argparse.Namespace) -> int:
    """Run the range test and print the sweep, the suggestion and 2 / L."""
    from gdlab.analysis import lr_range_test
    from gdlab.analysis.compare import scaled_design
    from gdlab.models import LeastSquares
    from gdlab.report import Table, format_table

    X, y, _ = read_xy(args.data, args.target)
    model = choose_model(args.model, y)
    scaler = None if args.scaler in ("none", "raw") else args.scaler
    A = scaled_design(X, scaler)
    result = lr_range_test(
        model,
        A,
        y,
        start_lr=args.start_lr,
        end_lr=args.end_lr,
        num_iter=args.num_iter,
        batch_size=args.batch_size,
        rule=args.rule,
    )
    picks = np.unique(np.linspace(0, result.lrs.size - 1, min(result.lrs.size, 12)).astype(int))
    rows = tuple(
        (float(result.lrs[i]), float(result.losses[i]), float(result.smoothed[i])) for i in picks
    )
    print(format_table(Table("learning-rate sweep", ("lr", "loss", "smoothed loss"), rows)))
    print(f"\nsuggested learning rate ({result.rule} rule): {result.suggestion:.4g}")
    if result.lr_stable is not None and result.ratio is not None:
        # Logistic curvature is only bounded above, so its 2 / L is a floor of the real limit.
        which = "" if isinstance(model, LeastSquares) else " (a floor: logistic L is a bound)"
        print(
            f"stability limit 2 / L of the design{which}: {result.lr_stable:.4g} "
            f"(suggestion = {result.ratio:.2f} x 2 / L)"
        )
    return 0
