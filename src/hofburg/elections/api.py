"""The election observation desk's API, mounted at `/api/v1/elections/`.

Reads go through `elections.queries` (`core.access`): a mission the caller may not see, and
its forms, stations and figures, are a 404 like a missing one. Freezing the figures at a
cut-off needs an API token of the mission's core team or analysts; refusals rise to
`core.api`'s handlers as problem+json. Observers' devices submit through OpenRosa
(`/openrosa/`), not through this API.
"""

# No `from __future__ import annotations`: django-ninja reads the annotations at import time.
import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import StringConstraints

from hofburg.core.access import AccessDenied
from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import Day, PastMoment
from hofburg.core.errors import Invalid, NotFound
from hofburg.core.models import Classification, User
from hofburg.elections import bounds, permissions
from hofburg.elections.models import Assignment, Form, Member, Mission, Station, Submission
from hofburg.elections.queries import (
    figures,
    form_versions,
    forms_for,
    mission_for,
    missions_for,
    open_conflicts,
    pvt_board,
    serious_problems,
    submissions_table,
)
from hofburg.elections.services import deployment as deployment_services
from hofburg.elections.services import forms as form_services
from hofburg.elections.services import missions as mission_services
from hofburg.elections.services import pvt as pvt_services
from hofburg.elections.services.snapshots import freeze, resolve_conflict
from hofburg.elections.services.submissions import CLERK_DEVICE, receive_clerk_entry

router = Router(tags=["elections"])

Code = Annotated[str, StringConstraints(min_length=1, max_length=bounds.MAX_CODE_LENGTH,
                                        pattern=r"^[A-Za-z0-9._-]+$")]
FormId = Annotated[str, StringConstraints(min_length=1, max_length=bounds.MAX_FORM_ID_LENGTH,
                                          pattern=r"^[A-Za-z0-9._-]+$")]


class MissionOut(Schema):
    code: str
    name: str
    state: str = Field(..., description="The ISO 3166-1 alpha-2 code of the State observed.")
    state_name: str
    election_type: str
    election_date: dt.date
    phase: str
    time_zone: str
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


class MissionIn(Schema):
    code: Code
    name: str = Field(..., min_length=1, max_length=bounds.MAX_NAME_LENGTH)
    state: str = Field(..., min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$",
                       examples=["MD"], description="The ISO 3166-1 alpha-2 code of a "
                       "participating State in the registry (an exercise mission may name "
                       "the exercise State XE).")
    election_date: Day
    election_type: str = Field("", max_length=bounds.MAX_NAME_LENGTH)
    classification: Classification = Classification.CONFIDENTIAL
    time_zone: str = Field("", max_length=64, examples=["Europe/Chisinau"],
                           description="The IANA zone of the country's clocks; the site's by "
                           "default.")
    is_exercise: bool = Field(False, description="An exercise mission (always, for an exercise "
                              "affiliation).")


class MemberIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    role: Member.Role
    team: str = Field("", max_length=bounds.MAX_CODE_LENGTH)


class MemberOut(Schema):
    username: str
    role: str
    team: str


class FrameOut(Schema):
    stations: int


class FormAdded(Schema):
    form_id: str
    version: str
    title: str
    md5: str
    created: bool


class EntryIn(Schema):
    xml: str = Field(..., min_length=1, max_length=bounds.MAX_SUBMISSION_XML_BYTES,
                     description="The filled-in form as XForm instance XML, with its "
                     "meta/instanceID.")
    channel: Literal["paper", "phone", "pen"] = "paper"
    device: str = Field("", max_length=bounds.MAX_DEVICE_LENGTH,
                        description="The desk or device it was entered at; \"clerk entry\" "
                        "when not given.")
    captured_at: PastMoment | None = Field(None, description="When the observer filled the "
                                           "form in, ISO 8601 with an offset; not before the "
                                           "mission was set up. Without it, the form's own "
                                           "start and end stand.")


class EntryOut(Schema):
    instance_id: str
    created: bool


class ProblemOut(Schema):
    instance_id: str
    form_id: str
    station_id: str
    region: str
    reported_by: str
    when: dt.datetime
    reasons: list[str]


class ConflictOut(Schema):
    form_id: str
    station_id: str
    team: str
    instances: list[str]
    differing: list[str]


class ResolveIn(Schema):
    form_id: FormId
    station_id: str = Field(..., min_length=1, max_length=bounds.MAX_STATION_ID_LENGTH)
    team: str = Field(..., min_length=1, max_length=bounds.MAX_CODE_LENGTH)
    instance_id: str = Field(..., min_length=1, max_length=bounds.MAX_INSTANCE_ID_LENGTH)


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
    """The mission's core team and analysts (403 for others who may see the mission)."""
    user = current_user(request)
    versions = form_versions(user, form_id)
    if not permissions.may_analyse(user, versions[0].mission):
        raise AccessDenied("Only the mission's core team and analysts may read submissions.")
    table = submissions_table(user, form_id)
    return {"columns": table.columns, "rows": table.rows}


@router.post("/forms/{form_id}/snapshots", response={201: dict[str, Any]},
             summary="Freeze a form's submissions at a cut-off and get the statement figures")
def create_snapshot(request: HttpRequest, form_id: FormId, payload: SnapshotIn) -> Any:
    """The same cut-off gives the same snapshot and `snapshot_sha256`."""
    user = require_user(request)
    versions = form_versions(user, form_id)
    snapshot = freeze(user, form_id, payload.cutoff)
    return Status(201, figures(snapshot, versions))


@router.post("/missions", response={201: MissionOut}, summary="Set up a mission")
def create_mission(request: HttpRequest, payload: MissionIn) -> Any:
    """Editors with an affiliation; the mission belongs to their affiliation."""
    return Status(201, mission_services.create_mission(
        require_user(request), mission_services.MissionRecord(
            code=payload.code, name=payload.name, state=payload.state,
            election_date=payload.election_date, election_type=payload.election_type,
            classification=payload.classification, time_zone=payload.time_zone,
            exercise=payload.is_exercise)))


@router.post("/missions/{code}/members", response={201: MemberOut},
             summary="Add a member to a mission, or change their role or team")
def add_member(request: HttpRequest, code: Code, payload: MemberIn) -> Any:
    user = require_user(request)
    mission = mission_for(user, code)
    member = User.objects.filter(username=payload.username, is_active=True).first()
    if member is None:
        raise NotFound(f"No active user {payload.username!r}.", field="username")
    found = mission_services.add_member(user, mission, member, payload.role, payload.team)
    return Status(201, {"username": member.username, "role": found.role, "team": found.team})


@router.post("/missions/{code}/stations", response={201: FrameOut},
             summary="Replace the polling-station frame from a CSV file (multipart)")
def import_stations(request: HttpRequest, code: Code, file: File[UploadedFile]) -> Any:
    """All or nothing: a bad row refuses the file with every bad row named (row 1 is the
    header)."""
    user = require_user(request)
    mission = mission_for(user, code)
    if (file.size or 0) > bounds.MAX_FRAME_BYTES:
        raise Invalid("The file is too large.", field="file")
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid("The file is not UTF-8 text.", field="file") from exc
    return Status(201, {"stations": mission_services.import_frame(user, mission, text)})


@router.post("/missions/{code}/forms", response={201: FormAdded},
             summary="Add a form or a new version of one from an XLSForm (multipart)")
def add_form(request: HttpRequest, code: Code, file: File[UploadedFile]) -> Any:
    user = require_user(request)
    mission = mission_for(user, code)
    if (file.size or 0) > bounds.MAX_XLSFORM_BYTES:
        raise Invalid("The XLSForm is too large.", field="file")
    form, created = form_services.add_form(user, mission, file.read(), file.name or "")
    return Status(201, {"form_id": form.form_id, "version": form.version, "title": form.title,
                        "md5": form.md5, "created": created})


@router.post("/missions/{code}/submissions", response={201: EntryOut},
             summary="Enter a paper, phoned-in or digital-pen form (data clerks)")
def enter_submission(request: HttpRequest, code: Code, payload: EntryIn) -> Any:
    """The mission's data clerks and core team. Lands in the same store as OpenRosa
    submissions, with its channel; idempotent on the instance id like them."""
    user = require_user(request)
    mission = mission_for(user, code)
    stored, created = receive_clerk_entry(
        user, mission, payload.xml.encode(), channel=payload.channel,
        captured_at=payload.captured_at, device=payload.device or CLERK_DEVICE)
    return Status(201, {"instance_id": stored.instance_id, "created": created})


@router.get("/missions/{code}/problems", response=list[ProblemOut],
            summary="The serious-problems queue (core team and analysts)")
def list_problems(request: HttpRequest, code: Code) -> list[dict[str, Any]]:
    user = current_user(request)
    mission = mission_for(user, code)
    if not permissions.may_analyse(user, mission):
        raise AccessDenied("Only the mission's core team and analysts may read the queue.")
    return [{"instance_id": p["submission"].instance_id, "form_id": p["form"].form_id,
             "station_id": p["submission"].station_id,
             "region": p["station"].region if p["station"] else "",
             "reported_by": p["reported_by"], "when": p["when"], "reasons": p["reasons"]}
            for p in serious_problems(mission)]


@router.get("/missions/{code}/conflicts", response=list[ConflictOut],
            summary="Paired observers' forms that disagree, held out of the figures")
def list_conflicts(request: HttpRequest, code: Code) -> list[dict[str, Any]]:
    user = current_user(request)
    mission = mission_for(user, code)
    if not permissions.may_analyse(user, mission):
        raise AccessDenied("Only the mission's core team and analysts may read conflicts.")
    return open_conflicts(mission)


@router.post("/missions/{code}/conflicts/resolve", response={201: ConflictOut},
             summary="Choose the form that stands for a paired observers' conflict")
def resolve(request: HttpRequest, code: Code, payload: ResolveIn) -> Any:
    user = require_user(request)
    mission = mission_for(user, code)
    found = resolve_conflict(user, mission, payload.form_id, payload.station_id, payload.team,
                             payload.instance_id)
    return Status(201, {"form_id": found.form_id, "station_id": found.station_id,
                        "team": found.team, "instances": [payload.instance_id],
                        "differing": []})


class AssignmentIn(Schema):
    team: str = Field(..., min_length=1, max_length=bounds.MAX_CODE_LENGTH)
    station_id: str = Field(..., min_length=1, max_length=bounds.MAX_STATION_ID_LENGTH)
    day: Day


class AssignmentOut(Schema):
    id: int
    team: str
    station_id: str
    day: dt.date
    visited: bool


def _assignment_out(found: Assignment, visited: bool) -> dict[str, Any]:
    return {"id": found.pk, "team": found.team, "station_id": found.station_id,
            "day": found.day, "visited": visited}


def _planner_view(request: HttpRequest, code: str) -> Mission:
    user = current_user(request)
    mission = mission_for(user, code)
    if not permissions.may_analyse(user, mission):
        raise AccessDenied("Only the mission's core team and analysts may read the deployment.")
    return mission


@router.get("/missions/{code}/assignments", response=list[AssignmentOut],
            summary="The deployment plan: which team covers which station on which day")
def list_assignments(request: HttpRequest, code: Code) -> list[dict[str, Any]]:
    """Core team and analysts; `visited` is true once the mission has a form for the station."""
    mission = _planner_view(request, code)
    visited = set(Submission.objects.filter(form__mission=mission)
                  .values_list("station_id", flat=True).distinct())
    return [_assignment_out(a, a.station_id in visited) for a in mission.assignments.all()]


@router.post("/missions/{code}/assignments", response={201: AssignmentOut},
             summary="Plan a team to cover a polling station on a day (core team)")
def add_assignment(request: HttpRequest, code: Code, payload: AssignmentIn) -> Any:
    """The same team, station and day again changes nothing and answers 201 with the plan."""
    user = require_user(request)
    mission = mission_for(user, code)
    found, _created = deployment_services.assign_team(
        user, mission, team=payload.team, station_id=payload.station_id, day=payload.day)
    visited = Submission.objects.filter(form__mission=mission,
                                        station_id=found.station_id).exists()
    return Status(201, _assignment_out(found, visited))


@router.delete("/missions/{code}/assignments/{assignment_id}", response={204: None},
               summary="Take an assignment off the deployment plan (core team)")
def remove_assignment(request: HttpRequest, code: Code,
                      assignment_id: Annotated[int, Field(ge=1, le=2**53)]) -> Any:
    user = require_user(request)
    mission = mission_for(user, code)
    deployment_services.unassign_team(user, mission, assignment_id)
    return Status(204, None)


StationId = Annotated[str, StringConstraints(min_length=1,
                                             max_length=bounds.MAX_STATION_ID_LENGTH)]
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=bounds.MAX_FORM_ID_LENGTH)]


class PvtSetupIn(Schema):
    form_id: FormId = Field(..., description="The results form: fields station_id, valid, "
                            "optionally registered, rejected, blank, and one per candidate.")
    candidates: list[FieldName] = Field(..., min_length=1, max_length=bounds.MAX_CANDIDATES)
    strata: list[Literal["region", "urban_rural"]] = Field(..., min_length=1, max_length=2)
    sample: list[StationId] = Field(..., min_length=2, max_length=bounds.MAX_FRAME_ROWS,
                                    description="The sampled stations' ids.")
    min_valid: int = Field(1, ge=1, le=bounds.MAX_VALID_VOTES,
                           description="A result counts as reported with at least this many "
                           "valid votes (and votes for the candidates).")
    require_registered: bool = Field(False, description="A result counts as reported only with "
                                     "registered voters above zero.")


class PvtSetupOut(Schema):
    form_id: str
    candidates: list[str]
    strata: list[str]
    sampled: int
    min_valid: int
    require_registered: bool


class RegionRateOut(Schema):
    region: str
    sampled: int
    received: int
    reported: int
    rate_pct: float


class PvtBoardOut(Schema):
    setup: PvtSetupOut
    sampled: int
    received: int
    reported: int
    regions: list[RegionRateOut]
    estimate: dict[str, Any] | None
    convergence: list[dict[str, Any]]


def _setup_out(setup: Any) -> dict[str, Any]:
    return {"form_id": setup.form_id, "candidates": setup.candidates, "strata": setup.strata,
            "sampled": len(setup.sample), "min_valid": setup.min_valid,
            "require_registered": setup.require_registered}


@router.get("/missions/{code}/pvt", response=PvtBoardOut,
            summary="The PVT board: estimate, convergence and reporting rate by region")
def get_pvt(request: HttpRequest, code: Code) -> dict[str, Any]:
    """Core team and analysts; 404 when the mission has no PVT set up."""
    mission = _planner_view(request, code)
    board = pvt_board(mission)
    if board is None:
        raise NotFound("The mission has no PVT set up.")
    return {**board, "setup": _setup_out(board["setup"])}


@router.put("/missions/{code}/pvt", response=PvtSetupOut,
            summary="Set up the mission's PVT: results form, candidates, strata, sample, rule")
def put_pvt(request: HttpRequest, code: Code, payload: PvtSetupIn) -> dict[str, Any]:
    user = require_user(request)
    mission = mission_for(user, code)
    setup = pvt_services.set_up_pvt(
        user, mission, form_id=payload.form_id, candidates=payload.candidates,
        strata=payload.strata, sample=payload.sample, min_valid=payload.min_valid,
        require_registered=payload.require_registered)
    return _setup_out(setup)
