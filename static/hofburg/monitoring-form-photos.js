/* The photos of the observation form (decision 0058): kept on the device in IndexedDB until
 * the server holds their record, then sent one request each.
 *
 * hofburg.observationPhotos(options) takes the form, its photo input, the outbox key, the
 * server's bounds (#photo-limits), the page's texts and `fill` (a text's {name} filled in),
 * and gives:
 *   chosen(clientId)  the photos chosen for a record, or the first bound they break;
 *   keep(files)       the chosen files kept under "<outbox key>|<client id>|<n>-<file name>";
 *   read(photo)       a kept photo's Blob, or null when it is gone from the device;
 *   drop(photos)      kept photos removed;
 *   send(record)      the record's photos sent once the server holds the record: "ok" (with
 *                     the reasons of those it refused or that were gone), or how sending
 *                     stopped ("retry", "signed-out").
 */
(function () {
  "use strict";

  var PHOTO_DB = "hofburg-monitoring-photos";
  var PHOTO_STORE = "photos";

  function observationPhotos(options) {
    var form = options.form;
    var photoInput = options.input;
    var key = options.key;
    var photoLimits = options.limits;
    var text = options.text;
    var fill = options.fill;
    var csrfToken = options.csrfToken;
    var inStore = hofburg.deviceStore(PHOTO_DB, PHOTO_STORE);


    function keepPhotos(files) {
      if (!files.length) {
        return Promise.resolve();
      }
      return inStore("readwrite", function (store) {
        files.forEach(function (file) { store.put(file.blob, file.key); });
      });
    }

    function readPhoto(photo) {
      return inStore("readonly", function (store) {
        var found = {};
        var request = store.get(photo.key);
        request.onsuccess = function () { found.blob = request.result || null; };
        return found;
      }).then(function (found) { return found.blob; }, function () { return null; });
    }

    function dropPhotos(photos) {
      if (!(photos || []).length) {
        return Promise.resolve();
      }
      return inStore("readwrite", function (store) {
        photos.forEach(function (photo) { store.delete(photo.key); });
      }).catch(function () { /* left over: nothing reads them again */ });
    }

    /* The photos chosen for a record, or the first bound they break. */
    function chosenPhotos(clientId) {
      var files = Array.prototype.slice.call(photoInput.files || []);
      var chosen = [];
      var problem = null;
      files.forEach(function (file, index) {
        if (problem) {
          return;
        }
        if (!Object.prototype.hasOwnProperty.call(photoLimits.types, file.type)) {
          problem = fill(text.photoType, { name: file.name });
        } else if (file.size > photoLimits.maxBytes) {
          problem = fill(text.photoSize, {
            name: file.name, mb: String(Math.floor(photoLimits.maxBytes / 1048576)) });
        } else {
          chosen.push({ key: key + "|" + clientId + "|" + index + "-" + file.name,
                        name: file.name, type: file.type, size: file.size, blob: file });
        }
      });
      if (!problem && chosen.length > photoLimits.maxPhotos) {
        problem = fill(text.photoCount, { count: String(photoLimits.maxPhotos) });
      }
      return { photos: chosen, problem: problem };
    }

    /* One photo of a stored record: "ok", "refused" (with the server's reason), or as sendOne. */
    function sendPhoto(record, photo, blob) {
      var body = new FormData();
      body.append("client_id", record.client_id);
      body.append("keep_location", record.keep_location ? "true" : "false");
      body.append("photo", new Blob([blob], { type: photo.type }), photo.name);
      return fetch(form.getAttribute("data-photo-url"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
      }).then(function (response) {
        if (response.status === 200 || response.status === 201) {
          return { outcome: "ok" };
        }
        if (response.status === 400 || response.status === 413) {
          return response.json().catch(function () { return {}; }).then(function (answer) {
            return { outcome: "refused", reason: photo.name + ": " + (answer.message || "") };
          });
        }
        if (response.status === 401 || response.status === 403) {
          return { outcome: "signed-out" };
        }
        return { outcome: "retry" };
      });
    }

    /* The record's photos, one after the other, once the server holds the record. */
    function sendPhotos(record) {
      var refused = [];
      var missing = [];
      var chain = Promise.resolve("ok");
      (record.photos || []).forEach(function (photo) {
        chain = chain.then(function (outcome) {
          if (outcome !== "ok") {
            return outcome;
          }
          return readPhoto(photo).then(function (blob) {
            if (!blob) {
              missing.push(photo.name);
              return "ok";
            }
            return sendPhoto(record, photo, blob).then(function (result) {
              if (result.outcome === "refused") {
                refused.push(result.reason);
                return "ok";
              }
              return result.outcome;
            });
          });
        });
      });
      return chain.then(function (outcome) {
        var reasons = [];
        if (refused.length) {
          reasons.push(text.photoRefused + " " + refused.join("; "));
        }
        if (missing.length) {
          reasons.push(text.photoMissing + " " + missing.join(", "));
        }
        return { outcome: outcome, reason: reasons.join(" · ") };
      });
    }

    return { chosen: chosenPhotos, keep: keepPhotos, read: readPhoto, drop: dropPhotos,
             send: sendPhotos };
  }

  window.hofburg.observationPhotos = observationPhotos;
})();
