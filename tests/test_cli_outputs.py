"""What the ``gdlab`` commands write: all of it or none of it, and figures a reader can use."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import gdlab.report
from gdlab.cli import main


@pytest.fixture
def data(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 2)) * [0.1, 10.0]
    y = X @ [200.0, -1.0] + 1.0 + 0.1 * rng.normal(size=120)
    path = tmp_path / "train.csv"
    pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "y": y}).to_csv(path, index=False)
    return path


def _compare(data: Path, out: Path, *extra: str) -> list[str]:
    return [
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
        "--epochs",
        "10",
        "--out",
        str(out),
        *extra,
    ]


def test_a_compare_that_fails_while_writing_leaves_no_outputs(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    parent = tmp_path / "results"
    parent.mkdir()
    out = parent / "cmp"

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError("No space left on device")

    # compare.csv and loss.png are written before the page: the page is the last to fail.
    monkeypatch.setattr(gdlab.report, "write_report", full_disk)
    assert main(_compare(data, out)) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert list(parent.iterdir()) == []  # neither outputs nor hidden temporaries

    monkeypatch.undo()
    assert main(_compare(data, out)) == 0
    assert sorted(p.name for p in parent.iterdir()) == ["cmp"]
    assert sorted(p.name for p in out.iterdir()) == ["compare.csv", "index.html", "loss.png"]


def test_compare_tabulates_the_gap_to_the_least_squares_optimum(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sklearn.linear_model import LinearRegression

    out = tmp_path / "cmp"
    assert main(_compare(data, out)) == 0
    assert "gap to optimum" in capsys.readouterr().out.splitlines()[1]
    frame = pd.read_csv(data)
    X, y = frame[["a", "b"]].to_numpy(), frame["y"].to_numpy()
    # Any invertible affine scaling (with an intercept) has the same least-squares optimum.
    best = float(np.mean((y - LinearRegression().fit(X, y).predict(X)) ** 2))
    table = pd.read_csv(out / "compare.csv")
    np.testing.assert_allclose(table["gap"], table["final_loss"] - best, rtol=1e-9, atol=1e-9)
    assert (table["gap"] >= -1e-9).all()  # no run ends below the optimum


def test_compare_and_lr_find_leave_out_excluded_columns(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = pd.read_csv(data)
    labelled = tmp_path / "labelled.csv"
    frame.assign(id=[f"r{i}" for i in range(len(frame))], note="x").to_csv(labelled, index=False)
    assert main(_compare(labelled, tmp_path / "a")) == 2
    assert "leave it out with --exclude id" in capsys.readouterr().err
    assert main(_compare(labelled, tmp_path / "a", "--exclude", "id", "note")) == 0
    assert main(_compare(data, tmp_path / "b")) == 0
    with_ids = pd.read_csv(tmp_path / "a" / "compare.csv")
    plain = pd.read_csv(tmp_path / "b" / "compare.csv")
    np.testing.assert_array_equal(with_ids["final_loss"], plain["final_loss"])

    capsys.readouterr()
    base = ["lr-find", "--target", "y", "--num-iter", "60"]
    assert main([*base[:1], str(labelled), *base[1:], "--exclude", "id", "note"]) == 0
    excluded = capsys.readouterr().out
    assert main([*base[:1], str(data), *base[1:]]) == 0
    assert capsys.readouterr().out.replace(str(data), "") == excluded.replace(str(labelled), "")


def test_lr_find_says_it_scaled_and_gives_2_over_L_of_the_data_as_given(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plot = tmp_path / "lr.png"
    assert main(["lr-find", str(data), "--target", "y", "--plot", str(plot)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("features scaled with zscore first")
    assert "for the zscore-scaled features" in out
    # Closed form: least squares' Hessian is 2 A^T A / m, so 2 / L = m / lambda_max(A^T A),
    # on the raw design with its ones column.
    X = pd.read_csv(data)[["a", "b"]].to_numpy()
    A = np.c_[X, np.ones(len(X))]
    raw_limit = len(A) / np.linalg.eigvalsh(A.T @ A)[-1]
    line = next(ln for ln in out.splitlines() if ln.startswith("on the data as given"))
    assert f"2 / L = {raw_limit:.4g}" in line
    # The same fraction of the raw limit as the suggestion is of the scaled design's limit.
    suggestion = float(out.split("(steep rule): ")[1].split(",")[0])
    scaled_limit = float(out.split("2 / L of the design: ")[1].split()[0])
    expected = suggestion / scaled_limit * raw_limit
    assert float(line.rsplit(" ", 1)[1]) == pytest.approx(expected, rel=2e-3)
    assert plot.read_bytes().startswith(b"\x89PNG")


def test_schedule_show_prints_several_schedules_side_by_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plot = tmp_path / "lr.png"
    argv = ["schedule", "show", "exponential(lr=0.2, gamma=0.9)", "cosine(lr=0.1, total_steps=41)"]
    assert main([*argv, "--plot", str(plot)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [
        "lr 1: exponential(lr=0.2, gamma=0.9)",
        "lr 2: cosine(lr=0.1, total_steps=41)",
    ]
    rows = [ln.split() for ln in lines if ln.strip()[:1].isdigit()]
    assert [int(r[0]) for r in rows] == list(range(0, 41, 2))  # the longer horizon, 41 steps
    for step, first, second in rows:
        t = int(step)
        assert float(first) == pytest.approx(0.2 * 0.9**t, rel=1e-3)
        assert float(second) == pytest.approx(
            0.05 * (1 + np.cos(np.pi * t / 41)), abs=1e-6, rel=1e-3
        )
    assert plot.read_bytes().startswith(b"\x89PNG")


def test_compare_refuses_an_output_name_held_by_a_folder_and_keeps_it(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cmp"
    (out / "index.html").mkdir(parents=True)
    (out / "index.html" / "notes.txt").write_text("mine")
    assert main(_compare(data, out)) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "index.html: is a folder, not a file gdlab can replace" in err
    assert (out / "index.html" / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]  # nothing else written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cmp", "train.csv"]


def test_single_file_outputs_held_by_a_folder_or_a_link_are_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params = tmp_path / "p.json"
    assert main(["scale", "fit", str(data), "-o", str(params)]) == 0
    held = tmp_path / "held"
    held.mkdir()
    (held / "notes.txt").write_text("mine")
    link = tmp_path / "link.png"
    link.symlink_to(data)
    commands = [
        ["scale", "fit", str(data), "-o", str(held)],
        ["scale", "apply", str(params), str(data), "-o", str(held)],
        ["lr-find", str(data), "--target", "y", "--plot", str(held)],
        ["schedule", "show", "constant(0.1)", "--plot", str(link)],
    ]
    capsys.readouterr()
    for argv in commands:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "not a file gdlab can replace" in err
    assert (held / "notes.txt").read_text() == "mine" and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["held", "link.png", "p.json", "train.csv"]
