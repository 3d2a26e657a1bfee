"""Real, public records of the decision-making bodies (`data/decisions/records.yaml`).

A handful of meetings, decisions and the statements attached to them, copied from the domain
reference with its confidence label and source. They are loaded in one transaction, found
again by their symbols on a second run (nothing is created twice), and they move the real
numbering sequences forward so that a number they hold is never given again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from hofburg.core.errors import Invalid
from hofburg.core.models import Affiliation, Classification
from hofburg.decisions.engine import numbering
from hofburg.decisions.models import Attachment, Draft, Meeting, Revision, Sequence
from hofburg.decisions.sequences import series_rule
from hofburg.decisions.services.meetings import default_opening


@dataclass
class LoadedRecords:
    meetings: int = 0
    decisions: int = 0
    attachments: int = 0


def records_file() -> Path:
    return Path(settings.REFERENCE_DATA_DIR) / "decisions" / "records.yaml"


def load_records(path: Path | None = None) -> LoadedRecords:
    """Load the real records; returns how many were created this time (0s on a second run)."""
    data = yaml.safe_load((path or records_file()).read_text(encoding="utf-8"))
    loaded = LoadedRecords()
    with transaction.atomic():
        meetings = {row["number"]: _meeting(row, loaded) for row in data.get("meetings", [])}
        for row in data.get("decisions", []):
            _decision(row, meetings, loaded)
    return loaded


def _meeting(row: dict[str, Any], loaded: LoadedRecords) -> Meeting:
    body, number = row["body"], int(row["number"])
    symbol = series_rule(body, "JOUR").format(number)
    day = row["date"] if isinstance(row["date"], date) else date.fromisoformat(row["date"])
    meeting, created = Meeting.objects.get_or_create(
        body=body, number=number, is_exercise=False,
        defaults={
            "date": day, "date_precision": row.get("date_precision", "day"),
            "starts_at": default_opening(day),
            "journal_symbol": symbol, "classification": Classification.PUBLIC,
            "source": row["source"], "confidence": row["confidence"],
        },
    )
    loaded.meetings += int(created)
    _advance(body, "JOUR", number, day)
    return meeting


def _decision(row: dict[str, Any], meetings: dict[int, Meeting], loaded: LoadedRecords) -> None:
    body, number = row["body"], int(row["number"])
    meeting = meetings[int(row["adopted_at_meeting"])]
    rule = series_rule(body, "DEC")
    year = numbering.sequence_year(rule, meeting.date)
    symbol = rule.format(number, year)
    draft, created = Draft.objects.get_or_create(
        decision_symbol=symbol, is_exercise=False,
        defaults={
            # The draft's own PC.DD symbol is not in the reference: the decision's stands in.
            "body": body, "number": number, "symbol": symbol, "title": row["title"],
            "status": Draft.Status.ADOPTED, "adopted_by": Draft.AdoptedBy.MEETING,
            "adopted_at": meeting.starts_at, "adopted_meeting": meeting,
            "decision_number": number, "decision_year": year,
            "classification": Classification.PUBLIC,
            "source": row["source"], "confidence": row["confidence"],
        },
    )
    if created:
        loaded.decisions += 1
        Revision.objects.create(draft=draft, number=0, symbol=symbol, original_language="en",
                                texts={}, note="The text is not reproduced here.")
    _advance(body, "DEC", number, meeting.date)
    for attachment in row.get("attachments", []):
        _attachment(draft, attachment, loaded)


def _attachment(draft: Draft, row: dict[str, Any], loaded: LoadedRecords) -> None:
    code = f"delegation-{row['state'].lower()}"
    delegation = Affiliation.objects.filter(code=code).first()
    if delegation is None:
        raise Invalid(f"The affiliation {code} is missing: run `hofburg init` first.",
                      field="state")
    _attachment_row, created = Attachment.objects.get_or_create(
        draft=draft, number=int(row["number"]),
        defaults={"kind": row["kind"], "delegation": delegation, "text": "",
                  "made_at": draft.adopted_at, "source": row["source"],
                  "confidence": row["confidence"]},
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
