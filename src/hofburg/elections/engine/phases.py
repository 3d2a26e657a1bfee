"""The phases of an election observation mission and how a mission moves through them.

An ODIHR mission is set up after a needs assessment, deploys its core team and long-term
observers six to eight weeks before election day, receives its short-term observers a few days
before, observes election day (and the count and tabulation that follow it), and then follows
the post-election period (complaints and appeals) up to its final report some eight weeks after
the process ends (election-observation.md §1.1, Handbook §6.1; "Implications for Hofburg").

A mission moves forward one phase at a time and never back: each phase is passed through, and
a phase once left is not entered again (the figures of election day are frozen by then). A move
made by mistake stays visible in the audit trail; decision 0071 says why no step back is offered.
"""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    NEEDS_ASSESSMENT = "needs_assessment"
    DEPLOYMENT = "deployment"
    ELECTION_DAY = "election_day"
    POST_ELECTION = "post_election"


ORDER: tuple[Phase, ...] = tuple(Phase)


class PhaseError(ValueError):
    """A move the mission's phases do not allow; `unknown` when the phase does not exist."""

    def __init__(self, message: str, *, unknown: bool = False) -> None:
        super().__init__(message)
        self.unknown = unknown


def _phase(value: str) -> Phase:
    try:
        return Phase(value)
    except ValueError as exc:
        raise PhaseError(f"No phase {value!r}; the phases are "
                         f"{', '.join(p.value for p in ORDER)}.", unknown=True) from exc


def next_phase(current: str) -> Phase | None:
    """The phase after `current`, or None after the last one."""
    index = ORDER.index(_phase(current))
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def check_move(current: str, wanted: str) -> Phase:
    """`wanted` as a Phase if a mission in `current` may move to it: the next phase, and only
    that one. PhaseError otherwise (the same phase, a phase skipped, a step back)."""
    now, then = _phase(current), _phase(wanted)
    following = next_phase(now.value)
    if then == now:
        raise PhaseError(f"The mission is in the {now.value} phase already.")
    if following is None:
        raise PhaseError(f"The {now.value} phase is the last one.")
    if ORDER.index(then) < ORDER.index(now):
        raise PhaseError(f"A mission does not go back from {now.value} to {then.value}.")
    if then != following:
        raise PhaseError(f"From {now.value} the mission moves to {following.value} first.")
    return then
