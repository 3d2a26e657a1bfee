"""The decisions desk's records, one module per topic: `records` (meetings, drafts and their
revisions, amendments, objections, attachments, statements, positions, rounds, sequences) and
`mechanisms` (the States concerned by an exception to consensus, invocations of the mechanisms
a State or a group of States can set in motion alone)."""

from hofburg.decisions.models.mechanisms import (
    ConcernedState,
    Invocation,
    InvokingState,
    StateOrExerciseDelegation,
)
from hofburg.decisions.models.records import (
    AgendaItem,
    Amendment,
    Attachment,
    Body,
    Commitment,
    Draft,
    Meeting,
    NegotiationRound,
    Objection,
    Position,
    Revision,
    Sequence,
    SilencePlacement,
    Sourced,
    Stance,
    Statement,
    open_journals,
)

__all__ = [
    "AgendaItem", "Amendment", "Attachment", "Body", "Commitment", "ConcernedState", "Draft",
    "Invocation", "InvokingState", "Meeting", "NegotiationRound", "Objection", "Position",
    "Revision", "Sequence", "SilencePlacement", "Sourced", "Stance", "StateOrExerciseDelegation",
    "Statement", "open_journals",
]
