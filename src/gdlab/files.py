"""Atomic file output: a reader never sees half a file, and a failed write leaves the old one.

Every file gdlab writes (scaler JSON, trajectories, reports, figures, CSV tables) goes through
:func:`atomic_writer`: the bytes go to a temporary file beside the target, are flushed to disk,
and the temporary file is renamed over the target (``os.replace`` is atomic on one file
system). On any error the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a binary file that replaces ``path`` only when the ``with`` block succeeds.

    A new file gets the mode a plain ``open()`` would give it (0666 less the umask; not
    ``mkstemp``'s private 0600); an overwritten file keeps its own mode.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.bin"
    >>> with atomic_writer(target) as handle:
    ...     _ = handle.write(b"ok")
    >>> target.read_bytes()
    b'ok'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{secrets.token_hex(8)}.tmp"
    # os.open with mode 0o666 lets the kernel apply the umask; reading the umask instead
    # (os.umask) would briefly change it for every thread of the process. O_EXCL: the
    # temporary name is never an existing file, so the cleanup below only removes ours.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` (text is UTF-8 encoded) to ``path`` atomically; return the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(d / "a.txt", "hello").read_text()
    'hello'
    """
    with atomic_writer(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)
