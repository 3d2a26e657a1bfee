"""The decisions desk's answer to the search across the desks (`core.finder`): delegations'
statements, by their full text."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hofburg.core import access, finder
from hofburg.core.access import AnyUser
from hofburg.core.search import search_total
from hofburg.decisions.models import Statement
from hofburg.decisions.search import search_statements, statement_snippet


def find(user: AnyUser, query: str, limit: int) -> finder.Found | None:
    rows = search_statements(access.visible(Statement.objects.all(), user), query)
    total = search_total(rows)
    total = rows.count() if total is None else total
    if not total:
        return None
    language = (get_language() or "en").split("-")[0]
    hits = [finder.Hit(title=" — ".join(p for p in (s.symbol, s.speaker_label, s.title) if p),
                       url=reverse("decisions:statement", args=[s.pk]),
                       snippet=statement_snippet(s, query, language=language),
                       day=s.delivered_on)
            for s in rows[:limit]]
    return finder.Found(total, hits, reverse("decisions:statements") + "?" + urlencode(
        {"q": query}))


def register() -> None:
    finder.register("statements", _("Delegations' statements"), find, order=20)
