"""The values of one IATI activity, as plain data, and the checks of its codes against the
shipped IATI codelists (human-dimension.md §5.2; the mapping of a project to IATI is the
reference's "IATI export" implications)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from hofburg.projects.engine.codelists import codelist

# IATI identifiers may not hold spaces or the characters / & | ? (the IATI ruleset); we allow
# the plain characters of OSCE-style project numbers.
IDENTIFIER_PART = re.compile(r"[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Org:
    name: str
    ref: str = ""
    type: str = ""
    crs_channel_code: str = ""
    activity_id: str = ""


@dataclass(frozen=True)
class Budget:
    type: str            # BudgetType: 1 original, 2 revised
    start: date
    end: date
    value: Decimal


@dataclass(frozen=True)
class Money:
    type: str            # TransactionType: 13 pledge, 11 commitment, 1 funds, 4 expenditure
    on: date
    value: Decimal
    provider: Org | None = None
    description: str = ""


@dataclass(frozen=True)
class ResultPeriod:
    start: date
    end: date
    target: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class ResultIndicator:
    title: str
    measure: str         # IndicatorMeasure
    ascending: bool
    baseline_year: int
    baseline: Decimal
    description: str = ""
    periods: tuple[ResultPeriod, ...] = ()


@dataclass(frozen=True)
class Result:
    type: str            # ResultType: 1 output, 2 outcome, 3 impact
    title: str
    indicators: tuple[ResultIndicator, ...]


@dataclass(frozen=True)
class DocumentLink:
    """A public document of the activity: where it is read, what it is, its languages."""

    url: str
    title: str
    category: str                     # DocumentCategory (A01-A12)
    languages: tuple[str, ...] = ()   # Language codes
    day: date | None = None
    format: str = "text/html"         # FileFormat: the library's page of the document


@dataclass(frozen=True)
class Activity:
    number: str                          # the OSCE project number
    reporting_org: Org
    title: dict[str, str]                # language → text, "en" first
    description: dict[str, str]
    status: str                          # ActivityStatus
    currency: str
    last_updated: datetime
    dates: tuple[tuple[str, date], ...]  # (ActivityDateType, day)
    participants: tuple[tuple[str, Org], ...]  # (OrganisationRole, org)
    recipients: tuple[str, ...] = ()     # Country codes
    sectors: tuple[str, ...] = ()        # DAC 5-digit codes (vocabulary 1)
    policy_markers: tuple[tuple[str, str], ...] = ()  # (PolicyMarker, PolicySignificance)
    budgets: tuple[Budget, ...] = ()
    transactions: tuple[Money, ...] = ()
    results: tuple[Result, ...] = ()
    documents: tuple[DocumentLink, ...] = ()
    exercise: bool = False
    problems: list[str] = field(default_factory=list, compare=False)

    @property
    def identifier(self) -> str:
        return f"{self.reporting_org.ref}-{self.number}"


def _check(codelist_name: str, code: str, what: str, problems: list[str]) -> None:
    if code not in codelist(codelist_name):
        problems.append(f"{what} {code!r} is not in the IATI {codelist_name} codelist")


def _check_parties(activity: Activity, problems: list[str]) -> None:
    if activity.reporting_org.type:
        _check("OrganisationType", activity.reporting_org.type, "reporting-org type", problems)
    for role, org in activity.participants:
        _check("OrganisationRole", role, "organisation role", problems)
        if org.type:
            _check("OrganisationType", org.type, f"organisation type of {org.name}", problems)
        if org.crs_channel_code:
            _check("CRSChannelCode", org.crs_channel_code, "CRS channel code", problems)


def _check_classification(activity: Activity, problems: list[str]) -> None:
    for country in activity.recipients:
        _check("Country", country, "recipient country", problems)
    for sector in activity.sectors:
        _check("Sector", sector, "DAC sector", problems)
    for marker, significance in activity.policy_markers:
        _check("PolicyMarker", marker, "policy marker", problems)
        _check("PolicySignificance", significance, "policy significance", problems)


def _check_money(activity: Activity, problems: list[str]) -> None:
    for budget in activity.budgets:
        _check("BudgetType", budget.type, "budget type", problems)
        if budget.end < budget.start:
            problems.append(f"a budget period ends before it starts ({budget.start})")
    for money in activity.transactions:
        _check("TransactionType", money.type, "transaction type", problems)
        if money.provider is not None and money.provider.type:
            _check("OrganisationType", money.provider.type,
                   f"organisation type of {money.provider.name}", problems)


def _check_results(activity: Activity, problems: list[str]) -> None:
    for result in activity.results:
        _check("ResultType", result.type, "result type", problems)
        for indicator in result.indicators:
            _check("IndicatorMeasure", indicator.measure, "indicator measure", problems)
            if indicator.baseline_year < 1:
                problems.append(f"indicator {indicator.title!r} has no baseline year")


def _check_documents(activity: Activity, problems: list[str]) -> None:
    for link in activity.documents:
        if not link.url.startswith(("https://", "http://")):
            problems.append(f"document {link.title!r} has no web address: set "
                            "HOFBURG_PROJECTS_IATI_SITE_URL to the site's public address")
        _check("DocumentCategory", link.category, "document category", problems)
        _check("FileFormat", link.format, "document format", problems)
        for language in link.languages:
            _check("Language", language, "document language", problems)


def check_activity(activity: Activity) -> list[str]:
    """Why `activity` cannot be published as IATI: codes outside the codelists, an identifier
    the standard does not allow, required content missing. An empty list: nothing found."""
    problems: list[str] = []
    if not IDENTIFIER_PART.fullmatch(activity.number):
        problems.append(f"project number {activity.number!r} holds characters an IATI "
                        "identifier may not (only letters, digits, '.', '_' and '-')")
    if not activity.reporting_org.ref:
        problems.append("no reporting organisation identifier is configured")
    if not activity.description.get("en"):
        problems.append("no description (IATI requires one)")
    if not any(kind in ("1", "2") for kind, _day in activity.dates):
        problems.append("no planned or actual start date (IATI requires an activity date)")
    _check("ActivityStatus", activity.status, "activity status", problems)
    _check("Currency", activity.currency, "currency", problems)
    for kind, _day in activity.dates:
        _check("ActivityDateType", kind, "activity date type", problems)
    _check_parties(activity, problems)
    _check_classification(activity, problems)
    _check_money(activity, problems)
    _check_results(activity, problems)
    _check_documents(activity, problems)
    return problems
