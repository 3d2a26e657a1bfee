"""Persons: recorded (the identity into the vault, the surrogate id answered), changed (protection
level, vault fields), and the erasure workflow: a request, the legal hold, the decision
(decision 0064)."""

# No `from __future__ import annotations`: django-ninja reads the annotations at import time.
import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Schema, Status

from hofburg.cases import queries
from hofburg.cases.api import SurrogateId, router
from hofburg.cases.api.writes.common import (
    _affiliation,
    _given,
    _one,
    _writer,
)
from hofburg.cases.models import ErasureRequest, Person
from hofburg.cases.services import erasure, persons
from hofburg.core.bounds import Day, RecordId
from hofburg.core.models import Classification

VaultText = Annotated[str, Field(max_length=persons.MAX_VAULT_TEXT)]


class PersonCreatedOut(Schema):
    surrogate_id: str


# -- persons -----------------------------------------------------------------------------------


class PersonIn(Schema):
    name: VaultText = Field(..., description="Sealed in the identity vault; never answered.")
    contacts: VaultText = ""
    identity_number: VaultText = ""
    medical: VaultText = ""
    birth_date: Day | None = Field(None, description="Only for the duplicate check's keyed "
                                                     "digest; not stored.")
    protection_level: Person.Protection | None = None
    classification: Classification | None = None
    is_exercise: bool | None = None


@router.post("/persons", response={201: PersonCreatedOut},
             summary="Record a person: the identity goes into the vault, the answer is the "
                     "surrogate id")
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    """The person is owned by the caller's affiliation, and the caller holds a
    strictly-confidential grant for them."""
    user = _writer(request)
    person, _duplicates = persons.create_person(
        user, owner=_affiliation(user),
        vault_values={"name": payload.name, "contacts": payload.contacts,
                      "identity_number": payload.identity_number, "medical": payload.medical},
        birth_date=payload.birth_date.isoformat() if payload.birth_date else "",
        **_given(payload, "protection_level", "classification", "is_exercise"))
    return Status(201, {"surrogate_id": person.surrogate_id})



# -- changing a person, erasure requests -------------------------------------------------------


class PersonChangeIn(Schema):
    protection_level: Person.Protection | None = None
    name: VaultText | None = Field(None, description="Sealed in the vault; never answered.")
    contacts: VaultText | None = Field(None, description="An empty text removes it.")
    identity_number: VaultText | None = None
    medical: VaultText | None = None
    birth_date: Day | None = Field(None, description="Only for the duplicate check's keyed "
                                                     "digest, when the name or the identity "
                                                     "number changes; not stored.")


class PersonChangedOut(Schema):
    surrogate_id: str
    protection_level: str
    vault_fields: list[str] = Field(..., description="The fields the vault holds (names only).")


@router.patch("/persons/{surrogate_id}", response=PersonChangedOut,
              summary="Change a person's protection level or vault fields")
def change_person(request: HttpRequest, surrogate_id: SurrogateId,
                  payload: PersonChangeIn) -> Any:
    """The protection level by an editor of the owner affiliation holding a grant; the vault
    by one holding a strictly-confidential grant. A field left out stays as it is, an empty one
    is removed (never the name)."""
    user = _writer(request)
    person = queries.person_for(user, surrogate_id)
    persons.change_person(
        user, person, protection_level=payload.protection_level,
        vault_values=_given(payload, "name", "contacts", "identity_number", "medical"),
        birth_date=payload.birth_date.isoformat() if payload.birth_date else "")
    return {"surrogate_id": person.surrogate_id, "protection_level": person.protection_level,
            "vault_fields": sorted(person.vault.values_list("field", flat=True))}


class ErasureIn(Schema):
    grounds: str = Field(..., max_length=5000, description="The person's grounds.")


class ErasureDecisionIn(Schema):
    outcome: Literal["erased", "restricted", "denied"]
    reason: str = Field(..., max_length=5000, description="Every outcome states its reason.")


class LegalHoldIn(Schema):
    reason: str = Field(..., max_length=5000,
                        description="Why the identity must be kept; empty lifts the hold.")


class ErasureOut(Schema):
    surrogate_id: str
    request_id: int
    outcome: str
    legal_hold: bool = Field(..., description="A legal hold was found when it was decided "
                                              "(or, while pending, is set now).")
    requested_at: dt.datetime
    decided_at: dt.datetime | None = None


class LegalHoldOut(Schema):
    surrogate_id: str
    legal_hold: bool


def _erasure(request: ErasureRequest) -> dict[str, Any]:
    return {"surrogate_id": request.person.surrogate_id, "request_id": request.pk,
            "outcome": request.outcome, "legal_hold": request.legal_hold_found,
            "requested_at": request.requested_at, "decided_at": request.decided_at}


@router.post("/persons/{surrogate_id}/erasure-requests", response={201: ErasureOut},
             summary="Record the person's request to erase their identity")
def request_erasure(request: HttpRequest, surrogate_id: SurrogateId, payload: ErasureIn) -> Any:
    """Recorded by a holder of a grant for the person; one pending request at a time."""
    user = _writer(request)
    person = queries.person_for(user, surrogate_id)
    return Status(201, _erasure(erasure.request_erasure(user, person, payload.grounds)))


@router.post("/persons/{surrogate_id}/erasure-requests/{request_id}/decision",
             response=ErasureOut,
             summary="Decide an erasure request: erased, restricted or denied, with a reason")
def decide_erasure(request: HttpRequest, surrogate_id: SurrogateId, request_id: RecordId,
                   payload: ErasureDecisionIn) -> Any:
    """By an editor of the owner affiliation holding a grant. A legal hold keeps the identity:
    the request is then restricted or denied (409 for erased)."""
    user = _writer(request)
    person = queries.person_for(user, surrogate_id)
    found = _one(ErasureRequest.objects.filter(person=person, pk=request_id)
                 .select_related("person").first())
    decided = erasure.decide_erasure(user, found, payload.outcome, payload.reason,
                                     channel="api")
    return _erasure(decided)


@router.post("/persons/{surrogate_id}/legal-hold", response=LegalHoldOut,
             summary="Set (or, with an empty reason, lift) the legal hold on a person's identity")
def set_legal_hold(request: HttpRequest, surrogate_id: SurrogateId,
                   payload: LegalHoldIn) -> Any:
    user = _writer(request)
    person = queries.person_for(user, surrogate_id)
    erasure.set_legal_hold(user, person, payload.reason)
    return {"surrogate_id": person.surrogate_id, "legal_hold": person.has_legal_hold}
