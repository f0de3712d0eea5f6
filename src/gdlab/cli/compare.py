"""``gdlab compare``: scalers x schedules x batch sizes on the user's own data, equal budgets."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

from gdlab.cli.inputs import UsageError, check_folder, check_outputs, read_xy
from gdlab.cli.options import (
    add_data_arguments,
    batch_label,
    batch_size,
    choose_model,
    learning_rate,
    seed,
)

#: The most epochs per run: the grid multiplies it by every combination, and a mistyped
#: count should be refused, not run for days.
MAX_EPOCHS = 100_000


def add_parser(commands: Any) -> None:
    """Declare ``gdlab compare DATA.csv --target COL [...]``."""
    compare = commands.add_parser(
        "compare",
        help="compare scalers x schedules x batch sizes on your data at equal budgets",
        description=(
            "Run gradient descent on DATA.csv for every combination of scaler, learning-rate "
            "schedule and batch size, every run with the same number of epochs from w = 0, and "
            "tabulate final loss, its gap above the optimum, status and epochs to a tolerance. "
            "Writes DIR/compare.csv, DIR/loss.png and DIR/index.html, all three together or, "
            "when the command fails, none."
        ),
        epilog=(
            "example: gdlab compare data.csv --target y --scalers none zscore --schedules 0.1 "
            '"exponential(lr=0.2, gamma=0.95)" --batch-sizes full 32'
        ),
    )
    add_data_arguments(compare)
    compare.add_argument(
        "--scalers",
        nargs="+",
        default=["none", "minmax", "zscore"],
        metavar="NAME",
        help="none, minmax, zscore, sigmoid, maxabs, robust (default: none minmax zscore)",
    )
    compare.add_argument(
        "--schedules",
        nargs="+",
        default=["0.1", "exponential(lr=0.1, gamma=0.95)"],
        metavar="LR",
        type=learning_rate,
        help='numbers or schedules in text form (default: 0.1 "exponential(lr=0.1, gamma=0.95)")',
    )
    compare.add_argument(
        "--batch-sizes",
        nargs="+",
        default=[None, 32],
        type=batch_size,
        metavar="B",
        help="batch sizes; 'full' for full batch, 1 for SGD (default: full 32)",
    )
    compare.add_argument(
        "--methods",
        nargs="+",
        default=["gd"],
        choices=("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"),
        metavar="RULE",
        help="update rules: gd, momentum, nesterov, adagrad, rmsprop, adam (default: gd)",
    )
    compare.add_argument(
        "--epochs",
        type=int,
        default=50,
        help=f"epochs per run, 1 to {MAX_EPOCHS:,} (default: 50)",
    )
    compare.add_argument(
        "--rtol",
        type=float,
        default=1e-3,
        help="relative tolerance on the loss gap for 'epochs to tolerance' (default: 1e-3)",
    )
    compare.add_argument("--seed", type=seed, default=0, help="shuffling seed (default: 0)")
    compare.add_argument(
        "--out",
        default="gdlab-compare",
        metavar="DIR",
        help="output folder (default: gdlab-compare)",
    )
    compare.set_defaults(run=run_compare)


def run_compare(args: argparse.Namespace) -> int:
    """Run the grid with a progress bar, print the table and write CSV, figure and HTML."""
    from gdlab.analysis.compare import grid_runs, summarize
    from gdlab.files import staged_folder
    from gdlab.plotting import plot_comparison
    from gdlab.report import (
        ExperimentResult,
        Image,
        Progress,
        Table,
        format_table,
        render_png,
        write_atomic,
        write_report,
    )

    out = Path(args.out)
    outputs = [out / "compare.csv", out / "loss.png", out / "index.html"]
    check_folder(out, [args.data])
    check_outputs(outputs, [args.data])  # a folder or link held by an output name: refused now
    if not 1 <= args.epochs <= MAX_EPOCHS:
        raise UsageError(f"--epochs must be from 1 to {MAX_EPOCHS:,}, got {args.epochs:,}")
    if not 0 < args.rtol <= 1:  # checked before the grid runs, not after
        raise UsageError(f"--rtol must be in (0, 1], got {args.rtol:g}")
    X, y, _ = read_xy(args.data, args.target, args.exclude)
    model, y = choose_model(args.model, y)
    total = len(args.scalers) * len(args.schedules) * len(args.batch_sizes) * len(args.methods)
    bar = Progress(total, stream=sys.stderr)
    runs = grid_runs(
        model,
        X,
        y,
        scalers=args.scalers,
        schedules=args.schedules,
        batch_sizes=args.batch_sizes,
        methods=args.methods,
        epochs=args.epochs,
        seed=args.seed,
        progress=lambda done, _total, label: bar.advance(label),
    )
    bar.close()
    frame = summarize(runs, rtol=args.rtol)
    if "gap" not in frame.columns:
        # How far above its scaling's optimum each run ended: what the tolerance is read on.
        with np.errstate(all="ignore"):
            frame.insert(
                list(frame.columns).index("final_loss") + 1,
                "gap",
                frame["final_loss"].to_numpy() - np.array([r.optimum for r in runs]),
            )
    records: list[dict[Any, Any]] = frame.to_dict("records")
    rows = tuple(
        (
            str(r["scaler"]),
            str(r["schedule"]),
            batch_label(r["batch_size"]),
            str(r["method"]),
            float(r["final_loss"]),
            float(r["gap"]),
            str(r["status"]),
            None if np.isnan(r["epochs_to_tol"]) else int(r["epochs_to_tol"]),
        )
        for r in records
    )
    table = Table(
        f"{type(model).__name__} on {args.data}: {len(y)} rows, {X.shape[1]} features, "
        f"{args.epochs} epochs each (tolerance {args.rtol:g} of the loss gap)",
        (
            "scaler",
            "schedule",
            "batch",
            "rule",
            "final loss",
            "gap to optimum",
            "status",
            "epochs to tolerance",
        ),
        rows,
    )
    print(format_table(table))
    ax = plot_comparison(runs, title=f"Loss above the optimum on {Path(args.data).name}")
    png = render_png(ax.figure)
    best = frame.sort_values("final_loss").iloc[0]
    result = ExperimentResult(
        key="compare",
        section="",
        title=f"Scalers x schedules x batch sizes on {Path(args.data).name}",
        text=(
            f"{len(runs)} runs of {args.epochs} epochs each from w = 0. Lowest final loss: "
            f"{best['final_loss']:.6g} with scaler {best['scaler']}, schedule {best['schedule']}"
            f", batch {batch_label(best['batch_size'])}."
        ),
        tables=(table,),
        images=(
            Image(
                "loss",
                "Loss above the optimum per epoch of every run; diverged runs dotted, cut where "
                "they leave the plot.",
                png,
            ),
        ),
    )
    # The three files appear together or not at all: a failure while writing one of them
    # leaves neither the others nor a hidden temporary behind.
    with staged_folder(out) as stage:
        write_atomic(stage / outputs[0].name, frame.to_csv(index=False))
        write_atomic(stage / outputs[1].name, png)
        write_report([result], stage / outputs[2].name, title="gdlab compare")
    print(f"\nwritten: {', '.join(str(p) for p in outputs)}")
    return 0
