"""Areas of responsibility: the parts of the country a mission's teams cover, drawn from the
regions and districts of its polling-station frame (election-observation.md, "Implications":
"a deployment plan: areas of responsibility, teams, routes").

An area is a set of places; a place is a whole region of the frame, or one district of a region
(the frame's `district` is read within its region, so two regions may each have a "District 1").
No two areas of a mission share a place, and a whole region excludes its districts from every
other area: each polling station lies in at most one area.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Place:
    region: str
    district: str = ""  # "" = the whole region

    def covers(self, region: str, district: str) -> bool:
        return self.region == region and self.district in ("", district)

    def meets(self, other: Place) -> bool:
        """Whether the two places have a polling station in common (or could have one)."""
        return self.region == other.region and (
            not self.district or not other.district or self.district == other.district)

    def label(self) -> str:
        return f"{self.region} / {self.district}" if self.district else self.region


class AreaError(ValueError):
    """Places an area may not have."""


def check_places(places: Sequence[Place], frame: Iterable[tuple[str, str]],
                 others: Mapping[str, Sequence[Place]]) -> list[Place]:
    """The places, each once and sorted, if they are the frame's (`frame` gives every station's
    region and district) and no other area (`others`, by name) has one of them; AreaError names
    the first place that is not."""
    if not places:
        raise AreaError("An area needs at least one region or district.")
    regions: set[str] = set()
    districts: set[tuple[str, str]] = set()
    for region, district in frame:
        regions.add(region)
        districts.add((region, district))
    chosen = sorted(set(places))
    for place in chosen:
        if place.region not in regions:
            raise AreaError(f"No region {place.region!r} in the mission's frame.")
        if place.district and (place.region, place.district) not in districts:
            raise AreaError(f"No district {place.district!r} in {place.region} in the frame.")
    for place in chosen:
        for a, b in ((place, other) for other in chosen if other != place):
            if a.meets(b):
                raise AreaError(f"{a.label()} and {b.label()} overlap: choose the whole region "
                                "or its districts.")
        for name, theirs in sorted(others.items()):
            taken = next((p for p in theirs if place.meets(p)), None)
            if taken is not None:
                raise AreaError(f"{place.label()} is in the area {name} already "
                                f"({taken.label()}).")
    return chosen


def area_of(areas: Mapping[str, Sequence[Place]], region: str, district: str) -> str | None:
    """The name of the area a station of `region` and `district` lies in, or None."""
    for name, places in areas.items():
        if any(p.covers(region, district) for p in places):
            return name
    return None
