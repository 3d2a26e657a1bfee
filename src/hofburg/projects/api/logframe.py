"""API: a project's logframe, its indicators' targets and the progress reports."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from hofburg.core.api import current_user, require_user
from hofburg.core.bounds import Day, RecordId, Year
from hofburg.projects import bounds, queries
from hofburg.projects.engine.logframe import Level
from hofburg.projects.models import Indicator
from hofburg.projects.services import corrections
from hofburg.projects.services import logframe as services

router = Router()
T = TypeVar("T")


class PeriodOut(Schema):
    id: int
    start: dt.date
    end: dt.date
    target: Decimal | None
    actual: Decimal | None


class IndicatorOut(Schema):
    id: int
    title: str
    measure: str
    ascending: bool
    baseline: Decimal
    baseline_year: int
    means_of_verification: str
    progress: Decimal | None
    periods: list[PeriodOut]


class LogframeRowOut(Schema):
    level: str
    code: str
    title: str
    indicators: list[IndicatorOut]


class ElementIn(Schema):
    level: Level
    code: str = Field(..., min_length=1, max_length=bounds.MAX_LOGFRAME_CODE,
                      examples=["1.1"])
    title: str = Field(..., min_length=1, max_length=bounds.MAX_LOGFRAME_TITLE)
    parent_code: str = Field("", max_length=bounds.MAX_LOGFRAME_CODE)
    description: str = Field("", max_length=bounds.MAX_DESCRIPTION)


class ElementOut(Schema):
    id: int
    level: str
    code: str
    title: str


class IndicatorIn(Schema):
    element_code: str = Field(..., min_length=1, max_length=bounds.MAX_LOGFRAME_CODE)
    title: str = Field(..., min_length=1, max_length=bounds.MAX_LOGFRAME_TITLE)
    baseline: bounds.Measure
    baseline_year: Year
    measure: Indicator.Measure = Indicator.Measure.UNIT
    ascending: bool = True
    means_of_verification: str = Field("", max_length=bounds.MAX_DESCRIPTION)


class TargetIn(Schema):
    start: Day
    end: Day
    target: bounds.Measure


class ActualIn(Schema):
    period: RecordId
    actual: bounds.Measure


class ReportIn(Schema):
    period_end: Day
    summary: str = Field("", max_length=bounds.MAX_DESCRIPTION)
    actuals: list[ActualIn] = Field(..., min_length=1, max_length=bounds.MAX_ACTUALS)


class ReportOut(Schema):
    id: int
    period_end: dt.date
    summary: str
    submitted_at: dt.datetime


def _rows(project: Any) -> list[dict[str, Any]]:
    return [{"level": row.level, "code": row.code, "title": row.title, "indicators": [
        {"id": view.indicator.pk, "title": view.indicator.title,
         "measure": view.indicator.measure, "ascending": view.indicator.ascending,
         "baseline": view.indicator.baseline, "baseline_year": view.indicator.baseline_year,
         "means_of_verification": view.indicator.means_of_verification,
         "progress": view.progress, "periods": view.periods}
        for view in row.indicators]} for row in queries.logframe(project)]


@router.get("/{project_id}/logframe", response=list[LogframeRowOut],
            summary="A project's logframe with indicators, targets and actuals")
def get_logframe(request: HttpRequest, project_id: RecordId) -> list[dict[str, Any]]:
    return _rows(queries.get_project(current_user(request), project_id))


@router.post("/{project_id}/logframe", response={201: ElementOut},
             summary="Add an impact, outcome, output or activity")
def add_element(request: HttpRequest, project_id: RecordId, payload: ElementIn) -> Any:
    element = services.add_logframe_element(
        require_user(request), project_id, level=payload.level, code=payload.code,
        title=payload.title, parent_code=payload.parent_code, description=payload.description)
    return Status(201, element)


@router.post("/{project_id}/indicators", response={201: IndicatorOut},
             summary="Add an indicator to an impact, outcome or output")
def add_indicator(request: HttpRequest, project_id: RecordId, payload: IndicatorIn) -> Any:
    indicator = services.add_indicator(require_user(request), project_id, services.IndicatorIn(
        element_code=payload.element_code, title=payload.title, baseline=payload.baseline,
        baseline_year=payload.baseline_year, measure=payload.measure,
        ascending=payload.ascending, means_of_verification=payload.means_of_verification))
    return Status(201, {"id": indicator.pk, "title": indicator.title,
                        "measure": indicator.measure, "ascending": indicator.ascending,
                        "baseline": indicator.baseline,
                        "baseline_year": indicator.baseline_year,
                        "means_of_verification": indicator.means_of_verification,
                        "progress": None, "periods": []})


@router.post("/indicators/{indicator_id}/periods", response=PeriodOut,
             summary="Set the target of an indicator's period")
def set_target(request: HttpRequest, indicator_id: RecordId, payload: TargetIn) -> Any:
    return services.set_target(require_user(request), indicator_id, start=payload.start,
                               end=payload.end, target=payload.target)


@router.post("/{project_id}/reports", response={201: ReportOut},
             summary="Submit a progress report setting actual values")
def submit_report(request: HttpRequest, project_id: RecordId, payload: ReportIn) -> Any:
    report = services.submit_progress_report(
        require_user(request), project_id, period_end=payload.period_end,
        summary=payload.summary, actuals=[(a.period, a.actual) for a in payload.actuals])
    return Status(201, report)


# -- corrections and deletions (decision 0049) -------------------------------------------------


class Reason(Schema):
    reason: str = Field(..., min_length=1, max_length=bounds.MAX_REASON,
                        description="Why: kept with the correction, the caller and the time.")


class ElementCorrectionIn(Reason):
    code: str = Field(..., min_length=1, max_length=bounds.MAX_LOGFRAME_CODE)
    title: str = Field(..., min_length=1, max_length=bounds.MAX_LOGFRAME_TITLE)
    description: str = Field("", max_length=bounds.MAX_DESCRIPTION)


class IndicatorCorrectionIn(Reason):
    title: str = Field(..., min_length=1, max_length=bounds.MAX_LOGFRAME_TITLE)
    baseline: bounds.Measure
    baseline_year: Year
    measure: Indicator.Measure = Indicator.Measure.UNIT
    ascending: bool = True
    means_of_verification: str = Field("", max_length=bounds.MAX_DESCRIPTION)


class IndicatorCorrectedOut(Schema):
    id: int
    title: str
    measure: str
    ascending: bool
    baseline: Decimal
    baseline_year: int
    means_of_verification: str


class PeriodCorrectionIn(Reason):
    start: Day
    end: Day
    target: bounds.Measure | None = None


class ActualCorrectionIn(Reason):
    actual: bounds.Measure | None = Field(..., description="None withdraws the value reported.")


def _change(service: Callable[..., T], request: HttpRequest, project_id: int, record_id: int,
            payload: Reason, fix: Callable[..., Any] | None = None) -> T:
    """One correction or deletion of a record of the project, by the caller: the payload's
    fields are the service's keyword arguments. With `fix`, the fields other than the reason
    are first made into the one value the service takes (an indicator's `IndicatorFix`)."""
    given = payload.dict()
    reason = given.pop("reason")
    if fix is None:
        return service(require_user(request), project_id, record_id, reason=reason, **given)
    return service(require_user(request), project_id, record_id, fix(**given), reason=reason)


@router.post("/{project_id}/logframe/{element_id}/correction", response=ElementOut,
             summary="Correct a logframe element's code, title or description")
def correct_element(request: HttpRequest, project_id: RecordId, element_id: RecordId,
                    payload: ElementCorrectionIn) -> Any:
    return _change(corrections.correct_element, request, project_id, element_id, payload)


@router.post("/{project_id}/logframe/{element_id}/deletion", response={204: None},
             summary="Delete a logframe element nothing depends on (again changes nothing)")
def delete_element(request: HttpRequest, project_id: RecordId, element_id: RecordId,
                   payload: Reason) -> HttpResponse:
    _change(corrections.delete_element, request, project_id, element_id, payload)
    return HttpResponse(status=204)


@router.post("/{project_id}/indicators/{indicator_id}/correction",
             response=IndicatorCorrectedOut, summary="Correct an indicator")
def correct_indicator(request: HttpRequest, project_id: RecordId, indicator_id: RecordId,
                      payload: IndicatorCorrectionIn) -> Any:
    return _change(corrections.correct_indicator, request, project_id, indicator_id, payload,
                   fix=corrections.IndicatorFix)


@router.post("/{project_id}/indicators/{indicator_id}/deletion", response={204: None},
             summary="Delete an indicator without periods (again changes nothing)")
def delete_indicator(request: HttpRequest, project_id: RecordId, indicator_id: RecordId,
                     payload: Reason) -> HttpResponse:
    _change(corrections.delete_indicator, request, project_id, indicator_id, payload)
    return HttpResponse(status=204)


@router.post("/{project_id}/periods/{period_id}/correction", response=PeriodOut,
             summary="Correct a period's dates or target")
def correct_period(request: HttpRequest, project_id: RecordId, period_id: RecordId,
                   payload: PeriodCorrectionIn) -> Any:
    return _change(corrections.correct_period, request, project_id, period_id, payload)


@router.post("/{project_id}/periods/{period_id}/actual", response=PeriodOut,
             summary="Correct the actual value reported for a period (history kept)")
def correct_actual(request: HttpRequest, project_id: RecordId, period_id: RecordId,
                   payload: ActualCorrectionIn) -> Any:
    return _change(corrections.correct_actual, request, project_id, period_id, payload)


@router.post("/{project_id}/periods/{period_id}/deletion", response={204: None},
             summary="Delete a period of which no actual was reported (again changes nothing)")
def delete_period(request: HttpRequest, project_id: RecordId, period_id: RecordId,
                  payload: Reason) -> HttpResponse:
    _change(corrections.delete_period, request, project_id, period_id, payload)
    return HttpResponse(status=204)
