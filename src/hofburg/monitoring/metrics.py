"""The field monitoring desk's figures on /metrics (registered from `MonitoringConfig.ready`).

- observations by status: `submitted` is the queue waiting for verification;
- committed imports and the rows they inserted, skipped as duplicates or rejected;
- rollup freshness: the rollup generation and when the last import committed.

Submissions one by one are counted by outcome in the request counter of their route
(`api/v1/monitoring/observations`, POST: 201 accepted, 200 a retry, 409 a conflict, 422
refused), which core keeps for every route.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Max

from hofburg.core.metrics import Family, register_collector
from hofburg.monitoring.models import ImportBatch, Observation, RollupGeneration


def monitoring_families() -> Iterable[Family]:
    observations = Family("hofburg_monitoring_observations", "gauge",
                          "Observations stored, by status (submitted: waiting for verification).")
    for row in Observation.objects.order_by().values("status").annotate(n=Count("id")):
        observations.add(row["n"], status=row["status"])
    imports = Family("hofburg_monitoring_imports", "gauge", "Committed observation imports.")
    rows = Family("hofburg_monitoring_import_rows", "gauge",
                  "Rows of committed imports by outcome (inserted, duplicates, rejected).")
    totals = {"inserted": 0, "duplicates": 0, "rejected": 0}
    count = 0
    for summary in ImportBatch.objects.values_list("summary", flat=True).iterator():
        count += 1
        for outcome in totals:
            totals[outcome] += int((summary or {}).get(outcome, 0) or 0)
    imports.add(count)
    for outcome, value in totals.items():
        rows.add(value, outcome=outcome)
    generation = Family("hofburg_monitoring_rollup_generation", "gauge",
                        "The rollup generation: raised by every change to the rollups.")
    generation.add(RollupGeneration.objects.aggregate(v=Max("value"))["v"] or 0)
    last = Family("hofburg_monitoring_last_import_timestamp_seconds", "gauge",
                  "When the last committed import finished (Unix time; 0 if none).")
    newest = ImportBatch.objects.aggregate(t=Max("created_at"))["t"]
    last.add(newest.timestamp() if newest else 0)
    return [observations, imports, rows, generation, last]


def register() -> None:
    register_collector("monitoring", monitoring_families)
