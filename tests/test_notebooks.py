"""The lesson notebooks: in sync with their jupytext sources, and run from a clean state.

Each notebook is executed by nbclient in a fresh kernel (its own IPython profile folder, the
interpreter running the tests, an empty working folder) from its ``.py`` source. The expected
numbers are the lesson's own printed outputs, copied from the seed text
(``shared/seed/lesson-4.5-part1.zh.txt``), never computed by gdlab.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["lesson-4.5.zh", "lesson-4.5.en"]

# The lesson's printed arrays, as the seed text shows them (its "#array(...)" lines).
SEED_OUTPUTS = {
    "least squares on the mis-scaled features": """array([[ 1.99999619e+03],
       [-9.99852807e-02],
       [ 9.99705410e-01]])""",
    "their ratio": "-20002.906320210335",
    "least squares after min-max normalization": """array([[ 0.99847747],
       [-0.00622912],
       [ 0.00410845]])""",
    "predictions on normalized labels": """array([[0.90058932],
       [0.73377993],
       [0.25493639],
       [0.48001114],
       [0.24441544]])""",
    "predictions mapped back to label units": """array([[ 479.25093691],
       [ 280.4665185 ],
       [-290.1646276 ],
       [ -21.94619293],
       [-302.70229372]])""",
    "the true labels": """array([[ 479.25042102],
       [ 280.45978588],
       [-290.16538845],
       [ -21.94008706],
       [-302.70455066]])""",
    "min-max with an outlier": """array([[0.        , 0.        ],
       [0.33333333, 1.        ],
       [0.66666667, 0.04040404],
       [1.        , 0.06060606]])""",
    "z-scores with an outlier": """array([[-1.34164079, -0.65692457],
       [-0.4472136 ,  1.72970047],
       [ 0.4472136 , -0.56049527],
       [ 1.34164079, -0.51228063]])""",
    "z-score of arange(12)": """array([[-1.46385011, -1.46385011],
       [-0.87831007, -0.87831007],
       [-0.29277002, -0.29277002],
       [ 0.29277002,  0.29277002],
       [ 0.87831007,  0.87831007],
       [ 1.46385011,  1.46385011]])""",
    "sigmoid of arange(12)": """array([[0.5       , 0.73105858],
       [0.88079708, 0.95257413],
       [0.98201379, 0.99330715],
       [0.99752738, 0.99908895],
       [0.99966465, 0.99987661],
       [0.9999546 , 0.9999833 ]])""",
}
# What only a missing CJK font may write to stderr (matplotlib's missing-glyph warning).
GLYPH_WARNING = re.compile(r"UserWarning: Glyph \d+ .* missing from font")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _texts(nb: Any) -> list[tuple[int, str, str]]:
    """(cell index, kind, text) of every text output: streams, results and errors."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                found.append((i, out.name, out.text))
            elif out.output_type in ("execute_result", "display_data"):
                found.append((i, "result", out.data.get("text/plain", "")))
            elif out.output_type == "error":
                found.append((i, "error", f"{out.ename}: {out.evalue}"))
    return found


def _kernel_env(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A python3 kernel of this interpreter, a fresh IPython profile, figures inline."""
    spec = tmp / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Python 3", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp / "jupyter"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp / "ipython"))
    # The suite's conftest sets MPLBACKEND=Agg, which would leave the notebook without figures.
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")


@pytest.fixture(scope="module", params=NAMES)
def executed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Any]:
    """The notebook run from its source in a fresh kernel and an empty working folder."""
    name = request.param
    tmp = tmp_path_factory.mktemp(name)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _kernel_env(tmp, monkeypatch)
        work = tmp / "work"
        work.mkdir()
        nb = jupytext.read(NOTEBOOKS / f"{name}.py")
        client = nbclient.NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(work)}}
        )
        client.execute()
    return name, nb


@pytest.mark.parametrize("name", NAMES)
def test_notebook_matches_its_jupytext_source(name: str) -> None:
    source = jupytext.read(NOTEBOOKS / f"{name}.py")
    stored = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert [(c.cell_type, c.source) for c in stored.cells] == [
        (c.cell_type, c.source) for c in source.cells
    ], f"{name}.ipynb differs from {name}.py: run python tools/execute_notebooks.py"


@pytest.mark.parametrize("name", NAMES)
def test_stored_notebook_has_outputs_and_figures(name: str) -> None:
    stored = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    code = [c for c in stored.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code), "every code cell was executed"
    kinds = [kind for _, kind, _ in _texts(stored)]
    assert "error" not in kinds
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 8
    text = _squash("\n".join(t for _, _, t in _texts(stored)))
    for what, expected in SEED_OUTPUTS.items():
        assert _squash(expected) in text, f"stored {name}.ipynb lacks the lesson's {what}"


def test_fresh_run_prints_the_lesson_numbers(executed: tuple[str, Any]) -> None:
    name, nb = executed
    outputs = _texts(nb)
    errors = [t for _, kind, t in outputs if kind == "error"]
    assert not errors
    stderr = [t for _, kind, t in outputs if kind == "stderr"]

    def harmless(line: str) -> bool:
        # matplotlib's missing-glyph warning and the source line it quotes, indented
        return bool(GLYPH_WARNING.search(line)) or not line.strip() or line.startswith("  ")

    unexpected = [t for t in stderr if not all(harmless(line) for line in t.splitlines())]
    assert not unexpected, unexpected
    text = _squash("\n".join(t for _, _, t in outputs))
    for what, expected in SEED_OUTPUTS.items():
        assert _squash(expected) in text, f"{name}: the lesson's {what} is not printed"


def test_fresh_run_gives_the_stored_outputs(executed: tuple[str, Any]) -> None:
    # The stored notebook is the output of its source: re-run the tool after editing.
    name, nb = executed
    stored = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)

    # The font cell prints the font this machine has; every other output is the same anywhere.
    font_cells = {i for i, cell in enumerate(stored.cells) if "font_manager" in cell.source}

    def printed(book: Any) -> dict[tuple[int, str], str]:
        # Per cell: all it printed (however the kernel split it into streams), and its results.
        found: dict[tuple[int, str], str] = {}
        for i, kind, text in _texts(book):
            if kind in ("stdout", "result") and i not in font_cells:
                found[i, kind] = found.get((i, kind), "") + text
        return {key: _squash(text) for key, text in found.items()}

    assert printed(nb) == printed(stored), (
        f"{name}.ipynb holds outputs of an older source: run python tools/execute_notebooks.py"
    )


def test_fresh_run_shows_rich_displays(executed: tuple[str, Any]) -> None:
    _, nb = executed
    html = [
        out.data["text/html"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "text/html" in out.get("data", {})
    ]
    trajectories = [h for h in html if "<strong>Trajectory</strong>" in h]
    assert trajectories and all("<svg" in h for h in trajectories)
    assert any("diverged" in h for h in trajectories)
    assert any("<strong>Schedule</strong>" in h and "exponential(lr=1.25, gamma=0.95)" in h
               for h in html)  # fmt: skip
    assert any("<strong>ReduceOnPlateau</strong>" in h for h in html)
    assert any("<strong>PlateauState</strong>" in h for h in html)
    assert any("sk-top-container" in h and "MinMaxScaler" in h for h in html)
