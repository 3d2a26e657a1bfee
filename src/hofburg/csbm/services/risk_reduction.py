"""Risk reduction (Chapter III): requests for explanation, replies and meetings, with the
deadlines of the ruleset."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from hofburg.core.access import AccessDenied
from hofburg.core.idempotency import content_key
from hofburg.core.models import Classification
from hofburg.core.services.audit import record_change, snapshot
from hofburg.csbm.engine import deadlines
from hofburg.csbm.engine.rulesets import NotDefinedError, Ruleset
from hofburg.csbm.models import (
    Activity,
    RiskReductionRequest,
)
from hofburg.csbm.services.common import (
    Actor,
    CsbmError,
    can_record_verification,
    classification_of,
    exercise_of,
    owner_of,
    require_state_actor,
    ruleset_named,
    state_named,
    store_once,
)

# -- risk reduction (Chapter III) -----------------------------------------------------------


def _aware(field: str, moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise CsbmError(field, "Give the time with its time zone (the clocks run in UTC).")
    return moment


def _deadline(compute: Callable[[datetime, Ruleset], datetime], moment: datetime,
              rules: Ruleset) -> datetime | None:
    try:
        return compute(moment, rules)
    except NotDefinedError:
        return None  # a ruleset without the limit leaves the clock unset


@dataclass(frozen=True)
class ExplanationRequest:
    """A Chapter III request for explanation as sent; `ruleset` names the rules whose reply
    hours apply (the default ruleset when None)."""

    requesting_state: str
    responding_state: str
    subject: str
    requested_at: datetime
    activity: Activity | None = None
    ruleset: str | None = None
    classification: str = Classification.RESTRICTED
    is_exercise: bool = False


def open_risk_reduction_request(actor: Actor,
                                request: ExplanationRequest) -> RiskReductionRequest:
    """Record a request for explanation of an unusual military activity (16); the reply
    clock starts at `request.requested_at` and runs for the ruleset's reply hours. An
    identical request is the same request: the stored one is returned, marked as a replay."""
    requesting = state_named("requesting_state", request.requesting_state)
    responding = state_named("responding_state", request.responding_state)
    require_state_actor(actor, requesting.iso2)
    classification_of(request.classification)
    rules = ruleset_named(request.ruleset)
    subject, requested_at, activity = request.subject, request.requested_at, request.activity
    if requesting.pk == responding.pk:
        raise CsbmError("responding_state", "A State does not ask itself for an explanation.")
    if not subject.strip():
        raise CsbmError("subject", "Say which activity gives rise to concern.")
    _aware("requested_at", requested_at)
    is_exercise = exercise_of(actor, request.is_exercise)
    key = content_key({
        "requesting_state": requesting.iso2, "responding_state": responding.iso2,
        "activity": activity.pk if activity else None, "subject": subject, "ruleset": rules.id,
        "requested_at": requested_at.astimezone(UTC).isoformat(),
        "classification": request.classification, "is_exercise": is_exercise})
    return store_once(RiskReductionRequest, key, lambda: _create_risk_reduction_request(
        actor, request_key=key, requesting_state=requesting, responding_state=responding,
        activity=activity, subject=subject, ruleset=rules.id, requested_at=requested_at,
        reply_due_at=_deadline(deadlines.risk_reduction_reply_deadline, requested_at, rules),
        classification=request.classification, owner_affiliation=owner_of(actor),
        is_exercise=is_exercise))


def _create_risk_reduction_request(actor: Actor, **values: Any) -> RiskReductionRequest:
    request = RiskReductionRequest.objects.create(**values)
    record_change(actor, "create", request, None, snapshot(request))
    return request


def record_reply(actor: Actor, request: RiskReductionRequest, *, replied_at: datetime,
                 reply: str) -> RiskReductionRequest:
    """The responding State's written reply; it stops the reply clock."""
    require_state_actor(actor, request.responding_state_id)
    _aware("replied_at", replied_at)
    if replied_at < request.requested_at:
        raise CsbmError("replied_at", "The reply cannot come before the request.")
    if not reply.strip():
        raise CsbmError("reply", "A reply needs its text.")
    with transaction.atomic():
        current = RiskReductionRequest.objects.select_for_update().get(pk=request.pk)
        if current.replied_at is not None:
            raise CsbmError("replied_at", "The reply is recorded already.")
        before = snapshot(current)
        current.replied_at, current.reply = replied_at, reply
        current.save(update_fields=["replied_at", "reply"])
        record_change(actor, "update", current, before, snapshot(current))
    return current


def record_meeting(
    actor: Actor, request: RiskReductionRequest, *, requested_at: datetime | None = None,
    held_at: datetime | None = None, note: str = "",
) -> RiskReductionRequest:
    """Record a request for a meeting on the matter (which starts the meeting clock), or the
    meeting itself (which stops it). Either State concerned or the Secretariat may record."""
    if not can_record_verification(actor, request.requesting_state_id,
                                   request.responding_state_id):
        raise AccessDenied("Only the States concerned or the Secretariat may record a meeting.")
    if requested_at is None and held_at is None:
        raise CsbmError("requested_at", "Give when the meeting was requested or held.")
    with transaction.atomic():
        current = RiskReductionRequest.objects.select_for_update().get(pk=request.pk)
        rules = ruleset_named(current.ruleset)
        before = snapshot(current)
        if requested_at is not None:
            _aware("requested_at", requested_at)
            if requested_at < current.requested_at:
                raise CsbmError("requested_at", "The meeting request cannot precede the request.")
            current.meeting_requested_at = requested_at
            current.meeting_due_at = _deadline(
                deadlines.risk_reduction_meeting_deadline, requested_at, rules)
        if held_at is not None:
            _aware("held_at", held_at)
            if current.meeting_requested_at is None:
                raise CsbmError("held_at", "Record the meeting request first.")
            if held_at < current.meeting_requested_at:
                raise CsbmError("held_at", "The meeting cannot precede its request.")
            current.meeting_held_at = held_at
        if note:
            current.meeting_note = note
        current.save()
        record_change(actor, "update", current, before, snapshot(current))
    return current


