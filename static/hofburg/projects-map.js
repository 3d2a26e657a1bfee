/* The recipient States of the projects a reader may see, shaded by how many projects work in
 * each, on the offline base layer (world-atlas TopoJSON, feature ids are ISO 3166 numeric
 * codes). The counts come from the page (json_script "projects-map-areas"); names reach the
 * map only as text elements (hofburg.text). When drawn, the map element gets data-ready. */
(function () {
  "use strict";

  var element = document.getElementById("projects-map");
  var areasNode = document.getElementById("projects-map-areas");
  if (!element || !areasNode || !window.L || !window.topojson) {
    return;
  }
  var areas = JSON.parse(areasNode.textContent);
  var labels = JSON.parse(document.getElementById("projects-map-labels").textContent);
  var most = Object.keys(areas).reduce(function (m, id) {
    return Math.max(m, areas[id].count);
  }, 1);

  function fill(area) {
    if (!area) {
      return "#d3d3cf";
    }
    // From a light to a dark blue as the count grows.
    var share = area.count / most;
    var light = Math.round(85 - 50 * share);
    return "hsl(210, 55%, " + light + "%)";
  }

  function fail(error) {
    element.setAttribute("data-ready", "error");
    var message = document.createElement("p");
    message.className = "map-error";
    message.textContent = element.getAttribute("data-error-text");
    element.appendChild(message);
    if (window.console) {
      window.console.error(error);
    }
  }

  function draw(atlas) {
    var map = L.map(element, { preferCanvas: true, zoomSnap: 0.25, minZoom: 1, maxZoom: 8,
                               maxBounds: [[-85, -200], [85, 200]] });
    map.attributionControl.setPrefix(false);
    map.fitBounds([[24, -20], [60, 90]]);
    var countries = topojson.feature(atlas, atlas.objects.countries);
    L.geoJSON(countries, {
      attribution: hofburg.escapeHtml(element.getAttribute("data-attribution")),
      style: function (feature) {
        return { color: "#ffffff", weight: 0.6, fillColor: fill(areas[feature.id]),
                 fillOpacity: 1 };
      },
      onEachFeature: function (feature, layer) {
        var area = areas[feature.id];
        if (!area) {
          return;
        }
        var noun = area.count === 1 ? labels.project : labels.projects;
        layer.bindTooltip(hofburg.text(area.name + ": " + area.count + " " + noun),
                          { sticky: true, direction: "top" });
        layer.on("click", function () { window.location.assign(area.url); });
      }
    }).addTo(map);
    element.hofburgMap = map;
    window.requestAnimationFrame(function () {
      element.setAttribute("data-ready", "true");
    });
  }

  fetch(element.getAttribute("data-atlas-url"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("atlas: HTTP " + response.status);
      }
      return response.json();
    })
    .then(draw)
    .catch(fail);
})();
