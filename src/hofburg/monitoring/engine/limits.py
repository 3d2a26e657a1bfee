"""The mission's limits of a possible observation, read from its data file.

`data/monitoring/observation_limits.yaml` names the field operation whose mandate bounds the
times (its start comes from the registry's data, or a `start` date given in the file) and the
farthest distance accepted per observation method, each with its source and label. The caller
adds "now" (`ObservationBounds.latest`); this module reads files only, no settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

import yaml

from hofburg.monitoring.engine.observations import Method, ObservationBounds


class LimitsError(ValueError):
    """The limits file (or the registry record it names) cannot be used; the message says
    which key."""


@dataclass(frozen=True)
class ObservationLimits:
    """The file's limits: the mandate's first day and the farthest distance per method."""

    mandate_start: date | None
    mandate_source: str
    max_distance_km: dict[Method, float]

    def bounds(self, latest: datetime | None, zone: tzinfo) -> ObservationBounds:
        """The bounds for observations received now (`latest` = now plus the clock skew);
        the mandate starts at midnight of its first day in the mission's time `zone`."""
        earliest = (None if self.mandate_start is None
                    else datetime.combine(self.mandate_start, time(0), tzinfo=zone))
        return ObservationBounds(latest=latest, earliest=earliest,
                                 max_distance_km=self.max_distance_km)


def load_observation_limits(path: Path, registry_operations: Path,
                            mandate_start: date | None = None) -> ObservationLimits:
    """The limits in `path`; the mandate's start from `mandate_start` when given, else the
    file's `mandate.start`, else the `established` date of the field operation it names in
    `registry_operations` (the registry's field_operations.yaml)."""
    data = _yaml(path)
    mandate = data.get("mandate") or {}
    if not isinstance(mandate, dict):
        raise LimitsError(f"{path}: mandate must be a mapping")
    source = str(mandate.get("source", ""))
    start = mandate_start
    if start is None and mandate.get("start") is not None:
        start = _date(mandate["start"], f"{path}: mandate.start")
    if start is None and mandate.get("field_operation"):
        start = _established(registry_operations, str(mandate["field_operation"]))
    distances = (data.get("max_distance_km") or {}).get("by_method") or {}
    if not isinstance(distances, dict):
        raise LimitsError(f"{path}: max_distance_km.by_method must be a mapping")
    limits: dict[Method, float] = {}
    for name, value in distances.items():
        try:
            method = Method(name)
        except ValueError:
            raise LimitsError(f"{path}: max_distance_km.by_method.{name}: not a method "
                              f"({', '.join(Method)})") from None
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise LimitsError(f"{path}: max_distance_km.by_method.{name}: a positive number "
                              f"of kilometres")
        limits[method] = float(value)
    return ObservationLimits(mandate_start=start, mandate_source=source,
                             max_distance_km=limits)


def _yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LimitsError(f"{path}: cannot be read ({error})") from None
    if not isinstance(data, dict):
        raise LimitsError(f"{path}: must be a mapping")
    return data


def _date(value: Any, where: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise LimitsError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _established(registry_operations: Path, code: str) -> date:
    operations = _yaml(registry_operations).get("field_operations") or []
    for operation in operations:
        if isinstance(operation, dict) and operation.get("code") == code:
            if operation.get("established") is None:
                raise LimitsError(f"{registry_operations}: {code} has no `established` date; "
                                  f"give mandate.start in the limits file")
            return _date(operation["established"], f"{registry_operations}: {code}")
    raise LimitsError(f"{registry_operations}: no field operation {code!r}")
