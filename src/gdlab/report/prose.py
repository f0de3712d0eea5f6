"""The reader's words: one YAML file per language, keyed, with named slots that numbers fill.

``words/zh.yaml`` and ``words/en.yaml`` hold every sentence the lesson shows a reader, on the
page, in the notebooks and in the terminal. Nested mappings flatten to dotted keys
(``sections.contours.claim``) and lists to their index (``sections.contours.hints.0``). A
string's slots are Python format fields, ``{kappa_raw:.2f}``, filled from the section's
numbers; values that read differently per language (:class:`Count`, :class:`Status`) bring
their own words from the ``common`` keys. Both files must have the same keys, and each key the
same slots (:func:`check`), so a wording change is a text edit and never a code change.
"""

from __future__ import annotations

import functools
import math
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

LANGUAGES = ("zh", "en")
STATUSES = ("converged", "not_within", "diverged")


def _flatten(node: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _flatten(value, f"{prefix}{key}.")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _flatten(value, f"{prefix}{index}.")
    else:
        yield prefix[:-1], str(node)


@functools.cache
def phrases(lang: str) -> Mapping[str, str]:
    """Every phrase of ``lang`` by its dotted key.

    Examples
    --------
    >>> phrases("zh")["common.lr"], phrases("en")["common.lr"]
    ('学习率', 'learning rate')
    """
    import yaml

    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    text = resources.files("gdlab.report").joinpath("words", f"{lang}.yaml").read_text("utf-8")
    return dict(_flatten(yaml.safe_load(text)))


def keys_under(prefix: str, lang: str = "en") -> list[str]:
    """The keys that start with ``prefix.``, in file order.

    Examples
    --------
    >>> keys_under("parts")
    ['parts.one', 'parts.two', 'parts.appendix']
    """
    return [k for k in phrases(lang) if k.startswith(prefix + ".")]


def slots(template: str) -> frozenset[str]:
    """The names of the slots of ``template``.

    Examples
    --------
    >>> sorted(slots("κ from {kappa_raw:.0f} to {kappa_scaled:.1f}, {{literal}}"))
    ['kappa_raw', 'kappa_scaled']
    """
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def check() -> list[str]:
    """What differs between the languages: keys one lacks, slots that do not match.

    Examples
    --------
    >>> check()
    []
    """
    zh, en = phrases("zh"), phrases("en")
    problems = [f"{k}: only in zh.yaml" for k in zh if k not in en]
    problems += [f"{k}: only in en.yaml" for k in en if k not in zh]
    problems += [
        f"{k}: slots {sorted(slots(zh[k]))} in zh but {sorted(slots(en[k]))} in en"
        for k in zh
        if k in en and not k.endswith(".tex") and slots(zh[k]) != slots(en[k])
    ]
    # A formula is LaTeX, not a sentence: the same in both languages, and never filled.
    problems += [
        f"{k}: the formula differs" for k in zh if k.endswith(".tex") and zh[k] != en.get(k)
    ]
    return problems


class _Formatter(string.Formatter):
    """``str.format`` whose values may bring words of their own language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if hasattr(value, "in_language"):
            return str(value.in_language(self.lang, format_spec))
        return super().format_field(value, format_spec)


def fill(key: str, lang: str, values: Mapping[str, Any] | None = None) -> str:
    """The phrase ``key`` of ``lang`` with its slots filled from ``values``.

    Raises
    ------
    KeyError
        For an unknown key, or a slot that ``values`` does not fill.

    Examples
    --------
    >>> fill("common.per_step", "en", {"rate": 0.96574})
    'each step leaves at most 0.9657 of the error'
    """
    try:
        template = phrases(lang)[key]
    except KeyError:
        raise KeyError(f"no phrase {key!r} in words/{lang}.yaml") from None
    try:
        return _Formatter(lang).vformat(template, (), dict(values or {}))
    except KeyError as err:
        raise KeyError(f"phrase {key!r} needs the value {err.args[0]!r}") from None


@dataclass(frozen=True)
class Phrase:
    """A phrase of the word files, to be filled in whichever language a reader reads.

    Examples
    --------
    >>> p = Phrase("common.per_step", {"rate": 0.5})
    >>> p.get("zh")
    '每一步误差至多变为上一步的 0.5 倍'
    >>> p
    Phrase('common.per_step')
    """

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def get(self, lang: str) -> str:
        """The phrase in ``lang``, filled."""
        return fill(self.key, lang, self.values)

    def in_language(self, lang: str, spec: str = "") -> str:
        """The same, as the value of another phrase's slot."""
        return self.get(lang)

    def __str__(self) -> str:
        return self.get("en")

    def __repr__(self) -> str:
        return f"Phrase({self.key!r})"


@dataclass(frozen=True)
class Count:
    """How many steps (or epochs) a run took to reach a tolerance; ``None`` if never within
    ``budget``. Reads "31", or "not reached (> 500)" / "未达到（> 500）".

    Examples
    --------
    >>> Count(31, 500).in_language("en"), Count(None, 500).in_language("zh")
    ('31', '未达到（> 500）')
    >>> float(Count(None, 500)), float(Count(31, 500))
    (inf, 31.0)
    """

    value: int | None
    budget: int

    def in_language(self, lang: str, spec: str = "") -> str:
        if self.value is None:
            return fill("common.not_reached", lang, {"budget": self.budget})
        return f"{self.value:,}"

    def __float__(self) -> float:
        return math.inf if self.value is None else float(self.value)


@dataclass(frozen=True)
class Status:
    """How a run ended: ``converged`` (within its tolerance), ``not_within`` (finite, not yet
    within it) or ``diverged``.

    Examples
    --------
    >>> Status("not_within").in_language("zh"), Status("diverged").in_language("en")
    ('未达到容差', 'diverged')
    """

    name: str

    def __post_init__(self) -> None:
        if self.name not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.name!r}")

    def in_language(self, lang: str, spec: str = "") -> str:
        return fill(f"common.status.{self.name}", lang)


@dataclass(frozen=True)
class Predicted:
    """The theory's step count: a whole number, or none at all when the rate is at or past
    the stability limit (the theory then promises nothing).

    Examples
    --------
    >>> Predicted(198.0).in_language("en"), Predicted(math.inf).in_language("en")
    ('198', 'none (lr ≥ 2/L)')
    """

    value: float

    def in_language(self, lang: str, spec: str = "") -> str:
        if not math.isfinite(self.value):
            return fill("common.no_prediction", lang)
        return f"{self.value:,.0f}"

    def __float__(self) -> float:
        return self.value


@dataclass(frozen=True)
class Tiny:
    """A difference at the level of rounding, read as the bound it is under: "less than 1e-12".

    Its last digits depend on the machine's arithmetic (the order of a sum, the BLAS), so the
    words quote the bound, which holds everywhere; a value over it is shown as it is.

    Examples
    --------
    >>> Tiny(4.4e-16).in_language("en"), Tiny(4.4e-16).in_language("zh")
    ('less than 1e-12', '小于 1e-12')
    >>> Tiny(3e-9, bound=1e-12).in_language("en")
    '3.0e-09'
    """

    value: float
    bound: float = 1e-12

    def in_language(self, lang: str, spec: str = "") -> str:
        if abs(self.value) < self.bound:
            return fill("common.below", lang, {"bound": self.bound})
        return f"{self.value:.1e}"

    def __float__(self) -> float:
        return self.value
