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
 * the "Sent" list. The bounds (kinds, size, count) are the server's, given in #photo-limits;
 * the photos' own work is in monitoring-form-photos.js.
 * The position can be picked on a map (monitoring-position-map.js).
 *
 * Before a record enters the outbox the device checks it as the server would
 * (monitoring-form-checks.js, with the server's rules and messages from #observation-checks),
 * each refusal beside its field. Once it is queued, every per-record field starts afresh; who
 * observed and from where are kept for the next record, and the page says so (decision 0074).
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
  var checkData = JSON.parse(document.getElementById("observation-checks").textContent);
  var checks = hofburg.observationChecks(form, checkData);
  var keptNotice = document.getElementById("kept-notice");
  var photoLimits = JSON.parse(document.getElementById("photo-limits").textContent);
  var photoInput = form.elements.photos;
  var keepLocation = form.elements.keep_location;
  var photosKept = document.getElementById("photos-kept");
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

  var photoStore = hofburg.observationPhotos({
    form: form, input: photoInput, key: key, limits: photoLimits, text: text, fill: fill,
    csrfToken: csrfToken
  });

  function checkPhotos() {
    var checked = photoStore.chosen("check");
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
    // The time as the monitor's device gave it, with its offset: every time names its zone.
    var stamp = record.observed_at || "";
    var when = stamp.slice(11, 16) + (stamp.length > 19 ? " UTC" + stamp.slice(19) : "");
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
          return photoStore.send(record).then(function (photos) {
            if (photos.outcome !== "ok") {
              return photos.outcome;  // the record is stored; it and its photos go again
            }
            markSent(record, answer, photos.reason);
            return photoStore.drop(record.photos).then(function () { return "sent"; });
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

  /* Who observed and from where, kept for the next record: said on the page, so that nothing
   * carries over unseen. */
  function showKept() {
    var values = checkData.kept.map(function (name) {
      return optionText(name, form.elements[name].value);
    }).filter(function (v) { return v !== ""; });
    keptNotice.textContent = values.length ? fill(text.kept, { values: values.join(", ") }) : "";
    keptNotice.hidden = !values.length;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var refused = checks.check();
    if (refused) {
      say(text.correctBelow);
      checks.control(refused).focus();
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
    var chosen = photoStore.chosen(clientId);
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
    photoStore.keep(chosen.photos).then(function () {
      queueRecord(record, fields);
      photoStore.drop((replaced || []).filter(function (old) {
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
    // Keep who and where for the next record, and say so; everything else starts afresh.
    var kept = {};
    checkData.kept.forEach(function (name) { kept[name] = fields[name]; });
    window.localStorage.setItem(key + ".observer", JSON.stringify(kept));
    checks.reset();
    form.elements.client_id.value = "";
    form.elements.observed_at.value = nowLocal();
    showKept();
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
  checkData.kept.forEach(function (name) {
    if (remembered[name] && form.elements[name] && !form.elements[name].value) {
      form.elements[name].value = remembered[name];
    }
  });
  showKept();
  if (!form.elements.observed_at.value) {
    form.elements.observed_at.value = nowLocal();
  }

  form.noValidate = true;  // checked by the device's checks above, with the server's words

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
