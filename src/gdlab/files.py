"""Atomic file output: a reader never sees half a file, and a failed write leaves the old one.

Every file gdlab writes (scaler JSON, trajectories, reports, figures, CSV tables) goes through
:func:`atomic_writer`: the bytes go to a temporary file beside the target, are flushed to disk,
and the temporary file is renamed over the target (``os.replace`` is atomic on one file
system). On any error the temporary file is removed and the target is untouched.

A command that writes several files (``gdlab compare``, ``gdlab demo``) stages them with
:func:`staged_folder`: they are written into a hidden folder beside the output folder and
moved in only when the whole command has succeeded, so a failed run leaves nothing behind.

No output path ever removes something gdlab did not write: an output name may be new or a plain
file (which the new file replaces); a name held by a folder, a symbolic link, a pipe or a
device is refused with a ValueError (:func:`check_output_file`) before anything is written.
"""

from __future__ import annotations

import glob
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

# What holds an output name, in words, for the refusals (anything but a plain file).
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}


def check_output_file(path: str | os.PathLike[str]) -> None:
    """Refuse an output path whose writing would remove or bypass something gdlab did not write.

    ``path`` may be new, or an existing plain file (which a write replaces). A name held by a
    folder (replacing it would delete what it holds), a symbolic link (the link would be
    lost), a named pipe, socket or device is refused, and so is a path whose parent exists
    but is not a folder. :func:`atomic_writer` and :func:`staged_folder` run this check on
    every file before they write anything; a command can run it first, before a long run.

    Parameters
    ----------
    path : str or os.PathLike
        The file about to be written.

    Raises
    ------
    ValueError
        Naming the path, what holds it and what to do.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_file(folder / "new.csv")  # a new name: fine
    >>> (folder / "index.html").mkdir()
    >>> check_output_file(folder / "index.html")
    Traceback (most recent call last):
    ...
    ValueError: .../index.html: is a folder, not a file gdlab can replace; ...
    """
    target = Path(path)
    try:
        mode: int | None = os.lstat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):  # new, or a parent is a file (below)
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a plain file")
        raise ValueError(
            f"{target}: is {kind}, not a file gdlab can replace; gdlab writes only new "
            "files or over plain files, so move it away or choose another output path"
        )
    for parent in target.parents:  # the nearest existing one must be a folder
        if os.path.lexists(parent):
            if not parent.is_dir():
                raise ValueError(
                    f"{target}: {parent} is not a folder, so it cannot hold this output; "
                    "choose another output path"
                )
            return


@contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a binary file that replaces ``path`` only when the ``with`` block succeeds.

    A new file gets the mode a plain ``open()`` would give it (0666 less the umask; not
    ``mkstemp``'s private 0600); an overwritten file keeps its own mode. ``path`` must be
    new or a plain file (:func:`check_output_file`): a folder, symbolic link, pipe or device
    there is refused before anything is written, and checked again before the rename.

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
    check_output_file(target)
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
        check_output_file(target)  # a folder may have appeared there meanwhile
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


# A staging folder's name: ".<target>.<pid>-<16 hex>.staging" beside the target. The owner's
# process id lets a later run remove folders left by a killed run without touching one that a
# live run still fills. Where the parent folder is not writable (an existing output folder in
# a read-only place), the staging folder goes inside the target as ".gdlab-staging.<...>".
_STAGING_SUFFIX = ".staging"
_INSIDE_PREFIX = ".gdlab-staging."


def _sites(target: Path) -> list[tuple[Path, str]]:
    """Where staging folders of ``target`` live, first choice first: (folder, name prefix)."""
    return [(target.parent, f".{target.name}."), (target, _INSIDE_PREFIX)]


# What follows the prefix in the name of a staging (or backup) folder this module made.
_OWN_NAME = re.compile(r"(\d+)-[0-9a-f]{16}(\.backup)?" + re.escape(_STAGING_SUFFIX))


def _owner_alive(name: str, prefix: str) -> bool:
    """Whether the process that created staging folder ``name`` is still running (True for
    a name this module would not have made: such a folder is never removed)."""
    mine = _OWN_NAME.fullmatch(name[len(prefix) :])
    if mine is None:
        return True  # not one of ours: leave it alone
    try:
        os.kill(int(mine.group(1)), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # exists (another user's) or unknowable: keep it
    return True


def _remove_stale_staging(target: Path, keep: Path) -> None:
    """Delete staging folders of ``target`` left behind by runs that were killed."""
    for folder, prefix in _sites(target):
        for entry in folder.glob(f"{glob.escape(prefix)}*{_STAGING_SUFFIX}"):
            if entry == keep or entry.is_symlink() or not entry.is_dir():
                continue
            if not _owner_alive(entry.name, prefix):
                shutil.rmtree(entry, ignore_errors=True)


def _make_stage(target: Path, token: str) -> tuple[Path, Path]:
    """Create the staging folder (and name the backup folder) for one run of ``target``."""
    (folder, prefix), (inside, inside_prefix) = _sites(target)
    stage = folder / f"{prefix}{token}{_STAGING_SUFFIX}"
    try:
        stage.mkdir()
    except PermissionError:
        if not target.is_dir():
            raise
        folder, prefix = inside, inside_prefix
        stage = folder / f"{prefix}{token}{_STAGING_SUFFIX}"
        stage.mkdir()
    return stage, folder / f"{prefix}{token}.backup{_STAGING_SUFFIX}"


def _staged_files(stage: Path) -> list[Path]:
    """Every file (and symbolic link) under ``stage``, as paths relative to it, sorted."""
    found = [p.relative_to(stage) for p in stage.rglob("*") if p.is_symlink() or not p.is_dir()]
    return sorted(found)


def _make_folders(folder: Path, created: list[Path]) -> None:
    """``folder.mkdir(parents=True, exist_ok=True)``, noting each folder it creates."""
    missing = [p for p in (folder, *folder.parents) if not os.path.lexists(p)]
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue  # made meanwhile by someone else: not ours to remove
        created.append(path)


def _commit(stage: Path, target: Path, backup: Path) -> None:
    """Move every staged file into ``target``; on any failure put everything back as it was.

    Every destination is checked first (:func:`check_output_file`): a folder or link in the
    way is refused before any file moves, never set aside with the old files (whose backup
    is deleted once the run has succeeded).
    """
    staged = _staged_files(stage)
    for rel in staged:
        check_output_file(target / rel)
    created: list[Path] = []  # folders this commit made, removed again on failure
    done: list[tuple[Path, bool]] = []  # (relative path, whether an old file was set aside)
    try:
        _make_folders(target, created)
        for rel in staged:
            destination = target / rel
            _make_folders(destination.parent, created)
            had_old = os.path.lexists(destination)
            if had_old:
                (backup / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(destination, backup / rel)
            done.append((rel, had_old))
            os.replace(stage / rel, destination)
    except BaseException:
        for rel, had_old in reversed(done):
            (target / rel).unlink(missing_ok=True)
            if had_old:
                os.replace(backup / rel, target / rel)
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                pass  # not empty: something else was put there meanwhile
        raise


@contextmanager
def staged_folder(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Write a command's outputs so that they appear in folder ``path`` all together, or not at all.

    The ``with`` block receives a hidden staging folder beside ``path`` (same file system) and
    writes its files there, subfolders included. When the block succeeds, every staged file is
    moved into ``path`` (created if missing) by renames, replacing files of the same name; other
    files already in ``path`` are left alone. A staged name held in ``path`` by anything but a
    plain file (a folder, a symbolic link, ...) is refused before any file moves. When the
    block raises, a name is refused, or a rename fails, the staging folder is deleted and
    ``path`` is exactly as it was: no file or folder of the failed run is left, and files it
    would have replaced keep their old contents. A successful run also
    deletes staging folders that killed runs (``SIGKILL``, power loss) left beside ``path``;
    those of runs still in progress are kept. Where the folder holding ``path`` is not
    writable but ``path`` itself is, the staging folder is a hidden one inside ``path``.

    Parameters
    ----------
    path : str or os.PathLike
        The output folder. Must not be an existing file.

    Yields
    ------
    pathlib.Path
        The staging folder to write into (write ``stage / "name"``, not ``path / "name"``).

    Raises
    ------
    ValueError
        When ``path`` exists and is not a folder, or an output name in it is held by
        something other than a plain file (see :func:`check_output_file`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "results"
    >>> with staged_folder(out) as stage:
    ...     _ = write_atomic(stage / "table.csv", "a,b\\n1,2\\n")
    ...     _ = write_atomic(stage / "figures" / "loss.png", b"png")
    ...     out.exists()  # nothing is visible before the block ends
    False
    >>> sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    ['figures/loss.png', 'table.csv']
    >>> try:
    ...     with staged_folder(out) as stage:
    ...         _ = write_atomic(stage / "table.csv", "half a run")
    ...         raise RuntimeError("the run failed")
    ... except RuntimeError:
    ...     pass
    >>> (out / "table.csv").read_text()  # the failed run changed nothing
    'a,b\\n1,2\\n'
    """
    given = Path(path)
    if os.path.lexists(given) and not given.is_dir():  # a file, or a link to none
        raise ValueError(f"{given}: exists and is not a folder; give a folder path")
    target = Path(os.path.abspath(given))  # "." has no name to build a sibling's from
    target.parent.mkdir(parents=True, exist_ok=True)
    stage, backup = _make_stage(target, f"{os.getpid()}-{secrets.token_hex(8)}")
    try:
        yield stage
        _commit(stage, target, backup)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(backup, ignore_errors=True)
    _remove_stale_staging(target, keep=stage)
