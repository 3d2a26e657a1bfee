"""The mission's parameters, read once from its settings and data files.

The merge and locate rules (data/monitoring/merge_rules.yaml), the reporting calendar (settings
MONITORING_TIME_ZONE and MONITORING_PERIOD_CUTOFF), the named reporting areas (settings
MONITORING_AREAS) and the limits of a possible observation (data/monitoring/
observation_limits.yaml, setting MONITORING_MANDATE_START). The rules themselves are the
engine's (`engine.periods`, `engine.areas`, `engine.binning`, `engine.limits`); this module only
reads the mission's choices and hands them to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path

from django.conf import settings

from hofburg.monitoring.engine.areas import ReportingAreas, load_reporting_areas
from hofburg.monitoring.engine.binning import area_of_cell
from hofburg.monitoring.engine.columns import FloatArray
from hofburg.monitoring.engine.limits import ObservationLimits, load_observation_limits
from hofburg.monitoring.engine.merge_rules import MergeRules, load_merge_rules
from hofburg.monitoring.engine.periods import ReportDates, ReportingCalendar


def monitoring_data() -> Path:
    """The folder of the mission's reference data for the desk."""
    return Path(settings.REFERENCE_DATA_DIR) / "monitoring"


@cache
def merge_rules() -> MergeRules:
    """The mission's merge and locate parameters (data/monitoring/merge_rules.yaml)."""
    return load_merge_rules(monitoring_data() / "merge_rules.yaml")


@cache
def observation_limits() -> ObservationLimits:
    """The limits of a possible observation: the mandate's first day (the setting, else the
    data file's field operation's start in the registry's data) and the farthest distance per
    method (data/monitoring/observation_limits.yaml)."""
    return load_observation_limits(
        monitoring_data() / "observation_limits.yaml",
        Path(settings.REFERENCE_DATA_DIR) / "registry" / "field_operations.yaml",
        mandate_start=settings.MONITORING_MANDATE_START)


@cache
def reporting_calendar() -> ReportingCalendar:
    """The mission's reporting periods: from the cut-off to the cut-off in its local time zone
    (settings MONITORING_TIME_ZONE and MONITORING_PERIOD_CUTOFF; the SMM used 19:30)."""
    return ReportingCalendar(time_zone=settings.MONITORING_TIME_ZONE,
                             cutoff=settings.MONITORING_PERIOD_CUTOFF)


@cache
def report_dates() -> ReportDates:
    """The engine's report dates by the mission's calendar (each day's cut-off computed once)."""
    return ReportDates(reporting_calendar())


def report_date_of(moment: datetime) -> date:
    """The date of the report whose period holds `moment`."""
    return report_dates().of(moment)


def clear_calendar() -> None:
    """Forget the calendar read from the settings (a test that changes them)."""
    reporting_calendar.cache_clear()
    report_dates.cache_clear()
    observation_limits.cache_clear()


@cache
def reporting_areas() -> ReportingAreas:
    """The mission's named reporting areas (settings.MONITORING_AREAS), read once."""
    return load_reporting_areas(settings.MONITORING_AREAS)


def area_name(area: str) -> str | None:
    """A reporting area's name; None for a coarse cell standing for an area (no name)."""
    return reporting_areas().name_of(area)


def area_at(lon: float, lat: float, cell: str) -> str:
    """The reporting area of an event at (lon, lat) in H3 cell `cell`: the code of the named
    area holding it, else the cell's coarse parent (`engine.binning.area_of_cell`)."""
    return reporting_areas().code_at(lon, lat) or area_of_cell(cell)


def areas_at(lons: FloatArray, lats: FloatArray, cells: Sequence[str],
             areas: ReportingAreas | None = None) -> list[str]:
    """`area_at` for many events at once, by `areas` (default: the mission's)."""
    named = (areas or reporting_areas()).codes_at(lons, lats)
    return [code or area_of_cell(cell) for code, cell in zip(named, cells, strict=True)]
