"""The data flow of DESIGN.md as a rule: a lower layer never imports a higher one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "gdlab"

# datasets -> scaling -> models -> schedules -> optim/trajectory -> analysis -> plotting
# -> report/cli; lesson and estimators sit beside the engine and build on it.
RANK = {
    "files": 0,
    "jit": 0,
    "display": 0,
    "threads": 0,
    "datasets": 0,
    "scaling": 1,
    "models": 2,
    "schedules": 3,
    "trajectory": 4,
    "optim": 4,
    "analysis": 5,
    "lesson": 5,
    "estimators": 5,
    "plotting": 6,
    "report": 7,
    "cli": 8,
}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "gdlab" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in RANK else None


def _imported_modules(path: Path, package: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against the module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                prefix = ".".join(base)
                module = f"{prefix}.{node.module}" if node.module else prefix
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "conftest.py")


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_upward_imports(path: Path) -> None:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = ["gdlab", *rel.parts]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    own = _layer(".".join(parts))
    if own is None:
        return
    package = ".".join(parts if path.name == "__init__.py" else parts[:-1])
    upward = sorted(
        m
        for m in _imported_modules(path, package)
        if (layer := _layer(m)) is not None and RANK[layer] > RANK[own]
    )
    assert not upward, f"{rel} (layer {own!r}) imports higher layers: {upward}"


def test_engine_never_imports_matplotlib() -> None:
    for sub in ("optim", "schedules", "scaling", "models", "trajectory"):
        for path in PACKAGE.glob(f"{sub}*/**/*.py" if (PACKAGE / sub).is_dir() else f"{sub}.py"):
            assert "matplotlib" not in path.read_text(encoding="utf-8"), path
