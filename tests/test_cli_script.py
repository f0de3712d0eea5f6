"""The installed ``gdlab`` console script, run as a separate process."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The script pip installed next to this interpreter (the project's virtual environment).
SCRIPT = Path(sys.executable).with_name("gdlab")
GDLAB = str(SCRIPT) if SCRIPT.exists() else shutil.which("gdlab")


@pytest.mark.skipif(GDLAB is None, reason="the gdlab console script is not installed")
def test_installed_script_runs_and_fails_cleanly(tmp_path: Path) -> None:
    assert GDLAB is not None
    ok = subprocess.run(
        [GDLAB, "schedule", "show", "exponential(lr=0.2, gamma=0.95)", "--steps", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split()[-2:] == ["2", "0.1805"]  # 0.2 * 0.95**2
    bad = subprocess.run(
        [GDLAB, "compare", str(tmp_path / "missing.csv"), "--target", "y"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "no such file" in bad.stderr
    assert "Traceback" not in bad.stderr
