"""A delegation's position tracker: written by its editors, read by its members, unknown to
everyone else."""

from __future__ import annotations

from datetime import date

import pytest

from hofburg.core import access
from hofburg.core.errors import Invalid, NotAllowed, NotFound
from hofburg.core.models import AuditEntry, Classification
from hofburg.decisions.models import Position, Stance
from hofburg.decisions.queries.positions import my_positions, position_for
from hofburg.decisions.services.positions import record_stance, report_outcome, set_instruction
from hofburg.registry.models import ParticipatingState
from tests.conftest import Cast
from tests.decisions.samples_statements import Delegates, delegates, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast: Cast) -> Delegates:
    ParticipatingState.objects.create(iso2="AT", iso3="AUT", numeric="040",
                                      joined=date(1973, 6, 25), names={"en": "Austria"})
    return delegates(cast)


def _instruct(cast: Cast, subject: object) -> Position:
    return set_instruction(cast.alice, subject, instruction="Join consensus if para 3 stays.",  # type: ignore[arg-type]
                           red_lines="No new budget lines.", received_on=date(2026, 3, 1))


def test_the_cable_workflow_instruction_stance_outcome(cast: Cast, people: Delegates) -> None:
    subject = draft()
    position = _instruct(cast, subject)
    record_stance(cast.alice, subject, 0, "reserve", "Para 3 was dropped.")
    record_stance(cast.alice, subject, 1, "accept", "Para 3 is back.")
    report_outcome(cast.alice, subject, "joined_with_statement", "Attached a statement.")

    position.refresh_from_db()
    assert position.classification == Classification.CONFIDENTIAL
    assert position.owner_affiliation == cast.austria
    assert not position.shared_with.exists()
    assert position.red_lines == "No new budget lines."
    assert [(s.revision.number, s.stance) for s in position.stances.all()] == [
        (0, "reserve"), (1, "accept")]
    assert position.outcome == "joined_with_statement"
    assert Position.objects.count() == 1


def test_a_second_stance_on_a_revision_replaces_the_first(cast: Cast, people: Delegates) -> None:
    subject = draft()
    record_stance(cast.alice, subject, 1, "oppose")
    record_stance(cast.alice, subject, 1, "support", "Capital changed its mind.")
    assert list(Stance.objects.values_list("stance", "note")) == [
        ("support", "Capital changed its mind.")]


def test_each_delegation_keeps_its_own_position(cast: Cast, people: Delegates) -> None:
    subject = draft()
    _instruct(cast, subject)
    set_instruction(cast.bob, subject, instruction="Object.", red_lines="", received_on=None)

    mine = position_for(cast.alice, subject)
    assert mine is not None and mine.instruction.startswith("Join")
    theirs = position_for(cast.bob, subject)
    assert theirs is not None and theirs.instruction == "Object."
    assert position_for(people.anna, subject) == mine  # a reader of the same delegation


@pytest.mark.parametrize("who", ["carol", "dora", "mona", "nick", "sam"])
def test_nobody_outside_the_delegation_learns_it_exists(cast: Cast, people: Delegates,
                                                        who: str) -> None:
    subject = draft(classification=Classification.PUBLIC)
    _instruct(cast, subject)
    user = getattr(people, who, None) or getattr(cast, who)

    assert position_for(user, subject) is None
    assert not my_positions(user).exists()
    assert not access.visible(Position.objects.all(), user).exists()


def test_only_a_delegations_editors_write_its_position(cast: Cast, people: Delegates) -> None:
    subject = draft()
    for user in (people.anna, people.sam, cast.carol, cast.dora, cast.mona):
        with pytest.raises(NotAllowed):
            set_instruction(user, subject, instruction="x", red_lines="", received_on=None)
    assert not Position.objects.exists()


def test_a_draft_the_delegation_may_not_see_is_missing(cast: Cast, people: Delegates) -> None:
    hidden = draft(classification=Classification.CONFIDENTIAL, owner=cast.cpc)
    with pytest.raises(NotFound):
        _instruct(cast, hidden)
    with pytest.raises(NotFound):
        record_stance(cast.alice, hidden, 0, "support")
    with pytest.raises(NotFound):
        report_outcome(cast.alice, hidden, "joined")
    assert not Position.objects.exists()


def test_exercise_drafts_are_followed_by_exercise_delegations(cast: Cast,
                                                              people: Delegates) -> None:
    exercise = draft(is_exercise=True)
    with pytest.raises(NotAllowed):
        _instruct(cast, exercise)
    position = set_instruction(people.nora, exercise, instruction="Exercise instruction.",
                               red_lines="", received_on=None)
    assert position.owner_affiliation == people.north


@pytest.mark.parametrize(("call", "field"), [
    (lambda c, d: record_stance(c.alice, d, 7, "support"), "revision"),
    (lambda c, d: record_stance(c.alice, d, 0, "abstain"), "stance"),
    (lambda c, d: report_outcome(c.alice, d, "vetoed"), "outcome"),
    (lambda c, d: set_instruction(c.alice, d, instruction="x" * 20_001, red_lines="",
                                  received_on=None), "instruction"),
    (lambda c, d: set_instruction(c.alice, d, instruction="", red_lines="",
                                  received_on=date(2999, 1, 1)), "received_on"),
])
def test_bad_input_is_refused_having_stored_nothing(cast: Cast, people: Delegates,
                                                   call: object, field: str) -> None:
    subject = draft()
    with pytest.raises(Invalid) as refused:
        call(cast, subject)  # type: ignore[operator]
    assert refused.value.field == field
    assert not Position.objects.exists() and not AuditEntry.objects.exists()


def test_a_partner_does_not_report_an_objection(cast: Cast, people: Delegates) -> None:
    subject = draft()
    with pytest.raises(Invalid):
        report_outcome(people.jun, subject, "objected")
    assert report_outcome(people.jun, subject, "joined").outcome == "joined"
    assert report_outcome(cast.alice, subject, "objected").outcome == "objected"


def test_every_change_is_audited_on_the_position_and_withheld_from_others(
        cast: Cast, people: Delegates) -> None:
    subject = draft()
    position = _instruct(cast, subject)
    record_stance(cast.alice, subject, 1, "oppose", "Red line crossed.")
    report_outcome(cast.alice, subject, "objected")

    entries = list(AuditEntry.objects.all())
    assert {e.model_label for e in entries} == {"decisions.Position"}
    assert [e.action for e in reversed(entries)] == ["create", "update", "update"]
    assert any((e.after or {}).get("stance", {}).get("stance") == "oppose" for e in entries)
    assert access.audit_details_visible(cast.dora, entries) == set()
    assert access.audit_details_visible(people.sam, entries) == set()
    assert access.audit_details_visible(people.anna, entries) == {e.pk for e in entries}
    # Deleted with its draft, the position's snapshot still withholds it.
    position.draft.delete()
    assert access.audit_details_visible(cast.dora, entries) == set()
    assert access.audit_details_visible(people.anna, entries) == {e.pk for e in entries}


def test_my_positions_lists_the_delegations_own_on_drafts_it_sees(cast: Cast,
                                                                  people: Delegates) -> None:
    first, second = draft(1), draft(2)
    _instruct(cast, first)
    report_outcome(cast.alice, second, "open")
    set_instruction(cast.bob, first, instruction="Finland's.", red_lines="", received_on=None)

    assert {p.draft_id for p in my_positions(people.anna)} == {first.pk, second.pk}
    # The draft becomes hidden to Austria: its position leaves the list.
    second.classification, second.owner_affiliation = Classification.CONFIDENTIAL, cast.cpc
    second.save()
    assert [p.draft_id for p in my_positions(cast.alice)] == [first.pk]
    assert position_for(cast.alice, second) is None
