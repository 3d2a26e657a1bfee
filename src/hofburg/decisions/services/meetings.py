"""Meetings of a body, their agenda and the issue of their journal of the day.

Only the Chair may act (`permissions.may_chair`: editors of the Chairmanship's delegation for
the meeting's year, or of the Secretariat; exercise meetings by exercise Secretariat units).
A meeting's plenary number is the next of its body's `JOUR` series (`PC.JOUR/N`,
osce-organization.md §1.8), taken inside the service's transaction so that a refused meeting
gives no number away. Once the journal is issued the meeting is closed: nothing more is added
to it (`ensure_open`, which the desk's other services call before recording anything at a
meeting).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hofburg.core import bounds
from hofburg.core.access import AccessDenied, AnyUser, allowed_classifications
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import Affiliation, User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.decisions import clock, permissions, sequences
from hofburg.decisions.models import AgendaItem, Body, Meeting

# A plenary opens at 10:00 in Vienna unless the Chair says otherwise (the PC meets on Thursday
# mornings, osce-organization.md §1.9); silence placed at the meeting counts from its opening.
DEFAULT_OPENING = time(10, 0)


def default_opening(on: date) -> datetime:
    """10:00 Vienna time on `on`, as an aware datetime (CET or CEST as the day has it)."""
    return datetime.combine(on, DEFAULT_OPENING, tzinfo=clock.VIENNA)


def _is_exercise(user: AnyUser) -> bool:
    affiliation = getattr(user, "affiliation", None)
    return bool(isinstance(affiliation, Affiliation) and affiliation.is_exercise)


def _require_chair(user: AnyUser, *, on: date, is_exercise: bool) -> None:
    if not permissions.may_chair(user, on=on, is_exercise=is_exercise):
        raise AccessDenied("Only the Chair (editors of the Chairmanship's delegation or of the "
                           "Secretariat) may do this.")


def ensure_open(meeting: Meeting) -> None:
    """Refuse (409) to add anything to a meeting whose journal has been issued, here or, for a
    real meeting copied from a public source, by the OSCE (`Meeting.journal_closed`)."""
    if meeting.journal_closed:
        raise Conflict(f"The journal {meeting.journal_symbol} has been issued: nothing more "
                       "may be added to this meeting.", field="meeting")


def _check_meeting_input(*, body: str, on: date, kind: str, starts_at: datetime | None,
                         chairperson: str, classification: str, user: AnyUser) -> None:
    if body not in Body.values:
        raise Invalid(f"Unknown body {body!r}.", field="body")
    if not bounds.FIRST_DAY <= on <= bounds.LAST_DAY:
        raise Invalid(f"The date must lie between {bounds.FIRST_DAY} and {bounds.LAST_DAY}.",
                      field="date")
    if kind not in Meeting.Kind.values:
        raise Invalid(f"Unknown kind of meeting {kind!r}.", field="kind")
    if starts_at is not None and timezone.is_naive(starts_at):
        raise Invalid("The opening time needs a time zone offset.", field="starts_at")
    if starts_at is not None and starts_at.astimezone(clock.VIENNA).date() != on:
        raise Invalid("The meeting must open on its own date (Vienna time).", field="starts_at")
    if len(chairperson) > bounds.MAX_CHAIRPERSON_LENGTH:
        raise Invalid(f"At most {bounds.MAX_CHAIRPERSON_LENGTH} characters.",
                      field="chairperson")
    if classification not in allowed_classifications(user):
        raise Invalid(f"Unknown or not allowed classification {classification!r}.",
                      field="classification")


def create_meeting(user: AnyUser, *, body: str, date: date, kind: str = "regular",
                   starts_at: datetime | None = None, chairperson: str = "",
                   classification: str = "public") -> Meeting:
    """Convene a plenary meeting of `body` on `date`; its number and journal symbol are the
    next of the body's JOUR series (exercise meetings count in a series of their own).

    `starts_at` defaults to 10:00 Vienna time on `date` (`default_opening`). The meeting
    belongs to the Chair's affiliation. A body without a journal series (the Summit) is
    refused with `Invalid(field="body")`.
    """
    is_exercise = _is_exercise(user)
    _require_chair(user, on=date, is_exercise=is_exercise)
    chairperson = chairperson.strip()
    _check_meeting_input(body=body, on=date, kind=kind, starts_at=starts_at,
                         chairperson=chairperson, classification=classification, user=user)
    with transaction.atomic():
        number, symbol = sequences.allocate(body, "JOUR", on=date, is_exercise=is_exercise)
        if Meeting.objects.filter(body=body, number=number, is_exercise=is_exercise).exists():
            raise Conflict(f"A meeting {symbol} is already recorded: set the series' start "
                           "above it.", field="body")
        meeting = Meeting.objects.create(
            body=body, number=number, kind=kind, date=date,
            starts_at=starts_at or default_opening(date), journal_symbol=symbol,
            chairperson=chairperson, classification=classification,
            owner_affiliation=getattr(user, "affiliation", None), is_exercise=is_exercise,
            created_by=user if isinstance(user, User) else None,
        )
        record_change(user, "create", meeting, None, snapshot(meeting))
    return meeting


def add_agenda_item(user: AnyUser, meeting: Meeting, title: str) -> AgendaItem:
    """Add the next item (1, 2, ...) to the meeting's agenda."""
    _require_chair(user, on=meeting.date, is_exercise=meeting.is_exercise)
    title = title.strip()
    if not title:
        raise Invalid("An agenda item needs a title.", field="title")
    if len(title) > bounds.MAX_AGENDA_TITLE_LENGTH:
        raise Invalid(f"At most {bounds.MAX_AGENDA_TITLE_LENGTH} characters.", field="title")
    with transaction.atomic():
        # The meeting row, locked, orders concurrent additions and shows a journal issued
        # in the meantime.
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        ensure_open(locked)
        last = locked.agenda_items.aggregate(last=Max("number"))["last"] or 0
        item = AgendaItem.objects.create(meeting=locked, number=last + 1, title=title)
        record_change(user, "create", item, None, snapshot(item))
    return item


def issue_journal(user: AnyUser, meeting: Meeting) -> Meeting:
    """Issue the meeting's journal of the day: from now on the meeting is closed.

    A journal is issued once; a second issue is a `Conflict` (409)."""
    _require_chair(user, on=meeting.date, is_exercise=meeting.is_exercise)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.journal_closed:
            raise Conflict(f"The journal {locked.journal_symbol} has already been issued.",
                           field="meeting")
        before = snapshot(locked)
        locked.journal_issued_at = clock.now()
        locked.save(update_fields=["journal_issued_at"])
        record_change(user, "issue", locked, before, snapshot(locked))
    meeting.journal_issued_at = locked.journal_issued_at
    return locked
