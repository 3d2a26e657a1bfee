"""The desk home, the quota board, the scorecard, the calendar and an activity's page.

Everything is read through `queries`, which narrows every record to what the user may see.
"""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from hofburg.core import access, updated
from hofburg.core import filters as list_filters
from hofburg.core.tables import CONTENT_TYPES
from hofburg.csbm import exports, queries
from hofburg.csbm.engine import deadlines
from hofburg.csbm.engine import quotas as quota_engine
from hofburg.csbm.engine.classify import (
    Classification,
)
from hofburg.csbm.forms import (
    CalendarForm,
    ScorecardForm,
    YearForm,
)
from hofburg.csbm.models import Activity as StoredActivity
from hofburg.csbm.models import AnnualCalendar, AnnualExchange, Notification
from hofburg.csbm.rulesets import get_ruleset
from hofburg.csbm.scorecard import ScorecardRow, build_scorecard
from hofburg.csbm.scorecard import Status as ScoreStatus
from hofburg.csbm.services import engine_activity
from hofburg.csbm.views.checker import Answer

# -- desk home, quota board, scorecard, calendar -------------------------------------------


def this_year() -> int:
    return timezone.localdate().year


@dataclass(frozen=True)
class ActivityLine:
    """A stored activity with its answer under the agreed ruleset."""

    record: StoredActivity
    classification: Classification

    @property
    def overdue(self) -> bool:
        due = self.classification.notify_by
        return due is not None and deadlines.standing(
            self.record.notified_on, due, timezone.localdate()) is deadlines.Standing.MISSING


def _classified(records: Iterable[StoredActivity]) -> list[ActivityLine]:
    return [ActivityLine(record, queries.classify_activity(record)) for record in records]


UPCOMING_DAYS = 120


@require_safe
def desk_home(request: HttpRequest) -> HttpResponse:
    """Upcoming notifiable activities, what is overdue, and this year's quota board at a glance."""
    today = timezone.localdate()
    year = today.year
    user = request.user
    upcoming = [line for line in _classified(
        queries.visible_activities(user).filter(
            start__gte=today, start__lte=today + timedelta(days=UPCOMING_DAYS))
        .exclude(status=StoredActivity.Status.CANCELLED).order_by("start", "pk"))
        if line.classification.notifiable or line.classification.notification_undetermined]
    # Every year whose submissions can be overdue today: near the year's end also the next one
    # (its calendar is due on 15 November, its exchange on 15 December: deadlines.years_due).
    due_years = deadlines.years_due(today, get_ruleset())
    overdue = sorted((row for due_year in due_years for row in build_scorecard(due_year, user)
                      if ScoreStatus.MISSING in {row.exchange_status, row.calendar_status}
                      or row.missing_notifications),
                     key=lambda row: (folded(row.state_name), row.year))
    board = quota_lines(year, user)
    entitled = access.is_entitled(user)
    return render(request, "csbm/home.html", {
        # When the records behind each card last changed, among those the reader may see.
        "upcoming_updated": updated.latest(*(line.record.updated_at for line in upcoming)),
        "overdue_updated": updated.latest(
            updated.latest_of(access.visible(AnnualExchange.objects.filter(year__in=due_years),
                                             user), "created_at"),
            updated.latest_of(access.visible(AnnualCalendar.objects.filter(year__in=due_years),
                                             user), "created_at"),
            updated.latest_of(access.visible(
                Notification.objects.filter(activity__start__year__in=due_years), user)
                .filter(activity__in=queries.visible_activities(user).values("pk")),
                "created_at"),
        ) if entitled else None,
        "quota_updated": updated.latest_of(queries.visible_visits(user).filter(on__year=year),
                                           "created_at", "outcome_recorded_at"),
        "year": year,
        "today": today,
        "upcoming_days": UPCOMING_DAYS,
        "upcoming": upcoming,
        "overdue": overdue,
        "due_years": due_years,
        "quota_lines": [line for line in board if line.used],
        "filled": [line for line in board if line.filled],
        "state_count": len(board),
        "user_is_entitled": entitled,
        "shows_exercise_data": exercise_data_in(year, user),
    })


@dataclass(frozen=True)
class QuotaLine:
    """One receiving State on the quota board, with who has used its quotas."""

    row: queries.QuotaRow
    evaluations_by: list[Requester]
    inspections_by: list[Requester]

    @classmethod
    def of(cls, row: queries.QuotaRow, names: Mapping[str, str]) -> QuotaLine:
        return cls(
            row=row,
            evaluations_by=_by_whom(row.evaluation, names),
            inspections_by=_by_whom(row.inspection, names),
        )

    @property
    def used(self) -> int:
        return self.row.inspection.used + (self.row.evaluation.used if self.row.evaluation else 0)

    @property
    def filled(self) -> bool:
        return self.row.inspection.filled or bool(self.row.evaluation and
                                                  self.row.evaluation.quota and
                                                  self.row.evaluation.filled)


@dataclass(frozen=True)
class Requester:
    """A State that made visits counted against another State's quota."""

    state: str
    name: str
    visits: int


def _by_whom(board: quota_engine.QuotaBoard | None,
             names: Mapping[str, str]) -> list[Requester]:
    """The requesting States and how many counted visits each made, most first."""
    if board is None:
        return []
    counts = Counter(visit.inspecting_state for visit in board.counted)
    return [Requester(state, names.get(state, state), visits)
            for state, visits in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def quota_lines(year: int, user: Any) -> list[QuotaLine]:
    """The quota board of `year`, by the States' names in the reader's language."""
    rows = sorted(queries.quota_board(year, user), key=lambda row: folded(row.state_name))
    names = {row.state: row.state_name for row in rows}
    return [QuotaLine.of(row, names) for row in rows]


def folded(text: str) -> str:
    """`text` without accents and case, for sorting names ('Österreich' near 'Osterreich')."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def exercise_data_in(year: int, user: Any) -> bool:
    """True when any visible record of `year` the desk's yearly pages draw on is exercise data."""
    return (queries.visible_activities(user).filter(start__year=year, is_exercise=True).exists()
            or queries.visible_exchanges(user).filter(year=year, is_exercise=True).exists()
            or queries.visible_visits(user).filter(on__year=year, is_exercise=True).exists())


@require_safe
def quotas(request: HttpRequest) -> HttpResponse:
    """Each State's evaluation and inspection quota for a year: quota, used, remaining, by whom."""
    form = YearForm(request.GET)
    year = form.year_or(this_year())
    lines = quota_lines(year, request.user)
    return render(request, "csbm/quotas.html", {
        "year": year,
        "year_form": form if form.errors else YearForm(initial={"year": year}),
        "lines": lines,
        "shows_exercise_data": exercise_data_in(year, request.user),
        "ruleset": get_ruleset(),
    })


SCORECARD_FORMATS = ("csv", "xlsx")


@require_safe
def scorecard(request: HttpRequest) -> HttpResponse:
    """Per State and year: late or missing submissions and notifications, Chapter VIII breaches."""
    form = ScorecardForm(request.GET)
    year = form.year_or(this_year())
    rows = sorted(build_scorecard(year, request.user), key=lambda row: folded(row.state_name))
    findings_only = bool(list_filters.applied(form).get("findings_only"))
    if findings_only:
        rows = [row for row in rows if not row.clean]
    if "format" in request.GET:
        return _scorecard_file(rows, year, request.GET["format"])
    return render(request, "csbm/scorecard.html", {
        "year": year,
        "form": form if form.errors else ScorecardForm(initial={
            "year": year, "findings_only": findings_only}),
        "rows": rows,
        "shows_exercise_data": exercise_data_in(year, request.user),
        "ruleset": get_ruleset(),
        "user_is_entitled": access.is_entitled(request.user),
        "formats": SCORECARD_FORMATS,
    })


def _scorecard_file(rows: list[ScorecardRow], year: int, file_format: str) -> HttpResponse:
    """The scorecard as a CSV or XLSX download (the rows are already narrowed to the user)."""
    if file_format not in SCORECARD_FORMATS:
        return HttpResponseBadRequest(
            _("Choose one of these formats: %(formats)s.") % {
                "formats": ", ".join(SCORECARD_FORMATS)},
            content_type="text/plain; charset=utf-8")
    buffer = io.BytesIO()
    exports.write_table(exports.scorecard_table(rows), file_format, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="csbm-scorecard-{year}.{file_format}"'
    return response


def year_offset(day: date) -> float:
    """Where `day` begins on a one-year timeline, in per cent of its year."""
    first = date(day.year, 1, 1)
    return round(100 * (day - first).days / ((date(day.year, 12, 31) - first).days + 1), 2)


@dataclass(frozen=True)
class TimelineBar:
    """An activity placed on a one-year timeline, as percentages of the year."""

    line: ActivityLine
    offset: float
    width: float
    starts_before: bool
    ends_after: bool

    @classmethod
    def of(cls, line: ActivityLine, year: int) -> TimelineBar:
        first, last = date(year, 1, 1), date(year, 12, 31)
        days = (last - first).days + 1
        start, end = max(line.record.start, first), min(line.record.end, last)
        return cls(
            line=line,
            offset=round(100 * (start - first).days / days, 2),
            width=round(max(100 * ((end - start).days + 1) / days, 0.6), 2),
            starts_before=line.record.start < first,
            ends_after=line.record.end > last,
        )


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    """The activities of a year on a timeline by month, optionally of one State."""
    form = CalendarForm(request.GET)
    year = form.year_or(this_year())
    state = form.state_or_none()
    activities = queries.visible_activities(request.user).filter(
        start__lte=date(year, 12, 31), end__gte=date(year, 1, 1)).order_by("start", "pk")
    if state:
        activities = activities.filter(state__iso2=state)
    bars = [TimelineBar.of(line, year) for line in _classified(activities)]
    today = timezone.localdate()
    return render(request, "csbm/calendar.html", {
        "year": year,
        # The "today" line, on the year that holds today only (decision 0045).
        "today": today if today.year == year else None,
        "today_offset": year_offset(today) if today.year == year else None,
        "form": form if form.errors else CalendarForm(initial={"year": year, "state": state or ""}),
        "bars": bars,
        "months": [date(year, month, 1) for month in range(1, 13)],
        "shows_exercise_data": any(bar.line.record.is_exercise for bar in bars),
    })


@require_safe
def activity_detail(request: HttpRequest, iso2: str, reference: str) -> HttpResponse:
    """One stored activity of a State and what the agreed ruleset says about it; 404 if
    hidden."""
    record = queries.get_activity(request.user, iso2, reference)
    ruleset = get_ruleset()
    notifications = queries.visible_notifications(request.user).filter(
        activity=record).order_by("version")
    return render(request, "csbm/activity.html", {
        "record": record,
        "answer": Answer.of(engine_activity(record), ruleset),
        "notifications": list(notifications),
        "shows_exercise_data": record.is_exercise,
    })
