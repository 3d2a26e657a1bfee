"""The persons list reads a page at a time, the page's sealed fields in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hofburg.cases import views
from hofburg.cases.services import persons
from tests.cases.conftest import Scene, verified_client


def test_the_persons_page_shows_a_page_of_names_and_the_next_page_the_rest(
        scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(4):
        persons.create_person(scene.erin, owner=scene.cast.cpc,
                              vault_values={"name": f"Listed Person {number}"})
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client = verified_client(scene.erin)  # six persons, every one granted to erin
    first = client.get("/cases/persons/").content.decode()
    second = client.get("/cases/persons/", {"page": 2}).content.decode()
    names = [f"Listed Person {n}" for n in range(4)] + ["Zebulon Quixotic-Secretname",
                                                        "Ottilie Confidential-Nameless"]
    shown_first = [n for n in names if n in first]
    shown_second = [n for n in names if n in second]
    assert len(shown_first) == 3 and len(shown_second) == 3
    assert not set(shown_first) & set(shown_second)


def test_unsealing_a_page_of_persons_takes_one_vault_query(scene: Scene) -> None:
    for number in range(5):
        persons.create_person(scene.erin, owner=scene.cast.cpc,
                              vault_values={"name": f"Listed Person {number}"})
    client = verified_client(scene.erin)
    client.get("/cases/persons/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/cases/persons/").content.decode()
    assert "Listed Person 4" in page
    vault_reads = [q for q in queries.captured_queries if "cases_vaultentry" in q["sql"]]
    assert len(vault_reads) == 1
