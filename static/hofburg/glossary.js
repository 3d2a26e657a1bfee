/* The glossary's filter: as the reader types, entries whose term, abbreviation or definition
 * do not contain the typed text are hidden, matched as the server matches ?q= (lower case,
 * accents and ё folded). Nothing is written as markup (decision 0019): entries are hidden and
 * shown, and the count is set as text in the polite status line. Without script the form
 * filters on the server.
 */
(function () {
  "use strict";

  function folded(text) {
    return text.toLowerCase().replace(/ё/g, "е").normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "").trim();
  }

  function setUp(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var count = document.querySelector("[data-glossary-count]");
    var none = document.querySelector("[data-glossary-none]");
    if (!list) { return; }
    var entries = Array.prototype.slice.call(list.querySelectorAll(".glossary-entry"));
    var timer = null;

    function apply() {
      var wanted = folded(input.value);
      var shown = 0;
      entries.forEach(function (entry) {
        var match = !wanted || entry.getAttribute("data-search").indexOf(wanted) !== -1;
        entry.hidden = !match;
        if (match) { shown += 1; }
      });
      if (none) { none.hidden = shown !== 0; }
      if (count) {
        count.textContent = count.getAttribute("data-template").replace("{count}", String(shown));
      }
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, 120);
    });
  }

  document.querySelectorAll("input[data-glossary-filter]").forEach(setUp);
}());
