"""Reading a delegation's positions: its own, and nobody else's.

A position is `confidential` to the delegation that wrote it; `core.access.visible` already
hides it from everyone else, and these reads also ask for the caller's own affiliation's only,
so a position could not show up even if it were ever shared. A position on a draft the caller
may no longer see is not shown either.
"""

from __future__ import annotations

from django.db.models import QuerySet

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.decisions.models import Draft, Position


def _own(user: AnyUser) -> QuerySet[Position]:
    affiliation_id = getattr(user, "affiliation_id", None)
    if not access.is_entitled(user) or affiliation_id is None:
        return Position.objects.none()
    return access.visible(Position.objects.filter(owner_affiliation_id=affiliation_id), user)


def position_for(user: AnyUser, draft: Draft) -> Position | None:
    """The caller's delegation's position on `draft`, or None (also for a draft they may not
    see)."""
    if not access.can_view(user, draft):
        return None
    return _own(user).filter(draft=draft).prefetch_related("stances__revision").first()


def my_positions(user: AnyUser) -> QuerySet[Position]:
    """The positions of the caller's delegation on the drafts they may see, most recently
    changed first."""
    drafts = access.visible(Draft.objects.all(), user)
    return (_own(user).filter(draft__in=drafts).select_related("draft")
            .prefetch_related("stances__revision").order_by("-updated_at", "-id"))
