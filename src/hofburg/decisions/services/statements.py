"""Recording delegations' statements (`PC.DEL/N/YY`) and adding their language versions.

Who records a statement (domain reference §4: delivered orally, listed in the journal under the
agenda item with every other speaker, and often distributed through the Secretariat):

- an editor of a delegation, for that delegation only (`permissions.acting_delegation`). A
  Partner for Co-operation's delegation records statements too: it speaks in the Council, it
  only may not object;
- the Chair or the Secretariat (`permissions.may_chair`) for any speaker, since they keep the
  list of speakers and distribute what delegations hand them: a delegation named by its
  `delegation` code, or a speaker that is no delegation (a guest, the Secretary General) named
  by `speaker_label` alone.

The statement belongs to the speaking delegation (its editors may add language versions), or,
for a speaker that is no delegation, to the affiliation of whoever recorded it. The Chair and
the Secretariat may add language versions to any statement they can see.

A statement is `public` or `restricted`, never `confidential`: it was delivered in the Council.
A statement distributed with the OSCE+ marker (restricted distribution) is `restricted`
(`OSCE+` is accepted as a name for it). Only a distributed statement (`distribute`) takes the
next number of the body's DEL series (`PC.DEL/N/YY`); an oral statement has no symbol.

A record's `is_exercise` follows the affiliation of whoever records it (decision 0033); in an
exercise statement the speaker and every aligned label must be exercise names ("Exercise ..."),
so no exercise statement is attributed to a real State.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from hofburg.core import access
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.bounds import (
    FIRST_DAY,
    LAST_DAY,
    MAX_ALIGNED,
    MAX_ALIGNED_LABEL,
    MAX_STATEMENT_TEXT,
    NUL,
)
from hofburg.core.errors import Conflict, Invalid, NotFound
from hofburg.core.models import Affiliation, Classification
from hofburg.core.services.audit import record_change, snapshot
from hofburg.decisions import permissions, sequences
from hofburg.decisions.models import AgendaItem, Body, Meeting, Statement
from hofburg.decisions.search import statement_search_text

# The restricted distribution marker on OSCE documents (domain reference §3.6).
RESTRICTED_MARKERS = {"osce+", "osce plus"}
EXERCISE_PREFIX = "exercise"


@dataclass(frozen=True)
class StatementInput:
    """A statement as its recorder gives it. `meeting` is a meeting's id, `agenda_item` the
    number of an item on that meeting's agenda, `delegation` the speaking delegation's code
    (the Chair and the Secretariat only; a delegation's editor speaks for their own)."""

    body: str
    original_language: str
    texts: Mapping[str, str]
    delivered_on: date | None = None
    meeting: int | None = None
    agenda_item: int | None = None
    delegation: str = ""
    speaker_label: str = ""
    speaker_name: str = ""
    aligned: Sequence[str] = field(default_factory=tuple)
    alignment_note: str = ""
    title: str = ""
    classification: str = Classification.RESTRICTED
    distribute: bool = False


def record_statement(user: AnyUser, data: StatementInput) -> Statement:
    """Record a statement as delivered (and number it if it is distributed); refuse with a
    `core.errors` exception, having stored nothing."""
    is_exercise = _is_exercise(user)
    if not access.can_contribute(user):
        raise AccessDenied("Only editors of a delegation, the Chair or the Secretariat may "
                           "record statements.")
    _check_body(data.body)
    texts = _clean_texts(data.texts, data.original_language)
    classification = _classification(data.classification)
    meeting = _meeting(user, data, is_exercise)
    delivered_on = _delivered_on(data.delivered_on, meeting)
    item = _agenda_item(meeting, data.agenda_item)
    delegation = _speaking_delegation(user, data.delegation, on=delivered_on,
                                      is_exercise=is_exercise)
    speaker_label = _speaker_label(data.speaker_label, delegation, is_exercise)
    aligned = _aligned(data.aligned, is_exercise)
    speaker_name = _field_text(data.speaker_name, "speaker_name")
    alignment_note = _field_text(data.alignment_note, "alignment_note")
    title = _field_text(data.title, "title")
    owner = delegation or getattr(user, "affiliation", None)
    with transaction.atomic():
        statement = Statement(
            body=data.body, meeting=meeting, agenda_item=item, delegation=delegation,
            speaker_label=speaker_label, speaker_name=speaker_name, aligned=aligned,
            alignment_note=alignment_note, title=title, delivered_on=delivered_on,
            original_language=data.original_language, texts=texts,
            classification=classification, owner_affiliation=owner, is_exercise=is_exercise,
            created_by=user if user.is_authenticated else None,
        )
        if data.distribute:
            statement.number, statement.symbol = sequences.allocate(
                data.body, "DEL", on=delivered_on, is_exercise=is_exercise)
            statement.year = delivered_on.year
        statement.search_text = _search_text(statement)
        statement.save()
        record_change(user, "create", statement, None, _snapshot(statement))
    return statement


def add_statement_translation(user: AnyUser, statement: Statement, language: str,
                              text: str) -> Statement:
    """Add the statement's version in another official language. The speaking delegation's
    editors, the Chair and the Secretariat may; a version already there is a conflict."""
    if not access.can_view(user, statement):
        raise NotFound("No such statement.")
    if not may_add_translation(user, statement):
        raise AccessDenied("Only the speaking delegation, the Chair or the Secretariat may add "
                           "a language version of this statement.")
    if language not in settings.OFFICIAL_LANGUAGE_CODES:
        raise Invalid(f"Choose one of the official languages: "
                      f"{', '.join(settings.OFFICIAL_LANGUAGE_CODES)}.", field="language")
    cleaned = _clean_text(text, "text")
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if language in locked.texts:
            raise Conflict(f"The statement already has a version in {language}.",
                           field="language")
        before = _snapshot(locked)
        locked.texts = {**locked.texts, language: cleaned}
        locked.search_text = _search_text(locked)
        locked.save(update_fields=["texts", "search_text"])
        record_change(user, "update", locked, before, _snapshot(locked))
    return locked


# -- checks ------------------------------------------------------------------------------------


def _is_exercise(user: AnyUser) -> bool:
    return bool(getattr(getattr(user, "affiliation", None), "is_exercise", False))


def may_add_translation(user: AnyUser, statement: Statement) -> bool:
    """The speaking delegation's editors (the owner's, for a speaker that is no delegation),
    the Chair and the Secretariat."""
    own = permissions.acting_delegation(user, is_exercise=statement.is_exercise)
    if own is not None and own.pk == statement.owner_affiliation_id:
        return True
    return permissions.may_chair(user, on=statement.delivered_on,
                                 is_exercise=statement.is_exercise)


def _check_body(body: str) -> None:
    if body not in Body.values:
        raise Invalid(f"Choose one of the bodies: {', '.join(Body.values)}.", field="body")


def _classification(value: str) -> str:
    level = value.strip().lower()
    if level in RESTRICTED_MARKERS:
        return Classification.RESTRICTED
    if level not in (Classification.PUBLIC, Classification.RESTRICTED):
        raise Invalid("A statement is public or restricted (OSCE+).", field="classification")
    return level


def _text(value: str, name: str) -> str:
    if NUL in value:
        raise Invalid("Text may not contain NUL characters.", field=name)
    return value.strip()


def _field_text(value: str, name: str) -> str:
    """`value` stripped, if it fits the statement's column `name`."""
    cleaned = _text(value, name)
    limit = getattr(Statement._meta.get_field(name), "max_length", None)
    if limit is not None and len(cleaned) > limit:
        raise Invalid(f"At most {limit} characters.", field=name)
    return cleaned


def _clean_text(text: str, name: str) -> str:
    cleaned = _text(text, name)
    if not cleaned:
        raise Invalid("The text is empty.", field=name)
    if len(cleaned) > MAX_STATEMENT_TEXT:
        raise Invalid(f"A text holds at most {MAX_STATEMENT_TEXT:,} characters.", field=name)
    return cleaned


def _clean_texts(texts: Mapping[str, str], original: str) -> dict[str, str]:
    official = settings.OFFICIAL_LANGUAGE_CODES
    if original not in official:
        raise Invalid(f"Choose one of the official languages: {', '.join(official)}.",
                      field="original_language")
    unknown = sorted(set(texts) - set(official))
    if unknown:
        raise Invalid(f"Not an official language: {', '.join(unknown)}.", field="texts")
    if not (texts.get(original) or "").strip():
        raise Invalid("Give the text in its original language.", field="texts")
    return {code: _clean_text(texts[code], "texts") for code in official if code in texts}


def _meeting(user: AnyUser, data: StatementInput, is_exercise: bool) -> Meeting | None:
    if data.meeting is None:
        return None
    meeting = access.visible(Meeting.objects.all(), user).filter(pk=data.meeting).first()
    if meeting is None:
        raise NotFound("No such meeting.", field="meeting")
    if meeting.body != data.body:
        raise Invalid(f"{meeting.journal_symbol} is a meeting of another body.", field="meeting")
    if meeting.is_exercise != is_exercise:
        raise Invalid("Exercise statements belong to exercise meetings, real ones to real "
                      "meetings.", field="meeting")
    if meeting.journal_closed:
        raise Conflict(f"The journal {meeting.journal_symbol} is issued: no statement can be "
                       "added to it.", field="meeting")
    return meeting


def _delivered_on(day: date | None, meeting: Meeting | None) -> date:
    if day is None:
        if meeting is None:
            raise Invalid("Give the day the statement was delivered, or its meeting.",
                          field="delivered_on")
        return meeting.date
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Invalid(f"The day lies between {FIRST_DAY} and {LAST_DAY}.", field="delivered_on")
    if meeting is not None and day != meeting.date and not (
            meeting.date_precision == Meeting.DatePrecision.YEAR
            and day.year == meeting.date.year):
        raise Invalid(f"{meeting.journal_symbol} met on {meeting.date:%Y-%m-%d}.",
                      field="delivered_on")
    return day


def _agenda_item(meeting: Meeting | None, number: int | None) -> AgendaItem | None:
    if number is None:
        return None
    if meeting is None:
        raise Invalid("An agenda item needs its meeting.", field="agenda_item")
    item = meeting.agenda_items.filter(number=number).first()
    if item is None:
        raise Invalid(f"{meeting.journal_symbol} has no agenda item {number}.",
                      field="agenda_item")
    return item


def _speaking_delegation(user: AnyUser, code: str, *, on: date,
                         is_exercise: bool) -> Affiliation | None:
    """The delegation that speaks: the recorder's own, or the one the Chair or the Secretariat
    name (None for a speaker that is no delegation)."""
    own = permissions.acting_delegation(user, is_exercise=is_exercise)
    if own is not None and code in ("", own.code):
        return own
    if not permissions.may_chair(user, on=on, is_exercise=is_exercise):
        raise AccessDenied("A delegation records its own statements; only the Chair or the "
                           "Secretariat record another speaker's.")
    if not code:
        return None
    delegation = Affiliation.objects.filter(code=code, kind=Affiliation.Kind.DELEGATION).first()
    if delegation is None:
        raise Invalid(f"No delegation has the code {code!r}.", field="delegation")
    if delegation.is_exercise != is_exercise:
        raise Invalid("Exercise statements are spoken by exercise delegations only, real ones "
                      "by real delegations.", field="delegation")
    return delegation


def _speaker_label(label: str, delegation: Affiliation | None, is_exercise: bool) -> str:
    cleaned = _field_text(label, "speaker_label")
    if not cleaned:
        if delegation is None:
            raise Invalid("Name the speaker.", field="speaker_label")
        return delegation.name
    if is_exercise and not cleaned.lower().startswith(EXERCISE_PREFIX):
        raise Invalid("An exercise speaker's label starts with 'Exercise'.",
                      field="speaker_label")
    return cleaned


def _aligned(labels: Sequence[str], is_exercise: bool) -> list[str]:
    if isinstance(labels, str):
        raise Invalid("Give a list of labels.", field="aligned")
    cleaned = list(dict.fromkeys(_text(label, "aligned") for label in labels))
    cleaned = [label for label in cleaned if label]
    if len(cleaned) > MAX_ALIGNED:
        raise Invalid(f"At most {MAX_ALIGNED} aligned.", field="aligned")
    for label in cleaned:
        if len(label) > MAX_ALIGNED_LABEL:
            raise Invalid(f"A label holds at most {MAX_ALIGNED_LABEL} characters.",
                          field="aligned")
        if is_exercise and not label.lower().startswith(EXERCISE_PREFIX):
            raise Invalid("Exercise statements are aligned with exercise names only "
                          f"('Exercise ...'), not {label!r}.", field="aligned")
    return cleaned


def _search_text(statement: Statement) -> str:
    return statement_search_text(
        speaker_label=statement.speaker_label, speaker_name=statement.speaker_name,
        aligned=statement.aligned, alignment_note=statement.alignment_note,
        texts=statement.texts)


def _snapshot(statement: Statement) -> dict[str, Any]:
    # The search text repeats the texts: the audit keeps them once.
    data = snapshot(statement)
    data.pop("search_text", None)
    return data
