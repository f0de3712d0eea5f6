"""``gdlab scale fit`` / ``apply`` on a folder of Parquet or CSV parts, through Dask.

Given a folder (or ``--dask``), the data are read as a ``dask.dataframe`` partition by
partition: the fit is one pass whose memory is a few partitions at a time, whatever the total
size, and ``apply`` writes one output part per input partition (Parquet in, Parquet out; CSV
in, CSV out) into the output folder, all parts appearing together or none
(:func:`gdlab.files.staged_folder`). Columns are chosen and checked as for one CSV file: the
fitted ones must be numeric (from the files' schema, before any row is read) and complete
(checked in each partition as it is read, so a gap stops the command with the part's name).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pandas loads with Dask, on the first folder read
    import pandas as pd

from gdlab.cli.inputs import UsageError, check_folder, check_outputs, selected_columns

# Rows of a CSV part are read in blocks of about this many bytes (one partition each).
CSV_BLOCK = "32MB"


def wanted(args: argparse.Namespace) -> bool:
    """Whether this ``scale`` command reads its data through Dask: a folder, or ``--dask``."""
    return bool(getattr(args, "dask", False)) or Path(args.data).is_dir()


def read_parts(path: str, columns: list[str] | None = None) -> tuple[Any, str]:
    """The Parquet or CSV files of folder ``path`` (or the one file ``path``) as a Dask
    DataFrame, and their kind ("parquet" or "csv")."""
    import dask.dataframe as dd
    import pandas as pd

    source = Path(path)
    if source.is_dir():
        parquet = sorted(source.glob("*.parquet"))
        csv = sorted(source.glob("*.csv"))
        if parquet and csv:
            raise UsageError(
                f"{source}: holds both .parquet and .csv files; give a folder of one kind"
            )
        files = parquet or csv
        if not files:
            raise UsageError(f"{source}: no .parquet or .csv files in this folder")
    elif source.is_file():
        files = [source]
    else:
        raise UsageError(f"{source}: no such file or folder")
    kind = "parquet" if files[0].suffix == ".parquet" else "csv"
    names = [str(f) for f in files]
    try:
        if kind == "parquet":
            frame = dd.read_parquet(names, columns=columns)
        else:
            frame = dd.read_csv(names, blocksize=CSV_BLOCK, usecols=columns)
    except (ValueError, OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"{source}: not readable as {kind} ({first})") from None
    frame.columns = [str(c) for c in frame.columns]
    return frame, kind


def _numeric(frame: Any, columns: list[str], source: str, asked: bool) -> None:
    import pandas as pd

    for name in columns:
        dtype = frame._meta[name].dtype
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            way_out = "give numbers in it" if asked else f"leave it out with --exclude {name}"
            raise UsageError(f"{source}: column {name!r} is not numeric ({dtype}); {way_out}")


def _complete(part: pd.DataFrame, source: str) -> pd.DataFrame:
    # Runs on each partition as it is read: the in-memory command's refusals, per part.
    values = part.to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        name = part.columns[int(np.flatnonzero(bad.any(axis=0))[0])]
        what = "missing values" if np.isnan(values).any() else "inf"
        raise ValueError(f"{source}: column {name!r} has {what}; drop or impute those rows first")
    return part


def _by_values(part: pd.DataFrame, scaler: Any, inverse: bool) -> pd.DataFrame:
    import pandas as pd

    method = scaler.inverse_transform if inverse else scaler.transform
    values = method(part.to_numpy(dtype=np.float64))
    return pd.DataFrame(values, index=part.index, columns=part.columns)


def selection(frame: Any, columns: list[str], source: str) -> Any:
    """``frame[columns]``, each partition checked to be complete and finite as it is read."""
    chosen = frame[columns]
    return chosen.map_partitions(_complete, source, meta=chosen._meta)


def run_fit(args: argparse.Namespace, scalers: dict[str, Any]) -> int:
    """``gdlab scale fit`` on Dask: one pass, then the JSON written atomically."""
    from gdlab import scaling

    check_outputs([args.output], [args.data])
    frame, kind = read_parts(args.data)
    try:
        columns = selected_columns(frame._meta, args.columns, args.exclude)
    except UsageError as exc:
        raise UsageError(f"{args.data}: {exc}") from None
    _numeric(frame, columns, args.data, asked=bool(args.columns))
    scaler = scalers[args.method]().fit(selection(frame, columns, args.data))
    scaling.save(scaler, args.output)
    rows = int(np.max(np.asarray(scaler.n_samples_seen_)))
    print(
        f"{type(scaler).__name__} fitted on {rows} rows of {', '.join(columns)} "
        f"({frame.npartitions} {kind} partitions); saved to {args.output}"
    )
    return 0


def run_apply(args: argparse.Namespace, scaler: Any, columns: list[str] | None) -> int:
    """``gdlab scale apply`` on Dask: each partition scaled and written as one part."""
    from gdlab.files import staged_folder

    check_folder(args.output, [args.params, args.data])
    frame, kind = read_parts(args.data)
    if columns is None:
        if len(frame.columns) != scaler.n_features_in_:
            raise UsageError(
                f"{args.data}: has {len(frame.columns)} columns but the scaler was fitted on "
                f"{scaler.n_features_in_} unnamed columns; give files with exactly those"
            )
        columns = list(frame.columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UsageError(
            f"{args.data}: no column {missing[0]!r}, which the scaler was fitted on; the files "
            f"have {', '.join(repr(c) for c in frame.columns)}"
        )
    _numeric(frame, columns, args.data, asked=True)
    chosen = selection(frame, columns, args.data)
    if getattr(scaler, "feature_names_in_", None) is None:  # fitted on unnamed columns
        meta = chosen._meta.astype(np.float64)
        scaled = chosen.map_partitions(_by_values, scaler, args.inverse, meta=meta)
    else:
        scaled = (scaler.inverse_transform if args.inverse else scaler.transform)(chosen)
    out = frame.assign(**{name: scaled[name] for name in columns})
    with staged_folder(args.output) as stage:
        if kind == "parquet":
            out.to_parquet(stage, write_index=False)
        else:
            out.to_csv(str(stage / "part-*.csv"), index=False)
    verb = "inverse-transformed" if args.inverse else "transformed"
    print(
        f"{out.npartitions} {kind} partitions {verb} ({', '.join(columns)}); written to "
        f"{args.output}/"
    )
    return 0
