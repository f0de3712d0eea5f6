/* A reader's own CSV file, read in the browser (nothing leaves the machine).
 *
 * gdlabCsv.read(text) -> {names, rows, columns}: the header's names and, per column, its
 * numbers (Float64Array) or null when some cell is not a number, with the first such cell.
 * Fields may be quoted ("a, b" and "" for a quote); the separator is the header's comma,
 * semicolon or tab. Problems throw an Error whose `code` names a phrase of the word files
 * (lab.csv_*) and whose `values` fill it, so the page says them in its own language.
 */
(function (root) {
  "use strict";
  var MAX_BYTES = 10 * 1024 * 1024;

  function problem(code, values) {
    var err = new Error(code);
    err.code = code;
    err.values = values || {};
    return err;
  }

  function separator(line) {
    var counts = [",", ";", "\t"].map(function (s) { return [line.split(s).length, s]; });
    counts.sort(function (a, b) { return b[0] - a[0]; });
    return counts[0][1];
  }

  /** The fields of every line, honouring quotes (a quoted field may hold the separator). */
  function records(text, sep) {
    var out = [], row = [], field = "", quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
        else if (c === '"') { quoted = false; }
        else { field += c; }
      } else if (c === '"' && field === "") { quoted = true; }
      else if (c === sep) { row.push(field); field = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") { i++; }
        row.push(field); field = "";
        if (row.length > 1 || row[0] !== "") { out.push(row); }
        row = [];
      } else { field += c; }
    }
    row.push(field);
    if (row.length > 1 || row[0] !== "") { out.push(row); }
    return out;
  }

  function column(lines, j, name) {
    var values = new Float64Array(lines.length - 1);
    for (var i = 1; i < lines.length; i++) {
      var cell = (lines[i][j] === undefined ? "" : lines[i][j]).trim();
      var v = cell === "" ? NaN : Number(cell);
      if (!isFinite(v)) { return { values: null, bad: { row: i + 1, column: name, value: cell } }; }
      values[i - 1] = v;
    }
    return { values: values, bad: null };
  }

  function read(text) {
    if (text.length > MAX_BYTES) { throw problem("lab.csv_too_big", { mb: text.length / 1048576 }); }
    text = text.replace(/^\uFEFF/, "");
    var first = text.split(/\r?\n/, 1)[0];
    var lines = records(text, separator(first));
    if (lines.length < 4) { throw problem("lab.csv_too_few_rows", { rows: Math.max(lines.length - 1, 0) }); }
    var names = lines[0].map(function (n, j) { return n.trim() || "#" + (j + 1); });
    var columns = names.map(function (name, j) { return column(lines, j, name); });
    var numeric = columns.filter(function (c) { return c.values !== null; }).length;
    if (numeric < 2) { throw problem("lab.csv_no_numbers", { count: numeric }); }
    return { names: names, rows: lines.length - 1, columns: columns };
  }

  /** Read a File (from the file input or a drop), then call done(table) or fail(error). */
  function load(file, done, fail) {
    if (file.size > MAX_BYTES) { fail(problem("lab.csv_too_big", { mb: file.size / 1048576 })); return; }
    var reader = new FileReader();
    reader.onload = function () {
      try { done(read(String(reader.result))); } catch (err) { fail(err); }
    };
    reader.onerror = function () { fail(problem("lab.csv_unreadable", { name: file.name })); };
    reader.readAsText(file);
  }

  root.gdlabCsv = { read: read, load: load, problem: problem, MAX_BYTES: MAX_BYTES };
})(window);
