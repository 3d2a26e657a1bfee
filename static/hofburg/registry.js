/* Registry pages: filter a table as the reader types, and draw the joining chart.
 *
 * Both are enhancements: without JavaScript the filter form is submitted to the server and the
 * figures stay in the table.
 */
(function () {
  "use strict";

  function folded(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  document.querySelectorAll("input[data-filter-table]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    if (!table) {
      return;
    }
    var empty = document.getElementById(table.id.replace("-table", "") + "-filter-empty");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows)
      .filter(function (row) { return row.hasAttribute("data-filter-text"); });
    input.addEventListener("input", function () {
      var wanted = folded(input.value.trim());
      var shown = 0;
      rows.forEach(function (row) {
        var match = !wanted || folded(row.getAttribute("data-filter-text")).indexOf(wanted) !== -1;
        row.hidden = !match;
        shown += match ? 1 : 0;
      });
      if (empty) {
        empty.hidden = shown !== 0;
      }
    });
  });

  var canvas = document.getElementById("joining-chart");
  var data = document.getElementById("joining-chart-data");
  var labels = document.getElementById("joining-chart-labels");
  if (canvas && data && labels && window.Chart) {
    var points = JSON.parse(data.textContent);
    var accent = getComputedStyle(document.documentElement).getPropertyValue("--ps").trim();
    new window.Chart(canvas, {
      type: "line",
      data: {
        datasets: [{
          label: labels.getAttribute("data-label"),
          data: points,
          stepped: "before",
          borderColor: accent || "#4a78a8",
          backgroundColor: "rgba(74, 120, 168, 0.15)",
          fill: true,
          pointRadius: 3
        }]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: {
          x: {
            type: "linear",
            title: { display: true, text: labels.getAttribute("data-x-title") },
            ticks: { stepSize: 5, callback: function (value) { return String(value); } }
          },
          y: { beginAtZero: true, title: { display: true, text: labels.getAttribute("data-label") } }
        }
      }
    });
  }
})();
