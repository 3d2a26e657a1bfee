/* The map of the OSCE area: an offline base layer, shaded by what the registry says.
 *
 * The countries come from the vendored world-atlas TopoJSON (feature ids are ISO 3166 numeric
 * codes such as "040"); which of them are participating States or Partners for Co-operation,
 * and their names in the reader's language, come from the registry's areas endpoint. There is
 * no tile layer: the map works without a network. When everything is drawn, the map element
 * gets data-ready="true".
 */
(function () {
  "use strict";

  var element = document.getElementById("osce-map");
  if (!element) {
    return;
  }

  // Features smaller than this (in degrees) are too small to point at on a map of the whole
  // OSCE area (Holy See, Monaco, San Marino, Liechtenstein, Andorra, Malta): they get a marker.
  var SMALL_EXTENT_DEGREES = 0.7;

  function cssColour(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  var colours = {
    participating: cssColour("--ps", "#4a78a8"),
    partner: cssColour("--partner", "#d9a441"),
    other: cssColour("--map-other", "#d3d3cf"),
    border: cssColour("--map-border", "#ffffff")
  };

  function styleFor(area) {
    return {
      color: colours.border,
      weight: 0.6,
      fillColor: area ? colours[area.kind] : colours.other,
      fillOpacity: area ? 0.9 : 1
    };
  }

  // A ring that crosses the antimeridian (Chukotka, the Aleutians) jumps from +180 to -180 and
  // would be drawn as a band across the whole map: move its western points one world east.
  // A ring that goes all the way round (Antarctica) gets no narrower that way and is left as is.
  function unwrapRing(ring) {
    var crosses = ring.some(function (point, i) {
      return i > 0 && Math.abs(point[0] - ring[i - 1][0]) > 180;
    });
    if (!crosses) {
      return ring;
    }
    var shifted = ring.map(function (point) {
      return point[0] < 0 ? [point[0] + 360, point[1]] : point;
    });
    function span(points) {
      var lons = points.map(function (point) { return point[0]; });
      return Math.max.apply(null, lons) - Math.min.apply(null, lons);
    }
    return span(shifted) < span(ring) ? shifted : ring;
  }

  function unwrapGeometry(geometry) {
    if (!geometry) {
      return;
    }
    if (geometry.type === "Polygon") {
      geometry.coordinates = geometry.coordinates.map(unwrapRing);
    } else if (geometry.type === "MultiPolygon") {
      geometry.coordinates = geometry.coordinates.map(function (polygon) {
        return polygon.map(unwrapRing);
      });
    }
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

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": HTTP " + response.status);
      }
      return response.json();
    });
  }

  // Features without an ISO 3166 code (Kosovo, N. Cyprus, Somaliland, ...) get no name: the
  // base map's naming of them is not the OSCE's to adopt. Leaflet reads a string tooltip as
  // markup: the name goes in as a text element.
  function bindArea(layer, area, fallbackName) {
    var name = area ? area.name : fallbackName;
    if (name) {
      layer.bindTooltip(hofburg.text(name), { sticky: true, direction: "top" });
    }
    if (area && area.kind === "participating") {
      layer.on("click", function () {
        window.location.assign(area.url);
      });
    }
  }

  function draw(atlas, areas) {
    var map = L.map(element, {
      preferCanvas: true,
      zoomSnap: 0.25,
      minZoom: 1,
      maxZoom: 8,
      worldCopyJump: false,
      maxBounds: [[-85, -200], [85, 200]]
    });
    map.attributionControl.setPrefix(false);
    // From Vancouver to Vladivostok: the OSCE area spans most of the northern hemisphere.
    // The view is set before any layer is added: a canvas layer cannot be drawn without one.
    map.fitBounds([[24, -135], [72, 160]]);

    var countries = topojson.feature(atlas, atlas.objects.countries);
    countries.features.forEach(function (feature) { unwrapGeometry(feature.geometry); });
    var extents = {};
    var base = L.geoJSON(countries, {
      attribution: hofburg.escapeHtml(element.getAttribute("data-attribution")),
      style: function (feature) {
        return styleFor(areas[feature.id]);
      },
      onEachFeature: function (feature, layer) {
        var area = areas[feature.id];
        bindArea(layer, area, feature.id ? feature.properties.name : null);
        if (area) {
          // One area can have several features (Australia and its Ashmore and Cartier Islands):
          // the marker decision is taken on all of them together.
          var bounds = layer.getBounds();
          extents[feature.id] = extents[feature.id] ? extents[feature.id].extend(bounds)
                                                    : L.latLngBounds(bounds.getSouthWest(),
                                                                     bounds.getNorthEast());
        }
        if (area && area.kind === "participating") {
          layer.on("mouseover", function () { layer.setStyle({ fillOpacity: 1, weight: 1.5 }); });
          layer.on("mouseout", function () { base.resetStyle(layer); });
        }
      }
    }).addTo(map);

    Object.keys(extents).forEach(function (id) {
      var bounds = extents[id];
      var extent = Math.max(bounds.getNorth() - bounds.getSouth(),
                            bounds.getEast() - bounds.getWest());
      if (extent >= SMALL_EXTENT_DEGREES) {
        return;
      }
      var area = areas[id];
      var marker = L.circleMarker(bounds.getCenter(), {
        radius: 5,
        color: "#12263a",
        weight: 1.5,
        fillColor: colours[area.kind],
        fillOpacity: 1,
        className: "small-state"
      }).addTo(map);
      bindArea(marker, area, area.name);
    });

    // Exposed for scripted checks (the browser tests click a State by its coordinates).
    element.hofburgMap = map;
    window.requestAnimationFrame(function () {
      element.setAttribute("data-feature-count", String(countries.features.length));
      element.setAttribute("data-ready", "true");
    });
  }

  Promise.all([
    getJson(element.getAttribute("data-atlas-url")),
    getJson(element.getAttribute("data-areas-url"))
  ]).then(function (results) {
    draw(results[0], results[1]);
  }).catch(fail);
})();
