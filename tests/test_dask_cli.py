"""``gdlab scale fit`` / ``apply`` on folders of Parquet and CSV parts, read through Dask.

Oracle: scikit-learn's StandardScaler and MinMaxScaler on all the rows in memory.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import MinMaxScaler as SkMinMaxScaler
from sklearn.preprocessing import StandardScaler as SkStandardScaler

pytest.importorskip("dask.dataframe")
pytest.importorskip("pyarrow")

from gdlab.cli import main


def _frame(n: int = 900, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(n)],
            "a": rng.normal(size=n) * 0.1,
            "b": rng.normal(size=n) * 10.0 + 3.0,
            "y": rng.normal(size=n),
        }
    )


def _parts(folder: Path, frame: pd.DataFrame, kind: str, n_parts: int = 3) -> Path:
    folder.mkdir()
    for i, part in enumerate(np.array_split(np.arange(len(frame)), n_parts)):
        chunk = frame.iloc[part]
        if kind == "parquet":
            chunk.to_parquet(folder / f"part{i}.parquet", index=False)
        else:
            chunk.to_csv(folder / f"part{i}.csv", index=False)
    return folder


def _read(folder: Path, kind: str) -> pd.DataFrame:
    files = sorted(folder.glob(f"*.{kind}"))
    assert files, f"no .{kind} parts in {folder}"
    read = pd.read_parquet if kind == "parquet" else pd.read_csv
    return pd.concat([read(f) for f in files], ignore_index=True)


@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_fit_and_apply_a_folder_of_parts(tmp_path, capsys, kind):
    frame = _frame()
    data = _parts(tmp_path / "train", frame, kind)
    params, out, back = tmp_path / "p.json", tmp_path / "out", tmp_path / "back"
    argv = ["scale", "fit", str(data), "--exclude", "id", "y", "-o", str(params)]
    assert main(argv) == 0
    assert f"fitted on 900 rows of a, b (3 {kind} partitions)" in capsys.readouterr().out
    saved = json.loads(params.read_text())
    oracle = SkStandardScaler().fit(frame[["a", "b"]])
    np.testing.assert_allclose(saved["attributes"]["mean_"], oracle.mean_, rtol=1e-12)
    np.testing.assert_allclose(saved["attributes"]["var_"], oracle.var_, rtol=1e-12)
    assert main(["scale", "apply", str(params), str(data), "-o", str(out)]) == 0
    scaled = _read(out, kind)
    assert list(scaled.columns) == ["id", "a", "b", "y"]
    assert scaled["id"].tolist() == frame["id"].tolist()
    np.testing.assert_allclose(
        scaled[["a", "b"]].to_numpy(), oracle.transform(frame[["a", "b"]]), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_array_equal(scaled["y"], frame["y"])
    assert main(["scale", "apply", str(params), str(out), "-o", str(back), "--inverse"]) == 0
    np.testing.assert_allclose(_read(back, kind)[["a", "b"]], frame[["a", "b"]], rtol=1e-10)


def test_dask_flag_reads_one_csv_file_and_other_methods(tmp_path, capsys):
    frame = _frame()
    path = tmp_path / "train.csv"
    frame.to_csv(path, index=False)
    params = tmp_path / "p.json"
    argv = ["scale", "fit", str(path), "--dask", "--method", "minmax", "--columns", "b"]
    assert main([*argv, "-o", str(params)]) == 0
    saved = json.loads(params.read_text())["attributes"]
    oracle = SkMinMaxScaler().fit(frame[["b"]])
    np.testing.assert_allclose(saved["data_min_"], oracle.data_min_, rtol=1e-15)
    np.testing.assert_allclose(saved["data_max_"], oracle.data_max_, rtol=1e-15)


def test_refusals_are_one_line_and_exit_2(tmp_path, capsys):
    frame = _frame()
    data = _parts(tmp_path / "train", frame, "csv")
    params = tmp_path / "p.json"
    # a text column that is not excluded
    assert main(["scale", "fit", str(data), "-o", str(params)]) == 2
    err = capsys.readouterr().err
    assert "column 'id' is not numeric" in err and "--exclude id" in err
    assert len(err.strip().splitlines()) == 1 and not params.exists()
    # a gap in one part, found while that part is read
    gappy = frame.copy()
    gappy.loc[700, "a"] = np.nan
    data2 = _parts(tmp_path / "gappy", gappy, "csv")
    assert main(["scale", "fit", str(data2), "--exclude", "id", "-o", str(params)]) == 2
    assert "column 'a' has missing values" in capsys.readouterr().err
    # an empty folder, a mixed one
    (tmp_path / "empty").mkdir()
    assert main(["scale", "fit", str(tmp_path / "empty"), "-o", str(params)]) == 2
    assert "no .parquet or .csv files" in capsys.readouterr().err
    frame.to_parquet(data / "extra.parquet")
    assert main(["scale", "fit", str(data), "--exclude", "id", "-o", str(params)]) == 2
    assert "both .parquet and .csv" in capsys.readouterr().err


def test_failed_apply_leaves_no_partial_output(tmp_path, capsys):
    frame = _frame()
    data = _parts(tmp_path / "train", frame, "csv")
    params, out = tmp_path / "p.json", tmp_path / "out"
    assert main(["scale", "fit", str(data), "--exclude", "id", "y", "-o", str(params)]) == 0
    gappy = frame.copy()
    gappy.loc[850, "b"] = np.inf  # in the last part: earlier parts are already written
    new = _parts(tmp_path / "new", gappy, "csv")
    assert main(["scale", "apply", str(params), str(new), "-o", str(out)]) == 2
    assert "column 'b' has inf" in capsys.readouterr().err
    assert not out.exists()


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    return err


def test_csv_parts_whose_header_differs_are_refused_by_name(tmp_path, capsys):
    frame = _frame()
    good, params = _parts(tmp_path / "good", frame, "csv"), tmp_path / "p.json"
    assert main(["scale", "fit", str(good), "--exclude", "id", "y", "-o", str(params)]) == 0
    for name, change in [
        ("reordered", lambda f: f[["id", "b", "a", "y"]]),  # was read by position: wrong means
        ("renamed", lambda f: f.rename(columns={"a": "A"})),
        ("missing", lambda f: f.drop(columns="b")),
        ("extra", lambda f: f.assign(z=1.0)),
    ]:
        data = _parts(tmp_path / name, frame, "csv")
        change(pd.read_csv(data / "part2.csv")).to_csv(data / "part2.csv", index=False)
        refit, out = tmp_path / f"{name}.json", tmp_path / f"{name}-out"
        capsys.readouterr()
        for argv in (
            ["scale", "fit", str(data), "--exclude", "id", "y", "-o", str(refit)],
            ["scale", "apply", str(params), str(data), "-o", str(out)],
        ):
            assert main(argv) == 2, (name, argv)
            err = _one_line(capsys)
            assert f"{data / 'part2.csv'}: its header (" in err, err
            assert "differs from that of part0.csv (id, a, b, y)" in err, err
        assert not refit.exists() and not out.exists()


def test_parquet_parts_are_matched_by_name_and_must_hold_the_same_columns(tmp_path, capsys):
    frame = _frame()
    data = _parts(tmp_path / "train", frame, "parquet")
    part2 = pd.read_parquet(data / "part2.parquet")
    part2[["y", "b", "id", "a"]].to_parquet(data / "part2.parquet", index=False)
    params, out = tmp_path / "p.json", tmp_path / "out"
    assert main(["scale", "fit", str(data), "--exclude", "id", "y", "-o", str(params)]) == 0
    oracle = SkStandardScaler().fit(frame[["a", "b"]])
    saved = json.loads(params.read_text())["attributes"]
    np.testing.assert_allclose(saved["mean_"], oracle.mean_, rtol=1e-12)
    np.testing.assert_allclose(saved["var_"], oracle.var_, rtol=1e-12)
    assert main(["scale", "apply", str(params), str(data), "-o", str(out)]) == 0
    scaled = _read(out, "parquet")
    np.testing.assert_allclose(
        scaled[["a", "b"]].to_numpy(), oracle.transform(frame[["a", "b"]]), rtol=1e-12, atol=1e-12
    )
    capsys.readouterr()

    for name, change, message in [
        ("missing", lambda f: f.drop(columns="b"), "lacks 'b', unlike part0.parquet"),
        ("extra", lambda f: f.assign(z=1.0), "has 'z' too, unlike part0.parquet"),
        ("text", lambda f: f.assign(a=f["a"].astype(str)), "column 'a' is not numeric"),
    ]:
        bad = _parts(tmp_path / name, frame, "parquet")
        change(pd.read_parquet(bad / "part1.parquet")).to_parquet(bad / "part1.parquet")
        assert main(["scale", "fit", str(bad), "--exclude", "id", "y", "-o", str(params)]) == 2
        err = _one_line(capsys)
        assert f"{bad / 'part1.parquet'}: " in err and message in err, err


def test_a_truncated_parquet_part_is_named(tmp_path, capsys):
    data = _parts(tmp_path / "train", _frame(), "parquet")
    whole = (data / "part1.parquet").read_bytes()
    (data / "part1.parquet").write_bytes(whole[: len(whole) // 2])
    params = tmp_path / "p.json"
    assert main(["scale", "fit", str(data), "--exclude", "id", "y", "-o", str(params)]) == 2
    err = _one_line(capsys)
    assert f"{data / 'part1.parquet'}: not readable as parquet" in err
    assert not params.exists()


def test_apply_refuses_an_output_part_name_held_by_a_folder(tmp_path, capsys):
    frame = _frame()
    data = _parts(tmp_path / "train", frame, "csv")
    params, out = tmp_path / "p.json", tmp_path / "out"
    assert main(["scale", "fit", str(data), "--exclude", "id", "y", "-o", str(params)]) == 0
    (out / "part-0.csv").mkdir(parents=True)
    (out / "part-0.csv" / "notes.txt").write_text("mine")
    capsys.readouterr()
    assert main(["scale", "apply", str(params), str(data), "-o", str(out)]) == 2
    assert "part-0.csv: is a folder, not a file gdlab can replace" in _one_line(capsys)
    assert (out / "part-0.csv" / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["part-0.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "p.json", "train"]
