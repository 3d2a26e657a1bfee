"""Pages: the Chairmanship's status table of drafts, a draft with its revisions, language
versions, diffs, amendments, objections under silence and attachments, and the forms that act
on it (`drafts_actions`).

Every draft is read through `queries.drafts`, so a draft the user may not see is a 404 on every
route. The text of a revision and the diff between two revisions are fragments that htmx swaps
in place; the same GET forms reload the whole page when there is no script.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from hofburg.core import updated
from hofburg.core.errors import ServiceError
from hofburg.decisions import clock, mechanisms, sequences
from hofburg.decisions.forms import StatusTableFilterForm
from hofburg.decisions.models import Draft, Revision
from hofburg.decisions.queries.drafts import (
    StatusRow,
    draft_state,
    get_draft,
    revision_diff,
    status_table,
)
from hofburg.decisions.views import drafts_actions
from hofburg.decisions.views.drafts_actions import draft_actions

LANGUAGE_NAMES = dict(settings.LANGUAGES)


@dataclass(frozen=True)
class TableLine:
    """A row of the status table and its status in words."""

    row: StatusRow
    status_label: str


def _status_label(status: str) -> str:
    try:
        return str(Draft.Status(status).label)
    except ValueError:
        return status


def drafts_status_table(request: HttpRequest) -> HttpResponse:
    """The Chairmanship's table: each visible draft's symbol, latest revision, venue, status
    and days under silence, filtered by body and status."""
    form = StatusTableFilterForm(request.GET)
    filters = form.filters()
    rows = status_table(request.user, body=filters.get("body"), now=clock.now(),
                        earlier=bool(filters.get("earlier")))
    if "status" in filters:
        rows = [row for row in rows if row.status == filters["status"]]
    return render(request, "decisions/drafts_status_table.html", {
        "form": form,
        "lines": [TableLine(row, _status_label(row.status)) for row in rows],
        # The newest change among the drafts listed, all of them visible to the reader.
        "updated": updated.latest(*(row.updated_at for row in rows)),
        "can_table": drafts_actions.may_table(request.user),
        "shows_exercise_data": any(row.is_exercise for row in rows),
    })


# -- one draft ---------------------------------------------------------------------------------


def _language_label(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


@dataclass(frozen=True)
class RevisionLine:
    """A revision and its languages: "Original: ENGLISH", or "ENGLISH only"."""

    revision: Revision
    original: str
    others: list[str]
    only_original: bool

    @classmethod
    def of(cls, revision: Revision) -> RevisionLine:
        others = [_language_label(code) for code in settings.OFFICIAL_LANGUAGE_CODES
                  if code in revision.texts and code != revision.original_language]
        return cls(revision, _language_label(revision.original_language), others,
                   revision.only_original)


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() else None


def _pick(revisions: list[Revision], number: int | None) -> Revision | None:
    for revision in revisions:
        if revision.number == number:
            return revision
    return revisions[-1] if revisions else None


def text_context(draft: Draft, revisions: list[Revision], params: QueryDict) -> dict[str, Any]:
    """The chosen revision (latest by default) in the chosen language (its original by
    default, or when it has no version in the language asked for)."""
    revision = _pick(revisions, _number(params.get("revision")))
    if revision is None:
        return {"draft": draft, "revisions": revisions, "revision": None}
    asked = params.get("language") or revision.original_language
    language = asked if asked in revision.texts else revision.original_language
    return {
        "draft": draft, "revisions": revisions, "revision": revision,
        "language": language, "language_missing": asked != language,
        "text": revision.texts.get(language, ""),
        "languages": [(code, _language_label(code)) for code in settings.OFFICIAL_LANGUAGE_CODES
                      if code in revision.texts],
    }


def diff_context(draft: Draft, revisions: list[Revision], params: QueryDict) -> dict[str, Any]:
    """The diff between two revisions, any two, in one language: by default the latest
    revision against the one before it, in the latest's original language."""
    context: dict[str, Any] = {"draft": draft, "revisions": revisions, "segments": None,
                               "diff_error": None}
    if len(revisions) < 2:
        return context
    asked = _number(params.get("a"))
    older = _pick(revisions, revisions[-2].number if asked is None else asked) or revisions[-2]
    newer = _pick(revisions, _number(params.get("b"))) or revisions[-1]
    language = params.get("diff_language") or newer.original_language
    context.update({"a": older, "b": newer, "diff_language": language,
                    "languages": [(code, _language_label(code))
                                  for code in settings.OFFICIAL_LANGUAGE_CODES]})
    if language not in older.texts or language not in newer.texts:
        context["diff_error"] = _missing_language_message(language, older, newer)
        return context
    try:
        context["segments"] = revision_diff(draft, older.number, newer.number, language)
    except ServiceError as error:
        context["diff_error"] = error.message
    return context


def _missing_language_message(language: str, *revisions: Revision) -> str:
    missing = [revision.symbol for revision in revisions if language not in revision.texts]
    return _("%(symbols)s has no %(language)s version.") % {
        "symbols": ", ".join(missing), "language": _language_label(language)}


@dataclass(frozen=True)
class StatusView:
    """Where the draft stands, in the words the page uses."""

    status: str
    label: str
    expires_at: datetime | None
    broken_at: datetime | None
    adopted_at: datetime | None
    adopted_by: str | None
    announced: bool


def status_view(draft: Draft, now: datetime) -> StatusView:
    state = draft_state(draft, now)
    status = str(state.status)
    return StatusView(status=status, label=_status_label(status), expires_at=state.expires_at,
                      broken_at=state.broken_at, adopted_at=state.adopted_at,
                      adopted_by=state.adopted_by, announced=state.announced)


@dataclass(frozen=True)
class AdoptionBasisView:
    """How a decision adopted at a meeting was adopted: the basis as the data file names it,
    with its label, and for an exception to consensus the States concerned and why."""

    code: str
    name: str
    confidence: str
    states: list[str]
    note: str


def adoption_basis_view(draft: Draft, state: StatusView) -> AdoptionBasisView | None:
    """The basis of a decision adopted at a meeting; None for any other draft (adoption by
    silence says so in its status)."""
    if state.status != "adopted" or state.adopted_by != "meeting":
        return None
    mechanism = mechanisms.all_mechanisms().get(draft.adoption_basis)
    concerned = draft.states_concerned.select_related("state", "delegation")
    return AdoptionBasisView(
        code=draft.adoption_basis, name=mechanisms.name_of(draft.adoption_basis),
        confidence=mechanism.confidence if mechanism else "",
        states=[row.name for row in concerned], note=draft.adoption_note)


def _draft_records(draft: Draft) -> dict[str, Any]:
    return {
        "amendments": list(draft.amendments.select_related("delegation", "revision", "taken_in")),
        "objections": list(draft.objections.select_related("delegation")),
        "attachments": list(draft.attachments.select_related("delegation")),
    }


def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft(request.user, pk)
    now = clock.now()
    revisions = list(draft.revisions.all())
    state = status_view(draft, now)
    context = {
        "draft": draft,
        "state": state,
        "adoption_basis": adoption_basis_view(draft, state),
        "revision_lines": [RevisionLine.of(revision) for revision in revisions],
        "actions": draft_actions(request.user, draft, now),
        "shows_exercise_data": draft.is_exercise,
        "symbol_patterns": _symbol_patterns(draft),
        **_draft_records(draft),
    }
    context.update(text_context(draft, revisions, request.GET))
    context.update(diff_context(draft, revisions, request.GET))
    return render(request, "decisions/drafts_detail.html", context)


def _symbol_patterns(draft: Draft) -> list[dict[str, str]]:
    """The patterns of the draft's and the decision's symbols with the label the domain
    reference gives them, so a reader sees when a pattern is not confirmed."""
    rules = sequences.body_rules().get(draft.body)
    if rules is None:
        return []
    patterns = []
    for series in ("DD", "DEC"):
        rule = rules.series.get(series)
        if rule is not None:
            pattern = f"{rule.prefix}/N/YY" if rule.per_year else f"{rule.prefix}/N"
            patterns.append({"pattern": pattern, "confidence": rule.confidence,
                             "source": rule.source})
    return patterns


def draft_text(request: HttpRequest, pk: int) -> HttpResponse:
    """The text of one revision in one language: the fragment htmx swaps into the draft page."""
    draft = get_draft(request.user, pk)
    context = text_context(draft, list(draft.revisions.all()), request.GET)
    return render(request, "decisions/drafts_text.html", context)


def draft_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """The diff between two revisions: the fragment htmx swaps into the draft page."""
    draft = get_draft(request.user, pk)
    context = diff_context(draft, list(draft.revisions.all()), request.GET)
    return render(request, "decisions/drafts_diff.html", context)


urlpatterns: list[URLPattern] = [
    path("", drafts_status_table, name="status_table"),
    path("drafts/<int:pk>/", draft_detail, name="draft"),
    path("drafts/<int:pk>/text/", draft_text, name="draft_text"),
    path("drafts/<int:pk>/diff/", draft_diff, name="draft_diff"),
    *drafts_actions.urlpatterns,
]
