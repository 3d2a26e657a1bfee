"""The field monitoring desk's figures on /metrics (registered from `MonitoringConfig.ready`).

Counted as they happen, in every process and summed over them (core/metrics.py):

- `hofburg_imports_total{desk="monitoring",outcome}`: every call of the import service
  (`importing.pipeline.import_observations`, which the command line and the demo call), by
  outcome:
  `imported` (a batch committed), `duplicate` (every row stored already: nothing written),
  `rejected` (refused as a whole and nothing written: an unreadable or malformed file, a bad
  row without `--skip-bad`, or no good row), `empty` (a header and no row), `failed` (an
  unexpected error; the transaction left nothing);
- `hofburg_submissions_total{desk="monitoring",outcome}`: every call of the submission service
  (`intake.submit.submit_observation`, behind the web form and the API), by outcome: `accepted`,
  `duplicate` (a retry answered with the stored record), `rejected` (a field that does not
  validate, or an id taken by another record), `denied` (the user may not submit), `failed`.
  A payload the API's schema or the web form refuses never reaches the service: it shows in
  the request counter of its route (422 or 400).

Computed from the database when the page is read:

- observations by status: `submitted` is the queue waiting for verification;
- committed imports and the rows they inserted, skipped as duplicates or rejected;
- rollup freshness: the rollup generation and when the last import committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Max

from hofburg.core.access import AccessDenied
from hofburg.core.metrics import Family, count_outcomes, counter, register_collector
from hofburg.monitoring.errors import MonitoringError
from hofburg.monitoring.models import ImportBatch, Observation, RollupGeneration

IMPORTS = counter("hofburg_imports_total",
                  "Imports run since the service started, by desk and outcome "
                  "(rejected ones changed nothing).")
SUBMISSIONS = counter("hofburg_submissions_total",
                      "Single submissions since the service started, by desk and outcome.")


def import_outcome(summary: Any, error: Exception | None) -> str:
    """The outcome of one call of `importing.pipeline.import_observations`."""
    if error is not None:
        # A file that cannot be read is an OSError (AccessDenied is one too).
        return "rejected" if isinstance(error, MonitoringError | OSError) else "failed"
    if summary.inserted:
        return "imported"
    if summary.rejected:
        return "rejected"
    return "duplicate" if summary.duplicates else "empty"


def submission_outcome(result: Any, error: Exception | None) -> str:
    """The outcome of one call of `intake.submit.submit_observation`."""
    if error is None:
        _record, created = result
        return "accepted" if created else "duplicate"
    if isinstance(error, AccessDenied):
        return "denied"
    return "rejected" if isinstance(error, MonitoringError) else "failed"


# Each decorates the one service function every caller goes through.
imports_counted = count_outcomes(IMPORTS, import_outcome, desk="monitoring")
submissions_counted = count_outcomes(SUBMISSIONS, submission_outcome, desk="monitoring")


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
