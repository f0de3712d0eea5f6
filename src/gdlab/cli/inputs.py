"""Reading the user's CSV files and guarding the user's files, for every ``gdlab`` subcommand.

Everything here turns bad input into a :class:`UsageError`, which ``gdlab`` prints as one line
and exit code 2: a missing file, a target column that is not there, a non-numeric or partly
empty column, an output path that would overwrite an input.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray


class UsageError(Exception):
    """Bad input from the command line: reported in one line, exit code 2."""


def read_csv(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a CSV file whose columns must all be numeric and complete.

    Raises
    ------
    UsageError
        When the file is missing or unreadable, empty, or a column holds text or blanks.
    """
    source = Path(path)
    if not source.is_file():
        raise UsageError(f"{source}: no such file; give the path of an existing CSV file")
    try:
        frame = pd.read_csv(source)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"{source}: not a readable CSV file ({first})") from None
    if frame.empty:
        raise UsageError(f"{source}: the file has no data rows; give a CSV with a header and rows")
    for name in frame.columns:
        column = frame[name]
        if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            sample = column.dropna().astype(str).head(1).tolist()
            raise UsageError(
                f"{source}: column {name!r} is not numeric (e.g. {sample[0]!r}); "
                "encode or drop it before running gdlab"
                if sample
                else f"{source}: column {name!r} is empty; drop it before running gdlab"
            )
        missing = int(column.isna().sum())
        if missing:
            raise UsageError(
                f"{source}: column {name!r} has {missing} missing value(s); "
                "drop or impute those rows first"
            )
        if not np.isfinite(column.to_numpy(dtype=np.float64)).all():
            raise UsageError(f"{source}: column {name!r} holds inf; remove those rows first")
    return frame


def split_target(
    frame: pd.DataFrame, target: str, source: str | os.PathLike[str] = "data"
) -> tuple[NDArray[np.float64], NDArray[np.float64], list[str]]:
    """Split a numeric frame into features ``X (n, d)``, target ``y (n,)`` and feature names."""
    if target not in frame.columns:
        known = ", ".join(repr(str(c)) for c in frame.columns)
        raise UsageError(f"{source}: no column {target!r}; --target must be one of {known}")
    features = [str(c) for c in frame.columns if c != target]
    if not features:
        raise UsageError(f"{source}: only the target column {target!r}; give feature columns too")
    X = frame[features].to_numpy(dtype=np.float64)
    y = frame[target].to_numpy(dtype=np.float64)
    return X, y, features


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


def check_outputs(
    outputs: Iterable[str | os.PathLike[str]], inputs: Sequence[str | os.PathLike[str]]
) -> None:
    """Refuse any output path that names one of the input files (before anything is written)."""
    for out in outputs:
        for src in inputs:
            if _same_file(Path(out), Path(src)):
                raise UsageError(
                    f"{out}: this is an input file and gdlab never writes over its inputs; "
                    "choose another output path"
                )
