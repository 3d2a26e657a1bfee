"""Deciding: adoption at a meeting, the silence procedure (Rules of Procedure MC.DOC/1/06,
Annex 1(A)), the announcement that numbers a decision adopted by silence, and the
interpretative statements and formal reservations attached to a decision (IV.1(A)6).

The rules are the engine's (`engine.silence`, `engine.consensus`): each service reads where the
draft stands through `queries.drafts.draft_state`, asks the engine whether the step is allowed,
and maps a refusal to the `core.errors` class it is (`services.drafts.refusal`: 403 for who
may, 422 for a bad value, 409 for a state conflict). Who may and the input are checked
before the transaction; where the draft stands is checked on its row, locked and read afresh,
before anything is written (a caller's copy of the draft may be out of date). An adopted
decision is numbered from its body's `DEC` series (PC.DEC sequential, FSC.DEC and MC.DEC per
year) and published in the document library through `core.library.publish` with the draft's
distribution.

A Ministerial Council draft may be placed under silence and announced at a Permanent Council
meeting: between Ministerial Councils, MC decisions go through the PC (Annex 1(B); the
precedent of 25 August 2025, osce-organization.md §1.4).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.core.bounds import MAX_DRAFT_TEXT_LENGTH
from hofburg.core.errors import Conflict, Invalid, NotFound
from hofburg.core.library import PublishedText, publish
from hofburg.core.models import User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.decisions import clock, mechanisms, parties, sequences
from hofburg.decisions.engine import consensus, silence
from hofburg.decisions.models import (
    Amendment,
    Attachment,
    ConcernedState,
    Draft,
    Meeting,
    Objection,
    SilencePlacement,
)
from hofburg.decisions.parties import Party
from hofburg.decisions.queries.drafts import draft_state, latest_revision
from hofburg.decisions.services.drafts import (
    clean_choice,
    clean_language,
    clean_text,
    refusal,
    require_chair,
    require_delegation,
    require_visible,
)
from hofburg.decisions.services.meetings import ensure_open

T = TypeVar("T")

# Bodies whose drafts may also be placed under silence and announced at another body's meeting.
_ALSO_MEETS_AT = {"MC": frozenset({"PC"})}


def adopt(user: AnyUser, draft: Draft, meeting: Meeting, *, basis: str = "consensus",
          note: str = "", states_concerned: Sequence[str] = ()) -> Draft:
    """The body adopts `draft` at `meeting`: the decision gets the next number of the body's
    `DEC` series at once, is appended to that meeting's journal (`adopted_meeting`) and is
    published in the document library.

    `basis` is a basis of adoption in the data file (`mechanisms.adoption_bases`: consensus,
    consensus-minus-one, consensus-minus-two). An exception to consensus is recorded as such:
    `states_concerned` names the States whose objections it sets aside, exactly as many as the
    rule says (`parties.resolve`: participating States, exercise delegations for an exercise
    draft), and `note` says why. The meeting must be of the draft's body, exercise or not like
    it, held, and its journal not yet issued. A second adoption is a Conflict."""
    require_visible(user, draft)
    _require_meeting_visible(user, meeting)
    require_chair(user, on=meeting.date, is_exercise=draft.is_exercise, what="adopt a decision")
    _check_meeting(draft, meeting, bodies={draft.body})
    basis = clean_choice("basis", basis, mechanisms.adoption_bases())
    note = clean_text("note", note, 500, required=mechanisms.adoption_bases()[basis] > 0)
    concerned = clean_concerned(basis, states_concerned, is_exercise=draft.is_exercise)
    now = clock.now()

    def step(current: Draft) -> silence.DraftState:
        if draft_state(current, now).status is silence.Status.ADOPTED:
            raise Conflict(f"{current} has already been adopted.")
        return _engine(lambda: silence.adopt_at_meeting(
            draft_state(current, now, as_stored=True), at=meeting.starts_at))

    with transaction.atomic():
        meeting = _open_meeting(meeting)
        locked = _locked(draft)
        state = step(locked)
        before = snapshot(locked)
        _number(locked, on=meeting.date)
        locked.status = Draft.Status.ADOPTED
        locked.adopted_by = Draft.AdoptedBy.MEETING
        locked.adoption_basis, locked.adoption_note = basis, note
        locked.adopted_at = state.adopted_at
        locked.adopted_meeting = meeting
        locked.save()
        record_change(user, "update", locked, before, snapshot(locked))
        _record_concerned(user, locked, concerned)
        _publish(user, locked, on=meeting.date)
    return locked


def clean_concerned(basis: str, codes: Sequence[str], *, is_exercise: bool) -> list[Party]:
    """The States concerned by an adoption on `basis`: as many as the rule sets objections
    aside, each once, participating States (exercise delegations for an exercise draft).
    `Invalid` on `states_concerned` otherwise, saying what the rule needs."""
    codes = parties.normalised(codes, is_exercise=is_exercise)
    bases = mechanisms.adoption_bases()
    try:
        consensus.check_concerned(basis, codes, bases)
    except consensus.ConcernedRefused as exc:
        raise Invalid(_concerned_message(basis, bases.get(basis, 0), exc),
                      field="states_concerned") from exc
    return parties.resolve(codes, is_exercise=is_exercise, field="states_concerned")


def _concerned_message(basis: str, wanted: int, exc: consensus.ConcernedRefused) -> str:
    name = mechanisms.name_of(basis)
    if exc.reason == "named_twice":
        return "Name each State concerned once."
    if wanted == 0:
        return f"{name} sets no State's objection aside: name no State concerned."
    states = "one State" if wanted == 1 else f"{wanted} States"
    return (f"{name} sets aside the objection of exactly {states}: name {states} concerned "
            f"(the participating State{'s' if wanted > 1 else ''} whose objection it sets "
            "aside).")


def _record_concerned(user: AnyUser, draft: Draft, concerned: Sequence[Party]) -> None:
    for position, party in enumerate(concerned, start=1):
        row = ConcernedState.objects.create(draft=draft, position=position, state=party.state,
                                            delegation=party.delegation)
        record_change(user, "create", row, None, snapshot(row))


def place_under_silence(user: AnyUser, draft: Draft, meeting: Meeting,
                        expires_at: datetime) -> Draft:
    """Annex 1(A), point 1: at `meeting` the Chair places `draft` under silence until the exact
    time `expires_at` (aware; a naive time is refused). The body must adopt by silence (the
    engine's data: `bodies.yaml`); the meeting must have been held and its journal, to which
    the interim text is attached, not yet issued. A draft whose silence was broken may be
    placed under silence again."""
    require_visible(user, draft)
    _require_meeting_visible(user, meeting)
    require_chair(user, on=meeting.date, is_exercise=draft.is_exercise,
                  what="place a draft under silence")
    if not isinstance(expires_at, datetime) or timezone.is_naive(expires_at):
        raise Invalid("Give the exact time the silence expires, with its time zone offset.",
                      field="expires_at")
    body = sequences.body_rules().get(draft.body)
    if body is None or not body.silence:
        raise Conflict(f"The {body.name('en') if body else draft.body} does not adopt decisions "
                       "by silence procedure.")
    _check_meeting(draft, meeting, bodies={draft.body, *_ALSO_MEETS_AT.get(draft.body, ())})
    now = clock.now()

    def step(current: Draft) -> silence.DraftState:
        return _engine(lambda: silence.place_under_silence(
            draft_state(current, now, as_stored=True), meeting_at=meeting.starts_at,
            expires_at=expires_at, now=now))

    with transaction.atomic():
        meeting = _open_meeting(meeting)
        locked = _locked(draft)
        state = step(locked)
        before = snapshot(locked)
        locked.status = Draft.Status.UNDER_SILENCE
        locked.silence_meeting = meeting
        locked.silence_placed_at = state.placed_at
        locked.silence_expires_at = state.expires_at
        locked.silence_broken_at = None
        locked.save()
        # The engine places it at the meeting's opening, until the given instant.
        SilencePlacement.objects.create(draft=locked, meeting=meeting,
                                        placed_at=meeting.starts_at, expires_at=expires_at)
        record_change(user, "update", locked, before, snapshot(locked))
    return locked


def break_silence(user: AnyUser, draft: Draft, kind: str, text: str) -> Objection:
    """Annex 1(A), point 3: the caller's delegation sends an objection or an amendment in
    writing while `draft` is under silence; either breaks it and the decision is not adopted.
    An amendment is also recorded as an `Amendment` to the current revision, for the Chair to
    take into the next one or not.

    Only a participating State's delegation may (a Partner's is NotAllowed, II(A)2); once the
    silence has expired (at or after `expires_at`) the decision is adopted: Conflict."""
    require_visible(user, draft)
    delegation = require_delegation(user, draft, what="break silence")
    kind = clean_choice("kind", kind, silence.BREAK_KINDS)
    text = clean_text("text", text, MAX_DRAFT_TEXT_LENGTH)
    now = clock.now()
    participant = consensus.Participant(code=delegation.name, participating=True)

    def step(current: Draft) -> silence.DraftState:
        return _engine(lambda: silence.break_silence(
            draft_state(current, now, as_stored=True), by=participant, kind=kind, at=now))

    with transaction.atomic():
        locked = _locked(draft)
        state = step(locked)
        before = snapshot(locked)
        objection = Objection.objects.create(draft=locked, delegation=delegation, kind=kind,
                                             text=text, received_at=now,
                                             created_by=_user(user))
        if kind == Objection.Kind.AMENDMENT:
            amendment = Amendment.objects.create(
                draft=locked, revision=latest_revision(locked), delegation=delegation,
                text=text, proposed_at=now, created_by=_user(user))
            record_change(user, "create", amendment, None, snapshot(amendment))
        locked.status = Draft.Status.SILENCE_BROKEN
        locked.silence_broken_at = state.broken_at
        locked.save()
        record_change(user, "create", objection, None, snapshot(objection))
        record_change(user, "update", locked, before, snapshot(locked))
    return objection


def announce(user: AnyUser, draft: Draft, meeting: Meeting) -> Draft:
    """Annex 1(A), points 5 and 6: at the first meeting after the silence expired unbroken, the
    Chair announces the adoption; the decision gets its number only now and is published.

    Only a draft adopted by silence and not yet announced; the meeting at or after the expiry,
    held, its journal (with which the decision is issued) not yet issued."""
    require_visible(user, draft)
    _require_meeting_visible(user, meeting)
    require_chair(user, on=meeting.date, is_exercise=draft.is_exercise,
                  what="announce a decision")
    _check_meeting(draft, meeting, bodies={draft.body, *_ALSO_MEETS_AT.get(draft.body, ())})
    now = clock.now()

    def step(current: Draft) -> silence.DraftState:
        state = draft_state(current, now)
        if state.status is silence.Status.UNDER_SILENCE:
            raise Conflict(f"{current} is under silence until "
                           f"{timezone.localtime(state.expires_at):%Y-%m-%d %H:%M %Z}.")
        return _engine(lambda: silence.announce(
            draft_state(current, now, as_stored=True), meeting_at=meeting.starts_at, now=now),
            fields={"announce_before_expiry": "meeting"})

    with transaction.atomic():
        meeting = _open_meeting(meeting)
        locked = _locked(draft)
        state = step(locked)
        before = snapshot(locked)
        _number(locked, on=meeting.date)
        locked.status = Draft.Status.ADOPTED
        locked.adopted_by = Draft.AdoptedBy.SILENCE
        locked.adoption_basis = "silence"
        locked.adopted_at = state.adopted_at
        locked.announced_meeting = meeting
        locked.save()
        record_change(user, "update", locked, before, snapshot(locked))
        _publish(user, locked, on=meeting.date)
    return locked


def attach_statement(user: AnyUser, draft: Draft, kind: str, text: str,
                     language: str = "en") -> Attachment:
    """A participating State's delegation attaches an interpretative statement or a formal
    reservation (IV.1(A)6) to the decision; attachments are numbered per decision: 1, 2, ...

    When they are accepted (`engine.silence.statements_open`):
    - adopted at a meeting: from the adoption until that meeting's journal is issued (the
      statement is "recorded in the journal of the day");
    - adopted by silence: the statements are issued with the decision when it is announced
      (Annex 1(A), point 6), so they are accepted from the adoption (the expiry of the
      silence) on, through the announcement, until the journal of the announcing meeting is
      issued.
    A draft not adopted takes none (Conflict): not while it is under silence, since a silence
    may still be broken and the statement would then stand on a text that was never adopted;
    nor after its silence was broken.
    A Partner's delegation makes none (NotAllowed)."""
    require_visible(user, draft)
    delegation = require_delegation(user, draft, what="attach statements to a decision")
    kind = clean_choice("kind", kind, Attachment.Kind.values)
    text = clean_text("text", text, MAX_DRAFT_TEXT_LENGTH)
    language = clean_language("language", language)
    now = clock.now()
    participant = consensus.Participant(code=delegation.name, participating=True)

    def step(current: Draft) -> None:
        if draft_state(current, now).status is not silence.Status.ADOPTED:
            raise Conflict(f"{current} has not been adopted: statements are attached to an "
                           "adopted decision.")
        _engine(lambda: silence.check_statement(
            draft_state(current, now, as_stored=True), by=participant,
            journal_issued=_journal_issued(current, now), now=now))

    with transaction.atomic():
        locked = _locked(draft)
        step(locked)
        last = locked.attachments.order_by("-number").values_list("number", flat=True).first()
        attachment = Attachment.objects.create(
            draft=locked, number=(last or 0) + 1, kind=kind, delegation=delegation,
            language=language, text=text, made_at=now, created_by=_user(user))
        record_change(user, "create", attachment, None, snapshot(attachment))
    return attachment


# -- helpers -----------------------------------------------------------------------------------


def _engine(call: Callable[[], T], *, fields: dict[str, str] | None = None) -> T:
    """Run an engine step; its refusal becomes the matching `core.errors` exception."""
    try:
        return call()
    except silence.Refused as exc:
        raise refusal(exc, fields=fields) from exc


def _locked(draft: Draft) -> Draft:
    return (Draft.objects.select_for_update(of=("self",))
            .select_related("adopted_meeting", "announced_meeting").get(pk=draft.pk))


def _require_meeting_visible(user: AnyUser, meeting: Meeting) -> None:
    if not access.can_view(user, meeting):
        raise NotFound("No such meeting.", field="meeting")


def _check_meeting(draft: Draft, meeting: Meeting, *, bodies: set[str]) -> None:
    """Invalid for a meeting of another body or exercise-ness; Conflict once its journal has
    been issued."""
    if meeting.body not in bodies:
        raise Invalid(f"{meeting} is a meeting of the {meeting.body}, not of the {draft.body}.",
                      field="meeting")
    if meeting.is_exercise != draft.is_exercise:
        raise Invalid("An exercise draft is decided at an exercise meeting, a real one at a "
                      "real meeting.", field="meeting")
    ensure_open(meeting)


def _open_meeting(meeting: Meeting) -> Meeting:
    """The meeting's row, locked and read afresh inside the transaction: its journal may have
    been issued meanwhile (Conflict)."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    ensure_open(locked)
    return locked


def _number(draft: Draft, *, on: date) -> None:
    """Give `draft` the next number of its body's DEC series."""
    number, symbol = sequences.allocate(draft.body, "DEC", on=on, is_exercise=draft.is_exercise)
    draft.decision_number, draft.decision_symbol = number, symbol
    draft.decision_year = on.year if sequences.series_rule(draft.body, "DEC").per_year else None


def _journal_issued(draft: Draft, now: datetime) -> bool:
    """Whether the journal of the meeting that adopted or announced the decision is issued."""
    meeting = (draft.adopted_meeting if draft.adopted_by == Draft.AdoptedBy.MEETING
               else draft.announced_meeting)
    if meeting is None:
        return False
    if meeting.source:  # a real meeting copied from its source: its journal was issued
        return True
    issued = meeting.journal_issued_at
    return issued is not None and issued <= now


def _publish(user: AnyUser, draft: Draft, *, on: date) -> None:
    """The adopted text, in every language it has, into the document library."""
    revision = latest_revision(draft)
    body = sequences.body_rules().get(draft.body)
    publish(PublishedText(
        symbol=draft.decision_symbol, title=draft.title, date=on,
        originator=body.name("en") if body else draft.body,
        original_language=revision.original_language, texts=dict(revision.texts),
        classification=draft.classification, owner_affiliation_id=draft.owner_affiliation_id,
        shared_with_ids=tuple(draft.shared_with.values_list("pk", flat=True)),
        is_exercise=draft.is_exercise, user=user))


def _user(user: AnyUser) -> User | None:
    return user if isinstance(user, User) else None
