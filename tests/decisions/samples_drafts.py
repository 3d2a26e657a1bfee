"""Drafts and decisions for tests: the people who act on them, meetings, a sample for the
schema run.

The cast of tests/conftest.py is joined by a Chair (`sam`, an editor in the Secretariat), a
Partner's delegation (`jun`, Japan) and an exercise Chair and delegation. The registry holds
the participating States and Partners the delegations stand for. Times follow the `clock`
fixture (2027-01-15 08:00 UTC): meetings open before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from hofburg.core.models import Affiliation, Classification, Role, User
from hofburg.decisions import sequences
from hofburg.decisions.models import Meeting
from hofburg.decisions.services import decide
from hofburg.decisions.services.drafts import DraftInput, RevisionInput, add_revision, table_draft
from hofburg.registry.models import ParticipatingState, Partner
from tests.conftest import PASSWORD, Cast


@dataclass
class Desk:
    cast: Cast
    chair: User  # sam: Secretariat editor, chairs real records
    partner: User  # jun: editor of Japan's delegation (a Partner for Co-operation)
    exercise_chair: User
    exercise_north: User
    exercise_south: User


def _user(username: str, affiliation: Affiliation, roles: list[str]) -> User:
    return User.objects.create_user(username=username, password=PASSWORD,
                                    affiliation=affiliation, roles=roles)


def _affiliation(code: str, name: str, kind: str, *, iso2: str = "",
                 exercise: bool = False) -> Affiliation:
    affiliation, _created = Affiliation.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "state_iso2": iso2,
                             "is_exercise": exercise})
    return affiliation


def make_desk(cast: Cast) -> Desk:
    """The registry's States and Partner, the Chair, a Partner's and exercise accounts."""
    for iso2, iso3, numeric, name in (("AT", "AUT", "040", "Austria"),
                                      ("FI", "FIN", "246", "Finland")):
        ParticipatingState.objects.get_or_create(
            iso2=iso2, defaults={"iso3": iso3, "numeric": numeric, "joined": date(1973, 6, 25),
                                 "names": {"en": name}, "source": "test"})
    Partner.objects.get_or_create(
        iso2="JP", defaults={"iso3": "JPN", "numeric": "392", "group": Partner.Group.ASIAN,
                             "since": "1992", "names": {"en": "Japan"}, "source": "test"})
    japan = _affiliation("delegation-jp", "Delegation of Japan", Affiliation.Kind.DELEGATION,
                         iso2="JP")
    secretariat = _affiliation("exercise-secretariat", "EXERCISE Secretariat",
                               Affiliation.Kind.SECRETARIAT_UNIT, exercise=True)
    north = _affiliation("exercise-north", "EXERCISE Northland", Affiliation.Kind.DELEGATION,
                         exercise=True)
    south = _affiliation("exercise-south", "EXERCISE Southland", Affiliation.Kind.DELEGATION,
                         exercise=True)
    editor = [Role.READER, Role.EDITOR]
    return Desk(
        cast=cast,
        chair=_user("sam", cast.cpc, editor),
        partner=_user("jun", japan, editor),
        exercise_chair=_user("exercise-chair", secretariat, editor),
        exercise_north=_user("exercise-north-editor", north, editor),
        exercise_south=_user("exercise-south-editor", south, editor),
    )


def make_meeting(number: int, *, body: str = "PC", starts_at: datetime | None = None,
                 is_exercise: bool = False,
                 classification: str = Classification.RESTRICTED,
                 owner: Affiliation | None = None) -> Meeting:
    """A plenary meeting that opened an hour ago (or at `starts_at`)."""
    opens = starts_at or timezone.now() - timedelta(hours=1)
    prefix = {"PC": "PC", "FSC": "FSC", "MC": "MC"}[body]
    return Meeting.objects.create(
        body=body, number=number, date=timezone.localdate(opens), starts_at=opens,
        journal_symbol=f"{prefix}.JOUR/{number}", is_exercise=is_exercise,
        classification=classification, owner_affiliation=owner)


def store_drafts_sample(cast: Cast) -> None:
    """For the schema run: a draft with a revision, a decision adopted at a meeting with a
    statement attached, and a draft under silence."""
    desk = make_desk(cast)
    with transaction.atomic():
        sequences.set_start("PC", "DEC", start=1308)
    meeting = make_meeting(1400)
    draft = table_draft(desk.chair, DraftInput(body="PC", title="Sample decision",
                                               text="The Permanent Council decides.",
                                               language="en"))
    add_revision(desk.chair, draft, RevisionInput(text="The Permanent Council decides today."))
    decide.adopt(desk.chair, draft, meeting)
    decide.attach_statement(cast.alice, draft, "interpretative_statement", "We read it so.")
    other = table_draft(desk.chair, DraftInput(body="PC", title="Sample under silence",
                                               text="The Permanent Council notes.",
                                               language="en"))
    decide.place_under_silence(desk.chair, other, meeting,
                               timezone.now() + timedelta(days=3))
