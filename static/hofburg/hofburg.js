/* What every page shares: the language switcher, and the two ways page scripts put values
 * they read from JSON into the page.
 *
 * No value reaches the page as markup (decision 0019): a script builds elements and sets their
 * textContent. hofburg.text(value) is such an element, for the library calls that take one
 * (a Leaflet tooltip). hofburg.escapeHtml(value) is for the few library calls that take only
 * markup (Leaflet's attribution and layer names): the value comes out as text all the same.
 * The Content-Security-Policy allows no inline script, so behaviour that used to sit in an
 * onchange= attribute lives here too.
 */
(function () {
  "use strict";

  function text(value) {
    var node = document.createElement("span");
    node.textContent = value === null || value === undefined ? "" : String(value);
    return node;
  }

  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };

  function escapeHtml(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g,
      function (character) { return ENTITIES[character]; });
  }

  window.hofburg = { text: text, escapeHtml: escapeHtml };

  // <select data-submit-on-change>: choosing an option sends its form (the language switcher);
  // without JavaScript the form's own button, inside <noscript>, does it.
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  // <details data-keep-open="name">: a disclosure the reader opened stays open when htmx
  // swaps in a new version of it (the checker's evidence while the activity is being typed).
  var opened = {};
  document.addEventListener("htmx:beforeSwap", function () {
    document.querySelectorAll("details[data-keep-open]").forEach(function (details) {
      opened[details.getAttribute("data-keep-open")] = details.open;
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("details[data-keep-open]").forEach(function (details) {
      if (opened[details.getAttribute("data-keep-open")]) { details.open = true; }
    });
  });
})();
