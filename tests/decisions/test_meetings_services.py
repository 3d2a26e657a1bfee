"""Convening meetings, their agenda and the issue of the journal (decisions.services.meetings)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import AuditEntry
from hofburg.decisions import sequences
from hofburg.decisions.models import AgendaItem, Meeting, Sequence
from hofburg.decisions.services.meetings import (
    add_agenda_item,
    create_meeting,
    ensure_open,
    issue_journal,
)
from tests.conftest import Cast
from tests.decisions.samples_meetings import MEETING_DAY, Chairs, make_chairs

pytestmark = pytest.mark.django_db


@pytest.fixture
def chairs(cast: Cast) -> Chairs:
    return make_chairs(cast)


def test_a_configured_start_continues_the_real_journal_sequence(cast: Cast,
                                                                chairs: Chairs) -> None:
    sequences.set_start("PC", "JOUR", start=1500)
    first = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY)
    second = create_meeting(chairs.secretary, body="PC", date=date(2026, 3, 19))
    assert (first.number, first.journal_symbol) == (1500, "PC.JOUR/1500")
    assert (second.number, second.journal_symbol) == (1501, "PC.JOUR/1501")


def test_the_fsc_counts_its_own_journals(chairs: Chairs) -> None:
    sequences.set_start("PC", "JOUR", start=1500)
    pc = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY)
    fsc = create_meeting(chairs.secretary, body="FSC", date=MEETING_DAY)
    assert pc.journal_symbol == "PC.JOUR/1500"
    assert fsc.journal_symbol == "FSC.JOUR/1"


def test_exercise_meetings_have_their_own_sequence(chairs: Chairs) -> None:
    sequences.set_start("PC", "JOUR", start=1500)
    real = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY)
    exercise = create_meeting(chairs.exercise_secretary, body="PC", date=MEETING_DAY)
    assert real.number == 1500 and not real.is_exercise
    assert exercise.number == 1 and exercise.is_exercise
    assert Sequence.objects.get(body="PC", series="JOUR", is_exercise=True).last == 1


def test_the_meeting_opens_at_ten_vienna_time_by_default(chairs: Chairs) -> None:
    winter = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY)
    summer = create_meeting(chairs.secretary, body="PC", date=date(2026, 7, 2))
    assert winter.starts_at == datetime(2026, 3, 12, 9, 0, tzinfo=UTC)  # CET
    assert summer.starts_at == datetime(2026, 7, 2, 8, 0, tzinfo=UTC)  # CEST


def test_the_chairmanships_delegation_may_convene_in_its_year_only(cast: Cast,
                                                                   chairs: Chairs) -> None:
    meeting = create_meeting(cast.alice, body="PC", date=MEETING_DAY, kind="special",
                             chairperson="Ambassador A. Example")
    assert meeting.owner_affiliation == cast.austria
    assert meeting.kind == Meeting.Kind.SPECIAL
    with pytest.raises(AccessDenied):
        create_meeting(cast.alice, body="PC", date=date(2027, 1, 14))


@pytest.mark.parametrize("who", ["bob", "carol", "nick", "exercise_delegate"])
def test_others_may_not_convene_and_no_number_is_taken(cast: Cast, chairs: Chairs,
                                                       who: str) -> None:
    user = getattr(cast, who, None) or getattr(chairs, who)
    with pytest.raises(AccessDenied):
        create_meeting(user, body="PC", date=MEETING_DAY)
    assert not Meeting.objects.exists()
    assert not Sequence.objects.filter(last__isnull=False).exists()


def test_a_real_chair_may_not_convene_an_exercise_and_no_one_unknown_bodies(
        chairs: Chairs) -> None:
    with pytest.raises(Invalid) as refused:
        create_meeting(chairs.secretary, body="NATO", date=MEETING_DAY)
    assert refused.value.field == "body"
    with pytest.raises(Invalid) as refused:
        create_meeting(chairs.secretary, body="PC", date=MEETING_DAY, kind="informal")
    assert refused.value.field == "kind"
    with pytest.raises(Invalid) as refused:
        create_meeting(chairs.secretary, body="SUMMIT", date=MEETING_DAY)
    assert refused.value.field == "body"
    with pytest.raises(Invalid) as refused:
        create_meeting(chairs.secretary, body="PC", date=MEETING_DAY,
                       starts_at=datetime(2026, 3, 13, 10, 0, tzinfo=UTC))
    assert refused.value.field == "starts_at"
    assert not Meeting.objects.exists()


def test_a_number_already_held_is_a_conflict_and_gives_nothing_away(chairs: Chairs) -> None:
    Meeting.objects.create(body="PC", number=1, date=MEETING_DAY,
                           starts_at=datetime(2026, 3, 12, 9, tzinfo=UTC),
                           journal_symbol="PC.JOUR/1", classification="public")
    with pytest.raises(Conflict):
        create_meeting(chairs.secretary, body="PC", date=MEETING_DAY)
    assert Meeting.objects.count() == 1
    assert not Sequence.objects.filter(last__isnull=False).exists()


def test_agenda_items_are_numbered_per_meeting_and_audited(chairs: Chairs) -> None:
    first = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY)
    other = create_meeting(chairs.secretary, body="FSC", date=MEETING_DAY)
    one = add_agenda_item(chairs.secretary, first, "Review of current issues")
    two = add_agenda_item(chairs.secretary, first, "  Any other business ")
    again = add_agenda_item(chairs.secretary, other, "General statements")
    assert [one.number, two.number, again.number] == [1, 2, 1]
    assert two.title == "Any other business"
    assert AuditEntry.objects.filter(model_label="decisions.AgendaItem").count() == 3
    assert AuditEntry.objects.filter(model_label="decisions.Meeting", action="create").count() == 2


def test_only_the_chair_adds_agenda_items(cast: Cast, chairs: Chairs) -> None:
    meeting = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY)
    with pytest.raises(AccessDenied):
        add_agenda_item(cast.bob, meeting, "Bob's item")
    with pytest.raises(AccessDenied):
        add_agenda_item(chairs.exercise_secretary, meeting, "An exercise item")
    with pytest.raises(Invalid):
        add_agenda_item(chairs.secretary, meeting, "   ")
    assert not AgendaItem.objects.exists()


def test_issuing_twice_is_a_conflict_and_closes_the_meeting(chairs: Chairs) -> None:
    meeting = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY)
    add_agenda_item(chairs.secretary, meeting, "Review of current issues")
    issued = issue_journal(chairs.secretary, meeting)
    assert issued.journal_issued_at is not None
    with pytest.raises(Conflict) as refused:
        issue_journal(chairs.secretary, meeting)
    assert refused.value.status == 409
    with pytest.raises(Conflict):
        add_agenda_item(chairs.secretary, meeting, "Too late")
    with pytest.raises(Conflict):
        ensure_open(Meeting.objects.get(pk=meeting.pk))
    assert meeting.agenda_items.count() == 1
    assert AuditEntry.objects.filter(action="issue").count() == 1


def test_a_stale_meeting_object_still_sees_the_issued_journal(chairs: Chairs) -> None:
    meeting = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY)
    stale = Meeting.objects.get(pk=meeting.pk)
    issue_journal(chairs.secretary, meeting)
    with pytest.raises(Conflict):
        add_agenda_item(chairs.secretary, stale, "Added from an old page")
    with pytest.raises(Conflict):
        issue_journal(chairs.secretary, stale)


def test_only_the_chair_issues(cast: Cast, chairs: Chairs) -> None:
    meeting = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY)
    with pytest.raises(AccessDenied):
        issue_journal(cast.bob, meeting)
    meeting.refresh_from_db()
    assert meeting.journal_issued_at is None
