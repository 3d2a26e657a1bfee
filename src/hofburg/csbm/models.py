"""Models of the Vienna Document desk (see services.py for the only write path).

What the participating States exchange and notify is `restricted` by default (participating
States' delegations and OSCE staff); a State may publish a record by making it `public`.
Versioned records (annual exchanges, calendars, notifications) are never changed in place: a
correction is a new version that supersedes the previous one, which stays on file.

Rule numbers (thresholds, deadlines, quotas) are not stored here: they come from the engine
and its rulesets, so a record can be judged under any ruleset.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hofburg.core.models import ClassifiedRecord
from hofburg.csbm.engine.activities import ActivityType as EngineActivityType
from hofburg.csbm.engine.terms import VisitOutcome as EngineVisitOutcome


class Confidence(models.TextChoices):
    """How far a publicly reported figure is checked (the domain reference's labels)."""

    CONFIRMED = "confirmed", _("confirmed")
    SECONDARY = "secondary", _("secondary")
    UNCONFIRMED = "unconfirmed", _("unconfirmed")
    DISPUTED = "disputed", _("disputed")


class ActivityType(models.TextChoices):
    # The values are the engine's (hofburg.csbm.engine.activities.ActivityType).
    LAND = EngineActivityType.LAND.value, _("land forces exercise")
    AMPHIBIOUS = EngineActivityType.AMPHIBIOUS.value, _("amphibious landing")
    AIRBORNE = EngineActivityType.AIRBORNE.value, _("heliborne landing or parachute assault")
    TRANSFER = EngineActivityType.TRANSFER.value, _("transfer: arrival in the zone")
    CONCENTRATION = EngineActivityType.CONCENTRATION.value, _("concentration of forces")
    AIR = EngineActivityType.AIR.value, _("air activity")


class VisitOutcome(models.TextChoices):
    # The values are the engine's (hofburg.csbm.engine.terms.VisitOutcome).
    CONDUCTED = EngineVisitOutcome.CONDUCTED.value, _("conducted")
    FORCE_MAJEURE = EngineVisitOutcome.FORCE_MAJEURE.value, _("prevented by force majeure")
    DECLINED_UNIT_AWAY = (EngineVisitOutcome.DECLINED_UNIT_AWAY.value,
                          _("declined: unit away from its peacetime location"))


class EquipmentCategory(models.TextChoices):
    """Categories of major weapon and equipment systems ((10.2.5), (11); numbering unconfirmed)."""

    BATTLE_TANKS = "battle_tanks", _("battle tanks")
    ACVS = "acvs", _("armoured combat vehicles")
    APC_LOOK_ALIKES = "apc_look_alikes", _("APC look-alikes")
    AIFV_LOOK_ALIKES = "aifv_look_alikes", _("AIFV look-alikes")
    ATGM_LAUNCHERS = "atgm_launchers", _("ATGM launchers on armoured vehicles")
    SELF_PROPELLED_ARTILLERY = "self_propelled_artillery", _("self-propelled artillery")
    TOWED_ARTILLERY = "towed_artillery", _("towed artillery")
    MORTARS = "mortars", _("mortars (100 mm and above)")
    MULTIPLE_ROCKET_LAUNCHERS = "mrls", _("multiple rocket launchers (100 mm and above)")
    BRIDGES = "avlbs", _("armoured vehicle launched bridges")
    COMBAT_AIRCRAFT = "combat_aircraft", _("combat aircraft")
    HELICOPTERS = "helicopters", _("helicopters")


# -- annual exchange of military information (Chapter I) ---------------------------------


class AnnualExchange(ClassifiedRecord):
    """One version of a State's annual exchange of military information, valid from 1 January
    of `year` (10). The first version's `submitted_on` decides whether the exchange was on time;
    later versions are corrections. Exactly one version per State and year is current.
    """

    state = models.ForeignKey("registry.ParticipatingState", to_field="iso2",
                              verbose_name=_("participating State"), on_delete=models.PROTECT,
                              related_name="csbm_exchanges")
    year = models.PositiveSmallIntegerField(_("valid from 1 January of"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    submitted_on = models.DateField(_("submitted on"))
    supersedes = models.OneToOneField("self", verbose_name=_("supersedes"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="superseded_by")
    is_current = models.BooleanField(_("current version"), default=True)
    # (9): a State with no military forces to report says so.
    is_nil = models.BooleanField(_("no military forces to report"), default=False)
    # (10.1.1): the total number of units reported and the resulting evaluation quota, as the
    # State declared them; the services check the quota against the engine's.
    units_reported = models.PositiveIntegerField(_("units reported"), default=0)
    declared_evaluation_quota = models.PositiveSmallIntegerField(
        _("declared evaluation quota"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "state__iso2", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["state", "year", "version"],
                                    name="csbm_exchange_one_version_number"),
            models.UniqueConstraint(fields=["state", "year"], condition=models.Q(is_current=True),
                                    name="csbm_exchange_one_current_version"),
        ]
        indexes = [models.Index(fields=["year", "is_current"], name="csbm_exchange_year_current")]
        verbose_name = _("annual exchange")
        verbose_name_plural = _("annual exchanges")

    def __str__(self) -> str:
        return f"AEMI {self.year} {self.state_id} v{self.version}"


class ExchangeUnit(models.Model):
    """A formation or unit in an annual exchange, down to brigade/regiment level ((10.1), (10.2))
    or air wing/regiment level. `parent` gives its subordination within the same exchange.
    """

    class Level(models.TextChoices):
        FORMATION = "formation", _("formation (army, corps, division)")
        UNIT = "unit", _("unit (brigade, regiment)")

    class Service(models.TextChoices):
        LAND = "land", _("land forces")
        AIR = "air", _("air forces")

    exchange = models.ForeignKey(AnnualExchange, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey("self", verbose_name=_("subordinate to"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="children")
    designation = models.CharField(_("designation"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    service = models.CharField(_("service"), max_length=4, choices=Service.choices,
                               default=Service.LAND)
    unit_type = models.CharField(_("type"), max_length=60, blank=True)  # armoured, artillery ...
    is_combat_unit = models.BooleanField(_("combat unit"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    personnel = models.PositiveIntegerField(_("peacetime authorized personnel"), default=0)
    is_exercise = models.BooleanField(_("exercise data"), default=False)

    class Meta:
        ordering = ["exchange", "id"]
        verbose_name = _("formation or unit")
        verbose_name_plural = _("formations and units")

    def __str__(self) -> str:
        return self.designation


class ExchangeHolding(models.Model):
    """Holdings of one type of a major weapon and equipment system category, in one unit
    (or State-wide when `unit` is empty)."""

    exchange = models.ForeignKey(AnnualExchange, on_delete=models.CASCADE, related_name="holdings")
    unit = models.ForeignKey(ExchangeUnit, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="holdings")
    category = models.CharField(_("category"), max_length=32, choices=EquipmentCategory.choices)
    type_name = models.CharField(_("type and version"), max_length=120, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    is_exercise = models.BooleanField(_("exercise data"), default=False)

    class Meta:
        ordering = ["exchange", "id"]
        verbose_name = _("holding")
        verbose_name_plural = _("holdings")

    def __str__(self) -> str:
        return f"{self.quantity} {self.category} {self.type_name}".strip()


# -- military activities, notifications and calendars (Chapters V-VIII) ------------------


class Activity(ClassifiedRecord):
    """A planned or conducted military activity of one participating State.

    Figures are peaks, as the engine reads them; a figure left empty was not declared (the
    engine counts it as 0, and pages say "not declared"). `notified_on`, `in_calendar_on` and
    `announced_on` record what the State has done and are written by the services.
    Publicly reported real activities carry their `source` and `confidence`.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CONDUCTED = "conducted", _("conducted")
        CANCELLED = "cancelled", _("cancelled")

    # An activity is known by its notifying State and its reference, as a notification is in
    # the Vienna Document practice: two States may use the same reference.
    reference = models.SlugField(_("reference"), max_length=80)
    state = models.ForeignKey("registry.ParticipatingState", to_field="iso2",
                              verbose_name=_("participating State"), on_delete=models.PROTECT,
                              related_name="csbm_activities")
    states_involved = models.JSONField(_("States involved (ISO alpha-2)"), default=list,
                                       blank=True)
    name = models.CharField(_("designation"), max_length=200)
    type = models.CharField(_("type"), max_length=16, choices=ActivityType.choices,
                            default=ActivityType.LAND)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PLANNED)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    troops = models.PositiveIntegerField(_("troops"), null=True, blank=True)
    battle_tanks = models.PositiveIntegerField(_("battle tanks"), null=True, blank=True)
    acvs = models.PositiveIntegerField(_("armoured combat vehicles"), null=True, blank=True)
    artillery = models.PositiveIntegerField(_("artillery, mortars, MRLs (100 mm and above)"),
                                            null=True, blank=True)
    # (40.2.1): an amphibious landing and a parachute drop or heliborne landing are each
    # compared with their own threshold, never added together.
    amphibious_troops = models.PositiveIntegerField(_("troops in an amphibious landing"),
                                                    null=True, blank=True)
    airborne_troops = models.PositiveIntegerField(
        _("troops in a parachute drop or heliborne landing"), null=True, blank=True)
    sorties = models.PositiveIntegerField(_("aircraft sorties"), null=True, blank=True)
    without_advance_notice = models.BooleanField(_("without advance notice (alert)"),
                                                 default=False)
    outside_zone = models.BooleanField(_("outside the zone of application"), default=False)
    duration_hours = models.PositiveIntegerField(_("duration in hours"), null=True, blank=True)
    divisional_structure = models.BooleanField(_("under divisional structure"), null=True,
                                               blank=True)
    brigades_or_regiments = models.PositiveSmallIntegerField(_("brigades or regiments"),
                                                             null=True, blank=True)
    purpose = models.TextField(_("general purpose"), blank=True)
    area = models.TextField(_("area"), blank=True)
    announced_on = models.DateField(_("announced two years ahead on"), null=True, blank=True)
    in_calendar_on = models.DateField(_("in the annual calendar sent on"), null=True, blank=True)
    notified_on = models.DateField(_("first notified on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices,
                                  blank=True)
    note = models.TextField(_("note"), blank=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "reference"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")),
                                   name="csbm_activity_ends_after_start"),
            models.UniqueConstraint(fields=["state", "reference"],
                                    name="csbm_activity_one_reference_per_state"),
        ]
        indexes = [models.Index(fields=["start"], name="csbm_activity_start")]
        verbose_name = _("military activity")
        verbose_name_plural = _("military activities")

    def __str__(self) -> str:
        return f"{self.name} ({self.state_id}, {self.start:%Y-%m-%d})"


class Notification(ClassifiedRecord):
    """One version of the prior notification of an activity (Chapter V), in the agreed content
    blocks A-D, as sent and appended to the ledger. A correction is a new version.

    The classification answers (notifiable, observable, dates) are those of `ruleset` on the
    day it was sent, kept so the record shows what the sender was told.
    """

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="notifications")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField("self", verbose_name=_("supersedes"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="superseded_by")
    is_current = models.BooleanField(_("current version"), default=True)
    sent_on = models.DateField(_("sent on"))
    ruleset = models.CharField(_("ruleset"), max_length=64)
    # {"A": {...general...}, "B": {...per type...}, "C": {...area and time...}, "D": {...}}
    content = models.JSONField(_("content"))
    notifiable = models.BooleanField(_("notifiable"))
    observable = models.BooleanField(_("subject to observation"))
    notify_by = models.DateField(_("notification due by"), null=True, blank=True)
    invite_by = models.DateField(_("invitation due by"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    ledger_entry = models.OneToOneField("core.LedgerEntry", verbose_name=_("ledger entry"),
                                        on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"),
                                on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "version"],
                                    name="csbm_notification_one_version_number"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.activity.state_id}/{self.activity.reference} v{self.version}"


class AnnualCalendar(ClassifiedRecord):
    """One version of a State's annual calendar of notifiable activities for `year` (61).
    A nil calendar (no notifiable activity planned) is a calendar too."""

    state = models.ForeignKey("registry.ParticipatingState", to_field="iso2",
                              verbose_name=_("participating State"), on_delete=models.PROTECT,
                              related_name="csbm_calendars")
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    submitted_on = models.DateField(_("submitted on"))
    supersedes = models.OneToOneField("self", verbose_name=_("supersedes"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="superseded_by")
    is_current = models.BooleanField(_("current version"), default=True)
    activities = models.ManyToManyField(Activity, verbose_name=_("activities"), blank=True,
                                        related_name="calendars")
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "state__iso2", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["state", "year", "version"],
                                    name="csbm_calendar_one_version_number"),
            models.UniqueConstraint(fields=["state", "year"], condition=models.Q(is_current=True),
                                    name="csbm_calendar_one_current_version"),
        ]
        verbose_name = _("annual calendar")
        verbose_name_plural = _("annual calendars")

    def __str__(self) -> str:
        return f"Calendar {self.year} {self.state_id} v{self.version}"

    @property
    def is_nil(self) -> bool:
        return not self.activities.exists()


# -- verification (Chapter IX) and risk reduction (Chapter III) ---------------------------


class Visit(ClassifiedRecord):
    """An inspection or evaluation visit requested by one State of another, and its outcome.
    `outcome` stays empty until the visit has been conducted, prevented or declined."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("inspection")
        EVALUATION = "evaluation", _("evaluation visit")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    receiving_state = models.ForeignKey("registry.ParticipatingState", to_field="iso2",
                                        verbose_name=_("receiving State"),
                                        on_delete=models.PROTECT,
                                        related_name="csbm_visits_received")
    inspecting_state = models.ForeignKey("registry.ParticipatingState", to_field="iso2",
                                         verbose_name=_("requesting State"),
                                         on_delete=models.PROTECT, related_name="csbm_visits_made")
    requested_at = models.DateTimeField(_("requested at"))
    on = models.DateField(_("visit date"))
    unit = models.ForeignKey(ExchangeUnit, verbose_name=_("unit evaluated"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="visits")
    unit_designation = models.CharField(_("unit evaluated"), max_length=200, blank=True)
    temporarily_activated = models.BooleanField(_("temporarily activated unit"), default=False)
    area = models.TextField(_("specified area"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=VisitOutcome.choices,
                               blank=True)
    outcome_recorded_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    # The request's content as a key: an identical request is the same request (decision 0021).
    request_key = models.CharField("request key", max_length=64, unique=True, null=True,
                                   blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["receiving_state", "on"], name="csbm_visit_receiver_on")]
        verbose_name = _("verification visit")
        verbose_name_plural = _("verification visits")

    def __str__(self) -> str:
        return f"{self.kind} {self.inspecting_state_id}->{self.receiving_state_id} {self.on}"


class RiskReductionRequest(ClassifiedRecord):
    """A Chapter III (16) request for explanation of an unusual military activity, with its
    clocks: the reply and the meeting are due within the ruleset's hours (UTC)."""

    requesting_state = models.ForeignKey("registry.ParticipatingState", to_field="iso2",
                                         verbose_name=_("requesting State"),
                                         on_delete=models.PROTECT,
                                         related_name="csbm_risk_requests_made")
    responding_state = models.ForeignKey("registry.ParticipatingState", to_field="iso2",
                                         verbose_name=_("responding State"),
                                         on_delete=models.PROTECT,
                                         related_name="csbm_risk_requests_received")
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="risk_reduction_requests")
    subject = models.TextField(_("activity of concern"))
    ruleset = models.CharField(_("ruleset"), max_length=64)
    requested_at = models.DateTimeField(_("requested at"))
    reply_due_at = models.DateTimeField(_("reply due by"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    meeting_requested_at = models.DateTimeField(_("meeting requested at"), null=True, blank=True)
    meeting_due_at = models.DateTimeField(_("meeting due by"), null=True, blank=True)
    meeting_held_at = models.DateTimeField(_("meeting held at"), null=True, blank=True)
    meeting_note = models.TextField(_("meeting record"), blank=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    # The request's content as a key: an identical request is the same request (decision 0021).
    request_key = models.CharField("request key", max_length=64, unique=True, null=True,
                                   blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("risk-reduction request")
        verbose_name_plural = _("risk-reduction requests")

    def __str__(self) -> str:
        return (f"{self.requesting_state_id} to {self.responding_state_id} "
                f"{self.requested_at:%Y-%m-%d}")
