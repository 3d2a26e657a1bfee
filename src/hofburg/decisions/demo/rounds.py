"""Reference negotiation rounds, loaded by `hofburg demo`: the real rounds the domain reference
names (§2.8), public, each with its source and the reference's confidence label, from
`data/decisions/rounds.yaml`.

No exercise round is loaded: every format in the registry is a real one, and an exercise round
of a real format would attribute an exercise to real parties. Loading is idempotent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hofburg.core.demo import DemoError
from hofburg.core.errors import Invalid
from hofburg.decisions.services.rounds import ReferenceRound, load_reference_rounds
from hofburg.registry.models import NegotiationFormat


def rounds_file() -> Path:
    return Path(settings.REFERENCE_DATA_DIR) / "decisions" / "rounds.yaml"


class _Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    site: str = ""

    @property
    def citation(self) -> str:
        """`Title (site)`, as the registry cites its sources."""
        return f"{self.title} ({self.site})" if self.site else self.title


class _Round(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: str = Field(min_length=1)
    starts_on: dt.date
    ends_on: dt.date | None = None
    date_precision: Literal["day", "month"]
    place: str = Field(min_length=1)
    participants: Literal["format", "not-given"]
    outcome: str = ""
    documents: tuple[str, ...] = ()
    source_ids: tuple[str, ...] = Field(min_length=1)
    confidence: Literal["confirmed", "secondary", "unconfirmed", "disputed"]


class _RoundsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1]
    data_as_of: dt.date
    sources: tuple[_Source, ...]
    rounds: tuple[_Round, ...]

    @model_validator(mode="after")
    def _sources_are_listed(self) -> _RoundsFile:
        known = {source.id for source in self.sources}
        for row in self.rounds:
            unknown = sorted(set(row.source_ids) - known)
            if unknown:
                raise ValueError(f"round at {row.place} cites unknown sources {unknown}")
        return self


def read_rounds(path: Path) -> list[ReferenceRound]:
    """The rounds of a reference file, each with its citations joined into `source`."""
    try:
        data = _RoundsFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise DemoError(f"{path}: {exc}") from exc
    citations = {source.id: source.citation for source in data.sources}
    return [
        ReferenceRound(
            format_code=row.format, starts_on=row.starts_on, ends_on=row.ends_on,
            date_precision=row.date_precision, place=row.place,
            participants_from_format=row.participants == "format", outcome=row.outcome,
            documents=row.documents,
            source="; ".join(citations[source_id] for source_id in row.source_ids),
            confidence=row.confidence)
        for row in data.rounds
    ]


def load(path: Path | None = None) -> int:
    """Load the reference rounds; returns how many were created or changed (0 when already
    loaded). Does nothing before the registry's formats are loaded; raises DemoError if the
    file is malformed or names a format the registry does not hold."""
    if not NegotiationFormat.objects.exists():
        return 0  # the registry's reference data comes first
    rows = read_rounds(path or rounds_file())
    try:
        return load_reference_rounds(rows)
    except Invalid as exc:
        raise DemoError(f"reference rounds: {exc}") from exc
