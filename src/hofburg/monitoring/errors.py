"""The desk's errors: a request it cannot carry out, with the reason in the message."""

from __future__ import annotations


class MonitoringError(ValueError):
    """A request the desk cannot carry out; the message says why."""


class SubmissionInvalid(MonitoringError):
    """A submitted record does not validate; `field` names the first faulty field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class SubmissionConflict(MonitoringError):
    """The client or observation id is already used by a different record."""


class WorkflowError(MonitoringError):
    """A status change the workflow does not allow (publishing a provisional event, say)."""
