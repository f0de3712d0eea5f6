"""Build the lesson notebooks from their jupytext sources and store them with outputs.

``notebooks/*.py`` (jupytext percent format) are the sources; each is executed in a fresh
kernel, from the ``notebooks/`` folder, and written next to it as ``.ipynb`` with its outputs,
so the notebook reads well on a code host and the documentation renders it without running
it. Run after editing a source::

    python tools/execute_notebooks.py            # every notebook
    python tools/execute_notebooks.py lesson-4.5.zh.py

The tests (``tests/test_notebooks.py``) check that each ``.ipynb`` holds its source's cells
and run every notebook again from a clean state.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TIMEOUT = 300  # seconds per cell: generous, a whole notebook takes well under a minute


def execute(source: Path) -> Path:
    """Execute the jupytext source ``source`` and write its ``.ipynb`` with outputs."""
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(source)
    nb.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3",
                                          "language": "python"})  # fmt: skip
    NotebookClient(
        nb, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    target = source.with_suffix(".ipynb")
    # Outputs only: the kernel's timing metadata would make every run a diff, and so would
    # the points where a slow cell's printing happened to be flushed.
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    jupytext.write(nb, target, fmt="ipynb")
    return target


def merge_streams(outputs: list[Any]) -> list[Any]:
    """Join consecutive stdout (or stderr) outputs of a cell into one."""
    merged: list[Any] = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (
            out.output_type == "stream"
            and last is not None
            and last.output_type == "stream"
            and last.name == out.name
        ):
            last.text += out.text
        else:
            merged.append(out)
    return merged


def clean_kernel(tmp: Path) -> None:
    """Run notebooks in a python3 kernel of this interpreter, a fresh profile, figures inline."""
    spec = tmp / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Python 3", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    os.environ["JUPYTER_PATH"] = str(tmp / "jupyter")
    os.environ["IPYTHONDIR"] = str(tmp / "ipython")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="sources in notebooks/ (default: all)")
    args = parser.parse_args(argv)
    sources = [NOTEBOOKS / n for n in args.names] or sorted(NOTEBOOKS.glob("*.py"))
    clean_kernel(Path(tempfile.mkdtemp(prefix="gdlab-notebooks-")))
    for source in sources:
        start = time.perf_counter()
        target = execute(source)
        print(f"{target.relative_to(NOTEBOOKS.parent)}: {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
