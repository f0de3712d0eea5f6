/* A reader's own data for a two-parameter lab: a CSV file from the file input or dropped on
 * the panel, two feature columns (the second may be the constant 1, an intercept) and a
 * target. The first share of the rows (setup.train_share) fits the scaler and the descent,
 * as a training split would; the rest is left for testing. The lab then runs on
 * {X, y, w0: [0, 0], scaled}: `scaled` lists the feature columns a scaler may change.
 */
(function (root) {
  "use strict";
  var W = root.gdlabWords, CSV = root.gdlabCsv;
  var ONES = "__ones__";

  function options(select, names, chosen, extra) {
    select.textContent = "";
    (extra ? [extra] : []).concat(names.map(function (n) { return { value: n, text: n }; }))
      .forEach(function (o) {
        var el = document.createElement("option");
        el.value = o.value;
        // The language the lab is shown in: the page's, or the notebook widget's own.
        var lang = (select.closest("[lang]") || document.documentElement).lang;
        el.textContent = typeof o.text === "string" ? o.text : o.text[lang];
        if (typeof o.text !== "string") { el.setAttribute("data-zh", o.text.zh); el.setAttribute("data-en", o.text.en); }
        select.appendChild(el);
      });
    select.value = chosen;
    select.disabled = false;
  }

  /** The design from the chosen columns, or a problem (an Error with a phrase `code`). */
  function design(table, x1, x2, target, share) {
    if (x1 === x2 || x1 === target || x2 === target) { throw CSV.problem("lab.csv_same_column"); }
    var col = {};
    table.names.forEach(function (n, j) { col[n] = table.columns[j]; });
    [x1, target].concat(x2 === ONES ? [] : [x2]).forEach(function (name) {
      if (col[name].values === null) { throw CSV.problem("lab.csv_not_number", col[name].bad); }
    });
    var train = Math.floor(share * table.rows), X = [], y = [];
    for (var i = 0; i < train; i++) {
      X.push([col[x1].values[i], x2 === ONES ? 1 : col[x2].values[i]]);
      y.push(col[target].values[i]);
    }
    var scaled = [0].concat(x2 === ONES ? [] : [1]);
    scaled.forEach(function (j) {
      var first = X[0][j];
      if (X.every(function (row) { return row[j] === first; })) {
        throw CSV.problem("lab.csv_constant", { column: j === 0 ? x1 : x2 });
      }
    });
    return { X: X, y: y, w0: [0, 0], scaled: scaled, rows: train };
  }

  root.gdlabOwnData = function (lab, share, use) {
    var panel = lab.box.querySelector(".data-panel");
    if (!panel) { return; }
    var file = panel.querySelector('input[type="file"]'), table = null;
    var select = {};
    panel.querySelectorAll("select[data-column]").forEach(function (el) { select[el.getAttribute("data-column")] = el; });

    function choose() {
      try {
        var own = design(table, select.x1.value, select.x2.value, select.y.value, share);
        lab.say(null);
        use(own);
        lab.say("lab.csv_loaded", { rows: table.rows, train: own.rows });
      } catch (err) {
        lab.say(err.code || "lab.engine_error", err.values || { message: String(err) });
      }
    }
    function accept(read) {
      table = read;
      var numeric = read.names.filter(function (_, j) { return read.columns[j].values !== null; });
      options(select.x1, read.names, numeric[0]);
      options(select.x2, read.names, ONES, { value: ONES, text: W.both("sections.contours.lab.data_ones") });
      options(select.y, read.names, numeric[numeric.length - 1]);
      choose();
    }
    function fail(err) { lab.say(err.code || "lab.csv_unreadable", err.values || { name: "" }); }
    function take(f) { if (f) { CSV.load(f, accept, fail); } }

    file.addEventListener("change", function () { take(file.files[0]); });
    Object.keys(select).forEach(function (k) { select[k].addEventListener("change", choose); });
    lab.box.addEventListener("dragover", function (event) { event.preventDefault(); });
    lab.box.addEventListener("drop", function (event) {
      event.preventDefault();
      panel.open = true;
      take(event.dataTransfer && event.dataTransfer.files[0]);
    });
  };
})(window);
