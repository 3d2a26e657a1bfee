"""The document library's answer to the search across the desks (`core.finder`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hofburg.core import access, finder
from hofburg.core.access import AnyUser
from hofburg.core.search import query_terms, search_total, snippet
from hofburg.documents.models import Document
from hofburg.documents.search import search_documents


def find(user: AnyUser, query: str, limit: int) -> finder.Found | None:
    rows = search_documents(access.visible(Document.objects.all(), user), query)
    total = search_total(rows)
    total = rows.count() if total is None else total
    if not total:
        return None
    terms = query_terms(query)
    hits = [finder.Hit(title=f"{doc.symbol} — {doc.title}",
                       url=reverse("documents:document", args=[doc.pk]),
                       snippet=snippet(doc.text or "", terms), day=doc.date)
            for doc in rows[:limit]]
    return finder.Found(total, hits, reverse("documents:documents") + "?" + urlencode(
        {"q": query}))


def register() -> None:
    finder.register("documents", _("Documents"), find, order=10)
