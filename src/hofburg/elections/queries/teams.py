"""Reading a mission's teams and areas of responsibility (the mission itself comes through
`core.access` first: these take a mission the reader may see)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hofburg.elections.engine.areas import Place, area_of
from hofburg.elections.engine.teams import TeamStatus
from hofburg.elections.models import Member, Mission, Team


def _places(places: list[dict[str, str]]) -> list[Place]:
    return [Place(str(p["region"]), str(p.get("district") or "")) for p in places]


def team_rows(mission: Mission) -> list[dict[str, Any]]:
    """Every team of the mission, by code: its kind, area, observers (usernames) and how far it
    is staffed (`status`, an `engine.teams.TeamStatus`). A label members carry without a team
    record (none since migration 0003) is listed too, with no kind."""
    members: dict[str, list[Member]] = {}
    for member in mission.members.select_related("user").exclude(team="").order_by(
            "user__username"):
        members.setdefault(member.team, []).append(member)
    rows: dict[str, dict[str, Any]] = {}
    for team in Team.objects.filter(mission=mission).select_related("area"):
        observers = [m.user.username for m in members.get(team.code, []) if m.role == team.kind]
        rows[team.code] = {"team": team, "code": team.code, "kind": team.kind,
                           "kind_label": team.get_kind_display(), "area": team.area,
                           "observers": observers, "status": TeamStatus(len(observers))}
    for code, found in members.items():
        if code not in rows:
            rows[code] = {"team": None, "code": code, "kind": "", "kind_label": "",
                          "area": None, "observers": [m.user.username for m in found],
                          "status": TeamStatus(len(found))}
    return [rows[code] for code in sorted(rows)]


def area_rows(mission: Mission) -> list[dict[str, Any]]:
    """Every area of the mission, by name: its places, the frame's stations in it and its
    teams' codes."""
    areas = list(mission.areas.all())
    places = {a.name: _places(a.places) for a in areas}
    stations: Counter[str] = Counter()
    for region, district in mission.stations.values_list("region", "district"):
        name = area_of(places, region, district)
        if name is not None:
            stations[name] += 1
    teams: dict[int, list[str]] = {}
    for area_id, code in Team.objects.filter(mission=mission, area__isnull=False).order_by(
            "code").values_list("area_id", "code"):
        teams.setdefault(area_id, []).append(code)
    return [{"area": a, "places": places[a.name], "stations": stations[a.name],
             "teams": teams.get(a.pk, [])} for a in areas]


def frame_places(mission: Mission) -> list[Place]:
    """The regions of the frame, each followed by its districts: what an area may take."""
    found: dict[str, set[str]] = {}
    for region, district in mission.stations.values_list("region", "district").distinct():
        found.setdefault(region, set())
        if district:
            found[region].add(district)
    return [place for region in sorted(found)
            for place in (Place(region), *(Place(region, d) for d in sorted(found[region])))]
