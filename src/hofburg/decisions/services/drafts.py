"""Drafts: tabling a draft decision, its revisions and language versions, and the amendments
delegations propose to it.

Who may: tabling, revisions and translations by whoever may chair the body
(`permissions.may_chair`: the Chairmanship's delegation or the Secretariat); amendments by a
participating State's delegation, for its own State (`permissions.acting_delegation`). Every
function owns its transaction, checks everything before it writes, records the change in the
audit trail and refuses with a `core.errors` exception, having changed nothing. Where a draft
stands is read through `queries.drafts.draft_state` (the engine's `effective`), so a silence
that has expired counts as an adoption.

The helpers at the end (`require_chair`, `refusal`, the cleaners) are shared with
`services.decide`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.core.bounds import (
    MAX_AMENDMENTS_PER_REVISION,
    MAX_DRAFT_TEXT_LENGTH,
    MAX_DRAFT_TITLE_LENGTH,
)
from hofburg.core.errors import Conflict, Invalid, NotAllowed, NotFound, ServiceError
from hofburg.core.models import Affiliation, Classification, User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.decisions import clock, permissions, sequences
from hofburg.decisions.engine import numbering, silence
from hofburg.decisions.models import Amendment, Body, Draft, Revision
from hofburg.decisions.queries.drafts import draft_state, latest_revision


@dataclass(frozen=True)
class DraftInput:
    """A draft as the Chair tables it: its body (`PC`), title, text in `language`."""

    body: str
    title: str
    text: str
    language: str
    kind: str = "decision"
    venue: str = "plenary"
    only_original: bool = False
    classification: str = "restricted"


@dataclass(frozen=True)
class RevisionInput:
    """A new revision: its text (in `language`, by default the previous revision's original
    language), a note, and the pending amendments it takes in and those it leaves out."""

    text: str
    language: str | None = None
    note: str = ""
    taken: tuple[int, ...] = ()
    not_taken: tuple[int, ...] = ()


def table_draft(user: AnyUser, data: DraftInput) -> Draft:
    """Table a draft decision or declaration: it gets the next `DD` number of its body
    (`PC.DD/3/26`) and its text becomes revision 0. The draft is exercise data when the
    user's affiliation is an exercise one, and belongs to that affiliation."""
    affiliation = _affiliation(user)
    is_exercise = affiliation.is_exercise if affiliation else False
    on = timezone.localdate(clock.now())
    require_chair(user, on=on, is_exercise=is_exercise, what="table a draft")
    if affiliation is None:  # may_chair needs one; said again for the type checker
        raise NotAllowed("Only an editor with an affiliation may table a draft.")
    body = clean_choice("body", data.body, Body.values)
    sequences.series_rule(body, "DD")
    title = clean_text("title", data.title, MAX_DRAFT_TITLE_LENGTH)
    text = clean_text("text", data.text, MAX_DRAFT_TEXT_LENGTH)
    language = clean_language("language", data.language)
    kind = clean_choice("kind", data.kind, Draft.Kind.values)
    venue = clean_choice("venue", data.venue, Draft.Venue.values)
    classification = clean_classification(user, data.classification)
    with transaction.atomic():
        number, symbol = sequences.allocate(body, "DD", on=on, is_exercise=is_exercise)
        rule = sequences.series_rule(body, "DD")
        draft = Draft.objects.create(
            body=body, kind=kind, number=number, year=on.year if rule.per_year else None,
            symbol=symbol, title=title, venue=venue, classification=classification,
            owner_affiliation=affiliation, is_exercise=is_exercise, created_by=_user(user))
        revision = Revision.objects.create(
            draft=draft, number=0, symbol=symbol, original_language=language,
            only_original=bool(data.only_original), texts={language: text},
            created_by=_user(user))
        record_change(user, "create", draft, None, snapshot(draft))
        record_change(user, "create", revision, None, snapshot(revision))
    return draft


def add_revision(user: AnyUser, draft: Draft, data: RevisionInput) -> Revision:
    """Issue the next revision (`PC.DD/3/26/Rev.1`), taking the listed pending amendments into
    it (`taken`) or leaving them out (`not_taken`). Refused once the draft is adopted or while
    it is under silence (the text under silence is the text adopted or objected to)."""
    require_visible(user, draft)
    require_chair(user, on=timezone.localdate(clock.now()), is_exercise=draft.is_exercise,
                  what="revise a draft")
    require_open(draft, clock.now())
    previous = latest_revision(draft)
    text = clean_text("text", data.text, MAX_DRAFT_TEXT_LENGTH)
    language = clean_language("language", data.language or previous.original_language)
    note = clean_text("note", data.note, 500, required=False)
    taken, not_taken = _clean_outcomes(draft, data.taken, data.not_taken)
    with transaction.atomic():
        locked = Draft.objects.select_for_update().get(pk=draft.pk)
        require_open(locked, clock.now())
        number = latest_revision(locked).number + 1
        revision = Revision.objects.create(
            draft=locked, number=number,
            symbol=numbering.revision_symbol(locked.symbol, number),
            original_language=language, only_original=previous.only_original,
            texts={language: text}, note=note, created_by=_user(user))
        for amendment in Amendment.objects.select_for_update().filter(pk__in=taken + not_taken):
            before = snapshot(amendment)
            if amendment.outcome != Amendment.Outcome.PENDING:
                raise Conflict(f"Amendment {amendment.pk} has already been decided.",
                               field="taken")
            is_taken = amendment.pk in taken
            amendment.outcome = (Amendment.Outcome.TAKEN if is_taken
                                 else Amendment.Outcome.NOT_TAKEN)
            amendment.taken_in = revision if is_taken else None
            amendment.save(update_fields=["outcome", "taken_in"])
            record_change(user, "update", amendment, before, snapshot(amendment))
        locked.save(update_fields=["updated_at"])
        record_change(user, "create", revision, None, snapshot(revision))
    return revision


def add_translation(user: AnyUser, revision: Revision, language: str, text: str) -> Revision:
    """Add the version of `revision` in another official language. Refused for a revision
    issued in its original language only ("ENGLISH only") and for a language it has."""
    draft = revision.draft
    require_visible(user, draft)
    require_chair(user, on=timezone.localdate(clock.now()), is_exercise=draft.is_exercise,
                  what="add a language version")
    language = clean_language("language", language)
    text = clean_text("text", text, MAX_DRAFT_TEXT_LENGTH)
    with transaction.atomic():
        locked = Revision.objects.select_for_update().get(pk=revision.pk)
        if locked.only_original:
            raise Conflict(f"{locked.symbol} is issued in its original language only.",
                           field="language")
        if language in locked.texts:
            raise Conflict(f"{locked.symbol} already has its {language} version.",
                           field="language")
        before = snapshot(locked)
        locked.texts = {**locked.texts, language: text}
        locked.save(update_fields=["texts"])
        record_change(user, "update", locked, before, snapshot(locked))
    return locked


def propose_amendment(user: AnyUser, draft: Draft, text: str) -> Amendment:
    """A participating State's delegation proposes an amendment to the current revision; the
    Chair takes it into a later revision or not (`add_revision`).

    Refused once the draft is adopted, and while it is under silence: then an amendment in
    writing breaks the silence and is sent as such (`decide.break_silence`, kind
    "amendment"), never by accident through this door. A Partner's delegation takes no part
    in decisions (II(A)2) and proposes none."""
    require_visible(user, draft)
    delegation = require_delegation(user, draft, what="propose amendments")
    text = clean_text("text", text, MAX_DRAFT_TEXT_LENGTH)
    now = clock.now()
    require_open(draft, now)
    with transaction.atomic():
        locked = Draft.objects.select_for_update().get(pk=draft.pk)
        require_open(locked, now)
        amendment = Amendment.objects.create(
            draft=locked, revision=latest_revision(locked), delegation=delegation, text=text,
            proposed_at=now, created_by=_user(user))
        record_change(user, "create", amendment, None, snapshot(amendment))
    return amendment


# -- shared with services.decide ---------------------------------------------------------------

# The engine's refusals: who may (403), bad values naming the field (422); the rest are state
# conflicts (409).
_FORBIDDEN = frozenset({"not_a_participating_state"})
_INVALID_FIELD = {"unknown_kind": "kind", "meeting_not_yet_held": "meeting",
                  "expiry_not_after_meeting": "expires_at", "expiry_not_after_now": "expires_at"}


def refusal(exc: silence.Refused, *, fields: Mapping[str, str] | None = None) -> ServiceError:
    """The `core.errors` exception for the engine's refusal `exc`; `fields` overrides the
    field a 422 names."""
    message = exc.message[:1].upper() + exc.message[1:] + "."
    if exc.reason in _FORBIDDEN:
        return NotAllowed(message)
    field = {**_INVALID_FIELD, **(fields or {})}.get(exc.reason)
    if field is not None:
        return Invalid(message, field=field)
    return Conflict(message)


def require_visible(user: AnyUser, draft: Draft) -> None:
    """NotFound for a draft the user may not see: hidden is absent."""
    if not access.can_view(user, draft):
        raise NotFound("No such draft.")


def require_chair(user: AnyUser, *, on: date, is_exercise: bool, what: str) -> None:
    if not permissions.may_chair(user, on=on, is_exercise=is_exercise):
        kind = "exercise " if is_exercise else ""
        raise NotAllowed(f"Only editors of the Chairmanship's delegation or of the Secretariat "
                         f"may {what} ({kind}records of the year's Chair).")


def require_delegation(user: AnyUser, draft: Draft, *, what: str) -> Affiliation:
    """The participating State's delegation the user acts for on `draft`, or NotAllowed."""
    delegation = permissions.acting_delegation(user, is_exercise=draft.is_exercise)
    if delegation is None:
        kind = "exercise " if draft.is_exercise else ""
        raise NotAllowed(f"Only an editor of a {kind}delegation may {what}, for its own State.")
    if not permissions.is_participating_state(delegation):
        raise NotAllowed(f"{delegation.name} is not a participating State's delegation: only "
                         f"participating States take part in decisions (II(A)2) and may {what}.")
    return delegation


def require_open(draft: Draft, now: datetime) -> None:
    """Conflict unless the draft may still change: not adopted, not under silence."""
    state = draft_state(draft, now)
    if state.status is silence.Status.ADOPTED:
        raise Conflict(f"{draft.symbol} has already been adopted.")
    if state.status is silence.Status.UNDER_SILENCE:
        raise Conflict(f"{draft.symbol} is under silence until "
                       f"{timezone.localtime(state.expires_at):%Y-%m-%d %H:%M %Z}.")


def clean_text(field: str, value: object, max_length: int, *, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise Invalid("This field must not be empty.", field=field)
    if len(text) > max_length:
        raise Invalid(f"At most {max_length} characters.", field=field)
    return text


def clean_language(field: str, value: object) -> str:
    if value not in settings.OFFICIAL_LANGUAGE_CODES:
        raise Invalid("Choose one of the official languages: "
                      f"{', '.join(settings.OFFICIAL_LANGUAGE_CODES)}.", field=field)
    return str(value)


def clean_choice(field: str, value: object, choices: Iterable[str]) -> str:
    allowed = list(choices)
    if value not in allowed:
        raise Invalid(f"Choose one of: {', '.join(allowed)}.", field=field)
    return str(value)


def clean_classification(user: AnyUser, value: object) -> str:
    classification = clean_choice("classification", value, Classification.values)
    if classification not in access.allowed_classifications(user):
        raise Invalid("You may not give a record this distribution.", field="classification")
    return classification


def _clean_outcomes(draft: Draft, taken: Iterable[int], not_taken: Iterable[int]
                    ) -> tuple[list[int], list[int]]:
    """The amendment ids, each pending and of this draft, none both taken and not taken."""
    taken, not_taken = list(dict.fromkeys(taken)), list(dict.fromkeys(not_taken))
    for field, ids in (("taken", taken), ("not_taken", not_taken)):
        if len(ids) > MAX_AMENDMENTS_PER_REVISION:
            raise Invalid(f"At most {MAX_AMENDMENTS_PER_REVISION} amendments.", field=field)
    both = sorted(set(taken) & set(not_taken))
    if both:
        raise Invalid(f"Amendment {both[0]} cannot be both taken and not taken.",
                      field="not_taken")
    pending = set(draft.amendments.filter(outcome=Amendment.Outcome.PENDING)
                  .values_list("pk", flat=True))
    for field, ids in (("taken", taken), ("not_taken", not_taken)):
        unknown = [i for i in ids if i not in pending]
        if unknown:
            raise Invalid(f"{unknown[0]} is not a pending amendment of {draft.symbol}.",
                          field=field)
    return taken, not_taken


def _affiliation(user: AnyUser) -> Affiliation | None:
    affiliation = getattr(user, "affiliation", None)
    return affiliation if isinstance(affiliation, Affiliation) else None


def _user(user: AnyUser) -> User | None:
    return user if isinstance(user, User) else None
