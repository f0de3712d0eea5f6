"""Resume: N epochs then M more equals N + M epochs exactly, for every configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdlab import schedules
from gdlab.models import LeastSquares, Logistic, Softmax
from gdlab.optim import RULES, descend
from gdlab.trajectory import Trajectory

rng = np.random.default_rng(0)
X = np.c_[rng.normal(size=(37, 2)), np.ones(37)]
Y = X @ [1.0, -2.0, 0.5] + 0.1 * rng.normal(size=37)


def _same(a: Trajectory, b: Trajectory) -> None:
    np.testing.assert_array_equal(a.params, b.params)
    for name in ("loss", "lr", "epoch", "step", "samples_seen", "grad_norm"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert a.status == b.status
    assert a.state["rng"] == b.state["rng"]


def _split(n: int, m: int, **kw: Any) -> tuple[Trajectory, Trajectory]:
    model = kw.pop("model", LeastSquares())
    y = kw.pop("y", Y)
    one = descend(model, X, y, epochs=n + m, **kw)
    first = descend(model, X, y, epochs=n, **kw)
    kw.pop("seed", None)
    return one, descend(model, X, y, epochs=m, resume=first, **kw)


@pytest.mark.parametrize("method", sorted(RULES))
def test_resume_equals_one_run_for_each_rule(method: str) -> None:
    one, two = _split(3, 4, lr=0.01, batch_size=5, seed=7, method=method)
    _same(one, two)


@pytest.mark.parametrize("record", ["step", 4, 10])
def test_resume_with_sparse_records(record: int | str) -> None:
    one, two = _split(2, 3, lr=0.01, batch_size=5, seed=1, record=record)
    _same(one, two)


def test_resume_with_schedule_plateau_and_validation() -> None:
    kw = dict(
        lr=schedules.exponential(lr=0.05, gamma=0.97),
        lr_per="step",
        batch_size=4,
        seed=3,
        plateau=schedules.ReduceOnPlateau(factor=0.5, patience=0, threshold=0.0),
        validation_fraction=0.25,
        tol=1e-9,
    )
    one, two = _split(3, 5, **kw)
    _same(one, two)
    np.testing.assert_array_equal(one.val_loss, two.val_loss)  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ["gram", "numpy"])
def test_resume_full_batch(engine: str) -> None:
    one, two = _split(10, 15, lr=0.05, engine=engine, method="nesterov", seed=0)
    _same(one, two)


@pytest.mark.parametrize("model", [LeastSquares(0.1), Logistic()], ids=repr)
def test_resume_compiled_sgd(model: Any) -> None:
    y = Y if isinstance(model, LeastSquares) else (Y > 0).astype(float)
    one, two = _split(2, 3, model=model, y=y, lr=0.01, batch_size=1, seed=2, record=25)
    assert one.config["engine"] == "numba" or one.config["engine"] == "numpy"
    _same(one, two)


def test_resume_softmax_from_a_saved_file(tmp_path: Path) -> None:
    y = (Y > 0).astype(int) + (Y > 2)
    kw = dict(lr=0.1, batch_size=6, seed=4, method="adam")
    one = descend(Softmax(), X, y, epochs=6, **kw)  # type: ignore[arg-type]
    first = descend(Softmax(), X, y, epochs=2, **kw)  # type: ignore[arg-type]
    loaded = Trajectory.load(first.save(tmp_path / "first.npz"))
    two = descend(Softmax(), X, y, epochs=4, resume=loaded, batch_size=6, method="adam")
    _same(one, two)
    assert two.config["lr"] == "constant(lr=0.1)"  # lr came from the saved schedule


def test_resume_refuses_changed_settings_and_diverged_runs() -> None:
    first = descend(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=5, seed=0)
    with pytest.raises(ValueError, match="batch_size: 5 -> 6"):
        descend(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=6, resume=first)
    with pytest.raises(ValueError, match=r"validation_fraction: None -> 0\.2"):
        descend(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=5, resume=first,
                validation_fraction=0.2)  # fmt: skip
    with pytest.raises(ValueError, match="n_samples"):
        descend(LeastSquares(), X[:30], Y[:30], lr=0.01, epochs=2, batch_size=5, resume=first)
    with pytest.raises(ValueError, match="w0 and resume cannot be combined"):
        descend(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=5, resume=first, w0=np.ones(3))
    bad = descend(LeastSquares(), X, Y, lr=100.0, epochs=50)
    assert bad.status == "diverged"
    with pytest.raises(ValueError, match="cannot resume a run that diverged"):
        descend(LeastSquares(), X, Y, lr=0.01, epochs=2, resume=bad)


def test_resume_refuses_a_plateau_added_or_dropped() -> None:
    # Found: KeyError: 'plateau' (the first run saved no plateau state to carry on).
    plain = descend(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=5, seed=0)
    with pytest.raises(ValueError, match="started without plateau="):
        descend(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=5, resume=plain,
                plateau=schedules.ReduceOnPlateau())  # fmt: skip
    watched = descend(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=5, seed=0,
                      plateau=schedules.ReduceOnPlateau())  # fmt: skip
    with pytest.raises(ValueError, match="started with plateau="):
        descend(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=5, resume=watched)


@pytest.mark.parametrize(
    "edit",
    [
        {"state": {"state": "x", "inc": 1}},  # TypeError inside numpy
        {"state": {"state": -1, "inc": 1}},  # OverflowError
        {"state": None},
        {"has_uint32": "a"},
    ],
)
def test_resume_refuses_an_edited_rng_state(tmp_path: Path, edit: dict[str, Any]) -> None:
    first = descend(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=5, seed=0)
    first.state["rng"] = {**first.state["rng"], **edit}
    edited = Trajectory.load(first.save(tmp_path / "edited.npz"))
    with pytest.raises(ValueError, match="RNG state is damaged"):
        descend(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=5, resume=edited)
