"""``descend(progress=True)`` draws a tqdm bar of the epochs and changes nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from gdlab.models import LeastSquares
from gdlab.optim import descend


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=(120, 2)), np.ones(120)]
    return X, X @ [2.0, -1.0, 1.0]


@pytest.mark.parametrize("batch_size", [None, 10])
def test_a_progress_bar_counts_every_epoch_and_leaves_the_run_unchanged(
    capsys: pytest.CaptureFixture[str], batch_size: int | None
) -> None:
    X, y = _data()
    plain = descend(LeastSquares(), X, y, lr=0.05, epochs=7, batch_size=batch_size, seed=1)
    assert capsys.readouterr().err == ""
    shown = descend(
        LeastSquares(), X, y, lr=0.05, epochs=7, batch_size=batch_size, seed=1, progress=True
    )
    err = capsys.readouterr().err
    assert "descend" in err and "7/7" in err
    np.testing.assert_array_equal(shown.params, plain.params)


def test_a_resumed_run_counts_on_from_its_epoch(capsys: pytest.CaptureFixture[str]) -> None:
    X, y = _data()
    first = descend(LeastSquares(), X, y, lr=0.05, epochs=3)
    descend(LeastSquares(), X, y, epochs=4, resume=first, progress=True)
    err = capsys.readouterr().err
    assert "7/7" in err and "0/7" not in err


def test_progress_must_be_a_bool() -> None:
    X, y = _data()
    with pytest.raises(TypeError, match="progress must be True or False"):
        descend(LeastSquares(), X, y, lr=0.05, epochs=1, progress="yes")
