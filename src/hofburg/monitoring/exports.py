"""Streaming exports of the field-monitoring desk: CSV with an HXL hashtag row, and GeoJSON.

Every function yields text chunks from a database iterator (`.iterator(chunk_size)`), so a
million rows stream in constant memory and a StreamingHttpResponse starts answering at once.
The querysets come from `queries`, already narrowed by core.access. Exercise data says so in
every row (`exercise` column, `exercise` property). Beside each area's code (`#adm1+code`) stands
its name (`#adm1+name`, both attributes of the HXL 1.1 dictionary), looked up once per area;
an area outside every named one (a coarse H3 cell) has no name: empty in CSV, null in GeoJSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet, Sum

from hofburg.core.tables import csv_line
from hofburg.monitoring import mission
from hofburg.monitoring.models import DailyCount, Event
from hofburg.monitoring.queries import Scope

CHUNK_SIZE = 2_000

# Column, HXL hashtag (Humanitarian Exchange Language, hxlstandard.org), event field (or, for
# `area_name`, what `_event_rows` adds to the stored fields).
EVENT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("event_id", "#event+id", "event_key"),
    ("first_observed_at", "#date+time+start", "first_observed_at"),
    ("last_observed_at", "#date+time+end", "last_observed_at"),
    ("report_date", "#date+reported", "report_date"),
    ("category", "#event+type", "category"),
    ("weapon_class", "#event+type+weapon", "weapon_class"),
    ("count_at_least", "#affected+count+min", "count_at_least"),
    ("lon", "#geo+lon", "lon"),
    ("lat", "#geo+lat", "lat"),
    ("h3_cell", "#geo+h3", "h3_cell"),
    ("area", "#adm1+code", "area"),
    ("area_name", "#adm1+name", "area_name"),
    ("located_by", "#geo+method", "location_method"),
    ("ellipse_semi_major_m", "#geo+error+major", "ellipse_semi_major_m"),
    ("ellipse_semi_minor_m", "#geo+error+minor", "ellipse_semi_minor_m"),
    ("ellipse_orientation_deg", "#geo+error+bearing", "ellipse_orientation_deg"),
    ("sources", "#meta+sources+num", "number_of_sources"),
    ("status", "#status", "status"),
    ("exercise", "#meta+exercise", "is_exercise"),
)

DAILY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("report_date", "#date+reported"),
    ("area", "#adm1+code"),
    ("area_name", "#adm1+name"),
    ("category", "#event+type"),
    ("events", "#event+num"),
    ("violations_at_least", "#affected+count+min"),
    ("exercise", "#meta+exercise"),
)

_STORED_FIELDS = tuple(f for _name, _tag, f in EVENT_COLUMNS if f != "area_name")


class _AreaNames(dict[str, str | None]):
    """Area names by code for one export: each area's name is looked up once."""

    def __missing__(self, code: str) -> str | None:
        name = self[code] = mission.area_name(code)
        return name


def _csv_line(values: Sequence[Any]) -> str:
    return csv_line(values)  # text cells guarded against formula injection (core.tables)


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def events_csv(events: QuerySet[Event]) -> Iterator[str]:
    """Header, HXL hashtag row, then one line per event, in chunks of CSV text."""
    yield _csv_line([name for name, _tag, _field in EVENT_COLUMNS])
    yield _csv_line([tag for _name, tag, _field in EVENT_COLUMNS])
    yield from _batched(_csv_line([_text(v) for v in row.values()])
                        for row in _event_rows(events))


def events_geojson(events: QuerySet[Event]) -> Iterator[str]:
    """A GeoJSON FeatureCollection of the events' points, streamed feature by feature."""
    exercise_note = ("Rows with exercise=true are EXERCISE DATA, generated for "
                     "demonstration; they describe no real event.")
    yield ('{"type": "FeatureCollection", "note": ' + json.dumps(exercise_note)
           + ', "features": [\n')
    features = (_feature(row) for row in _event_rows(events))
    first = True
    for chunk in _batched(features, joiner=",\n"):
        yield chunk if first else ",\n" + chunk
        first = False
    yield "\n]}\n"


def _event_rows(events: QuerySet[Event]) -> Iterator[dict[str, Any]]:
    """Each event as {column: value} in the order of EVENT_COLUMNS, read a chunk at a time."""
    names = _AreaNames()
    for row in events.values_list(*_STORED_FIELDS).iterator(chunk_size=CHUNK_SIZE):
        stored = dict(zip(_STORED_FIELDS, row, strict=True))
        stored["area_name"] = names[stored["area"]]
        yield {column: stored[field] for column, _tag, field in EVENT_COLUMNS}


def _feature(row: dict[str, Any]) -> str:
    lon, lat = row.pop("lon"), row.pop("lat")
    properties = {key: (_text(value) if isinstance(value, date | datetime) else value)
                  for key, value in row.items()}
    return json.dumps({"type": "Feature", "id": row["event_id"],
                       "geometry": {"type": "Point", "coordinates": [lon, lat]},
                       "properties": properties}, ensure_ascii=False)


def daily_counts_csv(scope: Scope, *, start: date, end: date,
                     categories: Sequence[str] = ()) -> Iterator[str]:
    """Counts per report date × area × category from the rollups: the caller's share, of the
    visibility scopes it sums only; of the categories given, or all."""
    yield _csv_line([name for name, _tag in DAILY_COLUMNS])
    yield _csv_line([tag for _name, tag in DAILY_COLUMNS])
    counts = DailyCount.objects.filter(day__gte=start, day__lte=end)
    if categories:
        counts = counts.filter(category__in=categories)
    rows = (scope.rows(counts)
            .values("day", "area", "category", "is_exercise")
            .annotate(events=Sum(scope.events), violations=Sum(scope.violations))
            .filter(events__gt=0).order_by("day", "area", "category"))
    names = _AreaNames()
    yield from _batched(
        _csv_line([_text(r["day"]), r["area"], _text(names[r["area"]]), r["category"],
                   r["events"], r["violations"], _text(r["is_exercise"])])
        for r in rows.iterator(chunk_size=CHUNK_SIZE))


def _batched(lines: Iterable[str], size: int = 500, joiner: str = "") -> Iterator[str]:
    """Join lines into chunks of `size`: fewer, larger writes to the socket."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield joiner.join(batch)
            batch = []
    if batch:
        yield joiner.join(batch)
