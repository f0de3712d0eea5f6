"""A reader's own CSV file in the contour lab, in headless Chromium.

The file goes in through the page's file input, as a reader's would. The page's κ before and
after scaling, its 2/L and its path are checked against gdlab's Python analysis and engine on
the same rows (the first 70 %: the training split the page states); bad files get one message
in the page's language and leave the lab as it was.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from browser_page import (
    HAVE_CHROMIUM,
    NO_CHROMIUM,
    load,
    readout,
    set_control,
    source,
    start_browser,
    wait_for,
)
from gdlab.analysis import conditioning
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.sections.contours import TRAIN_SHARE
from gdlab.scaling import StandardScaler

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
pytest.importorskip("selenium.webdriver", reason="selenium is not installed")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    from gdlab.cli import main

    out = tmp_path_factory.mktemp("own-data")
    assert main(["demo", "--only", "contours", "--out", str(out)]) == 0
    return (out / "index.html").as_uri()


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    d = start_browser("en-US", tmp_path_factory.mktemp("profile"))
    try:
        yield d
    finally:
        d.quit()


@pytest.fixture(scope="module")
def houses(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(7)
    area = rng.uniform(40, 200, 60)  # square metres: a large, uncentred column
    rooms = rng.integers(1, 6, 60).astype(float)
    price = 3.1 * area + 20 * rooms + 50 + rng.normal(0, 10, 60)
    path = tmp_path_factory.mktemp("csv") / "houses.csv"
    frame = pd.DataFrame({"area": area, "rooms": rooms, "note": "x", "price": price})
    frame.to_csv(path, index=False)
    return path


def _load(driver: Any, path: Path) -> str:
    """Give the page ``path`` through its file input; the lab's message once it has read it."""
    driver.execute_script("document.querySelector('#contours .data-panel').open = true")
    before = driver.execute_script(
        "return document.querySelector('#contours .lab-message').textContent"
    )
    driver.find_element("id", "data-contours-file").send_keys(str(path))
    return str(wait_for(
        driver,
        lambda: (m := driver.execute_script(
            "const el = document.querySelector('#contours .lab-message');"
            "return el.hidden ? '' : el.querySelector('[lang=\"en\"]').textContent;"
        )) and m != before and m,
        "the lab's message about the file",
    ))  # fmt: skip


def _design(path: Path, x1: str, x2: str | None) -> tuple[np.ndarray, np.ndarray]:
    frame = pd.read_csv(path)
    rows = math.floor(TRAIN_SHARE * len(frame))
    second = np.ones(rows) if x2 is None else frame[x2].to_numpy()[:rows]
    return np.column_stack([frame[x1].to_numpy()[:rows], second]), frame["price"].to_numpy()[:rows]


def test_a_csv_file_runs_the_lab_as_python_does(driver: Any, page: str, houses: Path) -> None:
    load(driver, page, changes=True)
    message = _load(driver, houses)
    assert message == (
        "60 rows read: the first 42 fit the scaler and the descent; the rest are kept for testing."
    )
    A, y = _design(houses, "area", None)
    Z = A.copy()
    Z[:, :1] = StandardScaler().fit_transform(A[:, :1])
    raw, scaled = conditioning(A, intercept=False), conditioning(Z, intercept=False)
    assert float(readout(driver, "contours", "kappa", "raw").replace(",", "")) == pytest.approx(
        raw.kappa, rel=5e-4
    )
    assert readout(driver, "contours", "kappa", "scaled") == f"{scaled.kappa:.2f}"
    assert float(readout(driver, "contours", "limit", "raw")) == pytest.approx(
        raw.lr_stable, rel=1e-3
    )
    # The page sets the rate to 0.9 x the smaller 2/L, rounded to 3 digits, from w = (0, 0).
    lr = float(f"{0.9 * min(raw.lr_stable, scaled.lr_stable):.3g}")
    assert (
        float(
            driver.find_element("css selector", '#contours [data-control="lr"]').get_attribute(
                "value"
            )
        )
        == lr
    )
    path = source(driver, "contours/surface-raw/path")
    run = descend(LeastSquares(), A, y, lr=lr, epochs=500, w0=np.zeros(2), record="step")
    ours = np.asarray(run.params)[: len(path["x"])]
    np.testing.assert_allclose(path["x"], ours[:, 0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(path["y"], ours[:, 1], rtol=1e-9, atol=1e-12)


def test_choosing_other_columns_recomputes(driver: Any, page: str, houses: Path) -> None:
    load(driver, page, changes=True)
    _load(driver, houses)
    before = readout(driver, "contours", "kappa", "raw")
    select = driver.find_element("id", "data-contours-x2")
    set_control(driver, "contours", "scaler", "zscore")  # a control change keeps the data
    driver.execute_script(
        "arguments[0].value = 'rooms'; arguments[0].dispatchEvent(new Event('change'));", select
    )
    wait_for(driver, lambda: readout(driver, "contours", "kappa", "raw") != before, "a new κ")
    A, _ = _design(houses, "area", "rooms")
    expected = conditioning(A, intercept=False).kappa
    got = float(readout(driver, "contours", "kappa", "raw").replace(",", ""))
    assert got == pytest.approx(expected, rel=5e-4)


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        (
            "a,b\n1,x\n2,y\n3,z\n4,w\n",
            "At least two columns of numbers are needed",
            "需要至少两列数字",
        ),
        (
            "a,b\n5,2\n5,3\n5,5\n5,8\n5,9\n",
            "has the same value on every training row",
            "值全都相同",
        ),
        (
            "a,b,c\n1,2,3\n2,,4\n3,5,6\n4,7,9\n",
            "Line 3 of the file holds “” in column “b”, which is not a number",
            "文件第 3 行",
        ),
        ("a,b\n1,2\n", "At least 3 rows of data", "至少需要 3 行数据"),
    ],
)
def test_a_bad_file_gets_one_message_and_the_lab_keeps_working(
    driver: Any, page: str, tmp_path: Path, text: str, english: str, chinese: str
) -> None:
    load(driver, page, changes=True)
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    kappa = readout(driver, "contours", "kappa", "raw")
    message = _load(driver, bad)
    if "Line 3" in english:  # the numbers are read; the column with a gap is then chosen
        driver.execute_script(
            "const s = document.getElementById('data-contours-x2'); s.value = 'b';"
            "s.dispatchEvent(new Event('change'));"
        )
        message = driver.execute_script(
            "return document.querySelector('#contours .lab-message [lang=\"en\"]').textContent"
        )
        kappa = readout(driver, "contours", "kappa", "raw")  # the file's own a and c stay
    assert english in message
    zh = driver.execute_script(
        "return document.querySelector('#contours .lab-message [lang=\"zh\"]').textContent"
    )
    assert chinese in zh
    assert readout(driver, "contours", "kappa", "raw") == kappa  # the lesson's data stay
    set_control(driver, "contours", "lr", 0.05)  # and the lab still answers its controls
    wait_for(driver, lambda: readout(driver, "contours", "measured", "raw") != "198", "a rerun")


def test_a_file_over_10_mb_is_refused_before_it_is_read(
    driver: Any, page: str, tmp_path: Path
) -> None:
    load(driver, page, changes=True)
    big = tmp_path / "big.csv"
    line = "1.0,2.0\n"
    big.write_text("a,b\n" + line * (10 * 1024 * 1024 // len(line) + 10), encoding="utf-8")
    assert _load(driver, big).startswith("The file is too big (10.0 MB); the limit is 10 MB.")
    assert readout(driver, "contours", "kappa", "raw") == "33.97"


def test_back_to_the_lessons_data(driver: Any, page: str, houses: Path) -> None:
    load(driver, page, changes=True)
    _load(driver, houses)
    assert readout(driver, "contours", "kappa", "raw") != "33.97"
    driver.find_element("css selector", '#contours [data-action="lesson_data"]').click()
    wait_for(driver, lambda: readout(driver, "contours", "kappa", "raw") == "33.97", "κ 33.97")
    assert readout(driver, "contours", "measured", "scaled") == "31"
