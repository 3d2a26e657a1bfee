"""Finding documents: full-text search behind one interface, and the library's list filters.

`search_documents` and `find_documents` take a queryset the caller has ALREADY narrowed with
`core.access.visible`; they only ever narrow it further, so search cannot widen what a user sees.

The full-text index covers each document's title and the text extracted from its files:

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

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet

from hofburg.documents.models import Document, DocumentFile

FTS_TABLE = "core_document_fts"
# Enough for any real query; bounds the work a single request can ask of the index.
MAX_QUERY_CHARS = 500
MAX_TERMS = 16
# Letters and digits only: the same words the FTS5 unicode61 tokenizer sees.
_WORD = re.compile(r"[^\W_]+")


def query_terms(query: str) -> list[str]:
    """The words of a user's query, in order, without duplicates, at most MAX_TERMS."""
    words = _WORD.findall(query[:MAX_QUERY_CHARS])
    return list(dict.fromkeys(words))[:MAX_TERMS]


def search_documents(queryset: QuerySet[Document], query: str) -> QuerySet[Document]:
    """The documents in `queryset` matching `query`, most relevant first.

    A blank query returns the queryset unchanged; a query without any word (say, only
    punctuation) matches nothing. No input raises an error.
    """
    if not query.strip():
        return queryset
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, terms)
    return _search_sqlite(queryset, terms)


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


def _search_sqlite(queryset: QuerySet[Document], terms: list[str]) -> QuerySet[Document]:
    # Each term quoted (so AND, NEAR, quotes and brackets are plain words) and prefix-matched;
    # terms are joined by FTS5's implicit AND.
    match = " ".join(f'"{term}"*' for term in terms)
    table = Document._meta.db_table
    # Joined, not a correlated subquery: FTS5 answers the MATCH once and bm25 is read per
    # matching row, so the cost grows with the matches rather than with matches × documents.
    # The `+ 0` keeps SQLite's planner from pushing the rowid into the virtual table (which
    # re-runs the MATCH for every document): the index is scanned once, documents are found
    # by primary key (100,000 documents, a term in all of them: 0.13 s instead of minutes).
    # The SQL is constant; the user's words travel only as the bound parameter.
    # bm25 is lower for better matches; the title column weighs four times the body text.
    return (
        queryset.extra(  # noqa: S610
            tables=[FTS_TABLE],
            where=[f'"{table}"."id" = {FTS_TABLE}.rowid + 0', f"{FTS_TABLE} MATCH %s"],
            params=[match],
            select={"search_rank": f"bm25({FTS_TABLE}, 4.0, 1.0)"},
        )
        .order_by("search_rank", "-date", "symbol")
    )


def _search_postgresql(queryset: QuerySet[Document], terms: list[str]) -> QuerySet[Document]:
    # The same expression as the GIN index in migration 0002, so the planner can use it.
    vector = (SearchVector("title", weight="A", config="simple")
              + SearchVector("text", weight="B", config="simple"))
    # Terms are letters and digits only (query_terms), so the raw tsquery cannot be malformed.
    raw = " & ".join(f"{term.lower()}:*" for term in terms)
    search_query = SearchQuery(raw, config="simple", search_type="raw")
    return (
        queryset.alias(search_vector=vector)
        .filter(search_vector=search_query)
        .annotate(search_rank=SearchRank(vector, search_query))
        .order_by(F("search_rank").desc(), "-date", "symbol")
    )
