"""The report framework: cells, tables, the HTML page, atomic writes, the progress bar."""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdlab import lesson
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
from gdlab.report.legacy_rng import lesson_seed
from gdlab.report.result import render_png
from gdlab.report.text import Bilingual


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


def _lesson_page(tmp_path: Path, *keys: str, lang: str = "auto") -> tuple[str, Any]:
    from gdlab.report.demo import run_demo

    run = run_demo(tmp_path / "out", only=list(keys), lang=lang)
    return Path(run.path).read_text(encoding="utf-8"), run  # type: ignore[arg-type]


def _json(page: str, ident: str) -> Any:
    found = re.search(rf'<script type="application/json" id="{ident}">(.*?)</script>', page, re.S)
    assert found, ident
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_page_hooks_and_both_languages(tmp_path: Path) -> None:
    page, run = _lesson_page(tmp_path, "formulas", "contours", "decay", lang="zh")
    assert '<html lang="zh" data-default-lang="zh">' in page
    assert page.count('<button id="lang-switch"') == 1
    for r in run.results:
        section = page.split(f'<section id="{r.key}" class="lesson-section">', 1)[1]
        section = section.split("</section>", 1)[0]
        # The first paragraph is the claim, in both languages.
        first = re.search(r"<p[^>]*>", section)
        assert first and first.group(0) == '<p class="claim">'
        claim = section.split('<p class="claim">', 1)[1].split("</p>", 1)[0]
        assert f'<span lang="zh">{html.escape(r.claim.zh)}</span>' in claim
        assert f'<span lang="en">{html.escape(r.claim.en)}</span>' in claim
        assert re.search(r"[\u4e00-\u9fff]", r.claim.zh) and not re.search(
            r"[\u4e00-\u9fff]", r.claim.en
        )
        assert _json(page, f"claims-{r.key}") == pytest.approx(dict(r.numbers))
    # Every control is a labelled form control inside its section's controls box.
    for key in ("contours", "decay"):
        box = page.split(f'<div class="controls" data-section="{key}"', 1)[1].split("</div>", 1)[0]
        ids = re.findall(r'<(?:select|input)[^>]* id="([^"]+)"', box)
        assert ids and all(f'<label for="{i}"' in box for i in ids), key
    # Axis labels travel in both languages for the switch.
    labels = _json(page, "axis-labels")
    assert labels and all(lab["zh"] and lab["en"] for lab in labels)
    assert any(re.search(r"[\u4e00-\u9fff]", lab["zh"]) for lab in labels)


def test_page_is_self_contained_and_small(tmp_path: Path) -> None:
    from gdlab.report.demo import run_demo

    run = run_demo(tmp_path / "out", quick=True)
    page = Path(run.path).read_text(encoding="utf-8")  # type: ignore[arg-type]
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "<script></script>", page, flags=re.S)
    # Nothing fetched from anywhere: no element points outside the file, and every script is
    # inline. (BokehJS's code names a MathJax CDN, used only for TeX labels; the page has none.)
    assert not re.search(r'(src|href)="(https?:|//)', markup)
    assert "<script src" not in markup and "$$" not in json.dumps(_json(page, "axis-labels"))
    assert "Bokeh.embed" in page  # BokehJS itself is inlined
    assert len(page.encode("utf-8")) < 15_000_000
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["index.html"]


def test_embedded_contour_paths_are_the_engines(tmp_path: Path) -> None:
    from gdlab.models import LeastSquares
    from gdlab.optim import descend
    from gdlab.report.data import contour_problem

    page, _ = _lesson_page(tmp_path, "contours")
    spec = _json(page, "states-contours")
    X, Z, y = contour_problem()
    with lesson_seed(24):
        w0 = np.random.randn(2)  # noqa: NPY002 (the lesson's start)
    for scaling, A, lr in (("raw", X, 0.1), ("z-score", Z, 0.5), ("raw", X, 0.05)):
        state = spec["states"][f"scaling={scaling}|lr={lr:g}"]
        path = spec["blocks"][state["data"]["surface/path"]]
        run = descend(LeastSquares(), A, y, lr=lr, epochs=100, w0=w0, record="step")
        np.testing.assert_allclose(path["x"], run.params[:, 0], rtol=1e-12)
        np.testing.assert_allclose(path["y"], run.params[:, 1], rtol=1e-12)
    # The lesson's own loop (w_cal_rec) draws the same raw path at lr 0.1.
    _, rec = lesson.w_cal_rec(
        X, w0[:, None].copy(), y[:, None], gd_cal=lesson.lr_gd, lr=0.1, itera_times=100
    )
    raw = spec["blocks"][spec["states"]["scaling=raw|lr=0.1"]["data"]["surface/path"]]
    np.testing.assert_allclose(raw["x"], np.asarray(rec)[:, 0, 0], atol=1e-12)
    # Past 2/L = 0.1716 the raw path diverges, and the readout says so.
    assert spec["states"]["scaling=raw|lr=0.2"]["readouts"]["measured"]["en"] == "diverges"


def test_embedded_decay_and_combined_curves_are_the_engines(tmp_path: Path) -> None:
    from gdlab import schedules
    from gdlab.analysis import conditioning
    from gdlab.models import LeastSquares
    from gdlab.optim import descend
    from gdlab.report.data import SEED, design, regression_problem

    page, _ = _lesson_page(tmp_path, "decay", "combined")
    X, y = regression_problem(1000)
    A = design(X, "z-score")
    model = LeastSquares()
    f_star = model.loss(model.optimum(A, y), A, y)
    limit = conditioning(A, intercept=False).lr_stable
    spec = _json(page, "states-decay")
    gap = spec["blocks"][spec["states"]["lr=0.5|gamma=0.9"]["data"]["loss/gap"]]
    run = descend(
        model, A, y, lr=schedules.exponential(lr=0.5 * limit, gamma=0.9), epochs=150, w0=np.zeros(3)
    )
    loss = np.asarray(run.loss)
    np.testing.assert_allclose(
        gap["y"], np.maximum((loss - f_star) / (loss[0] - f_star), 1e-16), rtol=1e-9
    )
    n = _json(page, "claims-combined")
    spec = _json(page, "states-combined")
    curve = spec["blocks"][
        spec["states"]["zscore=on|minibatch=on|decay=on"]["data"]["loss/current"]
    ]
    lr = schedules.exponential(lr=n["lr_111"], gamma=n["gamma_111"])
    run = descend(model, A, y, lr=lr, epochs=30, batch_size=50, w0=np.zeros(3), seed=SEED)
    np.testing.assert_allclose(
        curve["y"], np.maximum(np.asarray(run.loss) - f_star, 1e-16), rtol=1e-9
    )


def test_bilingual_text_and_tables(tmp_path: Path) -> None:
    r = ExperimentResult(
        "k",
        "一、1",
        Bilingual("标题", "Title"),
        Bilingual("正文 <b>", "text <b>"),
        claim=Bilingual("结论", "claim"),
        tables=(
            Table(
                Bilingual("表", "table"),
                (Bilingual("列", "col"),),
                ((Bilingual("行", "row"),), (1.5,)),
            ),
        ),
    )
    page = render_html([r], lang="en")
    assert '<p class="claim"><span lang="zh">结论</span><span lang="en">claim</span></p>' in page
    assert "正文 &lt;b&gt;" in page and "text &lt;b&gt;" in page
    assert '<th><span lang="zh">列</span><span lang="en">col</span></th>' in page
    assert "<title data-zh=" in page
    with pytest.raises(ValueError, match="lang must be"):
        render_html([r], lang="fr")
    assert format_table(r.tables[0], "zh").splitlines()[:2] == ["表", "列"]
