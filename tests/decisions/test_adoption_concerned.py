"""A decision adopted under an exception to consensus names the States concerned: exactly as many
as `data/decisions/mechanisms.yaml` says the rule sets objections aside, participating States
of the registry (exercise delegations for an exercise draft), never a Partner. They are stored
with the adoption, and shown on the draft's page, in the journal (page, PDF, text) and in the
API's answers; the page's form and the API's adopt endpoint take them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader
from time_machine import TimeMachineFixture

from hofburg.core.errors import Invalid
from hofburg.core.models import AuditEntry
from hofburg.decisions.journal import build_journal, journal_text
from hofburg.decisions.models import ConcernedState, Draft, Meeting
from hofburg.decisions.services import decide
from hofburg.decisions.services.drafts import DraftInput, table_draft
from hofburg.documents.models import Document
from tests.conftest import Cast
from tests.core.conftest import media_root
from tests.decisions.samples_drafts import Caller, Desk, make_desk, make_meeting

# Adopted texts go to the library: stored files go to a fresh folder per test.
__all__ = ["media_root"]

pytestmark = pytest.mark.django_db

LINE = "Adopted by Consensus-minus-one; the State concerned: Finland."


@pytest.fixture
def desk(cast: Cast, clock: TimeMachineFixture) -> Desk:
    return make_desk(cast)


def _draft(user: Any, title: str = "Draft decision on a political step") -> Draft:
    return table_draft(user, DraftInput(body="PC", title=title, language="en",
                                        text="The Permanent Council decides to act."))


def _adopt_minus_one(desk: Desk) -> tuple[Draft, Meeting]:
    meeting = make_meeting(1400)
    draft = decide.adopt(desk.chair, _draft(desk.chair), meeting, basis="consensus_minus_one",
                         note="Clear, gross and uncorrected violation.", states_concerned=["fi"])
    return draft, meeting


# -- the service -------------------------------------------------------------------------------


def test_consensus_minus_one_records_the_state_concerned(desk: Desk) -> None:
    draft, _meeting = _adopt_minus_one(desk)
    rows = list(ConcernedState.objects.filter(draft=draft))
    assert [(row.code, row.name, row.position) for row in rows] == [("FI", "Finland", 1)]
    assert AuditEntry.objects.filter(model_label="decisions.ConcernedState").count() == 1
    assert draft.adoption_basis == "consensus_minus_one" and draft.decision_symbol


def test_consensus_minus_two_records_both_states_in_their_order(desk: Desk) -> None:
    draft = decide.adopt(desk.chair, _draft(desk.chair), make_meeting(1400),
                         basis="consensus_minus_two", note="Directed conciliation.",
                         states_concerned=["FI", "AT"])
    assert [row.code for row in draft.states_concerned.all()] == ["FI", "AT"]


@pytest.mark.parametrize(("basis", "states", "message"), [
    ("consensus_minus_one", [], "Consensus-minus-one sets aside the objection of exactly one "
                                "State: name one State concerned"),
    ("consensus_minus_one", ["AT", "FI"], "exactly one State"),
    ("consensus_minus_two", ["AT"], "Consensus-minus-two (directed conciliation) sets aside "
                                    "the objection of exactly 2 States"),
    ("consensus_minus_two", ["AT", "at"], "Name each State concerned once."),
    ("consensus", ["AT"], "Consensus sets no State's objection aside: name no State "
                          "concerned."),
    ("consensus_minus_one", ["JP"], "Japan is a Partner for Co-operation, not a "
                                    "participating State"),
    ("consensus_minus_one", ["XX"], "'XX' is not a participating State in the registry."),
])
def test_the_wrong_states_concerned_are_refused_and_nothing_changes(
        desk: Desk, basis: str, states: list[str], message: str) -> None:
    draft = _draft(desk.chair)
    with pytest.raises(Invalid) as refused:
        decide.adopt(desk.chair, draft, make_meeting(1400), basis=basis, note="Why.",
                     states_concerned=states)
    assert refused.value.field == "states_concerned"
    assert message in refused.value.message
    draft.refresh_from_db()
    assert draft.status == Draft.Status.DRAFT and not draft.decision_symbol
    assert not ConcernedState.objects.exists() and not Document.objects.exists()


def test_an_exercise_decision_names_exercise_delegations_never_a_real_state(desk: Desk) -> None:
    meeting = make_meeting(5, is_exercise=True)
    draft = _draft(desk.exercise_chair, "Draft decision on an exercise step")
    with pytest.raises(Invalid, match="never a real State"):
        decide.adopt(desk.exercise_chair, draft, meeting, basis="consensus_minus_one",
                     note="Exercise.", states_concerned=["AT"])
    adopted = decide.adopt(desk.exercise_chair, draft, meeting, basis="consensus_minus_one",
                           note="Exercise.", states_concerned=["exercise-south"])
    assert [row.name for row in adopted.states_concerned.all()] == ["EXERCISE Southland"]


# -- the API -----------------------------------------------------------------------------------


def test_the_api_adopts_with_the_states_concerned_and_answers_them(desk: Desk) -> None:
    chair = Caller(desk.chair)
    draft, meeting = _draft(desk.chair), make_meeting(1400)
    refused = chair.post(f"/drafts/{draft.pk}/adopt", {
        "meeting": meeting.pk, "basis": "consensus_minus_one", "note": "Why."})
    assert refused.status_code == 422
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["field"] == "states_concerned"
    adopted = chair.post(f"/drafts/{draft.pk}/adopt", {
        "meeting": meeting.pk, "basis": "consensus_minus_one", "note": "Why.",
        "states_concerned": ["FI"]})
    assert adopted.status_code == 200, adopted.content
    assert adopted.json()["adoption_basis"] == "consensus_minus_one"
    assert adopted.json()["states_concerned"] == [{"code": "FI", "name": "Finland"}]
    shown = Caller(desk.cast.alice).get(f"/drafts/{draft.pk}").json()
    assert shown["states_concerned"] == [{"code": "FI", "name": "Finland"}]
    assert (shown["adoption_basis"], shown["adoption_note"]) == ("consensus_minus_one", "Why.")


def test_the_api_bounds_the_states_concerned_at_what_any_rule_sets_aside(desk: Desk) -> None:
    draft, meeting = _draft(desk.chair), make_meeting(1400)
    response = Caller(desk.chair).post(f"/drafts/{draft.pk}/adopt", {
        "meeting": meeting.pk, "basis": "consensus_minus_two", "note": "Why.",
        "states_concerned": ["AT", "FI", "AT"]})
    assert response.status_code == 422
    assert response.json()["field"] == "states_concerned"


def test_a_draft_adopted_by_consensus_answers_no_state_concerned(desk: Desk) -> None:
    draft = decide.adopt(desk.chair, _draft(desk.chair), make_meeting(1400))
    assert Caller(desk.cast.alice).get(f"/drafts/{draft.pk}").json()["states_concerned"] == []


# -- the pages ---------------------------------------------------------------------------------


def test_the_adoption_form_takes_the_state_concerned_by_name(desk: Desk) -> None:
    draft, meeting = _draft(desk.chair), make_meeting(1400)
    client = Client()
    client.force_login(desk.chair)
    form = client.get(f"/decisions/drafts/{draft.pk}/adopt/").content.decode()
    assert '<option value="consensus_minus_one">Consensus-minus-one</option>' in form
    assert '<option value="moscow"' not in form  # invoked alone: no way of adopting
    assert '<option value="FI">Finland</option>' in form
    assert '<option value="JP"' not in form  # a Partner is never a State concerned
    missing = client.post(f"/decisions/drafts/{draft.pk}/adopt/", {
        "meeting": meeting.pk, "basis": "consensus_minus_one", "note": "Why."})
    assert missing.status_code == 200
    field = missing.content.decode().split('id="id_state_concerned_1"', 1)[1].split("</p>")[0]
    assert "exactly one State" in field
    done = client.post(f"/decisions/drafts/{draft.pk}/adopt/", {
        "meeting": meeting.pk, "basis": "consensus_minus_one", "note": "Why.",
        "state_concerned_1": "FI"})
    assert done.status_code == 302
    page = Client().get(f"/decisions/drafts/{draft.pk}/")
    assert page.status_code == 404  # restricted: the anonymous visitor sees nothing
    client.force_login(desk.cast.bob)
    shown = client.get(f"/decisions/drafts/{draft.pk}/").content.decode()
    assert "Basis of adoption" in shown and 'lang="en">Consensus-minus-one</a>' in shown
    assert '<dd class="states-concerned">Finland</dd>' in shown


def test_the_journal_says_which_state_was_concerned(desk: Desk, cast: Cast) -> None:
    _draft_adopted, meeting = _adopt_minus_one(desk)
    journal = build_journal(meeting, cast.alice, meeting.starts_at)
    assert [d.basis_line for d in journal.decisions] == [LINE]
    assert journal.as_dict()["decisions"][0]["states_concerned"] == ["Finland"]
    assert LINE in journal_text(journal)
    client = Client()
    client.force_login(cast.alice)
    page = client.get("/decisions/journals/PC.JOUR/1400/").content.decode()
    assert f'<p class="adoption-basis">{LINE}</p>' in page
    pdf = client.get("/decisions/journals/PC.JOUR/1400.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "the State concerned: Finland" in " ".join(text.split())


def test_a_decision_adopted_by_consensus_has_no_such_line(desk: Desk, cast: Cast) -> None:
    meeting = make_meeting(1400)
    decide.adopt(desk.chair, _draft(desk.chair), meeting)
    journal = build_journal(meeting, cast.alice, meeting.starts_at)
    assert [d.basis_line for d in journal.decisions] == [""]
    assert "State concerned" not in journal_text(journal)
