"""API: the portfolio, one project, creating a project and taking it through its workflow.

Reads go through `projects.queries` (`core.access`): a project the caller may not see is a 404
like a missing one. Writes need an API token and go through `projects.services`.
"""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import Day, RecordId
from hofburg.core.models import Classification
from hofburg.projects import bounds, queries
from hofburg.projects.models import Dimension, Funding, Project, ProjectStatus, Theme
from hofburg.projects.services import projects as services

router = Router()


class PolicyMarkerIn(Schema):
    code: str = Field(..., max_length=4, examples=["3"])
    significance: str = Field(..., max_length=4, examples=["2"])


class ProjectIn(Schema):
    number: str = Field(..., min_length=1, max_length=bounds.MAX_PROJECT_NUMBER,
                        examples=["2500123"])
    title: str = Field(..., min_length=1, max_length=bounds.MAX_PROJECT_TITLE)
    dimension: Dimension
    theme: Theme
    description: str = Field("", max_length=bounds.MAX_DESCRIPTION)
    titles: dict[str, str] = Field(default_factory=dict, max_length=6)
    descriptions: dict[str, str] = Field(default_factory=dict, max_length=6)
    funding: Funding = Funding.EXTRA_BUDGETARY
    dac_sectors: list[str] = Field(default_factory=list, max_length=bounds.MAX_SECTORS,
                                   examples=[["15113"]])
    policy_markers: list[PolicyMarkerIn] = Field(default_factory=list,
                                                 max_length=bounds.MAX_MARKERS)
    recipients: list[bounds.StateCode] = Field(default_factory=list,
                                               max_length=bounds.MAX_RECIPIENTS)
    currency: bounds.CurrencyCode = "EUR"
    planned_start: Day | None = None
    planned_end: Day | None = None
    classification: Classification = Classification.RESTRICTED


class ProjectOut(Schema):
    id: int
    number: str
    title: str
    titles: dict[str, str]
    funding: str
    dimension: str
    theme: str
    status: str
    owner: str
    currency: str
    recipients: list[str]
    dac_sectors: list[str]
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    classification: str
    is_exercise: bool
    budget: Decimal
    pledged: Decimal
    agreed: Decimal
    received: Decimal
    spent: Decimal

    @staticmethod
    def resolve_owner(obj: Project) -> str:
        return obj.owner_affiliation.code if obj.owner_affiliation else ""

    @staticmethod
    def resolve_recipients(obj: Project) -> list[str]:
        return [r.iso2 for r in obj.recipients.all()]


class BalancesOut(Schema):
    budget: Decimal
    pledged: Decimal
    agreed: Decimal
    received: Decimal
    spent: Decimal
    cash_balance: Decimal
    unfunded: Decimal
    outstanding: Decimal
    burn_rate: Decimal | None


class ApprovalOut(Schema):
    action: str
    before: str
    after: str
    note: str
    by: str | None
    at: dt.datetime

    @staticmethod
    def resolve_by(obj: Any) -> str | None:
        return obj.by.username if obj.by else None


class ProjectDetail(ProjectOut):
    description: str
    descriptions: dict[str, str]
    policy_markers: list[dict[str, str]]
    balances: BalancesOut
    approvals: list[ApprovalOut]

    @staticmethod
    def resolve_balances(obj: Project) -> Any:
        return queries.project_balances(obj)

    @staticmethod
    def resolve_approvals(obj: Project) -> list[Any]:
        return list(obj.approvals.select_related("by"))


class PortfolioQuery(Schema):
    theme: Theme | None = None
    dimension: Dimension | None = None
    owner: str = Field("", max_length=64, description="The owner's affiliation code.")
    donor: str = Field("", max_length=bounds.MAX_DONOR_CODE, description="A donor's code.")
    state: str = Field("", max_length=2, description="A recipient State (ISO alpha-2).")
    status: ProjectStatus | None = None
    exercise: bool | None = None

    def filters(self) -> queries.PortfolioFilters:
        return queries.PortfolioFilters(
            theme=self.theme or "", dimension=self.dimension or "", owner=self.owner,
            donor=self.donor, state=self.state, status=self.status or "",
            exercise=self.exercise)


class TotalsOut(Schema):
    count: int
    currencies: list[str]
    balances: BalancesOut


class StepIn(Schema):
    action: str = Field(..., max_length=12, examples=["approve"],
                        description="approve, start, suspend, resume, close or cancel")
    note: str = Field("", max_length=bounds.MAX_NOTE)
    on: Day | None = Field(None, description="The day the step took effect (actual start or "
                                             "end); today by default.")


def _detail(user: Any, project_id: int) -> Project:
    project = queries.get_project(user, project_id)
    return queries.with_money(Project.objects.filter(pk=project.pk)).select_related(
        "owner_affiliation").prefetch_related("recipients").get()


@router.get("", response=list[ProjectOut], summary="The projects you may see")
@paginate(Page)
def list_projects(request: HttpRequest, filters: Query[PortfolioQuery]) -> QuerySet[Project]:
    projects = queries.filtered_projects(current_user(request), filters.filters())
    return queries.with_money(projects).select_related("owner_affiliation").prefetch_related(
        "recipients")


@router.get("/totals", response=TotalsOut, summary="Totals over the projects you may see")
def portfolio_totals(request: HttpRequest, filters: Query[PortfolioQuery]) -> Any:
    return queries.portfolio_totals(queries.filtered_projects(current_user(request),
                                                              filters.filters()))


@router.get("/{project_id}", response=ProjectDetail, summary="One project")
def get_project(request: HttpRequest, project_id: RecordId) -> Project:
    return _detail(current_user(request), project_id)


@router.post("", response={201: ProjectDetail}, summary="Create a project")
def create_project(request: HttpRequest, payload: ProjectIn) -> Any:
    """Editors of a Secretariat unit, an institution or a field operation; the project is
    theirs and starts as a concept."""
    user = require_user(request)
    data = payload.dict()
    data["policy_markers"] = [dict(m) for m in data["policy_markers"]]
    project = services.create_project(user, services.ProjectIn(**data))
    return Status(201, _detail(user, project.pk))


@router.put("/{project_id}", response=ProjectDetail, summary="Replace a project's description")
def update_project(request: HttpRequest, project_id: RecordId, payload: ProjectIn) -> Project:
    """Editors of the owner. Title, descriptions, theme, sectors, markers, recipients, planned
    dates and classification are replaced; the number never changes, nor the currency once
    money is recorded (409)."""
    user = require_user(request)
    data = payload.dict()
    data["policy_markers"] = [dict(m) for m in data["policy_markers"]]
    services.update_project(user, project_id, services.ProjectIn(**data))
    return _detail(user, project_id)


@router.post("/{project_id}/steps", response=ProjectDetail,
             summary="Take a workflow step (approve, start, suspend, resume, close, cancel)")
def take_step(request: HttpRequest, project_id: RecordId, payload: StepIn) -> Project:
    """Approving is for approvers of the owner; the other steps for its editors. A step the
    workflow does not allow from the present status is a 409."""
    user = require_user(request)
    services.take_step(user, project_id, payload.action, note=payload.note, on=payload.on)
    return _detail(user, project_id)
