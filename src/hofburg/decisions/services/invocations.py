"""Recording an invocation of a mechanism that a participating State or a group of participating
States can set in motion alone (the Moscow Mechanism, the Vienna Human Dimension Mechanism, the
Berlin emergency mechanism, the Vienna Document's Chapter III risk reduction, Valletta).

Who may (`permissions.may_record_invocation_by`): editors of a participating State's
delegation, for an invocation their own State took part in, and editors of a Secretariat unit,
for any. The record's `is_exercise` follows the recorder's affiliation: an exercise invocation
names exercise delegations only, a real one participating States of the registry, never a
Partner (`parties.resolve`). The mechanism and the number of States are the engine's to check
(`engine.invocations`) against the data file. The invocation belongs to the recorder's
affiliation, with the distribution the recorder gives it; it is read through `core.access`.

Refusals: `NotAllowed` (403) for who may, with `field="states"` when a delegation names an
invocation its own State did not take part in; `NotFound` (404) for a meeting the recorder may
not see; `Invalid` (422) naming the field for anything else. Nothing is stored on a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from hofburg.core import access, bounds
from hofburg.core.access import AnyUser
from hofburg.core.errors import Invalid, NotAllowed, NotFound
from hofburg.core.models import Affiliation, Classification, User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.decisions import clock, mechanisms, parties, permissions
from hofburg.decisions.clock import VIENNA
from hofburg.decisions.engine import invocations as engine
from hofburg.decisions.models import Body, Invocation, InvokingState, Meeting
from hofburg.decisions.models.mechanisms import MAX_INVOCATION_SUMMARY, MAX_INVOKING_STATES
from hofburg.decisions.parties import Party
from hofburg.registry.models import Confidence

_URL = URLValidator(schemes=["http", "https"])
# What a link would take as its scheme (`https:`, `javascript:`); "Note: ..." is prose.
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:(?!\s)", re.IGNORECASE)


@dataclass(frozen=True)
class InvocationInput:
    """An invocation as recorded: the mechanism's code in the data file, the invoking States'
    codes (ISO alpha-2; exercise delegations' codes in an exercise record), the day, a short
    account, and optionally the body and meeting at which it was raised and its source (a
    document symbol or the address of a public page, with the label of its reference)."""

    mechanism: str
    states: Sequence[str]
    invoked_on: date
    summary: str
    body: str = ""
    meeting: int | None = None
    source: str = ""
    confidence: str = ""
    classification: str = Classification.RESTRICTED


def records_exercise(user: AnyUser) -> bool:
    """Whether the invocations `user` records are exercise records (from their affiliation)."""
    affiliation = getattr(user, "affiliation", None)
    return bool(isinstance(affiliation, Affiliation) and affiliation.is_exercise)


def record_invocation(user: AnyUser, data: InvocationInput) -> Invocation:
    """Record that the States `data.states` invoked `data.mechanism`, for the user's
    affiliation. Checks everything, then stores the invocation and its States in one
    transaction with the audit trail."""
    is_exercise = records_exercise(user)
    if not permissions.may_record_invocations(user, is_exercise=is_exercise):
        raise NotAllowed("Only editors of a participating State's delegation or of a "
                         "Secretariat unit may record an invocation of a mechanism.")
    codes = parties.normalised(data.states, is_exercise=is_exercise)
    mechanism = _mechanism(data.mechanism, codes)
    invoking = parties.resolve(codes, is_exercise=is_exercise, field="states")
    if not permissions.may_record_invocation_by(user, codes, is_exercise=is_exercise):
        raise NotAllowed("A delegation records the invocations its own State took part in: "
                         "name your own State among the invoking States.", field="states")
    meeting = _meeting(user, data.meeting, is_exercise=is_exercise)
    invocation = Invocation(
        mechanism=mechanism, invoked_on=_day(data.invoked_on),
        body=_body(data.body, meeting), meeting=meeting, summary=_summary(data.summary),
        source=_source(data.source), confidence=_confidence(data.confidence, data.source),
        classification=_classification(user, data.classification), is_exercise=is_exercise,
        owner_affiliation=getattr(user, "affiliation", None),
        created_by=user if isinstance(user, User) else None)
    with transaction.atomic():
        invocation.save()
        record_change(user, "create", invocation, None, snapshot(invocation))
        _record_states(user, invocation, invoking)
    return invocation


def _mechanism(code: object, states: Sequence[str]) -> str:
    text = code.strip() if isinstance(code, str) else ""
    try:
        engine.check_invocation(text, states, mechanisms.all_mechanisms(),
                                most=MAX_INVOKING_STATES)
    except engine.InvocationRefused as exc:
        message = exc.message[:1].upper() + exc.message[1:] + "."
        raise Invalid(message, field=exc.field) from exc
    return text


def _meeting(user: AnyUser, pk: int | None, *, is_exercise: bool) -> Meeting | None:
    """The meeting the invocation was raised at, if the user may see it (a hidden one is as
    missing); of the same kind, exercise or real, as the invocation."""
    if pk is None:
        return None
    meeting = access.visible(Meeting.objects.all(), user).filter(pk=pk).first()
    if meeting is None:
        raise NotFound("No such meeting.", field="meeting")
    if meeting.is_exercise != is_exercise:
        raise Invalid("An exercise invocation is raised at an exercise meeting, a real one at "
                      "a real meeting.", field="meeting")
    return meeting


def _day(day: object) -> date:
    today = timezone.localdate(clock.now(), VIENNA)
    if not isinstance(day, date) or not bounds.FIRST_DAY <= day <= today:
        raise Invalid(f"Give the day it was invoked, from {bounds.FIRST_DAY} to today "
                      f"({today}).", field="invoked_on")
    return day


def _body(body: object, meeting: Meeting | None) -> str:
    """The body it was raised in: the meeting's when a meeting is named (a different body is
    refused), else the one given or none."""
    if body not in ("", None, *Body.values):
        raise Invalid(f"Choose one of: {', '.join(Body.values)}, or none.", field="body")
    chosen = str(body or "")
    if meeting is None:
        return chosen
    if chosen and chosen != meeting.body:
        raise Invalid(f"{meeting.journal_symbol} is a meeting of the {meeting.body}, not of "
                      f"the {chosen}.", field="meeting")
    return meeting.body


def _summary(text: object) -> str:
    summary = text.strip() if isinstance(text, str) else ""
    if not summary:
        raise Invalid("Say in a few lines what was invoked, and of whom.", field="summary")
    if len(summary) > MAX_INVOCATION_SUMMARY:
        raise Invalid(f"At most {MAX_INVOCATION_SUMMARY} characters.", field="summary")
    return summary


def _source(text: object) -> str:
    """A document symbol (`PC.DEL/12/26`) or the address of a public page; an address is
    accepted with http or https only, so no other scheme is ever shown as a link."""
    source = text.strip() if isinstance(text, str) else ""
    if len(source) > bounds.MAX_SOURCE_LENGTH:
        raise Invalid(f"At most {bounds.MAX_SOURCE_LENGTH} characters.", field="source")
    if _SCHEME.match(source) or source.lower().startswith("www."):
        try:
            _URL(source)
        except ValidationError as exc:
            raise Invalid("Give a document symbol such as PC.DEL/12/26, or a full web address "
                          "starting with https://.", field="source") from exc
    return source


def _confidence(label: object, source: object) -> str:
    if label in ("", None):
        return ""
    if label not in Confidence.values:
        raise Invalid(f"One of: {', '.join(Confidence.values)}.", field="confidence")
    if not (isinstance(source, str) and source.strip()):
        raise Invalid("A confidence label goes with a source: name it.", field="confidence")
    return str(label)


def _classification(user: AnyUser, value: object) -> str:
    if value not in Classification.values:
        raise Invalid(f"Choose one of: {', '.join(Classification.values)}.",
                      field="classification")
    if value not in access.allowed_classifications(user):
        raise Invalid("You may not give a record this distribution.", field="classification")
    return str(value)


def _record_states(user: AnyUser, invocation: Invocation, invoking: Sequence[Party]) -> None:
    for position, party in enumerate(invoking, start=1):
        row = InvokingState.objects.create(invocation=invocation, position=position,
                                           state=party.state, delegation=party.delegation)
        record_change(user, "create", row, None, snapshot(row))
