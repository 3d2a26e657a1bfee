"""What every write of the desk shares: the caller (a token user with a confirmed second
factor), the bounds of codes, and the answer naming a case and an entry of it."""

# No `from __future__ import annotations`: django-ninja reads the annotations at import time.
from typing import Annotated, Any

from django.db.models import Model
from django.http import Http404, HttpRequest
from ninja import Field, Schema
from ninja.errors import AuthenticationError

from hofburg.cases import queries
from hofburg.cases.api import _caller
from hofburg.cases.models import Person
from hofburg.core.access import AccessDenied
from hofburg.core.models import Affiliation, User


def _limit(model: type[Model], field: str) -> int | None:
    """A column's own length: the bound of the field that fills it."""
    return model._meta.get_field(field).max_length  # type: ignore[union-attr]


MAX_CODE = 60  # a code of the desk's code lists (`data/cases/`), which the services check
MAX_CODES = 50  # codes in one list field; the services check each
Code = Annotated[str, Field(max_length=MAX_CODE)]
Codes = Annotated[list[Code], Field(max_length=MAX_CODES)]


def _writer(request: HttpRequest) -> User:
    """The caller of a write: a token user whose account has a confirmed second factor."""
    user = _caller(request)
    if not isinstance(user, User):
        raise AuthenticationError(message="Writes to this desk need an API token of an "
                                          "account with a confirmed second-factor device.")
    return user


def _affiliation(user: User) -> Affiliation:
    if user.affiliation is None:
        raise AccessDenied("Only editors of an affiliation record here.")
    return user.affiliation


def _given(payload: Schema, *names: str) -> dict[str, Any]:
    """The optional fields the client sent: the services' defaults hold for the others."""
    return {name: getattr(payload, name) for name in names
            if getattr(payload, name) is not None}


def _person(user: User, surrogate_id: str | None) -> Person | None:
    return None if surrogate_id is None else queries.person_for(user, surrogate_id)


def _one(found: Model | None) -> Any:
    if found is None:
        raise Http404("No such record.")
    return found


# -- answers -----------------------------------------------------------------------------------


class CaseIdOut(Schema):
    case_id: str


class CaseEntryOut(CaseIdOut):
    id: int
