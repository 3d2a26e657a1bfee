"""The silence procedure (Annex 1(A)) and adoption at a meeting: every step and every refusal."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hofburg.decisions.engine.consensus import Participant
from hofburg.decisions.engine.silence import (
    DraftState,
    Refused,
    Status,
    adopt_at_meeting,
    announce,
    break_silence,
    check_statement,
    days_under_silence,
    effective,
    place_under_silence,
    statements_open,
)

VIENNA = ZoneInfo("Europe/Vienna")
MEETING = datetime(2025, 3, 6, 10, 0, tzinfo=VIENNA)  # a Thursday plenary
EXPIRY = datetime(2025, 3, 10, 12, 0, tzinfo=VIENNA)  # the Monday after, noon
NEXT_MEETING = datetime(2025, 3, 13, 10, 0, tzinfo=VIENNA)
JUST_BEFORE = EXPIRY - timedelta(microseconds=1)

STATE = Participant("XA", participating=True)
PARTNER = Participant("XP", participating=False)

DRAFT = DraftState(status=Status.DRAFT)


def under_silence() -> DraftState:
    return place_under_silence(DRAFT, meeting_at=MEETING, expires_at=EXPIRY,
                               now=MEETING + timedelta(minutes=90))


def refused(reason: str) -> AbstractContextManager[pytest.ExceptionInfo[Refused]]:
    return pytest.raises(Refused, match=f"^{reason}: ")


# -- step 1: placing under silence -----------------------------------------------------------


def test_a_draft_goes_under_silence_at_the_meeting_until_the_stated_time() -> None:
    state = under_silence()
    assert state == DraftState(status=Status.UNDER_SILENCE, placed_at=MEETING, expires_at=EXPIRY)
    assert not state.numbered and not state.announced


def test_a_draft_whose_silence_was_broken_may_go_under_silence_again() -> None:
    broken = break_silence(under_silence(), by=STATE, kind="amendment",
                           at=EXPIRY - timedelta(days=1))
    again = place_under_silence(broken, meeting_at=NEXT_MEETING,
                                expires_at=NEXT_MEETING + timedelta(days=4), now=NEXT_MEETING)
    assert again.status is Status.UNDER_SILENCE
    assert (again.placed_at, again.broken_at) == (NEXT_MEETING, None)


def test_the_expiry_must_be_after_the_meeting() -> None:
    with refused("expiry_not_after_meeting"):
        place_under_silence(DRAFT, meeting_at=MEETING, expires_at=MEETING, now=MEETING)


def test_the_expiry_must_be_after_now() -> None:
    with refused("expiry_not_after_now"):
        place_under_silence(DRAFT, meeting_at=MEETING, expires_at=EXPIRY, now=EXPIRY)


def test_silence_is_placed_at_a_meeting_already_held() -> None:
    with refused("meeting_not_yet_held"):
        place_under_silence(DRAFT, meeting_at=MEETING, expires_at=EXPIRY,
                            now=MEETING - timedelta(hours=1))


def test_a_draft_already_under_silence_cannot_be_placed_again() -> None:
    with refused("under_silence"):
        place_under_silence(under_silence(), meeting_at=MEETING,
                            expires_at=EXPIRY + timedelta(days=1), now=MEETING)


def test_an_adopted_decision_cannot_be_placed_under_silence() -> None:
    adopted = adopt_at_meeting(DRAFT, at=MEETING)
    with refused("already_adopted"):
        place_under_silence(adopted, meeting_at=NEXT_MEETING,
                            expires_at=NEXT_MEETING + timedelta(days=1), now=NEXT_MEETING)


def test_a_draft_whose_silence_expired_is_adopted_and_cannot_be_placed_again() -> None:
    with refused("already_adopted"):
        place_under_silence(under_silence(), meeting_at=NEXT_MEETING,
                            expires_at=NEXT_MEETING + timedelta(days=1), now=NEXT_MEETING)


# -- step 3: breaking silence ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["objection", "amendment"])
def test_an_objection_or_an_amendment_breaks_silence(kind: str) -> None:
    broken = break_silence(under_silence(), by=STATE, kind=kind, at=JUST_BEFORE)
    assert broken.status is Status.SILENCE_BROKEN
    assert broken.broken_at == JUST_BEFORE
    assert effective(broken, NEXT_MEETING).status is Status.SILENCE_BROKEN


def test_an_objection_at_exactly_the_expiry_is_too_late() -> None:
    with refused("silence_expired"):
        break_silence(under_silence(), by=STATE, kind="objection", at=EXPIRY)


def test_a_partner_cannot_break_silence() -> None:
    with refused("not_a_participating_state"):
        break_silence(under_silence(), by=PARTNER, kind="objection", at=MEETING)


def test_silence_is_broken_only_by_an_objection_or_an_amendment() -> None:
    with refused("unknown_kind"):
        break_silence(under_silence(), by=STATE, kind="abstention", at=JUST_BEFORE)


def test_an_objection_before_the_meeting_that_placed_the_draft_is_refused() -> None:
    with refused("before_silence"):
        break_silence(under_silence(), by=STATE, kind="objection",
                      at=MEETING - timedelta(seconds=1))


def test_a_draft_not_under_silence_cannot_have_its_silence_broken() -> None:
    with refused("not_under_silence"):
        break_silence(DRAFT, by=STATE, kind="objection", at=MEETING)
    broken = break_silence(under_silence(), by=STATE, kind="objection", at=JUST_BEFORE)
    with refused("not_under_silence"):
        break_silence(broken, by=STATE, kind="objection", at=JUST_BEFORE)


def test_an_adopted_decision_cannot_have_its_silence_broken() -> None:
    with refused("already_adopted"):
        break_silence(adopt_at_meeting(DRAFT, at=MEETING), by=STATE, kind="objection",
                      at=MEETING)


# -- step 4: adoption at the expiry ----------------------------------------------------------


def test_silence_not_broken_adopts_the_decision_at_the_expiry_instant() -> None:
    state = under_silence()
    assert effective(state, JUST_BEFORE) == state
    adopted = effective(state, EXPIRY)
    assert adopted.status is Status.ADOPTED
    assert (adopted.adopted_at, adopted.adopted_by) == (EXPIRY, "silence")
    assert not adopted.announced and not adopted.numbered
    assert effective(state, NEXT_MEETING) == adopted


def test_the_expiry_is_the_same_instant_in_any_time_zone() -> None:
    state = under_silence()
    utc_expiry = EXPIRY.astimezone(ZoneInfo("UTC"))
    assert effective(state, utc_expiry).status is Status.ADOPTED
    assert effective(state, utc_expiry - timedelta(microseconds=1)).status is (
        Status.UNDER_SILENCE)


# -- adoption at a meeting -------------------------------------------------------------------


def test_a_draft_adopted_at_a_meeting_is_numbered_at_once() -> None:
    adopted = adopt_at_meeting(DRAFT, at=MEETING)
    assert adopted.status is Status.ADOPTED
    assert (adopted.adopted_at, adopted.adopted_by) == (MEETING, "meeting")
    assert adopted.numbered and adopted.announced


def test_a_draft_whose_silence_was_broken_may_be_adopted_at_a_meeting() -> None:
    broken = break_silence(under_silence(), by=STATE, kind="amendment", at=JUST_BEFORE)
    adopted = adopt_at_meeting(broken, at=NEXT_MEETING)
    assert (adopted.status, adopted.adopted_by) == (Status.ADOPTED, "meeting")


def test_a_draft_under_silence_cannot_be_adopted_at_a_meeting() -> None:
    with refused("under_silence"):
        adopt_at_meeting(under_silence(), at=JUST_BEFORE)


def test_a_decision_is_adopted_once() -> None:
    with refused("already_adopted"):
        adopt_at_meeting(adopt_at_meeting(DRAFT, at=MEETING), at=NEXT_MEETING)
    with refused("already_adopted"):
        adopt_at_meeting(under_silence(), at=NEXT_MEETING)  # adopted by silence meanwhile


# -- steps 5 and 6: announcement and number --------------------------------------------------


def test_the_adoption_is_announced_at_the_next_meeting_and_numbered_only_then() -> None:
    announced = announce(under_silence(), meeting_at=NEXT_MEETING,
                         now=NEXT_MEETING + timedelta(hours=1))
    assert announced.status is Status.ADOPTED
    assert (announced.adopted_by, announced.adopted_at) == ("silence", EXPIRY)
    assert announced.announced and announced.numbered


def test_a_meeting_at_the_expiry_instant_may_announce() -> None:
    assert announce(under_silence(), meeting_at=EXPIRY, now=EXPIRY).announced


def test_no_announcement_while_silence_runs() -> None:
    with refused("announce_before_expiry"):
        announce(under_silence(), meeting_at=MEETING, now=JUST_BEFORE)


def test_no_announcement_at_a_meeting_before_the_expiry() -> None:
    with refused("announce_before_expiry"):
        announce(under_silence(), meeting_at=JUST_BEFORE, now=NEXT_MEETING)


def test_no_announcement_at_a_meeting_not_yet_held() -> None:
    with refused("meeting_not_yet_held"):
        announce(under_silence(), meeting_at=NEXT_MEETING, now=NEXT_MEETING - timedelta(days=1))


def test_only_a_decision_adopted_by_silence_is_announced() -> None:
    with refused("not_adopted_by_silence"):
        announce(adopt_at_meeting(DRAFT, at=MEETING), meeting_at=NEXT_MEETING, now=NEXT_MEETING)
    with refused("not_adopted_by_silence"):
        announce(DRAFT, meeting_at=NEXT_MEETING, now=NEXT_MEETING)
    broken = break_silence(under_silence(), by=STATE, kind="objection", at=JUST_BEFORE)
    with refused("not_adopted_by_silence"):
        announce(broken, meeting_at=NEXT_MEETING, now=NEXT_MEETING)


def test_an_adoption_is_announced_once() -> None:
    announced = announce(under_silence(), meeting_at=NEXT_MEETING, now=NEXT_MEETING)
    with refused("already_announced"):
        announce(announced, meeting_at=NEXT_MEETING + timedelta(days=7),
                 now=NEXT_MEETING + timedelta(days=7))


# -- interpretative statements (IV.1(A)6) ----------------------------------------------------


def test_statements_on_a_decision_adopted_at_a_meeting_close_with_its_journal() -> None:
    adopted = adopt_at_meeting(DRAFT, at=MEETING)
    assert statements_open(adopted, journal_issued=False, now=MEETING)
    assert not statements_open(adopted, journal_issued=True, now=MEETING)
    check_statement(adopted, by=STATE, journal_issued=False, now=MEETING)
    with refused("statements_closed"):
        check_statement(adopted, by=STATE, journal_issued=True, now=MEETING)


def test_statements_on_a_decision_adopted_by_silence_stay_open_until_announced() -> None:
    state = under_silence()
    # Under silence the decision is not adopted yet (a silence may still be broken): closed.
    assert not statements_open(state, journal_issued=False, now=JUST_BEFORE)
    with refused("not_adopted"):
        check_statement(state, by=STATE, journal_issued=False, now=JUST_BEFORE)
    # Adopted at the expiry: open, whatever the journals say, until the announcement.
    assert statements_open(state, journal_issued=True, now=NEXT_MEETING)
    check_statement(state, by=STATE, journal_issued=True, now=NEXT_MEETING)
    announced = announce(state, meeting_at=NEXT_MEETING, now=NEXT_MEETING)
    # at the announcing meeting, until its journal is issued (step 6)
    assert statements_open(announced, journal_issued=False, now=NEXT_MEETING)
    assert not statements_open(announced, journal_issued=True, now=NEXT_MEETING)
    with refused("statements_closed"):
        check_statement(announced, by=STATE, journal_issued=True, now=NEXT_MEETING)


def test_no_statement_on_a_draft_that_is_not_adopted() -> None:
    assert not statements_open(DRAFT, journal_issued=False, now=MEETING)
    with refused("not_adopted"):
        check_statement(DRAFT, by=STATE, journal_issued=False, now=MEETING)
    broken = break_silence(under_silence(), by=STATE, kind="objection", at=JUST_BEFORE)
    assert not statements_open(broken, journal_issued=False, now=NEXT_MEETING)
    with refused("not_adopted"):
        check_statement(broken, by=STATE, journal_issued=False, now=NEXT_MEETING)


def test_a_partner_makes_no_statement_under_iv_1_a_6() -> None:
    with refused("not_a_participating_state"):
        check_statement(adopt_at_meeting(DRAFT, at=MEETING), by=PARTNER,
                        journal_issued=False, now=MEETING)


# -- days under silence ----------------------------------------------------------------------


def test_days_under_silence() -> None:
    state = under_silence()
    assert days_under_silence(DRAFT, MEETING) is None
    assert days_under_silence(state, MEETING + timedelta(hours=23)) == 0
    assert days_under_silence(state, MEETING + timedelta(days=1)) == 1
    # to the expiry (4 days 2 hours after the meeting) once it has passed
    assert days_under_silence(state, NEXT_MEETING + timedelta(days=30)) == 4
    broken = break_silence(state, by=STATE, kind="objection", at=MEETING + timedelta(days=2))
    assert days_under_silence(broken, NEXT_MEETING) == 2
    assert days_under_silence(adopt_at_meeting(broken, at=NEXT_MEETING), NEXT_MEETING) == 2


# -- aware datetimes only --------------------------------------------------------------------


NAIVE = datetime(2025, 3, 6, 10, 0)


def test_naive_datetimes_are_refused() -> None:
    state = under_silence()
    with pytest.raises(ValueError, match="aware"):
        effective(state, NAIVE)
    with pytest.raises(ValueError, match="aware"):
        place_under_silence(DRAFT, meeting_at=NAIVE, expires_at=EXPIRY, now=MEETING)
    with pytest.raises(ValueError, match="aware"):
        place_under_silence(DRAFT, meeting_at=MEETING, expires_at=NAIVE, now=MEETING)
    with pytest.raises(ValueError, match="aware"):
        break_silence(state, by=STATE, kind="objection", at=NAIVE)
    with pytest.raises(ValueError, match="aware"):
        adopt_at_meeting(DRAFT, at=NAIVE)
    with pytest.raises(ValueError, match="aware"):
        announce(state, meeting_at=NAIVE, now=NEXT_MEETING)
    with pytest.raises(ValueError, match="aware"):
        days_under_silence(state, NAIVE)
    with pytest.raises(ValueError, match="aware"):
        DraftState(status=Status.UNDER_SILENCE, placed_at=NAIVE, expires_at=EXPIRY)


def test_a_state_must_be_consistent() -> None:
    with pytest.raises(ValueError, match="adopted_by"):
        replace(DRAFT, adopted_by="vote")
    with pytest.raises(ValueError, match="needs placed_at and expires_at"):
        DraftState(status=Status.UNDER_SILENCE, placed_at=MEETING)


def test_every_refusal_names_its_reason_and_says_why() -> None:
    with pytest.raises(Refused) as caught:
        break_silence(under_silence(), by=STATE, kind="objection", at=EXPIRY)
    assert caught.value.reason == "silence_expired"
    assert "2025-03-10 12:00 CET" in caught.value.message
