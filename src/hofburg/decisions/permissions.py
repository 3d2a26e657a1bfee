"""Who may do what on the decisions desk.

- Meetings, tabling drafts and revisions, adoption, silence and announcements: editors of the
  Chairmanship's delegation (the year's Chair in the registry) or of a Secretariat unit.
  Exercise records are chaired by exercise Secretariat units only, real ones by real bodies.
- Objections, amendments, statements and positions: editors of a delegation, for their own
  State only. Only a participating State's delegation may object (consensus is the absence of
  objection from any participating State, II(A)2); a Partner's delegation may speak but not
  object. An exercise delegation acts on exercise records only, a real one on real records.
- Invocations of the mechanisms States invoke alone: editors of a participating State's
  delegation, for an invocation their own State took part in, and editors of a Secretariat
  unit, for any.

Reads are never decided here: they go through `core.access`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from hofburg.core.access import AnyUser, can_contribute
from hofburg.core.models import Affiliation
from hofburg.decisions.parties import own_code
from hofburg.registry.models import Chairmanship, ParticipatingState


def _affiliation(user: AnyUser) -> Affiliation | None:
    affiliation = getattr(user, "affiliation", None)
    return affiliation if isinstance(affiliation, Affiliation) else None


def chair_state_iso2(on: date) -> str | None:
    """The ISO code of the State holding the Chairpersonship on `on`, from the registry."""
    chair = (Chairmanship.objects.filter(year=on.year).select_related("state").first())
    state = getattr(chair, "state", None)
    return state.iso2 if state is not None else None


def may_chair(user: AnyUser, *, on: date, is_exercise: bool) -> bool:
    """Editors of the Chairmanship's delegation (for the year of `on`) or of the Secretariat."""
    affiliation = _affiliation(user)
    if affiliation is None or not can_contribute(user):
        return False
    if affiliation.is_exercise != is_exercise:
        return False
    if affiliation.kind == Affiliation.Kind.SECRETARIAT_UNIT:
        return True
    if is_exercise or affiliation.kind != Affiliation.Kind.DELEGATION:
        return False
    iso2 = chair_state_iso2(on)
    return bool(iso2) and affiliation.state_iso2.upper() == (iso2 or "").upper()


def acting_delegation(user: AnyUser, *, is_exercise: bool) -> Affiliation | None:
    """The delegation an editor acts for on a record, or None if the user may not act for one."""
    affiliation = _affiliation(user)
    if affiliation is None or not can_contribute(user):
        return None
    if affiliation.kind != Affiliation.Kind.DELEGATION or affiliation.is_exercise != is_exercise:
        return None
    return affiliation


def is_participating_state(delegation: Affiliation) -> bool:
    """True for a participating State's delegation (an exercise delegation stands for one in
    exercise records); False for a Partner for Co-operation's and any other body."""
    if delegation.kind != Affiliation.Kind.DELEGATION:
        return False
    if delegation.is_exercise:
        return True
    iso2 = delegation.state_iso2.upper()
    return bool(iso2) and ParticipatingState.objects.filter(iso2=iso2).exists()


def may_record_invocations(user: AnyUser, *, is_exercise: bool) -> bool:
    """Whether `user` may record invocations of that kind at all: editors of a Secretariat unit,
    or of a participating State's delegation (an exercise delegation stands for one); exercise
    affiliations for exercise records only, real ones for real records only. Which invocations
    a delegation may record is `may_record_invocation_by`."""
    affiliation = _affiliation(user)
    if affiliation is None or not can_contribute(user) or affiliation.is_exercise != is_exercise:
        return False
    if affiliation.kind == Affiliation.Kind.SECRETARIAT_UNIT:
        return True
    return affiliation.kind == Affiliation.Kind.DELEGATION and is_participating_state(affiliation)


def may_record_invocation_by(user: AnyUser, invoking: Collection[str], *,
                             is_exercise: bool) -> bool:
    """Whether `user` may record an invocation by the States `invoking` (their codes): the
    Secretariat for any, a delegation only for one its own State took part in."""
    if not may_record_invocations(user, is_exercise=is_exercise):
        return False
    affiliation = _affiliation(user)
    if affiliation is not None and affiliation.kind == Affiliation.Kind.SECRETARIAT_UNIT:
        return True
    return own_code(affiliation) in invoking
