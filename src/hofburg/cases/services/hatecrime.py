"""Hate-crime data: imports of official State figures (CSV or XLSX) and of civil-society
incidents (CSV), both all or nothing with row-numbered errors, the screening workflow, and an
incident's public summary (decision 0065).

An import checks every row before it writes one; a file with any bad row changes nothing and
the refusal lists the rows (`ImportRefused`, an `Invalid` naming `file`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from hofburg.cases import permissions, sealed, vault
from hofburg.cases.engine import codes, publication, surrogates, workflow
from hofburg.cases.engine.publication import STAGES
from hofburg.cases.models import Incident, OfficialStatistic
from hofburg.core import access
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Invalid
from hofburg.core.models import Classification, User
from hofburg.core.services.audit import record_change, snapshot

MAX_ROWS = 100_000
MAX_BYTES = 20 * 2**20
MAX_ERRORS_SHOWN = 20
OFFICIAL_COLUMNS = ("state", "year", "stage", "bias_motivation", "count")
INCIDENT_COLUMNS = ("reporting_year", "country", "date", "incident_type", "bias_motivations",
                    "source_org", "source_kind")


class ImportRefused(Invalid):
    """A file with bad rows; `errors` lists them as `row N: field: message`."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        message = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
        super().__init__(message, field="file")
        self.errors = errors


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int


def _may_import(actor: User) -> None:
    if not access.can_contribute(actor):
        raise AccessDenied("Only editors with an affiliation may import.")


def _rows(data: bytes, name: str) -> list[dict[str, str]]:
    if len(data) > MAX_BYTES:
        raise ImportRefused([f"the file is larger than {MAX_BYTES // 2**20} MB"])
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(["the file is not UTF-8 text"]) from exc
    reader = csv.DictReader(io.StringIO(text))
    rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    if len(rows) > MAX_ROWS:
        raise ImportRefused([f"more than {MAX_ROWS} rows"])
    return rows


def _xlsx_rows(data: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRefused(["the file is not an XLSX workbook"]) from exc
    values = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    if not values:
        return []
    header = [str(c or "").strip() for c in values[0]]
    return [{h: "" if c is None else str(c).strip() for h, c in zip(header, row, strict=False)}
            for row in values[1:] if any(c not in (None, "") for c in row)]


def _missing(rows: list[dict[str, str]], columns: tuple[str, ...]) -> None:
    if not rows:
        raise ImportRefused(["the file holds no row"])
    absent = [c for c in columns if c not in rows[0]]
    if absent:
        raise ImportRefused([f"missing columns: {', '.join(absent)}"])


def _year(text: str | int) -> int:
    year = int(text)
    if not 1990 <= year <= 2999:
        raise ValueError("a year between 1990 and 2999")
    return year


def _state(text: str) -> str:
    if len(text) != 2 or not text.isalpha():
        raise ValueError("an ISO 3166 alpha-2 code")
    return text.upper()


def import_official_statistics(actor: User, data: bytes, name: str, *,
                               classification: str = Classification.RESTRICTED,
                               is_exercise: bool = False) -> Imported:
    """Official figures from CSV or XLSX: state, year, stage, bias_motivation (a code or
    `total`), count (empty or `not available` for none), point_of_contact, source."""
    _may_import(actor)
    rows = _rows(data, name)
    _missing(rows, OFFICIAL_COLUMNS)
    clean, errors, seen = [], [], set()
    for number, row in enumerate(rows, start=2):
        field = "state"
        try:
            state = _state(row["state"])
            field = "year"
            year = _year(row["year"])
            field = "stage"
            if row["stage"] not in STAGES:
                raise ValueError(f"one of {', '.join(STAGES)}")
            field = "bias_motivation"
            bias = row["bias_motivation"]
            if bias != "total" and bias not in codes.version_for(year).bias_motivations:
                raise ValueError(f"{bias!r} is not a code of {year} nor `total`")
            field = "count"
            raw = row["count"].lower()
            count = None if raw in ("", "not available", "n/a") else int(raw)
            if count is not None and not 0 <= count <= 2**31 - 1:
                raise ValueError("a count from 0")
        except (ValueError, codes.CodeListError) as exc:
            errors.append(f"row {number}: {field}: {exc}")
            continue
        key = (state, year, row["stage"], bias)
        if key in seen:
            errors.append(f"row {number}: the same figure appears twice in the file")
            continue
        seen.add(key)
        clean.append((key, count, row.get("point_of_contact", "")[:200],
                      row.get("source", "")[:300]))
    if errors:
        raise ImportRefused(errors)
    created = updated = 0
    with transaction.atomic():
        for (state, year, stage, bias), count, contact, source in clean:
            figure, made = OfficialStatistic.objects.update_or_create(
                state=state, year=year, stage=stage, bias_motivation=bias, defaults={
                    "count": count, "point_of_contact": contact, "source": source,
                    "classification": classification, "is_exercise": is_exercise,
                    "owner_affiliation_id": actor.affiliation_id})
            record_change(actor, "import", figure, None, snapshot(figure))
            created, updated = created + made, updated + (not made)
    return Imported(created, updated)


MAX_SHORT_TEXT = 300  # a source organisation, an other bias
MAX_VICTIMS = 100_000


@dataclass(frozen=True)
class IncidentRecord:
    """One civil-society incident, as a row of the import or a single report gives it."""

    reporting_year: int
    country: str
    incident_type: str
    bias_motivations: list[str]
    source_org: str
    source_kind: str
    occurred_on: date | None = None
    other_bias: str = ""
    indicators: str = ""
    description: str = ""
    victim_count: int | None = None


def _incident_values(record: IncidentRecord) -> dict[str, Any]:
    """The columns of a valid incident; `Invalid` naming the field otherwise."""
    field = "reporting_year"
    try:
        year = _year(record.reporting_year)
        field = "country"
        country = _state(record.country)
        field = "occurred_on"
        if record.occurred_on and record.occurred_on.year != year:
            raise ValueError("the date lies outside the reporting year")
        field = "incident_type"
        biases = [b.strip() for b in record.bias_motivations if b.strip()]
        target = codes.check_incident(year, record.incident_type, biases)
        field = "source_kind"
        if record.source_kind not in Incident.SourceKind.values:
            raise ValueError(f"one of {', '.join(Incident.SourceKind.values)}")
        field = "source_org"
        if not record.source_org or len(record.source_org) > MAX_SHORT_TEXT:
            raise ValueError(f"1 to {MAX_SHORT_TEXT} characters")
        field = "victim_count"
        if record.victim_count is not None and not 0 <= record.victim_count <= MAX_VICTIMS:
            raise ValueError(f"0 to {MAX_VICTIMS}")
    except (ValueError, codes.CodeListError) as exc:
        message = str(exc)
        if isinstance(exc, codes.CodeListError) and ": " in message:
            field, message = message.split(": ", 1)
        raise Invalid(message, field=field) from exc
    return {
        "reporting_year": year, "country": country, "occurred_on": record.occurred_on,
        "incident_type": record.incident_type, "target": target, "bias_motivations": biases,
        "other_bias": record.other_bias[:MAX_SHORT_TEXT], "indicators": record.indicators,
        "description": record.description, "victim_count": record.victim_count,
        "source_org": record.source_org, "source_kind": record.source_kind}


def _parsed_incident(row: dict[str, str]) -> IncidentRecord:
    """A CSV row read as an incident; `Invalid` naming the field that does not parse."""
    field = "reporting_year"
    try:
        year = int(row["reporting_year"])
        field = "date"
        occurred = date.fromisoformat(row["date"]) if row["date"] else None
        field = "victim_count"
        victims = int(row["victim_count"]) if row.get("victim_count") else None
    except ValueError as exc:
        raise Invalid("a year between 1990 and 2999" if field == "reporting_year" else str(exc),
                      field=field) from exc
    return IncidentRecord(
        reporting_year=year, country=row["country"], incident_type=row["incident_type"],
        bias_motivations=row["bias_motivations"].split(";"), source_org=row["source_org"],
        source_kind=row["source_kind"], occurred_on=occurred,
        other_bias=row.get("other_bias", ""), indicators=row.get("indicators", ""),
        description=row.get("description", ""), victim_count=victims)


def import_incidents(actor: User, data: bytes, name: str = "incidents.csv", *,
                     classification: str = Classification.CONFIDENTIAL,
                     is_exercise: bool = False) -> Imported:
    """Civil-society incidents from CSV: reporting_year, country, date, incident_type,
    bias_motivations (codes separated by `;`), source_org, source_kind, and optionally
    other_bias, indicators, description, victim_count. Every incident arrives `received`,
    its screening `pending`."""
    _may_import(actor)
    rows = _rows(data, name)
    _missing(rows, INCIDENT_COLUMNS)
    clean: list[dict[str, Any]] = []
    errors = []
    for number, row in enumerate(rows, start=2):
        try:
            clean.append(_incident_values(_parsed_incident(row)))
        except Invalid as exc:
            column = "date" if exc.field == "occurred_on" else exc.field
            errors.append(f"row {number}: {column}: {exc.message}")
    if errors:
        raise ImportRefused(errors)
    ring = vault.load_keyring()
    with transaction.atomic():
        for values in clean:
            _store_incident(actor, values, classification, is_exercise, ring)
    return Imported(len(clean), 0)


def record_incident(actor: User, record: IncidentRecord, *,
                    classification: str = Classification.CONFIDENTIAL,
                    is_exercise: bool = False) -> Incident:
    """One incident, checked as a row of the import is; it arrives `received`, its screening
    `pending`."""
    _may_import(actor)
    if classification not in Classification.values:
        raise Invalid("unknown classification", field="classification")
    values = _incident_values(record)
    with transaction.atomic():
        return _store_incident(actor, values, classification, is_exercise)


SEALED_TEXT = tuple(sealed.BY_MODEL["Incident"].fields)


def _store_incident(actor: User, values: dict[str, Any], classification: str,
                    is_exercise: bool, ring: vault.Keyring | None = None) -> Incident:
    text = {name: values.pop(name) for name in SEALED_TEXT if name in values}
    incident = sealed.create(
        ring, Incident.objects, text, incident_id=surrogates.new_surrogate_id("HC"),
        classification=classification, owner_affiliation_id=actor.affiliation_id,
        is_exercise=is_exercise, **values)
    record_change(actor, "import", incident, None,
                  {"incident_id": incident.incident_id, "country": incident.country,
                   "reporting_year": incident.reporting_year})
    return incident


def screen_incident(actor: User, incident: Incident, decision: str, reason: str = "") -> Incident:
    """Record the screening decision and move a received incident to `screened`."""
    return _step(actor, incident, workflow.Stage.SCREENED, decision, reason)


def advance_incident(actor: User, incident: Incident, stage: str) -> Incident:
    """Move a screened incident on; its screening and sealed reason stay as they are."""
    return _step(actor, incident, stage, incident.screening, None)


def _step(actor: User, incident: Incident, stage: str, decision: str,
          reason: str | None) -> Incident:
    """`reason` None keeps the recorded one (the workflow asks only whether there is one)."""
    if not access.can_edit(actor, incident):
        raise AccessDenied("Only editors of the owner affiliation screen its incidents.")
    try:
        target = workflow.Stage(stage)
        screening = workflow.Screening(decision)
    except ValueError as exc:
        raise Invalid(str(exc), field="stage" if stage not in workflow.Stage else
                      "screening") from exc
    try:
        given = reason if reason is not None else \
            ("recorded" if incident.screening_reason_sealed else "")
        workflow.advance(workflow.Stage(incident.stage), target, screening, given)
    except workflow.WorkflowError as exc:
        raise Invalid(str(exc), field="stage") from exc
    with transaction.atomic():
        before = {"stage": incident.stage, "screening": incident.screening}
        incident.stage, incident.screening = target.value, screening.value
        columns = ["stage", "screening"]
        if reason is not None:
            columns += sealed.put(vault.load_keyring(), incident,
                                  screening_reason=reason.strip())
        incident.save(update_fields=columns)
        record_change(actor, "screen", incident, before,
                      {"stage": incident.stage, "screening": incident.screening})
    return incident


def set_public_summary(actor: User, incident: Incident, text: str) -> Incident:
    """Write the short description the publication may show of an incident against people
    (empty withdraws it). An analyst of the owner affiliation writes it, at any stage: a
    published one may be corrected, and the next publication carries the correction; each
    change is on the audit trail with the text before and after (a public text). The same
    text again stores nothing."""
    if not permissions.may_write_public_summary(actor, incident):
        raise AccessDenied("Only an analyst of the owner affiliation writes the public "
                           "summary.")
    opened = sealed.open_values(vault.load_keyring(), incident, ("description", "source_org")) \
        if text.strip() and incident.target == "person" else {}
    try:
        summary = publication.check_public_summary(
            text, incident.target, account=opened.get("description", ""),
            source=opened.get("source_org", ""))
    except publication.SummaryError as exc:
        raise Invalid(str(exc), field="public_summary") from exc
    with transaction.atomic():
        before = incident.public_summary
        if before != summary:
            incident.public_summary = summary
            incident.save(update_fields=["public_summary"])
            record_change(actor, "summary", incident, {"public_summary": before},
                          {"public_summary": summary, "stage": incident.stage})
    return incident
