"""gdlab against golden traces recorded from the real PyTorch and Keras schedulers.

The fixture tests/data/schedule_traces.json was written by tools/record_schedule_traces.py, which
drives torch.optim.lr_scheduler with a real optimizer, calls Keras' LearningRateSchedule objects
and optax's schedule functions (versions are stored in the file). No framework is needed here.
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
        state = rop.update(state, m)
        rates.append(rop.apply(state, lr))
    return np.array(rates)


def test_fixture_records_versions_and_both_frameworks() -> None:
    assert DATA["versions"]["torch"].startswith("2.13.0")
    assert DATA["versions"]["keras"].startswith("3.")
    assert DATA["versions"]["optax"]
    assert {t["framework"] for t in TRACES} == {"torch", "keras", "optax"}


@pytest.mark.parametrize("trace", [t for t in TRACES if t["class"] != "ReduceLROnPlateau"], ids=_id)
def test_schedule_matches_trace(trace: dict[str, Any]) -> None:
    expected = np.array(trace["values"])
    got = S.parse(trace["gdlab"])(np.arange(len(expected)))
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0)


@pytest.mark.parametrize("trace", [t for t in TRACES if t["class"] == "ReduceLROnPlateau"], ids=_id)
def test_reduce_on_plateau_matches_trace(trace: dict[str, Any]) -> None:
    expected = np.array(trace["values"])
    got = _plateau_rates(_plateau(trace), trace["metrics"], trace["base_lr"])
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0)
    assert len(set(trace["values"])) > 1  # the trace does reduce: the test can fail


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
