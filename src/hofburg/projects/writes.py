"""Pages that write: a project and its descriptive fields, logframe, indicators, targets,
progress reports, budget per year and money; corrections, reversals and deletions of what was
recorded (decision 0049); the donors that are not in the registry; seconded and contracted
personnel; and a project's documents.

Every form page is one row of `PAGES` (its form, the service it calls, who may use it, the
record it starts from and where it goes next) served by one view, `form_page`. A hidden project
or record is a 404 exactly like a missing one (before anything else, also for visitors); a
visitor who is not signed in is then sent to sign in; a reader who may see it but not change it
gets a 403. Every write goes through the desk's services; a refusal is shown beside the field it
names, with what was typed kept (422), and nothing is stored.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from hofburg.core import dates
from hofburg.core.access import AccessDenied, visible
from hofburg.core.errors import NotFound, ServiceError
from hofburg.projects import forms as project_forms
from hofburg.projects import permissions, queries
from hofburg.projects.models import (
    BudgetLine,
    Donor,
    Indicator,
    IndicatorPeriod,
    LogframeElement,
    Project,
    Secondment,
    Transaction,
)
from hofburg.projects.services import corrections
from hofburg.projects.services import documents as document_services
from hofburg.projects.services import logframe as logframe_services
from hofburg.projects.services import money as money_services
from hofburg.projects.services import personnel as personnel_services
from hofburg.projects.services import projects as project_services

M = TypeVar("M")
# The submit button's verb: "Record" alone is also a noun (an audit trail's column), which
# several languages translate differently ("Записать", not "Запись").
RECORD = pgettext_lazy("button", "Record")
Text = Any  # a (lazy) text, or a function of (project, record, user) giving one


def _editor(user: Any, project: Project | None, record: Any) -> bool:
    return project is not None and permissions.may_edit_project(user, project)


def _found(record: M | None) -> M:
    if record is None:
        raise Http404("No such record.")
    return record


def _to_project(project: Project | None, stored: Any) -> str:
    target = project if project is not None else stored
    return reverse("projects:project", kwargs={"project_id": target.pk})


@dataclass(frozen=True)
class FormPage:
    """One page that writes: its form, the service call, who may use it, the record it starts
    from (a 404 if there is none the reader may see) and where it goes once done."""

    route: str
    name: str
    form: type[project_forms.DeskForm]
    act: Callable[..., Any]  # (user, project, form, record) -> what was stored
    may: Callable[..., bool]  # (user, project, record)
    title: Text
    submit: Text
    done: Text
    intro: Text = ""
    record: Callable[..., Any] | None = None  # (project, user, **url arguments)
    then: Callable[..., str] = _to_project  # (project, what was stored) -> an address


def _text(value: Text, project: Project | None, record: Any, user: Any) -> Any:
    return value(project, record, user) if inspect.isfunction(value) else value


def _run(form: project_forms.DeskForm, act: Callable[[], Any]) -> tuple[bool, Any]:
    """Run `act` once the form is valid: (True, what it stored), or (False, None) with the
    refusal on the form."""
    if not form.is_valid():
        return False, None
    try:
        return True, act()
    except AccessDenied as exc:
        raise PermissionDenied from exc
    except NotFound as error:
        if error.field == "project":
            raise Http404("No such project.") from error
        project_forms.show_error(form, error, form.aliases())
    except ServiceError as error:
        project_forms.show_error(form, error, form.aliases())
    return False, None


def form_page(request: HttpRequest, page: FormPage, project_id: int | None = None,
              **arguments: Any) -> HttpResponse:
    """The one view of every form page of `PAGES`."""
    user = request.user
    project = queries.get_project(user, project_id) if project_id is not None else None
    record = page.record(project, user, **arguments) if page.record else None
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not page.may(user, project, record):
        raise PermissionDenied
    form = page.form(request.POST or None, user=user, project=project, record=record)
    if request.method == "POST":
        done, stored = _run(form, lambda: page.act(user, project, form, record))
        if done:
            messages.success(request, _text(page.done, project, record, user))
            return redirect(page.then(project, stored))
    exercise = bool(getattr(project, "is_exercise", False)
                    or getattr(record, "is_exercise", False))
    return render(request, "projects/form.html", {
        "form": form, "title": _text(page.title, project, record, user),
        "submit": _text(page.submit, project, record, user), "project": project,
        "intro": _text(page.intro, project, record, user), "shows_exercise_data": exercise,
    }, status=422 if form.is_bound else 200)


# -- what each page starts from ----------------------------------------------------------------


def _project_itself(project: Project, user: Any) -> Project:
    return project


def _transaction(project: Project, user: Any, transaction_id: int) -> Transaction:
    return _found(Transaction.objects.select_related("donor")
                  .filter(project=project, pk=transaction_id).first())


def _budget_line(project: Project, user: Any, year: int) -> BudgetLine:
    return _found(BudgetLine.objects.filter(project=project, year=year).first())


def _element(project: Project, user: Any, element_id: int) -> LogframeElement:
    return _found(LogframeElement.objects.filter(project=project, pk=element_id).first())


def _indicator(project: Project, user: Any, indicator_id: int) -> Indicator:
    return _found(Indicator.objects.select_related("element")
                  .filter(element__project=project, pk=indicator_id).first())


def _period(project: Project, user: Any, period_id: int) -> IndicatorPeriod:
    return _found(IndicatorPeriod.objects.select_related("indicator__element")
                  .filter(indicator__element__project=project, pk=period_id).first())


def _donor(project: None, user: Any, code: str) -> Donor:
    return _found(Donor.objects.filter(code=code).first())


def _secondment(project: None, user: Any, secondment_id: int) -> Secondment:
    return _found(visible(Secondment.objects.all(), user).filter(pk=secondment_id).first())


def _managed_donor(user: Any, project: None, record: Donor | None) -> bool:
    return permissions.may_manage_donors(user) and (
        record is None or (record.kind in money_services.MANAGED_KINDS
                           and record.is_exercise == _is_exercise(user)))


def _is_exercise(user: Any) -> bool:
    affiliation = permissions.affiliation_of(user)
    return bool(affiliation and affiliation.is_exercise)


def _personnel(user: Any, project: None, record: Secondment | None) -> bool:
    """Editors of a field operation or the Secretariat; a figure, its recorder's."""
    affiliation = permissions.affiliation_of(user)
    return permissions.may_record_secondments(user) and (
        record is None or (affiliation is not None
                           and record.owner_affiliation_id == affiliation.pk))


def _to_donors(project: None, stored: Any) -> str:
    return reverse("projects:donors")


def _to_personnel(project: None, stored: Any) -> str:
    code = stored.field_operation if isinstance(stored, Secondment) else ""
    return reverse("projects:personnel") + (f"?field_operation={code}" if code else "")


# -- the service calls -------------------------------------------------------------------------


def _reason(form: Any) -> str:
    return str(form.cleaned_data["reason"])


def _set_target(user: Any, project: Project, form: Any, record: None) -> Any:
    data = form.cleaned_data
    return logframe_services.set_target(user, data["indicator"], start=data["start"],
                                        end=data["end"], target=data["target"])


def _add_report(user: Any, project: Project, form: Any, record: None) -> Any:
    data = form.cleaned_data
    return logframe_services.submit_progress_report(
        user, project.pk, period_end=data["period_end"], actuals=form.actuals(),
        summary=data["summary"])


def _set_budget(user: Any, project: Project, form: Any, record: None) -> Any:
    data = form.cleaned_data
    return money_services.set_budget_line(user, project.pk, year_=data["year"],
                                          original=data["original"], revised=data["revised"])


def _correct_budget(user: Any, project: Project, form: Any, record: BudgetLine) -> Any:
    data = form.cleaned_data
    return corrections.correct_budget_line(user, project.pk, record.year,
                                           original=data["original"], revised=data["revised"],
                                           reason=data["reason"])


def _correct_element(user: Any, project: Project, form: Any, record: LogframeElement) -> Any:
    data = form.cleaned_data
    return corrections.correct_element(user, project.pk, record.pk, code=data["code"],
                                       title=data["title"], description=data["description"],
                                       reason=data["reason"])


def _correct_period(user: Any, project: Project, form: Any, record: IndicatorPeriod) -> Any:
    data = form.cleaned_data
    return corrections.correct_period(user, project.pk, record.pk, start=data["start"],
                                      end=data["end"], target=data["target"],
                                      reason=data["reason"])


TitleOf = Callable[[Any, Any, Any], Any]


def _title_of(what: Any) -> TitleOf:
    def title(project: Project | None, record: Any, user: Any) -> Any:
        return f"{what}: {record}"
    return title


def _transaction_title(what: Any) -> TitleOf:
    def title(project: Project, record: Transaction, user: Any) -> Any:
        return f"{what}: " + _("%(flow)s of %(amount)s %(currency)s, %(day)s") % {
            "flow": project_forms.FLOW_LABELS.get(record.flow, record.flow),
            "amount": number_format(record.value, 2, force_grouping=True),
            "currency": project.currency, "day": dates.day(record.value_date, short=True)}
    return title


def _budget_title(what: Any) -> TitleOf:
    def title(project: Project, record: BudgetLine, user: Any) -> Any:
        return f"{what}: " + _("the budget of %(year)s") % {"year": record.year}
    return title


def _period_title(what: Any) -> TitleOf:
    def title(project: Project, record: IndicatorPeriod, user: Any) -> Any:
        return (f"{what}: {record.indicator.element.code} {record.indicator.title}, "
                f"{dates.day(record.start, short=True)} – {dates.day(record.end, short=True)}")
    return title


def _owned_by(project: None, record: None, user: Any) -> Any:
    owner = permissions.affiliation_of(user)
    return _("The project is owned by %(owner)s and starts as a concept.") % {
        "owner": owner.name if owner else ""}


def _budget_of_a_year(project: Project, record: None, user: Any) -> Any:
    return _("Budget of a year (%(currency)s)") % {"currency": project.currency}


def _stored_in(project: Project, record: None, user: Any) -> Any:
    return _("Stored in %(currency)s; an amount in another currency is converted at the rate "
             "given and kept as entered.") % {"currency": project.currency}


def _delete_secondment(user: Any, project: None, form: Any, record: Secondment) -> Secondment:
    personnel_services.delete_secondment(user, record.pk, reason=_reason(form))
    return record


MONEY_KEPT = _("It stays in the project's history, marked as it was, and no longer counts in "
               "the balances, the totals or the IATI export.")
LOGFRAME_KEPT = _("The values before and after are kept with the reason, your name and the "
                  "time.")

PAGES: tuple[FormPage, ...] = (
    FormPage("new/", "new", project_forms.ProjectForm,
             lambda user, project, form, record: project_services.create_project(
                 user, form.project_in()),
             lambda user, project, record: permissions.may_own_projects(user),
             _("New project"), _("Create the project"), _("The project is created as a concept."),
             intro=_owned_by),
    FormPage("<int:project_id>/edit/", "edit", project_forms.ProjectForm,
             lambda user, project, form, record: project_services.update_project(
                 user, project.pk, form.project_in(number=project.number)),
             _editor, _("Edit the project"), _("Save"), _("The project is saved."),
             record=_project_itself),
    FormPage("<int:project_id>/logframe/new/", "add_element", project_forms.LogframeElementForm,
             lambda user, project, form, record: logframe_services.add_logframe_element(
                 user, project.pk, **form.cleaned_data),
             _editor, _("Add to the logframe"), _("Add"), _("The logframe element is added.")),
    FormPage("<int:project_id>/indicators/new/", "add_indicator", project_forms.IndicatorForm,
             lambda user, project, form, record: logframe_services.add_indicator(
                 user, project.pk, form.indicator_in()),
             _editor, _("Add an indicator"), _("Add"), _("The indicator is added."),
             intro=_("Impacts, outcomes and outputs carry indicators; activities do not.")),
    FormPage("<int:project_id>/targets/", "set_target", project_forms.TargetForm, _set_target,
             _editor, _("Set a target"), _("Set the target"), _("The target is set."),
             intro=_("A period of an indicator with this start gets the new target; periods of "
                     "one indicator may not overlap.")),
    FormPage("<int:project_id>/reports/new/", "add_report", project_forms.ProgressReportForm,
             _add_report, _editor, _("Progress report"), _("Record the report"),
             _("The progress report is recorded."),
             intro=_("The actual values given replace those reported before; the report keeps "
                     "what they replaced.")),
    FormPage("<int:project_id>/budget/", "set_budget", project_forms.BudgetLineForm,
             _set_budget, _editor,
             _budget_of_a_year, _("Save the budget"), _("The budget is saved."),
             intro=_("A year already budgeted takes a revised figure here, and the figure it "
                     "had is kept; to change its original figure, correct it.")),
    FormPage("<int:project_id>/transactions/new/", "add_transaction",
             project_forms.TransactionForm,
             lambda user, project, form, record: money_services.record_transaction(
                 user, project.pk, form.transaction_in()),
             _editor, _("Record money"), RECORD, _("The transaction is recorded."),
             intro=_stored_in),
    # Corrections, reversals and deletions (decision 0049).
    FormPage("<int:project_id>/transactions/<int:transaction_id>/correct/",
             "correct_transaction", project_forms.TransactionCorrectionForm,
             lambda user, project, form, record: corrections.correct_transaction(
                 user, project.pk, record.pk, form.transaction_in(), reason=_reason(form))[0],
             _editor, _transaction_title(_("Correct")), _("Record the correction"),
             _("The transaction is corrected."), record=_transaction,
             intro=_("The transaction as it should have been recorded. The one recorded stays "
                     "in the history, superseded by this one, with your reason.")),
    FormPage("<int:project_id>/transactions/<int:transaction_id>/reverse/",
             "reverse_transaction", project_forms.ReasonForm,
             lambda user, project, form, record: corrections.reverse_transaction(
                 user, project.pk, record.pk, reason=_reason(form)),
             _editor, _transaction_title(_("Reverse")), _("Reverse the transaction"),
             _("The transaction is reversed."), record=_transaction, intro=MONEY_KEPT),
    FormPage("<int:project_id>/budget/<int:year>/correct/", "correct_budget",
             project_forms.BudgetCorrectionForm, _correct_budget, _editor,
             _budget_title(_("Correct")), _("Record the correction"),
             _("The budget is corrected."), record=_budget_line,
             intro=_("The figures as they should have been recorded. The line recorded stays "
                     "in the history, superseded by this one, with your reason.")),
    FormPage("<int:project_id>/budget/<int:year>/reverse/", "reverse_budget",
             project_forms.ReasonForm,
             lambda user, project, form, record: corrections.reverse_budget_line(
                 user, project.pk, record.year, reason=_reason(form)),
             _editor, _budget_title(_("Reverse")), _("Reverse the budget of the year"),
             _("The budget of the year is reversed."), record=_budget_line, intro=MONEY_KEPT),
    FormPage("<int:project_id>/logframe/<int:element_id>/correct/", "correct_element",
             project_forms.ElementCorrectionForm, _correct_element, _editor,
             _title_of(_("Correct")), _("Record the correction"),
             _("The logframe element is corrected."), record=_element, intro=LOGFRAME_KEPT),
    FormPage("<int:project_id>/logframe/<int:element_id>/delete/", "delete_element",
             project_forms.ReasonForm,
             lambda user, project, form, record: corrections.delete_element(
                 user, project.pk, record.pk, reason=_reason(form)),
             _editor, _title_of(_("Delete")), _("Delete the element"),
             _("The logframe element is deleted."), record=_element,
             intro=_("Only an element with nothing under it and no indicator can be deleted. "
                     "What it was is kept with the reason.")),
    FormPage("<int:project_id>/indicators/<int:indicator_id>/correct/", "correct_indicator",
             project_forms.IndicatorCorrectionForm,
             lambda user, project, form, record: corrections.correct_indicator(
                 user, project.pk, record.pk, form.fix(), reason=_reason(form)),
             _editor, _title_of(_("Correct")), _("Record the correction"),
             _("The indicator is corrected."), record=_indicator,
             intro=_("Progress is computed again from the corrected baseline. The values "
                     "before and after are kept with the reason.")),
    FormPage("<int:project_id>/indicators/<int:indicator_id>/delete/", "delete_indicator",
             project_forms.ReasonForm,
             lambda user, project, form, record: corrections.delete_indicator(
                 user, project.pk, record.pk, reason=_reason(form)),
             _editor, _title_of(_("Delete")), _("Delete the indicator"),
             _("The indicator is deleted."), record=_indicator,
             intro=_("Only an indicator without periods can be deleted. What it was is kept "
                     "with the reason.")),
    FormPage("<int:project_id>/periods/<int:period_id>/correct/", "correct_period",
             project_forms.PeriodCorrectionForm, _correct_period, _editor,
             _period_title(_("Correct the target")), _("Record the correction"),
             _("The period is corrected."), record=_period, intro=LOGFRAME_KEPT),
    FormPage("<int:project_id>/periods/<int:period_id>/actual/", "correct_actual",
             project_forms.ActualCorrectionForm,
             lambda user, project, form, record: corrections.correct_actual(
                 user, project.pk, record.pk, actual=form.cleaned_data["actual"],
                 reason=_reason(form)),
             _editor, _period_title(_("Correct the actual value")), _("Record the correction"),
             _("The actual value is corrected."), record=_period,
             intro=_("The history of the actual keeps the value replaced, with the reason.")),
    FormPage("<int:project_id>/periods/<int:period_id>/delete/", "delete_period",
             project_forms.ReasonForm,
             lambda user, project, form, record: corrections.delete_period(
                 user, project.pk, record.pk, reason=_reason(form)),
             _editor, _period_title(_("Delete")), _("Delete the period"),
             _("The period is deleted."), record=_period,
             intro=_("Only a period of which no actual value was reported can be deleted.")),
    # Donors that are not in the registry, and personnel.
    FormPage("donors/new/", "add_donor", project_forms.DonorForm,
             lambda user, project, form, record: money_services.add_donor(
                 user, form.donor_in()),
             _managed_donor, _("Add a donor"), _("Add the donor"), _("The donor is added."),
             intro=_("Participating States and Partners come from the registry; add here the "
                     "European Union and other donors."), then=_to_donors),
    FormPage("donors/<slug:code>/edit/", "edit_donor", project_forms.DonorForm,
             lambda user, project, form, record: money_services.update_donor(
                 user, record.code, form.donor_in()),
             _managed_donor, _title_of(_("Edit the donor")), _("Save"),
             _("The donor is saved."), record=_donor, then=_to_donors),
    FormPage("donors/<slug:code>/delete/", "delete_donor", project_forms.ReasonForm,
             lambda user, project, form, record: money_services.delete_donor(
                 user, record.code, reason=_reason(form)),
             _managed_donor, _title_of(_("Delete the donor")), _("Delete the donor"),
             _("The donor is deleted."), record=_donor, then=_to_donors,
             intro=_("Only a donor that no transaction names can be deleted.")),
    FormPage("personnel/new/", "add_secondment", project_forms.SecondmentForm,
             lambda user, project, form, record: personnel_services.record_secondment(
                 user, form.secondment_in()),
             _personnel, _("Record personnel"), RECORD, _("The personnel is recorded."),
             intro=_("The seconded and contracted personnel one State gives a field operation "
                     "in a year; a figure recorded for the same operation, State and year is "
                     "replaced."), then=_to_personnel),
    FormPage("personnel/<int:secondment_id>/edit/", "edit_secondment",
             project_forms.SecondmentForm,
             lambda user, project, form, record: personnel_services.record_secondment(
                 user, form.secondment_in()),
             _personnel, _title_of(_("Change the personnel figure")), _("Save"),
             _("The personnel is recorded."), record=_secondment, then=_to_personnel),
    FormPage("personnel/<int:secondment_id>/delete/", "delete_secondment",
             project_forms.ReasonForm,
             _delete_secondment,
             _personnel, _title_of(_("Delete the personnel figure")), _("Delete"),
             _("The personnel figure is deleted."), record=_secondment, then=_to_personnel,
             intro=_("The figure removed is kept with the reason.")),
)


def documents(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's documents the reader may see, and to its editors the form that links
    another."""
    project = queries.get_project(request.user, project_id)
    may_edit = permissions.may_edit_project(request.user, project)
    form = project_forms.DocumentLinkForm(request.POST or None, user=request.user,
                                          project=project)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_edit:
            raise PermissionDenied

        def act() -> Any:
            document = document_services.find_document(request.user,
                                                       form.cleaned_data["document"])
            return document_services.link_document(request.user, project.pk, document.id,
                                                   category=form.cleaned_data["category"])

        if _run(form, act)[0]:
            messages.success(request, _("The document is linked."))
            return redirect("projects:documents", project_id=project.pk)
    return render(request, "projects/documents.html", {
        "project": project, "linked": queries.project_documents(request.user, project),
        "form": form if may_edit else None, "categories": project_forms.CATEGORY_LABELS,
        "shows_exercise_data": project.is_exercise,
    }, status=422 if form.is_bound else 200)


@require_POST
def unlink_document(request: HttpRequest, project_id: int, document_id: int) -> HttpResponse:
    project = queries.get_project(request.user, project_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.may_edit_project(request.user, project):
        raise PermissionDenied
    try:
        document_services.unlink_document(request.user, project.pk, document_id)
    except AccessDenied as exc:
        raise PermissionDenied from exc
    messages.success(request, _("The document is no longer linked."))
    return redirect("projects:documents", project_id=project.pk)


urlpatterns: list[URLPattern] = [
    *(path(page.route, form_page, {"page": page}, name=page.name) for page in PAGES),
    path("<int:project_id>/documents/", documents, name="documents"),
    path("<int:project_id>/documents/<int:document_id>/unlink/", unlink_document,
         name="unlink_document"),
]
