"""The leak walk of the human-dimension desk: every page, CSV, API endpoint and CLI export with
the cast — anonymous, another affiliation (bob), the owner affiliation without a grant (carol),
with a restricted grant (gina), with a strictly-confidential grant (erin). Each must find
exactly what they may see, with counts to match, and no protected value, hidden record or
hidden person in any body, header or error; a hidden record answers exactly like a missing one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hofburg.cli import app
from tests.cases.conftest import (
    OTHER_NAME,
    PROTECTION_MARKERS,
    SECRET,
    SITUATION_MARKERS,
    Records,
    Scene,
    verified_client,
)

DAY = "2024-12-01"  # the census day: the released case is out, three cases are held
VIEWERS = ["anonymous", "bob", "carol", "gina", "erin"]


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
