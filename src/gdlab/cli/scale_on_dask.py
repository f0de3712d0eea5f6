"""``gdlab scale fit`` / ``apply`` on a folder of Parquet or CSV parts, through Dask.

Given a folder (or ``--dask``), the data are read as a ``dask.dataframe`` partition by
partition: the fit is one pass whose memory is a few partitions at a time, whatever the total
size, and ``apply`` writes one output part per input partition (Parquet in, Parquet out; CSV
in, CSV out) into the output folder, all parts appearing together or none
(:func:`gdlab.files.staged_folder`). Columns are chosen and checked as for one CSV file: the
fitted ones must be numeric (from the files' schema, before any row is read) and complete
(checked in each partition as it is read, so a gap stops the command with the part's name).

Every part must hold the same columns, checked from its header or schema before any row is
read: Dask reads CSV parts by position under the first part's header, so a CSV part whose
header differs (other names, or the same names in another order) is refused; Parquet parts
are matched by name, so their order may differ but not their names, and a fitted column must
be numeric in every part. A part that cannot be read (a truncated file) is named.
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


def _files(source: Path) -> list[Path]:
    """The parts of folder ``source`` (or the one file ``source``), all of one kind."""
    if source.is_dir():
        parquet = sorted(source.glob("*.parquet"))
        csv = sorted(source.glob("*.csv"))
        if parquet and csv:
            raise UsageError(
                f"{source}: holds both .parquet and .csv files; give a folder of one kind"
            )
        if not (parquet or csv):
            raise UsageError(f"{source}: no .parquet or .csv files in this folder")
        return parquet or csv
    if source.is_file():
        return [source]
    raise UsageError(f"{source}: no such file or folder")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _csv_header(part: Path) -> list[str]:
    import pandas as pd

    try:
        return [str(c) for c in pd.read_csv(part, nrows=0).columns]
    except (ValueError, OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UsageError(f"{part}: not readable as csv ({_first_line(exc)})") from None


def _parquet_schema(part: Path) -> dict[str, Any]:
    """Column name -> Arrow type of one Parquet part, read from its footer alone."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        schema = pq.read_schema(part)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise UsageError(f"{part}: not readable as parquet ({_first_line(exc)})") from None
    # A pandas index stored as a column is the index, not data: Dask reads it back as such.
    index = (schema.pandas_metadata or {}).get("index_columns", [])
    stored = {c for c in index if isinstance(c, str)}
    return {str(n): t for n, t in zip(schema.names, schema.types, strict=True) if n not in stored}


def _same_columns(files: list[Path], kind: str) -> list[dict[str, Any]]:
    """Check that every part has the first part's columns; return each part's schema
    (Parquet) or header (CSV, the types unknown until read) as name -> type or None."""
    if kind == "csv":
        headers = [_csv_header(f) for f in files]
        for part, header in zip(files[1:], headers[1:], strict=True):
            if header != headers[0]:
                raise UsageError(
                    f"{part}: its header ({', '.join(header)}) differs from that of "
                    f"{files[0].name} ({', '.join(headers[0])}); CSV parts are read by "
                    "position, so write every part with the same columns in the same order"
                )
        return [dict.fromkeys(h) for h in headers]
    schemas = [_parquet_schema(f) for f in files]
    for part, schema in zip(files[1:], schemas[1:], strict=True):
        missing = [c for c in schemas[0] if c not in schema]
        extra = [c for c in schema if c not in schemas[0]]
        if missing or extra:
            problems = [f"lacks {', '.join(map(repr, missing))}"] if missing else []
            problems += [f"has {', '.join(map(repr, extra))} too"] if extra else []
            raise UsageError(
                f"{part}: {' and '.join(problems)}, unlike {files[0].name} (columns "
                f"{', '.join(schemas[0])}); give parts with the same columns (their order "
                "may differ)"
            )
    return schemas


def read_parts(path: str) -> tuple[Any, str, list[tuple[Path, dict[str, Any]]]]:
    """The Parquet or CSV files of folder ``path`` (or the one file ``path``) as a Dask
    DataFrame, their kind ("parquet" or "csv") and each part's columns (name -> Arrow type
    for Parquet, None for CSV), every part checked to have the same columns."""
    import dask.dataframe as dd
    import pandas as pd

    source = Path(path)
    files = _files(source)
    kind = "parquet" if files[0].suffix == ".parquet" else "csv"
    parts = list(zip(files, _same_columns(files, kind), strict=True))
    names = [str(f) for f in files]
    try:
        if kind == "parquet":
            frame = dd.read_parquet(names)
        else:
            frame = dd.read_csv(names, blocksize=CSV_BLOCK)
    except (ValueError, OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UsageError(f"{source}: not readable as {kind} ({_first_line(exc)})") from None
    frame.columns = [str(c) for c in frame.columns]
    return frame, kind, parts


def _numeric(
    frame: Any,
    columns: list[str],
    source: str,
    asked: bool,
    parts: list[tuple[Path, dict[str, Any]]],
) -> None:
    """Refuse a fitted column that is not numeric: in the frame's schema, and in the schema
    of every Parquet part (Dask takes the first part's; a later one may hold text)."""
    import pandas as pd

    for name in columns:
        way_out = "give numbers in it" if asked else f"leave it out with --exclude {name}"
        dtype = frame._meta[name].dtype
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            raise UsageError(f"{source}: column {name!r} is not numeric ({dtype}); {way_out}")
        for part, schema in parts:
            arrow = schema.get(name)  # None for a CSV part: its types are known once read
            if arrow is not None and not _arrow_numeric(arrow):
                raise UsageError(f"{part}: column {name!r} is not numeric ({arrow}); {way_out}")


def _arrow_numeric(arrow_type: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type))


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
    frame, kind, parts = read_parts(args.data)
    try:
        columns = selected_columns(frame._meta, args.columns, args.exclude)
    except UsageError as exc:
        raise UsageError(f"{args.data}: {exc}") from None
    _numeric(frame, columns, args.data, asked=bool(args.columns), parts=parts)
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
    frame, kind, parts = read_parts(args.data)
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
    _numeric(frame, columns, args.data, asked=True, parts=parts)
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
