"""Render the lesson notebooks from the lesson's one source and store them with outputs.

    python tools/render_notebooks.py                # both languages, rendered and executed
    python tools/render_notebooks.py zh             # one language
    python tools/render_notebooks.py --no-execute   # the .py sources only

The lesson's sections run first, as ``gdlab demo`` runs them (their numbers fill the words
of the notebooks); ``gdlab.report.notebook.render_notebook`` then writes
``notebooks/lesson-4.5.{zh,en}.py`` (jupytext percent format) from the templates in
``src/gdlab/report/notebook/templates/`` and the word files, and each is executed in a fresh
kernel, from the ``notebooks/`` folder, into ``lesson-4.5.{zh,en}.ipynb`` with its outputs, so
the notebook reads well on a code host and the documentation renders it without running it.

Edit the templates or the word files, never the notebooks: ``tests/test_notebooks.py`` checks
that the stored notebooks are a fresh rendering of the source and that their outputs are
what a fresh run prints.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
LANGUAGES = ("zh", "en")
TIMEOUT = 600  # seconds per cell: generous, the slowest section's numbers take well under that


def source_path(lang: str) -> Path:
    """Where the notebook of ``lang`` is written, as jupytext source."""
    return NOTEBOOKS / f"lesson-4.5.{lang}.py"


def section_numbers() -> dict[str, Any]:
    """Every section's numbers, from the lesson's run at its default settings."""
    from gdlab.report.demo import run_demo

    return {r.key: r.numbers for r in run_demo(None, stream=sys.stderr).results}


def execute(text: str, target: Path) -> Path:
    """Execute the jupytext source ``text`` and write it to ``target`` with its outputs."""
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.reads(text, fmt="py:percent")
    NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        store_widget_state=False,
    ).execute()
    # Outputs only: the kernel's timing metadata would make every run a diff, and so would
    # the points where a slow cell's printing happened to be flushed, and random cell ids.
    for index, cell in enumerate(nb.cells):
        cell.id = f"{index:03d}-{hashlib.sha1(cell.source.encode('utf-8')).hexdigest()[:8]}"
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
            for out in cell.outputs:
                # A widget's view names a model of this run only: the stored notebook keeps
                # the text a reader without a widget front end sees.
                out.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    from gdlab.files import write_atomic

    write_atomic(target, jupytext.writes(nb, fmt="ipynb"))
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
    from gdlab.files import write_atomic
    from gdlab.report.notebook import render_notebook

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("languages", nargs="*", help="zh, en (default: both)")
    parser.add_argument("--no-execute", action="store_true", help="write the .py sources only")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.languages) - set(LANGUAGES))
    if unknown:
        parser.error(f"languages are {', '.join(LANGUAGES)}; got {', '.join(unknown)}")
    numbers = section_numbers()
    if not args.no_execute:
        clean_kernel(Path(tempfile.mkdtemp(prefix="gdlab-notebooks-")))
    for lang in args.languages or LANGUAGES:
        text = render_notebook(lang, numbers)
        write_atomic(source_path(lang), text)
        if args.no_execute:
            continue
        start = time.perf_counter()
        target = execute(text, source_path(lang).with_suffix(".ipynb"))
        print(f"{target.relative_to(NOTEBOOKS.parent)}: {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
