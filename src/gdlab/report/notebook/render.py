"""The lesson's notebooks, rendered from the lesson's one source, code written once.

Each section of the outline has one template, ``templates/sections/KEY.py.j2``: cells in
jupytext's percent format whose code is the same for both languages and whose words (the
markdown cells, the code's comments, the figures' labels and what it prints) are phrases of
the word files: the notebook's own sentences under ``notebook.*`` and the section's page
words (``sections.KEY.*``). ``templates/section.py.j2`` frames every section alike: its
heading and formulas, its body, a cell that shows its numbers as the page does
(:func:`gdlab.report.notebook.section_numbers`) and its exercises with their answers.

Phrases whose slots are filled when the notebook is rendered take the section's numbers (the
page's, from the same run); phrases of code keep their slots as the code's own format fields.
"""

from __future__ import annotations

import functools
import json
import string
from collections.abc import Mapping
from typing import Any

from gdlab.report.outline import OUTLINE, Entry
from gdlab.report.prose import LANGUAGES, fill, keys_under, phrases
from gdlab.report.text import section_number

Numbers = Mapping[str, Any]


def _comment(text: str, prefix: str = "# ") -> str:
    """``text`` as comment lines (a markdown cell of the percent format)."""
    return "\n".join(prefix + line if line else prefix.rstrip() for line in text.split("\n"))


def _literal(text: str) -> str:
    """``text`` as a Python string literal (JSON's escapes are Python's)."""
    return json.dumps(text, ensure_ascii=False)


class Words:
    """The phrases a template uses, in one language, for one section.

    A name is relative to ``notebook.sections.KEY`` (``"lead"``) or, with a leading slash,
    a full key (``"/sections.contours.fig.w1"``, ``"/notebook.numbers"``).

    Examples
    --------
    >>> w = Words("zh", "contours", {})
    >>> w.text("/sections.contours.fig.w1")
    '"w1（第一列的系数）"'
    >>> print(w.fstring("code.kappa"))
    f"条件数 κ：归一化前 {kappa_raw:.4g}，Z-Score 之后 {kappa_norm:.4g}"
    """

    def __init__(self, lang: str, key: str | None, numbers: Numbers) -> None:
        self.lang, self.key, self.numbers = lang, key, numbers
        self.placed: set[int] = set()

    def __repr__(self) -> str:
        return f"Words(lang={self.lang!r}, key={self.key!r})"

    def _key(self, name: str) -> str:
        return name[1:] if name.startswith("/") else f"notebook.sections.{self.key}.{name}"

    def say(self, name: str, **values: Any) -> str:
        """The phrase, its slots filled from the section's numbers and ``values``."""
        return fill(self._key(name), self.lang, {**self.numbers, **values})

    def md(self, name: str, **values: Any) -> str:
        """The phrase as the lines of a markdown cell."""
        return _comment(self.say(name, **values))

    def text(self, name: str, **values: Any) -> str:
        """The phrase as a Python string literal."""
        return _literal(self.say(name, **values))

    def fstring(self, name: str) -> str:
        """The phrase as Python code printing it: an f-string whose slots are the code's own
        expressions (``{kappa:.4g}``), or a plain string when it has none."""
        template = phrases(self.lang)[self._key(name)]
        plain, code = [], []
        for literal, field, spec, conversion in string.Formatter().parse(template):
            plain.append(literal)
            code.append(literal.replace("{", "{{").replace("}", "}}"))
            if field is not None:
                code.append("{" + field + (f"!{conversion}" if conversion else ""))
                code.append((f":{spec}" if spec else "") + "}")
        if len(code) == len(plain):
            return _literal("".join(plain))
        return "f" + _literal("".join(code))

    def template(self, name: str) -> str:
        """The phrase as a Python string literal, its slots left for ``str.format``."""
        return _literal(phrases(self.lang)[self._key(name)])

    def formula(self, index: int) -> str:
        """Formula ``index`` of the section (LaTeX) and the sentence that defines its symbols,
        as markdown lines; the frame leaves out the formulas a template has placed."""
        self.placed.add(index)
        base = f"sections.{self.key}.formulas.{index}"
        tex = phrases(self.lang)[f"{base}.tex"]
        return _comment(f"$${tex}$$\n\n{self.say('/' + base + '.where')}")

    def numbered(self, prefix: str) -> list[int]:
        """The indices of a numbered list of phrases (``formulas``, ``exercises``)."""
        found = {int(k[len(prefix) + 1 :].split(".")[0]) for k in keys_under(prefix, self.lang)}
        return sorted(found)


def _py(value: Any) -> str:
    """A number as Python source."""
    return repr(float(value)) if isinstance(value, float) else repr(value)


@functools.cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gdlab.report.notebook", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["py"] = _py
    env.filters["literal"] = _literal
    return env


def _outline(lang: str) -> list[tuple[str, list[str]]]:
    """The parts, each with its sections' numbers and titles."""
    parts: dict[str, list[str]] = {}
    for e in OUTLINE:
        title = fill(f"sections.{e.key}.title", lang)
        number = section_number(e.number).get(lang)
        parts.setdefault(fill(f"parts.{e.part}", lang), []).append(f"{number} {title}")
    return list(parts.items())


def _section(e: Entry, lang: str, numbers: Numbers, first_of_part: bool) -> str:
    env = _environment()
    words = Words(lang, e.key, numbers)
    # The section's module too: a template reads its settings (``m.BATCHES``) from there.
    context = {"w": words, "n": numbers, "m": e.module, "lang": lang, "key": e.key}
    body = env.get_template(f"sections/{e.key}.py.j2").render(context)
    base = f"sections.{e.key}"
    intro = f"intro.{e.part}"
    return str(
        env.get_template("section.py.j2").render(
            context,
            body=body,
            part=fill(f"parts.{e.part}", lang) if first_of_part else None,
            intro=intro if first_of_part and intro in phrases(lang) else None,
            number=section_number(e.number).get(lang),
            formulas=[i for i in words.numbered(f"{base}.formulas") if i not in words.placed],
            exercises=words.numbered(f"{base}.exercises"),
        )
    )


def render_notebook(lang: str, numbers: Mapping[str, Numbers]) -> str:
    """The notebook of the lesson in ``lang``, as jupytext percent source.

    Parameters
    ----------
    lang : {"zh", "en"}
        The notebook's language.
    numbers : mapping
        Each section's numbers (``ExperimentResult.numbers``, as the page's run computed
        them), by key: they fill the slots of the rendered words.

    Returns
    -------
    str
        The notebook, sections in the outline's order; ``jupytext.reads(text,
        fmt="py:percent")`` makes it a notebook.

    Raises
    ------
    ValueError
        For an unknown language, or when a section's numbers are missing.

    Examples
    --------
    >>> render_notebook("zh", {"contours": {}})
    Traceback (most recent call last):
    ...
    ValueError: render_notebook needs every section's numbers; missing: formulas, units, ...
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    missing = [e.key for e in OUTLINE if e.key not in numbers]
    if missing:
        raise ValueError(
            f"render_notebook needs every section's numbers; missing: {', '.join(missing)}"
        )
    head = (
        _environment()
        .get_template("head.py.j2")
        .render(w=Words(lang, None, {}), lang=lang, outline=_outline(lang))
    )
    chunks, part = [head], None
    for e in OUTLINE:
        chunks.append(_section(e, lang, numbers[e.key], e.part != part))
        part = e.part
    return "\n\n".join(c.strip("\n") for c in chunks) + "\n"
