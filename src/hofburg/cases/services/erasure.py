"""Erasure as a workflow: a request, the legal-hold check, then one outcome — erase (the
vault and the identifiers' digest destroyed, the pseudonymised cases and the hashed evidence
kept), restrict (the vault kept but no longer opened), or deny with a reason. Every step is in
the audit trail and the access log; no identifying value is written to either. The request's
grounds and the hold's text are sealed at rest (`sealed.py`) and never shown: the trail says
only whether a hold is set (decision 0076)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from hofburg.cases import permissions, sealed, vault
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
    ring = vault.load_keyring()
    with transaction.atomic():
        request = sealed.create(ring, ErasureRequest.objects, {
            "grounds": grounds.strip(), "legal_hold": _hold(ring, person)},
            person=person, requested_by=actor)
        record_change(actor, "request", person, None, {"erasure_request": request.pk})
    return request


def _hold(ring: vault.Keyring, person: Person) -> str:
    """The text of the person's legal hold, opened to be sealed again onto a request."""
    return sealed.open_value(ring, person, "legal_hold")


def set_legal_hold(actor: User, person: Person, reason: str) -> Person:
    """Set (or, with an empty reason, lift) the hold that keeps the identity from erasure."""
    _decider(actor, person)
    ring = vault.load_keyring()
    with transaction.atomic():
        before = {"legal_hold": person.has_legal_hold}
        sealed.put(ring, person, legal_hold=reason.strip()[:5000])
        person.save(update_fields=["legal_hold_sealed"])
        record_change(actor, "hold", person, before, {"legal_hold": person.has_legal_hold})
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
    if outcome == "erased" and person.has_legal_hold:
        raise Conflict("a legal hold keeps this identity: restrict or deny, or lift the hold")
    ring = vault.load_keyring()
    with transaction.atomic():
        sealed.put(ring, request, legal_hold=_hold(ring, person))
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
