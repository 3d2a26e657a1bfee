"""Full-text search: one interface over SQLite FTS5 and PostgreSQL, never wider than it is given."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hofburg.core import access, search
from hofburg.core.models import Classification
from hofburg.documents.models import Document
from hofburg.documents.search import find_documents, query_terms, search_documents
from hofburg.documents.services import add_language_version, register_document, update_document
from tests.conftest import Cast
from tests.documents.library import Library, text_file

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def _symbols(queryset: object) -> list[str]:
    return [d.symbol for d in queryset]  # type: ignore[attr-defined]


def _everything() -> object:
    return Document.objects.all()


def _register(cast: Cast, number: int, title: str, text: str, language: str = "en",
              **extra: object) -> Document:
    arguments: dict[str, object] = {
        "symbol": f"PC.DEL/{number}/25", "title": title, "date": datetime.date(2025, 5, number),
        "originator": "Delegation of Austria", "original_language": language,
        "classification": Classification.PUBLIC, "files": [(language, text_file(text))],
    }
    arguments.update(extra)
    return register_document(cast.alice, **arguments)  # type: ignore[arg-type]


def test_it_finds_words_in_titles_and_in_the_text_of_files(cast: Cast) -> None:
    _register(cast, 1, "Statement on water security", "Riparian communities share a basin.")
    _register(cast, 2, "Reply on energy", "Critical infrastructure and water pipelines.")
    _register(cast, 3, "Note on staffing", "Seconded personnel and rotations.")

    assert sorted(_symbols(search_documents(Document.objects.all(), "water"))) == [
        "PC.DEL/1/25", "PC.DEL/2/25"]
    assert _symbols(search_documents(Document.objects.all(), "riparian")) == ["PC.DEL/1/25"]
    assert _symbols(search_documents(Document.objects.all(), "ROTATIONS")) == ["PC.DEL/3/25"]


def test_every_word_of_the_query_must_match(cast: Cast) -> None:
    _register(cast, 1, "Statement on water security", "Riparian communities share a basin.")
    _register(cast, 2, "Reply on energy", "Critical infrastructure and water pipelines.")

    assert _symbols(search_documents(Document.objects.all(), "water pipelines")) == [
        "PC.DEL/2/25"]


def test_a_match_in_the_title_ranks_above_a_match_in_the_text(cast: Cast) -> None:
    _register(cast, 1, "Note on staffing", "A long text that mentions the workshop once.")
    _register(cast, 2, "Decision on a workshop", "Convening a meeting of experts.")

    assert _symbols(search_documents(Document.objects.all(), "workshop")) == [
        "PC.DEL/2/25", "PC.DEL/1/25"]


def test_it_finds_cyrillic_text_whatever_the_case(cast: Cast) -> None:
    _register(cast, 1, "Заявление по вопросу прекращения огня",
              "Делегация приветствует ПРЕКРАЩЕНИЕ огня и отвод тяжёлых вооружений.", language="ru")
    _register(cast, 2, "Statement on elections", "Observers were deployed.")

    for query in ("прекращение", "ПРЕКРАЩЕНИЯ", "заявление", "Тяжёлых вооружений"):
        assert _symbols(search_documents(Document.objects.all(), query)) == ["PC.DEL/1/25"], query


def test_it_never_widens_the_queryset_it_is_given(cast: Cast, library: Library) -> None:
    public_only = access.visible(Document.objects.all(), AnonymousUser())

    assert _symbols(search_documents(public_only, "ceasefire")) == ["PC.DEL/1/26"]
    assert _symbols(search_documents(public_only, "instructions")) == []


def test_a_blank_query_leaves_the_queryset_as_it_is(library: Library) -> None:
    assert search_documents(Document.objects.all(), "   ").count() == 4


def test_a_query_without_any_word_matches_nothing(library: Library) -> None:
    assert _symbols(search_documents(Document.objects.all(), "(( \"*\" ))")) == []


HOSTILE = [
    '"foo AND (', "ceasefire AND (", "NEAR(ceasefire report", "ceasefire*", "*", "-", "'",
    '"', "\\", ":", "title:ceasefire", "ceasefire OR", "OR", "NOT", "AND AND", "^ceasefire",
    "{title text}: ceasefire", "ceasefire\x00", "'; DROP TABLE core_document; --",
    "ceasefire & | ! <-> :*", "a" * 5000, "ceasefire " * 200, "\u202e\u200b", "🕊️ ceasefire",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_never_raises(query: str, library: Library) -> None:
    found = _symbols(search_documents(Document.objects.all(), query))
    assert set(found) <= {"PC.DEL/1/26", "PC.DEL/2/26", "PC.DEL/3/26", "PC.DEL/4/26"}


def test_operator_words_are_searched_as_words(cast: Cast) -> None:
    _register(cast, 1, "Statement on law and order", "Near the line of contact.")
    _register(cast, 2, "Reply on energy", "Pipelines.")

    for query in ("and", "AND", "near", "NEAR("):
        assert _symbols(search_documents(Document.objects.all(), query)) == ["PC.DEL/1/25"], query


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=60))
def test_no_text_whatsoever_makes_search_fail(query: str, library: Library) -> None:
    list(search_documents(Document.objects.all(), query))


def test_query_terms_are_words_only() -> None:
    assert query_terms('"foo AND ( bar_baz* "foo"') == ["foo", "AND", "bar", "baz"]
    assert query_terms("Österreich, прекращение-огня!") == ["Österreich", "прекращение", "огня"]


def test_the_index_follows_changes_to_the_title_and_the_files(cast: Cast) -> None:
    document = _register(cast, 1, "Statement on water security", "Riparian communities.")

    update_document(cast.alice, document, title="Statement on energy security")
    add_language_version(cast.alice, document, "fr", text_file("Déclaration sur l'hydrogène."))

    everything = Document.objects.all()
    assert _symbols(search_documents(everything, "water")) == []
    assert _symbols(search_documents(everything, "energy")) == ["PC.DEL/1/25"]
    assert _symbols(search_documents(everything, "hydrogène")) == ["PC.DEL/1/25"]


def test_the_index_forgets_deleted_documents(cast: Cast) -> None:
    document = _register(cast, 1, "Statement on water security", "Riparian communities.")
    Document.objects.filter(pk=document.pk).delete()
    _register(cast, 2, "Reply on water", "Pipelines.")

    assert _symbols(search_documents(Document.objects.all(), "water")) == ["PC.DEL/2/25"]


def test_the_filters_narrow_by_distribution_year_originator_and_language(
    cast: Cast, library: Library
) -> None:
    older = _register(cast, 1, "An older public statement", "Text.", originator="Secretariat")
    add_language_version(cast.alice, older, "de", text_file("Erklärung."))
    everything = Document.objects.all()

    assert _symbols(find_documents(everything, distribution="public")) == [
        "PC.DEL/1/26", "PC.DEL/1/25"]
    assert _symbols(find_documents(everything, year=2025)) == ["PC.DEL/1/25"]
    assert _symbols(find_documents(everything, originator="Secretariat")) == ["PC.DEL/1/25"]
    assert _symbols(find_documents(everything, language="de")) == ["PC.DEL/1/25"]
    assert _symbols(find_documents(everything, q="ceasefire", distribution="restricted")) == [
        "PC.DEL/2/26"]
    assert len(_symbols(find_documents(everything))) == 5


def test_words_match_by_their_beginning_on_both_databases(cast: Cast) -> None:
    _register(cast, 1, "Confidence-building measures", "Transparency.")
    _register(cast, 2, "Confidential annex", "Budget lines.")

    assert _symbols(search_documents(Document.objects.all(), "confid transp")) == [
        "PC.DEL/1/25"]
    assert sorted(_symbols(search_documents(Document.objects.all(), "CONFID"))) == [
        "PC.DEL/1/25", "PC.DEL/2/25"]


@on_sqlite
def test_the_sqlite_index_is_an_fts5_table_kept_by_triggers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                       "AND tbl_name = 'core_document' ORDER BY name")
        triggers = [row[0] for row in cursor.fetchall()]
    assert triggers == ["core_document_fts_delete", "core_document_fts_insert",
                        "core_document_fts_update"]


def test_search_syntax_is_read_as_plain_words_on_both_databases(cast: Cast) -> None:
    _register(cast, 1, "Statement on water security", "Riparian communities share a basin.")
    _register(cast, 2, "Reply on energy", "Critical infrastructure and water pipelines.")

    # Operators are not syntax: "-pipelines" is the word "pipelines", quotes are dropped.
    assert _symbols(search_documents(Document.objects.all(), "water -pipelines")) == [
        "PC.DEL/2/25"]
    assert _symbols(search_documents(Document.objects.all(), '"water pipelines" OR')) == []


@on_postgresql
def test_postgresql_serves_the_search_from_the_gin_index(
        library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    # As for a word the planner expects in many rows (core.search plans rarer ones freely).
    monkeypatch.setattr(search, "FEW_MATCHES", -1)
    queryset = search_documents(Document.objects.all(), "ceasefire")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "core_document_search_gin" in plan
