"""Recording an invocation of a mechanism States invoke alone: who may (a delegation for its own
State, the Secretariat for any), which States may be named (participating States of the
registry, exercise delegations in an exercise), and what is refused, with nothing stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from time_machine import TimeMachineFixture

from hofburg.core.errors import Invalid, NotAllowed, NotFound
from hofburg.core.models import AuditEntry, Classification
from hofburg.decisions.models import Invocation, InvokingState
from tests.conftest import Cast
from tests.decisions.samples_drafts import make_meeting
from tests.decisions.samples_invocations import Desk, an_invocation, make_desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(cast: Cast, clock: TimeMachineFixture) -> Desk:
    return make_desk(cast)


def _nothing_stored() -> None:
    assert Invocation.objects.count() == 0
    assert InvokingState.objects.count() == 0


def test_a_delegation_records_an_invocation_its_own_state_took_part_in(desk: Desk) -> None:
    meeting = make_meeting(1400)
    invocation = an_invocation(desk.cast.alice, states=["at", "FI"], meeting=meeting.pk,
                               source="https://www.osce.org/odihr/moscow-mechanism")
    stored = Invocation.objects.get()
    assert stored == invocation
    assert [row.code for row in stored.invoking_states.all()] == ["AT", "FI"]
    assert [row.name for row in stored.invoking_states.all()] == ["Austria", "Finland"]
    assert (stored.mechanism, stored.body, stored.meeting) == ("moscow", "PC", meeting)
    assert stored.owner_affiliation == desk.cast.austria
    assert stored.created_by == desk.cast.alice and not stored.is_exercise
    labels = list(AuditEntry.objects.order_by("id").values_list("model_label", flat=True))
    assert labels == ["decisions.Invocation", "decisions.InvokingState",
                      "decisions.InvokingState"]


def test_a_delegation_may_not_record_an_invocation_without_its_own_state(desk: Desk) -> None:
    with pytest.raises(NotAllowed) as refused:
        an_invocation(desk.cast.bob, states=["AT"])
    assert refused.value.field == "states"
    assert "your own State" in refused.value.message
    _nothing_stored()


def test_the_secretariat_records_an_invocation_by_any_state(desk: Desk) -> None:
    invocation = an_invocation(desk.chair, states=["FI"], mechanism="valletta")
    assert invocation.owner_affiliation == desk.cast.cpc
    assert [row.code for row in invocation.invoking_states.all()] == ["FI"]


@pytest.mark.parametrize("who", ["carol", "mona", "nick", "partner"])
def test_others_record_no_invocation(desk: Desk, who: str) -> None:
    # carol is an analyst, not an editor; mona a field operation's editor; nick has no
    # affiliation; jun edits for Japan, a Partner for Co-operation.
    user = desk.partner if who == "partner" else getattr(desk.cast, who)
    with pytest.raises(NotAllowed) as refused:
        an_invocation(user, states=["JP"] if who == "partner" else ["AT"])
    assert refused.value.field is None
    _nothing_stored()


@pytest.mark.parametrize(("states", "field", "message"), [
    (["AT", "JP"], "states", "Japan is a Partner for Co-operation, not a participating State"),
    (["AT", "XX"], "states", "'XX' is not a participating State in the registry"),
    (["AT", "exercise-north"], "states", "is not a participating State in the registry"),
    ([], "states", "Name at least one participating State"),
    (["AT", "at"], "states", "A State is named twice"),
    (["AT", ""], "states", "Name each State by its code"),
])
def test_the_invoking_states_are_participating_states(desk: Desk, states: list[str],
                                                      field: str, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        an_invocation(desk.chair, states=states)
    assert refused.value.field == field
    assert message in refused.value.message
    _nothing_stored()


def test_an_exercise_invocation_names_exercise_delegations_only(desk: Desk) -> None:
    invocation = an_invocation(desk.exercise_north, states=["exercise-north", "exercise-south"],
                               mechanism="vienna_human_dimension")
    assert invocation.is_exercise
    assert [row.name for row in invocation.invoking_states.all()] == [
        "EXERCISE Northland", "EXERCISE Southland"]
    with pytest.raises(Invalid, match="never a real State"):
        an_invocation(desk.exercise_chair, states=["AT"])
    with pytest.raises(NotAllowed):  # North records its own invocations, not South's alone
        an_invocation(desk.exercise_north, states=["exercise-south"])
    assert Invocation.objects.count() == 1


@pytest.mark.parametrize(("given", "field", "message"), [
    ({"mechanism": "consensus_minus_one"}, "mechanism", "a way of adopting a decision"),
    ({"mechanism": "helsinki"}, "mechanism", "is not a mechanism in the data"),
    ({"invoked_on": date(1899, 12, 31)}, "invoked_on", "Give the day it was invoked"),
    ({"summary": "   "}, "summary", "Say in a few lines"),
    ({"summary": "x" * 2001}, "summary", "At most 2000 characters"),
    ({"body": "UN"}, "body", "Choose one of"),
    ({"source": "javascript:alert(1)"}, "source", "a full web address starting with https"),
    ({"source": "ftp://example.org/file"}, "source", "a full web address"),
    ({"confidence": "certain", "source": "PC.DEL/12/26"}, "confidence", "One of"),
    ({"confidence": "confirmed"}, "confidence", "goes with a source"),
    ({"classification": "secret"}, "classification", "Choose one of"),
])
def test_what_is_refused_names_its_field(desk: Desk, given: dict[str, object], field: str,
                                         message: str) -> None:
    with pytest.raises(Invalid) as refused:
        an_invocation(desk.cast.alice, **given)
    assert refused.value.field == field
    assert message in refused.value.message
    _nothing_stored()


def test_an_invocation_is_recorded_once_it_has_happened(desk: Desk) -> None:
    tomorrow = timezone.localdate() + timedelta(days=2)
    with pytest.raises(Invalid) as refused:
        an_invocation(desk.cast.alice, invoked_on=tomorrow)
    assert refused.value.field == "invoked_on"
    assert an_invocation(desk.cast.alice, invoked_on=timezone.localdate()).pk


def test_the_meeting_must_be_visible_of_the_same_kind_and_of_the_body(desk: Desk) -> None:
    hidden = make_meeting(1400, classification=Classification.CONFIDENTIAL,
                          owner=desk.cast.finland)
    with pytest.raises(NotFound):
        an_invocation(desk.cast.alice, meeting=hidden.pk)
    with pytest.raises(Invalid, match="exercise meeting"):
        an_invocation(desk.cast.alice, meeting=make_meeting(1, is_exercise=True).pk)
    fsc = make_meeting(70, body="FSC")
    with pytest.raises(Invalid, match="a meeting of the FSC, not of the PC") as refused:
        an_invocation(desk.cast.alice, meeting=fsc.pk, body="PC")
    assert refused.value.field == "meeting"
    _nothing_stored()
    assert an_invocation(desk.cast.alice, meeting=fsc.pk).body == "FSC"


@pytest.mark.parametrize("source", ["PC.DEL/12/26", "SEC.GAL/132/11",
                                    "https://www.osce.org/files/f/documents/1/2/3.pdf",
                                    "Note: read out at the meeting", ""])
def test_a_source_is_a_symbol_an_address_or_a_citation(desk: Desk, source: str) -> None:
    assert an_invocation(desk.cast.alice, source=source).source == source


def test_a_confidential_invocation_belongs_to_the_recorder(desk: Desk) -> None:
    invocation = an_invocation(desk.cast.alice, classification=Classification.CONFIDENTIAL)
    assert (invocation.classification, invocation.owner_affiliation) == (
        Classification.CONFIDENTIAL, desk.cast.austria)
