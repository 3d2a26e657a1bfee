"""Who reaches how far into the desk's records.

Reading a record goes through `core.access` (its classification) and, for a person, through a
need-to-know `Grant` on top: without a grant a person does not exist for the caller. How many
of a record's fields the caller may read is their `Clearance` (`engine.fields`):

- anonymous visitors and users without an affiliation: public fields;
- users with an affiliation: internal fields as well;
- a grant for the person: restricted fields (the name); a grant at `strictly_confidential`:
  contacts, identity numbers, medical details.

An HCNM situation has no person: its need-to-know is a `SituationGrant` of its own, without
which the situation does not exist for the caller, and whose level is the caller's reach.

Pages and the API also need a verified second factor from every signed-in user
(`second_factor_verified`); the command line runs as the operator who names the user.
"""

from __future__ import annotations

from django.http import HttpRequest

from hofburg.cases.engine.fields import Clearance
from hofburg.cases.models import Grant, Person, Situation, SituationGrant
from hofburg.core import access
from hofburg.core.access import AnyUser


def grant_level(user: AnyUser, person_id: int) -> str | None:
    if not (user.is_authenticated and user.is_active and access.is_entitled(user)):
        return None
    return Grant.objects.filter(person_id=person_id, user_id=user.pk).values_list(
        "level", flat=True).first()


def clearance(user: AnyUser, person: Person | None = None, *,
              level: str | None = None) -> Clearance:
    """The caller's reach for one record about `person` (or for none)."""
    if not access.is_entitled(user):
        return Clearance.ANONYMOUS
    if person is not None and level is None:
        level = grant_level(user, person.pk)
    if level == Grant.Level.STRICTLY_CONFIDENTIAL:
        return Clearance.GRANTED_STRICT
    if level == Grant.Level.RESTRICTED:
        return Clearance.GRANTED
    return Clearance.ENTITLED


def granted_levels(user: AnyUser, person_ids: list[int]) -> dict[int, str]:
    """person id → grant level, for the persons among `person_ids` the user holds a grant on."""
    if not access.is_entitled(user) or not person_ids:
        return {}
    return dict(Grant.objects.filter(user_id=user.pk or 0, person_id__in=person_ids)
                .values_list("person_id", "level"))


def may_grant(user: AnyUser, person: Person) -> bool:
    """Editors of the owner affiliation who hold a grant themselves may grant others."""
    return access.can_edit(user, person) and grant_level(user, person.pk) is not None


def situation_levels(user: AnyUser, situation_ids: list[int]) -> dict[int, str]:
    """situation id → grant level, for the situations the user holds a grant on."""
    if not access.is_entitled(user) or not situation_ids:
        return {}
    return dict(SituationGrant.objects.filter(user_id=user.pk or 0,
                                              situation_id__in=situation_ids)
                .values_list("situation_id", "level"))


def situation_grant_level(user: AnyUser, situation: Situation) -> str | None:
    return situation_levels(user, [situation.pk]).get(situation.pk)


def may_change_situation(user: AnyUser, situation: Situation) -> bool:
    """Editors of the owner affiliation who hold a grant for the situation record in it and
    grant it to others."""
    return access.can_edit(user, situation) and \
        situation_grant_level(user, situation) is not None


def second_factor_verified(request: HttpRequest) -> bool:
    """A signed-in user has passed the TOTP step in this session (django-otp)."""
    user = getattr(request, "user", None)
    is_verified = getattr(user, "is_verified", None)
    return bool(user is not None and user.is_authenticated and is_verified and is_verified())
