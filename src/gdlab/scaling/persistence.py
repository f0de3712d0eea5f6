"""Save and load fitted scalers as JSON files (never pickle)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from gdlab.files import write_atomic
from gdlab.scaling.base import BaseScaler


def save(scaler: BaseScaler, path: str | os.PathLike[str]) -> Path:
    """Write a fitted scaler to ``path`` as JSON, atomically.

    The text goes to a temporary file in the same folder, which then replaces ``path``, so a
    crash never leaves a half-written file behind.

    Parameters
    ----------
    scaler : a fitted gdlab scaler
    path : str or path-like

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from gdlab.scaling import StandardScaler, load
    >>> s = StandardScaler().fit([[1.0], [3.0]])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = save(s, pathlib.Path(d) / "scaler.json")
    ...     load(p).mean_
    array([2.])
    """
    if not isinstance(scaler, BaseScaler):
        raise TypeError(f"save expects a gdlab scaler, got {type(scaler).__name__}.")
    target = Path(path)
    text = json.dumps(scaler.to_dict(), indent=1, allow_nan=False)
    write_atomic(target, text + "\n")
    return target


def load(path: str | os.PathLike[str]) -> BaseScaler:
    """Read a scaler written by :func:`save`, dispatching on its stored class name.

    Raises
    ------
    ValueError
        If the file is not valid JSON, or not a gdlab scaler state, or was edited
        (checksum mismatch), or holds impossible values.
    """
    raw = Path(path).read_bytes()
    try:
        data: Any = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(
            f"{os.fspath(path)!r} is not valid JSON ({exc}); expected a file written by "
            "gdlab.scaling.save."
        ) from None
    except RecursionError:  # e.g. "[[[[..." a hundred thousand deep
        raise ValueError(
            f"{os.fspath(path)!r} is nested far too deeply to be a saved scaler; expected a "
            "file written by gdlab.scaling.save."
        ) from None
    return BaseScaler.from_dict(data)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"Invalid scaler file: {name} is not valid JSON; statistics are finite.")
