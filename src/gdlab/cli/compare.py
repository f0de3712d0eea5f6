"""``gdlab compare`` and ``gdlab lr-find``: the lesson's questions asked of the user's own data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.cli.inputs import UsageError, check_outputs, read_xy

_MODELS = ("auto", "least-squares", "logistic")


def _batch(text: str) -> int | None:
    if text.lower() in ("full", "none"):
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"batch size must be a positive integer or 'full', got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"batch size must be >= 1, got {value}")
    return value


def _batch_label(value: Any) -> str:
    """'full' for full batch (None, or NaN once it has been through a DataFrame)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "full"
    return str(int(value))


def _schedule(text: str) -> Any:
    """A learning rate as typed: a plain number stays a number, anything else is parsed."""
    from gdlab import schedules

    try:
        return float(text)
    except ValueError:
        pass
    try:
        return schedules.parse(text)
    except (ValueError, TypeError) as exc:
        raise argparse.ArgumentTypeError(str(exc).splitlines()[0]) from None


def _model(name: str, y: NDArray[np.float64]) -> Any:
    from gdlab.models import LeastSquares, Logistic

    binary = set(np.unique(y).tolist()) == {0.0, 1.0}
    if name == "logistic" and not binary:
        raise UsageError("--model logistic needs a target holding only 0 and 1")
    return Logistic() if name == "logistic" or (name == "auto" and binary) else LeastSquares()


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", metavar="DATA.csv", help="numeric CSV with a header row")
    parser.add_argument("--target", required=True, metavar="COL", help="column to predict")
    parser.add_argument(
        "--model",
        choices=_MODELS,
        default="auto",
        help="loss to minimise; auto: logistic when the target is 0/1, else least squares",
    )


def add_parser(commands: Any) -> None:
    """Declare ``gdlab compare`` and ``gdlab lr-find``."""
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
    _common(compare)
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
        type=_schedule,
        help='numbers or schedules in text form (default: 0.1 "exponential(lr=0.1, gamma=0.95)")',
    )
    compare.add_argument(
        "--batch-sizes",
        nargs="+",
        default=[None, 32],
        type=_batch,
        metavar="B",
        help="batch sizes; 'full' for full batch, 1 for SGD (default: full 32)",
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
    _common(finder)
    finder.add_argument("--scaler", default="zscore", help="scaler applied first (default: zscore)")
    finder.add_argument("--batch-size", type=_batch, default=None, help="default: full batch")
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
    check_outputs(outputs, [args.data])
    if args.epochs < 1:
        raise UsageError(f"--epochs must be >= 1, got {args.epochs}")
    X, y, _ = read_xy(args.data, args.target)
    model = _model(args.model, y)
    total = len(args.scalers) * len(args.schedules) * len(args.batch_sizes)
    bar = Progress(total, stream=sys.stderr)
    runs = grid_runs(
        model,
        X,
        y,
        scalers=args.scalers,
        schedules=args.schedules,
        batch_sizes=args.batch_sizes,
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
            _batch_label(r["batch_size"]),
            float(r["final_loss"]),
            str(r["status"]),
            None if np.isnan(r["epochs_to_tol"]) else int(r["epochs_to_tol"]),
        )
        for r in records
    )
    table = Table(
        f"{type(model).__name__} on {args.data}: {len(y)} rows, {X.shape[1]} features, "
        f"{args.epochs} epochs each (tolerance {args.rtol:g} of the loss gap)",
        ("scaler", "schedule", "batch size", "final loss", "status", "epochs to tolerance"),
        rows,
    )
    print(format_table(table))
    labels = {
        f"{r.scaler}, {r.schedule}, batch {_batch_label(r.batch_size)}": r.trajectory for r in runs
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
            f", batch {_batch_label(best['batch_size'])}."
        ),
        tables=(table,),
        images=(Image("loss", "Training loss per epoch of every run.", png),),
    )
    write_report([result], outputs[2], title="gdlab compare")
    print(f"\nwritten: {', '.join(str(p) for p in outputs)}")
    return 0


def run_lr_find(args: argparse.Namespace) -> int:
    """Run the range test and print the sweep, the suggestion and 2 / L."""
    from gdlab.analysis import lr_range_test
    from gdlab.analysis.compare import scaled_design
    from gdlab.report import Table, format_table

    X, y, _ = read_xy(args.data, args.target)
    model = _model(args.model, y)
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
        print(
            f"stability limit 2 / L of the design: {result.lr_stable:.4g} "
            f"(suggestion = {result.ratio:.2f} x 2 / L)"
        )
    return 0
