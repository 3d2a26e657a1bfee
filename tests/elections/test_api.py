"""The API's writes: setting up a mission, its members, frame and forms; clerks' entries; the
serious-problems queue. Refusals are problem+json and change nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hofburg.core.models import User
from hofburg.core.services.users import issue_api_token
from hofburg.elections.models import Form, Member, Mission, Station, Submission
from hofburg.registry.models import ParticipatingState
from tests.conftest import Cast
from tests.elections.samples import eom, submission_xml, xlsform

pytestmark = pytest.mark.django_db
API = "/api/v1/elections"
FRAME = ("station_id,name,region,district,urban_rural,registered_voters,lon,lat\n"
         "P001,School,North,N1,urban,1000,,\nP002,Hall,South,S1,rural,500,,\n")


def auth(user: User) -> dict[str, Any]:
    _token, key = issue_api_token(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _austria() -> None:
    """The registry's row for Austria (the house's stand-in State, decision 0061)."""
    ParticipatingState.objects.create(iso2="AT", iso3="AUT", numeric="040",
                                      joined=date(1973, 6, 25),
                                      names={"en": "Austria", "fr": "Autriche"}, source="test")


def test_setting_up_a_mission_through_the_api(cast: Cast) -> None:
    _austria()
    client, headers = Client(), auth(cast.mona)
    created = client.post(f"{API}/missions", {
        "code": "API-EOM", "name": "API mission", "state": "at",
        "election_date": "2026-12-06", "time_zone": "Europe/Vienna"},
        content_type="application/json", **headers)
    assert created.status_code == 201, created.content
    assert created.json()["classification"] == "confidential"
    assert {k: created.json()[k] for k in ("state", "state_name", "time_zone", "phase")} == {
        "state": "AT", "state_name": "Austria", "time_zone": "Europe/Vienna",
        "phase": "needs_assessment"}
    mission = Mission.objects.get(code="API-EOM")
    assert mission.owner_affiliation == cast.mission
    again = client.post(f"{API}/missions", {
        "code": "API-EOM", "name": "x", "state": "AT", "election_date": "2026-12-06"},
        content_type="application/json", **headers)
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")

    frame = client.post(f"{API}/missions/API-EOM/stations",
                        {"file": SimpleUploadedFile("frame.csv", FRAME.encode())}, **headers)
    assert frame.status_code == 201 and frame.json() == {"stations": 2}
    bad = client.post(f"{API}/missions/API-EOM/stations", {"file": SimpleUploadedFile(
        "frame.csv", (FRAME + "P003,X,North,N1,town,1,,\n").encode())}, **headers)
    assert bad.status_code == 422 and "row 4" in bad.json()["detail"]
    assert Station.objects.filter(mission=mission).count() == 2

    form = client.post(f"{API}/missions/API-EOM/forms",
                       {"file": SimpleUploadedFile("v.xlsx", xlsform("api-voting"))}, **headers)
    assert form.status_code == 201
    assert (form.json()["form_id"], form.json()["version"]) == ("api-voting", "1")
    broken = client.post(f"{API}/missions/API-EOM/forms", {"file": SimpleUploadedFile(
        "b.xlsx", xlsform("api-broken", extra=[["select_one nolist", "q", "Q"]]))}, **headers)
    assert broken.status_code == 422 and "nolist" in broken.json()["detail"]
    assert not Form.objects.filter(form_id="api-broken").exists()

    clerk = User.objects.create_user("clerk", affiliation=cast.mission)
    member = client.post(f"{API}/missions/API-EOM/members",
                         {"username": "clerk", "role": "clerk"},
                         content_type="application/json", **headers)
    assert member.status_code == 201
    assert Member.objects.get(mission=mission, user=clerk).role == "clerk"
    entry = client.post(f"{API}/missions/API-EOM/submissions", {
        "xml": submission_xml("api-voting", instance="uuid:paper-1").decode(),
        "channel": "paper", "device": "clerk desk 3"},
        content_type="application/json", **auth(clerk))
    assert entry.status_code == 201 and entry.json() == {"instance_id": "uuid:paper-1",
                                                         "created": True}
    stored = Submission.objects.get(instance_id="uuid:paper-1")
    assert (stored.channel, stored.device, stored.submitted_by) == ("paper", "clerk desk 3",
                                                                     clerk)


def test_others_may_not_change_a_mission(cast: Cast) -> None:
    e = eom(cast)
    client = Client()
    code = e.mission.code
    hidden = client.post(f"{API}/missions/{code}/stations",
                         {"file": SimpleUploadedFile("f.csv", FRAME.encode())},
                         **auth(cast.alice))
    assert hidden.status_code == 404
    seen = client.post(f"{API}/missions/{code}/stations",
                       {"file": SimpleUploadedFile("f.csv", FRAME.encode())},
                       **auth(e.observer))
    assert seen.status_code == 403
    entry = client.post(f"{API}/missions/{code}/submissions", {"xml": submission_xml().decode()},
                        content_type="application/json", **auth(e.bystander))
    assert entry.status_code == 403
    anonymous = client.post(f"{API}/missions", {"code": "X", "name": "x", "state": "XE",
                                                "election_date": "2026-12-06"},
                            content_type="application/json")
    assert anonymous.status_code == 401
    assert Station.objects.count() == 0 and Submission.objects.count() == 0


def test_serious_problems_queue(cast: Cast) -> None:
    e = eom(cast)
    receive_xml = submission_xml(overall="very_bad", instance="uuid:bad-1")
    from hofburg.elections.services.submissions import receive

    receive(e.observer, receive_xml)
    receive(e.observer, submission_xml(overall="good"))
    client = Client()
    queue = client.get(f"{API}/missions/{e.mission.code}/problems", **auth(cast.mona))
    assert queue.status_code == 200
    rows = queue.json()
    assert [(r["instance_id"], r["reasons"], r["reported_by"]) for r in rows] == [
        ("uuid:bad-1", ["overall"], e.observer.username)]
    assert client.get(f"{API}/missions/{e.mission.code}/problems",
                      **auth(e.observer)).status_code == 403
    assert client.get(f"{API}/missions/{e.mission.code}/problems",
                      **auth(cast.alice)).status_code == 404
