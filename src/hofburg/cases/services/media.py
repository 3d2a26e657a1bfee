"""Media-freedom alerts: recording one, the State's reply, the follow-up log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from hofburg.cases.engine import codes, media, surrogates
from hofburg.cases.models import Alert, FollowUp, Person, StateReply
from hofburg.core import access
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import Classification, User
from hofburg.core.services.audit import record_change, snapshot

MAX_TEXT = 10_000


@dataclass(frozen=True)
class AlertRecord:
    """What an alert says, as a partner submits it."""

    country: str
    submitted_on: date
    violations: list[str]
    perpetrator_type: str
    media_actor_type: str
    severity: str
    partner: str
    summary: str
    occurred_on: date | None = None
    verification: str = "unverified"
    person: Person | None = None
    classification: str = Classification.RESTRICTED
    is_exercise: bool = False


def create_alert(actor: User, record: AlertRecord) -> Alert:
    """A new alert, its CoE categories derived from its violations (the code list's mapping)."""
    from hofburg.cases import permissions

    if not access.can_contribute(actor):
        raise AccessDenied("Only editors with an affiliation may record an alert.")
    if record.person is not None and permissions.grant_level(actor, record.person.pk) is None:
        raise AccessDenied("Only an editor holding a grant for the person may name them.")
    if len(record.country) != 2 or not record.country.isalpha():
        raise Invalid("an ISO 3166 alpha-2 code", field="country")
    try:
        categories = media.coe_categories_of(record.submitted_on.year, record.violations)
    except codes.CodeListError as exc:
        raise Invalid(str(exc).split(": ", 1)[-1], field="violations") from exc
    for field, value, allowed in (
            ("perpetrator_type", record.perpetrator_type, media.PERPETRATORS),
            ("severity", record.severity, media.SEVERITIES),
            ("verification", record.verification, media.VERIFICATION)):
        if value not in allowed:
            raise Invalid(f"one of {', '.join(allowed)}", field=field)
    if record.occurred_on and record.occurred_on > record.submitted_on:
        raise Invalid("an alert is submitted after what it reports", field="occurred_on")
    for field, value in (("partner", record.partner), ("summary", record.summary),
                         ("media_actor_type", record.media_actor_type)):
        if not value.strip() or len(value) > MAX_TEXT:
            raise Invalid(f"1 to {MAX_TEXT} characters", field=field)
    with transaction.atomic():
        alert = Alert.objects.create(
            alert_id=surrogates.new_surrogate_id("MF"), country=record.country.upper(),
            submitted_on=record.submitted_on, occurred_on=record.occurred_on,
            violations=sorted(set(record.violations)), coe_categories=categories,
            perpetrator_type=record.perpetrator_type,
            media_actor_type=record.media_actor_type.strip(), severity=record.severity,
            verification=record.verification, partner=record.partner.strip(),
            summary=record.summary.strip(), person=record.person,
            classification=record.classification, owner_affiliation_id=actor.affiliation_id,
            is_exercise=record.is_exercise)
        record_change(actor, "create", alert, None, snapshot(alert))
    return alert


def record_state_reply(actor: User, alert: Alert, *, received_on: date,
                       text: str) -> StateReply:
    """The State's reply, as received (the platform publishes it beside the alert)."""
    if not access.can_edit(actor, alert):
        raise AccessDenied("Only editors of the owner affiliation record replies.")
    if received_on < alert.submitted_on:
        raise Invalid("a reply comes after the alert", field="received_on")
    if not text.strip() or len(text) > MAX_TEXT:
        raise Invalid(f"1 to {MAX_TEXT} characters", field="text")
    if alert.replies.filter(received_on=received_on, text=text.strip()).exists():
        raise Conflict("this reply is recorded already")
    with transaction.atomic():
        reply = StateReply.objects.create(alert=alert, received_on=received_on,
                                          text=text.strip())
        record_change(actor, "reply", alert, None, snapshot(reply))
    return reply


def add_follow_up(actor: User, alert: Alert, *, on: date, note: str) -> FollowUp:
    if not access.can_edit(actor, alert):
        raise AccessDenied("Only editors of the owner affiliation keep the follow-up log.")
    if not note.strip() or len(note) > MAX_TEXT:
        raise Invalid(f"1 to {MAX_TEXT} characters", field="note")
    if on < alert.submitted_on:
        raise Invalid("a follow-up comes after the alert", field="on")
    with transaction.atomic():
        entry = FollowUp.objects.create(alert=alert, on=on, note=note.strip(), author=actor)
        record_change(actor, "followup", alert, None, snapshot(entry))
    return entry
