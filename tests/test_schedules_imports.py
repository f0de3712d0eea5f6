"""The schedules package loads light and has no import circle among its modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "gdlab" / "schedules"
HEAVY = ("sklearn", "pandas", "matplotlib", "numba", "scipy", "torch", "keras")


def _loaded_after(statement: str) -> list[str]:
    code = f"import sys; {statement}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_import_gdlab_schedules_loads_no_heavy_dependency() -> None:
    assert _loaded_after("import gdlab.schedules") == []
    assert _loaded_after("import gdlab") == []


def test_the_command_line_help_loads_no_heavy_dependency() -> None:
    # `gdlab --help` builds every subcommand's parser: none of them may load pandas (the CSV
    # reader), scikit-learn or matplotlib before a command actually runs.
    assert _loaded_after("from gdlab.cli.main import build_parser; build_parser()") == []


def test_every_public_name_of_gdlab_is_still_importable() -> None:
    import gdlab

    for name in gdlab.__all__:
        assert getattr(gdlab, name) is not None, name
    assert set(gdlab.__all__) <= set(dir(gdlab))
    code = (
        "from gdlab import *; print(StandardScaler.__name__, descend.__name__, plotting.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["StandardScaler", "descend", "gdlab.plotting"]


def _imports(path: Path) -> set[str]:
    """gdlab.schedules modules imported anywhere in ``path`` (inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found.update(n.split(".")[2] for n in names if n.startswith("gdlab.schedules."))
        elif isinstance(node, ast.Import):
            found.update(
                a.name.split(".")[2] for a in node.names if a.name.startswith("gdlab.schedules.")
            )
    return found - {path.stem}


def test_no_module_of_the_package_imports_one_that_imports_it_back() -> None:
    graph = {p.stem: _imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    graph = {m: {d for d in deps if d in graph} for m, deps in graph.items()}
    assert graph["base"] <= {"params"}  # the base class imports none of its subclasses

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for dep in graph[start]:
            if dep == target or (dep not in seen and reaches(dep, target, seen | {dep})):
                return True
        return False

    circles = sorted(m for m in graph if reaches(m, m, set()))
    assert circles == []
