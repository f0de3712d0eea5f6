"""JSON state: to_dict/from_dict, save/load, and refusal of malformed or edited files."""

from __future__ import annotations

import copy
import json
import os
import pickle
import stat

import numpy as np
import pandas as pd
import pytest

from gdlab.scaling import (
    MaxAbsScaler,
    MinMaxScaler,
    RobustScaler,
    SigmoidScaler,
    StandardScaler,
    load,
    save,
)
from gdlab.scaling.state import digest

FITTED = [
    StandardScaler(eps=1e-6),
    StandardScaler(with_mean=False),
    MinMaxScaler(feature_range=(-1, 2), clip=True),
    MaxAbsScaler(),
    RobustScaler(quantile_range=(10.0, 90.0), unit_variance=True),
    SigmoidScaler(),
    SigmoidScaler(standardize=True),
]


def _X() -> np.ndarray:
    X = np.random.default_rng(5).normal(3.0, 2.0, size=(40, 3))
    X[::5, 1] = np.nan
    X[:, 2] = np.nan  # a column never observed: NaN statistics become null in JSON
    return X


@pytest.mark.parametrize("scaler", FITTED, ids=repr)
def test_round_trip_through_json_file(scaler, tmp_path):
    X = _X()
    scaler.fit(X)
    path = save(scaler, tmp_path / "s.json")
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]  # no temporary file left
    text = path.read_text(encoding="utf-8")
    assert "NaN" not in text  # strict JSON
    d = json.loads(text)
    assert d["class"] == type(scaler).__name__
    back = load(path)
    assert type(back) is type(scaler)
    assert back.get_params() == scaler.get_params()
    np.testing.assert_array_equal(back.transform(X), scaler.transform(X))
    np.testing.assert_array_equal(np.asarray(back.n_samples_seen_), scaler.n_samples_seen_)
    d = scaler.to_dict()
    assert json.loads(json.dumps(d, allow_nan=False)) == d  # plain JSON types only
    again = type(scaler).from_dict(d)
    np.testing.assert_array_equal(
        again.inverse_transform(scaler.transform(X)), scaler.inverse_transform(scaler.transform(X))
    )


def test_loaded_scaler_keeps_streaming_and_feature_names(tmp_path):
    df = pd.DataFrame(np.arange(12.0).reshape(6, 2), columns=["height", "weight"])
    s = StandardScaler().partial_fit(df.iloc[:3])
    back = load(save(s, tmp_path / "s.json"))
    assert list(back.feature_names_in_) == ["height", "weight"]
    back.partial_fit(df.iloc[3:])
    np.testing.assert_allclose(back.mean_, df.mean().to_numpy())


def test_the_file_is_plain_json_not_pickle(tmp_path):
    path = save(MinMaxScaler().fit(_X()[:, :2]), tmp_path / "m.json")
    with pytest.raises(pickle.UnpicklingError):
        pickle.loads(path.read_bytes())
    json.loads(path.read_text(encoding="utf-8"))


def _resign(d: dict) -> dict:
    d["sha256"] = digest(d)
    return d


def _edit(d: dict, where: tuple, value) -> dict:
    d = copy.deepcopy(d)
    node = d
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    return d


GOOD = StandardScaler().fit(np.arange(12.0).reshape(6, 2)).to_dict()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (_edit(GOOD, ("attributes", "mean_", 0), 99.0), "checksum does not match"),
        (_resign(_edit(GOOD, ("attributes", "scale_", 0), 99.0)), "scale_ does not match"),
        (_resign(_edit(GOOD, ("attributes", "var_", 0), -1.0)), "var_ has negative"),
        (_resign(_edit(GOOD, ("attributes", "mean_"), [1.0])), "mean_ should be a list of 2"),
        (_resign(_edit(GOOD, ("attributes", "mean_"), ["a", 1.0])), "mean_ should be a list"),
        (_resign(_edit(GOOD, ("attributes", "n_samples_seen_"), -3)), "n_samples_seen_ should be"),
        (_resign(_edit(GOOD, ("params", "eps"), -1.0)), "'eps' parameter of StandardScaler"),
        # Impossible states, however well signed:
        (_resign(_edit(GOOD, ("attributes", "n_samples_seen_"), 0)), "n_samples_seen_ is 0"),
        (
            _resign(_edit(GOOD, ("attributes", "n_samples_seen_"), [6, 0])),
            "column with 0 samples must have null statistics",
        ),
        (
            _resign(_edit(GOOD, ("attributes", "mean_"), [None, 6.0])),
            "mean_ and var_ disagree on which columns were observed",
        ),
        (_resign(_edit(GOOD, ("params", "color"), 1)), "params of StandardScaler should be"),
        (_resign(_edit(GOOD, ("params", "copy"), "no")), "parameter copy should be true or false"),
        (_resign(_edit(GOOD, ("params", "eps"), "0")), "parameter eps should be a number"),
        (_resign(_edit(GOOD, ("attributes",), {})), "attributes of StandardScaler should be"),
        (_resign(_edit(GOOD, ("n_features_in",), 0)), "'n_features_in' should be a positive"),
        (_resign(_edit(GOOD, ("feature_names_in",), ["a"])), "'feature_names_in' should be"),
        (_resign(_edit(GOOD, ("class",), "Pickle")), "Unknown scaler class 'Pickle'"),
        (_edit(GOOD, ("format",), "other"), "'format' should be 'gdlab.scaling'"),
        (_edit(GOOD, ("version",), 99), "'version' should be 1"),
        ([1, 2, 3], "should be a dict"),
    ],
)
def test_malformed_or_tampered_state_is_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        StandardScaler.from_dict(bad) if isinstance(bad, list) else load_dict(bad)


def load_dict(d: dict):
    from gdlab.scaling.base import BaseScaler

    return BaseScaler.from_dict(d)


def test_statistics_left_unset_are_null_in_the_file():
    # scikit-learn leaves var_ and scale_ None with with_std=False; a number there is an edit.
    d = StandardScaler(with_std=False).fit(np.arange(12.0).reshape(6, 2)).to_dict()
    assert d["attributes"]["var_"] is None and d["attributes"]["scale_"] is None
    back = load_dict(d)
    assert back.var_ is None and back.scale_ is None
    np.testing.assert_array_equal(back.mean_, [5.0, 6.0])
    with pytest.raises(ValueError, match="var_ should be null under these parameters"):
        load_dict(_resign(_edit(d, ("attributes", "var_"), [1.0, 1.0])))


def test_deeply_nested_json_is_a_value_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(ValueError, match=r"not valid JSON|nested far too deeply"):
        load(path)
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    d = dict(GOOD, attributes=deep)
    with pytest.raises(ValueError, match="nested far too deeply"):
        load_dict(d)


def test_scale_apply_on_deeply_nested_json_is_one_line_and_exit_2(tmp_path, capsys):
    from gdlab.cli.main import main

    params, data = tmp_path / "deep.json", tmp_path / "new.csv"
    params.write_text("[" * 100_000, encoding="utf-8")
    data.write_text("a\n1.0\n", encoding="utf-8")
    assert main(["scale", "apply", str(params), str(data), "-o", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert "nested far too deeply" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "o.csv").exists()


def test_infinite_statistics_are_refused_with_a_clear_message(tmp_path):
    s = StandardScaler().fit(np.arange(12.0).reshape(6, 2))
    s.var_ = np.array([np.inf, 1.0])  # as a hand-edited or foreign-built scaler could hold
    s.scale_ = np.array([np.inf, 1.0])
    with pytest.raises(ValueError, match=r"var_ is infinite in column\(s\) \[0\]"):
        save(s, tmp_path / "s.json")
    assert list(tmp_path.iterdir()) == []


def test_from_dict_of_another_class_is_refused():
    with pytest.raises(ValueError, match="'class' should be 'MinMaxScaler'"):
        MinMaxScaler.from_dict(GOOD)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"a": NaN}', "NaN is not valid JSON"),
        ("", "is not valid JSON"),
        ("[]", "should be a dict"),
    ],
)
def test_load_rejects_broken_files(tmp_path, text, message):
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load(path)


def test_load_names_a_binary_file_as_not_json(tmp_path):
    path = tmp_path / "scaler.json"
    path.write_bytes(b"\x80\x04\x95 not text")  # e.g. a pickle saved under a .json name
    with pytest.raises(ValueError, match=r"scaler\.json' is not valid JSON .*gdlab\.scaling\.save"):
        load(path)


def test_save_needs_a_fitted_gdlab_scaler(tmp_path):
    from sklearn.exceptions import NotFittedError
    from sklearn.preprocessing import StandardScaler as SkScaler

    with pytest.raises(TypeError, match="save expects a gdlab scaler"):
        save(SkScaler().fit([[1.0], [2.0]]), tmp_path / "x.json")
    with pytest.raises(NotFittedError):
        save(StandardScaler(), tmp_path / "x.json")
    assert list(tmp_path.iterdir()) == []


def test_saved_file_gets_the_umask_mode_not_a_private_one(tmp_path):
    # A plain open() creates 0666 less the umask; a temp-file helper would leave 0600.
    old = os.umask(0o022)
    try:
        path = save(StandardScaler().fit([[1.0], [3.0]]), tmp_path / "s.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def _saved(scaler) -> dict:
    return scaler.fit(np.arange(12.0).reshape(6, 2)).to_dict()


@pytest.mark.parametrize("scaler", FITTED, ids=repr)
def test_no_scaler_loads_with_zero_samples_seen(scaler):
    # Finite statistics that no sample produced: every class runs the base class's check.
    with pytest.raises(ValueError, match="n_samples_seen_ is 0"):
        load_dict(_resign(_edit(_saved(scaler), ("attributes", "n_samples_seen_"), 0)))


@pytest.mark.parametrize(
    "scaler",
    [MinMaxScaler(), MaxAbsScaler(), RobustScaler(), SigmoidScaler()],
    ids=repr,
)
@pytest.mark.parametrize("count", [[6, 6], 6.5])
def test_scalers_that_count_rows_refuse_a_count_that_is_not_a_whole_number(scaler, count):
    with pytest.raises(ValueError, match="counts the rows fitted, a whole number"):
        load_dict(_resign(_edit(_saved(scaler), ("attributes", "n_samples_seen_"), count)))


def test_min_max_statistics_must_be_null_in_the_same_columns():
    d = _saved(MinMaxScaler())
    with pytest.raises(ValueError, match="data_min_ and data_max_ disagree"):
        load_dict(_resign(_edit(d, ("attributes", "data_min_", 0), None)))


@pytest.mark.parametrize(
    ("edits", "name"),
    [
        ({"mean_": [1e300, 0.0]}, "mean_"),  # column 0 would transform to 0 for every input
        ({"mean_": [None, None], "var_": [None, None]}, "mean_"),
        ({"var_": [4.0, 1.0]}, "var_"),
    ],
)
def test_a_sigmoid_without_standardize_keeps_the_statistics_its_definition_fixes(edits, name):
    d = _saved(SigmoidScaler())
    assert d["attributes"]["mean_"] == [0.0, 0.0] and d["attributes"]["var_"] == [1.0, 1.0]
    for key, value in edits.items():
        d = _edit(d, ("attributes", key), value)
    with pytest.raises(ValueError, match=f"standardize=False\\) learns nothing, so its {name}"):
        load_dict(_resign(d))


def test_a_subclass_cannot_skip_the_checks_of_its_bases():
    class Forgetful(MinMaxScaler):
        _abstract = True  # not registered: a test class only

        def _check_state(self) -> None:  # checks nothing, and calls no super()
            pass

    s = Forgetful().fit(np.arange(12.0).reshape(6, 2))
    s._check_loaded_state()  # a real state passes
    s.n_samples_seen_ = 0
    with pytest.raises(ValueError, match="n_samples_seen_ is 0"):
        s._check_loaded_state()
    s.n_samples_seen_ = 6
    s.data_min_ = np.array([20.0, 1.0])  # above data_max_: MinMaxScaler's own check
    with pytest.raises(ValueError, match="data_min_ exceeds data_max_"):
        s._check_loaded_state()
