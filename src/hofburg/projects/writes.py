"""Pages that write: creating a project and editing its descriptive fields, its logframe,
indicators, targets and progress reports, its budget per year, its money, and its documents.

Each page reads the project through `projects.queries` first, so a hidden project is a 404
exactly like a missing one; a visitor who is not signed in is sent to sign in; a reader who may
see the project but not change it gets a 403. Every write goes through the desk's services; a
refusal is shown beside the field it names, with what was typed kept, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from hofburg.core.access import AccessDenied, allowed_classifications
from hofburg.core.errors import NotFound, ServiceError
from hofburg.projects import forms as project_forms
from hofburg.projects import permissions, queries
from hofburg.projects.models import Project
from hofburg.projects.services import documents as document_services
from hofburg.projects.services import logframe as logframe_services
from hofburg.projects.services import money as money_services
from hofburg.projects.services import projects as project_services


def _editable(request: HttpRequest, project_id: int) -> Project | HttpResponse:
    """The project the reader may change, or the answer: 404 hidden, sign in, 403."""
    project = queries.get_project(request.user, project_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.may_edit_project(request.user, project):
        raise PermissionDenied
    return project


def _form_page(request: HttpRequest, form: forms.Form, *, title: Any, submit: Any,
               project: Project | None = None, intro: Any = "", status: int = 200,
               extra: dict[str, Any] | None = None) -> HttpResponse:
    return render(request, "projects/form.html", {
        "form": form, "title": title, "submit": submit, "project": project, "intro": intro,
        "shows_exercise_data": bool(project and project.is_exercise), **(extra or {}),
    }, status=status)


def _write(request: HttpRequest, form: forms.Form, act: Callable[[], Any],
           aliases: dict[str, str] | None = None) -> bool:
    """Run `act` once the form is valid; False (and the error on the form) if refused."""
    if not form.is_valid():
        return False
    try:
        act()
    except AccessDenied as exc:
        raise PermissionDenied from exc
    except NotFound as error:
        if error.field == "project":
            raise Http404("No such project.") from error
        project_forms.show_error(form, error, aliases)
        return False
    except ServiceError as error:
        project_forms.show_error(form, error, aliases)
        return False
    return True


def _done(request: HttpRequest, project: Project, message: Any) -> HttpResponse:
    messages.success(request, message)
    return redirect("projects:project", project_id=project.pk)


def create_project(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.may_own_projects(request.user):
        raise PermissionDenied
    form = project_forms.ProjectForm(request.POST or None,
                                     allowed=allowed_classifications(request.user))
    created: list[Project] = []
    if request.method == "POST" and _write(request, form, lambda: created.append(
            project_services.create_project(request.user, form.project_in()))):
        return _done(request, created[0], _("The project is created as a concept."))
    owner = permissions.affiliation_of(request.user)
    return _form_page(request, form, title=_("New project"), submit=_("Create the project"),
                      intro=_("The project is owned by %(owner)s and starts as a concept.")
                      % {"owner": owner.name if owner else ""},
                      status=422 if form.is_bound else 200)


def edit_project(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _editable(request, project_id)
    if isinstance(found, HttpResponse):
        return found
    project = found
    form = project_forms.ProjectForm(request.POST or None, project=project,
                                     allowed=allowed_classifications(request.user))
    if request.method == "POST" and _write(request, form, lambda: project_services.update_project(
            request.user, project.pk, form.project_in(number=project.number))):
        return _done(request, project, _("The project is saved."))
    return _form_page(request, form, project=project, title=_("Edit the project"),
                      submit=_("Save"), status=422 if form.is_bound else 200)


def add_element(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _editable(request, project_id)
    if isinstance(found, HttpResponse):
        return found
    project = found
    form = project_forms.LogframeElementForm(request.POST or None, project=project)
    if request.method == "POST" and _write(request, form, lambda: logframe_services
                                           .add_logframe_element(request.user, project.pk,
                                                                 **form.cleaned_data)):
        return _done(request, project, _("The logframe element is added."))
    return _form_page(request, form, project=project, title=_("Add to the logframe"),
                      submit=_("Add"), status=422 if form.is_bound else 200)


def add_indicator(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _editable(request, project_id)
    if isinstance(found, HttpResponse):
        return found
    project = found
    form = project_forms.IndicatorForm(request.POST or None, project=project)
    if request.method == "POST" and _write(request, form, lambda: logframe_services
                                           .add_indicator(request.user, project.pk,
                                                          form.indicator_in())):
        return _done(request, project, _("The indicator is added."))
    return _form_page(request, form, project=project, title=_("Add an indicator"),
                      submit=_("Add"), status=422 if form.is_bound else 200,
                      intro=_("Impacts, outcomes and outputs carry indicators; activities "
                              "do not."))


def set_target(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _editable(request, project_id)
    if isinstance(found, HttpResponse):
        return found
    project = found
    form = project_forms.TargetForm(request.POST or None, project=project)

    def act() -> Any:
        data = form.cleaned_data
        return logframe_services.set_target(request.user, data["indicator"], start=data["start"],
                                            end=data["end"], target=data["target"])

    if request.method == "POST" and _write(request, form, act):
        return _done(request, project, _("The target is set."))
    return _form_page(request, form, project=project, title=_("Set a target"),
                      submit=_("Set the target"), status=422 if form.is_bound else 200,
                      intro=_("A period of an indicator with this start gets the new target; "
                              "periods of one indicator may not overlap."))


def add_report(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _editable(request, project_id)
    if isinstance(found, HttpResponse):
        return found
    project = found
    form = project_forms.ProgressReportForm(request.POST or None, project=project)

    def act() -> Any:
        data = form.cleaned_data
        return logframe_services.submit_progress_report(
            request.user, project.pk, period_end=data["period_end"], actuals=form.actuals(),
            summary=data["summary"])

    if (request.method == "POST" and form.is_valid()
            and _write(request, form, act, aliases=form.aliases())):
        return _done(request, project, _("The progress report is recorded."))
    return _form_page(request, form, project=project, title=_("Progress report"),
                      submit=_("Record the report"), status=422 if form.is_bound else 200,
                      intro=_("The actual values given replace those reported before; the "
                              "report keeps what they replaced."))


def set_budget(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _editable(request, project_id)
    if isinstance(found, HttpResponse):
        return found
    project = found
    form = project_forms.BudgetLineForm(request.POST or None)

    def act() -> Any:
        data = form.cleaned_data
        return money_services.set_budget_line(request.user, project.pk, year_=data["year"],
                                              original=data["original"],
                                              revised=data["revised"])

    if request.method == "POST" and _write(request, form, act):
        return _done(request, project, _("The budget is saved."))
    return _form_page(request, form, project=project,
                      title=_("Budget of a year (%(currency)s)") % {"currency": project.currency},
                      submit=_("Save the budget"), status=422 if form.is_bound else 200,
                      intro=_("A year already budgeted is replaced by what is given here."))


def add_transaction(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _editable(request, project_id)
    if isinstance(found, HttpResponse):
        return found
    project = found
    form = project_forms.TransactionForm(request.POST or None, project=project)
    if request.method == "POST" and _write(request, form, lambda: money_services
                                           .record_transaction(request.user, project.pk,
                                                               form.transaction_in())):
        return _done(request, project, _("The transaction is recorded."))
    return _form_page(request, form, project=project, title=_("Record money"),
                      submit=_("Record"), status=422 if form.is_bound else 200,
                      intro=_("Stored in %(currency)s; an amount in another currency is "
                              "converted at the rate given and kept as entered.")
                      % {"currency": project.currency})


def documents(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's documents the reader may see, and to its editors the form that links
    another."""
    project = queries.get_project(request.user, project_id)
    may_edit = permissions.may_edit_project(request.user, project)
    form = project_forms.DocumentLinkForm(request.POST or None)
    if request.method == "POST":
        found = _editable(request, project_id)
        if isinstance(found, HttpResponse):
            return found

        def act() -> Any:
            document = document_services.find_document(request.user,
                                                       form.cleaned_data["document"])
            return document_services.link_document(request.user, project.pk, document.id,
                                                   category=form.cleaned_data["category"])

        if _write(request, form, act):
            messages.success(request, _("The document is linked."))
            return redirect("projects:documents", project_id=project.pk)
    return render(request, "projects/documents.html", {
        "project": project, "linked": queries.project_documents(request.user, project),
        "form": form if may_edit else None, "categories": project_forms.CATEGORY_LABELS,
        "shows_exercise_data": project.is_exercise,
    }, status=422 if form.is_bound else 200)


@require_POST
def unlink_document(request: HttpRequest, project_id: int, document_id: int) -> HttpResponse:
    found = _editable(request, project_id)
    if isinstance(found, HttpResponse):
        return found
    try:
        document_services.unlink_document(request.user, found.pk, document_id)
    except AccessDenied as exc:
        raise PermissionDenied from exc
    messages.success(request, _("The document is no longer linked."))
    return redirect("projects:documents", project_id=found.pk)


urlpatterns: list[URLPattern] = [
    path("new/", create_project, name="new"),
    path("<int:project_id>/edit/", edit_project, name="edit"),
    path("<int:project_id>/logframe/new/", add_element, name="add_element"),
    path("<int:project_id>/indicators/new/", add_indicator, name="add_indicator"),
    path("<int:project_id>/targets/", set_target, name="set_target"),
    path("<int:project_id>/reports/new/", add_report, name="add_report"),
    path("<int:project_id>/budget/", set_budget, name="set_budget"),
    path("<int:project_id>/transactions/new/", add_transaction, name="add_transaction"),
    path("<int:project_id>/documents/", documents, name="documents"),
    path("<int:project_id>/documents/<int:document_id>/unlink/", unlink_document,
         name="unlink_document"),
]
