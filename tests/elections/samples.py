"""Test material for the elections desk: XLSForms built in memory, submissions as ODK Collect
writes them, a mission with an observer on it."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from openpyxl import Workbook

from hofburg.core.models import Role, User
from hofburg.elections.models import Form, Member, Mission
from hofburg.elections.services.forms import add_form
from hofburg.elections.services.missions import MissionRecord, add_member, create_mission
from hofburg.elections.services.teams import create_team
from tests.conftest import PASSWORD, Cast

FOUR_POINT = ["very_good", "good", "bad", "very_bad", "not_observed"]


def xlsform(form_id: str = "voting", version: str | None = "1", *,
            extra: list[list[str]] | None = None, title: str = "Voting") -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["start", "start", ""])
    survey.append(["text", "station_id", "Polling station"])
    survey.append(["select_one yesno", "box_sealed", "Was the ballot box sealed?"])
    survey.append(["begin group", "assessment", "Assessment"])
    survey.append(["select_one four", "overall", "Overall assessment of voting"])
    survey.append(["end group", "", ""])
    for row in extra or []:
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for name in ["yes", "no", "na"]:
        choices.append(["yesno", name, name])
    for name in FOUR_POINT:
        choices.append(["four", name, name.replace("_", " ")])
    settings = book.create_sheet("settings")
    if version is None:
        settings.append(["form_id", "form_title"])
        settings.append([form_id, title])
    else:
        settings.append(["form_id", "form_title", "version"])
        settings.append([form_id, title, version])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def submission_xml(form_id: str = "voting", version: str = "1", *, instance: str | None = None,
                   station: str = "P001", sealed: str = "yes", overall: str = "good",
                   start: str = "2026-12-06T09:15:00.000+01:00") -> bytes:
    instance = instance or f"uuid:{uuid.uuid4()}"
    return (f'<?xml version="1.0"?><data xmlns:jr="http://openrosa.org/javarosa" '
            f'xmlns:orx="http://openrosa.org/xforms" id="{form_id}" version="{version}">'
            f"<start>{start}</start><station_id>{station}</station_id>"
            f"<box_sealed>{sealed}</box_sealed><assessment><overall>{overall}</overall>"
            f"</assessment><meta><instanceID>{instance}</instanceID></meta></data>").encode()


@dataclass
class Eom:
    mission: Mission
    form: Form
    manager: User  # an editor of the owner affiliation
    observer: User  # a short-term observer on the mission
    bystander: User  # a reader of the owner affiliation, not on the mission
    password: str = PASSWORD


def eom(cast: Cast, code: str = "TEST-EOM", form_id: str = "voting") -> Eom:
    from datetime import date

    mission = create_mission(cast.mona, MissionRecord(
        code=code, name="Test election observation mission", state="XE",
        election_date=date(2026, 12, 6), exercise=True))
    form, _ = add_form(cast.mona, mission, xlsform(form_id), "voting.xlsx")
    observer = User.objects.create_user(username=f"sto-{code.lower()}", password=PASSWORD,
                                        affiliation=cast.mission, roles=[Role.READER])
    add_member(cast.mona, mission, observer, Member.Role.STO, "T01")
    bystander = User.objects.create_user(username=f"reader-{code.lower()}", password=PASSWORD,
                                         affiliation=cast.mission, roles=[Role.READER])
    return Eom(mission, form, cast.mona, observer, bystander)


def store_elections_sample(cast: Cast) -> Mission:
    """A little of the desk's data for API-wide runs: alice's delegation's mission with a
    frame, a form and a submission."""
    from datetime import date

    from hofburg.elections.services.missions import import_frame
    from hofburg.elections.services.submissions import receive

    mission = create_mission(cast.alice, MissionRecord(
        code="SAMPLE-EOM", name="Sample mission", state="XE", election_date=date(2026, 12, 6),
        classification="restricted", exercise=True))
    import_frame(cast.alice, mission, "station_id,name,region,district,urban_rural,"
                 "registered_voters,lon,lat\nP001,School,North,N1,urban,1000,20.1,44.2\n")
    add_form(cast.alice, mission, xlsform("sample-voting"))
    receive(cast.alice, submission_xml("sample-voting", overall="good"))
    from hofburg.elections.services.deployment import assign_team

    Member.objects.create(mission=mission, user=cast.alice, role=Member.Role.CORE)
    create_team(cast.alice, mission, code="T01", kind="sto")
    assign_team(cast.alice, mission, team="T01", station_id="P001", day=date(2026, 12, 6))
    from hofburg.elections.services.pvt import set_up_pvt

    import_frame(cast.alice, mission, "station_id,name,region,district,urban_rural,"
                 "registered_voters,lon,lat\nP001,School,North,N1,urban,1000,20.1,44.2\n"
                 "P002,Hall,South,S1,rural,700,20.4,43.9\n")
    add_form(cast.alice, mission, results_xlsform("sample-results"))
    set_up_pvt(cast.alice, mission, form_id="sample-results", candidates=["cand_a", "cand_b"],
               strata=["region"], sample=["P001", "P002"])
    for station in ("P001", "P002"):
        receive(cast.alice, results_xml(station, 100, 55, 45, form_id="sample-results"))
    return mission


def results_xlsform(form_id: str = "results", version: str = "1") -> bytes:
    """A PVT results form: the station, registered voters, valid votes and two candidates."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["text", "station_id", "Polling station"])
    for name in ("registered", "valid", "cand_a", "cand_b"):
        survey.append(["integer", name, name])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "version"])
    settings.append([form_id, "Results", version])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def results_xml(station: str, valid: int | str, a: int, b: int, *, registered: int | str = "",
                form_id: str = "results", version: str = "1") -> bytes:
    return (f'<?xml version="1.0"?><data id="{form_id}" version="{version}">'
            f"<station_id>{station}</station_id><registered>{registered}</registered>"
            f"<valid>{valid}</valid><cand_a>{a}</cand_a><cand_b>{b}</cand_b>"
            f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>").encode()
