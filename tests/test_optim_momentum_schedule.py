"""A momentum (or Adam's beta1) that follows a schedule, as PyTorch's ``cycle_momentum`` does.

The oracle is PyTorch itself: tests/data/schedule_traces.json holds full-batch least-squares fits
run by torch.optim (SGD with momentum, Nesterov, Adam) under OneCycleLR / CyclicLR with
cycle_momentum=True, recorded by tools/record_schedule_traces.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdlab import optim
from gdlab import schedules as S
from gdlab.models import LeastSquares
from gdlab.optim import Adam, Momentum, Nesterov, descend
from gdlab.trajectory import Trajectory

FIXTURE = Path(__file__).parent / "data" / "schedule_traces.json"
RUNS = [t for t in json.loads(FIXTURE.read_text(encoding="utf-8"))["traces"] if "params" in t]


def _rule(text: str) -> optim.UpdateRule:
    # "Momentum(momentum=<schedule text>)": the rule by name, its schedule read by parse.
    name, rest = text.split("(", 1)
    field, schedule = rest[:-1].split("=", 1)
    rule: optim.UpdateRule = getattr(optim, name)(**{field: S.parse(schedule)})
    return rule


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    X = np.c_[rng.normal(size=(60, 2)), np.ones(60)]
    return X, X @ [1.5, -2.0, 0.5] + 0.1 * rng.normal(size=60)


def test_the_fixture_holds_a_run_for_each_rule() -> None:
    assert {t["gdlab_rule"].split("(")[0] for t in RUNS} == {"Momentum", "Nesterov", "Adam"}


@pytest.mark.parametrize("trace", RUNS, ids=lambda t: t["class"])
def test_descend_follows_pytorch_when_rate_and_momentum_cycle(trace: dict[str, Any]) -> None:
    X, y = np.array(trace["X"]), np.array(trace["y"])
    expected = np.array(trace["params"])
    run = descend(
        LeastSquares(), X, y, lr=S.parse(trace["gdlab"]), method=_rule(trace["gdlab_rule"]),
        epochs=len(expected), lr_per="step", record="step",
    )  # fmt: skip
    np.testing.assert_allclose(run.params[1:], expected, rtol=1e-9, atol=1e-12)
    # The Trajectory records each update's momentum; row 0 (the start) has none.
    assert run.momentum is not None and np.isnan(run.momentum[0])
    np.testing.assert_allclose(run.momentum[1:], trace["momentum"], rtol=1e-12, atol=0)


@pytest.mark.parametrize("trace", RUNS, ids=lambda t: t["class"])
def test_a_constant_momentum_does_not_follow_pytorch(trace: dict[str, Any]) -> None:
    # The same run with the momentum held at its start value ends elsewhere: cycling matters.
    X, y = np.array(trace["X"]), np.array(trace["y"])
    rule = _rule(trace["gdlab_rule"])
    held = type(rule)(**{rule.scheduled: trace["momentum"][0]})  # type: ignore[arg-type]
    run = descend(LeastSquares(), X, y, lr=S.parse(trace["gdlab"]), method=held,
                  epochs=len(trace["params"]), lr_per="step")  # fmt: skip
    assert not np.allclose(run.w, trace["params"][-1], rtol=1e-6, atol=0)
    assert run.momentum is None


@pytest.mark.parametrize(
    "rule",
    [Momentum(momentum=0.9), Nesterov(momentum=0.8), Adam(beta1=0.85)],
    ids=lambda r: type(r).__name__,
)
def test_a_constant_schedule_gives_the_constant_runs_iterates_bit_for_bit(
    rule: optim.UpdateRule,
) -> None:
    X, y = _data()
    field = rule.scheduled
    assert field is not None
    scheduled = type(rule)(**{field: S.constant(getattr(rule, field))})
    kw: dict[str, Any] = {"lr": 0.05, "epochs": 4, "batch_size": 8, "seed": 1, "record": "step"}
    plain, sched = (
        descend(LeastSquares(), X, y, method=rule, **kw),
        descend(LeastSquares(), X, y, method=scheduled, **kw),
    )
    np.testing.assert_array_equal(plain.params, sched.params)
    assert sched.momentum is not None and np.all(sched.momentum[1:] == getattr(rule, field))


def test_the_momentum_counts_epochs_or_updates_like_the_rate() -> None:
    X, y = _data()
    lr = S.one_cycle(max_lr=0.1, total_steps=6)
    rule = Momentum(momentum=lr.momentum())
    per_epoch = descend(LeastSquares(), X, y, lr=lr, method=rule, epochs=6, batch_size=20)
    assert per_epoch.momentum is not None
    np.testing.assert_array_equal(per_epoch.momentum[1:], lr.momentum()(np.arange(6)))
    per_step = descend(LeastSquares(), X, y, lr=lr, method=rule, epochs=2, batch_size=20,
                       lr_per="step", record="step")  # fmt: skip
    assert per_step.momentum is not None
    np.testing.assert_array_equal(per_step.momentum[1:], lr.momentum()(np.arange(6)))


def test_the_compiled_engine_is_never_chosen_for_a_scheduled_momentum() -> None:
    X, y = _data()
    rule = Momentum(momentum=S.cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3).momentum())
    run = descend(LeastSquares(), X, y, lr=0.05, method=rule, epochs=2, batch_size=4)
    assert run.config["engine"] == "numpy"
    with pytest.raises(ValueError, match="engine='numba' needs"):
        descend(LeastSquares(), X, y, lr=0.05, method=rule, epochs=2, batch_size=4,
                engine="numba")  # fmt: skip


def test_saved_resumed_and_reloaded_runs_keep_the_momentum(tmp_path: Path) -> None:
    X, y = _data()
    lr = S.one_cycle(max_lr=0.1, total_steps=40)
    rule = Adam(beta1=lr.momentum())
    kw: dict[str, Any] = {"lr": lr, "method": rule, "batch_size": 10, "seed": 0, "lr_per": "step"}
    whole = descend(LeastSquares(), X, y, epochs=6, **kw)
    first = descend(LeastSquares(), X, y, epochs=2, **kw)
    path = first.save(tmp_path / "run.npz")
    resumed = descend(LeastSquares(), X, y, epochs=4, resume=Trajectory.load(path), **kw)
    np.testing.assert_array_equal(resumed.params, whole.params)
    assert whole.momentum is not None and resumed.momentum is not None
    np.testing.assert_array_equal(resumed.momentum, whole.momentum)
    again = Trajectory.load(resumed.save(tmp_path / "again.npz"))
    np.testing.assert_array_equal(again.momentum, whole.momentum)
    assert "momentum" in again.to_frame().columns


def test_a_momentum_schedule_outside_0_1_is_refused() -> None:
    X, y = _data()
    rule = Momentum(momentum=S.linear(lr=0.9, end_lr=1.2, total_steps=4))
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        descend(LeastSquares(), X, y, lr=0.01, method=rule, epochs=6)
    with pytest.raises(TypeError, match="schedule of such numbers"):
        Momentum(momentum="0.9")  # type: ignore[arg-type]


def test_update_without_the_scheduled_value_says_what_to_pass() -> None:
    rule = Nesterov(momentum=S.constant(0.5))
    w = np.zeros(1)
    with pytest.raises(ValueError, match=r"update\(\.\.\., momentum=value\)"):
        rule.update(w, np.ones(1), 1.0, rule.init(w))
    rule.update(w, np.ones(1), 1.0, rule.init(w), momentum=0.5)
    np.testing.assert_array_equal(w, [-1.5])  # Nesterov's first step: g + mu * g
