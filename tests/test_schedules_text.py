"""The text form: parse reads literals and registered schedule names only, never evaluates code."""

from __future__ import annotations

import math

import pytest

from gdlab import schedules as S


def test_parse_keyword_positional_and_nested() -> None:
    assert S.parse("cosine(lr=0.1, total_steps=100)") == S.cosine(lr=0.1, total_steps=100)
    assert S.parse("exponential(0.2, 0.95)") == S.exponential(lr=0.2, gamma=0.95)
    nested = S.parse("warmup(cosine(1.0, 10), steps=3, start=1e-3)")
    assert nested == S.warmup(S.cosine(1.0, 10), 3, start=0.001)
    joined = S.parse("join([constant(0.1), step(0.1, 2)], boundaries=[5])")
    assert joined == S.join((S.constant(0.1), S.step(0.1, 2)), (5,))


def test_bare_number_is_a_constant() -> None:
    assert S.parse(" 0.05 ") == S.constant(0.05)
    assert S.parse("+1") == S.constant(1.0)


def test_floats_round_trip_exactly() -> None:
    lr = 0.1 + 0.2  # 0.30000000000000004: the text must keep every bit
    back = S.parse(str(S.constant(lr)))
    assert isinstance(back, S.constant) and back.lr == lr
    tiny = S.parse(str(S.cosine(lr=1.0, total_steps=3, min_lr=1e-300)))
    assert tiny.min_lr == 1e-300  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('x')",
        "exponential(lr=__import__('os').getpid(), gamma=0.9)",
        "constant(lr=(lambda: 1)())",
        "constant(lr=1 + 1)",
        "open('/etc/passwd')",
        "constant.__class__",
        "constant(**{'lr': 1})",
        "[constant(1)][0]",
    ],
)
def test_parse_never_evaluates_code(text: str) -> None:
    with pytest.raises(ValueError, match=r"not allowed|not a schedule call"):
        S.parse(text)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("cosine(lr=0.1", "cannot read schedule text"),
        ("cosine(lr=0.1)", "total_steps"),
        ("cosine(lr=0.1, total_steps=10, warmup=3)", r"unknown argument\(s\) \['warmup'\]"),
        ("cosine(0.1, 10, lr=0.2)", "given twice"),
        ("nosuch(lr=1)", "unknown schedule"),
        ("cosine(lr=-0.1, total_steps=10)", r"lr must be in \(0, inf\), got -0.1"),
        ("'cosine'", "not a schedule call"),
        ("constant(lr=True)", "lr must be a number, got bool"),
        ("step(lr=0.1, step_size=2.5)", "step_size must be an int"),
        ("join(constant(1.0), boundaries=[])", "schedules must be a list"),
        ("[" * 500 + "]" * 500, "cannot read schedule text"),
        ("x" * 20_000, "at most"),
        # Found: MemoryError / RecursionError escaped for thousands of nested signs.
        ("-" * 9000 + "1", "nested too deeply"),
        ("constant(lr=" + "+" * 3000 + "0.1)", "nested too deeply"),
    ],
)
def test_malformed_text_names_the_problem(text: str, pattern: str) -> None:
    with pytest.raises(ValueError, match=pattern):
        S.parse(text)


def test_inf_is_a_name_but_nan_and_inf_are_rejected_where_finite_is_needed() -> None:
    with pytest.raises(ValueError, match="lr must be in"):
        S.parse("constant(lr=inf)")
    with pytest.raises(ValueError, match="lr must be in"):
        S.parse("constant(lr=nan)")
    assert math.isinf(S.PlateauState().best)


def test_parse_needs_a_string() -> None:
    with pytest.raises(TypeError, match="str"):
        S.parse(0.1)  # type: ignore[arg-type]


def test_from_dict_errors_name_what_is_expected() -> None:
    with pytest.raises(ValueError, match="'type' key"):
        S.from_dict({"lr": 0.1})
    with pytest.raises(ValueError, match="unknown schedule 'nosuch'"):
        S.from_dict({"type": "nosuch"})
    with pytest.raises(ValueError, match="valid arguments"):
        S.from_dict({"type": "constant", "lr": 0.1, "gamma": 2})
