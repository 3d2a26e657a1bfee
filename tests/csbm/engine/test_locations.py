"""Units' peacetime locations grouped into places for a map."""

from __future__ import annotations

import pytest

from hofburg.csbm.engine.locations import Located, group_by_cell


def test_units_in_the_same_cell_share_a_place_at_their_mean_position() -> None:
    places = group_by_cell([Located(1, 48.10, 16.30), Located(2, 48.30, 16.40),
                            Located(3, 47.00, 15.40)], cell_degrees=0.5)
    assert [p.keys for p in places] == [(1, 2), (3,)]  # most units first
    assert (places[0].latitude, places[0].longitude) == (48.2, 16.35)


def test_cells_do_not_straddle_the_equator_or_the_prime_meridian() -> None:
    places = group_by_cell([Located(1, 0.1, 0.1), Located(2, -0.1, 0.1), Located(3, 0.1, -0.1)])
    assert len(places) == 3


def test_a_cell_must_have_a_size() -> None:
    with pytest.raises(ValueError, match="positive"):
        group_by_cell([Located(1, 0, 0)], cell_degrees=0)
