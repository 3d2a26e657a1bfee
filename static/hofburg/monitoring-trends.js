/* The trends page's charts: daily violations by category (stacked bars) and by area (lines).
 * The figures come from the page (json_script "trend-data"); Chart.js is vendored. */
(function () {
  "use strict";

  var node = document.getElementById("trend-data");
  if (!node || !window.Chart) {
    return;
  }
  var data = JSON.parse(node.textContent);
  var PALETTE = ["#c62828", "#ef6c00", "#8e24aa", "#1565c0", "#00838f", "#f9a825", "#2e7d32",
                 "#5d4037", "#546e7a", "#ad1457"];

  function datasets(series, fill) {
    return series.map(function (item, i) {
      var colour = PALETTE[i % PALETTE.length];
      return { label: item.label, data: item.data, backgroundColor: colour, borderColor: colour,
               fill: fill, tension: 0.2, pointRadius: 2 };
    });
  }

  function draw(id, type, series, stacked) {
    var canvas = document.getElementById(id);
    if (!canvas) {
      return;
    }
    canvas.hofburgChart = new Chart(canvas, {
      type: type,
      data: { labels: data.days, datasets: datasets(series, false) },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true,
                                                ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
    canvas.setAttribute("data-ready", "true");
  }

  draw("chart-categories", "bar", data.categories, true);
  draw("chart-areas", "line", data.areas, false);
})();
