"""The scaler health report on crafted data whose every problem is known in advance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gdlab.analysis import HealthReport, health_report


def crafted() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "fine": [1.0, 2.0, 3.0, 4.0],
            "holes": [1.0, np.nan, np.nan, 4.0],
            "const": [7.0, 7.0, 7.0, 7.0],
            # spread 1e-9 of the mean: near-constant, and centring loses ~9 digits
            "near": [1e9, 1e9 + 1.0, 1e9, 1e9 + 1.0],
            # mean 1e4, std 1: ~4 digits lost, not near-constant at the default 1e-6
            "offset": [1e4 - 1.0, 1e4 + 1.0, 1e4 - 1.0, 1e4 + 1.0],
        }
    )


def test_each_problem_is_flagged_in_its_column() -> None:
    t = health_report(crafted()).table
    assert list(t.index) == ["fine", "holes", "const", "near", "offset"]
    assert t["nan_train"].tolist() == [0, 2, 0, 0, 0]
    assert t["constant"].tolist() == [False, False, True, False, False]
    assert t["near_constant"].tolist() == [False, False, True, True, False]
    assert t["float32_risk"].tolist() == [False, False, False, True, True]
    # log10(|mean| / std): mean 1e4, std 1 (population) -> 4 digits.
    assert t.at["offset", "float32_digits_lost"] == pytest.approx(4.0)
    assert t.at["holes", "mean"] == pytest.approx(2.5)  # NaN ignored


def test_float32_risk_is_real_cancellation() -> None:
    # The flagged column really loses its information in float32: near 1e9 float32 values
    # are 64 apart, so 1e9 and 1e9 + 1 collapse and the centred column is flat.
    col = crafted()["near"].to_numpy()
    centred32 = col.astype(np.float32) - np.float32(col.mean())
    assert np.ptp(col - col.mean()) == 1.0
    assert np.ptp(centred32) == 0.0


def test_share_of_test_rows_outside_training_range() -> None:
    train = np.array([[0.0, 0.0], [1.0, 10.0]])
    test = np.array([[0.5, 5.0], [2.0, 5.0], [0.5, -1.0], [0.5, np.nan]])
    report = health_report(train, test)
    assert report.rows_outside_train_range == pytest.approx(2 / 4)
    assert report.table["outside_train_range"].tolist() == pytest.approx([1 / 4, 1 / 3])
    assert report.table["nan_test"].tolist() == [0, 1]
    assert report.n_test == 4


def test_healthy_data_has_no_problems() -> None:
    X = np.random.default_rng(0).normal(size=(100, 3))
    report = health_report(X[:80], X[80:].clip(X[:80].min(0), X[:80].max(0)))
    assert report.ok
    assert report.problems == []
    assert str(report).endswith("no problems found")
    assert report.rows_outside_train_range == 0.0


def test_problems_are_readable_and_repr_shows_counts() -> None:
    report = health_report(crafted(), crafted().iloc[:1] * 2)
    text = "\n".join(report.problems)
    assert "'holes': 2 NaN" in text
    assert "'const' is constant" in text
    assert "'near' is near-constant" in text
    assert "test rows fall outside" in text
    assert isinstance(report, HealthReport)
    assert repr(report).startswith("HealthReport(n_features=5, n_train=4, n_test=1")


def test_all_nan_column_counts_as_constant_without_warnings() -> None:
    X = np.array([[1.0, np.nan], [2.0, np.nan]])
    report = health_report(X)
    assert report.table["constant"].tolist() == [False, True]


@pytest.mark.parametrize(
    ("train", "test", "error", "match"),
    [
        ([1.0, 2.0], None, ValueError, "2-D"),
        ([[1.0, np.inf]], None, ValueError, "inf"),
        (np.empty((0, 2)), None, ValueError, "no rows"),
        ([[1.0, 2.0]], [[1.0]], ValueError, "same features"),
        (
            pd.DataFrame({"a": [1.0, 2.0], "b": [5.0, 6.0]}),
            pd.DataFrame({"b": [5.0], "a": [1.0]}),
            ValueError,
            "same features in the same order",
        ),
        (np.array([["a", "b"]], dtype=object), None, TypeError, "numeric"),
    ],
)
def test_bad_input(train: object, test: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        health_report(train, test)  # type: ignore[arg-type]
