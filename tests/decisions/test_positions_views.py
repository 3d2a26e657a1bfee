"""The position tracker pages: the delegation follows a draft through the four steps."""

from __future__ import annotations

import pytest

from hofburg.core.models import Classification
from hofburg.decisions.models import Position
from tests.conftest import Cast
from tests.decisions.samples_statements import Delegates, delegates, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast: Cast) -> Delegates:
    return delegates(cast)


def test_an_editor_goes_through_instruction_stance_and_outcome(cast: Cast) -> None:
    subject = draft(classification=Classification.PUBLIC)
    client = cast.client(cast.alice)
    url = f"/decisions/positions/{subject.pk}/"

    tracker = client.get("/decisions/positions/")
    assert "Follow a draft" in tracker.content.decode()
    assert client.get(f"/decisions/positions/?draft={subject.pk}")["Location"] == url
    assert client.post(url, {"step": "instruction", "instruction-instruction": "Join.",
                             "instruction-red_lines": "No money.",
                             "instruction-received_on": "2026-03-01"}).status_code == 302
    assert client.post(url, {"step": "stance", "stance-revision": "1",
                             "stance-stance": "reserve", "stance-note": "Para 3."}
                       ).status_code == 302
    assert client.post(url, {"step": "outcome", "outcome-outcome": "joined",
                             "outcome-note": "Joined on Thursday."}).status_code == 302

    page = client.get(url).content.decode()
    assert "No money." in page and "Para 3." in page and "Joined on Thursday." in page
    assert "CET" in page or "CEST" in page  # the stance's time in Vienna, with its zone
    listing = client.get("/decisions/positions/").content.decode()
    assert subject.symbol in listing and "No money." in listing
    position = Position.objects.get()
    assert position.owner_affiliation == cast.austria and position.outcome == "joined"


def test_a_refusal_shows_on_its_form(cast: Cast) -> None:
    subject = draft()
    response = cast.client(cast.alice).post(
        f"/decisions/positions/{subject.pk}/",
        {"step": "instruction", "instruction-received_on": "2999-01-01"})
    assert response.status_code == 200
    assert "future" in response.content.decode()
    assert not Position.objects.exists()


def test_a_reader_of_the_delegation_reads_without_forms(cast: Cast, people: Delegates) -> None:
    subject = draft()
    page = cast.client(people.anna).get(f"/decisions/positions/{subject.pk}/").content.decode()
    assert "No instruction is recorded." in page and 'name="step"' not in page
    assert cast.client(people.anna).post(f"/decisions/positions/{subject.pk}/",
                                         {"step": "outcome"}).status_code == 403


def test_a_hidden_draft_and_an_outsider_get_404(cast: Cast, people: Delegates) -> None:
    hidden = draft(classification=Classification.CONFIDENTIAL, owner=cast.cpc)
    visible = draft(2)
    assert cast.client(cast.alice).get(f"/decisions/positions/{hidden.pk}/").status_code == 404
    for outsider in (people.sam, cast.carol, cast.dora, cast.nick):
        assert cast.client(outsider).get(
            f"/decisions/positions/{visible.pk}/").status_code == 404
        assert "keeps none" in cast.client(outsider).get("/decisions/positions/").content.decode()
