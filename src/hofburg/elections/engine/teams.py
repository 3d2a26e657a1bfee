"""Observer teams: long-term observers (LTOs) and short-term observers (STOs) work in teams of two.

STOs are "deployed around the country on election day, in international teams of two"
(Handbook ch. 8); LTOs work in teams of two in the regional centres (ODIHR practice; the
domain reference marks this UNCONFIRMED against the cited text, election-observation.md §1.1).
A team takes observers of its own kind only, and at most `TEAM_SIZE`. A team with fewer is
*incomplete*: it exists (a team is often named before both its observers arrive) and is shown
with the observers it still lacks (decision 0071); it is never filled up silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

TEAM_SIZE = 2


class TeamKind(StrEnum):
    LTO = "lto"
    STO = "sto"


class TeamError(ValueError):
    """An observer a team may not take."""


@dataclass(frozen=True)
class TeamStatus:
    """How far a team is staffed: its observers and what it lacks (or has beyond the size,
    which only a team recorded before the rule can have)."""

    observers: int

    @property
    def complete(self) -> bool:
        return self.observers == TEAM_SIZE

    @property
    def missing(self) -> int:
        return max(TEAM_SIZE - self.observers, 0)

    @property
    def extra(self) -> int:
        return max(self.observers - TEAM_SIZE, 0)


def check_observer(kind: str, role: str, observers_now: int) -> None:
    """Whether a team of `kind` with `observers_now` observers (not counting the newcomer) may
    take an observer whose role on the mission is `role`. TeamError says why not."""
    try:
        team_kind = TeamKind(kind)
    except ValueError as exc:
        raise TeamError(f"No kind of team {kind!r}: lto or sto.") from exc
    if role != team_kind.value:
        raise TeamError(f"An {team_kind.value.upper()} team takes "
                        f"{'long' if team_kind is TeamKind.LTO else 'short'}-term observers "
                        f"only, not a member whose role is {role!r}.")
    if observers_now >= TEAM_SIZE:
        raise TeamError(f"The team has its {TEAM_SIZE} observers already.")
