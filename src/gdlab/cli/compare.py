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
)


def add_parser(commands: Any) -> None:
    """Declare ``gdlab compare DATA.csv --target COL [...]``."""
    compare = commands.add_parser(
        "compare",
        help="compare scalers x schedules x batch sizes on your data at equal budgets",
        description=(
            "Run gradient descent on DATA.csv for every combination of scaler, learning-rate "
            "schedule and batch size, every run with the same number of epochs from w = 0, and "
            "tabulate final loss, status and epochs to a tolerance. Writes DIR/compare.csv, "
            "DIR/loss.png and DIR/index.html."
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
    compare.add_argument("--epochs", type=int, default=50, help="epochs per run (default: 50)")
    compare.add_argument(
        "--rtol",
        type=float,
        default=1e-3,
        help="relative tolerance on the loss gap for 'epochs to tolerance' (default: 1e-3)",
    )
    compare.add_argument("--seed", type=int, default=0, help="shuffling seed (default: 0)")
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
    from gdlab.plotting import loss_curves
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
    check_folder(out)
    check_outputs(outputs, [args.data])
    if args.epochs < 1:
        raise UsageError(f"--epochs must be >= 1, got {args.epochs}")
    if not 0 < args.rtol <= 1:  # checked before the grid runs, not after
        raise UsageError(f"--rtol must be in (0, 1], got {args.rtol:g}")
    X, y, _ = read_xy(args.data, args.target)
    model = choose_model(args.model, y)
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
    records: list[dict[Any, Any]] = frame.to_dict("records")
    rows = tuple(
        (
            str(r["scaler"]),
            str(r["schedule"]),
            batch_label(r["batch_size"]),
            str(r["method"]),
            float(r["final_loss"]),
            str(r["status"]),
            None if np.isnan(r["epochs_to_tol"]) else int(r["epochs_to_tol"]),
        )
        for r in records
    )
    table = Table(
        f"{type(model).__name__} on {args.data}: {len(y)} rows, {X.shape[1]} features, "
        f"{args.epochs} epochs each (tolerance {args.rtol:g} of the loss gap)",
        ("scaler", "schedule", "batch", "rule", "final loss", "status", "epochs to tolerance"),
        rows,
    )
    print(format_table(table))
    labels = {
        f"{r.scaler}, {r.schedule}, batch {batch_label(r.batch_size)}, {r.method}": r.trajectory
        for r in runs
    }
    ax = loss_curves(labels, x="epoch", title=f"Training loss on {Path(args.data).name}")
    png = render_png(ax.figure)
    write_atomic(outputs[0], frame.to_csv(index=False))
    write_atomic(outputs[1], png)
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
        images=(Image("loss", "Training loss per epoch of every run.", png),),
    )
    write_report([result], outputs[2], title="gdlab compare")
    print(f"\nwritten: {', '.join(str(p) for p in outputs)}")
    return 0
