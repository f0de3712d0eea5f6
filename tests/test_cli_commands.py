"""Every ``gdlab`` subcommand, run in-process through ``main(argv)``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import StandardScaler as SkStandardScaler

from gdlab.cli import main


@pytest.fixture
def data(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 2)) * [0.1, 10.0]
    y = X @ [200.0, -1.0] + 1.0 + 0.1 * rng.normal(size=120)
    path = tmp_path / "train.csv"
    pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "y": y}).to_csv(path, index=False)
    return path


def test_demo_writes_the_report_and_prints_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The CLI's wiring only: two fast sections (the full set is tested in test_report_*).
    assert main(["demo", "--out", str(tmp_path / "rep"), "--only", "formulas,outliers"]) == 0
    out, err = capsys.readouterr()
    assert "The formulas: min-max, z-score and sigmoid scaling" in out
    assert (tmp_path / "rep" / "index.html").resolve().as_uri() in out
    assert "[" in err and "2/2" in err  # the progress bar, on stderr
    page = (tmp_path / "rep" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="lesson-section"') == 2
    assert sorted(p.name for p in (tmp_path / "rep").iterdir()) == ["index.html"]


def test_scale_fit_and_apply_match_scikit_learn(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params, out, back = tmp_path / "p.json", tmp_path / "out.csv", tmp_path / "back.csv"
    assert (
        main(["scale", "fit", str(data), "--method", "zscore", "--exclude", "y", "-o", str(params)])
        == 0
    )
    assert json.loads(params.read_text())["feature_names_in"] == ["a", "b"]
    frame = pd.read_csv(data)
    frame.insert(0, "id", [f"row{i}" for i in range(len(frame))])  # passes through untouched
    new = tmp_path / "new.csv"
    frame.to_csv(new, index=False)
    assert main(["scale", "apply", str(params), str(new), "-o", str(out)]) == 0
    scaled = pd.read_csv(out)
    oracle = SkStandardScaler().fit_transform(frame[["a", "b"]])
    np.testing.assert_allclose(scaled[["a", "b"]].to_numpy(), oracle, rtol=1e-12, atol=1e-12)
    assert scaled["id"].tolist() == frame["id"].tolist()
    np.testing.assert_array_equal(scaled["y"], frame["y"])
    assert main(["scale", "apply", str(params), str(out), "-o", str(back), "--inverse"]) == 0
    np.testing.assert_allclose(pd.read_csv(back)[["a", "b"]], frame[["a", "b"]], rtol=1e-12)
    assert "saved to" in capsys.readouterr().out


def test_schedule_show_prints_the_closed_form_and_plots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plot = tmp_path / "lr.png"
    args = ["schedule", "show", "exponential(lr=0.2, gamma=0.95)", "--steps", "30"]
    assert main([*args, "--plot", str(plot)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split() for line in lines[3:] if line.strip() and line.split()[0].isdigit()]
    # 30 steps on a stride of 2, plus the last: 0, 2, ..., 28, 29.
    assert [int(r[0]) for r in rows] == [*range(0, 30, 2), 29]
    for step, lr in rows:
        assert float(lr) == pytest.approx(0.2 * 0.95 ** int(step), rel=1e-3)  # closed form
    assert plot.read_bytes().startswith(b"\x89PNG")


def test_schedule_show_evaluates_only_the_printed_steps(capsys: pytest.CaptureFixture[str]) -> None:
    # A horizon of 10**12 steps: the whole array would need 8 TB, the 21 printed rows do not.
    assert main(["schedule", "show", "cosine(lr=0.1, total_steps=1000000000000)"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [ln.replace(",", "").split() for ln in lines if ln.strip()[:1].isdigit()]
    assert len(rows) == 21 and int(rows[-1][0]) == 10**12 - 1
    assert float(rows[0][1]) == pytest.approx(0.1)  # cosine starts at lr


def test_compare_writes_table_figure_and_page(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cmp"
    argv = [
        "compare",
        str(data),
        "--target",
        "y",
        "--scalers",
        "none",
        "zscore",
        "--schedules",
        "0.1",
        "--batch-sizes",
        "full",
        "16",
        "--epochs",
        "20",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    table = pd.read_csv(out / "compare.csv")
    assert len(table) == 4
    zscore = table[table["scaler"] == "zscore"]
    assert zscore["reached"].all()
    # Raw x2 is recorded x 10, so lr 0.1 is far above 2 / L there: it diverges.
    assert (table[table["scaler"] == "none"]["status"] == "diverged").all()
    assert (out / "loss.png").read_bytes().startswith(b"\x89PNG")
    assert "data:image/png;base64," in (out / "index.html").read_text(encoding="utf-8")
    assert "zscore" in capsys.readouterr().out


def test_lr_find_reports_the_suggestion_of_the_analysis(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gdlab.analysis import lr_range_test
    from gdlab.analysis.compare import scaled_design
    from gdlab.models import LeastSquares

    assert main(["lr-find", str(data), "--target", "y", "--num-iter", "60"]) == 0
    out = capsys.readouterr().out
    frame = pd.read_csv(data)
    A = scaled_design(frame[["a", "b"]].to_numpy(), "zscore")
    expected = lr_range_test(LeastSquares(), A, frame["y"].to_numpy(), num_iter=60)
    assert f"suggested learning rate (steep rule): {expected.suggestion:.4g}" in out
    assert "2 / L" in out


@pytest.fixture
def classes(tmp_path: Path) -> Path:
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    path = tmp_path / "iris.csv"
    pd.DataFrame({**{f"x{j}": X[:, j] for j in range(4)}, "label": y}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("command", ["lr-find", "compare"])
def test_a_class_label_target_is_not_fitted_by_least_squares(
    command: str, classes: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Least squares on class ids 0, 1, 2 treats class 2 as "more" than class 1.
    extra = ["--out", str(tmp_path / "cmp"), "--epochs", "5"] if command == "compare" else []
    assert main([command, str(classes), "--target", "label", *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--model softmax" in err
    assert main([command, str(classes), "--target", "label", "--model", "softmax", *extra]) == 0
    out = capsys.readouterr().out
    assert ("Softmax on" in out) if command == "compare" else ("softmax L is a bound" in out)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compare", "missing.csv", "--target", "y"], "no such file"),
        (["compare", "{data}", "--target", "nope"], "no column 'nope'"),
        (["lr-find", "{text}", "--target", "y"], "not numeric"),
        (["schedule", "show", "cosine(lr=0.1"], "cannot read schedule"),
        (["schedule", "show", "cosine(lr=0.1, total_steps=10)", "--steps", "0"], "expected 1 to"),
        (["schedule", "show", "constant(0.1)", "--steps", "10000000", "--plot", "a.png"], "--plot"),
        (["compare", "{data}", "--target", "y", "--rtol", "0"], "--rtol must be in (0, 1]"),
        (["compare", "{data}", "--target", "y", "--out", "{data}"], "is not a folder"),
        (["demo", "--out", "{data}"], "is not a folder"),
        (["scale", "fit", "{data}", "--method", "bogus", "-o", "p.json"], "unknown --method"),
        (["scale", "fit", "{data}", "-o", "{data}"], "never writes over its inputs"),
        (["scale", "apply", "{bad_json}", "{data}", "-o", "o.csv"], "JSON"),
        (["compare", "{data}", "--target", "y", "--batch-sizes", "0"], "batch size"),
        (["compare", "{data}"], "--target"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str],
    message: str,
    data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    text = tmp_path / "text.csv"
    text.write_text("a,y\nx,1\nz,2\n")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json")
    before = data.read_bytes()
    paths = {"data": str(data), "text": str(text), "bad_json": str(bad_json)}
    assert main([a.format(**paths) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("gdlab")
    assert message in err and "Traceback" not in err
    assert data.read_bytes() == before


def test_compare_refuses_an_output_folder_holding_the_input(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = data.parent / "compare.csv"
    target.write_bytes(data.read_bytes())
    before = target.read_bytes()
    assert main(["compare", str(target), "--target", "y", "--out", str(data.parent)]) == 2
    assert "never writes over its inputs" in capsys.readouterr().err
    assert target.read_bytes() == before


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["demo", "compare", "lr-find", "scale", "schedule"]),
        (["demo"], ["--out", "--quick", "--only", "--set", "--lang"]),
        (
            ["compare"],
            ["--target", "--scalers", "--schedules", "--batch-sizes", "--methods", "--out"],
        ),
        (["lr-find"], ["--target", "--scaler", "--batch-size", "--rule"]),
        (["scale"], ["fit", "apply"]),
        (["scale", "fit"], ["--method", "--output", "--exclude"]),
        (["scale", "apply"], ["--inverse", "--output"]),
        (["schedule", "show"], ["--steps", "--plot"]),
    ],
)
def test_help_is_complete(
    argv: list[str], expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--help"]) == 0
    out = capsys.readouterr().out
    for word in expected:
        assert word in out


def test_lr_find_on_a_binary_target_calls_2_over_L_a_floor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Logistic curvature is bounded by X^T X / (4 m): the real stable limit can exceed 2 / L.
    x = np.random.default_rng(3).normal(size=60)
    path = tmp_path / "binary.csv"
    pd.DataFrame({"a": x, "y": (x > 0).astype(int)}).to_csv(path, index=False)
    assert main(["lr-find", str(path), "--target", "y"]) == 0
    assert "2 / L of the design (a floor: logistic L is a bound)" in capsys.readouterr().out
