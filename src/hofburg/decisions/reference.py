"""Real, public records of the decision-making bodies (`data/decisions/records.yaml`).

A handful of meetings, decisions and the statements attached to them, copied from the domain
reference with its confidence label and source. They are loaded in one transaction, found
again by their symbols on a second run (nothing is created twice), and they move the real
numbering sequences forward so that a number they hold is never given again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import yaml
from django.conf import settings
from django.db import transaction
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from hofburg.core.errors import Invalid
from hofburg.core.models import Affiliation, Classification
from hofburg.decisions.engine import numbering
from hofburg.decisions.models import Attachment, Body, Draft, Meeting, Revision, Sequence
from hofburg.decisions.sequences import series_rule
from hofburg.decisions.services.meetings import default_opening
from hofburg.registry.models import Confidence


# The file's shape (data/decisions/README.md): every row names its source and the reference's
# confidence label; an unknown key is refused, as a misspelt one would otherwise be ignored.
def _one_of(allowed: Collection[str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(sorted(allowed))}")
        return value
    return check


_BodyCode = Annotated[str, AfterValidator(_one_of(Body.values))]
_ConfidenceLabel = Annotated[str, AfterValidator(_one_of(Confidence.values))]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    confidence: _ConfidenceLabel
    source: str = Field(min_length=1, max_length=500)


class MeetingRow(_Row):
    body: _BodyCode
    number: int = Field(ge=1)
    date: date
    date_precision: Literal["day", "year"] = "day"


class AttachmentRow(_Row):
    number: int = Field(ge=1)
    kind: Annotated[str, AfterValidator(_one_of(Attachment.Kind.values))]
    state: str = Field(pattern=r"^[A-Z]{2}$")  # the delegation's State, ISO alpha-2


class DecisionRow(_Row):
    body: _BodyCode
    number: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=500)
    adopted_at_meeting: int = Field(ge=1)
    attachments: list[AttachmentRow] = []


class RecordsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    data_as_of: date
    meetings: list[MeetingRow]
    decisions: list[DecisionRow] = []


@dataclass
class LoadedRecords:
    meetings: int = 0
    decisions: int = 0
    attachments: int = 0


def records_file() -> Path:
    return Path(settings.REFERENCE_DATA_DIR) / "decisions" / "records.yaml"


def read_records(path: Path | None = None) -> RecordsFile:
    """The records file, checked whole: a wrong or missing key is refused with its place in
    the file (`Invalid`), before anything is stored."""
    source = path or records_file()
    try:
        data = RecordsFile.model_validate(yaml.safe_load(source.read_text(encoding="utf-8")))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise Invalid(f"{source.name}: {where}: {first['msg']}", field="records") from None
    except yaml.YAMLError as error:
        raise Invalid(f"{source.name}: not YAML ({error})", field="records") from None
    held = {(row.body, row.number) for row in data.meetings}
    for at, decision in enumerate(data.decisions):
        if (decision.body, decision.adopted_at_meeting) not in held:
            raise Invalid(f"{source.name}: decisions.{at}.adopted_at_meeting: the meeting "
                          f"{decision.adopted_at_meeting} of the {decision.body} is not in the "
                          "file", field="records")
    return data


def load_records(path: Path | None = None) -> LoadedRecords:
    """Load the real records; returns how many were created this time (0s on a second run)."""
    data = read_records(path)
    loaded = LoadedRecords()
    with transaction.atomic():
        meetings = {(row.body, row.number): _meeting(row, loaded) for row in data.meetings}
        for decision in data.decisions:
            _decision(decision, meetings, loaded)
    return loaded


def _meeting(row: MeetingRow, loaded: LoadedRecords) -> Meeting:
    body, number, day = row.body, row.number, row.date
    symbol = series_rule(body, "JOUR").format(number)
    meeting, created = Meeting.objects.get_or_create(
        body=body, number=number, is_exercise=False,
        defaults={
            "date": day, "date_precision": row.date_precision,
            "starts_at": default_opening(day),
            "journal_symbol": symbol, "classification": Classification.PUBLIC,
            "source": row.source, "confidence": row.confidence,
        },
    )
    loaded.meetings += int(created)
    _advance(body, "JOUR", number, day)
    return meeting


def _decision(row: DecisionRow, meetings: dict[tuple[str, int], Meeting],
              loaded: LoadedRecords) -> None:
    body, number = row.body, row.number
    meeting = meetings[(body, row.adopted_at_meeting)]
    rule = series_rule(body, "DEC")
    year = numbering.sequence_year(rule, meeting.date)
    symbol = rule.format(number, year)
    draft, created = Draft.objects.get_or_create(
        decision_symbol=symbol, is_exercise=False,
        defaults={
            # The draft's own PC.DD symbol is not in the reference: the decision's stands in.
            "body": body, "number": number, "symbol": symbol, "title": row.title,
            "status": Draft.Status.ADOPTED, "adopted_by": Draft.AdoptedBy.MEETING,
            "adopted_at": meeting.starts_at, "adopted_meeting": meeting,
            "decision_number": number, "decision_year": year,
            "classification": Classification.PUBLIC,
            "source": row.source, "confidence": row.confidence,
        },
    )
    if created:
        loaded.decisions += 1
        Revision.objects.create(draft=draft, number=0, symbol=symbol, original_language="en",
                                texts={}, note="The text is not reproduced here.")
    _advance(body, "DEC", number, meeting.date)
    for attachment in row.attachments:
        _attachment(draft, attachment, loaded)


def _attachment(draft: Draft, row: AttachmentRow, loaded: LoadedRecords) -> None:
    code = f"delegation-{row.state.lower()}"
    delegation = Affiliation.objects.filter(code=code).first()
    if delegation is None:
        raise Invalid(f"The affiliation {code} is missing: run `hofburg init` first.",
                      field="state")
    _attachment_row, created = Attachment.objects.get_or_create(
        draft=draft, number=row.number,
        defaults={"kind": row.kind, "delegation": delegation, "text": "",
                  "made_at": draft.adopted_at, "source": row.source,
                  "confidence": row.confidence},
    )
    loaded.attachments += int(created)


def _advance(body: str, series: str, number: int, on: date) -> None:
    """Never give again a number a real record holds."""
    year = numbering.sequence_year(series_rule(body, series), on)
    sequence, _created = Sequence.objects.select_for_update().get_or_create(
        body=body, series=series, year=year or 0, is_exercise=False)
    if sequence.last is None or sequence.last < number:
        sequence.last = number
        sequence.save(update_fields=["last"])
