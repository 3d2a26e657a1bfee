"""Exchanged data is restricted: the anonymous visitor and nick (no affiliation) see none of
it through any route or export, and a hidden record answers 404, never 403."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.test import Client

from hofburg.csbm import services
from hofburg.csbm.services import HoldingIn, UnitIn

pytestmark = pytest.mark.django_db

API = "/api/v1/csbm"


@pytest.fixture
def restricted(cast, states):
    services.submit_exchange(cast.alice, services.ExchangeSubmission(
        state="AT", year=2027, submitted_on=date(2026, 12, 1), units=[UnitIn("1. Brigade")],
        holdings=[HoldingIn("acvs", 9, unit="1. Brigade")]))
    activity = services.record_activity(cast.alice, services.ActivityRecord(
        state="AT", reference="secret-1", name="Restricted", start=date(2027, 6, 1),
        end=date(2027, 6, 9), details={"troops": 9500}))
    services.notify_activity(cast.alice, activity, sent_on=date(2027, 4, 1))
    services.submit_calendar(cast.alice, state="AT", year=2027, submitted_on=date(2026, 11, 1),
                             activities=[activity])
    services.request_visit(cast.bob, services.VisitRequest(
        kind="inspection", inspecting_state="FI", receiving_state="AT",
        requested_at=datetime(2027, 3, 1, tzinfo=UTC), on=date(2027, 3, 10)))
    request = services.open_risk_reduction_request(cast.bob, services.ExplanationRequest(
        requesting_state="FI", responding_state="AT", subject="x",
        requested_at=datetime(2027, 3, 1, tzinfo=UTC)))
    return [route.format(request=request.pk) for route in DETAILS]


LISTS = ["/activities", "/notifications", "/exchanges", "/calendars", "/visits",
         "/risk-reduction"]
DETAILS = ["/activities/AT/secret-1", "/exchanges/AT/2027", "/exchanges/AT/2027/export",
           "/risk-reduction/{request}"]


@pytest.mark.parametrize("who", ["anonymous", "nick"])
def test_outsiders_see_no_restricted_record_in_any_list(cast, restricted, who):
    client = cast.client(None if who == "anonymous" else cast.nick)
    for route in LISTS:
        assert client.get(API + route).json()["count"] == 0, route


@pytest.mark.parametrize("who", ["anonymous", "nick"])
def test_outsiders_get_404_for_restricted_records(cast, restricted, who):
    client = cast.client(None if who == "anonymous" else cast.nick)
    for route in restricted:
        response = client.get(API + route)
        assert response.status_code == 404, route


def test_outsiders_see_no_units_in_the_quota_board_or_exports(cast, restricted):
    board = Client().get(f"{API}/quota-board/2027").json()
    assert all(row["units_reported"] is None for row in board)
    export = Client().get(f"{API}/scorecard/2027/export", {"format": "csv"}).content.decode()
    rows = list(csv.DictReader(io.StringIO(export)))
    assert {r["exchange_status"] for r in rows} == {"not_published"}
    assert {r["late_or_missing_activities"] for r in rows} == {""}
    what_if = Client().get(f"{API}/what-if", {"changed_only": False}).json()
    assert what_if["summary"]["activities"] == 0


def test_entitled_users_see_the_restricted_records(cast, restricted):
    client = cast.client(cast.mona)
    for route in LISTS:
        assert client.get(API + route).json()["count"] >= 1, route
    for route in restricted:
        assert client.get(API + route).status_code == 200, route


def test_a_public_notification_of_a_restricted_activity_stays_hidden(cast, states):
    activity = services.record_activity(cast.alice, services.ActivityRecord(
        state="AT", reference="hidden", name="Hidden", start=date(2027, 6, 1),
        end=date(2027, 6, 9), details={"troops": 9500}))
    services.notify_activity(cast.alice, activity, sent_on=date(2027, 4, 1),
                             classification="public")
    assert Client().get(f"{API}/notifications").json()["count"] == 0
