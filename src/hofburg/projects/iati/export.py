"""The IATI export: the projects a caller may see, read in bulk, mapped to IATI activities,
checked against the codelists and the XSD, and written only when every one is valid.

Mapping (human-dimension.md, "IATI export"): the project number → `other-identifier` (A1) and
the identifier's tail; donors → `participating-org` role 1 with incoming pledge (13),
commitment (11) and incoming funds (1) transactions naming them as provider (earmarking: the
donor's own activity id); the OSCE → role 2 (accountable, CRS channel 47131); the owning unit,
institution or field operation → role 4 (implementing); expenditure → type 4; outcomes and
outputs (and the impact) with indicators → `result` / `indicator` / `period`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from hofburg.projects.engine.logframe import IATI_RESULT_TYPE, Level
from hofburg.projects.engine.money import IATI_TRANSACTION_TYPE, Flow
from hofburg.projects.engine.workflow import IATI_ACTIVITY_STATUS, Status
from hofburg.projects.iati import xml
from hofburg.projects.iati.activity import (
    Activity,
    Budget,
    Money,
    Org,
    Result,
    ResultIndicator,
    ResultPeriod,
    check_activity,
)
from hofburg.projects.iati.schema import schema_errors
from hofburg.projects.models import (
    BudgetLine,
    Indicator,
    IndicatorPeriod,
    LogframeElement,
    Project,
    Recipient,
    Transaction,
)

OSCE_CRS_CHANNEL = "47131"  # CRSChannelCode: Organization for Security and Co-operation in Europe


@dataclass
class IatiExport:
    """The written document (None when any project is invalid) and what was wrong."""

    count: int
    content: bytes | None
    problems: dict[str, list[str]] = field(default_factory=dict)  # project number → reasons

    @property
    def valid(self) -> bool:
        return self.content is not None


def reporting_org() -> Org:
    return Org(name=settings.PROJECTS_IATI_REPORTING_ORG_NAME,
               ref=settings.PROJECTS_IATI_REPORTING_ORG,
               type=settings.PROJECTS_IATI_REPORTING_ORG_TYPE)


R = TypeVar("R")


def _grouped(rows: Iterable[R], key: Callable[[R], int]) -> dict[int, list[R]]:
    grouped: dict[int, list[R]] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


def _dates(project: Project) -> tuple[tuple[str, date], ...]:
    pairs = (("1", project.planned_start), ("2", project.actual_start),
             ("3", project.planned_end), ("4", project.actual_end))
    return tuple((kind, day) for kind, day in pairs if day is not None)


def _budgets(lines: list[BudgetLine]) -> tuple[Budget, ...]:
    budgets = []
    for line in lines:
        start, end = date(line.year, 1, 1), date(line.year, 12, 31)
        budgets.append(Budget("1", start, end, line.original))
        if line.revised is not None:
            budgets.append(Budget("2", start, end, line.revised))
    return tuple(budgets)


def _money(transactions: list[Transaction]) -> tuple[Money, ...]:
    out = []
    for t in transactions:
        provider = None
        if t.donor is not None:
            provider = Org(name=t.donor.name, ref=t.donor.iati_ref, type=t.donor.iati_type,
                           activity_id=t.donor_activity_id)
        description = t.description
        if t.earmark:
            description = f"{description} (earmarked: {t.earmark})".strip()
        out.append(Money(IATI_TRANSACTION_TYPE[Flow(t.flow)], t.value_date, t.value, provider,
                         description))
    return tuple(out)


def _results(elements: list[LogframeElement], indicators: dict[int, list[Indicator]],
             periods: dict[int, list[IndicatorPeriod]]) -> tuple[Result, ...]:
    results = []
    for element in elements:
        if element.level == Level.ACTIVITY or not indicators.get(element.pk):
            continue
        results.append(Result(
            type=IATI_RESULT_TYPE[Level(element.level)], title=f"{element.code} {element.title}",
            indicators=tuple(
                ResultIndicator(
                    title=i.title, measure=i.measure, ascending=i.ascending,
                    baseline_year=i.baseline_year, baseline=i.baseline,
                    description=(f"Means of verification: {i.means_of_verification}"
                                 if i.means_of_verification else ""),
                    periods=tuple(ResultPeriod(p.start, p.end, p.target, p.actual)
                                  for p in periods.get(i.pk, [])))
                for i in indicators[element.pk])))
    return tuple(results)


def activities(projects: QuerySet[Project]) -> list[Activity]:
    """The IATI activities of `projects` (already narrowed by core.access), in a few queries."""
    chosen = list(projects.select_related("owner_affiliation").order_by("number"))
    ids = [p.pk for p in chosen]
    recipients = _grouped(Recipient.objects.filter(project_id__in=ids).order_by("iso2"),
                          lambda r: r.project_id)
    lines = _grouped(BudgetLine.objects.filter(project_id__in=ids).order_by("year"),
                     lambda r: r.project_id)
    transactions = _grouped(Transaction.objects.filter(project_id__in=ids)
                            .select_related("donor").order_by("value_date", "pk"),
                            lambda r: r.project_id)
    elements = _grouped(LogframeElement.objects.filter(project_id__in=ids).order_by("code"),
                        lambda r: r.project_id)
    indicators = _grouped(Indicator.objects.filter(element__project_id__in=ids)
                          .order_by("pk"), lambda r: r.element_id)
    periods = _grouped(IndicatorPeriod.objects.filter(
        indicator__element__project_id__in=ids).order_by("start"), lambda r: r.indicator_id)
    osce = reporting_org()
    built = []
    for project in chosen:
        own = transactions.get(project.pk, [])
        donors = {t.donor.code: t.donor for t in own if t.donor is not None}
        owner = project.owner_affiliation
        participants: list[tuple[str, Org]] = [
            ("1", Org(name=d.name, ref=d.iati_ref, type=d.iati_type))
            for d in sorted(donors.values(), key=lambda d: d.name)]
        participants.append(("2", Org(name=osce.name, ref=osce.ref, type=osce.type,
                                      crs_channel_code=OSCE_CRS_CHANNEL)))
        participants.append(("4", Org(name=owner.name if owner else osce.name)))
        built.append(Activity(
            number=project.number, reporting_org=osce,
            title={"en": project.title, **project.titles},
            description={"en": project.description, **project.descriptions}
            if project.description else {},
            status=IATI_ACTIVITY_STATUS[Status(project.status)], currency=project.currency,
            last_updated=project.updated_at, dates=_dates(project),
            participants=tuple(participants),
            recipients=tuple(r.iso2 for r in recipients.get(project.pk, [])),
            sectors=tuple(project.dac_sectors),
            policy_markers=tuple((m["code"], m["significance"]) for m in project.policy_markers),
            budgets=_budgets(lines.get(project.pk, [])),
            transactions=_money(own),
            results=_results(elements.get(project.pk, []), indicators, periods),
            exercise=project.is_exercise))
    return built


def export_activities(built: list[Activity], generated: datetime | None = None) -> IatiExport:
    """Check, build and validate; the document only if every activity passes."""
    problems: dict[str, list[str]] = {}
    elements = []
    for activity in built:
        found = check_activity(activity)
        if found:
            problems[activity.number] = found
            continue
        elements.append((activity.number, xml.activity_element(activity)))
    if problems:
        return IatiExport(count=len(built), content=None, problems=problems)
    root = xml.document([element for _n, element in elements], generated or timezone.now())
    if not built or schema_errors(root):
        if not built:
            return IatiExport(count=0, content=None,
                              problems={"": ["no project to export (IATI needs at least one "
                                             "activity)"]})
        # Name the activities the schema refuses, each validated on its own.
        for number, element in elements:
            errors = schema_errors(xml.document([element], generated or timezone.now()))
            if errors:
                problems[number] = errors
        return IatiExport(count=len(built), content=None, problems=problems or {
            "": schema_errors(root)})
    return IatiExport(count=len(built), content=xml.serialize(root))


def export_projects(projects: QuerySet[Project]) -> IatiExport:
    """The IATI document of `projects` (already narrowed by core.access and filtered)."""
    return export_activities(activities(projects))
