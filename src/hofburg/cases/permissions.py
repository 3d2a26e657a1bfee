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
from hofburg.cases.models import (
    Evidence,
    Grant,
    Incident,
    Person,
    Situation,
    SituationGrant,
    Statement,
)
from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.core.models import Role, User


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


def may_open_original(user: AnyUser, evidence: Evidence) -> bool:
    """Editors of the evidence's owner affiliation open its original and its working copies,
    and make copies; when the case or alert names a person, only those holding a
    strictly-confidential grant for them (the files are sealed under that level's key)."""
    if not access.can_edit(user, evidence):
        return False
    subject = evidence.case or evidence.alert
    person_id = subject.person_id if subject is not None else None
    return person_id is None or \
        grant_level(user, person_id) == Grant.Level.STRICTLY_CONFIDENTIAL


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


def may_give_grants(user: AnyUser, record: Person | Situation) -> bool:
    """Who may give (and revoke) a person's or a situation's grants, and read who holds them."""
    if isinstance(record, Person):
        return may_grant(user, record)
    return may_change_situation(user, record)


def may_record_statements(user: AnyUser) -> bool:
    """Analysts with an affiliation record statements on intolerance, for their affiliation."""
    return access.is_entitled(user) and isinstance(user, User) and \
        user.has_role(Role.ANALYST)


def may_tag_mandates(user: AnyUser, record: Incident | Statement) -> bool:
    """Analysts of the record's owner affiliation who may see it set its tolerance mandates
    (decision 0056): a judgement of the desk's own staff, never inferred."""
    return may_record_statements(user) and \
        record.owner_affiliation_id == getattr(user, "affiliation_id", None) and \
        access.can_view(user, record)


def may_write_public_summary(user: AnyUser, incident: Incident) -> bool:
    """Who tags an incident's mandates writes its public summary: an analyst of the owner
    affiliation (decision 0065), the desk's own judgement of what may be said in public."""
    return may_tag_mandates(user, incident)


def may_publish_protection(user: AnyUser) -> bool:
    """Analysts with an affiliation are the publishers of its protection cases (decision
    0076): they alone preview the table computed on demand and release a year's table. Others
    of the affiliation read only what was released, frozen: a table computed for them at each
    download could be differenced around one new case."""
    return may_record_statements(user)


def may_link_incidents(user: AnyUser, statement: Statement) -> bool:
    """Who sets a statement's mandates links it to more incidents: the same judgement of the
    owner affiliation's analysts (decisions 0056, 0062)."""
    return may_tag_mandates(user, statement)


def second_factor_verified(request: HttpRequest) -> bool:
    """A signed-in user has passed the TOTP step in this session (django-otp)."""
    user = getattr(request, "user", None)
    is_verified = getattr(user, "is_verified", None)
    return bool(user is not None and user.is_authenticated and is_verified and is_verified())
