"""Who may do what on a mission. Reading goes through `core.access` (the mission's
classification); acting needs a place on the mission:

- the owner affiliation's editors (`core.access.can_edit`) and core-team members manage it:
  members, frame, forms, snapshots;
- every member (and the managers) may submit forms; analysts and the core team read figures;
- data clerks (the mission's `clerk` role) and the managers enter paper and phoned-in forms
  for observers, with the channel and the time the form was filled in (decision 0071).
"""

from __future__ import annotations

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.elections.models import Member, Mission


def _role(user: AnyUser, mission: Mission) -> str | None:
    if not (user.is_authenticated and user.is_active):
        return None
    return Member.objects.filter(mission=mission, user_id=user.pk).values_list(
        "role", flat=True).first()


def may_manage(user: AnyUser, mission: Mission) -> bool:
    return access.can_edit(user, mission) or _role(user, mission) == Member.Role.CORE


def may_submit(user: AnyUser, mission: Mission) -> bool:
    return _role(user, mission) is not None or access.can_edit(user, mission)


def may_analyse(user: AnyUser, mission: Mission) -> bool:
    return _role(user, mission) in (Member.Role.CORE, Member.Role.ANALYST) or access.can_edit(
        user, mission)


def may_enter_as_clerk(user: AnyUser, mission: Mission) -> bool:
    """Data clerks and the core team (who supervise them), and the owner's editors."""
    return _role(user, mission) in (Member.Role.CLERK, Member.Role.CORE) or access.can_edit(
        user, mission)
