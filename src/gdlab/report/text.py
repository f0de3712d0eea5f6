"""Words in the report's two languages: Chinese, the lesson's own, and English.

The page carries both and shows one (``<span lang="zh">`` beside ``<span lang="en">``); the
terminal prints one. A plain ``str`` stands for text that reads the same in both, such as a
number or a formula, so code that only has one language keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass

from gdlab.report.prose import LANGUAGES, Phrase


@dataclass(frozen=True)
class Bilingual:
    """One piece of text in Chinese and in English.

    Examples
    --------
    >>> t = Bilingual("等高线", "contours")
    >>> t.get("zh"), t.get("en"), str(t)
    ('等高线', 'contours', 'contours')
    """

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``"zh"`` or ``"en"``)."""
        if lang not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.en

    def __add__(self, other: Bilingual | str) -> Bilingual:
        o = as_bilingual(other)
        return Bilingual(self.zh + o.zh, self.en + o.en)

    def __radd__(self, other: str) -> Bilingual:
        return Bilingual(other + self.zh, other + self.en)


Text = str | Bilingual | Phrase


def as_bilingual(text: Text) -> Bilingual:
    """``text`` as a :class:`Bilingual`: a phrase filled in both languages; a plain string
    reads the same in both.

    Examples
    --------
    >>> as_bilingual("2 / L")
    Bilingual(zh='2 / L', en='2 / L')
    >>> as_bilingual(Phrase("common.lr"))
    Bilingual(zh='学习率', en='learning rate')
    """
    if isinstance(text, Bilingual):
        return text
    if isinstance(text, Phrase):
        return Bilingual(text.get("zh"), text.get("en"))
    return Bilingual(text, text)


def in_language(text: Text, lang: str) -> str:
    """The text of ``text`` in ``lang``.

    Examples
    --------
    >>> in_language(Bilingual("学习率", "learning rate"), "zh"), in_language("lr", "zh")
    ('学习率', 'lr')
    """
    return as_bilingual(text).get(lang)


def section_number(section: str) -> Bilingual:
    """The outline number in both languages: ``一、3`` reads ``1.3`` in English.

    Examples
    --------
    >>> section_number("二、4"), section_number("附录 2").en
    (Bilingual(zh='二、4', en='2.4'), 'A.2')
    """
    for zh, en in (("一、", "1."), ("二、", "2."), ("附录 ", "A.")):
        if section.startswith(zh):
            return Bilingual(section, en + section[len(zh) :])
    return Bilingual(section, section)
