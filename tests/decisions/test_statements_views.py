"""The statements pages: list and search, one statement in its languages, recording, CSV."""

from __future__ import annotations

import csv
import io

import pytest

from hofburg.core import search
from hofburg.core.models import Classification
from hofburg.decisions.models import Statement
from hofburg.decisions.services.statements import add_statement_translation, record_statement
from tests.conftest import Cast
from tests.decisions.samples_statements import Delegates, delegates, meeting, statement_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast: Cast) -> Delegates:
    return delegates(cast)


def test_the_list_shows_each_hit_with_its_symbol_speaker_meeting_and_snippet(cast: Cast) -> None:
    plenary = meeting(classification=Classification.PUBLIC)
    record_statement(cast.alice, statement_input(
        meeting=plenary.pk, agenda_item=2, aligned=["Liechtenstein"], distribute=True,
        texts={"en": "Opening words. " * 30 + "The <b>ceasefire</b> must hold."}))

    page = cast.client(None).get("/decisions/statements/?q=ceasefire")
    html = page.content.decode()
    assert page.status_code == 200
    assert "PC.DEL/1/26" in html and "Delegation of Austria" in html
    assert "PC.JOUR/1500" in html and "Liechtenstein" in html
    # The snippet is text: markup in a statement is shown, never run.
    assert "&lt;b&gt;ceasefire&lt;/b&gt;" in html and "<b>ceasefire" not in html


def test_a_search_with_too_many_matches_says_they_come_newest_first(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    for day in (3, 5, 4):
        statement = record_statement(cast.alice, statement_input(title=f"Day {day}"))
        Statement.objects.filter(pk=statement.pk).update(delivered_on=f"2026-03-0{day}")
    monkeypatch.setattr(search, "RANK_LIMIT", 2)
    html = cast.client(None).get("/decisions/statements/?q=ceasefire").content.decode()
    assert "too many to rank: the newest come first" in html
    assert html.index("Day 5") < html.index("Day 4") < html.index("Day 3")
    assert "3 statements" in html
    monkeypatch.setattr(search, "RANK_LIMIT", 3)
    ranked = cast.client(None).get("/decisions/statements/?q=ceasefire").content.decode()
    assert "too many to rank" not in ranked
    asked = cast.client(None).get("/decisions/statements/?q=ceasefire&order=newest")
    assert "too many to rank" not in asked.content.decode()  # asked for: nothing to explain


def test_a_search_for_words_only_hidden_statements_hold_finds_nothing(cast: Cast) -> None:
    record_statement(cast.alice, statement_input(classification=Classification.RESTRICTED,
                                                 texts={"en": "The seabed survey."}))
    anonymous = cast.client(None).get("/decisions/statements/?q=seabed").content.decode()
    results = anonymous.split('role="search"')[1].split("</form>", 1)[1]
    assert "0 statements" in results and "survey" not in results
    assert "1 statement" in cast.client(cast.bob).get(
        "/decisions/statements/?q=seabed").content.decode()


def test_the_detail_page_offers_every_language_version(cast: Cast) -> None:
    statement = record_statement(cast.alice, statement_input(texts={"en": "English text."}))
    add_statement_translation(cast.alice, statement, "ru", "Русский текст.")
    client = cast.client(None)

    english = client.get(f"/decisions/statements/{statement.pk}/").content.decode()
    assert "English text." in english and 'href="?lang=ru"' in english
    russian = client.get(f"/decisions/statements/{statement.pk}/?lang=ru").content.decode()
    assert "Русский текст." in russian and 'lang="ru" aria-label' in russian
    assert client.get("/decisions/statements/999/").status_code == 404


def test_the_speaker_adds_a_language_version_on_the_page(cast: Cast) -> None:
    statement = record_statement(cast.alice, statement_input())
    url = f"/decisions/statements/{statement.pk}/"
    assert "Add a language version" not in cast.client(cast.bob).get(url).content.decode()
    assert cast.client(cast.bob).post(url, {"language": "fr", "text": "x"}).status_code == 403

    response = cast.client(cast.alice).post(url, {"language": "fr", "text": "Texte."})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.texts["fr"] == "Texte."


def test_an_editor_records_a_statement_through_the_form(cast: Cast) -> None:
    plenary = meeting()
    client = cast.client(cast.alice)
    assert client.get("/decisions/statements/new/").status_code == 200
    response = client.post("/decisions/statements/new/", {
        "body": "PC", "meeting": plenary.pk, "agenda_item": 1, "original_language": "en",
        "text": "We thank the Chair.", "aligned": "Norway\nIceland\n",
        "classification": "restricted", "distribute": "on"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    statement = Statement.objects.get()
    assert statement.symbol == "PC.DEL/1/26" and statement.aligned == ["Norway", "Iceland"]
    assert statement.delivered_on == plenary.date


def test_a_refusal_is_shown_on_the_form(cast: Cast) -> None:
    response = cast.client(cast.alice).post("/decisions/statements/new/", {
        "body": "PC", "original_language": "en", "text": "x", "classification": "public",
        "delivered_on": "2026-03-05", "delegation": "delegation-fi"})
    assert response.status_code == 200
    assert "only the Chair or the Secretariat" in response.content.decode()
    assert not Statement.objects.exists()


def test_only_editors_reach_the_form(cast: Cast) -> None:
    assert cast.client(None).get("/decisions/statements/new/").status_code == 302
    assert cast.client(cast.nick).get("/decisions/statements/new/").status_code == 403
    assert cast.client(cast.carol).get("/decisions/statements/new/").status_code == 403


def test_the_csv_holds_the_visible_statements_formula_safe(cast: Cast, people: Delegates) -> None:
    closed = meeting(classification=Classification.CONFIDENTIAL, owner=cast.cpc)
    record_statement(people.sam, statement_input(
        meeting=closed.pk, delegation="delegation-at", title="=HYPERLINK(\"x\")"))
    record_statement(cast.bob, statement_input(classification=Classification.RESTRICTED,
                                               title="Restricted one"))

    def rows(client: object, query: str = "") -> list[dict[str, str]]:
        response = client.get(f"/decisions/statements/?format=csv{query}")  # type: ignore[attr-defined]
        assert response["Content-Type"].startswith("text/csv")
        return list(csv.DictReader(io.StringIO(response.content.decode())))

    public = rows(cast.client(None))
    assert [r["title"] for r in public] == ["'=HYPERLINK(\"x\")"]
    assert public[0]["meeting"] == ""  # the meeting is the Secretariat's alone
    assert {r["title"] for r in rows(cast.client(cast.alice))} == {
        "'=HYPERLINK(\"x\")", "Restricted one"}
    assert rows(cast.client(people.sam))[-1]["meeting"] == "PC.JOUR/1500"
    assert rows(cast.client(cast.alice), "&q=nothingmatches") == []


@pytest.mark.parametrize("query", [
    "since=0001-01-01", "until=9999-12-31", "page=abc", "page=999999", "q=%22%2A%28",
    "delegation=nobody", "body=UN", "language=zz", "q=" + "x" * 600, "format=csv&since=bad",
])
def test_bad_filters_are_ignored_never_a_server_error(cast: Cast, query: str) -> None:
    record_statement(cast.alice, statement_input())
    response = cast.client(None).get(f"/decisions/statements/?{query}")
    assert response.status_code == 200


def test_a_hostile_language_choice_falls_back_to_the_original(cast: Cast) -> None:
    statement = record_statement(cast.alice, statement_input(texts={"en": "English text."}))
    page = cast.client(None).get(f"/decisions/statements/{statement.pk}/?lang=%3Cscript%3E")
    assert page.status_code == 200 and "English text." in page.content.decode()
