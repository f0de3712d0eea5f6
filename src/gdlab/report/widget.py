"""The lesson's live labs in Jupyter: ``lab("contours")`` is the page's lab as a widget.

The widget runs the lesson page's own JavaScript (its engine, the labs' runtime and the
section's controller; :mod:`gdlab.report.widget_script`) on the section's own declaration
(:mod:`gdlab.report.widget_spec`), so a notebook's lab is dragged, typed into and played as
the page's is, and shows the same numbers. It is an `anywidget
<https://anywidget.dev>`_ widget: JupyterLab, Jupyter Notebook 7 and VS Code show it. Where
no widget front end runs (a plain ``nbconvert``, a terminal), its text says so, and the
notebook's static figures stand in for it.

Needs the ``notebook`` extra: ``pip install "gdlab[notebook]"``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

try:
    import anywidget
    import traitlets
except ImportError as err:  # the notebook extra is not installed
    raise ImportError(
        'gdlab.report.widget needs anywidget and Jupyter: pip install "gdlab[notebook]"'
    ) from err

from gdlab.report.lab import Control
from gdlab.report.outline import KEYS, entry
from gdlab.report.prose import LANGUAGES, Phrase
from gdlab.report.result import ExperimentResult
from gdlab.report.text import as_bilingual, section_number
from gdlab.report.widget_script import widget_module
from gdlab.report.widget_spec import widget_spec

__all__ = ["LIVE_SECTIONS", "LabWidget", "lab"]

LIVE_SECTIONS = ("contours", "speed", "decay", "minibatch", "combined")
"""The sections whose result carries a lab, in the lesson's order."""


def _checked(control: Control, value: Any) -> Any:
    """``value`` if ``control`` can hold it, else a ValueError saying what it takes."""
    where = f"control {control.name!r}"
    if control.kind == "checkbox":
        if not isinstance(value, bool):
            raise ValueError(f"{where} takes True or False, got {value!r}")
        return value
    if control.kind == "select":
        options = [v for v, _ in control.options]
        if value not in options:
            raise ValueError(f"{where} takes one of {options}, got {value!r}")
        return value
    number = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not (number and math.isfinite(value)):
        raise ValueError(f"{where} takes a finite number, got {value!r}")
    if control.kind == "rate" and not value > 0:
        raise ValueError(f"{where} takes a learning rate above 0, got {value!r}")
    if control.kind == "slider" and not control.low <= value <= control.high:
        span = f"from {control.low:g} to {control.high:g}"
        raise ValueError(f"{where} takes a number {span}, got {value!r}")
    return value


class LabWidget(anywidget.AnyWidget):
    """A section's live lab in a notebook: its controls, player, readouts and figures.

    Parameters
    ----------
    result : ExperimentResult
        A live section's result (it carries a :class:`~gdlab.report.lab.Lab`).
    lang : {"zh", "en"}
        The language shown first; the widget's own switch flips it.

    Attributes
    ----------
    values : dict
        The controls' values by name, kept in step with the front end both ways: assigning
        a mapping of some of them moves those controls, as a reader would.
    lang : str
        The language shown.

    Examples
    --------
    >>> from gdlab.report.sections import decay
    >>> w = LabWidget(decay.run(n_samples=200, epochs=60), lang="en")
    >>> w.values = {"gamma": 0.9}
    >>> w
    LabWidget(section='decay', lang='en', values={'factor': 1.25, 'gamma': 0.9, ...})
    """

    _esm = widget_module()
    section = traitlets.Unicode(read_only=True).tag(sync=True)
    lang = traitlets.Unicode("zh").tag(sync=True)
    spec = traitlets.Dict(read_only=True).tag(sync=True)
    values = traitlets.Dict().tag(sync=True)

    def __init__(self, result: ExperimentResult, lang: str = "zh") -> None:
        spec = widget_spec(result, lang)
        assert result.lab is not None  # widget_spec refuses a result without one
        self._controls = {c.name: c for c in result.lab.controls}
        self._title = section_number(result.section), as_bilingual(result.title)
        super().__init__(lang=lang, values={c.name: c.default for c in result.lab.controls})
        self.set_trait("section", result.key)
        self.set_trait("spec", spec)

    @traitlets.validate("lang")
    def _valid_lang(self, proposal: Mapping[str, Any]) -> str:
        lang = proposal["value"]
        if lang not in LANGUAGES:
            raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
        return str(lang)

    @traitlets.validate("values")
    def _valid_values(self, proposal: Mapping[str, Any]) -> dict[str, Any]:
        merged = {**self.values, **proposal["value"]}
        for name, value in proposal["value"].items():
            if name not in self._controls:
                raise ValueError(
                    f"this lab has no control {name!r}; its controls: {', '.join(self._controls)}"
                )
            merged[name] = _checked(self._controls[name], value)
        return merged

    def fallback(self) -> str:
        """What a notebook without a widget front end shows instead, in the widget's language.

        Examples
        --------
        >>> from gdlab.report.sections import decay
        >>> LabWidget(decay.run(n_samples=200, epochs=60), lang="en").fallback()[:60]
        '2.2 Learning-rate scheduling: exponential decay: this live l'
        """
        number, title = self._title
        values = {"number": number.get(self.lang), "title": title.get(self.lang)}
        return Phrase("widget.fallback", values).get(self.lang)

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle
        data["text/plain"] = self.fallback()
        return data, metadata

    def __repr__(self) -> str:
        return f"LabWidget(section={self.section!r}, lang={self.lang!r}, values={self.values!r})"


def _parsed(key: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` checked against the section's declared parameters."""
    declared = {p.name: p for p in entry(key).params}
    out = {}
    for name, value in params.items():
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise ValueError(f"section {key!r} has no parameter {name!r}; its parameters: {known}")
        param = declared[name]
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"{key}.{name} expects {param.expects()}, got {value!r}")
        text = str(int(value)) if isinstance(value, numbers.Integral) else str(float(value))
        out[name] = param.parse(text, f"{key}.{name}")
    return out


def lab(key: str, lang: str = "zh", **params: Any) -> LabWidget:
    """The live lab of section ``key``, run with ``params``, as a notebook widget.

    Parameters
    ----------
    key : str
        A section with a lab: one of :data:`LIVE_SECTIONS`.
    lang : {"zh", "en"}
        The language shown first.
    **params
        The section's parameters (``gdlab demo --set`` takes the same), e.g. ``lr=0.05``.

    Raises
    ------
    ValueError
        For a section without a lab, an unknown parameter or a value it does not accept.

    Examples
    --------
    >>> lab("decay", lang="en", n_samples=200, epochs=60)
    LabWidget(section='decay', lang='en', values={...'epochs': 60})
    >>> lab("formulas")
    Traceback (most recent call last):
    ...
    ValueError: section 'formulas' has no live lab; the live sections: contours, speed, ...
    """
    if key not in LIVE_SECTIONS:
        what = "has no live lab" if key in KEYS else "is not a section of the lesson"
        raise ValueError(f"section {key!r} {what}; the live sections: {', '.join(LIVE_SECTIONS)}")
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return LabWidget(entry(key).run(**_parsed(key, params)), lang=lang)
