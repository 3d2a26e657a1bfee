/* The monitoring maps: the desk's map page and the small map on an event's page.
 *
 * Like the registry's map, the base layer is the vendored world-atlas TopoJSON drawn as vector
 * shapes: no tile server, no network beyond this site. On top of it come the reference lines,
 * the withdrawal zones and the disengagement areas (EXERCISE geometry from data/monitoring),
 * then the figures: H3 hexagons with the counts when zoomed out, single events when zoomed in
 * (for those entitled to see them), and the observers' positions. A category filter and a
 * time slider (with play) narrow the figures; a legend counts what is drawn, an event's popup
 * links to its page, and the view, the layers shown, the category and the period are kept in
 * the page's address so a map can be shared as it is seen. When everything is drawn the map
 * element gets
 * data-ready="true" (and "error" when it cannot be drawn). Labels from the server (observer
 * ids among them) go into tooltips as text elements, never as markup (hofburg.js).
 */
(function () {
  "use strict";

  var PALETTE = ["#c62828", "#ef6c00", "#8e24aa", "#1565c0", "#00838f", "#f9a825", "#2e7d32",
                 "#5d4037"];
  var ZONE_COLOURS = { 15: "#fbc02d", 25: "#fb8c00", 35: "#e65100", 70: "#8d6e63" };

  function getJson(url, signal) {
    return fetch(url, { credentials: "same-origin", signal: signal }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": HTTP " + response.status);
      }
      return response.json();
    });
  }

  function fail(element, error) {
    element.setAttribute("data-ready", "error");
    var message = document.createElement("p");
    message.className = "map-error";
    message.textContent = element.getAttribute("data-error-text");
    element.appendChild(message);
    if (window.console) {
      window.console.error(error);
    }
  }

  function baseMap(element, atlas) {
    // Popups without a fade: a popup opened from the keyboard is read at once, at full contrast.
    var map = L.map(element, { preferCanvas: true, zoomSnap: 0.5, minZoom: 3, maxZoom: 14,
                               fadeAnimation: false });
    map.attributionControl.setPrefix(false);
    map.setView([48, -30], 7);
    hofburg.baseCountries(map, atlas, element);
    return map;
  }

  /* An error ellipse as a ring of points: axes in metres, orientation of the major axis in
   * degrees clockwise from north. Flat-earth offsets are exact enough at a few kilometres. */
  function ellipseRing(lat, lon, semiMajor, semiMinor, orientationDeg) {
    var points = [];
    var theta = orientationDeg * Math.PI / 180;
    var metresPerDegLat = 111320;
    var metresPerDegLon = 111320 * Math.cos(lat * Math.PI / 180);
    for (var i = 0; i <= 48; i++) {
      var t = 2 * Math.PI * i / 48;
      var along = semiMajor * Math.cos(t);
      var across = semiMinor * Math.sin(t);
      var north = along * Math.cos(theta) - across * Math.sin(theta);
      var east = along * Math.sin(theta) + across * Math.cos(theta);
      points.push([lat + north / metresPerDegLat, lon + east / metresPerDegLon]);
    }
    return points;
  }

  /* A name in the layer control: Leaflet writes it as markup, so it goes in escaped. */
  function layerName(element, attribute) {
    return hofburg.escapeHtml(element.getAttribute(attribute));
  }

  function referenceLayers(map, layers, element) {
    var overlays = {};
    var zones = L.geoJSON(layers.zones, {
      style: function (feature) {
        var colour = ZONE_COLOURS[feature.properties.distance_km] || "#8d6e63";
        return { color: colour, weight: 1, dashArray: "4 4", fillColor: colour, fillOpacity: 0.08 };
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(hofburg.text(feature.properties.label), { sticky: true });
      }
    });
    var lines = L.geoJSON(layers.lines, {
      style: function (feature) {
        var contact = feature.properties.line_id === "line_of_contact";
        return { color: contact ? "#b3261e" : "#0b5394", weight: 3,
                 dashArray: contact ? null : "8 6" };
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(hofburg.text(feature.properties.label), { sticky: true });
      }
    });
    var areas = L.geoJSON(layers.areas, {
      style: { color: "#6a1b9a", weight: 2, fillColor: "#6a1b9a", fillOpacity: 0.25 },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(hofburg.text(feature.properties.name), { sticky: true });
      }
    });
    zones.addTo(map);
    lines.addTo(map);
    areas.addTo(map);
    overlays[layerName(element, "data-label-zones")] = zones;
    overlays[layerName(element, "data-label-lines")] = lines;
    overlays[layerName(element, "data-label-areas")] = areas;
    element.setAttribute("data-line-count", String(layers.lines.features.length));
    element.setAttribute("data-area-count", String(layers.areas.features.length));
    element.setAttribute("data-zone-count", String(layers.zones.features.length));
    return overlays;
  }

  function categoryColour(categories, category) {
    var index = categories.indexOf(category);
    return PALETTE[(index < 0 ? 0 : index) % PALETTE.length];
  }

  /* ---------------------------------------------------------------- the desk's map page */

  function deskMap(element) {
    var categories = JSON.parse(element.getAttribute("data-categories") || "[]");
    var daysNode = document.getElementById("map-days");
    var days = daysNode ? JSON.parse(daysNode.textContent) : [];
    var filters = document.getElementById("map-filters");
    var categorySelect = document.getElementById("map-category");
    var slider = document.getElementById("map-day");
    var allDays = document.getElementById("map-all-days");
    var dayLabel = document.getElementById("map-day-label");
    var summary = document.getElementById("map-summary");
    var counts = document.getElementById("map-counts");
    var play = document.getElementById("map-play");
    var labelsNode = document.getElementById("map-category-labels");
    var categoryLabels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
    var dayLabelsNode = document.getElementById("map-day-labels");
    var dayLabels = dayLabelsNode ? JSON.parse(dayLabelsNode.textContent) : [];
    var figures = L.layerGroup();
    var eventRenderer = L.svg({ padding: 0.2 });
    var observers = L.layerGroup();
    var overlayKeys = [];  // [key, layer] pairs, for the address
    var pending = null;
    var map = null;
    var playing = null;
    var asked = new URLSearchParams(window.location.search);

    if (filters) {
      // The filters act as they change; Enter in the form must not reload the page.
      filters.addEventListener("submit", function (event) { event.preventDefault(); });
    }

    function chosenDay() {
      if (!slider || allDays.checked || !days.length) {
        return "";
      }
      return days[Number(slider.value)];
    }

    function showDay() {
      if (!dayLabel) {
        return;
      }
      var day = chosenDay();
      var label = dayLabels[Number(slider.value)] || day;
      dayLabel.textContent = day ? element.getAttribute("data-period-text").replace("{day}", label)
                                 : element.getAttribute("data-all-periods-text");
      element.setAttribute("data-day", day);
    }

    /* What the address asks for: category, period, view and hidden layers. */
    function applyAsked() {
      var category = asked.get("category");
      if (categorySelect && category && categories.indexOf(category) >= 0) {
        categorySelect.value = category;
      }
      var index = days.indexOf(asked.get("day") || "");
      if (slider && index >= 0) {
        slider.value = String(index);
        allDays.checked = false;
      }
    }

    function askedView() {
      var parts = (asked.get("view") || "").split(",").map(Number);
      if (parts.length !== 3 || parts.some(function (n) { return !isFinite(n); })) {
        return null;
      }
      return parts;
    }

    /* The address follows what is shown, without adding to the history. */
    function remember() {
      var params = new URLSearchParams();
      var centre = map.getCenter();
      params.set("view", [centre.lat.toFixed(4), centre.lng.toFixed(4),
                          String(map.getZoom())].join(","));
      if (categorySelect && categorySelect.value) {
        params.set("category", categorySelect.value);
      }
      if (chosenDay()) {
        params.set("day", chosenDay());
      }
      var hidden = overlayKeys.filter(function (pair) { return !map.hasLayer(pair[1]); })
        .map(function (pair) { return pair[0]; });
      if (hidden.length) {
        params.set("hide", hidden.join(","));
      }
      window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
    }

    function stop() {
      if (playing) {
        window.clearInterval(playing);
        playing = null;
      }
      if (play) {
        play.setAttribute("aria-pressed", "false");
        play.textContent = play.getAttribute("data-play-text");
      }
    }

    /* Play steps through the periods from the one shown (or the first) to the last. */
    function togglePlay(step) {
      if (playing) {
        stop();
        return;
      }
      if (allDays.checked || Number(slider.value) >= Number(slider.max)) {
        slider.value = "0";
      }
      allDays.checked = false;
      play.setAttribute("aria-pressed", "true");
      play.textContent = play.getAttribute("data-pause-text");
      showDay();
      step();
      playing = window.setInterval(function () {
        if (Number(slider.value) >= Number(slider.max)) {
          stop();
          return;
        }
        slider.value = String(Number(slider.value) + 1);
        showDay();
        step();
      }, 1500);
    }

    function swatch(colour) {
      var mark = document.createElement("span");
      mark.className = "swatch";
      mark.style.background = colour;
      return mark;
    }

    /* The legend's counts: events per category in view, or the violations in the hexagons. */
    function showCounts(data) {
      if (!counts) {
        return;
      }
      counts.replaceChildren();
      var list = document.createElement("ul");
      list.className = "plain legend-counts";
      if (data.mode === "events") {
        var byCategory = {};
        data.events.forEach(function (event) {
          byCategory[event.category] = (byCategory[event.category] || 0) + 1;
        });
        categories.forEach(function (category) {
          if (!byCategory[category]) {
            return;
          }
          var item = document.createElement("li");
          item.appendChild(swatch(categoryColour(categories, category)));
          item.appendChild(document.createTextNode(
            (categoryLabels[category] || category) + ": " + byCategory[category]));
          item.setAttribute("data-category", category);
          list.appendChild(item);
        });
      } else {
        var total = data.cells.reduce(function (sum, cell) { return sum + cell.violations; }, 0);
        var item = document.createElement("li");
        item.appendChild(swatch("rgba(198, 40, 40, .55)"));
        item.appendChild(document.createTextNode(
          element.getAttribute("data-cells-text").replace("{count}", String(total))
            .replace("{cells}", String(data.cells.length))));
        list.appendChild(item);
      }
      counts.appendChild(list);
    }


    /* An event's marker is a button for the keyboard (decision 0046): Tab reaches it, Enter or
     * Space opens its popup with the focus on the popup's link, and closing the popup brings
     * the focus back. Events are drawn as SVG (at most the answer's 2,000 when zoomed in) so
     * that each has an element to focus; hexagons and positions stay on the canvas. */
    function reachable(marker, label) {
      var node = marker.getElement();
      if (!node || node.hasAttribute("tabindex")) {
        return;
      }
      node.setAttribute("tabindex", "0");
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", label);
      node.addEventListener("keydown", function (keyEvent) {
        if (keyEvent.key !== "Enter" && keyEvent.key !== " ") {
          return;
        }
        keyEvent.preventDefault();
        marker.openPopup();
        var box = marker.getPopup() ? marker.getPopup().getElement() : null;
        if (!box) {
          return;
        }
        if (!box.hasAttribute("data-escapes")) {
          box.setAttribute("data-escapes", "");
          box.addEventListener("keydown", function (inPopup) {
            if (inPopup.key === "Escape") {
              marker.closePopup();
            }
          });
        }
        var link = box.querySelector("a");
        if (link) {
          link.focus();
        }
      });
      marker.on("popupclose", function () {
        var active = document.activeElement;
        if (active === document.body || !document.body.contains(active) ||
            element.contains(active)) {
          node.focus();
        }
      });
    }

    function drawFigures(data) {
      figures.clearLayers();
      observers.clearLayers();
      data.cells.forEach(function (cell) {
        var polygon = L.polygon(cell.boundary, {
          color: "#12263a", weight: 1, fillColor: "#c62828",
          fillOpacity: Math.min(0.15 + cell.violations / (data.max_violations || 1) * 0.6, 0.75),
          className: "h3-cell"
        });
        polygon.bindTooltip(hofburg.text(cell.label), { sticky: true });
        figures.addLayer(polygon);
      });
      data.events.forEach(function (event) {
        var colour = categoryColour(categories, event.category);
        if (event.ellipse) {
          figures.addLayer(L.polygon(ellipseRing(event.lat, event.lon, event.ellipse.semi_major_m,
                                                 event.ellipse.semi_minor_m,
                                                 event.ellipse.orientation_deg),
                                     { color: colour, weight: 1, fillOpacity: 0.1,
                                       interactive: false }));
        }
        var marker = L.circleMarker([event.lat, event.lon], {
          radius: 6, color: "#12263a", weight: 1, fillColor: colour, fillOpacity: 0.9,
          renderer: eventRenderer, className: "event-marker"
        });
        marker.bindTooltip(hofburg.text(event.label), { sticky: true });
        marker.bindPopup(hofburg.textAndLink(event.label, event.url,
                                             element.getAttribute("data-open-text")));
        marker.on("add", function () { reachable(marker, event.label); });
        figures.addLayer(marker);
      });
      data.observers.forEach(function (observer) {
        var marker = L.circleMarker([observer.lat, observer.lon], {
          radius: 4, color: "#0b5394", weight: 2, fillColor: "#ffffff", fillOpacity: 1
        });
        marker.bindTooltip(hofburg.text(observer.label), { sticky: true });
        observers.addLayer(marker);
      });
      element.setAttribute("data-mode", data.mode);
      element.setAttribute("data-cell-count", String(data.cells.length));
      element.setAttribute("data-event-count", String(data.events.length));
      element.setAttribute("data-observer-count", String(data.observers.length));
      if (summary) {
        summary.textContent = data.summary;
      }
      showCounts(data);
    }

    function refresh() {
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var bounds = map.getBounds();
      var params = new URLSearchParams({
        zoom: String(Math.round(map.getZoom())),
        bbox: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
          .map(function (value) { return value.toFixed(4); }).join(",")
      });
      if (categorySelect && categorySelect.value) {
        params.set("category", categorySelect.value);
      }
      var day = chosenDay();
      if (day) {
        params.set("day", day);
      }
      element.setAttribute("data-loading", "true");
      return getJson(element.getAttribute("data-data-url") + "?" + params.toString(),
                     pending.signal).then(function (data) {
        drawFigures(data);
        element.removeAttribute("data-loading");
      });
    }

    Promise.all([
      getJson(element.getAttribute("data-atlas-url")),
      getJson(element.getAttribute("data-layers-url"))
    ]).then(function (results) {
      map = baseMap(element, results[0]);
      var overlays = referenceLayers(map, results[1], element);
      var view = askedView();
      if (view) {
        map.setView([view[0], view[1]], view[2]);
      } else {
        map.fitBounds(results[1].bounds);
      }
      figures.addTo(map);
      observers.addTo(map);
      overlays[layerName(element, "data-label-figures")] = figures;
      overlays[layerName(element, "data-label-observers")] = observers;
      var keys = ["zones", "lines", "areas", "figures", "observers"];
      Object.keys(overlays).forEach(function (name, index) {
        overlayKeys.push([keys[index], overlays[name]]);
      });
      var hidden = (asked.get("hide") || "").split(",");
      overlayKeys.forEach(function (pair) {
        if (hidden.indexOf(pair[0]) >= 0) {
          map.removeLayer(pair[1]);
        }
      });
      L.control.layers(null, overlays, { collapsed: false }).addTo(map);
      L.control.scale({ imperial: false }).addTo(map);
      element.hofburgMap = map;
      applyAsked();
      showDay();
      return refresh();
    }).then(function () {
      var timer = null;
      function later() {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          remember();
          refresh().catch(function (error) {
            if (error.name !== "AbortError" && window.console) {
              window.console.error(error);
            }
          });
        }, 150);
      }
      map.on("moveend", later);
      map.on("overlayadd overlayremove", remember);
      if (categorySelect) {
        categorySelect.addEventListener("change", later);
      }
      if (slider) {
        slider.addEventListener("input", function () {
          stop();
          allDays.checked = false;
          showDay();
          later();
        });
        allDays.addEventListener("change", function () { stop(); showDay(); later(); });
        if (play) {
          play.hidden = false;
          play.addEventListener("click", function () { togglePlay(later); });
        }
      }
      window.requestAnimationFrame(function () {
        element.setAttribute("data-ready", "true");
      });
    }).catch(function (error) { fail(element, error); });
  }

  /* ------------------------------------------------------------ the map on an event's page */

  function eventMap(element) {
    var event = JSON.parse(document.getElementById(element.getAttribute("data-event-id"))
                           .textContent);
    Promise.all([
      getJson(element.getAttribute("data-atlas-url")),
      getJson(element.getAttribute("data-layers-url"))
    ]).then(function (results) {
      var map = baseMap(element, results[0]);
      referenceLayers(map, results[1], element);
      var shapes = L.featureGroup().addTo(map);
      if (event.ellipse) {
        shapes.addLayer(L.polygon(ellipseRing(event.lat, event.lon, event.ellipse.semi_major_m,
                                              event.ellipse.semi_minor_m,
                                              event.ellipse.orientation_deg),
                                  { color: "#c62828", weight: 2, fillOpacity: 0.15,
                                    className: "error-ellipse" }));
      }
      event.observers.forEach(function (observer) {
        shapes.addLayer(L.polyline([[observer.lat, observer.lon], [event.lat, event.lon]],
                                   { color: "#0b5394", weight: 1, dashArray: "3 4" }));
        shapes.addLayer(L.circleMarker([observer.lat, observer.lon], {
          radius: 5, color: "#0b5394", weight: 2, fillColor: "#ffffff", fillOpacity: 1
        }).bindTooltip(hofburg.text(observer.label)));
      });
      shapes.addLayer(L.circleMarker([event.lat, event.lon], {
        radius: 6, color: "#12263a", weight: 1, fillColor: "#c62828", fillOpacity: 1
      }).bindTooltip(hofburg.text(event.label)));
      map.fitBounds(shapes.getBounds().pad(0.4), { maxZoom: 13 });
      L.control.scale({ imperial: false }).addTo(map);
      element.hofburgMap = map;
      element.setAttribute("data-ellipse", event.ellipse ? "true" : "false");
      window.requestAnimationFrame(function () {
        element.setAttribute("data-ready", "true");
      });
    }).catch(function (error) { fail(element, error); });
  }

  var desk = document.getElementById("monitoring-map");
  if (desk) {
    deskMap(desk);
  }
  var single = document.getElementById("event-map");
  if (single) {
    eventMap(single);
  }
})();
