"""The mission's limits of a possible observation, read from the data file and the registry."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hofburg.monitoring.engine.limits import LimitsError, load_observation_limits
from hofburg.monitoring.engine.observations import Method

DATA = Path(__file__).resolve().parents[3] / "data"
LIMITS = DATA / "monitoring" / "observation_limits.yaml"
REGISTRY = DATA / "registry" / "field_operations.yaml"


def test_the_mandate_starts_when_the_registry_says_the_mission_was_established() -> None:
    limits = load_observation_limits(LIMITS, REGISTRY)
    assert limits.mandate_start == date(2014, 3, 21)  # PC.DEC/1117, in the registry's data
    assert "PC.DEC/1117" in limits.mandate_source
    assert set(limits.max_distance_km) == set(Method)
    bounds = limits.bounds(datetime(2026, 12, 6, tzinfo=UTC), ZoneInfo("Europe/Kyiv"))
    assert bounds.earliest is not None
    assert bounds.earliest.astimezone(UTC) == datetime(2014, 3, 20, 22, 0, tzinfo=UTC)


def test_a_deployment_setting_or_the_file_names_another_start(tmp_path: Path) -> None:
    assert load_observation_limits(LIMITS, REGISTRY, mandate_start=date(2020, 1, 1)
                                   ).mandate_start == date(2020, 1, 1)
    own = tmp_path / "limits.yaml"
    own.write_text("schema_version: 1\nmandate: {start: 2019-05-01, source: test}\n")
    limits = load_observation_limits(own, REGISTRY)
    assert (limits.mandate_start, limits.max_distance_km) == (date(2019, 5, 1), {})


@pytest.mark.parametrize(("text", "message"), [
    ("mandate: {field_operation: no-such-mission}\n", "no field operation 'no-such-mission'"),
    ("mandate: {start: 21 March}\n", "mandate.start: '21 March' is not a date"),
    ("max_distance_km: {by_method: {smelled: 3}}\n", "by_method.smelled: not a method"),
    ("max_distance_km: {by_method: {heard: -1}}\n", "by_method.heard: a positive number"),
])
def test_a_bad_file_is_refused_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "limits.yaml"
    path.write_text(text)
    with pytest.raises(LimitsError, match=message):
        load_observation_limits(path, REGISTRY)
