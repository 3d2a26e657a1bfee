"""Logs as one JSON object per line (`HOFBURG_LOG_FORMAT=json`), and the request id that ties a
request's log lines to the audit entries it wrote.

The id is kept in a context variable for the request's duration (`core.observability` sets
it); `core.services.audit.record_change` stores it with each entry.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

_request_id: ContextVar[str] = ContextVar("hofburg_request_id", default="")
# Attributes every LogRecord has; anything else was passed in `extra=` and goes into the line.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def current_request_id() -> str:
    """The id of the request being served in this thread, or "" outside a request."""
    return _request_id.get()


def set_request_id(value: str) -> object:
    """Set the id for the current context; returns a token for `reset_request_id`."""
    return _request_id.set(value)


def reset_request_id(token: object) -> None:
    _request_id.reset(token)  # type: ignore[arg-type]


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)
