/* The page's words: the language shown, and phrases of the word files filled in the page.
 *
 * Phrases come from <script id="words"> (both languages, the keys the labs use), or from
 * root.gdlabPhrases where a host sets it first (the notebook widget). Their slots
 * are Python format fields, so the formatting below follows Python's format mini-language for
 * the specs the word files use: "", "g", ".4g", ".2f", ".0f", ".2e", ",", ",.0f" and ".0%".
 */
(function (root) {
  "use strict";
  var words = root.gdlabPhrases || JSON.parse(document.getElementById("words").textContent);

  function stripZeros(text) {
    return text.indexOf(".") < 0 ? text : text.replace(/\.?0+$/, "");
  }

  function exponential(x, digits, strip) {
    var parts = x.toExponential(digits).split("e");
    var mantissa = strip ? stripZeros(parts[0]) : parts[0];
    var exp = parseInt(parts[1], 10);
    return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
  }

  function general(x, precision) {
    // Python's "g": scientific when the exponent is below -4 or at least the precision.
    var p = precision === 0 ? 1 : precision;
    if (x === 0) { return "0"; }
    var exp = parseInt(x.toExponential(p - 1).split("e")[1], 10);
    if (exp < -4 || exp >= p) { return exponential(x, p - 1, true); }
    return stripZeros(x.toFixed(Math.max(0, p - 1 - exp)));
  }

  function group(text) {
    var parts = text.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return parts.join(".");
  }

  /** A number formatted as Python's format(x, spec) would for the specs above. */
  function format(x, spec) {
    if (typeof x !== "number") { return String(x); }
    if (!isFinite(x)) { return isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf"); }
    var m = /^(,?)(?:\.(\d+))?([fegd%]?)$/.exec(spec || "");
    if (!m) { return String(x); }
    var comma = m[1] === ",", digits = m[2] === undefined ? null : +m[2], kind = m[3];
    var text;
    if (kind === "f") { text = x.toFixed(digits === null ? 6 : digits); }
    else if (kind === "e") { text = exponential(x, digits === null ? 6 : digits, false); }
    else if (kind === "%") { text = (100 * x).toFixed(digits === null ? 6 : digits) + "%"; }
    else if (kind === "g") { text = general(x, digits === null ? 6 : digits); }
    else if (kind === "d" || (digits === null && Number.isInteger(x))) { text = String(x); }
    else { text = digits === null ? String(x) : general(x, digits); }
    return comma ? group(text) : text;
  }

  /** The phrase `key` of `lang` with its {slot:spec} fields filled from `values`. */
  function fill(key, lang, values) {
    var template = words[lang][key];
    if (template === undefined) { throw new Error("no phrase " + key); }
    return template.replace(/\{\{|\}\}|\{([a-zA-Z_0-9]+)(?::([^}]*))?\}/g, function (all, name, spec) {
      if (all === "{{") { return "{"; }
      if (all === "}}") { return "}"; }
      var value = values ? values[name] : undefined;
      if (value === undefined) { throw new Error("phrase " + key + " needs " + name); }
      if (value && typeof value === "object") { value = value[lang]; }
      return format(value, spec);
    });
  }

  /** The phrase in both languages: {zh: ..., en: ...}. */
  function both(key, values) {
    return { zh: fill(key, "zh", values), en: fill(key, "en", values) };
  }

  /** Show `text` (a string, or {zh, en}) in `el`, as one span per language. */
  function show(el, text) {
    el.textContent = "";
    if (typeof text === "string") { el.textContent = text; return; }
    ["zh", "en"].forEach(function (lang) {
      var span = document.createElement("span");
      span.lang = lang;
      span.textContent = text[lang];
      el.appendChild(span);
    });
  }

  root.gdlabWords = { format: format, fill: fill, both: both, show: show };
})(window);
