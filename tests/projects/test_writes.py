"""The project pages' writes: every form stores through the services; bad input is shown
beside its field with what was typed kept, and nothing is stored; a hidden project is a 404,
a visitor is sent to sign in, a reader who may not change the project gets a 403."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from hofburg.core.models import AuditEntry, Classification
from hofburg.documents.models import Document
from hofburg.projects.models import (
    ActualChange,
    BudgetLine,
    Indicator,
    IndicatorPeriod,
    LogframeElement,
    ProgressReport,
    Project,
    ProjectDocument,
    Transaction,
)
from tests.conftest import Cast
from tests.projects.samples import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)


def _errors_of(response: Any, field: str) -> str:
    """The error shown beside `field` (the form's own rendering)."""
    form = response.context["form"]
    return " ".join(str(e) for e in form.errors.get(field, []))


NEW = {"number": "P-900", "title": "Water diplomacy", "description": "Basin councils.",
       "funding": "extra_budgetary", "dimension": "economic_environmental",
       "theme": "climate_security", "dac_sectors": "41010 15110",
       "policy_markers": "1:1 3:2", "recipients": "md fi", "currency": "EUR",
       "planned_start": "2026-01-01", "planned_end": "2027-12-31",
       "classification": "restricted", "title_fr": "Diplomatie de l'eau", "title_de": "",
       "title_it": "", "title_ru": "", "title_es": "", "description_fr": "",
       "description_de": "", "description_it": "", "description_ru": "", "description_es": ""}


def test_an_editor_creates_a_project_from_the_page(cast: Cast, world: World) -> None:
    client = cast.client(world.erin)
    assert client.get("/projects/").content.decode().count('href="/projects/new/"') == 1
    assert client.get("/projects/new/").status_code == 200
    response = client.post("/projects/new/", NEW)
    project = Project.objects.get(number="P-900")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert project.owner_affiliation == cast.cpc
    assert project.titles == {"fr": "Diplomatie de l'eau"}
    assert project.dac_sectors == ["41010", "15110"]
    assert project.policy_markers == [{"code": "1", "significance": "1"},
                                      {"code": "3", "significance": "2"}]
    assert sorted(project.recipients.values_list("iso2", flat=True)) == ["FI", "MD"]
    assert project.planned_end == datetime.date(2027, 12, 31)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("dac_sectors", "41010 99999", "Sector codelist"),
    ("recipients", "MD XX", "'XX'"),
    ("policy_markers", "1", "code:significance"),
    ("policy_markers", "99:1", "PolicyMarker"),
    ("planned_end", "2025-01-01", "before the planned start"),
    ("planned_start", "1066-10-14", ""),
    ("currency", "EURO", ""),
    ("title", "x" * 301, "300"),
    ("number", "P-100", "taken"),
    ("title_fr", "y" * 301, "300"),
])
def test_bad_input_on_the_new_project_form_is_shown_beside_its_field(
        cast: Cast, world: World, field: str, value: str, message: str) -> None:
    before = Project.objects.count()
    response = cast.client(world.erin).post("/projects/new/", {**NEW, field: value})
    assert response.status_code == 422
    assert Project.objects.count() == before
    assert message in _errors_of(response, field)
    page = response.content.decode()
    assert 'role="alert"' in page and "alert-success" not in page
    if len(value) < 50:
        assert f'value="{value}"' in page  # what was typed is kept


def test_editing_a_project_replaces_its_descriptive_fields(cast: Cast, world: World) -> None:
    project = world.restricted
    client = cast.client(world.erin)
    form = client.get(f"/projects/{project.pk}/edit/").context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"title": "Renamed", "recipients": "MD", "theme": "policing",
                 "number": "CHANGED"})  # a disabled field: what is sent is ignored
    for name in data:
        if isinstance(data[name], datetime.date):
            data[name] = data[name].isoformat()
    response = client.post(f"/projects/{project.pk}/edit/", data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.theme, project.number) == ("Renamed", "policing", "P-200")
    assert list(project.recipients.values_list("iso2", flat=True)) == ["MD"]
    # Money is recorded: the currency stays, and the refusal is shown beside it.
    data["currency"] = "USD"
    response = client.post(f"/projects/{project.pk}/edit/", data)
    assert response.status_code == 422
    assert "does not change" in _errors_of(response, "currency")
    project.refresh_from_db()
    assert project.currency == "EUR"


def test_the_logframe_indicator_target_and_report_forms(cast: Cast, world: World) -> None:
    project = world.public
    client = cast.client(world.erin)
    base = f"/projects/{project.pk}"
    assert client.post(f"{base}/logframe/new/", {
        "level": "output", "parent_code": "1.1", "code": "1.1.2", "title": "Judges trained",
        "description": ""}).status_code == 302
    # An output under an impact is refused beside "Under"; nothing is added.
    bad = client.post(f"{base}/logframe/new/", {
        "level": "output", "parent_code": "1", "code": "1.9", "title": "Wrong place"})
    assert bad.status_code == 422 and _errors_of(bad, "parent_code")
    assert not LogframeElement.objects.filter(project=project, code="1.9").exists()

    assert client.post(f"{base}/indicators/new/", {
        "element_code": "1.1.2", "title": "Judges trained", "measure": "1", "baseline": "0",
        "baseline_year": "2024", "ascending": "on"}).status_code == 302
    indicator = Indicator.objects.get(element__project=project, title="Judges trained")
    bad = client.post(f"{base}/indicators/new/", {
        "element_code": "1.1.2", "title": "Too big", "measure": "1",
        "baseline": "1e13", "baseline_year": "2024"})
    assert bad.status_code == 422 and _errors_of(bad, "baseline")
    assert 'value="1e13"' in bad.content.decode()

    assert client.post(f"{base}/targets/", {
        "indicator": indicator.pk, "start": "2025-01-01", "end": "2025-12-31",
        "target": "12"}).status_code == 302
    overlapping = client.post(f"{base}/targets/", {
        "indicator": indicator.pk, "start": "2025-06-01", "end": "2026-05-31", "target": "5"})
    assert overlapping.status_code == 422 and "overlaps" in _errors_of(overlapping, "start")
    period = IndicatorPeriod.objects.get(indicator=indicator)
    assert period.target == Decimal(12)

    for value in ("4", "9"):
        assert client.post(f"{base}/reports/new/", {
            "period_end": "2025-12-31", "summary": "", f"actual_{period.pk}": value,
        }).status_code == 302
    period.refresh_from_db()
    assert period.actual == Decimal(9)
    history = [(c.before, c.after) for c in ActualChange.objects.filter(period=period)
               .order_by("pk")]
    assert history == [(None, Decimal(4)), (Decimal(4), Decimal(9))]
    page = client.get(f"{base}/").content.decode()
    assert "Progress reports" in page and "4 → 9" in page

    reports = ProgressReport.objects.count()
    empty = client.post(f"{base}/reports/new/", {"period_end": "2025-12-31"})
    assert empty.status_code == 422 and "at least one" in empty.content.decode()
    early = client.post(f"{base}/reports/new/", {"period_end": "2024-12-31",
                                                 f"actual_{period.pk}": "1"})
    assert early.status_code == 422 and "starts after" in _errors_of(early,
                                                                     f"actual_{period.pk}")
    assert ProgressReport.objects.count() == reports


def test_the_budget_and_money_forms(cast: Cast, world: World) -> None:
    project = world.public
    client = cast.client(world.erin)
    base = f"/projects/{project.pk}"
    assert client.post(f"{base}/budget/", {"year": "2027", "original": "50000",
                                           "revised": ""}).status_code == 302
    assert client.post(f"{base}/budget/", {"year": "2027", "original": "50000",
                                           "revised": "55000.50"}).status_code == 302
    line = BudgetLine.objects.get(project=project, year=2027)
    assert (line.original, line.revised) == (Decimal(50000), Decimal("55000.50"))
    for bad in ({"year": "2027", "original": "-1"}, {"year": "2027", "original": "1.001"},
                {"year": "3000", "original": "1"}, {"year": "2027", "original": "lots"}):
        response = client.post(f"{base}/budget/", bad)
        assert response.status_code == 422, bad
    line.refresh_from_db()
    assert line.revised == Decimal("55000.50")

    count = Transaction.objects.filter(project=project).count()
    assert client.post(f"{base}/transactions/new/", {
        "flow": "contribution", "donor": "fi", "value": "1000", "currency": "usd",
        "rate": "0.9", "rate_date": "2025-03-01", "value_date": "2025-03-02"}).status_code == 302
    entered = Transaction.objects.filter(project=project).latest("pk")
    assert (entered.value, entered.original_value, entered.original_currency, entered.rate,
            entered.rate_date) == (Decimal(900), Decimal(1000), "USD", Decimal("0.9"),
                                   datetime.date(2025, 3, 1))
    refusals = {
        "rate_date": {"flow": "contribution", "donor": "fi", "value": "1000", "currency": "USD",
                      "rate": "0.9", "rate_date": "2025-03-05", "value_date": "2025-03-02"},
        "rate": {"flow": "contribution", "donor": "fi", "value": "1000", "currency": "USD",
                 "value_date": "2025-03-02"},
        "donor": {"flow": "expenditure", "donor": "fi", "value": "10",
                  "value_date": "2025-03-02"},
        "period_end": {"flow": "expenditure", "value": "10", "value_date": "2025-03-02",
                       "period_start": "2025-01-01"},
        "currency": {"flow": "pledge", "donor": "fi", "value": "10", "currency": "XYZ",
                     "rate": "1", "rate_date": "2025-03-01", "value_date": "2025-03-02"},
    }
    for field, data in refusals.items():
        response = client.post(f"{base}/transactions/new/", data)
        assert response.status_code == 422, field
        assert _errors_of(response, field), (field, response.context["form"].errors)
    assert Transaction.objects.filter(project=project).count() == count + 1


def test_who_may_use_the_forms(cast: Cast, world: World) -> None:
    paths = ["edit/", "logframe/new/", "indicators/new/", "targets/", "reports/new/",
             "budget/", "transactions/new/"]
    # alice (a delegation) sees P-200 but may not change it; nick (no affiliation) P-100.
    for user, project in ((cast.alice, world.restricted), (cast.nick, world.public),
                          (world.paul, world.public)):
        client = cast.client(user)
        for tail in paths:
            assert client.get(f"/projects/{project.pk}/{tail}").status_code == 403, tail
            assert client.post(f"/projects/{project.pk}/{tail}", {}).status_code == 403, tail
    # Hidden is absent: erin does not see the mission's project; a missing one is the same.
    client = cast.client(world.erin)
    for tail in paths:
        for pk in (world.mission_secret.pk, 999_999):
            assert client.get(f"/projects/{pk}/{tail}").status_code == 404
            assert client.post(f"/projects/{pk}/{tail}", {"year": "2027",
                                                          "original": "1"}).status_code == 404
    assert not BudgetLine.objects.filter(project=world.mission_secret, year=2027).exists()
    # A visitor is sent to sign in for a public project, and gets a 404 for a hidden one.
    anonymous = Client()
    assert anonymous.get(f"/projects/{world.public.pk}/budget/").status_code == 302
    assert anonymous.get(f"/projects/{world.restricted.pk}/budget/").status_code == 404
    assert anonymous.get("/projects/new/").status_code == 302
    assert cast.client(cast.alice).get("/projects/new/").status_code == 403


# -- documents ----------------------------------------------------------------------------


def make_documents(cast: Cast) -> dict[str, Document]:
    """One document of each reach, the cpc's and the mission's."""
    made = {}
    for key, level, owner in (("public", Classification.PUBLIC, cast.cpc),
                              ("restricted", Classification.RESTRICTED, cast.cpc),
                              ("cpc", Classification.CONFIDENTIAL, cast.cpc),
                              ("mission", Classification.CONFIDENTIAL, cast.mission)):
        made[key] = Document.objects.create(
            symbol=f"SEC.GAL/{len(made) + 1}/25", title=f"Report {key}",
            date=datetime.date(2025, 3, len(made) + 1), originator="Secretariat",
            original_language="en", classification=level, owner_affiliation=owner)
    return made


def test_linking_documents_applies_access_to_every_one(cast: Cast, world: World) -> None:
    docs = make_documents(cast)
    project = world.public
    erin = cast.client(world.erin)
    url = f"/projects/{project.pk}/documents/"
    for symbol in ("SEC.GAL/1/25", "sec.gal/2/25", str(docs["cpc"].pk)):
        response = erin.post(url, {"document": symbol, "category": "A07"})
        assert response.status_code == 302, response.content.decode()[-400:]
    # The mission's confidential document is hidden from erin: refused like a missing one.
    hidden = erin.post(url, {"document": "SEC.GAL/4/25", "category": "A07"})
    missing = erin.post(url, {"document": "SEC.GAL/99/25", "category": "A07"})
    assert hidden.status_code == missing.status_code == 422
    assert "No document 'SEC.GAL/4/25' in the library" in _errors_of(hidden, "document")
    by_number = erin.post(url, {"document": str(docs["mission"].pk), "category": "A07"})
    assert "in the library" in _errors_of(by_number, "document")
    assert ProjectDocument.objects.filter(project=project).count() == 3
    # A retry links nothing twice.
    assert erin.post(url, {"document": "SEC.GAL/1/25", "category": "A07"}).status_code == 302
    assert ProjectDocument.objects.filter(project=project).count() == 3
    # The mission links its own confidential document to the public project? It may not edit
    # it; link it directly to check that readers only ever see what they may.
    ProjectDocument.objects.create(project=project, document_id=docs["mission"].pk)

    def listed(client: Client) -> set[str]:
        page = client.get(url).content.decode()
        return {d.symbol for d in docs.values() if f">{d.symbol}<" in page}

    assert listed(erin) == {"SEC.GAL/1/25", "SEC.GAL/2/25", "SEC.GAL/3/25"}
    assert listed(cast.client(cast.mona)) == {"SEC.GAL/1/25", "SEC.GAL/2/25", "SEC.GAL/4/25"}
    assert listed(cast.client(cast.alice)) == {"SEC.GAL/1/25", "SEC.GAL/2/25"}
    assert listed(Client()) == {"SEC.GAL/1/25"}
    project_page = Client().get(f"/projects/{project.pk}/").content.decode()
    assert "SEC.GAL/1/25" in project_page
    assert not any(s in project_page for s in ("SEC.GAL/2/25", "SEC.GAL/3/25", "SEC.GAL/4/25"))
    # Bad input: an unknown category, nothing changed.
    bad = erin.post(url, {"document": "SEC.GAL/1/25", "category": "B01"})
    assert bad.status_code == 422 and _errors_of(bad, "category")
    # Unlinking: the link goes, the document stays; again changes nothing.
    unlink = f"/projects/{project.pk}/documents/{docs['public'].pk}/unlink/"
    assert erin.post(unlink).status_code == 302
    assert erin.post(unlink).status_code == 302
    assert not ProjectDocument.objects.filter(project=project,
                                              document_id=docs["public"].pk).exists()
    assert Document.objects.filter(pk=docs["public"].pk).exists()
    # Unlinking a document erin may not see changes nothing.
    assert erin.post(f"/projects/{project.pk}/documents/{docs['mission'].pk}/unlink/"
                     ).status_code == 302
    assert ProjectDocument.objects.filter(project=project,
                                          document_id=docs["mission"].pk).exists()
    # Only the project's editors link; a reader gets a 403, a hidden project a 404.
    assert cast.client(cast.alice).post(url, {"document": "SEC.GAL/1/25",
                                              "category": "A07"}).status_code == 403
    assert erin.get(f"/projects/{world.mission_secret.pk}/documents/").status_code == 404
    assert {e.action for e in AuditEntry.objects.filter(
        model_label__iexact="projects.projectdocument")} == {"create", "delete"}


def test_the_api_links_and_unlinks_documents_idempotently(cast: Cast, world: World) -> None:
    from hofburg.core.services.users import issue_api_token

    docs = make_documents(cast)
    _token, key = issue_api_token(world.erin, "docs")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/v1/projects/{world.public.pk}/documents"
    for _attempt in range(2):
        response = api.post(url, {"document_id": docs["restricted"].pk, "category": "A08"},
                            content_type="application/json")
        assert response.status_code == 200, response.content
        assert response.json()["symbol"] == "SEC.GAL/2/25"
    assert ProjectDocument.objects.filter(project=world.public).count() == 1
    hidden = api.post(url, {"document_id": docs["mission"].pk},
                      content_type="application/json")
    missing = api.post(url, {"document_id": 10**12}, content_type="application/json")
    assert hidden.status_code == missing.status_code == 404
    assert hidden["Content-Type"].startswith("application/problem+json")
    assert hidden.json()["detail"] == missing.json()["detail"]
    bad = api.post(url, {"document_id": docs["public"].pk, "category": "Z99"},
                   content_type="application/json")
    assert bad.status_code == 422 and bad["Content-Type"].startswith("application/problem+json")
    assert ProjectDocument.objects.filter(project=world.public).count() == 1
    ProjectDocument.objects.create(project=world.public, document_id=docs["mission"].pk)
    assert [d["symbol"] for d in api.get(url).json()] == ["SEC.GAL/2/25"]
    for _attempt in range(2):
        assert api.delete(f"{url}/{docs['restricted'].pk}").status_code == 204
    assert api.get(url).json() == []
    reader = Client()
    assert reader.get(f"/api/v1/projects/{world.restricted.pk}/documents").status_code == 404
    assert reader.post(url, {"document_id": docs["public"].pk},
                       content_type="application/json").status_code in (401, 403)


def test_hostile_values_are_refused_never_a_500(cast: Cast, world: World) -> None:
    client = cast.client(world.erin)
    client.raise_request_exception = False
    huge = 10**20
    for tail in ("edit/", "budget/", "documents/", f"documents/{huge}/unlink/"):
        assert client.post(f"/projects/{huge}/{tail}", {}).status_code == 404, tail
    base = f"/projects/{world.public.pk}"
    before = Project.objects.count()
    response = client.post("/projects/new/", {**NEW, "title": "nul\x00byte"})
    assert response.status_code == 422 and _errors_of(response, "title")
    assert Project.objects.count() == before
    for data in ({"document": "\x00"}, {"document": "9" * 30, "category": "A01"},
                 {"document": "1" * 18, "category": "A01"}):
        response = client.post(f"{base}/documents/", data)
        assert response.status_code == 422, data
    assert client.post(f"{base}/documents/{huge}/unlink/").status_code == 302
    assert client.post(f"{base}/targets/", {"indicator": str(huge), "start": "2025-01-01",
                                            "end": "2025-02-01", "target": "1"}
                       ).status_code == 422
