"""``gdlab lr-find``: the learning-rate range test on the user's data, set beside ``2 / L``."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

from gdlab.cli.inputs import UsageError, check_outputs, read_xy
from gdlab.cli.options import add_data_arguments, batch_size, choose_model

# The library's bounds (gdlab.analysis.lr_finder), repeated here so that a bad option is
# refused before the analysis layer (and its imports) load.
_MIN_NUM_ITER, _MAX_NUM_ITER, _MAX_SPAN = 5, 100_000, 1e300


def add_parser(commands: Any) -> None:
    """Declare ``gdlab lr-find DATA.csv --target COL [...]``."""
    finder = commands.add_parser(
        "lr-find",
        help="learning-rate range test: sweep the rate upward and suggest one",
        description=(
            "Run the learning-rate range test (an upward geometric sweep of the rate, one "
            "update each, stopped once the loss has blown up) on DATA.csv after scaling the "
            "features (z-score by default), suggest a rate for the scaled features from the "
            "loss curve and set it beside the stability limit 2 / L, of the scaled features "
            "and of the data as given."
        ),
        epilog=(
            "example: gdlab lr-find data.csv --target y --exclude id --batch-size 32 --plot lr.png"
        ),
    )
    add_data_arguments(finder)
    finder.add_argument(
        "--scaler",
        default="zscore",
        help="scaler fitted to the features first: none, minmax, zscore, sigmoid, maxabs, "
        "robust (default: zscore)",
    )
    finder.add_argument("--batch-size", type=batch_size, default=None, help="default: full batch")
    finder.add_argument("--start-lr", type=float, default=1e-7, help="default: 1e-7")
    finder.add_argument(
        "--end-lr", type=float, default=10.0, help="default: 10; at most 1e300 x --start-lr"
    )
    finder.add_argument(
        "--num-iter",
        type=int,
        default=100,
        help=f"updates in the sweep, {_MIN_NUM_ITER} to {_MAX_NUM_ITER:,} (default: 100)",
    )
    finder.add_argument(
        "--rule",
        choices=("steep", "minimum"),
        default="steep",
        help="steep: steepest descent of the smoothed loss; minimum: a tenth of its minimum",
    )
    finder.add_argument(
        "--plot", metavar="OUT.png", help="also save the loss against the rate, with 2 / L"
    )
    finder.set_defaults(run=run_lr_find)


def _check_sweep(args: argparse.Namespace) -> None:
    """Refuse the sweep's options by name, with their valid ranges, before reading data."""
    if not _MIN_NUM_ITER <= args.num_iter <= _MAX_NUM_ITER:
        raise UsageError(
            f"--num-iter must be from {_MIN_NUM_ITER} to {_MAX_NUM_ITER:,} (the sweep stops "
            f"by itself once the loss blows up), got {args.num_iter:,}"
        )
    if not 0 < args.end_lr < math.inf:
        raise UsageError(f"--end-lr must be a positive finite number, got {args.end_lr!r}")
    low = args.end_lr / _MAX_SPAN
    if not low <= args.start_lr < args.end_lr:
        raise UsageError(
            f"--start-lr must be in [{low:.3g}, {args.end_lr:g}): below --end-lr and at most "
            f"300 decades under it, got {args.start_lr!r}"
        )


def run_lr_find(args: argparse.Namespace) -> int:
    """Run the range test and print the sweep, the suggestion and 2 / L."""
    _check_sweep(args)
    if args.plot:
        check_outputs([args.plot], [args.data])
    from gdlab.analysis import conditioning, lr_range_test
    from gdlab.analysis.compare import scaled_design
    from gdlab.models import LeastSquares
    from gdlab.report import Table, format_table

    X, y, _ = read_xy(args.data, args.target, args.exclude)
    model, y = choose_model(args.model, y)
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
        progress=sys.stderr.isatty(),  # a bar on a terminal only: logs and pipes stay clean
    )
    features = "the features as given" if scaler is None else f"the {scaler}-scaled features"
    if scaler is not None:
        print(f"features scaled with {scaler} first (--scaler none sweeps the data as given)\n")
    picks = np.unique(np.linspace(0, result.lrs.size - 1, min(result.lrs.size, 12)).astype(int))
    rows = tuple(
        (float(result.lrs[i]), float(result.losses[i]), float(result.smoothed[i])) for i in picks
    )
    title = f"learning-rate sweep on {features}: {result.lrs.size} updates"
    print(format_table(Table(title, ("lr", "loss", "smoothed loss"), rows)))
    print(
        f"\nsuggested learning rate ({result.rule} rule): {result.suggestion:.4g}, for {features}"
    )
    # Logistic and softmax curvature is only bounded above: their 2 / L is a floor of the
    # real limit.
    kind = "logistic" if model.family == "Logistic" else "softmax"
    which = "" if isinstance(model, LeastSquares) else f" (a floor: {kind} L is a bound)"
    if result.lr_stable is not None and result.ratio is not None:
        print(
            f"stability limit 2 / L of the design{which}: {result.lr_stable:.4g} "
            f"(suggestion = {result.ratio:.2f} x 2 / L)"
        )
        if scaler is not None:
            # The suggestion is a rate for the scaled features only: on the data as given the
            # limit can be orders of magnitude lower. The same fraction of it is the rate to
            # try there (plain gradient descent, the design's own curvature).
            try:
                raw = conditioning(scaled_design(X, None), model=model, intercept=False)
            except ValueError as exc:
                print(f"on the data as given: 2 / L cannot be computed ({exc})")
            else:
                same = result.ratio * raw.lr_stable
                print(
                    f"on the data as given (not scaled): 2 / L = {raw.lr_stable:.4g}{which}; "
                    f"the same {result.ratio:.2f} x 2 / L there is {same:.4g}"
                )
    if args.plot:
        from gdlab.files import write_atomic
        from gdlab.plotting import plot_lr_finder
        from gdlab.report import render_png

        ax = plot_lr_finder(result, title=f"Learning-rate range test on {Path(args.data).name}")
        write_atomic(args.plot, render_png(ax.figure))
        print(f"plot written to {args.plot}")
    return 0
