"""A project's workflow: concept → approved → implementation → closed, or cancelled, or
suspended (and resumed), each step taken by a named action and recorded as an approval.

The IATI activity status each state maps to is in `IATI_ACTIVITY_STATUS`
(human-dimension.md §5.2: 1 Pipeline/identification, 2 Implementation, 4 Closed, 5 Cancelled,
6 Suspended).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class WorkflowError(ValueError):
    """A step the workflow does not allow from the project's present state."""


class Status(StrEnum):
    CONCEPT = "concept"
    APPROVED = "approved"
    IMPLEMENTATION = "implementation"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    SUSPENDED = "suspended"


class Action(StrEnum):
    APPROVE = "approve"
    START = "start"
    CLOSE = "close"
    CANCEL = "cancel"
    SUSPEND = "suspend"
    RESUME = "resume"


# (from, action) → to. A suspended project resumes into implementation; closed and cancelled
# projects are final.
STEPS: dict[tuple[Status, Action], Status] = {
    (Status.CONCEPT, Action.APPROVE): Status.APPROVED,
    (Status.CONCEPT, Action.CANCEL): Status.CANCELLED,
    (Status.APPROVED, Action.START): Status.IMPLEMENTATION,
    (Status.APPROVED, Action.CANCEL): Status.CANCELLED,
    (Status.IMPLEMENTATION, Action.CLOSE): Status.CLOSED,
    (Status.IMPLEMENTATION, Action.SUSPEND): Status.SUSPENDED,
    (Status.IMPLEMENTATION, Action.CANCEL): Status.CANCELLED,
    (Status.SUSPENDED, Action.RESUME): Status.IMPLEMENTATION,
    (Status.SUSPENDED, Action.CANCEL): Status.CANCELLED,
}

FINAL = frozenset({Status.CLOSED, Status.CANCELLED})

# Approving a concept is an approver's act; the others are the project owner's editors'.
NEEDS_APPROVER = frozenset({Action.APPROVE})

IATI_ACTIVITY_STATUS: dict[Status, str] = {
    Status.CONCEPT: "1",
    Status.APPROVED: "1",
    Status.IMPLEMENTATION: "2",
    Status.CLOSED: "4",
    Status.CANCELLED: "5",
    Status.SUSPENDED: "6",
}


@dataclass(frozen=True)
class Step:
    before: Status
    action: Action
    after: Status


def step(current: Status | str, action: Action | str) -> Step:
    """The step `action` takes from `current`; WorkflowError if the workflow has none."""
    try:
        before = Status(current)
    except ValueError as exc:
        raise WorkflowError(f"Unknown status {current!r}.") from exc
    try:
        chosen = Action(action)
    except ValueError as exc:
        raise WorkflowError(f"Unknown action {action!r}; one of: "
                            f"{', '.join(a.value for a in Action)}.") from exc
    after = STEPS.get((before, chosen))
    if after is None:
        allowed = ", ".join(a.value for (s, a) in STEPS if s is before) or "none (final)"
        raise WorkflowError(f"A project in {before.value} cannot {chosen.value}; "
                            f"allowed: {allowed}.")
    return Step(before, chosen, after)


def allowed_actions(current: Status | str) -> list[Action]:
    status = Status(current)
    return [action for (before, action) in STEPS if before is status]
