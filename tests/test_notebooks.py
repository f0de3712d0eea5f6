"""The lesson notebooks: rendered from the lesson's one source, run from a clean state, and
printing the page's numbers.

Both notebooks are rendered by ``tools/render_notebooks.py`` from one template per section and
the word files; here the committed ones are checked to be a fresh rendering, their two languages
to run the same code, and each is executed by nbclient in a fresh kernel (its own IPython profile
folder, the interpreter running the tests, an empty working folder) from its ``.py`` source.
The lesson's printed numbers are its own outputs, copied from the seed text
(``shared/seed/lesson-4.5-part1.zh.txt``), never computed by gdlab; the page's numbers are
read from the ``<script id="claims-KEY">`` elements of a page that ``gdlab.report.demo.run_demo``
builds here.
"""

from __future__ import annotations

import ast
import io
import json
import math
import re
import string
import sys
import tokenize
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from gdlab.report.demo import DemoRun, run_demo  # noqa: E402
from gdlab.report.notebook import SectionNumbers, render_notebook  # noqa: E402
from gdlab.report.outline import KEYS  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["lesson-4.5.zh", "lesson-4.5.en"]
RENDER = "run python tools/render_notebooks.py"

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
CJK = re.compile(r"[\u3400-\u9fff]")
# The English words gdlab's figures draw unless told otherwise: none may reach a Chinese figure.
ENGLISH_DEFAULTS = re.compile(
    r"\b(epoch|updates|loss|optimal|optimum|learning rate|steps|diverged|features|kappa|"
    r"scaled|raw|Data before|schedules|Stability|finished|batch size)\b",
    re.IGNORECASE,
)
# Run first in the kernel under test: every figure's words are noted as it is drawn.
RECORD_FIGURES = """\
from matplotlib.backend_bases import FigureCanvasBase as _Canvas

_figure_words, _print_figure = [], _Canvas.print_figure


def _noting_words(canvas, *args, **kwargs):
    words = [t.get_text() for t in canvas.figure.texts]
    for ax in canvas.figure.axes:
        words += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        legend = ax.get_legend()
        words += [t.get_text() for t in legend.get_texts()] if legend else []
    _figure_words.append([w for w in words if w.strip()])
    return _print_figure(canvas, *args, **kwargs)


_Canvas.print_figure = _noting_words
"""
PRINT_FIGURES = "import json as _json\n\nprint(_json.dumps(_figure_words, ensure_ascii=False))"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _lang(name: str) -> str:
    return name.rsplit(".", 1)[-1]


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


class _Claims(HTMLParser):
    """The page's ``<script type="application/json" id="claims-KEY">`` contents, by key."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, Any] = {}
        self._key: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ident = dict(attrs).get("id") or ""
        self._key = (
            ident.removeprefix("claims-")
            if tag == "script" and ident.startswith("claims-")
            else None
        )

    def handle_data(self, data: str) -> None:
        if self._key is not None:
            self.found[self._key] = json.loads(data)

    def handle_endtag(self, tag: str) -> None:
        self._key = None


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoRun, dict[str, Any]]:
    """The lesson page as ``gdlab demo`` builds it, and its claims by section."""
    run = run_demo(tmp_path_factory.mktemp("page") / "page")
    assert run.path is not None
    parser = _Claims()
    parser.feed(run.path.read_text(encoding="utf-8"))
    return run, parser.found


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
) -> tuple[str, Any, list[list[str]]]:
    """The notebook run from its source in a fresh kernel and an empty working folder, and
    the words of every figure it drew."""
    name = request.param
    tmp = tmp_path_factory.mktemp(name)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _kernel_env(tmp, monkeypatch)
        work = tmp / "work"
        work.mkdir()
        nb = jupytext.read(NOTEBOOKS / f"{name}.py")
        nb.cells.insert(0, nbformat.v4.new_code_cell(RECORD_FIGURES))
        nb.cells.append(nbformat.v4.new_code_cell(PRINT_FIGURES))
        client = nbclient.NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(work)}}
        )
        client.execute()
    first, last = nb.cells.pop(0), nb.cells.pop()
    assert not first.outputs, first.outputs
    return name, nb, json.loads(last.outputs[0].text)


# ---------------------------------------------------------------------------------------------
# The stored notebooks: a fresh rendering of the source, one code for both languages.


@pytest.mark.parametrize("name", NAMES)
def test_stored_notebook_is_a_fresh_rendering_of_the_lesson_source(
    name: str, page: tuple[DemoRun, dict[str, Any]]
) -> None:
    run, _ = page
    fresh = render_notebook(_lang(name), {r.key: r.numbers for r in run.results})
    stored = (NOTEBOOKS / f"{name}.py").read_text(encoding="utf-8")
    assert stored == fresh, f"{name}.py is not what the lesson source renders: {RENDER}"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_matches_its_jupytext_source(name: str) -> None:
    source = jupytext.read(NOTEBOOKS / f"{name}.py")
    stored = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert [(c.cell_type, c.source) for c in stored.cells] == [
        (c.cell_type, c.source) for c in source.cells
    ], f"{name}.ipynb differs from {name}.py: {RENDER}"


def _code_tokens(source: str) -> list[tuple[str, str]]:
    """The cell's code with its words taken out: comments dropped, every string one
    placeholder, but an f-string keeps the expressions it formats."""

    def value(token: tokenize.TokenInfo) -> str:
        if token.type == getattr(tokenize, "FSTRING_MIDDLE", None):
            return "<words>"  # Python 3.12 splits f-strings: their text alone
        if token.type != tokenize.STRING:
            return token.string
        if not token.string.lower().startswith("f"):
            return "<words>"
        body = ast.literal_eval(token.string[1:])
        # Each language orders its words (and so the fields) its own way.
        fields = sorted(
            (f, spec) for _, f, spec, _ in string.Formatter().parse(body) if f is not None
        )
        return f"<words {fields}>"

    return [
        (tokenize.tok_name[t.type], value(t))
        for t in tokenize.generate_tokens(io.StringIO(source + "\n").readline)
        if t.type not in (tokenize.COMMENT, tokenize.NL)
    ]


def test_both_languages_run_the_same_code() -> None:
    zh, en = (jupytext.read(NOTEBOOKS / f"{name}.py") for name in NAMES)
    assert [c.cell_type for c in zh.cells] == [c.cell_type for c in en.cells]
    pairs = [(a.source, b.source) for a, b in zip(zh.cells, en.cells, strict=True)]
    code = [(a, b) for (a, b), c in zip(pairs, zh.cells, strict=True) if c.cell_type == "code"]
    assert len(code) > 40
    for a, b in code:
        assert _code_tokens(a) == _code_tokens(b), (a, b)
    # ... and the words are the language's own: the Chinese code speaks Chinese.
    assert sum(bool(CJK.search(a)) for a, _ in code) > 30
    assert not any(CJK.search(b) for _, b in code)


def test_chinese_markdown_uses_full_width_punctuation() -> None:
    # A half-width comma, colon, semicolon, question or exclamation mark right after a Chinese
    # character is a typo in Chinese prose.
    nb = jupytext.read(NOTEBOOKS / "lesson-4.5.zh.py")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert len(CJK.findall(text)) > 5000
    bad = [m.group(0) for m in re.finditer(r".{0,12}[\u3400-\u9fff][,:;?!].{0,12}", text)]
    assert bad == []


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


# ---------------------------------------------------------------------------------------------
# A fresh run: the lesson's numbers, the page's numbers, the stored outputs, the language.


def test_fresh_run_prints_the_lesson_numbers(executed: tuple[str, Any, Any]) -> None:
    name, nb, _ = executed
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


def test_fresh_run_shows_every_sections_numbers_as_the_page_does(
    executed: tuple[str, Any, Any], page: tuple[DemoRun, dict[str, Any]]
) -> None:
    name, nb, _ = executed
    run, claims = page
    shown = [
        (out.metadata["gdlab"], out.data)
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "gdlab" in out.get("metadata", {})
    ]
    assert [meta["section"] for meta, _ in shown] == list(KEYS)
    for meta, data in shown:
        key, numbers = meta["section"], meta["numbers"]
        assert numbers.keys() == claims[key].keys(), key
        for number, value in numbers.items():
            expected = claims[key][number]
            # The same code on the same data: equal but for the last bits of a float sum.
            same = value == expected or (
                value is not None and expected is not None and math.isclose(value, expected,
                                                                            rel_tol=1e-12)
            )  # fmt: skip
            assert same, (key, number, value, expected)
        # What the reader sees: the page's claim and tables, in the notebook's language.
        assert data["text/plain"] == SectionNumbers(run.result(key), _lang(name)).text(), key


def test_fresh_run_gives_the_stored_outputs(executed: tuple[str, Any, Any]) -> None:
    # The stored notebook is the output of its source: re-run the tool after editing.
    name, nb, _ = executed
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
        f"{name}.ipynb holds outputs of an older source: {RENDER}"
    )


def test_fresh_run_labels_its_figures_in_its_language(executed: tuple[str, Any, Any]) -> None:
    name, _, figures = executed
    assert len(figures) >= 8
    for words in figures:
        assert words, "every figure is labelled"
        if _lang(name) == "zh":
            assert any(CJK.search(w) for w in words), words
            # A Chinese label may name the English term beside it: 轮数（epoch）.
            assert not [w for w in words if ENGLISH_DEFAULTS.search(w) and not CJK.search(w)], words
        else:
            assert not [w for w in words if CJK.search(w)], words


def test_fresh_run_shows_rich_displays(executed: tuple[str, Any, Any]) -> None:
    _, nb, _ = executed
    html = [
        out.data["text/html"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "text/html" in out.get("data", {})
    ]
    trajectories = [h for h in html if "<strong>Trajectory</strong>" in h]
    assert trajectories and all("<svg" in h for h in trajectories)
    assert any("diverged" in h for h in trajectories)
    assert any("<strong>Schedule</strong>" in h and "exponential(lr=" in h and "gamma=0.95" in h
               for h in html)  # fmt: skip
    assert any("<strong>ReduceOnPlateau</strong>" in h for h in html)
    assert any("<strong>PlateauState</strong>" in h for h in html)
    assert any("sk-top-container" in h and "MinMaxScaler" in h for h in html)
