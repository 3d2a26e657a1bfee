/* The observation form on a phone with a bad connection.
 *
 * Every record is first put in an outbox on the device (localStorage, one per signed-in user)
 * with a client-generated UUID, shown as "waiting to send", and then sent to the desk's
 * endpoint as JSON. A record leaves the outbox only when the server has answered that it holds
 * it. Sending is retried when the connection returns, on a timer with back-off, and on request.
 * The server treats a second submission with the same client id as the first, so a retry after
 * a lost answer never makes a duplicate. The page and its files are cached for offline use by
 * the desk's service worker (monitoring-sw.js).
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
    return optionText("category", record.category) + " × " + record.count + " · " + when +
      (where ? " · " + where : "") + " · " + record.observer_id;
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
      item.textContent = text.sent + " " + record.observation_id + " · " + record.description;
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
    save(key, outbox.filter(function (r) { return r.client_id !== clientId; }));
    render();
    form.scrollIntoView();
  }

  function scheduleRetry() {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(flush, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  }

  function markSent(record, answer) {
    save(key, load(key).filter(function (r) { return r.client_id !== record.client_id; }));
    var sent = load(key + ".sent");
    sent.unshift({ client_id: record.client_id, observation_id: answer.observation_id,
                   description: describe(record) });
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
          markSent(record, answer);
          return "sent";
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
      if (name !== "csrfmiddlewaretoken" && name !== "client_id") {
        fields[name] = value;
      }
    });
    var record = {
      client_id: form.elements.client_id.value || uuid(),
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
    var outbox = load(key);
    outbox.push(record);
    save(key, outbox);
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
  });

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
