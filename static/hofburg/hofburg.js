/* What every page shares: the two ways page scripts put values they read from JSON into
 * the page.
 *
 * No value reaches the page as markup (decision 0019): a script builds elements and sets their
 * textContent. hofburg.text(value) is such an element, for the library calls that take one
 * (a Leaflet tooltip). hofburg.escapeHtml(value) is for the few library calls that take only
 * markup (Leaflet's attribution and layer names): the value comes out as text all the same.
 * The language switcher needs no script: a select and its button (decision 0046).
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

  /* A text and, where there is an address, a link after it (a map popup): built as nodes. */
  function textAndLink(value, href, linkText) {
    var box = document.createElement("div");
    var line = document.createElement("p");
    line.textContent = value === null || value === undefined ? "" : String(value);
    box.appendChild(line);
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.textContent = linkText;
      box.appendChild(link);
    }
    return box;
  }

  window.hofburg = { text: text, textAndLink: textAndLink, escapeHtml: escapeHtml };

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
