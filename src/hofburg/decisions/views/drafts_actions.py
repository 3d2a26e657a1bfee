"""Pages: the forms that act on drafts. Tabling, revisions and language versions, adoption,
silence and announcement are the Chairmanship's or the Secretariat's; amendments, objections
and amendments in writing under silence, and statements attached to a decision are a
participating State's delegation's, for its own State.

A form is offered only to a user who may use it (`draft_actions`); a GET by anyone else is a
403 (a sign-in for an anonymous visitor). A POST always goes to the service, which refuses a
user without the right (403) or an input it does not accept (shown next to the field it
names), having changed nothing in either case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.core.errors import NotAllowed, NotFound, ServiceError
from hofburg.decisions import clock
from hofburg.decisions import forms as draft_forms
from hofburg.decisions.engine.silence import statements_open
from hofburg.decisions.models import Amendment, Draft, Meeting, Revision, open_journals
from hofburg.decisions.permissions import acting_delegation, is_participating_state, may_chair
from hofburg.decisions.queries.drafts import draft_state, get_draft
from hofburg.decisions.services import decide
from hofburg.decisions.services.drafts import (
    DraftInput,
    RevisionInput,
    add_revision,
    add_translation,
    propose_amendment,
    table_draft,
)

OPEN = ("draft", "silence_broken")


def vienna_today() -> date:
    return clock.now().astimezone(clock.VIENNA).date()


def may_table(user: AnyUser) -> bool:
    """Whether the user may table a draft: a chair for the records of their own kind (real or
    exercise)."""
    affiliation = getattr(user, "affiliation", None)
    is_exercise = bool(getattr(affiliation, "is_exercise", False))
    return may_chair(user, on=vienna_today(), is_exercise=is_exercise)


@dataclass(frozen=True)
class DraftActions:
    """What the user may do to one draft as it stands now; the page offers only these."""

    revise: bool = False
    translate: bool = False
    amend: bool = False
    adopt: bool = False
    silence: bool = False
    object: bool = False
    announce: bool = False
    attach: bool = False

    @property
    def any(self) -> bool:
        return any(vars(self).values())


def _journal_issued(draft: Draft) -> bool:
    meeting = draft.announced_meeting or draft.adopted_meeting
    return meeting is not None and meeting.journal_closed


def draft_actions(user: AnyUser, draft: Draft, now: datetime) -> DraftActions:
    """The actions the user may take on `draft` at `now`: the chair's while it is open, a
    participating State's while it is under silence or its statements are open."""
    state = draft_state(draft, now)
    status = str(state.status)
    chair = may_chair(user, on=vienna_today(), is_exercise=draft.is_exercise)
    delegation = acting_delegation(user, is_exercise=draft.is_exercise)
    participating = delegation is not None and is_participating_state(delegation)
    return DraftActions(
        revise=chair and status in OPEN,
        translate=chair,
        amend=participating and status in OPEN,
        adopt=chair and status in OPEN,
        silence=chair and status in OPEN,
        object=participating and status == "under_silence",
        announce=(chair and status == "adopted" and state.adopted_by == "silence"
                  and not state.announced),
        attach=participating and statements_open(
            state, journal_issued=_journal_issued(draft), now=now),
    )


def open_meetings(user: AnyUser, draft: Draft) -> QuerySet[Meeting]:
    """The visible meetings of the draft's body whose journal is not issued yet."""
    meetings = Meeting.objects.filter(open_journals(), body=draft.body,
                                      is_exercise=draft.is_exercise)
    return access.visible(meetings, user).order_by("-starts_at", "-number")


def _add_error(form: forms.Form, error: ServiceError, aliases: dict[str, str] | None = None
               ) -> None:
    """Show a service's refusal on the form field it names, or above the form."""
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


@dataclass(frozen=True)
class Action:
    """One form on a draft: who may use it, how it is built and what it does."""

    name: str
    title: Any
    done: Any
    allowed: Callable[[DraftActions], bool]
    build: Callable[[HttpRequest, Draft, Any], forms.Form]
    perform: Callable[[AnyUser, Draft, dict[str, Any]], object]
    aliases: dict[str, str] | None = None


def _refuse(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _run(action: Action, request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft(request.user, pk)
    allowed = action.allowed(draft_actions(request.user, draft, clock.now()))
    posted = request.method == "POST"
    if not posted and not allowed:
        return _refuse(request)
    form = action.build(request, draft, request.POST if posted else None)
    if posted and form.is_valid():
        try:
            action.perform(request.user, draft, form.cleaned_data)
        except NotAllowed as exc:
            raise PermissionDenied from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except ServiceError as error:
            _add_error(form, error, action.aliases)
        else:
            messages.success(request, action.done)
            return redirect("decisions:draft", pk=draft.pk)
    elif posted and not allowed:
        return _refuse(request)
    return render(request, "decisions/drafts_form.html", {
        "draft": draft, "form": form, "title": action.title, "action": action.name,
        "shows_exercise_data": draft.is_exercise, "now": clock.now(),
    })


# -- the forms ---------------------------------------------------------------------------------


def _pending(draft: Draft) -> QuerySet[Amendment]:
    return draft.amendments.filter(outcome=Amendment.Outcome.PENDING).select_related(
        "delegation")


def _latest(draft: Draft) -> Revision | None:
    return draft.revisions.order_by("-number").first()


def _build_revision(request: HttpRequest, draft: Draft, data: Any) -> forms.Form:
    latest = _latest(draft)
    initial = {"text": latest.texts.get(latest.original_language, "")} if latest else {}
    return draft_forms.RevisionForm(data, pending=_pending(draft), initial=initial)


def _revise(user: AnyUser, draft: Draft, data: dict[str, Any]) -> object:
    return add_revision(user, draft, RevisionInput(
        text=data["text"], note=data["note"],
        taken=tuple(int(pk) for pk in data["taken"]),
        not_taken=tuple(int(pk) for pk in data["not_taken"])))


def _revision_asked(request: HttpRequest, draft: Draft) -> Revision | None:
    # The form posts back to its own address, `?revision=N` included.
    number = request.GET.get("revision")
    if number and number.isascii() and number.isdigit():
        found = draft.revisions.filter(number=int(number)).first()
        if found is not None:
            return found
    return _latest(draft)


def _build_translation(request: HttpRequest, draft: Draft, data: Any) -> forms.Form:
    return draft_forms.TranslationForm(data, revision=_revision_asked(request, draft))


def _translate(user: AnyUser, draft: Draft, data: dict[str, Any]) -> object:
    return add_translation(user, data["revision"], data["language"], data["text"])


def _meeting_form(form_class: type[draft_forms._MeetingForm]
                  ) -> Callable[[HttpRequest, Draft, Any], forms.Form]:
    def build(request: HttpRequest, draft: Draft, data: Any) -> forms.Form:
        return form_class(data, meetings=open_meetings(request.user, draft))
    return build


def _build_adoption(request: HttpRequest, draft: Draft, data: Any) -> forms.Form:
    return draft_forms.AdoptForm(data, meetings=open_meetings(request.user, draft),
                                 is_exercise=draft.is_exercise)


def _adopt(user: AnyUser, draft: Draft, data: dict[str, Any]) -> object:
    return decide.adopt(user, draft, data["meeting"], basis=data["basis"], note=data["note"],
                        states_concerned=draft_forms.states_concerned(data))


ACTIONS: dict[str, Action] = {
    "revise": Action(
        "revise", _("New revision"), _("The new revision is issued."),
        lambda may: may.revise, _build_revision, _revise),
    "translate": Action(
        "translate", _("Add a language version"), _("The language version is added."),
        lambda may: may.translate, _build_translation, _translate),
    "amend": Action(
        "amend", _("Propose an amendment"), _("The amendment is proposed."),
        lambda may: may.amend,
        lambda request, draft, data: draft_forms.AmendmentForm(data),
        lambda user, draft, data: propose_amendment(user, draft, data["text"])),
    "adopt": Action(
        "adopt", _("Adopt at a meeting"), _("The decision is adopted."),
        lambda may: may.adopt, _build_adoption, _adopt,
        aliases={"states_concerned": "state_concerned_1"}),
    "silence": Action(
        "silence", _("Place under silence"), _("The draft is placed under silence."),
        lambda may: may.silence, _meeting_form(draft_forms.SilenceForm),
        lambda user, draft, data: decide.place_under_silence(user, draft, data["meeting"],
                                                             data["expires_at"])),
    "object": Action(
        "object", _("Break the silence: objection or amendment in writing"),
        _("The silence is broken."),
        lambda may: may.object,
        lambda request, draft, data: draft_forms.ObjectionForm(data),
        lambda user, draft, data: decide.break_silence(user, draft, data["kind"], data["text"])),
    "announce": Action(
        "announce", _("Announce the adoption at a meeting"), _("The adoption is announced."),
        lambda may: may.announce, _meeting_form(draft_forms.AnnounceForm),
        lambda user, draft, data: decide.announce(user, draft, data["meeting"])),
    "attach": Action(
        "attach", _("Attach an interpretative statement or a formal reservation"),
        _("The statement is attached."),
        lambda may: may.attach,
        lambda request, draft, data: draft_forms.AttachmentForm(data),
        lambda user, draft, data: decide.attach_statement(
            user, draft, data["kind"], data["text"], language=data["language"])),
}


def draft_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404("No such action.")
    return _run(chosen, request, pk)


def draft_new(request: HttpRequest) -> HttpResponse:
    """Table a new draft (`PC.DD/N/YY`, ...): the chair's form."""
    allowed = may_table(request.user)
    posted = request.method == "POST"
    if not posted and not allowed:
        return _refuse(request)
    form = draft_forms.DraftForm(request.POST if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            draft = table_draft(request.user, DraftInput(
                body=data["body"], title=data["title"], text=data["text"],
                language=data["language"], kind=data["kind"], venue=data["venue"],
                only_original=data["only_original"], classification=data["classification"]))
        except NotAllowed as exc:
            raise PermissionDenied from exc
        except ServiceError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The draft is tabled."))
            return redirect("decisions:draft", pk=draft.pk)
    elif posted and not allowed:
        return _refuse(request)
    return render(request, "decisions/drafts_form.html", {
        "draft": None, "form": form, "title": _("Table a draft"), "action": "table",
        "now": clock.now(),
    })


urlpatterns: list[URLPattern] = [
    path("drafts/new/", draft_new, name="draft_new"),
    path("drafts/<int:pk>/<slug:action>/", draft_action, name="draft_action"),
]
