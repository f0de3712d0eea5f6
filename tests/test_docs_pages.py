"""The documentation's sources: one page per name in each language, the same code in both,
examples that run and print what they say, and tables that agree with the code.

The site is two trees, ``docs/en`` and ``docs/zh`` (see docs/en/development.md). A page has
the same name in both; the learner's pages are written in each language, the engineering
guide in English with a Chinese page that says so and links to it. These checks read the
Markdown sources and need no build.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import matplotlib
import pytest

from doc_examples import check_example, printed_matches, python_blocks
from gdlab.report.demo import section_parameters
from gdlab.report.outline import OUTLINE

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LANGS = ("en", "zh")
# Pages written in full in both languages: what a student or a teacher reads.
LEARNER = [
    "index",
    "getting-started",
    "lesson/index",
    "lesson/sections",
    "lesson/jupyter",
    "lesson/console",
    "teachers-guide",
    "gallery",
    *sorted(f"api/{p.stem}" for p in (DOCS / "en" / "api").glob("*.md")),
]
AUTOMODULE = re.compile(r"^\.\. automodule:: (\S+)$", re.M)
HAN = re.compile(r"[\u4e00-\u9fff]")
WIDE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)


def pages(lang: str) -> set[str]:
    tree = DOCS / lang
    return {p.relative_to(tree).with_suffix("").as_posix() for p in tree.rglob("*.md")}


def source(lang: str, page: str) -> str:
    return (DOCS / lang / f"{page}.md").read_text(encoding="utf-8")


def prose(text: str) -> str:
    """The text outside code blocks, inline code, links' targets and HTML tags."""
    text = FENCE.sub("", text)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"<[^>]+>", "", text)


def code_blocks(text: str) -> list[tuple[str, str]]:
    """Each fenced block's language and code, comments left out (they are words) and the
    name of a language (``zh``, ``en``: which notebook, which language a lab opens in) read
    as any language."""
    blocks = []
    for lang, code in FENCE.findall(text):
        code = re.sub(r"\b(zh|en)\b", "LANG", code)
        if lang in ("python", "bash"):
            code = re.sub(r"(^|\s)#.*$", "", code, flags=re.M)
        elif lang == "js":
            code = re.sub(r"(^|\s)//.*$", "", code, flags=re.M)
        blocks.append((lang, "\n".join(line.rstrip() for line in code.splitlines())))
    return blocks


def test_both_languages_have_the_same_pages() -> None:
    assert pages("en") == pages("zh")
    assert set(LEARNER) <= pages("en")
    assert {f"api/{p.stem}" for p in (DOCS / "en" / "api").glob("*.md")} <= pages("zh")
    for lang in LANGS:  # the notebook of each language is copied in as lesson/notebook
        assert (ROOT / "notebooks" / f"lesson-4.5.{lang}.ipynb").exists()


@pytest.mark.parametrize("page", LEARNER)
def test_a_learner_page_is_written_in_each_language(page: str) -> None:
    # Chinese letters are most of the Chinese page's, and few of the English page's (which
    # quote the lesson's own terms and section numbers).
    for lang, low, high in (("zh", 0.5, 1.0), ("en", 0.0, 0.05)):
        letters = [c for c in prose(source(lang, page)) if c.isalpha()]
        share = sum(bool(HAN.match(c)) for c in letters) / len(letters)
        assert low < share <= high or (lang == "en" and share == 0), (lang, page, share)


@pytest.mark.parametrize("page", sorted(pages("zh") - set(LEARNER)))
def test_an_english_only_page_says_so_in_chinese_and_links_to_it(page: str) -> None:
    zh = source("zh", page)
    target = "../" * (page.count("/") + 1) + f"en/{page}.html"
    assert "这一页只有英文版" in zh and f'href="{target}"' in zh, page
    assert len(source("en", page)) > 2 * len(zh)  # the page itself is the English one


@pytest.mark.parametrize("page", sorted(pages("en")))
def test_a_page_shows_the_same_code_in_both_languages(page: str) -> None:
    if page not in LEARNER:
        assert code_blocks(source("zh", page)) in ([], code_blocks(source("en", page)))
        return
    assert code_blocks(source("zh", page)) == code_blocks(source("en", page))
    zh, en = source("zh", page), source("en", page)
    assert AUTOMODULE.findall(zh) == AUTOMODULE.findall(en)  # the same API reference


def test_chinese_prose_is_not_broken_between_two_chinese_characters() -> None:
    # A line break inside a paragraph is a space on the page, which Chinese does not have:
    # each Chinese paragraph is one line.
    broken = []
    for page in sorted(pages("zh")):
        text = FENCE.sub("", source("zh", page))
        for a, b in re.findall(r"(\S)\n[ \t]*(\S)", text):
            if WIDE.match(a) and WIDE.match(b):
                broken.append(f"{page}: {a}|{b}")
    assert broken == []


def test_every_page_is_written_in_its_tree_not_included_from_elsewhere() -> None:
    for path in DOCS.rglob("*.md"):
        assert "{include}" not in path.read_text(encoding="utf-8"), path


def _table_rows(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """The sections table: ``{key: (section number, {parameter: default})}``."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"`[a-z_]+`", cells[1]):
            params = dict(re.findall(r"`(\w+)=([^`]+)`", cells[3].split("（")[0].split("(")[0]))
            rows[cells[1].strip("`")] = (cells[0], params)
    return rows


@pytest.mark.parametrize("lang", LANGS)
def test_the_table_of_sections_gives_every_section_with_its_parameters(lang: str) -> None:
    rows = _table_rows(source(lang, "lesson/sections"))
    assert list(rows) == [e.key for e in OUTLINE]
    declared = section_parameters()
    for e in OUTLINE:
        number, params = rows[e.key]
        assert number == e.number, e.key
        expected = {p.name: p.default for p in declared[e.key]}
        assert {k: float(v) for k, v in params.items()} == pytest.approx(expected), e.key


def _examples() -> list[tuple[str, int, str]]:
    seen, found = set(), []
    for lang in LANGS:
        for path in sorted((DOCS / lang).rglob("*.md")):
            for start, code in python_blocks(path):
                if code not in seen:
                    seen.add(code)
                    found.append((path.relative_to(DOCS).as_posix(), start, code))
    return found


EXAMPLES = _examples()


def test_the_pages_have_examples() -> None:
    assert len(EXAMPLES) >= 12


@pytest.mark.parametrize("page, start, code", EXAMPLES, ids=[f"{p}:{s}" for p, s, _ in EXAMPLES])
def test_an_example_prints_what_it_says(
    page: str, start: int, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "import dask" in code and importlib.util.find_spec("distributed") is None:
        pytest.skip("the dask extra is not installed")
    if "gdlab.report.widget" in code and importlib.util.find_spec("anywidget") is None:
        pytest.skip("the notebook extra is not installed")
    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    assert list(check_example(code, f"{page}:{start}", tmp_path)) == []


@pytest.mark.parametrize(
    "expected, printed, same",
    [
        ("1.05", "1.0477624564079429", True),
        ("1.05", "1.0557", False),
        ("8901", "8900.992875774218", True),
        ("[5. 6.] [3.41565026 3.41565026]", "[5. 6.] [3.41565026 3.41565026]\n", True),
        ("[5. 6.] [3.41565026 3.41565026]", "[5. 6.] [3.41565027 3.41565026]\n", False),
        (
            "Trajectory(..., status='max_epochs', ...)",
            "Trajectory(m=1, status='max_epochs', n=2)",
            True,
        ),
        (
            "Trajectory(..., status='max_epochs', ...)",
            "Trajectory(m=1, status='diverged', n=2)",
            False,
        ),
        ("[0.2      0.19     0.1805]", "[0.2    0.19   0.1805]", True),
        ("True", "False", False),
        ("1.2e-3", "0.00121", True),
        ("1.2e-3", "0.0013", False),
    ],
)
def test_a_print_comment_is_checked_against_what_is_printed(
    expected: str, printed: str, same: bool
) -> None:
    assert printed_matches(expected, printed) is same
