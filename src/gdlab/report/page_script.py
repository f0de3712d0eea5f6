"""The page's own script: the language switch and the controls of the interactive sections.

It draws nothing and computes nothing. The language switch sets ``<html lang>`` (the style
sheet shows the matching ``<span lang>``), rewrites the texts that cannot hold two spans
(``<option>``, ``<title>``: elements with ``data-zh`` / ``data-en``) and the axis labels inside
the Bokeh figures. A control change builds the section's state key from its controls and
copies that state's precomputed columns into the Bokeh data sources and its readouts into the
page. When everything is set up it marks ``<html data-ready="true">``.
"""

SCRIPT = r"""
(function () {
  "use strict";
  var root = document.documentElement;
  var labels = JSON.parse(document.getElementById("axis-labels").textContent);
  var button = document.getElementById("lang-switch");
  var states = {};
  document.querySelectorAll('script[id^="states-"]').forEach(function (el) {
    states[el.id.slice(7)] = JSON.parse(el.textContent);
  });

  function bokehDocument() {
    return (window.Bokeh && Bokeh.documents && Bokeh.documents.length) ? Bokeh.documents[0] : null;
  }
  function nan(v) {
    if (v === null) { return NaN; }
    if (Array.isArray(v)) { return v.map(nan); }
    return v;
  }
  function fill(el, text) {
    // A readout or slider value: one string, or {zh, en} shown as two language spans.
    el.textContent = "";
    if (typeof text === "string") { el.textContent = text; return; }
    ["zh", "en"].forEach(function (lang) {
      var span = document.createElement("span");
      span.lang = lang;
      span.textContent = text[lang];
      el.appendChild(span);
    });
  }

  function setLanguage(lang) {
    root.lang = lang;
    document.querySelectorAll("[data-zh][data-en]").forEach(function (el) {
      el.textContent = el.getAttribute("data-" + lang);
    });
    button.setAttribute("aria-pressed", lang === "zh" ? "true" : "false");
    var doc = bokehDocument();
    if (doc) {
      labels.forEach(function (l) {
        var model = doc.get_model_by_id(l.id);
        if (model) { model[l.attr] = l[lang]; }
      });
    }
    document.querySelectorAll('input[type="range"][data-control]').forEach(function (el) {
      var box = el.closest(".controls");
      var spec = states[box.getAttribute("data-section")];
      var value = JSON.parse(el.getAttribute("data-values"))[+el.value];
      var label = spec.options[el.getAttribute("data-control")][value];
      el.setAttribute("aria-valuetext", typeof label === "string" ? label : label[lang]);
    });
  }

  function controlValue(el) {
    if (el.type === "checkbox") { return el.checked ? "on" : "off"; }
    if (el.type === "range") { return JSON.parse(el.getAttribute("data-values"))[+el.value]; }
    return el.value;
  }

  function update(section) {
    var box = document.querySelector('.controls[data-section="' + section + '"]');
    var spec = states[section];
    var parts = [];
    box.querySelectorAll("[data-control]").forEach(function (el) {
      var name = el.getAttribute("data-control");
      var value = controlValue(el);
      parts.push(name + "=" + value);
      if (el.type === "range") {
        var label = spec.options[name][value];
        fill(box.querySelector('output[for="' + el.id + '"]'), label);
        el.setAttribute("aria-valuetext", typeof label === "string" ? label : label[root.lang]);
      }
    });
    var key = parts.join("|");
    var state = spec.states[key];
    var doc = bokehDocument();
    if (!state || !doc) { return; }
    Object.keys(state.data).forEach(function (name) {
      var source = doc.get_model_by_name(section + "/" + name);
      var block = spec.blocks[state.data[name]];
      var columns = {};
      Object.keys(block).forEach(function (c) { columns[c] = nan(block[c]); });
      if (source) { source.data = columns; }
    });
    Object.keys(state.readouts).forEach(function (name) {
      var el = document.getElementById("readout-" + section + "-" + name);
      if (el) { fill(el, state.readouts[name]); }
    });
    box.setAttribute("data-state", key);
  }

  function start() {
    var lang = root.getAttribute("data-default-lang");
    if (lang !== "zh" && lang !== "en") {
      lang = (navigator.language || "en").toLowerCase().indexOf("zh") === 0 ? "zh" : "en";
    }
    setLanguage(lang);
    Object.keys(states).forEach(update);
    root.setAttribute("data-ready", "true");
  }

  button.addEventListener("click", function () {
    setLanguage(root.lang === "zh" ? "en" : "zh");
  });
  document.querySelectorAll(".controls [data-control]").forEach(function (el) {
    var section = el.closest(".controls").getAttribute("data-section");
    el.addEventListener("input", function () { update(section); });
    el.addEventListener("change", function () { update(section); });
  });
  // BokehJS builds its document asynchronously after the page has loaded.
  var tries = 0;
  (function wait() {
    var needsBokeh = document.querySelector(".bk-root, [data-root-id]") !== null;
    if (!needsBokeh || bokehDocument() || tries > 400) { start(); return; }
    tries += 1;
    setTimeout(wait, 25);
  })();
})();
"""
