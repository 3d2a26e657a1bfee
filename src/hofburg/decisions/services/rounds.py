"""Recording negotiation rounds of the registry's formats and the commitments taken in them.

Who may record a round or a commitment (`may_record_rounds`): editors of a Secretariat unit or
of a field operation (the Conflict Prevention Centre, a mission that supports a format's working
groups), and editors of the delegation of the State holding the Chairmanship on the day the
record is made (the Chairperson-in-Office's Special Representative mediates in several formats).
An exercise affiliation records exercise rounds only, a real one real rounds only: the round's
`is_exercise` comes from the recorder's affiliation. Other delegations read rounds but do not
record them: a round is the mediators' record, not a party's.

A round belongs to the recorder's affiliation (a confidential round is visible to it alone).
Participants default to the format's participants in the registry. The registry's formats and
participants are real, so an exercise round takes no default and names exercise affiliations
only: an exercise is never attributed to a real State or party.

A commitment that the monitoring desk checks (a withdrawal of weapons, say) links to the page
there that shows the evidence. This desk does not import the monitoring desk: it stores a
site-relative path and accepts it only if the project's URL resolver maps it to one of the
monitoring desk's pages (`EVIDENCE_PAGES`), so no external address, script URL or action
endpoint can be stored and shown as a link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hofburg.core import bounds
from hofburg.core.access import (
    AccessDenied,
    AnyUser,
    allowed_classifications,
    can_contribute,
    can_view,
)
from hofburg.core.errors import Invalid, NotFound
from hofburg.core.models import Affiliation, Classification
from hofburg.core.services.audit import record_change, snapshot
from hofburg.decisions import clock
from hofburg.decisions.models import Commitment, NegotiationRound
from hofburg.decisions.permissions import may_chair
from hofburg.registry.models import (
    Confidence,
    FormatParticipant,
    NegotiationFormat,
    ParticipatingState,
)

# The kinds of commitment a round records; the first few are ones a monitoring mission checks.
COMMITMENT_KINDS: dict[str, Any] = {
    "ceasefire": _("ceasefire"),
    "withdrawal_of_weapons": _("withdrawal of weapons"),
    "disengagement": _("disengagement of forces"),
    "mine_action": _("mine action"),
    "humanitarian": _("humanitarian"),
    "political": _("political or legal"),
    "other": _("other"),
}

# The monitoring desk's pages that can show evidence, by URL name: lists, records, the map,
# trends and daily reports. Not its write actions, service worker or map data feeds.
EVIDENCE_PAGES = frozenset({
    "home", "observations", "observation", "events", "event", "map", "trends", "reports",
    "report", "report_pdf",
})
EVIDENCE_NAMESPACE = "monitoring"
# A path of plain segments: no scheme, host, query, fragment, escape or dot segment can pass.
_EVIDENCE_PATH = re.compile(r"/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/?)*")
_DOT_SEGMENT = re.compile(r"(?:^|/)\.{1,2}(?:/|$)")

PARTICIPANT_ROLES = frozenset(FormatParticipant.Role.values)


@dataclass(frozen=True)
class ParticipantInput:
    """One participant of a round and its role (`side`, `mediator`, ... as in the registry).

    A real round names a participating State by `state` (ISO alpha-2) or another party by
    `name` (the OSCE, the European Union, Transdniestria); an exercise round names an exercise
    affiliation by its code in `affiliation`.
    """

    role: str
    state: str = ""
    name: str = ""
    affiliation: str = ""


@dataclass(frozen=True)
class RoundInput:
    """A round as recorded. `participants` None takes the format's participants (real rounds).

    `date_precision` "month" says the source gives the month only: `starts_on` is then the
    first of the month and there is no `ends_on`.
    """

    format_code: str
    number: int | None
    starts_on: date
    ends_on: date | None
    place: str
    participants: Sequence[ParticipantInput] | None = None
    outcome: str = ""
    documents: Sequence[str] = ()
    classification: str = Classification.RESTRICTED
    date_precision: str = NegotiationRound.DatePrecision.DAY


@dataclass(frozen=True)
class CommitmentInput:
    """A commitment taken in a round. `source` and `confidence` for one copied from a public
    source (the label as the source's reference gives it); `evidence_path` for one the
    monitoring desk checks, e.g. `/monitoring/reports/2026-05-04/`."""

    text: str
    kind: str = "other"
    source: str = ""
    evidence_path: str = ""
    confidence: str = ""


def _affiliation(user: AnyUser) -> Affiliation | None:
    affiliation = getattr(user, "affiliation", None)
    return affiliation if isinstance(affiliation, Affiliation) else None


def may_record_rounds(user: AnyUser, *, is_exercise: bool) -> bool:
    """Editors of a Secretariat unit or field operation, or of the Chairmanship's delegation
    today; exercise affiliations for exercise rounds only, real ones for real rounds only."""
    affiliation = _affiliation(user)
    if affiliation is None or not can_contribute(user):
        return False
    if affiliation.is_exercise != is_exercise:
        return False
    if affiliation.kind in (Affiliation.Kind.SECRETARIAT_UNIT, Affiliation.Kind.FIELD_OPERATION):
        return True
    return may_chair(user, on=timezone.localdate(clock.now()), is_exercise=is_exercise)


def records_exercise(user: AnyUser) -> bool:
    """Whether the rounds `user` records are exercise rounds (from their affiliation)."""
    affiliation = _affiliation(user)
    return bool(affiliation and affiliation.is_exercise)


def record_round(user: AnyUser, data: RoundInput) -> NegotiationRound:
    """Record a round of a registry format for the user's affiliation.

    Refuses with `Invalid` (naming the field: format, number, starts_on, ends_on,
    date_precision, place, participants, outcome, documents, classification) or `AccessDenied`,
    having stored nothing.
    """
    is_exercise = records_exercise(user)
    if not may_record_rounds(user, is_exercise=is_exercise):
        raise AccessDenied(
            "Only editors of a Secretariat unit, a field operation or the Chairmanship's "
            "delegation may record negotiation rounds.")
    negotiation_format = _format(data.format_code)
    _check_dates(data)
    if data.number is not None and not 1 <= data.number <= bounds.MAX_COUNT:
        raise Invalid("A round number is a whole number from 1.", field="number")
    place = _required_text(data.place, "place", NegotiationRound._meta.get_field("place"))
    if len(data.outcome) > bounds.MAX_TEXT_LENGTH:
        raise Invalid(f"At most {bounds.MAX_TEXT_LENGTH} characters.", field="outcome")
    if data.classification not in allowed_classifications(user):
        raise Invalid("Not a classification you may give.", field="classification")
    if data.participants is None:
        participants = [] if is_exercise else _format_participants(negotiation_format)
    else:
        participants = _participants(data.participants, is_exercise=is_exercise)
    negotiation_round = NegotiationRound(
        format=negotiation_format, number=data.number, starts_on=data.starts_on,
        ends_on=data.ends_on, date_precision=data.date_precision, place=place,
        participants=participants, outcome=data.outcome.strip(),
        documents=_documents(data.documents), is_exercise=is_exercise,
        classification=data.classification, owner_affiliation=_affiliation(user),
        created_by=user if user.is_authenticated else None)
    with transaction.atomic():
        negotiation_round.save()
        record_change(user, "create", negotiation_round, None, snapshot(negotiation_round))
    return negotiation_round


def record_commitment(user: AnyUser, negotiation_round: NegotiationRound,
                      data: CommitmentInput) -> Commitment:
    """Record a commitment taken in `negotiation_round`.

    The round must be one the user may see (`NotFound` otherwise, as for a missing round) and
    of the user's kind (exercise or real), and the user one who may record rounds
    (`AccessDenied`). Refuses an input with `Invalid` naming the field (text, kind, source,
    confidence, evidence_path), having stored nothing.
    """
    if not can_view(user, negotiation_round):
        raise NotFound("No such round.")
    if (negotiation_round.is_exercise != records_exercise(user)
            or not may_record_rounds(user, is_exercise=negotiation_round.is_exercise)):
        raise AccessDenied("You may see this round but not record its commitments.")
    text = _required_text(data.text, "text", None)
    if data.kind not in COMMITMENT_KINDS:
        raise Invalid(f"One of: {', '.join(COMMITMENT_KINDS)}.", field="kind")
    source = data.source.strip()
    if len(source) > bounds.MAX_SOURCE_LENGTH:
        raise Invalid(f"At most {bounds.MAX_SOURCE_LENGTH} characters.", field="source")
    if data.confidence and data.confidence not in Confidence.values:
        raise Invalid(f"One of: {', '.join(Confidence.values)}.", field="confidence")
    if data.confidence and not source:
        raise Invalid("A confidence label goes with a source: name it.", field="confidence")
    commitment = Commitment(round=negotiation_round, text=text, kind=data.kind, source=source,
                            confidence=data.confidence,
                            evidence_path=check_evidence_path(data.evidence_path))
    with transaction.atomic():
        commitment.save()
        record_change(user, "create", commitment, None, snapshot(commitment))
    return commitment


def check_evidence_path(path: str) -> str:
    """`path` if it is a site-relative path to one of the monitoring desk's evidence pages
    (blank for none); `Invalid` on `evidence_path` otherwise."""
    if path == "":
        return ""
    refused = Invalid(
        "Give the path of a page of the monitoring desk, such as /monitoring/reports/2026-05-04/.",
        field="evidence_path")
    if (len(path) > bounds.MAX_EVIDENCE_PATH_LENGTH or not _EVIDENCE_PATH.fullmatch(path)
            or _DOT_SEGMENT.search(path)):
        raise refused
    try:
        match = resolve(path)
    except Resolver404 as exc:
        raise refused from exc
    if match.namespaces != [EVIDENCE_NAMESPACE] or match.url_name not in EVIDENCE_PAGES:
        raise refused
    return path


def _format(code: str) -> NegotiationFormat:
    negotiation_format = NegotiationFormat.objects.filter(code=code).first() if code else None
    if negotiation_format is None:
        raise Invalid("Not a negotiation format in the registry.", field="format")
    return negotiation_format


def _check_dates(data: RoundInput) -> None:
    for field, day in (("starts_on", data.starts_on), ("ends_on", data.ends_on)):
        if day is not None and not bounds.FIRST_DAY <= day <= bounds.LAST_DAY:
            raise Invalid(f"A day from {bounds.FIRST_DAY} to {bounds.LAST_DAY}.", field=field)
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise Invalid("A round cannot end before it starts.", field="ends_on")
    if data.date_precision not in NegotiationRound.DatePrecision.values:
        raise Invalid("Either day or month.", field="date_precision")
    if data.date_precision == NegotiationRound.DatePrecision.MONTH and (
            data.starts_on.day != 1 or data.ends_on is not None):
        raise Invalid("A round known to the month only starts on the first and has no end day.",
                      field="date_precision")


def _required_text(value: str, field: str, model_field: Any) -> str:
    limit = getattr(model_field, "max_length", None) or bounds.MAX_TEXT_LENGTH
    text = value.strip()
    if not text:
        raise Invalid("This cannot be blank.", field=field)
    if len(text) > limit:
        raise Invalid(f"At most {limit} characters.", field=field)
    return text


def _format_participants(negotiation_format: NegotiationFormat) -> list[dict[str, str]]:
    rows = FormatParticipant.objects.filter(format=negotiation_format).select_related("state")
    return [{"role": row.role, "state": row.state.iso2 if row.state else "",
             "name": "" if row.state else row.name} for row in rows]


def _participants(given: Sequence[ParticipantInput], *,
                  is_exercise: bool) -> list[dict[str, str]]:
    if len(given) > bounds.MAX_ROUND_PARTICIPANTS:
        raise Invalid(f"At most {bounds.MAX_ROUND_PARTICIPANTS} participants.",
                      field="participants")
    rows = [_exercise_participant(p) if is_exercise else _real_participant(p) for p in given]
    if len({tuple(sorted(row.items())) for row in rows}) != len(rows):
        raise Invalid("A participant is named twice in the same role.", field="participants")
    return rows


def _role(participant: ParticipantInput) -> str:
    if participant.role not in PARTICIPANT_ROLES:
        raise Invalid(f"A participant's role is one of: {', '.join(sorted(PARTICIPANT_ROLES))}.",
                      field="participants")
    return participant.role


def _exercise_participant(participant: ParticipantInput) -> dict[str, str]:
    """An exercise round names exercise affiliations only, never a real State or party."""
    role = _role(participant)
    if participant.state or participant.name or not participant.affiliation:
        raise Invalid("An exercise round names exercise affiliations only, by their code.",
                      field="participants")
    if not Affiliation.objects.filter(code=participant.affiliation, is_exercise=True).exists():
        raise Invalid(f"{participant.affiliation[:64]!r} is not an exercise affiliation.",
                      field="participants")
    return {"role": role, "affiliation": participant.affiliation}


def _real_participant(participant: ParticipantInput) -> dict[str, str]:
    role = _role(participant)
    if participant.affiliation:
        raise Invalid("Exercise affiliations take part in exercise rounds only.",
                      field="participants")
    if bool(participant.state) == bool(participant.name.strip()):
        raise Invalid("Name each participant either by a State's code or by a party's name.",
                      field="participants")
    if participant.state:
        iso2 = participant.state.upper()
        if not ParticipatingState.objects.filter(iso2=iso2).exists():
            raise Invalid(f"{participant.state[:8]!r} is not a participating State.",
                          field="participants")
        return {"role": role, "state": iso2, "name": ""}
    name = participant.name.strip()
    if len(name) > bounds.MAX_PARTY_NAME_LENGTH:
        raise Invalid(f"A party's name has at most {bounds.MAX_PARTY_NAME_LENGTH} characters.",
                      field="participants")
    return {"role": role, "state": "", "name": name}


def _documents(titles: Sequence[str]) -> list[str]:
    if len(titles) > bounds.MAX_ROUND_DOCUMENTS:
        raise Invalid(f"At most {bounds.MAX_ROUND_DOCUMENTS} documents.", field="documents")
    documents = [title.strip() for title in titles]
    if any(not title or len(title) > bounds.MAX_DOCUMENT_TITLE_LENGTH for title in documents):
        raise Invalid(f"Each document is named in 1 to {bounds.MAX_DOCUMENT_TITLE_LENGTH} "
                      "characters.", field="documents")
    return documents


@dataclass(frozen=True)
class ReferenceRound:
    """A round copied from a public source: public, attributed, and labelled as the domain
    reference labels it. `participants_from_format` False where the source names no one."""

    format_code: str
    starts_on: date
    ends_on: date | None
    date_precision: str
    place: str
    participants_from_format: bool
    outcome: str
    documents: tuple[str, ...]
    source: str
    confidence: str


def load_reference_rounds(rounds: Sequence[ReferenceRound]) -> int:
    """Make the public, sourced rounds match `rounds`, by format, first day and place; returns
    how many rounds were created or changed (0 on a second run). Rounds entered by users are
    never touched. Refuses with `Invalid` before writing anything."""
    prepared = [_reference_record(row) for row in rounds]
    changed = 0
    with transaction.atomic():
        for fields in prepared:
            changed += _store_reference_round(fields)
    return changed


def _reference_record(row: ReferenceRound) -> dict[str, Any]:
    negotiation_format = _format(row.format_code)
    _check_dates(RoundInput(format_code=row.format_code, number=None, starts_on=row.starts_on,
                            ends_on=row.ends_on, place=row.place,
                            date_precision=row.date_precision))
    if not row.source.strip() or len(row.source) > bounds.MAX_SOURCE_LENGTH:
        raise Invalid("A reference round names its source.", field="source")
    if row.confidence not in Confidence.values:
        raise Invalid(f"One of: {', '.join(Confidence.values)}.", field="confidence")
    return {
        "format": negotiation_format, "starts_on": row.starts_on, "ends_on": row.ends_on,
        "date_precision": row.date_precision,
        "place": _required_text(row.place, "place", NegotiationRound._meta.get_field("place")),
        "participants": (_format_participants(negotiation_format)
                         if row.participants_from_format else []),
        "outcome": row.outcome.strip(), "documents": _documents(row.documents),
        "source": row.source.strip(), "confidence": row.confidence,
    }


def _store_reference_round(fields: dict[str, Any]) -> int:
    existing = NegotiationRound.objects.filter(
        format=fields["format"], starts_on=fields["starts_on"], place=fields["place"],
        owner_affiliation__isnull=True, is_exercise=False).exclude(source="").first()
    if existing is None:
        created = NegotiationRound.objects.create(
            classification=Classification.PUBLIC, is_exercise=False, **fields)
        record_change(None, "create", created, None, snapshot(created))
        return 1
    before = snapshot(existing)
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.classification = Classification.PUBLIC
    if snapshot(existing) == before:
        return 0
    existing.save()
    record_change(None, "update", existing, before, snapshot(existing))
    return 1
