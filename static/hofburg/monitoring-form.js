/* The observation form on a phone with a bad connection.
 *
 * Every record is first put in an outbox on the device (localStorage, one per signed-in user)
 * with a client-generated UUID, shown as "waiting to send", and then sent to the desk's
 * endpoint as JSON. A record leaves the outbox only when the server has answered that it holds
 * it. Sending is retried when the connection returns, on a timer with back-off, and on request.
 * The server treats a second submission with the same client id as the first, so a retry after
 * a lost answer never makes a duplicate. The page and its files are cached for offline use by
 * the desk's service worker (monitoring-sw.js).
 *
 * Photos chosen with a record wait on the device in IndexedDB (localStorage holds text only),
 * as the election desk's web entry keeps its media (decision 0051), under
 * "<outbox key>|<client id>|<n>-<file name>", stored before the record enters the outbox. Once
 * the server holds the record, its photos follow, one request each, under its client id; the
 * server stores a photo once however often it arrives (by its SHA-256), so a retry sends the
 * record and its photos again safely. The record leaves the outbox when the server holds it
 * and every photo it could take; a photo it refuses, or one gone from the device, is named in
 * the "Sent" list. The bounds (kinds, size, count) are the server's, given in #photo-limits.
 * The position can be picked on a map (monitoring-position-map.js).
 */
(function () {
  "use strict";

  var form = document.getElementById("observation-form");
  if (!form) {
    return;
  }
  var outboxList = document.getElementById("outbox");
  var sentList = document.getElementById("sent");
  var connection = document.getElementById("connection-status");
  var notice = document.getElementById("outbox-notice");
  var sendNow = document.getElementById("send-now");
  var positionButton = document.getElementById("use-position");
  var key = form.getAttribute("data-outbox-key");
  var text = JSON.parse(document.getElementById("form-texts").textContent);
  var limits = JSON.parse(document.getElementById("observation-limits").textContent);
  var photoLimits = JSON.parse(document.getElementById("photo-limits").textContent);
  var photoInput = form.elements.photos;
  var keepLocation = form.elements.keep_location;
  var photosKept = document.getElementById("photos-kept");
  var PHOTO_DB = "hofburg-monitoring-photos";
  var PHOTO_STORE = "photos";
  var carried = null;  // the photos of a record put back in the form by "Edit"
  var RETRY_FIRST_MS = 3000;
  var RETRY_MAX_MS = 60000;
  var retryDelay = RETRY_FIRST_MS;
  var retryTimer = null;
  var sending = false;

  function load(name) {
    try {
      return JSON.parse(window.localStorage.getItem(name) || "[]");
    } catch (error) {
      return [];
    }
  }

  function save(name, records) {
    window.localStorage.setItem(name, JSON.stringify(records));
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    // Pages served over plain HTTP on a local network have no randomUUID: build a v4 UUID.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return values[name] === undefined ? whole : values[name];
    });
  }

  /* -- photos on the device (IndexedDB) ---------------------------------------------------- */

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
        problem = fill(text.photoSize, { name: file.name,
                                         mb: String(Math.floor(photoLimits.maxBytes / 1048576)) });
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

  function checkPhotos() {
    var checked = chosenPhotos("check");
    photoInput.setCustomValidity(checked.problem || "");
    if (photoInput.files && photoInput.files.length) {
      carried = null;
      photosKept.textContent = "";
    }
  }

  /* "2026-03-12T14:05" read as the device's local time, with its UTC offset written out, so
   * the server places it in the right reporting period whatever the server's time zone. */
  function withOffset(localValue) {
    var moment = new Date(localValue);
    if (isNaN(moment.getTime())) {
      return localValue;
    }
    var minutes = -moment.getTimezoneOffset();
    var sign = minutes >= 0 ? "+" : "-";
    minutes = Math.abs(minutes);
    return localValue.slice(0, 16) + ":00" + sign + pad(Math.floor(minutes / 60)) + ":" +
      pad(minutes % 60);
  }

  function nowLocal() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1])
                 : form.querySelector("[name=csrfmiddlewaretoken]").value;
  }

  function optionText(name, value) {
    var field = form.elements[name];
    if (field && field.options) {
      for (var i = 0; i < field.options.length; i++) {
        if (field.options[i].value === value) {
          return field.options[i].text;
        }
      }
    }
    return value;
  }

  function describe(record) {
    var when = (record.observed_at || "").slice(11, 16);
    var where = record.sector || (record.bearing_deg ? record.bearing_deg + "°" : "");
    var photos = (record.photos || []).length;
    return optionText("category", record.category) + " × " + record.count + " · " + when +
      (where ? " · " + where : "") + " · " + record.observer_id +
      (photos ? " · " + text.photos + " " + record.photos.map(function (p) {
        return p.name;
      }).join(", ") : "");
  }

  function render() {
    var outbox = load(key);
    outboxList.textContent = "";
    outbox.forEach(function (record) {
      var item = document.createElement("li");
      item.setAttribute("data-client-id", record.client_id);
      item.setAttribute("data-state", record.state);
      var label = document.createElement("span");
      label.textContent = describe(record);
      var state = document.createElement("strong");
      state.className = "outbox-state";
      state.textContent = record.state === "invalid" ? text.invalid : text.waiting;
      item.appendChild(state);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(label);
      if (record.state === "invalid") {
        var errors = document.createElement("span");
        errors.className = "errors";
        errors.textContent = " " + record.errors;
        item.appendChild(errors);
        var edit = document.createElement("button");
        edit.type = "button";
        edit.className = "secondary";
        edit.textContent = text.edit;
        edit.addEventListener("click", function () { editRecord(record.client_id); });
        item.appendChild(edit);
      }
      outboxList.appendChild(item);
    });
    document.getElementById("outbox-count").textContent = String(outbox.length);
    document.getElementById("outbox-empty").hidden = outbox.length > 0;
    sendNow.hidden = outbox.length === 0;

    var sent = load(key + ".sent");
    sentList.textContent = "";
    sent.forEach(function (record) {
      var item = document.createElement("li");
      item.setAttribute("data-client-id", record.client_id);
      item.textContent = text.sent + " " + record.observation_id + " · " + record.description +
        (record.reason ? " · " + record.reason : "");
      sentList.appendChild(item);
    });
    connection.textContent = navigator.onLine ? text.online : text.offline;
    connection.setAttribute("data-online", navigator.onLine ? "true" : "false");
  }

  function say(message) {
    notice.textContent = message;
  }

  function editRecord(clientId) {
    var outbox = load(key);
    var record = outbox.filter(function (r) { return r.client_id === clientId; })[0];
    if (!record) {
      return;
    }
    Object.keys(record.fields).forEach(function (name) {
      var field = form.elements[name];
      if (!field) {
        return;
      }
      if (field instanceof RadioNodeList) {
        field.value = record.fields[name];
      } else {
        field.value = record.fields[name];
      }
    });
    form.elements.client_id.value = record.client_id;
    keepLocation.checked = Boolean(record.keep_location);
    carried = (record.photos || []).length ? { client_id: record.client_id,
                                               photos: record.photos } : null;
    photosKept.textContent = carried ? fill(text.photosKept, { names: carried.photos.map(
      function (p) { return p.name; }).join(", ") }) : "";
    save(key, outbox.filter(function (r) { return r.client_id !== clientId; }));
    render();
    form.scrollIntoView();
  }

  function scheduleRetry() {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(flush, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  }

  function markSent(record, answer, reason) {
    save(key, load(key).filter(function (r) { return r.client_id !== record.client_id; }));
    var sent = load(key + ".sent");
    sent.unshift({ client_id: record.client_id, observation_id: answer.observation_id,
                   description: describe(record), reason: reason || "" });
    save(key + ".sent", sent.slice(0, 20));
  }

  function markInvalid(record, errors) {
    var outbox = load(key);
    outbox.forEach(function (r) {
      if (r.client_id === record.client_id) {
        r.state = "invalid";
        r.errors = errors;
      }
    });
    save(key, outbox);
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

  function sendOne(record) {
    var body = {};
    Object.keys(record.fields).forEach(function (name) { body[name] = record.fields[name]; });
    body.client_id = record.client_id;
    body.observed_at = record.observed_at;
    return fetch(form.getAttribute("data-submit-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return response.json().then(function (answer) {
          return sendPhotos(record).then(function (photos) {
            if (photos.outcome !== "ok") {
              return photos.outcome;  // the record is stored; it and its photos go again
            }
            markSent(record, answer, photos.reason);
            return dropPhotos(record.photos).then(function () { return "sent"; });
          });
        });
      }
      if (response.status === 400) {
        return response.json().then(function (answer) {
          markInvalid(record, answer.message || "");
          return "invalid";
        });
      }
      if (response.status === 401 || response.status === 403) {
        return "signed-out";
      }
      return "retry";
    });
  }

  function flush() {
    window.clearTimeout(retryTimer);
    if (sending) {
      return Promise.resolve();
    }
    var queue = load(key).filter(function (r) { return r.state === "waiting"; });
    if (!queue.length) {
      render();
      return Promise.resolve();
    }
    sending = true;
    form.setAttribute("data-sending", "true");
    var outcome = "sent";
    var chain = Promise.resolve();
    queue.forEach(function (record) {
      chain = chain.then(function () {
        if (outcome !== "sent" && outcome !== "invalid") {
          return;
        }
        return sendOne(record).then(function (result) {
          outcome = result;
        }, function () {
          outcome = "retry";  // no connection, or the answer was lost on the way
        }).then(render);
      });
    });
    return chain.then(function () {
      sending = false;
      form.removeAttribute("data-sending");
      if (outcome === "signed-out") {
        say(text.signedOut);
      } else if (outcome === "retry") {
        say(navigator.onLine ? text.willRetry : text.queuedOffline);
        scheduleRetry();
      } else {
        retryDelay = RETRY_FIRST_MS;
        say(load(key).length ? text.checkInvalid : text.allSent);
      }
      render();
    });
  }

  /* The bounds the server checks, checked here first so the monitor corrects the record while
   * still on the spot: not after now (plus the clock skew), not before the mandate, not farther
   * than the method reaches (data/monitoring/observation_limits.yaml, sent by the page). */
  function checkBounds() {
    var when = form.elements.observed_at;
    var far = form.elements.distance_km_max;
    when.setCustomValidity("");
    far.setCustomValidity("");
    var moment = new Date(when.value);
    if (!isNaN(moment.getTime())) {
      if (moment.getTime() > Date.now() + limits.skew_minutes * 60000) {
        when.setCustomValidity(text.future);
      } else if (limits.earliest && when.value.slice(0, 10) < limits.earliest) {
        when.setCustomValidity(text.beforeMandate.replace("{day}", limits.earliest));
      }
    }
    var chosen = form.querySelector('input[name="method"]:checked');
    var most = chosen ? limits.max_distance_km[chosen.value] : undefined;
    if (far.value !== "" && most !== undefined && Number(far.value) > most) {
      far.setCustomValidity(text.tooFar.replace("{km}", String(most)));
    }
  }

  ["observed_at", "distance_km_max"].forEach(function (name) {
    form.elements[name].addEventListener("input", checkBounds);
  });
  Array.prototype.forEach.call(form.querySelectorAll('input[name="method"]'), function (input) {
    input.addEventListener("change", checkBounds);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    checkBounds();
    if (!form.reportValidity()) {
      return;
    }
    var data = new FormData(form);
    var fields = {};
    data.forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "client_id" && name !== "photos" &&
          name !== "keep_location") {
        fields[name] = value;
      }
    });
    var clientId = form.elements.client_id.value || uuid();
    var chosen = chosenPhotos(clientId);
    if (chosen.problem) {
      photoInput.setCustomValidity(chosen.problem);
      photoInput.reportValidity();
      return;
    }
    var photos = chosen.photos.map(function (p) {
      return { key: p.key, name: p.name, type: p.type, size: p.size };
    });
    var replaced = null;
    if (!photos.length && carried && carried.client_id === clientId) {
      photos = carried.photos;  // edited without choosing others: the kept ones go with it
    } else if (carried) {
      replaced = carried.photos;
    }
    var record = {
      client_id: clientId,
      photos: photos,
      keep_location: keepLocation.checked,
      observed_at: withOffset(fields.observed_at),
      observer_id: fields.observer_id,
      category: fields.category,
      count: fields.count,
      sector: fields.sector,
      bearing_deg: fields.bearing_deg,
      fields: fields,
      state: "waiting",
      queued_at: new Date().toISOString()
    };
    keepPhotos(chosen.photos).then(function () {
      queueRecord(record, fields);
      dropPhotos((replaced || []).filter(function (old) {
        return !photos.some(function (photo) { return photo.key === old.key; });
      }));
    }, function () {
      say(text.photoStorage);
    });
  });

  function queueRecord(record, fields) {
    var outbox = load(key);
    outbox.push(record);
    save(key, outbox);
    carried = null;
    photosKept.textContent = "";
    photoInput.value = "";
    photoInput.setCustomValidity("");
    keepLocation.checked = false;
    // Keep who and where for the next record; clear what was seen.
    window.localStorage.setItem(key + ".observer", JSON.stringify({
      observer_id: fields.observer_id, observer_kind: fields.observer_kind,
      observer_lat: fields.observer_lat, observer_lon: fields.observer_lon
    }));
    ["count", "bearing_deg", "distance_km_min", "distance_km_max", "notes", "client_id"]
      .forEach(function (name) { form.elements[name].value = ""; });
    form.elements.count.value = "1";
    form.elements.observed_at.value = nowLocal();
    say(navigator.onLine ? text.queued : text.queuedOffline);
    render();
    flush();
  }

  photoInput.addEventListener("change", checkPhotos);

  sendNow.addEventListener("click", function () {
    retryDelay = RETRY_FIRST_MS;
    flush();
  });

  if (positionButton && navigator.geolocation) {
    positionButton.hidden = false;
    positionButton.addEventListener("click", function () {
      say(text.locating);
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.observer_lat.value = position.coords.latitude.toFixed(5);
        form.elements.observer_lon.value = position.coords.longitude.toFixed(5);
        form.elements.observer_lon.dispatchEvent(new Event("change", { bubbles: true }));
        say(text.located.replace("{metres}", String(Math.round(position.coords.accuracy))));
      }, function () {
        say(text.noPosition);
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  }

  window.addEventListener("online", function () {
    retryDelay = RETRY_FIRST_MS;
    render();
    flush();
  });
  window.addEventListener("offline", render);

  // Fill in who and where from the last record, and the time now.
  var remembered = {};
  try {
    remembered = JSON.parse(window.localStorage.getItem(key + ".observer") || "{}");
  } catch (error) {
    remembered = {};
  }
  Object.keys(remembered).forEach(function (name) {
    if (form.elements[name] && !form.elements[name].value) {
      form.elements[name].value = remembered[name];
    }
  });
  if (!form.elements.observed_at.value) {
    form.elements.observed_at.value = nowLocal();
  }

  // Keep the page and its files for use without a network.
  if ("serviceWorker" in navigator && window.caches) {
    navigator.serviceWorker.register(form.getAttribute("data-sw-url"),
                                     { scope: form.getAttribute("data-sw-scope") })
      .catch(function () { /* the outbox works without it while the page stays open */ });
    var files = [window.location.pathname];
    document.querySelectorAll("script[src], link[rel=stylesheet]").forEach(function (node) {
      files.push(node.getAttribute("src") || node.getAttribute("href"));
    });
    // The position map's base layer and the desk's reference lines, for the map offline.
    var picker = document.getElementById("position-map");
    if (picker) {
      files.push(picker.getAttribute("data-atlas-url"), picker.getAttribute("data-layers-url"));
    }
    window.caches.open("hofburg-monitoring-v1").then(function (cache) {
      return cache.addAll(files);
    }).then(function () {
      form.setAttribute("data-cached", "true");
    }).catch(function () { /* offline already: the cached copy stays */ });
  }

  render();
  flush();
  form.setAttribute("data-ready", "true");
})();
