"""Need-to-know grants for a person or a situation, given and revoked; a revoked grant is kept
in the grant history (decision 0064)."""

# No `from __future__ import annotations`: django-ninja reads the annotations at import time.
import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Schema, Status

from hofburg.cases import queries
from hofburg.cases.api import SurrogateId, router
from hofburg.cases.api.writes.common import _writer
from hofburg.cases.models import Grant, Person, Situation
from hofburg.cases.services import grants as grant_services
from hofburg.cases.services import persons, situations
from hofburg.core.errors import Invalid
from hofburg.core.models import User

# -- need-to-know grants (decision 0064) --------------------------------------------------------

MAX_USERNAME = 150  # Django's username column
Username = Annotated[str, Field(min_length=1, max_length=MAX_USERNAME)]
Reason = Annotated[str, Field(max_length=grant_services.MAX_REASON)]


class GrantIn(Schema):
    username: Username = Field(..., description="The user to give need-to-know.")
    level: Grant.Level = Grant.Level.RESTRICTED


class RevokeIn(Schema):
    username: Username = Field(..., description="A holder of a grant, other than yourself.")
    reason: Reason = Field(..., description="Why the grant is withdrawn (kept in its history).")


class GrantOut(Schema):
    username: str
    level: str
    granted_at: dt.datetime


class PersonGrantOut(GrantOut):
    surrogate_id: str


class SituationGrantOut(GrantOut):
    situation_id: str


class RevokedOut(GrantOut):
    revoked_at: dt.datetime


class PersonRevokedOut(RevokedOut):
    surrogate_id: str


class SituationRevokedOut(RevokedOut):
    situation_id: str


def _grantee(username: str) -> User:
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise Invalid("no active user of that name", field="username")
    return found


def _holder(record: Person | Situation, username: str) -> User:
    """A holder of a grant for the record, active or not (a deactivated account's grant is
    revoked too)."""
    found = record.grants.filter(user__username=username).select_related("user").first()
    if found is None:
        raise Invalid("this user holds no grant here", field="username")
    return found.user


def _as_username(call: Any) -> Any:
    """A service's refusal naming `user` names the body's `username`."""
    try:
        return call()
    except Invalid as exc:
        if exc.field == "user":
            raise Invalid(exc.message, field="username") from exc
        raise


def _revoked(revoked: Any) -> dict[str, Any]:
    return {"username": revoked.user_label, "level": revoked.level,
            "granted_at": revoked.granted_at, "revoked_at": revoked.revoked_at}


@router.post("/persons/{surrogate_id}/grants", response={201: PersonGrantOut},
             summary="Give a user need-to-know for a person (or change its level)")
def grant_person(request: HttpRequest, surrogate_id: SurrogateId, payload: GrantIn) -> Any:
    """Editors of the owner affiliation holding a grant for the person give grants."""
    user = _writer(request)
    person = queries.person_for(user, surrogate_id)
    grant = _as_username(lambda: persons.grant_access(user, person, _grantee(payload.username),
                                                      payload.level))
    return Status(201, {"surrogate_id": person.surrogate_id, "username": payload.username,
                        "level": grant.level, "granted_at": grant.granted_at})


@router.post("/persons/{surrogate_id}/grants/revoke", response=PersonRevokedOut,
             summary="Revoke a user's need-to-know for a person (kept in the grant history)")
def revoke_person(request: HttpRequest, surrogate_id: SurrogateId, payload: RevokeIn) -> Any:
    """Those who may grant revoke, never their own grant; from the next request on the user is
    answered as one who never held it."""
    user = _writer(request)
    person = queries.person_for(user, surrogate_id)
    revoked = _as_username(lambda: persons.revoke_access(
        user, person, _holder(person, payload.username), payload.reason, channel="api"))
    return {"surrogate_id": person.surrogate_id, **_revoked(revoked)}


@router.post("/situations/{situation_id}/grants", response={201: SituationGrantOut},
             summary="Give a user need-to-know for a situation (or change its level)")
def grant_situation(request: HttpRequest, situation_id: SurrogateId, payload: GrantIn) -> Any:
    user = _writer(request)
    situation = queries.situation_for(user, situation_id)
    grant = _as_username(lambda: situations.grant_situation(
        user, situation, _grantee(payload.username), payload.level))
    return Status(201, {"situation_id": situation.situation_id, "username": payload.username,
                        "level": grant.level, "granted_at": grant.granted_at})


@router.post("/situations/{situation_id}/grants/revoke", response=SituationRevokedOut,
             summary="Revoke a user's need-to-know for a situation (kept in the grant history)")
def revoke_situation(request: HttpRequest, situation_id: SurrogateId,
                     payload: RevokeIn) -> Any:
    user = _writer(request)
    situation = queries.situation_for(user, situation_id)
    revoked = _as_username(lambda: situations.revoke_situation(
        user, situation, _holder(situation, payload.username), payload.reason,
        channel="api"))
    return {"situation_id": situation.situation_id, **_revoked(revoked)}
