/* The deployment board's coverage map: the mission's polling stations, visited (filled) or not
 * yet visited (hollow), on the offline base layer (world-atlas TopoJSON, no tile server). The
 * stations come from the page (json_script "coverage-map-points"); every station is a marker
 * reachable with the Tab key, named by an aria-label, with a tooltip set as text only
 * (hofburg.text), never as markup. When drawn, the map element gets data-ready. */
(function () {
  "use strict";

  var element = document.getElementById("coverage-map");
  var pointsNode = document.getElementById("coverage-map-points");
  if (!element || !pointsNode || !window.L || !window.topojson) {
    return;
  }
  var points = JSON.parse(pointsNode.textContent);
  var labels = JSON.parse(document.getElementById("coverage-map-labels").textContent);

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

  function describe(point) {
    var teams = point.teams.length ? point.teams.join(", ") : labels.none;
    return point.id + " · " + point.name + " · " + point.region + " · " +
      (point.visited ? labels.visited : labels.not_visited) + " · " + labels.teams + ": " + teams;
  }

  function draw(atlas) {
    var map = L.map(element, { zoomSnap: 0.25, minZoom: 1, maxZoom: 14,
                               maxBounds: [[-85, -200], [85, 200]] });
    map.attributionControl.setPrefix(false);
    hofburg.baseCountries(map, atlas, element);
    // The view first: Leaflet adds a layer's elements only once the map has one.
    var bounds = points.map(function (point) { return [point.lat, point.lon]; });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 });
    } else {
      map.fitBounds([[24, -20], [60, 90]]);
    }
    points.forEach(function (point) {
      var icon = L.divIcon({ className: "station-marker " + (point.visited ? "visited" : "open"),
                             iconSize: [14, 14] });
      var text = describe(point);
      var marker = L.marker([point.lat, point.lon], { icon: icon, keyboard: true, title: text })
        .bindTooltip(hofburg.text(text), { direction: "top" })
        .addTo(map);
      var node = marker.getElement();
      if (node) {
        node.setAttribute("aria-label", text);
        node.setAttribute("data-station", point.id);
        node.addEventListener("focus", function () { marker.openTooltip(); });
        node.addEventListener("blur", function () { marker.closeTooltip(); });
      }
    });
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
