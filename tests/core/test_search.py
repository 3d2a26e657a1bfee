"""The shared full-text machinery: safe query words, the index SQL, snippets."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from hofburg.core.search import (
    SEARCH_MARK,
    FullTextIndex,
    fts5_match,
    query_terms,
    snippet,
    tsquery_raw,
)
from hofburg.decisions.search import INDEX as STATEMENT_INDEX
from hofburg.documents.search import INDEX as DOCUMENT_INDEX


def _migration(name: str) -> Any:
    return importlib.import_module(f"hofburg.{name}")


document_search_migration = _migration("core.migrations.0002_document_search")
document_vector_migration = _migration("documents.migrations.0002_search_vector")
statement_search_migration = _migration("decisions.migrations.0003_statement_search")
statement_vector_migration = _migration("decisions.migrations.0004_search_vector")


def _upgrade(index: FullTextIndex) -> list[str]:
    return [f"DROP INDEX IF EXISTS {index.gin_index}", *index.postgresql_forward()]


def _downgrade(index: FullTextIndex) -> list[str]:
    return [*index.postgresql_backward(), *index.postgresql_expression_index()]


def test_the_builder_writes_the_very_sql_of_the_document_index_migrations() -> None:
    # The documents' migrations predate the builder or froze its output; the builder must keep
    # producing it, so a desk's index built with it behaves as the library's does.
    assert DOCUMENT_INDEX.sqlite_forward() == document_search_migration.SQLITE_FORWARD
    assert DOCUMENT_INDEX.sqlite_backward() == document_search_migration.SQLITE_BACKWARD
    expression = DOCUMENT_INDEX.postgresql_expression_index()
    assert expression == document_search_migration.POSTGRESQL_FORWARD
    assert _upgrade(DOCUMENT_INDEX) == document_vector_migration.POSTGRESQL_FORWARD
    assert _downgrade(DOCUMENT_INDEX) == document_vector_migration.POSTGRESQL_BACKWARD


def test_the_builder_writes_the_very_sql_of_the_statement_index_migrations() -> None:
    expression = STATEMENT_INDEX.postgresql_expression_index()
    assert expression == statement_search_migration.POSTGRESQL_FORWARD
    assert _upgrade(STATEMENT_INDEX) == statement_vector_migration.POSTGRESQL_FORWARD
    assert _downgrade(STATEMENT_INDEX) == statement_vector_migration.POSTGRESQL_BACKWARD


def test_only_sqlite_and_postgresql_get_statements() -> None:
    assert DOCUMENT_INDEX.forward("sqlite") == DOCUMENT_INDEX.sqlite_forward()
    assert DOCUMENT_INDEX.forward("postgresql") == DOCUMENT_INDEX.postgresql_forward()
    assert DOCUMENT_INDEX.forward("mysql") == []
    assert DOCUMENT_INDEX.backward("oracle") == []


def test_an_index_needs_one_weight_per_column() -> None:
    with pytest.raises(ValueError, match="one weight per column"):
        FullTextIndex(table="t", columns=("a", "b"), weights=(1.0,), gin_index="t_gin")
    with pytest.raises(ValueError, match="at most 4"):
        FullTextIndex(table="t", columns=tuple("abcde"), weights=(1.0,) * 5, gin_index="t_gin")


def test_user_words_never_become_syntax() -> None:
    terms = query_terms('"water" OR (NEAR -pipes*) Безопасность')
    assert terms == ["water", "OR", "NEAR", "pipes", "Безопасность"]
    assert fts5_match(terms) == '"water"* "OR"* "NEAR"* "pipes"* "Безопасность"*'
    assert tsquery_raw(terms) == "water:* & or:* & near:* & pipes:* & безопасность:*"


def test_a_snippet_is_cut_around_the_first_match_on_word_boundaries() -> None:
    text = " ".join(f"word{n}" for n in range(100)) + " Ceasefire holds. " + "tail " * 60
    piece = snippet(text, ["ceasef"], width=80)
    assert "Ceasefire holds." in piece
    assert piece.startswith("… ") and piece.endswith(" …")
    assert len(piece) <= 84


def test_a_snippet_without_a_match_is_the_start_of_the_text() -> None:
    assert snippet("Short text.", ["absent"]) == "Short text."
    assert snippet("  Spaced\n\n text  ", []) == "Spaced text"


def test_a_snippet_matches_only_at_the_start_of_a_word() -> None:
    text = "a " * 150 + "unsecured " + "b " * 100 + "security matters"
    assert "security matters" in snippet(text, ["secur"], width=60)


def test_index_names_must_be_plain_identifiers() -> None:
    with pytest.raises(ValueError, match="identifier"):
        FullTextIndex(table="t; DROP TABLE x", columns=("a",), weights=(1.0,), gin_index="t_gin")
    with pytest.raises(ValueError, match="identifier"):
        FullTextIndex(table="t", columns=("a'",), weights=(1.0,), gin_index="t_gin")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_planner_hints_hold_for_a_search_query_only_and_are_reset_even_on_error() -> None:
    def setting(cursor: Any) -> str:
        cursor.execute("SHOW enable_seqscan")
        return str(cursor.fetchone()[0])

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT current_setting('enable_seqscan') {SEARCH_MARK}")
        assert cursor.fetchone() == ("off",)  # while the marked query runs
        assert setting(cursor) == "on"  # and after
        cursor.execute("SELECT current_setting('enable_seqscan')")
        assert cursor.fetchone() == ("on",)  # an unmarked query is left alone
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute(f"SELECT 1 / 0 {SEARCH_MARK}")
        assert setting(cursor) == "on"
