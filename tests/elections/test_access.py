"""The leak walk of the elections desk: each viewer finds exactly the missions (and their
stations, forms, submissions and figures) they may see, through the API and OpenRosa, and a
404 for the rest, with no count that gives a hidden mission away.

Three missions of the same field operation, one of each classification."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hofburg.core.bounds import CLOCK_SKEW
from hofburg.core.models import Classification, User
from hofburg.core.services.users import issue_api_token
from hofburg.elections.models import Mission, Snapshot
from hofburg.elections.services.forms import add_form
from hofburg.elections.services.missions import MissionRecord, create_mission, import_frame
from hofburg.elections.services.submissions import receive
from tests.conftest import PASSWORD, Cast
from tests.elections.samples import submission_xml, xlsform

pytestmark = pytest.mark.django_db
API = "/api/v1/elections"
LEVELS = (Classification.PUBLIC, Classification.RESTRICTED, Classification.CONFIDENTIAL)
FRAME = "station_id,name,region,district,urban_rural,registered_voters,lon,lat\n" \
        "P001,School,North,N1,urban,1000,,\n"

SEES = {"anonymous": {"public"}, "nick": {"public"}, "alice": {"public", "restricted"},
        "mona": {"public", "restricted", "confidential"}}


@dataclass
class World:
    missions: dict[str, Mission]


@pytest.fixture
def world(cast: Cast) -> World:
    missions = {}
    for level in LEVELS:
        mission = create_mission(cast.mona, MissionRecord(
            code=f"EOM-{level}", name=f"Mission {level}", state="XE",
            election_date=date(2026, 12, 6), classification=level, exercise=True))
        import_frame(cast.mona, mission, FRAME)
        add_form(cast.mona, mission, xlsform(f"voting-{level}"))
        receive(cast.mona, submission_xml(f"voting-{level}", overall="bad"))
        missions[level] = mission
    return World(missions)


def _viewer(cast: Cast, who: str) -> User | None:
    return {"anonymous": None, "nick": cast.nick, "alice": cast.alice, "mona": cast.mona}[who]


def _headers(user: User | None) -> dict[str, Any]:
    if user is None:
        return {}
    _token, key = issue_api_token(user, "leak walk")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize("who", sorted(SEES))
def test_api_shows_exactly_the_visible_missions(cast: Cast, world: World, who: str) -> None:
    client, headers = Client(), _headers(_viewer(cast, who))
    expected = {f"EOM-{level}" for level in SEES[who]}
    listed = client.get(f"{API}/missions", **headers).json()
    assert {m["code"] for m in listed["items"]} == expected
    assert listed["count"] == len(expected)
    for level, mission in world.missions.items():
        seen = level in SEES[who]
        status = 200 if seen else 404
        for path in (f"/missions/{mission.code}", f"/missions/{mission.code}/stations",
                     f"/missions/{mission.code}/forms"):
            response = client.get(API + path, **headers)
            assert response.status_code == status, (who, path)
            if not seen:
                assert response["Content-Type"].startswith("application/problem+json")
                problem = response.json()
                assert mission.name not in response.content.decode()
                missing = client.get(API + path.replace(mission.code, "NO-SUCH-EOM")
                                     .replace(f"voting-{level}", "no-such-form"), **headers)
                assert (missing.status_code, missing.json()["title"]) == (404, problem["title"])
        submissions = client.get(f"{API}/forms/voting-{level}/submissions", **headers)
        if who == "mona":  # the owner's editor
            assert len(submissions.json()["rows"]) == 1
        else:  # raw submissions are for the core team and analysts only
            assert submissions.status_code == (403 if seen else 404), (who, level)
    missing = client.get(f"{API}/missions/NO-SUCH-EOM", **headers)
    assert missing.status_code == 404


@pytest.mark.parametrize("who", sorted(SEES))
def test_freezing_figures_needs_the_mission(cast: Cast, world: World, who: str) -> None:
    user = _viewer(cast, who)
    client, headers = Client(), _headers(user)
    # Five minutes ahead: within the clock skew the input allows (so every caller reaches the
    # access check), and still ahead when the request is answered on a busy machine.
    cutoff = (timezone.now() + CLOCK_SKEW / 2).isoformat()
    for level in LEVELS:
        response = client.post(f"{API}/forms/voting-{level}/snapshots", {"cutoff": cutoff},
                               content_type="application/json", **headers)
        if user is None:
            assert response.status_code == 401
        elif who == "mona":
            assert response.status_code == 422  # the cut-off is in the future
        elif level in SEES[who]:
            assert response.status_code == 403
        else:
            assert response.status_code == 404
    assert Snapshot.objects.count() == 0


def test_the_owner_freezes_and_gets_figures(cast: Cast, world: World) -> None:
    response = Client().post(f"{API}/forms/voting-confidential/snapshots",
                             {"cutoff": timezone.now().isoformat()},
                             content_type="application/json", **_headers(cast.mona))
    assert response.status_code == 201
    data = response.json()
    overall = next(q for q in data["questions"] if q["question"] == "overall")
    assert overall["negative_pct"] == 100.0 and overall["n"] == 1
    assert len(data["snapshot_sha256"]) == 64


@pytest.mark.parametrize("who", ["nick", "alice", "mona"])
def test_openrosa_lists_only_forms_of_missions_one_is_on(cast: Cast, world: World,
                                                         who: str) -> None:
    user = _viewer(cast, who)
    assert user is not None
    token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    body = Client().get("/openrosa/formList", HTTP_AUTHORIZATION=f"Basic {token}")
    assert body.status_code == 200
    listed = body.content.decode()
    for level in LEVELS:
        assert (f"<formID>voting-{level}</formID>" in listed) == (who == "mona")


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_deployment_board_and_its_map_show_only_to_the_mission(cast: Cast, world: World,
                                                                   who: str) -> None:
    """The page, the map's data and the plan's API: 404 for a hidden mission (like a missing
    one), 403 for a visible one the viewer is not on, the board for the owner's editor."""
    from hofburg.elections.models import Assignment, Member, Team

    user = _viewer(cast, who)
    web, headers = cast.client(user), _headers(user)
    for level, mission in world.missions.items():
        Member.objects.get_or_create(mission=mission, user=cast.mona, defaults={"role": "core"})
        Team.objects.get_or_create(mission=mission, code="T01", defaults={"kind": "sto"})
        kept, _ = Assignment.objects.get_or_create(mission=mission, team="T01",
                                                   station_id="P001", day=date(2026, 12, 6))
        seen, owner = level in SEES[who], who == "mona"
        expected = 200 if owner else (403 if seen else 404)
        page = web.get(f"/elections/{mission.code}/deployment/")
        assert page.status_code == expected, (who, level)
        if expected == 200:
            assert "School" in page.content.decode()
        else:
            assert "School" not in page.content.decode()
        api = Client().get(f"{API}/missions/{mission.code}/assignments", **headers)
        assert api.status_code == (expected if user is not None or seen else 404), (who, level)
        if expected != 200:
            assert "P001" not in api.content.decode()
        planned = Client().post(f"{API}/missions/{mission.code}/assignments",
                                {"team": "T01", "station_id": "P001", "day": "2026-12-07"},
                                content_type="application/json", **headers)
        removed = Client().delete(f"{API}/missions/{mission.code}/assignments/"
                                  f"{kept.pk}", **headers)
        if user is None:
            assert (planned.status_code, removed.status_code) == (401, 401)
        elif not owner:
            assert (planned.status_code, removed.status_code) == (expected, expected), who
        else:
            assert (planned.status_code, removed.status_code) == (201, 204)
    if who != "mona":
        assert Assignment.objects.count() == len(LEVELS)


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_pvt_board_shows_only_to_the_mission(cast: Cast, world: World, who: str) -> None:
    """The PVT page and its API: 404 for a hidden mission, 403 for a visible one the viewer is
    not on; setting it up needs the mission's core team (nothing stored otherwise)."""
    from hofburg.elections.models import PvtSetup
    from hofburg.elections.services.pvt import set_up_pvt
    from tests.elections.samples import results_xlsform, results_xml

    user = _viewer(cast, who)
    web, headers = cast.client(user), _headers(user)
    for level, mission in world.missions.items():
        import_frame(cast.mona, mission, FRAME + "P002,Hall,South,S1,rural,800,,\n")
        add_form(cast.mona, mission, results_xlsform(f"results-{level}"))
        set_up_pvt(cast.mona, mission, form_id=f"results-{level}", candidates=["cand_a"],
                   strata=["region"], sample=["P001", "P002"])
        receive(cast.mona, results_xml("P001", 100, 61, 39, form_id=f"results-{level}"))
        seen, owner = level in SEES[who], who == "mona"
        expected = 200 if owner else (403 if seen else 404)
        page = web.get(f"/elections/{mission.code}/pvt/")
        assert page.status_code == expected, (who, level)
        assert ("North" in page.content.decode()) == owner
        api = Client().get(f"{API}/missions/{mission.code}/pvt", **headers)
        assert api.status_code == (expected if user is not None or seen else 404), (who, level)
        if expected != 200:
            assert "North" not in api.content.decode()
        put = Client().put(f"{API}/missions/{mission.code}/pvt",
                           {"form_id": f"results-{level}", "candidates": ["cand_a"],
                            "strata": ["region"], "sample": ["P001", "P002"], "min_valid": 5},
                           content_type="application/json", **headers)
        if user is None:
            assert put.status_code == 401
        elif not owner:
            assert put.status_code == expected
    if who != "mona":
        assert set(PvtSetup.objects.values_list("min_valid", flat=True)) == {1}


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_devices_page_shows_only_to_the_mission(cast: Cast, world: World, who: str) -> None:
    """Device tokens: 404 for a hidden mission, 403 for a visible one the viewer does not
    manage; nothing is issued or revoked by them, and no token's device shows."""
    from hofburg.elections.models import DeviceToken, Member
    from hofburg.elections.services.devices import issue_device_token

    user = _viewer(cast, who)
    web = cast.client(user)
    for level, mission in world.missions.items():
        Member.objects.get_or_create(mission=mission, user=cast.mona,
                                     defaults={"role": "core", "team": "T01"})
        token, _secret = issue_device_token(cast.mona, mission, cast.mona, f"phone-{level}", 7)
        seen, owner = level in SEES[who], who == "mona"
        expected = 200 if owner else (403 if seen else 404)
        page = web.get(f"/elections/{mission.code}/devices/")
        assert page.status_code == expected, (who, level)
        assert (f"phone-{level}" in page.content.decode()) == owner
        if not owner:
            issued = web.post(f"/elections/{mission.code}/devices/",
                              {"observer": cast.mona.username, "label": "x", "days": "7"})
            revoked = web.post(f"/elections/{mission.code}/devices/", {"revoke": str(token.pk)})
            assert (issued.status_code, revoked.status_code) == (expected, expected), who
    if who != "mona":
        assert DeviceToken.objects.count() == len(LEVELS)
        assert not DeviceToken.objects.filter(revoked_at__isnull=False).exists()


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_search_across_the_desks_finds_exactly_the_visible_missions(
        cast: Cast, world: World, who: str) -> None:
    client = Client()
    user = _viewer(cast, who)
    if user is not None:
        client.force_login(user)
    response = client.get("/search/", {"q": "Exercise Republic"})
    [section] = [s for s in response.context["sections"] if s.name == "elections"]
    assert section.found.total == len(SEES[who])
    assert {h.kind for h in section.found.hits} == {f"EOM-{level}" for level in SEES[who]}
    page = response.content.decode()
    for level in set(LEVELS) - SEES[who]:
        assert f"Mission {level}" not in page


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_submissions_list_and_their_files_show_only_to_the_mission(
        cast: Cast, world: World, who: str) -> None:
    """The list of a form's submissions and a submission's photo: 404 for a hidden mission
    (as for a missing file), 403 for a visible one the viewer may not read submissions of."""
    from hofburg.elections.services.submissions import Media

    web = cast.client(_viewer(cast, who))
    for level, mission in world.missions.items():
        instance = f"uuid:photo-{level}"
        receive(cast.mona, submission_xml(f"voting-{level}", instance=instance),
                media=(Media("protocol.jpg", "image/jpeg", b"\xff\xd8secret-photo"),))
        seen, owner = level in SEES[who], who == "mona"
        expected = 200 if owner else (403 if seen else 404)
        listing = web.get(f"/elections/{mission.code}/forms/voting-{level}/submissions/")
        assert listing.status_code == expected, (who, level)
        assert (instance in listing.content.decode()) == owner
        photo = web.get(f"/elections/{mission.code}/submissions/{instance}/files/protocol.jpg")
        assert photo.status_code == expected, (who, level)
        assert (b"secret-photo" in photo.content) == owner
        missing = web.get(f"/elections/{mission.code}/submissions/{instance}/files/other.jpg")
        assert missing.status_code == (404 if owner else expected)


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_organisation_shows_only_to_the_mission(cast: Cast, world: World, who: str) -> None:
    """Areas, an area's page, teams and the phase, as pages and in the API: 404 for a hidden
    mission (like a missing one), 403 for a visible one the viewer is not on; none of them
    changes anything for anyone but the owner, and no name of an area or team shows."""
    from hofburg.elections.engine.areas import Place
    from hofburg.elections.models import Area, Team
    from hofburg.elections.services.areas import create_area
    from hofburg.elections.services.teams import create_team

    user = _viewer(cast, who)
    web, headers = cast.client(user), _headers(user)
    for level, mission in world.missions.items():
        area = create_area(cast.mona, mission, name=f"Area-{level}", places=[Place("North")])
        create_team(cast.mona, mission, code=f"Team-{level}", kind="sto", area_id=area.pk)
        seen, owner = level in SEES[who], who == "mona"
        expected = 200 if owner else (403 if seen else 404)
        for path in ("areas/", f"areas/{area.pk}/", "teams/"):
            page = web.get(f"/elections/{mission.code}/{path}")
            assert page.status_code == expected, (who, level, path)
            assert (f"Area-{level}" in page.content.decode()) == owner
        for path in ("areas", "teams"):
            api = Client().get(f"{API}/missions/{mission.code}/{path}", **headers)
            assert api.status_code == (expected if user is not None or seen else 404), (
                who, level, path)
            assert (f"Team-{level}" in api.content.decode()) == owner
        missing = web.get(f"/elections/{mission.code}/areas/999999/")
        assert missing.status_code == (404 if owner else expected)
        if owner:
            continue
        posts = [web.post(f"/elections/{mission.code}/areas/", {
                     "name": "Taken", "places": ['["North", ""]']}),
                 web.post(f"/elections/{mission.code}/areas/{area.pk}/", {"delete": "1"}),
                 web.post(f"/elections/{mission.code}/teams/", {"remove_team": f"Team-{level}"}),
                 web.post(f"/elections/{mission.code}/", {"phase": "deployment"})]
        assert [p.status_code for p in posts] == [expected] * 4, (who, level)
        phase = Client().post(f"{API}/missions/{mission.code}/phase", {"phase": "deployment"},
                              content_type="application/json", **headers)
        assert phase.status_code == (401 if user is None else expected), (who, level)
    if who != "mona":
        assert Area.objects.count() == Team.objects.count() == len(LEVELS)
        assert set(Mission.objects.values_list("phase", flat=True)) == {"needs_assessment"}
