"""The leak walk of the projects desk: each viewer finds exactly the projects (and the money,
logframes, secondments and contributions under them) they may see through every route — API,
IATI export, command line, pages — and a 404 for the rest; no total adds a hidden project.

Four projects: public, restricted, confidential of the CPC, confidential of the cast's field
mission; each with the same money (90,000 from Austria, 10,000 from the EU received) and a
logframe. Secondments of every classification from Austria.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from lxml import etree
from typer.testing import CliRunner

from hofburg.cli import app
from hofburg.core.models import User
from hofburg.core.services.users import issue_api_token
from hofburg.projects.services.personnel import SecondmentIn, record_secondment
from tests.conftest import Cast
from tests.projects.samples import World, make_world
from tests.projects.test_correction_pages import correction_pages

pytestmark = pytest.mark.django_db
API = "/api/v1/projects"
VIEWERS = ("anonymous", "nick", "alice", "erin", "mona")
SEEN = {
    "anonymous": {"P-100"}, "nick": {"P-100"}, "alice": {"P-100", "P-200"},
    "erin": {"P-100", "P-200", "P-300"}, "mona": {"P-100", "P-200", "P-400"},
}
SECONDMENTS_SEEN = {  # by seconded count: 1 public, 2 restricted, 4 confidential (mission's)
    "anonymous": 1, "nick": 1, "alice": 3, "erin": 3, "mona": 7,
}


@pytest.fixture
def world(cast: Cast) -> World:
    world = make_world(cast)
    for year, count, level in ((2023, 1, "public"), (2024, 2, "restricted"),
                               (2025, 4, "confidential")):
        record_secondment(cast.mona, SecondmentIn(
            field_operation="mission-to-moldova", seconding_state="AT", year=year,
            seconded=count, classification=level))
    return world


def _user(cast: Cast, world: World, who: str) -> User | None:
    return {"anonymous": None, "nick": cast.nick, "alice": cast.alice, "erin": world.erin,
            "mona": cast.mona}[who]


def _api(user: User | None) -> Client:
    if user is None:
        return Client()
    _token, key = issue_api_token(user, "walk")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _projects(world: World) -> dict[str, int]:
    return {"P-100": world.public.pk, "P-200": world.restricted.pk,
            "P-300": world.confidential.pk, "P-400": world.mission_secret.pk}


@pytest.mark.parametrize("who", VIEWERS)
def test_the_api_shows_exactly_what_each_viewer_may_see(cast: Cast, world: World,
                                                         who: str) -> None:
    client = _api(_user(cast, world, who))
    seen = SEEN[who]
    listed = {p["number"] for p in client.get(f"{API}/").json()["items"]}
    assert listed == seen
    totals = client.get(f"{API}/totals").json()
    assert totals["count"] == len(seen)
    assert Decimal(totals["balances"]["received"]) == Decimal(100_000) * len(seen)
    for number, pk in _projects(world).items():
        for path in ("", "/logframe", "/transactions", "/transactions?history=true", "/budget",
                     "/corrections"):
            response = client.get(f"{API}/{pk}{path}")
            assert response.status_code == (200 if number in seen else 404), (number, path)
    donor = client.get(f"{API}/donors/at/contributions").json()
    assert {r["project__number"] for r in donor} == seen
    state = client.get(f"{API}/states/AT/contributions").json()
    by_year = {y["year"]: y for y in state["years"]}
    assert Decimal(by_year[2025]["extra_budgetary"]) == Decimal(90_000) * len(seen)
    assert sum(y["seconded"] for y in state["years"]) == SECONDMENTS_SEEN[who]
    secondments = client.get(f"{API}/secondments").json()["items"]
    assert sum(s["seconded"] for s in secondments) == SECONDMENTS_SEEN[who]
    for kind in ("projects", "transactions", "indicators"):
        table = b"".join(client.get(f"{API}/exports/{kind}?format=csv")
                         .streaming_content).decode()  # type: ignore[attr-defined]
        assert {n for n in _projects(world) if f"\n{n}," in table} == seen, kind
    xml = client.get(f"{API}/iati")
    assert xml.status_code == 200
    assert set(etree.fromstring(xml.content).xpath(
        "iati-activity/other-identifier/@ref")) == seen


@pytest.mark.parametrize("who", ("anonymous", "alice", "erin", "mona"))
def test_the_command_line_exports_what_the_user_may_see(cast: Cast, world: World, who: str,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "walk.xml"
    args = ["projects", "iati", "-o", str(out)]
    if who != "anonymous":
        args += ["--as-user", who]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert set(etree.parse(str(out)).getroot().xpath(
        "iati-activity/other-identifier/@ref")) == SEEN[who]


@pytest.mark.parametrize("who", VIEWERS)
def test_the_pages_show_exactly_what_each_viewer_may_see(cast: Cast, world: World,
                                                         who: str) -> None:
    user = _user(cast, world, who)
    client = cast.client(user)
    seen = SEEN[who]
    portfolio = client.get("/projects/").content.decode()
    for number, pk in _projects(world).items():
        assert (number in portfolio) == (number in seen), number
        response = client.get(f"/projects/{pk}/")
        assert response.status_code == (200 if number in seen else 404), number
    count = len(seen)
    assert (f"{count} projects" if count > 1 else "1 project") in portfolio
    donor = client.get("/projects/contributions/?donor=at").content.decode()
    assert {n for n in _projects(world) if f">{n}<" in donor} == seen
    state = client.get("/registry/states/AT/").content.decode()
    assert f"{90_000 * count:,}" in state
    recipients = {"P-100": "MD", "P-200": "FI", "P-300": "MD", "P-400": "AT"}
    expected: dict[str, int] = {}
    for number in seen:
        expected[recipients[number]] = expected.get(recipients[number], 0) + 1
    mapped = client.get("/projects/map/").content.decode()
    found = {iso2: int(n) for iso2, n in re.findall(
        r'href="/projects/\?state=([A-Z]{2})">[^<]+</a></td><td class="number">(\d+)<',
        mapped)}
    assert found == expected
    personnel = client.get("/projects/personnel/?field_operation=mission-to-moldova")
    assert f"AT ({SECONDMENTS_SEEN[who]})" in personnel.content.decode()
    contributors = client.get(f"{API}/secondments/contributors"
                              "?field_operation=mission-to-moldova").json()
    assert contributors["personnel"][0]["personnel"] == SECONDMENTS_SEEN[who]


DOCUMENTS_SEEN = {"anonymous": {1}, "nick": {1}, "alice": {1, 2}, "erin": {1, 2, 3},
                  "mona": {1, 2, 4}}
WRITE_PAGES = ("edit/", "logframe/new/", "indicators/new/", "targets/", "reports/new/",
               "budget/", "transactions/new/")


@pytest.mark.parametrize("who", VIEWERS)
def test_the_write_pages_and_documents_show_exactly_what_each_viewer_may_see(
        cast: Cast, world: World, who: str) -> None:
    """Every document of every reach is linked to every project: a reader finds only the
    projects they may see, and under them only the documents they may see; the write pages
    answer 404 for a hidden project exactly as for a missing one."""
    from hofburg.projects.models import Correction, ProjectDocument
    from tests.projects.test_writes import make_documents

    docs = make_documents(cast)
    symbols = {n: f"SEC.GAL/{n}/25" for n in (1, 2, 3, 4)}
    for pk in _projects(world).values():
        for document in docs.values():
            ProjectDocument.objects.create(project_id=pk, document_id=document.pk)
    user = _user(cast, world, who)
    client = cast.client(user)
    seen = SEEN[who]
    for number, pk in [*_projects(world).items(), ("missing", 987_654)]:
        listed = client.get(f"/projects/{pk}/documents/")
        page = client.get(f"/projects/{pk}/")
        if number not in seen:
            assert listed.status_code == page.status_code == 404, number
            for tail in WRITE_PAGES:
                assert client.get(f"/projects/{pk}/{tail}").status_code == 404, (number, tail)
                assert client.post(f"/projects/{pk}/{tail}").status_code == 404, (number, tail)
            if number != "missing":
                for page in correction_pages(pk):
                    assert client.get(page).status_code == 404, (number, page)
                    assert client.post(page, {"reason": "x"}).status_code == 404, (number, page)
            assert client.post(f"/projects/{pk}/documents/",
                               {"document": "SEC.GAL/1/25"}).status_code == 404
            assert client.post(f"/projects/{pk}/documents/{docs['public'].pk}/unlink/"
                               ).status_code == 404
            continue
        for html in (listed.content.decode(), page.content.decode()):
            assert {n for n, s in symbols.items() if s in html} == DOCUMENTS_SEEN[who], number
        may_edit = ((who == "erin" and number != "P-400")
                    or (who == "mona" and number == "P-400"))
        expected = 200 if may_edit else 302 if who == "anonymous" else 403
        for tail in WRITE_PAGES:
            assert client.get(f"/projects/{pk}/{tail}").status_code == expected, (number, tail)
        for page in correction_pages(pk):
            assert client.get(page).status_code == expected, (number, page)
    assert ProjectDocument.objects.count() == 16  # nothing linked or unlinked by the walk
    assert not Correction.objects.exists()  # nothing corrected by the walk


@pytest.mark.parametrize("who", VIEWERS)
def test_the_search_across_the_desks_finds_exactly_the_projects_each_may_see(
        cast: Cast, world: World, who: str) -> None:
    user = _user(cast, world, who)
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get("/search/", {"q": "P-"})
    found = {s.name: s.found for s in response.context["sections"]}
    seen = SEEN[who]
    if not seen:
        assert "projects" not in found
        return
    assert found["projects"].total == len(seen)
    assert {h.title.split(" — ")[0] for h in found["projects"].hits} == seen
    page = response.content.decode()
    assert not any(f"{n} — " in page for n in set(_projects(world)) - seen)


@pytest.mark.parametrize("who", VIEWERS)
def test_personnel_figures_and_donors_pages_show_exactly_what_each_may_see(
        cast: Cast, world: World, who: str) -> None:
    """A personnel figure the reader may not see is a 404 on its pages and in the API, before
    anything else; one they may see but did not record is a 403 (a visitor: sign in)."""
    from hofburg.projects.models import Correction, Secondment

    user = _user(cast, world, who)
    client = cast.client(user)
    api = _api(user)
    levels = {"anonymous": {"public"}, "nick": {"public"}, "alice": {"public", "restricted"},
              "erin": {"public", "restricted"},
              "mona": {"public", "restricted", "confidential"}}[who]
    seen_rows = {s.pk for s in Secondment.objects.all() if s.classification in levels}
    assert sum(s.seconded for s in Secondment.objects.filter(pk__in=seen_rows)) == \
        SECONDMENTS_SEEN[who]
    for row in Secondment.objects.all():
        for tail in ("edit/", "delete/"):
            response = client.get(f"/projects/personnel/{row.pk}/{tail}")
            if row.pk not in seen_rows:
                assert response.status_code == 404, (row.seconded, tail)
                continue
            expected = 200 if who == "mona" else 302 if who == "anonymous" else 403
            assert response.status_code == expected, (row.seconded, tail)
        deletion = api.post(f"{API}/secondments/{row.pk}/deletion", {"reason": "x"},
                            content_type="application/json")
        expected_api = (401 if who == "anonymous" else 404 if row.pk not in seen_rows
                        else 403 if who != "mona" else None)
        if expected_api is not None:
            assert deletion.status_code == expected_api, (row.seconded, deletion.content)
        else:
            assert deletion.status_code == 204
    assert client.get("/projects/donors/").status_code == 200
    assert Correction.objects.filter(kind="secondment").count() == (3 if who == "mona" else 0)
