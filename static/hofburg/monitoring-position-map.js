/* The observation form's position picker: tap the map, and the latitude and longitude fields
 * take that point.
 *
 * The base layer is the vendored world-atlas TopoJSON the desk's other maps draw (no tile
 * server, nothing from another site), with the EXERCISE reference lines from the desk's layers
 * when they can be had (the form keeps them for offline use; without them the countries
 * alone). The fields stay the way to enter a position: typed by hand, they move the marker;
 * a keyboard user moves the map with the arrow keys and takes its centre with Enter. When
 * drawn, the map element gets data-ready="true" ("error" when it cannot be drawn; the fields
 * still work).
 */
(function () {
  "use strict";

  var element = document.getElementById("position-map");
  var form = document.getElementById("observation-form");
  if (!element || !form || !window.L || !window.topojson) {
    return;
  }
  var latField = form.elements.observer_lat;
  var lonField = form.elements.observer_lon;
  var DECIMALS = 5;  // about a metre: finer than any phone's fix
  var map = null;
  var marker = null;

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": HTTP " + response.status);
      }
      return response.json();
    });
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

  function typed() {
    var lat = parseFloat(latField.value);
    var lon = parseFloat(lonField.value);
    if (isNaN(lat) || isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      return null;
    }
    return L.latLng(lat, lon);
  }

  function showMarker(point) {
    if (!point) {
      return;
    }
    if (marker) {
      marker.setLatLng(point);
    } else {
      marker = L.circleMarker(point, { radius: 8, color: "#12263a", weight: 2,
                                       fillColor: "#1565c0", fillOpacity: 0.9,
                                       interactive: false }).addTo(map);
    }
  }

  /* Put the point into the fields, as typing would: the form's checks and listeners run. */
  function pick(point) {
    var wrapped = point.wrap();
    latField.value = wrapped.lat.toFixed(DECIMALS);
    lonField.value = wrapped.lng.toFixed(DECIMALS);
    [latField, lonField].forEach(function (field) {
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
    showMarker(wrapped);
    element.setAttribute("data-picked", latField.value + "," + lonField.value);
    var status = document.getElementById("position-picked");
    if (status) {
      status.textContent = element.getAttribute("data-picked-text")
        .replace("{lat}", latField.value).replace("{lon}", lonField.value);
    }
  }

  function draw(atlas, layers) {
    map = L.map(element, { zoomSnap: 0.5, minZoom: 2, maxZoom: 15,
                           maxBounds: [[-85, -200], [85, 200]] });
    map.attributionControl.setPrefix(false);
    var start = typed();
    if (start) {
      map.setView(start, 10);
    } else if (layers && layers.bounds) {
      map.fitBounds(layers.bounds);
    } else {
      map.setView([48, -30], 7);
    }
    hofburg.baseCountries(map, atlas, element);
    if (layers && layers.lines) {
      L.geoJSON(layers.lines, {
        interactive: false,
        style: function (feature) {
          var memorandum = feature.properties && feature.properties.line_id === "memorandum_line_2014";
          return { color: memorandum ? "#0b5394" : "#b3261e", weight: 2,
                   dashArray: memorandum ? "6 4" : null };
        }
      }).addTo(map);
    }
    showMarker(start);
    map.on("click", function (event) { pick(event.latlng); });
    element.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target === element) {
        event.preventDefault();
        pick(map.getCenter());
      }
    });
    [latField, lonField].forEach(function (field) {
      field.addEventListener("change", function () {
        var point = typed();
        if (point) {
          showMarker(point);
          if (!map.getBounds().contains(point)) {
            map.panTo(point);
          }
        }
      });
    });
    // Exposed for scripted checks (the browser test taps a point and compares).
    element.hofburgMap = map;
    window.requestAnimationFrame(function () {
      element.setAttribute("data-ready", "true");
    });
  }

  getJson(element.getAttribute("data-atlas-url")).then(function (atlas) {
    return getJson(element.getAttribute("data-layers-url")).catch(function () {
      return null;  // offline without a kept copy: the countries alone
    }).then(function (layers) {
      draw(atlas, layers);
    });
  }).catch(fail);
})();
