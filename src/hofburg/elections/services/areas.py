"""Areas of responsibility: named parts of the country, each a set of the frame's regions and
districts (`engine.areas`: no place in two areas). The mission's managers draw them; a team is
then put in one (`services.teams`). Removing an area leaves its teams without one.

Places are checked against the frame as it stands when the area is drawn; a frame imported later
without one of them leaves the place in the area, covering no station, until the area is drawn
again.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Conflict, Invalid, NotFound
from hofburg.core.services.audit import record_change
from hofburg.elections import bounds, permissions
from hofburg.elections.engine.areas import AreaError, Place, check_places
from hofburg.elections.models import Area, Mission


def places_of(area: Area) -> list[Place]:
    return [Place(str(p["region"]), str(p.get("district") or "")) for p in area.places]


def _require_manager(user: AnyUser | None, mission: Mission) -> None:
    if user is not None and not permissions.may_manage(user, mission):
        raise AccessDenied("Only the mission's core team may draw its areas of responsibility.")


def _checked(mission: Mission, name: str, places: Sequence[Place],
             keep: int | None = None) -> tuple[str, list[dict[str, str]]]:
    """The name and places of an area of `mission` (other than the one with key `keep`)."""
    name = (name or "").strip()
    if not name or len(name) > bounds.MAX_AREA_NAME_LENGTH:
        raise Invalid(f"1 to {bounds.MAX_AREA_NAME_LENGTH} characters.", field="name")
    if len(places) > bounds.MAX_AREA_PLACES:
        raise Invalid(f"At most {bounds.MAX_AREA_PLACES} regions and districts.", field="places")
    areas = mission.areas.all() if keep is None else mission.areas.exclude(pk=keep)
    others = {a.name: places_of(a) for a in areas}
    if name in others:
        raise Conflict(f"The mission has an area {name} already.", field="name")
    frame = mission.stations.values_list("region", "district").distinct()
    try:
        chosen = check_places(places, frame, others)
    except AreaError as refusal:
        raise Invalid(str(refusal), field="places") from refusal
    return name, [{"region": p.region, "district": p.district} for p in chosen]


def create_area(user: AnyUser | None, mission: Mission, *, name: str,
                places: Sequence[Place]) -> Area:
    _require_manager(user, mission)
    with transaction.atomic():
        Mission.objects.select_for_update().filter(pk=mission.pk).first()  # one drawer at a time
        name, stored = _checked(mission, name, places)
        area = Area.objects.create(mission=mission, name=name, places=stored)
        record_change(user, "create", area, None, {"mission": mission.code, "name": name,
                                                   "places": stored})
    return area


def _area_for(mission: Mission, area_id: int) -> Area:
    found = Area.objects.filter(mission=mission, pk=area_id).first()
    if found is None:
        raise NotFound("No such area of responsibility on this mission.", field="area")
    return found


def update_area(user: AnyUser | None, mission: Mission, area_id: int, *, name: str,
                places: Sequence[Place]) -> Area:
    """Rename the area or draw it again."""
    _require_manager(user, mission)
    with transaction.atomic():
        Mission.objects.select_for_update().filter(pk=mission.pk).first()
        area = _area_for(mission, area_id)
        before = {"name": area.name, "places": area.places}
        area.name, area.places = _checked(mission, name, places, keep=area.pk)
        area.save(update_fields=["name", "places", "updated_at"])
        record_change(user, "update", area, before, {"name": area.name, "places": area.places})
    return area


def delete_area(user: AnyUser | None, mission: Mission, area_id: int) -> None:
    """Remove the area; its teams are then in no area."""
    _require_manager(user, mission)
    with transaction.atomic():
        area = _area_for(mission, area_id)
        record_change(user, "delete", area, {"name": area.name, "places": area.places,
                                             "teams": sorted(area.teams.values_list(
                                                 "code", flat=True))}, None)
        area.delete()
