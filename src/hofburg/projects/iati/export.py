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
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from hofburg.core.library import visible_documents
from hofburg.core.models import Classification
from hofburg.projects.engine.logframe import IATI_RESULT_TYPE, Level
from hofburg.projects.engine.money import IATI_TRANSACTION_TYPE, Flow
from hofburg.projects.engine.workflow import IATI_ACTIVITY_STATUS, Status
from hofburg.projects.iati import xml
from hofburg.projects.iati.activity import (
    Activity,
    Budget,
    DocumentLink,
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
    ProjectDocument,
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


def _budgets(lines: list[tuple[int, Decimal, Decimal | None]]) -> tuple[Budget, ...]:
    budgets = []
    for year, original, revised in lines:
        start, end = date(year, 1, 1), date(year, 12, 31)
        budgets.append(Budget("1", start, end, original))
        if revised is not None:
            budgets.append(Budget("2", start, end, revised))
    return tuple(budgets)


# One transaction as read: flow, value, value date, description, earmark, the donor's activity
# id, and the donor's name, IATI identifier and type (None without a donor).
TransactionRow = tuple[str, Decimal, date, str, str, str, str | None, str | None, str | None]


def _money(rows: list[TransactionRow]) -> tuple[Money, ...]:
    out = []
    for flow, value, on, description, earmark, activity_id, name, ref, kind in rows:
        provider = None
        if name is not None:
            provider = Org(name=name, ref=ref or "", type=kind or "", activity_id=activity_id)
        if earmark:
            description = f"{description} (earmarked: {earmark})".strip()
        out.append(Money(IATI_TRANSACTION_TYPE[Flow(flow)], on, value, provider, description))
    return tuple(out)


# (element id, level, code, title) and (indicator id, element id, title, measure, ascending,
# baseline year, baseline, means of verification) and (indicator id, start, end, target, actual).
ElementRow = tuple[int, str, str, str]
IndicatorRow = tuple[int, int, str, str, bool, int, Decimal, str]
PeriodRow = tuple[int, date, date, Decimal | None, Decimal | None]


def _results(elements: list[ElementRow], indicators: dict[int, list[IndicatorRow]],
             periods: dict[int, list[PeriodRow]]) -> tuple[Result, ...]:
    results = []
    for element_id, level, code, title in elements:
        if level == Level.ACTIVITY or not indicators.get(element_id):
            continue
        results.append(Result(
            type=IATI_RESULT_TYPE[Level(level)], title=f"{code} {title}",
            indicators=tuple(
                ResultIndicator(
                    title=i_title, measure=measure, ascending=ascending,
                    baseline_year=baseline_year, baseline=baseline,
                    description=f"Means of verification: {means}" if means else "",
                    periods=tuple(ResultPeriod(start, end, target, actual)
                                  for _i, start, end, target, actual
                                  in periods.get(indicator_id, [])))
                for indicator_id, _e, i_title, measure, ascending, baseline_year, baseline,
                means in indicators[element_id])))
    return tuple(results)


def _document_links(ids: QuerySet[Any], site_url: str) -> dict[int, list[DocumentLink]]:
    """The public documents linked to the projects: read as the public reads the library, so
    a document that is not public is never named, whoever exports."""
    links = list(ProjectDocument.objects.filter(project__in=ids).order_by("pk")
                 .values_list("project_id", "document_id", "category"))
    public = {d.id: d for d in visible_documents(AnonymousUser(), [r[1] for r in links])
              if d.classification == Classification.PUBLIC}
    base = site_url.rstrip("/")
    found: dict[int, list[DocumentLink]] = defaultdict(list)
    for project_id, document_id, category in links:
        document = public.get(document_id)
        if document is None:
            continue
        found[project_id].append(DocumentLink(
            url=f"{base}/documents/{document.id}/", title=f"{document.symbol} {document.title}",
            category=category, languages=document.languages, day=document.date))
    return found


def activities(projects: QuerySet[Project], site_url: str = "") -> list[Activity]:
    """The IATI activities of `projects` (already narrowed by core.access), in a few queries
    that read plain rows (no model instances: an export of thousands of projects reads
    hundreds of thousands of rows). Linked public documents are addressed under `site_url`
    (the site's public address)."""
    chosen = list(projects.select_related("owner_affiliation").order_by("number"))
    ids = projects.values("pk")
    recipients = _grouped(Recipient.objects.filter(project__in=ids).order_by("iso2")
                          .values_list("project_id", "iso2"), lambda r: r[0])
    lines = _grouped(BudgetLine.objects.filter(project__in=ids).order_by("year")
                     .values_list("project_id", "year", "original", "revised"), lambda r: r[0])
    transactions = _grouped(
        Transaction.objects.filter(project__in=ids).order_by("value_date", "pk").values_list(
            "project_id", "flow", "value", "value_date", "description", "earmark",
            "donor_activity_id", "donor__code", "donor__name", "donor__iati_ref",
            "donor__iati_type"), lambda r: r[0])
    elements = _grouped(LogframeElement.objects.filter(project__in=ids).order_by("code")
                        .values_list("project_id", "pk", "level", "code", "title"),
                        lambda r: r[0])
    indicators = _grouped(Indicator.objects.filter(element__project__in=ids).order_by("pk")
                          .values_list("element_id", "pk", "element_id", "title", "measure",
                                       "ascending", "baseline_year", "baseline",
                                       "means_of_verification"), lambda r: r[0])
    periods = _grouped(IndicatorPeriod.objects.filter(indicator__element__project__in=ids)
                       .order_by("start").values_list("indicator_id", "start", "end",
                                                      "target", "actual"), lambda r: r[0])
    documents = _document_links(ids, site_url or settings.PROJECTS_IATI_SITE_URL)
    osce = reporting_org()
    accountable = ("2", Org(name=osce.name, ref=osce.ref, type=osce.type,
                            crs_channel_code=OSCE_CRS_CHANNEL))
    built = []
    for project in chosen:
        own = transactions.get(project.pk, [])
        own_elements = elements.get(project.pk, [])
        donors = {row[7]: Org(name=row[8], ref=row[9], type=row[10])
                  for row in own if row[7] is not None}
        owner = project.owner_affiliation
        participants: list[tuple[str, Org]] = [
            ("1", org) for org in sorted(donors.values(), key=lambda o: o.name)]
        participants += [accountable, ("4", Org(name=owner.name if owner else osce.name))]
        built.append(Activity(
            number=project.number, reporting_org=osce,
            title={"en": project.title, **project.titles},
            description={"en": project.description, **project.descriptions}
            if project.description else {},
            status=IATI_ACTIVITY_STATUS[Status(project.status)], currency=project.currency,
            last_updated=project.updated_at, dates=_dates(project),
            participants=tuple(participants),
            recipients=tuple(iso2 for _p, iso2 in recipients.get(project.pk, [])),
            sectors=tuple(project.dac_sectors),
            policy_markers=tuple((m["code"], m["significance"]) for m in project.policy_markers),
            budgets=_budgets([row[1:] for row in lines.get(project.pk, [])]),
            transactions=_money([(r[1], r[2], r[3], r[4], r[5], r[6], r[8], r[9], r[10])
                                 for r in own]),
            results=_results([row[1:] for row in own_elements],
                             _indicator_rows(indicators, own_elements),
                             _period_rows(periods, indicators, own_elements)),
            documents=tuple(documents.get(project.pk, [])),
            exercise=project.is_exercise))
    return built


def _indicator_rows(indicators: dict[int, list[Any]],
                    elements: list[Any]) -> dict[int, list[IndicatorRow]]:
    return {row[1]: [i[1:] for i in indicators.get(row[1], [])] for row in elements}


def _period_rows(periods: dict[int, list[Any]], indicators: dict[int, list[Any]],
                 elements: list[Any]) -> dict[int, list[PeriodRow]]:
    found: dict[int, list[PeriodRow]] = {}
    for row in elements:
        for indicator in indicators.get(row[1], []):
            found[indicator[1]] = periods.get(indicator[1], [])
    return found


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


def export_projects(projects: QuerySet[Project], site_url: str = "") -> IatiExport:
    """The IATI document of `projects` (already narrowed by core.access and filtered);
    `site_url` is the site's public address (default `HOFBURG_PROJECTS_IATI_SITE_URL`)."""
    return export_activities(activities(projects, site_url))
