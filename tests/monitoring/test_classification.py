"""Classification in merges, rollups and publishing (decision 0018).

Two field operations watch the same line: mona's mission and milo's. Where one mission's
restricted observation and the other's confidential one see the same explosion, nothing of the
confidential one may reach a reader outside its mission: not its id, observer, time or figures
in an event's explanation, not its count in a rollup, not through a re-merge after a rejection.
"""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import Client

from hofburg.core.models import Affiliation, AuditEntry, Classification, Role, User
from hofburg.core.services.users import issue_api_token
from hofburg.monitoring import areas, errors, queries, report
from hofburg.monitoring.events import rollups
from hofburg.monitoring.importing import pipeline
from hofburg.monitoring.intake import release as period_release
from hofburg.monitoring.intake import submit, workflow
from hofburg.monitoring.models import (
    AreaWeekCount,
    CellCount,
    CellMonthCount,
    CellWeekCount,
    DailyCount,
    Event,
    EventStatus,
    Observation,
)
from tests.conftest import Cast
from tests.monitoring.rows import release, row, write_csv
from tests.monitoring.test_pages import REPORT_DATE, WHEN, observation_data

pytestmark = pytest.mark.django_db
API = "/api/v1/monitoring"
RANGE = {"start": "2026-03-01", "end": "2026-03-31"}
SECRET_OBSERVER = "secret-patrol-7"
ROLLUPS = (DailyCount, AreaWeekCount, CellCount, CellWeekCount, CellMonthCount)
COUNTERS = ("events", "violations", "published_events", "published_violations")


@pytest.fixture
def milo(cast: Cast) -> User:
    """An editor of a second field operation."""
    mission = Affiliation.objects.create(code="mission-2", name="Second Monitoring Mission",
                                         kind=Affiliation.Kind.FIELD_OPERATION)
    return User.objects.create_user(username="milo", password="x", affiliation=mission,
                                    roles=[Role.READER, Role.EDITOR])


def _submit(user: User, client_id: str, classification: str, **overrides: Any) -> Observation:
    record, _created = submit.submit_observation(
        user, observation_data(**overrides), client_id=client_id,
        classification=classification, is_exercise=True)
    record.refresh_from_db()
    return record


def _restricted(milo: User) -> Observation:
    """Milo's patrol: a bearing on the explosion, three rounds, restricted."""
    return _submit(milo, "r-1", Classification.RESTRICTED)


def _confidential(cast: Cast, *, seconds: int = 20) -> Observation:
    """Mona's secret patrol: a crossing bearing on the same explosion, seven rounds."""
    return _submit(cast.mona, "c-1", Classification.CONFIDENTIAL, observer_id=SECRET_OBSERVER,
                   observer_lat=48.25, observer_lon=-29.91, bearing_deg=150.0, count=7,
                   observed_at=(WHEN + timedelta(seconds=seconds)).isoformat())


def _api(user: User | None) -> Any:
    """GET through the API as `user` (a token), or anonymously."""
    headers = {}
    if user is not None:
        _token, key = issue_api_token(user, "classification tests")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def get(path: str, data: Any = None) -> Any:
        return Client().get(path, data, **headers)
    return get


# --- merging --------------------------------------------------------------------------------


def test_a_restricted_event_never_absorbs_a_confidential_observation(cast: Cast,
                                                                     milo: User) -> None:
    restricted = _restricted(milo)
    secret = _confidential(cast)

    event = Event.objects.get(pk=restricted.event_id)
    assert secret.event_id != event.pk
    assert (event.classification, event.number_of_sources, event.count_at_least) == (
        Classification.RESTRICTED, 1, 3)
    detail = _api(cast.alice)(f"{API}/events/{event.pk}").json()
    text = repr(detail)
    assert secret.observation_id not in text and SECRET_OBSERVER not in text
    assert detail["number_of_sources"] == 1 and detail["count_at_least"] == 3
    assert detail["observation_ids"] == [restricted.observation_id]


def test_the_confidential_observation_makes_its_own_confidential_event(cast: Cast,
                                                                      milo: User) -> None:
    _restricted(milo)
    secret = _confidential(cast)

    own = Event.objects.get(pk=secret.event_id)
    assert (own.classification, own.owner_affiliation_id) == (Classification.CONFIDENTIAL,
                                                              cast.mission.pk)
    assert _api(cast.alice)(f"{API}/events/{own.pk}").status_code == 404
    assert _api(cast.mona)(f"{API}/events/{own.pk}").json()["observation_ids"] == [
        secret.observation_id]


def test_rejecting_the_restricted_sibling_never_declassifies_the_confidential_one(
        cast: Cast, milo: User) -> None:
    restricted = _restricted(milo)
    secret = _confidential(cast)

    workflow.reject_observation(milo, restricted, "wrong bearing")

    secret.refresh_from_db()
    event = Event.objects.get(pk=secret.event_id)
    assert (event.classification, event.owner_affiliation_id) == (Classification.CONFIDENTIAL,
                                                                  cast.mission.pk)
    listed = _api(cast.alice)(f"{API}/events").json()["items"]
    assert all(SECRET_OBSERVER not in repr(item) and item["count_at_least"] != 7
               for item in listed)
    assert _api(cast.alice)(f"{API}/events/{event.pk}").status_code == 404


def test_a_restricted_observation_never_joins_a_confidential_event(cast: Cast,
                                                                  milo: User) -> None:
    secret = _confidential(cast, seconds=0)
    restricted = _submit(milo, "r-2", Classification.RESTRICTED,
                         observed_at=(WHEN + timedelta(seconds=20)).isoformat())

    event = Event.objects.get(pk=restricted.event_id)
    assert event.pk != secret.event_id
    assert event.event_key == restricted.observation_id
    assert event.classification == Classification.RESTRICTED
    shown = _api(cast.alice)(f"{API}/observations/{restricted.pk}").json()
    assert shown["event_id"] == event.pk


def test_an_import_merges_only_within_its_own_scope(cast: Cast, milo: User,
                                                    tmp_path: Path) -> None:
    """The bulk path (and the general one, next to stored rows) keep the scopes apart."""
    _restricted(milo)
    rows = [row("CONF-1", observed_at=(WHEN + timedelta(seconds=30)).isoformat(),
                observer_id=SECRET_OBSERVER, count=7)]
    pipeline.import_observations(write_csv(tmp_path / "c.csv", rows), actor=cast.mona,
                                 classification=Classification.CONFIDENTIAL, is_exercise=True)
    imported = Observation.objects.get(observation_id="CONF-1")
    assert imported.event is not None
    assert imported.event.classification == Classification.CONFIDENTIAL
    assert imported.event.number_of_sources == 1
    assert Event.objects.filter(classification=Classification.RESTRICTED).get().count_at_least \
        == 3


# --- rollups --------------------------------------------------------------------------------


def _map_total(get: Any) -> int:
    return sum(f["properties"]["violations_at_least"]
               for f in get(f"{API}/map", RANGE).json()["features"])


def _trend_total(get: Any) -> int:
    return sum(p["violations_at_least"] for p in get(f"{API}/trends", RANGE).json()["series"])


def _period_total(get: Any) -> int:
    return sum(p["violations_at_least"] for p in get(f"{API}/periods", RANGE).json()["periods"])


def _daily_csv_total(get: Any) -> int:
    text = b"".join(get(f"{API}/exports/daily-counts.csv", RANGE).streaming_content).decode()
    return sum(int(line.split(",")[-2]) for line in text.splitlines()[2:])


def test_rollups_count_a_confidential_event_for_its_owner_only(cast: Cast) -> None:
    _confidential(cast)
    for user, seen in ((cast.mona, 7), (cast.alice, 0), (cast.carol, 0), (None, 0)):
        get = _api(user)
        assert (_map_total(get), _trend_total(get), _period_total(get),
                _daily_csv_total(get)) == (seen, seen, seen, seen), user


def test_a_cached_answer_is_never_shared_across_affiliations(cast: Cast) -> None:
    _confidential(cast)
    cache.clear()
    assert _map_total(_api(cast.mona)) == 7  # cached for mona's share
    assert _trend_total(_api(cast.mona)) == 7
    assert _map_total(_api(cast.alice)) == 0
    assert _trend_total(_api(cast.alice)) == 0


def test_the_daily_report_and_its_dates_leave_out_other_affiliations_confidential_counts(
        cast: Cast, milo: User) -> None:
    _restricted(milo)
    _confidential(cast)
    day = date.fromisoformat(REPORT_DATE)
    assert report.build_daily_report(cast.mona, day).total == 10
    assert report.build_daily_report(cast.alice, day).total == 3
    assert report.build_daily_report(milo, day).total == 3
    # A day with a confidential event only is no report date for anyone else.
    _submit(cast.mona, "c-late", Classification.CONFIDENTIAL, count=2,
            observed_at=(WHEN + timedelta(days=3)).isoformat())
    later = day + timedelta(days=3)
    assert later in report.report_dates(cast.mona)
    assert later not in report.report_dates(cast.alice)
    assert later not in report.report_dates(AnonymousUser())
    page = cast.client(cast.alice).get("/monitoring/reports/").content.decode()
    assert later.isoformat() not in page


def test_rebuilding_and_recounting_keep_the_scopes(cast: Cast, milo: User) -> None:
    _restricted(milo)
    _confidential(cast)
    before = _rollup_rows()
    rollups.rebuild_rollups()
    assert _rollup_rows() == before
    areas.count_area_rollups()
    assert _rollup_rows() == before
    assert {row[-5] for row in before[DailyCount]} == {
        "restricted", f"confidential:{cast.mission.pk}"}
    assert _map_total(_api(cast.alice)) == 3


def test_the_migration_counts_the_rollups_per_scope(cast: Cast, milo: User) -> None:
    _restricted(milo)
    _confidential(cast)
    before = _rollup_rows()
    migration = importlib.import_module(
        "hofburg.monitoring.migrations.0007_rollup_visibility_scope")
    migration.recount_by_scope(django_apps, SimpleNamespace(connection=connection))
    assert _rollup_rows() == before


def test_the_migration_classifies_events_stored_before_as_their_members(cast: Cast,
                                                                       milo: User) -> None:
    # Stored before 0018: a restricted event that had absorbed a confidential observation, and
    # a published restricted event.
    restricted = _restricted(milo)
    secret = _confidential(cast)
    Observation.objects.filter(pk=secret.pk).update(event=restricted.event_id)
    mixed = Event.objects.get(pk=restricted.event_id)
    Event.objects.filter(pk=secret.event_id).delete()
    published = Event.objects.get(pk=_submit(
        cast.mona, "r-old", Classification.RESTRICTED, count=4,
        observed_at=(WHEN + timedelta(days=1)).isoformat()).event_id)
    Event.objects.filter(pk=published.pk).update(status=EventStatus.PUBLISHED)
    migration = importlib.import_module(
        "hofburg.monitoring.migrations.0007_rollup_visibility_scope")
    editor = SimpleNamespace(connection=connection)
    migration.classify_stored_events(django_apps, editor)
    migration.recount_by_scope(django_apps, editor)

    mixed.refresh_from_db()
    assert (mixed.classification, mixed.owner_affiliation_id) == (Classification.CONFIDENTIAL,
                                                                  cast.mission.pk)
    published.refresh_from_db()
    assert published.classification == Classification.PUBLIC
    entry = AuditEntry.objects.get(action="reclass", object_id=str(published.pk))
    assert entry.actor_label == "system" and "decision 0018" in entry.after["reason"]
    assert _map_total(_api(cast.alice)) == 4 and _map_total(_api(None)) == 4
    assert _map_total(_api(cast.mona)) == 4 + mixed.count_at_least


def _rollup_rows() -> dict[Any, list[tuple[Any, ...]]]:
    rows = {}
    for model in ROLLUPS:
        key = [f.name for f in model._meta.get_fields()
               if f.name not in ("id", "lon", "lat", *COUNTERS)]
        rows[model] = sorted(tuple(r) for r in model._default_manager.filter(
            events__gt=0).values_list(*key, *COUNTERS))
    return rows


# --- publishing -----------------------------------------------------------------------------


def test_publishing_a_restricted_or_confidential_event_is_refused(cast: Cast) -> None:
    secret = _confidential(cast)
    event = workflow.verify_event(cast.mona, Event.objects.get(pk=secret.event_id))
    with pytest.raises(errors.WorkflowError, match="only a public event can be published"):
        workflow.publish_event(cast.mona, event)
    _token, key = issue_api_token(cast.mona, "t")
    answer = Client().post(f"{API}/events/{event.pk}/publish",
                           HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 409
    page = cast.client(cast.mona).post(f"/monitoring/events/{event.pk}/publish/", follow=True)
    assert "declassify it first" in page.content.decode()
    # Releasing its period leaves it as it is: only public events are part of a release.
    period_release.release_period(cast.mona, event.report_date)
    event.refresh_from_db()
    assert event.status == EventStatus.VERIFIED
    assert _map_total(_api(None)) == 0


def test_declassifying_records_who_and_why_and_then_publishing_counts_for_all(
        cast: Cast) -> None:
    secret = _confidential(cast)
    event = workflow.verify_event(cast.mona, Event.objects.get(pk=secret.event_id))
    with pytest.raises(errors.SubmissionInvalid):
        workflow.declassify_event(cast.mona, event, "  ")
    _token, key = issue_api_token(cast.mona, "t")
    answer = Client().post(f"{API}/events/{event.pk}/declassify",
                           {"reason": "cleared for the daily report"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 200 and answer.json()["classification"] == "public"
    entry = AuditEntry.objects.get(action="reclass")
    assert entry.actor == cast.mona
    assert entry.after["reason"] == "cleared for the daily report"
    assert (entry.before["classification"], entry.after["classification"]) == (
        "confidential", "public")
    # Public but not published: the entitled count it, visitors not yet.
    assert (_map_total(_api(cast.alice)), _map_total(_api(None))) == (7, 0)
    release(cast.mona, event)
    assert (_map_total(_api(cast.alice)), _map_total(_api(None))) == (7, 7)
    # The members stay confidential: a visitor reads the event, not the reasons naming them.
    detail = _api(None)(f"{API}/events/{event.pk}").json()
    assert detail["explanation"] == [queries.EXPLANATION_WITHHELD]
    assert detail["observation_ids"] == []
    assert SECRET_OBSERVER not in repr(detail)
    assert _api(cast.mona)(f"{API}/events/{event.pk}").json()["explanation"] != [
        queries.EXPLANATION_WITHHELD]


def test_new_members_of_a_declassified_event_classify_it_as_they_are_again(cast: Cast) -> None:
    first = _submit(cast.mona, "r-a", Classification.RESTRICTED)
    event = workflow.verify_event(cast.mona, Event.objects.get(pk=first.event_id))
    workflow.declassify_event(cast.mona, event, "cleared")
    release(cast.mona, event)
    assert _map_total(_api(None)) == 3
    # A re-merge that leaves its members as they are leaves it public.
    _submit(cast.mona, "r-other", Classification.RESTRICTED, category="burst",
            observed_at=(WHEN + timedelta(seconds=30)).isoformat())
    event.refresh_from_db()
    assert (event.classification, event.number_of_sources) == (Classification.PUBLIC, 1)
    assert _map_total(_api(None)) == 3
    _submit(cast.mona, "r-b", Classification.RESTRICTED, observer_id="patrol-2",
            observer_lat=48.25, observer_lon=-29.91, bearing_deg=150.0, count=5,
            observed_at=(WHEN + timedelta(seconds=20)).isoformat())
    event.refresh_from_db()
    assert event.number_of_sources == 2
    assert event.classification == Classification.RESTRICTED and event.needs_review
    assert _map_total(_api(None)) == 0
    assert _api(None)(f"{API}/events/{event.pk}").status_code == 404
