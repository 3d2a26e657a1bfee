"""Finding documents: full-text search behind one interface, and the library's list filters.

`search_documents` and `find_documents` take a queryset the caller has ALREADY narrowed with
`core.access.visible`; they only ever narrow it further, so search cannot widen what a user sees.

The full-text index covers each document's title and the text extracted from its files; the
machinery (safe query words, the SQL, the ranking) is `hofburg.core.search`:

- SQLite: the FTS5 external-content table `core_document_fts`, kept in sync by triggers
  (core's migration 0002, from before the library had its own app). User input is reduced to
  word tokens, each quoted and prefix-matched (`confid` finds "confidence"), so nothing a user
  types is ever read as FTS5 syntax.
- PostgreSQL: a weighted tsvector with the `simple` configuration matched by a tsquery built
  from the same word tokens, each prefix-matched (`word:*`) and joined by AND, so both
  databases answer a query alike; a GIN expression index from the same migration serves it.

Both index words without stemming, so they work alike for the six official languages,
Cyrillic included; the title weighs more than the body text in the ranking.
"""

from __future__ import annotations

from django.db.models import QuerySet

from hofburg.core.search import MAX_QUERY_CHARS, MAX_TERMS, FullTextIndex, query_terms, search
from hofburg.documents.models import Document, DocumentFile

__all__ = ["FTS_TABLE", "INDEX", "MAX_QUERY_CHARS", "MAX_TERMS", "find_documents",
           "query_terms", "search_documents"]

# The index core's migration 0002 created; the title weighs four times the body text.
INDEX = FullTextIndex(table=Document._meta.db_table, columns=("title", "text"),
                      weights=(4.0, 1.0), gin_index="core_document_search_gin")
FTS_TABLE = INDEX.fts_table


def search_documents(queryset: QuerySet[Document], query: str) -> QuerySet[Document]:
    """The documents in `queryset` matching `query`, most relevant first, then newest.

    A blank query returns the queryset unchanged; a query without any word (say, only
    punctuation) matches nothing. No input raises an error.
    """
    return search(queryset, INDEX, query, then_by=("-date", "symbol"))


def find_documents(
    queryset: QuerySet[Document],
    *,
    q: str = "",
    distribution: str = "",
    year: int | None = None,
    originator: str = "",
    language: str = "",
) -> QuerySet[Document]:
    """The library's filters on an already visible queryset; empty values do not filter.

    `language` selects documents that have a version in that language. With a query the
    result is ordered by relevance, otherwise newest first.
    """
    if distribution:
        queryset = queryset.filter(classification=distribution)
    if year is not None:
        queryset = queryset.filter(date__year=year)
    if originator:
        queryset = queryset.filter(originator=originator)
    if language:
        queryset = queryset.filter(
            pk__in=DocumentFile.objects.filter(language=language).values("document_id"))
    if q.strip():
        queryset = search_documents(queryset, q)
    return queryset

