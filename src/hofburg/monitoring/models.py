"""Models of the field-monitoring desk (written by `intake`, `importing` and `events` only).

Raw records (observations and the other reports of a patrol) are kept as entered; the engine
merges observations into events, which carry the location and the explanation of the merge.
Maps, trends and period counts read the rollup tables (`DailyCount`, `CellCount` and their
coarser weekly and monthly twins), which the write path updates on every ingest and status change,
never the raw rows.

Classification: raw records and events are `restricted` by default (details are for the
entitled); the public sees only the published share of the rollups and published events, which
are public events. Observations merge only within one visibility scope, an event is classified
as its most protected member, and the rollups are kept per scope (decision 0018).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hofburg.core.models.classification import (
    Classification,
    ClassificationField,
    ClassifiedRecord,
    owner_affiliation_field,
)
from hofburg.monitoring.engine.observations import Category as EngineCategory
from hofburg.monitoring.engine.observations import Method as EngineMethod
from hofburg.monitoring.engine.observations import ObserverKind as EngineObserverKind

# The engine's vocabularies as Django choices: the values are the engine's
# (hofburg.monitoring.engine.observations), the labels translated here.


class ObserverKind(models.TextChoices):
    PATROL = EngineObserverKind.PATROL.value, _("patrol")
    OBSERVATION_POINT = EngineObserverKind.OBSERVATION_POINT.value, _("observation point")
    CAMERA = EngineObserverKind.CAMERA.value, _("camera")
    DRONE = EngineObserverKind.DRONE.value, _("drone")


class Method(models.TextChoices):
    HEARD = EngineMethod.HEARD.value, _("heard")
    SAW = EngineMethod.SAW.value, _("saw")
    RECORDED = EngineMethod.RECORDED.value, _("recorded")


class Category(models.TextChoices):
    """Kinds of ceasefire violation as the SMM reported them (domain reference, 1.2)."""

    EXPLOSION_UNDETERMINED = (EngineCategory.EXPLOSION_UNDETERMINED.value,
                              _("explosion, undetermined"))
    AIRBURST = EngineCategory.AIRBURST.value, _("explosion, airburst")
    EXPLOSION_WEAPON = EngineCategory.EXPLOSION_WEAPON.value, _("explosion, by weapon")
    PROJECTILE_IN_FLIGHT = EngineCategory.PROJECTILE_IN_FLIGHT.value, _("projectile in flight")
    MUZZLE_FLASH = EngineCategory.MUZZLE_FLASH.value, _("muzzle flash")
    ILLUMINATION_FLARE = EngineCategory.ILLUMINATION_FLARE.value, _("illumination flare")
    BURST = EngineCategory.BURST.value, _("burst")
    SHOT = EngineCategory.SHOT.value, _("shot")


class ObservationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")


class EventStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("provisional")
    VERIFIED = "verified", _("verified")
    PUBLISHED = "published", _("published")
    # Every member observation was rejected: the event no longer counts anywhere.
    WITHDRAWN = "withdrawn", _("withdrawn")


class LocationMethod(models.TextChoices):
    FIX = "fix", _("least-squares fix of bearings")
    COMMON_AREA = "common_area", _("area the observers' wedges share")
    SECTOR = "sector", _("one observer's wedge")


class ImportBatch(models.Model):
    """One committed CSV import: the file's SHA-256 and what the import did.

    Only imports that committed are stored; a rejected file leaves no batch behind.
    """

    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"),
                              on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    skip_bad = models.BooleanField(_("bad rows skipped"), default=False)
    summary = models.JSONField(_("summary"), default=dict)
    created_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.filename or 'import'} ({self.sha256[:12]})"


class _BulkRecord(ClassifiedRecord):
    """A classified record of which a mission keeps millions: no index on the classification
    (three values, each a large share of the rows) or on the owner (one affiliation for a
    whole import). The access filter on them rides on the indexes a query uses anyway, such as
    time; an index on either would cost every import a table scan and be searched by no query
    (decision 0014)."""

    classification = ClassificationField(_("classification"), db_index=False)
    owner_affiliation = owner_affiliation_field(db_index=False)

    class Meta:
        abstract = True


class Event(_BulkRecord):
    """One event as merged from one or more observations, located, with the merge's reasons.

    `event_key` is the id of its first observation, so it stays stable across re-merges. The
    counts are lower bounds ("at least N"). `h3_cell` is stored beside the point so maps bin
    without a spatial index; `area` is the reporting area the period counts are kept for.
    """

    event_key = models.CharField(_("event key"), max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=EventStatus.choices,
                              default=EventStatus.PROVISIONAL, db_index=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    weapon_class = models.CharField(_("weapon class"), max_length=64, blank=True)
    count_at_least = models.PositiveIntegerField(_("count (at least)"), default=1)
    first_observed_at = models.DateTimeField(_("first observed at"), db_index=True)
    last_observed_at = models.DateTimeField(_("last observed at"))
    # The reporting period (19:30 to 19:30 local time) by the local date of its end.
    report_date = models.DateField(_("report date"), db_index=True)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    h3_cell = models.CharField(_("H3 cell"), max_length=16, db_index=True)
    area = models.CharField(_("reporting area"), max_length=32, db_index=True)
    location_method = models.CharField(_("located by"), max_length=16,
                                       choices=LocationMethod.choices)
    ellipse_semi_major_m = models.FloatField(_("error ellipse, semi-major (m)"), null=True,
                                             blank=True)
    ellipse_semi_minor_m = models.FloatField(_("error ellipse, semi-minor (m)"), null=True,
                                             blank=True)
    ellipse_orientation_deg = models.FloatField(_("error ellipse, orientation (deg)"),
                                                null=True, blank=True)
    area_km2 = models.FloatField(_("candidate area (km²)"), null=True, blank=True)
    number_of_sources = models.PositiveSmallIntegerField(_("number of sources"), default=1)
    needs_review = models.BooleanField(_("needs review"), default=False)
    explanation = models.JSONField(_("explanation"), default=list)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-first_observed_at", "event_key"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.event_key} ({self.category})"


class Observation(_BulkRecord):
    """What one observer recorded, as entered; never overwritten by a merge.

    `observed_at` is stored in UTC and `utc_offset_minutes` keeps the offset the observer gave,
    so the time can be shown as entered. `client_id` is generated by the submitting client; a
    retry with the same id returns the stored record instead of making a duplicate.
    """

    observation_id = models.CharField(_("observation id"), max_length=64, unique=True)
    # Unique where given (see Meta): imported rows have none (NULL, not "", so that they leave
    # no entry in the partial unique index).
    client_id = models.CharField(_("client id"), max_length=64, null=True,  # noqa: DJ001
                                 blank=True)
    observed_at = models.DateTimeField(_("observed at"), db_index=True)
    utc_offset_minutes = models.SmallIntegerField(_("UTC offset (minutes)"), default=0)
    observer_id = models.CharField(_("observer"), max_length=64)
    observer_kind = models.CharField(_("observer kind"), max_length=24,
                                     choices=ObserverKind.choices)
    observer_lon = models.FloatField(_("observer longitude"))
    observer_lat = models.FloatField(_("observer latitude"))
    method = models.CharField(_("how"), max_length=16, choices=Method.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    weapon_class = models.CharField(_("weapon class"), max_length=64, blank=True)
    count = models.PositiveIntegerField(_("count (at least)"), default=1)
    bearing_deg = models.FloatField(_("bearing (deg)"), null=True, blank=True)
    sector = models.CharField(_("compass sector"), max_length=16, blank=True)
    compass_points = models.PositiveSmallIntegerField(_("compass points"), default=16)
    distance_km_min = models.FloatField(_("distance from (km)"), null=True, blank=True)
    distance_km_max = models.FloatField(_("distance to (km)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Not indexed: nearly every observation is submitted or verified, so lists by status read
    # the time index and filter (decision 0014).
    status = models.CharField(_("status"), max_length=16, choices=ObservationStatus.choices,
                              default=ObservationStatus.SUBMITTED)
    status_reason = models.TextField(_("reason"), blank=True)
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="observations")
    # Batches and users are kept, not deleted (the audit trail names them), so nothing looks
    # observations up by either: no index (decision 0014).
    batch = models.ForeignKey(ImportBatch, verbose_name=_("import batch"),
                              on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="observations", db_index=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", db_index=False)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-observed_at", "observation_id"]
        constraints = [models.UniqueConstraint(
            fields=["client_id"], condition=models.Q(client_id__isnull=False),
            name="monitoring_observation_client_id_unique")]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        return self.observation_id


class ObservationPhoto(models.Model):
    """A photo attached to an observation by its monitor (decision 0058).

    Read only through its observation, so it has that record's access: a reader who may not see
    the observation finds no photo. `content` is what is stored and served, `sha256` its digest:
    without the location metadata unless `location_kept` (the monitor asked to keep it);
    `removed` names what was taken out ("GPS", "XMP", ...). One photo is stored once per
    observation: a second upload of the same file is the first one's retry.
    """

    observation = models.ForeignKey(Observation, verbose_name=_("observation"),
                                    on_delete=models.CASCADE, related_name="photos")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    content = models.BinaryField(_("content"))
    location_kept = models.BooleanField(_("location kept"), default=False)
    removed = models.CharField(_("metadata removed"), max_length=100, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"),
                                 on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", db_index=False)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["observation_id", "added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["observation", "sha256"],
                                               name="monitoring_photo_once_per_observation")]
        verbose_name = _("observation photo")
        verbose_name_plural = _("observation photos")

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"


class _FieldReport(ClassifiedRecord):
    """Fields shared by the other reports of a patrol: id, time, place, who entered it."""

    report_id = models.CharField(_("report id"), max_length=64, unique=True)
    observed_at = models.DateTimeField(_("observed at"), db_index=True)
    observer_id = models.CharField(_("observer"), max_length=64, blank=True)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-observed_at"]

    def __str__(self) -> str:
        return self.report_id


class WeaponSighting(_FieldReport):
    """Weapons seen at a position; `compliance` holds the withdrawal check's result."""

    weapon_class = models.CharField(_("weapon class"), max_length=64)
    weapon_type = models.CharField(_("weapon type"), max_length=120, blank=True)
    calibre_mm = models.FloatField(_("calibre (mm)"), null=True, blank=True)
    count = models.PositiveIntegerField(_("count"), default=1)
    compliance = models.JSONField(_("withdrawal check"), default=dict, blank=True)

    class Meta(_FieldReport.Meta):
        verbose_name = _("weapon sighting")
        verbose_name_plural = _("weapon sightings")


class MovementRestriction(_FieldReport):
    """A restriction of the monitors' freedom of movement: where, what kind, by whom.

    `imposed_by` is a category of people, never a named individual.
    """

    class Kind(models.TextChoices):
        DENIED_PASSAGE = "denied_passage", _("denied passage")
        DELAYED = "delayed", _("delayed")
        CONDITIONAL_ACCESS = "conditional_access", _("conditional access")
        UAV_JAMMING = "uav_jamming", _("UAV signal interference")
        UAV_FIRED_UPON = "uav_fired_upon", _("UAV fired upon")
        MINES = "mines", _("mine hazard")
        OTHER = "other", _("other")

    class ImposedBy(models.TextChoices):
        ARMED_PERSONNEL = "armed_personnel", _("armed personnel")
        CHECKPOINT_STAFF = "checkpoint_staff", _("checkpoint staff")
        CIVILIANS = "civilians", _("civilians")
        UNKNOWN = "unknown", _("unknown")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    imposed_by = models.CharField(_("imposed by"), max_length=24, choices=ImposedBy.choices,
                                  default=ImposedBy.UNKNOWN)

    class Meta(_FieldReport.Meta):
        verbose_name = _("freedom-of-movement restriction")
        verbose_name_plural = _("freedom-of-movement restrictions")


class CivilianImpact(_FieldReport):
    """Damage to a civilian object or civilian casualties, as reported to the monitors."""

    class Kind(models.TextChoices):
        DAMAGE = "damage", _("damage to a civilian object")
        CASUALTIES = "casualties", _("civilian casualties")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_type = models.CharField(_("object"), max_length=120, blank=True)
    killed = models.PositiveIntegerField(_("killed"), default=0)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    reported_by = models.CharField(_("reported by (category)"), max_length=120, blank=True)

    class Meta(_FieldReport.Meta):
        verbose_name = _("civilian impact")
        verbose_name_plural = _("civilian impacts")


PUBLIC_SCOPE = "public"
RESTRICTED_SCOPE = "restricted"
CONFIDENTIAL_SCOPE_PREFIX = "confidential:"


def visibility_scope(classification: str, owner_affiliation_id: int | None) -> str:
    """The rollup scope of an event: `public`, `restricted`, or `confidential:<owner id>`.

    Rollups are kept per scope, and a reader sums exactly the scopes they may see
    (`queries.rollup_scope`), so a count never reaches a reader who may not see its event
    (decision 0018). A confidential event counts for its owner affiliation only: the events it
    is shared with are readable by the affiliations named, but not summed for them.
    """
    if classification == Classification.PUBLIC:
        return PUBLIC_SCOPE
    if classification == Classification.RESTRICTED:
        return RESTRICTED_SCOPE
    return f"{CONFIDENTIAL_SCOPE_PREFIX}{owner_affiliation_id or ''}"


class DailyCount(models.Model):
    """Rollup: events and violations per report date × category × area, updated on ingest.

    `violations` sums the events' "at least" counts. The `published_*` columns count only
    published events: they are the only figures the public sees. Every rollup row belongs to
    one visibility `scope` (see `visibility_scope`): a reader sums the scopes they may see.
    """

    day = models.DateField(_("report date"))
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    area = models.CharField(_("reporting area"), max_length=32)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    scope = models.CharField(_("visibility scope"), max_length=32, default=RESTRICTED_SCOPE)
    events = models.IntegerField(default=0)
    violations = models.IntegerField(default=0)
    published_events = models.IntegerField(default=0)
    published_violations = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["day", "category", "area", "is_exercise", "scope"],
            name="monitoring_dailycount_key")]
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")

    def __str__(self) -> str:
        return f"{self.day} {self.category} {self.area}: {self.violations}"


class CellCount(models.Model):
    """Rollup: events and violations per H3 cell × report date × category, updated on ingest.

    `lon`/`lat` are the cell's centre, so a map's bounding box filters rows in SQL.
    """

    cell = models.CharField(_("H3 cell"), max_length=16)
    day = models.DateField(_("report date"))
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    scope = models.CharField(_("visibility scope"), max_length=32, default=RESTRICTED_SCOPE)
    lon = models.FloatField()
    lat = models.FloatField()
    events = models.IntegerField(default=0)
    violations = models.IntegerField(default=0)
    published_events = models.IntegerField(default=0)
    published_violations = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["cell", "day", "category", "is_exercise", "scope"],
            name="monitoring_cellcount_key")]
        indexes = [models.Index(fields=["day", "lon", "lat"], name="monitoring_cell_day_box")]
        verbose_name = _("cell count")
        verbose_name_plural = _("cell counts")

    def __str__(self) -> str:
        return f"{self.cell} {self.day} {self.category}: {self.violations}"


class _CellPeriodCount(models.Model):
    """Fields of the coarse map rollups: `CellCount` summed over an ISO week or a month.

    They hold exactly the sums of the daily cell rows of their period (the services add every
    change to all three in the same transaction), so a map of a long range reads a few rows per
    cell instead of one per day.
    """

    cell = models.CharField(_("H3 cell"), max_length=16)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    scope = models.CharField(_("visibility scope"), max_length=32, default=RESTRICTED_SCOPE)
    lon = models.FloatField()
    lat = models.FloatField()
    events = models.IntegerField(default=0)
    violations = models.IntegerField(default=0)
    published_events = models.IntegerField(default=0)
    published_violations = models.IntegerField(default=0)

    class Meta:
        abstract = True


class CellWeekCount(_CellPeriodCount):
    """Rollup: `CellCount` per ISO week; `week` is the Monday of the week (a report date)."""

    week = models.DateField(_("week (Monday)"))

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["cell", "week", "category", "is_exercise", "scope"],
            name="monitoring_cellweekcount_key")]
        indexes = [models.Index(fields=["week", "lon", "lat"], name="monitoring_cell_week_box")]
        verbose_name = _("cell count per week")
        verbose_name_plural = _("cell counts per week")

    def __str__(self) -> str:
        return f"{self.cell} week of {self.week} {self.category}: {self.violations}"


class CellMonthCount(_CellPeriodCount):
    """Rollup: `CellCount` per calendar month; `month` is the month's first day."""

    month = models.DateField(_("month (first day)"))

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["cell", "month", "category", "is_exercise", "scope"],
            name="monitoring_cellmonthcount_key")]
        indexes = [models.Index(fields=["month", "lon", "lat"], name="monitoring_cell_month_box")]
        verbose_name = _("cell count per month")
        verbose_name_plural = _("cell counts per month")

    def __str__(self) -> str:
        return f"{self.cell} {self.month:%Y-%m} {self.category}: {self.violations}"


class AreaWeekCount(models.Model):
    """Rollup: `DailyCount` per ISO week (`week` is its Monday), for long trends by area."""

    week = models.DateField(_("week (Monday)"))
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    area = models.CharField(_("reporting area"), max_length=32)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    scope = models.CharField(_("visibility scope"), max_length=32, default=RESTRICTED_SCOPE)
    events = models.IntegerField(default=0)
    violations = models.IntegerField(default=0)
    published_events = models.IntegerField(default=0)
    published_violations = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["week", "category", "area", "is_exercise", "scope"],
            name="monitoring_areaweekcount_key")]
        verbose_name = _("area count per week")
        verbose_name_plural = _("area counts per week")

    def __str__(self) -> str:
        return f"week of {self.week} {self.category} {self.area}: {self.violations}"


class RollupGeneration(models.Model):
    """A counter raised in the transaction of every change to the rollups.

    Answers read from the rollups are cached under the generation they were read at, so a
    change makes every cached answer stale at once, in every process (the counter is in the
    database, not in one process's memory).

    The counter alone can come back to a number it had with other data: a database restored
    from a copy, a transaction rolled back, or another database sharing the cache. So every
    change also draws a new random `token`, and the cache key names both (decision 0016).
    """

    value = models.BigIntegerField(default=0)
    token = models.CharField(max_length=32, default="", blank=True)

    class Meta:
        verbose_name = _("rollup generation")
        verbose_name_plural = _("rollup generations")

    def __str__(self) -> str:
        return str(self.value)


class PeriodRelease(models.Model):
    """A reporting period released to the public: its figures are whole, not a first share.

    The public reads a period's figures only once it is released (`intake.release`), so a
    period with one published event never looks like a period of one event; a period that is
    not released shows as "not yet released", never as 0. Publishing an event is releasing its
    period, or (for an event verified after the release) adding to a released period.
    """

    report_date = models.DateField(_("report date"), unique=True)
    released_at = models.DateTimeField(_("released at"), default=timezone.now)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("released by"))

    class Meta:
        ordering = ["-report_date"]
        verbose_name = _("released reporting period")
        verbose_name_plural = _("released reporting periods")

    def __str__(self) -> str:
        return f"period of {self.report_date} released {self.released_at:%Y-%m-%d %H:%M}"
