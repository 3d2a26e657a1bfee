"""Full-text search over delegations' statements, in all six languages at once.

The index (migration 0003_statement_search, built with `core.search`) covers a statement's
title and its `search_text`: the speaker, who aligned with it and every language version of
its text, joined (`statement_search_text`, which the services keep up to date). Words are not
stemmed, so English, French with its accents and Russian in Cyrillic are found alike.

`search_statements` takes a queryset the caller has ALREADY narrowed with `core.access`: it
only narrows it further, so a word found only in statements the caller may not see finds
nothing, and nothing counts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db.models import QuerySet

from hofburg.core.search import FullTextIndex, Order, query_terms, search, snippet
from hofburg.decisions.models import Statement

# The title weighs four times the rest, as in the document library.
INDEX = FullTextIndex(table=Statement._meta.db_table, columns=("title", "search_text"),
                      weights=(4.0, 1.0), gin_index="decisions_statement_search_gin")


def statement_search_text(*, speaker_label: str, speaker_name: str, aligned: Iterable[str],
                          alignment_note: str, texts: Mapping[str, str]) -> str:
    """What the index reads besides the title: the speaker, the alignment and every language
    version, in the order of the official languages."""
    order = {code: n for n, code in enumerate(settings.OFFICIAL_LANGUAGE_CODES)}
    versions = [texts[code] for code in sorted(texts, key=lambda code: order.get(code, 99))]
    parts = [speaker_label, speaker_name, " ".join(aligned), alignment_note, *versions]
    return "\n".join(part for part in parts if part)


def search_statements(queryset: QuerySet[Statement], q: str,
                      order: Order = "relevance") -> QuerySet[Statement]:
    """The statements in `queryset` that contain every word of `q`: best match first, then
    newest (newest first when `order` is "newest" or more than `core.search.RANK_LIMIT`
    match). A blank `q` leaves the queryset as it is; one without a word matches nothing."""
    return search(queryset, INDEX, q, then_by=("-delivered_on", "-id"), order=order)


def statement_snippet(statement: Statement, q: str, *, language: str = "") -> str:
    """A short piece of the statement's text around the first word of `q` it contains: from
    the version in `language` if that one has it, else from the first version that does.
    Plain text, for the page to escape."""
    terms = query_terms(q)
    texts = statement.texts or {}
    order = [language, statement.original_language, *settings.OFFICIAL_LANGUAGE_CODES]
    candidates = [texts[code] for code in dict.fromkeys(order) if code in texts]
    for text in candidates:
        piece = snippet(text, terms)
        if not terms or any(term.lower() in piece.lower() for term in terms):
            return piece
    return snippet(candidates[0], []) if candidates else ""
