/* An observation form entered in the browser with Enketo, on a phone with a bad connection.
 *
 * enketo-core (static/vendor/enketo-core-*, global EnketoCore) runs the form the server made
 * from the XForm; its model comes through json_script. A completed record (the instance XML,
 * with its meta/instanceID) is first put in an outbox on the device (localStorage, one per
 * signed-in user), shown as waiting, and then sent as OpenRosa's xml_submission_file part to
 * the desk's submission address. It leaves the outbox only when the server has answered 201.
 * Sending is retried when the connection returns, on a timer with back-off, and on request;
 * the server is idempotent on meta/instanceID, so a retry after a lost answer stores nothing
 * twice. A record the server refuses stays on the device, marked, with the server's reason.
 * The page and its files are cached for offline use by the service worker.
 */
(function () {
  "use strict";

  var entry = document.getElementById("enketo-entry");
  if (!entry || !window.EnketoCore) {
    return;
  }
  var config = JSON.parse(document.getElementById("enketo-config").textContent);
  var text = JSON.parse(document.getElementById("enketo-texts").textContent);
  var saveButton = document.getElementById("enketo-save");
  var outboxList = document.getElementById("outbox");
  var sentList = document.getElementById("sent");
  var connection = document.getElementById("connection-status");
  var notice = document.getElementById("enketo-notice");
  var sendNow = document.getElementById("send-now");
  var key = config.outboxKey;
  var RETRY_FIRST_MS = 3000;
  var RETRY_MAX_MS = 60000;
  var retryDelay = RETRY_FIRST_MS;
  var retryTimer = null;
  var sending = false;
  var form = null;

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

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1])
                 : document.querySelector("#enketo-csrf [name=csrfmiddlewaretoken]").value;
  }

  function say(message) {
    notice.textContent = message;
  }

  /* The form arrives as data ([tag, {attributes}, child...], text children as strings) and
   * is built with DOM calls: no markup is parsed, and nothing executable is made. */
  var NEVER = { script: true, style: true, iframe: true, object: true, embed: true };

  function build(node) {
    if (typeof node === "string") {
      return document.createTextNode(node);
    }
    if (NEVER[node[0].toLowerCase()]) {
      return document.createTextNode("");
    }
    var element = document.createElement(node[0]);
    Object.keys(node[1]).forEach(function (name) {
      if (!/^on/i.test(name)) {
        element.setAttribute(name, node[1][name]);
      }
    });
    for (var i = 2; i < node.length; i++) {
      element.appendChild(build(node[i]));
    }
    return element;
  }

  function start() {
    var formElement = build(config.form);
    document.getElementById("enketo-paper").appendChild(formElement);
    form = new window.EnketoCore.Form(formElement, { modelStr: config.model });
    var errors = form.init();
    if (errors && errors.length) {
      say(errors.join(" "));
    }
    saveButton.disabled = false;
    entry.setAttribute("data-ready", "true");
  }

  function restart() {
    var formElement = form.resetView();
    form = new window.EnketoCore.Form(formElement, { modelStr: config.model });
    form.init();
    window.scrollTo(0, 0);
  }

  function item(record, stateText) {
    var li = document.createElement("li");
    li.setAttribute("data-instance-id", record.instance_id);
    li.setAttribute("data-state", record.state);
    var state = document.createElement("strong");
    state.className = "outbox-state";
    state.textContent = stateText;
    li.appendChild(state);
    li.appendChild(document.createTextNode(" " + record.title + " · " + record.saved_at +
      (record.reason ? " · " + record.reason : "")));
    return li;
  }

  function render() {
    var outbox = load(key);
    outboxList.textContent = "";
    outbox.forEach(function (record) {
      outboxList.appendChild(item(record, record.state === "refused" ? text.refused
                                          : text.waiting));
    });
    document.getElementById("outbox-count").textContent = String(outbox.length);
    document.getElementById("outbox-empty").hidden = outbox.length > 0;
    sendNow.hidden = outbox.length === 0;
    sentList.textContent = "";
    load(key + ".sent").forEach(function (record) {
      sentList.appendChild(item(record, text.sent));
    });
    connection.textContent = navigator.onLine ? text.online : text.offline;
    connection.setAttribute("data-online", navigator.onLine ? "true" : "false");
  }

  function scheduleRetry() {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(flush, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  }

  function update(instanceId, change) {
    var outbox = load(key);
    outbox.forEach(function (r) {
      if (r.instance_id === instanceId) {
        change(r);
      }
    });
    save(key, outbox);
  }

  function markSent(record) {
    save(key, load(key).filter(function (r) { return r.instance_id !== record.instance_id; }));
    var sent = load(key + ".sent");
    sent.unshift({ instance_id: record.instance_id, title: record.title,
                   saved_at: record.saved_at, state: "sent" });
    save(key + ".sent", sent.slice(0, 20));
  }

  function sendOne(record) {
    var body = new FormData();
    body.append("xml_submission_file",
                new Blob([record.xml], { type: "text/xml" }), "submission.xml");
    return fetch(record.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 201) {
        markSent(record);
        return "sent";
      }
      if (response.status === 401 || response.status === 403 || response.status === 429 ||
          response.status >= 500) {
        return response.status === 401 || response.status === 403 ? "signin" : "retry";
      }
      return response.json().catch(function () { return {}; }).then(function (problem) {
        update(record.instance_id, function (r) {
          r.state = "refused";
          r.reason = problem.detail || String(response.status);
        });
        return "refused";
      });
    }, function () {
      return "retry";
    });
  }

  function flush() {
    if (sending) {
      return;
    }
    var waiting = load(key).filter(function (r) { return r.state === "waiting"; });
    if (!waiting.length || !navigator.onLine) {  // offline: the "online" event sends them
      render();
      return;
    }
    sending = true;
    var outcome = "sent";
    var chain = Promise.resolve();
    waiting.forEach(function (record) {
      chain = chain.then(function () {
        if (outcome !== "sent" && outcome !== "refused") {
          return null;
        }
        return sendOne(record).then(function (result) { outcome = result; });
      });
    });
    chain.then(function () {
      sending = false;
      render();
      if (outcome === "retry") {
        scheduleRetry();
      } else if (outcome === "signin") {
        say(text.signIn);
      } else {
        retryDelay = RETRY_FIRST_MS;
        if (outcome === "sent") {
          say(text.received);
        }
      }
    });
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function stamp() {
    var d = new Date();
    var minutes = -d.getTimezoneOffset();
    var sign = minutes >= 0 ? "+" : "-";
    minutes = Math.abs(minutes);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + " UTC" + sign + pad(Math.floor(minutes / 60)) +
      ":" + pad(minutes % 60);
  }

  function saveRecord() {
    saveButton.disabled = true;
    form.view.html.dispatchEvent(new CustomEvent("before-save", { bubbles: true }));
    form.validate().then(function (valid) {
      if (!valid) {
        say(text.invalid);
        saveButton.disabled = false;
        var wrong = entry.querySelector(".invalid-required, .invalid-constraint");
        if (wrong) {
          wrong.scrollIntoView();
        }
        return;
      }
      var outbox = load(key);
      outbox.push({ instance_id: form.instanceID, xml: form.getDataStr(), url: config.submitUrl,
                    title: config.title, saved_at: stamp(), state: "waiting" });
      save(key, outbox);
      say(text.queued);
      restart();
      saveButton.disabled = false;
      render();
      flush();
    });
  }

  /* The page, its scripts and styles and the theme's images kept for offline use; the
   * desk's service worker (elections-enketo-sw.js) answers from them without a network. */
  function keepForOffline() {
    if (!("serviceWorker" in navigator && window.caches)) {
      return;
    }
    navigator.serviceWorker.register(config.serviceWorker, { scope: config.serviceWorkerScope })
      .catch(function () { /* the outbox works without it while the page stays open */ });
    var files = [window.location.pathname].concat(config.offlineFiles);
    document.querySelectorAll("script[src], link[rel=stylesheet]").forEach(function (node) {
      files.push(node.getAttribute("src") || node.getAttribute("href"));
    });
    window.caches.open("hofburg-elections-enketo-v1").then(function (cache) {
      return cache.addAll(files);
    }).then(function () {
      entry.setAttribute("data-cached", "true");
    }).catch(function () { /* offline already: the cached copy stays */ });
  }

  saveButton.addEventListener("click", saveRecord);
  sendNow.addEventListener("click", function () {
    retryDelay = RETRY_FIRST_MS;
    flush();
  });
  window.addEventListener("online", function () {
    render();
    retryDelay = RETRY_FIRST_MS;
    flush();
  });
  window.addEventListener("offline", render);
  start();
  keepForOffline();
  render();
  flush();
})();
