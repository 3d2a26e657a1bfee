"""The deployment board: the core team plans which team covers which station when, through
the service, the API and the page; the board and the coverage map show what was visited."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from hofburg.core.errors import Invalid
from hofburg.core.models import AuditEntry
from hofburg.core.services.users import issue_api_token
from hofburg.elections.models import Assignment, Member
from hofburg.elections.services.deployment import assign_team, unassign_team
from hofburg.elections.services.missions import import_frame
from hofburg.elections.services.submissions import receive
from tests.conftest import Cast
from tests.elections.samples import Eom, eom, submission_xml

pytestmark = pytest.mark.django_db
API = "/api/v1/elections"
DAY = date(2026, 12, 6)
FRAME = ("station_id,name,region,district,urban_rural,registered_voters,lon,lat\n"
         "P001,School One,North,N1,urban,1000,20.5,44.8\n"
         "P002,Hall Two,South,S1,rural,500,21.0,43.9\n"
         "P003,Club Three,South,S2,rural,400,,\n")


@pytest.fixture
def world(cast: Cast) -> Eom:
    e = eom(cast)
    import_frame(e.manager, e.mission, FRAME)
    receive(e.observer, submission_xml(station="P001"))
    return e


def _bearer(user: object) -> dict[str, str]:
    _token, key = issue_api_token(user, "deployment tests")  # type: ignore[arg-type]
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_core_team_plans_a_visit_once_and_takes_it_off(world: Eom) -> None:
    first, created = assign_team(world.manager, world.mission, team="T01", station_id="P002",
                                 day=DAY)
    again, created_again = assign_team(world.manager, world.mission, team="T01",
                                       station_id="P002", day=DAY)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert AuditEntry.objects.filter(action="assign").count() == 1
    unassign_team(world.manager, world.mission, first.pk)
    assert not Assignment.objects.exists()
    assert AuditEntry.objects.filter(action="unassign").count() == 1


@pytest.mark.parametrize(("team", "station", "field"), [
    ("T99", "P001", "team"), ("T01", "P999", "station_id")])
def test_an_unknown_team_or_station_is_refused(world: Eom, team: str, station: str,
                                               field: str) -> None:
    with pytest.raises(Invalid) as refusal:
        assign_team(world.manager, world.mission, team=team, station_id=station, day=DAY)
    assert refusal.value.field == field
    assert not Assignment.objects.exists()


def test_a_reimported_frame_keeps_the_plan(world: Eom) -> None:
    assign_team(world.manager, world.mission, team="T01", station_id="P002", day=DAY)
    import_frame(world.manager, world.mission, FRAME)
    assert Assignment.objects.filter(station_id="P002").count() == 1


def test_the_api_plans_lists_and_removes(cast: Cast, world: Eom) -> None:
    client, headers = Client(), _bearer(world.manager)
    url = f"{API}/missions/{world.mission.code}/assignments"
    made = client.post(url, {"team": "T01", "station_id": "P001", "day": "2026-12-06"},
                       content_type="application/json", **headers)
    assert made.status_code == 201
    assert made.json()["visited"] is True
    listed = client.get(url, **headers).json()
    assert [(a["team"], a["station_id"], a["day"]) for a in listed] == [
        ("T01", "P001", "2026-12-06")]
    bad = client.post(url, {"team": "T01", "station_id": "P999", "day": "2026-12-06"},
                      content_type="application/json", **headers)
    assert bad.status_code == 422
    assert bad["Content-Type"].startswith("application/problem+json")
    gone = client.delete(f"{url}/{made.json()['id']}", **headers)
    assert gone.status_code == 204
    assert client.delete(f"{url}/{made.json()['id']}", **headers).status_code == 404
    assert not Assignment.objects.exists()


def test_observers_may_not_plan_and_outsiders_see_nothing(cast: Cast, world: Eom) -> None:
    url = f"{API}/missions/{world.mission.code}/assignments"
    body = {"team": "T01", "station_id": "P001", "day": "2026-12-06"}
    observer = _bearer(world.observer)
    assert Client().get(url, **observer).status_code == 403
    assert Client().post(url, body, content_type="application/json",
                         **observer).status_code == 403
    outsider = _bearer(cast.alice)  # may not see the confidential mission
    assert Client().get(url, **outsider).status_code == 404
    assert Client().post(url, body, content_type="application/json",
                         **outsider).status_code == 404
    assert not Assignment.objects.exists()


def test_the_page_shows_the_board_and_the_map_data(cast: Cast, world: Eom) -> None:
    client = cast.client(world.manager)
    page_url = f"/elections/{world.mission.code}/deployment/"
    added = client.post(page_url, {"team": "T01", "station_id": "P002", "day": "2026-12-06"})
    assert added.status_code == 302
    page = client.get(page_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "P002 · Hall Two" in html and "not yet" in html
    assert "1 station visited" in html and "2 stations not yet visited" in html
    assert "1 station has no coordinates" in html
    points = {p["id"]: p for p in page.context["map_points"]}
    assert set(points) == {"P001", "P002"}
    assert points["P001"]["visited"] and not points["P002"]["visited"]
    assert points["P002"]["teams"] == ["T01"]
    assert json.loads(html.split('id="coverage-map-points" type="application/json">')[1]
                      .split("</script>")[0])[0]["id"] == "P001"
    refused = client.post(page_url, {"team": "T01", "station_id": "P999", "day": "2026-12-06"})
    assert refused.status_code == 400
    assert "No polling station" in refused.content.decode()
    assignment = Assignment.objects.get()
    removed = client.post(page_url, {"unassign": str(assignment.pk)})
    assert removed.status_code == 302 and not Assignment.objects.exists()


def test_the_page_is_for_the_core_team_and_analysts(cast: Cast, world: Eom) -> None:
    page_url = f"/elections/{world.mission.code}/deployment/"
    analyst = world.bystander
    assert cast.client(analyst).get(page_url).status_code == 403
    Member.objects.create(mission=world.mission, user=analyst, role=Member.Role.ANALYST)
    reader = cast.client(analyst)
    page = reader.get(page_url)
    assert page.status_code == 200 and "Add to the plan" not in page.content.decode()
    assert reader.post(page_url, {"team": "T01", "station_id": "P002",
                                  "day": "2026-12-06"}).status_code == 403
    for user in (None, cast.alice, cast.nick):
        assert cast.client(user).get(page_url).status_code == 404
    assert not Assignment.objects.exists()
