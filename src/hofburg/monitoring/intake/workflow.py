"""The workflow of observations and events: verify, reject and correct an observation; verify,
declassify and publish an event. Every change records the audit trail and keeps the rollups
equal to the events. Refusals are notes with their parameters (`errors.word`), said in the
reader's language on the pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from hofburg.core.models import Classification
from hofburg.core.services.audit import record_change, snapshot
from hofburg.monitoring.errors import SubmissionInvalid, WorkflowError, word
from hofburg.monitoring.events.rollups import apply_rollup_deltas, contribution
from hofburg.monitoring.events.window import remerge
from hofburg.monitoring.intake.release import check_publishable, set_event_status
from hofburg.monitoring.models import Event, EventStatus, Observation, ObservationStatus
from hofburg.monitoring.permissions import AnyUser, require_editor
from hofburg.monitoring.records import (
    CORRECTABLE_FIELDS,
    reported_of,
    store_reported,
    validate_observation,
)
from hofburg.notes import Note, gettext_noop


def verify_observation(user: AnyUser, observation: Observation) -> Observation:
    """Mark a submitted observation verified (an editor of the owning affiliation)."""
    actor = require_editor(user, observation)
    with transaction.atomic():
        record = Observation.objects.select_for_update().get(pk=observation.pk)
        if record.status != ObservationStatus.SUBMITTED:
            raise WorkflowError(Note(gettext_noop(
                "only a submitted observation can be verified, not a {status} one"),
                status=word(ObservationStatus(record.status).label)))
        before = snapshot(record)
        record.status = ObservationStatus.VERIFIED
        record.save(update_fields=["status"])
        record_change(actor, "verify", record, before, snapshot(record))
    return record


# The most observations one bulk verification takes (the review queue's page is 50).
MAX_BULK_VERIFY = 200


def verify_observations(user: AnyUser, observations: list[Observation]) -> list[Observation]:
    """Verify several submitted observations at once, all or none: if one cannot be verified
    (not submitted any more, not the user's to verify), nothing is, and the error names it."""
    if not observations:
        raise SubmissionInvalid("observations", Note(gettext_noop(
            "choose at least one observation to verify")))
    if len(observations) > MAX_BULK_VERIFY:
        raise SubmissionInvalid("observations", Note(gettext_noop(
            "at most {count} observations at once"), count=MAX_BULK_VERIFY))
    done = []
    with transaction.atomic():
        for observation in observations:
            try:
                done.append(verify_observation(user, observation))
            except WorkflowError as error:
                raise WorkflowError(Note(gettext_noop(
                    "{observation}: {reason}; nothing was verified"),
                    observation=observation.observation_id, reason=error.message)) from None
    return done


def reject_observation(user: AnyUser, observation: Observation, reason: str) -> Observation:
    """Reject an observation with a reason; its event is merged again without it.

    An event left with no member is withdrawn, and its counts leave the rollups.
    """
    actor = require_editor(user, observation)
    if not reason.strip():
        raise SubmissionInvalid("reason", Note(gettext_noop(
            "say why the observation is rejected")))
    with transaction.atomic():
        record = Observation.objects.select_for_update().get(pk=observation.pk)
        if record.status == ObservationStatus.REJECTED:
            raise WorkflowError(Note(gettext_noop("the observation is rejected already")))
        before = snapshot(record)
        old_event = record.event_id
        record.status = ObservationStatus.REJECTED
        record.status_reason = reason.strip()
        record.event = None
        record.save(update_fields=["status", "status_reason", "event"])
        remerge(record.observed_at, record.observed_at, force=[old_event] if old_event else [])
        record_change(actor, "reject", record, before, snapshot(record))
    return record


def correct_observation(user: AnyUser, observation: Observation, changes: Mapping[str, Any],
                        reason: str) -> Observation:
    """Correct fields of an observation; the audit trail keeps every earlier version.

    The corrected observation is validated by the engine and its window merged again.
    `observation_id` cannot change (it keys the event and the imports' idempotence).
    """
    actor = require_editor(user, observation)
    if "observation_id" in changes:
        raise SubmissionInvalid("observation_id", Note(gettext_noop("cannot be corrected")))
    if not reason.strip():
        raise SubmissionInvalid("reason", Note(gettext_noop(
            "say why the observation is corrected")))
    with transaction.atomic():
        record = Observation.objects.select_for_update().get(pk=observation.pk)
        before = snapshot(record)
        current = reported_of(record)
        data = {name: getattr(current, name) for name in ("observation_id", *CORRECTABLE_FIELDS)}
        data.update(changes)
        reported = validate_observation(data)
        old_time, old_event = record.observed_at, record.event_id
        store_reported(record, reported)
        record.revision += 1
        record.status_reason = f"corrected: {reason.strip()}"
        record.save()
        remerge(min(old_time, record.observed_at), max(old_time, record.observed_at),
                force=[old_event] if old_event else [])
        record.refresh_from_db()
        record_change(actor, "correct", record, before, snapshot(record))
    return record


def verify_event(user: AnyUser, event: Event) -> Event:
    """Provisional → verified; clears the review flag (the analyst has looked)."""
    return _move_event(user, event, EventStatus.PROVISIONAL, EventStatus.VERIFIED, "verify")


def publish_event(user: AnyUser, event: Event) -> Event:
    """Verified → published, one event: its counts join the public share of the rollups.

    Periods are published whole (`release.release_period`); one event is published alone only
    into a released period (an event verified after the release). It must be public (a
    restricted or confidential one is first declassified, `declassify_event`, which records who
    and why) and every member observation verified; else WorkflowError, nothing changed.
    """
    actor = require_editor(user, event)
    with transaction.atomic():
        record = Event.objects.select_for_update().get(pk=event.pk)
        check_publishable(record)
        return set_event_status(actor, record, EventStatus.PUBLISHED, "publish")


def declassify_event(user: AnyUser, event: Event, reason: str) -> Event:
    """Make an event public (an editor of the owning affiliation, with a reason): the step
    before publishing a restricted or confidential event. The audit trail keeps who, when and
    why. Its counts move to the public scope of the rollups; its member observations keep
    their own classification, so only those who may see every member read its explanation
    (`queries.event_explanation`). A later change of its members classifies it as they are
    again (`events.store.classification_of`)."""
    actor = require_editor(user, event)
    if not reason.strip():
        raise SubmissionInvalid("reason", Note(gettext_noop(
            "say why the event may be made public")))
    with transaction.atomic():
        record = Event.objects.select_for_update().get(pk=event.pk)
        if record.classification == Classification.PUBLIC:
            raise WorkflowError(Note(gettext_noop("the event is public already")))
        if record.status == EventStatus.WITHDRAWN:
            raise WorkflowError(Note(gettext_noop("a withdrawn event cannot be declassified")))
        before = snapshot(record)
        counted = contribution(record)
        record.classification = Classification.PUBLIC
        record.updated_at = timezone.now()
        record.save(update_fields=["classification", "updated_at"])
        record.shared_with.clear()
        after = contribution(record)
        if counted is not None and after is not None:
            apply_rollup_deltas([(counted, -1), (after, 1)])
        # "reclass": the audit trail's actions have at most eight characters.
        record_change(actor, "reclass", record, before,
                      {**snapshot(record), "reason": reason.strip()})
    return record


def _move_event(user: AnyUser, event: Event, source: str, target: str, action: str) -> Event:
    actor = require_editor(user, event)
    with transaction.atomic():
        record = Event.objects.select_for_update().get(pk=event.pk)
        if record.status != source:
            raise WorkflowError(Note(gettext_noop(
                "only a {source} event can be {target}, not a {status} one"),
                source=word(EventStatus(source).label), target=word(EventStatus(target).label),
                status=word(EventStatus(record.status).label)))
        return set_event_status(actor, record, target, action)
