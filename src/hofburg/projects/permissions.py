"""Who may do what on the projects desk.

- A project is owned by the affiliation of a Secretariat unit, an institution or a field
  operation; its editors create it and keep its logframe, budget, money and reports.
- Approving a concept is an approver's act in the owning affiliation; the other workflow steps
  (start, suspend, resume, close, cancel) are its editors'.
- The donors that are not in the registry (the EU, other donors) are kept by the editors of
  project owners.
- Secondments are recorded by editors of a field operation (its own) or of the Secretariat.
- Exercise affiliations act on exercise records only, real ones on real records.

Reads are never decided here: they go through `core.access`.
"""

from __future__ import annotations

from hofburg.core.access import AnyUser, can_contribute, can_edit, is_entitled
from hofburg.core.models import Affiliation, Role, User
from hofburg.projects.models import Project

OWNER_KINDS = (Affiliation.Kind.SECRETARIAT_UNIT, Affiliation.Kind.INSTITUTION,
               Affiliation.Kind.FIELD_OPERATION)


def affiliation_of(user: AnyUser) -> Affiliation | None:
    affiliation = getattr(user, "affiliation", None)
    return affiliation if isinstance(affiliation, Affiliation) else None


def may_own_projects(user: AnyUser) -> bool:
    """Editors of a Secretariat unit, an institution or a field operation."""
    return can_contribute(user, OWNER_KINDS)


def may_edit_project(user: AnyUser, project: Project) -> bool:
    return may_own_projects(user) and can_edit(user, project)


def may_manage_donors(user: AnyUser) -> bool:
    """Editors of an owner of projects add and keep the donors the registry does not give
    (the EU, other donors): they record the money those donors give."""
    return may_own_projects(user)


def may_approve_project(user: AnyUser, project: Project) -> bool:
    """Approvers of the owning affiliation."""
    affiliation = affiliation_of(user)
    return (is_entitled(user) and isinstance(user, User) and user.has_role(Role.APPROVER)
            and affiliation is not None and affiliation.pk == project.owner_affiliation_id)


def may_record_secondments(user: AnyUser) -> bool:
    return can_contribute(user, (Affiliation.Kind.SECRETARIAT_UNIT,
                                 Affiliation.Kind.FIELD_OPERATION))
