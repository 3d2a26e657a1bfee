"""The daily report: one reporting period's figures in the structure the SMM published.

Summary, ceasefire violations per area compared with the previous period (explosions counted
separately), weapons in violation of the withdrawal lines, restrictions of the monitors' freedom
of movement, and civilian casualties and damage (domain reference, 1.1), with a map and a chart
of the same figures (`report_figures`, decision 0073). The same assembly feeds
the HTML page, the PDF (WeasyPrint renders the page's own template) and the `daily_report`
command. Figures come from the rollups through `queries`, so a visitor sees the published share
only; the record sections list only what `core.access` lets the reader see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import h3
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.core.bounds import CLOCK_SKEW
from hofburg.core.models import Classification
from hofburg.monitoring import queries, report_figures, report_sections
from hofburg.monitoring.engine.periods import ReportingPeriod, period_for_report_date
from hofburg.monitoring.mission import area_name, report_date_of, reporting_calendar
from hofburg.monitoring.models import (
    CONFIDENTIAL_SCOPE_PREFIX,
    Category,
    CivilianImpact,
    DailyCount,
    MovementRestriction,
    PeriodRelease,
    WeaponSighting,
)
from hofburg.monitoring.permissions import may_submit
from hofburg.monitoring.records import observation_bounds

EXPLOSIONS = (Category.EXPLOSION_UNDETERMINED, Category.AIRBURST, Category.EXPLOSION_WEAPON)
TEMPLATE = "monitoring/report.html"


def area_label(area: str) -> str:
    """A reporting area as a reader can place it: a named area by its name; the coarse H3
    cell that events outside every named area count under by its centre, e.g.
    "48.20° N 29.90° W" (the cell's id means nothing to a reader).
    """
    name = area_name(area)
    if name is not None:
        return name
    try:
        lat, lon = h3.cell_to_latlng(area)
    except (ValueError, TypeError, h3.H3BaseException):
        return area
    return f"{abs(lat):.2f}° {'N' if lat >= 0 else 'S'} {abs(lon):.2f}° {'E' if lon >= 0 else 'W'}"


def signed(change: int | None) -> str:
    """A change as the reports print it: "+3", "−2" (a minus sign), "0"; "—" when unknown."""
    if change is None:
        return "—"
    return f"+{change}" if change > 0 else (f"−{-change}" if change < 0 else "0")


@dataclass(frozen=True)
class AreaRow:
    area: str
    label: str
    named: bool
    violations: int
    explosions: int
    previous: int | None
    previous_explosions: int | None
    change: int | None

    @property
    def change_text(self) -> str:
        return signed(self.change)


@dataclass(frozen=True)
class CategoryRow:
    category: str
    label: str
    violations: int
    previous: int | None  # None: the previous period is not released (for the public)

    @property
    def change_text(self) -> str:
        return signed(None if self.previous is None else self.violations - self.previous)


@dataclass
class DailyReport:
    """Everything the report page shows for one period, for one reader."""

    report_date: date
    period: ReportingPeriod
    published_only: bool
    areas: list[AreaRow]
    categories: list[CategoryRow]
    weapons: list[WeaponSighting] = field(default_factory=list)
    restrictions: list[MovementRestriction] = field(default_factory=list)
    civilian_impacts: list[CivilianImpact] = field(default_factory=list)
    is_exercise: bool = False
    # The highest classification of what the report sums or lists: marked on every PDF page.
    marking: str = "public"
    # The SMM's sections on the disengagement areas and on weapons storage (report_sections).
    disengagement: report_sections.DisengagementSection | None = None
    storage: report_sections.StorageSection | None = None
    # The release of this period and of the one before (decision 0035): the public reads a
    # period's figures only once it is released, and "not yet released" where it is not.
    release: PeriodRelease | None = None
    previous_released: bool = True
    # The map and the chart (report_figures), drawn where the reader may read the figures.
    figures: report_figures.ReportFigures | None = None

    @property
    def figures_shown(self) -> bool:
        """Whether the reader may read this period's figures: the entitled always, the public
        once the period is released."""
        return not self.published_only or self.release is not None

    @property
    def total(self) -> int:
        return sum(row.violations for row in self.areas)

    @property
    def has_unnamed_areas(self) -> bool:
        return any(not row.named for row in self.areas)

    @property
    def total_explosions(self) -> int:
        return sum(row.explosions for row in self.areas)

    @property
    def previous_total(self) -> int | None:
        """The previous period's total; None where the reader may not read it yet (the
        public, before that period is released)."""
        if self.published_only and not self.previous_released:
            return None
        return sum(row.previous or 0 for row in self.areas)

    @property
    def killed(self) -> int:
        return sum(item.killed for item in self.civilian_impacts)

    @property
    def injured(self) -> int:
        return sum(item.injured for item in self.civilian_impacts)

    @property
    def period_label(self) -> str:
        return self.period.label()

    @property
    def filename_stem(self) -> str:
        return f"daily-report-{self.report_date.isoformat()}"


def possible_report_dates() -> tuple[date | None, date]:
    """The first and last report dates a period can have: from the mission's mandate to the
    period running now (plus the clock skew). Records stored before the bounds of decision 0036
    were checked may lie outside; they never become the latest period, a default range or a
    stop on the map's time slider."""
    limits = observation_bounds()
    first = report_date_of(limits.earliest) if limits.earliest is not None else None
    return first, report_date_of(limits.latest or timezone.now() + CLOCK_SKEW)


def report_dates(user: AnyUser) -> list[date]:
    """The report dates the reader may read, newest first: for the public the released
    periods (a released period without events too: its report says 0), for the entitled
    every date with figures and every released one; only possible ones
    (`possible_report_dates`)."""
    first, last = possible_report_dates()
    releases = PeriodRelease.objects.filter(report_date__lte=last)
    counts = DailyCount.objects.filter(day__lte=last)
    if first is not None:
        releases = releases.filter(report_date__gte=first)
        counts = counts.filter(day__gte=first)
    released = set(releases.values_list("report_date", flat=True))
    scope = queries.rollup_scope(user)
    if scope.published_only:
        return sorted(released, reverse=True)
    counted = set(scope.rows(counts.filter(**{f"{scope.events}__gt": 0}))
                  .values_list("day", flat=True).distinct())
    return sorted(counted | released, reverse=True)


def latest_report_date(user: AnyUser) -> date | None:
    dates = report_dates(user)
    return dates[0] if dates else None


def shows_exercise_data(user: AnyUser, start: date | None = None, end: date | None = None
                        ) -> bool:
    """Whether the figures of these report dates (all dates without them) that `user` may
    read include exercise data: such pages and files carry the EXERCISE mark."""
    scope = queries.rollup_scope(user)
    rows = scope.rows(DailyCount.objects.filter(is_exercise=True,
                                                **{f"{scope.events}__gt": 0}))
    if start is not None:
        rows = rows.filter(day__gte=start)
    if end is not None:
        rows = rows.filter(day__lte=end)
    return rows.exists()


def _in_period(queryset: QuerySet[Any], period: ReportingPeriod, user: AnyUser
               ) -> QuerySet[Any]:
    return access.visible(queryset, user).filter(observed_at__gte=period.start,
                                                 observed_at__lt=period.end)


def build_daily_report(user: AnyUser, report_date: date) -> DailyReport:
    """The report of the period ending at 19:30 on `report_date`, as `user` may read it."""
    period = period_for_report_date(report_date, reporting_calendar())
    previous_date = report_date - timedelta(days=1)
    releases = {r.report_date: r for r in PeriodRelease.objects.filter(
        report_date__in=[previous_date, report_date]).select_related("released_by")}
    scope, totals = queries.period_counts(user, first=report_date, last=report_date)
    _, explosions = queries.period_counts(user, first=report_date, last=report_date,
                                          categories=list(EXPLOSIONS))
    # The public compares with the previous period only once it is released: before, its
    # published share is not its figure, and 0 would be a false one.
    compare = not scope.published_only or previous_date in releases
    blasts = {row.area: row for row in explosions}
    areas = [AreaRow(area=row.area, label=area_label(row.area),
                     named=area_name(row.area) is not None, violations=row.violations,
                     explosions=blasts[row.area].violations if row.area in blasts else 0,
                     previous=row.previous if compare else None,
                     previous_explosions=(blasts[row.area].previous
                                          if compare and row.area in blasts else None),
                     change=row.change if compare else None)
             for row in totals]
    if scope.published_only and report_date not in releases:
        areas = []  # not released: nothing of it is the period's figure yet
    areas.sort(key=lambda row: (-row.violations, row.label))
    weapons = [sighting for sighting in _in_period(WeaponSighting.objects.all(), period, user)
               .order_by("observed_at") if sighting.compliance.get("status") == "in_violation"]
    restrictions = list(_in_period(MovementRestriction.objects.all(), period, user)
                        .order_by("observed_at"))
    impacts = list(_in_period(CivilianImpact.objects.all(), period, user)
                   .order_by("-kind", "observed_at"))
    exercise = (shows_exercise_data(user, report_date - timedelta(days=1), report_date)
                or any(r.is_exercise for r in [*weapons, *restrictions, *impacts]))
    sightings = report_sections.period_sightings(user, period)
    marking = _marking(scope, [previous_date, report_date],
                       [*weapons, *restrictions, *impacts, *sightings])
    figures = None
    if not scope.published_only or report_date in releases:
        figures = report_figures.report_figures(scope, report_date, possible_report_dates()[0])
    return DailyReport(report_date=report_date, period=period, marking=marking,
                       published_only=scope.published_only, areas=areas,
                       categories=(category_rows(user, report_date, compare=compare)
                                   if areas or not scope.published_only else []),
                       weapons=weapons, restrictions=restrictions, civilian_impacts=impacts,
                       is_exercise=exercise,
                       disengagement=report_sections.disengagement_section(
                           user, report_date, period, sightings=sightings),
                       storage=report_sections.storage_section(sightings),
                       release=releases.get(report_date),
                       previous_released=previous_date in releases, figures=figures)


def _marking(scope: queries.Scope, days: list[date], records: list[Any]) -> str:
    """The highest classification of what the report sums or lists: public for the public's
    share; for the entitled restricted, or confidential where a confidential event was counted
    or a confidential record is listed (decision 0018: a figure is as classified as its
    records)."""
    if scope.published_only:
        return Classification.PUBLIC
    confidential = (any(getattr(r, "classification", None) == Classification.CONFIDENTIAL
                        for r in records)
                    or scope.rows(DailyCount.objects.filter(day__in=days, events__gt=0))
                    .filter(scope__startswith=CONFIDENTIAL_SCOPE_PREFIX).exists())
    return Classification.CONFIDENTIAL if confidential else Classification.RESTRICTED


def category_rows(user: AnyUser, report_date: date, *, compare: bool = True
                  ) -> list[CategoryRow]:
    """Violations per category in the period and the one before (the SMM's breakdown, 1.2);
    without `compare`, the previous period's are None (not released to this reader)."""
    scope = queries.rollup_scope(user)
    previous_date = report_date - timedelta(days=1)
    sums = (scope.rows(DailyCount.objects.filter(day__in=[previous_date, report_date]))
            .values("day", "category").annotate(violations=Sum(scope.violations)))
    now: dict[str, int] = {}
    before: dict[str, int] = {}
    for row in sums:
        target = now if row["day"] == report_date else before
        target[row["category"]] = row["violations"] or 0
    if not compare:
        return [CategoryRow(value, str(label), now[value], None)
                for value, label in Category.choices if now.get(value)]
    return [CategoryRow(value, str(label), now.get(value, 0), before.get(value, 0))
            for value, label in Category.choices if now.get(value) or before.get(value)]


@dataclass(frozen=True)
class RangeComparison:
    """Violations per category in a range of report dates and in the range just before."""

    start: date
    end: date
    previous_start: date
    previous_end: date
    rows: list[CategoryRow]
    # For the public (decision 0035): the report dates of the range not released (their
    # figures are not in the totals), and whether the whole previous range is released (if
    # not, its figures read "not yet released", never a partial sum).
    unreleased: int = 0
    previous_released: bool = True

    @property
    def total(self) -> int:
        return sum(row.violations for row in self.rows)

    @property
    def previous_total(self) -> int | None:
        if not self.previous_released:
            return None
        return sum(row.previous or 0 for row in self.rows)

    @property
    def change_text(self) -> str:
        previous = self.previous_total
        return signed(None if previous is None else self.total - previous)


def compare_ranges(user: AnyUser, start: date, end: date,
                   categories: Sequence[str] = ()) -> RangeComparison:
    """The trends page's period comparison: `start`..`end` against as many days before."""
    days = (end - start).days + 1
    previous_end = start - timedelta(days=1)
    previous_start = previous_end - timedelta(days=days - 1)
    _, now = queries.trend_series(user, start=start, end=end, categories=categories)
    _, before = queries.trend_series(user, start=previous_start, end=previous_end,
                                     categories=categories)
    totals: dict[str, int] = {}
    earlier: dict[str, int] = {}
    for point in now:
        totals[point.category] = totals.get(point.category, 0) + point.violations
    for point in before:
        earlier[point.category] = earlier.get(point.category, 0) + point.violations
    unreleased, previous_released = 0, True
    if queries.rollup_scope(user).published_only:
        released = set(PeriodRelease.objects.filter(
            report_date__gte=previous_start, report_date__lte=end)
            .values_list("report_date", flat=True))
        unreleased = sum(1 for n in range(days)
                         if start + timedelta(days=n) not in released)
        previous_released = all(previous_start + timedelta(days=n) in released
                                for n in range(days))
    rows = [CategoryRow(value, str(label), totals.get(value, 0),
                        earlier.get(value, 0) if previous_released else None)
            for value, label in Category.choices
            if totals.get(value) or (previous_released and earlier.get(value))]
    return RangeComparison(start, end, previous_start, previous_end, rows, unreleased,
                           previous_released)


def render_report_html(report: DailyReport, request: HttpRequest | None = None, *,
                       for_pdf: bool = False) -> str:
    """The report as HTML: the page itself, or the print version the PDF is made from."""
    context: dict[str, Any] = {
        "report": report, "for_pdf": for_pdf, "shows_exercise_data": report.is_exercise,
        "may_release": request is not None and may_submit(request.user)}
    if request is not None and not for_pdf:
        context["previous_day"], context["next_day"] = neighbours(request.user,
                                                                  report.report_date)
    return render_to_string(TEMPLATE, context, request=request)


def neighbours(user: AnyUser, day: date) -> tuple[date | None, date | None]:
    """The reports just before and just after `day` among those the reader may read."""
    dates = report_dates(user)  # newest first
    earlier = [d for d in dates if d < day]
    later = [d for d in dates if d > day]
    return (earlier[0] if earlier else None, later[-1] if later else None)


def render_report_pdf(report: DailyReport, request: HttpRequest | None = None, *,
                      base_url: str | None = None) -> bytes:
    """The report as PDF, rendered by WeasyPrint from the same template as the page; the
    drawings handed over as images of the same SVG (`report_figures.as_images`), and nothing
    else fetched."""
    from weasyprint import HTML  # imported here: it loads pango, which the pages never need

    html, drawings = report_figures.as_images(render_report_html(report, request, for_pdf=True),
                                              report.figures)
    pdf: bytes = HTML(string=html, base_url=base_url,
                      url_fetcher=report_figures.drawing_fetcher(drawings)).write_pdf()
    return pdf
