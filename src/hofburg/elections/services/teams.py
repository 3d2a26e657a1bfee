"""Observer teams: LTO and STO teams of two (`engine.teams`), each in an area of responsibility.

The mission's managers (core team, the owner's editors) form teams, put observers on them, take
them off and move a team to another area. A team's code is what the rest of the desk names it
by (a member's `team`, the deployment plan, the submissions), so a code is never renamed; an
empty team with nothing planned may be removed. `user` None is the operator at the server's
command line, as for the desk's other services.
"""

from __future__ import annotations

from django.db import transaction

from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import User
from hofburg.core.services.audit import record_change
from hofburg.elections import bounds, permissions
from hofburg.elections.engine.teams import TeamError, TeamKind, check_observer
from hofburg.elections.models import Area, Assignment, Member, Mission, Team

KINDS = frozenset(kind.value for kind in TeamKind)


def _require_manager(user: AnyUser | None, mission: Mission) -> None:
    if user is not None and not permissions.may_manage(user, mission):
        raise AccessDenied("Only the mission's core team may form its teams.")


def _code(value: str) -> str:
    code = (value or "").strip()
    if not code or len(code) > bounds.MAX_CODE_LENGTH or not all(
            c.isalnum() or c in "-_. " for c in code):
        raise Invalid(f"1 to {bounds.MAX_CODE_LENGTH} letters, digits, spaces, '-', '_' or '.'.",
                      field="team")
    return code


def _area(mission: Mission, area_id: int | None) -> Area | None:
    if area_id is None:
        return None
    found = Area.objects.filter(mission=mission, pk=area_id).first()
    if found is None:
        raise Invalid("No such area of responsibility on this mission.", field="area")
    return found


def observers(team: Team) -> list[Member]:
    """The team's observers: members with its code and its kind as their role."""
    return list(Member.objects.filter(mission_id=team.mission_id, team=team.code, role=team.kind)
                .select_related("user").order_by("user__username"))


def create_team(user: AnyUser | None, mission: Mission, *, code: str, kind: str,
                area_id: int | None = None) -> Team:
    """A new team of `kind` (lto or sto), in the area given (or none yet); Conflict when the
    mission has a team of that code."""
    _require_manager(user, mission)
    code = _code(code)
    if kind not in KINDS:
        raise Invalid(f"No kind of team {kind!r}: lto or sto.", field="kind")
    area = _area(mission, area_id)
    with transaction.atomic():
        if Team.objects.filter(mission=mission, code=code).exists():
            raise Conflict(f"The mission has a team {code} already.", field="team")
        team = Team.objects.create(mission=mission, code=code, kind=kind, area=area)
        record_change(user, "create", team, None, _snapshot(team))
    return team


def _snapshot(team: Team) -> dict[str, object]:
    return {"mission": team.mission.code, "team": team.code, "kind": team.kind,
            "area": team.area.name if team.area else None}


def team_for(mission: Mission, code: str, *, lock: bool = False) -> Team:
    found = Team.objects.filter(mission=mission, code=(code or "").strip())
    # Only the team's row is locked: PostgreSQL locks no row on the nullable side of the join
    # to its area.
    team = (found.select_for_update(of=("self",)) if lock else found).select_related(
        "area", "mission").first()
    if team is None:
        raise Invalid(f"No team {code!r} on this mission.", field="team")
    return team


def set_team_area(user: AnyUser | None, mission: Mission, code: str,
                  area_id: int | None) -> Team:
    """Move the team to another area of responsibility (None: no area)."""
    _require_manager(user, mission)
    area = _area(mission, area_id)
    with transaction.atomic():
        team = team_for(mission, code, lock=True)
        before = _snapshot(team)
        team.area = area
        team.save(update_fields=["area"])
        record_change(user, "update", team, before, _snapshot(team))
    return team


def check_place_on_team(mission: Mission, member: Member, code: str) -> Team:
    """The team `member` may join (its kind, not full), locked; Invalid naming the reason."""
    team = team_for(mission, code, lock=True)
    others = Member.objects.filter(mission=mission, team=team.code, role=team.kind).exclude(
        pk=member.pk).count()
    try:
        check_observer(team.kind, member.role, others)
    except TeamError as refusal:
        raise Invalid(str(refusal), field="team") from refusal
    return team


def place_observer(user: AnyUser | None, mission: Mission, observer: User, code: str) -> Member:
    """Put an observer of the mission (an LTO or STO member) on a team of their kind that has
    room; a member on another team leaves it."""
    _require_manager(user, mission)
    member = Member.objects.filter(mission=mission, user=observer).first()
    if member is None:
        raise Invalid(f"{observer.username} is not on this mission.", field="observer")
    with transaction.atomic():
        team = check_place_on_team(mission, member, code)
        before = member.team
        member.team = team.code
        member.save(update_fields=["team"])
        record_change(user, "place", team, {"observer": observer.username, "team": before},
                      {"observer": observer.username, "team": team.code})
    return member


def remove_observer(user: AnyUser | None, mission: Mission, observer: User) -> Member:
    """Take the observer off their team; the team stays (incomplete until another joins)."""
    _require_manager(user, mission)
    member = Member.objects.filter(mission=mission, user=observer).exclude(team="").first()
    if member is None:
        raise Invalid(f"{observer.username} is on no team of this mission.", field="observer")
    with transaction.atomic():
        team = Team.objects.filter(mission=mission, code=member.team).first()
        before = member.team
        member.team = ""
        member.save(update_fields=["team"])
        record_change(user, "unplace", team or mission,
                      {"observer": observer.username, "team": before},
                      {"observer": observer.username, "team": ""})
    return member


def remove_team(user: AnyUser | None, mission: Mission, code: str) -> None:
    """Remove a team with no observer and nothing planned (its code names nothing else then)."""
    _require_manager(user, mission)
    with transaction.atomic():
        team = team_for(mission, code, lock=True)
        if Member.objects.filter(mission=mission, team=team.code).exists():
            raise Conflict(f"Team {team.code} has observers: take them off first.", field="team")
        if Assignment.objects.filter(mission=mission, team=team.code).exists():
            raise Conflict(f"Team {team.code} is on the deployment plan: take it off the plan "
                           "first.", field="team")
        record_change(user, "delete", team, _snapshot(team), None)
        team.delete()


def mission_teams(mission: Mission) -> list[str]:
    """The codes of the mission's teams, sorted."""
    return list(Team.objects.filter(mission=mission).order_by("code")
                .values_list("code", flat=True))


def ensure_team(user: AnyUser | None, mission: Mission, code: str, role: str) -> Team:
    """The team `code` of the mission, formed with the kind of `role` when it does not exist yet
    (adding an observer "to team T07" forms T07, as the members API always has)."""
    found = Team.objects.filter(mission=mission, code=code.strip()).first()
    if found is not None:
        return found
    if role not in KINDS:
        raise Invalid("Only long- and short-term observers are on a team.", field="team")
    return create_team(user, mission, code=code, kind=role)
