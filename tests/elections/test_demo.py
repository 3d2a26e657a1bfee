"""The EXERCISE-EOM demo: generated, exercise-marked, loaded once, usable by demo-observer from
ODK Collect and by demo-coreteam as the core team; its EXERCISE PVT fills the PVT board, and
the files the docs point to give the command line the same sample and results."""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from hofburg.core.models import Affiliation, AuditEntry, Role, User
from hofburg.core.services.accounts import ensure_affiliation
from hofburg.elections import permissions
from hofburg.elections.demo import CODE, load_elections_demo
from hofburg.elections.demo.exercise import pvt_files, pvt_results, pvt_sample
from hofburg.elections.engine.files import read_pvt_frame, read_pvt_results
from hofburg.elections.engine.pvt import estimate
from hofburg.elections.models import Member, Mission, PvtSetup, Submission
from hofburg.elections.queries import (
    figures,
    form_versions,
    open_conflicts,
    pvt_board,
    serious_problems,
)
from hofburg.elections.queries.teams import area_rows, team_rows
from hofburg.elections.services.areas import places_of
from hofburg.elections.services.snapshots import freeze
from tests.elections.samples import submission_xml

pytestmark = pytest.mark.django_db
PVT_FORM = "exercise_pvt_results"
FILES = Path("data/elections/exercise-pvt")


@pytest.fixture
def exercise_world() -> User:
    eom = ensure_affiliation("exercise-eom", name="Exercise Election Observation Mission",
                             kind=Affiliation.Kind.FIELD_OPERATION, is_exercise=True)
    secretariat = ensure_affiliation("exercise-secretariat", name="Exercise Secretariat Unit",
                                     kind=Affiliation.Kind.SECRETARIAT_UNIT, is_exercise=True)
    User.objects.create_user("demo-analyst", password="analyst-pass", affiliation=secretariat,
                             roles=[Role.READER, Role.ANALYST])
    User.objects.create_user("demo-coreteam", password="core-pass", affiliation=eom,
                             roles=[Role.READER])
    return User.objects.create_user("demo-observer", password="observer-pass", affiliation=eom,
                                    roles=[Role.READER])


def test_demo_mission_is_exercise_data_loaded_once(exercise_world: User) -> None:
    load_elections_demo()
    load_elections_demo()
    mission = Mission.objects.get(code=CODE)
    # The exercise State, never a real one; opened weeks before its election, now after it.
    assert (mission.is_exercise, mission.state, mission.state_name) == (
        True, "XE", "Exercise Republic (EXERCISE)")
    assert mission.phase == "post_election" and mission.time_zone == "Europe/Vienna"
    assert mission.created_at.date() < mission.election_date - timedelta(weeks=6)
    assert [e.after for e in AuditEntry.objects.filter(action="phase").order_by("pk")] == [
        {"phase": "deployment"}, {"phase": "election_day"}, {"phase": "post_election"}]
    assert mission.owner_affiliation.code == "exercise-eom"
    assert mission.stations.count() == 600
    assert sorted(mission.forms.values_list("form_id", flat=True)) == [
        "exercise_counting", "exercise_opening", "exercise_pvt_results", "exercise_voting"]
    # Ten forms from each of the 40 teams, and four teams' second observers' voting form.
    assert Submission.objects.exclude(form__form_id=PVT_FORM).count() == 40 * 10 + 4
    assert mission.assignments.count() == 40 * 9  # each team's route is its plan
    assert Submission.objects.filter(received_at__gt=timezone.now()).count() == 0
    observer = Member.objects.get(mission=mission, user=exercise_world)
    assert (observer.role, observer.team) == ("sto", "T01")
    analyst = User.objects.get(username="demo-analyst")
    snap = freeze(analyst, "exercise_voting", timezone.now())
    data = figures(snap, form_versions(analyst, "exercise_voting"))
    # Two pairs agree (one observation each), two disagree (held out until resolved).
    assert (data["forms"], data["paired_duplicates"], len(data["conflicts_held_out"])) == (
        318, 2, 2)
    assert [(c["team"], c["differing"]) for c in open_conflicts(mission)] == [
        ("T20", ["overall"]), ("T40", ["overall"])]
    overall = next(q for q in data["questions"] if q["question"] == "overall")
    assert 0 < overall["negative_pct"] < 50
    assert serious_problems(mission)


def test_demo_teams_are_pairs_in_their_areas(exercise_world: User) -> None:
    load_elections_demo()
    mission = Mission.objects.get(code=CODE)
    assert [(a["area"].name, len(a["teams"])) for a in area_rows(mission)] == [
        ("Capital", 11), ("North-East", 11), ("North-West", 11), ("South", 11)]
    assert sum(a["stations"] for a in area_rows(mission)) == 600  # every station in one area
    teams = team_rows(mission)
    assert len(teams) == 44
    assert all(t["status"].complete and t["area"] is not None for t in teams)
    assert {t["kind"] for t in teams if t["code"].startswith("L")} == {"lto"}
    # Each STO team's route lies in its area.
    area_of_team = {t["code"]: places_of(t["area"]) for t in teams}
    regions = dict(mission.stations.values_list("station_id", "region"))
    districts = dict(mission.stations.values_list("station_id", "district"))
    for assignment in mission.assignments.all():
        assert any(p.covers(regions[assignment.station_id], districts[assignment.station_id])
                   for p in area_of_team[assignment.team]), assignment


def test_demo_observer_submits_from_collect(exercise_world: User) -> None:
    load_elections_demo()
    form = Mission.objects.get(code=CODE).forms.get(form_id="exercise_voting")
    token = base64.b64encode(b"demo-observer:observer-pass").decode()
    client = Client()
    listed = client.get("/openrosa/formList", HTTP_AUTHORIZATION=f"Basic {token}")
    assert "<formID>exercise_voting</formID>" in listed.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    xml = submission_xml("exercise_voting", form.version, station="XR-0001")
    response = client.post("/openrosa/submission", {"xml_submission_file": SimpleUploadedFile(
        "s.xml", xml, content_type="text/xml")}, HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 201
    assert Submission.objects.filter(form=form).count() == 325


def test_demo_pvt_fills_the_board_right_after_loading(exercise_world: User) -> None:
    load_elections_demo()
    mission = Mission.objects.get(code=CODE)
    setup = PvtSetup.objects.get(mission=mission)
    assert setup.form_id == PVT_FORM and setup.strata == ["region"]
    assert setup.candidates == ["party_a", "party_b", "party_c", "party_d"]
    assert len(setup.sample) == 150
    results = pvt_results()
    arrived = [r for r in results if r.minutes is not None]
    board = pvt_board(mission)
    assert board is not None
    assert (board["sampled"], board["received"]) == (150, len(arrived))
    assert board["reported"] == sum(1 for r in arrived if r.valid > 0) < len(arrived)
    assert len(board["regions"]) == 5
    assert all(0 < row["rate_pct"] <= 100 for row in board["regions"])
    assert board["estimate"] is not None
    shares = {c: e["share"] for c, e in board["estimate"]["candidates"].items()}
    assert max(shares, key=lambda c: shares[c]) == "party_a"
    # The files for the command line hold the same results: the same estimate.
    candidates, stations = read_pvt_results((FILES / "results.csv").read_text())
    from_files = estimate(stations, read_pvt_frame((FILES / "strata.csv").read_text()),
                          candidates).as_dict()
    for name in candidates:
        for figure in ("share", "moe95"):
            assert from_files["candidates"][name][figure] == pytest.approx(
                board["estimate"]["candidates"][name][figure], abs=1e-12)
    points = board["convergence"]
    assert 20 <= len(points) <= 41
    # Results arrive over election night, the capital first: the early estimate is not the
    # final one, and the interval narrows as stations report.
    received = list(Submission.objects.filter(form__form_id=PVT_FORM)
                    .order_by("received_at").values_list("received_at", flat=True))
    assert received[0] < received[-1] < timezone.now()
    assert (received[-1] - received[0]).total_seconds() > 3 * 3600
    assert Submission.objects.filter(form__form_id=PVT_FORM, channel="phone").count() == len(
        arrived)

    # demo-coreteam is on the core team: it plans, sets up the PVT and reads the board.
    core = User.objects.get(username="demo-coreteam")
    assert Member.objects.get(mission=mission, user=core).role == Member.Role.CORE
    assert permissions.may_manage(core, mission) and permissions.may_analyse(core, mission)
    client = Client()
    client.force_login(core)
    page = client.get(f"/elections/{CODE}/pvt/")
    assert page.status_code == 200
    assert 'id="pvt-convergence-chart"' in page.content.decode()
    assert client.get(f"/elections/{CODE}/devices/").status_code == 200

    # Loading again adds nothing; a mission from before the PVT gets it, once.
    PvtSetup.objects.filter(mission=mission).delete()
    before = Submission.objects.count()
    load_elections_demo()
    load_elections_demo()
    assert PvtSetup.objects.filter(mission=mission).count() == 1
    assert Submission.objects.count() == before
    assert Member.objects.filter(mission=mission, user=core).count() == 1


def test_the_pvt_files_the_docs_point_to_are_the_demo_pvt(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from hofburg.cli import app

    for name, text in pvt_files().items():
        assert (FILES / name).read_text(encoding="utf-8") == text, name
    runner = CliRunner()
    drawn = tmp_path / "sample.csv"
    result = runner.invoke(app, ["elections", "sample", str(FILES / "frame.csv"), "--size",
                                 "150", "--strata", "region", "--min-per-stratum", "12",
                                 "--seed", "2026", "-o", str(drawn)])
    assert result.exit_code == 0, result.stderr
    rows = [(r["station_id"], r["stratum"])
            for r in csv.DictReader(io.StringIO(drawn.read_text(encoding="utf-8-sig")))]
    assert rows == pvt_sample()
    result = runner.invoke(app, ["elections", "pvt", "--sample", str(FILES / "results.csv"),
                                 "--frame", str(FILES / "strata.csv"), "--json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    arrived = [r for r in pvt_results() if r.minutes is not None]
    assert out["sampled"] == 150
    assert out["reporting"] == sum(1 for r in arrived if r.valid > 0)
    assert 0.35 < out["candidates"]["party_a"]["share"] < 0.5
    assert out["candidates"]["party_a"]["moe95"] < 0.05
