"""The notebook widget's front end: one ES module built from the page's own scripts.

anywidget loads a widget's JavaScript as an ES module (``_esm``) whose ``render({model,
el})`` draws a view. This module is made, when Python imports it, from the very files the
page inlines: the engine (:func:`~gdlab.report.engine_js.engine_source`), the labs' runtime
and controllers (:data:`~gdlab.report.page_script.LAB_FILES`), then the widget's own plotter
and host (:data:`WIDGET_FILES`). They are classic scripts that register into the object
they are handed, so each view loads them into a namespace of its own: two labs in one
notebook share no state, and nothing is written to the notebook's ``window``. The page's
style sheet and the widget's own rules travel along for the view's shadow root.
"""

from __future__ import annotations

import json
from importlib import resources

from gdlab.report.engine_js import engine_source
from gdlab.report.page_script import LAB_FILES, page_scripts

WIDGET_FILES = ("plot.js", "widget.js")
"""The widget's own scripts (names inside ``js/widget``), in load order, after the labs'."""

_REPORT = resources.files("gdlab.report")

# The scripts run with `window` and `globalThis` bound to the view's namespace; the
# phrases are put there first, for words.js to find.
_MODULE = """/* gdlab's lab widget: the lesson page's engine, labs and controllers, in Jupyter. */
function load(window, globalThis) {
%(scripts)s
}

const STYLE = %(style)s;

function render({ model, el }) {
  const namespace = { gdlabPhrases: model.get("spec").words };
  load(namespace, namespace);
  return namespace.gdlabWidget(model, el, STYLE);
}

export default { render };
"""


def widget_scripts() -> list[str]:
    """The text of the widget's own scripts, in load order.

    Examples
    --------
    >>> [text.count("root.gdlabPlot = Plot") for text in widget_scripts()]
    [1, 0]
    """
    folder = _REPORT.joinpath("js", "widget")
    return [folder.joinpath(name).read_text("utf-8") for name in WIDGET_FILES]


def widget_style() -> str:
    """The page's style sheet, then the widget's own rules.

    Examples
    --------
    >>> ".gdlab-widget[lang" in widget_style() and ".controls {" in widget_style()
    True
    """
    page = _REPORT.joinpath("style.css").read_text("utf-8")
    own = _REPORT.joinpath("js", "widget", "widget.css").read_text("utf-8")
    return page + "\n" + own


def widget_module() -> str:
    """The widget's ES module: the engine, the labs' scripts and the widget's, verbatim.

    Examples
    --------
    >>> module = widget_module()
    >>> engine_source() in module, module.rstrip().endswith("export default { render };")
    (True, True)
    """
    scripts = [engine_source(), *page_scripts(LAB_FILES), *widget_scripts()]
    return _MODULE % {"scripts": "\n".join(scripts), "style": json.dumps(widget_style())}
