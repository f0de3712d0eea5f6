/* The notebook widget: one section's lab, run by the page's own runtime (lab.js) and
 * controllers, its figures drawn by plot.js, inside a shadow root of the widget's element
 * (so its ids and its style sheet stay its own, however many labs a notebook shows).
 *
 * gdlabWidget(model, el, css) renders anywidget's `model`, whose state is
 *   spec     gdlab.report.widget_spec.widget_spec: the lab's markup (as the page draws it),
 *            its figures, the words it fills and the controller's setup
 *   lang     "zh" or "en": the language shown (the widget's switch flips it)
 *   values   the controls' values by name
 * A change of `values` from Python moves the controls as a reader would (each one's own
 * input or change event); every recompute writes the controls' values back. It returns the
 * clean-up for when the view goes away.
 */
(function (root) {
  "use strict";

  function build(el, spec, css) {
    var shadow = el.shadowRoot || el.attachShadow({ mode: "open" });
    shadow.textContent = "";
    var style = document.createElement("style");
    style.textContent = css;
    var box = document.createElement("div");
    box.className = "gdlab-widget";
    box.innerHTML = spec.html;
    shadow.appendChild(style);
    shadow.appendChild(box);
    return box;
  }

  function eventFor(control) {
    return control.tagName === "SELECT" || control.type === "checkbox" ? "change" : "input";
  }

  root.gdlabWidget = function (model, el, css) {
    var spec = model.get("spec");
    var widget = build(el, spec, css);
    var box = widget.querySelector(".lab");
    var plots = {}, controls = {}, applying = false;
    box.querySelectorAll("[data-control]").forEach(function (c) { controls[c.getAttribute("data-control")] = c; });
    spec.charts.forEach(function (chart) {
      var holder = widget.querySelector('[data-chart="' + spec.key + "/" + chart.name + '"] .plot');
      plots[chart.name] = new root.gdlabPlot(holder, chart);
    });

    /** The controls' values back into the model (a half-typed number keeps the last good one). */
    function save() {
      if (applying) { return; }
      var before = model.get("values") || {}, now = {}, changed = false;
      Object.keys(controls).forEach(function (name) {
        var v = lab.value(name);
        if (typeof v === "number" && !isFinite(v)) { v = before[name]; }
        now[name] = v;
        changed = changed || v !== before[name];
      });
      if (changed) {
        model.set("values", now);
        model.save_changes();
      }
    }

    var lab = new root.gdlabLab(box, {
      setup: spec.setup,
      draw: function (chart, series, columns) { if (plots[chart]) { plots[chart].set(series, columns); } },
      refreshed: save
    });
    Object.keys(plots).forEach(function (name) {
      plots[name].onPointer = function (event) { lab.pointer(name, event); };
    });

    /** Move the controls the model's values name, each as a reader would, then save once. */
    function apply() {
      var wanted = model.get("values") || {};
      applying = true;
      try {
        Object.keys(wanted).forEach(function (name) {
          var c = controls[name];
          if (!c || lab.value(name) === wanted[name]) { return; }
          if (c.type === "checkbox") { c.checked = !!wanted[name]; } else { c.value = String(wanted[name]); }
          c.dispatchEvent(new Event(eventFor(c), { bubbles: true }));
        });
      } finally {
        applying = false;
      }
      save();
    }

    function language() {
      var lang = model.get("lang") === "en" ? "en" : "zh";
      widget.lang = lang;
      widget.querySelectorAll("[data-zh][data-en]").forEach(function (e) { e.textContent = e.getAttribute("data-" + lang); });
    }

    widget.querySelector(".lang-switch").addEventListener("click", function () {
      model.set("lang", widget.lang === "zh" ? "en" : "zh");
      model.save_changes();
      language();
    });
    model.on("change:values", apply);
    model.on("change:lang", language);
    // Redraw at the new width when the notebook's column changes.
    var seen = {};
    var resized = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(function () {
      Object.keys(plots).forEach(function (name) {
        var w = plots[name].svg.parentNode.clientWidth;
        if (w && w !== seen[name]) { seen[name] = w; plots[name].draw(); }
      });
    });
    if (resized) { Object.keys(plots).forEach(function (name) { resized.observe(plots[name].svg.parentNode); }); }

    language();
    lab.refresh(null);
    apply();
    return function () {
      lab.player.stop();
      if (resized) { resized.disconnect(); }
      model.off("change:values", apply);
      model.off("change:lang", language);
    };
  };
})(window);
