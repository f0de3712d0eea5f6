"""gdlab against golden traces recorded from the real PyTorch and Keras schedulers.

The fixture tests/data/schedule_traces.json was written by tools/record_schedule_traces.py, which
drives torch.optim.lr_scheduler with a real optimizer, calls Keras' LearningRateSchedule objects
and optax's schedule functions (versions are stored in the file). No framework is needed here.
Traces of whole training runs (rate and momentum cycled together) are checked in
tests/test_optim_momentum_schedule.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdlab import schedules as S

FIXTURE = Path(__file__).parent / "data" / "schedule_traces.json"
DATA = json.loads(FIXTURE.read_text(encoding="utf-8"))
TRACES: list[dict[str, Any]] = DATA["traces"]
RTOL = 1e-12


def _id(trace: dict[str, Any]) -> str:
    return f"{trace['framework']}-{trace['class']}-{json.dumps(trace['args'], sort_keys=True)}"


def _plateau(trace: dict[str, Any]) -> S.ReduceOnPlateau:
    a = trace["args"]
    if trace["framework"] == "keras":
        return S.ReduceOnPlateau(
            mode=a["mode"], factor=a["factor"], patience=a["patience"],
            threshold=a["min_delta"], threshold_mode="abs", cooldown=a["cooldown"],
            min_lr=a["min_lr"], dialect="keras",
        )  # fmt: skip
    return S.ReduceOnPlateau(**a, dialect="torch")


def _plateau_rates(rop: S.ReduceOnPlateau, metrics: list[float], lr: float) -> np.ndarray:
    state, rates = rop.init(), []
    for m in metrics:
        state = rop.update(state, m, lr=lr)
        rates.append(rop.apply(state, lr))
    return np.array(rates)


def test_fixture_records_versions_and_both_frameworks() -> None:
    assert DATA["versions"]["torch"].startswith("2.13.0")
    assert DATA["versions"]["keras"].startswith("3.")
    assert DATA["versions"]["optax"]
    assert {t["framework"] for t in TRACES} == {"torch", "keras", "optax"}


SCHEDULE_TRACES = [t for t in TRACES if "metrics" not in t and "params" not in t]


@pytest.mark.parametrize("trace", SCHEDULE_TRACES, ids=_id)
def test_schedule_matches_trace(trace: dict[str, Any]) -> None:
    expected = np.array(trace["values"])
    # Most traces step 0, 1, 2, ...; PyTorch's SGDR is also stepped at fractional epochs.
    steps = np.array(trace.get("steps", np.arange(len(expected))))
    got = S.parse(trace["gdlab"])(steps)
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0)


@pytest.mark.parametrize("trace", [t for t in TRACES if "gdlab_momentum" in t], ids=_id)
def test_cycled_momentum_matches_trace(trace: dict[str, Any]) -> None:
    expected = np.array(trace["momentum"])
    got = S.parse(trace["gdlab_momentum"])(np.arange(len(expected)))
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0)
    assert len(set(trace["momentum"])) > 2  # it does cycle: the test can fail
    # The companion built from the rate schedule is the same schedule.
    rate = S.parse(trace["gdlab"])
    bounds = {k: trace["args"][k] for k in ("base_momentum", "max_momentum") if k in trace["args"]}
    assert rate.momentum(**bounds) == S.parse(trace["gdlab_momentum"])  # type: ignore[attr-defined]


def test_the_traces_cover_every_framework_feature() -> None:
    # Momentum cycling for SGD, Nesterov and Adam; fractional steps; the optax delay.
    kinds = {t["args"].get("optimizer") for t in TRACES if "gdlab_momentum" in t}
    assert kinds == {"SGD", "SGD-nesterov", "Adam"}
    assert any(np.any(np.mod(t.get("steps", [0]), 1) > 0) for t in TRACES)
    assert any("transition_begin" in t["args"] for t in TRACES)
    assert any(t["args"].get("t_mul") == 1.5 for t in TRACES)
    assert any("epochs" in t["args"] for t in TRACES if t["class"] == "OneCycleLR")


@pytest.mark.parametrize("trace", [t for t in TRACES if t["class"] == "ReduceLROnPlateau"], ids=_id)
def test_reduce_on_plateau_matches_trace(trace: dict[str, Any]) -> None:
    expected = np.array(trace["values"])
    got = _plateau_rates(_plateau(trace), trace["metrics"], trace["base_lr"])
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0)
    assert len(set(trace["values"])) > 1  # the trace does reduce: the test can fail


def test_eps_skips_a_cut_smaller_than_eps_as_pytorch_does() -> None:
    trace = next(t for t in TRACES if t["class"] == "ReduceLROnPlateau" and "eps" in t["args"])
    without_eps = {**trace["args"], "eps": 0.0}
    got = _plateau_rates(S.ReduceOnPlateau(**without_eps), trace["metrics"], trace["base_lr"])
    assert min(trace["values"]) > trace["args"]["eps"] > got.min()  # eps is what stopped it


def _stacked_rates(rop: S.ReduceOnPlateau, trace: dict[str, Any]) -> np.ndarray:
    # What descend does with lr_per="epoch": epoch e runs at apply(state, s(e)); the metric
    # then cuts the rate of epoch e + 1.
    schedule, state, rates = S.parse(trace["gdlab"]), rop.init(), []
    for e, m in enumerate(trace["metrics"]):
        rates.append(rop.apply(state, schedule(e)))
        state = rop.update(state, m, lr=schedule(e + 1))
    return np.array(rates)


def test_plateau_over_a_decay_bounds_only_its_cuts_as_pytorch_does() -> None:
    trace = next(t for t in TRACES if t["class"] == "ReduceLROnPlateau+ExponentialLR")
    a = trace["args"]
    kw = {"factor": a["factor"], "patience": a["patience"], "min_lr": a["min_lr"]}
    torch_rop = S.ReduceOnPlateau(**kw, threshold=a["threshold"])
    got = _stacked_rates(torch_rop, trace)
    np.testing.assert_allclose(got, trace["values"], rtol=RTOL, atol=0)
    assert min(trace["values"]) < a["min_lr"]  # the decay goes on below the plateau's floor
    # The Keras dialect floors every step instead, so it stays at min_lr (documented).
    keras_rop = S.ReduceOnPlateau(**kw, threshold=a["threshold"], dialect="keras")
    assert _stacked_rates(keras_rop, trace).min() == a["min_lr"]


def test_plateau_dialects_differ_on_the_recorded_metrics() -> None:
    # patience=2 with cooldown: PyTorch waits patience+1 bad metrics, Keras patience.
    trace = next(t for t in TRACES if t["class"] == "ReduceLROnPlateau")
    torch_rop = _plateau(trace)
    keras_rop = S.ReduceOnPlateau(**{**torch_rop.to_dict(), "dialect": "keras"})
    a = _plateau_rates(torch_rop, trace["metrics"], 0.1)
    b = _plateau_rates(keras_rop, trace["metrics"], 0.1)
    assert not np.allclose(a, b)


def test_dialects_are_needed_to_match() -> None:
    # The same schedule in the default dialect does not match the other framework's trace:
    # the dialect parameter is what makes the traces agree.
    cos = next(t for t in TRACES if t["class"] == "CosineAnnealingLR")
    default = S.parse(cos["gdlab"].replace(", dialect='torch'", ""))
    assert not np.allclose(default(np.arange(len(cos["values"]))), cos["values"])
    pc = next(t for t in TRACES if t["class"] == "PiecewiseConstantDecay")
    default = S.parse(pc["gdlab"].replace(", dialect='keras'", ""))
    assert not np.allclose(default(np.arange(len(pc["values"]))), pc["values"])
    oc = next(t for t in TRACES if t["class"] == "cosine_onecycle_schedule")
    default = S.parse(oc["gdlab"].replace(", dialect='optax'", ""))
    assert not np.allclose(default(np.arange(len(oc["values"]))), oc["values"])
    wc = next(t for t in TRACES if t["class"] == "CosineDecay" and "warmup_target" in t["args"])
    optax_style = S.parse(wc["gdlab"].replace(", dialect='keras'", ""))
    assert not np.allclose(optax_style(np.arange(len(wc["values"]))), wc["values"])


def test_a_chained_scheduler_is_a_product_of_one_rate_and_factors() -> None:
    # ChainedScheduler multiplies factors of the base rate: the base rate appears once.
    trace = next(t for t in TRACES if t["class"] == "ChainedScheduler")
    twice = S.parse(trace["gdlab"].replace("lr=1.0", "lr=0.1"))
    np.testing.assert_allclose(twice(np.arange(35)), np.array(trace["values"]) * 0.1, rtol=1e-12)
