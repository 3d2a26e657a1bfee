from __future__ import annotations

import json
from datetime import date

import pytest
import shapely
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hofburg.monitoring.engine.geodesy import GEOD, destination
from hofburg.monitoring.engine.withdrawal import (
    Compliance,
    DisengagementArea,
    ReferenceLine,
    ReferenceLines,
    Sighting,
    WithdrawalError,
    WithdrawalRules,
    check_sighting,
    disengagement_area_at,
    withdrawal_rules_from_mapping,
)
from tests.monitoring.engine.synthetic import DATA

LEFT, RIGHT = "ukrainian_forces", "armed_formations"  # as the exercise lines are drawn


def off_line(line: ReferenceLine, offset_m: float, side: str, segment: int = 0,
             fraction: float = 0.5) -> tuple[float, float]:
    """A point offset_m from the line, perpendicular to a point on one of its geodesic
    segments, on the territory of `side` (negative offsets go the other way)."""
    (lon1, lat1), (lon2, lat2) = line.coordinates[segment], line.coordinates[segment + 1]
    azimuth, _, length = GEOD.inv(lon1, lat1, lon2, lat2)
    foot_lon, foot_lat, back = GEOD.fwd(lon1, lat1, azimuth, length * fraction)
    heading = back + 180
    towards = heading - 90 if side == line.left_side else heading + 90
    if offset_m < 0:
        towards, offset_m = towards + 180, -offset_m
    return destination(foot_lon, foot_lat, towards, offset_m)


RULE_SIDES = [(weapon, side) for weapon in
              ["artillery_100mm_and_above", "mlrs", "long_range_mlrs_and_tactical_missiles",
               "tank", "artillery_below_100mm", "mortar_up_to_120mm"]
              for side in (LEFT, RIGHT)]


@pytest.mark.parametrize(("weapon_class", "side"), RULE_SIDES)
def test_one_metre_inside_the_distance_is_a_violation_and_one_metre_beyond_is_not(
        withdrawal_rules: WithdrawalRules, exercise_lines: ReferenceLines, weapon_class: str,
        side: str) -> None:
    rule = withdrawal_rules.rule_for(weapon_class)
    required_m = rule.distance_km[side] * 1000
    line = exercise_lines.line(rule.reference_line[side])
    short = check_sighting(Sighting(*off_line(line, required_m - 1, side), weapon_class),
                           withdrawal_rules, exercise_lines)
    enough = check_sighting(Sighting(*off_line(line, required_m + 1, side), weapon_class),
                            withdrawal_rules, exercise_lines)
    assert short.status is Compliance.IN_VIOLATION and not short.compliant
    assert enough.status is Compliance.COMPLIANT and enough.compliant
    assert short.side == enough.side == side and short.side_inferred
    assert short.distance_km * 1000 == pytest.approx(required_m - 1, abs=0.01)
    assert enough.distance_km * 1000 == pytest.approx(required_m + 1, abs=0.01)
    assert short.shortfall_km * 1000 == pytest.approx(1, abs=0.01)
    assert enough.shortfall_km == 0
    assert short.reference_line == rule.reference_line[side]
    assert "in violation by 1 m" in short.explanation


def test_each_side_measures_from_its_own_line_under_the_package(
        withdrawal_rules: WithdrawalRules, exercise_lines: ReferenceLines) -> None:
    rule = withdrawal_rules.rule_for("artillery_100mm_and_above")
    assert rule.reference_line == {LEFT: "line_of_contact", RIGHT: "memorandum_line_2014"}
    # The date stays a date for the pages (said by CLDR in each language); its text is ISO.
    assert rule.citation == ("Package of Measures for the Implementation of the Minsk "
                             "Agreements (2015-02-12), point 2")
    assert rule.citation.params["agreed"] == date(2015, 2, 12)
    # Where the fictional Memorandum line lies east of the line of contact, a gun of the
    # armed formations between the two lines is in front of its own reference line.
    between = (-29.85, 48.2)
    check = check_sighting(Sighting(*between, "artillery_100mm_and_above"), withdrawal_rules,
                           exercise_lines)
    assert check.side == RIGHT and check.side_inferred
    assert check.reference_line == "memorandum_line_2014"
    assert check.distance_km < 0
    assert check.shortfall_km == pytest.approx(25 - check.distance_km)
    assert "in front of it" in check.explanation
    # The same place measured for a tank (Addendum: both sides from the line of contact).
    tank = check_sighting(Sighting(*between, "tank"), withdrawal_rules, exercise_lines)
    assert tank.reference_line == "line_of_contact" and tank.distance_km > 0
    assert "reference line UNCONFIRMED" in tank.explanation


def test_a_given_side_is_used_as_given(withdrawal_rules: WithdrawalRules,
                                       exercise_lines: ReferenceLines) -> None:
    loc = exercise_lines.line("line_of_contact")
    east = off_line(loc, 40_000, RIGHT)
    as_theirs = check_sighting(Sighting(*east, "tank", side=RIGHT), withdrawal_rules,
                               exercise_lines)
    as_ours = check_sighting(Sighting(*east, "tank", side=LEFT), withdrawal_rules,
                             exercise_lines)
    assert as_theirs.compliant and not as_theirs.side_inferred
    assert not as_ours.compliant
    assert as_ours.distance_km == pytest.approx(-40, abs=1e-5)


def test_rules_apply_only_from_the_day_they_were_agreed(withdrawal_rules: WithdrawalRules,
                                                        exercise_lines: ReferenceLines) -> None:
    point = off_line(exercise_lines.line("line_of_contact"), 30_000, LEFT)
    check_sighting(Sighting(*point, "mlrs", observed_on=date(2015, 2, 12)), withdrawal_rules,
                   exercise_lines)
    with pytest.raises(WithdrawalError, match="agreed by 2015-02-11"):
        check_sighting(Sighting(*point, "mlrs", observed_on=date(2015, 2, 11)),
                       withdrawal_rules, exercise_lines)
    with pytest.raises(WithdrawalError, match="2015-09-29"):
        check_sighting(Sighting(*point, "tank", observed_on=date(2015, 9, 1)), withdrawal_rules,
                       exercise_lines)


def test_unknown_classes_and_sides_are_refused(withdrawal_rules: WithdrawalRules,
                                               exercise_lines: ReferenceLines) -> None:
    with pytest.raises(WithdrawalError, match="weapon_class: 'howitzer'"):
        check_sighting(Sighting(-30.5, 48.0, "howitzer"), withdrawal_rules, exercise_lines)
    with pytest.raises(WithdrawalError, match="side"):
        check_sighting(Sighting(-30.5, 48.0, "tank", side="observers"), withdrawal_rules,
                       exercise_lines)
    with pytest.raises(WithdrawalError, match="no geometry"):
        check_sighting(Sighting(-30.5, 48.0, "tank"), withdrawal_rules,
                       ReferenceLines(lines={}, exercise=True))


def test_a_sighting_past_the_end_of_the_lines_is_flagged(withdrawal_rules: WithdrawalRules,
                                                         exercise_lines: ReferenceLines) -> None:
    check = check_sighting(Sighting(-30.0, 46.5, "tank", side=LEFT), withdrawal_rules,
                           exercise_lines)
    assert check.beyond_line_end
    assert "end of a line" in check.explanation


@pytest.mark.parametrize(("kind", "calibre", "system", "expected"), [
    ("artillery", 100, None, "artillery_100mm_and_above"),     # "100 mm and more"
    ("artillery", 152, None, "artillery_100mm_and_above"),
    ("artillery", 99.9, None, "artillery_below_100mm"),         # "up to 100 mm"
    ("mortar", 120, None, "mortar_up_to_120mm"),                # "up to 120 mm inclusive"
    ("mortar", 82, None, "mortar_up_to_120mm"),
    ("mortar", 120.1, None, "mortar_above_120mm"),              # artillery of point 2
    ("mortar", 240, None, "mortar_above_120mm"),
    ("artillery", None, None, None),                            # calibre unknown
    ("tank", None, None, "tank"),
    ("mlrs", None, "BM-21 Grad", "mlrs"),
    ("mlrs", None, "Smerch", "long_range_mlrs_and_tactical_missiles"),
    (None, None, "tochka-u", "long_range_mlrs_and_tactical_missiles"),
    ("small_arms", None, None, None),
])
def test_weapons_are_classified_by_the_calibre_bounds_as_worded(
        withdrawal_rules: WithdrawalRules, kind: str | None, calibre: float | None,
        system: str | None, expected: str | None) -> None:
    rule = withdrawal_rules.classify(kind=kind, calibre_mm=calibre, system=system)
    assert (rule.weapon_class if rule else None) == expected


def test_the_rules_file_carries_the_texts_figures_with_labels_and_no_coordinates() -> None:
    data = yaml.safe_load((DATA / "withdrawal_rules.yaml").read_text())
    assert data["status"] == "agreed-text"
    assert not {"coordinates", "geometry"} & _keys(data)
    figures = {rule["weapon_class"]: (rule["instrument"], rule["paragraph"],
                                      rule["zone_width_km"], rule["distance_km"])
               for rule in data["rules"]}
    assert figures == {
        "artillery_100mm_and_above": ("package-2015", "point 2", 50, {LEFT: 25, RIGHT: 25}),
        "mlrs": ("package-2015", "point 2", 70, {LEFT: 35, RIGHT: 35}),
        "long_range_mlrs_and_tactical_missiles": ("package-2015", "point 2", 140,
                                                  {LEFT: 70, RIGHT: 70}),
        "tank": ("addendum-2015", None, None, {LEFT: 15, RIGHT: 15}),
        "artillery_below_100mm": ("addendum-2015", None, None, {LEFT: 15, RIGHT: 15}),
        "mortar_up_to_120mm": ("addendum-2015", None, None, {LEFT: 15, RIGHT: 15}),
        "mortar_above_120mm": ("package-2015", "point 2", 50, {LEFT: 25, RIGHT: 25}),
    }
    labels = {"confirmed", "derived", "secondary", "unconfirmed", "disputed"}
    for rule in data["rules"]:
        assert rule["confidence"] in labels and rule["reference_line_confidence"] in labels
    assert data["disengagement_areas"]["size_confidence"] == "disputed"


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_a_rules_file_must_give_every_side_a_distance_and_a_line() -> None:
    data = yaml.safe_load((DATA / "withdrawal_rules.yaml").read_text())
    data["rules"][0]["distance_km"] = {LEFT: 25}
    with pytest.raises(WithdrawalError, match="artillery_100mm_and_above"):
        withdrawal_rules_from_mapping(data)
    data = yaml.safe_load((DATA / "withdrawal_rules.yaml").read_text())
    data["rules"][1]["reference_line"][RIGHT] = "somewhere"
    with pytest.raises(WithdrawalError, match="unknown line 'somewhere'"):
        withdrawal_rules_from_mapping(data)


def test_the_exercise_geometry_is_labelled_as_exercise_everywhere() -> None:
    for name in ("exercise_lines.geojson", "exercise_disengagement_areas.geojson"):
        data = json.loads((DATA / name).read_text())
        assert data["exercise"] is True and data["name"].startswith("EXERCISE")
        assert "fictional" in data["note"]
        for feature in data["features"]:
            properties = feature["properties"]
            assert properties["exercise"] is True
            assert properties.get("label", properties.get("name")).startswith("EXERCISE")


def test_disengagement_areas_hold_what_is_inside_them(
        exercise_areas: tuple[DisengagementArea, ...]) -> None:
    assert [area.area_id for area in exercise_areas] == [
        "exercise-area-a", "exercise-area-b", "exercise-area-c"]
    area = exercise_areas[0]
    centre = area.polygon.centroid
    found = disengagement_area_at(centre.x, centre.y, exercise_areas)
    assert found is not None and found.area_id == "exercise-area-a" and found.exercise
    just_outside = destination(centre.x, centre.y, 0, 1_050)  # the square's half side is 1 km
    assert disengagement_area_at(*just_outside, exercise_areas) is None
    assert disengagement_area_at(*destination(centre.x, centre.y, 0, 950), exercise_areas)
    corner = area.polygon.exterior.coords[0]
    assert disengagement_area_at(*corner, exercise_areas) is not None  # boundary counts
    assert 3.9 < abs(GEOD.geometry_area_perimeter(area.polygon)[0]) / 1e6 < 4.1


@settings(max_examples=40, deadline=None)
@given(lon=st.floats(-60, 60), lat=st.floats(-60, 60), azimuth=st.floats(0, 360),
       fraction=st.floats(0.3, 0.7), offset_km=st.floats(-60, 60))
def test_the_signed_distance_is_the_perpendicular_offset(lon: float, lat: float,
                                                         azimuth: float, fraction: float,
                                                         offset_km: float) -> None:
    end = destination(lon, lat, azimuth, 300_000)
    line = ReferenceLine(line_id="test", label="test", coordinates=((lon, lat), end),
                         left_side=LEFT, right_side=RIGHT, exercise=True)
    point = off_line(line, offset_km * 1000, LEFT, fraction=fraction)
    signed_m, at_end = line.signed_distance_m(*point, LEFT)
    assert signed_m == pytest.approx(offset_km * 1000, abs=0.01)
    assert not at_end
    side, unsigned_m, _ = line.side_of(*point)
    assert unsigned_m == pytest.approx(abs(offset_km) * 1000, abs=0.01)
    if abs(offset_km) > 1e-3:
        assert side == (LEFT if offset_km > 0 else RIGHT)


@pytest.mark.parametrize("distance_km", [15.0, 70.0])
def test_a_zone_lies_on_its_own_sides_side_and_is_as_deep_as_the_rule(
        exercise_lines: ReferenceLines, distance_km: float) -> None:
    for line in exercise_lines.lines.values():
        for side in (line.left_side, line.right_side):
            zone = shapely.Polygon(line.zone_ring(side, distance_km))
            centre = zone.representative_point()
            signed, _at_end = line.signed_distance_m(centre.x, centre.y, side)
            assert 0 < signed < distance_km * 1000
            # The band is as deep as the rule: its farthest point is about `distance_km` away.
            deepest = max(abs(line.signed_distance_m(lon, lat, side)[0])
                          for lon, lat in line.zone_ring(side, distance_km)[::5])
            assert deepest == pytest.approx(distance_km * 1000, rel=0.02)
