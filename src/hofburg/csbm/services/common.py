"""What the Vienna Document desk's services share: the error, who may act for which State,
and the small steps every write takes (owner, author, superseding a version, storing once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from hofburg.core import access
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Invalid
from hofburg.core.idempotency import as_replay
from hofburg.core.models import Affiliation, Classification, User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.csbm import rulesets
from hofburg.csbm.engine.rulesets import Ruleset
from hofburg.csbm.models import (
    AnnualCalendar,
    AnnualExchange,
    Notification,
    RiskReductionRequest,
    Visit,
)
from hofburg.registry.models import ParticipatingState

Actor = User | AnonymousUser | None


LEDGER_KIND_NOTIFICATION = "csbm.notification"


class CsbmError(Invalid):
    """Input a service refuses; `field` names the offending input (as the API calls it)."""

    field: str

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


# -- who may act ----------------------------------------------------------------------------


def can_act_for_state(user: Actor, state: str) -> bool:
    """True for the system (None) and for editors of the delegation of `state`."""
    if user is None:
        return True
    if not (access.can_contribute(user) and isinstance(user, User)):
        return False
    affiliation = user.affiliation
    return bool(affiliation and affiliation.kind == Affiliation.Kind.DELEGATION
                and affiliation.state_iso2.upper() == state.upper())


def exercise_of(actor: Actor, asked: bool) -> bool:
    """Whether a record is exercise data: when asked for, and always when a member of an
    exercise affiliation makes it, so that an exercise account never writes a real State's
    record (decision 0061)."""
    affiliation = getattr(actor, "affiliation", None) if isinstance(actor, User) else None
    return asked or bool(affiliation is not None and affiliation.is_exercise)


def can_record_verification(user: Actor, *states: str) -> bool:
    """The system, a delegation of one of `states`, or OSCE staff (Secretariat, institution)."""
    if user is None or any(can_act_for_state(user, s) for s in states):
        return True
    affiliation = getattr(user, "affiliation", None)
    return bool(access.is_entitled(user) and affiliation is not None
                and affiliation.kind == Affiliation.Kind.SECRETARIAT_UNIT)


def require_state_actor(actor: Actor, state: str) -> None:
    if not can_act_for_state(actor, state):
        raise AccessDenied(f"Only editors of the delegation of {state} may do this.")


def owner_of(actor: Actor) -> Affiliation | None:
    return getattr(actor, "affiliation", None) if isinstance(actor, User) else None


def author_of(actor: Actor) -> str:
    return actor.username if isinstance(actor, User) else "system"


def state_named(field: str, iso2: str) -> ParticipatingState:
    state = ParticipatingState.objects.filter(iso2=(iso2 or "").upper()).first()
    if state is None:
        raise CsbmError(field, f"{iso2!r} is not a participating State (use its ISO alpha-2 code).")
    return state


def classification_of(value: str) -> str:
    if value not in Classification.values:
        raise CsbmError("classification", f"{value!r} is not one of: "
                        f"{', '.join(Classification.values)}.")
    return value


def ruleset_named(name: str | None) -> Ruleset:
    try:
        return rulesets.get_ruleset(name or rulesets.DEFAULT_RULESET)
    except rulesets.UnknownRuleset as exc:
        raise CsbmError("ruleset", str(exc)) from exc


def supersede(actor: Actor, previous: AnnualExchange | AnnualCalendar | Notification) -> None:
    """Mark the current version as superseded by the one being stored, in the audit trail."""
    before = snapshot(previous)
    previous.is_current = False
    previous.save(update_fields=["is_current"])
    record_change(actor, "update", previous, before, snapshot(previous))


Keyed = TypeVar("Keyed", Visit, RiskReductionRequest)


def store_once(model: type[Keyed], key: str, create: Callable[[], Keyed]) -> Keyed:
    """The record stored under `key` (marked as a replay), or the one `create` stores now,
    as stored (times in UTC), so the first answer and a replay's read the same.

    The key is the request's content (decision 0021), unique in the table: of two identical
    requests racing, the second fails on the constraint and answers with the first's record.
    """
    stored = model._default_manager.filter(request_key=key).first()
    if stored is not None:
        return as_replay(stored)
    try:
        with transaction.atomic():
            created = create()
        created.refresh_from_db()
        return created
    except IntegrityError:
        stored = model._default_manager.filter(request_key=key).first()
        if stored is None:
            raise
        return as_replay(stored)
