"""Records the statements and positions tests stand on, written straight to the database
(meetings and drafts have their own services, tested elsewhere), and the sample the API
schema run stores.

The cast of `tests.conftest` is joined by: sam, an editor in the Secretariat (the Conflict
Prevention Centre: he may chair); anna, a reader in Austria's delegation; jun, an editor in the
delegation of a Partner for Co-operation (Japan); and the exercise delegations North and South.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from hofburg.core.models import Affiliation, Classification, Role, User
from hofburg.decisions.models import Draft, Meeting, Revision, Statement
from hofburg.decisions.services.positions import record_stance, set_instruction
from hofburg.decisions.services.statements import StatementInput, record_statement
from tests.conftest import Cast


@dataclass
class Delegates:
    sam: User
    anna: User
    jun: User
    japan: Affiliation
    north: Affiliation
    south: Affiliation
    nora: User  # editor, exercise North
    otto: User  # editor, exercise South
    xena: User  # editor, exercise Secretariat


def delegates(cast: Cast) -> Delegates:
    japan = Affiliation.objects.create(code="delegation-jp", name="Delegation of Japan",
                                       kind=Affiliation.Kind.DELEGATION, state_iso2="JP")
    north = Affiliation.objects.create(code="exercise-north", name="Exercise Delegation North",
                                       kind=Affiliation.Kind.DELEGATION, is_exercise=True)
    south = Affiliation.objects.create(code="exercise-south", name="Exercise Delegation South",
                                       kind=Affiliation.Kind.DELEGATION, is_exercise=True)
    secretariat = Affiliation.objects.create(
        code="exercise-secretariat", name="Exercise Secretariat Unit",
        kind=Affiliation.Kind.SECRETARIAT_UNIT, is_exercise=True)
    editor = [Role.READER, Role.EDITOR]
    return Delegates(
        sam=User.objects.create_user("sam", affiliation=cast.cpc, roles=editor),
        anna=User.objects.create_user("anna", affiliation=cast.austria, roles=[Role.READER]),
        jun=User.objects.create_user("jun", affiliation=japan, roles=editor),
        japan=japan, north=north, south=south,
        nora=User.objects.create_user("nora", affiliation=north, roles=editor),
        otto=User.objects.create_user("otto", affiliation=south, roles=editor),
        xena=User.objects.create_user("xena", affiliation=secretariat, roles=editor),
    )


def meeting(number: int = 1500, *, day: date = date(2026, 3, 5), body: str = "PC",
            classification: str = Classification.RESTRICTED, owner: Affiliation | None = None,
            is_exercise: bool = False, items: int = 3) -> Meeting:
    prefix = f"{body}.JOUR"
    created = Meeting.objects.create(
        body=body, number=number, date=day, classification=classification,
        owner_affiliation=owner, is_exercise=is_exercise,
        starts_at=datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC),
        journal_symbol=f"{prefix}/{number}")
    for n in range(1, items + 1):
        created.agenda_items.create(number=n, title=f"Agenda item {n}")
    return created


def draft(number: int = 1, *, classification: str = Classification.RESTRICTED,
          owner: Affiliation | None = None, is_exercise: bool = False,
          revisions: int = 2, title: str = "Draft decision on water security") -> Draft:
    created = Draft.objects.create(
        body="PC", number=number, year=26, symbol=f"PC.DD/{number}/26", title=title,
        classification=classification, owner_affiliation=owner, is_exercise=is_exercise)
    for n in range(revisions):
        Revision.objects.create(
            draft=created, number=n, symbol=created.symbol + (f"/Rev.{n}" if n else ""),
            original_language="en", texts={"en": f"Text of revision {n}."})
    return created


def statement_input(**changes: object) -> StatementInput:
    values: dict[str, object] = {
        "body": "PC", "original_language": "en", "delivered_on": date(2026, 3, 5),
        "texts": {"en": "We welcome the ceasefire and call for the withdrawal of heavy weapons."},
        "classification": Classification.PUBLIC, "title": "On the situation in the region",
    }
    values.update(changes)
    return StatementInput(**values)  # type: ignore[arg-type]


def store_statements_sample(cast: Cast) -> Statement:
    """A public, distributed statement of Austria and Austria's position on a public draft,
    for the API schema run (whose token is alice's)."""
    statement = record_statement(cast.alice, statement_input(distribute=True))
    sample = draft(number=90, classification=Classification.PUBLIC)
    set_instruction(cast.alice, sample, instruction="Join consensus.", red_lines="No new money.",
                    received_on=date(2026, 3, 1))
    record_stance(cast.alice, sample, 1, "accept", "Rev.1 meets the red lines.")
    return statement
