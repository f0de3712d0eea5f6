"""The set-up files: ``make`` installs only when pyproject.toml changed; metadata is current."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _dry_run(folder: Path, target: str) -> list[str]:
    """The commands ``make -n target`` would run in ``folder``."""
    done = subprocess.run(
        ["make", "-n", target], cwd=folder, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.splitlines()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_installs_only_when_pyproject_changed(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").write_text("")
    old = 1_700_000_000
    os.utime(tmp_path / "pyproject.toml", (old, old))
    for target in ("demo", "test"):
        assert any("pip install" in line for line in _dry_run(tmp_path, target))
    # After an install the stamps are newer than pyproject.toml: no pip at all.
    for stamp in (".installed", ".installed-test"):
        (tmp_path / ".venv" / stamp).write_text("")
    for target in ("demo", "test", "bench"):
        assert not any("pip install" in line for line in _dry_run(tmp_path, target)), target
    assert any("gdlab demo" in line for line in _dry_run(tmp_path, "demo"))
    # pyproject.toml edited after the install: reinstall.
    os.utime(tmp_path / "pyproject.toml", (old + 10**8, old + 10**8))
    assert any("pip install" in line for line in _dry_run(tmp_path, "demo"))


@pytest.mark.skipif(
    sys.version_info < (3, 11), reason="tomllib is in the standard library from 3.11"
)
def test_license_is_an_spdx_expression_with_a_backend_that_reads_it() -> None:
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # A table (license = {text = ...}) is deprecated by setuptools and warns on every build.
    assert meta["project"]["license"] == "MIT"
    # setuptools reads an SPDX string from version 77 on (PEP 639).
    requires = meta["build-system"]["requires"]
    assert any(r.replace(" ", "").startswith("setuptools>=") for r in requires)
    spec = next(r for r in requires if r.startswith("setuptools"))
    assert tuple(int(p) for p in spec.split(">=")[1].split(".")) >= (77,)
