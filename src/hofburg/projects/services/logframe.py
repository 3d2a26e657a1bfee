"""The logframe: impact, outcomes, outputs and activities; indicators with their baseline and
targets per period; progress reports that set actual values and keep what they replaced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hofburg.core.access import AnyUser
from hofburg.core.errors import Conflict, Invalid, NotFound
from hofburg.core.models import User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.projects import bounds
from hofburg.projects.engine.logframe import Level, LogframeError, check_parent
from hofburg.projects.models import (
    ActualChange,
    Indicator,
    IndicatorPeriod,
    LogframeElement,
    ProgressReport,
)
from hofburg.projects.services.common import day, measure, project_for_editing, text, year


def add_logframe_element(user: AnyUser, project_id: int, *, level: str, code: str, title: str,
                         parent_code: str = "", description: str = "") -> LogframeElement:
    """Add an impact (at the top), an outcome under an impact, an output under an outcome or an
    activity under an output; `code` ("1.2") is unique within the project."""
    if level not in {lv.value for lv in Level}:
        raise Invalid(f"Unknown level {level!r}.", field="level")
    code = text(code, "code", max_length=bounds.MAX_LOGFRAME_CODE, required=True)
    title = text(title, "title", max_length=bounds.MAX_LOGFRAME_TITLE,
                 required=True)
    description = text(description, "description", max_length=bounds.MAX_DESCRIPTION)
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        parent = None
        if parent_code:
            parent = LogframeElement.objects.filter(project=project, code=parent_code).first()
            if parent is None:
                raise Invalid(f"No element {parent_code!r} in this logframe.",
                              field="parent_code")
        try:
            check_parent(level, parent.level if parent else None)
        except LogframeError as exc:
            raise Invalid(str(exc), field="parent_code") from exc
        if LogframeElement.objects.filter(project=project, code=code).exists():
            raise Conflict(f"The logframe already has an element {code}.", field="code")
        element = LogframeElement.objects.create(project=project, level=level, parent=parent,
                                                 code=code, title=title,
                                                 description=description)
        record_change(user, "create", element, None, snapshot(element))
    return element


@dataclass(frozen=True)
class IndicatorIn:
    element_code: str
    title: str
    baseline: Decimal
    baseline_year: int
    measure: str = "1"  # IATI IndicatorMeasure: 1 unit, 2 percentage
    ascending: bool = True
    means_of_verification: str = ""


def add_indicator(user: AnyUser, project_id: int, given: IndicatorIn) -> Indicator:
    """An indicator of an impact, outcome or output (activities have none)."""
    title = text(given.title, "title", max_length=bounds.MAX_LOGFRAME_TITLE,
                 required=True)
    base = measure(given.baseline, "baseline")
    year(given.baseline_year, "baseline_year")
    if given.measure not in Indicator.Measure.values:
        raise Invalid(f"Unknown measure {given.measure!r}.", field="measure")
    means = text(given.means_of_verification, "means_of_verification",
                 max_length=bounds.MAX_DESCRIPTION)
    element_code = given.element_code
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        element = LogframeElement.objects.filter(project=project, code=element_code).first()
        if element is None:
            raise Invalid(f"No element {element_code!r} in this logframe.",
                          field="element_code")
        if element.level == Level.ACTIVITY:
            raise Invalid("Activities have no indicators; measure their output.",
                          field="element_code")
        indicator = Indicator.objects.create(element=element, title=title,
                                             measure=given.measure, ascending=given.ascending,
                                             baseline=base, baseline_year=given.baseline_year,
                                             means_of_verification=means)
        record_change(user, "create", indicator, None, snapshot(indicator))
    return indicator


def _indicator_for_editing(user: AnyUser, indicator_id: int) -> Indicator:
    indicator = (Indicator.objects.select_related("element").filter(pk=indicator_id).first())
    if indicator is None:
        raise NotFound("No such indicator.", field="indicator")
    try:
        project_for_editing(user, indicator.element.project_id)
    except NotFound as exc:
        raise NotFound("No such indicator.", field="indicator") from exc
    return indicator


def set_target(user: AnyUser, indicator_id: int, *, start: date, end: date,
               target: Decimal) -> IndicatorPeriod:
    """Set the target of a period (created if new); periods of an indicator may not overlap."""
    day(start, "start")
    day(end, "end")
    if end < start:
        raise Invalid("The period ends before it starts.", field="end")
    value = measure(target, "target")
    with transaction.atomic():
        indicator = _indicator_for_editing(user, indicator_id)
        period = IndicatorPeriod.objects.filter(indicator=indicator, start=start).first()
        if period is not None and period.end != end:
            raise Conflict("A period with this start has another end.", field="end")
        overlapping = IndicatorPeriod.objects.filter(indicator=indicator, start__lte=end,
                                                     end__gte=start)
        if period is not None:
            overlapping = overlapping.exclude(pk=period.pk)
        if overlapping.exists():
            raise Conflict("The period overlaps another period of this indicator.",
                           field="start")
        before = snapshot(period) if period else None
        if period is None:
            period = IndicatorPeriod.objects.create(indicator=indicator, start=start, end=end,
                                                    target=value)
        else:
            period.target = value
            period.save(update_fields=["target"])
        record_change(user, "update" if before else "create", period, before, snapshot(period))
    return period


def submit_progress_report(user: AnyUser, project_id: int, *, period_end: date,
                           actuals: list[tuple[int, Decimal]],
                           summary: str = "") -> ProgressReport:
    """A progress report up to `period_end`: each (period id, actual value) sets that period's
    actual value, and the report keeps the value it replaced. Periods must belong to the
    project and have started by `period_end`; a period may appear once."""
    day(period_end, "period_end")
    summary = text(summary, "summary", max_length=bounds.MAX_DESCRIPTION)
    if not actuals:
        raise Invalid("A progress report sets at least one actual value.", field="actuals")
    if len(actuals) > bounds.MAX_ACTUALS:
        raise Invalid(f"At most {bounds.MAX_ACTUALS} values per report.", field="actuals")
    ids = [period_id for period_id, _value in actuals]
    if len(set(ids)) != len(ids):
        raise Invalid("A period appears twice.", field="actuals")
    values = [measure(value, f"actuals[{index}]")
              for index, (_pid, value) in enumerate(actuals)]
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        periods = {p.pk: p for p in IndicatorPeriod.objects.select_for_update().filter(
            pk__in=ids, indicator__element__project=project)}
        for index, period_id in enumerate(ids):
            period = periods.get(period_id)
            if period is None:
                raise Invalid(f"Period {period_id} is not a period of this project.",
                              field=f"actuals[{index}]")
            if period.start > period_end:
                raise Invalid(f"Period {period_id} starts after {period_end}.",
                              field=f"actuals[{index}]")
        report = ProgressReport.objects.create(
            project=project, period_end=period_end, summary=summary,
            submitted_by=user if isinstance(user, User) else None, submitted_at=timezone.now())
        for period_id, value in zip(ids, values, strict=True):
            period = periods[period_id]
            ActualChange.objects.create(report=report, period=period, before=period.actual,
                                        after=value)
            before = snapshot(period)
            period.actual = value
            period.save(update_fields=["actual"])
            record_change(user, "report", period, before, snapshot(period))
        record_change(user, "create", report, None, snapshot(report))
    return report
