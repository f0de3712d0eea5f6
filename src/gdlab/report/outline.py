"""The lesson's outline, declared once: its parts, its sections in order, and their words.

Each section is a module of :mod:`gdlab.report.sections` named by its key, with ``PARAMS``
(its parameters, :class:`~gdlab.report.params.Param`) and ``run(**params)``, which returns
the section's :class:`~gdlab.report.result.ExperimentResult`. The page, the notebooks, the
terminal summary, ``gdlab demo --only / --set`` and the tests all read this one list.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from gdlab.report.params import Param
from gdlab.report.prose import Phrase
from gdlab.report.result import ExperimentResult


@dataclass(frozen=True)
class Entry:
    """Where one section sits: its key, its number in the lesson's outline and its part."""

    key: str
    number: str
    part: str

    @property
    def module(self) -> ModuleType:
        """The section's module, imported on first use (the engine loads with it)."""
        return importlib.import_module(f"gdlab.report.sections.{self.key}")

    @property
    def params(self) -> tuple[Param, ...]:
        """The section's parameters."""
        params: tuple[Param, ...] = self.module.PARAMS
        return params

    @property
    def run(self) -> Callable[..., ExperimentResult]:
        """The section's function."""
        run: Callable[..., ExperimentResult] = self.module.run
        return run


OUTLINE: tuple[Entry, ...] = (
    Entry("formulas", "一、1", "one"),
    Entry("units", "一、2", "one"),
    Entry("affine", "一、3", "one"),
    Entry("interpretability", "一、3", "one"),
    Entry("trees", "一、3", "one"),
    Entry("contours", "一、3", "one"),
    Entry("outliers", "一、4", "one"),
    Entry("speed", "二、1", "two"),
    Entry("decay", "二、2", "two"),
    Entry("minibatch", "二、3", "two"),
    Entry("combined", "二、4", "two"),
    Entry("conditioning", "附录 1", "appendix"),
    Entry("stability", "附录 2", "appendix"),
    Entry("iterations", "附录 3", "appendix"),
)
KEYS = tuple(e.key for e in OUTLINE)


def entry(key: str) -> Entry:
    """The outline's entry for ``key``.

    Examples
    --------
    >>> entry("contours")
    Entry(key='contours', number='一、3', part='one')
    """
    for e in OUTLINE:
        if e.key == key:
            return e
    raise ValueError(f"no section {key!r}; sections: {', '.join(KEYS)}")


def words(key: str) -> Callable[..., Phrase]:
    """A shorthand for the phrases of section ``key``: ``t("surface.title")``.

    Examples
    --------
    >>> t = words("contours")
    >>> t("lab.lr")
    Phrase('sections.contours.lab.lr')
    """

    def phrase(name: str, **values: Any) -> Phrase:
        return Phrase(f"sections.{key}.{name}", values)

    return phrase


def section_result(key: str, numbers: Mapping[str, Any], **parts: Any) -> ExperimentResult:
    """The result of section ``key``: its place in the outline, its words filled from
    ``numbers``, and ``parts`` (tables, charts, images, lab)."""
    e = entry(key)
    t = words(key)
    return ExperimentResult(
        key=key,
        section=e.number,
        part=Phrase(f"parts.{e.part}"),
        title=t("title"),
        claim=t("claim", **numbers),
        text=t("text", **numbers),
        headline=t("headline", **numbers),
        numbers=dict(numbers),
        **parts,
    )
