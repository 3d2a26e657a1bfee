"""Classifying activities: one test per rule citing its paragraph, boundaries generated from
every ruleset's data, and properties (raising a number never takes an obligation away)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hofburg.csbm.engine.activities import Activity, ActivityError, ActivityType, Phase
from hofburg.csbm.engine.classify import (
    NOTIFICATION,
    OBSERVATION,
    Classification,
    ThresholdResult,
    check_threshold,
    classify,
)
from hofburg.csbm.engine.rulesets import Provision, Ruleset
from hofburg.csbm.engine.terms import Category, Confidence, Measure, Operator
from tests.csbm.engine.support import AGREED, ALL, START, make_activity

# The activity type that exercises each category's thresholds.
TYPE_FOR = {
    Category.LAND_FORCES: ActivityType.LAND,
    Category.LANDING: ActivityType.AMPHIBIOUS,
    # A concentration: (47.3) observes transferred forces there, not on arrival.
    Category.TRANSFER: ActivityType.CONCENTRATION,
    Category.AIR: ActivityType.AIR,
}


def check_for(found: Classification, chapter: str, key: str) -> ThresholdResult:
    [check] = [c for c in found.checks if c.chapter == chapter and c.provision.key == key]
    return check.result


# -- Chapter V: prior notification --------------------------------------------------------


def test_40_1_1_a_land_forces_exercise_of_9000_troops_is_notifiable(vd2011: Ruleset) -> None:
    found = classify(make_activity(troops=9000, brigades_or_regiments=3), vd2011)
    assert found.notifiable
    assert [c.measure for c in found.thresholds_crossed[NOTIFICATION]] == [Measure.TROOPS]
    assert found.thresholds_crossed[OBSERVATION] == []


def test_40_1_1_8999_troops_is_not_notifiable(vd2011: Ruleset) -> None:
    assert not classify(make_activity(troops=8999), vd2011).notifiable


@pytest.mark.parametrize(("measure", "count"), [
    ("battle_tanks", 250), ("acvs", 500), ("artillery", 250)])
def test_40_1_1_any_one_equipment_threshold_is_enough(vd2011: Ruleset, measure: str,
                                                      count: int) -> None:
    assert classify(make_activity(**{measure: count}), vd2011).notifiable
    assert not classify(make_activity(**{measure: count - 1}), vd2011).notifiable


def test_40_1_1_fewer_than_two_brigades_and_no_division_do_not_count(vd2011: Ruleset) -> None:
    found = classify(make_activity(troops=20000, brigades_or_regiments=1,
                                   divisional_structure=False), vd2011)
    assert not found.notifiable
    assert not found.observable
    assert any("do not apply" in note for note in found.notes)


def test_40_1_1_a_divisional_structure_counts_whatever_the_brigades(vd2011: Ruleset) -> None:
    found = classify(make_activity(troops=9000, brigades_or_regiments=1,
                                   divisional_structure=True), vd2011)
    assert found.notifiable


def test_40_1_1_an_unknown_organization_is_taken_to_qualify_and_says_so(vd2011: Ruleset) -> None:
    found = classify(make_activity(troops=9000), vd2011)
    assert found.notifiable
    assert any("organization of the land forces is not given" in n for n in found.notes)


def test_40_1_1_the_maximum_over_phases_counts_not_the_sum(vd2011: Ruleset) -> None:
    phases = [
        Phase("deployment", date(2026, 9, 1), date(2026, 9, 5), {Measure.TROOPS: 6000}),
        Phase("active", date(2026, 9, 6), date(2026, 9, 12), {Measure.TROOPS: 8000}),
    ]
    activity = Activity.from_phases(phases, id="phased", state="AT", type=ActivityType.LAND)
    assert (activity.troops, activity.start, activity.end) == (
        8000, date(2026, 9, 1), date(2026, 9, 12))
    assert not classify(activity, vd2011).notifiable


def test_40_1_2_an_air_component_of_200_sorties_is_included(vd2011: Ruleset) -> None:
    assert classify(make_activity(troops=9000, sorties=200), vd2011).air_component_included
    assert not classify(make_activity(troops=9000, sorties=199), vd2011).air_component_included
    # sorties alone do not make a land activity notifiable
    assert not classify(make_activity(sorties=5000), vd2011).notifiable


def test_40_1_2_an_air_activity_on_its_own_has_no_threshold_in_vd2011(vd2011: Ruleset) -> None:
    found = classify(make_activity(type=ActivityType.AIR, sorties=5000), vd2011)
    assert not found.notifiable
    assert any("no notification threshold for air activities" in n for n in found.not_defined)
    assert any("air component of 200" in n for n in found.notes)


def test_40_2_1_a_parachute_assault_of_3000_troops_is_notifiable(vd2011: Ruleset) -> None:
    assert classify(make_activity(type=ActivityType.AIRBORNE, troops=3000), vd2011).notifiable
    assert not classify(make_activity(type=ActivityType.AIRBORNE, troops=2999), vd2011).notifiable


def test_40_2_1_a_landing_inside_a_land_exercise_is_notifiable_in_its_own_right(
        vd2011: Ruleset) -> None:
    found = classify(make_activity(troops=5000, airborne_troops=3000), vd2011)
    assert found.notifiable
    assert [c.category for c in found.thresholds_crossed[NOTIFICATION]] == [Category.LANDING]


def test_40_3_a_transfer_uses_the_land_thresholds(vd2011: Ruleset) -> None:
    transfer = make_activity(type=ActivityType.TRANSFER, battle_tanks=250)
    assert classify(transfer, vd2011).notifiable


def test_38_notification_is_due_42_days_before_the_start(vd2011: Ruleset) -> None:
    found = classify(make_activity(troops=9000), vd2011)
    assert found.notify_by == START - timedelta(days=42)
    [cited] = found.citations["notify_by"]
    assert (cited.paragraph, cited.confidence, cited.sources) == (
        "(38)", Confidence.SECONDARY, ("S13",))


def test_41_an_alert_activity_is_notified_when_the_troops_begin(vd2011: Ruleset) -> None:
    found = classify(make_activity(troops=9000, without_advance_notice=True), vd2011)
    assert found.notify_by == START
    assert found.citations["notify_by"][0].paragraph == "(41)"


def test_a_below_threshold_activity_has_no_dates(vd2011: Ruleset) -> None:
    found = classify(make_activity(troops=100), vd2011)
    assert (found.notify_by, found.invite_by, found.calendar_by) == (None, None, None)
    assert not found.calendar_required


# -- Chapter VI: observation ---------------------------------------------------------------


def test_47_4_13000_troops_are_observed_and_invited_42_days_ahead(vd2011: Ruleset) -> None:
    found = classify(make_activity(troops=13000), vd2011)
    assert found.observable
    assert found.invite_by == START - timedelta(days=42)
    assert not classify(make_activity(troops=12999), vd2011).observable


def test_47_4_a_landing_is_observed_from_3500_troops(vd2011: Ruleset) -> None:
    assert classify(make_activity(type=ActivityType.AMPHIBIOUS, troops=3500), vd2011).observable
    assert not classify(make_activity(type=ActivityType.AMPHIBIOUS, troops=3499),
                        vd2011).observable


def test_47_4_zapad_2017_as_declared_is_notifiable_but_not_observed(vd2011: Ruleset) -> None:
    """S15: 12,700 troops and 200 artillery systems, under the observation thresholds."""
    zapad = make_activity(id="zapad-2017", state="BY", start=date(2017, 9, 14),
                          end=date(2017, 9, 20), troops=12700, artillery=200)
    found = classify(zapad, vd2011)
    assert found.notifiable
    assert not found.observable


def test_47_5_an_alert_activity_is_observed_only_beyond_72_hours(vd2011: Ruleset) -> None:
    alert = {"troops": 20000, "without_advance_notice": True}
    assert not classify(make_activity(duration_hours=72, **alert), vd2011).observable
    assert classify(make_activity(duration_hours=73, **alert), vd2011).observable


def test_47_5_without_hours_the_dates_bound_an_alert_activitys_length(vd2011: Ruleset) -> None:
    alert = {"troops": 20000, "without_advance_notice": True}
    short = classify(make_activity(end=START + timedelta(days=2), **alert), vd2011)
    assert not short.observable and not short.observation_undetermined  # at most 72 h
    unclear = classify(make_activity(end=START + timedelta(days=3), **alert), vd2011)
    assert not unclear.observable and unclear.observation_undetermined
    long = classify(make_activity(end=START + timedelta(days=5), **alert), vd2011)
    assert long.observable  # at least 96 h


def test_47_5_no_invitation_time_limit_is_defined_for_alert_activities(vd2011: Ruleset) -> None:
    found = classify(make_activity(troops=20000, without_advance_notice=True,
                                   duration_hours=100), vd2011)
    assert found.observable
    assert found.invite_by is None


# -- Chapters VII and VIII seen from one activity -------------------------------------------


def test_61_a_notifiable_activity_belongs_in_the_calendar_sent_by_15_november_before(
        vd2011: Ruleset) -> None:
    found = classify(make_activity(troops=9000), vd2011)
    assert found.calendar_required
    assert found.calendar_by == date(2025, 11, 15)


def test_70_an_activity_over_40000_troops_is_announced_two_years_ahead(vd2011: Ruleset) -> None:
    assert classify(make_activity(troops=40001), vd2011).advance_notice_by == date(2024, 11, 15)
    assert classify(make_activity(troops=40000), vd2011).advance_notice_by is None
    assert classify(make_activity(battle_tanks=901), vd2011).advance_notice_by == date(
        2024, 11, 15)


# -- other rulesets --------------------------------------------------------------------------


def test_vd_plus_notes_the_sub_threshold_notification(vdplus: Ruleset, vd2011: Ruleset) -> None:
    assert any("VD Plus" in n for n in classify(make_activity(troops=100), vdplus).notes)
    assert not any("VD Plus" in n for n in classify(make_activity(troops=100), vd2011).notes)


def test_2019_proposal_a_count_inside_the_reported_range_is_undetermined(
        joint_2019: Ruleset) -> None:
    inside = classify(make_activity(troops=4500), joint_2019)
    assert not inside.notifiable
    assert inside.notification_undetermined
    assert inside.notify_by is None
    assert any("if the final figures make it notifiable" in n for n in inside.notes)
    assert classify(make_activity(troops=5000), joint_2019).notifiable
    assert not classify(make_activity(troops=3999), joint_2019).notification_undetermined


def test_2019_proposal_zapad_2017_would_have_been_observed(joint_2019: Ruleset) -> None:
    zapad = make_activity(troops=12700, artillery=200, start=date(2017, 9, 14),
                          end=date(2017, 9, 20))
    found = classify(zapad, joint_2019)
    assert found.observable
    assert found.proposal
    assert any("is a proposal" in n for n in found.notes)


def test_2019_proposal_tanks_lowered_without_figure_are_not_defined(joint_2019: Ruleset) -> None:
    found = classify(make_activity(battle_tanks=240), joint_2019)
    assert not found.notifiable
    assert found.notification_undetermined
    assert any(n.startswith("notification.thresholds.land_forces.battle_tanks is not defined "
                            "in this ruleset") for n in found.not_defined)


def test_2016_proposal_cannot_say_whether_anything_is_notifiable(proposal_2016: Ruleset) -> None:
    found = classify(make_activity(troops=8000), proposal_2016)
    assert not found.notifiable
    assert found.notification_undetermined
    assert len(found.not_defined) == 4


def test_an_activity_with_impossible_numbers_is_refused() -> None:
    with pytest.raises(ActivityError):
        make_activity(troops=-1)
    with pytest.raises(ActivityError):
        make_activity(end=START - timedelta(days=1))


# -- boundaries generated from every ruleset's data -----------------------------------------

def _threshold_cases() -> list[Any]:
    cases = []
    for ruleset in ALL:
        for chapter in (NOTIFICATION, OBSERVATION):
            for provision in ruleset:
                prefix = f"{chapter}.thresholds."
                if not provision.key.startswith(prefix) or not provision.defined:
                    continue
                category, measure = provision.key.removeprefix(prefix).split(".")
                cases.append(pytest.param(ruleset, chapter, Category(category), Measure(measure),
                                          provision, id=f"{ruleset.id}:{provision.key}"))
    return cases


def _expected(operator: Operator, provision: Provision[int], count: int) -> ThresholdResult:
    if provision.reported_range is None:
        assert provision.value is not None
        return ThresholdResult.CROSSED if operator.holds(count, provision.value) else (
            ThresholdResult.NOT_CROSSED)
    low, high = provision.reported_range
    if operator.holds(count, high):
        return ThresholdResult.CROSSED
    return ThresholdResult.UNDETERMINED if operator.holds(count, low) else (
        ThresholdResult.NOT_CROSSED)


@pytest.mark.parametrize(("ruleset", "chapter", "category", "measure", "provision"),
                         _threshold_cases())
def test_every_threshold_one_below_at_and_one_above(
        ruleset: Ruleset, chapter: str, category: Category, measure: Measure,
        provision: Provision[int]) -> None:
    operator = ruleset.operator(f"{chapter}.operator").value
    assert operator is not None
    points = ([provision.value] if provision.value is not None
              else list(provision.reported_range or ()))
    for point in points:
        for count in (point - 1, point, point + 1):
            if count < 0:
                continue
            activity = make_activity(type=TYPE_FOR[category], divisional_structure=True,
                                     **{measure.value: count})
            found = classify(activity, ruleset)
            result = check_for(found, chapter, provision.key)
            assert result is _expected(operator, provision, count)
            answer = found.notifiable if chapter == NOTIFICATION else found.observable
            if result is ThresholdResult.CROSSED:
                assert answer
            if operator is Operator.AT_LEAST and provision.value is not None:
                # "meets or exceeds": at the figure it is met, one below it is not
                assert (result is ThresholdResult.CROSSED) == (count >= point)


def _alert_cases() -> list[Any]:
    return [pytest.param(r, id=r.id) for r in ALL
            if r.count("observation.alert_more_than_hours").value is not None]


@pytest.mark.parametrize("ruleset", _alert_cases())
def test_every_alert_hour_limit_one_below_at_and_one_above(ruleset: Ruleset) -> None:
    """(47.5): "more than" the hours: at the limit an alert activity is not yet observed."""
    limit = ruleset.count("observation.alert_more_than_hours").value
    assert limit is not None
    big = {"troops": 100000, "battle_tanks": 1000, "divisional_structure": True,
           "without_advance_notice": True}
    observed = [classify(make_activity(duration_hours=h, **big), ruleset).observable
                for h in (limit - 1, limit, limit + 1)]
    assert observed == [False, False, True]


def _with_land_troops_and(key: str) -> list[Any]:
    """The rulesets that give a figure (or range) for land forces troops and for `key`."""
    return [pytest.param(r, id=r.id) for r in ALL
            if r.count("notification.thresholds.land_forces.troops").defined
            and r.count(key).value is not None]


@pytest.mark.parametrize("ruleset", _with_land_troops_and(
    "notification.formation_qualifier.min_brigades_or_regiments"))
def test_every_formation_qualifier_one_below_at_and_one_above(ruleset: Ruleset) -> None:
    least = ruleset.count("notification.formation_qualifier.min_brigades_or_regiments").value
    assert least is not None
    troops = 100000  # above any troop threshold and any reported range
    answers = [classify(make_activity(troops=troops, divisional_structure=False,
                                      brigades_or_regiments=n), ruleset).notifiable
               for n in (least - 1, least, least + 1)]
    assert answers == [False, True, True]


@pytest.mark.parametrize("ruleset", _with_land_troops_and("notification.air_component_sorties"))
def test_every_air_component_one_below_at_and_one_above(ruleset: Ruleset) -> None:
    sorties = ruleset.count("notification.air_component_sorties").value
    assert sorties is not None
    answers = [classify(make_activity(troops=100000, sorties=n), ruleset).air_component_included
               for n in (sorties - 1, sorties, sorties + 1)]
    assert answers == [False, True, True]


def test_check_threshold_reads_a_range_and_a_missing_figure() -> None:
    ranged: Provision[int] = Provision(key="k", value=None, reported_range=(10, 20))
    assert check_threshold(9, ranged, Operator.AT_LEAST) is ThresholdResult.NOT_CROSSED
    assert check_threshold(10, ranged, Operator.AT_LEAST) is ThresholdResult.UNDETERMINED
    assert check_threshold(20, ranged, Operator.AT_LEAST) is ThresholdResult.CROSSED
    assert check_threshold(20, ranged, Operator.MORE_THAN) is ThresholdResult.UNDETERMINED
    assert check_threshold(10, ranged, Operator.MORE_THAN) is ThresholdResult.NOT_CROSSED
    missing: Provision[int] = Provision(key="k", value=None)
    assert check_threshold(0, missing, Operator.AT_LEAST) is ThresholdResult.NOT_CROSSED
    assert check_threshold(1, missing, Operator.AT_LEAST) is ThresholdResult.UNDETERMINED


# -- properties ------------------------------------------------------------------------------

RANK = {ThresholdResult.NOT_CROSSED: 0, ThresholdResult.UNDETERMINED: 1,
        ThresholdResult.CROSSED: 2}
counts = st.integers(min_value=0, max_value=60000)


@st.composite
def activities(draw: st.DrawFn) -> Activity:
    start = draw(st.dates(min_value=date(1995, 1, 1), max_value=date(2040, 12, 31)))
    return Activity(
        id="drawn", state="AT", type=draw(st.sampled_from(ActivityType)), start=start,
        end=start + timedelta(days=draw(st.integers(0, 30))),
        troops=draw(counts), battle_tanks=draw(counts), acvs=draw(counts),
        artillery=draw(counts), sorties=draw(counts),
        amphibious_troops=draw(st.none() | counts),
        airborne_troops=draw(st.none() | counts),
        outside_zone=draw(st.booleans()),
        without_advance_notice=draw(st.booleans()),
        duration_hours=draw(st.none() | st.integers(0, 24 * 31)),
        divisional_structure=draw(st.none() | st.booleans()),
        brigades_or_regiments=draw(st.none() | st.integers(0, 5)),
    )


@settings(max_examples=200, deadline=None)
@given(activity=activities(), measure=st.sampled_from(Measure), by=st.integers(0, 30000),
       ruleset=st.sampled_from(ALL))
def test_raising_any_number_never_takes_an_obligation_away(
        activity: Activity, measure: Measure, by: int, ruleset: Ruleset) -> None:
    before = classify(activity, ruleset)
    after = classify(activity.raised(measure, by), ruleset)
    assert after.notifiable >= before.notifiable
    assert after.observable >= before.observable
    assert after.calendar_required >= before.calendar_required
    # a landing added to a land activity brings more checks, never fewer
    new_results = {c.provision.key: c.result for c in after.checks}
    for old in before.checks:
        assert RANK[new_results[old.provision.key]] >= RANK[old.result]


@settings(max_examples=200, deadline=None)
@given(activity=activities(), ruleset=st.sampled_from(ALL))
def test_dates_always_come_before_the_activity(activity: Activity, ruleset: Ruleset) -> None:
    found = classify(activity, ruleset)
    if found.notify_by is not None:
        assert found.notify_by <= activity.start
    if found.invite_by is not None:
        assert found.invite_by <= activity.start
    if found.calendar_by is not None:
        assert found.calendar_by.year == activity.start.year - 1
    if found.advance_notice_by is not None and found.calendar_by is not None:
        assert found.advance_notice_by < found.calendar_by
    assert found.notifiable == (found.notify_by is not None) or bool(found.not_defined)


@settings(max_examples=200, deadline=None)
@given(activity=activities(), ruleset=st.sampled_from(AGREED))
def test_under_agreed_text_what_is_observed_was_notified(activity: Activity,
                                                         ruleset: Ruleset) -> None:
    found = classify(activity, ruleset)
    if found.observable:
        assert found.notifiable
    for answer, citations in found.citations.items():
        assert citations, answer
