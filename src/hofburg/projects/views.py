"""Pages: the portfolio with filters and totals, a project with its logframe and indicator
charts, a donor's "our contributions", and the Unified Budget with the scales' ceiling.

Every read goes through `projects.queries` (`core.access`): a hidden project is a 404, and no
total adds one. Charts get their figures from `json_script`; the page scripts are files.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from hofburg.core import access
from hofburg.core import filters as list_filters
from hofburg.core.errors import ServiceError
from hofburg.core.models import Affiliation
from hofburg.projects import bounds, permissions, queries, writes
from hofburg.projects.contributions import field_operation_contributors, scales, unified_budget
from hofburg.projects.engine.workflow import NEEDS_APPROVER, allowed_actions
from hofburg.projects.models import Dimension, Donor, Project, ProjectStatus, Recipient, Theme
from hofburg.projects.permissions import OWNER_KINDS
from hofburg.projects.services import projects as services
from hofburg.projects.services.money import MANAGED_KINDS
from hofburg.registry.models import FieldOperation, ParticipatingState, Partner

PAGE_SIZE = 50


def _with_all(label: Any, choices: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class PortfolioForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    donor = forms.ChoiceField(label=_("Donor"), required=False)
    state = forms.ChoiceField(label=_("Recipient State"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The choices are reference lists, never drawn from the projects: a hidden project
        # must not show through a choice that exists only because of it.
        super().__init__(*args, **kwargs)
        owners = Affiliation.objects.filter(kind__in=OWNER_KINDS).order_by("name")
        states = sorted([(s.iso2, s.name) for s in ParticipatingState.objects.all()]
                        + [(p.iso2, p.name) for p in Partner.objects.all()],
                        key=lambda pair: pair[1])
        self.fields["theme"].choices = _with_all(_("Every theme"), Theme.choices)  # type: ignore[attr-defined]
        self.fields["dimension"].choices = _with_all(_("Every dimension"), Dimension.choices)  # type: ignore[attr-defined]
        self.fields["owner"].choices = _with_all(  # type: ignore[attr-defined]
            _("Every owner"), [(a.code, a.name) for a in owners])
        self.fields["donor"].choices = _with_all(  # type: ignore[attr-defined]
            _("Every donor"), [(d.code, d.name) for d in Donor.objects.order_by("name")])
        self.fields["state"].choices = _with_all(  # type: ignore[attr-defined]
            _("Every State"), states)
        self.fields["status"].choices = _with_all(_("Every status"), ProjectStatus.choices)  # type: ignore[attr-defined]

    def filters(self) -> queries.PortfolioFilters:
        """The filters understood; one not understood is left out and reported (core.filters)."""
        data = list_filters.applied(self)
        return queries.PortfolioFilters(**{name: data.get(name, "") for name in (
            "theme", "dimension", "owner", "donor", "state", "status")})


def portfolio(request: HttpRequest) -> HttpResponse:
    form = PortfolioForm(request.GET or None)
    projects = queries.filtered_projects(request.user, form.filters())
    totals = queries.portfolio_totals(projects)
    rows = queries.with_money(projects).select_related("owner_affiliation").order_by("number")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "projects/portfolio.html", {
        "form": form, "page": page, "totals": totals, "query": query.urlencode(),
        "updated": queries.portfolio_updated(projects),
        "shows_exercise_data": any(p.is_exercise for p in page.object_list),
        "may_create": permissions.may_own_projects(request.user),
    })


def _indicator_charts(rows: list[queries.LogframeRow]) -> list[dict[str, Any]]:
    charts = []
    for row in rows:
        for view in row.indicators:
            if not view.periods:
                continue
            charts.append({
                "id": view.indicator.pk, "title": f"{row.code} {view.indicator.title}",
                "labels": [p.end.isoformat() for p in view.periods],
                "target": [float(p.target) if p.target is not None else None
                           for p in view.periods],
                "actual": [float(p.actual) if p.actual is not None else None
                           for p in view.periods],
                "baseline": float(view.indicator.baseline),
            })
    return charts


class StepForm(forms.Form):
    action = forms.ChoiceField(label=_("Step"))
    note = forms.CharField(label=_("Note"), required=False, max_length=bounds.MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, ACTION_LABELS.get(a, a)) for a in actions]  # type: ignore[attr-defined]


ACTION_LABELS = {"approve": _("Approve"), "start": _("Start implementation"),
                 "suspend": _("Suspend"), "resume": _("Resume"), "close": _("Close"),
                 "cancel": _("Cancel the project")}


def _steps_for(user: Any, project: Project) -> list[str]:
    """The workflow steps `user` may take on `project` now."""
    allowed = []
    for action in allowed_actions(project.status):
        if action in NEEDS_APPROVER:
            if permissions.may_approve_project(user, project):
                allowed.append(action.value)
        elif permissions.may_edit_project(user, project):
            allowed.append(action.value)
    return allowed


@require_POST
def take_step(request: HttpRequest, project_id: int) -> HttpResponse:
    """Take one workflow step from the project page; a refusal is shown beside the form."""
    project = queries.get_project(request.user, project_id)
    form = StepForm(request.POST, actions=_steps_for(request.user, project))
    if not form.is_valid():
        if not _steps_for(request.user, project):
            raise PermissionDenied
        return project_page(request, project_id, step_form=form, status=400)
    try:
        services.take_step(request.user, project.pk, form.cleaned_data["action"],
                           note=form.cleaned_data["note"])
    except ServiceError as error:
        form.add_error(None, error.message)
        return project_page(request, project_id, step_form=form, status=409)
    return redirect("projects:project", project_id=project.pk)


def project_page(request: HttpRequest, project_id: int, *, step_form: StepForm | None = None,
                 status: int = 200) -> HttpResponse:
    project = queries.get_project(request.user, project_id)
    steps = _steps_for(request.user, project)
    if step_form is None and steps:
        step_form = StepForm(actions=steps)
    logframe = queries.logframe(project)
    charts = _indicator_charts(logframe)
    return render(request, "projects/project.html", {
        "project": project,
        "balances": queries.project_balances(project),
        "budget_lines": list(project.budget_lines.all()),
        "by_donor": queries.contributions_by_donor_and_year(project),
        "logframe": logframe,
        "charts": charts,
        "chart_data": {"indicators": charts, "labels": {
            "target": str(_("Target")), "actual": str(_("Actual")),
            "baseline": str(_("Baseline"))}},
        "approvals": list(project.approvals.select_related("by")),
        "recipients": list(project.recipients.values_list("iso2", flat=True)),
        "shows_exercise_data": project.is_exercise,
        "step_form": step_form,
        "may_edit": permissions.may_edit_project(request.user, project),
        "linked": queries.project_documents(request.user, project),
        "reports": queries.progress_reports(project),
        "transactions": list(project.transactions.select_related("donor")),
        "elements": queries.logframe_records(project),
        "corrections": list(project.corrections.select_related("by")),
    }, status=status)


def our_contributions(request: HttpRequest) -> HttpResponse:
    """A donor's contributions to the projects the reader may see: a delegation's own State by
    default, any donor by `?donor=CODE`."""
    code = request.GET.get("donor", "")[:40]
    affiliation = getattr(request.user, "affiliation", None)
    donor = None
    if code:
        donor = Donor.objects.filter(code=code).first()
        if donor is None:
            raise Http404("No such donor.")
    elif isinstance(affiliation, Affiliation) and affiliation.state_iso2:
        donor = Donor.objects.filter(iso2=affiliation.state_iso2,
                                     is_exercise=affiliation.is_exercise).first()
    elif isinstance(affiliation, Affiliation) and affiliation.is_exercise:
        donor = Donor.objects.filter(code=affiliation.code).first()
    rows = queries.donor_contributions(request.user, donor) if donor else []
    return render(request, "projects/contributions.html", {
        "donor": donor, "rows": rows, "donors": Donor.objects.order_by("name"),
        "shows_exercise_data": bool(donor and donor.is_exercise),
    })


def recipient_map(request: HttpRequest) -> HttpResponse:
    """The recipient States of the projects the reader may see (with the portfolio's filters),
    shaded on the offline map, and the same as a table."""
    form = PortfolioForm(request.GET or None)
    projects = queries.filtered_projects(request.user, form.filters())
    counts = dict(Recipient.objects.filter(project__in=projects.values("pk")).order_by()
                  .values("iso2").annotate(n=Count("project", distinct=True))
                  .values_list("iso2", "n"))
    states = [(s.iso2, s.numeric, s.name)
              for s in ParticipatingState.objects.filter(iso2__in=counts)]
    states += [(p.iso2, p.numeric, p.name) for p in Partner.objects.filter(iso2__in=counts)]
    portfolio_url = reverse("projects:portfolio")
    rows = sorted(({"iso2": iso2, "numeric": numeric, "name": name, "count": counts[iso2],
                    "url": f"{portfolio_url}?state={iso2}"} for iso2, numeric, name in states),
                  key=lambda r: (-int(r["count"]), str(r["name"])))
    return render(request, "projects/map.html", {
        "form": form, "rows": rows,
        "areas": {r["numeric"]: {"name": r["name"], "count": r["count"], "url": r["url"]}
                  for r in rows},
        "labels": {"projects": str(_("projects")), "project": str(_("project"))},
    })


class FieldOperationForm(forms.Form):
    field_operation = forms.ChoiceField(label=_("Field operation"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_operation"].choices = [  # type: ignore[attr-defined]
            (f.code, f.name) for f in FieldOperation.objects.all()]


def personnel(request: HttpRequest) -> HttpResponse:
    """Seconded and contracted personnel of a field operation per State and year, and who
    finances its projects; the largest contributor of each first."""
    form = FieldOperationForm(request.GET or None)
    found = None
    chosen = list_filters.applied(form).get("field_operation")
    if chosen:
        found = field_operation_contributors(request.user, chosen)
    rows = []
    if found is not None:
        rows = [{"state": p.state, "personnel": p.personnel,
                 "years": [p.by_year.get(year, (0, 0)) for year in found.years]}
                for p in found.personnel]
    may_record = permissions.may_record_secondments(request.user)
    affiliation = permissions.affiliation_of(request.user)
    own = (queries.visible_secondments(request.user).filter(owner_affiliation=affiliation)
           if may_record and affiliation is not None and chosen else None)
    return render(request, "projects/personnel.html", {
        "form": form, "found": found, "rows": rows, "may_record": may_record,
        "own": list(own.filter(field_operation=chosen)) if own is not None else []})


def donors(request: HttpRequest) -> HttpResponse:
    """Every donor: those of the registry (participating States, Partners) and those kept here
    (the EU, other donors), with the forms that keep the latter for the editors of owners."""
    may_manage = permissions.may_manage_donors(request.user)
    affiliation = permissions.affiliation_of(request.user)
    exercise = bool(affiliation and affiliation.is_exercise)
    rows = list(Donor.objects.order_by("kind", "name"))
    return render(request, "projects/donors.html", {
        "managed": [d for d in rows if d.kind in MANAGED_KINDS],
        "registry": [d for d in rows if d.kind not in MANAGED_KINDS],
        "may_manage": may_manage, "exercise": exercise,
        "shows_exercise_data": any(d.is_exercise for d in rows),
    })


def budget_page(request: HttpRequest) -> HttpResponse:
    ceilings, shipped = scales()
    return render(request, "projects/budget.html", {
        "years": unified_budget(), "ceilings": ceilings, "scales": shipped,
        "user_is_entitled": access.is_entitled(request.user),
    })


app_name = "projects"
urlpatterns: list[URLPattern] = [
    path("", portfolio, name="portfolio"),
    path("<int:project_id>/", project_page, name="project"),
    path("<int:project_id>/step/", take_step, name="step"),
    path("contributions/", our_contributions, name="contributions"),
    path("budget/", budget_page, name="budget"),
    path("map/", recipient_map, name="map"),
    path("personnel/", personnel, name="personnel"),
    path("donors/", donors, name="donors"),
    *writes.urlpatterns,
]

__all__ = ["Project", "urlpatterns"]
