/* The PVT's convergence chart: each candidate's estimated share of valid votes (per cent) and
 * its 95 % interval (a shaded band) against the stations reported so far. The figures come
 * from json_script "pvt-convergence-data"; Chart.js (vendored) draws them on a canvas, so no
 * value reaches the page as markup. When drawn, the canvas gets data-ready. */
(function () {
  "use strict";

  var COLOURS = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#4e342e",
                 "#ad1457"];

  function start() {
    var node = document.getElementById("pvt-convergence-data");
    var canvas = document.getElementById("pvt-convergence-chart");
    if (!node || !canvas || !window.Chart || canvas.hofburgChart) {
      return;
    }
    var data = JSON.parse(node.textContent);
    var datasets = [];
    data.candidates.forEach(function (name, i) {
      var colour = COLOURS[i % COLOURS.length];
      function series(key) {
        return data.points.map(function (point) {
          return { x: point.reporting, y: 100 * point.candidates[name][key] };
        });
      }
      datasets.push({ label: name + " · " + data.labels.interval, data: series("ci95_low"),
                      borderColor: "transparent", backgroundColor: "transparent",
                      pointRadius: 0, fill: false });
      datasets.push({ label: name + " · " + data.labels.interval, data: series("ci95_high"),
                      borderColor: "transparent", backgroundColor: colour + "33",
                      pointRadius: 0, fill: "-1" });
      datasets.push({ label: name, data: series("share"), borderColor: colour,
                      backgroundColor: colour, pointRadius: 1.5, fill: false });
    });
    canvas.hofburgChart = new Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      options: {
        animation: false, maintainAspectRatio: false, parsing: true,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        scales: {
          x: { type: "linear", title: { display: true, text: data.labels.x } },
          y: { title: { display: true, text: data.labels.y } }
        },
        plugins: { legend: { position: "bottom", labels: {
          filter: function (item) { return item.text.indexOf(data.labels.interval) === -1; }
        } } }
      }
    });
    canvas.setAttribute("data-ready", "true");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
