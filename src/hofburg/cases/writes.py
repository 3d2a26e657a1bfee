"""Pages that record on the human-dimension desk: a person (the identity into the vault) and
need-to-know grants; a political prisoner's case with its detention, hearings, recognitions
and condition reports; a hate incident; a media-freedom alert, the State's reply and the
follow-up log; a protection case with its movement, risks, referrals and assistance; an HCNM
situation, its indicator observations and its grants; grants revoked (decision 0064); and the
evidence of a case or an alert, uploaded, listed with its hash and chain of custody, opened by
those who may, who also make working copies of it and open those.

Every form page is one row of `PAGES` (its form, the service it calls, who may use it, the
record it starts from and where it goes next) served by one view, `form_page`, behind the
desk's second factor. A hidden record is a 404 exactly like a missing one (before anything
else, also for visitors); a visitor who is not signed in is then sent to sign in; a reader who
may see the record but not record in it gets a 403. Every write goes through the desk's
services; a refusal is shown beside the field it names, with what was typed kept (422), and
nothing is stored.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from hofburg.cases import forms as case_forms
from hofburg.cases import permissions, queries, uploads
from hofburg.cases.models import Alert, DetentionEpisode, Evidence, PrisonerCase, Recognition
from hofburg.cases.services import evidence as evidence_services
from hofburg.cases.services import hatecrime, persons, prisoners, protection, situations
from hofburg.cases.services import media as media_services
from hofburg.cases.twofactor import second_factor_required
from hofburg.core import access
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Invalid, ServiceError
from hofburg.core.models import User

Text = Any  # a (lazy) text, or a function of the record (title) or of what was stored (done)
WORDS = re.compile(r"[\s,;]+")
# The submit button's verb: "Record" alone is also a noun (an audit trail's column), which
# several languages translate differently ("Записать", not "Запись").
RECORD = pgettext_lazy("button", "Record")


@dataclass(frozen=True)
class FormPage:
    """One page that records: its form, the service call, who may use it, the record it
    starts from (a 404 if there is none the reader may see) and where it goes once done."""

    route: str
    name: str
    form: type[case_forms.DeskForm]
    act: Callable[..., Any]  # (user, form, record) -> what was stored
    may: Callable[..., bool]  # (user, record)
    title: Text
    submit: Text
    done: Text
    back: Callable[..., str]  # (record) -> the page the form belongs to
    intro: Text = ""
    record: Callable[..., Any] | None = None  # (user, **url arguments)
    then: Callable[..., str] | None = None  # (record, what was stored) -> an address


def _text(value: Text, argument: Any) -> Any:
    return value(argument) if inspect.isfunction(value) else value


def _run(form: case_forms.DeskForm, act: Callable[[], Any]) -> tuple[bool, Any]:
    """Run `act` once the form is valid: (True, what it stored), or (False, None) with the
    refusal on the form."""
    if not form.is_valid():
        return False, None
    try:
        return True, act()
    except AccessDenied as exc:
        raise PermissionDenied from exc
    except ServiceError as error:
        case_forms.show_error(form, error, form.aliases())
    return False, None


@second_factor_required
def form_page(request: HttpRequest, page: FormPage, **arguments: Any) -> HttpResponse:
    """The one view of every form page of `PAGES`."""
    user = request.user
    record = page.record(user, **arguments) if page.record else None
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not page.may(user, record):
        raise PermissionDenied
    posted = request.method == "POST"
    form = page.form(request.POST if posted else None, request.FILES if posted else None,
                     user=user, record=record)
    if posted:
        done, stored = _run(form, lambda: page.act(user, form, record))
        if done:
            messages.success(request, _text(page.done, stored))
            return redirect(page.then(record, stored) if page.then else page.back(record))
    return render(request, "cases/form.html", {
        "form": form, "title": _text(page.title, record), "submit": page.submit,
        "intro": page.intro, "back": page.back(record), "record": record,
        "multipart": any(f.widget.needs_multipart_form for f in form.fields.values()),
        "shows_exercise_data": bool(getattr(record, "is_exercise", False)),
    }, status=422 if form.is_bound else 200)


# -- who may use a page ------------------------------------------------------------------------


def _contributor(user: AnyUser, record: None) -> bool:
    return access.can_contribute(user)


def _editor(user: AnyUser, record: Model) -> bool:
    return access.can_edit(user, record)


def _grant_holder(user: AnyUser, record: Any) -> bool:
    """An editor holding a grant for the person opens cases for them."""
    return access.can_contribute(user) and permissions.grant_level(user, record.pk) is not None


def _granter(user: AnyUser, record: Any) -> bool:
    return permissions.may_grant(user, record)


def _situation_editor(user: AnyUser, record: Any) -> bool:
    return permissions.may_change_situation(user, record)


def _is_exercise(user: Any) -> bool:
    affiliation = getattr(user, "affiliation", None)
    return bool(affiliation and affiliation.is_exercise)


# -- where a page goes -------------------------------------------------------------------------


def _to(name: str, attribute: str = "") -> Callable[..., str]:
    """The address of page `name`, of the record's `attribute` (its id) when given."""
    def address(record: Any, stored: Any = None) -> str:
        target = stored if stored is not None else record
        if isinstance(target, tuple):  # a person and their possible duplicates
            target = target[0]
        return reverse(f"cases:{name}", args=[getattr(target, attribute)] if attribute else [])
    return address


def _back(name: str, attribute: str) -> Callable[..., str]:
    """The address of the record's own page (not what was stored); `attribute` may be
    dotted (`case.case_id` for an episode of a case)."""
    def address(record: Any, stored: Any = None) -> str:
        value = record
        for part in attribute.split("."):
            value = getattr(value, part)
        return reverse(f"cases:{name}", args=[value])
    return address


def _title(what: Any) -> Callable[[Any], str]:
    def title(record: Any) -> str:
        return f"{what} · {record}"
    return title


# -- the service calls -------------------------------------------------------------------------


def _grantee(form: case_forms.DeskForm) -> User:
    found = User.objects.filter(username=form.cleaned_data["username"], is_active=True).first()
    if found is None:
        raise Invalid(str(_("no active user of that name")), field="username")
    return found


def _holder(form: case_forms.DeskForm, record: Any) -> User:
    """The holder chosen on a revocation form: one of the record's own grant holders."""
    found = record.grants.filter(user__username=form.cleaned_data["username"]) \
        .select_related("user").first()
    if found is None:
        raise Invalid(str(_("this user holds no grant here")), field="username")
    return found.user  # type: ignore[no-any-return]


def _record_person(user: Any, form: case_forms.PersonForm, record: None) -> Any:
    data = form.cleaned_data
    return persons.create_person(
        user, owner=user.affiliation, vault_values=form.vault_values(),
        birth_date=data["birth_date"].isoformat() if data["birth_date"] else "",
        classification=data["classification"], protection_level=data["protection_level"],
        is_exercise=_is_exercise(user))


def _person_recorded(stored: tuple[Any, list[str]]) -> Any:
    duplicates = stored[1]
    if duplicates:
        return _("The person is recorded. Possibly the same person: %(ids)s.") % {
            "ids": ", ".join(duplicates)}
    return _("The person is recorded; you hold a strictly-confidential grant for them.")


def _open_prisoner_case(user: Any, form: Any, record: Any) -> PrisonerCase:
    data = form.cleaned_data
    return prisoners.create_prisoner_case(
        user, record, jurisdiction=data["jurisdiction"],
        articles=case_forms.split(data["articles"]), charges=data["charges"],
        case_number=data["case_number"], classification=data["classification"],
        is_exercise=record.is_exercise)


def _record_recognition(user: Any, form: Any, record: Any) -> Any:
    data = form.cleaned_data
    return prisoners.add_recognition(
        user, record, organisations=case_forms.split(data["organisations"]),
        criteria=data["criteria"], recognised_on=data["recognised_on"],
        statement_url=data["statement_url"])


def _record_incident(user: Any, form: Any, record: None) -> Any:
    data = dict(form.cleaned_data)
    classification = data.pop("classification")
    return hatecrime.record_incident(user, hatecrime.IncidentRecord(**data),
                                     classification=classification,
                                     is_exercise=_is_exercise(user))


def _record_alert(user: Any, form: Any, record: None) -> Alert:
    data = dict(form.cleaned_data)
    person = None
    if data.pop("person"):
        person = queries.persons_for(user).filter(surrogate_id=form.cleaned_data["person"]) \
            .first()
        if person is None:
            raise Invalid(str(_("no person by that id is granted to you")), field="person")
    return media_services.create_alert(user, media_services.AlertRecord(
        **data, person=person, is_exercise=_is_exercise(user)))


def _open_protection_case(user: Any, form: Any, record: Any) -> Any:
    data = dict(form.cleaned_data)
    data["citizenship"] = [c for c in WORDS.split(data["citizenship"]) if c]
    return protection.create_protection_case(user, record, protection.ProtectionRecord(
        **data, is_exercise=record.is_exercise))


def _open_situation(user: Any, form: Any, record: None) -> Any:
    data = dict(form.cleaned_data)
    data["communities"] = case_forms.split(data["communities"])
    return situations.create_situation(user, user.affiliation, situations.SituationRecord(
        **data, is_exercise=_is_exercise(user)))


def _data(form: Any) -> dict[str, Any]:
    return dict(form.cleaned_data)


def _episode(user: AnyUser, case_id: str, episode_id: int) -> DetentionEpisode:
    """A detention episode of a case the reader may see that has not ended (404 otherwise)."""
    case = queries.prisoner_case_for(user, case_id)
    found = DetentionEpisode.objects.filter(case=case, pk=episode_id, end__isnull=True).first()
    if found is None:
        raise Http404("No such record.")
    return found


def _recognition(user: AnyUser, case_id: str, recognition_id: int) -> Recognition:
    """A standing recognition of a case the reader may see (404 otherwise)."""
    case = queries.prisoner_case_for(user, case_id)
    found = Recognition.objects.filter(case=case, pk=recognition_id,
                                       withdrawn_on__isnull=True).first()
    if found is None:
        raise Http404("No such record.")
    return found


def _case_editor(user: AnyUser, record: DetentionEpisode | Recognition) -> bool:
    return access.can_edit(user, record.case)


# What the pages of one kind of record share: where the record comes from (404 if hidden),
# its page, and who may record in it.
PERSON: dict[str, Any] = {
    "record": lambda user, surrogate_id: queries.person_for(user, surrogate_id),
    "back": _back("person", "surrogate_id")}
PRISONER: dict[str, Any] = {
    "record": lambda user, case_id: queries.prisoner_case_for(user, case_id),
    "back": _back("prisoner", "case_id"), "may": _editor}
ALERT: dict[str, Any] = {
    "record": lambda user, alert_id: queries.alert_for(user, alert_id),
    "back": _back("alert", "alert_id"), "may": _editor}
PROTECTION: dict[str, Any] = {
    "record": lambda user, case_id: queries.protection_case_for(user, case_id),
    "back": _back("protection_case", "case_id"), "may": _editor}
SITUATION: dict[str, Any] = {
    "record": lambda user, situation_id: queries.situation_for(user, situation_id),
    "back": _back("situation", "situation_id"), "may": _situation_editor}

PAGES: tuple[FormPage, ...] = (
    # Persons and their grants.
    FormPage("persons/new/", "new_person", case_forms.PersonForm, _record_person, _contributor,
             _("Record a person"), _("Record the person"), _person_recorded,
             back=_to("persons"), then=_to("person", "surrogate_id"),
             intro=_("The identity goes into the encrypted vault, owned by your affiliation; "
                     "everyone else learns of the person only through a grant.")),
    FormPage("persons/<str:surrogate_id>/grants/new/", "grant_person", case_forms.GrantForm,
             lambda user, form, record: persons.grant_access(
                 user, record, _grantee(form), form.cleaned_data["level"]),
             _granter, _title(_("Grant need-to-know")), _("Grant"), _("The grant is given."),
             **PERSON),
    FormPage("persons/<str:surrogate_id>/grants/revoke/", "revoke_person",
             case_forms.RevokeForm,
             lambda user, form, record: persons.revoke_access(
                 user, record, _holder(form, record), form.cleaned_data["reason"]),
             _granter, _title(_("Revoke need-to-know")), _("Revoke"),
             _("The grant is revoked; it stays in the history of who had access."),
             intro=_("From now on the holder is answered as one who never had the grant. "
                     "You do not revoke your own: another holder does."), **PERSON),
    # Political prisoners.
    FormPage("persons/<str:surrogate_id>/cases/new/", "new_prisoner_case",
             case_forms.PrisonerCaseForm, _open_prisoner_case, _grant_holder,
             _title(_("Open a political prisoner's case")), _("Open the case"),
             _("The case is opened."), then=_to("prisoner", "case_id"), **PERSON),
    FormPage("prisoners/<str:case_id>/episodes/new/", "add_episode", case_forms.EpisodeForm,
             lambda user, form, record: prisoners.add_detention_episode(user, record,
                                                                        **_data(form)),
             title=_title(_("Record detention")), submit=RECORD,
             done=_("The detention is recorded."),
             intro=_("Episodes of one case may not overlap; custody on a day follows from "
                     "them."), **PRISONER),
    FormPage("prisoners/<str:case_id>/episodes/<int:episode_id>/end/", "end_episode",
             case_forms.EndDetentionForm,
             lambda user, form, record: prisoners.end_detention(user, record, **_data(form)),
             _case_editor, _title(_("End detention")), _("Record the release"),
             _("The release is recorded."), back=_back("prisoner", "case.case_id"),
             record=_episode),
    FormPage("prisoners/<str:case_id>/proceedings/new/", "add_proceeding",
             case_forms.ProceedingForm,
             lambda user, form, record: prisoners.add_proceeding(user, record, **_data(form)),
             title=_title(_("Record a hearing")), submit=RECORD,
             done=_("The hearing is recorded."), **PRISONER),
    FormPage("prisoners/<str:case_id>/recognitions/new/", "add_recognition",
             case_forms.RecognitionForm, _record_recognition,
             title=_title(_("Record a recognition")), submit=RECORD,
             done=_("The recognition is recorded."), **PRISONER),
    FormPage("prisoners/<str:case_id>/recognitions/<int:recognition_id>/withdraw/",
             "withdraw_recognition", case_forms.WithdrawalForm,
             lambda user, form, record: prisoners.withdraw_recognition(
                 user, record, form.cleaned_data["withdrawn_on"]),
             _case_editor, _title(_("Withdraw a recognition")), _("Record the withdrawal"),
             _("The withdrawal is recorded; the recognition stays in the case's history."),
             back=_back("prisoner", "case.case_id"), record=_recognition),
    FormPage("prisoners/<str:case_id>/conditions/new/", "add_condition_report",
             case_forms.ConditionReportForm,
             lambda user, form, record: prisoners.add_condition_report(user, record,
                                                                       **_data(form)),
             title=_title(_("Report conditions of detention")), submit=RECORD,
             done=_("The report is recorded."),
             intro=_("Read only by holders of a grant for the person."), **PRISONER),
    # Hate incidents.
    FormPage("hate-crime/incidents/new/", "new_incident", case_forms.IncidentForm,
             _record_incident, _contributor, _("Record a hate incident"),
             _("Record the incident"), _("The incident is recorded and awaits screening."),
             back=_to("incidents"), then=_to("incident", "incident_id"),
             intro=_("Codes of the current year's list; the incident arrives received, its "
                     "screening pending.")),
    # Media freedom.
    FormPage("media-freedom/new/", "new_alert", case_forms.AlertForm, _record_alert,
             _contributor, _("Record a media-freedom alert"), _("Record the alert"),
             _("The alert is recorded."), back=_to("alerts"), then=_to("alert", "alert_id"),
             intro=_("The Council of Europe categories follow from the violations.")),
    FormPage("media-freedom/<str:alert_id>/reply/", "add_reply", case_forms.ReplyForm,
             lambda user, form, record: media_services.record_state_reply(user, record,
                                                                          **_data(form)),
             title=_title(_("The State's reply")), submit=_("Record the reply"),
             done=_("The reply is recorded."), **ALERT),
    FormPage("media-freedom/<str:alert_id>/follow-up/", "add_follow_up",
             case_forms.FollowUpForm,
             lambda user, form, record: media_services.add_follow_up(user, record,
                                                                     **_data(form)),
             title=_title(_("Follow-up log")), submit=_("Add to the log"),
             done=_("The follow-up is logged."), **ALERT),
    # Protection cases.
    FormPage("persons/<str:surrogate_id>/protection/new/", "new_protection_case",
             case_forms.ProtectionCaseForm, _open_protection_case, _grant_holder,
             _title(_("Open a protection case")), _("Open the case"), _("The case is opened."),
             then=_to("protection_case", "case_id"),
             intro=_("Codes of HTCDS 2.0. What the case says about the person is strictly "
                     "confidential."), **PERSON),
    FormPage("protection/<str:case_id>/movement/new/", "add_movement", case_forms.MovementForm,
             lambda user, form, record: protection.add_movement(user, record, **_data(form)),
             title=_title(_("Add a step of the movement")), submit=_("Add"),
             done=_("The step is added."), **PROTECTION),
    FormPage("protection/<str:case_id>/risks/new/", "add_risk", case_forms.RiskForm,
             lambda user, form, record: protection.add_risk_assessment(user, record,
                                                                       **_data(form)),
             title=_title(_("Assess risk and vulnerability")), submit=RECORD,
             done=_("The assessment is recorded."), **PROTECTION),
    FormPage("protection/<str:case_id>/referrals/new/", "add_referral",
             case_forms.ReferralForm,
             lambda user, form, record: protection.add_referral(user, record, **_data(form)),
             title=_title(_("Record a referral")), submit=RECORD,
             done=_("The referral is recorded."), **PROTECTION),
    FormPage("protection/<str:case_id>/assistance/new/", "add_assistance",
             case_forms.AssistanceForm,
             lambda user, form, record: protection.add_assistance(user, record, **_data(form)),
             title=_title(_("Record assistance")), submit=RECORD,
             done=_("The assistance is recorded."), **PROTECTION),
    # National-minority situations.
    FormPage("situations/new/", "new_situation", case_forms.SituationForm, _open_situation,
             _contributor, _("Open a situation"), _("Open the situation"),
             _("The situation is opened; you hold a strictly-confidential grant for it."),
             back=_to("situations"), then=_to("situation", "situation_id"),
             intro=_("Only holders of a grant for the situation learn that it exists.")),
    FormPage("situations/<str:situation_id>/observations/new/", "add_observation",
             case_forms.ObservationForm,
             lambda user, form, record: situations.record_observation(user, record,
                                                                      **_data(form)),
             title=_title(_("Record an observation")), submit=_("Record the observation"),
             done=_("The observation is recorded."),
             intro=_("A value, a level or both, always with its source; sources are read "
                     "only at the strictly-confidential level."), **SITUATION),
    FormPage("situations/<str:situation_id>/grants/new/", "grant_situation",
             case_forms.GrantForm,
             lambda user, form, record: situations.grant_situation(
                 user, record, _grantee(form), form.cleaned_data["level"]),
             title=_title(_("Grant need-to-know")), submit=_("Grant"),
             done=_("The grant is given."),
             intro=_("Restricted opens the observations and assessments; strictly "
                     "confidential opens their sources too."), **SITUATION),
    FormPage("situations/<str:situation_id>/grants/revoke/", "revoke_situation",
             case_forms.RevokeForm,
             lambda user, form, record: situations.revoke_situation(
                 user, record, _holder(form, record), form.cleaned_data["reason"]),
             title=_title(_("Revoke need-to-know")), submit=_("Revoke"),
             done=_("The grant is revoked; it stays in the history of who had access."),
             intro=_("From now on the holder is answered as one who never had the grant. "
                     "You do not revoke your own: another holder does."), **SITUATION),
)


# -- evidence ----------------------------------------------------------------------------------


def _subject(user: AnyUser, kind: str, identifier: str) -> PrisonerCase | Alert:
    """The case or alert whose evidence is asked for: 404 if hidden, and for anyone without
    an affiliation (evidence is internal)."""
    if not access.is_entitled(user):
        raise Http404("No such record.")
    if kind == "case":
        return queries.prisoner_case_for(user, identifier)
    return queries.alert_for(user, identifier)


@csrf_exempt  # checked by `_evidence`, once the upload handler is set (Django's own pattern)
def evidence(request: HttpRequest, kind: str, identifier: str) -> HttpResponse:
    """The evidence of a case or an alert: each file with its SHA-256 and chain of custody,
    and, to the owner's editors, the form that adds one."""
    uploads.hold_in_memory(request)
    return _evidence(request, kind, identifier)


@csrf_protect
@second_factor_required
def _evidence(request: HttpRequest, kind: str, identifier: str) -> HttpResponse:
    user = request.user
    subject = _subject(user, kind, identifier)
    may_add = access.can_edit(user, subject)
    posted = request.method == "POST"
    form = case_forms.EvidenceForm(request.POST if posted else None,
                                   request.FILES if posted else None, user=user,
                                   record=subject)
    if posted:
        if not may_add:
            raise PermissionDenied
        if "file" not in request.FILES:  # nothing sent, or more than the bound: say the bound
            form.fields["file"].error_messages["required"] = case_forms.EVIDENCE_BOUNDS

        def ingest() -> Evidence:
            data = form.cleaned_data
            return evidence_services.ingest_evidence(
                user, data["file"].read(), title=data["title"],  # type: ignore[arg-type]
                media_type=form.media_type(), subject=subject,
                capture=evidence_services.Capture(data["source_url"], "hofburg page"),
                classification=data["classification"], is_exercise=subject.is_exercise)

        done, stored = _run(form, ingest)
        if done:
            messages.success(request, _("The evidence %(id)s is sealed and stored.") % {
                "id": stored.evidence_id})
            return redirect(request.path)
    items = list(access.visible(subject.evidence.all(), user).prefetch_related("custody",
                                                                              "copies"))
    return render(request, "cases/evidence.html", {
        "subject": subject, "kind": kind, "items": items, "form": form if may_add else None,
        "opens": {item.pk for item in items if permissions.may_open_original(user, item)},
        "back": reverse("cases:prisoner" if kind == "case" else "cases:alert",
                        args=[identifier]),
        "shows_exercise_data": subject.is_exercise,
    }, status=422 if form.is_bound else 200)


def _evidence_page(found: Evidence) -> str:
    if found.case is not None:
        return reverse("cases:evidence_case", args=[found.case.case_id])
    return reverse("cases:evidence_alert", args=[found.alert.alert_id if found.alert else ""])


def _openable(user: AnyUser, evidence_id: str) -> Evidence:
    """A piece of evidence the reader may see (404 otherwise, and for anyone without an
    affiliation: evidence is internal)."""
    if not access.is_entitled(user):
        raise Http404("No such record.")
    return queries.evidence_for(user, evidence_id)


def _opened(user: AnyUser, evidence_id: str) -> Evidence:
    """A piece of evidence whose files the reader may open: 404 for anyone else."""
    found = _openable(user, evidence_id)
    if not permissions.may_open_original(user, found):
        raise Http404("No such record.")
    return found


def _file_response(data: bytes, media_type: str, name: str) -> HttpResponse:
    known = media_type in case_forms.EVIDENCE_TYPES.values()
    suffix = next((s for s, t in case_forms.EVIDENCE_TYPES.items() if t == media_type), ".bin")
    response = HttpResponse(data, content_type=media_type if known
                            else "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{name}{suffix}"'
    response["Cache-Control"] = "no-store"
    return response


@second_factor_required
def evidence_original(request: HttpRequest, evidence_id: str) -> HttpResponse:
    """The original, checked against its hash, for the owner's editors who may open it (404
    for anyone else); the opening is a custody event on the ledger."""
    found = _opened(request.user, evidence_id)
    try:
        data = evidence_services.open_original(request.user,  # type: ignore[arg-type]
                                               found, channel="page")
    except evidence_services.EvidenceAltered as exc:
        messages.error(request, exc.message)
        return redirect(_evidence_page(found))
    return _file_response(data, found.media_type, found.evidence_id)


def _make_copy(user: Any, form: Any, record: Evidence) -> Any:
    data = form.cleaned_data
    if data["file"] is None:
        return evidence_services.copy_original(user, record, data["label"], channel="page")
    return evidence_services.add_working_copy(user, record, data["file"].read(), data["label"],
                                              media_type=form.media_type())


WORKING_COPY = FormPage(
    "evidence/<str:evidence_id>/copies/new/", "new_working_copy", case_forms.WorkingCopyForm,
    _make_copy, lambda user, record: permissions.may_open_original(user, record),
    _title(_("Make a working copy")), _("Make the copy"),
    lambda stored: _("Working copy %(number)d is sealed and stored.") % {
        "number": stored.number},
    back=_evidence_page, record=_openable,
    intro=_("The original stays as it was ingested. The copy is sealed beside it with its own "
            "SHA-256, and its making is a custody event on the ledger."))


@csrf_exempt  # checked by `_working_copy`, once the upload handler is set
def working_copy(request: HttpRequest, evidence_id: str) -> HttpResponse:
    """The form that makes a working copy, from an uploaded file or from the original; a
    body above the bound is not received, and its file is refused beside the field."""
    uploads.hold_in_memory(request)
    page = WORKING_COPY
    if request.method == "POST" and uploads.too_large(request):
        page = replace(WORKING_COPY, form=case_forms.RefusedWorkingCopyForm)
    return _working_copy(request, page=page, evidence_id=evidence_id)


_working_copy = csrf_protect(form_page)


@second_factor_required
def working_copy_file(request: HttpRequest, evidence_id: str, number: int) -> HttpResponse:
    """A working copy, checked against its hash, for those who may open the original (404 for
    anyone else); the opening is a custody event on the ledger and a read in the access log."""
    found = _opened(request.user, evidence_id)
    copy = found.copies.filter(number=number).first()
    if copy is None:
        raise Http404("No such record.")
    try:
        data = evidence_services.open_working_copy(request.user,  # type: ignore[arg-type]
                                                   found, copy, channel="page")
    except evidence_services.EvidenceAltered as exc:
        messages.error(request, exc.message)
        return redirect(_evidence_page(found))
    return _file_response(data, copy.media_type, f"{found.evidence_id}-copy-{copy.number}")


urlpatterns: list[URLPattern] = [
    *(path(page.route, form_page, {"page": page}, name=page.name) for page in PAGES),
    path("prisoners/<str:identifier>/evidence/", evidence, {"kind": "case"},
         name="evidence_case"),
    path("media-freedom/<str:identifier>/evidence/", evidence, {"kind": "alert"},
         name="evidence_alert"),
    path("evidence/<str:evidence_id>/original/", evidence_original, name="evidence_original"),
    path(WORKING_COPY.route, working_copy, name=WORKING_COPY.name),
    path("evidence/<str:evidence_id>/copies/<int:number>/", working_copy_file,
         name="working_copy_file"),
]
