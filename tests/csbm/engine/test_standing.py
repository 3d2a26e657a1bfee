"""On time, late or missing: a message against its deadline, and notifications (38) counted."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hofburg.csbm.engine.deadlines import (
    NotificationTally,
    Standing,
    is_late,
    notification_standing,
    standing,
    tally_notifications,
)
from hofburg.csbm.engine.rulesets import Ruleset
from tests.csbm.engine.support import START, make_activity

DUE = date(2025, 12, 15)
# VD 2011 (38): a notifiable activity is notified 42 days or more before it starts.
NOTIFY_BY = START - timedelta(days=42)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


def test_a_message_sent_on_its_deadline_is_on_time_and_one_a_day_later_late() -> None:
    assert standing(DUE, DUE, DUE) is Standing.ON_TIME
    assert standing(DUE - timedelta(days=30), DUE, DUE) is Standing.ON_TIME
    assert standing(DUE + timedelta(days=1), DUE, DUE + timedelta(days=1)) is Standing.LATE
    assert is_late(DUE + timedelta(days=1), DUE)
    assert not is_late(DUE, DUE)


def test_a_message_not_sent_is_missing_only_once_its_deadline_has_passed() -> None:
    assert standing(None, DUE, DUE - timedelta(days=1)) is Standing.NOT_DUE
    assert standing(None, DUE, DUE) is Standing.NOT_DUE
    assert standing(None, DUE, DUE + timedelta(days=1)) is Standing.MISSING


def test_a_message_without_a_deadline_is_never_late() -> None:
    assert not is_late(date(2100, 1, 1), None)


@given(sent_on=st.none() | days, due=days, today=days)
def test_a_sent_message_stands_as_it_was_sent_whatever_the_day(
        sent_on: date | None, due: date, today: date) -> None:
    found = standing(sent_on, due, today)
    if sent_on is None:
        assert found is (Standing.MISSING if today > due else Standing.NOT_DUE)
    else:
        assert found is (Standing.LATE if sent_on > due else Standing.ON_TIME)
        assert found is standing(sent_on, due, due + timedelta(days=3650))
        assert (found is Standing.LATE) == is_late(sent_on, due)


def test_a_notifiable_activity_is_judged_against_its_notification_time_limit(
        vd2011: Ruleset) -> None:
    on_time = make_activity(troops=14000, notified_on=NOTIFY_BY)
    late = make_activity(troops=14000, notified_on=NOTIFY_BY + timedelta(days=1))
    silent = make_activity(troops=14000)
    assert notification_standing(on_time, vd2011, START) is Standing.ON_TIME
    assert notification_standing(late, vd2011, START) is Standing.LATE
    assert notification_standing(silent, vd2011, NOTIFY_BY) is Standing.NOT_DUE
    assert notification_standing(silent, vd2011, NOTIFY_BY + timedelta(days=1)) is (
        Standing.MISSING)


def test_an_activity_below_the_thresholds_has_no_notification_to_judge(vd2011: Ruleset) -> None:
    small = make_activity(troops=500)
    assert notification_standing(small, vd2011, START) is None
    assert notification_standing(make_activity(troops=500, notified_on=START), vd2011,
                                 START) is None


def test_the_tally_counts_late_and_missing_and_names_them_in_order(vd2011: Ruleset) -> None:
    activities = [
        make_activity(id="silent", troops=14000),
        make_activity(id="small", troops=500),
        make_activity(id="kept", troops=14000, notified_on=NOTIFY_BY),
        make_activity(id="late", troops=14000, notified_on=START - timedelta(days=1)),
    ]
    assert tally_notifications(activities, vd2011, START) == NotificationTally(
        notifiable=3, late=1, missing=1, overdue=("silent", "late"))
    # Before the time limit, an activity not yet notified is neither late nor missing.
    assert tally_notifications(activities, vd2011, NOTIFY_BY - timedelta(days=1)) == (
        NotificationTally(notifiable=3, late=1, missing=0, overdue=("late",)))
    assert tally_notifications([], vd2011, START) == NotificationTally()
