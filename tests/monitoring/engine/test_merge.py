from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import timedelta, timezone
from typing import Any

import pytest
import shapely
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hofburg.monitoring.engine.columns import ObservationColumns
from hofburg.monitoring.engine.explanations import explain
from hofburg.monitoring.engine.geodesy import distance_m
from hofburg.monitoring.engine.locate import Fix, SectorArea
from hofburg.monitoring.engine.merge import MergeError, merge_columns, merge_observations
from hofburg.monitoring.engine.merge_rules import (
    MergeRules,
    MergeRulesError,
    merge_rules_from_mapping,
)
from hofburg.monitoring.engine.merged_events import CandidateRegion, Event
from hofburg.monitoring.engine.observations import Category, Observation
from hofburg.notes import Note
from tests.monitoring.engine.synthetic import DATA, TARGET, around, seen

ELSEWHERE = around(TARGET, 90, 15)  # a second event 15 km east


def partition(events: list[Event]) -> set[tuple[str, ...]]:
    return {tuple(sorted(event.observation_ids)) for event in events}


def one_event_seen_three_times() -> list[Observation]:
    return [
        seen("a", "patrol-1", around(TARGET, 225, 5), seconds=0, bearing_error=0.8, count=3),
        seen("b", "op-2", around(TARGET, 135, 6), seconds=25, category="airburst",
             observer_kind="observation_point", bearing_error=-1.1),
        seen("c", "camera-3", around(TARGET, 0, 4), seconds=50, method="recorded",
             observer_kind="camera", sector="S", count=5),
    ]


def test_three_observers_of_one_explosion_make_one_located_event(
        merge_rules: MergeRules) -> None:
    [event] = merge_observations(one_event_seen_three_times(), merge_rules)
    assert event.event_key == "a"
    assert event.observation_ids == ("a", "b", "c")
    assert event.number_of_sources == 3
    assert event.count_at_least == 5  # the largest count, never the sum
    assert event.category is Category.AIRBURST  # the more specific report overrules
    assert event.location_method == "fix"
    assert isinstance(event.location, Fix)
    assert distance_m(*event.position, *TARGET) < 300  # two bearings, each about 1 deg off
    assert not event.needs_review


def test_every_merge_says_which_records_and_why(merge_rules: MergeRules) -> None:
    [event] = merge_observations(one_event_seen_three_times(), merge_rules)
    opening, join_b, join_c, located = explain(event.explanation)
    assert opening.startswith("a opens the event: patrol-1 (patrol, heard)")
    assert join_b.startswith("b joins: op-2 (observation_point, heard)")
    assert "25 s after a (window 120 s)" in join_b
    assert "category airburst in group 'explosions' with explosion_undetermined" in join_b
    assert "its wedge overlaps those of a" in join_b
    assert join_c.startswith("c joins: camera-3 (camera, recorded)")
    assert "sector S (168.75-191.25 deg) +-3 deg" in join_c
    assert "overlaps those of a, b and the area they share" in join_c
    assert located.startswith("located by the least-squares fix of 2 bearings")


def test_an_explanation_is_stored_as_values_and_reads_the_same(merge_rules: MergeRules) -> None:
    """The frequent notes are kept as plain values (a JSON array each), not as sentences: the
    sentences come back the same from what a database returns, and a sentence stored by an
    earlier version, or a note of a kind this version does not know, is shown as it is."""
    [event] = merge_observations(one_event_seen_three_times(), merge_rules)
    opening = event.explanation[0]
    assert isinstance(opening, tuple)
    assert opening[:5] == ("opens", "a", "patrol-1", "patrol", "heard")
    stored = json.loads(json.dumps(event.explanation))
    assert all(isinstance(note, list) for note in stored)
    assert explain(stored) == explain(event.explanation)
    assert len(json.dumps(stored)) < sum(map(len, explain(stored)))
    older = ["a opens the event: as written by an earlier version", ["sector", 2.5],
             ["later-kind", 1, "x"]]
    assert explain(older) == ["a opens the event: as written by an earlier version",
                              "located by one observer's wedge (2.50 km2)",
                              '["later-kind", 1, "x"]']


def test_a_join_names_the_members_before_it() -> None:
    member = ["b", "op-2", "observation_point", "heard", 1767225600.25, 180, [
        "SSW", 202.5, 11.25], 10.0, None, None, 0.0, 20.0]
    notes = [["opens", "a", "patrol-1", "patrol", "saw", 1767225600.0, 0, 90.0, 5.0, 1.0, 2.5,
              0.75, 3.0],
             ["joins", *member, 12.25, 120.0, "burst", ["small arms", "shot"], "undetermined"]]
    assert explain(notes) == [
        "a opens the event: patrol-1 (patrol, saw) at 2026-01-01T00:00:00+00:00, bearing 90 deg "
        "+-5 deg, 1-2.5 km (wedge 0.75-3 km)",
        "b joins: op-2 (observation_point, heard) at 2026-01-01T03:00:00.250000+03:00, sector "
        "SSW (191.25-213.75 deg) +-10 deg, distance not reported (wedge 0-20 km); 12 s after a "
        "(window 120 s); category burst in group 'small arms' with shot; weapon undetermined "
        "compatible; its wedge overlaps those of a"]


def test_the_sentences_keep_their_templates_for_translation() -> None:
    """Each sentence is a `Note`: English as before, with the template a page translates and
    its parameters, a phrase inside it a note of its own."""
    notes = [["opens", "a", "patrol-1", "patrol", "saw", 1767225600.0, 0, 90.0, 5.0, 1.0, 2.5,
              0.75, 3.0], ["changed", "verified"], ["withdrawn"]]
    opening, changed, withdrawn = explain(notes)
    assert all(isinstance(line, Note) for line in (opening, changed, withdrawn))
    assert opening.template == "{observation} opens the event: {described}"
    assert isinstance(opening.params["described"], Note)
    assert opening.params["described"].params["direction"] == "bearing 90 deg"
    assert changed == "members changed after the event was verified: for an analyst to review"
    assert changed.params["status"].template == "verified"
    assert withdrawn == ("withdrawn: its observations were rejected or now belong to other "
                         "events")


def test_two_simultaneous_explosions_far_apart_stay_two_events(merge_rules: MergeRules) -> None:
    observations = [
        seen("x1", "patrol-1", around(TARGET, 225, 5), seconds=0),
        seen("y1", "patrol-4", around(ELSEWHERE, 45, 5), ELSEWHERE, seconds=5),
        seen("x2", "op-2", around(TARGET, 135, 5), seconds=10),
        seen("y2", "op-5", around(ELSEWHERE, 0, 6), ELSEWHERE, seconds=15),
    ]
    events = merge_observations(observations, merge_rules)
    assert partition(events) == {("x1", "x2"), ("y1", "y2")}
    by_key = {event.event_key: event for event in events}
    assert distance_m(*by_key["x1"].position, *TARGET) < 1
    assert distance_m(*by_key["y1"].position, *ELSEWHERE) < 1
    assert any(note.startswith("kept apart from x1 (patrol-1): ")
               for note in explain(by_key["y1"].explanation))


def test_observers_too_far_apart_are_kept_apart_with_the_distance(
        merge_rules: MergeRules) -> None:
    far = around(TARGET, 90, 60)
    observations = [seen("near", "patrol-1", around(TARGET, 225, 5)),
                    seen("far", "patrol-2", around(far, 225, 5), far, seconds=3)]
    events = merge_observations(observations, merge_rules)
    assert partition(events) == {("near",), ("far",)}
    note = next(n for n in explain(events[1].explanation) if n.startswith("kept apart"))
    assert "km apart, beyond the" in note


@pytest.mark.parametrize(("other", "merged"), [
    ({"category": "airburst"}, True),
    ({"category": "explosion_weapon", "weapon_class": "mortar"}, True),
    ({"category": "muzzle_flash"}, False),          # flash at the gun, explosion at the impact
    ({"category": "burst"}, False),
    ({"seconds": 120}, True),
    ({"seconds": 121}, False),
])
def test_the_rule_decides_on_time_and_category(merge_rules: MergeRules, other: dict[str, Any],
                                               merged: bool) -> None:
    observations = [seen("first", "patrol-1", around(TARGET, 225, 5)),
                    seen("second", "op-2", around(TARGET, 135, 6), **other)]
    events = merge_observations(observations, merge_rules)
    assert len(events) == (1 if merged else 2)


def test_weapon_classes_must_agree_unless_one_is_undetermined(merge_rules: MergeRules) -> None:
    mortar = seen("m", "patrol-1", around(TARGET, 225, 5), category="explosion_weapon",
                  weapon_class="mortar")
    unknown = seen("u", "op-2", around(TARGET, 135, 6), seconds=5, weapon_class="undetermined")
    artillery = seen("a", "op-3", around(TARGET, 20, 6), seconds=9,
                     category="explosion_weapon", weapon_class="artillery")
    events = merge_observations([mortar, unknown, artillery], merge_rules)
    assert partition(events) == {("m", "u"), ("a",)}
    assert events[0].weapon_class == "mortar"
    assert ("not merged into the event of m: not consistent with m "
            "(weapon artillery vs mortar)") in explain(events[1].explanation)


def test_one_observer_never_reports_the_same_event_twice(merge_rules: MergeRules) -> None:
    position = around(TARGET, 225, 5)
    observations = [seen("first", "patrol-1", position), seen("again", "patrol-1", position,
                                                              seconds=10)]
    assert partition(merge_observations(observations, merge_rules)) == {("first",), ("again",)}


def test_a_chain_does_not_drag_a_third_event_in(merge_rules: MergeRules) -> None:
    # b's wide sector covers both explosions; a saw one, c the other: c may not join a's event.
    near = around(TARGET, 90, 6)
    observations = [
        seen("a", "patrol-1", around(TARGET, 270, 5), seconds=0, method="saw"),
        seen("b", "op-2", around(TARGET, 180, 7), seconds=10, sector="NNE"),
        seen("c", "patrol-3", around(near, 90, 5), near, seconds=20, method="saw"),
    ]
    events = merge_observations(observations, merge_rules)
    assert partition(events) == {("a", "b"), ("c",)}
    assert ("not merged into the event of a: not consistent with a (their wedges do not "
            "overlap)") in explain(events[1].explanation)


def test_sectors_alone_are_located_by_the_area_they_share(merge_rules: MergeRules) -> None:
    observations = [
        seen("s1", "camera-1", around(TARGET, 180, 5), method="recorded", sector="N"),
        seen("s2", "camera-2", around(TARGET, 270, 4), seconds=4, method="recorded",
             sector="E"),
    ]
    [event] = merge_observations(observations, merge_rules)
    assert event.location_method == "common_area"
    assert isinstance(event.location, CandidateRegion)
    assert event.location.polygon.contains(shapely.Point(*TARGET))
    assert 0 < event.location.area_km2 < 10
    assert explain(event.explanation)[-1].startswith(
        "located by the area the members' wedges share")


def test_a_single_observer_is_located_by_its_wedge(merge_rules: MergeRules) -> None:
    [event] = merge_observations([seen("alone", "patrol-1", around(TARGET, 300, 5))],
                                 merge_rules)
    assert event.location_method == "sector"
    assert isinstance(event.location, SectorArea)
    assert event.location.polygon().contains(shapely.Point(*TARGET))
    assert event.location.direction.half_width_deg == 10  # heard: +-10 deg
    assert explain(event.explanation)[-1].startswith("located by one observer's wedge")


def test_near_parallel_bearings_merge_but_fall_back_to_the_shared_area(
        merge_rules: MergeRules) -> None:
    observations = [seen("p1", "patrol-1", around(TARGET, 178, 8)),
                    seen("p2", "patrol-2", around(TARGET, 182, 8), seconds=5)]
    [event] = merge_observations(observations, merge_rules)
    assert event.location_method == "common_area"
    assert any(note.startswith("no fix: the bearings cross at")
               for note in explain(event.explanation))


def test_a_fix_outside_a_member_wedge_is_not_used_and_is_flagged(
        merge_rules: MergeRules) -> None:
    short = seen("s", "op-3", around(TARGET, 0, 5), seconds=8, method="saw", sector="S")
    short = replace(short, distance_km_min=2.0, distance_km_max=3.5)
    observations = [seen("a", "patrol-1", around(TARGET, 225, 6)),
                    seen("b", "patrol-2", around(TARGET, 135, 6), seconds=4), short]
    [event] = merge_observations(observations, merge_rules)
    assert event.observation_ids == ("a", "b", "s")
    assert event.location_method == "common_area"
    assert event.needs_review
    assert any(note.startswith("the fix lies outside the wedge of s") for note in
               explain(event.explanation))


def test_an_observation_that_fits_two_events_is_flagged_for_an_analyst(
        merge_rules: MergeRules) -> None:
    # Two explosions 1.5 km apart, each seen from the north by one patrol; a third observer's
    # broad sector and band from the south cover both.
    near = around(TARGET, 90, 1.5)
    observations = [
        seen("x", "patrol-1", around(TARGET, 0, 4), method="saw"),
        seen("y", "patrol-2", around(near, 0, 4), near, seconds=2, method="saw"),
        seen("z", "op-3", around(TARGET, 170, 6), seconds=6, sector="N"),
    ]
    events = merge_observations(observations, merge_rules)
    assert len(events) == 2
    flagged = next(event for event in events if "z" in event.observation_ids)
    assert flagged.needs_review
    assert any("could also have joined" in note for note in explain(flagged.explanation))


def test_an_id_used_twice_is_refused(merge_rules: MergeRules) -> None:
    first = seen("same", "patrol-1", around(TARGET, 225, 5))
    with pytest.raises(MergeError, match="'same'"):
        merge_observations([first, replace(first, observer_id="op-2")], merge_rules)


def test_no_observations_make_no_events(merge_rules: MergeRules) -> None:
    assert merge_observations([], merge_rules) == []
    assert merge_columns(ObservationColumns.of([]), merge_rules) == []


def several_events() -> list[Observation]:
    mortar = seen("m", "patrol-7", around(TARGET, 300, 5), seconds=300,
                  category="explosion_weapon", weapon_class="mortar")
    far = around(TARGET, 90, 60)
    return [*one_event_seen_three_times(),
            seen("y1", "patrol-4", around(ELSEWHERE, 45, 5), ELSEWHERE, seconds=5),
            seen("y2", "op-5", around(ELSEWHERE, 0, 6), ELSEWHERE, seconds=15),
            seen("s1", "camera-1", around(TARGET, 180, 5), seconds=130, method="recorded",
                 sector="N"),
            seen("s2", "camera-2", around(TARGET, 270, 4), seconds=134, method="recorded",
                 sector="E"),
            mortar, seen("u", "op-8", around(TARGET, 20, 6), seconds=305,
                         weapon_class="undetermined"),
            seen("far", "patrol-2", around(far, 225, 5), far, seconds=303),
            seen("late", "patrol-1", around(TARGET, 225, 5), seconds=400)]


def test_merging_columns_gives_the_events_of_merging_observations(
        merge_rules: MergeRules) -> None:
    observations = several_events()
    expected = merge_observations(observations, merge_rules)
    columns = ObservationColumns.of(observations)
    assert merge_columns(columns, merge_rules) == expected
    # The rows may come in any order.
    backwards = columns.take(list(range(len(observations)))[::-1])
    assert merge_columns(backwards, merge_rules) == expected
    assert {event.location_method for event in expected} == {"fix", "common_area", "sector"}


def test_merging_columns_refuses_an_id_used_twice(merge_rules: MergeRules) -> None:
    first = seen("same", "patrol-1", around(TARGET, 225, 5))
    columns = ObservationColumns.of([first, replace(first, observer_id="op-2")])
    with pytest.raises(MergeError, match="'same'"):
        merge_columns(columns, merge_rules)


def test_times_are_told_as_they_were_written(merge_rules: MergeRules) -> None:
    # An offset other than UTC, and a fraction of a second, in the events and in the notes.
    kyiv = timezone(timedelta(hours=3))
    first = seen("a", "patrol-1", around(TARGET, 225, 5))
    first = replace(first, observed_at=first.observed_at.astimezone(kyiv))
    second = seen("b", "op-2", around(TARGET, 135, 6), seconds=20.25)
    [event] = merge_observations([first, second], merge_rules)
    assert event.first_observed_at == first.observed_at
    assert event.first_observed_at.utcoffset() == timedelta(hours=3)
    assert event.last_observed_at == second.observed_at
    assert f"at {first.observed_at.isoformat()}," in explain(event.explanation)[0]
    assert "+03:00" in explain(event.explanation)[0]
    assert f"at {second.observed_at.isoformat()}," in explain(event.explanation)[1]
    assert ".250000+00:00" in explain(event.explanation)[1]


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_the_events_do_not_depend_on_the_input_order(merge_rules: MergeRules,
                                                     rng: random.Random) -> None:
    observations = [*one_event_seen_three_times(),
                    seen("y1", "patrol-4", around(ELSEWHERE, 45, 5), ELSEWHERE, seconds=5),
                    seen("y2", "op-5", around(ELSEWHERE, 0, 6), ELSEWHERE, seconds=15),
                    seen("late", "patrol-1", around(TARGET, 225, 5), seconds=400)]
    reference = merge_observations(observations, merge_rules)
    shuffled = observations[:]
    rng.shuffle(shuffled)
    again = merge_observations(shuffled, merge_rules)
    assert [e.observation_ids for e in again] == [e.observation_ids for e in reference]
    assert [e.explanation for e in again] == [e.explanation for e in reference]


def test_the_shipped_ruleset_is_a_labelled_mission_parameter(merge_rules: MergeRules) -> None:
    data = yaml.safe_load((DATA / "merge_rules.yaml").read_text())
    assert data["status"] == "mission-parameter"
    assert "not from" in data["note"]
    assert merge_rules.time_window_seconds == 120
    assert merge_rules.group_of(Category.AIRBURST) == "explosions"
    assert merge_rules.group_of(Category.MUZZLE_FLASH) == "muzzle_flash"


@pytest.mark.parametrize(("change", "message"), [
    ({"status": "agreed-text"}, "status"),
    ({"time_window_seconds": 0}, "time_window_seconds"),
    ({"bearing_tolerance_deg": {"heard": 10, "saw": 5}}, "bearing_tolerance_deg.recorded"),
    ({"distance_tolerance": None}, "distance_tolerance"),
    ({"category_groups": [{"name": "a", "categories": ["shot"]},
                          {"name": "b", "categories": ["shot"]}]}, "two groups"),
    ({"category_groups": [{"name": "a", "categories": ["tank"]}]}, "category_groups"),
    ({"locate": {"bearing_sigma_deg": {"heard": 1, "saw": 1, "recorded": 1},
                 "min_crossing_angle_deg": 10, "ellipse_confidence": 0.95}},
     "locate.bearing_sigma_deg.default"),
])
def test_a_malformed_ruleset_names_the_key(change: dict[str, Any], message: str) -> None:
    data = yaml.safe_load((DATA / "merge_rules.yaml").read_text())
    data.update(change)
    with pytest.raises(MergeRulesError, match=message):
        merge_rules_from_mapping(data)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.lists(st.floats(0, 359), min_size=1, max_size=4, unique=True),
                          st.floats(2, 10), st.floats(-2, 2), st.integers(0, 100)),
                min_size=1, max_size=6))
def test_separate_events_seen_by_several_observers_are_recovered_exactly(
        merge_rules: MergeRules, events: list[tuple[list[float], float, float, int]]) -> None:
    # Events 60 km apart along a parallel, each seen from 1-4 sides at 2-10 km, bearings off
    # by up to 2 degrees (within the 10-degree tolerance of hearing), within 100 s.
    observations, truth = [], set()
    for number, (sides, km, error, seconds) in enumerate(events):
        target = around(TARGET, 90, 60 * number)
        members = []
        for side, azimuth in enumerate(sides):
            oid = f"e{number}-{side}"
            observations.append(seen(oid, f"observer-{number}-{side}",
                                     around(target, azimuth, km), target,
                                     seconds=seconds + 5 * side, bearing_error=error))
            members.append(oid)
        truth.add(tuple(sorted(members)))
    merged = merge_observations(observations, merge_rules)
    assert partition(merged) == truth
    for event in merged:
        assert explain(event.explanation)[0].startswith(f"{event.event_key} opens the event")
        assert sum(note.startswith(tuple(f"{i} joins" for i in event.observation_ids))
                   for note in explain(event.explanation)) == len(event.observation_ids) - 1
