"""The field-monitoring desk's write path: intake, CSV import, merging into events, workflow.

Every function here owns its transaction and records the audit trail; views, API endpoints, the
CLI and the demo all call them. The engine does the domain work (validation, merging, locating,
reporting periods); this module maps rows to engine inputs and back.

Ingest validates every row with the engine's rule and writes in one transaction. Observations
next to stored ones (a submission, a file that continues earlier data) take the general path:
insert them, re-merge the time window around them (stored observations within the merge window
plus the members of their events, so an event that straddles earlier data is kept whole) and
write the events that changed. A large import's stretches on new ground take the bulk path:
merged in worker processes, each observation written once, already pointing at its event
(docs/decisions/0010). Either way the change is added to the rollups with upserts, never by
rescanning: `DailyCount` and `CellCount`, and their coarser twins `AreaWeekCount`,
`CellWeekCount` and `CellMonthCount`, all in the same transaction, so a coarse row always
equals the sum of its period's daily rows, and the rollup generation is raised so cached
answers go stale (docs/decisions/0011).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import math
import mmap
import multiprocessing
import os
import secrets
import tempfile
import time as clock
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import IO, Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import h3
import numpy as np
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, CharField, Model, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from numpy.typing import NDArray
from pydantic_core import to_json

from hofburg.core import access
from hofburg.core.access import AccessDenied
from hofburg.core.bounds import CLOCK_SKEW
from hofburg.core.errors import Conflict, Invalid, ServiceError
from hofburg.core.idempotency import differing_fields
from hofburg.core.models import Affiliation, Classification, User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.core.tables import csv_dict_writer, csv_writer
from hofburg.monitoring.clean_csv import read_clean
from hofburg.monitoring.engine.areas import ReportingAreas, load_reporting_areas
from hofburg.monitoring.engine.columns import (
    CATEGORIES,
    METHODS,
    OBSERVER_KINDS,
    FloatArray,
    ObservationColumns,
    none_for_nan,
    observation_columns,
)
from hofburg.monitoring.engine.locate import Fix
from hofburg.monitoring.engine.merge import Event as MergedEvent
from hofburg.monitoring.engine.merge import (
    Location,
    MergeRules,
    collector_paused,
    load_merge_rules,
    located_at,
    merge_columns,
    time_order,
)
from hofburg.monitoring.engine.merge import merge_observations as merge_with_engine
from hofburg.monitoring.engine.observations import Observation as Reported
from hofburg.monitoring.engine.observations import ObservationError, observation_from_mapping
from hofburg.monitoring.engine.periods import ReportingCalendar
from hofburg.monitoring.engine.withdrawal import (
    Sighting,
    WithdrawalError,
    check_sighting,
    load_reference_lines,
    load_withdrawal_rules,
)
from hofburg.monitoring.metrics import imports_counted, submissions_counted
from hofburg.monitoring.models import (
    CONFIDENTIAL_SCOPE_PREFIX,
    PUBLIC_SCOPE,
    RESTRICTED_SCOPE,
    AreaWeekCount,
    CellCount,
    CellMonthCount,
    CellWeekCount,
    CivilianImpact,
    DailyCount,
    Event,
    EventStatus,
    ImportBatch,
    MovementRestriction,
    Observation,
    ObservationStatus,
    RollupGeneration,
    WeaponSighting,
    visibility_scope,
)

AnyUser = User | AnonymousUser

# The CSV import's header, in any column order (issue 4). The first eight are required.
CSV_COLUMNS = ("observation_id", "observed_at", "observer_id", "observer_kind", "observer_lon",
               "observer_lat", "method", "category", "weapon_class", "count", "bearing_deg",
               "sector", "distance_km_min", "distance_km_max", "notes")
REQUIRED_COLUMNS = CSV_COLUMNS[:8]

# H3 resolutions: the cell stored beside each event (about 0.7 km2), the map rollup's cell
# (about 36 km2) and the reporting area of an event outside every named area (about
# 1,770 km2). A mission reports by its named areas (settings.MONITORING_AREAS); an event beyond
# them is still counted, under this coarse cell, rather than dropped from the period's figures
# or folded into a nearest area it is not in.
EVENT_RESOLUTION = 8
MAP_RESOLUTION = 6
AREA_RESOLUTION = 4

# Observations merged per step of a large import: bounds the engine's memory; the window
# around each step is re-read from the database, so an event is never cut at a step's edge.
MERGE_STEP = 50_000
# A large import is merged in stretches of about this many observations, cut where no event
# can span the cut; from PARALLEL_FROM observations on, in MERGE_WORKERS processes while this
# one writes what they hand back (one core is left to the writing).
STRETCH = 20_000
RAMP = (8, 8, 4, 4, 2, 2)  # the first stretches are STRETCH divided by these
ROLLUP_FLUSH = 5  # stretches stored between two writes of their rollup sums
PARALLEL_FROM = 40_000
# From this many new observations (and at least as many as are stored), SQLite's plain indexes
# whose keys arrive in no particular order are dropped for the import and built again at its
# end: an event's cell. The others are kept up to date as rows come, because their keys grow
# at one end (times, report dates, event ids, written in time order) or take few values
# (status, area); building them again would read the whole table back, once per index.
REINDEX_FROM = 100_000
SET_ASIDE_INDEXES: dict[type[Model], tuple[str, ...]] = {Event: ("h3_cell",)}
MERGE_WORKERS = max(1, min(4, os.cpu_count() or 1))
_READ_BLOCK = 50_000  # rows read and validated at a time
PARALLEL_READ_FROM = 16 << 20  # bytes: a smaller file is read in one process
_INSERT_BATCH = 5_000
IN_BATCH = 900  # SQLite's historical limit of bound parameters per statement, with room


# --- errors ---------------------------------------------------------------------------------


class MonitoringError(ServiceError, ValueError):
    """A request the desk cannot carry out; the message says why (422 in the API)."""


class SubmissionInvalid(MonitoringError, Invalid):
    """A submitted record does not validate; `field` names the first faulty field."""

    field: str

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


class SubmissionConflict(MonitoringError, Conflict):
    """The client or observation id is already used by a different record."""


class WorkflowError(MonitoringError, Conflict):
    """A status change the workflow does not allow (publishing a provisional event, say)."""


@dataclass(frozen=True)
class RowProblem:
    """A rejected CSV row: its line number in the file (the header is row 1) and the reason."""

    row: int
    observation_id: str
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "observation_id": self.observation_id, "field": self.field,
                "reason": self.reason}

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.reason}"


@dataclass
class ImportSummary:
    """What an import did. `events` counts events created; `events_updated` those changed."""

    read: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: int = 0
    events: int = 0
    events_updated: int = 0
    sha256: str = ""
    batch_id: int | None = None
    previous_batch_id: int | None = None
    rejects_path: str | None = None
    problems: list[RowProblem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self, max_problems: int = 100) -> dict[str, Any]:
        return {"read": self.read, "inserted": self.inserted, "duplicates": self.duplicates,
                "rejected": self.rejected, "events": self.events,
                "events_updated": self.events_updated, "sha256": self.sha256,
                "batch_id": self.batch_id, "previous_batch_id": self.previous_batch_id,
                "rejects_path": self.rejects_path,
                "problems": [p.as_dict() for p in self.problems[:max_problems]],
                "seconds": {k: round(v, 3) for k, v in self.seconds.items()}}


class ImportRejected(MonitoringError):
    """The file was rejected as a whole and nothing was written; `summary.problems` says why."""

    def __init__(self, summary: ImportSummary, message: str | None = None) -> None:
        first = summary.problems[0] if summary.problems else None
        super().__init__(message or f"{summary.rejected} bad row(s), the first {first}; "
                                    f"nothing was imported")
        self.summary = summary


# --- mission parameters ---------------------------------------------------------------------


def _monitoring_data() -> Path:
    return Path(settings.REFERENCE_DATA_DIR) / "monitoring"


@cache
def merge_rules() -> MergeRules:
    """The mission's merge and locate parameters (data/monitoring/merge_rules.yaml)."""
    return load_merge_rules(_monitoring_data() / "merge_rules.yaml")


@cache
def reporting_calendar() -> ReportingCalendar:
    """The mission's reporting periods: from the cut-off to the cut-off in its local time zone
    (settings MONITORING_TIME_ZONE and MONITORING_PERIOD_CUTOFF; the SMM used 19:30)."""
    return ReportingCalendar(time_zone=settings.MONITORING_TIME_ZONE,
                             cutoff=settings.MONITORING_PERIOD_CUTOFF)


@cache
def _zone() -> ZoneInfo:
    return reporting_calendar().zone


@cache
def _cutoff_on(day: date) -> datetime:
    return reporting_calendar().cutoff_on(day)


def report_date_of(moment: datetime) -> date:
    """The date of the report whose period holds `moment` (the engine's rule, with the cut-off
    of each local day computed once)."""
    local_day = moment.astimezone(_zone()).date()
    if moment >= _cutoff_on(local_day):
        return local_day + timedelta(days=1)
    return local_day


@cache
def reporting_areas() -> ReportingAreas:
    """The mission's named reporting areas (settings.MONITORING_AREAS), read once."""
    return load_reporting_areas(settings.MONITORING_AREAS)


def area_name(area: str) -> str | None:
    """A reporting area's name; None for a coarse cell standing for an area (no name)."""
    return reporting_areas().name_of(area)


def area_at(lon: float, lat: float, cell: str) -> str:
    """The reporting area of an event at (lon, lat) in H3 cell `cell`: the code of the named
    area holding it, else the cell's coarse parent (`area_of_cell`)."""
    return reporting_areas().code_at(lon, lat) or area_of_cell(cell)


def areas_at(lons: FloatArray, lats: FloatArray, cells: Sequence[str],
             areas: ReportingAreas | None = None) -> list[str]:
    """`area_at` for many events at once, by `areas` (default: the mission's)."""
    named = (areas or reporting_areas()).codes_at(lons, lats)
    return [code or area_of_cell(cell) for code, cell in zip(named, cells, strict=True)]


def area_of_cell(cell: str) -> str:
    """The coarse cell that is the reporting area of an event outside every named area."""
    return str(h3.cell_to_parent(cell, AREA_RESOLUTION))


def map_cell_of(cell: str) -> str:
    return str(h3.cell_to_parent(cell, MAP_RESOLUTION))


@cache
def _cell_centre(cell: str) -> tuple[float, float]:
    lat, lon = h3.cell_to_latlng(cell)
    return float(lon), float(lat)


# --- who may do what ------------------------------------------------------------------------


def may_submit(user: AnyUser) -> bool:
    """Editors of a field operation (the mission's monitors) may submit and import records."""
    return access.can_contribute(user, {Affiliation.Kind.FIELD_OPERATION})


def _require_submitter(user: AnyUser) -> User:
    if not isinstance(user, User) or not may_submit(user):
        raise AccessDenied("Submitting observations needs an editor of a field operation.")
    return user


def _require_editor(user: AnyUser, record: Model) -> User:
    if not isinstance(user, User) or not access.can_edit(user, record):
        raise AccessDenied("Only editors of the owning affiliation may change this record.")
    return user


# --- rows -----------------------------------------------------------------------------------


class _Row(NamedTuple):
    """A validated observation in a compact form (a million of them must fit in memory)."""

    observed_at: datetime
    observation_id: str
    observer_id: str
    observer_kind: str
    observer_lon: float
    observer_lat: float
    method: str
    category: str
    weapon_class: str | None
    at_least: int
    bearing_deg: float | None
    sector: str | None
    compass_points: int
    distance_km_min: float | None
    distance_km_max: float | None
    notes: str

    @classmethod
    def of(cls, o: Reported) -> _Row:
        # Interning shares the few distinct observer ids and weapon classes among many rows.
        intern = _intern
        return cls(o.observed_at, o.observation_id, intern(o.observer_id),
                   o.observer_kind.value, o.observer_lon, o.observer_lat, o.method.value,
                   o.category.value, intern(o.weapon_class) if o.weapon_class else None, o.count,
                   o.bearing_deg, intern(o.sector) if o.sector else None, o.compass_points,
                   o.distance_km_min, o.distance_km_max, o.notes)

    def reported(self) -> Reported:
        return Reported(
            observation_id=self.observation_id, observed_at=self.observed_at,
            observer_id=self.observer_id, observer_kind=self.observer_kind,  # type: ignore[arg-type]
            observer_lon=self.observer_lon, observer_lat=self.observer_lat,
            method=self.method, category=self.category,  # type: ignore[arg-type]
            count=self.at_least, bearing_deg=self.bearing_deg, sector=self.sector,
            distance_km_min=self.distance_km_min, distance_km_max=self.distance_km_max,
            weapon_class=self.weapon_class, compass_points=self.compass_points, notes=self.notes)


_interned: dict[str, str] = {}


def _intern(text: str) -> str:
    return _interned.setdefault(text, text)


def _reported_of(record: Observation) -> Reported:
    return Reported(
        observation_id=record.observation_id,
        observed_at=record.observed_at.astimezone(
            UTC if not record.utc_offset_minutes else _offset(record.utc_offset_minutes)),
        observer_id=record.observer_id, observer_kind=record.observer_kind,  # type: ignore[arg-type]
        observer_lon=record.observer_lon, observer_lat=record.observer_lat,
        method=record.method, category=record.category,  # type: ignore[arg-type]
        count=record.count, bearing_deg=record.bearing_deg, sector=record.sector or None,
        distance_km_min=record.distance_km_min, distance_km_max=record.distance_km_max,
        weapon_class=record.weapon_class or None, compass_points=record.compass_points,
        notes=record.notes)


@cache
def _offset(minutes: int) -> Any:
    from datetime import timezone as dt_timezone

    return dt_timezone(timedelta(minutes=minutes))


def latest_observation_time() -> datetime:
    """The latest time an observation may carry: now, plus the skew a device's clock may have
    (`core.bounds.CLOCK_SKEW`, the bound the API and the forms state)."""
    return timezone.now() + CLOCK_SKEW


def validate_observation(data: Mapping[str, Any]) -> Reported:
    """The engine's observation from plain data; SubmissionInvalid names the faulty field."""
    try:
        return observation_from_mapping({k: v for k, v in data.items() if v is not None},
                                        latest_observation_time())
    except ObservationError as error:
        raise SubmissionInvalid(error.field, error.message) from None
    except TypeError as error:
        raise SubmissionInvalid("observation", str(error)) from None


# --- submitting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """Who and what new records carry: classification, owner, exercise mark, batch."""

    actor: User | None
    classification: str = Classification.RESTRICTED
    owner_affiliation_id: int | None = None
    is_exercise: bool = False
    batch_id: int | None = None


def _provenance(actor: User | None, classification: str | None, is_exercise: bool
                ) -> Provenance:
    level = classification or Classification.RESTRICTED
    if level not in Classification.values:
        raise SubmissionInvalid("classification", f"{level!r} is not a classification level")
    return Provenance(actor=actor, classification=level,
                      owner_affiliation_id=actor.affiliation_id if actor else None,
                      is_exercise=is_exercise)


@submissions_counted
def submit_observation(user: AnyUser, data: Mapping[str, Any], client_id: str | None = None, *,
                       classification: str | None = None, is_exercise: bool = False
                       ) -> tuple[Observation, bool]:
    """Store one observation and merge it into the events; (the record, True if new).

    Idempotent by `client_id` (decision 0021): a retry with the same id and the same content
    returns the stored record and False, never a duplicate, also when retries race each other;
    the same id with different content is a SubmissionConflict naming the fields that differ.
    Without `observation_id` in `data` the id is derived from `client_id`. Raises
    SubmissionInvalid (a field does not validate), SubmissionConflict (the id is taken by
    another record, another user's client or different content) and AccessDenied.
    """
    actor = _require_submitter(user)
    if client_id is not None and not (isinstance(client_id, str) and 0 < len(client_id) <= 64):
        raise SubmissionInvalid("client_id", "must be a string of 1 to 64 characters")
    values = dict(data)
    if not values.get("observation_id"):
        if client_id is None:
            raise SubmissionInvalid("observation_id", "is required without a client_id")
        values["observation_id"] = f"obs-{client_id}"
    reported = validate_observation(values)
    if len(reported.observation_id) > 64:
        raise SubmissionInvalid("observation_id", "must be at most 64 characters")
    provenance = _provenance(actor, classification, is_exercise)
    existing = _existing_submission(actor, client_id, reported, provenance)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            taken = Observation.objects.filter(observation_id=reported.observation_id).exists()
            if not taken:
                _ingest([_Row.of(reported)], provenance,
                        client_ids={reported.observation_id: client_id})
                record = Observation.objects.get(observation_id=reported.observation_id)
                record_change(actor, "create", record, None, snapshot(record))
    except (IntegrityError, connection.Database.IntegrityError):  # type: ignore[attr-defined]
        # The unique client or observation id: another request stored it first. (The rows go
        # in by COPY on PostgreSQL, whose errors come from the driver, unwrapped by Django.)
        taken = True
    if taken:
        # The first of several concurrent retries stored it meanwhile: answer as a retry.
        existing = _existing_submission(actor, client_id, reported, provenance)
        if existing is None:
            raise SubmissionConflict(
                f"observation_id {reported.observation_id!r} is already stored")
        return existing, False
    return record, True


def _existing_submission(actor: User, client_id: str | None, reported: Reported,
                         provenance: Provenance) -> Observation | None:
    """The observation stored under `client_id` when it is the same submission, else None;
    SubmissionConflict when the id was another user's or came with different content."""
    if client_id is None:
        return None
    existing = Observation.objects.filter(client_id=client_id).first()
    if existing is None:
        return None
    if existing.submitted_by_id != actor.pk:
        raise SubmissionConflict("this client id was used by another user")
    differing = differing_fields(_submission_content(_reported_of(existing),
                                                     existing.classification,
                                                     existing.is_exercise),
                                 _submission_content(reported, provenance.classification,
                                                     provenance.is_exercise))
    if differing:
        raise SubmissionConflict(
            f"client id {client_id!r} was used for a different observation: "
            f"{', '.join(differing)} differ from the stored one")
    return existing


def _submission_content(reported: Reported, classification: str, is_exercise: bool
                        ) -> dict[str, Any]:
    """What a submission says, for comparing a retry with the stored record: the time with
    its UTC offset (as entered), the other fields as validated."""
    content = {f.name: getattr(reported, f.name) for f in fields(reported)}
    content["observed_at"] = reported.observed_at.isoformat()
    content.update(classification=classification, is_exercise=is_exercise)
    return content


# --- importing ------------------------------------------------------------------------------


Progress = Callable[[str, int, int], None]


@imports_counted
def import_observations(source: str | Path | IO[bytes], *, skip_bad: bool = False,
                        rejects_path: str | Path | None = None, actor: User | None = None,
                        classification: str | None = None, is_exercise: bool = False,
                        progress: Progress | None = None) -> ImportSummary:
    """Import observations from a CSV file (header in any column order; see CSV_COLUMNS).

    Every row is validated first. With a bad row and without `skip_bad`, ImportRejected is
    raised and nothing is written; with `skip_bad`, bad rows are written to `rejects_path`
    (default: beside the file, `<name>.rejects.csv`) with their row number and reason, and the
    good rows are imported. Rows whose observation_id is stored already count as duplicates, so
    importing the same file again changes nothing. The writing is one transaction: a failure
    half way leaves nothing behind. `actor` None is the command line's system user.
    """
    with collector_paused():
        return _import_observations(source, skip_bad=skip_bad, rejects_path=rejects_path,
                                    actor=actor, classification=classification,
                                    is_exercise=is_exercise, progress=progress)


def _import_observations(source: str | Path | IO[bytes], *, skip_bad: bool,
                         rejects_path: str | Path | None, actor: User | None,
                         classification: str | None, is_exercise: bool,
                         progress: Progress | None) -> ImportSummary:
    summary = ImportSummary()
    started = clock.perf_counter()
    stream, digest, name = _open_source(source)
    try:
        with stream:
            columns, bad_rows, fieldnames = _read_source(source, stream, summary,
                                                         latest_observation_time())
    finally:
        summary.sha256 = digest()
    summary.seconds["parse"] = clock.perf_counter() - started
    previous = ImportBatch.objects.filter(sha256=summary.sha256).order_by("pk").first()
    summary.previous_batch_id = previous.pk if previous else None
    if summary.problems and not skip_bad:
        raise ImportRejected(summary)
    columns = _drop_stored(columns, summary)
    provenance = _provenance(actor, classification, is_exercise)
    mark = clock.perf_counter()
    if not len(columns):
        # Nothing new (the same file again, say): nothing is written, not even a batch.
        summary.batch_id = summary.previous_batch_id
        _finish_rejects(summary, rejects_path, name, fieldnames, bad_rows)
        summary.seconds["total"] = clock.perf_counter() - started
        return summary
    with _references_made_here(len(columns)), transaction.atomic():
        batch = ImportBatch.objects.create(sha256=summary.sha256, filename=name[:255],
                                           actor=actor, skip_bad=skip_bad)
        provenance = Provenance(**{**provenance.__dict__, "batch_id": batch.pk})
        created, updated = _ingest_columns(columns, provenance, progress=progress,
                                           timings=summary.seconds)
        summary.inserted, summary.events, summary.events_updated = len(columns), created, updated
        batch.summary = summary.as_dict(max_problems=20)
        batch.save(update_fields=["summary"])
        summary.batch_id = batch.pk
        record_change(actor, "import", batch, None, batch.summary)
        committed = clock.perf_counter()
    summary.seconds["commit"] = clock.perf_counter() - committed
    summary.seconds["write"] = clock.perf_counter() - mark
    _finish_rejects(summary, rejects_path, name, fieldnames, bad_rows)
    summary.seconds["total"] = clock.perf_counter() - started
    return summary


@contextmanager
def _references_made_here(rows: int) -> Iterator[None]:
    """On SQLite, a large import's transaction runs with foreign keys unchecked (decision 0014):
    every reference it writes is one it made in the same transaction, the batch it created,
    the events whose keys it reserved and inserted before their observations, the importing
    user and that user's affiliation. Checking them cost a lookup per reference per row, about
    a twentieth of the importing process's work for a million observations. The pragma can
    only change outside a transaction, so an import inside the caller's transaction keeps the
    checks; they are back on when the import ends, by an error too."""
    if connection.vendor != "sqlite" or rows < PARALLEL_FROM or connection.in_atomic_block:
        yield
        return
    with connection.constraint_checks_disabled():
        yield


def _finish_rejects(summary: ImportSummary, rejects_path: str | Path | None, name: str,
                    fieldnames: list[str], bad_rows: list[tuple[int, list[str]]]) -> None:
    if summary.problems:
        target = Path(rejects_path) if rejects_path else _default_rejects_path(name)
        _write_rejects(target, fieldnames, bad_rows, summary.problems)
        summary.rejects_path = str(target)


def parse_observations_file(source: str | Path | IO[bytes]) -> ImportSummary:
    """Read and validate a CSV file without writing anything (the import's first step)."""
    summary = ImportSummary()
    started = clock.perf_counter()
    stream, digest, _name = _open_source(source)
    try:
        with stream, collector_paused():
            columns, _bad, _fields = _read_source(source, stream, summary,
                                                  latest_observation_time())
    finally:
        summary.sha256 = digest()
    summary.inserted = 0
    summary.seconds["parse"] = clock.perf_counter() - started
    del columns
    return summary


def _open_source(source: str | Path | IO[bytes]) -> tuple[IO[str], Callable[[], str], str]:
    """A text stream over the file, its SHA-256 (to be asked for once the file is read) and a
    name. A file on disk is hashed in a thread while it is read (hashing and reading let go of
    the interpreter); an upload is spooled to disk and hashed on the way."""
    digest = hashlib.sha256()
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            stream = path.open(encoding="utf-8-sig", newline="")
        except OSError as error:
            raise MonitoringError(f"{path}: {error.strerror or error}") from None
        hashing = ThreadPoolExecutor(1, thread_name_prefix="sha256")
        hashed = hashing.submit(_file_sha256, path)
        hashing.shutdown(wait=False)

        def file_digest() -> str:
            try:
                return hashed.result()
            except OSError as error:
                raise MonitoringError(f"{path}: {error.strerror or error}") from None

        return stream, file_digest, str(path)
    spool = tempfile.SpooledTemporaryFile(max_size=16 << 20)  # noqa: SIM115 - returned open
    for block in iter(lambda: source.read(1 << 20), b""):
        digest.update(block)
        spool.write(block)
    spool.seek(0)
    text = io.TextIOWrapper(spool, encoding="utf-8-sig", newline="")
    spooled = digest.hexdigest()
    return text, lambda: spooled, getattr(source, "name", "") or "upload.csv"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_rows(stream: IO[str], summary: ImportSummary, latest: datetime
               ) -> tuple[ObservationColumns, list[tuple[int, list[str]]], list[str]]:
    """Every valid row as columns, the bad rows as they were, and the header.

    The file is read a block of rows at a time and each block validated a column at a time
    (engine.columns); the problems are the engine's, in row order, plus the file's own: a row
    of the wrong width, an id repeated in the file, ids longer than the database keeps.
    """
    reader = csv.reader(stream)
    header = _read_header(reader, summary)
    return _finish_reading([_read_part(reader, header, latest, marked=False)], header,
                           summary)


def _read_source(source: str | Path | IO[bytes], stream: IO[str], summary: ImportSummary,
                 latest: datetime
                 ) -> tuple[ObservationColumns, list[tuple[int, list[str]]], list[str]]:
    """Every valid row as columns, the bad rows as they were, and the header; a row observed
    after `latest` is a bad row."""
    if isinstance(source, str | Path):
        return _read_file(Path(source), stream, summary, latest)
    return _read_rows(stream, summary, latest)


def _read_file(path: Path, stream: IO[str], summary: ImportSummary, latest: datetime
               ) -> tuple[ObservationColumns, list[tuple[int, list[str]]], list[str]]:
    """`_read_rows` for a file on disk; a large one is read in parts, one per core.

    The file is cut after a line end with an even number of quote characters before it (so
    not inside a quoted field) and each part read on its own; every part but the last is
    read with a mark after it, which must come back as a record of its own, proving the
    part ended between two rows. The answer is the same as reading the file in one go: where
    that cannot be proved (a part did not end between rows, an id repeats across parts), the
    file is read again in one go.
    """
    clean = _read_clean(path, summary, latest)
    if clean is not None:
        return clean
    if MERGE_WORKERS > 1 and path.stat().st_size >= PARALLEL_READ_FROM:
        read = _read_in_parts(path, MERGE_WORKERS, summary, latest)
        if read is not None:
            return read
    return _read_rows(stream, summary, latest)


def _read_clean(path: Path, summary: ImportSummary, latest: datetime
                ) -> tuple[ObservationColumns, list[tuple[int, list[str]]], list[str]] | None:
    """A clean file read with Arrow (see clean_csv), or None: the general reader reads it
    (also when a row is observed after `latest`, so that reader names the row)."""
    try:
        with path.open("rb") as handle:
            first = handle.readline().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if '"' in first or "\r" in first.rstrip("\r\n") or not first.endswith("\n"):
        return None
    header = _read_header(csv.reader(io.StringIO(first, newline="")), summary)
    columns = read_clean(path, header)
    if columns is None or (len(columns) and columns.observed_at.max() > latest.timestamp()):
        return None
    summary.read = len(columns)
    return columns, [], header


def _read_header(reader: Iterator[list[str]], summary: ImportSummary) -> list[str]:
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ImportRejected(summary, "the file is empty: no header row") from None
    except (csv.Error, UnicodeDecodeError) as error:
        raise ImportRejected(summary, f"row 1: {error}") from None
    unknown = [name for name in header if name not in CSV_COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    doubled = sorted({name for name in header if header.count(name) > 1})
    if unknown or missing or doubled:
        parts = ([f"unknown column(s) {', '.join(unknown)}"] if unknown else []) + \
                ([f"missing column(s) {', '.join(missing)}"] if missing else []) + \
                ([f"repeated column(s) {', '.join(doubled)}"] if doubled else [])
        raise ImportRejected(summary, f"row 1 (header): {'; '.join(parts)}; expected "
                                      f"{','.join(CSV_COLUMNS)} in any order")
    return header


class _Part(NamedTuple):
    """One part of a file, read. Rows are numbered as if the part began the file (its first
    row is row 2); `_finish_reading` shifts them by the rows of the parts before it."""

    columns: ObservationColumns
    found: list[tuple[RowProblem, list[str]]]
    repeats: list[tuple[int, str, int, list[str]]]  # (row, id, the row that had it first, values)
    read: int  # rows read (blank lines are not rows)
    records: int  # records read, blank lines included: what the row numbers count
    error: tuple[int, str] | None  # the row and message of an error that stopped the reading
    clean: bool  # the part ended between two rows (proved by its mark, if it had one)


_PART_MARK = "\ue000"  # a private-use character: after a part, read back alone as a record


def _read_part(reader: Iterator[list[str]], header: list[str], latest: datetime, *,
               marked: bool) -> _Part:
    """Read and validate rows until the reader ends, a block at a time; with `marked`, the
    last record must be the mark (see `_read_file`), which is not a row."""
    width = len(header)
    index_of_id = header.index("observation_id")
    blocks: list[ObservationColumns] = []
    found: list[tuple[RowProblem, list[str]]] = []
    repeats: list[tuple[int, str, int, list[str]]] = []
    seen: dict[str, int] = {}
    records: list[list[str]] = []
    lines: list[int] = []
    read = 0

    def validate_block() -> None:
        columns, errors = observation_columns(header, records, latest)
        for error in errors:
            found.append((RowProblem(lines[error.index], error.observation_id, error.field,
                                     error.message), records[error.index]))
        failed = {error.index for error in errors}
        good_lines = [line for k, line in enumerate(lines) if k not in failed] if failed else lines
        good_records = ([record for k, record in enumerate(records) if k not in failed]
                        if failed else records)
        ids, observers = columns.observation_id, columns.observer_id
        if (len(set(ids)) == len(ids) and seen.keys().isdisjoint(ids)
                and max(map(len, ids), default=0) <= 64
                and max(map(len, observers), default=0) <= 64):
            # The common case, settled a column at a time: no id repeats, none is too long.
            seen.update(zip(ids, good_lines, strict=True))
            blocks.append(columns)
        else:
            keep = []
            for position, (oid, observer) in enumerate(zip(ids, observers, strict=True)):
                line = good_lines[position]
                first = seen.setdefault(oid, line)
                if first != line:
                    repeats.append((line, oid, first, good_records[position]))
                elif len(oid) > 64 or len(observer) > 64:
                    found.append((RowProblem(line, oid[:64], "observation_id",
                                             "ids are at most 64 characters"),
                                  good_records[position]))
                else:
                    keep.append(position)
            blocks.append(columns if len(keep) == len(columns) else columns.take(keep))
        records.clear()
        lines.clear()

    line = 1  # the row number of the last record taken from the reader
    clean = not marked
    error: tuple[int, str] | None = None
    taken: list[list[str]] = []
    while True:
        # Records are taken a block at a time at C speed; a record that stops the reader
        # leaves those before it in the block (list.extend keeps what it has taken).
        taken.clear()
        problem: Exception | None = None
        try:
            taken.extend(itertools.islice(reader, _READ_BLOCK))
        except (csv.Error, UnicodeDecodeError) as stopped:
            problem = stopped
        ended = problem is not None or len(taken) < _READ_BLOCK
        if taken and set(map(len, taken)) == {width}:
            # Every record is a row as wide as the header: no blank line, no mark.
            read += len(taken)
            records.extend(taken)
            lines.extend(range(line + 1, line + 1 + len(taken)))
            line += len(taken)
        else:
            for values in taken:
                line += 1
                if marked and values == [_PART_MARK]:
                    # The mark, or a row that looks like it: it must be the last record.
                    try:
                        clean = values is taken[-1] and problem is None and next(
                            reader, None) is None
                    except (csv.Error, UnicodeDecodeError) as stopped:
                        problem = stopped
                    line -= 1
                    ended = True
                    break
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue  # a blank line is not a row
                read += 1
                if len(values) != width:
                    found.append((RowProblem(line, values[index_of_id]
                                             if len(values) > index_of_id else "", "row",
                                             f"has {len(values)} fields, the header {width}"),
                                  values))
                    continue
                records.append(values)
                lines.append(line)
        if problem is not None:
            error = (line + 1, str(problem))
            break
        if len(records) >= _READ_BLOCK or (ended and records):
            validate_block()
        if ended:
            break
    return _Part(ObservationColumns.concat(blocks), found, repeats, read, line - 1, error,
                 clean)


def _finish_reading(parts: Sequence[_Part], header: list[str], summary: ImportSummary
                    ) -> tuple[ObservationColumns, list[tuple[int, list[str]]], list[str]]:
    """The parts as one file: rows numbered from the file's start, problems in row order; an
    error that stopped a part rejects the file (the parts after it are not counted)."""
    found: list[tuple[RowProblem, list[str]]] = []
    offset = 0
    for part in parts:
        summary.read += part.read
        if part.error is not None:
            row, message = part.error
            raise ImportRejected(summary, f"row {row + offset}: {message}; nothing was imported")
        found.extend((replace(problem, row=problem.row + offset), values)
                     for problem, values in part.found)
        found.extend((RowProblem(row + offset, oid, "observation_id",
                                 f"repeats the id of row {first + offset}"), values)
                     for row, oid, first, values in part.repeats)
        offset += part.records
    found.sort(key=lambda item: item[0].row)
    summary.problems = [problem for problem, _ in found]
    summary.rejected = len(summary.problems)
    bad = [(problem.row, values) for problem, values in found]
    return ObservationColumns.concat([part.columns for part in parts]), bad, header


def _read_in_parts(path: Path, count: int, summary: ImportSummary, latest: datetime
                   ) -> tuple[ObservationColumns, list[tuple[int, list[str]]], list[str]] | None:
    """`_read_file`'s parallel reading; None where the answer could differ from reading the
    file in one go."""
    cuts = _cuts(path, count)
    if cuts is None or len(cuts) < 3:
        return None
    with path.open("rb") as handle:
        head = handle.read(cuts[0]).decode("utf-8-sig", errors="strict")
    header = _read_header(csv.reader(io.StringIO(head, newline="")), summary)
    ranges = list(itertools.pairwise(cuts))
    last = len(ranges) - 1
    with ProcessPoolExecutor(last, mp_context=multiprocessing.get_context("fork")) as pool:
        later = [pool.submit(_read_range, path, start, end, header, latest, k < last)
                 for k, (start, end) in enumerate(ranges[1:], start=1)]
        parts = [_read_range(path, *ranges[0], header, latest, True),
                 *(future.result() for future in later)]
    stopped = next((k for k, part in enumerate(parts) if part.error is not None), len(parts))
    if not all(part.clean for part in parts[:stopped]):
        return None
    parts = parts[:stopped + 1]
    seen: set[str] = set()
    for part in parts:
        ids = {*part.columns.observation_id,
               *(problem.observation_id for problem, _ in part.found
                 if problem.field == "observation_id")}
        if not seen.isdisjoint(ids):
            return None  # an id repeats across parts: the first row is found reading in one go
        seen |= ids
    return _finish_reading(parts, header, summary)


def _read_range(path: Path, start: int, end: int, header: list[str], latest: datetime,
                marked: bool) -> _Part:
    """Read bytes [start, end) of the file as rows (in a worker process, but the first)."""
    with path.open("rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    if marked:
        data += f"{_PART_MARK}\n".encode()
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    return _read_part(csv.reader(stream), header, latest, marked=marked)


def _cuts(path: Path, count: int) -> list[int] | None:
    """Byte offsets cutting the file into about `count` parts: the end of the header line, the
    cuts, the file's size. Each cut follows a line end with an even number of quote
    characters since the header (outside quotes in a well-formed file). None if the header
    line holds a quote character or has no end."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ
                                              ) as view:
        size = len(view)
        line_end = view.find(b"\n", 0, 1 << 16)
        if line_end < 0 or view.find(b'"', 0, line_end) >= 0:
            return None
        cuts = [line_end + 1]
        counted, odd = cuts[0], False
        for k in range(1, count):
            newline = view.find(b"\n", max(counted, cuts[0] + (size - cuts[0]) * k // count))
            while newline >= 0:
                odd ^= bool(_quotes(view, counted, newline + 1) % 2)
                counted = newline + 1
                if not odd:
                    break
                newline = view.find(b"\n", counted)
            if newline < 0 or newline + 1 >= size:
                break
            cuts.append(newline + 1)
        cuts.append(size)
        return cuts


def _quotes(view: mmap.mmap, start: int, end: int) -> int:
    """Quote characters in view[start:end], read 8 MB at a time."""
    step = 8 << 20
    return sum(view[at:min(at + step, end)].count(b'"') for at in range(start, end, step))


def _drop_stored(columns: ObservationColumns, summary: ImportSummary) -> ObservationColumns:
    """The rows whose observation_id is not stored yet; the others count as duplicates."""
    if not len(columns) or not Observation.objects.exists():
        return columns
    stored: set[str] = set()
    ids = columns.observation_id
    for start in range(0, len(ids), IN_BATCH):
        stored.update(Observation.objects.filter(observation_id__in=ids[start:start + IN_BATCH])
                      .values_list("observation_id", flat=True))
    summary.duplicates = len(stored)
    if not stored:
        return columns
    return columns.take([k for k, oid in enumerate(ids) if oid not in stored])


def _default_rejects_path(name: str) -> Path:
    path = Path(name)
    return path.with_name(f"{path.stem}.rejects.csv")


def _write_rejects(target: Path, header: list[str], bad: list[tuple[int, list[str]]],
                   problems: list[RowProblem]) -> None:
    """The bad rows as they were, with their row number and reason in front."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv_writer(handle)
        writer.writerow(["row", "reason", *header])
        for (line, values), problem in zip(bad, problems, strict=True):
            writer.writerow([line, f"{problem.field}: {problem.reason}", *values])
    os.replace(temporary, target)


# --- ingest: insert, merge the window, update the rollups ---------------------------------


_OBSERVATION_COLUMNS = (
    "observation_id", "client_id", "observed_at", "utc_offset_minutes", "observer_id",
    "observer_kind", "observer_lon", "observer_lat", "method", "category", "weapon_class",
    "count", "bearing_deg", "sector", "compass_points", "distance_km_min", "distance_km_max",
    "notes", "status", "status_reason", "event", "batch", "submitted_by", "revision",
    "is_exercise", "created_at", "classification", "owner_affiliation")

_EVENT_FIELDS = (
    "category", "weapon_class", "count_at_least", "first_observed_at", "last_observed_at",
    "report_date", "lon", "lat", "h3_cell", "area", "location_method", "ellipse_semi_major_m",
    "ellipse_semi_minor_m", "ellipse_orientation_deg", "area_km2", "number_of_sources",
    "needs_review", "explanation")
_EVENT_COLUMNS = ("event_key", "status", *_EVENT_FIELDS, "is_exercise", "created_at",
                  "updated_at", "classification", "owner_affiliation")
_BULK_EVENT_COLUMNS = ("event_key", *_EVENT_FIELDS)


def _ingest(rows: Sequence[_Row], provenance: Provenance, *,
            client_ids: Mapping[str, str | None] | None = None, progress: Progress | None = None,
            timings: dict[str, float] | None = None) -> tuple[int, int]:
    """Insert new observations and merge them, step by step in time order; (created, updated)
    events. Runs inside the caller's transaction."""
    ordered = sorted(rows, key=lambda row: (row.observed_at.timestamp(), row.observation_id))
    created = updated = 0
    for start in range(0, len(ordered), MERGE_STEP):
        step = ordered[start:start + MERGE_STEP]
        mark = clock.perf_counter()
        _insert_observations(step, provenance, client_ids or {})
        _add_time(timings, "insert", mark)
        low, high = step[0].observed_at, step[-1].observed_at
        outcome = _remerge(low, high, timings=timings)
        created += outcome[0]
        updated += outcome[1]
        if progress:
            progress("merge", start + len(step), len(ordered))
    return created, updated


# --- ingest at scale: independent stretches merged in parallel, stored in bulk --------------


def _ingest_columns(columns: ObservationColumns, provenance: Provenance, *,
                    progress: Progress | None = None,
                    timings: dict[str, float] | None = None) -> tuple[int, int]:
    """Insert and merge many new observations; (events created, events updated or withdrawn).

    The observations are cut, in time order, where two consecutive ones lie more than the
    merge window apart: no event can span such a gap, so each stretch merges on its own. A
    stretch with no stored observation within a window of it is new ground: it is merged in
    memory (on every core) and its events and observations written in bulk, each observation
    already pointing at its event. A stretch next to stored observations goes the general way
    (`_ingest`: insert, then re-merge the window with what is stored). Runs inside the caller's
    transaction.
    """
    mark = clock.perf_counter()
    columns = columns.take(time_order(columns.observed_at, columns.observation_id))
    _add_time(timings, "sort", mark)
    mark = clock.perf_counter()
    window = merge_rules().time_window_seconds
    fresh: list[tuple[int, int]] = []
    near: list[int] = []
    # Only stored observations of the import's own visibility scope can merge with its rows.
    stored = Observation.objects.filter(_same_scope(provenance)).exclude(
        status=ObservationStatus.REJECTED)
    for start, end in _stretches(columns.observed_at, window, STRETCH):
        low = _instant(float(columns.observed_at[start]) - window)
        high = _instant(float(columns.observed_at[end - 1]) + window)
        if stored.filter(observed_at__gte=low, observed_at__lte=high).exists():
            near.extend(range(start, end))
        else:
            fresh.append((start, end))
    _add_time(timings, "plan", mark)
    created = _merge_and_store(columns, fresh, provenance, progress=progress, timings=timings)
    updated = 0
    if near:
        rows = [_Row.of(columns.observation(k)) for k in near]
        more, updated = _ingest(rows, provenance, timings=timings)
        created += more
    return created, updated


def scope_expression() -> Case:
    """`models.visibility_scope` of an event row, in SQL (for rollups counted in the
    database)."""
    return Case(
        When(classification=Classification.PUBLIC, then=Value(PUBLIC_SCOPE)),
        When(classification=Classification.RESTRICTED, then=Value(RESTRICTED_SCOPE)),
        default=Concat(Value(CONFIDENTIAL_SCOPE_PREFIX),
                       Cast("owner_affiliation_id", CharField())),
        output_field=CharField())


def _same_scope(provenance: Provenance) -> Q:
    """The stored records of the visibility scope that `provenance` gives new records."""
    if provenance.classification != Classification.CONFIDENTIAL:
        return Q(classification=provenance.classification)
    return Q(classification=Classification.CONFIDENTIAL,
             owner_affiliation_id=provenance.owner_affiliation_id)


def _instant(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _stretches(times: FloatArray, window: float, size: int) -> list[tuple[int, int]]:
    """[start, end) ranges of about `size` rows, cut only where consecutive times differ by
    more than `window` (so that no event can be split); `times` in ascending order. The first
    few are smaller (RAMP), so that the workers' first results, which the importing process
    waits for, come sooner; and the last few take half of what is left (down to the smallest
    of RAMP), so that little is left to write once the workers are done."""
    n = len(times)
    gaps = np.flatnonzero(np.diff(times) > window) + 1
    bounds = [0]
    smallest = size // max(RAMP, default=1)
    while True:
        made = len(bounds) - 1
        target = size // RAMP[made] if made < len(RAMP) else size
        target = min(target, max(smallest, (n - bounds[-1]) // 2))
        k = int(np.searchsorted(gaps, bounds[-1] + max(1, target)))
        if k == len(gaps):
            break
        bounds.append(int(gaps[k]))
    bounds.append(n)
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


class _MergedStretch(NamedTuple):
    """What a worker hands back for one stretch: rows ready for the database."""

    start: int
    end: int
    event_rows: list[tuple[Any, ...]]  # _BULK_EVENT_COLUMNS (no primary key, no constants)
    event_of_row: NDArray[np.int32]  # each observation's event, as an index into event_rows
    sums: _RollupSums


# Set before the worker processes fork, read by them: the columns are not copied to each, and
# a worker never touches the database connection (only its vendor, read here).
_SHARED: tuple[ObservationColumns, Provenance, MergeRules, str] | None = None


def _merge_stretch(bounds: tuple[int, int]) -> _MergedStretch:
    """Merge one stretch and turn its events into database rows (in a worker process)."""
    assert _SHARED is not None
    columns, provenance, rules, vendor = _SHARED
    start, end = bounds
    part = columns.rows(start, end)
    merged = merge_columns(part, rules)
    position = {oid: k for k, oid in enumerate(part.observation_id)}
    # Each event's members as rows of the stretch, all events at once (each row is in one).
    members = [event.observation_ids for event in merged]
    sizes = np.fromiter(map(len, members), dtype=np.intp, count=len(merged))
    member_rows = np.fromiter(map(position.__getitem__,
                                  itertools.chain.from_iterable(members)),
                              dtype=np.intp, count=int(sizes.sum()))
    event_of_row = np.full(end - start, -1, dtype=np.int32)
    event_of_row[member_rows] = np.repeat(np.arange(len(merged), dtype=np.int32), sizes)
    ends = np.cumsum(sizes)
    first, last = member_rows[ends - sizes], member_rows[ends - 1]
    first_seconds = part.observed_at[first]
    first_at = _database_times(first_seconds, vendor)
    last_at = _database_times(part.observed_at[last], vendor)
    report_dates = _report_dates(first_seconds)
    is_exercise = provenance.is_exercise
    # SQLite stores a bound NaN as NULL, and binds it without the adapter search a None costs.
    missing, flag = (math.nan if vendor == "sqlite" else None), _flag(vendor)
    places = [located_at(event.location) for event in merged]
    cells = [str(h3.latlng_to_cell(lat, lon, EVENT_RESOLUTION)) for lon, lat, _ in places]
    lons = np.array([place[0] for place in places], dtype=float)
    lats = np.array([place[1] for place in places], dtype=float)
    areas = areas_at(lons, lats, cells)
    days: dict[date, str] = {}  # a report date as text, written once per stretch
    category_text = {category: category.value for category in CATEGORIES}
    rows = []
    categories: list[str] = []
    counts: list[int] = []
    for event, (lon, lat, method), cell, area, first_text, last_text, day in zip(
            merged, places, cells, areas, first_at, last_at, report_dates, strict=True):
        if (day_text := days.get(day)) is None:
            day_text = days[day] = day.isoformat()
        category = category_text[event.category]
        count = event.count_at_least
        rows.append((event.event_key, category, event.weapon_class or "", count, first_text,
                     last_text, day_text, lon, lat, cell, area, method,
                     *_location_figures(event.location, missing), event.number_of_sources,
                     flag(event.needs_review), to_json(event.explanation).decode()))
        categories.append(category)
        counts.append(count)
    map_cells = {cell: map_cell_of(cell) for cell in set(cells)}  # each looked up once
    scope = visibility_scope(provenance.classification, provenance.owner_affiliation_id)
    sums = _grouped_sums(report_dates, categories, areas, [map_cells[c] for c in cells],
                         [is_exercise] * len(merged), counts, [scope] * len(merged))
    return _MergedStretch(start, end, rows, event_of_row, sums)


def _report_dates(seconds: FloatArray) -> list[date]:
    """`report_date_of` for many instants (POSIX seconds) at once, with the same answers.

    The zone's offset is looked up once per hour of UTC (per instant in an hour that holds a
    change of offset) and the cut-off once per local day.
    """
    if not len(seconds):
        return []
    zone = _zone()
    hours = np.floor(seconds / 3600).astype(np.int64)
    unique_hours, which = np.unique(hours, return_inverse=True)
    offset = np.empty(len(unique_hours))
    changing = np.zeros(len(unique_hours), dtype=bool)
    for k, hour in enumerate(unique_hours.tolist()):
        begins = _utc_offset(zone, hour * 3600)
        offset[k] = begins
        changing[k] = begins != _utc_offset(zone, hour * 3600 + 3599)
    local = seconds + offset[which]
    for k in np.flatnonzero(changing[which]).tolist():
        local[k] = seconds[k] + _utc_offset(zone, float(seconds[k]))
    day_number = np.floor(local / 86400).astype(np.int64)
    unique_days, day_of = np.unique(day_number, return_inverse=True)
    epoch = date(1970, 1, 1)
    days = [epoch + timedelta(days=d) for d in unique_days.tolist()]
    cutoff = np.array([_cutoff_on(day).timestamp() for day in days])
    after = seconds >= cutoff[day_of]
    following = [day + timedelta(days=1) for day in days]
    return [following[d] if late else days[d]
            for d, late in zip(day_of.tolist(), after.tolist(), strict=True)]


def _utc_offset(zone: ZoneInfo, seconds: float) -> float:
    offset = datetime.fromtimestamp(seconds, UTC).astimezone(zone).utcoffset()
    return offset.total_seconds() if offset else 0.0


def _merge_and_store(columns: ObservationColumns, stretches: list[tuple[int, int]],
                     provenance: Provenance, *, progress: Progress | None = None,
                     timings: dict[str, float] | None = None) -> int:
    """Merge the stretches (in worker processes when there is enough to share) and store each
    as it comes back, while the workers go on with the next ones."""
    global _SHARED
    if not stretches:
        return 0
    total = sum(end - start for start, end in stretches)
    workers = min(MERGE_WORKERS, len(stretches)) if total >= PARALLEL_FROM else 0
    rebuild = (_drop_secondary_indexes(SET_ASIDE_INDEXES) if total >= REINDEX_FROM
               and total >= Observation.objects.count() else [])
    sums = _RollupSums()
    wrote = False
    stored = 0  # stretches
    created = 0
    ids = _EventIds()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    event_constants = {"status": EventStatus.PROVISIONAL.value,
                       "is_exercise": provenance.is_exercise, "created_at": now,
                       "updated_at": now, "classification": provenance.classification,
                       "owner_affiliation": provenance.owner_affiliation_id}
    observation_constants = _observation_constants(provenance)
    reporting_areas()  # read once here, not in every worker
    _SHARED = (columns, provenance, merge_rules(), connection.vendor)
    _checks(False)
    try:
        if workers:
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
            results: Iterator[_MergedStretch] = _in_order(pool, stretches, 2 * workers)
        else:
            pool = None
            results = map(_merge_stretch, stretches)
        try:
            done = 0
            while True:
                mark = clock.perf_counter()
                stretch = next(results, None)
                _add_time(timings, "merge (waited)", mark)
                if stretch is None:
                    break
                mark = clock.perf_counter()
                keys = ids.take(len(stretch.event_rows))
                _bulk_insert(Event, ("id", *_BULK_EVENT_COLUMNS),
                             [(key, *row) for key, row in zip(keys.tolist(), stretch.event_rows,
                                                              strict=True)],
                             event_constants)
                _add_time(timings, "store events", mark)
                mark = clock.perf_counter()
                _bulk_insert(Observation, _BULK_OBSERVATION_COLUMNS, _observation_rows(
                    columns, stretch.start, stretch.end, keys[stretch.event_of_row]),
                    observation_constants)
                _add_time(timings, "store observations", mark)
                sums.add(stretch.sums)
                stored += 1
                if stored % ROLLUP_FLUSH == 0:
                    # Sums are added in the database, so they can be written as they come:
                    # here while the workers go on, rather than all at the end, alone.
                    mark = clock.perf_counter()
                    wrote |= _write_rollup_sums(sums, bump=False)
                    sums = _RollupSums()
                    _add_time(timings, "rollups", mark)
                created += len(stretch.event_rows)
                done += stretch.end - stretch.start
                if progress:
                    progress("merge", done, total)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    finally:
        _SHARED = None
        _checks(True)
    if rebuild:
        mark = clock.perf_counter()
        with connection.cursor() as cursor:
            # The merge workers are done: the index sorter may use their cores.
            cursor.execute(f"PRAGMA threads = {MERGE_WORKERS}")
            for sql in rebuild:
                cursor.execute(sql)
        _add_time(timings, "indexes", mark)
    mark = clock.perf_counter()
    if _write_rollup_sums(sums, bump=False) or wrote:
        next_rollup_generation()
    _add_time(timings, "rollups", mark)
    return created


def _drop_secondary_indexes(fields: Mapping[type[Model], Sequence[str]]) -> list[str]:
    """On SQLite, drop the plain (not unique) indexes on the given fields; return the
    statements that build them again. Inside the import's transaction, so a failure restores
    them with everything else; PostgreSQL's COPY needs none of this."""
    if connection.vendor != "sqlite":
        return []
    statements = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, names in fields.items():
            columns = {model._meta.get_field(name).column  # type: ignore[union-attr]
                       for name in names}
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "AND tbl_name = %s AND sql IS NOT NULL", [model._meta.db_table])
            for name, sql in cursor.fetchall():
                cursor.execute(f"PRAGMA index_info({quote(name)})")
                indexed = {row[2] for row in cursor.fetchall()}
                if not sql.upper().startswith("CREATE UNIQUE") and indexed <= columns:
                    cursor.execute(f"DROP INDEX {quote(name)}")
                    statements.append(sql)
    return statements


def _checks(on: bool) -> None:
    """On SQLite, turn CHECK constraints off for the bulk writes of merged stretches, and on
    again. Every value they would check is made by this module from validated input: counts
    of at least one, compass points from the sector table, explanations written by a JSON
    encoder (the JSON_VALID check parsed each again, about a second for a million
    observations). NOT NULL and UNIQUE are still enforced (foreign keys too, but in a large
    import's own transaction: see _references_made_here). Changing the pragma
    expires every prepared statement, so none keeps the setting it was compiled under. The
    pragma goes to the driver's connection itself: a failed write must not stop it from being
    turned back on, and it outlives the transaction."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.execute(
            f"PRAGMA ignore_check_constraints = {'OFF' if on else 'ON'}")


def _in_order(pool: ProcessPoolExecutor, stretches: list[tuple[int, int]], ahead: int
              ) -> Iterator[_MergedStretch]:
    """The workers' results in order, with at most `ahead` stretches in flight (memory)."""
    pending: deque[Future[_MergedStretch]] = deque()
    queue = iter(stretches)
    for bounds in queue:
        pending.append(pool.submit(_merge_stretch, bounds))
        if len(pending) >= ahead:
            break
    while pending:
        result = pending.popleft().result()
        following = next(queue, None)
        if following is not None:
            pending.append(pool.submit(_merge_stretch, following))
        yield result


class _EventIds:
    """Primary keys for new events, reserved in the transaction so observations can point at
    their events as they are inserted (no second pass to link them)."""

    def __init__(self) -> None:
        self.next: int | None = None

    def take(self, count: int) -> NDArray[np.int64]:
        table = Event._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor != "sqlite":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                               "FROM generate_series(1, %s)", [table, count])
                return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
            if self.next is None:
                # The write lock is held (the transaction began IMMEDIATE and has written).
                cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608
                highest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                self.next = max(highest, row[0] if row else 0) + 1
        first = self.next
        self.next += count
        return np.arange(first, first + count, dtype=np.int64)


_BULK_OBSERVATION_COLUMNS = (
    "observation_id", "observed_at", "utc_offset_minutes", "observer_id", "observer_kind",
    "observer_lon", "observer_lat", "method", "category", "weapon_class", "count", "bearing_deg",
    "sector", "compass_points", "distance_km_min", "distance_km_max", "notes", "event")


def _observation_constants(provenance: Provenance) -> dict[str, Any]:
    """The columns every observation of an import shares."""
    return {"client_id": None, "status": ObservationStatus.SUBMITTED.value, "status_reason": "",
            "batch": provenance.batch_id,
            "submitted_by": provenance.actor.pk if provenance.actor else None, "revision": 1,
            "is_exercise": provenance.is_exercise,
            "created_at": connection.ops.adapt_datetimefield_value(timezone.now()),
            "classification": provenance.classification,
            "owner_affiliation": provenance.owner_affiliation_id}


def _observation_rows(columns: ObservationColumns, start: int, end: int,
                      event_ids: NDArray[np.int64]) -> Iterator[tuple[Any, ...]]:
    """Database rows for columns[start:end], in _BULK_OBSERVATION_COLUMNS order."""
    kinds = np.array([kind.value for kind in OBSERVER_KINDS], dtype=object)
    methods = np.array([method.value for method in METHODS], dtype=object)
    categories = np.array([category.value for category in CATEGORIES], dtype=object)
    nullable = _nan_for_null if connection.vendor == "sqlite" else none_for_nan
    return zip(
        columns.observation_id[start:end],
        _database_times(columns.observed_at[start:end], connection.vendor),
        columns.utc_offset_minutes[start:end].tolist(), columns.observer_id[start:end],
        kinds[columns.observer_kind[start:end]].tolist(),
        columns.observer_lon[start:end].tolist(), columns.observer_lat[start:end].tolist(),
        methods[columns.method[start:end]].tolist(),
        categories[columns.category[start:end]].tolist(),
        [w or "" for w in columns.weapon_class[start:end]], columns.count[start:end].tolist(),
        nullable(columns.bearing_deg[start:end]),
        [sector or "" for sector in columns.sector[start:end]],
        columns.compass_points[start:end].tolist(),
        nullable(columns.distance_km_min[start:end]),
        nullable(columns.distance_km_max[start:end]), columns.notes[start:end],
        event_ids.tolist(), strict=True)


def _nan_for_null(values: FloatArray) -> list[float]:
    """The values as they are: SQLite stores a bound NaN as NULL, and binds a float without
    the adapter lookup a None costs."""
    return values.tolist()


def _flag(vendor: str) -> Callable[[bool], int | bool]:
    """How a flag is bound: on SQLite as 0 or 1, which it stores for a bool anyway, and binds
    without the driver's adapter search that a bool (or a None) goes through first."""
    return int if vendor == "sqlite" else bool


def _database_times(seconds: FloatArray, vendor: str) -> list[Any]:
    """POSIX seconds as the database backend stores a DateTimeField (UTC)."""
    micro = np.round(seconds * 1e6).astype("datetime64[us]")
    if vendor != "sqlite":
        return [moment.replace(tzinfo=UTC) for moment in micro.tolist()]
    # SQLite keeps Django's text form: 'YYYY-MM-DD HH:MM:SS', '.ffffff' only when not zero.
    text = _spaced(np.datetime_as_string(micro, unit="s"))
    fraction = (micro - micro.astype("datetime64[s]")).astype(np.int64)
    if fraction.any():
        text = np.where(fraction != 0, _spaced(np.datetime_as_string(micro, unit="us")), text)
    return list(text.tolist())


def _spaced(iso: NDArray[np.str_]) -> NDArray[np.str_]:
    """ISO times with a space for the 'T': the character is overwritten in place where every
    time is written alike (years 1000 to 9999), else replaced text by text."""
    if not iso.size:
        return iso
    if iso.dtype.itemsize // 4 in (19, 26):
        characters = iso.view(np.uint32).reshape(len(iso), -1)
        if (characters[:, 10] == ord("T")).all() and (characters[:, 4] == ord("-")).all():
            characters[:, 10] = ord(" ")
            return iso
    return np.char.replace(iso, "T", " ")


def _bulk_insert(model: type[Model], names: Sequence[str], rows: Iterable[Sequence[Any]],
                 constants: Mapping[str, Any] | None = None) -> None:
    """Many rows at once: COPY on PostgreSQL, one prepared statement on SQLite.

    `constants` are columns with one value for every row. SQLite writes them into the
    statement, where they cost nothing per row; binding a parameter is most of SQLite's cost
    per row from Python.
    """
    fixed = dict(constants or {})
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column)  # type: ignore[union-attr,arg-type]
                        for name in (*names, *fixed))
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tail = tuple(fixed.values())
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *tail))
            return
        values = ", ".join([*(["?"] * len(names)), *map(_sql_literal, fixed.values())])
        cursor.cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({values})",  # noqa: S608
                                  rows)


def _sql_literal(value: Any) -> str:
    """A constant of our own making as an SQLite literal (never text from a file)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def _add_time(timings: dict[str, float] | None, key: str, since: float) -> None:
    if timings is not None:
        timings[key] = timings.get(key, 0.0) + clock.perf_counter() - since


def _insert_observations(rows: Sequence[_Row], provenance: Provenance,
                         client_ids: Mapping[str, str | None]) -> None:
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    submitted = provenance.actor.pk if provenance.actor else None
    status = ObservationStatus.SUBMITTED.value
    values = [
        (r.observation_id, client_ids.get(r.observation_id), adapt(r.observed_at),
         _offset_minutes(r.observed_at), r.observer_id, r.observer_kind, r.observer_lon,
         r.observer_lat, r.method, r.category, r.weapon_class or "", r.at_least, r.bearing_deg,
         r.sector or "", r.compass_points, r.distance_km_min, r.distance_km_max, r.notes,
         status, "", None, provenance.batch_id, submitted, 1, provenance.is_exercise, now,
         provenance.classification, provenance.owner_affiliation_id)
        for r in rows]
    _bulk_insert(Observation, _OBSERVATION_COLUMNS, values)


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


class _Contribution(NamedTuple):
    """What one event adds to the rollups."""

    day: date
    category: str
    area: str
    cell: str
    is_exercise: bool
    violations: int
    published: bool
    scope: str  # the event's visibility scope (models.visibility_scope)


def _contribution(event: Event | Mapping[str, Any]) -> _Contribution | None:
    """What an event adds to the rollups; None for a withdrawn one. Only a public event adds
    to the published share: the public never sees a figure of an event it may not see."""
    get = (lambda name: getattr(event, name)) if isinstance(event, Event) else event.__getitem__
    if get("status") == EventStatus.WITHDRAWN:
        return None
    classification = get("classification")
    return _Contribution(get("report_date"), get("category"), get("area"),
                         map_cell_of(get("h3_cell")), bool(get("is_exercise")),
                         int(get("count_at_least")),
                         get("status") == EventStatus.PUBLISHED
                         and classification == Classification.PUBLIC,
                         visibility_scope(classification, get("owner_affiliation_id")))


def _remerge(low: datetime, high: datetime, *,
             timings: dict[str, float] | None = None, force: Iterable[int] = ()
             ) -> tuple[int, int]:
    """Merge again every stored observation near [low, high] and store the events that changed.

    The scope is every observation not rejected within one merge window of the range, plus
    the other members of their events (and of the events in `force`), so a re-merged event
    is always complete. Observations merge only with observations of their own visibility
    scope (`models.visibility_scope`: public, restricted, or confidential of one owner), so an
    event never mixes what different readers may see (decision 0018). Events the engine no
    longer produces are withdrawn. Returns (events created, events updated or withdrawn).
    """
    mark = clock.perf_counter()
    window = timedelta(seconds=merge_rules().time_window_seconds)
    near = (Observation.objects
            .filter(observed_at__gte=low - window, observed_at__lte=high + window)
            .exclude(status=ObservationStatus.REJECTED))
    touched = set(near.exclude(event=None).values_list("event_id", flat=True).distinct())
    touched.update(force)
    scope_q = Q(pk__in=near.values("pk"))
    if touched:
        scope_q |= Q(event_id__in=touched)
    scope = list(Observation.objects.filter(scope_q).exclude(status=ObservationStatus.REJECTED)
                 .only(*_REPORTED_FIELDS, "event_id", "is_exercise", "classification",
                       "owner_affiliation_id"))
    _add_time(timings, "load", mark)
    mark = clock.perf_counter()
    by_visibility: dict[str, list[Observation]] = {}
    for observation in scope:
        by_visibility.setdefault(visibility_scope(observation.classification,
                                                  observation.owner_affiliation_id),
                                 []).append(observation)
    merged = [event for group in by_visibility.values()
              for event in merge_with_engine([_reported_of(o) for o in group], merge_rules())]
    _add_time(timings, "merge", mark)
    mark = clock.perf_counter()
    outcome = _store_events(merged, scope, touched)
    _add_time(timings, "store", mark)
    return outcome


_REPORTED_FIELDS = ("observation_id", "observed_at", "utc_offset_minutes", "observer_id",
                    "observer_kind", "observer_lon", "observer_lat", "method", "category",
                    "count", "bearing_deg", "sector", "distance_km_min", "distance_km_max",
                    "weapon_class", "compass_points", "notes")


_PROTECTION: dict[str, int] = {Classification.PUBLIC: 0, Classification.RESTRICTED: 1,
                               Classification.CONFIDENTIAL: 2}


def _classification_of(members: Sequence[Observation], current: Event | None
                       ) -> tuple[str, int | None]:
    """(classification, owner affiliation) of an event whose members are new or changed: the
    most protected of its members' and, for a stored event, never lower than it was (a
    re-merge never lowers a classification; a declassified event whose members changed is
    classified as they are again). Members share one visibility scope (see `_remerge`), so a
    confidential event is owned by its members' owner; any other event by its stored owner,
    or when new by the owner of its first member (whose id is the event's key)."""
    level = max((o.classification for o in members), key=_PROTECTION.__getitem__)
    if current is not None and _PROTECTION[current.classification] > _PROTECTION[level]:
        return current.classification, current.owner_affiliation_id
    if level == Classification.CONFIDENTIAL:
        return level, members[0].owner_affiliation_id
    return level, (current.owner_affiliation_id if current is not None
                   else members[0].owner_affiliation_id)


def _store_events(merged: list[MergedEvent], scope: list[Observation], touched: set[int]
                  ) -> tuple[int, int]:
    """Store the events the engine made of `scope`: create the new, update the changed,
    withdraw those it no longer makes; add the changes to the rollups. Each event takes its
    classification and owner from its members (`_classification_of`), never from who caused
    the re-merge."""
    by_id = {o.observation_id: o for o in scope}
    old = {e.event_key: e for e in Event.objects.filter(pk__in=touched)} if touched else {}
    keys = {m.event_key for m in merged}
    # An event may also exist under its key without any member in scope (withdrawn earlier).
    missing_keys = [k for k in keys if k not in old]
    for start in range(0, len(missing_keys), IN_BATCH):
        for e in Event.objects.filter(event_key__in=missing_keys[start:start + IN_BATCH]):
            old[e.event_key] = e
    deltas: list[tuple[_Contribution, int]] = []
    new_rows: list[tuple[Any, ...]] = []
    new_members: dict[str, list[str]] = {}
    updates: list[Event] = []
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    adapt_date = connection.ops.adapt_datefield_value
    for merged_event in merged:
        members = [by_id[i] for i in merged_event.observation_ids]
        current = old.get(merged_event.event_key)
        classification, owner = _classification_of(members, current)
        if current is not None and current.status != EventStatus.WITHDRAWN and all(
                o.event_id == current.pk for o in members) and \
                current.number_of_sources == len(members) and \
                _members_unchanged(current, members):
            # The same members as stored: nothing to do (a declassified event stays public).
            continue
        values = _event_values(merged_event, any(o.is_exercise for o in members))
        if current is None:
            status = EventStatus.PROVISIONAL.value
            new_rows.append((
                merged_event.event_key, status,
                *[adapt(values[f]) if isinstance(values[f], datetime) else
                  adapt_date(values[f]) if isinstance(values[f], date) else
                  json.dumps(values[f])
                  if f == "explanation" else values[f] for f in _EVENT_FIELDS],
                values["is_exercise"], adapt(now), adapt(now), classification, owner))
            deltas.append((_Contribution(values["report_date"], values["category"],
                                         values["area"], map_cell_of(values["h3_cell"]),
                                         values["is_exercise"], values["count_at_least"],
                                         False, visibility_scope(classification, owner)), 1))
            new_members[merged_event.event_key] = list(merged_event.observation_ids)
            continue
        before = _contribution(current)
        if before is not None:
            deltas.append((before, -1))
        if current.status in (EventStatus.VERIFIED, EventStatus.PUBLISHED):
            # New evidence after verification: keep the status, ask an analyst to look again.
            values["needs_review"] = True
            values["explanation"] = [*values["explanation"], "members changed after "
                                     f"the event was {current.status}: for an analyst to review"]
        elif current.status == EventStatus.WITHDRAWN:
            current.status = EventStatus.PROVISIONAL
        for name in (*_EVENT_FIELDS, "is_exercise"):
            setattr(current, name, values[name])
        current.classification, current.owner_affiliation_id = classification, owner
        current.updated_at = now
        updates.append(current)
        after = _contribution(current)
        if after is not None:
            deltas.append((after, 1))
        new_members[merged_event.event_key] = list(merged_event.observation_ids)
    withdrawn = [e for key, e in old.items() if key not in keys and e.pk in touched
                 and e.status != EventStatus.WITHDRAWN]
    for event in withdrawn:
        before = _contribution(event)
        if before is not None:
            deltas.append((before, -1))
        event.status = EventStatus.WITHDRAWN
        event.updated_at = now
        event.explanation = [*event.explanation, "withdrawn: its observations were rejected "
                                                 "or now belong to other events"]
        updates.append(event)
    if new_rows:
        _bulk_insert(Event, _EVENT_COLUMNS, new_rows)
    if updates:
        Event.objects.bulk_update(updates, [*_EVENT_FIELDS, "status", "is_exercise",
                                            "classification", "owner_affiliation",
                                            "updated_at"], batch_size=500)
    _link_members(new_members, by_id)
    apply_rollup_deltas(deltas)
    return len(new_rows), len(updates)


def _members_unchanged(event: Event, members: list[Observation]) -> bool:
    # Same member set and the event's own figures as the members give them.
    return event.count_at_least == max(o.count for o in members)


def _location_figures(location: Location, missing: float | None = None
                      ) -> tuple[float | None, ...]:
    """(ellipse semi-major m, semi-minor m, orientation deg, candidate area km2) of a location:
    the ellipse of a fix, the area of a common area or a sector; `missing` where not given."""
    if isinstance(location, Fix):
        ellipse = location.error_ellipse
        return ellipse.semi_major_m, ellipse.semi_minor_m, ellipse.orientation_deg, missing
    return missing, missing, missing, location.area_km2


def _event_values(merged: MergedEvent, is_exercise: bool) -> dict[str, Any]:
    lon, lat = merged.position
    cell = str(h3.latlng_to_cell(lat, lon, EVENT_RESOLUTION))
    major, minor, orientation, area_km2 = _location_figures(merged.location)
    return {
        "category": merged.category.value,
        "weapon_class": merged.weapon_class or "",
        "count_at_least": merged.count_at_least,
        "first_observed_at": merged.first_observed_at,
        "last_observed_at": merged.last_observed_at,
        "report_date": report_date_of(merged.first_observed_at),
        "lon": lon, "lat": lat, "h3_cell": cell, "area": area_at(lon, lat, cell),
        "location_method": merged.location_method,
        "ellipse_semi_major_m": major,
        "ellipse_semi_minor_m": minor,
        "ellipse_orientation_deg": orientation,
        "area_km2": area_km2,
        "number_of_sources": merged.number_of_sources,
        "needs_review": merged.needs_review,
        "explanation": list(merged.explanation),
        "is_exercise": is_exercise,
    }


def _link_members(members: Mapping[str, list[str]], by_id: Mapping[str, Observation]) -> None:
    """Point each observation at its event; only the observations whose event changed."""
    if not members:
        return
    keys = list(members)
    event_ids: dict[str, int] = {}
    for start in range(0, len(keys), IN_BATCH):
        event_ids.update(Event.objects.filter(event_key__in=keys[start:start + IN_BATCH])
                         .values_list("event_key", "pk"))
    changes = [(event_ids[key], by_id[oid].pk) for key, ids in members.items() for oid in ids
               if by_id[oid].event_id != event_ids[key]]
    if not changes:
        return
    table = connection.ops.quote_name(Observation._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(changes), _INSERT_BATCH):
            cursor.executemany(f"UPDATE {table} SET event_id = %s WHERE id = %s",  # noqa: S608
                               changes[start:start + _INSERT_BATCH])


# --- rollups --------------------------------------------------------------------------------


def week_of(day: date) -> date:
    """The key of `day`'s ISO week in the weekly rollups: its Monday."""
    return day - timedelta(days=day.weekday())


def month_of(day: date) -> date:
    """The key of `day`'s month in the monthly rollup: its first day."""
    return day.replace(day=1)


def apply_rollup_deltas(deltas: Iterable[tuple[_Contribution, int]]) -> None:
    """Add events to (sign 1) or take them from (sign -1) every rollup, as upserts.

    The daily rollups and their weekly and monthly sums change together, in the caller's
    transaction, so the coarse rows stay exactly the sums of the daily ones.
    """
    _write_rollup_sums(_rollup_sums(deltas))


_ROLLUP_TABLES = ("daily", "area_weeks", "cells", "cell_weeks", "cell_months")


@dataclass
class _RollupSums:
    """Counter changes per rollup row: (events, violations, published events, published
    violations) by each table's key. Plain dicts, so a worker process can hand them back."""

    tables: dict[str, dict[tuple[Any, ...], list[int]]] = field(
        default_factory=lambda: {name: {} for name in _ROLLUP_TABLES})

    def add(self, other: _RollupSums) -> None:
        for name, table in other.tables.items():
            mine = self.tables[name]
            for key, values in table.items():
                sums = mine.get(key)
                if sums is None:
                    mine[key] = list(values)
                else:
                    for k in range(4):
                        sums[k] += values[k]


def _rollup_sums(deltas: Iterable[tuple[_Contribution, int]]) -> _RollupSums:
    """The rollup rows the contributions change, each by its sign (1 or -1)."""
    pairs = list(deltas)
    return _grouped_sums([c.day for c, _ in pairs], [c.category for c, _ in pairs],
                         [c.area for c, _ in pairs], [c.cell for c, _ in pairs],
                         [c.is_exercise for c, _ in pairs], [c.violations for c, _ in pairs],
                         [c.scope for c, _ in pairs],
                         published=[c.published for c, _ in pairs],
                         signs=[sign for _, sign in pairs])


_Key = TypeVar("_Key", str, date)


def _grouped_sums(days: Sequence[date], categories: Sequence[str], areas: Sequence[str],
                  cells: Sequence[str], is_exercise: Sequence[bool], violations: Sequence[int],
                  scopes: Sequence[str], *, published: Sequence[bool] | None = None,
                  signs: Sequence[int] | None = None) -> _RollupSums:
    """The rollup rows that events given column by column change: added once each unless
    `signs` says -1, unpublished unless `published` says otherwise. Grouped with numpy, so
    each row's key is made once: a stretch's tens of thousands of events fall into a few
    hundred area rows and some thousands of cell rows."""
    result = _RollupSums()
    if not days:
        return result
    day_list, day_codes = _sorted_codes(days)
    periods = [(week_of(day), month_of(day)) for day in day_list]
    week_list = sorted({week for week, _ in periods})
    month_list = sorted({month for _, month in periods})
    week_codes = np.array([week_list.index(week) for week, _ in periods])[day_codes]
    month_codes = np.array([month_list.index(month) for _, month in periods])[day_codes]
    category_list, category_codes = _sorted_codes(categories)
    area_list, area_codes = _sorted_codes(areas)
    cell_list, cell_codes = _sorted_codes(cells)
    exercise = ([False, True], np.asarray(is_exercise, dtype=np.int64))
    scope = _sorted_codes(scopes)
    sign = np.ones(len(days), dtype=np.int64) if signs is None else np.asarray(signs, np.int64)
    weight = sign * np.asarray(violations, dtype=np.int64)
    shown = (np.zeros(len(days), dtype=np.int64) if published is None
             else np.asarray(published, dtype=np.int64))
    counters = (sign, weight, sign * shown, weight * shown)  # ROLLUP_COUNTERS, in order
    # Each table's key, as (values, codes) of its parts in order.
    layouts = (
        ("daily", ((day_list, day_codes), (category_list, category_codes),
                   (area_list, area_codes), exercise, scope)),
        ("area_weeks", ((week_list, week_codes), (category_list, category_codes),
                        (area_list, area_codes), exercise, scope)),
        ("cells", ((cell_list, cell_codes), (day_list, day_codes),
                   (category_list, category_codes), exercise, scope)),
        ("cell_weeks", ((cell_list, cell_codes), (week_list, week_codes),
                        (category_list, category_codes), exercise, scope)),
        ("cell_months", ((cell_list, cell_codes), (month_list, month_codes),
                         (category_list, category_codes), exercise, scope)),
    )
    for name, parts in layouts:
        key = np.zeros(len(days), dtype=np.int64)
        for values, codes in parts:
            key = key * len(values) + codes
        unique, inverse = np.unique(key, return_inverse=True)
        sums = [np.bincount(inverse, counter, minlength=len(unique)).astype(np.int64).tolist()
                for counter in counters]
        columns = []
        for values, _codes in reversed(parts):
            columns.append([values[k] for k in (unique % len(values)).tolist()])
            unique = unique // len(values)
        result.tables[name] = dict(zip(zip(*reversed(columns), strict=True),
                                       map(list, zip(*sums, strict=True)), strict=True))
    return result


def _sorted_codes(values: Sequence[_Key]) -> tuple[list[_Key], NDArray[np.int64]]:
    """The distinct values in order and each value's position among them (as np.unique with
    return_inverse, without comparing Python objects one sort step at a time)."""
    distinct = sorted(set(values))
    position = {value: k for k, value in enumerate(distinct)}
    return distinct, np.fromiter(map(position.__getitem__, values), dtype=np.int64,
                                 count=len(values))


def _write_rollup_sums(result: _RollupSums, *, bump: bool = True) -> bool:
    """Add the sums to the rollup tables; whether any row changed. With `bump`, a change
    raises the rollup generation (else the caller does, once, when it is done)."""
    daily, area_weeks, cells, cell_weeks, cell_months = (result.tables[name]
                                                         for name in _ROLLUP_TABLES)
    # Each date adapted once: a few hundred serve hundreds of thousands of rows.
    adapt_date = cache(connection.ops.adapt_datefield_value)
    flag = _flag(connection.vendor)
    _upsert(DailyCount, ("day", "category", "area", "is_exercise", "scope"),
            [(adapt_date(k[0]), k[1], k[2], flag(k[3]), k[4], *v) for k, v in daily.items()
             if any(v)])
    _upsert(AreaWeekCount, ("week", "category", "area", "is_exercise", "scope"),
            [(adapt_date(k[0]), k[1], k[2], flag(k[3]), k[4], *v)
             for k, v in area_weeks.items() if any(v)])
    for model, period, table in ((CellCount, "day", cells), (CellWeekCount, "week", cell_weeks),
                                 (CellMonthCount, "month", cell_months)):
        _upsert(model, ("cell", period, "category", "is_exercise", "scope", "lon", "lat"),
                [(k[0], adapt_date(k[1]), k[2], flag(k[3]), k[4], *_cell_centre(k[0]), *v)
                 for k, v in table.items() if any(v)], key_length=5)
    changed = any(any(any(v) for v in table.values()) for table in result.tables.values())
    if changed and bump:
        next_rollup_generation()
    return changed


def next_rollup_generation() -> None:
    """Raise the rollup generation and draw its new token (in the caller's transaction):
    cached answers go stale."""
    table = connection.ops.quote_name(RollupGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (id, value, token) VALUES (1, 1, %s) "  # noqa: S608
                       f"ON CONFLICT (id) DO UPDATE SET value = {table}.value + 1, "
                       "token = excluded.token", [secrets.token_hex(16)])


ROLLUP_COUNTERS = ("events", "violations", "published_events", "published_violations")


def _upsert(model: type[Model], key: Sequence[str], rows: list[tuple[Any, ...]],
            key_length: int | None = None) -> None:
    """INSERT ... ON CONFLICT DO UPDATE adding the counters (SQLite and PostgreSQL alike)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = [*key, *ROLLUP_COUNTERS]
    conflict = ", ".join(quote(name) for name in key[:key_length or len(key)])
    additions = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}"
                          for c in ROLLUP_COUNTERS)
    columns = ", ".join(quote(n) for n in names)
    update = f"ON CONFLICT ({conflict}) DO UPDATE SET {additions}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) > _INSERT_BATCH:
            # Many rows: COPY them into a scratch table and upsert them in one statement.
            scratch = quote(f"upsert_{model._meta.db_table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS "  # noqa: S608
                           f"SELECT {columns} FROM {table} WITH NO DATA")
            with cursor.cursor.copy(f"COPY {scratch} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO {table} ({columns}) "  # noqa: S608
                           f"SELECT {columns} FROM {scratch} {update}")
            cursor.execute(f"DROP TABLE {scratch}")
            return
        sql = (f"INSERT INTO {table} ({columns}) "  # noqa: S608
               f"VALUES ({', '.join(['%s'] * len(names))}) {update}")
        for start in range(0, len(rows), _INSERT_BATCH):
            cursor.executemany(sql, rows[start:start + _INSERT_BATCH])


ROLLUP_MODELS: tuple[type[Model], ...] = (DailyCount, AreaWeekCount, CellCount, CellWeekCount,
                                          CellMonthCount)


def rebuild_rollups() -> int:
    """Recount every rollup from the events (a repair tool; ingest never needs it)."""
    with transaction.atomic():
        for model in ROLLUP_MODELS:
            model._default_manager.all().delete()
        next_rollup_generation()
        deltas = []
        for values in Event.objects.exclude(status=EventStatus.WITHDRAWN).values(
                "status", "report_date", "category", "area", "h3_cell", "is_exercise",
                "count_at_least", "classification", "owner_affiliation_id"
        ).iterator(chunk_size=5000):
            contribution = _contribution(values)
            if contribution is not None:
                deltas.append((contribution, 1))
        apply_rollup_deltas(deltas)
    return len(deltas)


# --- workflow -------------------------------------------------------------------------------


def verify_observation(user: AnyUser, observation: Observation) -> Observation:
    """Mark a submitted observation verified (an editor of the owning affiliation)."""
    actor = _require_editor(user, observation)
    with transaction.atomic():
        record = Observation.objects.select_for_update().get(pk=observation.pk)
        if record.status != ObservationStatus.SUBMITTED:
            raise WorkflowError(f"only a submitted observation can be verified, not a "
                                f"{record.status} one")
        before = snapshot(record)
        record.status = ObservationStatus.VERIFIED
        record.save(update_fields=["status"])
        record_change(actor, "verify", record, before, snapshot(record))
    return record


def reject_observation(user: AnyUser, observation: Observation, reason: str) -> Observation:
    """Reject an observation with a reason; its event is merged again without it.

    An event left with no member is withdrawn, and its counts leave the rollups.
    """
    actor = _require_editor(user, observation)
    if not reason.strip():
        raise SubmissionInvalid("reason", "say why the observation is rejected")
    with transaction.atomic():
        record = Observation.objects.select_for_update().get(pk=observation.pk)
        if record.status == ObservationStatus.REJECTED:
            raise WorkflowError("the observation is rejected already")
        before = snapshot(record)
        old_event = record.event_id
        record.status = ObservationStatus.REJECTED
        record.status_reason = reason.strip()
        record.event = None
        record.save(update_fields=["status", "status_reason", "event"])
        _remerge(record.observed_at, record.observed_at, force=[old_event] if old_event else [])
        record_change(actor, "reject", record, before, snapshot(record))
    return record


def correct_observation(user: AnyUser, observation: Observation, changes: Mapping[str, Any],
                        reason: str) -> Observation:
    """Correct fields of an observation; the audit trail keeps every earlier version.

    The corrected observation is validated by the engine and its window merged again.
    `observation_id` cannot change (it keys the event and the imports' idempotence).
    """
    actor = _require_editor(user, observation)
    if "observation_id" in changes:
        raise SubmissionInvalid("observation_id", "cannot be corrected")
    if not reason.strip():
        raise SubmissionInvalid("reason", "say why the observation is corrected")
    with transaction.atomic():
        record = Observation.objects.select_for_update().get(pk=observation.pk)
        before = snapshot(record)
        current = _reported_of(record)
        data = {name: getattr(current, name) for name in ("observation_id", *_ENGINE_FIELDS)}
        data.update(changes)
        reported = validate_observation(data)
        old_time, old_event = record.observed_at, record.event_id
        for name in _ENGINE_FIELDS:
            value = getattr(reported, name)
            if name in ("observer_kind", "method", "category"):
                value = value.value
            elif name in ("sector", "weapon_class") and value is None:
                value = ""
            setattr(record, name, value)
        record.utc_offset_minutes = _offset_minutes(reported.observed_at)
        record.revision += 1
        record.status_reason = f"corrected: {reason.strip()}"
        record.save()
        _remerge(min(old_time, record.observed_at), max(old_time, record.observed_at),
                 force=[old_event] if old_event else [])
        record.refresh_from_db()
        record_change(actor, "correct", record, before, snapshot(record))
    return record


_ENGINE_FIELDS = ("observed_at", "observer_id", "observer_kind", "observer_lon", "observer_lat",
                  "method", "category", "weapon_class", "count", "bearing_deg", "sector",
                  "compass_points", "distance_km_min", "distance_km_max", "notes")


def verify_event(user: AnyUser, event: Event) -> Event:
    """Provisional → verified; clears the review flag (the analyst has looked)."""
    return _move_event(user, event, EventStatus.PROVISIONAL, EventStatus.VERIFIED, "verify")


def publish_event(user: AnyUser, event: Event) -> Event:
    """Verified → published; its counts join the public share of the rollups.

    Only a public event can be published: a restricted or confidential one must first be
    declassified (`declassify_event`, which records who and why), else WorkflowError.
    """
    return _move_event(user, event, EventStatus.VERIFIED, EventStatus.PUBLISHED, "publish")


def declassify_event(user: AnyUser, event: Event, reason: str) -> Event:
    """Make an event public (an editor of the owning affiliation, with a reason): the step
    before publishing a restricted or confidential event. The audit trail keeps who, when and
    why. Its counts move to the public scope of the rollups; its member observations keep
    their own classification, so only those who may see every member read its explanation
    (`queries.event_explanation`). A later change of its members classifies it as they are
    again (`_classification_of`)."""
    actor = _require_editor(user, event)
    if not reason.strip():
        raise SubmissionInvalid("reason", "say why the event may be made public")
    with transaction.atomic():
        record = Event.objects.select_for_update().get(pk=event.pk)
        if record.classification == Classification.PUBLIC:
            raise WorkflowError("the event is public already")
        if record.status == EventStatus.WITHDRAWN:
            raise WorkflowError("a withdrawn event cannot be declassified")
        before = snapshot(record)
        contribution = _contribution(record)
        record.classification = Classification.PUBLIC
        record.updated_at = timezone.now()
        record.save(update_fields=["classification", "updated_at"])
        record.shared_with.clear()
        after = _contribution(record)
        if contribution is not None and after is not None:
            apply_rollup_deltas([(contribution, -1), (after, 1)])
        # "reclass": the audit trail's actions have at most eight characters.
        record_change(actor, "reclass", record, before,
                      {**snapshot(record), "reason": reason.strip()})
    return record


def _move_event(user: AnyUser, event: Event, source: str, target: str, action: str) -> Event:
    actor = _require_editor(user, event)
    with transaction.atomic():
        record = Event.objects.select_for_update().get(pk=event.pk)
        if record.status != source:
            raise WorkflowError(f"only a {source} event can be {target}, not a "
                                f"{record.status} one")
        if target == EventStatus.PUBLISHED and record.classification != Classification.PUBLIC:
            raise WorkflowError(f"only a public event can be published, not a "
                                f"{record.classification} one: declassify it first")
        before = snapshot(record)
        contribution = _contribution(record)
        record.status = target
        record.needs_review = False
        record.updated_at = timezone.now()
        record.save(update_fields=["status", "needs_review", "updated_at"])
        after = _contribution(record)
        if contribution != after and contribution is not None and after is not None:
            apply_rollup_deltas([(contribution, -1), (after, 1)])
        record_change(actor, action, record, before, snapshot(record))
    return record


def publish_verified_events(user: AnyUser, report_date: date) -> int:
    """Publish every verified public event of one reporting period (the daily report's
    release); restricted and confidential events stay as they are until declassified."""
    events = list(access.visible(Event.objects.filter(
        report_date=report_date, status=EventStatus.VERIFIED,
        classification=Classification.PUBLIC), user))
    for event in events:
        publish_event(user, event)
    return len(events)


# --- the other reports of a patrol ----------------------------------------------------------


@cache
def _withdrawal_inputs() -> tuple[Any, Any]:
    directory = _monitoring_data()
    return (load_withdrawal_rules(directory / "withdrawal_rules.yaml"),
            load_reference_lines(directory / "exercise_lines.geojson"))


def _report(model: type[Model], user: AnyUser, report_id: str, values: Mapping[str, Any], *,
            classification: str | None, is_exercise: bool) -> tuple[Any, bool]:
    """Store a patrol's report once (the record, True if new); idempotent by `report_id` as
    observations are by their client id (decision 0021)."""
    actor = _require_submitter(user)
    if not report_id or len(report_id) > 64:
        raise SubmissionInvalid("report_id", "must be a string of 1 to 64 characters")
    for name in ("lon", "lat"):
        value = values.get(name)
        limit = 180 if name == "lon" else 90
        if not isinstance(value, int | float) or not -limit <= value <= limit:
            raise SubmissionInvalid(name, f"must be a number in [-{limit}, {limit}]")
    observed_at = values.get("observed_at")
    if not isinstance(observed_at, datetime) or observed_at.tzinfo is None:
        raise SubmissionInvalid("observed_at", "must be a time with its UTC offset")
    provenance = _provenance(actor, classification, is_exercise)
    existing = _existing_report(model, actor, report_id, values, provenance)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            record = model._default_manager.create(
                report_id=report_id, submitted_by=actor, is_exercise=is_exercise,
                classification=provenance.classification,
                owner_affiliation_id=provenance.owner_affiliation_id, **values)
            record_change(actor, "create", record, None, snapshot(record))
    except IntegrityError:
        # A concurrent retry stored it first: answer as a retry.
        existing = _existing_report(model, actor, report_id, values, provenance)
        if existing is None:
            raise
        return existing, False
    return record, True


# Written by the service from the rules, not submitted: not part of what a retry repeats.
_DERIVED_REPORT_FIELDS = frozenset({"compliance"})


def _existing_report(model: type[Model], actor: User, report_id: str,
                     values: Mapping[str, Any], provenance: Provenance) -> Any:
    """The report stored under `report_id` when it is the same report, else None;
    SubmissionConflict when the id was another user's or came with different content."""
    existing: Any = model._default_manager.filter(report_id=report_id).first()
    if existing is None:
        return None
    if getattr(existing, "submitted_by_id", None) != actor.pk:
        raise SubmissionConflict("this report id was used by another user")
    names = set(values) - _DERIVED_REPORT_FIELDS
    differing = differing_fields(
        {name: getattr(existing, name) for name in names}
        | {"classification": existing.classification, "is_exercise": existing.is_exercise},
        {name: values[name] for name in names}
        | {"classification": provenance.classification, "is_exercise": provenance.is_exercise})
    if differing:
        raise SubmissionConflict(f"report id {report_id!r} was used for a different report: "
                                 f"{', '.join(differing)} differ from the stored one")
    return existing


def submit_weapon_sighting(user: AnyUser, report_id: str, *, observed_at: datetime, lon: float,
                           lat: float, weapon_class: str, count: int = 1, weapon_type: str = "",
                           calibre_mm: float | None = None, observer_id: str = "",
                           place: str = "", notes: str = "", classification: str | None = None,
                           is_exercise: bool = False) -> tuple[WeaponSighting, bool]:
    """Record weapons seen at a position; idempotent by `report_id`.

    Exercise sightings are checked against the withdrawal rules on the exercise lines; real
    lines are not in the repository, so a real sighting's check is left empty.
    """
    compliance: dict[str, Any] = {}
    if is_exercise:
        rules, lines = _withdrawal_inputs()
        try:
            check = check_sighting(Sighting(lon=lon, lat=lat, weapon_class=weapon_class,
                                            observed_on=observed_at.date()), rules, lines)
            compliance = {"status": check.status.value, "required_km": check.required_km,
                          "distance_km": round(check.distance_km, 3),
                          "shortfall_km": round(check.shortfall_km, 3),
                          "reference_line": check.reference_line,
                          "explanation": check.explanation}
        except WithdrawalError as error:
            compliance = {"status": "not_checked", "explanation": str(error)}
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise SubmissionInvalid("count", "must be a whole number of at least 1")
    return _report(WeaponSighting, user, report_id, {
        "observed_at": observed_at, "lon": lon, "lat": lat, "weapon_class": weapon_class,
        "count": count, "weapon_type": weapon_type, "calibre_mm": calibre_mm,
        "observer_id": observer_id, "place": place, "notes": notes, "compliance": compliance},
        classification=classification, is_exercise=is_exercise)


def report_movement_restriction(user: AnyUser, report_id: str, *, observed_at: datetime,
                                lon: float, lat: float, kind: str, imposed_by: str = "unknown",
                                place: str = "", notes: str = "", observer_id: str = "",
                                classification: str | None = None, is_exercise: bool = False
                                ) -> tuple[MovementRestriction, bool]:
    """Record a restriction of the monitors' freedom of movement; idempotent by `report_id`.

    `imposed_by` is a category (armed personnel, checkpoint staff, ...), never a person.
    """
    if kind not in MovementRestriction.Kind.values:
        raise SubmissionInvalid("kind", f"must be one of {', '.join(MovementRestriction.Kind)}")
    if imposed_by not in MovementRestriction.ImposedBy.values:
        raise SubmissionInvalid("imposed_by", "must be one of "
                                f"{', '.join(MovementRestriction.ImposedBy)}")
    return _report(MovementRestriction, user, report_id, {
        "observed_at": observed_at, "lon": lon, "lat": lat, "kind": kind,
        "imposed_by": imposed_by, "place": place, "notes": notes, "observer_id": observer_id},
        classification=classification, is_exercise=is_exercise)


def report_civilian_impact(user: AnyUser, report_id: str, *, observed_at: datetime, lon: float,
                           lat: float, kind: str, object_type: str = "", killed: int = 0,
                           injured: int = 0, reported_by: str = "", place: str = "",
                           notes: str = "", observer_id: str = "",
                           classification: str | None = None, is_exercise: bool = False
                           ) -> tuple[CivilianImpact, bool]:
    """Record damage to a civilian object or civilian casualties as reported to the monitors."""
    if kind not in CivilianImpact.Kind.values:
        raise SubmissionInvalid("kind", f"must be one of {', '.join(CivilianImpact.Kind)}")
    for name, value in (("killed", killed), ("injured", injured)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SubmissionInvalid(name, "must be a whole number, not negative")
    return _report(CivilianImpact, user, report_id, {
        "observed_at": observed_at, "lon": lon, "lat": lat, "kind": kind,
        "object_type": object_type, "killed": killed, "injured": injured,
        "reported_by": reported_by, "place": place, "notes": notes, "observer_id": observer_id},
        classification=classification, is_exercise=is_exercise)


def iter_csv_rows(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """CSV text of observation mappings with the import's header (for tests and the demo)."""
    buffer = io.StringIO()
    writer = csv_dict_writer(buffer, CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def summary_json(summary: ImportSummary) -> str:
    return json.dumps(summary.as_dict(), ensure_ascii=False)
