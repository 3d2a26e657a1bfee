/* The projects desk's charts: an indicator's target and actual per period (project page) and
 * a State's contributions per year (State profile). Figures come from json_script elements;
 * Chart.js is vendored. Values reach the page only through Chart.js (canvas), never as markup. */
(function () {
  "use strict";

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function draw(canvas, config) {
    if (!canvas || canvas.hofburgChart) {
      return;
    }
    config.options = Object.assign({ animation: false, maintainAspectRatio: false,
                                     interaction: { mode: "index", intersect: false },
                                     plugins: { legend: { position: "bottom" } } },
                                   config.options || {});
    canvas.hofburgChart = new Chart(canvas, config);
    canvas.setAttribute("data-ready", "true");
  }

  function indicators() {
    var data = read("indicator-data");
    if (!data) {
      return;
    }
    data.indicators.forEach(function (item) {
      draw(document.getElementById("indicator-chart-" + item.id), {
        type: "line",
        data: { labels: item.labels, datasets: [
          { label: data.labels.target, data: item.target, borderColor: "#4a78a8",
            backgroundColor: "#4a78a8", borderDash: [6, 4], spanGaps: true },
          { label: data.labels.actual, data: item.actual, borderColor: "#c62828",
            backgroundColor: "#c62828", spanGaps: false },
          { label: data.labels.baseline, data: item.labels.map(function () { return item.baseline; }),
            borderColor: "#9e9e9e", backgroundColor: "#9e9e9e", pointRadius: 0 }
        ] },
        options: { scales: { y: { beginAtZero: true } } }
      });
    });
  }

  function contributions() {
    var data = read("projects-contributions-data");
    if (!data) {
      return;
    }
    var colours = ["#6a1b9a", "#2e7d32"];
    draw(document.getElementById("projects-contributions-chart"), {
      type: "bar",
      data: { labels: data.years, datasets: data.series.map(function (s, i) {
        return { label: s.label, data: s.data, backgroundColor: colours[i % colours.length] };
      }) },
      options: { scales: { y: { beginAtZero: true } } }
    });
  }

  function start() {
    if (!window.Chart) {
      return;
    }
    indicators();
    contributions();
  }

  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
