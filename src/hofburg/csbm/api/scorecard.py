"""The scorecard of a year."""


# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from hofburg.core.api import current_user
from hofburg.core.bounds import (
    Day,
    Year,
)
from hofburg.csbm import exports, rulesets
from hofburg.csbm.api.common import (
    Format,
    download,
    ruleset_named,
)
from hofburg.csbm.scorecard import ScorecardRow, build_scorecard

router = Router()


class BreachOut(Schema):
    rule: str
    paragraph: str | None
    activities: list[str]
    period: str
    message: str


class ScorecardOut(Schema):
    state: str
    state_name: str
    year: int
    exchange_status: str
    exchange_submitted_on: dt.date | None
    exchange_due_on: dt.date
    declared_quota_mismatch: bool
    calendar_status: str
    calendar_submitted_on: dt.date | None
    calendar_due_on: dt.date
    notifiable_activities: int
    late_notifications: int
    missing_notifications: int
    breaches: list[BreachOut]
    issues: int


@router.get("/scorecard/{year}", response=list[ScorecardOut],
            summary="Compliance scorecard of every State for a year")
def scorecard(request: HttpRequest, year: Year, ruleset: str = rulesets.DEFAULT_RULESET,
              as_of: Day | None = None) -> list[ScorecardRow]:
    return build_scorecard(year, current_user(request), ruleset_named(ruleset), as_of)


@router.get("/scorecard/{year}/export", response={200: None},
            summary="The scorecard as CSV, XLSX or JSON")
def scorecard_export(request: HttpRequest, year: Year, format: Format = "csv",
                     ruleset: str = rulesets.DEFAULT_RULESET) -> HttpResponse:
    rows = build_scorecard(year, current_user(request), ruleset_named(ruleset))
    return download(exports.scorecard_table(rows), format, f"csbm-scorecard-{year}")
