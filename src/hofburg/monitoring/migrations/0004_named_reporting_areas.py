"""Events take their named reporting area (settings.MONITORING_AREAS) instead of a coarse H3
cell; the area rollups are counted again from the events (decision 0012)."""

from collections import defaultdict
from datetime import timedelta

import h3
import numpy as np
from django.conf import settings
from django.db import migrations
from django.db.models import Count, Q, Sum

from hofburg.monitoring.engine.areas import load_reporting_areas

# As services.AREA_RESOLUTION when this migration was written: the area of an event outside
# every named area is its H3 cell's parent at this resolution.
AREA_RESOLUTION = 4
COUNTERS = ("events", "violations", "published_events", "published_violations")
_READ = 50_000
_UPDATE = 900  # event ids per UPDATE (SQLite's historical limit of bound parameters)


def name_the_areas(apps, schema_editor):
    _recount(apps, schema_editor, load_reporting_areas(settings.MONITORING_AREAS))


def back_to_cells(apps, schema_editor):
    _recount(apps, schema_editor, None)


def _recount(apps, schema_editor, areas):
    """Set every stored event's area from its position, then rebuild the area rollups."""
    alias = schema_editor.connection.alias
    Event = apps.get_model("monitoring", "Event")
    events = Event.objects.using(alias)
    moved = defaultdict(list)
    last = 0
    while True:
        block = list(events.filter(pk__gt=last).order_by("pk").values_list(
            "pk", "lon", "lat", "h3_cell", "area")[:_READ])
        if not block:
            break
        last = block[-1][0]
        named = (areas.codes_at(np.array([r[1] for r in block], dtype=float),
                                np.array([r[2] for r in block], dtype=float))
                 if areas is not None else [None] * len(block))
        for (pk, _lon, _lat, cell, area), code in zip(block, named):
            new = code or str(h3.cell_to_parent(cell, AREA_RESOLUTION))
            if new != area:
                moved[new].append(pk)
    for area, pks in moved.items():
        for start in range(0, len(pks), _UPDATE):
            events.filter(pk__in=pks[start:start + _UPDATE]).update(area=area)
    _rebuild_area_rollups(apps, alias)
    _next_generation(apps, alias)


def _rebuild_area_rollups(apps, alias):
    """`DailyCount` and `AreaWeekCount` from the events, counted in the database: what ingest
    adds per event (withdrawn events count nowhere; published ones count in both shares)."""
    Event = apps.get_model("monitoring", "Event")
    DailyCount = apps.get_model("monitoring", "DailyCount")
    AreaWeekCount = apps.get_model("monitoring", "AreaWeekCount")
    published = Q(status="published")
    daily = (Event.objects.using(alias).exclude(status="withdrawn")
             .values("report_date", "category", "area", "is_exercise").order_by()
             .annotate(events=Count("pk"), violations=Sum("count_at_least"),
                       published_events=Count("pk", filter=published),
                       published_violations=Sum("count_at_least", filter=published)))
    days = []
    weeks = defaultdict(lambda: [0, 0, 0, 0])
    for row in daily.iterator(chunk_size=5000):
        counts = [row[name] or 0 for name in COUNTERS]
        day = row["report_date"]
        rest = (row["category"], row["area"], row["is_exercise"])
        days.append(DailyCount(day=day, category=rest[0], area=rest[1], is_exercise=rest[2],
                               **dict(zip(COUNTERS, counts))))
        sums = weeks[(day - timedelta(days=day.weekday()), *rest)]
        for n, value in enumerate(counts):
            sums[n] += value
    DailyCount.objects.using(alias).all().delete()
    AreaWeekCount.objects.using(alias).all().delete()
    DailyCount.objects.using(alias).bulk_create(days, batch_size=2000)
    AreaWeekCount.objects.using(alias).bulk_create(
        [AreaWeekCount(week=k[0], category=k[1], area=k[2], is_exercise=k[3],
                       **dict(zip(COUNTERS, v))) for k, v in weeks.items()], batch_size=2000)


def _next_generation(apps, alias):
    """Answers cached from the old rollups go stale."""
    RollupGeneration = apps.get_model("monitoring", "RollupGeneration")
    generation, _created = RollupGeneration.objects.using(alias).get_or_create(
        pk=1, defaults={"value": 0})
    generation.value += 1
    generation.save(update_fields=["value"])


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0003_rollup_generation'),
    ]

    operations = [
        migrations.RunPython(name_the_areas, back_to_cells),
    ]
