/* The page itself: the language switch, then the labs once Bokeh has built its figures.
 *
 * The switch sets <html lang> (the style sheet shows the matching <span lang>), rewrites the
 * texts that cannot hold two spans (elements with data-zh / data-en) and the axis labels
 * drawn inside the figures. When every lab has run once the page marks <html data-ready>.
 */
(function (root) {
  "use strict";
  var html = document.documentElement;
  var labels = JSON.parse(document.getElementById("axis-labels").textContent);
  var button = document.getElementById("lang-switch");

  function bokehDocument() {
    return root.Bokeh && Bokeh.documents && Bokeh.documents.length ? Bokeh.documents[0] : null;
  }

  function setLanguage(lang) {
    html.lang = lang;
    document.querySelectorAll("[data-zh][data-en]").forEach(function (el) {
      el.textContent = el.getAttribute("data-" + lang);
    });
    document.querySelectorAll("input[data-rate-for]").forEach(function (el) {
      var label = document.querySelector('label[for="' + el.id.replace(/-slider$/, "") + '"] [lang="' + lang + '"]');
      if (label) { el.setAttribute("aria-label", label.textContent); }
    });
    button.setAttribute("aria-pressed", lang === "zh" ? "true" : "false");
    var doc = bokehDocument();
    if (doc) {
      labels.forEach(function (l) {
        var model = doc.get_model_by_id(l.id);
        if (model) { model[l.attr] = l[lang]; }
      });
    }
  }

  function start() {
    var lang = html.getAttribute("data-default-lang");
    if (lang !== "zh" && lang !== "en") {
      lang = (navigator.language || "en").toLowerCase().indexOf("zh") === 0 ? "zh" : "en";
    }
    setLanguage(lang);
    root.gdlabStartLabs();
    html.setAttribute("data-ready", "true");
  }

  button.addEventListener("click", function () {
    setLanguage(html.lang === "zh" ? "en" : "zh");
  });

  // Presentation: one section per screen in large type; arrows, Page Up/Down and the space
  // bar move between sections (not while a control has the focus: it needs its own keys).
  var present = document.getElementById("present");
  function sections() { return Array.prototype.slice.call(document.querySelectorAll(".lesson-section, #summary")); }
  // The section being read: the last one whose top has reached the tool bar; -1 above the
  // first (the title and the contents), so the first move shows the first section.
  function current() {
    var list = sections(), best = -1, bar = document.querySelector(".page-tools").getBoundingClientRect().bottom;
    list.forEach(function (el, i) { if (el.getBoundingClientRect().top <= bar + 8) { best = i; } });
    return best;
  }
  function presenting(on) {
    html.classList.toggle("presenting", on);
    present.setAttribute("aria-pressed", on ? "true" : "false");
  }
  present.addEventListener("click", function () { presenting(!html.classList.contains("presenting")); });
  document.addEventListener("keydown", function (event) {
    if (!html.classList.contains("presenting") || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = document.activeElement ? document.activeElement.tagName : "";
    if (/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(tag) && event.key !== "Escape") { return; }
    var moves = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1 };
    if (event.key === "Escape") { presenting(false); return; }
    if (!(event.key in moves)) { return; }
    event.preventDefault();
    var list = sections(), next = Math.max(0, Math.min(list.length - 1, current() + moves[event.key]));
    list[next].scrollIntoView({ block: "start" });
  });

  // Paper: the figures print without their toolbars.
  function toolbars(visible) {
    var doc = bokehDocument();
    if (!doc) { return; }
    doc.all_models.forEach(function (m) { if (m.type === "Toolbar") { m.visible = visible; } });
  }
  root.addEventListener("beforeprint", function () { toolbars(false); });
  root.addEventListener("afterprint", function () { toolbars(true); });
  // BokehJS builds its document asynchronously after the page has loaded.
  var tries = 0;
  (function wait() {
    var needsBokeh = document.querySelector("figure.chart") !== null;
    if (!needsBokeh || bokehDocument() || tries > 400) { start(); return; }
    tries += 1;
    setTimeout(wait, 25);
  })();
})(window);
