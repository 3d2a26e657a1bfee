"""The observation form's checks, stated once (decision 0074).

The server's form (`forms.ObservationForm`) applies them, and the page hands them to the
device's script as data (`device_checks`, in a JSON script element: no inline script), so that
a record the server would refuse never waits in the outbox to be refused later:

- each field's own bounds (required, least and greatest value, a whole number) are the form
  field's, with the form field's own messages, keyed by the browser's names for them
  (`ValidityState`: valueMissing, rangeUnderflow, rangeOverflow, badInput, stepMismatch);
- the rules across fields (`RULES`): a direction is a compass point or a bearing, not both and
  not neither; a distance has both ends, its "from" is not beyond its "to" and its "to" is
  more than 0 km (the engine's own rules, `engine.observations`);
- the mission's bounds (`records.observation_bounds`): not before the mandate, not after now
  plus the clock skew, not farther than the method reaches.

Every message is translated on the server, its dates and figures written as the reader's
language writes them (`core.dates`, Django's number formats). After a record is queued the
device resets every field to its `fresh` value except those kept on purpose (`KEPT`): who
observed and from where, which the page says it kept.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hofburg.core import bounds, dates
from hofburg.monitoring.engine.observations import ObservationBounds

RuleKind = Literal["one_at_most", "one_at_least", "together", "ordered", "positive"]


@dataclass(frozen=True)
class Rule:
    """A rule across fields; `kind` says how it reads `fields`:

    - "one_at_most": refused when every one of them is given;
    - "one_at_least": refused when none of them is given;
    - "together": refused when some but not all are given (beside the first empty one);
    - "ordered": refused when the first is greater than the second;
    - "positive": refused when the field is given and is not more than 0.

    The message goes beside `field` (the first of `fields` when None). A rule is not applied
    while one of its fields fails its own check: a bearing of 400° is not also "no direction".
    """

    kind: RuleKind
    fields: tuple[str, ...]
    message: Promise
    field: str | None = None


RULES = (
    Rule("one_at_most", ("sector", "bearing_deg"),
         _("Give a compass point or a bearing, not both."), field="bearing_deg"),
    Rule("one_at_least", ("sector", "bearing_deg"),
         _("Give the direction: a compass point or a bearing.")),
    Rule("together", ("distance_km_min", "distance_km_max"),
         _("A distance needs both ends, e.g. 2 to 4 km.")),
    Rule("ordered", ("distance_km_min", "distance_km_max"),
         _("The distance 'from' must not exceed the distance 'to'.")),
    Rule("positive", ("distance_km_max",), _("The distance 'to' must be more than 0 km.")),
)

# Who observed and from where: kept for the next record on purpose (a patrol reports many
# sightings from one place), and said so on the page. Every other field is per record.
KEPT = ("observer_id", "observer_kind", "observer_lat", "observer_lon")


def _given(value: Any) -> bool:
    return value is not None and value != ""


def _broken_field(rule: Rule, values: Mapping[str, Any]) -> str | None:
    """Where `rule`'s message goes when `values` break it; None when they keep it."""
    given = [name for name in rule.fields if _given(values.get(name))]
    target = rule.field or rule.fields[0]
    if rule.kind == "one_at_most":
        return target if len(given) == len(rule.fields) else None
    if rule.kind == "one_at_least":
        return None if given else target
    if rule.kind == "together":
        missing = [name for name in rule.fields if name not in given]
        return missing[0] if given and missing else None
    if rule.kind == "ordered":
        if len(given) < len(rule.fields):
            return None
        first, second = (values[name] for name in rule.fields)
        return target if first > second else None
    return target if given and values[rule.fields[0]] <= 0 else None


def broken_rules(values: Mapping[str, Any], failed: Collection[str]) -> list[tuple[str, str]]:
    """(field, message) for each rule of `RULES` the cleaned `values` break, leaving out the
    rules over a field in `failed` (those with an error of their own)."""
    found = []
    for rule in RULES:
        if any(name in failed for name in rule.fields):
            continue
        field = _broken_field(rule, values)
        if field is not None:
            found.append((field, str(rule.message)))
    return found


# -- the mission's bounds ----------------------------------------------------------------------

def kilometres(value: float) -> str:
    """A distance as the reader's language writes it: "40", "12,5"."""
    return number_format(int(value) if value == int(value) else value)


def before_mandate(limits: ObservationBounds) -> str | None:
    """The message for a time before the mission's mandate began, with its first day."""
    if limits.earliest is None:
        return None
    return _("This time is before the mission's mandate began (%(day)s).") % {
        "day": dates.day(limits.earliest.date())}


def too_far(km: float) -> str:
    return _("Farther than the mission accepts for this method: at most %(km)s km.") % {
        "km": kilometres(km)}


def mission_errors(data: Mapping[str, Any], limits: ObservationBounds
                   ) -> list[tuple[str, str]]:
    """(field, message) for the mission's bounds the cleaned `data` break (the time's upper
    bound is the field's own check, `bounds.clean_past_moment`)."""
    found = []
    when: datetime | None = data.get("observed_at")
    if when is not None and limits.earliest is not None and when < limits.earliest:
        found.append(("observed_at", str(before_mandate(limits))))
    high, method = data.get("distance_km_max"), data.get("method")
    most = next((km for name, km in limits.max_distance_km.items() if str(name) == method),
                None)
    if high is not None and most is not None and high > most:
        found.append(("distance_km_max", too_far(most)))
    return found


# -- as data for the device --------------------------------------------------------------------

def _field_checks(field: forms.Field) -> dict[str, str]:
    """The field's own bounds as the browser's validity flags, each with the form field's
    message: the device says what the server would."""
    checks: dict[str, str] = {}
    if field.required:
        checks["valueMissing"] = str(field.error_messages["required"])
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            checks["rangeUnderflow"] = str(validator.message) % {
                "limit_value": validator.limit_value}
        elif isinstance(validator, MaxValueValidator):
            checks["rangeOverflow"] = str(validator.message) % {
                "limit_value": validator.limit_value}
    if "invalid" in field.error_messages:
        checks["badInput"] = str(field.error_messages["invalid"])
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField):
        checks["stepMismatch"] = str(field.error_messages["invalid"])
    if isinstance(field, forms.DateTimeField):
        # The field's calendar bounds are its clean method's (`bounds.clean_past_moment`).
        checks["rangeUnderflow"] = checks["rangeOverflow"] = str(bounds.moment_outside_calendar())
    return checks


def device_checks(form: forms.Form, limits: ObservationBounds) -> dict[str, Any]:
    """Everything the device checks before a record enters the outbox, and what a fresh
    record starts with, as the page's JSON."""
    fields = {name: field for name, field in form.fields.items()
              if not isinstance(field.widget, forms.HiddenInput)}
    return {
        "fields": {name: _field_checks(field) for name, field in fields.items()},
        "rules": [{"kind": rule.kind, "fields": list(rule.fields),
                   "field": rule.field or rule.fields[0], "message": str(rule.message)}
                  for rule in RULES],
        "mission": {
            "earliest": limits.earliest.date().isoformat() if limits.earliest else None,
            "beforeMandate": before_mandate(limits),
            "skewMinutes": int(bounds.CLOCK_SKEW.total_seconds() // 60),
            "future": str(bounds.MOMENT_IN_FUTURE),
            "maxDistanceKm": {str(method): km for method, km in limits.max_distance_km.items()},
            "tooFar": {str(method): too_far(km) for method, km in limits.max_distance_km.items()},
        },
        "kept": list(KEPT),
        "fresh": {name: "" if field.initial is None else str(field.initial)
                  for name, field in fields.items() if name not in KEPT},
    }
