"""Reference data of the OSCE as an organization. Every row carries its source and confidence.

Rows are written only by `services.load_reference`, from the versioned files under
`data/registry/`. The `confidence` label comes from the domain reference: confirmed,
secondary, unconfirmed or disputed; anything other than confirmed is shown to users.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hofburg.core.i18n import localized


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    SECONDARY = "secondary", _("secondary")
    UNCONFIRMED = "unconfirmed", _("unconfirmed")
    DISPUTED = "disputed", _("disputed")


class Sourced(models.Model):
    source = models.CharField(_("source"), max_length=500)
    confidence = models.CharField(
        _("confidence"), max_length=12, choices=Confidence.choices, default=Confidence.CONFIRMED
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True


class NamedInLanguages(models.Model):
    # {"en": ..., "fr": ..., "de": ..., "it": ..., "ru": ..., "es": ...}
    names = models.JSONField(_("names"), default=dict)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return localized(self.names, get_language(), fallback=str(getattr(self, "pk", "")))


class ParticipatingState(NamedInLanguages, Sourced):
    iso2 = models.CharField("ISO 3166 alpha-2", max_length=2, unique=True)
    iso3 = models.CharField("ISO 3166 alpha-3", max_length=3, unique=True)
    numeric = models.CharField("ISO 3166 numeric", max_length=3, unique=True)
    joined = models.DateField(_("joined"))

    class Meta:
        ordering = ["iso2"]
        verbose_name = _("participating State")
        verbose_name_plural = _("participating States")

    def __str__(self) -> str:
        return self.name


class StatusEvent(Sourced):
    """A change in a State's participation: admission, suspension, succession, renaming."""

    class Kind(models.TextChoices):
        ADMITTED = "admitted", _("admitted")
        SUSPENDED = "suspended", _("suspended")
        REINSTATED = "reinstated", _("reinstated")
        SUCCESSION = "succession", _("succession")
        RENAMED = "renamed", _("renamed")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")
        YEAR = "year", _("year")

    state = models.ForeignKey(
        ParticipatingState, on_delete=models.CASCADE, related_name="status_events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"))
    # Sources often give only "December 1991" or "1990". `date` then holds the first day of that
    # month or year and the precision says how much of it is known, so no day is invented.
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(_("until"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=500)

    class Meta:
        ordering = ["state", "date"]

    def __str__(self) -> str:
        return f"{self.state.iso2} {self.kind} {self.date_text}"

    @property
    def date_text(self) -> str:
        """The date to the precision the source gives: `1992-07-08`, `1991-12` or `1990`."""
        if self.date_precision == self.DatePrecision.YEAR:
            return f"{self.date:%Y}"
        if self.date_precision == self.DatePrecision.MONTH:
            return f"{self.date:%Y-%m}"
        return self.date.isoformat()


class Partner(NamedInLanguages, Sourced):
    class Group(models.TextChoices):
        ASIAN = "asian", _("Asian Partner for Co-operation")
        MEDITERRANEAN = "mediterranean", _("Mediterranean Partner for Co-operation")

    iso2 = models.CharField("ISO 3166 alpha-2", max_length=2, unique=True)
    iso3 = models.CharField("ISO 3166 alpha-3", max_length=3, unique=True)
    numeric = models.CharField("ISO 3166 numeric", max_length=3, unique=True)
    group = models.CharField(_("group"), max_length=16, choices=Group.choices)
    since = models.CharField(_("partner since"), max_length=120)

    class Meta:
        ordering = ["group", "iso2"]
        verbose_name = _("Partner for Co-operation")
        verbose_name_plural = _("Partners for Co-operation")

    def __str__(self) -> str:
        return self.name


class Chairmanship(Sourced):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    # Czechoslovakia chaired in 1992 and is no longer a participating State: `state` is empty
    # then and `historical_name` says who chaired.
    state = models.ForeignKey(
        ParticipatingState,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chairmanships",
    )
    historical_name = models.CharField(_("historical name"), max_length=120, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("Chairmanship")
        verbose_name_plural = _("Chairmanships")

    def __str__(self) -> str:
        return f"{self.year} {self.chair_name}"

    @property
    def chair_name(self) -> str:
        return self.state.name if self.state else self.historical_name


class Institution(NamedInLanguages, Sourced):
    code = models.SlugField(max_length=40, unique=True)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    seat = models.CharField(_("seat"), max_length=120)
    established = models.CharField(_("established"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name


class SecretariatUnit(NamedInLanguages, Sourced):
    code = models.SlugField(max_length=40, unique=True)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="units"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("Secretariat unit")
        verbose_name_plural = _("Secretariat units")

    def __str__(self) -> str:
        return self.name


class FieldOperation(NamedInLanguages, Sourced):
    code = models.SlugField(max_length=60, unique=True)
    region = models.CharField(_("region"), max_length=60)
    # Empty where the host is not a participating State (Kosovo) or the operation has no single
    # host; `host_label` then says where it works.
    host_state = models.ForeignKey(
        ParticipatingState,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="field_operations",
    )
    host_label = models.CharField(_("host"), max_length=120, blank=True)
    seat = models.CharField(_("seat"), max_length=120, blank=True)
    basis = models.CharField(_("founding decision"), max_length=300, blank=True)
    established = models.DateField(_("established"), null=True, blank=True)
    closed = models.DateField(_("closed"), null=True, blank=True)
    closed_label = models.CharField(_("closure"), max_length=120, blank=True)

    # Open: neither a closing date nor a closure given only as text (e.g. "2022").
    CURRENT = models.Q(closed__isnull=True, closed_label="")

    class Meta:
        ordering = ["region", "code"]
        verbose_name = _("field operation")
        verbose_name_plural = _("field operations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.closed is None and not self.closed_label


class Conflict(NamedInLanguages, Sourced):
    """A protracted conflict the OSCE deals with."""

    code = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")

    def __str__(self) -> str:
        return self.name


class NegotiationFormat(NamedInLanguages, Sourced):
    code = models.SlugField(max_length=60, unique=True)
    conflict = models.ForeignKey(Conflict, on_delete=models.CASCADE, related_name="formats")
    started = models.CharField(_("started"), max_length=120, blank=True)
    ended = models.CharField(_("ended"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=300, blank=True)
    is_osce_body = models.BooleanField(_("OSCE body"), default=True)

    class Meta:
        ordering = ["conflict", "code"]
        verbose_name = _("negotiation format")
        verbose_name_plural = _("negotiation formats")

    def __str__(self) -> str:
        return self.name


class FormatParticipant(models.Model):
    class Role(models.TextChoices):
        SIDE = "side", _("side")
        MEDIATOR = "mediator", _("mediator")
        CO_CHAIR = "co_chair", _("co-chair")
        OBSERVER = "observer", _("observer")
        MEMBER = "member", _("member")
        PARTICIPANT = "participant", _("participant")

    format = models.ForeignKey(
        NegotiationFormat, on_delete=models.CASCADE, related_name="participants"
    )
    # A participating State, or another party named in `name` (the EU, the UN, the OSCE, ...).
    state = models.ForeignKey(
        ParticipatingState,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="format_roles",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["format", "role", "id"]

    def __str__(self) -> str:
        return f"{self.format.code}: {self.display_name} ({self.role})"

    @property
    def display_name(self) -> str:
        return self.state.name if self.state else self.name
