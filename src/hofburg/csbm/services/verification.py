"""Inspections and evaluation visits (Chapter IX): requests and outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from hofburg.core.access import AccessDenied
from hofburg.core.idempotency import content_key
from hofburg.core.models import Classification
from hofburg.core.services.audit import record_change, snapshot
from hofburg.csbm.models import (
    ExchangeUnit,
    Visit,
    VisitOutcome,
)
from hofburg.csbm.services.common import (
    Actor,
    CsbmError,
    can_record_verification,
    classification_of,
    exercise_of,
    owner_of,
    require_state_actor,
    state_named,
    store_once,
)


@dataclass(frozen=True)
class VisitRequest:
    """An inspection or evaluation visit as requested. `unit` is the evaluated unit when it
    is on file, `unit_designation` its designation when it is not (evaluations only)."""

    kind: str
    inspecting_state: str
    receiving_state: str
    requested_at: datetime
    on: date
    unit: ExchangeUnit | None = None
    unit_designation: str = ""
    temporarily_activated: bool = False
    area: str = ""
    classification: str = Classification.RESTRICTED
    is_exercise: bool = False


def request_visit(actor: Actor, request: VisitRequest) -> Visit:
    """Record an inspection or evaluation visit requested by `request.inspecting_state`.

    Whether the receiving State is obliged to accept is the quota board's answer
    (queries.quota_board); a request is recorded either way, as it was sent. An identical
    request (every field the same) is the same request: the visit stored for it is returned,
    marked as a replay (`core.idempotency.is_replay`), and nothing new is stored.
    """
    inspecting = state_named("inspecting_state", request.inspecting_state)
    receiving = state_named("receiving_state", request.receiving_state)
    require_state_actor(actor, inspecting.iso2)
    classification_of(request.classification)
    kind, requested_at, on, unit = request.kind, request.requested_at, request.on, request.unit
    if kind not in Visit.Kind.values:
        raise CsbmError("kind", f"Choose one of: {', '.join(Visit.Kind.values)}.")
    if inspecting.pk == receiving.pk:
        raise CsbmError("receiving_state", "A State does not receive a visit from itself.")
    if timezone.is_naive(requested_at):
        raise CsbmError("requested_at", "Give the time with its time zone (limits run in UTC).")
    if on < requested_at.date():
        raise CsbmError("on", "The visit cannot come before its request.")
    if unit is not None and unit.exchange.state_id != receiving.iso2:
        raise CsbmError("unit", f"{unit.designation} is not a unit of {receiving.iso2}.")
    if kind == Visit.Kind.INSPECTION and (unit is not None or request.unit_designation):
        raise CsbmError("unit", "An inspection is of a specified area, not of a unit.")
    designation = request.unit_designation or (unit.designation if unit else "")
    is_exercise = exercise_of(actor, request.is_exercise)
    key = content_key({
        "kind": kind, "inspecting_state": inspecting.iso2, "receiving_state": receiving.iso2,
        "requested_at": requested_at.astimezone(UTC).isoformat(), "on": on.isoformat(),
        "unit": unit.pk if unit else None, "unit_designation": designation,
        "temporarily_activated": request.temporarily_activated, "area": request.area,
        "classification": request.classification, "is_exercise": is_exercise})
    return store_once(Visit, key, lambda: _create_visit(
        actor, request_key=key, kind=kind, inspecting_state=inspecting,
        receiving_state=receiving, requested_at=requested_at, on=on, unit=unit,
        unit_designation=designation, temporarily_activated=request.temporarily_activated,
        area=request.area, classification=request.classification,
        owner_affiliation=owner_of(actor), is_exercise=is_exercise))


def _create_visit(actor: Actor, **values: Any) -> Visit:
    visit = Visit.objects.create(**values)
    record_change(actor, "create", visit, None, snapshot(visit))
    return visit


def record_visit_outcome(
    actor: Actor, visit: Visit, *, outcome: str, report: str = "",
    recorded_at: datetime | None = None,
) -> Visit:
    """Record what became of a visit: conducted, prevented by force majeure, or declined
    because the unit was away. The outcome decides whether it counts against the quota."""
    if not can_record_verification(actor, visit.inspecting_state_id, visit.receiving_state_id):
        raise AccessDenied("Only the States concerned or the Secretariat may record an outcome.")
    if outcome not in VisitOutcome.values:
        raise CsbmError("outcome", f"Choose one of: {', '.join(VisitOutcome.values)}.")
    if outcome == VisitOutcome.DECLINED_UNIT_AWAY and visit.kind != Visit.Kind.EVALUATION:
        raise CsbmError("outcome", "Only an evaluation visit is declined for a unit away.")
    with transaction.atomic():
        current = Visit.objects.select_for_update().get(pk=visit.pk)
        before = snapshot(current)
        current.outcome = outcome
        current.report = report
        current.outcome_recorded_at = recorded_at or timezone.now()
        current.save(update_fields=["outcome", "report", "outcome_recorded_at"])
        record_change(actor, "update", current, before, snapshot(current))
    return current
