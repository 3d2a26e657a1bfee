/* The observation form's checks on the device: the server's own (decision 0074).
 *
 * The page gives them in #observation-checks (monitoring/observation_checks.py), each message
 * translated on the server: every field's own bounds keyed by the browser's validity flags,
 * the rules across fields (a direction, not both and not neither; a distance with both ends,
 * "from" not beyond "to", "to" more than 0), the mission's bounds (not before the mandate, not
 * after now plus the clock skew, not farther than the method reaches), the fields kept for the
 * next record and what the others start from. Nothing here states a rule of its own, so a
 * record the server would refuse never waits in the outbox to be refused later.
 *
 * hofburg.observationChecks(form, checks) gives:
 *   check()  every check, each refusal shown beside its field; the first refused field's name,
 *            or null when the record may be queued;
 *   reset()  every per-record field back to its fresh value, the refusals cleared.
 */
(function () {
  "use strict";

  var FLAGS = ["valueMissing", "badInput", "stepMismatch", "rangeUnderflow", "rangeOverflow"];

  function observationChecks(form, checks) {
    var names = Object.keys(checks.fields);

    /* The element that holds the field's validity: a radio group's first button. */
    function control(name) {
      var field = form.elements[name];
      return field && !field.tagName ? field[0] : field;
    }

    function value(name) {
      var field = form.elements[name];
      return field ? field.value : "";
    }

    function ownErrors(found) {
      names.forEach(function (name) {
        var field = control(name);
        var own = checks.fields[name];
        var flag = field && FLAGS.filter(function (f) { return own[f] && field.validity[f]; })[0];
        if (flag) {
          found[name] = [own[flag]];
        }
      });
    }

    /* Where the rule's message goes when the form breaks it; null when it keeps it. */
    function broken(rule) {
      var values = rule.fields.map(value);
      var given = values.filter(function (v) { return v !== ""; }).length;
      switch (rule.kind) {
      case "one_at_most":
        return given === values.length ? rule.field : null;
      case "one_at_least":
        return given ? null : rule.field;
      case "together":
        return given && given < values.length ? rule.fields[values.indexOf("")] : null;
      case "ordered":
        return given === 2 && Number(values[0]) > Number(values[1]) ? rule.field : null;
      case "positive":
        return given && Number(values[0]) <= 0 ? rule.field : null;
      default:
        throw new Error("observation check of an unknown kind: " + rule.kind);
      }
    }

    function add(found, name, message) {
      (found[name] = found[name] || []).push(message);
    }

    function ruleErrors(found) {
      var failed = Object.keys(found);
      checks.rules.forEach(function (rule) {
        if (rule.fields.some(function (name) { return failed.indexOf(name) >= 0; })) {
          return;
        }
        var name = broken(rule);
        if (name) {
          add(found, name, rule.message);
        }
      });
    }

    function missionErrors(found) {
      var mission = checks.mission;
      var when = value("observed_at");
      if (!found.observed_at && when) {
        var moment = new Date(when);
        if (moment.getTime() > Date.now() + mission.skewMinutes * 60000) {
          add(found, "observed_at", mission.future);
        } else if (mission.earliest && when.slice(0, 10) < mission.earliest) {
          add(found, "observed_at", mission.beforeMandate);
        }
      }
      var far = value("distance_km_max");
      var most = mission.maxDistanceKm[value("method")];
      if (!found.distance_km_max && far !== "" && most !== undefined && Number(far) > most) {
        add(found, "distance_km_max", mission.tooFar[value("method")]);
      }
    }

    /* The field's message beside it (or none), and the field marked for assistive
     * technology; a radio group is marked as a whole. */
    function mark(name, messages) {
      var field = control(name);
      if (!field) {
        return;
      }
      var box = field.closest(".field, .choices") || field.parentNode;
      var target = field.type === "radio" ? box : field;
      var id = "check-" + name;
      Array.prototype.forEach.call(box.querySelectorAll(".errors"), function (node) {
        node.remove();
      });
      var described = (target.getAttribute("aria-describedby") || "").split(" ")
        .filter(function (token) { return token && token !== id; });
      if (messages.length) {
        var note = document.createElement("span");
        note.className = "errors";
        note.id = id;
        note.setAttribute("role", "alert");
        note.textContent = messages.join(" ");
        box.appendChild(note);
        target.setAttribute("aria-invalid", "true");
        described.push(id);
      } else {
        target.removeAttribute("aria-invalid");
      }
      if (described.length) {
        target.setAttribute("aria-describedby", described.join(" "));
      } else {
        target.removeAttribute("aria-describedby");
      }
    }

    function show(found) {
      names.forEach(function (name) { mark(name, found[name] || []); });
    }

    function check() {
      var found = {};
      ownErrors(found);
      ruleErrors(found);
      missionErrors(found);
      show(found);
      form.setAttribute("data-checked", Object.keys(found).length ? "refused" : "passed");
      return names.filter(function (name) { return found[name]; })[0] || null;
    }

    function reset() {
      Object.keys(checks.fresh).forEach(function (name) {
        if (form.elements[name]) {
          form.elements[name].value = checks.fresh[name];
        }
      });
      show({});
      form.removeAttribute("data-checked");
    }

    // Once a record was refused, each correction is checked as it is made.
    ["input", "change"].forEach(function (type) {
      form.addEventListener(type, function () {
        if (form.getAttribute("data-checked") === "refused") {
          check();
        }
      });
    });

    return { check: check, reset: reset, control: control };
  }

  window.hofburg.observationChecks = observationChecks;
})();
