"""What ``gdlab`` refuses: one line on stderr and exit code 2, never a traceback or a warning."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gdlab.cli import main
from gdlab.cli import schedule as schedule_command


@pytest.fixture
def data(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    path = tmp_path / "train.csv"
    pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "y": X @ [1.0, 2.0]}).to_csv(path, index=False)
    return path


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``argv`` with warnings recorded; check the one-line refusal and return it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("gdlab "), err
    assert "Traceback" not in err
    assert [str(w.message) for w in caught] == []  # nothing but the one line
    return err


def test_a_deeply_nested_scaler_file_is_one_line(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000)
    err = _refused(
        ["scale", "apply", str(nested), str(data), "-o", str(tmp_path / "o.csv")], capsys
    )
    assert "RecursionError" not in err and "recursion depth" not in err
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (OverflowError("Python int too large to convert to C long"), "too large"),
        (FloatingPointError("overflow encountered"), "too large"),
        (MemoryError(), "not enough memory"),
        (ValueError("need a positive count\nsecond line"), "need a positive count"),
    ],
)
def test_errors_from_deep_inside_become_one_line(
    error: Exception,
    words: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def failing(args: object) -> int:
        raise error

    monkeypatch.setattr(schedule_command, "run", failing)
    err = _refused(["schedule", "show", "0.1"], capsys)
    assert words in err and "second line" not in err


def test_a_fault_of_gdlab_itself_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise AttributeError("'NoneType' object has no attribute 'shape'")

    monkeypatch.setattr(schedule_command, "run", broken)
    assert main(["schedule", "show", "0.1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (AttributeError" in err
    monkeypatch.setenv("GDLAB_DEBUG", "1")
    with pytest.raises(AttributeError):
        main(["schedule", "show", "0.1"])


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--num-iter", "100000000"], "--num-iter must be from 5 to 100,000"),
        (["--num-iter", "2"], "--num-iter must be from 5 to 100,000"),
        (["--start-lr", "1e-320"], "--start-lr must be in [1e-299, 10)"),
        (["--start-lr", "20"], "--start-lr must be in [1e-299, 10)"),
        (["--start-lr", "nan"], "--start-lr must be in"),
        (["--end-lr", "inf"], "--end-lr must be a positive finite number, got inf"),
        (["--end-lr", "0"], "--end-lr must be a positive finite number"),
        (["--plot", "{data}"], "never writes over its inputs"),
    ],
)
def test_lr_find_names_the_wrong_option_and_its_range(
    extra: list[str], message: str, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["lr-find", str(data), "--target", "y", *(a.format(data=data) for a in extra)]
    err = _refused(argv, capsys)
    assert message in err and "gamma" not in err


def test_lr_find_on_values_near_the_float_limit_prints_no_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("a,b,y\n1e308,1,2\n-1e308,2,3\n1e308,3,1\n5e307,4,5\n")
    for scaler in ("minmax", "none"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            code = main(["lr-find", str(path), "--target", "y", "--scaler", scaler])
        err = capsys.readouterr().err
        assert code in (0, 2)
        assert [str(w.message) for w in caught] == []
        assert "Traceback" not in err and "RuntimeWarning" not in err


def test_a_parser_warning_does_not_reach_the_user(capsys: pytest.CaptureFixture[str]) -> None:
    # Python's tokenizer warns about "1or" (invalid decimal literal) before gdlab refuses it.
    err = _refused(["schedule", "show", "1or 2"], capsys)
    assert "SyntaxWarning" not in err and "cannot read schedule" in err


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ("100000000000000000000000", "expected 1 to 2^53 = 9,007,199,254,740,992 steps"),
        ("0", "expected 1 to 2^53"),
        ("2.5", "expected a whole number"),
        ("10^23", "expected a whole number"),
    ],
)
def test_schedule_show_bounds_the_steps_with_a_clear_message(
    steps: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(["schedule", "show", "constant(0.1)", "--steps", steps], capsys)
    assert message in err and "array(" not in err


def test_schedule_show_accepts_a_count_written_as_a_float(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schedule", "show", "constant(0.1)", "--steps", "1e6"]) == 0
    rows = [ln.replace(",", "").split() for ln in capsys.readouterr().out.splitlines()]
    assert [r for r in rows if r and r[0].isdigit()][-1] == ["999999", "0.1"]


def test_a_huge_count_inside_a_schedule_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(["schedule", "show", "step(lr=0.1, step_size=99999999999999999999999)"], capsys)
    assert "OverflowError" not in err


def test_scale_fit_suggests_exclude_for_a_text_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("city,a,b\nParis,1,2\nLyon,2,5\nNice,3,4\n")
    out = tmp_path / "p.json"
    err = _refused(["scale", "fit", str(path), "-o", str(out)], capsys)
    assert "column 'city' is not numeric (e.g. 'Paris')" in err
    assert "--exclude city" in err
    assert main(["scale", "fit", str(path), "--exclude", "city", "-o", str(out)]) == 0
    # A column asked for by name cannot be left out: no --exclude hint then.
    err = _refused(["scale", "fit", str(path), "--columns", "city", "a", "-o", str(out)], capsys)
    assert "--exclude" not in err


def test_a_text_target_is_not_told_to_exclude_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("a,label\n1,yes\n2,no\n3,yes\n")
    err = _refused(["lr-find", str(path), "--target", "label"], capsys)
    assert "the target must be numbers" in err and "--exclude" not in err
    err = _refused(["lr-find", str(path), "--target", "label", "--exclude", "label"], capsys)
    assert "also in --exclude" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--epochs", "1000000000"], "--epochs must be from 1 to 100,000, got 1,000,000,000"),
        (["--seed", "-1"], "--seed: expected a whole number from 0 to 2^64 - 1, got '-1'"),
        (["--seed", str(2**64)], "--seed: expected a whole number from 0 to 2^64 - 1"),
        (["--schedules", "1e400"], "a learning rate must be a positive finite number"),
        (["--schedules", "0"], "a learning rate must be a positive finite number, got '0'"),
    ],
)
def test_compare_bounds_its_counts_and_rates_by_option(
    extra: list[str], message: str, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cmp"
    err = _refused(["compare", str(data), "--target", "y", "--out", str(out), *extra], capsys)
    assert message in err and "constant:" not in err
    assert not out.exists()


def test_the_command_line_states_the_libraries_own_bounds() -> None:
    # The CLI repeats them so that `gdlab --help` loads no engine; they must not drift apart.
    from gdlab.analysis import lr_finder
    from gdlab.cli import lr_find
    from gdlab.schedules.params import MAX_COUNT

    assert (lr_find._MIN_NUM_ITER, lr_find._MAX_NUM_ITER, lr_find._MAX_SPAN) == (
        lr_finder.MIN_NUM_ITER,
        lr_finder.MAX_NUM_ITER,
        lr_finder.MAX_SPAN,
    )
    assert schedule_command.MAX_STEPS == MAX_COUNT


def test_no_warning_from_inside_a_command_reaches_the_user(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Whatever a command computes, NumPy's floating-point warnings and Python's
    # SyntaxWarnings never reach the terminal: the command's own verdict is the message.
    def noisy(args: object) -> int:
        big = np.array([1e308])
        print(float((big * 10)[0]), float((big - big * 10)[0] / 0.0))
        warnings.warn_explicit("invalid decimal literal", SyntaxWarning, "<schedule>", 1)
        return 0

    monkeypatch.setattr(schedule_command, "run", noisy)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(all="warn"):
            assert main(["schedule", "show", "0.1"]) == 0
    assert [str(w.message) for w in caught] == []
    assert capsys.readouterr().err == ""
