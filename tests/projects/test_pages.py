"""The desk's pages: portfolio with filters and totals, a project with its logframe and chart
data, a donor's contributions, the Unified Budget, and the State profile's panel."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import Cast
from tests.projects.samples import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)


def _json_script(html: str, element_id: str) -> object:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>',
                      html, re.DOTALL)
    assert match, element_id
    return json.loads(match.group(1))


def test_the_portfolio_filters_and_totals(cast: Cast, world: World) -> None:
    client = cast.client(cast.alice)
    html = client.get("/projects/").content.decode()
    assert "P-100" in html and "P-200" in html and "P-300" not in html
    assert "2 projects" in html and "400,000 EUR" in html  # two budgets of 200,000
    filtered = client.get("/projects/?theme=climate_security").content.decode()
    assert "P-200" in filtered and "P-100" not in filtered and "1 project" in filtered
    bad = client.get("/projects/?status=bogus")
    assert bad.status_code == 200  # an unknown choice shows everything visible, not an error
    assert 'for="id_theme"' in html and 'id="id_theme"' in html


def test_the_project_page_shows_the_logframe_and_the_indicator_chart_data(
        cast: Cast, world: World) -> None:
    response = cast.client(None).get(f"/projects/{world.public.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "1.1.1 Prosecutors trained" in html and "Attendance lists" in html
    data = _json_script(html, "indicator-data")
    indicator = data["indicators"][0]  # type: ignore[index]
    assert indicator["labels"] == ["2025-06-30", "2025-12-31"]
    assert indicator["target"] == [40.0, 100.0] and indicator["actual"] == [30.0, None]
    assert "projects-charts.js" in html and "<script>" not in html
    assert cast.client(None).get(f"/projects/{world.restricted.pk}/").status_code == 404


def test_a_delegation_sees_its_states_contributions(cast: Cast, world: World) -> None:
    html = cast.client(cast.alice).get("/projects/contributions/").content.decode()
    assert "Contributions of Austria" in html
    assert "P-100" in html and "P-200" in html and "P-300" not in html
    eu = cast.client(None).get("/projects/contributions/?donor=eu").content.decode()
    assert "P-100" in eu and "P-200" not in eu
    assert cast.client(None).get("/projects/contributions/?donor=nobody").status_code == 404


def test_the_budget_page_keeps_the_labels(cast: Cast) -> None:
    html = cast.client(None).get("/projects/budget/").content.decode()
    assert "137,801,200" in html and "not adopted" in html
    assert "PC.DEC/408" in html and "incomplete" in html


def test_the_state_profile_gains_the_contributions_panel(cast: Cast, world: World) -> None:
    html = cast.client(cast.alice).get("/registry/states/AT/").content.decode()
    assert 'id="projects-panel-heading"' in html
    data = _json_script(html, "projects-contributions-data")
    assert data["years"] == [2025]  # type: ignore[index]
    assert data["series"][1]["data"] == [180000.0]  # type: ignore[index]  P-100 and P-200
    finland = cast.client(None).get("/registry/states/FI/").content.decode()
    assert "projects-panel-heading" not in finland  # nothing to show: no panel


def test_a_project_reads_in_the_interfaces_language_where_it_has_a_title(
        cast: Cast, world: World) -> None:
    from hofburg.projects.models import Project

    Project.objects.filter(pk=world.public.pk).update(
        titles={"fr": "Formation anticorruption"},
        descriptions={"fr": "Formation des procureurs."})
    client = cast.client(None)
    client.cookies["django_language"] = "fr"
    html = client.get(f"/projects/{world.public.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Formation anticorruption" in html and "Formation des procureurs." in html
    english = cast.client(None).get(f"/projects/{world.public.pk}/").content.decode()
    assert "Anti-corruption training P-100" in english


def test_the_map_counts_the_recipients_of_visible_projects(cast: Cast, world: World) -> None:
    html = cast.client(cast.alice).get("/projects/map/").content.decode()
    areas = _json_script(html, "projects-map-areas")
    # P-100 works in Moldova, P-200 in Finland; P-300 (Moldova) and P-400 (Austria) are hidden.
    assert areas == {"498": {"name": "Moldova", "count": 1, "url": "/projects/?state=MD"},
                     "246": {"name": "Finland", "count": 1, "url": "/projects/?state=FI"}}
    erin = _json_script(cast.client(world.erin).get("/projects/map/").content.decode(),
                        "projects-map-areas")
    assert erin["498"]["count"] == 2  # type: ignore[index]
    themed = _json_script(cast.client(world.erin).get(
        "/projects/map/?theme=climate_security").content.decode(), "projects-map-areas")
    assert list(themed) == ["246"]  # type: ignore[arg-type]


def test_the_workflow_is_taken_from_the_project_page(cast: Cast, world: World) -> None:
    from hofburg.projects.models import Approval

    url = f"/projects/{world.public.pk}/"
    approver = cast.client(world.paul)
    html = approver.get(url).content.decode()
    assert '<option value="approve">Approve</option>' in html and 'value="start"' not in html
    editor_html = cast.client(world.erin).get(url).content.decode()
    assert 'value="cancel"' in editor_html and 'value="approve"' not in editor_html
    assert 'id="id_action"' not in cast.client(cast.alice).get(url).content.decode()

    response = approver.post(f"{url}step/", {"action": "approve", "note": "Fits"})
    assert response.status_code == 302 and response["Location"] == url
    assert list(Approval.objects.filter(project=world.public).values_list(
        "action", "by__username", "note")) == [("approve", "paul", "Fits")]
    # A step the reader may not take now is refused, nothing recorded.
    assert approver.post(f"{url}step/", {"action": "approve"}).status_code == 403
    assert cast.client(world.erin).post(f"{url}step/", {"action": "close"}).status_code == 400
    assert cast.client(cast.alice).post(f"{url}step/", {"action": "start"}).status_code == 403
    hidden = f"/projects/{world.confidential.pk}/step/"
    assert cast.client(cast.alice).post(hidden, {"action": "cancel"}).status_code == 404
    assert Approval.objects.filter(project=world.public).count() == 1


def test_personnel_and_the_largest_contributors_of_a_field_operation(cast: Cast,
                                                                     world: World) -> None:
    from hofburg.core.models import Affiliation, Role, User
    from hofburg.projects.services.personnel import SecondmentIn, record_secondment
    from tests.projects.samples import make_state

    make_state("DE", "DEU", "276", "Germany")
    for state, year, seconded, level in (("AT", 2024, 3, "public"), ("AT", 2025, 4, "public"),
                                         ("DE", 2025, 9, "confidential")):
        record_secondment(cast.mona, SecondmentIn(
            field_operation="mission-to-moldova", seconding_state=state, year=year,
            seconded=seconded, contracted=1, classification=level))
    html = cast.client(None).get(
        "/projects/personnel/?field_operation=mission-to-moldova").content.decode()
    main = html[html.index('<main'):]  # the header carries a random CSRF token
    assert "AT (9)" in main and "DE" not in main  # Germany's figure is confidential
    assert cast.client(cast.mona).get(
        "/projects/personnel/?field_operation=mission-to-moldova").content.decode().count(
        "DE (10)") == 1
    # The operation's own projects' donors, through the API: its affiliation is field-<code>.
    field = Affiliation.objects.create(code="field-mission-to-moldova", name="Mission",
                                       kind=Affiliation.Kind.FIELD_OPERATION)
    staff = User.objects.create_user("staff", affiliation=field, roles=[Role.EDITOR])
    from hofburg.projects.services.projects import create_project
    from tests.projects.samples import fill, project_in

    fill(staff, create_project(staff, project_in("P-800", "public")), scale=2)
    answer = cast.client(None).get("/api/v1/projects/secondments/contributors"
                                   "?field_operation=mission-to-moldova").json()
    assert answer["personnel"][0]["state"] == "AT" and answer["personnel"][0]["personnel"] == 9
    assert [(d["donor__code"], d["total"]) for d in answer["financing"]] == [
        ("at", "180000.00"), ("eu", "20000.00")]


def test_a_button_that_records_says_the_verb(cast: Cast, world: World) -> None:
    """"Record" alone is also the audit trail's noun; a button takes the verb (decision 0074)."""
    client = cast.client(world.erin)
    client.cookies["django_language"] = "ru"
    page = client.get(f"/projects/{world.public.pk}/transactions/new/").content.decode()
    assert '<button type="submit">Записать</button>' in page
    assert ">Запись<" not in page
