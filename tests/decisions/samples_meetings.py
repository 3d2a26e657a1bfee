"""Meetings and what is recorded at them, for the meetings and journal tests and the API's
schema run.

The drafts' and statements' own services are another part of the desk: here their rows are
made with the ORM, as those services would leave them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from hofburg.core.models import Affiliation, Classification, Role, User
from hofburg.decisions.models import (
    AgendaItem,
    Attachment,
    Draft,
    Meeting,
    Revision,
    SilencePlacement,
    Statement,
)
from hofburg.registry.models import Chairmanship, ParticipatingState
from tests.conftest import PASSWORD, Cast

CHAIR_YEAR = 2026
MEETING_DAY = date(2026, 3, 12)  # a Thursday


def _state(iso2: str, iso3: str, numeric: str, name: str) -> ParticipatingState:
    state, _created = ParticipatingState.objects.get_or_create(
        iso2=iso2, defaults={"iso3": iso3, "numeric": numeric, "joined": date(1973, 6, 25),
                             "names": {"en": name}, "source": "test"})
    return state


def make_austria_chair(year: int = CHAIR_YEAR) -> None:
    """Austria holds the Chairpersonship in `year`: the cast's alice chairs then."""
    austria = _state("AT", "AUT", "040", "Austria")
    Chairmanship.objects.get_or_create(year=year, defaults={"state": austria, "source": "test"})


@dataclass
class Chairs:
    """Who may and may not chair, beside the cast."""

    secretary: User  # an editor in a (real) Secretariat unit
    exercise_secretary: User  # an editor in the exercise Secretariat
    exercise_delegate: User  # an editor of an exercise delegation
    exercise_north: Affiliation


def make_chairs(cast: Cast) -> Chairs:
    make_austria_chair()
    secretariat = Affiliation.objects.get_or_create(
        code="exercise-secretariat", defaults={"name": "Exercise Secretariat",
                                               "kind": Affiliation.Kind.SECRETARIAT_UNIT,
                                               "is_exercise": True})[0]
    north = Affiliation.objects.get_or_create(
        code="exercise-north", defaults={"name": "Exercise North", "is_exercise": True,
                                         "kind": Affiliation.Kind.DELEGATION})[0]
    return Chairs(
        secretary=User.objects.create_user("sam", password=PASSWORD, affiliation=cast.cpc,
                                           roles=[Role.READER, Role.EDITOR]),
        exercise_secretary=User.objects.create_user(
            "xena", password=PASSWORD, affiliation=secretariat, roles=[Role.READER, Role.EDITOR]),
        exercise_delegate=User.objects.create_user(
            "nora", password=PASSWORD, affiliation=north, roles=[Role.READER, Role.EDITOR]),
        exercise_north=north,
    )


def add_statement(meeting: Meeting, item: AgendaItem | None, delegation: Affiliation, *,
                  speaker: str, classification: str = Classification.PUBLIC,
                  alignment_note: str = "", aligned: list[str] | None = None,
                  symbol: str = "") -> Statement:
    return Statement.objects.create(
        body=meeting.body, meeting=meeting, agenda_item=item, delegation=delegation,
        speaker_label=speaker, alignment_note=alignment_note, aligned=aligned or [],
        symbol=symbol, delivered_on=meeting.date, original_language="en",
        texts={"en": f"Statement by {speaker}."}, classification=classification,
        owner_affiliation=delegation, is_exercise=meeting.is_exercise)


def add_decision(meeting: Meeting, *, number: int, title: str, text: str,
                 classification: str = Classification.PUBLIC,
                 owner: Affiliation | None = None) -> Draft:
    """A draft adopted at `meeting` as decision `number` of its body (sequential series)."""
    draft = Draft.objects.create(
        body=meeting.body, number=number, year=meeting.date.year,
        symbol=f"{meeting.body}.DD/{number}/{meeting.date.year % 100:02d}", title=title,
        status=Draft.Status.ADOPTED, adopted_by=Draft.AdoptedBy.MEETING,
        adopted_at=meeting.starts_at, adopted_meeting=meeting, decision_number=number,
        decision_symbol=f"{meeting.body}.DEC/{number}", classification=classification,
        owner_affiliation=owner, is_exercise=meeting.is_exercise)
    Revision.objects.create(draft=draft, number=0, symbol=draft.symbol, original_language="en",
                            texts={"en": text})
    return draft


def attach(draft: Draft, delegation: Affiliation, *, number: int, text: str,
           kind: str = Attachment.Kind.INTERPRETATIVE_STATEMENT) -> Attachment:
    return Attachment.objects.create(draft=draft, number=number, kind=kind,
                                     delegation=delegation, text=text,
                                     made_at=draft.adopted_at or datetime.now(UTC))


def place_under_silence(meeting: Meeting, *, number: int, title: str, interim: str,
                        later_text: str = "") -> Draft:
    """A draft placed under silence at `meeting`, expiring a week later at noon UTC; a
    revision made after the placement (`later_text`) is not the interim text."""
    expires = meeting.starts_at + timedelta(days=7)
    draft = Draft.objects.create(
        body=meeting.body, number=number, year=meeting.date.year,
        symbol=f"{meeting.body}.DD/{number}/{meeting.date.year % 100:02d}", title=title,
        status=Draft.Status.UNDER_SILENCE, silence_meeting=meeting,
        silence_placed_at=meeting.starts_at + timedelta(hours=1), silence_expires_at=expires,
        classification=Classification.PUBLIC, is_exercise=meeting.is_exercise)
    SilencePlacement.objects.create(draft=draft, meeting=meeting,
                                    placed_at=draft.silence_placed_at, expires_at=expires)
    first = Revision.objects.create(draft=draft, number=0, symbol=draft.symbol,
                                    original_language="en", texts={"en": interim})
    Revision.objects.filter(pk=first.pk).update(created_at=meeting.starts_at)
    if later_text:
        Revision.objects.create(draft=draft, number=1, symbol=f"{draft.symbol}/Rev.1",
                                original_language="en", texts={"en": later_text})
    return draft


def store_meetings_sample(cast: Cast) -> Meeting:
    """A public PC meeting with an agenda, a statement and a decision with an attachment
    (the schema run's data for the meetings and journal endpoints). Alice chairs."""
    from hofburg.decisions.services.meetings import add_agenda_item, create_meeting

    make_austria_chair()
    meeting = create_meeting(cast.alice, body="PC", date=MEETING_DAY, chairperson="Chair")
    item = add_agenda_item(cast.alice, meeting, "Review of current issues")
    add_statement(meeting, item, cast.finland, speaker="Finland", symbol="PC.DEL/1/26")
    decision = add_decision(meeting, number=1, title="Decision on the agenda of the year",
                            text="The Permanent Council decides ...")
    attach(decision, cast.finland, number=1, text="Finland reads the decision as ...")
    return meeting
