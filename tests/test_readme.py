"""README.md is the front door: short, the two commands as they are, examples that print
what they say, and links that lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

from doc_examples import check_example, expected_prints, python_blocks

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")
BLOCKS = python_blocks(README)


def test_readme_fits_on_a_few_screens() -> None:
    assert len(TEXT.splitlines()) <= 200


def test_readme_gives_the_two_commands_as_the_makefile_has_them() -> None:
    assert "make demo   # creates .venv, installs gdlab, runs the whole lesson" in TEXT
    assert "make test   # creates .venv if needed, installs the test extras" in TEXT
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo: .*\n\t\$\(BIN\)/gdlab demo$", makefile, re.M)
    assert re.search(r"^test: .*\n\t\$\(BIN\)/python -m pytest\n\t\$\(MAKE\) lint$", makefile, re.M)


def test_readme_has_an_example_for_each_part_and_says_what_they_print() -> None:
    code = "\n".join(block for _, block in BLOCKS)
    for module in ("gdlab.scaling", "gdlab.schedules", "gdlab.optim", "gdlab.estimators"):
        name = module.split(".")[1]
        assert f"from {module} import" in code or f"from gdlab import {name}" in code, module
    assert sum(len(expected_prints(block)) for _, block in BLOCKS) >= 8


@pytest.mark.parametrize("start", [start for start, _ in BLOCKS])
def test_readme_example_prints_what_it_says(start: int, tmp_path: Path) -> None:
    matplotlib.use("Agg")
    code = dict(BLOCKS)[start]
    problems = list(check_example(code, f"README.md:{start}", tmp_path))
    assert problems == []


def test_readme_links_lead_to_files_that_exist() -> None:
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", TEXT)
    local = [t for t in targets if "://" not in t]
    assert len(local) >= 20
    missing = [t for t in local if not (ROOT / t).exists()]
    assert missing == []


def test_readme_points_a_chinese_reader_to_the_chinese_pages() -> None:
    head = TEXT.split("## Two commands", 1)[0]
    assert "[中文文档](docs/zh/index.md)" in head
    assert "[教师指南](docs/zh/teachers-guide.md)" in head


def test_readme_names_every_section_of_the_page_in_the_outline_order() -> None:
    from gdlab.report.outline import KEYS

    named = re.findall(r"`([a-z]+)`", TEXT.split("**What is on it.**", 1)[1].split("\n- ", 1)[0])
    assert tuple(named) == KEYS
