"""A draft decision through adoption at a meeting or by the silence procedure, as pure steps.

The silence procedure of the Rules of Procedure (MC.DOC/1/06), Annex 1(A), for the PC and FSC
(osce-organization.md §1.4; the MC's Annex 1(B) is assumed to work alike, its text being
UNCONFIRMED):

1. At a meeting, the Chairperson suggests adopting the decision by silence and states the exact
   time the silence expires; if no representative objects, the draft is under silence
   (`place_under_silence`).
2. The interim text, without a number, is attached to that meeting's journal.
3. An objection or an amendment sent in writing by a participating State before the expiry
   breaks the silence: the decision has not been adopted (`break_silence`).
4. Otherwise the decision is adopted when the silence expires (`effective`); its text is not
   issued yet.
5. At the first meeting after the adoption, the Chairperson announces it (`announce`).
6. Immediately after that meeting the decision is issued with any interpretative statements and
   formal reservations, and receives its number only then.

A decision adopted at a meeting (`adopt_at_meeting`) is numbered at once and appended to that
meeting's journal. Interpretative statements and formal reservations (para. IV.1(A)6) are
attached to the decision and recorded in the journal (`statements_open`, `check_statement`).

Every function takes a `DraftState` and returns a new one, or raises `Refused` with a stable
`reason` code and a message. Datetimes must be aware: a naive one raises ValueError.

The expiry instant: silence expires *at* `expires_at`. A draft is adopted from that instant on,
and an objection must be received strictly before it: one received at exactly `expires_at` is
too late ("before the deadline", Annex 1(A)3).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from hofburg.decisions.engine.consensus import Participant, may_object

BREAK_KINDS = ("objection", "amendment")
ADOPTED_BY = ("meeting", "silence")


class Status(StrEnum):
    DRAFT = "draft"
    UNDER_SILENCE = "under_silence"
    SILENCE_BROKEN = "silence_broken"
    ADOPTED = "adopted"


class Refused(Exception):
    """A step the rules do not allow; `reason` is a short stable code, `message` says why."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        self.message = message
        super().__init__(f"{reason}: {message}")


@dataclass(frozen=True)
class DraftState:
    """Where a draft decision stands.

    `placed_at` is the meeting at which silence was placed (step 1), `expires_at` the stated end
    of silence, `broken_at` when a written objection or amendment broke it (step 3),
    `adopted_at` the meeting or the expiry, `adopted_by` "meeting" or "silence". `announced`
    (step 5) and `numbered` (step 6) are True at once for a decision adopted at a meeting.
    """

    status: Status
    placed_at: datetime | None = None
    expires_at: datetime | None = None
    broken_at: datetime | None = None
    adopted_at: datetime | None = None
    adopted_by: str | None = None
    announced: bool = False
    numbered: bool = False

    def __post_init__(self) -> None:
        for name in ("placed_at", "expires_at", "broken_at", "adopted_at"):
            value = getattr(self, name)
            if value is not None:
                _aware(name, value)
        if self.adopted_by not in (None, *ADOPTED_BY):
            raise ValueError(f"adopted_by must be one of {ADOPTED_BY}, not {self.adopted_by!r}")
        if self.status is Status.UNDER_SILENCE and (self.placed_at is None
                                                    or self.expires_at is None):
            raise ValueError("a draft under silence needs placed_at and expires_at")


def _aware(name: str, value: datetime) -> None:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, not {value!r}")


def effective(state: DraftState, now: datetime) -> DraftState:
    """The state as of `now`: a draft under silence whose silence has expired (now >= expiry)
    is adopted by silence at the expiry instant, not yet announced nor numbered (step 4)."""
    _aware("now", now)
    if (state.status is Status.UNDER_SILENCE and state.expires_at is not None
            and now >= state.expires_at):
        return replace(state, status=Status.ADOPTED, adopted_at=state.expires_at,
                       adopted_by="silence", announced=False, numbered=False)
    return state


def _refuse_if_adopted_or_under_silence(state: DraftState) -> None:
    if state.status is Status.ADOPTED:
        raise Refused("already_adopted", "the decision has already been adopted")
    if state.status is Status.UNDER_SILENCE:
        raise Refused("under_silence",
                      f"the draft is under silence until {state.expires_at:%Y-%m-%d %H:%M %Z}: "
                      "silence ends only when it is broken or expires (Annex 1(A)3-4)")


def place_under_silence(
    state: DraftState, *, meeting_at: datetime, expires_at: datetime, now: datetime
) -> DraftState:
    """Step 1: the draft goes under silence at the meeting `meeting_at`, until `expires_at`.

    From a draft, or a draft whose silence was broken. The meeting must have been held
    (meeting_at <= now) and the expiry must be strictly after both the meeting and now.
    Refused: "already_adopted", "under_silence", "meeting_not_yet_held",
    "expiry_not_after_meeting", "expiry_not_after_now".
    """
    _aware("meeting_at", meeting_at)
    _aware("expires_at", expires_at)
    _refuse_if_adopted_or_under_silence(effective(state, now))
    if meeting_at > now:
        raise Refused("meeting_not_yet_held",
                      "silence is placed at a meeting: that meeting has not been held yet")
    if expires_at <= meeting_at:
        raise Refused("expiry_not_after_meeting",
                      "the silence must expire after the meeting that placed it")
    if expires_at <= now:
        raise Refused("expiry_not_after_now", "the stated expiry has already passed")
    return DraftState(status=Status.UNDER_SILENCE, placed_at=meeting_at, expires_at=expires_at)


def break_silence(state: DraftState, *, by: Participant, kind: str, at: datetime) -> DraftState:
    """Step 3: a participating State's written objection or amendment, received `at`, breaks
    the silence; the decision has not been adopted.

    `kind` is "objection" or "amendment": any amendment breaks silence, not only an objection.
    Refused: "unknown_kind", "not_a_participating_state" (a Partner or a body that is not a
    State), "before_silence" (received before the meeting that placed it), "silence_expired"
    (received at or after the expiry), "already_adopted", "not_under_silence".
    """
    _aware("at", at)
    if kind not in BREAK_KINDS:
        raise Refused("unknown_kind", f"silence is broken by an objection or an amendment, "
                                      f"not {kind!r}")
    if not may_object(by):
        raise Refused("not_a_participating_state",
                      f"{by.code} is not a participating State: only a participating State "
                      "can break silence (II(A)2, Annex 1(A)3)")
    if state.status is Status.UNDER_SILENCE and state.expires_at is not None:
        if state.placed_at is not None and at < state.placed_at:
            raise Refused("before_silence",
                          "the objection predates the meeting that placed the draft under "
                          "silence")
        if at >= state.expires_at:
            raise Refused("silence_expired",
                          f"the silence expired at {state.expires_at:%Y-%m-%d %H:%M %Z}: "
                          "the decision has been adopted")
    if state.status is Status.ADOPTED:
        raise Refused("already_adopted", "the decision has already been adopted")
    if state.status is not Status.UNDER_SILENCE:
        raise Refused("not_under_silence", "the draft is not under silence")
    return replace(state, status=Status.SILENCE_BROKEN, broken_at=at)


def adopt_at_meeting(state: DraftState, *, at: datetime) -> DraftState:
    """The body adopts the draft at its meeting `at`, no participating State objecting; the
    decision is numbered at once and appended to that meeting's journal.

    From a draft, or a draft whose silence was broken. Refused: "already_adopted",
    "under_silence" (a draft under silence leaves it only by being broken or at the expiry).
    """
    _aware("at", at)
    _refuse_if_adopted_or_under_silence(effective(state, at))
    return replace(state, status=Status.ADOPTED, adopted_at=at, adopted_by="meeting",
                   announced=True, numbered=True)


def announce(state: DraftState, *, meeting_at: datetime, now: datetime) -> DraftState:
    """Steps 5 and 6: the Chairperson announces a decision adopted by silence at the first
    meeting after the expiry; the decision is issued and gets its number only now.

    The meeting must be at or after the expiry (the decision is adopted from that instant on)
    and must have been held (meeting_at <= now). Refused: "announce_before_expiry",
    "not_adopted_by_silence", "already_announced", "meeting_not_yet_held".
    """
    _aware("meeting_at", meeting_at)
    current = effective(state, now)
    if current.status is Status.UNDER_SILENCE:
        raise Refused("announce_before_expiry",
                      f"the silence runs until {current.expires_at:%Y-%m-%d %H:%M %Z}")
    if current.status is not Status.ADOPTED or current.adopted_by != "silence":
        raise Refused("not_adopted_by_silence",
                      "only a decision adopted by silence is announced at a later meeting")
    if current.announced:
        raise Refused("already_announced", "the adoption has already been announced")
    if current.adopted_at is not None and meeting_at < current.adopted_at:
        raise Refused("announce_before_expiry",
                      "the announcing meeting must be after the silence expired")
    if meeting_at > now:
        raise Refused("meeting_not_yet_held", "the announcing meeting has not been held yet")
    return replace(current, announced=True, numbered=True)


def statements_open(state: DraftState, *, journal_issued: bool, now: datetime) -> bool:
    """Whether interpretative statements and formal reservations (IV.1(A)6) can still be
    attached to the decision.

    - Adopted at a meeting: until that meeting's journal is issued (the statement is "recorded
      in the journal of the day").
    - Adopted by silence (from the expiry on): until the announcing meeting's journal is
      issued; they are issued with the decision at step 6 (Annex 1(A)6). Before the
      announcement `journal_issued` is not looked at.
    - A draft not adopted, under silence included: closed. A silence may still be broken, and
      the statement would then stand on a text that was never adopted.

    `journal_issued` is whether the journal of the meeting that adopted or announced the
    decision has been issued.
    """
    current = effective(state, now)
    if current.status is not Status.ADOPTED:
        return False
    if current.adopted_by == "silence" and not current.announced:
        return True
    return not journal_issued


def check_statement(
    state: DraftState, *, by: Participant, journal_issued: bool, now: datetime
) -> None:
    """Refuses a statement that cannot be attached: "not_a_participating_state", "not_adopted"
    (a draft not adopted: under silence, or whose silence was broken), "statements_closed"."""
    if not may_object(by):
        raise Refused("not_a_participating_state",
                      f"{by.code} is not a participating State: statements under IV.1(A)6 are "
                      "made by participating States")
    current = effective(state, now)
    if current.status is not Status.ADOPTED:
        raise Refused("not_adopted", "the decision has not been adopted")
    if not statements_open(current, journal_issued=journal_issued, now=now):
        raise Refused("statements_closed",
                      "the journal of the meeting that adopted or announced the decision has "
                      "been issued")


def days_under_silence(state: DraftState, now: datetime) -> int | None:
    """Whole days from the meeting that placed the draft under silence to now, or to the end of
    silence (broken or expired) if it has ended; None if it was never placed under silence."""
    _aware("now", now)
    if state.placed_at is None:
        return None
    ends = [moment for moment in (now, state.broken_at, state.expires_at) if moment is not None]
    return max(0, (min(ends) - state.placed_at) // timedelta(days=1))
