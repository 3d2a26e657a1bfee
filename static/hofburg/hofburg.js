/* What every page shares: the two ways page scripts put values they read from JSON into
 * the page.
 *
 * No value reaches the page as markup (decision 0019): a script builds elements and sets their
 * textContent. hofburg.text(value) is such an element, for the library calls that take one
 * (a Leaflet tooltip). hofburg.escapeHtml(value) is for the few library calls that take only
 * markup (Leaflet's attribution and layer names): the value comes out as text all the same.
 * The language switcher needs no script: a select and its button (decision 0046).
 */
(function () {
  "use strict";

  function text(value) {
    var node = document.createElement("span");
    node.textContent = value === null || value === undefined ? "" : String(value);
    return node;
  }

  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };

  function escapeHtml(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g,
      function (character) { return ENTITIES[character]; });
  }

  /* A text and, where there is an address, a link after it (a map popup): built as nodes. */
  function textAndLink(value, href, linkText) {
    var box = document.createElement("div");
    var line = document.createElement("p");
    line.textContent = value === null || value === undefined ? "" : String(value);
    box.appendChild(line);
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.textContent = linkText;
      box.appendChild(link);
    }
    return box;
  }

  /* Files kept on the device until they are sent (IndexedDB), for the forms that take photos
   * and recordings offline. `deviceStore(db, store)` gives `inStore(mode, work)`: it opens the
   * database, runs `work(objectStore)` in one transaction and resolves with what `work`
   * returned once the transaction is complete (rejects if there is no IndexedDB). */
  function deviceStore(dbName, storeName) {
    function open() {
      return new Promise(function (resolve, reject) {
        if (!window.indexedDB) {
          reject(new Error("no IndexedDB"));
          return;
        }
        var request = window.indexedDB.open(dbName, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(storeName);
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return function inStore(mode, work) {
      return open().then(function (db) {
        return new Promise(function (resolve, reject) {
          var transaction = db.transaction(storeName, mode);
          var result = work(transaction.objectStore(storeName));
          transaction.oncomplete = function () {
            db.close();
            resolve(result);
          };
          transaction.onerror = transaction.onabort = function () {
            db.close();
            reject(transaction.error);
          };
        });
      });
    };
  }

  /* The base layer every desk's map draws under its own: the countries of the vendored
   * world-atlas TopoJSON in grey (no tile server), not interactive, credited on the map's
   * attribution control, when it has one, with the element's data-attribution (escaped: the
   * control writes it as HTML). Needs Leaflet and topojson-client. */
  function baseCountries(map, atlas, element) {
    return L.geoJSON(topojson.feature(atlas, atlas.objects.countries), {
      attribution: escapeHtml(element.getAttribute("data-attribution")),
      interactive: false,
      style: { color: "#ffffff", weight: 0.6, fillColor: "#d3d3cf", fillOpacity: 1 }
    }).addTo(map);
  }

  window.hofburg = { text: text, textAndLink: textAndLink, escapeHtml: escapeHtml,
                     deviceStore: deviceStore, baseCountries: baseCountries };

  // <details data-keep-open="name">: a disclosure the reader opened stays open when htmx
  // swaps in a new version of it (the checker's evidence while the activity is being typed).
  var opened = {};
  document.addEventListener("htmx:beforeSwap", function () {
    document.querySelectorAll("details[data-keep-open]").forEach(function (details) {
      opened[details.getAttribute("data-keep-open")] = details.open;
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("details[data-keep-open]").forEach(function (details) {
      if (opened[details.getAttribute("data-keep-open")]) { details.open = true; }
    });
  });
})();
