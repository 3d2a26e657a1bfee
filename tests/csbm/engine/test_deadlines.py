"""Deadlines and time limits, and what is due or overdue for a State at a date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hofburg.csbm.engine.deadlines import (
    Obligation,
    RiskReductionRequest,
    StateRecord,
    add_months,
    annual_calendar_deadline,
    annual_exchange_deadline,
    defence_planning_deadline,
    deployment_plans_deadline,
    due_items,
    evaluation_reply_deadline,
    evaluation_request_latest,
    inspection_entry_deadline,
    inspection_reply_deadline,
    large_activity_notice_deadline,
    observation_reply_deadline,
    risk_reduction_meeting_deadline,
    risk_reduction_reply_deadline,
)
from hofburg.csbm.engine.rulesets import NotDefinedError, Ruleset, load_ruleset
from tests.csbm.engine.support import ALL, make_activity

REQUESTED = datetime(2022, 2, 11, 9, 30, tzinfo=UTC)


def test_10_the_annual_exchange_valid_from_1_january_is_sent_by_15_december(
        vd2011: Ruleset) -> None:
    assert annual_exchange_deadline(2026, vd2011) == date(2025, 12, 15)
    assert deployment_plans_deadline(2026, vd2011) == date(2025, 12, 15)


def test_61_the_calendar_for_a_year_is_sent_by_15_november_before(vd2011: Ruleset) -> None:
    assert annual_calendar_deadline(2026, vd2011) == date(2025, 11, 15)


def test_70_a_large_activity_is_announced_by_15_november_two_years_before(
        vd2011: Ruleset) -> None:
    assert large_activity_notice_deadline(2026, vd2011) == date(2024, 11, 15)


def test_15_defence_planning_is_due_two_months_after_the_budget_is_approved(
        vd2011: Ruleset) -> None:
    assert defence_planning_deadline(date(2026, 3, 10), vd2011) == date(2026, 5, 10)
    assert defence_planning_deadline(date(2025, 12, 31), vd2011) == date(2026, 2, 28)


def test_16_a_request_for_explanation_is_answered_within_48_hours(vd2011: Ruleset) -> None:
    """Ukraine's request of 11 Feb 2022 (S17): "Russia has 48 hours to reply"."""
    assert risk_reduction_reply_deadline(REQUESTED, vd2011) == datetime(
        2022, 2, 13, 9, 30, tzinfo=UTC)
    assert risk_reduction_meeting_deadline(REQUESTED, vd2011) == REQUESTED + timedelta(hours=48)


def test_hour_limits_run_in_utc_from_transmission(vd2011: Ruleset) -> None:
    kyiv = timezone(timedelta(hours=2))
    sent = datetime(2022, 2, 11, 11, 30, tzinfo=kyiv)
    assert risk_reduction_reply_deadline(sent, vd2011) == datetime(
        2022, 2, 13, 9, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        risk_reduction_reply_deadline(datetime(2022, 2, 11, 9, 30), vd2011)


def test_inspection_and_evaluation_time_limits(vd2011: Ruleset) -> None:
    assert inspection_reply_deadline(REQUESTED, vd2011) == REQUESTED + timedelta(hours=24)
    assert inspection_entry_deadline(REQUESTED, vd2011) == REQUESTED + timedelta(hours=36)
    assert evaluation_reply_deadline(REQUESTED, vd2011) == REQUESTED + timedelta(hours=48)
    assert evaluation_request_latest(date(2026, 5, 20), vd2011) == date(2026, 5, 15)
    assert observation_reply_deadline(date(2026, 7, 1), vd2011) == date(2026, 7, 22)


def test_a_deadline_the_ruleset_does_not_define_says_so(tmp_path: Path) -> None:
    path = tmp_path / "bare.yaml"
    names = "".join(f"  {language}: Nothing but a title\n"
                    for language in ("en", "fr", "de", "it", "ru", "es"))
    path.write_text(f"id: bare\ntitle: Nothing but a title\nnames:\n{names}status: proposal\n",
                    encoding="utf-8")
    with pytest.raises(NotDefinedError,
                       match=r"calendar.deadline is not defined in this ruleset \(bare\)"):
        annual_calendar_deadline(2026, load_ruleset(path))


def test_add_months_keeps_the_day_or_falls_on_the_months_last() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2024, 5, 15), 60) == date(2029, 5, 15)


# -- what is due -----------------------------------------------------------------------------


EVERY_YEAR = frozenset(range(2000, 2061))


def record(**details: Any) -> StateRecord:
    """Austria, with every yearly exchange, plan and calendar sent unless said otherwise."""
    values: dict[str, Any] = {"state": "AT", "annual_exchanges": EVERY_YEAR,
                              "deployment_plans": EVERY_YEAR, "annual_calendars": EVERY_YEAR}
    values.update(details)
    return StateRecord(**values)


def due(record: StateRecord, at: Any, ruleset: Ruleset,
        **options: Any) -> dict[tuple[str, str], bool]:
    return {(i.obligation.value, i.subject): i.overdue
            for i in due_items(record, at, ruleset, **options)}


def test_the_annual_exchange_is_due_then_overdue(vd2011: Ruleset) -> None:
    missing = record(annual_exchanges=EVERY_YEAR - {2026})
    assert due(missing, date(2025, 12, 1), vd2011) == {("annual_exchange", "2026"): False}
    assert due(missing, date(2025, 12, 15), vd2011) == {("annual_exchange", "2026"): False}
    assert due(missing, date(2025, 12, 16), vd2011) == {("annual_exchange", "2026"): True}
    assert due(record(), date(2025, 12, 16), vd2011) == {}


def test_the_calendar_and_plans_are_listed_with_their_paragraphs(vd2011: Ruleset) -> None:
    nothing_for_2026 = record(annual_exchanges=EVERY_YEAR - {2026},
                              deployment_plans=EVERY_YEAR - {2026},
                              annual_calendars=EVERY_YEAR - {2026})
    items = due_items(nothing_for_2026, date(2025, 11, 1), vd2011)
    assert [(i.obligation, i.subject, i.due_on) for i in items] == [
        (Obligation.ANNUAL_CALENDAR, "2026", date(2025, 11, 15)),
    ]
    assert items[0].citations[0].paragraph == "(61)"
    later = due_items(nothing_for_2026, date(2025, 11, 20), vd2011)
    assert {(i.obligation, i.overdue) for i in later} == {
        (Obligation.ANNUAL_CALENDAR, True), (Obligation.ANNUAL_EXCHANGE, False),
        (Obligation.DEPLOYMENT_PLANS, False)}
    assert [i.citations[0].paragraph for i in later] == ["(61)", "(10)", "(13)-(14)"]


def test_notifications_of_the_states_activities_are_due(vd2011: Ruleset) -> None:
    exercise = make_activity(id="saber", troops=14000)  # starts 14 September 2026
    [item] = due_items(record(activities=(exercise,)), date(2026, 7, 20), vd2011)
    assert (item.obligation, item.subject, item.due_on, item.overdue) == (
        Obligation.NOTIFICATION, "saber", date(2026, 8, 3), False)
    assert "invite observers" in item.description
    assert due(record(activities=(exercise,)), date(2026, 8, 4), vd2011) == {
        ("notification", "saber"): True}
    notified = make_activity(id="saber", troops=14000, notified_on=date(2026, 8, 1))
    assert due(record(activities=(notified,)), date(2026, 8, 4), vd2011) == {}
    elsewhere = make_activity(id="saber", state="FI", troops=14000)
    assert due(record(activities=(elsewhere,)), date(2026, 8, 4), vd2011) == {}


def test_defence_planning_is_due_after_each_budget_approval(vd2011: Ruleset) -> None:
    approved = record(budget_approvals=(date(2026, 3, 10),))
    assert due(approved, date(2026, 5, 10), vd2011) == {("defence_planning", "2026-03-10"): False}
    assert due(approved, date(2026, 5, 11), vd2011) == {("defence_planning", "2026-03-10"): True}
    sent = record(budget_approvals=(date(2026, 3, 10),),
                  defence_planning_sent=frozenset({date(2026, 3, 10)}))
    assert due(sent, date(2026, 5, 11), vd2011) == {}


def test_16_a_reply_is_overdue_one_second_after_48_hours(vd2011: Ruleset) -> None:
    request = RiskReductionRequest(id="ua-ru-2022", requesting_state="UA",
                                   responding_state="RU", requested_at=REQUESTED)
    responder = record(state="RU", risk_reduction_requests=(request,))
    limit = REQUESTED + timedelta(hours=48)
    at_limit = due(responder, limit, vd2011)
    assert at_limit[("risk_reduction_reply", "ua-ru-2022")] is False
    after = due(responder, limit + timedelta(seconds=1), vd2011)
    assert after[("risk_reduction_reply", "ua-ru-2022")] is True
    requester = record(state="UA", risk_reduction_requests=(request,))
    assert ("risk_reduction_reply", "ua-ru-2022") not in due(requester, limit, vd2011)


def test_16_a_requested_meeting_is_due_for_both_states(vd2011: Ruleset) -> None:
    request = RiskReductionRequest(
        id="r1", requesting_state="UA", responding_state="RU", requested_at=REQUESTED,
        meeting_requested_at=REQUESTED + timedelta(hours=50))
    for state in ("UA", "RU"):
        involved = record(state=state, risk_reduction_requests=(request,))
        items = [i for i in due_items(involved, REQUESTED + timedelta(hours=60), vd2011)
                 if i.obligation is Obligation.RISK_REDUCTION_MEETING]
        assert [i.due_at for i in items] == [REQUESTED + timedelta(hours=98)]


def test_the_air_base_visit_is_due_five_years_after_the_last(vd2011: Ruleset) -> None:
    visited = record(last_air_base_visit=date(2021, 6, 1))
    assert due(visited, date(2026, 6, 1), vd2011) == {("air_base_visit", "2021-06-01"): False}
    assert due(visited, date(2026, 6, 2), vd2011) == {("air_base_visit", "2021-06-01"): True}


def test_a_naive_moment_is_refused(vd2011: Ruleset) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_items(StateRecord(state="AT"), datetime(2026, 1, 1), vd2011)


# -- boundaries generated from every ruleset -------------------------------------------------

@pytest.mark.parametrize("ruleset", [pytest.param(r, id=r.id) for r in ALL if r.count(
    "risk_reduction.reply_hours").value is not None])
def test_every_hour_limit_one_below_at_and_one_above(ruleset: Ruleset) -> None:
    hours = ruleset.count("risk_reduction.reply_hours").value
    assert hours is not None
    request = RiskReductionRequest(id="r", requesting_state="UA", responding_state="RU",
                                   requested_at=REQUESTED)
    responder = record(state="RU", risk_reduction_requests=(request,))
    key = ("risk_reduction_reply", "r")
    overdue = [due(responder, REQUESTED + timedelta(hours=h), ruleset)[key]
               for h in (hours - 1, hours, hours + 1)]
    assert overdue == [False, False, True]


@pytest.mark.parametrize("ruleset", [pytest.param(r, id=r.id) for r in ALL if r.count(
    "notification.lead_time_days").value is not None and r.count(
    "notification.thresholds.land_forces.troops").defined])
def test_every_notification_lead_time_one_below_at_and_one_above(ruleset: Ruleset) -> None:
    days = ruleset.count("notification.lead_time_days").value
    assert days is not None
    exercise = make_activity(id="x", troops=100000)
    planned = record(activities=(exercise,))
    deadline = exercise.start - timedelta(days=days)
    overdue = [due(planned, deadline + timedelta(days=d), ruleset)[("notification", "x")]
               for d in (-1, 0, 1)]
    assert overdue == [False, False, True]


# -- properties ------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
       ruleset=st.sampled_from(ALL))
def test_nothing_listed_is_due_beyond_the_horizon(day: date, ruleset: Ruleset) -> None:
    busy = StateRecord(state="AT", budget_approvals=(day - timedelta(days=40),),
                       last_air_base_visit=day - timedelta(days=1800))
    for item in due_items(busy, day, ruleset, horizon_days=30):
        assert item.overdue or item.due_on <= day + timedelta(days=30)
        assert item.overdue is (item.due_on < day)
