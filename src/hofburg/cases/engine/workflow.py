"""The screening workflow of a civil-society incident, as ODIHR runs its annual cycle
(domain reference §1.3): received → screened → consultation → published.

Screening records a decision with its reason; only an included incident goes on to
consultation and publication. A step back (consultation → screened) is allowed when a
contributor's amendment reopens the screening.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    RECEIVED = "received"
    SCREENED = "screened"
    CONSULTATION = "consultation"
    PUBLISHED = "published"


class Screening(StrEnum):
    PENDING = "pending"
    INCLUDED = "included"
    EXCLUDED_HATE_SPEECH = "excluded_hate_speech"
    EXCLUDED_DISCRIMINATION = "excluded_discrimination"
    EXCLUDED_INSUFFICIENT_INFORMATION = "excluded_insufficient_information"


TRANSITIONS: dict[Stage, tuple[Stage, ...]] = {
    Stage.RECEIVED: (Stage.SCREENED,),
    Stage.SCREENED: (Stage.CONSULTATION,),
    Stage.CONSULTATION: (Stage.PUBLISHED, Stage.SCREENED),
    Stage.PUBLISHED: (),
}


class WorkflowError(ValueError):
    """A step the workflow does not allow; the message says why."""


def advance(current: Stage, target: Stage, screening: Screening, reason: str = "") -> Stage:
    """The stage after a requested step, or WorkflowError."""
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(s.value for s in TRANSITIONS[current]) or "none"
        raise WorkflowError(f"an incident {current.value} cannot go to {target.value} "
                            f"(allowed: {allowed})")
    if target == Stage.SCREENED and screening == Screening.PENDING:
        raise WorkflowError("screening needs a decision: included or excluded")
    if target == Stage.SCREENED and screening != Screening.INCLUDED and not reason.strip():
        raise WorkflowError("an exclusion needs its reason")
    if target in (Stage.CONSULTATION, Stage.PUBLISHED) and screening != Screening.INCLUDED:
        raise WorkflowError("only an included incident goes to consultation and publication")
    return target
