"""The compliance scorecard: late and missing submissions, late notifications and breaches,
for every State in a constant number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hofburg.csbm import services
from hofburg.csbm.scorecard import Status, build_scorecard
from hofburg.csbm.services import UnitIn
from hofburg.registry.models import ParticipatingState

pytestmark = pytest.mark.django_db

AS_OF = date(2027, 11, 1)


def _row(rows, state):
    return next(r for r in rows if r.state == state)


def _exchange(state, submitted_on, **extra):
    return services.submit_exchange(None, services.ExchangeSubmission(
        state=state, year=2027, submitted_on=submitted_on, units=[UnitIn("1. Brigade")], **extra))


def test_an_exchange_sent_by_15_december_is_on_time_and_one_sent_later_is_late(cast, states):
    _exchange("AT", date(2026, 12, 15))
    _exchange("FI", date(2026, 12, 16))
    rows = build_scorecard(2027, cast.carol, as_of=AS_OF)
    assert _row(rows, "AT").exchange_status == Status.ON_TIME
    assert _row(rows, "FI").exchange_status == Status.LATE
    assert _row(rows, "PL").exchange_status == Status.MISSING
    assert _row(rows, "PL").exchange_due_on == date(2026, 12, 15)


def test_a_correction_does_not_make_an_exchange_late(cast, states):
    _exchange("AT", date(2026, 12, 1))
    _exchange("AT", date(2027, 2, 1))
    assert _row(build_scorecard(2027, cast.carol, as_of=AS_OF), "AT").exchange_status == (
        Status.ON_TIME)


def test_an_exchange_not_yet_due_is_not_missing(cast, states):
    rows = build_scorecard(2027, cast.carol, as_of=date(2026, 12, 1))
    assert _row(rows, "AT").exchange_status == Status.NOT_DUE


def test_a_declared_quota_that_differs_from_the_computed_one_is_flagged(cast, states):
    _exchange("AT", date(2026, 12, 1), declared_evaluation_quota=5)
    _exchange("FI", date(2026, 12, 1), declared_evaluation_quota=1)
    rows = build_scorecard(2027, cast.carol, as_of=AS_OF)
    assert _row(rows, "AT").declared_quota_mismatch is True
    assert _row(rows, "FI").declared_quota_mismatch is False


def test_late_and_missing_notifications_are_counted(cast, states):
    late = services.record_activity(None, services.ActivityRecord(
        state="AT", reference="late", name="Late", start=date(2027, 6, 1), end=date(2027, 6, 5),
        details={"troops": 9500}))
    services.notify_activity(None, late, sent_on=date(2027, 5, 20))
    services.record_activity(None, services.ActivityRecord(
        state="AT", reference="silent", name="Silent", start=date(2027, 7, 1),
        end=date(2027, 7, 5), details={"troops": 9500}))
    services.record_activity(None, services.ActivityRecord(
        state="AT", reference="small", name="Small", start=date(2027, 7, 1), end=date(2027, 7, 5),
        details={"troops": 500}))
    row = _row(build_scorecard(2027, cast.carol, as_of=AS_OF), "AT")
    assert (row.notifiable_activities, row.late_notifications, row.missing_notifications) == (
        2, 1, 1)
    assert set(row.late_activity_references) == {"late", "silent"}


def test_constraint_breaches_come_from_the_engine(cast, states):
    for n in (1, 2):
        services.record_activity(None, services.ActivityRecord(
            state="PL", reference=f"big-{n}", name="Big", start=date(2027, 3 * n, 1),
            end=date(2027, 3 * n, 9), details={"troops": 45000}))
    row = _row(build_scorecard(2027, cast.carol, as_of=AS_OF), "PL")
    assert "large_activities" in {b.rule for b in row.breaches}
    assert not row.clean


def test_an_anonymous_visitor_sees_not_published_rather_than_missing(cast, states):
    _exchange("AT", date(2026, 12, 1))
    _exchange("FI", date(2026, 12, 1), classification="public")
    rows = build_scorecard(2027, AnonymousUser(), as_of=AS_OF)
    assert _row(rows, "AT").exchange_status == Status.NOT_PUBLISHED
    assert _row(rows, "FI").exchange_status == Status.ON_TIME


def test_the_scorecard_takes_the_same_queries_for_five_states_as_for_fifty(cast, states):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            build_scorecard(2027, cast.carol, as_of=AS_OF)
        return len(captured.captured_queries)

    few = queries()
    for n in range(50):
        code = f"{'QX'[n // 26]}{chr(65 + n % 26)}"  # QA..QZ, XA..XX: no real State's code
        ParticipatingState.objects.create(iso2=code, iso3=f"X{n:02d}", numeric=f"{900 + n}",
                                          joined=date(1992, 1, 30), names={"en": code},
                                          source="test")
        _exchange(code, date(2026, 12, 1))
    assert queries() == few
