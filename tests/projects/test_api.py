"""`/api/v1/projects/`: reads as core.access allows, writes through the services, refusals as
problem+json, the IATI export validated or refused naming the projects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from lxml import etree

from hofburg.core.models import User
from hofburg.core.services.users import issue_api_token
from hofburg.projects.iati.schema import activity_schema
from hofburg.projects.models import ActualChange, Project, Transaction
from tests.conftest import Cast
from tests.projects.samples import World, make_world, periods_of

pytestmark = pytest.mark.django_db
API = "/api/v1/projects"


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)


def _client(user: User | None) -> Client:
    if user is None:
        return Client()
    _token, key = issue_api_token(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", body, content_type="application/json")


def _is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


def test_the_portfolio_lists_visible_projects_with_money(cast: Cast, world: World) -> None:
    items = _client(cast.alice).get(f"{API}/").json()["items"]
    assert [(p["number"], p["owner"]) for p in items] == [("P-100", "cpc"), ("P-200", "cpc")]
    assert Decimal(items[0]["budget"]) == Decimal(200_000)
    assert Decimal(items[0]["received"]) == Decimal(100_000)
    filtered = _client(cast.alice).get(f"{API}/?theme=climate_security").json()["items"]
    assert [p["number"] for p in filtered] == ["P-200"]
    totals = _client(None).get(f"{API}/totals").json()
    assert totals["count"] == 1 and Decimal(totals["balances"]["spent"]) == Decimal(40_000)


def test_a_hidden_project_is_absent(cast: Cast, world: World) -> None:
    for path in ("", "/logframe", "/transactions", "/budget"):
        _is_problem(_client(cast.alice).get(f"{API}/{world.confidential.pk}{path}"), 404)
    detail = _client(world.erin).get(f"{API}/{world.confidential.pk}").json()
    assert detail["number"] == "P-300" and Decimal(detail["balances"]["cash_balance"]) == 60_000


def test_creating_a_project_and_its_workflow(cast: Cast, world: World) -> None:
    body = {"number": "P-500", "title": "Energy network protection",
            "dimension": "economic_environmental", "theme": "energy_network_protection",
            "description": "Protecting critical energy infrastructure.",
            "dac_sectors": ["23110"], "recipients": ["MD"], "classification": "public",
            "planned_start": "2026-01-01", "policy_markers": [{"code": "3",
                                                               "significance": "1"}]}
    created = _post(_client(world.erin), "/", body)
    assert created.status_code == 201, created.content
    project_id = created.json()["id"]
    assert created.json()["status"] == "concept"
    _is_problem(_post(_client(world.erin), "/", body), 409)
    _is_problem(_post(_client(cast.alice), "/", {**body, "number": "P-501"}), 403)
    refused = _is_problem(_post(_client(world.erin), "/", {**body, "number": "P-502",
                                                           "dac_sectors": ["12345"]}), 422)
    assert "Sector codelist" in str(refused)
    assert not Project.objects.filter(number="P-502").exists()
    _is_problem(_post(_client(world.erin), f"/{project_id}/steps", {"action": "approve"}), 403)
    approved = _post(_client(world.paul), f"/{project_id}/steps", {"action": "approve"})
    assert approved.json()["status"] == "approved"
    assert approved.json()["approvals"][0]["by"] == "paul"
    _is_problem(_post(_client(world.erin), f"/{project_id}/steps", {"action": "close"}), 409)


def test_money_logframe_and_reports_through_the_api(world: World) -> None:
    client = _client(world.erin)
    pid = world.public.pk
    tx = _post(client, f"/{pid}/transactions", {"flow": "contribution", "value": "5000.00",
                                                "value_date": "2025-09-01", "donor": "fi"})
    assert tx.status_code == 201 and tx.json()["donor"] == "fi"
    _is_problem(_post(client, f"/{pid}/transactions", {
        "flow": "contribution", "value": "-5", "value_date": "2025-09-01", "donor": "fi"}), 422)
    assert Transaction.objects.filter(project=world.public).count() == 6
    budget = _post(client, f"/{pid}/budget", {"year": 2026, "original": "80000",
                                              "revised": "95000"})
    assert Decimal(budget.json()["revised"]) == 95_000
    period = periods_of(world.public)[1]
    report = _post(client, f"/{pid}/reports", {"period_end": "2025-12-31", "actuals": [
        {"period": period.pk, "actual": "100"}]})
    assert report.status_code == 201
    assert ActualChange.objects.filter(period=period, after=Decimal(100)).exists()
    logframe = client.get(f"{API}/{pid}/logframe").json()
    output = next(row for row in logframe if row["code"] == "1.1.1")
    assert Decimal(output["indicators"][0]["progress"]) == 1


def test_contributions_and_budget_endpoints(cast: Cast, world: World) -> None:
    budget = _client(None).get(f"{API}/unified-budget").json()
    assert {y["year"]: y["label"] for y in budget["years"]}[2021] == "unconfirmed"
    assert budget["ceilings"][0]["percent"] in ("14", 14)
    at = _client(None).get(f"{API}/states/AT/contributions").json()
    assert [(y["year"], Decimal(y["extra_budgetary"])) for y in at["years"]] == [
        (2025, Decimal(90_000))]
    donor = _client(cast.alice).get(f"{API}/donors/at/contributions").json()
    assert [r["project__number"] for r in donor] == ["P-100", "P-200"]
    _is_problem(_client(None).get(f"{API}/donors/nobody/contributions"), 404)


def test_the_iati_endpoint_sends_valid_xml_or_names_what_is_wrong(world: World) -> None:
    response = _client(world.erin).get(f"{API}/iati?state=FI")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/xml")
    root = etree.fromstring(response.content)
    assert activity_schema().validate(root)
    assert root.xpath("iati-activity/other-identifier/@ref") == ["P-200"]
    Project.objects.filter(pk=world.public.pk).update(description="")
    problem = _is_problem(_client(None).get(f"{API}/iati"), 422)
    assert "P-100: no description" in problem["detail"]


def test_a_project_is_replaced_through_the_api(cast: Cast, world: World) -> None:
    body = {"number": "P-100", "title": "Renamed", "dimension": "economic_environmental",
            "theme": "anti_corruption", "description": "New description",
            "dac_sectors": ["15113"], "recipients": ["FI"], "classification": "public",
            "planned_start": "2025-01-01"}
    answer = _client(world.erin).put(f"{API}/{world.public.pk}", body,
                                     content_type="application/json")
    assert answer.status_code == 200 and answer.json()["recipients"] == ["FI"]
    _is_problem(_client(world.erin).put(f"{API}/{world.public.pk}", {**body, "number": "X"},
                                        content_type="application/json"), 409)
    _is_problem(_client(cast.alice).put(f"{API}/{world.confidential.pk}", body,
                                        content_type="application/json"), 404)
