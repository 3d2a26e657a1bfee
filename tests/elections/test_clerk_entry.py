"""Data clerks enter paper and phoned-in forms: on the Enketo page with the channel and the time
the form was filled in (in the mission's zone, within the bounds), through the API, into the same
store, idempotent on the instance id; the exports and the figures read that time, not the
clerk's typing."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from hofburg.core.access import AccessDenied
from hofburg.core.bounds import CLOCK_SKEW
from hofburg.core.errors import Invalid
from hofburg.core.models import Role, User
from hofburg.elections.models import Member, Mission, Submission
from hofburg.elections.queries import figures, form_versions, submissions_table
from hofburg.elections.services.missions import add_member
from hofburg.elections.services.snapshots import freeze
from hofburg.elections.services.submissions import receive_clerk_entry
from tests.conftest import PASSWORD, Cast
from tests.elections.samples import Eom, eom, submission_xml

pytestmark = pytest.mark.django_db
OPENED = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
# The observer filled the form in at 09:40 on the mission's clocks (Vienna, UTC+01:00 in
# December); the clerk types it in on the next day, which Enketo's `start` records.
FILLED_IN = "2026-12-06T09:40:00+01:00"
TYPED = "2026-12-07T15:02:00.000+01:00"


@pytest.fixture
def world(cast: Cast) -> tuple[Eom, User]:
    e = eom(cast)
    Mission.objects.filter(pk=e.mission.pk).update(created_at=OPENED,
                                                   time_zone="Europe/Vienna")
    e.mission.refresh_from_db()
    clerk = User.objects.create_user("clerk-1", password=PASSWORD, affiliation=cast.mission,
                                     roles=[Role.READER])
    add_member(e.manager, e.mission, clerk, Member.Role.CLERK)
    return e, clerk


def _typed(instance: str, **more: Any) -> bytes:
    return submission_xml(instance=instance, start=TYPED, **more)


def test_a_clerk_s_paper_form_keeps_its_channel_and_the_time_on_the_paper(
        world: tuple[Eom, User]) -> None:
    e, clerk = world
    stored, created = receive_clerk_entry(clerk, e.mission, _typed("uuid:paper-1"),
                                          channel="paper",
                                          captured_at=datetime.fromisoformat(FILLED_IN))
    assert created
    assert (stored.channel, stored.device, stored.submitted_by, stored.team) == (
        "paper", "clerk entry", clerk, "")
    assert stored.captured_at == datetime(2026, 12, 6, 8, 40, tzinfo=UTC)  # not Enketo's start
    again, created_again = receive_clerk_entry(clerk, e.mission, _typed("uuid:paper-1"),
                                               channel="paper",
                                               captured_at=datetime.fromisoformat(FILLED_IN))
    assert (again.pk, created_again) == (stored.pk, False)
    assert Submission.objects.count() == 1


@pytest.mark.parametrize(("when", "says"), [
    (OPENED - timedelta(minutes=1), "before the mission was set up"),
    ("future", "later than now"),
])
def test_a_time_out_of_bounds_is_refused(world: tuple[Eom, User], when: Any, says: str) -> None:
    e, clerk = world
    at = timezone.now() + CLOCK_SKEW + timedelta(minutes=1) if when == "future" else when
    with pytest.raises(Invalid, match=says) as refused:
        receive_clerk_entry(clerk, e.mission, _typed("uuid:late"), channel="phone",
                            captured_at=at)
    assert refused.value.field == "captured_at"
    assert not Submission.objects.exists()


def test_within_the_clock_skew_is_still_now(world: tuple[Eom, User]) -> None:
    e, clerk = world
    ahead = timezone.now() + CLOCK_SKEW / 2
    stored, _created = receive_clerk_entry(clerk, e.mission, _typed("uuid:now"),
                                           channel="phone", captured_at=ahead)
    assert stored.captured_at == ahead


def test_only_clerks_and_the_core_team_enter_for_observers(world: tuple[Eom, User]) -> None:
    e, _clerk = world
    with pytest.raises(AccessDenied):
        receive_clerk_entry(e.observer, e.mission, _typed("uuid:own"), channel="paper",
                            captured_at=datetime.fromisoformat(FILLED_IN))
    with pytest.raises(Invalid, match="not 'web'"):
        receive_clerk_entry(e.manager, e.mission, _typed("uuid:web"), channel="web",
                            captured_at=None)
    assert not Submission.objects.exists()


# The Enketo page ------------------------------------------------------------------------------

def _page(e: Eom) -> str:
    return f"/elections/{e.mission.code}/forms/{e.form.form_id}/{e.form.version}/enter/"


def _config(body: str) -> dict[str, Any]:
    found = re.search(r'<script id="enketo-config" type="application/json">(.*?)</script>',
                      body, re.S)
    assert found
    config: dict[str, Any] = json.loads(found.group(1))
    return config


def _send(client: Client, e: Eom, xml: bytes, **fields: str) -> Any:
    client.get(_page(e))
    return client.post(
        f"/elections/{e.mission.code}/forms/{e.form.form_id}/{e.form.version}/submission",
        {"xml_submission_file": SimpleUploadedFile("submission.xml", xml,
                                                   content_type="text/xml"), **fields},
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)


def _client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_the_page_offers_a_clerk_the_channel_and_the_time_in_the_mission_s_zone(
        world: tuple[Eom, User]) -> None:
    e, clerk = world
    body = _client(clerk).get(_page(e)).content.decode()
    assert 'id="clerk-entry"' in body and "elections-enketo-clerk.js" in body
    assert 'value="paper"' in body and 'value="phone"' in body
    assert re.search(r"date and time in Europe/Vienna, UTC\+0[12]:00", body)
    clerk_config = _config(body)["clerk"]
    assert clerk_config == {"zone": "Europe/Vienna", "earliest": OPENED.isoformat(),
                            "skewSeconds": int(CLOCK_SKEW.total_seconds())}
    observer_page = _client(e.observer).get(_page(e)).content.decode()
    assert 'id="clerk-entry"' not in observer_page and _config(observer_page)["clerk"] is None


def test_the_page_stores_a_clerk_s_record_with_its_channel_and_time(
        world: tuple[Eom, User]) -> None:
    e, clerk = world
    client = _client(clerk)
    sent = _send(client, e, _typed("uuid:phone-1"), channel="phone", captured_at=FILLED_IN)
    assert sent.status_code == 201, sent.content
    retry = _send(client, e, _typed("uuid:phone-1"), channel="phone", captured_at=FILLED_IN)
    assert retry.status_code == 201 and retry.json()["created"] is False
    stored = Submission.objects.get()
    assert (stored.channel, stored.device, stored.captured_at) == (
        "phone", "clerk entry", datetime(2026, 12, 6, 8, 40, tzinfo=UTC))


@pytest.mark.parametrize(("fields", "status", "field"), [
    ({"channel": "paper"}, 422, "captured_at"),
    ({"channel": "paper", "captured_at": "2026-12-06T09:40"}, 422, "captured_at"),
    ({"channel": "paper", "captured_at": "2026-10-01T09:40+01:00"}, 422, "captured_at"),
    ({"channel": "odk", "captured_at": FILLED_IN}, 422, "channel"),
])
def test_the_page_refuses_a_clerk_s_record_out_of_bounds(
        world: tuple[Eom, User], fields: dict[str, str], status: int, field: str) -> None:
    e, clerk = world
    refused = _send(_client(clerk), e, _typed("uuid:bad"), **fields)
    assert (refused.status_code, refused.json()["field"]) == (status, field)
    assert refused["Content-Type"] == "application/problem+json"
    assert not Submission.objects.exists()


def test_an_observer_cannot_claim_a_clerk_s_channel(world: tuple[Eom, User]) -> None:
    e, _clerk = world
    refused = _send(_client(e.observer), e, _typed("uuid:claim"), channel="paper",
                    captured_at=FILLED_IN)
    assert refused.status_code == 403
    assert _send(_client(e.observer), e, _typed("uuid:own")).status_code == 201
    assert Submission.objects.get().channel == "web"


def test_the_api_takes_the_time_within_the_same_bounds(world: tuple[Eom, User],
                                                       cast: Cast) -> None:
    from hofburg.core.services.users import issue_api_token

    e, clerk = world
    _token, key = issue_api_token(clerk, "clerk desk")
    url = f"/api/v1/elections/missions/{e.mission.code}/submissions"
    early = Client().post(url, {"xml": _typed("uuid:api-1").decode(), "channel": "phone",
                                "captured_at": "2026-10-01T09:40:00+01:00"},
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert early.status_code == 422 and early.json()["field"] == "captured_at"
    made = Client().post(url, {"xml": _typed("uuid:api-1").decode(), "channel": "phone",
                               "captured_at": FILLED_IN},
                         content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert made.status_code == 201
    stored = Submission.objects.get()
    assert (stored.channel, stored.device, stored.captured_at.isoformat()) == (
        "phone", "clerk entry", "2026-12-06T08:40:00+00:00")


# Exports and figures ---------------------------------------------------------------------------

def test_the_export_has_the_form_s_times_and_the_clerk_s(world: tuple[Eom, User]) -> None:
    e, clerk = world
    receive_clerk_entry(clerk, e.mission, _typed("uuid:paper-2"), channel="paper",
                        captured_at=datetime.fromisoformat(FILLED_IN))
    table = submissions_table(e.manager, "voting")
    row = dict(zip(table.columns, table.rows[0], strict=True))
    assert {k: row[k] for k in ("start", "submitted_by", "channel", "device", "captured_at")} == {
        "start": TYPED, "submitted_by": "clerk-1", "channel": "paper", "device": "clerk entry",
        "captured_at": "2026-12-06T08:40:00+00:00"}


def test_the_hour_of_a_paper_form_is_the_hour_it_was_filled_in(world: tuple[Eom, User]) -> None:
    e, clerk = world
    receive_clerk_entry(clerk, e.mission, _typed("uuid:paper-3"), channel="paper",
                        captured_at=datetime.fromisoformat(FILLED_IN))
    snapshot = freeze(e.manager, "voting", timezone.now())
    hours = figures(snapshot, form_versions(e.manager, "voting"))["breakdowns"]["hour"]
    assert list(hours) == ["09"]  # the mission's clock when it was filled in, not 15 (typed)
