"""Bad schedule input is refused at construction with a ValueError that says what was expected:
damaged dicts, counts and numbers past what the formulas can hold, missing arguments, and text
that Python itself would only warn about."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from gdlab import schedules as S


def _nested_dicts(depth: int) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "constant", "lr": 0.1}
    for _ in range(depth):
        data = {"type": "join", "schedules": [data], "boundaries": []}
    return data


def _nested_lists(depth: int) -> list[Any]:
    data: list[Any] = []
    for _ in range(depth):
        data = [data]
    return data


def test_from_dict_refuses_deep_nesting_before_python_runs_out_of_stack() -> None:
    with pytest.raises(ValueError, match="nested more than 50 levels"):
        S.from_dict(_nested_dicts(100_000))
    with pytest.raises(ValueError, match="nested more than 50 levels"):
        S.from_dict({"type": "join", "schedules": _nested_lists(100_000), "boundaries": []})
    # Honest nesting still loads.
    assert S.from_dict(_nested_dicts(10))(3) == 0.1


def test_from_dict_refuses_a_non_string_key() -> None:
    with pytest.raises(ValueError, match=r"argument names must be strings, got the key 1 \(int\)"):
        S.from_dict({"type": "constant", "lr": 0.1, 1: 2})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    "text",
    [
        "cosine(lr=0.1, total_steps=9223372036854775808)",
        "step(lr=0.1, step_size=99999999999999999999999)",
        "multistep(lr=0.1, milestones=[3, 18446744073709551616])",
        "exponential(lr=0.1, gamma=0.5, decay_steps=9007199254740993)",
    ],
)
def test_counts_past_2_to_the_53_are_refused_with_the_bound(text: str) -> None:
    with pytest.raises(ValueError, match=r"must be an int in \[\d, 2\*\*53 = 9007199254740992\]"):
        S.parse(text)


def test_the_largest_count_allowed_still_evaluates() -> None:
    s = S.cosine(lr=0.1, total_steps=2**53)
    assert s(0) == 0.1 and 0.0 < s(2**52) < 0.1


@pytest.mark.parametrize(
    "text", ["constant(lr=1" + "0" * 400 + ")", "exponential(lr=0.1, gamma=1" + "0" * 320 + ")"]
)
def test_numbers_too_big_for_a_float_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"must be in \(0, inf\)"):
        S.parse(text)


def test_a_step_past_int64_is_refused() -> None:
    with pytest.raises(ValueError, match="too large"):
        S.constant(0.1)(2**63)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cosine(lr=0.1)", r"cosine: missing required argument\(s\): total_steps, the horizon"),
        ("step(0.1)", r"step: missing required argument\(s\): step_size, the number of steps"),
        ("cyclic()", r"base_lr, the bottom of the cycle; max_lr, the peak rate"),
        ("one_cycle(max_lr=0.1)", r"missing the horizon; give total_steps .* or both epochs"),
    ],
)
def test_a_missing_argument_is_named_with_its_meaning(text: str, expected: str) -> None:
    with pytest.raises(ValueError, match=expected) as caught:
        S.parse(text)
    # Python's own wording ("__init__() missing 1 required positional argument") is gone.
    assert "__init__" not in str(caught.value) and "positional" not in str(caught.value)


def test_from_dict_names_a_missing_argument_too() -> None:
    with pytest.raises(ValueError, match=r"missing required argument.*total_steps, the horizon"):
        S.from_dict({"type": "cosine", "lr": 0.1})


@pytest.mark.parametrize("text", ["1or 2", "0x1for 3", "1if 2 else 3"])
def test_text_python_only_warns_about_is_a_clear_error_and_no_warning(text: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="cannot read schedule text"):
            S.parse(text)
    assert [str(w.message) for w in caught] == []


def test_one_cycle_takes_pytorchs_epochs_and_steps_per_epoch() -> None:
    s = S.one_cycle(max_lr=0.1, epochs=4, steps_per_epoch=6)
    assert s == S.one_cycle(max_lr=0.1, total_steps=24) and repr(s).count("total_steps=24") == 1
    with pytest.raises(ValueError, match="not both"):
        S.one_cycle(max_lr=0.1, total_steps=24, epochs=4, steps_per_epoch=6)
    with pytest.raises(ValueError, match="both epochs and steps_per_epoch"):
        S.one_cycle(max_lr=0.1, epochs=4)


def test_cycled_momentum_needs_a_cycle_and_momenta_in_0_1() -> None:
    with pytest.raises(TypeError, match="cyclic or one_cycle"):
        S.cycled_momentum(schedule=S.cosine(0.1, 10))
    with pytest.raises(ValueError, match=r"max_momentum must be in \[0, 1\)"):
        S.one_cycle(max_lr=0.1, total_steps=10).momentum(max_momentum=1.0)
    m = S.one_cycle(max_lr=0.1, total_steps=10).momentum()
    assert m.bounds == (0.85, 0.95) and m == S.parse(str(m))  # type: ignore[attr-defined]
    assert np.all((m(np.arange(30)) >= 0.85) & (m(np.arange(30)) <= 0.95))


def test_plateau_eps_and_the_rate_it_needs() -> None:
    rop = S.ReduceOnPlateau(factor=0.5, patience=0, min_lr=0.01)
    state = rop.update(rop.init(), 1.0, lr=0.1)
    with pytest.raises(TypeError, match=r"update\(state, metric, lr="):
        rop.update(state, 2.0)
    with pytest.raises(ValueError, match="Keras has none"):
        S.ReduceOnPlateau(eps=1e-8, dialect="keras")
    # Keras' dialect floors the applied rate and needs no rate to cut.
    keras = S.ReduceOnPlateau(factor=0.5, patience=0, min_lr=0.01, dialect="keras")
    assert keras.apply(keras.update(keras.update(keras.init(), 1.0), 2.0), 0.001) == 0.01


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        # optax returns a constant schedule for these; gdlab refuses them (README name table).
        (lambda: S.exponential(lr=0.1, gamma=0.9, decay_steps=0), "decay_steps must be an int"),
        (lambda: S.exponential(lr=0.1, gamma=0.0), r"gamma must be in \(0, inf\)"),
        (lambda: S.polynomial(lr=0.1, total_steps=0), "total_steps must be an int"),
        (lambda: S.linear(lr=0.1, end_lr=0.0, total_steps=0), "total_steps must be an int"),
        # optax silently uses 0 for a negative transition_begin.
        (lambda: S.exponential(lr=0.1, gamma=0.9, delay_steps=-1), "delay_steps must be an int"),
    ],
)
def test_degenerate_arguments_optax_turns_into_a_constant_are_refused(
    build: Any, expected: str
) -> None:
    with pytest.raises(ValueError, match=expected):
        build()
