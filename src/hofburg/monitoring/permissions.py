"""Who may do what on the desk: submit and import (editors of a field operation), change a
record (editors of its owning affiliation). Reading goes through `core.access` elsewhere."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from hofburg.core import access
from hofburg.core.access import AccessDenied
from hofburg.core.models import Affiliation, User

AnyUser = User | AnonymousUser


def may_submit(user: AnyUser) -> bool:
    """Editors of a field operation (the mission's monitors) may submit and import records."""
    return access.can_contribute(user, {Affiliation.Kind.FIELD_OPERATION})


def require_submitter(user: AnyUser) -> User:
    if not isinstance(user, User) or not may_submit(user):
        raise AccessDenied("Submitting observations needs an editor of a field operation.")
    return user


def require_editor(user: AnyUser, record: Model) -> User:
    if not isinstance(user, User) or not access.can_edit(user, record):
        raise AccessDenied("Only editors of the owning affiliation may change this record.")
    return user
