"""``gdlab scale fit`` / ``gdlab scale apply``: fit a scaler to a CSV file, apply it to another."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from gdlab.cli import scale_on_dask
from gdlab.cli.inputs import (
    UsageError,
    check_folder,
    check_outputs,
    read_csv,
    selected_columns,
)

_DASK_HELP = (
    "read DATA through dask.dataframe, a few partitions in memory at a time (automatic when "
    "DATA is a folder of .parquet or .csv parts; then -o names an output folder of parts)"
)


def add_parser(commands: Any) -> None:
    """Declare ``gdlab scale fit`` and ``gdlab scale apply``."""
    parser = commands.add_parser(
        "scale",
        help="fit a scaler to a CSV file, or apply a saved one",
        description="Fit feature scaling on training data and apply the same statistics later.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    fit = actions.add_parser(
        "fit",
        help="fit a scaler on DATA.csv and save its parameters as JSON",
        description=(
            "Fit a scaler on the columns of DATA.csv (all of them, those named by --columns, "
            "or all but those named by --exclude) and save its statistics (never pickled) to a "
            "JSON file that `gdlab scale apply` and gdlab.scaling.load read. Every column "
            "fitted must be numeric and complete: leave a text or id column out with --exclude."
        ),
        epilog="example: gdlab scale fit train.csv --method zscore --exclude price -o scaler.json",
    )
    fit.add_argument("data", metavar="DATA.csv", help="training data, a header row then rows")
    fit.add_argument(
        "--method",
        default="zscore",
        help="minmax, zscore, sigmoid, maxabs or robust (default: zscore)",
    )
    fit.add_argument("-o", "--output", required=True, metavar="PARAMS.json", help="output file")
    which = fit.add_mutually_exclusive_group()
    which.add_argument(
        "--columns", nargs="+", metavar="COL", help="columns to scale (default: all)"
    )
    which.add_argument("--exclude", nargs="+", metavar="COL", help="columns to leave out")
    fit.add_argument("--dask", action="store_true", help=_DASK_HELP)
    fit.set_defaults(run=run_fit)

    apply = actions.add_parser(
        "apply",
        help="scale NEW.csv with saved parameters (or undo the scaling with --inverse)",
        description=(
            "Transform the fitted columns of NEW.csv with the statistics in PARAMS.json; other "
            "columns are copied unchanged. --inverse maps scaled values back to the original "
            "units (e.g. predictions of a scaled label)."
        ),
        epilog="example: gdlab scale apply scaler.json test.csv -o test_scaled.csv",
    )
    apply.add_argument("params", metavar="PARAMS.json", help="file written by `gdlab scale fit`")
    apply.add_argument("data", metavar="NEW.csv", help="data to transform")
    apply.add_argument("-o", "--output", required=True, metavar="OUT.csv", help="output file")
    apply.add_argument("--inverse", action="store_true", help="apply the inverse transform")
    apply.add_argument("--dask", action="store_true", help=_DASK_HELP)
    apply.set_defaults(run=run_apply)


def run_fit(args: argparse.Namespace) -> int:
    """Fit the chosen scaler on the selected columns and save it."""
    from gdlab import scaling

    check_outputs([args.output], [args.data])
    if args.method not in scaling.SCALERS:
        raise UsageError(
            f"unknown --method {args.method!r}; choose one of {', '.join(scaling.SCALERS)}"
        )
    if scale_on_dask.wanted(args):  # a folder of parts, or --dask: out of core
        return scale_on_dask.run_fit(args, scaling.SCALERS)
    frame = read_csv(args.data, columns=args.columns, exclude=args.exclude)
    selected = frame[selected_columns(frame, args.columns, args.exclude)]
    scaler = scaling.SCALERS[args.method]().fit(selected)
    scaling.save(scaler, args.output)
    names = ", ".join(str(c) for c in selected.columns)
    print(
        f"{type(scaler).__name__} fitted on {len(selected)} rows of {names}; saved to {args.output}"
    )
    return 0


def run_apply(args: argparse.Namespace) -> int:
    """Transform (or inverse-transform) the scaler's columns of NEW.csv and write OUT.csv."""
    from gdlab import scaling
    from gdlab.files import write_atomic

    if scale_on_dask.wanted(args):  # the output is a folder of parts
        check_folder(args.output, [args.params, args.data])
    else:
        check_outputs([args.output], [args.params, args.data])
    if not Path(args.params).is_file():
        raise UsageError(f"{args.params}: no such file; give the JSON written by `gdlab scale fit`")
    scaler = scaling.load(args.params)
    names = getattr(scaler, "feature_names_in_", None)
    if scale_on_dask.wanted(args):  # a folder of parts, or --dask: out of core
        return scale_on_dask.run_apply(args, scaler, None if names is None else list(names))
    frame = read_csv(args.data, columns=None if names is None else [str(n) for n in names])
    if names is None:
        if frame.shape[1] != scaler.n_features_in_:
            raise UsageError(
                f"{args.data}: has {frame.shape[1]} columns but the scaler was fitted on "
                f"{scaler.n_features_in_} unnamed columns; give a file with exactly those"
            )
        names = frame.columns
    columns = [str(n) for n in names]
    block = frame[columns]
    method = scaler.inverse_transform if args.inverse else scaler.transform
    values = np.asarray(method(block), dtype=np.float64)
    out = frame.copy()
    out[columns] = values
    write_atomic(args.output, out.to_csv(index=False))
    verb = "inverse-transformed" if args.inverse else "transformed"
    print(f"{len(out)} rows {verb} ({', '.join(columns)}); written to {args.output}")
    return 0
