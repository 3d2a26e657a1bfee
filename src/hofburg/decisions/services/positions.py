"""A delegation's private position on a draft: the cable workflow of domain reference §4,
without the cables.

1. The draft's text is reported (here: the draft and its revisions, as tabled);
2. capital sends an instruction with red lines (`set_instruction`);
3. the delegation takes a stance on each revision (`record_stance`) and, at the end, joins
   consensus, attaches an interpretative statement or objects;
4. it reports the outcome (`report_outcome`).

Only editors of a delegation write a position, for their own delegation, on a draft they can
see (any other draft is missing: `NotFound`). The position is always `confidential`, owned by
that delegation and never shared: its readers see it, and nobody else — not the Chair, not the
Secretariat, not an administrator — learns that it exists. Every change is audited on the
position itself (a stance too), so the audit trail withholds its details from anyone outside
the delegation (`core.access.audit_details_visible`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from hofburg.core import access
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.bounds import FIRST_DAY, LAST_DAY, MAX_TEXT_LENGTH, NUL
from hofburg.core.errors import Invalid, NotFound
from hofburg.core.models import Affiliation, Classification
from hofburg.core.services.audit import record_change, snapshot
from hofburg.decisions import clock, permissions
from hofburg.decisions.models import Draft, Position, Stance


def set_instruction(user: AnyUser, draft: Draft, *, instruction: str, red_lines: str,
                    received_on: date | None) -> Position:
    """Record (or replace) the instruction from capital and its red lines."""
    delegation = _delegation(user, draft)
    instruction = _text(instruction, "instruction")
    red_lines = _text(red_lines, "red_lines")
    if received_on is not None and not FIRST_DAY <= received_on <= LAST_DAY:
        raise Invalid(f"The day lies between {FIRST_DAY} and {LAST_DAY}.", field="received_on")
    if received_on is not None and received_on > clock.now().date():
        raise Invalid("The instruction cannot be received in the future.", field="received_on")
    with transaction.atomic():
        position, before = _own_position(draft, delegation)
        position.instruction = instruction
        position.red_lines = red_lines
        position.instruction_received_on = received_on
        position.save()
        _audit(user, position, before)
    return position


def record_stance(user: AnyUser, draft: Draft, revision_number: int, stance: str,
                  note: str = "") -> Stance:
    """The delegation's stance on one revision of the draft; a second one for the same
    revision replaces the first."""
    delegation = _delegation(user, draft)
    if stance not in Stance.Kind.values:
        raise Invalid(f"Choose one of: {', '.join(Stance.Kind.values)}.", field="stance")
    revision = draft.revisions.filter(number=revision_number).first()
    if revision is None:
        raise Invalid(f"{draft} has no revision {revision_number}.", field="revision")
    note = _text(note, "note")
    with transaction.atomic():
        position, before = _own_position(draft, delegation)
        previous = position.stances.filter(revision=revision).first()
        row, _created = Stance.objects.update_or_create(
            position=position, revision=revision,
            defaults={"stance": stance, "note": note, "recorded_at": clock.now()})
        position.save(update_fields=["updated_at"])
        # Audited on the position, never on the stance: a stance is not a classified record,
        # and the audit trail would show its details to any administrator.
        _audit(user, position, before, stance={
            "revision": revision.symbol, "stance": stance, "note": note,
            "previous": previous.stance if previous else None})
    return row


def report_outcome(user: AnyUser, draft: Draft, outcome: str, note: str = "") -> Position:
    """The outcome the delegation reports to capital (joined consensus, with a statement,
    objected, not adopted; `open` while it is not over)."""
    delegation = _delegation(user, draft)
    if outcome not in Position.Outcome.values:
        raise Invalid(f"Choose one of: {', '.join(Position.Outcome.values)}.", field="outcome")
    if outcome == Position.Outcome.OBJECTED and not permissions.is_participating_state(
            delegation):
        # II(A)2: consensus is the absence of objection from any participating State.
        raise Invalid("A Partner for Co-operation's delegation does not object to a decision.",
                      field="outcome")
    note = _text(note, "note")
    with transaction.atomic():
        position, before = _own_position(draft, delegation)
        position.outcome = outcome
        position.outcome_note = note
        position.save()
        _audit(user, position, before)
    return position


# -- the delegation and its position -----------------------------------------------------------


def _delegation(user: AnyUser, draft: Draft) -> Affiliation:
    """The caller's delegation, if they may write its positions on this draft."""
    if not access.can_view(user, draft):
        raise NotFound("No such draft.")
    delegation = permissions.acting_delegation(user, is_exercise=draft.is_exercise)
    if delegation is None:
        raise AccessDenied("Only editors of a delegation keep its positions.")
    return delegation


def _own_position(draft: Draft, delegation: Affiliation) -> tuple[Position, dict[str, Any] | None]:
    """The delegation's position on the draft, locked, created if it has none yet; and its
    snapshot before the change (None for a new one)."""
    position = (Position.objects.select_for_update()
                .filter(draft=draft, owner_affiliation=delegation).first())
    if position is not None:
        return position, snapshot(position)
    position = Position.objects.create(draft=draft, owner_affiliation=delegation,
                                       classification=Classification.CONFIDENTIAL)
    return position, None


def _audit(user: AnyUser, position: Position, before: dict[str, Any] | None,
           **extra: Any) -> None:
    after = {**snapshot(position), **extra}
    record_change(user, "create" if before is None else "update", position, before, after)


def _text(value: str, name: str) -> str:
    if NUL in value:
        raise Invalid("Text may not contain NUL characters.", field=name)
    cleaned = value.strip()
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise Invalid(f"At most {MAX_TEXT_LENGTH:,} characters.", field=name)
    return cleaned
