"""The leak walk of the human-dimension desk: every page, CSV, API endpoint and CLI export with
the cast — anonymous, another affiliation (bob), the owner affiliation without a grant (carol),
with a restricted grant (gina), with a strictly-confidential grant (erin). Each must find
exactly what they may see, with counts to match, and no protected value, hidden record or
hidden person in any body, header or error; a hidden record answers exactly like a missing one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from hofburg.cli import app
from hofburg.core.models import Classification
from tests.cases.conftest import (
    OTHER_NAME,
    PROTECTION_MARKERS,
    SECRET,
    SITUATION_MARKERS,
    STATEMENT_MARKERS,
    Records,
    Scene,
    Statements,
    verified_client,
)

DAY = "2024-12-01"  # the census day: the released case is out, three cases are held
VIEWERS = ["anonymous", "bob", "carol", "gina", "erin"]
PUBLICATION = "/cases/protection/publication/"


@dataclass
class Viewer:
    name: str
    scene: Scene
    client: Any
    cases: set[str]  # the case ids in custody on DAY the viewer may see
    visible_cases: set[str]  # every case the viewer may open
    persons: set[str]  # the surrogate ids the viewer may open
    allowed: set[str]  # the protected markers the viewer may read
    hidden: set[str]  # every marker and id the viewer must never meet



@pytest.fixture(params=VIEWERS)
def viewer(request: pytest.FixtureRequest, scene: Scene) -> Viewer:
    name = request.param
    s = scene
    ids = {"public": s.public_case.case_id, "restricted": s.restricted_case.case_id,
           "confidential": s.confidential_case.case_id, "released": s.released_case.case_id}
    held = {"anonymous": {"public"}, "bob": {"public", "restricted"}}.get(
        name, {"public", "restricted", "confidential"})
    openable = {"anonymous": {"public"}, "bob": {"public", "restricted", "released"}}.get(
        name, set(ids))
    persons = {"gina": {s.person.surrogate_id},
               "erin": {s.person.surrogate_id, s.other.surrogate_id}}.get(name, set())
    markers = {**SECRET, "other": OTHER_NAME, "conditions": "conditions-marker-beaten",
               "charges": "charges-marker", "facility": "facility-marker",
               "person": s.person.surrogate_id, "other_person": s.other.surrogate_id}
    allowed_keys: set[str] = set()
    if name != "anonymous":
        allowed_keys |= {"charges", "facility", "person", "other_person"}
    if name == "bob":
        # bob sees the other person's pseudonym through the released (restricted) case only
        allowed_keys |= {"other_person"}
    if name in ("gina", "erin"):
        allowed_keys |= {"name", "conditions"}
    if name == "erin":
        allowed_keys |= {"contacts", "identity_number", "medical", "other"}
    hidden = {v for k, v in markers.items() if k not in allowed_keys}
    hidden |= {ids[k] for k in ids if k not in openable}
    user = None if name == "anonymous" else (getattr(s, name, None) or getattr(s.cast, name))
    return Viewer(name, s, verified_client(user), {ids[k] for k in held},
                  {ids[k] for k in openable}, persons,
                  {markers[k] for k in allowed_keys}, hidden)


def _main(response: Any) -> str:
    """The page's own content, without the per-request parts of the frame (own path)."""
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def _assert_clean(response: Any, viewer: Viewer) -> str:
    # The frame repeats the path the viewer asked for (the language switcher): that tells them
    # nothing they did not type.
    body = response.content.decode().replace(response.request["PATH_INFO"], "")
    headers = " ".join(f"{k}: {v}" for k, v in response.items())
    for marker in viewer.hidden:
        where = response.request["PATH_INFO"]
        assert marker not in body, f"{viewer.name} met {marker!r} in {where}"
        assert marker not in headers
    return body


def test_the_prisoners_page_lists_and_counts_what_the_viewer_may_see(viewer: Viewer) -> None:
    response = viewer.client.get("/cases/prisoners/", {"on": DAY})
    assert response.status_code == 200
    body = _assert_clean(response, viewer)
    for case_id in viewer.cases:
        assert case_id in body
    assert f"{len(viewer.cases)} case" in body


def test_the_prisoners_csv(viewer: Viewer) -> None:
    response = viewer.client.get("/cases/prisoners/", {"on": DAY, "format": "csv"})
    assert response.status_code == 200
    body = _assert_clean(response, viewer)
    lines = body.strip().splitlines()
    assert {line.split(",")[0] for line in lines[1:]} == viewer.cases
    header = lines[0].split(",")
    assert ("name" in header) == (viewer.name in ("gina", "erin"))


def test_each_case_page(viewer: Viewer) -> None:
    s = viewer.scene
    for case in (s.public_case, s.restricted_case, s.confidential_case, s.released_case):
        response = viewer.client.get(f"/cases/prisoners/{case.case_id}/")
        if case.case_id in viewer.visible_cases:
            assert response.status_code == 200
            _assert_clean(response, viewer)
        else:
            assert response.status_code == 404
            missing = viewer.client.get("/cases/prisoners/PC-000000000000/")
            assert _main(response) == _main(missing)
            _assert_clean(response, viewer)


def test_the_persons_pages(viewer: Viewer) -> None:
    s = viewer.scene
    listing = viewer.client.get("/cases/persons/")
    assert listing.status_code == 200
    body = _assert_clean(listing, viewer)
    for sid in viewer.persons:
        assert sid in body
    for person in (s.person, s.other):
        response = viewer.client.get(f"/cases/persons/{person.surrogate_id}/")
        if person.surrogate_id in viewer.persons:
            assert response.status_code == 200
        else:
            assert response.status_code == 404
            missing = viewer.client.get("/cases/persons/P-000000000000/")
            assert _main(response) == _main(missing)
        _assert_clean(response, viewer)
    home = viewer.client.get("/cases/")
    body = _assert_clean(home, viewer)
    if viewer.name != "anonymous":
        assert f"{len(viewer.persons)} person" in body


def test_the_api(viewer: Viewer) -> None:
    s = viewer.scene
    listing = viewer.client.get("/api/v1/cases/prisoners", {"on": DAY})
    assert listing.status_code == 200
    _assert_clean(listing, viewer)
    data = listing.json()
    assert data["count"] == len(viewer.cases)
    assert {item["case_id"] for item in data["items"]} == viewer.cases
    for item in data["items"]:
        named = viewer.name == "erin" or (
            viewer.name == "gina" and item["person"] == s.person.surrogate_id)
        assert ("name" in item) == named
    persons = viewer.client.get("/api/v1/cases/persons")
    _assert_clean(persons, viewer)
    assert persons.json()["count"] == len(viewer.persons)
    for person in (s.person, s.other):
        response = viewer.client.get(f"/api/v1/cases/persons/{person.surrogate_id}")
        assert response.status_code == (200 if person.surrogate_id in viewer.persons else 404)
        _assert_clean(response, viewer)
        if response.status_code == 404:
            missing = viewer.client.get("/api/v1/cases/persons/P-000000000000")
            hidden, absent = json.loads(response.content), json.loads(missing.content)
            hidden.pop("instance", None), absent.pop("instance", None)  # the path asked for
            assert hidden == absent
    for case in (s.public_case, s.confidential_case, s.released_case):
        response = viewer.client.get(f"/api/v1/cases/prisoners/{case.case_id}")
        assert response.status_code == (200 if case.case_id in viewer.visible_cases else 404)
        _assert_clean(response, viewer)


def test_the_cli_export(viewer: Viewer, tmp_path: Path) -> None:
    if viewer.name == "anonymous":
        return  # an export names a user; anonymous has none
    runner = CliRunner()
    for dataset in ("persons", "prisoners"):
        target = tmp_path / f"{dataset}.csv"
        result = runner.invoke(app, ["cases", "export", dataset, "--as-user", viewer.name,
                                     "--on", DAY, "-o", str(target)])
        assert result.exit_code == 0, result.output
        text = target.read_text()
        for marker in viewer.hidden:
            assert marker not in text
        rows = text.strip().splitlines()[1:]
        expected = viewer.persons if dataset == "persons" else viewer.cases
        assert {row.split(",")[0] for row in rows} == expected


def test_an_unverified_session_is_sent_to_the_second_factor_and_sees_nothing(
        scene: Scene) -> None:
    from django.test import Client

    client = Client()
    client.force_login(scene.erin)
    page = client.get("/cases/prisoners/")
    assert page.status_code == 302 and "/cases/two-factor/" in page["Location"]
    api = client.get("/api/v1/cases/persons")
    assert api.json()["count"] == 0
    for value in SECRET.values():
        assert value not in api.content.decode()


INCIDENT_MARKERS = ("incident-desc-marker", "incident-source-marker")


@pytest.mark.parametrize("name", VIEWERS)
def test_incidents_and_the_publication_preview(name: str, scene: Scene, tmp_path: Path) -> None:
    """Incidents: none for anonymous, the restricted one without its account for bob, both with
    the account and its source for the owner affiliation (carol, gina, erin)."""
    s = scene
    user = None if name == "anonymous" else (getattr(s, name, None) or getattr(s.cast, name))
    client = verified_client(user)
    ids = {"confidential": s.confidential_incident.incident_id,
           "restricted": s.restricted_incident.incident_id}
    sees = {"anonymous": set(), "bob": {"restricted"}}.get(name, {"confidential", "restricted"})
    owner = name in ("carol", "gina", "erin")
    hidden = {ids[k] for k in ids if k not in sees} | (set() if owner else set(INCIDENT_MARKERS))

    def clean(response: Any) -> str:
        body = response.content.decode().replace(response.request["PATH_INFO"], "")
        for marker in hidden:
            assert marker not in body and marker not in str(response.items())
        return body

    listing = client.get("/cases/hate-crime/incidents/", {"year": "2024"})
    assert listing.status_code == 200
    body = clean(listing)
    assert f"{len(sees)} incident" in body
    for key, incident_id in ids.items():
        page = client.get(f"/cases/hate-crime/incidents/{incident_id}/")
        api = client.get(f"/api/v1/cases/incidents/{incident_id}")
        assert page.status_code == api.status_code == (200 if key in sees else 404)
        body = clean(page)
        clean(api)
        if key in sees:
            assert ("incident-desc-marker" in body) == owner
    api_list = client.get("/api/v1/cases/incidents")
    clean(api_list)
    assert api_list.json()["count"] == len(sees)
    preview = client.get("/cases/hate-crime/publication/", {"year": "2024"})
    if name == "anonymous":
        assert preview.status_code == 404
    else:
        assert preview.status_code == 200
        text = clean(preview)
        # only the owner affiliation sees the incident in consultation, so only they get a row
        assert ("Nothing to publish" in text) == (not owner)
    if user is not None:
        target = tmp_path / "incidents.csv"
        result = CliRunner().invoke(app, ["cases", "export", "incidents", "--as-user", name,
                                          "-o", str(target)])
        assert result.exit_code == 0, result.output
        text = target.read_text()
        for marker in hidden:
            assert marker not in text
        assert {row.split(",")[0] for row in text.strip().splitlines()[1:]} == {
            ids[k] for k in sees}


SEEN_SUMMARY, HIDDEN_SUMMARY = "summary-marker-seen", "summary-marker-hidden"


@pytest.mark.parametrize("name", VIEWERS)
def test_incident_public_summaries(name: str, scene: Scene, settings: Any,
                                   tmp_path: Path) -> None:
    """Public summaries (decision 0065): a summary is as visible as its incident, so a hidden
    incident's summary reaches no one in the cast who may not see the incident, on any page,
    answer, preview or export; the summary's page and endpoint answer a hidden incident like a
    missing one, and refuse those who may see but not write (403); the publication command
    writes the summaries of released incidents without the account, its source or an id."""
    from hofburg.cases.models import Incident
    from hofburg.cases.services import hatecrime
    from tests.cases.tokens import bearer

    s = scene
    settings.CASES_SUPPRESSION_K = 1  # every count shown: only access decides here
    header = ("reporting_year,country,date,incident_type,bias_motivations,source_org,"
              "source_kind,description\n")
    hatecrime.import_incidents(s.erin, (header + "2024,XE,2024-05-02,threats,anti_muslim,"
                                        "incident-source-marker,cso,incident-desc-marker\n"
                                        ).encode())
    hidden_one = Incident.objects.get(country="XE", occurred_on=date(2024, 5, 2))
    hatecrime.screen_incident(s.erin, hidden_one, "included")
    hatecrime.advance_incident(s.erin, hidden_one, "consultation")
    hatecrime.set_public_summary(s.gina, hidden_one, HIDDEN_SUMMARY)
    hatecrime.set_public_summary(s.gina, s.restricted_incident, SEEN_SUMMARY)
    user = None if name == "anonymous" else (getattr(s, name, None) or getattr(s.cast, name))
    client = verified_client(user)
    sees_hidden = name in ("carol", "gina", "erin")
    writes = name in ("carol", "gina")  # the owner affiliation's analysts
    forbidden = set() if sees_hidden else {HIDDEN_SUMMARY, hidden_one.incident_id}
    if user is None:
        forbidden |= {SEEN_SUMMARY}

    def clean(response: Any) -> str:
        body = response.content.decode().replace(response.request["PATH_INFO"], "")
        for marker in forbidden:
            assert marker not in body and marker not in str(response.items()), marker
        return body

    for incident, seen in ((hidden_one, sees_hidden), (s.restricted_incident, name != "anonymous")):
        page = client.get(f"/cases/hate-crime/incidents/{incident.incident_id}/")
        api = client.get(f"/api/v1/cases/incidents/{incident.incident_id}")
        assert page.status_code == api.status_code == (200 if seen else 404)
        clean(page), clean(api)
        if seen:
            assert incident.public_summary in page.content.decode()
        post = client.post(f"/cases/hate-crime/incidents/{incident.incident_id}/summary/",
                           {"public_summary": "rewritten"})
        missing = client.post("/cases/hate-crime/incidents/HC-000000000000/summary/",
                              {"public_summary": "rewritten"})
        clean(post)
        assert post.status_code == (302 if seen and writes else 403 if seen else
                                    missing.status_code)
        if not seen:  # a hidden incident answers as a missing one
            assert _main(post).replace(incident.incident_id, "") == \
                _main(missing).replace("HC-000000000000", "")
        written = Client().post(
            f"/api/v1/cases/incidents/{incident.incident_id}/public-summary",
            json.dumps({"public_summary": incident.public_summary}),
            content_type="application/json", **bearer(user))
        clean(written)
        assert written.status_code == (401 if user is None else 200 if seen and writes
                                       else 403 if seen else 404)
    Incident.objects.filter(public_summary="rewritten").update(public_summary=SEEN_SUMMARY)
    clean(client.get("/api/v1/cases/incidents"))
    preview = client.get("/cases/hate-crime/publication/", {"year": "2024"})
    if user is None:
        assert preview.status_code == 404
        return
    assert (HIDDEN_SUMMARY in clean(preview)) == sees_hidden  # in consultation, screened in
    target = tmp_path / "incidents.csv"
    result = CliRunner().invoke(app, ["cases", "export", "incidents", "--as-user", name,
                                      "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert (HIDDEN_SUMMARY in target.read_text()) == sees_hidden
    assert SEEN_SUMMARY in target.read_text()
    _publication_never_holds_the_account(s, hidden_one, tmp_path)


def _publication_never_holds_the_account(s: Scene, released: Any, tmp_path: Path) -> None:
    """The publication: released incidents only, whoever runs it; never the account, its
    source or an id."""
    from hofburg.cases.services import hatecrime

    hatecrime.advance_incident(s.erin, released, "published")
    hidden_one = released
    published = tmp_path / "described.csv"
    result = CliRunner().invoke(app, ["cases", "publish", "--dataset", "hate-crime-incidents",
                                      "--year", "2024", "-o", str(published)])
    assert result.exit_code == 0, result.output
    text = published.read_text()
    assert HIDDEN_SUMMARY in text and SEEN_SUMMARY not in text  # the other is not released
    for never in (*INCIDENT_MARKERS, hidden_one.incident_id, s.restricted_incident.incident_id,
                  s.confidential_incident.incident_id, "2024-05-02"):
        assert never not in text


@pytest.mark.parametrize("name", VIEWERS)
def test_alerts(name: str, scene: Scene, tmp_path: Path) -> None:
    """A public alert naming a person: its facts and the State's reply for everyone, the
    follow-up log for staff, the journalist's name only with a grant; a confidential alert
    only for the owner affiliation."""
    s = scene
    user = None if name == "anonymous" else (getattr(s, name, None) or getattr(s.cast, name))
    client = verified_client(user)
    public_id, secret_id = s.public_alert.alert_id, s.confidential_alert.alert_id
    sees = {public_id} | ({secret_id} if name in ("carol", "gina", "erin") else set())
    hidden = {secret_id} - sees | {v for k, v in SECRET.items() if k != "name"}
    if name not in ("gina", "erin"):
        hidden.add(SECRET["name"])
    if name == "anonymous":
        hidden |= {"followup-marker", s.person.surrogate_id}

    def clean(response: Any) -> str:
        body = response.content.decode().replace(response.request["PATH_INFO"], "")
        for marker in hidden:
            assert marker not in body and marker not in str(response.items()), marker
        return body

    listing = client.get("/cases/media-freedom/", {"country": "XE"})
    body = clean(listing)
    assert f"{len(sees)} alert" in body
    for alert_id in (public_id, secret_id):
        page = client.get(f"/cases/media-freedom/{alert_id}/")
        api = client.get(f"/api/v1/cases/alerts/{alert_id}")
        assert page.status_code == api.status_code == (200 if alert_id in sees else 404)
        text = clean(page)
        clean(api)
        if alert_id == public_id:
            assert "the State replied" in text
            assert ("followup-marker" in text) == (name != "anonymous")
            assert (SECRET["name"] in text) == (name in ("gina", "erin"))
    api_list = client.get("/api/v1/cases/alerts", {"coe_category": "detention"})
    clean(api_list)
    assert api_list.json()["count"] == len(sees)
    if user is not None:
        target = tmp_path / "alerts.csv"
        result = CliRunner().invoke(app, ["cases", "export", "alerts", "--as-user", name,
                                          "-o", str(target)])
        assert result.exit_code == 0, result.output
        text = target.read_text()
        for marker in hidden:
            assert marker not in text
        assert {row.split(",")[0] for row in text.strip().splitlines()[1:]} == sees


def _user_of(scene: Scene, name: str) -> Any:
    return None if name == "anonymous" else (getattr(scene, name, None)
                                             or getattr(scene.cast, name))


def _clean(response: Any, hidden: set[str]) -> str:
    body = response.content.decode().replace(response.request["PATH_INFO"], "")
    for marker in hidden:
        where = response.request["PATH_INFO"]
        assert marker not in body, f"{marker!r} in {where}"
        assert marker not in str(response.items()), f"{marker!r} in the headers of {where}"
    return body


def _export(name: str, dataset: str, tmp_path: Path, hidden: set[str]) -> list[str]:
    target = tmp_path / f"{dataset}.csv"
    result = CliRunner().invoke(app, ["cases", "export", dataset, "--as-user", name,
                                      "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    for marker in hidden:
        assert marker not in text, f"{marker!r} in the {dataset} export for {name}"
    return text.strip().splitlines()


@pytest.mark.parametrize("name", VIEWERS)
def test_protection_cases(name: str, records: Records, tmp_path: Path) -> None:
    """Protection cases: none for anonymous; the restricted case's facts for bob; both cases'
    facts for the owner affiliation; the person, the name and the victim's status with a grant
    (gina for the trafficking case); what the cases say about the persons only for erin."""
    s = records.scene
    client = verified_client(_user_of(s, name))
    ids = {"trafficking": records.trafficking.case_id, "gbv": records.gbv.case_id}
    sees = {"anonymous": set(), "bob": {"gbv"}}.get(name, {"trafficking", "gbv"})
    markers = {*PROTECTION_MARKERS.values(), "gbv-summary-marker", SECRET["name"], OTHER_NAME,
               *[v for k, v in SECRET.items() if k != "name"],
               s.person.surrogate_id, s.other.surrogate_id}
    allowed: set[str] = set()
    if name == "gina":
        allowed = {SECRET["name"], s.person.surrogate_id}
    if name == "erin":
        allowed = {*PROTECTION_MARKERS.values(), "gbv-summary-marker", SECRET["name"],
                   OTHER_NAME, s.person.surrogate_id, s.other.surrogate_id}
    hidden = (markers - allowed) | {ids[k] for k in ids if k not in sees}

    listing = client.get("/cases/protection/")
    assert listing.status_code == 200
    body = _clean(listing, hidden)
    assert f"{len(sees)} protection case" in body
    for key in sees:
        assert ids[key] in body
    missing_page = client.get("/cases/protection/TC-000000000000/")
    missing_api = client.get("/api/v1/cases/protection/TC-000000000000")
    for key, case_id in ids.items():
        page = client.get(f"/cases/protection/{case_id}/")
        api = client.get(f"/api/v1/cases/protection/{case_id}")
        assert page.status_code == api.status_code == (200 if key in sees else 404)
        text = _clean(page, hidden)
        _clean(api, hidden)
        if key not in sees:
            assert _main(page) == _main(missing_page)
            hidden_problem, absent = json.loads(api.content), json.loads(missing_api.content)
            hidden_problem.pop("instance", None), absent.pop("instance", None)
            assert hidden_problem == absent
        elif key == "trafficking":
            item = api.json()
            assert ("name" in item) == (name in ("gina", "erin"))
            assert ("trafficking_status" in item) == (name in ("gina", "erin"))
            assert ("summary" in item) == (name == "erin")
            assert ("movements" in item) == (name == "erin")
            assert (PROTECTION_MARKERS["movement"] in text) == (name == "erin")
            if name == "erin":
                assert item["countries"] == "XE; XF"
                assert item["citizenship"] == "XE; XF"
                assert [m["kind"] for m in item["movements"]] == ["recruitment", "exploitation"]
    api_list = client.get("/api/v1/cases/protection", {"concern": "trafficking"})
    _clean(api_list, hidden)
    assert api_list.json()["count"] == len(sees & {"trafficking"})
    if name != "anonymous":
        lines = _export(name, "protection", tmp_path, hidden)
        assert {row.split(",")[0] for row in lines[1:]} == {ids[k] for k in sees}
        assert ("summary" in lines[0].split(",")) == (name == "erin")


@pytest.mark.parametrize("name", VIEWERS)
def test_situations(name: str, records: Records, tmp_path: Path) -> None:
    """HCNM situations exist only for holders of a grant: gina sees the one granted to her
    without its sources; erin both, with the sources; everyone else none, not even a count."""
    s = records.scene
    client = verified_client(_user_of(s, name))
    ids = {"granted": records.situation.situation_id,
           "ungranted": records.ungranted_situation.situation_id}
    sees = {"gina": {"granted"}, "erin": {"granted", "ungranted"}}.get(name, set())
    allowed = {"gina": {SITUATION_MARKERS[k] for k in ("title", "note", "reason")},
               "erin": set(SITUATION_MARKERS.values())}.get(name, set())
    hidden = (set(SITUATION_MARKERS.values()) - allowed) | {ids[k] for k in ids
                                                             if k not in sees}
    listing = client.get("/cases/situations/")
    assert listing.status_code == 200
    body = _clean(listing, hidden)
    assert f"{len(sees)} situation" in body
    missing_page = client.get("/cases/situations/HS-000000000000/")
    for key, situation_id in ids.items():
        page = client.get(f"/cases/situations/{situation_id}/")
        api = client.get(f"/api/v1/cases/situations/{situation_id}")
        assert page.status_code == api.status_code == (200 if key in sees else 404)
        text = _clean(page, hidden)
        _clean(api, hidden)
        if key not in sees:
            assert _main(page) == _main(missing_page)
        elif key == "granted":
            item = api.json()
            assert item["escalation_level"] == "concern"
            assert [a["level"] for a in item["assessments"]] == ["monitoring", "concern"]
            assert SITUATION_MARKERS["reason"] in text
            assert ("source" in item["observations"][0]) == (name == "erin")
            assert item["observations"][0]["value"] == "12.00"
    api_list = client.get("/api/v1/cases/situations", {"state": "XE"})
    _clean(api_list, hidden)
    assert api_list.json()["count"] == len(sees)
    if name != "anonymous":
        lines = _export(name, "situations", tmp_path, hidden)
        assert {row.split(",")[0] for row in lines[1:]} == {ids[k] for k in sees}


@pytest.mark.parametrize("name", VIEWERS)
def test_the_protection_publication(name: str, records: Records, tmp_path: Path) -> None:
    """The protection table leaves only as a release of its owner affiliation (decision 0076):
    no page for anonymous (404 like any missing one, a post too); nothing released for bob's
    affiliation; the owner affiliation's twelve eligible cases, whatever the viewer's grants,
    frozen: a case added after the release changes no download. Only the analysts (carol,
    gina) see what a release would hold now and release; erin and bob are refused (403). No
    case id, person, protected value or withheld value in the page, its CSV or the command's
    file; the command writes what the page downloads."""
    from hofburg.cases.models import ProtectionRelease
    from hofburg.cases.services import protection, releases

    s = records.scene

    def add_case(country: str, level: str) -> None:
        protection.create_protection_case(s.erin, s.other, protection.ProtectionRecord(
            concern="trafficking", country=country, opened_on=date(2024, 5, 1), consent=True,
            trafficking_status="possible_victim", gender="masculine", classification=level))

    for number in range(14):
        add_case("XF" if number > 10 else "XE",
                 Classification.RESTRICTED if number > 10 else Classification.CONFIDENTIAL)
    client = verified_client(_user_of(s, name))
    hidden = {*PROTECTION_MARKERS.values(), "gbv-summary-marker", SECRET["name"], OTHER_NAME,
              *SECRET.values(), s.person.surrogate_id, s.other.surrogate_id,
              records.trafficking.case_id, records.gbv.case_id, "feminine", "masculine"}
    query = {"year": "2024"}
    if name == "anonymous":
        missing = client.get("/cases/protection/TC-000000000000/")
        for answer in (client.get(PUBLICATION, query),
                       client.get(PUBLICATION, {**query, "format": "csv"}),
                       client.post(f"{PUBLICATION}?year=2024", {"reason": "leak walk"})):
            assert answer.status_code == 404 and _main(answer) == _main(missing)
        return
    assert client.get(PUBLICATION, {**query, "format": "csv"}).status_code == 404
    assert "Not released yet" in _clean(client.get(PUBLICATION, query), hidden)
    publisher = name in ("carol", "gina")
    page = _clean(client.get(PUBLICATION, query), hidden)
    assert ("What a release would hold now" in page) == publisher
    posted = client.post(f"{PUBLICATION}?year=2024", {"reason": "leak walk"})
    assert posted.status_code == (302 if publisher else 403)
    if not publisher:
        releases.release_protection_table(s.gina, 2024, exercise=False, reason="leak walk",
                                          k=11, channel="page")
    assert ProtectionRelease.objects.count() == 1
    add_case("XE", Classification.CONFIDENTIAL)  # after the release: changes no download
    page = _clean(client.get(PUBLICATION, query), hidden)
    download = client.get(PUBLICATION, {**query, "format": "csv"})
    target = tmp_path / "published.csv"
    result = CliRunner().invoke(app, ["cases", "publish", "--dataset", "protection", "--year",
                                      "2024", "--as-user", name, "-o", str(target)])
    for marker in hidden:
        assert marker not in result.output
    if name == "bob":  # another affiliation: nothing of cpc's release
        assert download.status_code == 404 and "Not released yet" in page
        assert result.exit_code == 2 and not target.exists()
        return
    lines = _clean(download, hidden).strip().splitlines()
    assert [line for line in lines[1:] if ",cases,all," in line] == [
        "2024,trafficking,XE,cases,all,12,false"]
    assert not any(line.startswith("2024,trafficking,XF,") for line in lines)  # 3 < k
    assert "2024,trafficking,XE,gender,suppressed,suppressed,false" in lines
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == download.content


def test_reads_of_protected_fields_are_logged_without_their_values(records: Records) -> None:
    from hofburg.cases.models import AccessLog

    client = verified_client(records.scene.erin)
    client.get(f"/api/v1/cases/protection/{records.trafficking.case_id}")
    client.get(f"/cases/situations/{records.situation.situation_id}/")
    logged = {entry.record_type: entry for entry in AccessLog.objects.all()}
    assert {"summary", "movements", "name"} <= set(logged["protection"].fields)
    assert "observations" in logged["situation"].fields
    text = " ".join(str(e.fields) for e in AccessLog.objects.all())
    for marker in [*PROTECTION_MARKERS.values(), *SITUATION_MARKERS.values()]:
        assert marker not in text


@pytest.mark.parametrize("name", VIEWERS)
def test_statements_on_intolerance(name: str, statements: Statements, tmp_path: Path) -> None:
    """Statements by their classification: the public one for everyone, the restricted one for
    users with an affiliation, the confidential one for the owner affiliation; the incidents
    they are linked to only for staff who may see those incidents, never counted otherwise."""
    s = statements.scene
    client = verified_client(_user_of(s, name))
    ids = {level: getattr(statements, level).statement_id for level in STATEMENT_MARKERS}
    sees = {"anonymous": {"public"}, "bob": {"public", "restricted"}}.get(
        name, {"public", "restricted", "confidential"})
    incidents = {"anonymous": set(), "bob": {s.restricted_incident.incident_id}}.get(
        name, {s.restricted_incident.incident_id, s.confidential_incident.incident_id})
    hidden = {STATEMENT_MARKERS[k] for k in STATEMENT_MARKERS if k not in sees} | \
        {ids[k] for k in ids if k not in sees} | \
        ({s.restricted_incident.incident_id, s.confidential_incident.incident_id} - incidents)

    listing = client.get("/cases/tolerance/statements/")
    assert listing.status_code == 200
    body = _clean(listing, hidden)
    assert f"{len(sees)} statement" in body
    for key in sees:
        assert STATEMENT_MARKERS[key] in body
    download = client.get("/cases/tolerance/statements/", {"format": "csv"})
    lines = _clean(download, hidden).strip().splitlines()
    assert {line.split(",")[0] for line in lines[1:]} == {ids[k] for k in sees}
    assert ("incidents" in lines[0].split(",")) == (name != "anonymous")
    missing_page = client.get("/cases/tolerance/statements/TS-000000000000/")
    missing_api = client.get("/api/v1/cases/statements/TS-000000000000")
    assert missing_page.status_code == missing_api.status_code == 404
    for key, statement_id in ids.items():
        page = client.get(f"/cases/tolerance/statements/{statement_id}/")
        api = client.get(f"/api/v1/cases/statements/{statement_id}")
        assert page.status_code == api.status_code == (200 if key in sees else 404)
        _clean(page, hidden)
        _clean(api, hidden)
        if key not in sees:
            assert _main(page) == _main(missing_page)
            hidden_problem, absent = json.loads(api.content), json.loads(missing_api.content)
            hidden_problem.pop("instance", None), absent.pop("instance", None)
            assert hidden_problem == absent
        else:
            item = api.json()
            assert STATEMENT_MARKERS[key] in item["text"]
            assert ("incidents" in item) == (name != "anonymous")
    api_list = client.get("/api/v1/cases/statements")
    _clean(api_list, hidden)
    assert api_list.json()["count"] == len(sees)
    linked = {i for item in api_list.json()["items"]
              for i in (item.get("incidents") or "").split("; ") if i}
    assert linked == incidents
    # The page that links a statement to more incidents: the same 404 for a hidden statement,
    # only the linked incidents the viewer may see, the form for the owner's analysts only.
    missing_links = client.get("/cases/tolerance/statements/TS-000000000000/incidents/")
    assert missing_links.status_code == 404
    for key, statement_id in ids.items():
        links = client.get(f"/cases/tolerance/statements/{statement_id}/incidents/")
        assert links.status_code == (200 if key in sees else 404)
        text = _clean(links, hidden)
        if key not in sees:
            assert _main(links) == _main(missing_links)
            continue
        assert ('name="incidents"' in text) == (name in ("carol", "gina"))
        shown = {i for i in (s.restricted_incident.incident_id,
                             s.confidential_incident.incident_id) if i in _main(links)}
        linked = {"public": s.confidential_incident.incident_id,
                  "restricted": s.restricted_incident.incident_id}.get(key)
        assert shown == ({linked} & incidents)
        refused = client.post(f"/cases/tolerance/statements/{statement_id}/incidents/",
                              {"incidents": s.confidential_incident.incident_id})
        assert refused.status_code == (302 if name in ("carol", "gina") else 403)
    by_mandate = client.get("/api/v1/cases/statements", {"mandate": "anti_muslim"})
    assert by_mandate.json()["count"] == len(sees & {"restricted"})
    if name != "anonymous":
        exported = _export(name, "statements", tmp_path, hidden)
        assert {row.split(",")[0] for row in exported[1:]} == {ids[k] for k in sees}


def _found(response: Any, section: str) -> int | None:
    """The count a section of the search across the desks gives, None when it is absent."""
    match = re.search(rf'id="found-{section}">[^<]*<span class="muted small">\((\d+)\)',
                      response.content.decode())
    return int(match.group(1)) if match else None


@pytest.mark.parametrize("name", VIEWERS)
def test_statements_and_incidents_in_the_search_across_the_desks(
        name: str, statements: Statements) -> None:
    """A statement's words find it for those who may see it and for no one else: no hit, no
    count, no section; an incident's id finds it for staff who may see it."""
    s = statements.scene
    client = verified_client(_user_of(s, name))
    sees = {"anonymous": {"public"}, "bob": {"public", "restricted"}}.get(
        name, {"public", "restricted", "confidential"})
    ids = {level: getattr(statements, level).statement_id for level in STATEMENT_MARKERS}
    hidden = {STATEMENT_MARKERS[k] for k in STATEMENT_MARKERS if k not in sees} | \
        {ids[k] for k in ids if k not in sees}
    for level, marker in STATEMENT_MARKERS.items():
        response = client.get("/search/", {"q": marker.replace("-", " ")})
        assert response.status_code == 200
        body = _clean(response, hidden)
        assert _found(response, "tolerance_statements") == (1 if level in sees else None)
        assert (f"/cases/tolerance/statements/{ids[level]}/" in body) == (level in sees)
        if level not in sees:
            assert "Nothing you may see matches." in body
    everything = client.get("/search/", {"q": "statement marker"})
    _clean(everything, hidden)
    assert _found(everything, "tolerance_statements") == len(sees)
    incidents = {"anonymous": set(), "bob": {s.restricted_incident.incident_id}}.get(
        name, {s.restricted_incident.incident_id, s.confidential_incident.incident_id})
    for incident in (s.restricted_incident, s.confidential_incident):
        response = client.get("/search/", {"q": incident.incident_id.lower()})
        seen = incident.incident_id in incidents
        assert _found(response, "hate_incidents") == (1 if seen else None)
        assert (incident.incident_id in _main(response)) == seen
        assert "incident-desc-marker" not in response.content.decode()


def test_the_search_answers_a_session_without_the_second_factor_as_a_visitor(
        statements: Statements) -> None:
    client = Client()
    client.force_login(statements.scene.gina)  # no second step in this session
    response = client.get("/search/", {"q": "restricted statement marker"})
    assert _found(response, "tolerance_statements") is None
    assert STATEMENT_MARKERS["restricted"] not in response.content.decode()
    public = client.get("/search/", {"q": "public statement marker"})
    assert _found(public, "tolerance_statements") == 1
    by_id = client.get("/search/", {"q": statements.scene.restricted_incident.incident_id})
    assert _found(by_id, "hate_incidents") is None


EVIDENCE_PLAINTEXT = b"leak-walk-evidence-original-marker"


def test_the_api_writes_and_the_evidence(viewer: Viewer, settings: Any, tmp_path: Path) -> None:
    """Writes and evidence through the API with each viewer's token (an account with a second
    factor): a record the viewer may not see answers a write or a download exactly as a missing
    one, an answer never carries a protected value, and the original of a piece of evidence
    goes to erin alone (the owner's editor with a strictly-confidential grant)."""
    from django.test import Client

    from hofburg.cases.services import evidence
    from tests.cases.tokens import bearer

    settings.MEDIA_ROOT = tmp_path / "media"
    s = viewer.scene
    piece = evidence.ingest_evidence(s.erin, EVIDENCE_PLAINTEXT, title="evidence-title",
                                     media_type="text/plain", subject=s.confidential_case)
    headers = bearer(_user_of(s, viewer.name))
    hidden = viewer.hidden | {OTHER_NAME, *SECRET.values()}
    if viewer.name != "erin":
        hidden.add(EVIDENCE_PLAINTEXT.decode())

    def send(path: str, body: dict[str, Any]) -> Any:
        response = Client().post(f"/api/v1/cases{path}", json.dumps(body),
                                 content_type="application/json", **headers)
        _clean(response, hidden)
        return response

    def same(first: Any, second: Any) -> None:
        assert first.status_code == second.status_code, (first.content, second.content)
        one, other = json.loads(first.content), json.loads(second.content)
        one.pop("instance", None), other.pop("instance", None)
        assert one == other

    # A write to a case: 401 without a token; 404 where the case is hidden, as for a missing
    # one; 403 for those who see it without owning it; the owner's editor writes.
    report = {"reported_on": "2024-06-01", "text": "api-report"}
    hidden_case = send(f"/prisoners/{s.confidential_case.case_id}/condition-reports", report)
    missing_case = send("/prisoners/PC-000000000000/condition-reports", report)
    if viewer.name in ("anonymous", "bob"):
        same(hidden_case, missing_case)
    expected = {"anonymous": 401, "bob": 404, "carol": 403, "gina": 403, "erin": 201}
    assert hidden_case.status_code == expected[viewer.name]
    # A person exists for the holders of a grant only, in a body as in a path.
    case = {"person": s.other.surrogate_id, "jurisdiction": "XE"}
    opened = send("/prisoners", case)
    if viewer.name != "erin":
        same(opened, send("/prisoners", {**case, "person": "P-000000000000"}))
    assert opened.status_code == {"anonymous": 401, "erin": 201}.get(viewer.name, 404)
    # The evidence: its description for those who see it, its original for erin alone.
    meta = Client().get(f"/api/v1/cases/evidence/{piece.evidence_id}", **headers)
    download = Client().get(f"/api/v1/cases/evidence/{piece.evidence_id}/original", **headers)
    for response in (meta, download):
        _clean(response, hidden)
    sees = viewer.name in ("carol", "gina", "erin")
    assert meta.status_code == (200 if sees else 404)
    assert download.status_code == {"erin": 200, "carol": 403, "gina": 403}.get(viewer.name, 404)
    if not sees:
        for path in ("", "/original"):
            same(Client().get(f"/api/v1/cases/evidence/{piece.evidence_id}{path}", **headers),
                 Client().get(f"/api/v1/cases/evidence/EV-000000000000{path}", **headers))
    if viewer.name == "erin":
        assert download.content == EVIDENCE_PLAINTEXT


def _expected(viewer: str, seen: bool, editor: str = "erin") -> int:
    """A form page's answer: 404 for a record the viewer may not see, then sign-in for a
    visitor, the form for an editor who may record there, 403 for anyone else."""
    if not seen:
        return 404
    if viewer == "anonymous":
        return 302
    return 200 if viewer == editor else 403


def test_the_pages_that_record(viewer: Viewer) -> None:
    """The form pages of persons, prisoners' cases and alerts, and the evidence pages: hidden
    answers like missing, and no page shows what the viewer may not see."""
    s, name = viewer.scene, viewer.name
    person = s.person.surrogate_id
    pages: dict[str, int] = {
        f"/cases/persons/{person}/{tail}": _expected(name, person in viewer.persons)
        for tail in ("grants/new/", "cases/new/", "protection/new/")}
    for case in (s.public_case, s.restricted_case, s.confidential_case, s.released_case):
        seen = case.case_id in viewer.visible_cases
        tails = ["episodes/new/", "proceedings/new/", "recognitions/new/", "conditions/new/",
                 *(f"episodes/{e.pk}/end/" for e in case.episodes.filter(end__isnull=True)),
                 *(f"recognitions/{r.pk}/withdraw/" for r in case.recognitions.all())]
        for tail in tails:
            pages[f"/cases/prisoners/{case.case_id}/{tail}"] = _expected(name, seen)
        pages[f"/cases/prisoners/{case.case_id}/evidence/"] = \
            200 if seen and name != "anonymous" else 404
    for alert, seen in ((s.public_alert, True),
                        (s.confidential_alert, name in ("carol", "gina", "erin"))):
        for tail in ("reply/", "follow-up/"):
            pages[f"/cases/media-freedom/{alert.alert_id}/{tail}"] = _expected(name, seen)
        pages[f"/cases/media-freedom/{alert.alert_id}/evidence/"] = \
            200 if seen and name != "anonymous" else 404
    for path in ("/cases/persons/new/", "/cases/hate-crime/incidents/new/",
                 "/cases/media-freedom/new/", "/cases/situations/new/"):
        # bob edits for his own affiliation: he may record there, as erin may.
        pages[path] = {"anonymous": 302, "bob": 200, "erin": 200}.get(name, 403)
    for path, status in pages.items():
        response = viewer.client.get(path)
        assert response.status_code == status, (name, path)
        _assert_clean(response, viewer)
    missing = viewer.client.get("/cases/prisoners/PC-000000000000/episodes/new/")
    hidden = viewer.client.get(f"/cases/prisoners/{s.confidential_case.case_id}/episodes/new/")
    if hidden.status_code == 404:
        assert _main(hidden) == _main(missing)


@pytest.mark.parametrize("name", VIEWERS)
def test_the_protection_and_situation_pages_that_record(name: str, records: Records) -> None:
    client = verified_client(_user_of(records.scene, name))
    entitled = name != "anonymous"
    cpc = name in ("carol", "gina", "erin")
    hidden = set(PROTECTION_MARKERS.values()) | set(SITUATION_MARKERS.values())
    pages: dict[str, int] = {}
    for case, seen in ((records.trafficking, cpc), (records.gbv, entitled)):
        for tail in ("movement/new/", "risks/new/", "referrals/new/", "assistance/new/"):
            pages[f"/cases/protection/{case.case_id}/{tail}"] = _expected(name, seen)
    for situation, seen in ((records.situation, name in ("gina", "erin")),
                            (records.ungranted_situation, name == "erin")):
        for tail in ("observations/new/", "grants/new/", "grants/revoke/"):
            pages[f"/cases/situations/{situation.situation_id}/{tail}"] = \
                _expected(name, seen)
    for path, status in pages.items():
        response = client.get(path)
        assert response.status_code == status, (name, path)
        _clean(response, hidden)  # a form page names its record by id, nothing more


# -- revoking grants, changing a person, erasure, working copies (decision 0064) ---------------


def _same(first: Any, second: Any) -> None:
    """Two API answers alike but for the path asked for."""
    assert first.status_code == second.status_code, (first.content, second.content)
    one, other = json.loads(first.content), json.loads(second.content)
    one.pop("instance", None), other.pop("instance", None)
    assert one == other


def _pieces(scene: Scene) -> dict[str, str]:
    """case id → a piece of evidence of the public and of the confidential case, each with a
    working copy."""
    from hofburg.cases.services import evidence

    pieces = {}
    for case in (scene.public_case, scene.confidential_case):
        piece = evidence.ingest_evidence(scene.erin, EVIDENCE_PLAINTEXT, title="evidence-title",
                                         media_type="text/plain", subject=case)
        evidence.add_working_copy(scene.erin, piece, EVIDENCE_PLAINTEXT, "copy")
        pieces[case.case_id] = piece.evidence_id
    return pieces


def test_the_revocation_and_working_copy_pages(viewer: Viewer, settings: Any,
                                               tmp_path: Path) -> None:
    """The revocation page answers like the grant page; the working-copy form and files, like
    the original, are erin's alone (the owner's editor with the strictly-confidential grant);
    hidden is missing."""
    settings.MEDIA_ROOT = tmp_path / "media"
    s, name = viewer.scene, viewer.name
    hidden = viewer.hidden | {EVIDENCE_PLAINTEXT.decode()}
    sees_evidence = name in ("carol", "gina", "erin")
    pages: dict[str, int] = {
        f"/cases/persons/{s.person.surrogate_id}/grants/revoke/":
            _expected(name, s.person.surrogate_id in viewer.persons),
        f"/cases/persons/{s.other.surrogate_id}/grants/revoke/":
            _expected(name, s.other.surrogate_id in viewer.persons)}
    for evidence_id in _pieces(s).values():
        pages[f"/cases/evidence/{evidence_id}/copies/new/"] = \
            _expected(name, sees_evidence) if name != "anonymous" else 404
        pages[f"/cases/evidence/{evidence_id}/copies/1/"] = 200 if name == "erin" else 404
        pages[f"/cases/evidence/{evidence_id}/original/"] = 200 if name == "erin" else 404
    missing = viewer.client.get("/cases/evidence/EV-000000000000/copies/new/")
    for path, status in pages.items():
        response = viewer.client.get(path)
        assert response.status_code == status, (name, path)
        if name != "erin":
            _clean(response, hidden)
        if status == 404 and "/evidence/" in path:
            assert _main(response) == _main(missing)


def test_person_writes_and_working_copies_through_the_api(viewer: Viewer, settings: Any,
                                                          tmp_path: Path) -> None:
    """The API's writes on a person (a change, a grant, a revocation, the legal hold, an
    erasure request): 401 without a token, 404 as missing where the person is hidden, 403 for
    gina who sees but may not, done for erin; working copies made and downloaded by erin
    alone; no protected value in any answer."""
    from django.test import Client

    from tests.cases.tokens import bearer

    settings.MEDIA_ROOT = tmp_path / "media"
    s, name = viewer.scene, viewer.name
    pieces = _pieces(s)
    headers = bearer(_user_of(s, name))
    hidden = viewer.hidden | {EVIDENCE_PLAINTEXT.decode()}

    def send(method: str, path: str, body: dict[str, Any]) -> Any:
        call = getattr(Client(), method)
        response = call(f"/api/v1/cases{path}", json.dumps(body),
                        content_type="application/json", **headers)
        _clean(response, viewer.hidden | {OTHER_NAME, *SECRET.values()})
        return response

    on_person = {"anonymous": 401, "bob": 404, "carol": 404, "gina": 403}
    person = f"/persons/{s.person.surrogate_id}"
    writes = (("patch", "", {"protection_level": "high"}, 200),
              ("post", "/grants", {"username": "carol"}, 201),
              ("post", "/grants/revoke", {"username": "gina", "reason": "leak walk"}, 200),
              ("post", "/legal-hold", {"reason": "leak walk"}, 200))
    for method, tail, body, done in writes:
        answer = send(method, f"{person}{tail}", body)
        assert answer.status_code == on_person.get(name, done), (name, tail, answer.content)
        if name in ("bob", "carol"):
            _same(answer, send(method, f"/persons/P-000000000000{tail}", body))
    asked = send("post", f"{person}/erasure-requests", {"grounds": "leak walk"})
    assert asked.status_code == {"anonymous": 401, "bob": 404, "carol": 404}.get(name, 201)
    other = send("post", f"/persons/{s.other.surrogate_id}/erasure-requests", {"grounds": "x"})
    assert other.status_code == {"anonymous": 401, "erin": 201}.get(name, 404)
    if name not in ("anonymous", "erin"):
        _same(other, send("post", "/persons/P-000000000000/erasure-requests", {"grounds": "x"}))

    sees_evidence = name in ("carol", "gina", "erin")
    for evidence_id in pieces.values():
        copy = Client().get(f"/api/v1/cases/evidence/{evidence_id}/copies/1", **headers)
        assert copy.status_code == {"erin": 200, "carol": 403, "gina": 403}.get(name, 404)
        if name != "erin":
            _clean(copy, hidden)
        if not sees_evidence:
            _same(copy, Client().get("/api/v1/cases/evidence/EV-000000000000/copies/1",
                                     **headers))
        made = Client().post(f"/api/v1/cases/evidence/{evidence_id}/copies", {"label": "x"},
                             **headers)
        assert made.status_code == {"anonymous": 401, "erin": 201, "carol": 403,
                                    "gina": 403}.get(name, 404), made.content
        _clean(made, hidden)


REVOKED_MARKER = "revoked-holder-marker"  # a holder whose grants erin revoked
REVOKE_REASON_MARKER = "revocation-reason-marker"
GROUNDS_MARKER = "erasure-grounds-marker"  # never answered, to anyone
HOLD_MARKER = "legal-hold-text-marker"  # never shown, to anyone
DECISION_MARKER = "erasure-decision-marker"


@pytest.mark.parametrize("name", VIEWERS)
def test_the_grant_and_erasure_lists_through_the_api(name: str, records: Records) -> None:
    """Who holds and who held a grant is read by the record's granters alone (erin): for the
    others each list answers as for a missing record. A person's erasure requests are read by
    its holders (gina, erin), who asked and who decided by erin alone. No list carries a vault
    value or the grounds of a request; the access log holds field names, never values."""
    from hofburg.cases.models import AccessLog, Grant
    from hofburg.cases.services import erasure, persons, situations
    from hofburg.core.models import Role, User
    from tests.conftest import PASSWORD

    s = records.scene
    held = User.objects.create_user(REVOKED_MARKER, password=PASSWORD, affiliation=s.cast.cpc,
                                    roles=[Role.READER, Role.ANALYST])
    for person in (s.person, s.other):
        persons.grant_access(s.erin, person, held, Grant.Level.RESTRICTED)
        persons.revoke_access(s.erin, person, held, REVOKE_REASON_MARKER)
    for situation in (records.situation, records.ungranted_situation):
        situations.grant_situation(s.erin, situation, held, Grant.Level.RESTRICTED)
        situations.revoke_situation(s.erin, situation, held, REVOKE_REASON_MARKER)
    for person in (s.person, s.other):
        asked = erasure.request_erasure(s.erin, person, GROUNDS_MARKER)
        erasure.set_legal_hold(s.erin, person, HOLD_MARKER)
        erasure.decide_erasure(s.erin, asked, "denied", DECISION_MARKER)
    person, other = s.person.surrogate_id, s.other.surrogate_id
    situation, lone = records.situation.situation_id, records.ungranted_situation.situation_id
    holds = {"gina": {person, situation}, "erin": {person, other, situation, lone}}.get(
        name, set())
    granter = name == "erin"
    lists = {  # path → (whether the viewer reads it, the same path for a missing record)
        f"/persons/{person}/grants": (granter, "/persons/P-000000000000/grants"),
        f"/persons/{other}/grants": (granter, "/persons/P-000000000000/grants"),
        f"/situations/{situation}/grants": (granter, "/situations/HS-000000000000/grants"),
        f"/situations/{lone}/grants": (granter, "/situations/HS-000000000000/grants"),
        f"/persons/{person}/erasure-requests": (
            person in holds, "/persons/P-000000000000/erasure-requests"),
        f"/persons/{other}/erasure-requests": (
            other in holds, "/persons/P-000000000000/erasure-requests")}
    never = {*SECRET.values(), OTHER_NAME, *SITUATION_MARKERS.values(),
             *PROTECTION_MARKERS.values(), GROUNDS_MARKER, HOLD_MARKER}
    client = verified_client(_user_of(s, name))
    before = AccessLog.objects.order_by("-sequence").first()
    for path, (reads, missing) in lists.items():
        response = client.get(f"/api/v1/cases{path}")
        hidden = never | {record for record in (person, other, situation, lone)
                          if record not in holds}
        if not (granter and "/grants" in path):
            hidden |= {REVOKED_MARKER, REVOKE_REASON_MARKER}
        if not granter:
            hidden.add("erin")  # who gave, revoked, asked or decided: names a holder
        if not reads:
            hidden.add(DECISION_MARKER)
        _clean(response, hidden)
        assert response.status_code == (200 if reads else 404), (name, path)
        if not reads:
            _same(response, client.get(f"/api/v1/cases{missing}"))
        elif "/grants" in path:
            body = response.json()
            assert [r["username"] for r in body["revoked"]] == [REVOKED_MARKER]
            assert REVOKED_MARKER not in {h["username"] for h in body["holders"]}
        else:
            [item] = response.json()["items"]
            assert item["reason"] == DECISION_MARKER
            assert ("decided_by" in item) == granter
    logged = AccessLog.objects.filter(sequence__gt=before.sequence if before else 0)
    assert {e.record_type for e in logged} == (
        {"person_grant", "situation_grant", "erasure_request"} if granter
        else {"erasure_request"} if holds else set())
    text = " ".join(str(e.fields) for e in logged)
    for marker in (*never, REVOKED_MARKER, REVOKE_REASON_MARKER, DECISION_MARKER):
        assert marker not in text
    _the_same_reads_on_the_pages(client, s, records, holds, granter, never)


def _the_same_reads_on_the_pages(client: Any, s: Scene, records: Records, holds: set[str],
                                 granter: bool, never: set[str]) -> None:
    """The grant and erasure lists' reads on the pages (decision 0076): the same answers to the
    same people, the hold's text and the grounds to no one, and the same kinds of access-log
    entry, without a value."""
    from hofburg.cases.models import AccessLog

    person, other = s.person.surrogate_id, s.other.surrogate_id
    situation = records.situation.situation_id
    pages = {f"/cases/persons/{person}/": person, f"/cases/persons/{other}/": other,
             f"/cases/persons/{person}/erasure/": person,
             f"/cases/persons/{other}/erasure/": other,
             f"/cases/situations/{situation}/": situation}
    before = AccessLog.objects.order_by("-sequence").first()
    for path, record in pages.items():
        page = client.get(path)
        assert page.status_code == (200 if record in holds else 404), path
        # (the person's own page shows its holders the name: the vault is walked above)
        hidden = {GROUNDS_MARKER, HOLD_MARKER} | (
            {REVOKED_MARKER, REVOKE_REASON_MARKER} if not granter else set())
        _clean(page, hidden | {r for r in (person, other, situation) if r not in holds})
        if path.endswith("/erasure/") and record in holds:
            assert "A legal hold keeps this identity." in page.content.decode()
    logged = AccessLog.objects.filter(sequence__gt=before.sequence if before else 0,
                                      channel="page")
    assert {e.record_type for e in logged} & {
        "person_grant", "situation_grant", "erasure_request"} == (
        {"person_grant", "situation_grant", "erasure_request"} if granter
        else {"erasure_request"} if holds else set())
    text = " ".join(str(e.fields) for e in logged)
    for marker in (*never, REVOKED_MARKER, REVOKE_REASON_MARKER, DECISION_MARKER):
        assert marker not in text


@pytest.fixture
def rita(records: Records) -> Any:
    """A user of the owner affiliation with carol's roles who held grants for the person, the
    other person and the first situation, all revoked: she must find what carol finds."""
    from hofburg.cases.models import Grant
    from hofburg.cases.services import persons, situations
    from hofburg.core.models import Role, User
    from tests.conftest import PASSWORD

    s = records.scene
    user = User.objects.create_user("rita", password=PASSWORD, affiliation=s.cast.cpc,
                                    roles=[Role.READER, Role.ANALYST])
    persons.grant_access(s.erin, s.person, user, Grant.Level.STRICTLY_CONFIDENTIAL)
    persons.grant_access(s.erin, s.other, user, Grant.Level.RESTRICTED)
    situations.grant_situation(s.erin, records.situation, user, Grant.Level.STRICTLY_CONFIDENTIAL)
    assert verified_client(user).get(f"/cases/persons/{s.person.surrogate_id}/") \
        .status_code == 200
    persons.revoke_access(s.erin, s.person, user, "leak walk")
    persons.revoke_access(s.erin, s.other, user, "leak walk")
    situations.revoke_situation(s.erin, records.situation, user, "leak walk")
    return user


def _comparable(response: Any, username: str) -> tuple[int, str]:
    """A response's status and body with the per-user parts removed: the user's own name in
    the frame, the form's CSRF token."""
    import re

    body = response.content.decode(errors="replace")
    if "<main" in body:
        body = _main(response)
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    body = re.sub(r'"instance": ?"[^"]*"', "", body)
    return response.status_code, body.replace(username, "USER")


def test_a_revoked_grant_looks_exactly_like_one_never_held(records: Records, rita: Any,
                                                           settings: Any,
                                                           tmp_path: Path) -> None:
    """Every page, CSV and endpoint of the desk that names the person, the other person or the
    situation answers rita, whose grants were revoked, exactly as it answers carol, who never
    held one (same roles, same affiliation): statuses, bodies and problem documents."""
    from django.test import Client

    from hofburg.cases.services import evidence
    from tests.cases.tokens import bearer

    settings.MEDIA_ROOT = tmp_path / "media"
    s = records.scene
    piece = evidence.ingest_evidence(s.erin, EVIDENCE_PLAINTEXT, title="evidence-title",
                                     media_type="text/plain", subject=s.public_case)
    evidence.add_working_copy(s.erin, piece, EVIDENCE_PLAINTEXT, "copy")
    situation, person, other = (records.situation.situation_id, s.person.surrogate_id,
                                s.other.surrogate_id)
    pages = ["/cases/", "/cases/persons/", f"/cases/persons/{person}/",
             f"/cases/persons/{other}/", f"/cases/persons/{person}/erasure/",
             *(f"/cases/persons/{person}/{tail}" for tail in (
                 "grants/new/", "grants/revoke/", "cases/new/", "protection/new/")),
             f"/cases/prisoners/?on={DAY}", f"/cases/prisoners/?on={DAY}&format=csv",
             *(f"/cases/prisoners/{c.case_id}/" for c in (s.public_case, s.restricted_case,
                                                          s.confidential_case)),
             f"/cases/prisoners/{s.public_case.case_id}/evidence/",
             f"/cases/media-freedom/{s.public_alert.alert_id}/",
             "/cases/protection/", f"/cases/protection/{records.trafficking.case_id}/",
             "/cases/situations/", f"/cases/situations/{situation}/",
             *(f"/cases/situations/{situation}/{tail}" for tail in (
                 "observations/new/", "grants/new/", "grants/revoke/")),
             f"/cases/evidence/{piece.evidence_id}/original/",
             f"/cases/evidence/{piece.evidence_id}/copies/new/",
             f"/cases/evidence/{piece.evidence_id}/copies/1/"]
    api = ["/persons", f"/persons/{person}", f"/persons/{other}", f"/prisoners?on={DAY}",
           f"/prisoners/{s.public_case.case_id}", f"/alerts/{s.public_alert.alert_id}",
           "/protection", f"/protection/{records.trafficking.case_id}", "/situations",
           f"/situations/{situation}", f"/evidence/{piece.evidence_id}",
           f"/evidence/{piece.evidence_id}/original", f"/evidence/{piece.evidence_id}/copies/1",
           f"/persons/{person}/grants", f"/persons/{other}/grants",
           f"/persons/{person}/erasure-requests", f"/persons/{other}/erasure-requests",
           f"/situations/{situation}/grants"]
    clients = {who: verified_client(user) for who, user in (("rita", rita),
                                                            ("carol", s.cast.carol))}
    tokens = {"rita": bearer(rita), "carol": bearer(s.cast.carol)}
    for path in pages:
        answers = [_comparable(clients[who].get(path), who) for who in ("rita", "carol")]
        assert answers[0] == answers[1], path
    for path in api:
        answers = [_comparable(Client().get(f"/api/v1/cases{path}", **tokens[who]), who)
                   for who in ("rita", "carol")]
        assert answers[0] == answers[1], path
    writes = ((f"/persons/{person}", "patch", {"protection_level": "high"}),
              (f"/persons/{person}/grants", "post", {"username": "bob"}),
              (f"/persons/{person}/grants/revoke", "post", {"username": "gina", "reason": "x"}),
              (f"/persons/{person}/erasure-requests", "post", {"grounds": "x"}),
              (f"/persons/{person}/legal-hold", "post", {"reason": "x"}),
              (f"/prisoners/{s.public_case.case_id}/condition-reports", "post",
               {"reported_on": "2024-06-01", "text": "x"}),
              ("/prisoners", "post", {"person": person, "jurisdiction": "XE"}),
              (f"/situations/{situation}/grants", "post", {"username": "bob"}),
              (f"/situations/{situation}/grants/revoke", "post", {"username": "gina",
                                                                   "reason": "x"}),
              (f"/situations/{situation}/observations", "post",
               {"indicator": "education", "observed_on": "2024-02-01", "source": "x",
                "level": "elevated"}))
    for path, method, body in writes:
        answers = [_comparable(getattr(Client(), method)(
            f"/api/v1/cases{path}", json.dumps(body), content_type="application/json",
            **tokens[who]), who) for who in ("rita", "carol")]
        assert answers[0] == answers[1], path
        assert answers[0][0] in (403, 404), (path, answers[0])
    # The command line's exports too.
    runner = CliRunner()
    for dataset in ("persons", "prisoners", "situations", "protection"):
        texts = []
        for who in ("rita", "carol"):
            target = tmp_path / f"{who}-{dataset}.csv"
            result = runner.invoke(app, ["cases", "export", dataset, "--as-user", who,
                                         "--on", DAY, "-o", str(target)])
            assert result.exit_code == 0, result.output
            texts.append(target.read_text())
        assert texts[0] == texts[1], dataset
