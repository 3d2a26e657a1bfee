"""Areas of responsibility: places of the frame, none in two areas."""

import pytest

from hofburg.elections.engine.areas import AreaError, Place, area_of, check_places

FRAME = [("North", "N1"), ("North", "N2"), ("South", "S1"), ("South", "N1")]


def test_places_are_kept_once_and_sorted() -> None:
    chosen = check_places([Place("South"), Place("North", "N2"), Place("South")], FRAME, {})
    assert chosen == [Place("North", "N2"), Place("South")]


@pytest.mark.parametrize(("places", "says"), [
    ([], "at least one"),
    ([Place("East")], "No region 'East'"),
    ([Place("North", "S1")], "No district 'S1' in North"),
    ([Place("North"), Place("North", "N1")], "overlap"),
])
def test_places_not_in_the_frame_or_overlapping_are_refused(places: list[Place],
                                                            says: str) -> None:
    with pytest.raises(AreaError, match=says):
        check_places(places, FRAME, {})


def test_a_place_of_another_area_is_refused_a_district_is_read_within_its_region() -> None:
    others = {"North-West": [Place("North", "N1")]}
    with pytest.raises(AreaError, match="in the area North-West already"):
        check_places([Place("North")], FRAME, others)
    # "N1" of the South is another district than "N1" of the North.
    assert check_places([Place("South", "N1"), Place("North", "N2")], FRAME, others) == [
        Place("North", "N2"), Place("South", "N1")]


def test_a_station_lies_in_the_area_that_covers_its_region_or_district() -> None:
    areas = {"A": [Place("North", "N1")], "B": [Place("South")]}
    assert [area_of(areas, r, d) for r, d in FRAME] == ["A", None, "B", "B"]
