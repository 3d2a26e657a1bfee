"""Exports of what the caller may see: events as CSV (with HXL hashtags) and GeoJSON, and the
counts per day, area and category.
"""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router

from hofburg.core.api import current_user
from hofburg.monitoring import exports, queries
from hofburg.monitoring.api.aggregates import RangeQuery, check_range
from hofburg.monitoring.api.records import EventFilters

router = Router()


def _stream(chunks: Any, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/exports/events.csv", summary="Events you may see, CSV with HXL hashtags",
            response={200: None})
def export_events_csv(request: HttpRequest, filters: Query[EventFilters]
                      ) -> StreamingHttpResponse:
    events = queries.events_for(current_user(request), **filters.dict())
    return _stream(exports.events_csv(events), "text/csv; charset=utf-8", "events.csv")


@router.get("/exports/events.geojson", summary="Events you may see, GeoJSON",
            response={200: None})
def export_events_geojson(request: HttpRequest, filters: Query[EventFilters]
                          ) -> StreamingHttpResponse:
    events = queries.events_for(current_user(request), **filters.dict())
    return _stream(exports.events_geojson(events), "application/geo+json", "events.geojson")


@router.get("/exports/daily-counts.csv", summary="Counts per day, area and category (CSV, HXL)",
            response={200: None})
def export_daily_counts(request: HttpRequest, params: Query[RangeQuery]
                        ) -> StreamingHttpResponse:
    check_range(params.start, params.end)
    scope = queries.rollup_scope(current_user(request))
    return _stream(exports.daily_counts_csv(scope, start=params.start, end=params.end),
                   "text/csv; charset=utf-8", "daily-counts.csv")
