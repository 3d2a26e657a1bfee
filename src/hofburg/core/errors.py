"""The refusals of the write path: one hierarchy for every desk (decision 0027).

A service raises one of these, having changed nothing; `core.api` turns each into
problem+json with the status its class names, pages show `message` next to `field`, and the
command line prints it as one line. A desk's own exceptions subclass these, so an endpoint
neither catches nor maps them:

    ServiceError          422  the request is refused; the message says why
      Invalid             422  an input is not acceptable; `field` names it (a ValueError)
      Conflict            409  the request contradicts what is stored
      NotFound            404  no such record, or one the caller may not see
      NotAllowed          403  the caller may see the record but not do this

Hidden is absent: a service that looks up a record for a caller raises `NotFound` for one they
may not see, and `NotAllowed` only once the caller has been shown the record exists (or for a
request that names no stored record, such as creating one). Imports nothing: every layer of
the project may raise these.
"""

from __future__ import annotations

from typing import ClassVar


class ServiceError(Exception):
    """A request a service refuses, having changed nothing.

    `message` is for the user; `field`, when given, names the offending input as the API and
    the form call it. `str(error)` is `field: message`, or the message alone.
    """

    status: ClassVar[int] = 422
    title: ClassVar[str] = "Invalid request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.message = message
        self.field = field


class Invalid(ServiceError, ValueError):
    """An input is not acceptable; `field` names it."""


class Conflict(ServiceError):
    """The request contradicts a stored record (an id taken, a step the workflow forbids)."""

    status = 409
    title = "Conflict"


class NotFound(ServiceError):
    """No such record, or one the caller may not see: the two answers are the same."""

    status = 404
    title = "Not found"


class NotAllowed(ServiceError):
    """The caller may not do this (and may know the record exists)."""

    status = 403
    title = "Forbidden"


__all__ = ["Conflict", "Invalid", "NotAllowed", "NotFound", "ServiceError"]
