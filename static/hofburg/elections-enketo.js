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
 *
 * The photos and recordings of image and audio questions travel with their record as ODK
 * Collect sends them: one multipart part per file, named by its file name as the record's XML
 * names it. They wait on the device in IndexedDB (localStorage holds text only) beside the
 * record in the outbox, and leave with it. A record whose files do not fit one request
 * (config.media.requestBytes) goes in several, each with the XML and the next files, all but
 * the last marked "*isIncomplete*", as Collect does; the server adds to the stored record only
 * the files it does not have, so a retry or a lost answer stores nothing twice. The bounds
 * (kinds of file, size of one, files per record) are the server's, given in config.media.
 * A data clerk's record also carries its channel and time (elections-enketo-clerk.js).
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
  var media = config.media;
  var MEDIA_DB = "hofburg-elections-enketo";
  var MEDIA_STORE = "media";

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

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return values[name] === undefined ? whole : values[name];
    });
  }

  /* Files of a record, kept in IndexedDB under "<outbox key>|<instance id>|<file name>". */
  var inStore = hofburg.deviceStore(MEDIA_DB, MEDIA_STORE);

  function mediaKey(instanceId, name) {
    return key + "|" + instanceId + "|" + name;
  }

  function keepFiles(instanceId, files) {
    if (!files.length) {
      return Promise.resolve();
    }
    return inStore("readwrite", function (store) {
      files.forEach(function (file) {
        store.put(file.blob, mediaKey(instanceId, file.name));
      });
    });
  }

  function readFiles(record) {
    var wanted = record.media || [];
    if (!wanted.length) {
      return Promise.resolve([]);
    }
    return inStore("readonly", function (store) {
      var found = [];
      wanted.forEach(function (file) {
        var request = store.get(mediaKey(record.instance_id, file.name));
        request.onsuccess = function () {
          if (request.result) {
            found.push({ name: file.name, type: file.type, blob: request.result });
          }
        };
      });
      return found;
    }).catch(function () { return []; });
  }

  function dropFiles(record) {
    if (!(record.media || []).length) {
      return Promise.resolve();
    }
    return inStore("readwrite", function (store) {
      record.media.forEach(function (file) {
        store.delete(mediaKey(record.instance_id, file.name));
      });
    }).catch(function () { /* left over: nothing reads them again */ });
  }

  /* enketo-core names a chosen file by adding the time of choosing to its name (its
   * getFilename): the record's XML holds that name, and the file travels under it. */
  function enketoName(file, postfix) {
    var parts = file.name.split(".");
    parts[parts.length > 1 ? parts.length - 2 : 0] += postfix || "";
    return parts.join(".");
  }

  function dataUriToBlob(uri) {
    var comma = uri.indexOf(",");
    var type = uri.slice(5, comma).split(";")[0];
    var bytes = window.atob(uri.slice(comma + 1));
    var buffer = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) {
      buffer[i] = bytes.charCodeAt(i);
    }
    return new Blob([buffer], { type: type });
  }

  /* The record's answers, from the form's model (the XML document the record is written from:
   * its first instance). */
  function recordValues() {
    var values = {};
    var model = form.model.xml;
    var record = model.querySelector("instance > *") || model.documentElement;
    Array.prototype.forEach.call(record.getElementsByTagName("*"), function (node) {
      if (!node.children.length && node.textContent) {
        values[node.textContent.trim()] = true;
      }
    });
    return values;
  }

  function typeOf(name) {
    var dot = name.lastIndexOf(".");
    var extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
    return Object.prototype.hasOwnProperty.call(media.types, extension)
      ? media.types[extension] : undefined;
  }

  /* The files the record names (an image or audio answer), or the first bound broken. */
  function chosenFiles() {
    var named = recordValues();
    var files = [];
    var problem = null;
    form.view.html.querySelectorAll('input[type="file"]').forEach(function (input) {
      var file = input.files && input.files[0];
      if (!file || problem) {
        return;
      }
      var name = enketoName(file, input.dataset.filenamePostfix);
      if (!named[name]) {
        return;  // not in the record (a question no longer relevant)
      }
      var blob = input.dataset.resized && input.dataset.resizedDataURI
        ? dataUriToBlob(input.dataset.resizedDataURI) : file;
      var type = typeOf(name);
      if (!type) {
        problem = fill(text.fileType, { name: name });
      } else if (blob.size > media.maxBytes) {
        problem = fill(text.fileSize, { name: name });
      } else {
        files.push({ name: name, type: type, size: blob.size, blob: blob });
      }
    });
    if (!problem && files.length > media.maxFiles) {
      problem = text.fileCount;
    }
    return { files: files, problem: problem };
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
      (record.clerk ? " · " + fill(text.clerkEntered, { channel: record.clerk.label,
                                                        time: record.clerk.shown }) : "") +
      ((record.media || []).length ? " · " + text.files + " " + record.media.map(function (f) {
        return f.name;
      }).join(", ") : "") + (record.reason ? " · " + record.reason : "")));
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
                   saved_at: record.saved_at, state: "sent", media: record.media || [],
                   clerk: record.clerk || null, reason: record.reason || "" });
    save(key + ".sent", sent.slice(0, 20));
  }

  /* The requests of a record: the XML with as many files as fit, then the rest. */
  function batches(record, files) {
    var xmlBytes = new Blob([record.xml]).size;
    var room = media.requestBytes - xmlBytes - 4096;  // the parts' headers
    var all = [];
    var current = [];
    var size = 0;
    files.forEach(function (file) {
      if (current.length && size + file.blob.size > room) {
        all.push(current);
        current = [];
        size = 0;
      }
      current.push(file);
      size += file.blob.size;
    });
    all.push(current);
    return all;
  }

  function post(record, files, incomplete) {
    var body = new FormData();
    body.append("xml_submission_file",
                new Blob([record.xml], { type: "text/xml" }), "submission.xml");
    files.forEach(function (file) {
      body.append(file.name, new Blob([file.blob], { type: file.type }), file.name);
    });
    if (incomplete) {
      body.append("*isIncomplete*", "yes");
    }
    if (record.clerk) {  // a clerk's paper or phoned-in form: its channel and time
      body.append("channel", record.clerk.channel);
      body.append("captured_at", record.clerk.captured_at);
    }
    return fetch(record.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    });
  }

  function sendOne(record) {
    return readFiles(record).then(function (files) {
      var parts = batches(record, files);
      var missing = (record.media || []).filter(function (f) {
        return !files.some(function (found) { return found.name === f.name; });
      });
      var chain = Promise.resolve(null);
      parts.forEach(function (part, index) {
        chain = chain.then(function (previous) {
          if (previous && previous.status !== 201) {
            return previous;
          }
          return post(record, part, index < parts.length - 1);
        });
      });
      return chain.then(function (response) {
        if (response.status === 201 && missing.length) {
          record.reason = text.fileMissing + " " + missing.map(function (f) {
            return f.name;
          }).join(", ");
        }
        return response;
      });
    }).then(function (response) {
      if (response.status === 201) {
        markSent(record);
        return dropFiles(record).then(function () { return "sent"; });
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
      var clerk = window.hofburgClerkEntry ? window.hofburgClerkEntry.read() : null;
      var chosen = chosenFiles();
      if (chosen.problem || (clerk && clerk.problem)) {
        say(chosen.problem || clerk.problem);
        saveButton.disabled = false;
        return;
      }
      var xml = form.getDataStr();
      var instanceId = form.instanceID;
      keepFiles(instanceId, chosen.files).then(function () {
        var outbox = load(key);
        outbox.push({ instance_id: instanceId, xml: xml, url: config.submitUrl,
                      title: config.title, saved_at: stamp(), state: "waiting", clerk: clerk,
                      media: chosen.files.map(function (f) {
                        return { name: f.name, type: f.type, size: f.size };
                      }) });
        save(key, outbox);
        if (clerk) {
          window.hofburgClerkEntry.clear();
        }
        say(text.queued);
        restart();
        saveButton.disabled = false;
        render();
        flush();
      }, function () {
        say(text.fileStorage);
        saveButton.disabled = false;
      });
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
