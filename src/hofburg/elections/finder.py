"""The elections desk's answer to the search across the desks (`core.finder`): election
observation missions the reader may see, by code, name or State (its name in any of the
registry's languages, or its code)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hofburg.core import finder
from hofburg.core.access import AnyUser
from hofburg.elections.queries import missions_for
from hofburg.elections.states import codes_named


def find(user: AnyUser, query: str, limit: int) -> finder.Found | None:
    rows = missions_for(user).filter(
        Q(code__icontains=query) | Q(name__icontains=query) | Q(state__in=codes_named(query))
    ).order_by("-election_date", "pk")
    total = rows.count()
    if not total:
        return None
    hits = [finder.Hit(title=m.name, url=reverse("elections:mission", args=[m.code]),
                       snippet=m.state_name, kind=m.code, day=m.election_date)
            for m in rows[:limit]]
    return finder.Found(total, hits, reverse("elections:missions"))


def register() -> None:
    finder.register("elections", _("Election observation missions"), find, order=70)
