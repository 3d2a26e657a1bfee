from __future__ import annotations

import h3
import pytest

from hofburg.monitoring.engine.binning import BinningError, h3_cell, h3_cells


def test_a_point_gets_the_h3_cell_for_its_latitude_and_longitude() -> None:
    cell = h3_cell(-30.0, 48.0, 8)
    assert cell == h3.latlng_to_cell(48.0, -30.0, 8)
    lat, lon = h3.cell_to_latlng(cell)
    assert abs(lat - 48.0) < 0.01 and abs(lon + 30.0) < 0.01  # not swapped
    assert h3.get_resolution(cell) == 8


def test_many_points_bin_alike() -> None:
    assert h3_cells([(-30.0, 48.0), (-30.0, 48.0001)], 7) == [h3_cell(-30.0, 48.0, 7)] * 2


@pytest.mark.parametrize(("lon", "lat", "resolution"), [
    (-30.0, 48.0, 16), (-30.0, 48.0, -1), (-30.0, 95.0, 8), (float("nan"), 48.0, 8),
])
def test_impossible_bins_are_refused(lon: float, lat: float, resolution: int) -> None:
    with pytest.raises(BinningError):
        h3_cell(lon, lat, resolution)
