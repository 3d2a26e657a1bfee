"""Full-text search every desk shares: the user's words made safe, the index SQL, the ranking.

A desk describes its index once as a `FullTextIndex` (the table, its text columns and their
weights) and gets from it

- the migration's SQL: on SQLite an FTS5 external-content table named `<table>_fts` kept in
  sync by triggers (`sqlite_forward`), on PostgreSQL a GIN expression index over a weighted
  `simple` tsvector (`postgresql_forward`);
- `search(queryset, index, query, then_by=...)`, the matching rows of a queryset the caller has
  ALREADY narrowed with `core.access.visible`, best first. It only ever narrows the queryset,
  so search cannot widen what a user sees.

User input is reduced to word tokens (letters and digits), each prefix-matched (`confid` finds
"confidence") and joined by AND. On SQLite each token is quoted, so nothing a user types is read
as FTS5 syntax (AND, NEAR, quotes, brackets are plain words); on PostgreSQL the raw tsquery is
built from the same tokens, so it cannot be malformed. Neither database stems words, so both
answer alike for the six official languages, Cyrillic included, and a diacritic is kept
("sécurité" does not find "securite").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Expression, F, Model, QuerySet

M = TypeVar("M", bound=Model)

# Enough for any real query; bounds the work a single request can ask of the index.
MAX_QUERY_CHARS = 500
MAX_TERMS = 16
# Letters and digits only: the same words the FTS5 unicode61 tokenizer sees.
_WORD = re.compile(r"[^\W_]+")
# PostgreSQL's weight labels, from the heaviest column to the lightest.
_PG_WEIGHTS = "ABCD"
# Table, column and index names go into SQL as they are: plain identifiers only.
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def query_terms(query: str) -> list[str]:
    """The words of a user's query, in order, without duplicates, at most MAX_TERMS."""
    words = _WORD.findall(query[:MAX_QUERY_CHARS])
    return list(dict.fromkeys(words))[:MAX_TERMS]


def fts5_match(terms: list[str]) -> str:
    """An FTS5 MATCH expression: each term quoted (never syntax) and prefix-matched, all ANDed.

    Terms are letters and digits only (`query_terms`), so a quote cannot close the string."""
    return " ".join(f'"{term}"*' for term in terms)


def tsquery_raw(terms: list[str]) -> str:
    """A raw PostgreSQL tsquery: each term lower-cased and prefix-matched (`word:*`), ANDed."""
    return " & ".join(f"{term.lower()}:*" for term in terms)


@dataclass(frozen=True)
class FullTextIndex:
    """The full-text index of one table: its text columns, heaviest first, with their weights.

    `weights` are FTS5 bm25 weights, one per column; on PostgreSQL the columns get the labels
    A, B, C, D in the same order. `gin_index` names the PostgreSQL index.
    """

    table: str
    columns: tuple[str, ...]
    weights: tuple[float, ...]
    gin_index: str

    def __post_init__(self) -> None:
        if not self.columns or len(self.columns) != len(self.weights):
            raise ValueError("give one weight per column, and at least one column")
        if len(self.columns) > len(_PG_WEIGHTS):
            raise ValueError(f"at most {len(_PG_WEIGHTS)} columns")
        for name in (self.table, self.gin_index, *self.columns):
            if not _IDENTIFIER.fullmatch(name):
                raise ValueError(f"{name!r} is not a plain lower-case SQL identifier")

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    # -- the migration's SQL -------------------------------------------------------------------

    def sqlite_forward(self) -> list[str]:
        """Create the FTS5 external-content table, its three triggers, and index existing rows.

        External content: the index stores no copy of the text, only the words. A later
        migration that makes Django rebuild the table drops the triggers with the old table and
        must run these statements again."""
        # Every name is a checked identifier from the code (__post_init__), never user input.
        fts, table = self.fts_table, self.table
        cols = ", ".join(self.columns)
        new = ", ".join(f"new.{column}" for column in self.columns)
        old = ", ".join(f"old.{column}" for column in self.columns)
        delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "  # noqa: S608
        insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); "  # noqa: S608
        return [
            f"CREATE VIRTUAL TABLE {fts} USING fts5("
            f"{cols}, content='{table}', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 0')",
            f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert}END",
            f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete}END",
            f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {cols} ON {table} BEGIN "
            f"{delete}{insert}END",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # noqa: S608
        ]

    def sqlite_backward(self) -> list[str]:
        fts = self.fts_table
        return [
            f"DROP TRIGGER IF EXISTS {fts}_update",
            f"DROP TRIGGER IF EXISTS {fts}_delete",
            f"DROP TRIGGER IF EXISTS {fts}_insert",
            f"DROP TABLE IF EXISTS {fts}",
        ]

    def postgresql_forward(self) -> list[str]:
        """The GIN index over the very expression `search` matches, so the planner uses it."""
        vector = " || ".join(
            f"setweight(to_tsvector('simple'::regconfig, COALESCE({column}, '')), '{label}')"
            for column, label in zip(self.columns, _PG_WEIGHTS, strict=False))
        return [f"CREATE INDEX {self.gin_index} ON {self.table} USING GIN (({vector}))"]

    def postgresql_backward(self) -> list[str]:
        return [f"DROP INDEX IF EXISTS {self.gin_index}"]

    def forward(self, vendor: str) -> list[str]:
        """The statements creating the index on a database of `vendor` (none on others)."""
        return {"sqlite": self.sqlite_forward, "postgresql": self.postgresql_forward}.get(
            vendor, list)()

    def backward(self, vendor: str) -> list[str]:
        return {"sqlite": self.sqlite_backward, "postgresql": self.postgresql_backward}.get(
            vendor, list)()

    # -- the query -----------------------------------------------------------------------------

    def search_vector(self) -> Expression:
        """The ORM expression that compiles to `postgresql_forward`'s indexed expression."""
        vectors = [SearchVector(column, weight=label, config="simple")
                   for column, label in zip(self.columns, _PG_WEIGHTS, strict=False)]
        combined: Expression = vectors[0]
        for vector in vectors[1:]:
            combined = combined + vector
        return combined


def search(queryset: QuerySet[M], index: FullTextIndex, query: str, *,
           then_by: tuple[str, ...] = ()) -> QuerySet[M]:
    """The rows of `queryset` matching every word of `query`, best first, then by `then_by`.

    A blank query returns the queryset unchanged; a query without any word (only punctuation,
    say) matches nothing. No input raises an error. The rank is annotated as `search_rank`
    (lower is better on SQLite, higher on PostgreSQL: order by it only through this function).
    """
    if not query.strip():
        return queryset
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, index, terms, then_by)
    return _search_sqlite(queryset, index, terms, then_by)


def _search_sqlite(queryset: QuerySet[M], index: FullTextIndex, terms: list[str],
                   then_by: tuple[str, ...]) -> QuerySet[M]:
    fts = index.fts_table
    weights = ", ".join(str(weight) for weight in index.weights)
    # Joined, not a correlated subquery: FTS5 answers the MATCH once and bm25 is read per
    # matching row, so the cost grows with the matches rather than with matches × rows.
    # The `+ 0` keeps SQLite's planner from pushing the rowid into the virtual table (which
    # re-runs the MATCH for every row): the index is scanned once, rows are found by primary
    # key (100,000 documents, a term in all of them: 0.13 s instead of minutes).
    # The SQL is built from the index's names only; the user's words travel only as the bound
    # parameter. bm25 is lower for better matches.
    return (
        queryset.extra(  # noqa: S610
            tables=[fts],
            where=[f'"{index.table}"."id" = {fts}.rowid + 0', f"{fts} MATCH %s"],
            params=[fts5_match(terms)],
            select={"search_rank": f"bm25({fts}, {weights})"},
        )
        .order_by("search_rank", *then_by)
    )


def _search_postgresql(queryset: QuerySet[M], index: FullTextIndex, terms: list[str],
                       then_by: tuple[str, ...]) -> QuerySet[M]:
    vector = index.search_vector()
    search_query = SearchQuery(tsquery_raw(terms), config="simple", search_type="raw")
    found: QuerySet[M] = (
        queryset.alias(search_vector=vector)
        .filter(search_vector=search_query)
        .annotate(search_rank=SearchRank(vector, search_query))
        .order_by(F("search_rank").desc(), *then_by)
    )
    return found


def snippet(text: str, terms: list[str], *, width: int = 200) -> str:
    """About `width` characters of `text` around the first word starting with one of `terms`
    (case-insensitive), with an ellipsis where it was cut; the start of the text if none does.

    Plain text: the page escapes it like any other value."""
    flat = " ".join(text.split())
    start = _first_match(flat, terms)
    lead = width // 3  # the words shown before the match
    begin = 0 if start is None or start < lead else flat.rfind(" ", 0, start - lead) + 1
    end = begin + width
    if end < len(flat):
        cut = flat.rfind(" ", begin, end)
        end = cut if cut > begin else end
    piece = flat[begin:end]
    return ("… " if begin else "") + piece + (" …" if end < len(flat) else "")


def _first_match(text: str, terms: list[str]) -> int | None:
    if not terms:
        return None
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(t) for t in terms) + ")",
                         re.IGNORECASE)
    found = pattern.search(text)
    return found.start() if found else None
