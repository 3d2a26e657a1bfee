"""The rounds pages: the list by format, newest first, with a format filter; a round with its
participants, outcome and commitments with their evidence links; the forms for those allowed."""

from __future__ import annotations

from datetime import date

import pytest

from hofburg.core.models import Classification
from hofburg.decisions.models import Commitment, NegotiationRound
from hofburg.decisions.services import rounds as services
from tests.decisions.samples_rounds import a_round, make_formats

pytestmark = pytest.mark.django_db


@pytest.fixture
def formats(cast):
    return make_formats()


def test_the_list_groups_rounds_by_format_newest_first_and_filters(cast, formats):
    a_round(cast.mona, place="Older place", starts_on=date(2018, 5, 29), ends_on=None)
    a_round(cast.mona, place="Newer place", starts_on=date(2019, 10, 9), ends_on=None)
    page = cast.client(None).get("/decisions/rounds/").content.decode()
    assert 'id="format-five-plus-two"' in page
    assert page.index("Newer place") < page.index("Older place")
    filtered = cast.client(None).get("/decisions/rounds/", {"format": "exercise-talks"})
    assert "Newer place" not in filtered.content.decode()
    unknown = cast.client(None).get("/decisions/rounds/", {"format": "<b>nope</b>"})
    assert unknown.status_code == 200
    assert "Newer place" in unknown.content.decode()


def test_a_round_shows_dates_participants_outcome_documents_and_commitments(cast, formats):
    negotiation_round = a_round(cast.mona, outcome="Talks continue.",
                                documents=["Protocol of the round"])
    services.record_commitment(cast.mona, negotiation_round, services.CommitmentInput(
        text="Weapons withdrawn to the agreed lines.", kind="withdrawal_of_weapons",
        source="Protocol, point 2", confidence="unconfirmed",
        evidence_path="/monitoring/reports/2026-03-04/"))
    page = cast.client(None).get(f"/decisions/rounds/{negotiation_round.pk}/").content.decode()
    for text in ('datetime="2026-03-02"', 'datetime="2026-03-03"', "Vienna", "Moldova",
                 "Transdniestria", "mediator", "observer", "Talks continue.",
                 "Protocol of the round", "Weapons withdrawn to the agreed lines.",
                 "withdrawal of weapons", "Protocol, point 2", "UNCONFIRMED",
                 'href="/monitoring/reports/2026-03-04/"', 'href="/registry/states/MD/"'):
        assert text in page, text
    assert "Record a commitment" not in page  # the anonymous visitor records nothing


def test_a_month_only_round_shows_the_month_and_no_day(cast, formats):
    negotiation_round = a_round(cast.mona, starts_on=date(2011, 12, 1), ends_on=None,
                                date_precision="month")
    page = cast.client(None).get(f"/decisions/rounds/{negotiation_round.pk}/").content.decode()
    assert "December 2011" in page
    assert "1 December 2011" not in page and "2011-12-01" not in page.replace(
        'datetime="2011-12', "")


def test_an_editor_records_a_round_and_a_commitment_through_the_forms(cast, formats):
    client = cast.client(cast.mona)
    assert "Record a round" in client.get("/decisions/rounds/").content.decode()
    response = client.post("/decisions/rounds/new/", {
        "format": "five-plus-two", "starts_on": "2026-04-01", "ends_on": "2026-04-02",
        "date_precision": "day", "place": "Bratislava", "participants": "side: MD\nmediator: OSCE",
        "outcome": "", "documents": "Joint statement", "classification": "restricted"})
    negotiation_round = NegotiationRound.objects.get(place="Bratislava")
    assert response.status_code == 302
    assert response["Location"] == f"/decisions/rounds/{negotiation_round.pk}/"
    assert negotiation_round.participants == [{"role": "side", "state": "MD", "name": ""},
                                              {"role": "mediator", "state": "", "name": "OSCE"}]
    assert negotiation_round.documents == ["Joint statement"]
    detail = client.get(response["Location"]).content.decode()
    assert "Record a commitment" in detail
    refused = client.post(f"/decisions/rounds/{negotiation_round.pk}/commitments/", {
        "text": "Withdraw.", "kind": "withdrawal_of_weapons",
        "evidence_path": "javascript:alert(1)"})
    assert refused.status_code == 200
    assert "Give the path of a page of the monitoring desk" in refused.content.decode()
    assert not Commitment.objects.exists()
    client.post(f"/decisions/rounds/{negotiation_round.pk}/commitments/", {
        "text": "Withdraw.", "kind": "withdrawal_of_weapons", "evidence_path": "/monitoring/map/"})
    assert Commitment.objects.get().evidence_path == "/monitoring/map/"


def test_a_refused_round_is_shown_next_to_its_field(cast, formats):
    response = cast.client(cast.mona).post("/decisions/rounds/new/", {
        "format": "five-plus-two", "starts_on": "2026-04-01", "date_precision": "day",
        "place": "Vienna", "participants": "host: MD", "classification": "public"})
    assert response.status_code == 200
    assert "A participant&#x27;s role is one of" in response.content.decode()
    assert not NegotiationRound.objects.exists()


def test_those_who_may_not_record_see_no_form_and_are_refused(cast, formats):
    negotiation_round = a_round(cast.mona, classification=Classification.PUBLIC)
    alice = cast.client(cast.alice)
    assert "Record a round" not in alice.get("/decisions/rounds/").content.decode()
    assert alice.get("/decisions/rounds/new/").status_code == 403
    assert alice.post(f"/decisions/rounds/{negotiation_round.pk}/commitments/",
                      {"text": "x", "kind": "other"}).status_code == 403
    anonymous = cast.client(None)
    assert anonymous.get("/decisions/rounds/new/").status_code == 302
    assert anonymous.post(f"/decisions/rounds/{negotiation_round.pk}/commitments/",
                          {"text": "x", "kind": "other"}).status_code == 302
    assert not Commitment.objects.exists()
