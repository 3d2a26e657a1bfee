"""What an import did, and why a file or a row was refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hofburg.monitoring.errors import MonitoringError


@dataclass(frozen=True)
class RowProblem:
    """A rejected CSV row: its line number in the file (the header is row 1) and the reason."""

    row: int
    observation_id: str
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "observation_id": self.observation_id, "field": self.field,
                "reason": self.reason}

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.reason}"


@dataclass
class ImportSummary:
    """What an import did. `events` counts events created; `events_updated` those changed."""

    read: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: int = 0
    events: int = 0
    events_updated: int = 0
    sha256: str = ""
    batch_id: int | None = None
    previous_batch_id: int | None = None
    rejects_path: str | None = None
    problems: list[RowProblem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self, max_problems: int = 100) -> dict[str, Any]:
        return {"read": self.read, "inserted": self.inserted, "duplicates": self.duplicates,
                "rejected": self.rejected, "events": self.events,
                "events_updated": self.events_updated, "sha256": self.sha256,
                "batch_id": self.batch_id, "previous_batch_id": self.previous_batch_id,
                "rejects_path": self.rejects_path,
                "problems": [p.as_dict() for p in self.problems[:max_problems]],
                "seconds": {k: round(v, 3) for k, v in self.seconds.items()}}


class ImportRejected(MonitoringError):
    """The file was rejected as a whole and nothing was written; `summary.problems` says why."""

    def __init__(self, summary: ImportSummary, message: str | None = None) -> None:
        first = summary.problems[0] if summary.problems else None
        super().__init__(message or f"{summary.rejected} bad row(s), the first {first}; "
                                    f"nothing was imported")
        self.summary = summary
