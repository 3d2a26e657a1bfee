"""Missions, their members and their polling-station frame."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.db import transaction

from hofburg.core import bounds as core_bounds
from hofburg.core.access import AccessDenied, AnyUser, allowed_classifications, can_contribute
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.elections import bounds, permissions
from hofburg.elections.models import Member, Mission, Station

FRAME_COLUMNS = ("station_id", "name", "region", "district", "urban_rural", "registered_voters",
                 "lon", "lat")


def create_mission(user: AnyUser, *, code: str, name: str, state: str, election_date: date,
                   election_type: str = "", classification: str = "confidential") -> Mission:
    """A mission owned by the creator's affiliation (an editor's)."""
    if not can_contribute(user):
        raise AccessDenied("Only editors with an affiliation may set up a mission.")
    code = code.strip()
    if not code or len(code) > bounds.MAX_CODE_LENGTH or not all(
            c.isalnum() or c in "-_." for c in code):
        raise Invalid(f"1 to {bounds.MAX_CODE_LENGTH} letters, digits, '-', '_' or '.'.",
                      field="code")
    if not name.strip() or len(name) > bounds.MAX_NAME_LENGTH:
        raise Invalid(f"1 to {bounds.MAX_NAME_LENGTH} characters.", field="name")
    if not state.strip() or len(state) > bounds.MAX_NAME_LENGTH:
        raise Invalid(f"1 to {bounds.MAX_NAME_LENGTH} characters.", field="state")
    if not core_bounds.FIRST_DAY <= election_date <= core_bounds.LAST_DAY:
        raise Invalid("The election date is out of range.", field="election_date")
    if classification not in allowed_classifications(user):
        raise Invalid(f"Unknown or not allowed classification {classification!r}.",
                      field="classification")
    if Mission.objects.filter(code=code).exists():
        raise Conflict(f"A mission with the code {code} exists.", field="code")
    affiliation = user.affiliation  # type: ignore[union-attr]
    with transaction.atomic():
        mission = Mission.objects.create(
            code=code, name=name.strip(), state=state.strip(), election_date=election_date,
            election_type=election_type.strip(), classification=classification,
            owner_affiliation=affiliation,
            is_exercise=bool(affiliation is not None and affiliation.is_exercise))
        record_change(user, "create", mission, None, snapshot(mission))
    return mission


def add_member(user: AnyUser, mission: Mission, member: User, role: str,
               team: str = "") -> Member:
    if not permissions.may_manage(user, mission):
        raise AccessDenied("Only the mission's managers may add members.")
    if role not in Member.Role.values:
        raise Invalid(f"Unknown role {role!r}.", field="role")
    if len(team) > bounds.MAX_CODE_LENGTH:
        raise Invalid(f"At most {bounds.MAX_CODE_LENGTH} characters.", field="team")
    with transaction.atomic():
        found, _created = Member.objects.update_or_create(
            mission=mission, user=member, defaults={"role": role, "team": team.strip()})
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
