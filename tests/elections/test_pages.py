"""The desk's pages: what each reader sees, the figures at a cut-off and the serious-problems
queue."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from hofburg.elections.models import Snapshot, Submission
from hofburg.elections.services.missions import import_frame
from hofburg.elections.services.submissions import receive
from tests.conftest import Cast
from tests.elections.samples import Eom, eom, submission_xml

pytestmark = pytest.mark.django_db
FRAME = ("station_id,name,region,district,urban_rural,registered_voters,lon,lat\n"
         "P001,School One,North,N1,urban,1000,,\nP002,Hall Two,South,S1,rural,500,,\n")


@pytest.fixture
def world(cast: Cast) -> Eom:
    e = eom(cast)
    import_frame(e.manager, e.mission, FRAME)
    receive(e.observer, submission_xml(station="P001", overall="very_bad"))
    receive(e.observer, submission_xml(station="P002", overall="good"))
    return e


def test_mission_pages_for_those_who_may_see_the_mission(cast: Cast, world: Eom) -> None:
    code = world.mission.code
    for user in (cast.mona, world.observer, world.bystander):
        client = cast.client(user)
        listing = client.get("/elections/")
        assert listing.status_code == 200 and code in listing.content.decode()
        page = client.get(f"/elections/{code}/")
        assert page.status_code == 200
        assert "Forms received" in page.content.decode()
        stations = client.get(f"/elections/{code}/stations/").content.decode()
        assert "School One" in stations and "Hall Two" in stations
        assert "voting" in client.get(f"/elections/{code}/forms/").content.decode()
    for user in (None, cast.alice, cast.nick):
        client = cast.client(user)
        assert code not in client.get("/elections/").content.decode()
        for path in ("", "stations/", "forms/", "figures/", "problems/"):
            assert client.get(f"/elections/{code}/{path}").status_code == 404, (user, path)


def test_figures_and_problems_are_for_the_core_team_and_analysts(cast: Cast,
                                                                 world: Eom) -> None:
    code = world.mission.code
    for user in (world.observer, world.bystander):
        client = cast.client(user)
        assert client.get(f"/elections/{code}/figures/").status_code == 403
        assert client.get(f"/elections/{code}/problems/").status_code == 403
    queue = cast.client(cast.mona).get(f"/elections/{code}/problems/").content.decode()
    assert "School One" in queue and "Hall Two" not in queue
    assert world.observer.username in queue and "overall" in queue


def test_freezing_on_the_figures_page(cast: Cast, world: Eom) -> None:
    Submission.objects.update(received_at=timezone.now() - timedelta(hours=1))
    client = cast.client(cast.mona)
    url = f"/elections/{world.mission.code}/figures/"
    future = timezone.localtime(timezone.now() + timedelta(minutes=5))
    bad = client.post(url, {"form_id": "voting", "cutoff": future.strftime("%Y-%m-%dT%H:%M%z")})
    assert bad.status_code == 400 and "future" in bad.content.decode()
    assert Snapshot.objects.count() == 0
    past = timezone.localtime(timezone.now() - timedelta(minutes=5))
    response = client.post(url, {"form_id": "voting", "cutoff": past.strftime("%Y-%m-%dT%H:%M%z")})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    snap = Snapshot.objects.get()
    assert snap.forms == 2 and snap.sha256 in page
    assert re.search(r"1 of 2 \(50\.0 %\)", page)


def test_figures_show_the_xlsform_label_in_the_reader_s_language(cast: Cast, world: Eom) -> None:
    from hofburg.elections.queries import label_for

    assert label_for({"English (en)": "Overall", "Français (fr)": "Globale"}, "fr") == "Globale"
    assert label_for({"English (en)": "Overall", "Français (fr)": "Globale"}, "ru") == "Overall"
    assert label_for("Overall", "de") == "Overall"
    Submission.objects.update(received_at=timezone.now() - timedelta(hours=1))
    client = cast.client(cast.mona)
    url = f"/elections/{world.mission.code}/figures/"
    past = timezone.localtime(timezone.now() - timedelta(minutes=5))
    client.post(url, {"form_id": "voting", "cutoff": past.strftime("%Y-%m-%dT%H:%M%z")})
    assert "Overall assessment of voting" in client.get(url).content.decode()


def test_figures_page_shows_each_breakdown_with_its_n_in_the_reader_s_language(
        cast: Cast, world: Eom) -> None:
    receive(world.observer, submission_xml(station="P404", overall="bad",
                                           start="2026-12-06T14:02:00.000+01:00"))
    Submission.objects.update(received_at=timezone.now() - timedelta(hours=1))
    client = cast.client(cast.mona)
    url = f"/elections/{world.mission.code}/figures/"
    past = timezone.localtime(timezone.now() - timedelta(minutes=5))
    client.post(url, {"form_id": "voting", "cutoff": past.strftime("%Y-%m-%dT%H:%M%z")})
    page = client.get(url).content.decode()
    regions = page[page.index('aria-label="By region"'):page.index('aria-label="By urban')]
    # the groups in order, a visit to a station outside the frame under "unknown"
    heads = re.findall(r'<th scope="col">([^<]*)<br>', regions)
    assert heads == ["unknown", "North", "South"]
    assert regions.count("1 form</span>") == 3
    overall = regions[regions.index("<code>overall</code>"):]
    assert re.search(r"<td>n = 1<br>very_good: 0 \(0\.0 %\).*very_bad: 1 \(100\.0 %\)", overall)
    assert "1 of 1 (100.0 %)" in overall and "0 of 1 (0.0 %)" in overall
    hours = page[page.index('aria-label="By hour of visit"'):]
    assert re.findall(r'<th scope="col">([^<]*)<br>', hours) == ["09:00–09:59", "14:00–14:59"]
    client.cookies["django_language"] = "fr"
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'aria-label="Par région"' in french
    assert "<th scope=\"col\">urbain<br>" in french and "<th scope=\"col\">inconnu<br>" in french


def test_exports_for_the_core_team(cast: Cast, world: Eom) -> None:
    import csv
    import io

    code = world.mission.code
    response = cast.client(cast.mona).get(f"/elections/{code}/forms/voting.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2 and {"overall", "instance_id", "submitted_by"} <= set(rows[0])
    xlsx = cast.client(cast.mona).get(f"/elections/{code}/forms/voting.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert cast.client(world.observer).get(f"/elections/{code}/forms/voting.csv"
                                           ).status_code == 403
    assert cast.client(cast.alice).get(f"/elections/{code}/forms/voting.csv").status_code == 404
    assert cast.client(cast.mona).get(f"/elections/{code}/forms/nope.csv").status_code == 404


def test_coverage_by_region_and_team(cast: Cast, world: Eom) -> None:
    from hofburg.elections.queries import coverage

    data = coverage(world.mission)
    assert data["regions"] == [
        {"region": "North", "stations": 1, "visited": 1, "visited_pct": 100.0},
        {"region": "South", "stations": 1, "visited": 1, "visited_pct": 100.0}]
    (team,) = data["teams"]
    assert (team["team"], team["members"], team["forms"], team["stations"]) == (
        "T01", [world.observer.username], 2, 2)
    page = cast.client(cast.mona).get(f"/elections/{world.mission.code}/coverage/")
    assert page.status_code == 200 and "T01" in page.content.decode()
    assert cast.client(world.observer).get(
        f"/elections/{world.mission.code}/coverage/").status_code == 403
    assert cast.client(cast.alice).get(
        f"/elections/{world.mission.code}/coverage/").status_code == 404
