/* The page's side of the labs (lab.js runs them): each lab's setup from its <script
 * id="lab-KEY">, its figures' series drawn into the Bokeh data sources named
 * KEY/CHART/SERIES, taps and drags from Bokeh's events, and the start of every lab.
 */
(function (root) {
  "use strict";
  var running = {};

  function bokehDocument() {
    return root.Bokeh && Bokeh.documents && Bokeh.documents.length ? Bokeh.documents[0] : null;
  }

  function host(key) {
    return {
      setup: JSON.parse(document.getElementById("lab-" + key).textContent),
      draw: function (chart, series, columns) {
        var doc = bokehDocument();
        var source = doc && doc.get_model_by_name(key + "/" + chart + "/" + series);
        if (source) { source.data = columns; }
      }
    };
  }

  // The kind of pointer last put down (Bokeh's events do not say): seen first, as the
  // document captures it on its way to the figure.
  var pointerType = "mouse";
  document.addEventListener("pointerdown", function (e) { pointerType = e.pointerType; }, true);

  /** Taps and drags on a figure that forwards them (Chart.pointer), from Bokeh's CustomJS. */
  root.gdlabPointer = function (section, chart, event) {
    var lab = running[section];
    var toolbar = event.origin && event.origin.toolbar;
    var drag = event.event_name !== "tap";
    // While the reader pans or zooms with a toolbar tool, a drag is theirs, not the lab's;
    // a finger's drag scrolls the page (on a touch screen a tap moves the start).
    if (!lab || (drag && ((toolbar && toolbar.active_drag) || pointerType === "touch"))) { return; }
    lab.pointer(chart, event);
  };

  /** Start every lab of the page (after Bokeh has built its document). */
  root.gdlabStartLabs = function () {
    document.querySelectorAll(".lab[data-kind]").forEach(function (box) {
      var key = box.getAttribute("data-section");
      var lab = new root.gdlabLab(box, host(key));
      running[key] = lab;
      lab.refresh(null);
    });
  };
  root.gdlabRunning = running;
})(window);
