"""The ``notebook`` extra brings what the lesson notebooks need, and no developer tools.

What gdlab requires is read from its installed metadata (``importlib.metadata``), with the
requirements of each requirement followed as far as they are installed here. The notebooks'
imports are read from their code cells, and through gdlab's own modules on the way (what a
module imports when it loads); each module outside gdlab and the standard library is traced
to the distribution that provides it, which must come with gdlab's core dependencies or the
``notebook`` extra.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

packaging = pytest.importorskip("packaging.requirements")
from packaging.requirements import Requirement  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("lesson-4.5.*.ipynb"))
# Running and editing the notebooks: JupyterLab, the kernel, the paired .py sources, running a
# notebook from the command line (the README's `jupyter nbconvert --execute`), the labs as widgets.
NOTEBOOK_TOOLS = {"jupyterlab", "ipykernel", "jupytext", "nbconvert", "anywidget"}
DEVELOPER_TOOLS = {"pytest", "hypothesis", "ruff", "mypy", "selenium", "sphinx", "dask", "pyarrow"}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(distribution: str, extras: set[str]) -> list[Requirement]:
    """What ``distribution`` requires with ``extras`` (an empty set: its core)."""
    found = []
    for text in metadata.requires(distribution) or []:
        requirement = Requirement(text)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": e}) for e in extras or {""}):
            found.append(requirement)
    return found


def closure(extras: set[str]) -> tuple[set[str], set[str]]:
    """The distributions gdlab with ``extras`` brings, and those among them not installed
    here (whose own requirements could not be followed)."""
    seen: set[str] = set()
    missing: set[str] = set()
    todo = [(requirement, set()) for requirement in requirements("gdlab", extras)]
    todo = [(r, set(r.extras)) for r, _ in todo]
    while todo:
        requirement, wanted = todo.pop()
        name = normalized(requirement.name)
        key = f"{name}[{','.join(sorted(wanted))}]"
        if key in seen:
            continue
        seen.add(key)
        try:
            following = requirements(requirement.name, wanted)
        except metadata.PackageNotFoundError:
            missing.add(name)
            continue
        todo.extend((r, set(r.extras)) for r in following)
    return {key.split("[")[0] for key in seen}, missing


def notebook_imports(path: Path) -> set[str]:
    """The modules a notebook's code cells import (its magics and shell lines left out)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    modules = set()
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        code = "".join(cell["source"])
        lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
        code = "\n".join(lines)
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module)
    return modules


def _module_imports(tree: ast.Module) -> set[str]:
    """What a module imports when it is loaded: its top-level imports, those under
    ``try`` included, those under ``if TYPE_CHECKING`` and inside functions left out."""
    modules: set[str] = set()
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Try):
            todo.extend(node.body)
        elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
            todo.extend(node.body + node.orelse)
    return modules


def required_modules(imported: set[str]) -> set[str]:
    """The top-level names of the modules outside gdlab and the standard library that
    ``imported`` needs to load: imported directly, or by a gdlab module on the way."""
    import gdlab

    package = Path(gdlab.__file__).resolve().parent
    outside: set[str] = set()
    seen: set[str] = set()
    todo = sorted(imported)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        top = name.split(".")[0]
        if top != "gdlab":
            if top not in sys.stdlib_module_names:
                outside.add(top)
            continue
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # its packages load first
        path = package.joinpath(*parts[1:])
        source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        if source.exists():
            todo.extend(_module_imports(ast.parse(source.read_text(encoding="utf-8"))))
    return outside


def distributions_of(modules: set[str]) -> dict[str, set[str]]:
    """``{distribution: its modules among modules}``; a module no installed distribution
    provides fails the test."""
    owners = metadata.packages_distributions()
    unknown = sorted(m for m in modules if m not in owners)
    assert unknown == [], f"no installed distribution provides {unknown}"
    found: dict[str, set[str]] = {}
    for module in modules:
        for distribution in owners[module]:
            found.setdefault(normalized(distribution), set()).add(module)
    return found


def test_the_extra_holds_the_notebook_tools() -> None:
    named = {normalized(r.name) for r in requirements("gdlab", {"notebook"})}
    core = {normalized(r.name) for r in requirements("gdlab", set())}
    assert named - core == NOTEBOOK_TOOLS


def test_the_extra_brings_no_developer_tools() -> None:
    provided, _ = closure({"notebook"})
    assert provided & DEVELOPER_TOOLS == set()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_what_a_notebook_imports_comes_with_the_core_or_the_extra(notebook: Path) -> None:
    imported = notebook_imports(notebook)
    assert {"gdlab.lesson", "gdlab.report.widget", "matplotlib.pyplot"} <= imported
    provided, missing = closure({"notebook"})
    needed = distributions_of(required_modules(imported))
    assert {"anywidget", "numpy", "matplotlib", "scikit-learn", "pandas"} <= set(needed)
    unprovided = {d: sorted(tops) for d, tops in needed.items() if d not in provided}
    assert unprovided == {}, f"not in gdlab's core or notebook extra (not followed: {missing})"
