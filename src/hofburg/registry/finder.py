"""The registry's answer to the search across the desks (`core.finder`): participating States
by their names in the six languages and their ISO codes, and field operations by name."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hofburg.core import finder
from hofburg.core.access import AnyUser
from hofburg.registry.models import FieldOperation, ParticipatingState


def _folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))


def find_states(user: AnyUser, query: str, limit: int) -> finder.Found | None:
    wanted = _folded(query)
    states = [s for s in ParticipatingState.objects.all()
              if any(wanted in _folded(text)
                     for text in (s.iso2, s.iso3, s.numeric, *s.names.values()))]
    if not states:
        return None
    states.sort(key=lambda s: s.name)
    hits = [finder.Hit(title=s.name, url=reverse("registry:state", args=[s.iso2]),
                       kind=s.iso2, day=s.joined) for s in states[:limit]]
    return finder.Found(len(states), hits, reverse("registry:states") + "?" + urlencode(
        {"q": query}))


def find_field_operations(user: AnyUser, query: str, limit: int) -> finder.Found | None:
    wanted = _folded(query)
    operations = [o for o in FieldOperation.objects.all()
                  if any(wanted in _folded(text)
                         for text in (o.code, o.host_label, o.seat, *o.names.values()))]
    if not operations:
        return None
    listed = reverse("registry:field_operations")
    hits = [finder.Hit(title=o.name, url=f"{listed}#operation-{o.code}",
                       snippet=", ".join(p for p in (o.region, o.seat) if p))
            for o in operations[:limit]]
    return finder.Found(len(operations), hits, reverse("registry:field_operations"))


def register() -> None:
    finder.register("states", _("Participating States"), find_states, order=30)
    finder.register("field_operations", _("Field operations"), find_field_operations, order=35)
