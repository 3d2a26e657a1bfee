"""Submitting one observation: validated by the engine, stored and merged into the events,
idempotent by the client's id (decision 0021)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from django.db import IntegrityError, connection, transaction

from hofburg.core.idempotency import differing_fields
from hofburg.core.models import User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.monitoring.engine.observations import Observation as Reported
from hofburg.monitoring.errors import SubmissionConflict, SubmissionInvalid
from hofburg.monitoring.events.window import ingest
from hofburg.monitoring.metrics import submissions_counted
from hofburg.monitoring.models import Observation
from hofburg.monitoring.permissions import AnyUser, require_submitter
from hofburg.monitoring.records import (
    Provenance,
    Row,
    provenance,
    reported_of,
    validate_observation,
)


@submissions_counted
def submit_observation(user: AnyUser, data: Mapping[str, Any], client_id: str | None = None, *,
                       classification: str | None = None, is_exercise: bool = False
                       ) -> tuple[Observation, bool]:
    """Store one observation and merge it into the events; (the record, True if new).

    Idempotent by `client_id` (decision 0021): a retry with the same id and the same content
    returns the stored record and False, never a duplicate, also when retries race each other;
    the same id with different content is a SubmissionConflict naming the fields that differ.
    Without `observation_id` in `data` the id is derived from `client_id`. Raises
    SubmissionInvalid (a field does not validate), SubmissionConflict (the id is taken by
    another record, another user's client or different content) and AccessDenied.
    """
    actor = require_submitter(user)
    if client_id is not None and not (isinstance(client_id, str) and 0 < len(client_id) <= 64):
        raise SubmissionInvalid("client_id", "must be a string of 1 to 64 characters")
    values = dict(data)
    if not values.get("observation_id"):
        if client_id is None:
            raise SubmissionInvalid("observation_id", "is required without a client_id")
        values["observation_id"] = f"obs-{client_id}"
    reported = validate_observation(values)
    if len(reported.observation_id) > 64:
        raise SubmissionInvalid("observation_id", "must be at most 64 characters")
    new = provenance(actor, classification, is_exercise)
    existing = _existing_submission(actor, client_id, reported, new)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            taken = Observation.objects.filter(observation_id=reported.observation_id).exists()
            if not taken:
                ingest([Row.of(reported)], new, client_ids={reported.observation_id: client_id})
                record = Observation.objects.get(observation_id=reported.observation_id)
                record_change(actor, "create", record, None, snapshot(record))
    except (IntegrityError, connection.Database.IntegrityError):  # type: ignore[attr-defined]
        # The unique client or observation id: another request stored it first. (The rows go
        # in by COPY on PostgreSQL, whose errors come from the driver, unwrapped by Django.)
        taken = True
    if taken:
        # The first of several concurrent retries stored it meanwhile: answer as a retry.
        existing = _existing_submission(actor, client_id, reported, new)
        if existing is None:
            raise SubmissionConflict(
                f"observation_id {reported.observation_id!r} is already stored")
        return existing, False
    return record, True


def _existing_submission(actor: User, client_id: str | None, reported: Reported,
                         new: Provenance) -> Observation | None:
    """The observation stored under `client_id` when it is the same submission, else None;
    SubmissionConflict when the id was another user's or came with different content."""
    if client_id is None:
        return None
    existing = Observation.objects.filter(client_id=client_id).first()
    if existing is None:
        return None
    if existing.submitted_by_id != actor.pk:
        raise SubmissionConflict("this client id was used by another user")
    differing = differing_fields(_submission_content(reported_of(existing),
                                                     existing.classification,
                                                     existing.is_exercise),
                                 _submission_content(reported, new.classification,
                                                     new.is_exercise))
    if differing:
        raise SubmissionConflict(
            f"client id {client_id!r} was used for a different observation: "
            f"{', '.join(differing)} differ from the stored one")
    return existing


def _submission_content(reported: Reported, classification: str, is_exercise: bool
                        ) -> dict[str, Any]:
    """What a submission says, for comparing a retry with the stored record: the time with
    its UTC offset (as entered), the other fields as validated."""
    content = {f.name: getattr(reported, f.name) for f in fields(reported)}
    content["observed_at"] = reported.observed_at.isoformat()
    content.update(classification=classification, is_exercise=is_exercise)
    return content
