"""The PVT board of a mission: the set-up (results form, candidates, strata, sample, the
valid-report rule), the estimate and its convergence as results arrive, the reporting rate by
region; through the service, the API and the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hofburg.core.errors import Invalid
from hofburg.core.services.users import issue_api_token
from hofburg.elections.engine.pvt import Station, estimate
from hofburg.elections.models import PvtSetup
from hofburg.elections.queries import pvt_board
from hofburg.elections.services.forms import add_form
from hofburg.elections.services.missions import import_frame
from hofburg.elections.services.pvt import set_up_pvt
from hofburg.elections.services.submissions import receive
from tests.conftest import Cast
from tests.elections.samples import Eom, eom, results_xlsform, results_xml

pytestmark = pytest.mark.django_db
API = "/api/v1/elections"
# Six stations in two regions; four sampled (P1, P2 in North, P4, P5 in South).
FRAME = "station_id,name,region,district,urban_rural,registered_voters,lon,lat\n" + "".join(
    f"P{i},Station {i},{'North' if i <= 3 else 'South'},D,urban,1000,,\n" for i in range(1, 7))
SAMPLE = ["P1", "P2", "P4", "P5"]


@pytest.fixture
def world(cast: Cast) -> Eom:
    e = eom(cast)
    import_frame(e.manager, e.mission, FRAME)
    add_form(e.manager, e.mission, results_xlsform(), "results.xlsx")
    return e


def _set_up(e: Eom, **changes: Any) -> PvtSetup:
    values: dict[str, Any] = {"form_id": "results", "candidates": ["cand_a", "cand_b"],
                              "strata": ["region"], "sample": SAMPLE}
    values.update(changes)
    return set_up_pvt(e.manager, e.mission, **values)


def test_the_board_counts_reporting_per_region_and_estimates(world: Eom) -> None:
    _set_up(world)
    receive(world.observer, results_xml("P1", 100, 60, 40))
    receive(world.observer, results_xml("P4", 200, 80, 120))
    receive(world.observer, results_xml("P5", 0, 0, 0))  # received, does not count
    receive(world.observer, results_xml("P3", 100, 50, 50))  # not in the sample
    receive(world.observer, results_xml("P1", 100, 10, 90))  # later: the first one counts
    board = pvt_board(world.mission)
    assert board is not None
    assert (board["sampled"], board["received"], board["reported"]) == (4, 3, 2)
    assert board["regions"] == [
        {"region": "North", "sampled": 2, "received": 1, "reported": 1, "rate_pct": 50.0},
        {"region": "South", "sampled": 2, "received": 2, "reported": 1, "rate_pct": 50.0}]
    # The estimate is the engine's on the two reported stations, strata of 3 stations each.
    expected = estimate([Station("P1", "North", 100, {"cand_a": 60, "cand_b": 40}, 1000),
                         Station("P4", "South", 200, {"cand_a": 80, "cand_b": 120}, 1000)],
                        {"North": 3, "South": 3}, ["cand_a", "cand_b"]).as_dict()
    assert board["estimate"]["candidates"]["cand_a"]["share"] == pytest.approx(
        expected["candidates"]["cand_a"]["share"])  # type: ignore[index]
    assert board["estimate"]["candidates"]["cand_a"]["share"] == pytest.approx(140 / 300)
    assert board["estimate"]["strata_too_small"] == ["North", "South"]
    assert [p["reporting"] for p in board["convergence"]] == [2]


def test_the_valid_report_rule_is_a_setting(world: Eom) -> None:
    _set_up(world)
    receive(world.observer, results_xml("P1", 100, 60, 40))
    receive(world.observer, results_xml("P2", 20, 10, 10))
    assert pvt_board(world.mission)["reported"] == 2  # type: ignore[index]
    _set_up(world, min_valid=50)
    assert pvt_board(world.mission)["reported"] == 1  # type: ignore[index]
    _set_up(world, require_registered=True)  # neither form gives registered voters, the frame does
    assert pvt_board(world.mission)["reported"] == 2  # type: ignore[index]


@pytest.mark.parametrize(("changes", "field"), [
    ({"form_id": "voting"}, "form_id"), ({"form_id": "nothing"}, "form_id"),
    ({"candidates": ["valid"]}, "candidates"), ({"candidates": ["cand_z"]}, "candidates"),
    ({"strata": ["district"]}, "strata"), ({"sample": ["P1", "P99"]}, "sample"),
    ({"sample": ["P1"]}, "sample"), ({"min_valid": 0}, "min_valid")])
def test_a_bad_set_up_is_refused(world: Eom, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as refusal:
        _set_up(world, **changes)
    assert refusal.value.field == field
    assert not PvtSetup.objects.exists()


def _bearer(user: Any) -> dict[str, str]:
    _token, key = issue_api_token(user, "pvt tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_api_sets_up_and_reads_the_board(cast: Cast, world: Eom) -> None:
    client, headers = Client(), _bearer(world.manager)
    url = f"{API}/missions/{world.mission.code}/pvt"
    assert client.get(url, **headers).status_code == 404
    body = {"form_id": "results", "candidates": ["cand_a", "cand_b"], "strata": ["region"],
            "sample": SAMPLE, "min_valid": 1}
    made = client.put(url, body, content_type="application/json", **headers)
    assert made.status_code == 200 and made.json()["sampled"] == 4
    receive(world.observer, results_xml("P1", 100, 60, 40))
    receive(world.observer, results_xml("P2", 100, 50, 50))
    board = client.get(url, **headers).json()
    assert board["reported"] == 2 and board["regions"][0]["rate_pct"] == 100.0
    assert board["convergence"][-1]["candidates"]["cand_a"]["share"] == pytest.approx(0.55)
    observer = _bearer(world.observer)
    assert client.get(url, **observer).status_code == 403
    assert client.put(url, body, content_type="application/json", **observer).status_code == 403
    outsider = _bearer(cast.alice)
    assert client.get(url, **outsider).status_code == 404
    assert client.put(url, body, content_type="application/json", **outsider).status_code == 404


def test_the_page_sets_up_from_a_sample_file_and_shows_the_board(cast: Cast,
                                                                world: Eom) -> None:
    client = cast.client(world.manager)
    url = f"/elections/{world.mission.code}/pvt/"
    assert "The PVT is not set up yet." in client.get(url).content.decode()
    sample = SimpleUploadedFile("sample.csv", b"station_id,stratum\nP1,North\nP2,North\n"
                                b"P4,South\nP5,South\n", content_type="text/csv")
    saved = client.post(url, {"form_id": "results", "candidates": "cand_a, cand_b",
                              "strata": "region", "sample": sample, "min_valid": "1"})
    assert saved.status_code == 302
    for station, a, b in (("P1", 60, 40), ("P2", 50, 50), ("P4", 30, 70)):
        receive(world.observer, results_xml(station, 100, a, b))
    page = client.get(url)
    html = page.content.decode()
    assert "4 stations sampled, 3 results received, 3 counted as reported" in html
    assert page.context["chart"]["points"][-1]["reporting"] == 3
    assert 'id="pvt-convergence-data"' in html
    assert "<td>North</td><td class=\"number\">2</td>" in html
    refused = client.post(url, {"form_id": "results", "candidates": "cand_z",
                                "strata": "region", "min_valid": "1"})
    assert refused.status_code == 400 and "Not a candidate field" in refused.content.decode()
    assert PvtSetup.objects.get().candidates == ["cand_a", "cand_b"]
    assert cast.client(world.observer).get(url).status_code == 403
    assert cast.client(cast.alice).get(url).status_code == 404
