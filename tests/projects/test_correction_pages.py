"""The pages that correct, reverse and delete what was recorded, keep the donors that are not in
the registry, and record seconded and contracted personnel: each stores through the services,
shows a refusal beside its field with what was typed kept, and answers 404 for what the reader
may not see, 302 to a visitor, 403 to a reader who may not change it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hofburg.core.models import Role, User
from hofburg.projects import queries
from hofburg.projects.models import (
    BudgetLine,
    Correction,
    Donor,
    LogframeElement,
    Secondment,
    Transaction,
)
from hofburg.projects.services.personnel import SecondmentIn, record_secondment
from tests.conftest import PASSWORD, Cast
from tests.projects.samples import World, indicator_of, make_world, periods_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)


def _errors_of(response: Any, field: str) -> str:
    return " ".join(str(e) for e in response.context["form"].errors.get(field, []))


def correction_pages(project_id: int) -> list[str]:
    """Every correction page of a project of the samples, with its own records' ids."""
    pledge = Transaction.objects.get(project_id=project_id, flow="pledge")
    element = LogframeElement.objects.get(project_id=project_id, code="1.1.1.1")
    indicator = indicator_of_id(project_id)
    period = periods_of_id(project_id)
    base = f"/projects/{project_id}"
    return [f"{base}/transactions/{pledge.pk}/correct/",
            f"{base}/transactions/{pledge.pk}/reverse/",
            f"{base}/budget/2025/correct/", f"{base}/budget/2025/reverse/",
            f"{base}/logframe/{element.pk}/correct/", f"{base}/logframe/{element.pk}/delete/",
            f"{base}/indicators/{indicator}/correct/", f"{base}/indicators/{indicator}/delete/",
            f"{base}/periods/{period}/correct/", f"{base}/periods/{period}/actual/",
            f"{base}/periods/{period}/delete/"]


def indicator_of_id(project_id: int) -> int:
    from hofburg.projects.models import Indicator
    return Indicator.objects.get(element__project_id=project_id).pk


def periods_of_id(project_id: int) -> int:
    from hofburg.projects.models import IndicatorPeriod
    return IndicatorPeriod.objects.filter(
        indicator__element__project_id=project_id).order_by("start").first().pk  # type: ignore[union-attr]


def test_an_editor_corrects_and_reverses_money_on_the_pages(cast: Cast, world: World) -> None:
    project = world.public
    client = cast.client(world.erin)
    base = f"/projects/{project.pk}"
    page = client.get(f"{base}/").content.decode()
    pledge = Transaction.objects.get(project=project, flow="pledge")
    assert f"{base}/transactions/{pledge.pk}/correct/" in page
    form = client.get(f"{base}/transactions/{pledge.pk}/correct/")
    assert form.status_code == 200 and form.context["form"]["value"].value() == pledge.value
    data = {"flow": "pledge", "donor": "at", "value": "160000", "value_date": "2024-11-01",
            "currency": "", "rate": "", "rate_date": "", "period_start": "", "period_end": "",
            "earmark": "", "donor_activity_id": "", "description": "", "reason": ""}
    refused = client.post(f"{base}/transactions/{pledge.pk}/correct/", data)
    assert refused.status_code == 422 and _errors_of(refused, "reason")
    assert refused.context["form"]["value"].value() == "160000"
    done = client.post(f"{base}/transactions/{pledge.pk}/correct/",
                       {**data, "reason": "Signed amount"})
    assert done.status_code == 302 and done["Location"] == f"{base}/"
    assert queries.project_balances(project).pledged == 160_000
    page = client.get(f"{base}/").content.decode()
    assert "Signed amount" in page and "Corrections" in page
    assert "value: 150000.00 → 160000.00" in page
    # The superseded transaction has no page any more.
    assert client.get(f"{base}/transactions/{pledge.pk}/correct/").status_code == 404
    spent = Transaction.objects.get(project=project, flow="expenditure")
    assert client.post(f"{base}/transactions/{spent.pk}/reverse/",
                       {"reason": "Booked twice"}).status_code == 302
    assert queries.project_balances(project).spent == 0
    assert client.post(f"{base}/budget/2026/correct/", {
        "original": "70000", "revised": "", "reason": "Misread"}).status_code == 302
    assert client.post(f"{base}/budget/2026/reverse/", {"reason": "x"}).status_code == 302
    assert list(BudgetLine.objects.filter(project=project).values_list("year", flat=True)) == [
        2025]
    assert Correction.objects.filter(project=project).count() == 4


def test_a_deletion_others_depend_on_is_refused_on_the_page(cast: Cast, world: World) -> None:
    project = world.public
    client = cast.client(world.erin)
    base = f"/projects/{project.pk}"
    output = LogframeElement.objects.get(project=project, code="1.1.1")
    refused = client.post(f"{base}/logframe/{output.pk}/delete/", {"reason": "x"})
    assert refused.status_code == 422
    assert "1.1.1.1" in refused.content.decode()
    assert LogframeElement.objects.filter(pk=output.pk).exists()
    indicator = indicator_of(project)
    assert client.post(f"{base}/indicators/{indicator.pk}/delete/",
                       {"reason": "x"}).status_code == 422
    reported, unreported = periods_of(project)
    assert client.post(f"{base}/periods/{reported.pk}/delete/",
                       {"reason": "x"}).status_code == 422
    assert client.post(f"{base}/periods/{reported.pk}/actual/",
                       {"actual": "33", "reason": "Recount"}).status_code == 302
    assert client.post(f"{base}/periods/{unreported.pk}/correct/", {
        "start": "2025-07-01", "end": "2025-12-31", "target": "80",
        "reason": "Smaller hall"}).status_code == 302
    assert client.post(f"{base}/indicators/{indicator.pk}/correct/", {
        "title": "Prosecutors trained", "measure": "1", "baseline": "0", "baseline_year": "2024",
        "ascending": "on", "means_of_verification": "Lists", "reason": "Means"}).status_code == 302
    assert client.post(f"{base}/logframe/{output.pk}/correct/", {
        "code": "1.1.1", "title": "Prosecutors trained well", "description": "",
        "reason": "Wording"}).status_code == 302
    kinds = set(Correction.objects.filter(project=project).values_list("kind", flat=True))
    assert kinds == {"actual", "period", "indicator", "element"}


def test_who_may_use_the_correction_pages(cast: Cast, world: World) -> None:
    # alice (a delegation) sees P-200 but may not change it; nick (no affiliation) P-100.
    for user, project in ((cast.alice, world.restricted), (cast.nick, world.public),
                          (world.paul, world.public)):
        client = cast.client(user)
        for page in correction_pages(project.pk):
            assert client.get(page).status_code == 403, page
            assert client.post(page, {"reason": "x"}).status_code == 403, page
    # Hidden is absent: erin does not see the mission's project, nor visitors the restricted.
    erin = cast.client(world.erin)
    for page in correction_pages(world.mission_secret.pk):
        assert erin.get(page).status_code == 404, page
        assert erin.post(page, {"reason": "x"}).status_code == 404, page
    for page in correction_pages(world.restricted.pk):
        assert Client().get(page).status_code == 404, page
    for page in correction_pages(world.public.pk):
        assert Client().get(page).status_code == 302, page
    # A record of another project is absent from this one.
    other = Transaction.objects.get(project=world.restricted, flow="pledge")
    assert erin.get(f"/projects/{world.public.pk}/transactions/{other.pk}/correct/"
                    ).status_code == 404
    assert not Correction.objects.exists()


def test_donors_not_in_the_registry_are_kept_on_pages(cast: Cast, world: World) -> None:
    client = cast.client(world.erin)
    listing = client.get("/projects/donors/").content.decode()
    assert "European Union" in listing and 'href="/projects/donors/new/"' in listing
    refused = client.post("/projects/donors/new/", {"code": "eu", "name": "Again",
                                                     "kind": "eu", "iati_type": "40"})
    assert refused.status_code == 422 and _errors_of(refused, "code")
    assert client.post("/projects/donors/new/", {
        "code": "water-fund", "name": "Water Fund", "kind": "other", "iati_ref": "",
        "iati_type": "60"}).status_code == 302
    fund = Donor.objects.get(code="water-fund")
    assert (fund.kind, fund.iati_type, fund.is_exercise) == ("other", "60", False)
    assert client.post("/projects/donors/water-fund/edit/", {
        "name": "Basin Water Fund", "kind": "other", "iati_ref": "XM-EXAMPLE-1",
        "iati_type": "60"}).status_code == 302
    fund.refresh_from_db()
    assert (fund.name, fund.iati_ref) == ("Basin Water Fund", "XM-EXAMPLE-1")
    # The EU gave money: it stays. A donor of the registry is not kept here.
    refused = client.post("/projects/donors/eu/delete/", {"reason": "x"})
    assert refused.status_code == 422 and "transaction" in refused.content.decode()
    assert client.get("/projects/donors/at/edit/").status_code == 403
    assert client.post("/projects/donors/water-fund/delete/",
                       {"reason": "Never gave"}).status_code == 302
    assert not Donor.objects.filter(code="water-fund").exists()
    assert Correction.objects.get(kind="donor").before["name"] == "Basin Water Fund"
    for user in (cast.alice, cast.nick):
        assert cast.client(user).get("/projects/donors/new/").status_code == 403
    assert Client().get("/projects/donors/new/").status_code == 302
    assert Client().get("/projects/donors/").status_code == 200
    assert client.get("/projects/donors/nobody/edit/").status_code == 404


def test_personnel_is_recorded_changed_and_deleted_on_pages(cast: Cast, world: World) -> None:
    client = cast.client(cast.mona)
    page = client.get("/projects/personnel/?field_operation=mission-to-moldova")
    assert 'href="/projects/personnel/new/"' in page.content.decode()
    data = {"field_operation": "mission-to-moldova", "seconding_state": "AT", "year": "2025",
            "seconded": "3", "contracted": "1", "classification": "restricted", "source": "",
            "confidence": ""}
    refused = client.post("/projects/personnel/new/", {**data, "source": "Annual report"})
    assert refused.status_code == 422 and _errors_of(refused, "source")
    done = client.post("/projects/personnel/new/", data)
    assert done.status_code == 302
    assert done["Location"] == "/projects/personnel/?field_operation=mission-to-moldova"
    row = Secondment.objects.get(seconding_state="AT", year=2025)
    assert (row.seconded, row.contracted) == (3, 1)
    listed = client.get(done["Location"]).content.decode()
    assert f'/projects/personnel/{row.pk}/edit/' in listed
    assert client.post(f"/projects/personnel/{row.pk}/edit/",
                       {**data, "seconded": "4"}).status_code == 302
    row.refresh_from_db()
    assert row.seconded == 4
    # Another field operation's editor, a delegation: 403; a visitor: 404 (restricted).
    other = User.objects.create_user("otto", password=PASSWORD, affiliation=world.erin.affiliation,
                                     roles=[Role.READER, Role.EDITOR])
    assert cast.client(other).get(f"/projects/personnel/{row.pk}/edit/").status_code == 403
    assert cast.client(cast.alice).get("/projects/personnel/new/").status_code == 403
    assert Client().get(f"/projects/personnel/{row.pk}/delete/").status_code == 404
    assert client.post(f"/projects/personnel/{row.pk}/delete/",
                       {"reason": "Entered for the wrong year"}).status_code == 302
    assert not Secondment.objects.filter(pk=row.pk).exists()
    assert Correction.objects.get(kind="secondment").reason == "Entered for the wrong year"


def test_a_hidden_personnel_figure_is_absent(cast: Cast, world: World) -> None:
    secret = record_secondment(cast.mona, SecondmentIn(
        field_operation="mission-to-moldova", seconding_state="AT", year=2024, seconded=2,
        classification="confidential"))
    for user in (world.erin, cast.alice, cast.nick):
        client = cast.client(user)
        for tail in ("edit/", "delete/"):
            assert client.get(f"/projects/personnel/{secret.pk}/{tail}").status_code == 404
            assert client.post(f"/projects/personnel/{secret.pk}/{tail}",
                               {"reason": "x"}).status_code == 404
    assert Secondment.objects.filter(pk=secret.pk).exists()
