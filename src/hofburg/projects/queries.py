"""Every read of the projects desk, narrowed by `core.access` first.

A project the caller may not see is absent: it is in no list, no total and no export, and its
page is a 404. The records under a project (money, logframe, reports) are read through the
visible projects only, so a total never adds money from a project the caller may not see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear

from hofburg.core import updated
from hofburg.core.access import AnyUser, get_visible_or_404, visible
from hofburg.core.library import LibraryDocument, visible_documents
from hofburg.projects.engine import money
from hofburg.projects.engine.logframe import Indicator as IndicatorRule
from hofburg.projects.engine.logframe import Period, latest_progress
from hofburg.projects.models import (
    BudgetLine,
    Donor,
    Indicator,
    IndicatorPeriod,
    LogframeElement,
    ProgressReport,
    Project,
    ProjectDocument,
    Secondment,
    Transaction,
)

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))


@dataclass(frozen=True)
class PortfolioFilters:
    theme: str = ""
    dimension: str = ""
    owner: str = ""    # the owning affiliation's code
    donor: str = ""    # a donor's code
    state: str = ""    # a recipient State's ISO alpha-2 code
    status: str = ""
    exercise: bool | None = None


def visible_projects(user: AnyUser) -> QuerySet[Project]:
    return visible(Project.objects.all(), user)


def get_project(user: AnyUser, project_id: int) -> Project:
    """The project with this id that `user` may see; Http404 otherwise."""
    return get_visible_or_404(Project.objects.select_related("owner_affiliation"), user,
                              pk=project_id)


def get_project_by_number(user: AnyUser, number: str) -> Project:
    return get_visible_or_404(Project.objects.select_related("owner_affiliation"), user,
                              number=number)


def filtered_projects(user: AnyUser, filters: PortfolioFilters) -> QuerySet[Project]:
    projects = visible_projects(user)
    if filters.theme:
        projects = projects.filter(theme=filters.theme)
    if filters.dimension:
        projects = projects.filter(dimension=filters.dimension)
    if filters.owner:
        projects = projects.filter(owner_affiliation__code=filters.owner)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.state:
        projects = projects.filter(recipients__iso2=filters.state.upper())
    if filters.donor:
        projects = projects.filter(pk__in=Transaction.objects.filter(
            donor__code=filters.donor).values("project_id"))
    if filters.exercise is not None:
        projects = projects.filter(is_exercise=filters.exercise)
    return projects


def _flow_sum(flow: str) -> Subquery:
    return Subquery(
        Transaction.objects.filter(project=OuterRef("pk"), flow=flow).order_by()
        .values("project").annotate(total=Sum("value")).values("total")[:1])


def with_money(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Each project with `budget`, `pledged`, `agreed`, `received` and `spent` (subqueries,
    so the sums never multiply through a join)."""
    budget = Subquery(
        BudgetLine.objects.filter(project=OuterRef("pk")).order_by().values("project")
        .annotate(total=Sum(Coalesce("revised", "original"))).values("total")[:1])
    return projects.annotate(
        budget=Coalesce(budget, ZERO),
        pledged=Coalesce(_flow_sum("pledge"), ZERO),
        agreed=Coalesce(_flow_sum("agreement"), ZERO),
        received=Coalesce(_flow_sum("contribution"), ZERO),
        spent=Coalesce(_flow_sum("expenditure"), ZERO),
    )


@dataclass(frozen=True)
class Totals:
    count: int
    balances: money.Balances
    currencies: tuple[str, ...]


def portfolio_totals(projects: QuerySet[Project]) -> Totals:
    """Totals over `projects` (already visible and filtered), by aggregation in the database.

    Amounts of projects kept in different currencies are not added silently: `currencies`
    lists them, and a page shows the totals only when there is one.
    """
    ids = projects.values("pk")
    flows = dict(Transaction.objects.filter(project__in=ids).order_by().values("flow")
                 .annotate(total=Sum("value")).values_list("flow", "total"))
    budget = BudgetLine.objects.filter(project__in=ids).aggregate(
        total=Sum(Coalesce("revised", "original")))["total"] or Decimal(0)
    counted = projects.order_by().aggregate(n=Count("pk"))["n"]
    currencies = tuple(sorted(set(projects.order_by().values_list("currency", flat=True)
                                  .distinct())))
    return Totals(count=counted, currencies=currencies, balances=money.Balances(
        budget=budget, pledged=flows.get("pledge") or Decimal(0),
        agreed=flows.get("agreement") or Decimal(0),
        received=flows.get("contribution") or Decimal(0),
        spent=flows.get("expenditure") or Decimal(0)))


def portfolio_updated(projects: QuerySet[Project]) -> datetime | None:
    """When `projects` (already visible and filtered) or their money last changed: a project
    saved, a transaction recorded, corrected or reversed."""
    ids = projects.values("pk")
    return updated.latest(
        updated.latest_of(projects, "updated_at"),
        updated.latest_of(Transaction.with_history.filter(project__in=ids),
                          "recorded_at", "superseded_at"))


def project_balances(project: Project) -> money.Balances:
    """The project's money position, computed by the engine from its lines and transactions."""
    lines = [money.BudgetLine(line.year, line.original, line.revised)
             for line in project.budget_lines.all()]
    transactions = [money.Transaction(money.Flow(t.flow), t.value, t.value_date,
                                      donor=t.donor.code if t.donor else "", earmark=t.earmark)
                    for t in project.transactions.select_related("donor")]
    return money.balances(lines, transactions)


def contributions_by_donor_and_year(project: Project) -> list[dict[str, Any]]:
    rows = (project.transactions.filter(flow="contribution").order_by()
            .values("donor__code", "donor__name", year=ExtractYear("value_date"))
            .annotate(total=Sum("value")).order_by("donor__name", "year"))
    return list(rows)


@dataclass
class IndicatorView:
    indicator: Indicator
    periods: list[IndicatorPeriod]
    progress: Decimal | None


@dataclass
class LogframeRow:
    level: str
    code: str
    title: str
    depth: int
    indicators: list[IndicatorView] = field(default_factory=list)


def logframe(project: Project) -> list[LogframeRow]:
    """The logframe as rows in code order, each element with its indicators and periods."""
    elements = list(project.logframe.all())
    indicators = defaultdict(list)
    periods = defaultdict(list)
    for period in IndicatorPeriod.objects.filter(indicator__element__project=project):
        periods[period.indicator_id].append(period)
    for indicator in Indicator.objects.filter(element__project=project):
        rule = IndicatorRule(indicator.baseline, indicator.ascending)
        own = periods[indicator.pk]
        progress = latest_progress(rule, [Period(p.start, p.end, p.target, p.actual)
                                          for p in own])
        indicators[indicator.element_id].append(IndicatorView(indicator, own, progress))
    return [LogframeRow(level=e.level, code=e.code, title=e.title,
                        depth=e.code.count("."), indicators=indicators[e.pk])
            for e in sorted(elements, key=lambda e: [int(p) if p.isdigit() else p
                                                     for p in e.code.split(".")])]


@dataclass
class ElementRecord:
    """A logframe element with its indicators and their periods, as recorded (for the links
    that correct or delete each)."""

    element: LogframeElement
    indicators: list[tuple[Indicator, list[IndicatorPeriod]]]


def logframe_records(project: Project) -> list[ElementRecord]:
    periods = defaultdict(list)
    for period in IndicatorPeriod.objects.filter(indicator__element__project=project):
        periods[period.indicator_id].append(period)
    indicators = defaultdict(list)
    for indicator in Indicator.objects.filter(element__project=project):
        indicators[indicator.element_id].append((indicator, periods[indicator.pk]))
    return [ElementRecord(e, indicators[e.pk])
            for e in sorted(project.logframe.all(),
                            key=lambda e: [int(p) if p.isdigit() else p
                                           for p in e.code.split(".")])]


def donor_contributions(user: AnyUser, donor: Donor) -> list[dict[str, Any]]:
    """What `donor` pledged, agreed and gave to the projects `user` may see, per project."""
    rows = (Transaction.objects.filter(donor=donor, project__in=visible_projects(user)
                                       .values("pk"))
            .exclude(flow="expenditure").order_by()
            .values("project_id", "project__number", "project__title", "project__currency")
            .annotate(pledged=Sum("value", filter=Q(flow="pledge")),
                      agreed=Sum("value", filter=Q(flow="agreement")),
                      received=Sum("value", filter=Q(flow="contribution")))
            .order_by("project__number"))
    return list(rows)


def visible_secondments(user: AnyUser) -> QuerySet[Secondment]:
    return visible(Secondment.objects.all(), user)


def transactions_for(user: AnyUser) -> QuerySet[Transaction]:
    """Every transaction of the projects `user` may see."""
    return Transaction.objects.filter(project__in=visible_projects(user).values("pk"))


def indicator_periods_for(user: AnyUser) -> QuerySet[IndicatorPeriod]:
    return IndicatorPeriod.objects.filter(
        indicator__element__project__in=visible_projects(user).values("pk"))


@dataclass(frozen=True)
class LinkedDocument:
    document: LibraryDocument
    category: str


def project_documents(user: AnyUser, project: Project) -> list[LinkedDocument]:
    """The library documents linked to `project` that `user` may see (the others are neither
    listed nor counted), newest first."""
    links = dict(ProjectDocument.objects.filter(project=project)
                 .values_list("document_id", "category"))
    return [LinkedDocument(document=d, category=links[d.id])
            for d in visible_documents(user, list(links))]


def progress_reports(project: Project) -> list[ProgressReport]:
    """The project's progress reports, newest first, each with the actual values it set and
    the values they replaced (the history of every actual)."""
    return list(project.progress_reports.select_related("submitted_by")
                .prefetch_related("changes__period__indicator").order_by("-submitted_at", "-pk"))
