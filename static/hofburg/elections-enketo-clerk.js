/* A data clerk's entry of a paper or phoned-in form on the Enketo page (decision 0071).
 *
 * For the mission's clerks and core team the page has a box above the form: the channel
 * (paper or phone) and the date and time the observer filled the form in, as the paper says or
 * the observer reads it out, in the mission's time zone (config.clerk.zone, named in the label).
 * elections-enketo.js asks window.hofburgClerkEntry.read() when a record is saved: the channel
 * and the time as ISO 8601 with the zone's offset at that moment, or the problem to show. The
 * bounds are the server's (config.clerk): not before the mission was set up, not later than now
 * plus the allowed clock skew; the server checks them again.
 */
(function () {
  "use strict";

  var box = document.getElementById("clerk-entry");
  var configNode = document.getElementById("enketo-config");
  if (!box || !configNode) {
    return;
  }
  var clerk = JSON.parse(configNode.textContent).clerk;
  var text = JSON.parse(document.getElementById("enketo-texts").textContent);
  var input = document.getElementById("clerk-captured-at");
  if (!clerk || !input) {
    return;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  /* The offset of the zone at the instant `ms`, in minutes east of UTC. */
  function offsetAt(ms) {
    var values = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: clerk.zone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit"
    }).formatToParts(new Date(ms)).forEach(function (part) {
      values[part.type] = part.value;
    });
    var asUtc = Date.UTC(+values.year, +values.month - 1, +values.day, +values.hour,
                         +values.minute, +values.second);
    return Math.round((asUtc - ms) / 60000);
  }

  /* The instant a wall-clock time ("2026-12-06T09:15") names in the zone, with the offset
   * then: the offset at the time read as UTC, corrected once (a zone's rules move its clocks
   * by an hour or so, never by more than a day). */
  function instant(local) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
    if (!m) {
      return null;
    }
    var naive = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    var offset = offsetAt(naive - offsetAt(naive) * 60000);
    return { ms: naive - offset * 60000, offset: offset, local: m[0] };
  }

  function withOffset(at) {
    var sign = at.offset < 0 ? "-" : "+";
    var minutes = Math.abs(at.offset);
    return at.local + ":00" + sign + pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60);
  }

  function refuse(message, element) {
    element.setAttribute("aria-invalid", "true");
    element.focus();
    return { problem: message };
  }

  window.hofburgClerkEntry = {
    /* {channel, captured_at, label, shown} for the record, or {problem}. */
    read: function () {
      var chosen = box.querySelector('input[name="clerk-channel"]:checked');
      var first = box.querySelector('input[name="clerk-channel"]');
      if (!chosen) {
        return refuse(text.clerkChannel, first);
      }
      first.removeAttribute("aria-invalid");
      var at = instant(input.value);
      if (!at) {
        return refuse(text.clerkTime, input);
      }
      if (at.ms > Date.now() + clerk.skewSeconds * 1000) {
        return refuse(text.clerkFuture, input);
      }
      if (at.ms < Date.parse(clerk.earliest)) {
        return refuse(text.clerkEarly, input);
      }
      input.removeAttribute("aria-invalid");
      return { channel: chosen.value, captured_at: withOffset(at),
               label: chosen.parentNode.textContent.trim(),
               shown: at.local.replace("T", " ") + " " + clerk.zone };
    },
    /* After a record is kept: the next paper form has a time of its own; the channel stays. */
    clear: function () {
      input.value = "";
    }
  };
})();
