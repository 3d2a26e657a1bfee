"""Journals that may no longer change (decision 0077): the real meetings copied from their
source are closed like an issued journal, so nothing is adopted at, added to or attached
through them; a journal keeps the drafts placed under silence at its meeting after a broken
silence is placed again elsewhere; and a statement waits for the adoption, never offered
while the draft is under silence."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from time_machine import TimeMachineFixture

from hofburg.core.errors import Conflict
from hofburg.core.models import Affiliation
from hofburg.decisions.journal import build_journal
from hofburg.decisions.models import Attachment, Draft, Meeting, SilencePlacement
from hofburg.decisions.reference import load_records
from hofburg.decisions.services import decide
from hofburg.decisions.services.drafts import DraftInput, RevisionInput, add_revision, table_draft
from hofburg.decisions.services.meetings import add_agenda_item, issue_journal
from hofburg.decisions.views.drafts_actions import draft_actions, open_meetings
from tests.conftest import Cast
from tests.core.conftest import media_root
from tests.decisions.samples_drafts import Desk, make_desk, make_meeting

__all__ = ["media_root"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(cast: Cast, clock: TimeMachineFixture) -> Desk:
    return make_desk(cast)


def _now() -> datetime:
    return timezone.now()


def _table(desk: Desk) -> Draft:
    return table_draft(desk.chair, DraftInput(body="PC", title="Convening a workshop",
                                              text="The Council decides.", language="en"))


def test_the_real_meetings_are_closed_like_issued_journals(desk: Desk) -> None:
    Affiliation.objects.get_or_create(
        code="delegation-ru", defaults={"name": "Delegation of the Russian Federation",
                                        "kind": Affiliation.Kind.DELEGATION, "state_iso2": "RU"})
    load_records()
    real = Meeting.objects.get(journal_symbol="PC.JOUR/912")
    assert real.journal_issued_at is None and real.journal_closed  # issued by the OSCE
    draft = _table(desk)
    with pytest.raises(Conflict):
        decide.adopt(desk.chair, draft, real)
    with pytest.raises(Conflict):
        decide.place_under_silence(desk.chair, draft, real, _now() + timedelta(days=2))
    with pytest.raises(Conflict):
        add_agenda_item(desk.chair, real, "An item the real journal does not hold")
    with pytest.raises(Conflict):
        issue_journal(desk.chair, real)
    draft.refresh_from_db()
    assert draft.status == Draft.Status.DRAFT and draft.decision_symbol == ""
    # The real decision takes no statement beyond the one its journal holds.
    decision = Draft.objects.get(decision_symbol="PC.DEC/1307")
    with pytest.raises(Conflict):
        decide.attach_statement(desk.cast.alice, decision, "formal_reservation", "Invented.")
    assert Attachment.objects.filter(draft=decision).count() == 1
    # The pages offer neither the real meetings nor a statement form on the real decision.
    assert not open_meetings(desk.chair, draft).filter(source__gt="").exists()
    assert not draft_actions(desk.cast.alice, decision, _now()).attach
    # A meeting entered here stays open until its journal is issued.
    ours = make_meeting(1400)
    assert not ours.journal_closed and open_meetings(desk.chair, draft).filter(pk=ours.pk)


def test_an_issued_journal_keeps_a_silence_placed_again_elsewhere(
        desk: Desk, clock: TimeMachineFixture) -> None:
    first = make_meeting(1400)
    draft = decide.place_under_silence(desk.chair, _table(desk), first,
                                       _now() + timedelta(days=2))
    decide.break_silence(desk.cast.alice, draft, "objection", "We object.")
    issue_journal(desk.chair, first)
    before = build_journal(first, desk.chair, _now())
    assert [s.draft_symbol for s in before.silences] == [draft.symbol]
    add_revision(desk.chair, draft, RevisionInput(text="The Council decides, in Vienna."))
    clock.shift(timedelta(days=1))
    second = make_meeting(1401, starts_at=_now())  # the next week's meeting, after Rev.1
    decide.place_under_silence(desk.chair, draft, second, _now() + timedelta(days=3))
    after = build_journal(first, desk.chair, _now())
    assert after.silences == before.silences  # the issued journal did not change
    assert "The Council decides." in after.silences[0].text  # the interim text of its day
    later = build_journal(second, desk.chair, _now())
    assert [s.draft_symbol for s in later.silences] == [draft.symbol]
    assert "in Vienna" in later.silences[0].text
    assert SilencePlacement.objects.filter(draft=draft).count() == 2


def test_no_statement_is_offered_or_taken_while_under_silence(desk: Desk) -> None:
    draft = decide.place_under_silence(desk.chair, _table(desk), make_meeting(1400),
                                       _now() + timedelta(days=2))
    actions = draft_actions(desk.cast.alice, draft, _now())
    assert actions.object and not actions.attach
    with pytest.raises(Conflict):
        decide.attach_statement(desk.cast.alice, draft, "interpretative_statement", "Early.")
    assert not Attachment.objects.exists()
