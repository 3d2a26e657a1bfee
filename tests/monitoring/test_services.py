"""The desk's services: idempotent submission, the verification workflow, corrections."""

from __future__ import annotations

from pathlib import Path

import pytest

from hofburg.core.access import AccessDenied
from hofburg.core.models import AuditEntry, Role, User
from hofburg.monitoring import errors
from hofburg.monitoring.importing import pipeline
from hofburg.monitoring.intake import patrol_reports, submit, workflow
from hofburg.monitoring.models import DailyCount, Event, EventStatus, Observation
from tests.conftest import Cast
from tests.monitoring.rows import release, row, same_explosion, write_csv

pytestmark = pytest.mark.django_db


def _import(cast: Cast, tmp_path: Path) -> None:
    pipeline.import_observations(write_csv(tmp_path / "o.csv", same_explosion()),
                                 actor=cast.mona)


def test_a_retried_submission_returns_the_stored_observation(cast: Cast) -> None:
    first, created = submit.submit_observation(cast.mona, row("X"), "client-1")
    again, created_again = submit.submit_observation(cast.mona, row("X"), "client-1")
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and Observation.objects.count() == 1
    assert Event.objects.count() == 1


def test_a_submission_belongs_to_the_monitors_mission_and_is_restricted(cast: Cast) -> None:
    record, _ = submit.submit_observation(cast.mona, row("X"), "client-1")
    assert record.owner_affiliation == cast.mission
    assert record.classification == "restricted"
    assert AuditEntry.objects.filter(action="create", object_id=str(record.pk)).exists()


def test_a_second_observer_joins_the_submitted_event(cast: Cast) -> None:
    first, second, _ = same_explosion()
    submit.submit_observation(cast.mona, first, "c1")
    submit.submit_observation(cast.mona, second, "c2")
    event = Event.objects.get()
    assert event.number_of_sources == 2 and event.location_method == "fix"
    assert DailyCount.objects.get().events == 1


def test_an_invalid_submission_names_its_field(cast: Cast) -> None:
    with pytest.raises(errors.SubmissionInvalid) as invalid:
        submit.submit_observation(cast.mona, row("X", bearing_deg=400), "c1")
    assert invalid.value.field == "bearing_deg"


def test_a_reader_without_affiliation_cannot_submit(cast: Cast) -> None:
    with pytest.raises(AccessDenied):
        submit.submit_observation(cast.nick, row("X"), "c1")


def test_another_users_client_id_is_a_conflict(cast: Cast) -> None:
    submit.submit_observation(cast.mona, row("X"), "c1")
    colleague = User.objects.create_user("mika", affiliation=cast.mission,
                                         roles=[Role.READER, Role.EDITOR])
    with pytest.raises(errors.SubmissionConflict):
        submit.submit_observation(colleague, row("Y"), "c1")


def test_only_editors_of_a_field_operation_submit_observations(cast: Cast) -> None:
    # alice edits for a delegation: she reads the mission's records but does not report them.
    with pytest.raises(AccessDenied):
        submit.submit_observation(cast.alice, row("Z"), "c9")
    assert not Observation.objects.filter(observation_id="Z").exists()


def test_publishing_a_verified_event_moves_its_counts_into_the_public_share(
        cast: Cast, tmp_path: Path) -> None:
    _import(cast, tmp_path)
    event = Event.objects.get(event_key="OBS-1")
    with pytest.raises(errors.WorkflowError):
        workflow.publish_event(cast.mona, event)
    event = workflow.verify_event(cast.mona, event)
    with pytest.raises(errors.WorkflowError, match="declassify it first"):
        workflow.publish_event(cast.mona, event)
    release(cast.mona, event)
    daily = DailyCount.objects.get(category=event.category, scope="public")
    assert (daily.events, daily.published_events, daily.published_violations) == (1, 1, 1)
    assert Event.objects.get(pk=event.pk).status == EventStatus.PUBLISHED


def test_only_editors_of_the_owning_mission_verify(cast: Cast, tmp_path: Path) -> None:
    _import(cast, tmp_path)
    with pytest.raises(AccessDenied):
        workflow.verify_event(cast.alice, Event.objects.get(event_key="OBS-1"))


def test_rejecting_the_only_observation_withdraws_its_event(cast: Cast, tmp_path: Path) -> None:
    _import(cast, tmp_path)
    workflow.reject_observation(cast.mona, Observation.objects.get(observation_id="OBS-3"),
                                "duplicate radio report")
    event = Event.objects.get(event_key="OBS-3")
    assert event.status == EventStatus.WITHDRAWN
    assert DailyCount.objects.get(category="burst").events == 0


def test_rejecting_one_of_two_observers_relocates_the_event_from_the_other(
        cast: Cast, tmp_path: Path) -> None:
    _import(cast, tmp_path)
    workflow.reject_observation(cast.mona, Observation.objects.get(observation_id="OBS-2"),
                                "wrong bearing")
    event = Event.objects.get(event_key="OBS-1")
    assert event.number_of_sources == 1 and event.location_method == "sector"
    assert list(event.observations.values_list("observation_id", flat=True)) == ["OBS-1"]


def test_a_correction_keeps_the_earlier_version_in_the_audit_trail(
        cast: Cast, tmp_path: Path) -> None:
    _import(cast, tmp_path)
    record = Observation.objects.get(observation_id="OBS-3")
    corrected = workflow.correct_observation(cast.mona, record, {"count": 20}, "recount")
    assert (corrected.count, corrected.revision) == (20, 2)
    entry = AuditEntry.objects.get(action="correct")
    assert (entry.before or {})["count"] == 12 and (entry.after or {})["count"] == 20
    assert DailyCount.objects.get(category="burst").violations == 20


def test_a_restriction_of_movement_names_a_category_not_a_person(cast: Cast) -> None:
    from datetime import UTC, datetime

    with pytest.raises(errors.SubmissionInvalid):
        patrol_reports.report_movement_restriction(
            cast.mona, "fom-1", observed_at=datetime(2026, 1, 5, tzinfo=UTC), lon=-30, lat=48,
            kind="denied_passage", imposed_by="Commander Smith")
    record, created = patrol_reports.report_movement_restriction(
        cast.mona, "fom-1", observed_at=datetime(2026, 1, 5, tzinfo=UTC), lon=-30, lat=48,
        kind="denied_passage", imposed_by="armed_personnel")
    assert created and record.imposed_by == "armed_personnel"


def test_an_exercise_weapon_sighting_is_checked_against_the_withdrawal_rules(cast: Cast) -> None:
    from datetime import UTC, datetime

    record, _ = patrol_reports.submit_weapon_sighting(
        cast.mona, "ws-1", observed_at=datetime(2026, 1, 5, tzinfo=UTC), lon=-29.95, lat=48.0,
        weapon_class="mlrs", count=2, is_exercise=True)
    assert record.compliance["status"] in {"compliant", "in_violation", "not_checked",
                                           "outside_rule", "violation"}
