"""The report framework: cells, tables, the HTML page, atomic writes, the progress bar."""

from __future__ import annotations

import base64
import io
import os
import re
from pathlib import Path

import pytest

from gdlab.report import (
    ExperimentResult,
    Image,
    Progress,
    Table,
    format_cell,
    format_table,
    render_html,
    summary_table,
    write_atomic,
    write_report,
)
from gdlab.report.result import render_png


def _figure_png() -> bytes:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    return render_png(fig)


def test_format_cell() -> None:
    assert format_cell(1234567) == "1,234,567"
    assert format_cell(0.000123456) == "0.0001235"
    assert format_cell(float("nan")) == "-"
    assert format_cell(None) == "-"
    assert format_cell(True) == "yes"


def test_table_rejects_ragged_rows() -> None:
    with pytest.raises(ValueError, match="2 columns but a row has 3 cells"):
        Table("t", ("a", "b"), ((1, 2, 3),))


def test_page_embeds_figures_and_escapes_text() -> None:
    png = _figure_png()
    r = ExperimentResult(
        "k1",
        "§1",
        "A <b>title</b>",
        "x < y & z",
        tables=(Table("t", ("a",), ((1.5,),)),),
        images=(Image("fig", "a caption", png),),
    )
    page = render_html([r], summary=summary_table([r]))
    assert "<b>title</b>" not in page and "A &lt;b&gt;title&lt;/b&gt;" in page
    assert "x &lt; y &amp; z" in page
    uris = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert [base64.b64decode(u) for u in uris] == [png]
    # Self-contained: nothing is fetched from anywhere.
    assert not re.search(r'(src|href)="(https?:|//)', page)
    assert '<section id="k1" class="lesson-section">' in page and 'href="#k1"' in page


def test_write_report_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out" / "index.html"
    write_report([ExperimentResult("k", "§1", "t", "p")], target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(os.listdir(target.parent)) == ["index.html"]  # no temporary file left


def test_write_atomic_keeps_the_old_file_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.txt"
    write_atomic(target, "old")

    def crash(src: str, dst: str) -> None:
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["a.txt"]  # the temporary file is cleaned up


def test_write_atomic_gives_a_new_file_the_umask_mode_without_touching_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # os.umask is process-wide: changing it, even briefly, races with other threads' files.
    mask = os.umask(0o027)
    try:
        calls: list[int] = []
        monkeypatch.setattr(os, "umask", lambda m: calls.append(m) or 0)
        new = write_atomic(tmp_path / "new.txt", "x")
        old = tmp_path / "old.txt"
        old.write_text("a")
        old.chmod(0o600)
        write_atomic(old, "b")
        assert calls == []
        assert new.stat().st_mode & 0o777 == 0o640  # 0o666 less the umask 0o027
        assert old.stat().st_mode & 0o777 == 0o600  # an overwritten file keeps its mode
    finally:
        monkeypatch.undo()
        os.umask(mask)


def test_progress_writes_one_line_per_step_off_a_terminal() -> None:
    out = io.StringIO()
    bar = Progress(4, stream=out, width=8)
    for label in "abcd":
        bar.advance(label)
    bar.close()
    lines = out.getvalue().splitlines()
    assert [line[:15] for line in lines] == [
        "[##......] 1/4 ",
        "[####....] 2/4 ",
        "[######..] 3/4 ",
        "[########] 4/4 ",
    ]
    with pytest.raises(ValueError, match="total >= 1"):
        Progress(0)


def test_progress_on_a_terminal_is_a_tqdm_bar_never_wider_than_the_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A wrapped line cannot be redrawn with "\r"; long labels are cut to the terminal.
    monkeypatch.setenv("COLUMNS", "40")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    bar = Progress(2, stream=out, width=10)
    bar.advance("minmax exponential(lr=0.1, gamma=0.95) batch=32 gd")
    bar.advance("short")
    bar.close()
    frames = [f for f in out.getvalue().rstrip("\n").split("\r") if f]
    assert frames and all(len(f) <= 39 for f in frames)
    assert "2/2" in frames[-1] and "100%" in frames[-1]  # tqdm's own bar, at its end
    assert "[#" not in out.getvalue()  # not the plain lines meant for logs


def test_format_table_aligns_numbers_right() -> None:
    text = format_table(Table("T", ("name", "n"), (("a", 5), ("bb", 12345), ("c", None))))
    assert text.splitlines() == [
        "T",
        "name       n",
        "----  ------",
        "a          5",
        "bb    12,345",
        "c          -",
    ]


# ---------------------------------------------------------------------------------------------
# The lesson page: its hooks, both languages, the embedded data and its size.


def test_a_fixed_log_axis_is_labelled_at_a_few_decades_unless_told_otherwise() -> None:
    from gdlab.report.charts import Chart, Series, decade_ticks

    line = (Series("gap", "line"),)
    # Every second decade of 1e-12 .. 1e4 keeps 5 labels (at most 6).
    assert decade_ticks(1e-12, 1e4) == (1e-12, 1e-08, 1e-04, 1.0, 1e4)
    assert decade_ticks(1.0, 1e3) == (1.0, 10.0, 100.0, 1000.0)
    fixed = Chart("loss", "t", "x", "y", line, y_log=True, y_range=(1e-12, 1e4))
    assert fixed.y_ticks == (1e-12, 1e-08, 1e-04, 1.0, 1e4)
    told = Chart("loss", "t", "x", "y", line, y_log=True, y_range=(1e-12, 1e4), y_ticks=(1.0,))
    assert told.y_ticks == (1.0,)
    assert Chart("loss", "t", "x", "y", line, y_log=True).y_ticks is None
    assert Chart("loss", "t", "x", "y", line, y_range=(0.0, 1.0)).y_ticks is None
