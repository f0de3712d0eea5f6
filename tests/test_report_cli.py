"""``gdlab demo``'s options: rerun one section, change a parameter, choose the language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import gdlab.report.page
from gdlab.cli import main
from gdlab.report.demo import parse_overrides, section_parameters


def _claims(page: str, key: str) -> dict[str, float]:
    found = re.search(rf'<script type="application/json" id="claims-{key}">(.*?)</script>', page)
    assert found
    data: dict[str, float] = json.loads(found.group(1))
    return data


def test_only_runs_the_named_sections_in_report_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rep"
    assert main(["demo", "--out", str(out), "--only", "decay,contours"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<section id="([^"]+)" class="lesson-section">', page) == [
        "contours",
        "decay",
    ]
    _, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert (
        len(lines) == 2 and "一、3 contours" in lines[0] and "二、2 learning-rate decay" in lines[1]
    )


def test_set_changes_a_parameter_and_the_page_shows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rep"
    argv = ["demo", "--out", str(out), "--only", "decay", "--set", "decay.gamma=0.9"]
    assert main(argv) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    n = _claims(page, "decay")
    assert n["gamma"] == 0.9
    assert 'data-section="decay" data-state="lr=1.25|gamma=0.9"' in page
    # gamma = 0.9 halves the rates' sum against 0.95: the small start stalls further from w*.
    assert main(["demo", "--out", str(tmp_path / "b"), "--only", "decay"]) == 0
    base = _claims((tmp_path / "b" / "index.html").read_text(encoding="utf-8"), "decay")
    assert n["gap_small_decay"] > base["gap_small_decay"]


def test_lang_sets_the_pages_opening_language(tmp_path: Path) -> None:
    for lang, expected in (
        ("zh", '<html lang="zh" data-default-lang="zh">'),
        ("en", '<html lang="en" data-default-lang="en">'),
    ):
        out = tmp_path / lang
        assert main(["demo", "--out", str(out), "--only", "formulas", "--lang", lang]) == 0
        assert expected in (out / "index.html").read_text(encoding="utf-8")
    out = tmp_path / "auto"
    assert main(["demo", "--out", str(out), "--only", "formulas"]) == 0
    # Without --lang the page follows the browser (navigator.language).
    assert 'data-default-lang="auto"' in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--only", "contour"], "no section 'contour'; sections: formulas, units"),
        (["--set", "decay.gama=0.9"], "section 'decay' has no parameter 'gama'"),
        (["--set", "decay.gamma=fast"], "--set decay.gamma expects a float like 0.95, got 'fast'"),
        (["--set", "gamma=0.9"], "--set expects SECTION.PARAMETER=VALUE"),
        (["--set", "nosuch.x=1"], "--set: no section 'nosuch'"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    out = tmp_path / "rep"
    assert main(["demo", "--out", str(out), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_a_failed_demo_leaves_no_partial_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    parent = tmp_path / "results"
    parent.mkdir()
    out = parent / "rep"

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(gdlab.report.page, "write_atomic", full_disk)
    assert main(["demo", "--out", str(out), "--only", "formulas"]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert list(parent.iterdir()) == []  # neither the page nor hidden temporaries
    monkeypatch.undo()
    assert main(["demo", "--out", str(out), "--only", "formulas"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_the_parameters_listed_are_the_functions_own() -> None:
    import inspect

    from gdlab.report.demo import _sections

    for section in _sections():
        signature = inspect.signature(section.build).parameters
        for name, value in section.params.items():
            assert name in signature, (section.key, name)
            assert signature[name].default == value, (section.key, name)
    assert parse_overrides(["trees.neighbours=3"]) == {"trees": {"neighbours": 3}}
    assert set(section_parameters()) >= {"contours", "decay", "minibatch", "combined"}
