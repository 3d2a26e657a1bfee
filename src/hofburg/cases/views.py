"""Pages of the human-dimension desk. Every page needs the second factor from a signed-in
user (`twofactor.second_factor_required`); rows come from `disclosure`, so a template only ever
holds the fields the reader may read. A person without a grant, or a case hidden by its
classification, is a 404 exactly like a missing one, and counts hold only what is visible."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hofburg.cases import disclosure, permissions, queries, statements
from hofburg.cases.engine import media, protection
from hofburg.cases.engine import situations as situation_rules
from hofburg.cases.engine.fields import DETAIL_FIELDS
from hofburg.cases.engine.publication import COLUMNS, DESCRIPTION_COLUMNS, MAX_PUBLIC_SUMMARY
from hofburg.cases.engine.workflow import TRANSITIONS, Screening, Stage
from hofburg.cases.models import AccessLog
from hofburg.cases.publications import as_written
from hofburg.cases.services import erasure as erasure_services
from hofburg.cases.services import hatecrime
from hofburg.cases.services import protection as protection_services
from hofburg.cases.services import situations as situation_services
from hofburg.cases.twofactor import second_factor_required
from hofburg.core import access
from hofburg.core.bounds import day_field
from hofburg.core.errors import ServiceError
from hofburg.core.tables import CONTENT_TYPES, Table, write_csv

PAGE_SIZE = 100  # rows per page of every list on the desk


class CustodyFilter(forms.Form):
    on = day_field(_("In custody at the end of"), required=False)
    jurisdiction = forms.RegexField(label=_("Jurisdiction (ISO alpha-2)"), regex=r"^[A-Za-z]{2}$",
                                    required=False, max_length=2)
    recognised = forms.BooleanField(label=_("Recognised political prisoners only"),
                                    required=False)


@second_factor_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/index.html", {
        "persons": queries.persons_for(request.user).count(),
        "persons_updated": queries.persons_updated(request.user)})


Filters = dict[str, Any]


def _listing(request: HttpRequest, template: str, found: Callable[[Filters], QuerySet[Any]],
             rows_of: Callable[..., disclosure.Rows],
             form: forms.Form | None = None) -> HttpResponse:
    """A list page of the desk: the filter form checked (400 with its errors), the records
    `found` for its values paged, and their rows as the reader may read them."""
    if form is not None and form.is_bound and not form.is_valid():
        return render(request, template, {"form": form, "rows": None}, status=400)
    filters = dict(form.cleaned_data) if form is not None and form.is_bound else {}
    page = Paginator(found(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = rows_of(request.user, list(page.object_list), channel="page")
    context: dict[str, Any] = {"rows": rows, "page": page}
    if form is not None:
        context |= {"form": form,
                    "shows_exercise_data": any(r.get("is_exercise") for r in rows.rows)}
    return render(request, template, context)


@second_factor_required
def persons(request: HttpRequest) -> HttpResponse:
    return _listing(request, "cases/persons.html",
                    lambda f: queries.persons_for(request.user).order_by("surrogate_id"),
                    disclosure.person_rows)


@second_factor_required
def person(request: HttpRequest, surrogate_id: str) -> HttpResponse:
    found = queries.person_for(request.user, surrogate_id)
    rows = disclosure.person_rows(request.user, [found], channel="page")
    cases = list(queries.prisoner_cases_for(request.user).filter(person=found))
    may_grant = permissions.may_grant(request.user, found)
    holders, revoked = disclosure.grant_history(request.user, found, channel="page") \
        if may_grant else ([], [])
    return render(request, "cases/person.html", {
        "person": found, "row": rows.rows[0], "columns": rows.columns, "cases": cases,
        "may_open": access.can_contribute(request.user),  # the grant is the page's own
        "may_grant": may_grant, "holders": holders, "revoked": revoked})


def _today() -> date:
    return timezone.localdate()


@second_factor_required
def prisoners(request: HttpRequest) -> HttpResponse:
    form = CustodyFilter(request.GET or None) if set(request.GET) - {"format"} else CustodyFilter()
    day, jurisdiction, recognised = _today(), "", False
    if form.is_bound and not form.is_valid():
        return render(request, "cases/prisoners.html", {
            "form": form, "rows": None, "day": day}, status=400)
    if form.is_bound:
        day = form.cleaned_data["on"] or day
        jurisdiction = form.cleaned_data["jurisdiction"] or ""
        recognised = form.cleaned_data["recognised"]
    held = queries.in_custody(request.user, day, jurisdiction, recognised)
    if request.GET.get("format") == "csv":
        rows = disclosure.prisoner_rows(request.user, held, day=day, channel="page",
                                        action=AccessLog.Action.EXPORT)
        stream = io.BytesIO()
        write_csv(Table("prisoners", rows.columns, rows.table_rows()), stream)
        response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="prisoners-{day}.csv"'
        return response
    rows = disclosure.prisoner_rows(request.user, held, day=day, channel="page")
    return render(request, "cases/prisoners.html", {
        "form": form, "rows": rows, "day": day, "count": len(held),
        "shows_exercise_data": any(r.get("is_exercise") for r in rows.rows),
        "query": request.GET.urlencode()})


@second_factor_required
def prisoner(request: HttpRequest, case_id: str) -> HttpResponse:
    case = queries.prisoner_case_for(request.user, case_id)
    rows = disclosure.prisoner_rows(request.user, [case], day=_today(), channel="page",
                                    detail=True)
    row = rows.rows[0]
    summary = [c for c in row if c not in DETAIL_FIELDS and c not in ("case_id", "is_exercise")]
    evidence = access.visible(case.evidence.all(), request.user).prefetch_related(
        "custody", "copies") if "proceedings" in row else []
    may_edit = access.can_edit(request.user, case)
    return render(request, "cases/prisoner.html", {
        "row": row, "summary": summary, "evidence": evidence, "may_edit": may_edit,
        # What its editors may end or withdraw, each from a page of its own (`writes`).
        "open_episodes": [e for e in case.episodes.all() if e.end is None] if may_edit else [],
        "standing": list(case.recognitions.all()) if may_edit else [],
        "shows_exercise_data": case.is_exercise})


class IncidentFilter(forms.Form):
    country = forms.RegexField(label=_("Country (ISO alpha-2)"), regex=r"^[A-Za-z]{2}$",
                               required=False, max_length=2)
    year = forms.IntegerField(label=_("Reporting year"), required=False, min_value=1990,
                              max_value=2999)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", "—")] + [
        (s.value, s.value) for s in Stage])
    mandate = forms.ChoiceField(label=_("Tolerance mandate"), required=False, choices=[])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["mandate"].choices = [  # type: ignore[attr-defined]
            ("", "—"), *statements.mandate_choices()]


class ScreeningForm(forms.Form):
    screening = forms.ChoiceField(label=_("Screening decision"),
                                  choices=[(s.value, s.value.replace("_", " "))
                                           for s in Screening if s != Screening.PENDING])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class PublicSummaryForm(forms.Form):
    public_summary = forms.CharField(
        label=_("Public summary"), required=False, max_length=MAX_PUBLIC_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences the publication may show once the incident is published: "
                    "never the account, a name, a place that identifies anyone, or the "
                    "source. Left empty, the incident is not described."))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Reporting year"), min_value=1990, max_value=2999)


class PublicationForm(YearForm):
    exercise = forms.BooleanField(label=_("The exercise records instead of the real ones"),
                                  required=False)




@second_factor_required
def incidents(request: HttpRequest) -> HttpResponse:
    return _listing(request, "cases/incidents.html", lambda f: queries.incidents_for(
        request.user, country=f.get("country") or "", year=f.get("year"),
        stage=f.get("stage") or "", mandate=f.get("mandate") or "").order_by(
        "-reporting_year", "incident_id"),
        disclosure.incident_rows, IncidentFilter(request.GET or None))


@second_factor_required
def incident(request: HttpRequest, incident_id: str) -> HttpResponse:
    found = queries.incident_for(request.user, incident_id)
    may_screen = access.can_edit(request.user, found)
    form = ScreeningForm(request.POST or None) if may_screen else None
    if request.method == "POST":
        if not may_screen:
            raise PermissionDenied
        try:
            if "advance" in request.POST:
                hatecrime.advance_incident(request.user, found,  # type: ignore[arg-type]
                                           str(request.POST["advance"]))
                return redirect("cases:incident", incident_id)
            if form is not None and form.is_valid():
                hatecrime.screen_incident(request.user, found,  # type: ignore[arg-type]
                                          form.cleaned_data["screening"],
                                          form.cleaned_data["reason"])
                return redirect("cases:incident", incident_id)
        except ServiceError as exc:
            if form is not None:
                form.add_error(None, exc.message)
    return _incident_page(request, found, form if found.stage == "received" else None,
                          may_screen, status=400 if form and form.errors else 200)


def _incident_page(request: HttpRequest, found: Any, form: forms.Form | None,
                   may_screen: bool, summary_form: PublicSummaryForm | None = None,
                   status: int = 200) -> HttpResponse:
    rows = disclosure.incident_rows(request.user, [found], channel="page")
    next_stages = [s.value for s in TRANSITIONS[Stage(found.stage)] if s != Stage.SCREENED]
    if summary_form is None and found.target == "person" and \
            permissions.may_write_public_summary(request.user, found):
        summary_form = PublicSummaryForm(initial={"public_summary": found.public_summary})
    return render(request, "cases/incident.html", {
        "row": rows.rows[0], "incident": found, "form": form,
        "next_stages": next_stages if may_screen else [], "summary_form": summary_form,
        "shows_exercise_data": found.is_exercise}, status=status)


@second_factor_required
def incident_summary(request: HttpRequest, incident_id: str) -> HttpResponse:
    """The public summary of an incident against people, written by an analyst of the owner
    affiliation (decision 0065): the form is on the incident's page; a post from anyone else
    who may see the incident is a 403, a refused one shows the page again with the error."""
    found = queries.incident_for(request.user, incident_id)
    if request.method != "POST":
        return redirect("cases:incident", incident_id)
    if not permissions.may_write_public_summary(request.user, found):
        raise PermissionDenied
    form = PublicSummaryForm(request.POST)
    if form.is_valid():
        try:
            hatecrime.set_public_summary(request.user, found,  # type: ignore[arg-type]
                                         form.cleaned_data["public_summary"])
            return redirect("cases:incident", incident_id)
        except ServiceError as exc:
            form.add_error("public_summary", exc.message)
    found.refresh_from_db()
    return _incident_page(request, found, None, access.can_edit(request.user, found),
                          summary_form=form, status=400)


@second_factor_required
def publication_preview(request: HttpRequest) -> HttpResponse:
    """The hate-crime table of a year as it would be published, from what the viewer may see."""
    if not access.is_entitled(request.user):
        raise Http404("No such record.")
    form = PublicationForm(request.GET or {"year": timezone.localdate().year - 1})
    rows: list[list[object]] | None = None
    described: list[list[object]] = []
    exercise = False
    if form.is_valid():
        exercise = form.cleaned_data["exercise"]
        rows = queries.preview_hate_crime_table(request.user, form.cleaned_data["year"],
                                                settings.CASES_SUPPRESSION_K, exercise=exercise)
        described = queries.preview_hate_crime_descriptions(
            request.user, form.cleaned_data["year"], settings.CASES_SUPPRESSION_K,
            exercise=exercise)
    return render(request, "cases/publication.html", {
        "form": form, "columns": COLUMNS, "k": settings.CASES_SUPPRESSION_K,
        "rows": None if rows is None else [[as_written(v) for v in row] for row in rows],
        "description_columns": DESCRIPTION_COLUMNS,
        "descriptions": [[as_written(v) for v in row] for row in described],
        "shows_exercise_data": exercise}, status=200 if form.is_valid() else 400)


class AlertFilter(forms.Form):
    country = forms.RegexField(label=_("Country (ISO alpha-2)"), regex=r"^[A-Za-z]{2}$",
                               required=False, max_length=2)
    year = forms.IntegerField(label=_("Year submitted"), required=False, min_value=1990,
                              max_value=2999)
    coe_category = forms.ChoiceField(label=_("Council of Europe category"), required=False,
                                     choices=[])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        version = media.version_for(timezone.localdate().year)
        self.fields["coe_category"].choices = [  # type: ignore[attr-defined]
            ("", "—"), *version.coe_categories.items()]


@second_factor_required
def alerts(request: HttpRequest) -> HttpResponse:
    return _listing(request, "cases/alerts.html", lambda f: queries.alerts_for(
        request.user, country=f.get("country") or "", year=f.get("year"),
        coe_category=f.get("coe_category") or ""),
        disclosure.alert_rows, AlertFilter(request.GET or None))


@second_factor_required
def alert(request: HttpRequest, alert_id: str) -> HttpResponse:
    """An alert; the State's reply and the follow-up are recorded on pages of their own
    (`writes`)."""
    found = queries.alert_for(request.user, alert_id)
    rows = disclosure.alert_rows(request.user, [found], channel="page", detail=True)
    row = rows.rows[0]
    summary = [c for c in row if c not in DETAIL_FIELDS and c not in ("alert_id", "is_exercise")]
    return render(request, "cases/alert.html", {
        "row": row, "summary": summary, "may_edit": access.can_edit(request.user, found),
        "shows_evidence": access.is_entitled(request.user),
        "shows_exercise_data": found.is_exercise})


class ErasureRequestForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds of the request"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ErasureDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[
        ("erased", _("erase the identity (cases and hashed evidence stay)")),
        ("restricted", _("restrict processing")), ("denied", _("deny"))])
    reason = forms.CharField(label=_("Reason"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))


@second_factor_required
def erasure(request: HttpRequest, surrogate_id: str) -> HttpResponse:
    """The erasure workflow of one person: request, legal-hold check, decision."""
    found = queries.person_for(request.user, surrogate_id)
    pending = found.erasure_requests.filter(outcome="pending").first()
    may_decide = permissions.may_grant(request.user, found)
    ask = ErasureRequestForm(request.POST if "ask" in request.POST else None, prefix="ask")
    decide = ErasureDecisionForm(request.POST if "decide" in request.POST else None,
                                 prefix="decide")
    if request.method == "POST":
        try:
            if "ask" in request.POST and ask.is_valid():
                erasure_services.request_erasure(request.user,  # type: ignore[arg-type]
                                                 found, ask.cleaned_data["grounds"])
                return redirect("cases:erasure", surrogate_id)
            if "decide" in request.POST and pending is not None and decide.is_valid():
                erasure_services.decide_erasure(request.user,  # type: ignore[arg-type]
                                                pending, decide.cleaned_data["outcome"],
                                                decide.cleaned_data["reason"])
                return redirect("cases:erasure", surrogate_id)
        except ServiceError as exc:
            (ask if "ask" in request.POST else decide).add_error(None, exc.message)
    # As the API answers a holder: whether a legal hold keeps the identity, never its text.
    return render(request, "cases/erasure.html", {
        "person": found, "pending": pending, "may_decide": may_decide, "ask": ask,
        "decide": decide, "held": found.has_legal_hold,
        "requests": disclosure.erasure_requests(request.user, found, channel="page")},
        status=400 if request.method == "POST" else 200)


def _choices(codes: dict[str, Any], blank: bool = True) -> list[tuple[str, str]]:
    return ([("", "—")] if blank else []) + [(c, str(code.label)) for c, code in codes.items()]


class ProtectionFilter(forms.Form):
    concern = forms.ChoiceField(label=_("Concern"), required=False, choices=[])
    country = forms.RegexField(label=_("Country (ISO alpha-2)"), regex=r"^[A-Za-z]{2}$",
                               required=False, max_length=2)
    status = forms.ChoiceField(label=_("Case status"), required=False, choices=[])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        codes = protection.version()
        self.fields["concern"].choices = _choices(  # type: ignore[attr-defined]
            codes.codes("concerns"))
        self.fields["status"].choices = _choices(  # type: ignore[attr-defined]
            codes.codes("case_statuses"))


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Case status"), choices=[])
    reason = forms.CharField(label=_("Reason for case closure"), required=False,
                             max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, version: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["status"].choices = _choices(  # type: ignore[attr-defined]
            protection.version(version).codes("case_statuses"), blank=False)


@second_factor_required
def protection_cases(request: HttpRequest) -> HttpResponse:
    """Trafficking, gender-based violence and Roma and Sinti cases: none for a visitor
    without an affiliation (every field is internal or above)."""
    return _listing(request, "cases/protection_cases.html", lambda f: queries.protection_cases_for(
        request.user, concern=f.get("concern") or "", country=f.get("country") or "",
        status=f.get("status") or ""),
        disclosure.protection_rows, ProtectionFilter(request.GET or None))


@second_factor_required
def protection_case(request: HttpRequest, case_id: str) -> HttpResponse:
    found = queries.protection_case_for(request.user, case_id)
    may_edit = access.can_edit(request.user, found)
    form = CaseStatusForm(request.POST or None, version=found.code_version) if may_edit \
        else None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form is not None and form.is_valid():
            try:
                protection_services.set_case_status(
                    request.user, found,  # type: ignore[arg-type]
                    form.cleaned_data["status"], form.cleaned_data["reason"])
                return redirect("cases:protection_case", case_id)
            except ServiceError as exc:
                form.add_error(None, exc.message)
    rows = disclosure.protection_rows(request.user, [found], channel="page", detail=True)
    row = rows.rows[0]
    summary = [c for c in row if c not in DETAIL_FIELDS and c not in ("case_id", "is_exercise")]
    return render(request, "cases/protection_case.html", {
        "row": row, "summary": summary, "form": form, "may_edit": may_edit,
        "shows_exercise_data": found.is_exercise},
        status=400 if request.method == "POST" else 200)


class SituationFilter(forms.Form):
    state = forms.RegexField(label=_("State (ISO alpha-2)"), regex=r"^[A-Za-z]{2}$",
                             required=False, max_length=2)


class EscalationForm(forms.Form):
    level = forms.ChoiceField(label=_("Escalation level"), choices=[])
    reason = forms.CharField(label=_("Reason"), max_length=10_000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, version: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["level"].choices = _choices(  # type: ignore[attr-defined]
            situation_rules.version(version).codes("escalation_levels"), blank=False)


@second_factor_required
def situations(request: HttpRequest) -> HttpResponse:
    """The HCNM situations granted to the reader; none exist for anyone else."""
    return _listing(request, "cases/situations.html", lambda f: queries.situations_for(
        request.user, state=f.get("state") or ""),
        disclosure.situation_rows, SituationFilter(request.GET or None))


@second_factor_required
def situation(request: HttpRequest, situation_id: str) -> HttpResponse:
    found = queries.situation_for(request.user, situation_id)
    may_edit = permissions.may_change_situation(request.user, found)
    assess = EscalationForm(request.POST or None, prefix="assess",
                            version=found.code_version)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        try:
            if assess.is_valid():
                situation_services.assess_escalation(
                    request.user, found,  # type: ignore[arg-type]
                    level=assess.cleaned_data["level"], reason=assess.cleaned_data["reason"])
                return redirect("cases:situation", situation_id)
        except ServiceError as exc:
            assess.add_error(None, exc.message)
    rows = disclosure.situation_rows(request.user, [found], channel="page", detail=True)
    row = rows.rows[0]
    summary = [c for c in row if c not in DETAIL_FIELDS
               and c not in ("situation_id", "is_exercise", "title", "sources")]
    holders, revoked = disclosure.grant_history(request.user, found, channel="page") \
        if may_edit else ([], [])
    return render(request, "cases/situation.html", {
        "row": row, "summary": summary, "may_edit": may_edit, "assess": assess,
        "holders": holders, "revoked": revoked,
        "shows_exercise_data": found.is_exercise},
        status=400 if request.method == "POST" else 200)
