"""The pages of the mechanisms: the data file's rules with their basis, source and label; the
invocations with their filters; one invocation; the form a delegation or the Secretariat
records one with, which shows a refusal next to the field it names."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from time_machine import TimeMachineFixture

from hofburg.core.models import Classification, User
from hofburg.decisions.models import Invocation
from tests.conftest import Cast
from tests.decisions.samples_drafts import make_meeting
from tests.decisions.samples_invocations import Desk, an_invocation, make_desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(cast: Cast, clock: TimeMachineFixture) -> Desk:
    return make_desk(cast)


def _signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _field_paragraph(html: str, field: str) -> str:
    return html.split(f'id="id_{field}', 1)[1].split("</p>", 1)[0]


def test_the_mechanisms_page_shows_every_rule_with_its_basis_source_and_label() -> None:
    page = Client().get("/decisions/mechanisms/").content.decode()
    for name in ("Consensus", "Consensus-minus-one", "Consensus-minus-two (directed "
                 "conciliation)", "Vienna Human Dimension Mechanism", "Moscow Mechanism",
                 "Berlin emergency mechanism", "Valletta dispute-settlement mechanism"):
        assert f'lang="en">{name}</h3>' in page, name
    minus_one = page.split('id="consensus_minus_one"', 1)[1].split("</section>", 1)[0]
    assert "Prague Document on Further Development of CSCE Institutions" in minus_one
    assert "(label: disputed)" in minus_one and "DISPUTED" in minus_one
    assert "osce-organization.md §1.3" in minus_one
    assert "The objection of 1 State concerned" in minus_one
    moscow = page.split('id="moscow"', 1)[1].split("</section>", 1)[0]
    assert "UNCONFIRMED" in moscow and "SEC.GAL/132/11" in moscow
    assert 'href="/decisions/invocations/?mechanism=moscow"' in moscow
    assert "Record an invocation" not in moscow  # the visitor records nothing


def test_the_list_filters_by_mechanism_and_by_state(desk: Desk) -> None:
    moscow = an_invocation(desk.cast.alice, classification=Classification.PUBLIC)
    vienna = an_invocation(desk.cast.bob, mechanism="vienna_human_dimension",
                           states=["FI", "AT"], invoked_on=date(2026, 4, 1),
                           classification=Classification.PUBLIC)
    finland = an_invocation(desk.cast.bob, mechanism="valletta", states=["FI"],
                            classification=Classification.PUBLIC)

    def listed(**query: str) -> set[int]:
        response = Client().get("/decisions/invocations/", query)
        assert response.status_code == 200
        return {i.pk for i in response.context["invocations"]}

    assert listed() == {moscow.pk, vienna.pk, finland.pk}
    assert listed(mechanism="moscow") == {moscow.pk}
    assert listed(state="AT") == {moscow.pk, vienna.pk}
    assert listed(state="FI", mechanism="valletta") == {finland.pk}
    page = Client().get("/decisions/invocations/", {"state": "ZZ"}).content.decode()
    assert 'aria-invalid="true"' in page  # reported, and left out
    assert f"/decisions/invocations/{finland.pk}/" in page


def test_an_invocation_page_leaves_out_a_meeting_the_reader_may_not_see(desk: Desk) -> None:
    hidden = make_meeting(1400, classification=Classification.CONFIDENTIAL,
                          owner=desk.cast.austria)
    invocation = an_invocation(desk.cast.alice, meeting=hidden.pk, source="https://osce.org/x",
                               classification=Classification.PUBLIC)
    owner = _signed_in(desk.cast.alice).get(f"/decisions/invocations/{invocation.pk}/")
    assert "PC.JOUR/1400" in owner.content.decode()
    page = Client().get(f"/decisions/invocations/{invocation.pk}/").content.decode()
    assert "PC.JOUR/1400" not in page
    assert 'href="/registry/states/AT/">Austria</a>' in page
    assert '<a href="https://osce.org/x" rel="noopener noreferrer">' in page
    assert "Permanent Council" in page and "Moscow Mechanism" in page


def test_a_delegation_records_an_invocation_through_the_form(desk: Desk) -> None:
    client = _signed_in(desk.cast.alice)
    form = client.get("/decisions/invocations/new/?mechanism=valletta").content.decode()
    assert '<option value="valletta" selected>' in form
    # The delegation's own State is ticked to begin with.
    assert 'name="states" value="AT" id="id_states_0" checked>' in form
    assert 'name="states" value="FI" id="id_states_1">' in form
    assert 'value="JP"' not in form  # a Partner invokes no mechanism
    response = client.post("/decisions/invocations/new/", {
        "mechanism": "vienna_human_dimension", "states": ["AT", "FI"],
        "invoked_on": "2026-05-04", "body": "PC", "summary": "Asked for information.",
        "source": "PC.DEL/40/26", "classification": "restricted"})
    invocation = Invocation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/decisions/invocations/{invocation.pk}/"
    assert [row.code for row in invocation.invoking_states.all()] == ["AT", "FI"]


def test_a_refusal_is_shown_next_to_its_field_and_nothing_is_stored(desk: Desk) -> None:
    client = _signed_in(desk.cast.bob)
    response = client.post("/decisions/invocations/new/", {
        "mechanism": "moscow", "states": ["AT"], "invoked_on": "2026-05-04",
        "summary": "Asked.", "source": "javascript:alert(1)", "classification": "restricted"})
    assert response.status_code == 200
    # Finland's delegation names Austria alone: refused on the States, before the source.
    assert "name your own State" in response.content.decode()
    response = client.post("/decisions/invocations/new/", {
        "mechanism": "moscow", "states": ["FI"], "invoked_on": "2026-05-04",
        "summary": "Asked.", "source": "javascript:alert(1)", "classification": "restricted"})
    assert "starting with https://" in _field_paragraph(response.content.decode(), "source")
    assert not Invocation.objects.exists()


def test_who_is_offered_the_form(desk: Desk) -> None:
    anonymous = Client().get("/decisions/invocations/new/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in (desk.cast.carol, desk.cast.mona, desk.partner):
        assert _signed_in(user).get("/decisions/invocations/new/").status_code == 403
    assert _signed_in(desk.chair).get("/decisions/invocations/new/").status_code == 200
    listed = _signed_in(desk.cast.alice).get("/decisions/invocations/").content.decode()
    assert 'href="/decisions/invocations/new/"' in listed
    assert 'href="/decisions/invocations/new/"' not in (
        _signed_in(desk.cast.carol).get("/decisions/invocations/").content.decode())


def test_the_exercise_form_offers_exercise_delegations_only(desk: Desk) -> None:
    form = _signed_in(desk.exercise_north).get("/decisions/invocations/new/").content.decode()
    assert 'value="exercise-north"' in form and 'value="exercise-south"' in form
    assert 'value="AT"' not in form
    assert "You record exercise invocations" in form
