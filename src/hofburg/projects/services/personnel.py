"""Seconded and contracted personnel per field operation, seconding State and year."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from hofburg.core import bounds
from hofburg.core.access import AccessDenied, AnyUser, allowed_classifications, can_edit, visible
from hofburg.core.errors import Invalid, NotFound
from hofburg.core.models import User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.projects import bounds as project_bounds
from hofburg.projects import permissions
from hofburg.projects.models import Correction, Secondment
from hofburg.projects.services.common import state_codes, text, year
from hofburg.registry.models import Confidence, FieldOperation


@dataclass(frozen=True)
class SecondmentIn:
    field_operation: str  # the registry's code
    seconding_state: str  # ISO alpha-2
    year: int
    seconded: int
    contracted: int = 0
    classification: str = "restricted"
    source: str = ""
    confidence: str = ""


def record_secondment(user: AnyUser, given: SecondmentIn) -> Secondment:
    """Set the personnel one State gives a field operation in a year (replacing the figure)."""
    if not permissions.may_record_secondments(user):
        raise AccessDenied("Only editors of a field operation or of the Secretariat may record "
                           "secondments.")
    field_operation, year_ = given.field_operation, given.year
    seconded, contracted, classification = given.seconded, given.contracted, given.classification
    confidence = given.confidence
    if not FieldOperation.objects.filter(code=field_operation).exists():
        raise Invalid(f"Unknown field operation {field_operation!r}.", field="field_operation")
    state = state_codes([given.seconding_state], "seconding_state")[0]
    year(year_, "year")
    for name, count in (("seconded", seconded), ("contracted", contracted)):
        if not 0 <= count <= bounds.MAX_COUNT:
            raise Invalid(f"A count lies between 0 and {bounds.MAX_COUNT}.", field=name)
    source = text(given.source, "source", max_length=bounds.MAX_SOURCE_LENGTH)
    if confidence and confidence not in Confidence.values:
        raise Invalid(f"Unknown confidence {confidence!r}.", field="confidence")
    if bool(source) != bool(confidence):
        raise Invalid("A figure from a source gives both the source and its confidence.",
                      field="source")
    if classification not in allowed_classifications(user):
        raise Invalid(f"Unknown or not allowed classification {classification!r}.",
                      field="classification")
    affiliation = permissions.affiliation_of(user)
    assert affiliation is not None
    with transaction.atomic():
        row = Secondment.objects.select_for_update().filter(
            field_operation=field_operation, seconding_state=state, year=year_,
            is_exercise=affiliation.is_exercise).first()
        before = snapshot(row) if row else None
        if row is None:
            row = Secondment(field_operation=field_operation, seconding_state=state,
                             year=year_, is_exercise=affiliation.is_exercise,
                             owner_affiliation=affiliation)
        elif row.owner_affiliation_id != affiliation.pk:
            raise AccessDenied("Only the affiliation that recorded this figure may change it.")
        row.seconded, row.contracted = seconded, contracted
        row.classification, row.source, row.confidence = classification, source, confidence
        row.save()
        record_change(user, "update" if before else "create", row, before, snapshot(row))
    return row


def secondment_for_editing(user: AnyUser, secondment_id: int) -> Secondment:
    """The figure, locked, that `user` may change: NotFound if missing or hidden, AccessDenied
    if another affiliation recorded it."""
    row = visible(Secondment.objects.select_for_update(), user).filter(pk=secondment_id).first()
    if row is None:
        raise NotFound("No such personnel figure.", field="secondment")
    if not permissions.may_record_secondments(user) or not can_edit(user, row):
        raise AccessDenied("Only the affiliation that recorded this figure may change it.")
    return row


def delete_secondment(user: AnyUser, secondment_id: int, *, reason: str) -> None:
    """Remove a figure recorded in error, giving the reason (kept with the figure removed)."""
    reason = text(reason, "reason", max_length=project_bounds.MAX_REASON, required=True)
    with transaction.atomic():
        row = secondment_for_editing(user, secondment_id)
        before = snapshot(row)
        Correction.objects.create(
            kind=Correction.Kind.SECONDMENT, action=Correction.Action.DELETE, record_id=row.pk,
            label=f"{row.field_operation} {row.seconding_state} {row.year}: {row.seconded} "
                  f"seconded, {row.contracted} contracted", before=before, reason=reason,
            by=user if isinstance(user, User) else None, at=timezone.now())
        record_change(user, "delete", row, before, {"reason": reason})
        row.delete()
