/* The labs' runtime, shared by the lesson page and the notebook widget: it reads a lab's
 * controls, runs its controller, hands the figures' new data to its host, and plays.
 *
 * A lab's box is the markup of gdlab.report.page_parts.lab_html: labelled form controls
 * (data-control), an optional player, the readout grid (readout-KEY-ROW-COLUMN) and the
 * message line. A host builds the box and starts it with `new gdlabLab(box, host)`:
 *   host.setup           the section's JSON (the page's <script id="lab-KEY">)
 *   host.draw(chart, series, columns)   draw a figure's series (the page into Bokeh,
 *                        page_labs.js; the notebook widget into its own plots, js/widget)
 *   host.refreshed()     optional: told after every recompute
 *
 * A controller (js/page/labs/KIND.js) is `gdlabLabs[KIND] = function (lab) {...}`
 * returning {update(changed), show(k), pointer(chart, event), action(name)}. It computes with
 * the engine (gdlab) and speaks to its host only through `lab`:
 *   lab.setup            the section's JSON
 *   lab.value(name)      a control's current value (number, string or boolean)
 *   lab.text(name)       what the control holds as text (for a message about a bad value)
 *   lab.set({name: v})   move controls without a refresh (a dragged start point)
 *   lab.draw(chart, series, columns)   new data for a figure's series
 *   lab.readout(row, column, text)     a live number ({zh, en} or a string)
 *   lab.head(column, text)             a readout column's heading
 *   lab.say(key, values) / lab.say(null)   the lab's message line, or clear it
 *   lab.frames(n)        the player's length: steps 0..n; show(k) draws step k
 *   lab.rate(name, v, low, high)   set a rate control and its slider's span
 *   lab.refresh(changed) recompute now; lab.box is the lab's element
 * A tap or drag on a figure that forwards them reaches the controller through
 * lab.pointer(chart, {x, y, event_name}), in the figure's data units.
 */
(function (root) {
  "use strict";
  var W = root.gdlabWords;
  var controllers = (root.gdlabLabs = root.gdlabLabs || {});
  var STEPS_PER_SECOND = 25;

  function controlValue(el) {
    if (el.type === "checkbox") { return el.checked; }
    if (el.type === "number" || el.type === "range") { return parseFloat(el.value); }
    return el.value;
  }

  function Player(box, lab) {
    var el = box.querySelector(".player");
    var n = 0, k = 0, timer = null;
    function draw() {
      if (!el) { return; }
      W.show(el.querySelector(".counter"), W.both("lab.counter", { k: k, n: n }));
      var play = el.querySelector('[data-player="play"]');
      W.show(play, W.both(timer ? "lab.pause" : "lab.play"));
      play.setAttribute("aria-pressed", timer ? "true" : "false");
    }
    function go(step) {
      k = Math.max(0, Math.min(n, step));
      lab.controller.show(k);
      draw();
    }
    function stop() {
      if (timer) { clearInterval(timer); timer = null; }
      draw();
    }
    function play() {
      if (timer) { stop(); return; }
      if (k >= n) { go(0); }
      timer = setInterval(function () {
        if (k >= n) { stop(); return; }
        go(k + 1);
      }, 1000 / STEPS_PER_SECOND);
      draw();
    }
    if (el) {
      el.querySelector('[data-player="play"]').addEventListener("click", play);
      el.querySelector('[data-player="step"]').addEventListener("click", function () {
        stop();
        go(k >= n ? 0 : k + 1);
      });
      el.querySelector('[data-player="reset"]').addEventListener("click", function () {
        stop();
        go(0);
      });
    }
    // A new run keeps the step shown (the end, when it was at the end).
    this.frames = function (length) {
      var atEnd = k >= n;
      n = length;
      go(atEnd ? n : k);
    };
    this.stop = stop;
    this.position = function () { return k; };
    this.playing = function () { return timer !== null; };
  }

  function syncRate(box) {
    box.querySelectorAll("input[data-rate-for]").forEach(function (slider) {
      var number = box.querySelector('input[data-control="' + slider.getAttribute("data-rate-for") + '"]');
      slider.addEventListener("input", function () {
        number.value = String(+Math.pow(10, parseFloat(slider.value)).toPrecision(3));
        number.dispatchEvent(new Event("input", { bubbles: true }));
      });
      number.addEventListener("input", function () {
        var v = parseFloat(number.value);
        if (v > 0 && isFinite(v)) {
          slider.value = String(Math.min(Math.max(Math.log10(v), +slider.min), +slider.max));
        }
      });
    });
  }

  function Lab(box, host) {
    var key = box.getAttribute("data-section");
    var lab = this;
    var controls = {};
    // The box's own readout cells (a notebook may show the same lab twice).
    function cell(id) { return box.querySelector('[id="' + id + '"]'); }
    box.querySelectorAll("[data-control]").forEach(function (el) {
      controls[el.getAttribute("data-control")] = el;
    });
    this.key = key;
    this.box = box;
    this.host = host;
    this.setup = host.setup;
    this.value = function (name) { return controlValue(controls[name]); };
    this.text = function (name) { return controls[name].value; };
    this.set = function (values) {
      Object.keys(values).forEach(function (name) {
        var el = controls[name];
        if (el.type === "checkbox") { el.checked = !!values[name]; } else { el.value = String(values[name]); }
      });
    };
    this.draw = function (chart, series, columns) { host.draw(chart, series, columns); };
    this.readout = function (row, column, text) {
      var el = cell("readout-" + key + "-" + row + "-" + column);
      if (el) { W.show(el, text); }
    };
    this.head = function (column, text) {
      var el = cell("readout-" + key + "-head-" + column);
      if (el) { W.show(el, text); }
    };
    this.say = function (phrase, values) {
      var el = box.querySelector(".lab-message");
      if (phrase === null) { el.textContent = ""; el.hidden = true; return; }
      el.hidden = false;
      W.show(el, W.both(phrase, values));
    };
    this.frames = function (n) { lab.player.frames(n); };
    // A rate control's value and its slider's span (a reader's own data has its own 2/L).
    this.rate = function (name, value, low, high) {
      var slider = box.querySelector('input[data-rate-for="' + name + '"]');
      slider.min = String(Math.log10(low));
      slider.max = String(Math.log10(high));
      slider.value = String(Math.log10(value));
      controls[name].value = String(value);
    };
    this.controller = controllers[box.getAttribute("data-kind")](this);
    this.player = new Player(box, this);
    syncRate(box);
    box.querySelectorAll("button[data-action]").forEach(function (button) {
      button.addEventListener("click", function () {
        lab.controller.action(button.getAttribute("data-action"));
        lab.refresh(null);
      });
    });
    Object.keys(controls).forEach(function (name) {
      var el = controls[name];
      var output = box.querySelector('output[for="' + el.id + '"]');
      el.addEventListener(el.tagName === "SELECT" || el.type === "checkbox" ? "change" : "input", function () {
        if (output) { output.textContent = el.value; }
        lab.refresh(name);
      });
    });
  }

  Lab.prototype.refresh = function (changed) {
    try {
      this.say(null);
      this.controller.update(changed);
    } catch (err) {
      this.say("lab.engine_error", { message: err && err.message ? err.message : String(err) });
    }
    if (this.host.refreshed) { this.host.refreshed(); }
  };

  /** A tap or drag on a figure that forwards them (Chart.pointer), in its data units. */
  Lab.prototype.pointer = function (chart, event) {
    if (this.controller.pointer) {
      this.controller.pointer(chart, event);
      this.refresh("pointer");
    }
  };

  root.gdlabLab = Lab;
})(window);
