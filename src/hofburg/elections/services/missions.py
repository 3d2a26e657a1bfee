"""Missions, their phase, their members and their polling-station frame."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from zoneinfo import available_timezones

from django.db import transaction

from hofburg.core import bounds as core_bounds
from hofburg.core.access import AccessDenied, AnyUser, allowed_classifications, can_contribute
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.elections import bounds, permissions
from hofburg.elections.engine.phases import PhaseError, check_move
from hofburg.elections.models import Member, Mission, Station, site_time_zone
from hofburg.elections.services.teams import check_place_on_team, ensure_team
from hofburg.elections.states import check_state

FRAME_COLUMNS = ("station_id", "name", "region", "district", "urban_rural", "registered_voters",
                 "lon", "lat")


def check_time_zone(value: str) -> str:
    """An IANA time zone name ("Europe/Chisinau"); Invalid otherwise."""
    zone = (value or "").strip()
    if zone not in available_timezones():
        raise Invalid(f"Not a time zone of the IANA database: {zone[:64]!r} (e.g. "
                      "\"Europe/Chisinau\").", field="time_zone")
    return zone


@dataclass(frozen=True)
class MissionRecord:
    """A new mission as its creator gives it. `state` is a participating State's ISO code,
    checked against the registry; an exercise mission (`exercise`, or any mission of an exercise
    affiliation) may name the exercise State instead. `time_zone` "" is the site's."""

    code: str
    name: str
    state: str
    election_date: date
    election_type: str = ""
    classification: str = "confidential"
    time_zone: str = ""
    exercise: bool = False


def create_mission(user: AnyUser, record: MissionRecord) -> Mission:
    """A mission owned by the creator's affiliation (an editor's)."""
    if not can_contribute(user):
        raise AccessDenied("Only editors with an affiliation may set up a mission.")
    code, name = record.code.strip(), record.name.strip()
    if not code or len(code) > bounds.MAX_CODE_LENGTH or not all(
            c.isalnum() or c in "-_." for c in code):
        raise Invalid(f"1 to {bounds.MAX_CODE_LENGTH} letters, digits, '-', '_' or '.'.",
                      field="code")
    if not name or len(record.name) > bounds.MAX_NAME_LENGTH:
        raise Invalid(f"1 to {bounds.MAX_NAME_LENGTH} characters.", field="name")
    affiliation = user.affiliation  # type: ignore[union-attr]
    exercise = record.exercise or bool(affiliation is not None and affiliation.is_exercise)
    state = check_state(record.state, exercise=exercise)
    zone = check_time_zone(record.time_zone) if record.time_zone else site_time_zone()
    if not core_bounds.FIRST_DAY <= record.election_date <= core_bounds.LAST_DAY:
        raise Invalid("The election date is out of range.", field="election_date")
    if record.classification not in allowed_classifications(user):
        raise Invalid(f"Unknown or not allowed classification {record.classification!r}.",
                      field="classification")
    if Mission.objects.filter(code=code).exists():
        raise Conflict(f"A mission with the code {code} exists.", field="code")
    with transaction.atomic():
        mission = Mission.objects.create(
            code=code, name=name, state=state, election_date=record.election_date,
            election_type=record.election_type.strip(), classification=record.classification,
            owner_affiliation=affiliation, time_zone=zone, is_exercise=exercise)
        record_change(user, "create", mission, None, snapshot(mission))
    return mission


def change_phase(user: AnyUser | None, mission: Mission, phase: str) -> Mission:
    """Move the mission to its next phase (`engine.phases`: forward, one phase at a time), by
    its core team or the owner's editors; Conflict for any other move, Invalid for no phase."""
    if user is not None and not permissions.may_manage(user, mission):
        raise AccessDenied("Only the mission's core team may change its phase.")
    with transaction.atomic():
        locked = Mission.objects.select_for_update().get(pk=mission.pk)
        try:
            moved = check_move(locked.phase, phase)
        except PhaseError as refusal:
            if refusal.unknown:
                raise Invalid(str(refusal), field="phase") from refusal
            raise Conflict(str(refusal), field="phase") from refusal
        before = locked.phase
        locked.phase = moved.value
        locked.save(update_fields=["phase"])
        record_change(user, "phase", locked, {"phase": before}, {"phase": moved.value})
    mission.phase = locked.phase
    return locked


def add_member(user: AnyUser | None, mission: Mission, member: User, role: str,
               team: str = "") -> Member:
    """Put `member` on the mission with `role`, or change their role or team. A team is for
    long- and short-term observers only; naming a team the mission does not have forms it
    (of the observer's kind); a full team, or one of the other kind, is refused. `user` None
    is the operator at the server's command line."""
    if user is not None and not permissions.may_manage(user, mission):
        raise AccessDenied("Only the mission's managers may add members.")
    if role not in Member.Role.values:
        raise Invalid(f"Unknown role {role!r}.", field="role")
    team = team.strip()
    if len(team) > bounds.MAX_CODE_LENGTH:
        raise Invalid(f"At most {bounds.MAX_CODE_LENGTH} characters.", field="team")
    with transaction.atomic():
        found, _created = Member.objects.update_or_create(
            mission=mission, user=member, defaults={"role": role})
        if team:
            ensure_team(user, mission, team, role)
            check_place_on_team(mission, found, team)
        if found.team != team:
            found.team = team
            found.save(update_fields=["team"])
        record_change(user, "member", mission, None,
                      {"user": member.username, "role": role, "team": team})
    return found


def _number(text: str, kind: type[int] | type[float], row: int, column: str,
            errors: list[str]) -> int | float | None:
    if not text.strip():
        return None
    try:
        value = kind(text.strip())
    except ValueError:
        errors.append(f"row {row}: {column} {text!r} is not a number")
        return None
    return value


def _numbers(values: dict[str, str], number: int, errors: list[str]
             ) -> tuple[int | float | None, int | float | None, int | float | None]:
    voters = _number(values["registered_voters"], int, number, "registered_voters", errors)
    if voters is not None and not 0 <= voters <= core_bounds.MAX_COUNT:
        errors.append(f"row {number}: registered_voters out of range")
    lon = _number(values["lon"], float, number, "lon", errors)
    lat = _number(values["lat"], float, number, "lat", errors)
    if lon is not None and not -180 <= lon <= 180:
        errors.append(f"row {number}: lon out of range")
    if lat is not None and not -90 <= lat <= 90:
        errors.append(f"row {number}: lat out of range")
    return voters, lon, lat


def parse_frame(text: str) -> list[dict[str, object]]:
    """The rows of a frame CSV as checked values; Invalid listing row-numbered errors (row 1 is
    the header) if any row is wrong."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in FRAME_COLUMNS if c not in header]
    if missing:
        raise Invalid(f"row 1: missing column(s) {', '.join(missing)}", field="file")
    errors: list[str] = []
    rows: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        if number - 1 > bounds.MAX_FRAME_ROWS:
            raise Invalid(f"More than {bounds.MAX_FRAME_ROWS} stations.", field="file")
        values = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        station_id = values["station_id"]
        if not station_id or len(station_id) > bounds.MAX_STATION_ID_LENGTH:
            errors.append(f"row {number}: station_id must have 1 to "
                          f"{bounds.MAX_STATION_ID_LENGTH} characters")
        elif station_id in seen:
            errors.append(f"row {number}: station_id {station_id} repeats row {seen[station_id]}")
        else:
            seen[station_id] = number
        for column in ("name", "region"):
            if not values[column] or len(values[column]) > bounds.MAX_NAME_LENGTH:
                errors.append(f"row {number}: {column} must have 1 to {bounds.MAX_NAME_LENGTH} "
                              "characters")
        if values["urban_rural"] not in Station.Area.values:
            errors.append(f"row {number}: urban_rural must be urban or rural, not "
                          f"{values['urban_rural']!r}")
        voters, lon, lat = _numbers(values, number, errors)
        rows.append({"station_id": station_id, "name": values["name"],
                     "region": values["region"], "district": values["district"],
                     "urban_rural": values["urban_rural"], "registered_voters": voters,
                     "lon": lon, "lat": lat})
    if errors:
        shown = errors[:bounds.MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        raise Invalid("; ".join(shown) + (f"; and {more} more" if more else ""), field="file")
    if not rows:
        raise Invalid("The frame has no stations.", field="file")
    return rows


def import_frame(user: AnyUser | None, mission: Mission, text: str) -> int:
    """Replace the mission's frame with the stations in `text` (CSV), all or nothing. `user`
    None is the operator at the server's command line."""
    if user is not None and not permissions.may_manage(user, mission):
        raise AccessDenied("Only the mission's managers may import its stations.")
    if len(text) > bounds.MAX_FRAME_BYTES:
        raise Invalid("The file is too large.", field="file")
    rows = parse_frame(text)
    with transaction.atomic():
        before = mission.stations.count()
        mission.stations.all().delete()
        Station.objects.bulk_create([Station(mission=mission, **row) for row in rows],
                                    batch_size=2000)
        record_change(user, "frame", mission, {"stations": before}, {"stations": len(rows)})
    return len(rows)
