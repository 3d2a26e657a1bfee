"""The Vienna Document desk's answer to the search across the desks (`core.finder`): military
activities the reader may see, by designation or reference."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hofburg.core import finder
from hofburg.core.access import AnyUser
from hofburg.csbm import queries


def find(user: AnyUser, query: str, limit: int) -> finder.Found | None:
    rows = queries.visible_activities(user).filter(
        Q(name__icontains=query) | Q(reference__icontains=query)).order_by("-start", "pk")
    total = rows.count()
    if not total:
        return None
    hits = [finder.Hit(title=activity.name,
                       url=reverse("csbm:activity", args=[activity.state_id, activity.reference]),
                       snippet=f"{activity.state.name} · {activity.get_type_display()}",
                       kind=activity.reference, day=activity.start)
            for activity in rows[:limit]]
    return finder.Found(total, hits)


def register() -> None:
    finder.register("activities", _("Military activities"), find, order=40)
