"""All-or-nothing output folders: ``gdlab.files.staged_folder``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gdlab import files
from gdlab.files import staged_folder, write_atomic


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones included) with its text."""
    return {
        p.relative_to(folder).as_posix(): p.read_text()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_outputs_appear_only_when_the_block_ends(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_folder(out) as stage:
        write_atomic(stage / "a.csv", "1")
        write_atomic(stage / "figures" / "b.png", "2")
        assert not out.exists()
        assert stage.parent == tmp_path and stage.name.startswith(".")
    assert _tree(out) == {"a.csv": "1", "figures/b.png": "2"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no hidden folder remains


def test_a_failure_half_way_leaves_nothing_of_the_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="half way"):
        with staged_folder(out) as stage:
            write_atomic(stage / "a.csv", "1")
            write_atomic(stage / "figures" / "b.png", "2")
            raise RuntimeError("half way")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_run_keeps_the_previous_outputs_and_other_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_atomic(out / "a.csv", "old")
    write_atomic(out / "notes.txt", "mine")
    with pytest.raises(KeyboardInterrupt):
        with staged_folder(out) as stage:
            write_atomic(stage / "a.csv", "new")
            write_atomic(stage / "b.png", "new")
            raise KeyboardInterrupt
    assert _tree(out) == {"a.csv": "old", "notes.txt": "mine"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

    with staged_folder(out) as stage:
        write_atomic(stage / "a.csv", "new")
        write_atomic(stage / "b.png", "new")
    assert _tree(out) == {"a.csv": "new", "b.png": "new", "notes.txt": "mine"}


def test_a_rename_failing_half_way_puts_every_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_atomic(out / "a.csv", "old a")
    write_atomic(out / "b.csv", "old b")
    real_replace = os.replace
    moved: list[str] = []

    def failing_replace(src: os.PathLike[str], dst: os.PathLike[str]) -> None:
        # Let the first staged file in (and its old copy aside), then fail on the second.
        if Path(src).name == "b.csv" and ".staging" in str(src) and "backup" not in str(src):
            raise OSError("disk full")
        moved.append(Path(dst).name)
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        with staged_folder(out) as stage:
            write_atomic(stage / "a.csv", "new a")
            write_atomic(stage / "b.csv", "new b")
            write_atomic(stage / "c.csv", "new c")
    monkeypatch.setattr(files.os, "replace", real_replace)
    assert "a.csv" in moved  # the failure really came after a file had been moved in
    assert _tree(out) == {"a.csv": "old a", "b.csv": "old b"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_killed_run_leaves_a_hidden_folder_that_the_next_success_removes(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal, sys\n"
            "from gdlab.files import staged_folder, write_atomic\n"
            "with staged_folder(sys.argv[1]) as stage:\n"
            "    write_atomic(stage / 'a.csv', 'partial')\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n",
            str(out),
        ],
        check=False,
    )
    assert killed.returncode == -9
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".out.") and not out.exists()

    # A staging folder whose owner is still running (this test's own process) is kept.
    live = tmp_path / f".out.{os.getpid()}-0123456789abcdef.staging"
    live.mkdir()
    with staged_folder(out) as stage:
        write_atomic(stage / "a.csv", "complete")
    assert _tree(out) == {"a.csv": "complete"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "out"]


def test_a_file_in_place_of_the_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("a file")
    with pytest.raises(ValueError, match="not a folder"):
        with staged_folder(target):
            pass
    assert target.read_text() == "a file"


def test_the_current_folder_as_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    with staged_folder(".") as stage:
        write_atomic(stage / "a.csv", "1")
        assert stage.parent == tmp_path  # beside the folder, not inside it
    assert _tree(out) == {"a.csv": "1"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_read_only_parent_stages_inside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_atomic(out / "a.csv", "old")
    real_mkdir = Path.mkdir

    def read_only_parent(self: Path, *args: object, **kwargs: object) -> None:
        if self.parent == tmp_path and self.name.startswith(".out."):
            raise PermissionError(13, "Permission denied", str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", read_only_parent)
    with pytest.raises(RuntimeError):
        with staged_folder(out) as stage:
            assert stage.parent == out and stage.name.startswith(".")
            write_atomic(stage / "a.csv", "new")
            raise RuntimeError("failed")
    assert _tree(out) == {"a.csv": "old"}
    with staged_folder(out) as stage:
        write_atomic(stage / "a.csv", "new")
        write_atomic(stage / "figures" / "b.png", "new")
    assert _tree(out) == {"a.csv": "new", "figures/b.png": "new"}


def _held_by_something_else(kind: str, path: Path, elsewhere: Path) -> None:
    """Put a folder (holding a file), a link or a named pipe at ``path``."""
    if kind == "folder":
        path.mkdir(parents=True)
        (path / "notes.txt").write_text("mine")
    elif kind == "link to a file":
        elsewhere.write_text("mine")
        path.symlink_to(elsewhere)
    elif kind == "link to a folder":
        elsewhere.mkdir()
        (elsewhere / "notes.txt").write_text("mine")
        path.symlink_to(elsewhere, target_is_directory=True)
    else:
        os.mkfifo(path)


KINDS = ["folder", "link to a file", "link to a folder", "named pipe"]


def _entries(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``, without following links: its kind, and a file's text."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = "link to " + os.readlink(p)
        elif p.is_dir():
            out[rel] = "folder"
        elif p.is_file():
            out[rel] = p.read_text()
        else:
            out[rel] = "other"
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_an_output_name_held_by_anything_but_a_file_is_refused_and_kept(
    tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_atomic(out / "a.csv", "old")
    _held_by_something_else(kind, out / "index.html", tmp_path / "elsewhere")
    before = _entries(tmp_path)
    with pytest.raises(ValueError, match=r"index\.html: is a .*, not a file gdlab can replace"):
        with staged_folder(out) as stage:
            write_atomic(stage / "a.csv", "new")
            write_atomic(stage / "index.html", "new")
    assert _entries(tmp_path) == before  # nothing moved, removed or left behind


def test_a_file_where_an_output_needs_a_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_atomic(out / "figures", "mine")
    with pytest.raises(ValueError, match="figures is not a folder"):
        with staged_folder(out) as stage:
            write_atomic(stage / "a.csv", "new")
            write_atomic(stage / "figures" / "loss.png", "new")
    assert _tree(out) == {"figures": "mine"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_dangling_link_as_the_output_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").symlink_to(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="not a folder"):
        with staged_folder(tmp_path / "out"):
            pass


def test_a_failed_commit_removes_the_folders_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    real_replace = os.replace

    def failing_replace(src: os.PathLike[str], dst: os.PathLike[str]) -> None:
        if Path(src).name == "b.png":
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        with staged_folder(out) as stage:
            write_atomic(stage / "a.csv", "new")
            write_atomic(stage / "figures" / "b.png", "new")
    assert list(tmp_path.iterdir()) == []  # neither out/ nor out/figures/ remains


@pytest.mark.parametrize("kind", KINDS)
def test_write_atomic_refuses_a_name_held_by_anything_but_a_file(tmp_path: Path, kind: str) -> None:
    _held_by_something_else(kind, tmp_path / "table.csv", tmp_path / "elsewhere")
    before = _entries(tmp_path)
    with pytest.raises(ValueError, match=r"table\.csv: is a .*, not a file gdlab can replace"):
        write_atomic(tmp_path / "table.csv", "new")
    assert _entries(tmp_path) == before


def test_write_atomic_still_replaces_a_plain_file(tmp_path: Path) -> None:
    write_atomic(tmp_path / "table.csv", "old")
    write_atomic(tmp_path / "table.csv", "new")
    assert _tree(tmp_path) == {"table.csv": "new"}


def test_only_staging_folders_this_module_names_are_cleaned_up(tmp_path: Path) -> None:
    out = tmp_path / "out"
    # Look like staging folders of a dead process, but not in the exact form files makes.
    for name in (".out.999999999-notes.staging", ".out.999999999-0123456789ABCDEF.staging"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "mine.txt").write_text("mine")
    dead = tmp_path / ".out.999999999-0123456789abcdef.staging"  # pid far above pid_max
    dead.mkdir()
    with staged_folder(out) as stage:
        write_atomic(stage / "a.csv", "1")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".out.999999999-0123456789ABCDEF.staging",
        ".out.999999999-notes.staging",
        "out",
    ]
