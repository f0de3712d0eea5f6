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
