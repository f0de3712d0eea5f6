"""ReduceOnPlateau: explicit immutable state, exact resume through to_dict/from_dict."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdlab import schedules as S


def _run(
    rop: S.ReduceOnPlateau, metrics: list[float], state: S.PlateauState | None = None
) -> tuple[S.PlateauState, list[float]]:
    state = rop.init() if state is None else state
    rates = []
    for m in metrics:
        state = rop.update(state, m, lr=0.1)
        rates.append(rop.apply(state, 0.1))
    return state, rates


def test_torch_waits_patience_plus_one_bad_metrics() -> None:
    rop = S.ReduceOnPlateau(factor=0.5, patience=2)
    _, rates = _run(rop, [1.0, 1.0, 1.0, 1.0, 1.0])
    assert rates == [0.1, 0.1, 0.1, 0.05, 0.05]


def test_keras_waits_patience_bad_metrics() -> None:
    rop = S.ReduceOnPlateau(factor=0.5, patience=2, dialect="keras")
    _, rates = _run(rop, [1.0, 1.0, 1.0, 1.0, 1.0])
    assert rates == [0.1, 0.1, 0.05, 0.05, 0.025]


def test_update_returns_a_new_state_and_leaves_the_input_alone() -> None:
    rop = S.ReduceOnPlateau(patience=0)
    s0 = rop.init()
    s1 = rop.update(s0, 1.0)
    s2 = rop.update(s1, 2.0)
    assert s0 == S.PlateauState() and s0.count == 0
    assert (s1.best, s1.count, s1.scale) == (1.0, 1, 1.0)
    assert (s2.best, s2.count, s2.scale) == (1.0, 2, 0.1)


def test_max_mode_cooldown_and_min_lr() -> None:
    rop = S.ReduceOnPlateau(mode="max", factor=0.1, patience=0, cooldown=2, min_lr=0.0005)
    state, rates = _run(rop, [0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4])
    # reduce at the first bad metric, then 2 ignored (cooldown), reduce, ... floor at min_lr
    assert rates == pytest.approx([0.1, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.0005])
    assert state.best == 0.5


def test_nan_metric_never_improves() -> None:
    rop = S.ReduceOnPlateau(patience=0)
    state = rop.update(rop.update(rop.init(), 1.0), math.nan)
    assert state.scale == 0.1 and state.best == 1.0


def test_apply_multiplies_any_schedule() -> None:
    rop = S.ReduceOnPlateau(factor=0.5, patience=0)
    state = rop.update(rop.update(rop.init(), 1.0), 1.0)
    sched = S.cosine(lr=0.2, total_steps=10)
    assert rop.apply(state, sched(5)) == 0.5 * sched(5)


metric_lists = st.lists(
    st.floats(min_value=0.0, max_value=2.0, allow_nan=False), min_size=2, max_size=40
)


@settings(max_examples=60, deadline=None)
@given(
    metrics=metric_lists,
    split=st.integers(min_value=0, max_value=40),
    patience=st.integers(0, 3),
    cooldown=st.integers(0, 2),
    dialect=st.sampled_from(["torch", "keras"]),
    mode=st.sampled_from(["min", "max"]),
)
def test_resume_after_a_dict_round_trip_equals_one_run(
    metrics: list[float], split: int, patience: int, cooldown: int, dialect: str, mode: str
) -> None:
    rop = S.ReduceOnPlateau(
        mode=mode, factor=0.5, patience=patience, cooldown=cooldown, dialect=dialect
    )
    split = min(split, len(metrics))
    whole_state, whole = _run(rop, metrics)
    state, first = _run(rop, metrics[:split])
    saved = json.dumps({"rop": rop.to_dict(), "state": state.to_dict()})
    loaded = json.loads(saved)
    rop2 = S.ReduceOnPlateau.from_dict(loaded["rop"])
    end_state, second = _run(rop2, metrics[split:], S.PlateauState.from_dict(loaded["state"]))
    assert rop2 == rop
    assert first + second == whole
    assert end_state == whole_state


def test_state_dict_writes_infinite_best_as_text() -> None:
    d = S.ReduceOnPlateau(mode="max").init().to_dict()
    assert d["best"] == "-inf"
    assert json.loads(json.dumps(d)) == d
    assert S.PlateauState.from_dict(d).best == -math.inf


def test_bad_dicts_and_states_are_refused() -> None:
    with pytest.raises(ValueError, match="expects a dict with keys"):
        S.PlateauState.from_dict({"scale": 1.0})
    with pytest.raises(ValueError, match="unknown key"):
        S.ReduceOnPlateau.from_dict({"patience": 2, "bogus": 1})
    with pytest.raises(TypeError, match="PlateauState"):
        S.ReduceOnPlateau().update({"scale": 1.0}, 0.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("lr", [math.nan, math.inf, -0.1, -math.inf])
def test_update_refuses_a_rate_that_is_not_finite_and_non_negative(lr: float) -> None:
    # NaN made every later rate NaN; a negative rate silently skipped the cut.
    rop = S.ReduceOnPlateau(patience=0, min_lr=0.001)
    state = rop.update(rop.init(), 1.0, lr=0.1)
    with pytest.raises(ValueError, match=r"update: lr must be a finite number >= 0 .*got"):
        rop.update(state, 2.0, lr=lr)
    with pytest.raises(TypeError, match="update: lr must be a number"):
        rop.update(state, 2.0, lr="0.1")  # type: ignore[arg-type]


def test_update_takes_a_rate_of_zero_which_no_cut_can_lower() -> None:
    # A cosine decays to exactly 0 at its horizon, and descend passes that rate on.
    rop = S.ReduceOnPlateau(patience=0, min_lr=0.001)
    state = rop.update(rop.update(rop.init(), 1.0, lr=0.1), 2.0, lr=0.0)
    assert state.scale == 1.0 and state.num_bad == 0  # PyTorch: 0 - min_lr <= eps, no cut


@pytest.mark.parametrize("metric", [None, "0.5", True, 1 + 2j, [0.5], np.array([0.5, 0.4])])
def test_update_refuses_a_metric_that_is_not_a_real_number(metric: object) -> None:
    rop = S.ReduceOnPlateau(min_lr=0.001)
    with pytest.raises(TypeError, match="update: metric must be a real number"):
        rop.update(rop.init(), metric, lr=0.1)  # type: ignore[arg-type]


def test_update_takes_numpy_scalars_and_infinite_metrics() -> None:
    rop = S.ReduceOnPlateau(patience=0)
    state = rop.update(rop.init(), np.float32(0.5))
    assert state.best == 0.5
    assert rop.update(state, np.array(0.25)).best == 0.25
    assert rop.update(state, math.inf).scale == 0.1  # a diverged loss is a bad metric


def test_repr_shows_the_configuration() -> None:
    text = repr(S.ReduceOnPlateau(patience=3))
    assert text.startswith("ReduceOnPlateau(mode='min', factor=0.1, patience=3,")


def test_descend_lets_a_decay_under_the_torch_controller_go_below_min_lr() -> None:
    # The controller's rule is checked against PyTorch in test_schedules_traces.py; here the
    # engine must apply it the same way: epoch e runs at apply(state, s(e)), and the epoch's
    # loss then cuts the rate of epoch e + 1.
    import numpy as np

    from gdlab.models import LeastSquares
    from gdlab.optim import descend

    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=(80, 2)), np.ones(80)]
    y = X @ [1.0, -1.0, 0.5] + rng.normal(size=80)  # noisy: the loss soon stops improving
    sched = S.exponential(lr=0.1, gamma=0.8)
    rop = S.ReduceOnPlateau(factor=0.5, patience=0, threshold=0.05, min_lr=0.02)
    run = descend(LeastSquares(), X, y, lr=sched, epochs=15, batch_size=10, seed=0, plateau=rop)
    state, expected = rop.init(), []
    for e in range(15):
        expected.append(rop.apply(state, sched(e)))
        state = rop.update(state, float(run.loss[e + 1]), lr=sched(e + 1))
    np.testing.assert_allclose(run.lr[1:], expected, rtol=1e-15)
    assert run.lr[-1] < 0.02 < max(run.lr[1:])
    assert state.scale < 1.0  # the controller did cut
