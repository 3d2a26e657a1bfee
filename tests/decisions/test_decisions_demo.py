"""The decisions desk's demo: the real records with their sources, and the EXERCISE cycle
replayed through the services — an adoption with an attached statement, a silence broken by an
amendment, one adopted by silence and numbered when announced — loaded once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hofburg.core.models import Affiliation, Role, User
from hofburg.core.services.accounts import ensure_affiliation
from hofburg.decisions.demo import load_decisions_demo
from hofburg.decisions.journal import build_journal
from hofburg.decisions.models import (
    Amendment,
    Attachment,
    Draft,
    Invocation,
    InvokingState,
    Meeting,
    Objection,
    Position,
    Revision,
    Statement,
)
from hofburg.decisions.queries.drafts import draft_state

pytestmark = pytest.mark.django_db

MODELS = (Meeting, Draft, Revision, Amendment, Objection, Attachment, Statement, Position,
          Invocation, InvokingState)


@pytest.fixture
def exercise_world() -> None:
    for code, name, kind in [
        ("exercise-north", "Exercise Delegation North", Affiliation.Kind.DELEGATION),
        ("exercise-south", "Exercise Delegation South", Affiliation.Kind.DELEGATION),
        ("exercise-secretariat", "Exercise Secretariat Unit", Affiliation.Kind.SECRETARIAT_UNIT),
    ]:
        ensure_affiliation(code, name=name, kind=kind, is_exercise=True)
    ensure_affiliation("delegation-ru", name="Delegation of the Russian Federation",
                       kind=Affiliation.Kind.DELEGATION, state_iso2="RU")
    User.objects.create_user("demo-chair", roles=[Role.READER, Role.EDITOR],
                             affiliation=Affiliation.objects.get(code="exercise-secretariat"))


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_cycle_is_replayed_through_the_rules_and_loaded_once(exercise_world: None) -> None:
    load_decisions_demo()
    first = _counts()
    load_decisions_demo()
    assert _counts() == first

    now = timezone.now()
    meetings = list(Meeting.objects.filter(is_exercise=True).order_by("number"))
    assert [m.journal_symbol for m in meetings] == ["PC.JOUR/1", "PC.JOUR/2", "PC.JOUR/3"]
    assert [m.journal_issued_at is not None for m in meetings] == [True, True, False]
    assert all(m.starts_at < now for m in meetings)

    exercise = Draft.objects.filter(is_exercise=True)
    assert exercise.count() == 6 and all(d.symbol for d in exercise)
    water = exercise.get(title__contains="water security")
    assert (water.decision_symbol, water.adopted_by, water.adopted_meeting) == (
        "PC.DEC/1", "meeting", meetings[0])
    assert [r.number for r in water.revisions.all()] == [0, 1, 2]
    assert water.amendments.get().outcome == Amendment.Outcome.TAKEN
    assert water.attachments.get().delegation.code == "exercise-south"

    seminar = exercise.get(title__contains="media freedom")
    assert draft_state(seminar, now).status == "silence_broken"
    assert seminar.objections.get().kind == Objection.Kind.AMENDMENT

    dates = exercise.get(title__contains="exercise conference")
    assert draft_state(dates, now).status == "adopted"
    assert (dates.adopted_by, dates.announced_meeting, dates.decision_symbol) == (
        "silence", meetings[2], "PC.DEC/2")
    assert dates.adopted_at == dates.silence_expires_at
    assert dates.attachments.get().kind == Attachment.Kind.FORMAL_RESERVATION

    still_open = exercise.filter(status=Draft.Status.DRAFT)
    assert sorted(d.body for d in still_open) == ["MC", "MC", "PC"]
    position = Position.objects.get()
    assert position.owner_affiliation.code == "exercise-north"
    assert position.classification == "confidential"

    statements = Statement.objects.filter(meeting=meetings[0]).order_by("id")
    assert [s.speaker_label for s in statements] == ["Exercise Delegation North",
                                                     "Exercise Delegation South"]
    assert set(statements[0].texts) == {"en", "ru"}

    # The real record sits beside the exercise, with its source, numbered apart from it.
    real = Draft.objects.get(is_exercise=False)
    assert real.decision_symbol == "PC.DEC/1307" and real.confidence == "confirmed"


def test_the_journal_of_the_first_exercise_meeting_reads_from_what_was_recorded(
        exercise_world: None) -> None:
    load_decisions_demo()
    meeting = Meeting.objects.get(is_exercise=True, number=1)
    journal = build_journal(meeting, AnonymousUser(), timezone.now())
    lines = [s.line for item in journal.agenda for s in item.statements]
    # South's statement is restricted: the public reads North's only.
    assert len(lines) == 1 and lines[0].startswith("Exercise Delegation North")
    assert [d.decision_symbol for d in journal.decisions] == ["PC.DEC/1"]
    assert journal.heading.startswith("EXERCISE")
    assert "PC.DEC/1" in journal.decisions[0].sentence


def test_the_exercise_invocations_name_the_exercise_delegations_only(
        exercise_world: None) -> None:
    load_decisions_demo()
    load_decisions_demo()
    invocations = list(Invocation.objects.order_by("invoked_on", "id"))
    assert [i.mechanism for i in invocations] == ["vienna_human_dimension", "vd_chapter_iii"]
    assert all(i.is_exercise and i.summary.startswith("EXERCISE") for i in invocations)
    assert [[row.code for row in i.invoking_states.all()] for i in invocations] == [
        ["exercise-north", "exercise-south"], ["exercise-south"]]
    # Never a real State: every row is an exercise delegation, none a registry State.
    assert not InvokingState.objects.filter(state__isnull=False).exists()
    first = Meeting.objects.get(is_exercise=True, number=1)
    assert (invocations[0].meeting, invocations[0].invoked_on) == (first, first.date)
    assert [i.owner_affiliation.code for i in invocations] == ["exercise-north",
                                                               "exercise-south"]
