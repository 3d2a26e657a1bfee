"""The desk's errors: a request it cannot carry out, with the reason in the message.

Each is a `core.errors` refusal, so the API answers it through core's one handler (decision
0027): an invalid submission is a 422 naming its field, a conflict or a refused status change a
409. The workflow's messages are notes (`hofburg.notes.Note`, decision 0074): English in the
API's problem answers and on the command line, in the reader's language on a page
(`core.notes.explain(error.message)`), dates as the language writes them.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise

from hofburg.core.errors import Conflict, Invalid, ServiceError
from hofburg.notes import Note


class MonitoringError(ServiceError, ValueError):
    """A request the desk cannot carry out; the message says why (422 in the API)."""


class SubmissionInvalid(MonitoringError, Invalid):
    """A submitted record does not validate; `field` names the first faulty field."""

    field: str

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


class SubmissionConflict(MonitoringError, Conflict):
    """The client or observation id is already used by a different record."""


class WorkflowError(MonitoringError, Conflict):
    """A status change the workflow does not allow (publishing a provisional event, say)."""


def word(label: Promise) -> Note:
    """A choice's label ("verified", "Restricted") as a note's parameter: the English in the
    API's and the command line's text, the reader's language on a page (`core.notes`)."""
    with translation.override(None):  # no language: the label's own English, its msgid
        return Note(str(label))
