"""The projects desk's answer to the search across the desks (`core.finder`): projects the
reader may see, by number or title (in any of its languages)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hofburg.core import finder
from hofburg.core.access import AnyUser
from hofburg.projects import queries


def find(user: AnyUser, query: str, limit: int) -> finder.Found | None:
    rows = queries.visible_projects(user).filter(
        Q(number__icontains=query) | Q(title__icontains=query)
        | Q(titles__icontains=query)).order_by("-pk")
    total = rows.count()
    if not total:
        return None
    hits = [finder.Hit(title=f"{p.number} — {p.title}",
                       url=reverse("projects:project", args=[p.pk]),
                       snippet=p.get_status_display())
            for p in rows[:limit]]
    return finder.Found(total, hits, reverse("projects:portfolio"))


def register() -> None:
    finder.register("projects", _("Projects"), find, order=60)
