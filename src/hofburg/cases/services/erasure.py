"""Erasure as a workflow: a request, the legal-hold check, then one outcome — erase (the
vault destroyed, the pseudonymised cases and the hashed evidence kept), restrict (the vault
kept but no longer opened), or deny with a reason. Every step is in the audit trail and the
access log; no identifying value is written to either."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from hofburg.cases import permissions
from hofburg.cases.models import AccessLog, ErasureRequest, Person
from hofburg.cases.services.persons import erase_vault
from hofburg.cases.services.reads import log_access
from hofburg.core import access
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import User
from hofburg.core.services.audit import record_change


def _decider(actor: User, person: Person) -> None:
    if not permissions.may_grant(actor, person):
        raise AccessDenied("Only an editor of the owner affiliation holding a grant decides.")


def request_erasure(actor: User, person: Person, grounds: str) -> ErasureRequest:
    """Record a request (made by the person, through whoever holds their file)."""
    if permissions.grant_level(actor, person.pk) is None or not access.is_entitled(actor):
        raise AccessDenied("Only a holder of a grant for the person records a request.")
    if not grounds.strip() or len(grounds) > 5000:
        raise Invalid("1 to 5000 characters", field="grounds")
    if person.erasure_requests.filter(outcome=ErasureRequest.Outcome.PENDING).exists():
        raise Conflict("a request for this person is pending already")
    with transaction.atomic():
        request = ErasureRequest.objects.create(person=person, requested_by=actor,
                                                grounds=grounds.strip(),
                                                legal_hold=person.legal_hold)
        record_change(actor, "request", person, None, {"erasure_request": request.pk})
    return request


def set_legal_hold(actor: User, person: Person, reason: str) -> Person:
    """Set (or, with an empty reason, lift) the hold that keeps the identity from erasure."""
    _decider(actor, person)
    with transaction.atomic():
        before = {"legal_hold": person.legal_hold}
        person.legal_hold = reason.strip()[:5000]
        person.save(update_fields=["legal_hold"])
        record_change(actor, "hold", person, before, {"legal_hold": person.legal_hold})
    return person


def decide_erasure(actor: User, request: ErasureRequest, outcome: str,
                   reason: str, *, channel: str = "page") -> ErasureRequest:
    person = request.person
    _decider(actor, person)
    if request.outcome != ErasureRequest.Outcome.PENDING:
        raise Conflict("this request is decided already")
    if outcome not in ("erased", "restricted", "denied"):
        raise Invalid("erased, restricted or denied", field="outcome")
    if not reason.strip():
        raise Invalid("every outcome states its reason", field="reason")
    if outcome == "erased" and person.legal_hold:
        raise Conflict("a legal hold keeps this identity: restrict or deny, or lift the hold")
    with transaction.atomic():
        request.legal_hold = person.legal_hold
        if outcome == "erased":
            erase_vault(actor, person, reason)
        elif outcome == "restricted":
            person.restricted_at = timezone.now()
            person.save(update_fields=["restricted_at"])
        request.outcome, request.decided_by = outcome, actor
        request.decided_at, request.decision_reason = timezone.now(), reason.strip()
        request.save()
        record_change(actor, "decide", person, {"erasure": "pending"},
                      {"erasure": outcome, "reason": reason.strip()})
        log_access(actor, AccessLog.Action.ERASE, "person", [outcome], 1, channel)
    return request
