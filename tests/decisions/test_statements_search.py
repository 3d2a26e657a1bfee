"""Full-text search over statements: every language version, Cyrillic and accents included,
and never beyond what the caller may see."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from hofburg.core import access, search
from hofburg.core.models import Classification
from hofburg.decisions.models import Statement
from hofburg.decisions.search import INDEX, search_statements, statement_snippet
from hofburg.decisions.services.statements import add_statement_translation, record_statement
from tests.conftest import Cast
from tests.decisions.samples_statements import statement_input

pytestmark = pytest.mark.django_db
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")

migration = importlib.import_module("hofburg.decisions.migrations.0003_statement_search")


def _titles(queryset: object) -> list[str]:
    return [s.title for s in queryset]  # type: ignore[attr-defined]


def _say(cast: Cast, title: str, texts: dict[str, str], original: str = "en",
         level: str = Classification.PUBLIC) -> Statement:
    return record_statement(cast.alice, statement_input(
        title=title, texts=texts, original_language=original, classification=level))


@pytest.fixture
def spoken(cast: Cast) -> None:
    statement = _say(cast, "Water", {"en": "Riparian States share the basin and its security."})
    add_statement_translation(cast.alice, statement, "ru",
                              "Прибрежные государства делят бассейн и его безопасность.")
    add_statement_translation(cast.alice, statement, "fr",
                              "Les États riverains partagent le bassin et sa sécurité.")
    _say(cast, "Energy", {"fr": "La sécurité énergétique et les infrastructures critiques."},
         original="fr")
    _say(cast, "Elections", {"ru": "Наблюдение за выборами и права человека."}, original="ru")


def test_it_finds_english_words(spoken: None) -> None:
    assert _titles(search_statements(Statement.objects.all(), "riparian basin")) == ["Water"]


def test_it_finds_a_russian_word_in_any_case(spoken: None) -> None:
    found = search_statements(Statement.objects.all(), "БЕЗОПАСНОСТЬ")
    assert _titles(found) == ["Water"]
    assert _titles(search_statements(Statement.objects.all(), "выбор")) == ["Elections"]


def test_it_finds_french_words_with_their_accents(spoken: None) -> None:
    assert sorted(_titles(search_statements(Statement.objects.all(), "sécurité"))) == [
        "Energy", "Water"]
    assert _titles(search_statements(Statement.objects.all(), "énergétique")) == ["Energy"]
    # No stemming and no folding of accents: the unaccented word is another word.
    assert _titles(search_statements(Statement.objects.all(), "energetique")) == []


def test_every_word_must_match_and_syntax_is_plain_words(spoken: None) -> None:
    assert _titles(search_statements(Statement.objects.all(), "basin elections")) == []
    assert _titles(search_statements(Statement.objects.all(), '"basin" OR NEAR(')) == []
    assert _titles(search_statements(Statement.objects.all(), "-riparian*")) == ["Water"]
    assert search_statements(Statement.objects.all(), "?!").count() == 0
    assert search_statements(Statement.objects.all(), "  ").count() == 3


def test_a_match_in_the_title_ranks_first(cast: Cast) -> None:
    _say(cast, "General remarks", {"en": "Ceasefire is mentioned once in passing."})
    _say(cast, "Ceasefire", {"en": "On the monitoring of the line of contact."})
    assert _titles(search_statements(Statement.objects.all(), "ceasefire")) == [
        "Ceasefire", "General remarks"]


def test_words_only_hidden_statements_hold_find_nothing(cast: Cast) -> None:
    _say(cast, "Open", {"en": "A public word: transparency."})
    _say(cast, "Closed", {"en": "A restricted word: seabed."}, level=Classification.RESTRICTED)
    for_visitor = access.visible(Statement.objects.all(), AnonymousUser())

    assert search_statements(for_visitor, "seabed").count() == 0
    assert _titles(search_statements(for_visitor, "word")) == ["Open"]
    assert _titles(search_statements(access.visible(Statement.objects.all(), cast.bob),
                                     "seabed")) == ["Closed"]


def test_the_index_follows_a_new_language_version(cast: Cast) -> None:
    statement = _say(cast, "Late", {"en": "English first."})
    assert search_statements(Statement.objects.all(), "Deutsch").count() == 0
    add_statement_translation(cast.alice, statement, "de", "Zuerst Englisch, dann Deutsch.")
    assert _titles(search_statements(Statement.objects.all(), "deutsch")) == ["Late"]


def test_the_snippet_comes_from_the_version_holding_the_word(spoken: None) -> None:
    water = Statement.objects.get(title="Water")
    assert "безопасность" in statement_snippet(water, "безопасность")
    assert "sécurité" in statement_snippet(water, "sécurité", language="fr")
    assert statement_snippet(water, "").startswith("Riparian")


def test_the_migration_builds_the_index_the_search_reads() -> None:
    assert migration.INDEX == INDEX


@on_sqlite
def test_the_sqlite_index_is_an_fts5_table_kept_by_triggers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                       "AND tbl_name = 'decisions_statement' ORDER BY name")
        triggers = [row[0] for row in cursor.fetchall()]
    assert triggers == ["decisions_statement_fts_delete", "decisions_statement_fts_insert",
                        "decisions_statement_fts_update"]


@on_postgresql
def test_postgresql_serves_the_search_from_the_gin_index(spoken: None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # As for a word the planner expects in many rows: the search's own planner hints
    # (core.search) pick the index.
    monkeypatch.setattr(search, "FEW_MATCHES", -1)
    plan = search_statements(Statement.objects.all(), "безопасность").explain()
    assert "decisions_statement_search_gin" in plan
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)  # and they are reset once it has run


@on_postgresql
def test_a_word_expected_in_few_rows_is_planned_without_hints(
        spoken: None, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = search._expected_matches(INDEX.table, INDEX.vector_column, "basin:*")
    assert expected >= 0
    monkeypatch.setattr(search, "FEW_MATCHES", expected)
    free = search_statements(Statement.objects.all(), "basin")
    assert search.SEARCH_MARK not in str(free.query)
    assert _titles(free) == ["Water"]
    monkeypatch.setattr(search, "FEW_MATCHES", expected - 1)
    hinted = search_statements(Statement.objects.all(), "basin")
    assert search.SEARCH_MARK in str(hinted.query)
    assert _titles(hinted) == ["Water"]


@pytest.fixture
def basin(cast: Cast) -> None:
    """Three public statements about the basin, on three days, and two restricted ones of
    alice's delegation that an anonymous reader may not see."""
    for day, title in ((3, "Third"), (5, "Fifth"), (4, "Fourth")):
        _say(cast, title, {"en": "The basin. " * day}, original="en")
        Statement.objects.filter(title=title).update(delivered_on=date(2026, 3, day))
    for title in ("Hidden one", "Hidden two"):
        _say(cast, title, {"en": "The basin and the basin."}, level=Classification.RESTRICTED)


def test_too_many_matches_come_newest_first(basin: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "RANK_LIMIT", 2)
    found = search_statements(access.visible(Statement.objects.all(), AnonymousUser()), "basin")
    assert (found.search_total, found.search_ranked) == (3, False)  # type: ignore[attr-defined]
    assert _titles(found) == ["Fifth", "Fourth", "Third"]
    assert _titles(found[1:3]) == ["Fourth", "Third"]


def test_only_visible_matches_decide_whether_to_rank(basin: None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # Five statements match, three of them visible: the limit of three ranks them, so the
    # order tells an anonymous reader nothing of the two hidden ones.
    monkeypatch.setattr(search, "RANK_LIMIT", 3)
    found = search_statements(access.visible(Statement.objects.all(), AnonymousUser()), "basin")
    assert (found.search_total, found.search_ranked) == (3, True)  # type: ignore[attr-defined]
    assert _titles(found)[0] == "Fifth"  # the word five times
    assert _titles(found[:1]) == ["Fifth"]  # a page is read ids first, in the same order


def test_newest_first_on_request(basin: None) -> None:
    found = search_statements(access.visible(Statement.objects.all(), AnonymousUser()), "basin",
                              order="newest")
    assert found.search_ranked is False  # type: ignore[attr-defined]
    assert _titles(found) == ["Fifth", "Fourth", "Third"]


def test_the_pages_reuse_the_count_of_the_search(basin: None,
                                                 django_assert_num_queries: object) -> None:
    found = search_statements(access.visible(Statement.objects.all(), AnonymousUser()), "basin")
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert search.ResultsPaginator(found, 2).count == 3
    # A queryset derived from the result counts again, so it is never wrong.
    derived = found.filter(title="Third")
    assert search.search_total(derived) is None
    assert search.ResultsPaginator(derived, 2).count == 1
