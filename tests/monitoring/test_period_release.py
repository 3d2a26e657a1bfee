"""Public figures come by whole reporting period (decision 0035): a period is released, never
half-published, and a period not released reads "not yet released", never 0."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from hofburg.core.models import AuditEntry
from hofburg.monitoring import errors, report
from hofburg.monitoring.intake import release, workflow
from hofburg.monitoring.models import Event, EventStatus, PeriodRelease
from tests.conftest import Cast
from tests.monitoring.test_pages import REPORT_DATE, WHEN, crossing_pair, submit

pytestmark = pytest.mark.django_db
DAY = date.fromisoformat(REPORT_DATE)
DAY_BEFORE = DAY - timedelta(days=1)


def _ready(cast: Cast, event: Event) -> Event:
    """Verified with its observations, and public: ready for its period's release."""
    for observation in event.observations.all():
        workflow.verify_observation(cast.mona, observation)
    event = workflow.verify_event(cast.mona, event)
    return workflow.declassify_event(cast.mona, event, "cleared for the report")


def _two_periods(cast: Cast) -> tuple[Event, Event]:
    """An explosion of 3 in the period of DAY, a burst of 7 in the period before."""
    first, _ = crossing_pair(cast.mona)
    earlier = submit(cast.mona, "66666666-6666-4666-8666-666666666666", category="burst",
                     count=7, observed_at=(WHEN - timedelta(days=1)).isoformat())
    return (_ready(cast, Event.objects.get(pk=first.event_id)),
            _ready(cast, Event.objects.get(pk=earlier.event_id)))


def test_the_previous_period_reads_not_yet_released_instead_of_zero(cast: Cast) -> None:
    today, _before = _two_periods(cast)
    release.release_period(cast.mona, DAY)
    visitor = cast.client(None)

    home = visitor.get("/").content.decode()
    assert "not yet released" in home
    desk = visitor.get("/monitoring/").content.decode()
    assert "not yet released" in desk
    page = visitor.get(f"/monitoring/reports/{DAY}/").content.decode()
    assert "3 ceasefire violations, including 3 explosions (previous period: not yet " \
           "released)" in page
    assert "(previous period: 0)" not in page
    daily = report.build_daily_report(AnonymousUser(), DAY)
    assert (daily.total, daily.previous_total) == (3, None)
    # The day before is not in the public's list, and its page says why it has no figures.
    assert report.report_dates(AnonymousUser()) == [DAY]
    before = visitor.get(f"/monitoring/reports/{DAY_BEFORE}/").content.decode()
    assert "The figures of this period are not yet released." in before
    assert "No ceasefire violations were recorded" not in before
    # The entitled read every count, and whether the public may.
    inside = cast.client(cast.alice).get(f"/monitoring/reports/{DAY_BEFORE}/").content.decode()
    assert "Not yet released to the public." in inside
    assert report.build_daily_report(cast.alice, DAY).previous_total == 7

    release.release_period(cast.mona, DAY_BEFORE)
    assert report.build_daily_report(AnonymousUser(), DAY).previous_total == 7
    assert report.report_dates(AnonymousUser()) == [DAY, DAY_BEFORE]
    page = visitor.get(f"/monitoring/reports/{DAY}/").content.decode()
    assert "(previous period: 7)" in page
    assert today.report_date == DAY


def test_one_event_is_never_published_into_a_period_not_released(cast: Cast) -> None:
    today, _before = _two_periods(cast)
    with pytest.raises(errors.WorkflowError, match="release the whole period"):
        workflow.publish_event(cast.mona, today)
    today.refresh_from_db()
    assert today.status == EventStatus.VERIFIED
    assert report.build_daily_report(AnonymousUser(), DAY).total == 0
    assert not PeriodRelease.objects.exists()


def test_a_release_waits_for_every_public_event_and_observation_of_the_period(
        cast: Cast) -> None:
    first, _ = crossing_pair(cast.mona)
    event = workflow.declassify_event(cast.mona, Event.objects.get(pk=first.event_id),
                                      "cleared")
    readiness = release.period_readiness(DAY)
    assert (readiness.provisional, readiness.ready, readiness.blocked) == (1, 0, True)
    with pytest.raises(errors.WorkflowError, match="public events not verified: 1;"):
        release.release_period(cast.mona, DAY)
    workflow.verify_event(cast.mona, event)
    assert release.period_readiness(DAY).unverified_members == 1
    with pytest.raises(errors.WorkflowError, match=r"with observations not verified: 1$"):
        release.release_period(cast.mona, DAY)
    assert not PeriodRelease.objects.exists()
    event.refresh_from_db()
    assert event.status == EventStatus.VERIFIED

    for observation in event.observations.all():
        workflow.verify_observation(cast.mona, observation)
    release.release_period(cast.mona, DAY)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    entry = AuditEntry.objects.get(action="release")
    assert entry.actor == cast.mona and entry.after["published_events"] == 1
    with pytest.raises(errors.WorkflowError, match="released already"):
        release.release_period(cast.mona, DAY)


def test_a_restricted_event_neither_blocks_nor_joins_a_release(cast: Cast) -> None:
    first, _ = crossing_pair(cast.mona)  # restricted, provisional
    release.release_period(cast.mona, DAY)
    event = Event.objects.get(pk=first.event_id)
    assert event.status == EventStatus.PROVISIONAL
    daily = report.build_daily_report(AnonymousUser(), DAY)
    assert daily.figures_shown and daily.total == 0
    page = cast.client(None).get(f"/monitoring/reports/{DAY}/").content.decode()
    assert "No ceasefire violations were recorded in this period." in page


def test_withdrawing_a_release_takes_the_figures_back_with_the_reason(cast: Cast) -> None:
    today, _before = _two_periods(cast)
    release.release_period(cast.mona, DAY)
    assert report.build_daily_report(AnonymousUser(), DAY).total == 3
    with pytest.raises(errors.SubmissionInvalid):
        release.withdraw_release(cast.mona, DAY, " ")
    assert release.withdraw_release(cast.mona, DAY, "a location is in doubt") == 1
    today.refresh_from_db()
    assert today.status == EventStatus.VERIFIED
    assert not release.is_released(DAY)
    assert not report.build_daily_report(AnonymousUser(), DAY).figures_shown
    assert report.report_dates(AnonymousUser()) == []
    entry = AuditEntry.objects.filter(action="retract", model_label="monitoring.PeriodRelease"
                                      ).get()
    assert entry.after == {"reason": "a location is in doubt", "withdrawn_events": 1}


def test_only_mission_editors_release_and_visitors_find_no_release_page(cast: Cast) -> None:
    _two_periods(cast)
    assert cast.client(None).get(f"/monitoring/reports/{DAY}/release/").status_code == 302
    assert cast.client(cast.alice).post(f"/monitoring/reports/{DAY}/release/"
                                        ).status_code == 403
    assert not PeriodRelease.objects.exists()
    mona = cast.client(cast.mona)
    asked = mona.get(f"/monitoring/reports/{DAY}/release/").content.decode()
    assert "1 verified public event (3 violations at least) will be published" in asked
    assert mona.post(f"/monitoring/reports/{DAY}/release/").status_code == 302
    assert release.is_released(DAY)
    page = mona.get(f"/monitoring/reports/{DAY}/release/").content.decode()
    assert "Withdraw the release" in page


def test_the_public_trends_say_which_periods_are_not_yet_released(cast: Cast) -> None:
    _two_periods(cast)
    release.release_period(cast.mona, DAY)
    one_day = report.compare_ranges(AnonymousUser(), DAY, DAY)
    assert (one_day.total, one_day.previous_total, one_day.unreleased) == (3, None, 0)
    assert one_day.change_text == "—"
    page = cast.client(None).get("/monitoring/trends/", {"start": str(DAY), "end": str(DAY)})
    comparison = page.content.decode().split('class="card comparison"')[1]
    assert "not yet released" in comparison and ">0<" not in comparison
    two_days = report.compare_ranges(AnonymousUser(), DAY_BEFORE, DAY)
    assert (two_days.total, two_days.unreleased) == (3, 1)
    page = cast.client(None).get("/monitoring/trends/",
                                 {"start": str(DAY_BEFORE), "end": str(DAY)})
    assert "1 reporting period of this range is not yet released" in page.content.decode()
    # The entitled compare every count.
    inside = report.compare_ranges(cast.carol, DAY, DAY)
    assert (inside.total, inside.previous_total, inside.unreleased) == (3, 7, 0)
