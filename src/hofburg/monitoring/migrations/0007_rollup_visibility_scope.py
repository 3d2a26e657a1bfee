# Rollups per visibility scope (decision 0018).

import secrets
from collections import defaultdict
from datetime import timedelta

import h3
from django.db import migrations, models
from django.db.models import F, Q

MAP_RESOLUTION = 6  # services.MAP_RESOLUTION when this migration was written

KEYS = {
    "dailycount": ("day", "category", "area", "is_exercise", "scope"),
    "areaweekcount": ("week", "category", "area", "is_exercise", "scope"),
    "cellcount": ("cell", "day", "category", "is_exercise", "scope"),
    "cellweekcount": ("cell", "week", "category", "is_exercise", "scope"),
    "cellmonthcount": ("cell", "month", "category", "is_exercise", "scope"),
}


def _scope(classification, owner_id):
    if classification == "public":
        return "public"
    if classification == "restricted":
        return "restricted"
    return f"confidential:{owner_id or ''}"


RANK = {"public": 0, "restricted": 1, "confidential": 2}
PUBLISHED_BEFORE = ("published before publishing required a public event (decision 0018): its "
                    "figures stay public")


def classify_stored_events(apps, schema_editor):
    """Events stored before merges kept to one visibility scope: an event is raised to its
    most protected member's classification (and owner, the first such member's by time; a
    confidential event keeps its owner); then
    a published event that is restricted is made public, as its publication meant, with an
    entry in the audit trail. A published confidential event stays confidential: its counts
    leave the published share. The next re-merge near a mixed event splits it by scope."""
    alias = schema_editor.connection.alias
    Event = apps.get_model("monitoring", "Event")
    Observation = apps.get_model("monitoring", "Observation")
    AuditEntry = apps.get_model("core", "AuditEntry")
    differing = (Observation.objects.using(alias).filter(event__isnull=False)
                 .filter(~Q(classification=F("event__classification"))
                         | Q(classification="confidential")
                         & ~Q(owner_affiliation_id=F("event__owner_affiliation_id")))
                 .order_by("observed_at", "observation_id")
                 .values_list("event_id", "classification", "owner_affiliation_id"))
    raised = {}
    for event_id, level, owner in differing.iterator(chunk_size=5000):
        if event_id not in raised or RANK[level] > RANK[raised[event_id][0]]:
            raised[event_id] = (level, owner)
    for event in Event.objects.using(alias).filter(pk__in=list(raised)):
        level, owner = raised[event.pk]
        if RANK[level] > RANK[event.classification]:
            event.classification, event.owner_affiliation_id = level, owner
            event.save(update_fields=["classification", "owner_affiliation"])
    for event in Event.objects.using(alias).filter(status="published",
                                                   classification="restricted"):
        event.classification = "public"
        event.save(update_fields=["classification"])
        AuditEntry.objects.using(alias).create(
            actor=None, actor_label="system", action="reclass", model_label="monitoring.Event",
            object_id=str(event.pk), object_repr=str(event.event_key)[:300],
            before={"classification": "restricted"},
            after={"classification": "public", "reason": PUBLISHED_BEFORE})


def recount_by_scope(apps, schema_editor):
    """Count every rollup again from the events, each in its event's visibility scope; only
    published public events count in the published share. Raises the rollup generation."""
    alias = schema_editor.connection.alias
    Event = apps.get_model("monitoring", "Event")
    sums = {name: defaultdict(lambda: [0, 0, 0, 0]) for name in KEYS}
    rows = (Event.objects.using(alias).exclude(status="withdrawn")
            .values_list("report_date", "category", "area", "h3_cell", "is_exercise",
                         "count_at_least", "status", "classification", "owner_affiliation_id")
            .iterator(chunk_size=5000))
    for day, category, area, h3_cell, exercise, count, status, level, owner in rows:
        scope = _scope(level, owner)
        shown = int(status == "published" and level == "public")
        cell = str(h3.cell_to_parent(h3_cell, MAP_RESOLUTION))
        week = day - timedelta(days=day.weekday())
        month = day.replace(day=1)
        for name, key in (("dailycount", (day, category, area, exercise, scope)),
                          ("areaweekcount", (week, category, area, exercise, scope)),
                          ("cellcount", (cell, day, category, exercise, scope)),
                          ("cellweekcount", (cell, week, category, exercise, scope)),
                          ("cellmonthcount", (cell, month, category, exercise, scope))):
            counters = sums[name][key]
            counters[0] += 1
            counters[1] += count
            counters[2] += shown
            counters[3] += count * shown
    for name, fields in KEYS.items():
        model = apps.get_model("monitoring", name)
        model.objects.using(alias).all().delete()
        objects = []
        for key, (events, violations, published_events, published_violations) in (
                sums[name].items()):
            values = dict(zip(fields, key))
            if "cell" in values:
                lat, lon = h3.cell_to_latlng(values["cell"])
                values.update(lon=float(lon), lat=float(lat))
            objects.append(model(**values, events=events, violations=violations,
                                 published_events=published_events,
                                 published_violations=published_violations))
        model.objects.using(alias).bulk_create(objects, batch_size=2000)
    RollupGeneration = apps.get_model("monitoring", "RollupGeneration")
    generation = RollupGeneration.objects.using(alias).filter(pk=1).first()
    if generation is None:
        generation = RollupGeneration(pk=1, value=0)
    generation.value += 1
    generation.token = secrets.token_hex(16)
    generation.save(using=alias)


def _scope_field():
    return models.CharField(default="restricted", max_length=32,
                            verbose_name="visibility scope")


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0006_rollup_generation_token"),
        ("core", "0001_initial"),
    ]

    operations = [
        *[migrations.AddField(model_name=name, name="scope", field=_scope_field())
          for name in KEYS],
        *[migrations.RemoveConstraint(model_name=name, name=f"monitoring_{name}_key")
          for name in KEYS],
        *[migrations.AddConstraint(
            model_name=name,
            constraint=models.UniqueConstraint(fields=list(fields),
                                               name=f"monitoring_{name}_key"))
          for name, fields in KEYS.items()],
        migrations.RunPython(classify_stored_events, migrations.RunPython.noop),
        migrations.RunPython(recount_by_scope, migrations.RunPython.noop),
    ]
