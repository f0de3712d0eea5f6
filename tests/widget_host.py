"""A plain HTML page that hosts the lab widget's front end as anywidget would, for the tests.

anywidget imports a widget's ``_esm`` from a blob URL and calls its ``render({model, el})``
with a model that has ``get``, ``set`` (which tells the view's own ``change:NAME``
listeners, as Backbone's models do), ``on``, ``off`` and ``save_changes``. The page does the
same with the state Python's widget produces (``get_state()`` through JSON, as Jupyter's
messages carry it) and keeps the model on ``window.model``: ``model.state`` is what the front
end would send back, ``model.saved`` how often it did.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from browser_page import CHROMEDRIVER, chrome_options
from gdlab.report.page_parts import json_script

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>widget host</title></head>
<body style="margin: 0"><div id="host" style="width: %(width)dpx"></div>
%(state)s
%(esm)s
<script type="module">
class Model {
  constructor(state) { this.state = state; this.handlers = {}; this.saved = 0; }
  get(name) { return this.state[name]; }
  set(name, value) {
    this.state[name] = value;
    (this.handlers["change:" + name] || []).slice().forEach((f) => f());
  }
  on(event, f) { (this.handlers[event] = this.handlers[event] || []).push(f); }
  off(event, f) { this.handlers[event] = (this.handlers[event] || []).filter((g) => g !== f); }
  save_changes() { this.saved += 1; }
  send() {}
}
const read = (id) => JSON.parse(document.getElementById(id).textContent);
window.model = new Model(read("state"));
try {
  const url = URL.createObjectURL(new Blob([read("esm")], { type: "text/javascript" }));
  const widget = (await import(url)).default;
  window.cleanup = widget.render({ model: window.model, el: document.getElementById("host") });
  window.rendered = true;
} catch (err) {
  window.renderError = String((err && err.stack) || err);
}
</script>
</body></html>
"""


def host_page(state: dict[str, Any], width: int = 900) -> str:
    """The host page for a widget's state (``widget.get_state()``)."""
    state = json.loads(json.dumps(state, allow_nan=False))
    esm = state.pop("_esm")
    return _PAGE % {
        "width": width,
        "state": json_script("state", state),
        "esm": json_script("esm", esm),
    }


def start_chromium(profile: Path) -> Any:
    """Headless Chromium through Debian's chromedriver (no Selenium Manager, no network), tall
    enough to show a whole lab."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = chrome_options("en-US", profile, width=1000, height=1400)
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
