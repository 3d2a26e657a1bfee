"""Political prisoners' cases: the case, its detention episodes, proceedings, recognitions and
condition reports. Custody status is never stored: it follows from the episodes."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from hofburg.cases import sealed
from hofburg.cases.engine import custody, surrogates
from hofburg.cases.models import (
    ConditionReport,
    DetentionEpisode,
    Person,
    PrisonerCase,
    Proceeding,
    Recognition,
)
from hofburg.core import access
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import Classification, User
from hofburg.core.services.audit import record_change, snapshot

MAX_ARTICLES = 50
PACE_CRITERIA = ("a", "b", "c", "d", "e")  # PACE Res. 1900 (2012), §3.a–e


def _editable(actor: User, case: PrisonerCase) -> None:
    if not access.can_edit(actor, case):
        raise AccessDenied("Only editors of the owner affiliation may change this case.")


def create_prisoner_case(actor: User, person: Person, *, jurisdiction: str,
                         articles: list[str], charges: str = "", case_number: str = "",
                         classification: str = Classification.RESTRICTED,
                         is_exercise: bool = False) -> PrisonerCase:
    """A case for a person the actor holds a grant on (they must know the person exists)."""
    from hofburg.cases import permissions

    if not access.can_contribute(actor) or permissions.grant_level(actor, person.pk) is None:
        raise AccessDenied("Only an editor holding a grant for the person may open a case.")
    if len(jurisdiction) != 2 or not jurisdiction.isalpha():
        raise Invalid("an ISO 3166 alpha-2 code", field="jurisdiction")
    clean = [a.strip() for a in articles if a.strip()]
    if len(clean) > MAX_ARTICLES or any(len(a) > 40 for a in clean):
        raise Invalid(f"at most {MAX_ARTICLES} articles of 40 characters", field="articles")
    if classification not in Classification.values:
        raise Invalid("unknown classification", field="classification")
    with transaction.atomic():
        case = PrisonerCase.objects.create(
            case_id=surrogates.new_surrogate_id("PC"), person=person,
            jurisdiction=jurisdiction.upper(), articles=clean, charges=charges.strip(),
            case_number=case_number.strip(), classification=classification,
            owner_affiliation_id=actor.affiliation_id, is_exercise=is_exercise)
        record_change(actor, "create", case, None, snapshot(case))
    return case


def add_detention_episode(actor: User, case: PrisonerCase, *, kind: str, start: date,
                          end: date | None = None, died: bool = False,
                          facility: str = "") -> DetentionEpisode:
    _editable(actor, case)
    if kind not in DetentionEpisode.Kind.values:
        raise Invalid(f"one of {', '.join(DetentionEpisode.Kind.values)}", field="kind")
    try:
        new = custody.Episode(start, end, died)
    except ValueError as exc:
        raise Invalid(str(exc), field="end") from exc
    for old in case.episodes.all():
        other = custody.Episode(old.start, old.end)
        if (new.end is None or other.start < new.end) and (other.end is None
                                                             or new.start < other.end):
            raise Conflict("overlaps an episode already recorded")
    with transaction.atomic():
        episode = DetentionEpisode.objects.create(case=case, kind=kind, start=start, end=end,
                                                  died=died, facility=facility.strip())
        record_change(actor, "detain", case, None, snapshot(episode))
    return episode


def end_detention(actor: User, episode: DetentionEpisode, end: date,
                  died: bool = False) -> DetentionEpisode:
    _editable(actor, episode.case)
    if episode.end is not None:
        raise Conflict("this episode has ended already")
    if end < episode.start:
        raise Invalid("a detention episode cannot end before it starts", field="end")
    with transaction.atomic():
        before = snapshot(episode)
        episode.end, episode.died = end, died
        episode.save(update_fields=["end", "died"])
        record_change(actor, "release", episode.case, before, snapshot(episode))
    return episode


def add_proceeding(actor: User, case: PrisonerCase, *, court: str, hearing_date: date,
                   closed_trial: bool = False, verdict: str = "",
                   sentence: str = "") -> Proceeding:
    _editable(actor, case)
    if not court.strip():
        raise Invalid("name the court", field="court")
    with transaction.atomic():
        proceeding = Proceeding.objects.create(
            case=case, court=court.strip(), hearing_date=hearing_date,
            closed_trial=closed_trial, verdict=verdict.strip(), sentence=sentence.strip())
        record_change(actor, "hearing", case, None, snapshot(proceeding))
    return proceeding


def add_recognition(actor: User, case: PrisonerCase, *, organisations: list[str],
                    criteria: list[str], recognised_on: date,
                    statement_url: str = "") -> Recognition:
    """A recognition decision; criteria are PACE Res. 1900 (2012) §3 letters a–e."""
    _editable(actor, case)
    orgs = [o.strip() for o in organisations if o.strip()]
    if not orgs:
        raise Invalid("name at least one recognising organisation", field="organisations")
    unknown = [c for c in criteria if c not in PACE_CRITERIA]
    if unknown or not criteria:
        raise Invalid("PACE Resolution 1900 criteria a to e", field="criteria")
    with transaction.atomic():
        recognition = Recognition.objects.create(
            case=case, organisations=orgs, criteria=sorted(set(criteria)),
            recognised_on=recognised_on, statement_url=statement_url.strip())
        record_change(actor, "recog", case, None, snapshot(recognition))
    return recognition


def withdraw_recognition(actor: User, recognition: Recognition, on: date) -> Recognition:
    _editable(actor, recognition.case)
    if recognition.withdrawn_on is not None:
        raise Conflict("withdrawn already")
    if on < recognition.recognised_on:
        raise Invalid("a withdrawal follows the recognition", field="withdrawn_on")
    with transaction.atomic():
        before = snapshot(recognition)
        recognition.withdrawn_on = on
        recognition.save(update_fields=["withdrawn_on"])
        record_change(actor, "withdraw", recognition.case, before, snapshot(recognition))
    return recognition


def add_condition_report(actor: User, case: PrisonerCase, *, reported_on: date,
                         text: str) -> ConditionReport:
    _editable(actor, case)
    if not text.strip():
        raise Invalid("the report is empty", field="text")
    with transaction.atomic():
        report = sealed.create(None, ConditionReport.objects, {"text": text.strip()},
                               case=case, reported_on=reported_on)
        # The audit trail notes that a report came, not what it says.
        record_change(actor, "report", case, None, {"reported_on": reported_on.isoformat()})
    return report
