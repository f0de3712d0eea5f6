"""A section's numbers in a notebook, shown as the lesson page shows them.

Each section of the notebooks ends with ``section_numbers("KEY", "zh")``: it runs the section
of the lesson's one source (:mod:`gdlab.report.sections`) with its declared defaults, on the
page's data, and displays its claim and its tables in the notebook's language, the cells
formatted as the page formats them. The display also carries the numbers themselves, as the
page's ``<script id="claims-KEY">`` holds them, in its output's metadata (``gdlab``), so a
test can check that the notebook and the page agree to the last digit.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from gdlab.report.maths import bare
from gdlab.report.prose import LANGUAGES
from gdlab.report.result import ExperimentResult, Table, format_cell
from gdlab.report.text import in_language, section_number


def _claims(result: ExperimentResult) -> dict[str, float | None]:
    # The page's own reading of the numbers (its claims JSON), imported when shown: the page
    # module loads Bokeh.
    from gdlab.report.page import claims

    return claims(result)


@dataclass(frozen=True)
class SectionNumbers:
    """A section's result, displayed in one language: its claim and its tables.

    Parameters
    ----------
    result : ExperimentResult
        What the section's ``run`` returned.
    lang : {"zh", "en"}
        The language of the words.

    Examples
    --------
    >>> from gdlab.report.sections import decay
    >>> shown = SectionNumbers(decay.run(n_samples=100, epochs=20), "zh")
    >>> print(shown.text().splitlines()[0])
    二、2 学习率调度：指数衰减
    """

    result: ExperimentResult
    lang: str

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {self.lang!r}")

    @property
    def claim(self) -> str:
        """The section's claim, filled with its numbers."""
        return in_language(self.result.claim, self.lang)

    def text(self) -> str:
        """The claim and the tables as plain text (the terminal's layout)."""
        from gdlab.report.summary import format_table

        number = section_number(self.result.section).get(self.lang)
        title = in_language(self.result.title, self.lang)
        parts = [f"{number} {title}", bare(self.claim)]
        parts += [format_table(t, self.lang) for t in self.result.tables]
        return "\n\n".join(p for p in parts if p)

    def html(self) -> str:
        """The claim and the tables as HTML (maths left as ``$...$`` for Jupyter)."""
        claim = f"<p>{html.escape(self.claim)}</p>" if self.claim else ""
        return claim + "".join(_table_html(t, self.lang) for t in self.result.tables)

    def _repr_mimebundle_(self, **_: Any) -> tuple[dict[str, str], dict[str, Any]]:
        data = {"text/plain": self.text(), "text/html": self.html()}
        meta = {"gdlab": {"section": self.result.key, "numbers": _claims(self.result)}}
        return data, meta

    def __repr__(self) -> str:
        return (
            f"SectionNumbers(key={self.result.key!r}, lang={self.lang!r}, "
            f"n_numbers={len(self.result.numbers)})"
        )


def _table_html(table: Table, lang: str) -> str:
    def cell(tag: str, text: str, numeric: bool) -> str:
        align = ' style="text-align: right"' if numeric else ""
        return f"<{tag}{align}>{html.escape(text)}</{tag}>"

    head = "".join(cell("th", in_language(c, lang), False) for c in table.columns)
    rows = "".join(
        "<tr>"
        + "".join(cell("td", format_cell(v, lang), isinstance(v, int | float)) for v in row)
        + "</tr>"
        for row in table.rows
    )
    title = html.escape(in_language(table.title, lang))
    return (
        f"<table><caption>{title}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def section_numbers(key: str, lang: str = "en", **params: Any) -> SectionNumbers:
    """Run section ``key`` of the lesson as the page runs it and show its numbers.

    Parameters
    ----------
    key : str
        The section's key in the lesson's outline (:data:`gdlab.report.outline.KEYS`).
    lang : {"zh", "en"}
        The language of the words.
    **params
        The section's parameters, checked against their declared bounds; those not given
        keep the defaults the page uses.

    Returns
    -------
    SectionNumbers

    Raises
    ------
    ValueError
        For an unknown section, language or parameter, or a value out of its bounds.

    Examples
    --------
    >>> shown = section_numbers("decay", "en", n_samples=200, epochs=60)
    >>> shown
    SectionNumbers(key='decay', lang='en', n_numbers=...)
    >>> print(shown.text().splitlines()[0])
    2.2 Learning-rate scheduling: exponential decay
    """
    from gdlab.report.outline import entry

    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    e = entry(key)
    declared = {p.name: p for p in e.params}
    values: dict[str, Any] = {name: p.default for name, p in declared.items()}
    for name, value in params.items():
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise ValueError(f"section {key!r} has no parameter {name!r}; its parameters: {known}")
        values[name] = declared[name].parse(str(value), f"{key}.{name}")
    return SectionNumbers(e.run(**values), lang)
