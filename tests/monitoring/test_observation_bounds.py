"""Impossible observations are refused on every intake path (decision 0036): a time after now
(plus the clock skew) or before the mission's mandate, a distance farther than its method
reaches (data/monitoring/observation_limits.yaml). The form on the device, the form and JSON
posts of the page, the API and the bulk import all name the field (the import: the row), and
store nothing."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from time_machine import TimeMachineFixture

from hofburg.core.services.users import issue_api_token
from hofburg.monitoring import errors, mission, report
from hofburg.monitoring.importing import reading
from hofburg.monitoring.importing.pipeline import import_observations
from hofburg.monitoring.importing.summary import ImportRejected
from hofburg.monitoring.models import DailyCount, Observation, WeaponSighting
from hofburg.monitoring.records import observation_bounds
from tests.conftest import Cast
from tests.monitoring.rows import row, same_explosion, write_csv
from tests.monitoring.test_pages import observation_data, submit

pytestmark = pytest.mark.django_db
API = "/api/v1/monitoring"
# Tried on 6 December 2026: records of June 2027, of 1990 and heard 400-500 km away were stored.
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
IMPOSSIBLE = [
    ({"observed_at": "2027-06-01T12:00:00+00:00"}, "observed_at", "in the future"),
    ({"observed_at": "1990-06-01T12:00:00+00:00"}, "observed_at",
     "before the mission's mandate began (2014-03-21)"),
    ({"distance_km_min": 400, "distance_km_max": 500}, "distance_km_max",
     "500 km is farther than the mission accepts for what is heard (at most 40 km)"),
]


@pytest.fixture(autouse=True)
def frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def test_the_bounds_come_from_the_data_files_and_the_clock() -> None:
    bounds = observation_bounds()
    assert bounds.latest == datetime(2026, 12, 6, 12, 10, tzinfo=UTC)  # now + 10 min skew
    assert bounds.earliest is not None and bounds.earliest.date().isoformat() == "2014-03-21"
    assert {str(m): km for m, km in bounds.max_distance_km.items()} == {
        "heard": 40.0, "saw": 40.0, "recorded": 40.0}


@pytest.mark.parametrize(("changes", "field", "message"), IMPOSSIBLE)
def test_the_service_refuses_an_impossible_observation(
        cast: Cast, changes: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(errors.SubmissionInvalid) as refused:
        submit(cast.mona, "33333333-3333-4333-8333-333333333333", **changes)
    assert (refused.value.field, message in refused.value.message) == (field, True)
    assert not Observation.objects.exists()
    assert report.latest_report_date(cast.mona) is None


@pytest.mark.parametrize(("changes", "field", "message"), IMPOSSIBLE)
def test_the_api_answers_a_problem_naming_the_field(
        cast: Cast, changes: dict[str, Any], field: str, message: str) -> None:
    _token, key = issue_api_token(cast.mona, "test")
    payload = {k: v for k, v in row("API-1", method="heard", **changes).items() if v != ""}
    payload["client_id"] = "phone-7f3a"
    response = Client().post(f"{API}/observations", json.dumps(payload),
                             content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert field in {body.get("field"), *(e["field"] for e in body.get("errors", []))}
    assert not Observation.objects.exists()


def test_the_page_refuses_them_beside_the_field_and_the_device_is_told_the_bounds(
        cast: Cast) -> None:
    mona = cast.client(cast.mona)
    page = mona.get("/monitoring/observe/").content.decode()
    assert '"earliest": "2014-03-21"' in page and '"heard": 40.0' in page
    assert "Accepted: times from 21 March 2014 (the mission's mandate)" in page
    form = {**observation_data(observed_at="1990-06-01T12:00", distance_km_min=400,
                               distance_km_max=500)}
    answer = mona.post("/monitoring/observations/submit/", form)
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "before the mission&#x27;s mandate began (21 March 2014)" in text
    assert "at most 40 km" in text
    # The device's queue posts JSON: a 400 naming the fields, so the record needs correction.
    sent = mona.post("/monitoring/observations/submit/",
                     json.dumps(observation_data(distance_km_min=400, distance_km_max=500)),
                     content_type="application/json")
    assert sent.status_code == 400 and "distance_km_max" in sent.json()["errors"]
    assert not Observation.objects.exists()


def test_a_patrol_report_of_another_time_is_refused_too(cast: Cast) -> None:
    _token, key = issue_api_token(cast.mona, "test")
    sighting = {"report_id": "ws-1", "observed_at": "1990-06-01T12:00:00+00:00",
                "lon": -29.95, "lat": 48.0, "weapon_class": "mlrs", "count": 2,
                "is_exercise": True}
    response = Client().post(f"{API}/weapon-sightings", json.dumps(sighting),
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 422 and response.json()["field"] == "observed_at"
    assert not WeaponSighting.objects.exists()


def _impossible_file(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "o.csv", [
        *same_explosion(),                                                  # rows 2-4
        row("OBS-4", observed_at="2027-06-01T12:00:00+00:00"),              # row 5
        row("OBS-5", observed_at="1990-06-01T12:00:00+00:00"),              # row 6
        row("OBS-6", method="heard", distance_km_min=400, distance_km_max=450),  # row 7
    ])


def test_the_import_names_each_impossible_row_and_loads_nothing(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as rejected:
        import_observations(_impossible_file(tmp_path))
    problems = rejected.value.summary.problems
    assert [(p.row, p.field) for p in problems] == [
        (5, "observed_at"), (6, "observed_at"), (7, "distance_km_max")]
    assert "before the mission's mandate" in problems[1].reason
    assert "450 km is farther" in problems[2].reason
    assert not Observation.objects.exists()


def test_skip_bad_loads_the_possible_rows_and_writes_the_others_aside(tmp_path: Path) -> None:
    summary = import_observations(_impossible_file(tmp_path), skip_bad=True,
                                  rejects_path=tmp_path / "rejects.csv")
    assert (summary.inserted, summary.rejected) == (3, 3)
    with (tmp_path / "rejects.csv").open(encoding="utf-8") as handle:
        assert {r["observation_id"] for r in csv.DictReader(handle)} == {
            "OBS-4", "OBS-5", "OBS-6"}
    assert report.report_dates(AnonymousUser()) == []


def test_the_fast_reader_leaves_a_file_with_an_impossible_row_to_the_general_one(
        tmp_path: Path) -> None:
    clean = write_csv(tmp_path / "clean.csv", same_explosion())
    far = write_csv(tmp_path / "far.csv", [
        *same_explosion(), row("OBS-6", method="heard", distance_km_min=400,
                               distance_km_max=450)])
    old = write_csv(tmp_path / "old.csv", [
        *same_explosion(), row("OBS-5", observed_at="1990-06-01T12:00:00+00:00")])
    context = reading.ReadContext(observation_bounds())
    from hofburg.monitoring.importing.summary import ImportSummary

    fast = reading.read_clean_file(clean, ImportSummary(), context)
    if fast is None:
        pytest.skip("the fast reader (pyarrow) is not installed")
    assert len(fast.columns) == 3
    assert reading.read_clean_file(far, ImportSummary(), context) is None
    assert reading.read_clean_file(old, ImportSummary(), context) is None
    assert mission.observation_limits().mandate_start is not None


def test_records_stored_before_the_bounds_never_become_the_latest_period(
        cast: Cast) -> None:
    """Rows of an impossible date kept from before (here written straight to the rollup) are
    not a report date: not the latest period, the trends' range or a stop on the time slider."""
    submit(cast.mona, "44444444-4444-4444-8444-444444444444")  # 10 March 2026
    for day in ("2027-06-01", "1990-06-01"):
        DailyCount.objects.create(day=day, category="burst", area="X", events=1, violations=9)
    assert report.report_dates(cast.carol) == [date(2026, 3, 10)]
    carol = cast.client(cast.carol)
    assert "2027-06-01" not in carol.get("/monitoring/map/").content.decode()
    trends = carol.get("/monitoring/trends/").content.decode()
    assert "2027" not in trends and "1990" not in trends
