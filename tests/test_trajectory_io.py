"""Trajectory: read API, DataFrame view, save/load round trip and damaged files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from gdlab.models import LeastSquares, Softmax
from gdlab.optim import descend
from gdlab.trajectory import Trajectory


def _run(**kw: object) -> Trajectory:
    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=(40, 2)), np.ones(40)]
    y = X @ [1.0, -2.0, 0.5]
    return descend(LeastSquares(), X, y, lr=0.05, epochs=6, batch_size=8, seed=3, **kw)  # type: ignore[arg-type]


def test_fields_follow_the_contract() -> None:
    t = _run(method="adam")
    R = len(t)
    assert R == 7 and t.params.shape == (R, 3)
    for name in ("loss", "lr", "grad_norm", "time"):
        assert getattr(t, name).shape == (R,) and getattr(t, name).dtype == np.float64
    for name in ("epoch", "step", "samples_seen"):
        assert getattr(t, name).dtype == np.int64
    assert np.isnan(t.lr[0]) and (t.lr[1:] == 0.05).all()
    assert t.epoch.tolist() == list(range(7)) and t.step.tolist() == [0, 5, 10, 15, 20, 25, 30]
    assert t.samples_seen[-1] == 6 * 40 and (np.diff(t.time) >= 0).all()
    assert t.n_epochs == 6 and t.n_steps == 30
    np.testing.assert_array_equal(t.w, t.params[-1])
    assert t.val_loss is None
    assert t.config["method_name"] == "adam" and t.config["batch_size"] == 8
    assert "status='max_epochs'" in repr(t) and "constant(lr=0.05)" in repr(t)
    json.dumps(t.config)  # JSON-able


def test_to_frame_has_one_row_per_record() -> None:
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(30, 2)), rng.integers(0, 3, size=30)
    t = descend(Softmax(), X, y, lr=0.1, epochs=3, validation_fraction=0.2, seed=0)
    df = t.to_frame()
    assert len(df) == len(t)
    assert list(df.columns[:8]) == [
        "step", "epoch", "samples_seen", "time", "lr", "loss", "grad_norm", "val_loss",
    ]  # fmt: skip
    assert [c for c in df.columns if c.startswith("w")] == [
        f"w{i}_{j}" for i in range(2) for j in range(3)
    ]
    np.testing.assert_array_equal(df["w1_2"].to_numpy(), t.params[:, 1, 2])
    np.testing.assert_array_equal(df["loss"].to_numpy(), t.loss)


def test_save_load_round_trip(tmp_path: Path) -> None:
    t = _run(method="momentum", record=3)
    path = t.save(tmp_path / "run.npz")
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]  # no temporary left behind
    u = Trajectory.load(path)
    for name in ("params", "loss", "lr", "epoch", "step", "grad_norm", "samples_seen", "time"):
        np.testing.assert_array_equal(getattr(u, name), getattr(t, name))
    assert (u.status, u.reason, u.config) == (t.status, t.reason, t.config)
    assert u.state.keys() == t.state.keys()
    np.testing.assert_array_equal(u.state["rule.velocity"], t.state["rule.velocity"])
    assert u.state["rng"] == t.state["rng"]


def test_load_never_unpickles_and_rejects_damage(tmp_path: Path) -> None:
    t = _run()
    path = t.save(tmp_path / "run.npz")
    # Truncated file.
    bad = tmp_path / "cut.npz"
    bad.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="not a readable gdlab trajectory"):
        Trajectory.load(bad)
    # Tampered metadata (not JSON).
    arrays = dict(np.load(path, allow_pickle=False))
    arrays["__meta__"] = np.array("{not json")
    np.savez(tmp_path / "meta.npz", **arrays)
    with pytest.raises(ValueError, match="not valid JSON"):
        Trajectory.load(tmp_path / "meta.npz")
    # A column of the wrong length.
    arrays = dict(np.load(path, allow_pickle=False))
    arrays["loss"] = arrays["loss"][:-1]
    np.savez(tmp_path / "short.npz", **arrays)
    with pytest.raises(ValueError, match="column 'loss' must have shape"):
        Trajectory.load(tmp_path / "short.npz")
    # A pickled object array is refused, never executed.
    arrays = dict(np.load(path, allow_pickle=False))
    arrays["params"] = np.array([object()], dtype=object)
    np.savez(tmp_path / "pickle.npz", **arrays)
    with pytest.raises(ValueError, match="not a readable gdlab trajectory"):
        Trajectory.load(tmp_path / "pickle.npz")
    # Foreign npz, and a plain text file.
    np.savez(tmp_path / "other.npz", a=np.ones(3))
    with pytest.raises(ValueError, match="no gdlab metadata"):
        Trajectory.load(tmp_path / "other.npz")
    (tmp_path / "text.npz").write_text("hello")
    with pytest.raises(ValueError):
        Trajectory.load(tmp_path / "text.npz")
    assert zipfile.is_zipfile(path)


def test_wrong_format_tag_is_reported(tmp_path: Path) -> None:
    path = _run().save(tmp_path / "run.npz")
    arrays = dict(np.load(path, allow_pickle=False))
    meta = json.loads(str(arrays["__meta__"]))
    meta["format"] = "something/9"
    arrays["__meta__"] = np.array(json.dumps(meta))
    np.savez(tmp_path / "v9.npz", **arrays)
    with pytest.raises(ValueError, match=r"expected format 'gdlab\.trajectory/1'"):
        Trajectory.load(tmp_path / "v9.npz")


def test_constructor_checks_shapes_and_status() -> None:
    ok = dict(
        params=np.zeros((2, 1)), loss=np.ones(2), lr=np.ones(2), epoch=np.arange(2),
        step=np.arange(2), grad_norm=np.ones(2), samples_seen=np.arange(2), time=np.zeros(2),
    )  # fmt: skip
    Trajectory(**ok)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="status must be one of"):
        Trajectory(**ok, status="done")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="column 'time'"):
        Trajectory(**{**ok, "time": np.zeros(3)})  # type: ignore[arg-type]


def test_metadata_that_is_not_an_object_is_reported(tmp_path: Path) -> None:
    path = _run().save(tmp_path / "run.npz")
    arrays = dict(np.load(path, allow_pickle=False))
    meta = json.loads(str(arrays["__meta__"]))
    meta["state"] = [1, 2]  # found: a bare TypeError from dict() before this check
    arrays["__meta__"] = np.array(json.dumps(meta))
    np.savez(tmp_path / "list.npz", **arrays)
    with pytest.raises(ValueError, match="config and state must be JSON objects"):
        Trajectory.load(tmp_path / "list.npz")


def test_saved_file_gets_the_mode_of_a_plain_open(tmp_path: Path) -> None:
    # The temporary file is private (0600); the saved one must not stay so.
    plain = tmp_path / "plain.bin"
    plain.write_bytes(b"")
    path = _run().save(tmp_path / "run.npz")
    assert path.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_every_flipped_bit_in_the_zip_directory_is_a_value_error(tmp_path: Path) -> None:
    # Found: RuntimeError (the encryption flag) and NotImplementedError (an unknown
    # compression method) escaped from zipfile.
    data = bytearray(_run().save(tmp_path / "run.npz").read_bytes())
    start = data.find(b"PK\x01\x02")  # the first entry of the central directory
    assert start > 0
    bad = tmp_path / "bad.npz"
    outcomes = set()
    for offset in range(start, len(data)):
        for bit in (0, 3, 7):
            damaged = bytearray(data)
            damaged[offset] ^= 1 << bit
            bad.write_bytes(damaged)
            try:
                Trajectory.load(bad)
                outcomes.add("loaded")
            except ValueError:
                outcomes.add("ValueError")
    assert "ValueError" in outcomes and outcomes <= {"ValueError", "loaded"}


def test_a_header_claiming_a_huge_array_is_refused_before_allocating(tmp_path: Path) -> None:
    import io

    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)}
    )
    path = tmp_path / "huge.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("params.npy", header.getvalue() + b"\0" * 64)
    assert path.stat().st_size < 1000
    with pytest.raises(ValueError, match=r"claims an array of shape \(1000000000000,\)"):
        Trajectory.load(path)


def test_deeply_nested_metadata_is_a_value_error(tmp_path: Path) -> None:
    path = _run().save(tmp_path / "run.npz")
    arrays = dict(np.load(path, allow_pickle=False))
    arrays["__meta__"] = np.array("[" * 100_000)
    np.savez(tmp_path / "deep.npz", **arrays)
    with pytest.raises(ValueError, match="not valid JSON"):
        Trajectory.load(tmp_path / "deep.npz")


@pytest.mark.parametrize("second", ["params.npy", "params"])
def test_two_members_for_one_array_are_refused(tmp_path: Path, second: str) -> None:
    import io
    import warnings

    t = _run()
    path = t.save(tmp_path / "run.npz")
    other = io.BytesIO()
    np.save(other, t.params * 2.0)  # another array under the same name
    forged = tmp_path / "forged.npz"
    with zipfile.ZipFile(path) as good, zipfile.ZipFile(forged, "w") as bad:
        for info in good.infolist():
            bad.writestr(info, good.read(info))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # zipfile: "Duplicate name"
            bad.writestr(second, other.getvalue())
    with pytest.raises(ValueError, match="two members named 'params'"):
        Trajectory.load(forged)
