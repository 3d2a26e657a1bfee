"""Tolerance and non-discrimination: the Personal Representatives' mandates an analyst tags
incidents and statements with, and the statements on intolerance themselves.

A mandate tag is a judgement an analyst of the owner affiliation makes and the audit trail
records (before and after); nothing sets it from an incident's bias motivations (decision
0056). Tagging with the mandates a record already has stores nothing, and so does recording a
statement identical to one the affiliation already holds: a retry is answered with what is
stored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from hofburg.cases import permissions, queries
from hofburg.cases.engine import codes, mandates, surrogates
from hofburg.cases.models import Incident, Statement
from hofburg.core.access import AccessDenied
from hofburg.core.bounds import FIRST_DAY, MAX_STATEMENT_TEXT
from hofburg.core.errors import Invalid
from hofburg.core.models import Classification, User
from hofburg.core.services.audit import record_change

MAX_SPEAKER = 300
MAX_TITLE = 300
MAX_URL = 1000
MAX_LINKED_INCIDENTS = 50
LANGUAGE = re.compile(r"^[a-z]{2}$")  # ISO 639-1


def check_mandates(values: Sequence[str]) -> list[str]:
    """The distinct mandate codes of `values` in the data file's order; Invalid naming the
    field for any other."""
    try:
        return mandates.check_mandates(list(values))
    except codes.CodeListError as exc:
        raise Invalid(str(exc).split(": ", 1)[-1], field="mandates") from exc


def _may_tag(actor: User, record: Incident | Statement) -> None:
    if not permissions.may_tag_mandates(actor, record):
        raise AccessDenied("Only an analyst of the owner affiliation may set the mandates.")


def tag_incident_mandates(actor: User, incident: Incident, values: Sequence[str]) -> Incident:
    """Set the mandates an incident concerns (none clears them)."""
    _may_tag(actor, incident)
    chosen = check_mandates(values)
    with transaction.atomic():
        before = list(incident.mandates)
        if before != chosen:
            incident.mandates = chosen
            incident.save(update_fields=["mandates"])
            record_change(actor, "tag", incident, {"mandates": before}, {"mandates": chosen})
    return incident


def tag_statement_mandates(actor: User, statement: Statement,
                           values: Sequence[str]) -> Statement:
    """Set the mandates a statement concerns (none clears them)."""
    _may_tag(actor, statement)
    chosen = check_mandates(values)
    with transaction.atomic():
        before = list(statement.mandates)
        if before != chosen:
            statement.mandates = chosen
            statement.save(update_fields=["mandates"])
            record_change(actor, "tag", statement, {"mandates": before}, {"mandates": chosen})
    return statement


@dataclass(frozen=True)
class StatementRecord:
    """A statement as it is recorded. `incident_ids` name incidents the analyst may see."""

    made_on: date
    speaker: str
    title: str
    text: str
    language: str
    source_url: str = ""
    mandates: tuple[str, ...] = ()
    incident_ids: tuple[str, ...] = ()
    classification: str = Classification.RESTRICTED
    is_exercise: bool = False


def _text(value: str, field_name: str, limit: int, *, required: bool = True) -> str:
    text = value.strip()
    if (required and not text) or len(text) > limit or "\x00" in text:
        raise Invalid(f"{1 if required else 0} to {limit} characters", field=field_name)
    return text


def _source_url(value: str) -> str:
    url = value.strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise Invalid("an http or https address", field="source_url") from exc
    if len(url) > MAX_URL:
        raise Invalid(f"at most {MAX_URL} characters", field="source_url")
    return url


def _linked_incidents(actor: User, incident_ids: Sequence[str]) -> list[Incident]:
    wanted = list(dict.fromkeys(i.strip() for i in incident_ids if i.strip()))
    if len(wanted) > MAX_LINKED_INCIDENTS:
        raise Invalid(f"at most {MAX_LINKED_INCIDENTS} incidents", field="incidents")
    found = {i.incident_id: i for i in queries.incidents_for(actor).filter(
        incident_id__in=wanted)}
    # A hidden incident is named exactly like a missing one.
    unknown = [i for i in wanted if i not in found]
    if unknown:
        raise Invalid(f"no incident {', '.join(unknown)}", field="incidents")
    return [found[i] for i in wanted]


def _checked(record: StatementRecord) -> dict[str, Any]:
    if not FIRST_DAY <= record.made_on <= timezone.localdate():
        raise Invalid(f"a day from {FIRST_DAY.isoformat()} to today", field="made_on")
    language = record.language.strip().lower()
    if not LANGUAGE.fullmatch(language):
        raise Invalid("a two-letter ISO 639-1 code such as en, fr or ru", field="language")
    if record.classification not in Classification.values:
        raise Invalid("public, restricted or confidential", field="classification")
    return {
        "made_on": record.made_on, "speaker": _text(record.speaker, "speaker", MAX_SPEAKER),
        "title": _text(record.title, "title", MAX_TITLE),
        "text": _text(record.text, "text", MAX_STATEMENT_TEXT), "language": language,
        "source_url": _source_url(record.source_url),
        "mandates": check_mandates(record.mandates),
        "classification": record.classification, "is_exercise": record.is_exercise,
    }


def record_statement(actor: User, record: StatementRecord) -> Statement:
    """Record a statement for the analyst's affiliation; the same statement recorded again by
    the affiliation (every field alike) is the one already stored."""
    if not permissions.may_record_statements(actor):
        raise AccessDenied("Only analysts with an affiliation may record statements.")
    values = _checked(record)
    linked = _linked_incidents(actor, record.incident_ids)
    with transaction.atomic():
        columns = {k: v for k, v in values.items() if k != "mandates"}  # JSON: compared here
        for same in Statement.objects.filter(owner_affiliation_id=actor.affiliation_id,
                                             **columns).prefetch_related("incidents"):
            if same.mandates == values["mandates"] and \
                    {i.pk for i in same.incidents.all()} == {i.pk for i in linked}:
                return same
        statement = Statement.objects.create(
            statement_id=surrogates.new_surrogate_id("TS"),
            owner_affiliation_id=actor.affiliation_id, **values)
        statement.incidents.set(linked)
        record_change(actor, "create", statement, None, {
            "statement_id": statement.statement_id, "made_on": statement.made_on.isoformat(),
            "title": statement.title, "language": statement.language,
            "mandates": statement.mandates, "classification": statement.classification,
            "incidents": [i.incident_id for i in linked]})
    return statement


def link_statement_incidents(actor: User, statement: Statement,
                             incident_ids: Sequence[str]) -> Statement:
    """Link a recorded statement to more incidents the analyst may see (links are added here,
    removed one at a time by `unlink_statement_incident`). An incident already linked stores
    nothing, so a repeated post changes nothing; an incident the analyst may not see is refused
    exactly like a missing one."""
    if not permissions.may_link_incidents(actor, statement):
        raise AccessDenied("Only an analyst of the owner affiliation may link incidents.")
    wanted = _linked_incidents(actor, incident_ids)
    if not wanted:
        raise Invalid("at least one incident id", field="incidents")
    with transaction.atomic():
        before = set(statement.incidents.values_list("incident_id", flat=True))
        added = [i for i in wanted if i.incident_id not in before]
        if len(before) + len(added) > MAX_LINKED_INCIDENTS:
            raise Invalid(f"at most {MAX_LINKED_INCIDENTS} incidents", field="incidents")
        if added:
            statement.incidents.add(*added)
            record_change(actor, "link", statement, {"incidents": sorted(before)},
                          {"incidents": sorted(before | {i.incident_id for i in added})})
    return statement


def unlink_statement_incident(actor: User, statement: Statement, incident_id: str) -> Statement:
    """Remove the link between a statement and one incident, as the analysts who link them do
    (a link made in error, decision 0068). The incident itself is left as it is; the change is
    on the statement's audit trail. An incident not linked stores nothing, so a repeated post
    changes nothing; one the analyst may not see is refused exactly like a missing one."""
    if not permissions.may_link_incidents(actor, statement):
        raise AccessDenied("Only an analyst of the owner affiliation may link incidents.")
    incident = _linked_incidents(actor, [incident_id])
    if not incident:
        raise Invalid("an incident id", field="incidents")
    with transaction.atomic():
        before = set(statement.incidents.values_list("incident_id", flat=True))
        removed = incident[0].incident_id
        if removed in before:
            statement.incidents.remove(incident[0])
            record_change(actor, "unlink", statement, {"incidents": sorted(before)},
                          {"incidents": sorted(before - {removed})})
    return statement
