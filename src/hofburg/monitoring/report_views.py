"""The field-monitoring desk's trends (page and CSV) and daily reports (page and PDF), from the
published figures a reader may see."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from hofburg.core import bounds
from hofburg.core import filters as list_filters
from hofburg.monitoring import exports, queries, report
from hofburg.monitoring.forms import PeriodForm, RangeForm
from hofburg.monitoring.models import Category

# --- trends -----------------------------------------------------------------------------------

def _trend_range(request: HttpRequest) -> tuple[RangeForm, date | None, date | None, str | None]:
    """The trends' form and the range and category it asks for: by default the last fortnight
    with figures, not empty days before the first report."""
    days = report.report_dates(request.user)
    form = RangeForm(request.GET or None)
    end = max(days) if days else None
    start = max(min(days), end - timedelta(days=13)) if end else None
    wanted = list_filters.applied(form)
    start = wanted.get("start") or start
    end = wanted.get("end") or end
    return form, start, end, wanted.get("category")


@require_safe
def trends_csv(request: HttpRequest) -> HttpResponseBase:
    """The figures of the trends page as CSV with HXL hashtags: the reader's share of the
    rollups (the public's: published events), for the same range and category."""
    form, start, end, category = _trend_range(request)
    if request.GET and not form.is_valid():
        return HttpResponse(" ".join(str(e) for errors in form.errors.values() for e in errors),
                            status=400, content_type="text/plain; charset=utf-8")
    if start is None or end is None:
        raise Http404("No figures yet.")
    scope = queries.rollup_scope(request.user)
    response = StreamingHttpResponse(
        exports.daily_counts_csv(scope, start=start, end=end,
                                 categories=[category] if category else []),
        content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="violations-{start.isoformat()}-'
                                       f'{end.isoformat()}.csv"')
    return response


@require_safe
def trends(request: HttpRequest) -> HttpResponse:
    form, start, end, category = _trend_range(request)
    context: dict[str, Any] = {"form": form, "start": start, "end": end}
    if start and end and start <= end:
        categories = [category] if category else []
        # Long ranges are drawn per week: readable, and read from the weekly rollups.
        granularity = queries.WEEK if (end - start).days >= WEEKLY_FROM_DAYS else queries.DAY
        _scope, by_category = queries.trend_series(request.user, start=start, end=end,
                                                   categories=categories, granularity=granularity)
        _scope, by_area = queries.trend_series(request.user, start=start, end=end,
                                               categories=categories, by_area=True,
                                               granularity=granularity)
        context.update({
            "weekly": granularity == queries.WEEK,
            "chart": _chart_data(_buckets(start, end, granularity), by_category, by_area),
            "comparison": report.compare_ranges(request.user, start, end, categories),
            "shows_exercise_data": report.shows_exercise_data(request.user, start, end),
            "csv_query": urlencode({"start": start.isoformat(), "end": end.isoformat(),
                                    **({"category": category} if category else {})}),
        })
    return render(request, "monitoring/trends.html", context)


WEEKLY_FROM_DAYS = 42


def _buckets(start: date, end: date, granularity: str) -> list[str]:
    """The first day of each bucket: every day, or the range's start and each Monday after it
    (a weekly point's `day` is its week cut to the range)."""
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    if granularity == queries.WEEK:
        days = [d for d in days if d == start or d.weekday() == 0]
    return [d.isoformat() for d in days]


def _chart_data(days: list[str], by_category: list[queries.TrendPoint],
                by_area: list[queries.TrendPoint]) -> dict[str, Any]:
    index = {day: n for n, day in enumerate(days)}
    labels = dict(Category.choices)
    series: dict[str, list[int]] = {}
    for point in by_category:
        series.setdefault(point.category, [0] * len(days))[index[point.day.isoformat()]] += \
            point.violations
    areas: dict[str, list[int]] = {}
    for point in by_area:
        areas.setdefault(report.area_label(point.area or ""), [0] * len(days))[
            index[point.day.isoformat()]] += point.violations
    return {
        "days": days,
        "categories": [{"label": str(labels[key]), "data": series[key]}
                       for key in Category.values if key in series],
        "areas": [{"label": key, "data": values} for key, values in sorted(areas.items())],
    }


# --- daily reports ----------------------------------------------------------------------------

@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    dates = report.report_dates(request.user)
    form = PeriodForm(request.GET or None)
    chosen = form.report_date(None)
    if chosen is not None:
        return redirect("monitoring:report", day=chosen.isoformat())
    return render(request, "monitoring/reports.html", {
        "dates": dates[:60], "form": form,
        "shows_exercise_data": report.shows_exercise_data(request.user),
    })


def report_date(day: str) -> date:
    """The day of a report's address, or a 404 (a day written otherwise or out of bounds)."""
    try:
        found = date.fromisoformat(day)
    except ValueError:
        raise Http404("No such report date.") from None
    if not bounds.FIRST_DAY <= found <= bounds.LAST_DAY:
        raise Http404("No such report date.")
    return found


def _report_for(request: HttpRequest, day: str) -> report.DailyReport:
    return report.build_daily_report(request.user, report_date(day))


@require_safe
def report_page(request: HttpRequest, day: str) -> HttpResponse:
    return HttpResponse(report.render_report_html(_report_for(request, day), request))


@require_safe
def report_pdf(request: HttpRequest, day: str) -> HttpResponse:
    daily = _report_for(request, day)
    pdf = report.render_report_pdf(daily, request, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{daily.filename_stem}.pdf"'
    return response
