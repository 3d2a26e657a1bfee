"""The election observation desk's API, mounted at `/api/v1/elections/`.

Reads go through `elections.queries` (`core.access`): a mission the caller may not see, and
its forms, stations and figures, are a 404 like a missing one. Freezing the figures at a
cut-off needs an API token of the mission's core team or analysts; refusals rise to
`core.api`'s handlers as problem+json. Observers' devices submit through OpenRosa
(`/openrosa/`), not through this API.
"""

# No `from __future__ import annotations`: django-ninja reads the annotations at import time.
import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StringConstraints

from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import PastMoment
from hofburg.elections import bounds
from hofburg.elections.models import Form, Mission, Station
from hofburg.elections.queries import (
    figures,
    form_versions,
    forms_for,
    mission_for,
    missions_for,
    submissions_table,
)
from hofburg.elections.services.snapshots import freeze

router = Router(tags=["elections"])

Code = Annotated[str, StringConstraints(min_length=1, max_length=bounds.MAX_CODE_LENGTH,
                                        pattern=r"^[A-Za-z0-9._-]+$")]
FormId = Annotated[str, StringConstraints(min_length=1, max_length=bounds.MAX_FORM_ID_LENGTH,
                                          pattern=r"^[A-Za-z0-9._-]+$")]


class MissionOut(Schema):
    code: str
    name: str
    state: str
    election_type: str
    election_date: dt.date
    phase: str
    classification: str
    is_exercise: bool


class StationOut(Schema):
    station_id: str
    name: str
    region: str
    district: str
    urban_rural: str
    registered_voters: int | None
    lon: float | None
    lat: float | None


class FormOut(Schema):
    form_id: str
    version: str
    title: str
    md5: str
    questions: list[dict[str, Any]]
    created_at: dt.datetime


class SnapshotIn(Schema):
    cutoff: PastMoment = Field(..., description="The statement's cut-off, ISO 8601 with an "
                               "offset; forms received later are left out.")


class SubmissionsOut(Schema):
    columns: list[str]
    rows: list[list[Any]]


@router.get("/missions", response=list[MissionOut], summary="The missions you may see")
@paginate(Page)
def list_missions(request: HttpRequest) -> QuerySet[Mission]:
    return missions_for(current_user(request))


@router.get("/missions/{code}", response=MissionOut, summary="One mission")
def get_mission(request: HttpRequest, code: Code) -> Mission:
    return mission_for(current_user(request), code)


@router.get("/missions/{code}/stations", response=list[StationOut],
            summary="The mission's polling-station frame")
@paginate(Page)
def list_stations(request: HttpRequest, code: Code) -> QuerySet[Station]:
    return mission_for(current_user(request), code).stations.order_by("station_id")


@router.get("/missions/{code}/forms", response=list[FormOut],
            summary="The mission's forms, every version, newest first")
def list_forms(request: HttpRequest, code: Code) -> list[Form]:
    user = current_user(request)
    return list(forms_for(user, mission_for(user, code)))


@router.get("/forms/{form_id}/submissions", response=SubmissionsOut,
            summary="A form's submissions, one column per field")
def list_submissions(request: HttpRequest, form_id: FormId) -> dict[str, Any]:
    table = submissions_table(current_user(request), form_id)
    return {"columns": table.columns, "rows": table.rows}


@router.post("/forms/{form_id}/snapshots", response={201: dict[str, Any]},
             summary="Freeze a form's submissions at a cut-off and get the statement figures")
def create_snapshot(request: HttpRequest, form_id: FormId, payload: SnapshotIn) -> Any:
    """The same cut-off gives the same snapshot and `snapshot_sha256`."""
    user = require_user(request)
    versions = form_versions(user, form_id)
    snapshot = freeze(user, form_id, payload.cutoff)
    return Status(201, figures(snapshot, versions))
