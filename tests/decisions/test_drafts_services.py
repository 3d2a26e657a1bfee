"""Drafts and decisions through the services: tabling, revisions, adoption, the silence
procedure (Annex 1(A)), announcements and attached statements, and every refusal leaving
nothing behind."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from time_machine import TimeMachineFixture

from hofburg.core.errors import Conflict, Invalid, NotAllowed, NotFound
from hofburg.core.models import AuditEntry, Classification, LedgerEntry
from hofburg.decisions import sequences
from hofburg.decisions.engine.silence import Status
from hofburg.decisions.models import Amendment, Attachment, Draft, Objection, Sequence
from hofburg.decisions.queries.drafts import draft_state, revision_diff, status_table
from hofburg.decisions.services import decide
from hofburg.decisions.services.drafts import (
    DraftInput,
    RevisionInput,
    add_revision,
    add_translation,
    propose_amendment,
    table_draft,
)
from hofburg.documents.models import Document
from tests.conftest import Cast
from tests.core.conftest import media_root
from tests.decisions.samples_drafts import Desk, make_desk, make_meeting

# Stored files (the adopted texts in the library) go to a fresh folder per test.
__all__ = ["media_root"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(cast: Cast, clock: TimeMachineFixture) -> Desk:
    return make_desk(cast)


def _table(desk: Desk, title: str = "Convening a workshop", text: str = "The Council decides "
           "to convene a workshop.", **options: object) -> Draft:
    return table_draft(desk.chair, DraftInput(body="PC", title=title, text=text, language="en",
                                              **options))  # type: ignore[arg-type]


def _now() -> datetime:
    return timezone.now()


# -- tabling and revisions ---------------------------------------------------------------------


def test_tabling_gives_the_next_dd_number_and_revision_zero(desk: Desk) -> None:
    first = _table(desk)
    second = _table(desk, title="Another")
    assert (first.symbol, second.symbol) == ("PC.DD/1/27", "PC.DD/2/27")
    assert first.owner_affiliation == desk.cast.cpc and not first.is_exercise
    revision = first.revisions.get()
    assert (revision.number, revision.symbol, revision.texts) == (
        0, "PC.DD/1/27", {"en": "The Council decides to convene a workshop."})
    assert AuditEntry.objects.filter(action="create").count() == 4


def test_only_the_chair_tables(desk: Desk) -> None:
    for user in (desk.cast.alice, desk.cast.carol, desk.cast.nick, desk.partner,
                 desk.exercise_north):
        with pytest.raises(NotAllowed):
            table_draft(user, DraftInput(body="PC", title="t", text="x", language="en"))
    assert not Draft.objects.exists() and not Sequence.objects.exists()


def test_an_exercise_chair_tables_an_exercise_draft(desk: Desk) -> None:
    draft = table_draft(desk.exercise_chair, DraftInput(body="PC", title="EXERCISE t",
                                                        text="x", language="en"))
    real = _table(desk)
    assert draft.is_exercise and draft.symbol == "PC.DD/1/27" == real.symbol


@pytest.mark.parametrize(("field", "values"), [
    ("body", {"body": "XX"}), ("title", {"title": "  "}), ("text", {"text": ""}),
    ("language", {"language": "jp"}), ("kind", {"kind": "resolution"}),
    ("venue", {"venue": "bar"}), ("classification", {"classification": "secret"}),
])
def test_bad_values_are_refused_naming_the_field(desk: Desk, field: str,
                                                 values: dict[str, str]) -> None:
    data = {"body": "PC", "title": "t", "text": "x", "language": "en", **values}
    with pytest.raises(Invalid) as refused:
        table_draft(desk.chair, DraftInput(**data))  # type: ignore[arg-type]
    assert refused.value.field == field
    assert not Draft.objects.exists()


def test_revisions_take_amendments_and_show_their_diff(desk: Desk) -> None:
    draft = _table(desk)
    kept = propose_amendment(desk.cast.alice, draft, "Add: in Vienna.")
    dropped = propose_amendment(desk.cast.bob, draft, "Delete the workshop.")
    rev1 = add_revision(desk.chair, draft, RevisionInput(
        text="The Council decides to convene a workshop in Vienna.", taken=(kept.pk,),
        not_taken=(dropped.pk,)))
    rev2 = add_revision(desk.chair, draft, RevisionInput(
        text="The Council decides to convene two workshops in Vienna."))
    assert (rev1.symbol, rev2.symbol) == ("PC.DD/1/27/Rev.1", "PC.DD/1/27/Rev.2")
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert (kept.outcome, kept.taken_in) == (Amendment.Outcome.TAKEN, rev1)
    assert (dropped.outcome, dropped.taken_in) == (Amendment.Outcome.NOT_TAKEN, None)
    segments = revision_diff(draft, 0, 2, "en")
    assert [(s.op, s.text) for s in segments if s.op != "equal"] == [
        ("delete", "a"), ("insert", "two"), ("delete", "workshop"),
        ("insert", "workshops in Vienna")]
    with pytest.raises(NotFound):
        revision_diff(draft, 0, 3, "en")
    with pytest.raises(Invalid):
        revision_diff(draft, 0, 2, "fr")


def test_a_decided_amendment_cannot_be_taken_again(desk: Desk) -> None:
    draft = _table(desk)
    amendment = propose_amendment(desk.cast.alice, draft, "Add: in Vienna.")
    add_revision(desk.chair, draft, RevisionInput(text="v1", taken=(amendment.pk,)))
    with pytest.raises(Invalid) as refused:
        add_revision(desk.chair, draft, RevisionInput(text="v2", not_taken=(amendment.pk,)))
    assert refused.value.field == "not_taken"
    assert draft.revisions.count() == 2


def test_translations_and_only_original(desk: Desk) -> None:
    draft = _table(desk)
    revision = add_translation(desk.chair, draft.revisions.get(), "fr", "Le Conseil décide.")
    assert set(revision.texts) == {"en", "fr"}
    with pytest.raises(Conflict):
        add_translation(desk.chair, revision, "fr", "Encore.")
    only = _table(desk, title="English only", only_original=True)
    with pytest.raises(Conflict):
        add_translation(desk.chair, only.revisions.get(), "de", "Der Rat beschließt.")
    assert only.revisions.get().texts == {"en": "The Council decides to convene a workshop."}


def test_a_partner_proposes_no_amendment(desk: Desk) -> None:
    draft = _table(desk)
    with pytest.raises(NotAllowed):
        propose_amendment(desk.partner, draft, "Add a paragraph.")
    with pytest.raises(NotAllowed):
        propose_amendment(desk.chair, draft, "The Chair does not amend: it revises.")
    assert not Amendment.objects.exists()


# -- adoption at a meeting ---------------------------------------------------------------------


def test_adoption_continues_the_configured_sequence_and_publishes_the_text(desk: Desk) -> None:
    with transaction.atomic():
        sequences.set_start("PC", "DEC", start=1308)
    meeting = make_meeting(1400)
    draft = _table(desk)
    add_translation(desk.chair, draft.revisions.get(), "fr", "Le Conseil décide.")
    adopted = decide.adopt(desk.chair, draft, meeting)
    assert (adopted.decision_symbol, adopted.adopted_by, adopted.adopted_meeting) == (
        "PC.DEC/1308", "meeting", meeting)
    assert draft_state(adopted, _now()).status is Status.ADOPTED
    document = Document.objects.get(symbol="PC.DEC/1308")
    assert (document.owner_affiliation, document.classification, document.title) == (
        desk.cast.cpc, Classification.RESTRICTED, "Convening a workshop")
    assert sorted(document.files.values_list("language", flat=True)) == ["en", "fr"]
    assert "convene a workshop" in document.text
    assert LedgerEntry.objects.filter(reference="PC.DEC/1308").count() == 1
    second = decide.adopt(desk.chair, _table(desk, title="Next"), meeting)
    assert second.decision_symbol == "PC.DEC/1309"


def test_a_second_adoption_is_a_conflict(desk: Desk) -> None:
    meeting = make_meeting(1400)
    draft = decide.adopt(desk.chair, _table(desk), meeting)
    with pytest.raises(Conflict):
        decide.adopt(desk.chair, draft, meeting)
    assert Document.objects.count() == 1
    assert Sequence.objects.get(series="DEC").last == 1


def test_adoption_checks_the_meeting_and_the_basis(desk: Desk) -> None:
    draft = _table(desk)
    with pytest.raises(Invalid) as refused:
        decide.adopt(desk.chair, draft, make_meeting(80, body="FSC"))
    assert refused.value.field == "meeting"
    with pytest.raises(Invalid):
        decide.adopt(desk.chair, draft, make_meeting(90, is_exercise=True))
    issued = make_meeting(1401)
    issued.journal_issued_at = _now()
    issued.save()
    with pytest.raises(Conflict):
        decide.adopt(desk.chair, draft, issued)
    meeting = make_meeting(1402)
    for basis, note, field in (("majority", "", "basis"), ("silence", "", "basis"),
                               ("consensus_minus_one", "", "note")):
        with pytest.raises(Invalid) as refused:
            decide.adopt(desk.chair, draft, meeting, basis=basis, note=note)
        assert refused.value.field == field
    with pytest.raises(NotAllowed):
        decide.adopt(desk.cast.alice, draft, meeting)
    draft.refresh_from_db()
    assert draft.status == Draft.Status.DRAFT and not Document.objects.exists()
    adopted = decide.adopt(desk.chair, draft, meeting, basis="consensus_minus_one",
                           note="Without the consent of the State concerned (Prague 1992).",
                           states_concerned=["FI"])
    assert adopted.adoption_basis == "consensus_minus_one"
    assert [row.code for row in adopted.states_concerned.all()] == ["FI"]


def test_a_meeting_not_yet_held_adopts_nothing(desk: Desk) -> None:
    later = make_meeting(1400, starts_at=_now() + timedelta(hours=2))
    with pytest.raises(Invalid):
        decide.place_under_silence(desk.chair, _table(desk), later, _now() + timedelta(days=2))


# -- the silence procedure -------------------------------------------------------------------


def test_an_amendment_from_a_participating_state_breaks_silence(desk: Desk) -> None:
    meeting = make_meeting(1400)
    draft = decide.place_under_silence(desk.chair, _table(desk), meeting,
                                       _now() + timedelta(days=2))
    assert draft_state(draft, _now()).status is Status.UNDER_SILENCE
    with pytest.raises(Conflict):
        add_revision(desk.chair, draft, RevisionInput(text="changed"))
    with pytest.raises(Conflict):
        propose_amendment(desk.cast.alice, draft, "Under silence this breaks it.")
    objection = decide.break_silence(desk.cast.alice, draft, "amendment", "Add: in Vienna.")
    draft.refresh_from_db()
    assert (draft.status, objection.kind, objection.delegation) == (
        Status.SILENCE_BROKEN, "amendment", desk.cast.austria)
    amendment = Amendment.objects.get()
    assert (amendment.revision.number, amendment.text) == (0, "Add: in Vienna.")
    with pytest.raises(Conflict):
        decide.break_silence(desk.cast.bob, draft, "objection", "Too late: already broken.")
    # Broken, the draft goes back to negotiation: it may be revised and placed again.
    add_revision(desk.chair, draft, RevisionInput(text="v1", taken=(amendment.pk,)))
    decide.place_under_silence(desk.chair, draft, meeting, _now() + timedelta(days=1))


def test_a_partners_objection_is_refused_and_nothing_stored(desk: Desk) -> None:
    draft = decide.place_under_silence(desk.chair, _table(desk), make_meeting(1400),
                                       _now() + timedelta(days=2))
    with pytest.raises(NotAllowed) as refused:
        decide.break_silence(desk.partner, draft, "objection", "We object.")
    assert "participating State" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == Status.UNDER_SILENCE and not Objection.objects.exists()


def test_silence_expires_into_adoption_numbered_at_the_announcement(
        desk: Desk, clock: TimeMachineFixture) -> None:
    with transaction.atomic():
        sequences.set_start("PC", "DEC", start=1308)
    expiry = _now() + timedelta(days=2)
    draft = decide.place_under_silence(desk.chair, _table(desk), make_meeting(1400), expiry)
    with pytest.raises(Conflict):
        decide.announce(desk.chair, draft, make_meeting(1401))
    clock.shift(timedelta(days=2))  # the expiry instant itself: adopted, objections too late
    with pytest.raises(Conflict) as refused:
        decide.break_silence(desk.cast.alice, draft, "objection", "We object.")
    assert "expired" in refused.value.message
    assert not Objection.objects.exists()
    state = draft_state(draft, _now())
    assert (state.status, state.adopted_by, state.adopted_at) == (Status.ADOPTED, "silence",
                                                                  expiry)
    assert draft.decision_symbol == "" and not Document.objects.exists()
    clock.shift(timedelta(days=1))
    with pytest.raises(Invalid):  # a meeting held before the expiry announces nothing
        decide.announce(desk.chair, draft, make_meeting(1405, starts_at=expiry - timedelta(1)))
    announced = decide.announce(desk.chair, draft, make_meeting(1402))
    assert (announced.decision_symbol, announced.adopted_by, announced.adopted_at) == (
        "PC.DEC/1308", "silence", expiry)
    assert Document.objects.filter(symbol="PC.DEC/1308").exists()
    with pytest.raises(Conflict):
        decide.announce(desk.chair, announced, make_meeting(1403))
    with pytest.raises(Conflict):
        decide.adopt(desk.chair, announced, make_meeting(1404))


def test_silence_needs_an_aware_expiry_after_the_meeting(desk: Desk) -> None:
    draft = _table(desk)
    meeting = make_meeting(1400)
    naive = datetime(2027, 1, 20, 12, 0)
    for expires_at in (naive, _now() - timedelta(minutes=5)):
        with pytest.raises(Invalid) as refused:
            decide.place_under_silence(desk.chair, draft, meeting, expires_at)
        assert refused.value.field == "expires_at"
    draft.refresh_from_db()
    assert draft.status == Draft.Status.DRAFT


def test_the_summit_adopts_nothing_by_silence(desk: Desk) -> None:
    mc = table_draft(desk.chair, DraftInput(body="MC", title="t", text="x", language="en"))
    assert mc.symbol == "MC.DD/1/27"
    placed = decide.place_under_silence(desk.chair, mc, make_meeting(1400),
                                        _now() + timedelta(days=7))
    assert placed.silence_meeting is not None and placed.silence_meeting.body == "PC"


# -- statements attached to a decision ---------------------------------------------------------


def test_statements_are_numbered_per_decision_until_the_journal_is_issued(desk: Desk) -> None:
    meeting = make_meeting(1400)
    first = decide.adopt(desk.chair, _table(desk), meeting)
    second = decide.adopt(desk.chair, _table(desk, title="Second"), meeting)
    numbers = [decide.attach_statement(desk.cast.alice, first, "interpretative_statement",
                                       "We read it so.").number,
               decide.attach_statement(desk.cast.bob, first, "formal_reservation",
                                       "We are not bound by paragraph 2.").number,
               decide.attach_statement(desk.cast.bob, second, "interpretative_statement",
                                       "Ours.", language="fr").number]
    assert numbers == [1, 2, 1]
    with pytest.raises(NotAllowed):
        decide.attach_statement(desk.partner, first, "interpretative_statement", "Ours.")
    meeting.journal_issued_at = _now()
    meeting.save()
    with pytest.raises(Conflict):
        decide.attach_statement(desk.cast.alice, first, "interpretative_statement", "Late.")
    assert Attachment.objects.count() == 3


def test_statements_wait_for_adoption_by_silence_and_close_with_its_journal(
        desk: Desk, clock: TimeMachineFixture) -> None:
    draft = decide.place_under_silence(desk.chair, _table(desk), make_meeting(1400),
                                       _now() + timedelta(days=1))
    with pytest.raises(Conflict):
        decide.attach_statement(desk.cast.alice, draft, "interpretative_statement", "Early.")
    clock.shift(timedelta(days=2))
    assert decide.attach_statement(desk.cast.alice, draft, "interpretative_statement",
                                   "Before the announcement.").number == 1
    announcing = make_meeting(1401)
    draft = decide.announce(desk.chair, draft, announcing)
    assert decide.attach_statement(desk.cast.bob, draft, "formal_reservation",
                                   "At the announcement.").number == 2
    announcing.journal_issued_at = _now()
    announcing.save()
    draft.refresh_from_db()
    with pytest.raises(Conflict):
        decide.attach_statement(desk.cast.bob, draft, "formal_reservation", "Late.")


# -- reading -----------------------------------------------------------------------------------


def test_the_status_table_shows_what_the_user_may_see(desk: Desk,
                                                      clock: TimeMachineFixture) -> None:
    meeting = make_meeting(1400)
    plain = _table(desk, title="Plain")
    add_revision(desk.chair, plain, RevisionInput(text="v1"))
    silent = decide.place_under_silence(desk.chair, _table(desk, title="Silent"), meeting,
                                        _now() + timedelta(days=5))
    hidden = _table(desk, title="Hidden", classification=Classification.CONFIDENTIAL)
    public = _table(desk, title="Public", classification=Classification.PUBLIC)
    clock.shift(timedelta(days=3))
    rows = status_table(desk.chair, body="PC", now=_now())
    assert [(r.symbol, r.latest_symbol, r.status, r.days_under_silence) for r in rows] == [
        (plain.symbol, f"{plain.symbol}/Rev.1", Status.DRAFT, None),
        (silent.symbol, silent.symbol, Status.UNDER_SILENCE, 3),
        (hidden.symbol, hidden.symbol, Status.DRAFT, None),
        (public.symbol, public.symbol, Status.DRAFT, None),
    ]
    assert [r.symbol for r in status_table(desk.cast.alice, now=_now())] == [
        plain.symbol, silent.symbol, public.symbol]
    from django.contrib.auth.models import AnonymousUser

    assert [r.symbol for r in status_table(AnonymousUser(), now=_now())] == [public.symbol]
    assert status_table(desk.chair, body="FSC", now=_now()) == []



# -- exercise records --------------------------------------------------------------------------


def test_an_exercise_cycle_stays_among_exercise_affiliations(desk: Desk,
                                                             clock: TimeMachineFixture) -> None:
    chair, north = desk.exercise_chair, desk.exercise_north
    meeting = make_meeting(7, is_exercise=True)
    draft = table_draft(chair, DraftInput(body="PC", title="EXERCISE Workshop", text="x",
                                          language="en"))
    with pytest.raises(NotAllowed):  # a real Chair does not chair exercise records
        decide.place_under_silence(desk.chair, draft, meeting, _now() + timedelta(days=1))
    decide.place_under_silence(chair, draft, meeting, _now() + timedelta(days=1))
    with pytest.raises(NotAllowed):  # nor does a real delegation object to them
        decide.break_silence(desk.cast.alice, draft, "objection", "No.")
    objection = decide.break_silence(north, draft, "amendment", "EXERCISE amendment.")
    assert objection.delegation.code == "exercise-north"
    other = table_draft(chair, DraftInput(body="PC", title="EXERCISE Other", text="y",
                                          language="en"))
    decide.place_under_silence(chair, other, meeting, _now() + timedelta(days=1))
    clock.shift(timedelta(days=2))
    announced = decide.announce(chair, other, make_meeting(8, is_exercise=True))
    assert (announced.decision_symbol, announced.is_exercise) == ("PC.DEC/1", True)
    document = Document.objects.get()
    assert document.is_exercise and not LedgerEntry.objects.exists()
    real = decide.adopt(desk.chair, _table(desk), make_meeting(1400))
    assert real.decision_symbol == "PC.DEC/1"  # numbered apart from the exercise series


def test_the_status_table_reads_every_draft_in_one_query(
        desk: Desk, django_assert_num_queries: Any) -> None:
    meeting = make_meeting(1400)
    for number in range(3):
        draft = _table(desk, title=f"Draft {number}")
        add_revision(desk.chair, draft, RevisionInput(text=f"v{number}"))
        decide.adopt(desk.chair, draft, meeting)
    with django_assert_num_queries(1):
        rows = status_table(desk.cast.alice, now=_now())
    assert [(r.latest_revision, r.status) for r in rows] == [(1, Status.ADOPTED)] * 3
