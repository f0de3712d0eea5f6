"""Reading the user's CSV files and guarding the user's files, for every ``gdlab`` subcommand.

Everything here turns bad input into a :class:`UsageError`, which ``gdlab`` prints as one line
and exit code 2: a missing file, a target column that is not there, a non-numeric or partly
empty column, an output path that would overwrite an input.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:  # pandas loads with the first file read: `gdlab --help` does not pay for it
    import pandas as pd


class UsageError(Exception):
    """Bad input from the command line: reported in one line, exit code 2."""


def selected_columns(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
) -> list[str]:
    """The columns a command works on: ``columns`` if given, else all but ``exclude``."""
    names = [str(c) for c in frame.columns]
    wanted = list(columns) if columns else [c for c in names if c not in set(exclude or ())]
    for name in [*wanted, *(exclude or ())]:
        if name not in names:
            known = ", ".join(repr(c) for c in names)
            raise UsageError(f"no column {name!r}; the file has {known}")
    if not wanted:
        raise UsageError("no columns left to work on; check --columns / --exclude")
    return wanted


def read_csv(
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    target: str | None = None,
) -> pd.DataFrame:
    """Read a CSV file whose selected columns must be numeric and complete.

    The selection is :func:`selected_columns` (all columns by default); other columns are kept
    as read, so they can be copied through unchanged. A text column's error suggests
    ``--exclude`` with its name, unless the column was asked for (``columns``) or is the
    ``target``.

    Raises
    ------
    UsageError
        When the file is missing or unreadable, has no rows, lacks a selected column, or a
        selected column holds text, blanks or inf.
    """
    source = Path(path)
    if not source.is_file():
        raise UsageError(f"{source}: no such file; give the path of an existing CSV file")
    import pandas as pd

    try:
        frame = pd.read_csv(source)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"{source}: not a readable CSV file ({first})") from None
    if frame.empty:
        raise UsageError(f"{source}: the file has no data rows; give a CSV with a header and rows")
    frame.columns = [str(c) for c in frame.columns]
    try:
        wanted = selected_columns(frame, columns, exclude)
    except UsageError as exc:
        raise UsageError(f"{source}: {exc}") from None
    for name in wanted:
        # The way out depends on why the column is read: the target and a column asked for
        # by name (or needed by a fitted scaler) cannot simply be left out.
        if name == target:
            way_out = "the target must be numbers (code classes as 0 and 1)"
        elif columns:
            way_out = "give numbers in it"
        else:
            way_out = f"encode it as numbers, or leave it out with --exclude {_quoted(name)}"
        _check_numeric(frame[name], name, source, way_out)
    return frame


def _quoted(name: str) -> str:
    return name if name.replace("_", "").replace("-", "").isalnum() else repr(name)


def _check_numeric(column: pd.Series, name: str, source: Path, way_out: str) -> None:
    import pandas as pd

    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        sample = column.dropna().astype(str).head(1).tolist()
        if not sample:
            raise UsageError(f"{source}: column {name!r} is empty; {way_out}")
        raise UsageError(
            f"{source}: column {name!r} is not numeric (e.g. {sample[0]!r}); {way_out}"
        )
    missing = int(column.isna().sum())
    if missing:
        raise UsageError(
            f"{source}: column {name!r} has {missing} missing value(s); "
            "drop or impute those rows first"
        )
    if not np.isfinite(column.to_numpy(dtype=np.float64)).all():
        raise UsageError(f"{source}: column {name!r} holds inf; remove those rows first")


def read_xy(
    path: str | os.PathLike[str], target: str, exclude: Sequence[str] | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], list[str]]:
    """Read a CSV file as features ``X (n, d)``, target ``y (n,)`` and the feature names.

    The features are every column but the target and those in ``exclude`` (which need not
    be numeric: an id or a text column is simply left out).

    Raises
    ------
    UsageError
        As :func:`read_csv`, or when ``target`` is not a column, is excluded, or is the only
        column left.
    """
    if target in (exclude or ()):
        raise UsageError(f"--target {target!r} is also in --exclude; leave it out of --exclude")
    frame = read_csv(path, exclude=exclude, target=target)
    if target not in frame.columns:
        known = ", ".join(repr(c) for c in frame.columns)
        raise UsageError(f"{path}: no column {target!r}; --target must be one of {known}")
    features = [c for c in frame.columns if c != target and c not in set(exclude or ())]
    if not features:
        raise UsageError(f"{path}: only the target column {target!r}; give feature columns too")
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
    """Refuse, before anything is written, an output file path that names one of the input
    files or is held by something gdlab must not replace (a folder, a symbolic link, ...;
    see :func:`gdlab.files.check_output_file`)."""
    from gdlab.files import check_output_file

    for out in outputs:
        _not_an_input(out, inputs)
        try:
            check_output_file(out)
        except ValueError as exc:
            raise UsageError(str(exc)) from None


def _not_an_input(out: str | os.PathLike[str], inputs: Sequence[str | os.PathLike[str]]) -> None:
    for src in inputs:
        if _same_file(Path(out), Path(src)):
            what = "folder" if Path(src).is_dir() else "file"
            raise UsageError(
                f"{out}: this is an input {what} and gdlab never writes over its inputs; "
                "choose another output path"
            )


def check_folder(
    folder: str | os.PathLike[str], inputs: Sequence[str | os.PathLike[str]] = ()
) -> None:
    """Refuse an output folder that exists as a file, or is one of the inputs, before any
    long run starts."""
    path = Path(folder)
    if os.path.lexists(path) and not path.is_dir():
        raise UsageError(f"{path}: exists and is not a folder; give --out a folder path")
    _not_an_input(path, inputs)
