"""The observation form's checks are stated once (decision 0074): the server's form refuses
each rule beside the field the monitor corrects, the engine refuses the same records, and the
page hands the device exactly those rules and bounds, with the server's words in the reader's
language; every field is either kept for the next record on purpose or starts afresh."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from time_machine import TimeMachineFixture

from hofburg.monitoring import errors
from hofburg.monitoring.forms import ObservationForm
from hofburg.monitoring.observation_checks import KEPT, RULES, device_checks
from hofburg.monitoring.records import observation_bounds, validate_observation
from tests.conftest import Cast

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
VALID = {"observed_at": "2026-03-10T12:00", "observer_id": "patrol-7", "observer_kind": "patrol",
         "observer_lat": "48.2", "observer_lon": "-30.0", "method": "heard",
         "category": "explosion_undetermined", "count": "2", "sector": "E",
         "bearing_deg": "", "distance_km_min": "2", "distance_km_max": "4"}

BROKEN = [
    ({"bearing_deg": "90"}, "bearing_deg", "Give a compass point or a bearing, not both."),
    ({"sector": ""}, "sector", "Give the direction: a compass point or a bearing."),
    ({"distance_km_max": ""}, "distance_km_max", "A distance needs both ends, e.g. 2 to 4 km."),
    ({"distance_km_min": ""}, "distance_km_min", "A distance needs both ends, e.g. 2 to 4 km."),
    ({"distance_km_min": "5", "distance_km_max": "2"}, "distance_km_min",
     "The distance 'from' must not exceed the distance 'to'."),
    ({"distance_km_min": "0", "distance_km_max": "0"}, "distance_km_max",
     "The distance 'to' must be more than 0 km."),
    ({"observed_at": "2014-03-20T12:00"}, "observed_at",
     "This time is before the mission's mandate began (21 March 2014)."),
    ({"observed_at": "2026-03-12T10:30"}, "observed_at",
     "This time is in the future: check the device's clock."),
    ({"distance_km_max": "41"}, "distance_km_max",
     "Farther than the mission accepts for this method: at most 40 km."),
    ({"category": ""}, "category", "This field is required."),
]


@pytest.fixture(autouse=True)
def frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def _errors(changes: dict[str, Any]) -> dict[str, list[str]]:
    form = ObservationForm({**VALID, **changes})
    form.is_valid()
    return {name: [str(e) for e in found] for name, found in form.errors.items()}


def test_a_valid_record_passes_the_form_and_the_engine() -> None:
    form = ObservationForm(VALID)
    assert form.is_valid(), form.errors
    data = form.observation_data()
    data.pop("client_id")
    validate_observation({**data, "observation_id": "check-1"})


@pytest.mark.parametrize(("changes", "field", "message"), BROKEN)
def test_each_rule_is_refused_beside_its_field(changes: dict[str, Any], field: str,
                                               message: str) -> None:
    assert _errors(changes) == {field: [message]}


@pytest.mark.parametrize(("changes", "field", "message"),
                         [case for case in BROKEN if case[1] != "category"])
def test_the_engine_refuses_what_the_form_refuses(changes: dict[str, Any], field: str,
                                                  message: str) -> None:
    """The form's rules are the engine's: a record the form let through to the queue would
    otherwise be refused by the service after it was sent."""
    values: dict[str, Any] = {**VALID, **changes}
    data = {name: value for name, value in values.items() if value != ""}
    data["observation_id"] = "check-1"
    data["observed_at"] = datetime.fromisoformat(values["observed_at"]).replace(tzinfo=UTC)
    with pytest.raises(errors.SubmissionInvalid):
        validate_observation(data)


def test_a_field_failing_its_own_bound_is_not_also_told_a_rule() -> None:
    assert _errors({"sector": "", "bearing_deg": "400"}) == {
        "bearing_deg": ["Ensure this value is less than or equal to 360."]}


def test_the_device_is_given_the_same_rules_bounds_and_words() -> None:
    checks = device_checks(ObservationForm(), observation_bounds())
    assert [(r["kind"], r["fields"], r["field"], r["message"]) for r in checks["rules"]] == [
        (r.kind, list(r.fields), r.field or r.fields[0], str(r.message)) for r in RULES]
    assert checks["fields"]["count"] == {
        "valueMissing": "This field is required.",
        "rangeUnderflow": "Ensure this value is greater than or equal to 1.",
        "rangeOverflow": "Ensure this value is less than or equal to 2147483647.",
        "badInput": "Enter a whole number.", "stepMismatch": "Enter a whole number."}
    assert checks["fields"]["bearing_deg"] == {
        "rangeUnderflow": "Ensure this value is greater than or equal to 0.",
        "rangeOverflow": "Ensure this value is less than or equal to 360.",
        "badInput": "Enter a number."}
    assert checks["mission"] == {
        "earliest": "2014-03-21",
        "beforeMandate": "This time is before the mission's mandate began (21 March 2014).",
        "skewMinutes": 10, "future": "This time is in the future: check the device's clock.",
        "maxDistanceKm": {"heard": 40.0, "saw": 40.0, "recorded": 40.0},
        "tooFar": dict.fromkeys(("heard", "saw", "recorded"),
                                "Farther than the mission accepts for this method: at most 40 km.")}


def test_every_field_is_kept_on_purpose_or_starts_afresh() -> None:
    checks = device_checks(ObservationForm(), observation_bounds())
    visible = {name for name, field in ObservationForm().fields.items()
               if not field.widget.is_hidden}
    assert set(checks["kept"]) == set(KEPT) == {
        "observer_id", "observer_kind", "observer_lat", "observer_lon"}
    assert set(checks["fresh"]) == visible - set(KEPT)
    assert checks["fresh"]["method"] == "heard" and checks["fresh"]["count"] == "1"
    assert checks["fresh"]["category"] == checks["fresh"]["sector"] == ""
    assert checks["fresh"]["weapon_class"] == checks["fresh"]["notes"] == ""


def test_in_russian_the_device_s_words_and_dates_are_russian(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.mona)
    client.cookies["django_language"] = "ru"
    page = client.get("/monitoring/observe/").content.decode()
    data = json.loads(page.split('id="observation-checks" type="application/json">')[1]
                      .split("</script>")[0])
    with translation.override("ru"):
        russian = str(RULES[0].message)
    with translation.override("en"):
        english = str(RULES[0].message)
    assert data["rules"][0]["message"] == russian != english
    assert "21 марта 2014" in data["mission"]["beforeMandate"]
    assert "2014-03-21" not in data["mission"]["beforeMandate"]
    assert "21 марта 2014" in page.split('class="muted limits">')[1].split("</p>")[0]
