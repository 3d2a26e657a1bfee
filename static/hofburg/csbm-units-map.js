/* The map of an exchange's formations and units: one marker per place (units grouped by the
 * server), on the offline base layer (world-atlas TopoJSON, no tile server). The places come
 * from the page (json_script "units-map-places"). Every marker is reachable with the Tab key,
 * named by an aria-label (its count and position), and opens its popup with Enter, Space, a
 * click or a tap. A popup is an element built here, its text set as text, never markup.
 * When drawn, the map element gets data-ready="true". */
(function () {
  "use strict";

  var element = document.getElementById("units-map");
  var placesNode = document.getElementById("units-map-places");
  if (!element || !placesNode || !window.L || !window.topojson) {
    return;
  }
  var places = JSON.parse(placesNode.textContent);

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

  function popupContent(place) {
    var box = document.createElement("div");
    box.className = "units-popup";
    var heading = document.createElement("p");
    heading.className = "units-popup-heading";
    heading.textContent = place.label;
    box.appendChild(heading);
    var list = document.createElement("ul");
    place.units.forEach(function (unit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = unit.href;
      link.textContent = unit.designation;
      var what = document.createElement("span");
      what.className = "small";
      what.textContent = " " + unit.what;
      item.appendChild(link);
      item.appendChild(what);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function markerIcon(place) {
    var count = document.createElement("span");
    count.textContent = String(place.count);
    count.setAttribute("aria-hidden", "true");
    var size = place.count < 10 ? 26 : place.count < 100 ? 32 : 38;
    return L.divIcon({ className: "units-marker", html: count, iconSize: [size, size] });
  }

  function draw(atlas) {
    // The base map's attribution is a line under the map (the page's own text): on a phone,
    // Leaflet's control would cover the markers along the map's bottom edge.
    var map = L.map(element, { zoomSnap: 0.25, minZoom: 1, maxZoom: 12,
                               attributionControl: false, fadeAnimation: false,
                               maxBounds: [[-85, -200], [85, 200]] });
    hofburg.baseCountries(map, atlas, element);
    // The view first: Leaflet adds a layer's elements only once the map has one.
    map.fitBounds(places.map(function (place) { return [place.lat, place.lon]; }),
                  { padding: [28, 28], maxZoom: 9 });
    places.forEach(function (place) {
      var marker = L.marker([place.lat, place.lon], {
        icon: markerIcon(place), keyboard: true, title: place.label, riseOnHover: true
      }).addTo(map);
      // The popup's content is an element (its text set as text), given when it is made.
      var popup = L.popup({ content: popupContent(place), maxWidth: 280,
                            autoPanPadding: [12, 12] });
      function open() {
        popup.setLatLng(marker.getLatLng()).openOn(map);
      }
      marker.on("click", open);  // a click, and a tap on a touch screen
      var node = marker.getElement();
      if (node) {
        node.setAttribute("aria-label", place.label);
        node.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {  // as a button does
            event.preventDefault();
            open();
            // The list is read next; Escape closes it and brings the reader back here.
            var first = popup.getElement().querySelector(".units-popup a");
            if (first) {
              first.focus();
            }
          }
        });
        popup.on("remove", function () {
          var box = popup.getElement();
          var active = document.activeElement;
          if (active === document.body || (box && box.contains(active))) {
            node.focus();
          }
        });
      }
    });
    element.hofburgMap = map;
    window.requestAnimationFrame(function () {
      element.setAttribute("data-marker-count", String(places.length));
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
