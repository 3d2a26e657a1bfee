"""Chapter VIII constraining provisions over a State's activities, paragraph by paragraph."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hofburg.csbm.engine.activities import Activity, ActivityType
from hofburg.csbm.engine.classify import size_exceeds
from hofburg.csbm.engine.constraints import ConstraintReport, check_constraints
from hofburg.csbm.engine.rulesets import Ruleset
from tests.csbm.engine.support import ALL, RULESETS, make_activity

ON_TIME = {"announced_on": date(2000, 1, 1), "in_calendar_on": date(2000, 1, 1)}


def large(n: int, year: int, **details: Any) -> Activity:
    """A notifiable activity above 40,000 troops, announced and in the calendar in time."""
    start = date(year, 3 + n, 1)
    values = {"id": f"large-{year}-{n}", "troops": 45000, "start": start,
              "end": start + timedelta(days=10), **ON_TIME, **details}
    return make_activity(**values)


def medium(n: int, troops: int = 15000, year: int = 2026, **details: Any) -> Activity:
    """A notifiable activity of `troops`, each in its own fortnight of the year."""
    start = date(year, 1, 1) + timedelta(days=14 * n)
    values = {"id": f"medium-{n}", "troops": troops, "start": start,
              "end": start + timedelta(days=5), "in_calendar_on": date(year - 1, 11, 1),
              **details}
    return make_activity(**values)


def rules(report: ConstraintReport) -> list[str]:
    return [b.rule for b in report.breaches]


def test_67_two_large_activities_within_three_calendar_years_breach(vd2011: Ruleset) -> None:
    report = check_constraints([large(1, 2026), large(2, 2028)], vd2011)
    [breach] = report.breaches
    assert (breach.rule, breach.paragraph, breach.period) == ("large_activities", "(67)",
                                                              "2026-2028")
    assert breach.activities == ("large-2026-1", "large-2028-2")


def test_67_large_activities_three_calendar_years_apart_are_kept(vd2011: Ruleset) -> None:
    assert check_constraints([large(1, 2026), large(2, 2029)], vd2011).kept


def test_67_three_large_activities_in_a_row_are_one_breach_not_three(vd2011: Ruleset) -> None:
    report = check_constraints([large(1, 2026), large(2, 2027), large(3, 2028)], vd2011)
    assert rules(report) == ["large_activities"]
    assert len(report.breaches[0].activities) == 3


def test_67_40000_troops_exactly_is_not_large(vd2011: Ruleset) -> None:
    """Chapter VIII says "more than"."""
    assert check_constraints([large(1, 2026, troops=40000), large(2, 2027, troops=40000)],
                             vd2011).kept


def test_68_seven_medium_activities_in_a_year_breach(vd2011: Ruleset) -> None:
    report = check_constraints([medium(n) for n in range(7)], vd2011)
    assert rules(report) == ["medium_activities"]
    assert report.breaches[0].paragraph == "(68)"
    assert len(report.breaches[0].activities) == 7
    assert check_constraints([medium(n) for n in range(6)], vd2011).kept


def test_68_a_large_activity_is_not_counted_among_the_medium_ones(vd2011: Ruleset) -> None:
    activities = [medium(n) for n in range(6)] + [large(9, 2026)]
    assert "medium_activities" not in rules(check_constraints(activities, vd2011))


def test_68_13000_troops_exactly_is_not_medium(vd2011: Ruleset) -> None:
    assert check_constraints([medium(n, troops=13000) for n in range(7)], vd2011).kept


def test_68_1_four_activities_over_25000_troops_in_a_year_breach(vd2011: Ruleset) -> None:
    report = check_constraints([medium(n, troops=26000) for n in range(4)], vd2011)
    assert rules(report) == ["medium_upper"]
    assert report.breaches[0].paragraph == "(68.1)"
    assert check_constraints([medium(n, troops=26000) for n in range(3)], vd2011).kept


def test_68_1_battle_tanks_count_too(vd2011: Ruleset) -> None:
    report = check_constraints([medium(n, troops=0, battle_tanks=401) for n in range(4)], vd2011)
    assert rules(report) == ["medium_upper"]


def test_69_four_activities_over_13000_at_the_same_time_breach(vd2011: Ruleset) -> None:
    overlapping = [make_activity(id=f"a{n}", troops=14000, start=date(2026, 5, 1 + n),
                                 end=date(2026, 5, 20), in_calendar_on=date(2025, 11, 1))
                   for n in range(4)]
    report = check_constraints(overlapping, vd2011)
    [breach] = report.breaches
    assert (breach.rule, breach.paragraph) == ("simultaneous", "(69)")
    assert breach.period == "2026-05-04/2026-05-20"
    assert check_constraints(overlapping[:3], vd2011).kept


def test_69_activities_one_after_another_are_not_simultaneous(vd2011: Ruleset) -> None:
    one_after_another = [medium(n, troops=14000) for n in range(4)]
    assert check_constraints(one_after_another, vd2011).kept


def test_70_a_large_activity_not_announced_two_years_ahead_breaches(vd2011: Ruleset) -> None:
    late = large(1, 2026, announced_on=date(2024, 11, 16))
    report = check_constraints([late], vd2011)
    assert rules(report) == ["advance_notice", "calendar_inclusion"]
    assert report.breaches[0].paragraph == "(70)"
    assert "2024-11-15" in report.breaches[0].message


def test_70_announced_on_the_deadline_is_in_time(vd2011: Ruleset) -> None:
    assert check_constraints([large(1, 2026, announced_on=date(2024, 11, 15))], vd2011).kept


def test_71_a_large_activity_not_in_the_calendar_may_not_be_carried_out(vd2011: Ruleset) -> None:
    report = check_constraints([large(1, 2026, in_calendar_on=None)], vd2011)
    [breach] = report.breaches
    assert (breach.rule, breach.paragraph) == ("calendar_inclusion", "(71)")
    assert "not in the annual calendar by 2025-11-15" in breach.message


def test_70_71_a_deadline_still_to_come_is_not_a_breach_yet(vd2011: Ruleset) -> None:
    planned = large(1, 2030, announced_on=None, in_calendar_on=None)
    assert check_constraints([planned], vd2011, as_of=date(2026, 1, 1)).kept
    assert not check_constraints([planned], vd2011, as_of=date(2028, 11, 16)).kept


def test_61_a_notifiable_activity_outside_the_calendar_is_an_advisory(vd2011: Ruleset) -> None:
    report = check_constraints([medium(0, in_calendar_on=None)], vd2011)
    assert report.kept
    [advisory] = report.advisories
    assert (advisory.rule, advisory.paragraph) == ("calendar_omission", "(72)")


def test_below_threshold_activities_are_not_counted(vd2011: Ruleset) -> None:
    assert check_constraints([medium(n, troops=100) for n in range(10)], vd2011).kept


def test_each_state_is_judged_on_its_own_activities(vd2011: Ruleset) -> None:
    mixed = [large(1, 2026, state="AT"), large(2, 2027, state="FI")]
    assert check_constraints(mixed, vd2011).kept
    report = check_constraints([*mixed, large(3, 2028, state="FI")], vd2011)
    assert [b.state for b in report.breaches] == ["FI"]


def test_vd_plus_a_year_without_any_notified_activity_is_an_advisory(vdplus: Ruleset) -> None:
    quiet = make_activity(troops=100)
    report = check_constraints([quiet], vdplus, years=[2026])
    assert [a.rule for a in report.advisories] == ["sub_threshold_notification"]
    notified = make_activity(troops=100, notified_on=date(2026, 8, 1))
    assert not check_constraints([notified], vdplus, years=[2026]).advisories


def test_breaches_cite_their_paragraphs_and_labels(vd2011: Ruleset) -> None:
    report = check_constraints([large(1, 2026), large(2, 2027)], vd2011)
    cited = report.breaches[0].citations
    assert {c.paragraph for c in cited} == {"(67)"}
    assert all("unconfirmed" in str(c) for c in cited)


# -- boundaries generated from every ruleset -------------------------------------------------

BANDS = ("constraints.large", "constraints.medium", "constraints.medium_upper",
         "constraints.simultaneous")


def _band_cases() -> list[Any]:
    return [pytest.param(r, band, measure, id=f"{r.id}:{band}.{measure}")
            for r in ALL for band in BANDS for measure in ("troops", "battle_tanks")
            if r.count(f"{band}.{measure}").value is not None]


@pytest.mark.parametrize(("ruleset", "band", "measure"), _band_cases())
def test_every_band_one_below_at_and_one_above(ruleset: Ruleset, band: str,
                                               measure: str) -> None:
    figure = ruleset.count(f"{band}.{measure}").value
    assert figure is not None
    operator = ruleset.operator("constraints.operator").value
    assert operator is not None
    found = [size_exceeds(make_activity(**{measure: n}), ruleset, band)
             for n in (figure - 1, figure, figure + 1)]
    assert found == [operator.holds(n, figure) for n in (figure - 1, figure, figure + 1)]
    assert found[0] is False and found[2] is True


def _limit_cases() -> list[Any]:
    return [pytest.param(r, id=r.id) for r in ALL
            if r.count("constraints.medium.max_per_year").value is not None
            and r.count("constraints.medium.troops").value is not None
            and r.count("notification.thresholds.land_forces.troops").defined]


@pytest.mark.parametrize("ruleset", _limit_cases())
def test_every_yearly_limit_one_below_at_and_one_above(ruleset: Ruleset) -> None:
    most = ruleset.count("constraints.medium.max_per_year").value
    troops = ruleset.count("constraints.medium.troops").value
    assert most is not None and troops is not None
    for n, breached in ((most - 1, False), (most, False), (most + 1, True)):
        activities = [medium(i, troops=troops + 1, divisional_structure=True) for i in range(n)]
        report = check_constraints(activities, ruleset)
        assert ("medium_activities" in rules(report)) is breached


# -- properties ------------------------------------------------------------------------------


@st.composite
def programmes(draw: st.DrawFn) -> list[Activity]:
    activities = []
    for n in range(draw(st.integers(0, 9))):
        start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 3 * 365)))
        activities.append(Activity(
            id=f"a{n}", state=draw(st.sampled_from(["AT", "FI"])), type=ActivityType.LAND,
            start=start, end=start + timedelta(days=draw(st.integers(0, 40))),
            troops=draw(st.integers(0, 60000)), battle_tanks=draw(st.integers(0, 1200)),
            in_calendar_on=date(2020, 1, 1), announced_on=date(2020, 1, 1)))
    return activities


@settings(max_examples=100, deadline=None)
@given(activities=programmes(), extra=programmes())
def test_adding_activities_never_clears_a_breach(activities: list[Activity],
                                                 extra: list[Activity]) -> None:
    ruleset = RULESETS["vd2011"]
    renamed = [replace(a, id=f"x{a.id}") for a in extra]
    before = check_constraints(activities, ruleset)
    after = check_constraints([*activities, *renamed], ruleset)
    involved_before = {(b.rule, i) for b in before.breaches for i in b.activities}
    involved_after = {(b.rule, i) for b in after.breaches for i in b.activities}
    assert involved_before <= involved_after
