"""How the notebooks are rendered from the lesson source: templates, words, numbers.

The rendering itself is checked end to end by ``tests/test_notebooks.py`` (the stored
notebooks are a fresh rendering, and run); these are the pieces, fast.
"""

from __future__ import annotations

import ast
import math
from importlib import resources

import pytest

from gdlab.report import prose
from gdlab.report.notebook import SectionNumbers, render_notebook, section_numbers
from gdlab.report.notebook.render import Words
from gdlab.report.outline import KEYS
from gdlab.report.page import claims
from gdlab.report.summary import format_table


def test_every_section_has_one_template_and_every_template_a_section() -> None:
    folder = resources.files("gdlab.report.notebook").joinpath("templates", "sections")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".py.j2"))
    assert names == sorted(f"{key}.py.j2" for key in KEYS)


def test_every_section_has_its_notebook_words_in_both_languages() -> None:
    assert prose.check() == []
    for key in KEYS:
        assert prose.keys_under(f"notebook.sections.{key}"), key


def test_code_words_keep_the_codes_own_fields_and_stay_python() -> None:
    zh, en = Words("zh", "contours", {}), Words("en", "contours", {})
    assert zh.fstring("code.kappa") == (
        'f"条件数 κ：归一化前 {kappa_raw:.4g}，Z-Score 之后 {kappa_norm:.4g}"'
    )
    # The f-string the notebook runs, evaluated on the values its code computes.
    shown = eval(en.fstring("code.kappa"), {}, {"kappa_raw": 33.97056, "kappa_norm": 1.0})
    assert shown == "condition number κ: raw 33.97, after z-score 1"
    # A phrase without slots is a plain string; a template keeps its fields for str.format.
    assert ast.literal_eval(zh.fstring("code.same_paths")) == "与课程的轨迹相同："
    assert ast.literal_eval(en.template("code.path_label")) == "{name} ({steps} steps)"
    # Quotes and backslashes in a phrase still make one valid literal.
    assert ast.literal_eval(Words("en", "contours", {}).text("after")).startswith("On normalized")


def test_rendered_words_are_filled_with_the_sections_numbers() -> None:
    words = Words("en", "speed", {"kappa_zscore": 21.55, "kappa_raw": 58870.0,
                                  "fraction": 0.95, "budget": 5000})  # fmt: skip
    assert "After z-score κ is only 21.6, against 58,870" in words.say("after")
    assert words.md("after").startswith("# After z-score")
    formula = Words("zh", "contours", {"rtol": 1e-3}).formula(4)
    assert formula.startswith("# $$q = ") and "tol = 0.001" in formula


def test_rendering_needs_every_sections_numbers_and_a_known_language() -> None:
    with pytest.raises(ValueError, match="missing: formulas, units"):
        render_notebook("zh", {"contours": {}})
    with pytest.raises(ValueError, match="language must be one of"):
        render_notebook("fr", {})


def test_section_numbers_show_the_pages_claim_tables_and_numbers() -> None:
    shown = section_numbers("decay", "zh", n_samples=200, epochs=60)
    result = shown.result
    assert result.numbers["n_samples"] == 200 and result.numbers["budget"] == 60
    text = shown.text()
    assert text.startswith("二、2 ") and result.claim.get("zh") in text
    assert format_table(result.tables[0], "zh") in text
    data, meta = shown._repr_mimebundle_()
    assert data["text/plain"] == text
    assert "<table>" in data["text/html"] and "发散" in data["text/html"]
    assert meta == {"gdlab": {"section": "decay", "numbers": claims(result)}}
    assert (
        math.isinf(result.numbers["gap_large_fixed"])
        and meta["gdlab"]["numbers"]["gap_large_fixed"] is None
    )
    assert repr(shown).startswith("SectionNumbers(key='decay', lang='zh', n_numbers=")


def test_section_numbers_refuse_what_the_section_does_not_take() -> None:
    with pytest.raises(ValueError, match="section 'decay' has no parameter 'lr'; its parameters"):
        section_numbers("decay", "en", lr=0.1)
    with pytest.raises(ValueError, match=r"decay.gamma expects a number from 0\.5 to 0\.999"):
        section_numbers("decay", "en", gamma=2.0)
    with pytest.raises(ValueError, match="no section 'nope'"):
        section_numbers("nope", "en")
    with pytest.raises(ValueError, match="language must be one of"):
        section_numbers("decay", "fr")
    with pytest.raises(ValueError, match="language must be one of"):
        SectionNumbers(section_numbers("decay", "en", n_samples=50, epochs=10).result, "de")
