"""The leak walk of web entry with Enketo: for missions of each classification, each viewer
gets the page and may send only where they are on the mission; a mission they may not see
answers exactly as a missing one (404), a visible one they are not on 403, and no refused
request stores anything."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hofburg.core.models import Classification, User
from hofburg.elections.models import Form, Member, Mission, Submission
from hofburg.elections.services.forms import add_form
from hofburg.elections.services.missions import MissionRecord, create_mission
from tests.conftest import Cast
from tests.elections.samples import submission_xml, xlsform

pytestmark = pytest.mark.django_db
LEVELS = (Classification.PUBLIC, Classification.RESTRICTED, Classification.CONFIDENTIAL)
SEES = {"anonymous": {"public"}, "nick": {"public"}, "alice": {"public", "restricted"},
        "mona": {"public", "restricted", "confidential"}}


def _missions(cast: Cast) -> dict[str, tuple[Mission, Form]]:
    made = {}
    for level in LEVELS:
        mission = create_mission(cast.mona, MissionRecord(
            code=f"EOM-{level}", name=f"Mission {level}", state="XE",
            election_date=date(2026, 12, 6), classification=level, exercise=True))
        form, _ = add_form(cast.mona, mission, xlsform(f"voting-{level}"))
        made[level] = (mission, form)
    return made


def _viewer(cast: Cast, who: str) -> User | None:
    return {"anonymous": None, "nick": cast.nick, "alice": cast.alice, "mona": cast.mona}[who]


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_page_and_the_address_show_a_mission_only_to_those_entitled(
        cast: Cast, who: str) -> None:
    user = _viewer(cast, who)
    client = Client()
    if user is not None:
        client.force_login(user)
    for level, (mission, form) in _missions(cast).items():
        base = f"/elections/{mission.code}/forms/{form.form_id}/{form.version}"
        seen = level in SEES[who]
        on_it = who == "mona"  # the owner affiliation's editor
        page = client.get(f"{base}/enter/")
        assert page.status_code == (200 if on_it else 403 if seen else 404), (who, level)
        if not seen:
            missing = client.get(f"/elections/NO-SUCH-EOM/forms/{form.form_id}/"
                                 f"{form.version}/enter/")
            assert missing.status_code == 404
            assert mission.name not in page.content.decode()
        sent = client.post(f"{base}/submission", {"xml_submission_file": SimpleUploadedFile(
            "s.xml", submission_xml(form.form_id, form.version), content_type="text/xml")})
        expected = 401 if user is None else 201 if on_it else 403 if seen else 404
        assert sent.status_code == expected, (who, level)
    assert Submission.objects.count() == (3 if who == "mona" else 0)
    assert set(Submission.objects.values_list("channel", flat=True)) <= {"web"}


def test_an_observer_sends_only_to_the_mission_they_are_on(cast: Cast) -> None:
    made = _missions(cast)
    mission, form = made[Classification.RESTRICTED]
    Member.objects.create(mission=mission, user=cast.alice, role=Member.Role.STO, team="T09")
    client = Client()
    client.force_login(cast.alice)
    _other_mission, other_form = made[Classification.PUBLIC]
    # The other mission's form, sent to this mission's address: refused, nothing stored.
    response = client.post(
        f"/elections/{mission.code}/forms/{form.form_id}/{form.version}/submission",
        {"xml_submission_file": SimpleUploadedFile(
            "s.xml", submission_xml(other_form.form_id, other_form.version),
            content_type="text/xml")})
    assert response.status_code == 422
    assert Submission.objects.count() == 0
    response = client.post(
        f"/elections/{mission.code}/forms/{form.form_id}/{form.version}/submission",
        {"xml_submission_file": SimpleUploadedFile(
            "s.xml", submission_xml(form.form_id, form.version), content_type="text/xml")})
    assert response.status_code == 201
    assert Submission.objects.get().team == "T09"


def test_the_service_worker_is_served_with_the_desk_as_its_scope() -> None:
    response = Client().get("/elections/enketo-sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/elections/"
    assert b"hofburg-elections-enketo-v1" in b"".join(response.streaming_content)
