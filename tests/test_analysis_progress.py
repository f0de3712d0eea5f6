"""Progress bars of `compare` and `stability_map`: tqdm on request, nothing by default."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from gdlab.analysis import compare, lr_range_test, stability_map
from gdlab.analysis.progress import progress_reporter
from gdlab.models import LeastSquares

pytest.importorskip("tqdm")


@pytest.fixture
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    return X, X @ [1.0, -2.0] + 0.5


def test_compare_draws_a_tqdm_bar_over_every_run(data, capsys: pytest.CaptureFixture[str]) -> None:
    X, y = data
    table = compare(LeastSquares(), X, y, scalers=["none", "zscore"], schedules=[0.1, 0.2],
                    epochs=3, progress=True)  # fmt: skip
    err = capsys.readouterr().err
    assert len(table) == 4
    assert "compare" in err and "4/4" in err and "run" in err
    assert "zscore constant(lr=0.2)" in err  # the last run's label


def test_stability_map_draws_a_tqdm_bar(data, capsys: pytest.CaptureFixture[str]) -> None:
    X, y = data
    frame = stability_map(LeastSquares(), X, y, lrs=[0.1, 0.5, 5.0], batch_sizes=[None, 10],
                          epochs=3, progress=True)  # fmt: skip
    err = capsys.readouterr().err
    assert len(frame) == 6
    assert "stability map" in err and "6/6" in err


def test_no_bar_by_default(data, capsys: pytest.CaptureFixture[str]) -> None:
    X, y = data
    compare(LeastSquares(), X, y, schedules=[0.1], epochs=2)
    stability_map(LeastSquares(), X, y, lrs=[0.1], epochs=2)
    assert capsys.readouterr().err == ""


def test_a_callable_gets_done_total_and_label(data) -> None:
    X, y = data
    seen: list[tuple[int, int, str]] = []
    stability_map(LeastSquares(), X, y, lrs=[0.1, 0.2], batch_sizes=[None, 5], epochs=2,
                  progress=lambda *args: seen.append(args))  # fmt: skip
    assert [(d, t) for d, t, _ in seen] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert seen[0][2] == "lr=0.1 batch=full" and seen[-1][2] == "lr=0.2 batch=5"


def test_a_wrong_progress_value_is_refused() -> None:
    with pytest.raises(TypeError, match="progress must be True"):
        progress_reporter("yes", 3, "grid")  # type: ignore[arg-type]


def test_tqdm_is_imported_only_for_a_bar() -> None:
    code = (
        "import sys, numpy as np\n"
        "from gdlab.analysis import compare\n"
        "from gdlab.models import LeastSquares\n"
        "X = np.eye(3)[:, :2]; compare(LeastSquares(), X, X[:, 0], schedules=[0.1], epochs=1)\n"
        "print('tqdm' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_lr_range_test_reports_each_update_and_ends_at_the_blow_up() -> None:
    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=(100, 2)), np.ones(100)]
    y = X @ [2.0, -1.0, 0.5]
    seen: list[tuple[int, int, str]] = []
    res = lr_range_test(
        LeastSquares(), X, y, start_lr=1e-4, end_lr=10.0, progress=lambda *a: seen.append(a)
    )
    kept = res.lrs.size
    assert kept < 100  # the sweep stopped at the blow-up
    assert [d for d, _, _ in seen[:kept]] == list(range(1, kept + 1))
    assert seen[-1][0] == seen[-1][1] == 100 and "blow-up" in seen[-1][2]
