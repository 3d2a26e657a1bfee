"""Full-text search every desk shares: the user's words made safe, the index SQL, the ranking.

A desk describes its index once as a `FullTextIndex` (the table, its text columns and their
weights) and gets from it

- the migration's SQL: on SQLite an FTS5 external-content table named `<table>_fts` kept in
  sync by triggers (`sqlite_forward`), on PostgreSQL a stored generated `search_vector`
  column (a weighted `simple` tsvector) with a GIN index (`postgresql_forward`);
- `search(queryset, index, query, then_by=...)`, the matching rows of a queryset the caller has
  ALREADY narrowed with `core.access.visible`. It only ever narrows the queryset, so search
  cannot widen what a user sees.

User input is reduced to word tokens (letters and digits), each prefix-matched (`confid` finds
"confidence") and joined by AND. On SQLite each token is quoted, so nothing a user types is read
as FTS5 syntax (AND, NEAR, quotes, brackets are plain words); on PostgreSQL the raw tsquery is
built from the same tokens, so it cannot be malformed. Neither database stems words, so both
answer alike for the six official languages, Cyrillic included, and a diacritic is kept
("sécurité" does not find "securite").

Order. Matches are ranked best first (bm25 on SQLite, ts_rank on PostgreSQL) when at most
`RANK_LIMIT` of them are visible to the caller; beyond that, or when the caller asks for
`order="newest"`, they come in the `then_by` order (newest first on every desk). Ranking reads
every match's word positions, so its cost grows with the matches: a word in nearly every one
of 60,000 statements takes 0.15 s to rank on SQLite alone, and no user reads past the first
pages of such a list. The count that decides is the caller's visible matches only, so the order
says nothing about records the caller may not see. The queryset returned carries
`search_total` (that count) and `search_ranked`; `ResultsPaginator` and the API's `Page` reuse
the count instead of counting again.

PostgreSQL's planner does not know that matching a stored tsvector reads it from TOAST storage,
so for a common word it prefers reading every row over the GIN index (0.5 s instead of 30 ms).
The search queries for words it expects in many rows carry a marker comment, and
`planner_hints` (installed on every PostgreSQL connection by `core.apps`) runs them with
sequential and plain index scans switched off, so the GIN index is used; nothing else is
affected. For rarer words the planner is left free: it then looks the few matches up by key.
Decision 0034 lists the measurements.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, TypeVar, cast

from django.core.paginator import Paginator
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet

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
# At most this many visible matches are ranked by relevance; more come newest first.
RANK_LIMIT = 5_000
# Matches the planner may expect before a search is planned with `planner_hints`: below it, a
# word the statistics do not list among the common ones (the planner then assumes 0.5 % of
# the rows) is looked up without them.
FEW_MATCHES = 2_000
# The comment that marks a search query for `planner_hints` (PostgreSQL).
SEARCH_MARK = "/* hofburg:search */"
# What `planner_hints` switches off while a marked query is planned.
_PLANNER_HINTS = ("enable_seqscan", "enable_indexscan")

Order = Literal["relevance", "newest"]


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
    A, B, C, D in the same order, in the stored column `vector_column` whose GIN index is
    `gin_index`.
    """

    table: str
    columns: tuple[str, ...]
    weights: tuple[float, ...]
    gin_index: str
    vector_column: str = "search_vector"

    def __post_init__(self) -> None:
        if not self.columns or len(self.columns) != len(self.weights):
            raise ValueError("give one weight per column, and at least one column")
        if len(self.columns) > len(_PG_WEIGHTS):
            raise ValueError(f"at most {len(_PG_WEIGHTS)} columns")
        for name in (self.table, self.gin_index, self.vector_column, *self.columns):
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
        """The stored `search_vector` column (generated from the weighted columns, so every
        write keeps it current) and its GIN index."""
        return [
            f"ALTER TABLE {self.table} ADD COLUMN {self.vector_column} tsvector "
            f"GENERATED ALWAYS AS ({self.vector_sql()}) STORED",
            f"CREATE INDEX {self.gin_index} ON {self.table} USING GIN ({self.vector_column})",
        ]

    def postgresql_backward(self) -> list[str]:
        return [f"DROP INDEX IF EXISTS {self.gin_index}",
                f"ALTER TABLE {self.table} DROP COLUMN IF EXISTS {self.vector_column}"]

    def vector_sql(self) -> str:
        """The weighted tsvector of the columns, heaviest first (labels A, B, C, D)."""
        return " || ".join(
            f"setweight(to_tsvector('simple'::regconfig, COALESCE({column}, '')), '{label}')"
            for column, label in zip(self.columns, _PG_WEIGHTS, strict=False))

    def postgresql_expression_index(self) -> list[str]:
        """The GIN expression index the first migrations created (before the stored column);
        an upgrade migration drops it by name."""
        return [f"CREATE INDEX {self.gin_index} ON {self.table} USING GIN (({self.vector_sql()}))"]

    def forward(self, vendor: str) -> list[str]:
        """The statements creating the index on a database of `vendor` (none on others)."""
        return {"sqlite": self.sqlite_forward, "postgresql": self.postgresql_forward}.get(
            vendor, list)()

    def backward(self, vendor: str) -> list[str]:
        return {"sqlite": self.sqlite_backward, "postgresql": self.postgresql_backward}.get(
            vendor, list)()

def search(queryset: QuerySet[M], index: FullTextIndex, query: str, *,
           then_by: tuple[str, ...] = (), order: Order = "relevance") -> QuerySet[M]:
    """The rows of `queryset` matching every word of `query`: best first, then by `then_by`,
    when at most `RANK_LIMIT` match (and `order` is "relevance"); otherwise by `then_by`.

    A blank query returns the queryset unchanged; a query without any word (only punctuation,
    say) matches nothing. No input raises an error. The result carries `search_total` (the
    matches) and `search_ranked`; a ranked one is annotated with `search_rank` (lower is better
    on SQLite, higher on PostgreSQL: order by it only through this function). Apply every
    other filter, annotation and prefetch BEFORE the search: a queryset derived from the
    result counts again.
    """
    if not query.strip():
        return queryset
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        found = _matching_postgresql(queryset, index, terms)
        total = found.count()
    else:
        # Counted off the visibility index (30-80 ms for 36,000 matches, instead of 250 ms
        # looking each one up by its id).
        total = _matching_sqlite(queryset, index, terms, walk=True).count()
        # Many matches: walk the order's index and stop at the page's end (17 ms); few: look
        # them up by id and sort them.
        found = _matching_sqlite(queryset, index, terms, walk=total > RANK_LIMIT)
    ranked = order == "relevance" and total <= RANK_LIMIT
    if ranked:
        found = _ranked_postgresql(found, index, terms, then_by) if postgresql else \
            _ranked_sqlite(queryset, index, terms, then_by)
    else:
        found = found.order_by(*then_by)
    return SearchResults.of(found, rows=queryset, total=total, ranked=ranked)


class SearchResults(QuerySet[M]):
    """A search's matches: a queryset that knows how many there are and reads a page in two
    steps, the page's ids first (ordered and cut from the indexes alone), then those rows.

    Read in one step, the database would sort every match's whole row (texts included) to
    keep the first 25: 1.2 s for 36,000 statements on SQLite. A queryset derived from this one
    (filtered, say) is an ordinary one: it counts and reads in one step again.
    """

    search_total: int
    search_ranked: bool
    _search_rows: QuerySet[M] | None = None

    @classmethod
    def of(cls, found: QuerySet[M], *, rows: QuerySet[M], total: int,
           ranked: bool) -> SearchResults[M]:
        results = found._chain()  # type: ignore[attr-defined]
        results.__class__ = cls
        results.search_total = total
        results.search_ranked = ranked
        results._search_rows = rows
        return cast("SearchResults[M]", results)

    def __getitem__(self, k: Any) -> Any:
        rows = self._search_rows
        if not isinstance(k, slice) or rows is None or self._result_cache is not None:
            return super().__getitem__(k)
        ids = list(self.values_list("pk", flat=True)[k])
        by_id = {row.pk: row for row in rows.filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


def search_total(rows: object) -> int | None:
    """The number of matches `search` counted for `rows`, if `rows` is its result."""
    total = getattr(rows, "search_total", None)
    return total if isinstance(total, int) else None


def was_ranked(rows: object) -> bool:
    """False for a search result in `then_by` order (too many matches, or asked for)."""
    return bool(getattr(rows, "search_ranked", True))


class ResultsPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator that takes a search result's count instead of counting it again."""

    @cached_property
    def count(self) -> int:
        total = search_total(self.object_list)
        return total if total is not None else super().count


# The SQL is built from the index's names only; the user's words travel only as a bound
# parameter.

def _matching_sqlite(queryset: QuerySet[M], index: FullTextIndex, terms: list[str], *,
                     walk: bool = False) -> QuerySet[M]:
    # FTS5 lists the matching rowids once; the row filters (and the caller's visibility) are
    # read from the table's indexes, never from its wide rows. `walk`: the unary `+` keeps
    # SQLite from looking each match up by its id, so it walks an index instead (the
    # visibility index to count, the order's to read a page).
    fts = index.fts_table
    plus = "+" if walk else ""
    return queryset.extra(  # noqa: S610
        where=[f'{plus}"{index.table}"."id" IN '  # noqa: S608
               f"(SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"],
        params=[fts5_match(terms)],
    )


def _ranked_sqlite(queryset: QuerySet[M], index: FullTextIndex, terms: list[str],
                   then_by: tuple[str, ...]) -> QuerySet[M]:
    fts = index.fts_table
    weights = ", ".join(str(weight) for weight in index.weights)
    # Joined, not a correlated subquery: FTS5 answers the MATCH once and bm25 is read per
    # matching row. The `+ 0` keeps SQLite's planner from pushing the rowid into the virtual
    # table (which re-runs the MATCH for every row). bm25 is lower for better matches.
    return (
        queryset.extra(  # noqa: S610
            tables=[fts],
            where=[f'"{index.table}"."id" = {fts}.rowid + 0', f"{fts} MATCH %s"],
            params=[fts5_match(terms)],
            select={"search_rank": f"bm25({fts}, {weights})"},
        )
        .order_by("search_rank", *then_by)
    )


def _matching_postgresql(queryset: QuerySet[M], index: FullTextIndex,
                         terms: list[str]) -> QuerySet[M]:
    # The GIN index answers the words once. For words the planner expects in many rows,
    # `planner_hints` makes it use that index; for the others it is left free, and looks the
    # few matches up by their key before checking who may see them (2 ms instead of 50 ms
    # for a word in 0.1 % of 60,000 statements: the hints made it read every visible row).
    table, column = index.table, index.vector_column
    query = tsquery_raw(terms)
    mark = SEARCH_MARK if _expected_matches(table, column, query) > FEW_MATCHES else ""
    return queryset.extra(  # noqa: S610
        where=[f'"{table}"."id" IN (SELECT "id" FROM "{table}" WHERE "{column}" @@ '  # noqa: S608
               f"to_tsquery('simple'::regconfig, %s)) {mark}"],
        params=[query],
    )


def _expected_matches(table: str, column: str, query: str) -> int:
    """The rows PostgreSQL's planner expects to match `query`, from its statistics of the
    column's words (no row is read)."""
    with connection.cursor() as cursor:
        cursor.execute(f'EXPLAIN (FORMAT JSON) SELECT 1 FROM "{table}" '  # noqa: S608
                       f"WHERE \"{column}\" @@ to_tsquery('simple'::regconfig, %s)", [query])
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _ranked_postgresql(found: QuerySet[M], index: FullTextIndex, terms: list[str],
                       then_by: tuple[str, ...]) -> QuerySet[M]:
    table, column = index.table, index.vector_column
    ranked: QuerySet[M] = found.extra(  # noqa: S610
        select={"search_rank": f'ts_rank("{table}"."{column}", '
                               "to_tsquery('simple'::regconfig, %s))"},
        select_params=[tsquery_raw(terms)],
    ).order_by("-search_rank", *then_by)
    return ranked


# -- PostgreSQL's planner ----------------------------------------------------------------------

Execute = Callable[[str, Any, bool, dict[str, Any]], Any]


def planner_hints(execute: Execute, sql: str, params: Any, many: bool,
                  context: dict[str, Any]) -> Any:
    """A connection's execute wrapper: a search query (it carries `SEARCH_MARK`) is planned
    without sequential or plain index scans, so PostgreSQL reads the GIN index; the settings
    are reset as soon as it has run. Every other query passes untouched."""
    if SEARCH_MARK not in sql:
        return execute(sql, params, many, context)
    raw = context["connection"].connection
    with raw.cursor() as cursor:
        for setting in _PLANNER_HINTS:
            cursor.execute(f"SET {setting} = off")
    try:
        result = execute(sql, params, many, context)
    except Exception:
        # In a failed transaction the reset fails too; its rollback undoes the settings.
        with suppress(Exception):
            _reset(raw)
        raise
    _reset(raw)
    return result


def _reset(raw: Any) -> None:
    with raw.cursor() as cursor:
        for setting in _PLANNER_HINTS:
            cursor.execute(f"RESET {setting}")


def install_planner_hints(sender: object, connection: BaseDatabaseWrapper,
                          **kwargs: object) -> None:
    """`connection_created` receiver: adds `planner_hints` to a PostgreSQL connection once."""
    if connection.vendor == "postgresql" and planner_hints not in connection.execute_wrappers:
        connection.execute_wrappers.append(planner_hints)


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
