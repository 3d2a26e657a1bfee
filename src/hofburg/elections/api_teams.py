"""The mission's organisation in the API, mounted beside `elections.api` at `/api/v1/elections/`:
its phase (which the core team moves on), its areas of responsibility and its observer teams.

Reads are for the core team and analysts (and the owner's editors), as the deployment board:
403 for others who may see the mission, 404 (like a missing one) for those who may not. The
phase moves through `services.missions.change_phase`, audited; refusals are problem+json.
"""

# No `from __future__ import annotations`: django-ninja reads the annotations at import time.
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema

from hofburg.core.access import AccessDenied
from hofburg.core.api import current_user, require_user
from hofburg.elections import permissions
from hofburg.elections.api import Code, MissionOut
from hofburg.elections.models import Mission
from hofburg.elections.queries import mission_for
from hofburg.elections.queries.teams import area_rows, team_rows
from hofburg.elections.services.missions import change_phase

router = Router(tags=["elections"])

PhaseName = Literal["needs_assessment", "deployment", "election_day", "post_election"]


class PhaseIn(Schema):
    phase: PhaseName


class PlaceOut(Schema):
    region: str
    district: str


class AreaOut(Schema):
    id: int
    name: str
    places: list[PlaceOut]
    stations: int
    teams: list[str]


class TeamOut(Schema):
    code: str
    kind: str
    area: str | None
    observers: list[str]
    complete: bool
    missing: int


def _readable(request: HttpRequest, code: str) -> Mission:
    user = current_user(request)
    mission = mission_for(user, code)
    if not permissions.may_analyse(user, mission):
        raise AccessDenied("Only the mission's core team and analysts may read its teams.")
    return mission


@router.post("/missions/{code}/phase", response=MissionOut,
             summary="Move the mission to its next phase (core team)")
def move_phase(request: HttpRequest, code: Code, payload: PhaseIn) -> Mission:
    """Forward one phase at a time: needs_assessment, deployment, election_day,
    post_election. Any other move is 409 and changes nothing."""
    user = require_user(request)
    return change_phase(user, mission_for(user, code), payload.phase)


@router.get("/missions/{code}/areas", response=list[AreaOut],
            summary="The mission's areas of responsibility")
def list_areas(request: HttpRequest, code: Code) -> list[dict[str, Any]]:
    """Each area with its regions and districts (district "" for the whole region), the
    frame's polling stations in it and its teams."""
    return [{"id": row["area"].pk, "name": row["area"].name,
             "places": [{"region": p.region, "district": p.district} for p in row["places"]],
             "stations": row["stations"], "teams": row["teams"]}
            for row in area_rows(_readable(request, code))]


@router.get("/missions/{code}/teams", response=list[TeamOut],
            summary="The mission's LTO and STO teams")
def list_teams(request: HttpRequest, code: Code) -> list[dict[str, Any]]:
    """Each team with its kind (lto, sto), area, observers and whether it has its two
    (`missing`: the observers it lacks)."""
    return [{"code": row["code"], "kind": row["kind"],
             "area": row["area"].name if row["area"] else None, "observers": row["observers"],
             "complete": row["status"].complete, "missing": row["status"].missing}
            for row in team_rows(_readable(request, code))]
