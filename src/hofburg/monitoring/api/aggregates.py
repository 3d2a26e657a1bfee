"""Map, trends and periods, read from the rollups: anonymous callers get the published share,
entitled callers every counted event of the visibility scopes they may see (decision 0018).
Answers are cached per share and rollup generation, with an entity tag.
"""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime
from collections.abc import Callable
from typing import Any, Literal

import pydantic_core
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
)
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from ninja import Field, Query, Router, Schema

from hofburg.core.api import current_user
from hofburg.core.bounds import (
    Day,
)
from hofburg.core.errors import Invalid
from hofburg.monitoring import mission, queries
from hofburg.monitoring.intake import release
from hofburg.monitoring.models import (
    Category,
)

router = Router()


# A year of report dates at most per map or trend request: the rollups answer that fast.
MAX_RANGE_DAYS = 400


class RangeQuery(Schema):
    start: Day
    end: Day
    category: list[Category] = Field([], description="Repeat for several categories.")


class MapQuery(RangeQuery):
    bbox: str | None = Field(None, max_length=200, description="west,south,east,north in degrees",
                             examples=["-30.5,47,-29.5,49.5"])


class TrendQuery(RangeQuery):
    area: str | None = Field(None, max_length=32)
    by_area: bool = False
    granularity: Literal["day", "week"] | None = Field(
        None, description="Points per report date or per ISO week. By default daily, except "
                          "trends by area over six weeks or more, which come weekly; the "
                          "answer's `granularity` says which.")


def check_range(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise Invalid("end: must not be before start")
    if (end - start).days > MAX_RANGE_DAYS:
        raise Invalid(f"the range may span at most {MAX_RANGE_DAYS} days")



# --- aggregates (rollups) -------------------------------------------------------------------


def _bbox(text: str | None) -> queries.BBox | None:
    if not text:
        return None
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise Invalid("bbox: give west,south,east,north in degrees") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise Invalid("bbox: west <= east and south <= north, within the globe")
    return west, south, east, north


@router.get("/map", summary="Events per H3 cell for a time range (GeoJSON)")
def map_aggregates(request: HttpRequest, params: Query[MapQuery]) -> HttpResponse:
    """Read from the rollups. Anonymous callers get published events only.

    Long ranges read the monthly and weekly cell rollups for the whole months and weeks inside
    them and the daily one for the edges; `granularity` names the coarsest one read. The
    totals are exactly those of the daily rollup.
    """
    check_range(params.start, params.end)
    user = current_user(request)
    granularity = queries.map_granularity(params.start, params.end)

    def answer() -> dict[str, Any]:
        scope, cells = queries.map_cells(user, start=params.start, end=params.end,
                                         bbox=_bbox(params.bbox),
                                         categories=[c.value for c in params.category],
                                         granularity=granularity)
        return {
            "type": "FeatureCollection", "scope": scope.name,
            "granularity": queries.coarsest(queries.plan_spans(params.start, params.end,
                                                               granularity)),
            "features": [{"type": "Feature", "id": c.cell,
                          "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
                          "properties": {"cell": c.cell, "events": c.events,
                                         "violations_at_least": c.violations}}
                         for c in cells]}

    return _rollup_answer(request, user, "map", params, answer)


@router.get("/trends", summary="Counts per report date (or week) and category")
def trends(request: HttpRequest, params: Query[TrendQuery]) -> HttpResponse:
    """Daily points; weekly ones (`granularity: "week"`) for trends by area over long ranges,
    each from its first report date `day` to `last_day`, the edge weeks cut to the range.
    By area, each point has the `area` code and `area_name` as in `/periods`."""
    check_range(params.start, params.end)
    user = current_user(request)
    granularity = params.granularity or queries.trend_granularity(
        params.start, params.end, by_area=params.by_area)

    def answer() -> dict[str, Any]:
        scope, points = queries.trend_series(
            user, start=params.start, end=params.end,
            categories=[c.value for c in params.category], area=params.area,
            by_area=params.by_area, granularity=granularity)
        return {"scope": scope.name, "granularity": granularity,
                "series": _trend_points(points, weekly=granularity == queries.WEEK,
                                        by_area=params.by_area)}

    return _rollup_answer(request, user, "trends", params, answer)


def _trend_points(points: list[queries.TrendPoint], *, weekly: bool, by_area: bool
                  ) -> list[dict[str, Any]]:
    """The points of a trend answer: `day` (and `last_day` if weekly), `category` (and `area`,
    `area_name` if by area), `events`, `violations_at_least`.

    A year by area is thousands of points over some fifty weeks and a few areas, so each date
    is written and each area named once, not once per point.
    """
    dates = {day: day.isoformat() for day in {p.day for p in points} | {p.until for p in points}}
    names = ({code: mission.area_name(code or "") for code in {p.area for p in points}}
             if by_area else {})
    series = []
    for p in points:
        point: dict[str, Any] = {"day": dates[p.day]}
        if weekly:
            point["last_day"] = dates[p.until]
        point["category"] = p.category
        if by_area:
            point["area"] = p.area
            point["area_name"] = names[p.area]
        point["events"] = p.events
        point["violations_at_least"] = p.violations
        series.append(point)
    return series


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether the caller's `Accept-Encoding` allows gzip (RFC 9110: named, or `*`, with a
    quality above 0; a named coding's quality wins over `*`)."""
    qualities: dict[str, float] = {}
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _, weight = coding.strip().partition(";")
        weight = weight.strip()
        try:
            quality = float(weight.removeprefix("q=")) if weight.startswith("q=") else 1.0
        except ValueError:
            quality = 0.0
        qualities[name.strip().lower()] = quality
    for name in ("gzip", "x-gzip", "*"):
        if name in qualities:
            return qualities[name] > 0
    return False


def _rollup_answer(request: HttpRequest, user: Any, name: str, params: Schema,
                   answer: Callable[[], dict[str, Any]]) -> HttpResponse:
    """An answer read from the rollups, cached per share (with every visibility scope it
    sums), query and rollup generation: what one caller of a share computed, the next one of
    the same share reads; a member of another affiliation never does.

    The answer carries its entity tag; a caller that sends it back in `If-None-Match` gets
    304 without a body while the rollups have not changed. A caller that accepts gzip gets an
    answer of `queries.GZIP_FROM` bytes or more compressed, as compressed once per generation."""
    scope = queries.rollup_scope(user)
    parts = (name, scope.cache_key, params.model_dump_json())
    known = [tag.removeprefix("W/") for tag in  # the weak comparison of RFC 9110
             parse_etags(request.headers.get("If-None-Match", ""))]
    # pydantic-core's encoder writes a year of trends (thousands of points) in about a quarter
    # of the time the standard library's takes.
    cached = queries.cached_answer(parts, lambda: pydantic_core.to_json(answer()), known,
                                   gzip_ok=accepts_gzip(request))
    response = (HttpResponseNotModified() if cached.body is None
                else HttpResponse(cached.body, content_type="application/json"))
    response["ETag"] = cached.etag
    if cached.coding:
        response["Content-Encoding"] = cached.coding
    patch_vary_headers(response, ["Accept-Encoding"])
    # Kept by the caller's browser only, and asked again every time (the answer changes
    # with the rollups and with who asks).
    response["Cache-Control"] = "private, no-cache"
    return response


@router.get("/periods", summary="Counts per 19:30-19:30 reporting period and area")
def periods(request: HttpRequest, params: Query[RangeQuery]) -> JsonResponse:
    """Each period's count with the change against the previous period.

    `area` is the code of a named reporting area, with its name in `area_name`; for events
    outside every named area it is a coarse H3 cell, and `area_name` is null."""
    check_range(params.start, params.end)
    scope, rows = queries.period_counts(current_user(request), first=params.start,
                                        last=params.end,
                                        categories=[c.value for c in params.category])
    released = release.released_dates()
    # The public compares with a previous period only once it is released (decision 0035).
    compared = [not scope.published_only or r.report_date - datetime.timedelta(days=1)
                in released for r in rows]
    return JsonResponse({"scope": scope.name, "released": sorted(
        d.isoformat() for d in released if params.start <= d <= params.end), "periods": [
        {"report_date": r.report_date.isoformat(), "period": r.label, "area": r.area,
         "area_name": mission.area_name(r.area), "violations_at_least": r.violations,
         "released": r.report_date in released,
         "previous": r.previous if ok else None, "change": r.change if ok else None}
        for r, ok in zip(rows, compared, strict=True)]})
