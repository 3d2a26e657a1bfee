"""The write path: each service stores what it is given, audits it, and refuses bad input
without changing anything."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from hofburg.core.access import AccessDenied
from hofburg.core.models import AuditEntry, LedgerEntry
from hofburg.core.services.ledger import verify_ledger
from hofburg.csbm import services
from hofburg.csbm.models import (
    Activity,
    AnnualCalendar,
    AnnualExchange,
    ExchangeHolding,
    ExchangeUnit,
    Notification,
)
from hofburg.csbm.rulesets import get_ruleset
from hofburg.csbm.services import CsbmError, HoldingIn, UnitIn

pytestmark = pytest.mark.django_db

UNITS = [UnitIn("1. Division", level="formation"),
         UnitIn("3. Mechanized Brigade", parent="1. Division", personnel=3200),
         UnitIn("4. Armoured Brigade", parent="1. Division", personnel=2900)]
HOLDINGS = [HoldingIn("battle_tanks", 44, "Type A", unit="4. Armoured Brigade"),
            HoldingIn("acvs", 120, "Type B", unit="3. Mechanized Brigade")]


def _exchange(actor, **changes):
    data = {"state": "AT", "year": 2027, "submitted_on": date(2026, 12, 10), "units": UNITS,
            "holdings": HOLDINGS, "declared_evaluation_quota": 1}
    data.update(changes)
    return services.submit_exchange(actor, services.ExchangeSubmission(**data))


def _activity(actor, reference="at-2027-1", **changes):
    data = {"state": "AT", "reference": reference, "name": "Exercise Alpine Shield",
            "start": date(2027, 6, 1), "end": date(2027, 6, 10), "troops": 9500,
            "battle_tanks": 100}
    data.update(changes)
    return services.record_activity(actor, services.ActivityRecord.from_fields(data))


def test_an_exchange_stores_units_with_their_subordination_and_holdings(cast, states):
    exchange = _exchange(cast.alice)
    assert exchange.units_reported == 2  # brigades, not the division (10.1.1)
    brigade = ExchangeUnit.objects.get(designation="3. Mechanized Brigade")
    assert brigade.parent is not None and brigade.parent.designation == "1. Division"
    assert ExchangeHolding.objects.get(category="battle_tanks").unit.designation == (
        "4. Armoured Brigade")
    assert exchange.classification == "restricted"
    assert exchange.owner_affiliation == cast.austria
    created = AuditEntry.objects.filter(model_label="csbm.AnnualExchange", action="create")
    assert created.count() == 1


def test_a_second_exchange_is_a_correction_that_supersedes_the_first(cast, states):
    first = _exchange(cast.alice)
    second = _exchange(cast.alice, submitted_on=date(2027, 1, 3), holdings=HOLDINGS[:1])
    first.refresh_from_db()
    assert (second.version, second.supersedes, second.is_current) == (2, first, True)
    assert first.is_current is False
    assert first.holdings.count() == 2 and second.holdings.count() == 1


def test_a_delegate_cannot_submit_another_states_exchange(cast, states):
    with pytest.raises(AccessDenied):
        _exchange(cast.bob)
    assert not AnnualExchange.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"state": "XX"}, "state"),
    ({"holdings": [HoldingIn("spaceships", 1)]}, "holdings[0].category"),
    ({"holdings": [HoldingIn("acvs", 1, unit="Nowhere")]}, "holdings[0].unit"),
    ({"units": [UnitIn("A"), UnitIn("A")]}, "units[1].designation"),
    ({"units": [UnitIn("A", parent="B")]}, "units[0].parent"),
    ({"is_nil": True}, "is_nil"),
])
def test_a_bad_exchange_is_refused_naming_the_field_and_nothing_is_stored(cast, states, changes,
                                                                          field):
    with pytest.raises(CsbmError) as refused:
        _exchange(cast.alice, **changes)
    assert refused.value.field == field
    assert not AnnualExchange.objects.exists() and not ExchangeUnit.objects.exists()


def test_an_activity_is_recorded_and_audited(cast, states):
    activity = _activity(cast.alice)
    assert activity.state_id == "AT" and activity.troops == 9500
    assert AuditEntry.objects.filter(model_label="csbm.Activity", object_id=str(activity.pk)
                                     ).exists()


def test_an_activity_that_ends_before_it_starts_is_refused(cast, states):
    with pytest.raises(CsbmError) as refused:
        _activity(cast.alice, end=date(2027, 5, 1))
    assert refused.value.field == "end"
    assert not Activity.objects.exists()


def test_an_activity_record_takes_its_own_fields_by_name_and_the_rest_as_details():
    record = services.ActivityRecord.from_fields(
        {"state": "AT", "reference": "r", "name": "n", "start": date(2027, 6, 1),
         "end": date(2027, 6, 2), "is_exercise": True, "troops": 9500, "status": "conducted"})
    assert (record.state, record.reference, record.is_exercise, record.type) == (
        "AT", "r", True, "land")
    assert record.details == {"troops": 9500, "status": "conducted"}
    with pytest.raises(TypeError, match="'name' is a field of its own"):
        services.ActivityRecord(state="AT", reference="r", name="n", start=date(2027, 6, 1),
                                end=date(2027, 6, 2), details={"name": "other"})


def test_a_detail_that_is_not_a_field_of_an_activity_is_refused(cast, states):
    with pytest.raises(CsbmError) as refused:
        _activity(cast.alice, notified_on=date(2027, 4, 1))
    assert refused.value.field == "notified_on"
    assert not Activity.objects.exists()


def test_a_duplicate_reference_is_refused(cast, states):
    _activity(cast.alice)
    with pytest.raises(CsbmError) as refused:
        _activity(cast.alice)
    assert refused.value.field == "reference"


def test_updating_an_activity_keeps_the_before_and_after(cast, states):
    activity = _activity(cast.alice)
    services.update_activity(cast.alice, activity, troops=12000)
    entry = AuditEntry.objects.filter(model_label="csbm.Activity", action="update").get()
    assert (entry.before["troops"], entry.after["troops"]) == (9500, 12000)


def test_notifying_builds_the_content_blocks_and_appends_to_the_ledger(cast, states):
    activity = _activity(cast.alice)
    notification = services.notify_activity(cast.alice, activity, sent_on=date(2027, 4, 1))
    assert set(notification.content) == {"A", "B", "C", "D"}
    assert notification.content["B"]["troops"] == 9500
    assert notification.notifiable is True and notification.notify_by == date(2027, 4, 20)
    assert notification.is_late is False
    assert notification.ledger_entry.kind == services.LEDGER_KIND_NOTIFICATION
    assert verify_ledger() == []
    activity.refresh_from_db()
    assert activity.notified_on == date(2027, 4, 1)


def test_a_notification_sent_after_the_due_date_is_late(cast, states):
    activity = _activity(cast.alice)
    assert services.notify_activity(cast.alice, activity, sent_on=date(2027, 5, 1)).is_late


def test_a_correction_is_a_new_version_and_needs_a_reason(cast, states):
    activity = _activity(cast.alice)
    first = services.notify_activity(cast.alice, activity, sent_on=date(2027, 4, 1))
    with pytest.raises(CsbmError) as refused:
        services.notify_activity(cast.alice, activity, sent_on=date(2027, 4, 5))
    assert refused.value.field == "correction_reason"
    services.update_activity(cast.alice, activity, troops=9800)
    second = services.notify_activity(cast.alice, activity, sent_on=date(2027, 4, 5),
                                      correction_reason="troop figure revised")
    first.refresh_from_db()
    assert (second.version, second.supersedes, first.is_current) == (2, first, False)
    assert second.content["B"]["troops"] == 9800
    assert LedgerEntry.objects.count() == 2
    activity.refresh_from_db()
    assert activity.notified_on == date(2027, 4, 1)  # the first notification counts


def test_a_calendar_marks_its_activities_as_in_the_calendar(cast, states):
    activity = _activity(cast.alice)
    calendar = services.submit_calendar(cast.alice, state="AT", year=2027,
                                        submitted_on=date(2026, 11, 10), activities=[activity])
    activity.refresh_from_db()
    assert activity.in_calendar_on == date(2026, 11, 10)
    assert not calendar.is_nil
    nil = services.submit_calendar(cast.alice, state="AT", year=2027,
                                   submitted_on=date(2026, 11, 20))
    assert nil.version == 2 and nil.is_nil
    assert AnnualCalendar.objects.filter(is_current=True).get() == nil


def test_a_calendar_may_only_list_the_states_own_activities_of_the_year(cast, states):
    activity = _activity(cast.alice, start=date(2028, 1, 5), end=date(2028, 1, 9))
    with pytest.raises(CsbmError):
        services.submit_calendar(cast.alice, state="AT", year=2027,
                                 submitted_on=date(2026, 11, 10), activities=[activity])


def test_a_visit_is_requested_and_its_outcome_recorded_by_the_secretariat(cast, states):
    exchange = _exchange(cast.alice)
    unit = exchange.units.get(designation="3. Mechanized Brigade")
    visit = services.request_visit(cast.bob, services.VisitRequest(
        kind="evaluation", inspecting_state="FI", receiving_state="AT",
        requested_at=datetime(2027, 3, 1, 9, tzinfo=UTC), on=date(2027, 3, 20), unit=unit))
    assert visit.unit_designation == "3. Mechanized Brigade"
    done = services.record_visit_outcome(cast.carol, visit, outcome="conducted")
    assert done.outcome == "conducted" and done.outcome_recorded_at is not None
    with pytest.raises(AccessDenied):
        services.record_visit_outcome(cast.nick, visit, outcome="conducted")


def test_a_state_cannot_inspect_itself(cast, states):
    with pytest.raises(CsbmError):
        services.request_visit(cast.alice, services.VisitRequest(
            kind="inspection", inspecting_state="AT", receiving_state="AT", on=date(2027, 3, 20),
            requested_at=datetime(2027, 3, 1, tzinfo=UTC)))


def test_a_risk_reduction_request_starts_the_reply_and_meeting_clocks(cast, states):
    asked = datetime(2027, 2, 10, 12, tzinfo=UTC)
    request = services.open_risk_reduction_request(cast.bob, services.ExplanationRequest(
        requesting_state="FI", responding_state="AT", subject="Unusual activity",
        requested_at=asked))
    hours = get_ruleset("vd2011").count("risk_reduction.reply_hours").value
    assert request.reply_due_at == asked + timedelta(hours=hours)
    replied = services.record_reply(cast.alice, request, replied_at=asked + timedelta(hours=20),
                                    reply="A routine exercise.")
    assert replied.replied_at is not None
    met = services.record_meeting(cast.carol, replied, requested_at=asked + timedelta(hours=30))
    assert met.meeting_due_at is not None and met.meeting_due_at > met.meeting_requested_at
    with pytest.raises(CsbmError):
        services.record_reply(cast.alice, met, replied_at=asked + timedelta(hours=40), reply="x")


def test_clock_times_must_carry_a_time_zone(cast, states):
    with pytest.raises(CsbmError) as refused:
        services.open_risk_reduction_request(cast.bob, services.ExplanationRequest(
            requesting_state="FI", responding_state="AT", subject="x",
            requested_at=datetime(2027, 2, 10, 12)))
    assert refused.value.field == "requested_at"
    assert not Notification.objects.exists()
