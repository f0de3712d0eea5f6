/* The notebook widget's figures: a Chart record (gdlab.report.charts) drawn as SVG.
 *
 * new gdlabPlot(holder, chart) draws `chart` (gdlab.report.widget_spec.chart_spec: its
 * series with their style and any fixed data, its axes) into `holder`; plot.set(series,
 * columns) gives a series new data and redraws once the current task is done, so a lab that
 * fills six series in one update draws once. Series are lines, points (`width` is their
 * diameter in pixels, as Bokeh's size), contour lines (multi_line), bands between two curves
 * and bars. Axes are linear or logarithmic, with a fixed range or one fitted to every series
 * or to one (`fit_to`); `equal_aspect` widens one range so a unit is as long on both axes.
 * A value that is not finite, or not above 0 on a log axis, breaks a line instead of being
 * drawn. On a chart that forwards pointers, plot.onPointer({x, y, event_name}) hears taps
 * ("tap") and drags ("pan") in data units.
 */
(function (root) {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var MARGIN = { left: 66, right: 16, top: 10, bottom: 48 };
  var DASHES = { solid: "", dashed: "6 4", dotted: "2 3", dotdash: "2 3 6 3", dashdot: "6 3 2 3" };
  var FAR = 1e5;  // pixels: a point this far off the plot is drawn at this distance
  var SUPERSCRIPT = { "-": "\u207b", 0: "\u2070", 1: "\u00b9", 2: "\u00b2", 3: "\u00b3", 4: "\u2074",
                      5: "\u2075", 6: "\u2076", 7: "\u2077", 8: "\u2078", 9: "\u2079" };

  function usable(v, log) { return typeof v === "number" && isFinite(v) && (!log || v > 0); }

  /** Every value of the columns a series puts on one axis ("x" or "y"). */
  function axisValues(data, axis) {
    var names = axis === "x" ? ["x", "xs"] : ["y", "ys", "lower", "upper", "top"];
    var out = [];
    names.forEach(function (name) {
      var column = data[name];
      if (!column) { return; }
      if (name === "xs" || name === "ys") {
        column.forEach(function (line) { Array.prototype.push.apply(out, Array.from(line)); });
      } else {
        Array.prototype.push.apply(out, Array.from(column));
      }
    });
    return out;
  }

  /** The data's span on one axis, padded by 5 % (in decades on a log axis). */
  function fitted(values, log) {
    var lo = Infinity, hi = -Infinity;
    values.forEach(function (v) {
      if (usable(v, log)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    });
    if (!(lo <= hi)) { return log ? [1, 10] : [0, 1]; }
    if (log) {
      var a = Math.log10(lo), b = Math.log10(hi), pad = a === b ? 0.5 : 0.05 * (b - a);
      return [Math.pow(10, a - pad), Math.pow(10, b + pad)];
    }
    var span = hi - lo, margin = span === 0 ? Math.max(Math.abs(lo) * 0.1, 1) : 0.05 * span;
    return [lo - margin, hi + margin];
  }

  /** A map from data to pixels along [a, b] (b < a for a vertical axis). */
  function Scale(range, log, a, b) {
    var f = log ? Math.log10 : function (v) { return v; };
    var lo = f(range[0]), hi = f(range[1]);
    this.range = range;
    this.log = log;
    this.to = function (v) {
      var p = a + (f(v) - lo) / (hi - lo) * (b - a);
      return Math.max(-FAR, Math.min(FAR, p));
    };
    this.from = function (p) {
      var v = lo + (p - a) / (b - a) * (hi - lo);
      return log ? Math.pow(10, v) : v;
    };
  }

  function niceStep(span, count) {
    var raw = span / Math.max(count, 1), base = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];  // as Bokeh's ticker
    for (var i = 0; i < steps.length; i++) { if (steps[i] * base >= raw) { return steps[i] * base; } }
    return 10 * base;
  }

  function superscript(n) {
    return String(n).split("").map(function (c) { return SUPERSCRIPT[c]; }).join("");
  }

  /** Tick positions and their labels for one axis about `pixels` long. */
  function ticks(scale, pixels, given) {
    var lo = Math.min(scale.range[0], scale.range[1]), hi = Math.max(scale.range[0], scale.range[1]);
    if (given) {
      return given.filter(function (v) { return v >= lo && v <= hi; }).map(function (v) {
        var e = Math.round(Math.log10(v));  // on a log axis a power of ten reads as one
        var decade = scale.log && Math.abs(v / Math.pow(10, e) - 1) < 1e-9;
        return { at: v, text: decade ? "10" + superscript(e) : String(+v.toPrecision(6)) };
      });
    }
    if (scale.log) {
      var first = Math.ceil(Math.log10(lo) - 1e-9), last = Math.floor(Math.log10(hi) + 1e-9);
      var every = Math.max(1, Math.ceil((last - first + 1) / Math.max(2, pixels / 45)));
      var out = [];
      for (var e = first; e <= last; e++) {
        if ((e - first) % every === 0) { out.push({ at: Math.pow(10, e), text: "10" + superscript(e) }); }
      }
      return out;
    }
    var step = niceStep(hi - lo, pixels / 80), digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + 1);
    var list = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      var at = Math.abs(v) < step * 1e-9 ? 0 : v;
      var big = Math.abs(at) >= 1e5 || (at !== 0 && Math.abs(at) < 1e-4);
      list.push({ at: at, text: big ? at.toExponential(1) : String(+at.toFixed(Math.min(digits, 12))) });
    }
    return list;
  }

  function pathOf(xs, ys, sx, sy) {
    var d = "", open = false;
    for (var i = 0; i < xs.length; i++) {
      if (!(usable(xs[i], sx.log) && usable(ys[i], sy.log))) { open = false; continue; }
      d += (open ? "L" : "M") + sx.to(xs[i]).toFixed(1) + " " + sy.to(ys[i]).toFixed(1);
      open = true;
    }
    return d;
  }

  function bandOf(xs, lower, upper, sx, sy) {
    var shapes = [], run = [];
    function close() {
      if (run.length > 1) {
        var top = run.map(function (i) { return sx.to(xs[i]).toFixed(1) + " " + sy.to(upper[i]).toFixed(1); });
        var bottom = run.slice().reverse().map(function (i) {
          return sx.to(xs[i]).toFixed(1) + " " + sy.to(lower[i]).toFixed(1);
        });
        shapes.push("M" + top.concat(bottom).join("L") + "Z");
      }
      run = [];
    }
    for (var i = 0; i < xs.length; i++) {
      if (usable(xs[i], sx.log) && usable(lower[i], sy.log) && usable(upper[i], sy.log)) { run.push(i); } else { close(); }
    }
    close();
    return shapes.join("");
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  /** An SVG element as markup (the glyphs are many: markup parses faster than DOM calls). */
  function tag(name, attrs) {
    return "<" + name + Object.keys(attrs).map(function (k) { return " " + k + '="' + attrs[k] + '"'; }).join("") + "/>";
  }

  /** A series' glyphs as SVG markup. */
  function glyph(s, data, sx, sy, bottom) {
    var out = [];
    var style = { stroke: s.color, fill: "none", "stroke-width": s.width };
    if (s.dash && DASHES[s.dash]) { style["stroke-dasharray"] = DASHES[s.dash]; }
    if (s.alpha === 0) {
      out = [];
    } else if (s.kind === "line" && data.x) {
      out.push(tag("path", Object.assign({ d: pathOf(data.x, data.y, sx, sy) }, style)));
    } else if (s.kind === "multi_line" && data.xs) {
      data.xs.forEach(function (xs, i) {
        out.push(tag("path", Object.assign({ d: pathOf(xs, data.ys[i], sx, sy) }, style)));
      });
    } else if (s.kind === "scatter" && data.x) {
      for (var i = 0; i < data.x.length; i++) {
        if (usable(data.x[i], sx.log) && usable(data.y[i], sy.log)) {
          out.push(tag("circle", { cx: sx.to(data.x[i]).toFixed(1), cy: sy.to(data.y[i]).toFixed(1),
                                   r: s.width / 2, fill: s.color }));
        }
      }
    } else if (s.kind === "band" && data.x) {
      out.push(tag("path", { d: bandOf(data.x, data.lower, data.upper, sx, sy), fill: s.color, stroke: "none" }));
    } else if (s.kind === "vbar" && data.x) {
      for (var j = 0; j < data.x.length; j++) {
        if (!(usable(data.x[j], sx.log) && usable(data.top[j], sy.log))) { continue; }
        var left = sx.to(data.x[j] - s.width / 2), right = sx.to(data.x[j] + s.width / 2);
        var top = sy.to(data.top[j]), base = sy.to(bottom);
        out.push(tag("rect", { x: Math.min(left, right), y: Math.min(top, base), width: Math.abs(right - left),
                               height: Math.abs(base - top), fill: s.color }));
      }
    }
    return '<g data-series="' + s.name + '" opacity="' + s.alpha + '">' + out.join("") + "</g>";
  }

  function Plot(holder, chart) {
    var plot = this;
    var data = {};
    var pending = false, width = 0, scales = null;
    chart.series.forEach(function (s) { data[s.name] = s.data; });
    var svg = el("svg", { class: "plot-svg", role: "img" }, holder);
    if (chart.pointer) { svg.classList.add("pointer"); }
    this.chart = chart;
    this.svg = svg;
    this.onPointer = null;

    function ranges(w, h) {
      var fit = chart.series.filter(function (s) { return !chart.fit_to || s.name === chart.fit_to; });
      function span(axis, fixed, log) {
        if (fixed) { return fixed.slice(); }
        var values = [];
        fit.forEach(function (s) { Array.prototype.push.apply(values, axisValues(data[s.name] || {}, axis)); });
        return fitted(values, log);
      }
      var x = span("x", chart.x_range, chart.x_log), y = span("y", chart.y_range, chart.y_log);
      if (chart.equal_aspect && !chart.x_log && !chart.y_log) {
        // As long a unit on both axes: widen the range that has fewer units per pixel.
        var per = Math.max((x[1] - x[0]) / w, (y[1] - y[0]) / h);
        var cx = (x[0] + x[1]) / 2, cy = (y[0] + y[1]) / 2;
        x = [cx - per * w / 2, cx + per * w / 2];
        y = [cy - per * h / 2, cy + per * h / 2];
      }
      return { x: x, y: y };
    }

    function axes(group, w, h, sx, sy) {
      var frame = { x: MARGIN.left, y: MARGIN.top, width: w, height: h };
      el("rect", Object.assign({ class: "frame" }, frame), group);
      ticks(sx, w, chart.x_ticks).forEach(function (t) {
        var x = sx.to(t.at).toFixed(1);
        el("line", { class: "grid", x1: x, x2: x, y1: MARGIN.top, y2: MARGIN.top + h }, group);
        el("text", { class: "tick", x: x, y: MARGIN.top + h + 16, "text-anchor": "middle" }, group).textContent = t.text;
      });
      ticks(sy, h, chart.y_ticks).forEach(function (t) {
        var y = sy.to(t.at).toFixed(1);
        el("line", { class: "grid", x1: MARGIN.left, x2: MARGIN.left + w, y1: y, y2: y }, group);
        el("text", { class: "tick", x: MARGIN.left - 6, y: y, dy: "0.32em", "text-anchor": "end" }, group).textContent = t.text;
      });
      ["zh", "en"].forEach(function (lang) {
        el("text", { class: "label", lang: lang, x: MARGIN.left + w / 2, y: MARGIN.top + h + 38,
                     "text-anchor": "middle" }, group).textContent = chart.x_label[lang];
        el("text", { class: "label", lang: lang, "text-anchor": "middle",
                     transform: "translate(14 " + (MARGIN.top + h / 2) + ") rotate(-90)" }, group).textContent = chart.y_label[lang];
      });
    }

    function rules(group, w, h, sx, sy) {
      chart.vlines.forEach(function (v) {
        var x = sx.to(v).toFixed(1);
        el("line", { class: "rule", x1: x, x2: x, y1: MARGIN.top, y2: MARGIN.top + h, "stroke-dasharray": DASHES.dashed }, group);
      });
      chart.hlines.forEach(function (v) {
        var y = sy.to(v).toFixed(1);
        el("line", { class: "rule", x1: MARGIN.left, x2: MARGIN.left + w, y1: y, y2: y, "stroke-dasharray": DASHES.dotted }, group);
      });
    }

    /** Draw now, at the holder's width. */
    this.draw = function () {
      pending = false;
      width = holder.clientWidth || 600;
      var w = Math.max(width - MARGIN.left - MARGIN.right, 40), h = chart.height - MARGIN.top - MARGIN.bottom;
      var r = ranges(w, h);
      var sx = new Scale(r.x, chart.x_log, MARGIN.left, MARGIN.left + w);
      var sy = new Scale(r.y, chart.y_log, MARGIN.top + h, MARGIN.top);
      scales = { x: sx, y: sy };
      svg.textContent = "";
      svg.setAttribute("width", width);
      svg.setAttribute("height", chart.height);
      svg.setAttribute("viewBox", "0 0 " + width + " " + chart.height);
      var clip = "clip-" + chart.name;
      el("rect", { x: MARGIN.left, y: MARGIN.top, width: w, height: h }, el("clipPath", { id: clip }, svg));
      axes(svg, w, h, sx, sy);
      var inside = el("g", { "clip-path": "url(#" + clip + ")" }, svg);
      var bottom = chart.y_range ? chart.y_range[0] : (chart.y_log ? 1 : 0);
      inside.innerHTML = chart.series.map(function (s) { return glyph(s, data[s.name] || {}, sx, sy, bottom); }).join("");
      rules(inside, w, h, sx, sy);
    };

    /** New data for series `name`; the figure redraws when the current task is done. */
    this.set = function (name, columns) {
      data[name] = columns;
      if (!pending) {
        pending = true;
        Promise.resolve().then(plot.draw);
      }
    };

    /** The data point under a pointer event (client coordinates). */
    this.at = function (event) {
      var box = svg.getBoundingClientRect(), k = width / box.width;
      return { x: scales.x.from((event.clientX - box.left) * k), y: scales.y.from((event.clientY - box.top) * k) };
    };

    if (chart.pointer) {
      var dragging = false;
      var send = function (event, name) {
        if (!plot.onPointer || !scales) { return; }
        var p = plot.at(event);
        plot.onPointer({ x: p.x, y: p.y, event_name: name });
      };
      svg.addEventListener("pointerdown", function (event) {
        if (event.button !== 0) { return; }
        dragging = true;
        svg.setPointerCapture(event.pointerId);
        event.preventDefault();
        send(event, "tap");
      });
      svg.addEventListener("pointermove", function (event) { if (dragging) { send(event, "pan"); } });
      var end = function () { dragging = false; };
      svg.addEventListener("pointerup", end);
      svg.addEventListener("pointercancel", end);
    }
    this.draw();
  }

  root.gdlabPlot = Plot;
})(window);
