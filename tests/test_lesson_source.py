"""The lesson's one source: the outline, the word files, the parameters and the options.

The outline is declared once (gdlab.report.outline) and read by everything else; every
sentence lives in words/zh.yaml and words/en.yaml with the same keys and slots; every
parameter a section takes is bounded, so ``gdlab demo --set`` refuses what it cannot run.
"""

from __future__ import annotations

import inspect
import math
import re
from pathlib import Path

import pytest

from gdlab.cli import main
from gdlab.report import prose
from gdlab.report.demo import check_only, experiments, parse_overrides, section_parameters
from gdlab.report.maths import bare, rich_html
from gdlab.report.outline import KEYS, OUTLINE, entry
from gdlab.report.page import render_html
from gdlab.report.params import Param
from gdlab.report.prose import Count, Phrase, Predicted, Status, Tiny
from gdlab.report.result import ExperimentResult


def test_the_outline_is_the_lessons_in_order() -> None:
    # The seed's table of contents: 一、1-4 then 二、1-4, then the appendix.
    numbers = [e.number for e in OUTLINE]
    assert list(dict.fromkeys(numbers)) == [
        "一、1", "一、2", "一、3", "一、4", "二、1", "二、2", "二、3", "二、4",
        "附录 1", "附录 2", "附录 3",
    ]  # fmt: skip
    assert len(set(KEYS)) == len(KEYS)
    with pytest.raises(ValueError, match="no section 'nope'; sections: formulas, units"):
        entry("nope")


@pytest.mark.parametrize("e", OUTLINE, ids=lambda e: e.key)
def test_each_sections_parameters_are_its_functions(e: object) -> None:
    module = e.module  # type: ignore[attr-defined]
    signature = inspect.signature(module.run)
    assert [p.name for p in module.PARAMS] == list(signature.parameters)
    for p in module.PARAMS:
        assert signature.parameters[p.name].default == p.default, p.name
        assert type(p.default) is type(signature.parameters[p.name].default)


def test_both_languages_have_the_same_keys_and_slots() -> None:
    assert prose.check() == []
    zh, en = prose.phrases("zh"), prose.phrases("en")
    assert zh.keys() == en.keys() and len(zh) > 250
    for key in OUTLINE:
        for part in ("title", "claim", "text", "headline"):
            assert f"sections.{key.key}.{part}" in zh, (key.key, part)


def test_check_finds_a_missing_key_and_a_slot_that_differs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zh = dict(prose.phrases("zh"))
    en = dict(prose.phrases("en"))
    zh["sections.extra"] = "只在中文里"
    en["common.per_step"] = "each step leaves at most {ratio:.4g} of the error"
    monkeypatch.setattr(prose, "phrases", lambda lang: zh if lang == "zh" else en)
    assert prose.check() == [
        "sections.extra: only in zh.yaml",
        "common.per_step: slots ['rate'] in zh but ['ratio'] in en",
    ]


def test_chinese_sentences_use_full_width_punctuation() -> None:
    # A half-width comma or colon right after a Chinese character is a typo in Chinese text.
    bad = [
        (k, v)
        for k, v in prose.phrases("zh").items()
        if not k.endswith(".tex") and re.search(r"[\u4e00-\u9fff][,:;?!](?!\d)", v)
    ]
    assert bad == []


def test_english_words_hold_no_chinese_but_the_switch_to_it() -> None:
    chinese = re.compile(r"[\u4e00-\u9fff]")
    found = [k for k, v in prose.phrases("en").items() if chinese.search(v)]
    assert found == ["page.switch"]  # the button that switches to Chinese reads 中文


def test_values_read_in_each_language() -> None:
    assert Count(None, 500).in_language("zh") == "未达到（> 500）"
    assert Count(None, 500).in_language("en") == "not reached (> 500)"
    assert Count(1234, 5000).in_language("en") == "1,234" and float(Count(None, 3)) == math.inf
    assert Predicted(math.inf).in_language("en") == "none (lr ≥ 2/L)"
    # Rounding-level differences read as their bound, the same on every machine.
    assert Tiny(4.4e-16).in_language("zh") == "小于 1e-12" and float(Tiny(2e-15)) == 2e-15
    assert [Status(s).in_language("zh") for s in prose.STATUSES] == ["收敛", "未达到容差", "发散"]
    with pytest.raises(ValueError, match="status must be one of"):
        Status("fine")
    with pytest.raises(KeyError, match="needs the value 'rate'"):
        prose.fill("common.per_step", "en", {})
    with pytest.raises(KeyError, match="no phrase 'nope'"):
        Phrase("nope").get("zh")


def test_maths_in_a_sentence_becomes_mathml_and_the_rest_is_escaped() -> None:
    page = rich_html(r"a < b, $\kappa = L/\mu$ and \$5")
    assert page.startswith("a &lt; b, <math") and "&#x003BA;" in page and page.endswith("and $5")
    assert bare(r"a $\kappa$ b \$") == r"a \kappa b $"


def test_a_page_carries_each_sections_formulas_hints_and_exercises() -> None:
    r = ExperimentResult("contours", "一、3", "t", "x", numbers=_contour_numbers())
    page = render_html([r])
    formulas = len(prose.keys_under("sections.contours.formulas")) // 2  # a tex and a where
    exercises = len(prose.keys_under("sections.contours.exercises")) // 2  # a q and an a
    assert page.count('<div class="formula">') == formulas >= 4
    assert page.count("<details><summary>") == exercises >= 2
    assert '<aside class="hints">' in page and 'display="block"' in page


def _contour_numbers() -> dict[str, object]:
    from gdlab.report.sections import contours

    return contours.measure()


# ---------------------------------------------------------------------------------------------
# Parameters: typed, bounded, refused in one line.


def test_a_param_accepts_its_range_and_refuses_the_rest() -> None:
    p = Param("steps", 100, 1, 10_000)
    assert p.parse("1") == 1 and p.parse("10000") == 10_000
    for text in ("0", "10001", "1.5", "nan", "inf", "", "ten"):
        with pytest.raises(ValueError, match="expects a whole number from 1 to 10,000"):
            p.parse(text)
    q = Param("gamma", 0.95, 0.5, 0.999)
    assert q.parse("0.9") == 0.9
    for text in ("nan", "-inf", "1", "0.4"):
        with pytest.raises(ValueError, match=r"expects a number from 0\.5 to 0\.999"):
            q.parse(text)
    with pytest.raises(ValueError, match="lies outside"):
        Param("x", 5, 0, 1)


def test_every_declared_parameter_is_bounded_and_its_defaults_lie_inside() -> None:
    for key, params in section_parameters().items():
        for p in params:
            assert math.isfinite(p.low) and math.isfinite(p.high), (key, p)
            assert p.low <= p.default <= p.high


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("outliers.threshold=nan", "--set outliers.threshold expects a number"),
        ("minibatch.shuffles=0", "--set minibatch.shuffles expects a whole number from 1"),
        ("speed.epochs=1000000000", "--set speed.epochs expects a whole number from 10 to 20,000"),
        ("contours.lr=-1", "--set contours.lr expects a number"),
        ("contours.start=1", "section 'contours' has no parameter 'start'"),
        ("decay", "--set expects SECTION.PARAMETER=VALUE"),
    ],
)
def test_set_refuses_what_a_section_cannot_run(item: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_overrides([item])


def test_only_refuses_an_empty_or_unknown_list() -> None:
    with pytest.raises(ValueError, match="--only expects one or more section keys"):
        check_only([])
    with pytest.raises(ValueError, match="no section 'nope'"):
        experiments(only=["nope"])
    assert [label for label, _ in experiments(only=["decay", "contours"])] == [
        "1.3 contours",
        "2.2 decay",
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["--only", ""],
        ["--set", "outliers.threshold=nan"],
        ["--set", "minibatch.shuffles=0"],
        ["--set", "speed.epochs=1000000000"],
        ["--serve", "0.0.0.0"],
    ],
)
def test_bad_demo_options_are_one_line_and_exit_2(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["demo", "--out", str(out), *argv]) == 2
    _, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1 and err.startswith("gdlab demo: error: ")
    assert "internal error" not in err and not out.exists()


def test_set_changes_a_section_and_the_page_says_so(tmp_path: Path) -> None:
    out = tmp_path / "rep"
    argv = ["demo", "--out", str(out), "--only", "decay", "--set", "decay.gamma=0.9"]
    assert main(argv) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "× 0.9" in page or "by 0.9" in page
    assert re.findall(r'<section id="([^"]+)" class="lesson-section">', page) == ["decay"]
