"""The daily report's sections on the disengagement areas and on weapons storage (domain
reference, 1.1 item 4 and 1.4).

Disengagement areas: the ceasefire violations and the weapons seen inside each area in the
period. Weapons storage: the weapons seen beyond the withdrawal lines, which the SMM reported
"beyond withdrawal lines but outside designated storage sites" or at a storage site, and those
whose check could not be made. The desk keeps no register of designated storage sites, so the
section says so rather than guessing which sightings were at one.

Records come through the same access path as the rest of the report: events through
`queries.events_for`, narrowed to the share of the rollups the report's tables sum
(`counted_events`: no withdrawn event, no confidential event of another affiliation that is
only shared with the reader's; a visitor counts published events only), weapon sightings
through `core.access.visible`. The areas are the mission's polygons
(EXERCISE geometry in this repository).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Q, QuerySet

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.core.models import Classification
from hofburg.monitoring import queries
from hofburg.monitoring.engine.periods import ReportingPeriod
from hofburg.monitoring.engine.withdrawal import (
    DisengagementArea,
    disengagement_area_at,
    load_disengagement_areas,
)
from hofburg.monitoring.models import (
    CONFIDENTIAL_SCOPE_PREFIX,
    PUBLIC_SCOPE,
    RESTRICTED_SCOPE,
    Category,
    Event,
    EventStatus,
    WeaponSighting,
)

EXPLOSIONS = frozenset({Category.EXPLOSION_UNDETERMINED, Category.AIRBURST,
                        Category.EXPLOSION_WEAPON})
AREAS_FILE = "exercise_disengagement_areas.geojson"
# A sighting's withdrawal check that places it beyond the lines, and one that could not be made.
BEYOND_LINES = "compliant"
NOT_CHECKED = "not_checked"


@cache
def _areas(directory: str) -> tuple[DisengagementArea, ...]:
    path = Path(directory) / "monitoring" / AREAS_FILE
    return load_disengagement_areas(path) if path.is_file() else ()


def disengagement_areas() -> tuple[DisengagementArea, ...]:
    """The mission's disengagement areas; none when the mission has not supplied them."""
    return _areas(str(settings.REFERENCE_DATA_DIR))


@dataclass
class DisengagementRow:
    """One disengagement area in one period: what was recorded inside it."""

    area_id: str
    name: str
    exercise: bool
    events: int = 0
    violations: int = 0
    explosions: int = 0
    weapons: list[WeaponSighting] = field(default_factory=list)

    @property
    def quiet(self) -> bool:
        return not self.events and not self.weapons


@dataclass(frozen=True)
class DisengagementSection:
    rows: list[DisengagementRow]

    @property
    def supplied(self) -> bool:
        """Whether the mission has supplied the areas' polygons."""
        return bool(self.rows)

    @property
    def violations_inside(self) -> int:
        return sum(row.violations for row in self.rows)


@dataclass(frozen=True)
class StorageSection:
    """Weapons beyond the withdrawal lines, and those whose check could not be made."""

    beyond_lines: list[WeaponSighting]
    not_checked: list[WeaponSighting]
    register_kept: bool = False  # no register of designated storage sites yet


def period_sightings(user: AnyUser, period: ReportingPeriod) -> list[WeaponSighting]:
    """The weapon sightings of the period the reader may see, oldest first."""
    return list(access.visible(WeaponSighting.objects.all(), user)
                .filter(observed_at__gte=period.start, observed_at__lt=period.end)
                .order_by("observed_at"))


def counted_events(user: AnyUser, report_date: date) -> QuerySet[Event]:
    """The events of the period that the reader's share of the rollups counts, so that a
    section counts what the report's tables count (`events.rollups.contribution`): read
    through `core.access`, never a withdrawn one, and only of the visibility scopes the share
    sums. A confidential event shared with the reader's affiliation is readable by it but
    summed for its owner alone (decision 0018); the public counts published public events."""
    scope = queries.rollup_scope(user)
    events = queries.events_for(user, start=report_date, end=report_date).exclude(
        status=EventStatus.WITHDRAWN)
    if scope.published_only:
        return events.filter(status=EventStatus.PUBLISHED, classification=Classification.PUBLIC)
    summed = Q(pk__in=[])
    for name in scope.scopes:
        if name == PUBLIC_SCOPE:
            summed |= Q(classification=Classification.PUBLIC)
        elif name == RESTRICTED_SCOPE:
            summed |= Q(classification=Classification.RESTRICTED)
        elif name.startswith(CONFIDENTIAL_SCOPE_PREFIX):
            summed |= Q(classification=Classification.CONFIDENTIAL,
                        owner_affiliation_id=int(name.removeprefix(CONFIDENTIAL_SCOPE_PREFIX)))
    return events.filter(summed)


def disengagement_section(user: AnyUser, report_date: date, period: ReportingPeriod, *,
                          sightings: Sequence[WeaponSighting] | None = None,
                          areas: Sequence[DisengagementArea] | None = None
                          ) -> DisengagementSection:
    """Violations and weapons inside each disengagement area in the period of `report_date`."""
    areas = disengagement_areas() if areas is None else areas
    rows = {area.area_id: DisengagementRow(area.area_id, area.name, area.exercise)
            for area in areas}
    if not rows:
        return DisengagementSection([])
    events = counted_events(user, report_date)
    for event in events.only("lon", "lat", "category", "count_at_least"):
        area = disengagement_area_at(event.lon, event.lat, areas)
        if area is None:
            continue
        row = rows[area.area_id]
        row.events += 1
        row.violations += event.count_at_least
        if event.category in EXPLOSIONS:
            row.explosions += event.count_at_least
    for sighting in period_sightings(user, period) if sightings is None else sightings:
        area = disengagement_area_at(sighting.lon, sighting.lat, areas)
        if area is not None:
            rows[area.area_id].weapons.append(sighting)
    return DisengagementSection(list(rows.values()))


def storage_section(sightings: Sequence[WeaponSighting]) -> StorageSection:
    """The period's sightings beyond the withdrawal lines, and those not checked."""
    return StorageSection(
        beyond_lines=[s for s in sightings if s.compliance.get("status") == BEYOND_LINES],
        not_checked=[s for s in sightings if s.compliance.get("status") in (NOT_CHECKED, None)])

