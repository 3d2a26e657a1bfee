"""The deployment plan: which team covers which polling station on which day.

The mission's managers (core team, the owner's editors) plan; a team is one of the mission's
teams (`services.teams`), a station one of the mission's frame, a day within the bounds.
Planning the same team, station and day again changes nothing (idempotent for retries)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from hofburg.core import bounds as core_bounds
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Invalid, NotFound
from hofburg.core.services.audit import record_change
from hofburg.elections import permissions
from hofburg.elections.models import Assignment, Mission
from hofburg.elections.services.teams import mission_teams


def assign_team(user: AnyUser | None, mission: Mission, *, team: str, station_id: str,
                day: date) -> tuple[Assignment, bool]:
    """Plan `team` to cover `station_id` on `day`; (the assignment, whether it is new).
    `user` None is the operator at the server's command line."""
    if user is not None and not permissions.may_manage(user, mission):
        raise AccessDenied("Only the mission's core team may plan the deployment.")
    team, station_id = team.strip(), station_id.strip()
    if team not in mission_teams(mission):
        raise Invalid(f"No team {team!r} on this mission.", field="team")
    if not mission.stations.filter(station_id=station_id).exists():
        raise Invalid(f"No polling station {station_id!r} in the mission's frame.",
                      field="station_id")
    if not core_bounds.FIRST_DAY <= day <= core_bounds.LAST_DAY:
        raise Invalid("The day is out of range.", field="day")
    with transaction.atomic():
        found, created = Assignment.objects.get_or_create(
            mission=mission, team=team, station_id=station_id, day=day,
            defaults={"created_by": user if user is not None and user.is_authenticated
                      else None})
        if created:
            record_change(user, "assign", mission, None,
                          {"team": team, "station_id": station_id, "day": day.isoformat()})
    return found, created


def unassign_team(user: AnyUser | None, mission: Mission, assignment_id: int) -> None:
    """Take an assignment off the plan; NotFound for one not on this mission."""
    if user is not None and not permissions.may_manage(user, mission):
        raise AccessDenied("Only the mission's core team may plan the deployment.")
    with transaction.atomic():
        found = Assignment.objects.select_for_update().filter(
            mission=mission, pk=assignment_id).first()
        if found is None:
            raise NotFound("No such assignment on this mission.", field="assignment")
        record_change(user, "unassign", mission,
                      {"team": found.team, "station_id": found.station_id,
                       "day": found.day.isoformat()}, None)
        found.delete()
