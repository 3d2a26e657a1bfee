/* The monitoring desk's service worker: keeps the observation form usable without a network.
 *
 * Served from /monitoring/sw.js, so its scope is the desk's pages. The form page puts itself
 * and its scripts and styles into the cache when it loads (monitoring-form.js); this worker
 * answers from that cache when the network is gone. Pages are fetched network-first, so a
 * connected monitor always gets the current form; static files cache-first, they are versioned
 * by the release; other requests of the desk (the map's reference lines) network-first, from the
 * cache when the form kept a copy. Nothing but GET requests is touched: records and their photos
 * travel by the page's own queue.
 */
"use strict";

var CACHE = "hofburg-monitoring-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("hofburg-monitoring-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    // Django varies pages on Cookie and Accept-Language: the kept copy is for this device.
    return cache.match(request, { ignoreSearch: request.mode === "navigate", ignoreVary: true });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).then(function (response) {
        // Refresh the copy of a page that is already kept (the form), never add others.
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) {
            cache.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (kept) {
              if (kept) {
                cache.put(request, copy);
              }
            });
          });
        }
        return response;
      }).catch(function () {
        return fromCache(request).then(function (kept) {
          return kept || new Response("Offline.", {
            status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
          });
        });
      })
    );
    return;
  }
  if (new URL(request.url).pathname.indexOf("/static/") === 0) {
    event.respondWith(
      fromCache(request).then(function (kept) { return kept || fetch(request); })
    );
    return;
  }
  // The one piece of the desk's data the form keeps for offline use (the map's reference
  // lines): the network first, the kept copy without one. Nothing is added to the cache here;
  // the form page adds it. Other requests (the map's figures, downloads) are left alone.
  if (!/\/map\/layers\.json$/.test(new URL(request.url).pathname)) {
    return;
  }
  event.respondWith(
    fetch(request).catch(function (error) {
      return fromCache(request).then(function (kept) {
        if (kept) {
          return kept;
        }
        throw error;
      });
    })
  );
});
