/* Sortable tables: <table data-sortable> whose <th data-sort="text|number"> headers become
 * buttons that sort the body rows by that column (decision 0045).
 *
 * A cell sorts by its data-sort-value when it has one (a status's severity, a count), else by
 * its text. The header says how the table is sorted with aria-sort, and a polite live region
 * says it in words, so that a screen reader hears the change. Rows are moved, never rebuilt:
 * no markup is written (decision 0019). Without JavaScript the table keeps the server's order.
 */
(function () {
  "use strict";

  function key(row, index, kind) {
    var cell = row.cells[index];
    if (!cell) { return kind === "number" ? -Infinity : ""; }
    var value = cell.hasAttribute("data-sort-value") ? cell.getAttribute("data-sort-value")
      : cell.textContent.trim();
    return kind === "number" ? (parseFloat(value) || 0) : value;
  }

  function setUp(table) {
    var headers = table.tHead ? Array.prototype.slice.call(table.tHead.rows[0].cells) : [];
    var body = table.tBodies[0];
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    table.parentNode.insertBefore(status, table.nextSibling);
    var collator = new Intl.Collator(document.documentElement.lang || undefined,
                                     { numeric: true, sensitivity: "base" });
    var words = table.dataset;  // data-sorted-ascending / data-sorted-descending: "{column}"

    headers.forEach(function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (!kind) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      var arrow = document.createElement("span");
      arrow.className = "sort-arrow";
      arrow.setAttribute("aria-hidden", "true");
      button.appendChild(arrow);
      th.appendChild(button);

      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var rows = Array.prototype.slice.call(body.rows);
        if (rows.length < 2) { return; }
        rows.sort(function (a, b) {
          var x = key(a, index, kind), y = key(b, index, kind);
          var order = kind === "number" ? x - y : collator.compare(x, y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        headers.forEach(function (other) {
          other.removeAttribute("aria-sort");
          var otherArrow = other.querySelector(".sort-arrow");
          if (otherArrow) { otherArrow.textContent = ""; }
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        arrow.textContent = ascending ? " ▲" : " ▼";
        var template = ascending ? words.sortedAscending : words.sortedDescending;
        status.textContent = (template || "{column}").replace("{column}",
          button.textContent.replace(/[▲▼]/g, "").trim());
      });
    });
  }

  document.querySelectorAll("table[data-sortable]").forEach(setUp);
})();
