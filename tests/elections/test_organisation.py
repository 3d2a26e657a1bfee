"""The mission's organisation: its State checked against the registry, its phases moved on by the
core team, its areas of responsibility drawn from the frame and its LTO and STO teams of two,
through the services, the pages and the API; and the deployment board's teams by area."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import AuditEntry, Role, User
from hofburg.core.services.users import issue_api_token
from hofburg.elections.engine.areas import Place
from hofburg.elections.models import Area, Member, Mission, Team
from hofburg.elections.queries.teams import area_rows, team_rows
from hofburg.elections.services.areas import create_area, delete_area, update_area
from hofburg.elections.services.missions import (
    MissionRecord,
    add_member,
    change_phase,
    create_mission,
    import_frame,
)
from hofburg.elections.services.teams import (
    create_team,
    place_observer,
    remove_observer,
    remove_team,
)
from hofburg.registry.models import ParticipatingState
from tests.conftest import PASSWORD, Cast
from tests.elections.samples import Eom, eom

pytestmark = pytest.mark.django_db
API = "/api/v1/elections"
FRAME = ("station_id,name,region,district,urban_rural,registered_voters,lon,lat\n"
         "P001,School One,North,N1,urban,1000,,\n"
         "P002,Hall Two,North,N2,rural,500,,\n"
         "P003,Club Three,South,S1,rural,400,,\n")


@pytest.fixture
def world(cast: Cast) -> Eom:
    e = eom(cast)
    import_frame(e.manager, e.mission, FRAME)
    return e


def _observer(cast: Cast, name: str) -> User:
    return User.objects.create_user(name, password=PASSWORD, affiliation=cast.mission,
                                    roles=[Role.READER])


def _bearer(user: User) -> dict[str, str]:
    _token, key = issue_api_token(user, "organisation tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _record(state: str, **more: object) -> MissionRecord:
    return MissionRecord(code=f"EOM-{state.strip()}", name="Mission", state=state,
                         election_date=date(2026, 12, 6), **more)  # type: ignore[arg-type]


# -- the State, from the registry ---------------------------------------------------------------

def test_the_state_is_a_participating_state_of_the_registry(cast: Cast) -> None:
    ParticipatingState.objects.create(iso2="AT", iso3="AUT", numeric="040",
                                      joined=date(1973, 6, 25), names={"en": "Austria"},
                                      source="test")
    mission = create_mission(cast.mona, _record(" at "))
    assert (mission.state, mission.state_name, mission.is_exercise) == ("AT", "Austria", False)
    for state, says in (("ZZ", "Not a participating State in the registry: 'ZZ'"),
                        ("Austria", "ISO 3166-1 alpha-2 code"),
                        ("XE", "only an exercise mission may observe it")):
        with pytest.raises(Invalid, match=says) as refused:
            create_mission(cast.mona, _record(state))
        assert refused.value.field == "state"
    assert Mission.objects.count() == 1


def test_an_exercise_mission_observes_the_exercise_state(cast: Cast) -> None:
    mission = create_mission(cast.mona, _record("xe", exercise=True))
    assert (mission.state, mission.is_exercise) == ("XE", True)
    assert mission.state_name == "Exercise Republic (EXERCISE)"
    with pytest.raises(Invalid, match="time zone") as refused:
        create_mission(cast.mona, _record("XE", exercise=True, time_zone="Mars/Olympus"))
    assert refused.value.field == "time_zone"


def test_an_unknown_state_is_refused_by_the_api_naming_the_field(cast: Cast) -> None:
    response = Client().post(f"{API}/missions", {
        "code": "API-EOM", "name": "x", "state": "QQ", "election_date": "2026-12-06"},
        content_type="application/json", **_bearer(cast.mona))
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert (response.json()["field"], response.json()["detail"]) == (
        "state", "Not a participating State in the registry: 'QQ'.")
    assert not Mission.objects.exists()


# -- phases -------------------------------------------------------------------------------------

def test_the_core_team_moves_the_mission_on_one_phase_at_a_time(cast: Cast, world: Eom) -> None:
    core = _observer(cast, "core-member")
    add_member(world.manager, world.mission, core, Member.Role.CORE)
    change_phase(core, world.mission, "deployment")
    with pytest.raises(Conflict, match="moves to election_day first"):
        change_phase(core, world.mission, "post_election")
    with pytest.raises(Conflict, match="does not go back"):
        change_phase(core, world.mission, "needs_assessment")
    with pytest.raises(AccessDenied):
        change_phase(world.observer, world.mission, "election_day")
    world.mission.refresh_from_db()
    assert world.mission.phase == "deployment"
    entry = AuditEntry.objects.get(action="phase")
    assert (entry.actor, entry.before, entry.after) == (
        core, {"phase": "needs_assessment"}, {"phase": "deployment"})


def test_the_phase_moves_on_from_the_page_and_the_api(cast: Cast, world: Eom) -> None:
    page_url = f"/elections/{world.mission.code}/"
    page = cast.client(world.manager).get(page_url).content.decode()
    assert "Move the mission to the next phase: deployment" in page
    assert "Move the mission" not in cast.client(world.observer).get(page_url).content.decode()
    assert cast.client(world.observer).post(page_url, {"phase": "deployment"}).status_code == 403
    moved = cast.client(world.manager).post(page_url, {"phase": "deployment"})
    assert moved.status_code == 302
    url = f"{API}/missions/{world.mission.code}/phase"
    answer = Client().post(url, {"phase": "election_day"}, content_type="application/json",
                           **_bearer(world.manager))
    assert answer.status_code == 200 and answer.json()["phase"] == "election_day"
    back = Client().post(url, {"phase": "deployment"}, content_type="application/json",
                         **_bearer(world.manager))
    assert back.status_code == 409 and back.json()["field"] == "phase"
    unknown = Client().post(url, {"phase": "tabulation"}, content_type="application/json",
                            **_bearer(world.manager))
    assert unknown.status_code == 422
    world.mission.refresh_from_db()
    assert world.mission.phase == "election_day"
    assert AuditEntry.objects.filter(action="phase").count() == 2


# -- areas of responsibility --------------------------------------------------------------------

def test_areas_are_drawn_from_the_frame_and_never_overlap(world: Eom) -> None:
    north = create_area(world.manager, world.mission, name="North",
                        places=[Place("North", "N1"), Place("North", "N2")])
    with pytest.raises(Invalid, match="North is in the area North already") as refused:
        create_area(world.manager, world.mission, name="Everything",
                    places=[Place("North"), Place("South")])
    assert refused.value.field == "places"
    with pytest.raises(Invalid, match="No region 'East'"):
        create_area(world.manager, world.mission, name="East", places=[Place("East")])
    with pytest.raises(Conflict):
        create_area(world.manager, world.mission, name="North", places=[Place("South")])
    with pytest.raises(AccessDenied):
        create_area(world.observer, world.mission, name="South", places=[Place("South")])
    update_area(world.manager, world.mission, north.pk, name="North (N1)",
                places=[Place("North", "N1")])
    create_area(world.manager, world.mission, name="Rest",
                places=[Place("North", "N2"), Place("South")])
    rows = {r["area"].name: (r["stations"], [p.label() for p in r["places"]])
            for r in area_rows(world.mission)}
    assert rows == {"North (N1)": (1, ["North / N1"]), "Rest": (2, ["North / N2", "South"])}
    assert AuditEntry.objects.filter(model_label="elections.Area").count() == 3


def test_removing_an_area_leaves_its_teams_in_no_area(world: Eom) -> None:
    area = create_area(world.manager, world.mission, name="South", places=[Place("South")])
    create_team(world.manager, world.mission, code="T02", kind="sto", area_id=area.pk)
    delete_area(world.manager, world.mission, area.pk)
    assert Team.objects.get(code="T02").area is None and not Area.objects.exists()


# -- teams of two -------------------------------------------------------------------------------

def test_a_team_takes_two_observers_of_its_kind(cast: Cast, world: Eom) -> None:
    partner, third, lto = (_observer(cast, n) for n in ("sto-partner", "sto-third", "lto-one"))
    [status] = [t["status"] for t in team_rows(world.mission)]
    assert (status.complete, status.missing) == (False, 1)  # T01: the fixture's observer
    add_member(world.manager, world.mission, partner, Member.Role.STO, "T01")
    with pytest.raises(Invalid, match="has its 2 observers already") as full:
        add_member(world.manager, world.mission, third, Member.Role.STO, "T01")
    assert full.value.field == "team"
    assert not Member.objects.filter(user=third).exists()  # refused: nothing stored
    with pytest.raises(Invalid, match="takes short-term observers only"):
        add_member(world.manager, world.mission, lto, Member.Role.LTO, "T01")
    with pytest.raises(Invalid, match="Only long- and short-term observers"):
        add_member(world.manager, world.mission, third, Member.Role.CORE, "T09")
    add_member(world.manager, world.mission, lto, Member.Role.LTO, "L1")  # forms team L1
    rows = {t["code"]: (t["kind"], t["observers"], t["status"].complete)
            for t in team_rows(world.mission)}
    assert rows == {"L1": ("lto", ["lto-one"], False),
                    "T01": ("sto", ["sto-partner", world.observer.username], True)}


def test_observers_move_between_teams_and_an_empty_team_can_go(cast: Cast, world: Eom) -> None:
    create_team(world.manager, world.mission, code="T02", kind="sto")
    place_observer(world.manager, world.mission, world.observer, "T02")
    assert Member.objects.get(user=world.observer).team == "T02"
    with pytest.raises(Conflict, match="has observers"):
        remove_team(world.manager, world.mission, "T02")
    remove_observer(world.manager, world.mission, world.observer)
    remove_team(world.manager, world.mission, "T02")
    assert list(Team.objects.values_list("code", flat=True)) == ["T01"]
    with pytest.raises(Conflict, match="has a team T01 already"):
        create_team(world.manager, world.mission, code="T01", kind="lto")


def test_the_pages_draw_areas_and_form_teams(cast: Cast, world: Eom) -> None:
    client = cast.client(world.manager)
    areas_url = f"/elections/{world.mission.code}/areas/"
    form = client.get(areas_url).content.decode()
    assert "North: the whole region" in form
    assert 'value="[&quot;North&quot;, &quot;N2&quot;]"' in form
    drawn = client.post(areas_url, {"name": "North", "places": ['["North", ""]']})
    assert drawn.status_code == 302
    overlapping = client.post(areas_url, {"name": "Also north", "places": ['["North", "N1"]']})
    assert overlapping.status_code == 400
    assert "is in the area North already" in overlapping.content.decode()
    area = Area.objects.get()
    assert client.get(f"/elections/{world.mission.code}/areas/{area.pk}/").status_code == 200

    teams_url = f"/elections/{world.mission.code}/teams/"
    formed = client.post(teams_url, {"form_team": "1", "code": "L1", "kind": "lto",
                                      "area": str(area.pk)})
    assert formed.status_code == 302
    moved = client.post(teams_url, {"move_team": "T01", "area": str(area.pk)})
    assert moved.status_code == 302
    lto = _observer(cast, "lto-one")
    add_member(world.manager, world.mission, lto, Member.Role.LTO)
    placed = client.post(teams_url, {"place_observer": "1", "observer": "lto-one",
                                     "team": "L1"})
    assert placed.status_code == 302
    wrong = client.post(teams_url, {"place_observer": "1", "observer": world.observer.username,
                                    "team": "L1"})
    assert wrong.status_code == 400 and "long-term observers only" in wrong.content.decode()
    page = client.get(teams_url).content.decode()
    assert "incomplete: 1 observer missing" in page
    assert {t.code: t.area for t in Team.objects.all()} == {"L1": area, "T01": area}

    board = client.get(f"/elections/{world.mission.code}/deployment/")
    [in_area] = board.context["board"]["areas"]
    assert [t["code"] for t in in_area["teams"]] == ["L1", "T01"]
    assert board.context["board"]["unplaced"] == []
    assert "Teams by area of responsibility" in board.content.decode()


def test_analysts_read_the_organisation_and_others_may_not(cast: Cast, world: Eom) -> None:
    analyst = world.bystander
    Member.objects.create(mission=world.mission, user=analyst, role=Member.Role.ANALYST)
    reader = cast.client(analyst)
    for path in ("areas/", "teams/"):
        page = reader.get(f"/elections/{world.mission.code}/{path}")
        assert page.status_code == 200 and "<form" not in page.content.decode().split(
            "</nav>", 2)[-1]
        assert cast.client(world.observer).get(
            f"/elections/{world.mission.code}/{path}").status_code == 403
    assert reader.post(f"/elections/{world.mission.code}/teams/",
                       {"form_team": "1", "code": "T09", "kind": "sto"}).status_code == 403
    assert not Team.objects.filter(code="T09").exists()


def test_the_api_reads_areas_and_teams(cast: Cast, world: Eom) -> None:
    area = create_area(world.manager, world.mission, name="North", places=[Place("North")])
    create_team(world.manager, world.mission, code="L1", kind="lto", area_id=area.pk)
    headers = _bearer(world.manager)
    areas = Client().get(f"{API}/missions/{world.mission.code}/areas", **headers).json()
    assert areas == [{"id": area.pk, "name": "North",
                      "places": [{"region": "North", "district": ""}], "stations": 2,
                      "teams": ["L1"]}]
    teams = Client().get(f"{API}/missions/{world.mission.code}/teams", **headers).json()
    assert teams == [
        {"code": "L1", "kind": "lto", "area": "North", "observers": [], "complete": False,
         "missing": 2},
        {"code": "T01", "kind": "sto", "area": None, "observers": [world.observer.username],
         "complete": False, "missing": 1}]
