"""The projects desk's records: projects with their recipients, budget lines, transactions,
logframe (elements, indicators, periods), progress reports with the history of the actual
values they changed, workflow approvals, donors, and seconded personnel.

A project is a classified record owned by the affiliation of a Secretariat unit, an institution
or a field operation; the records under it (money, logframe, reports) are seen with it and
never on their own. Balances, burn rate and totals are computed (`projects.engine.money`), never
stored. Money is stored in the project's currency; a transaction entered in another keeps the
amount, currency, rate and rate date it was converted from.
"""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from hofburg.core.i18n import localized
from hofburg.core.models import ClassifiedRecord
from hofburg.projects.engine.logframe import Level
from hofburg.projects.engine.money import Flow
from hofburg.projects.engine.workflow import Action, Status
from hofburg.registry.models import Confidence

_M = TypeVar("_M", bound=models.Model)


class Standing(models.Manager[_M]):
    """The rows that stand: neither superseded by a correction nor reversed. The default
    manager of the money records, so every sum, list and export counts only what stands;
    `with_history` reads the superseded and reversed rows too."""

    def get_queryset(self) -> models.QuerySet[_M]:
        return super().get_queryset().filter(superseded_at__isnull=True)


class Dimension(models.TextChoices):
    POLITICO_MILITARY = "politico_military", _("politico-military")
    ECONOMIC_ENVIRONMENTAL = "economic_environmental", _("economic and environmental")
    HUMAN = "human", _("human")
    CROSS_DIMENSIONAL = "cross_dimensional", _("cross-dimensional")


class Theme(models.TextChoices):
    ANTI_CORRUPTION = "anti_corruption", _("anti-corruption")
    ANTI_MONEY_LAUNDERING = "anti_money_laundering", _("anti-money-laundering")
    ENERGY_NETWORK_PROTECTION = "energy_network_protection", _("energy-network protection")
    CLIMATE_SECURITY = "climate_security", _("climate security")
    WOMENS_ECONOMIC_EMPOWERMENT = "womens_economic_empowerment", \
        _("women's economic empowerment")
    BORDER_MANAGEMENT = "border_management", _("border security and management")
    POLICING = "policing", _("policing")
    SMALL_ARMS = "small_arms", _("small arms and conventional ammunition")
    SECURITY_SECTOR = "security_sector", _("security sector governance and reform")
    ELECTIONS = "elections", _("elections")
    MEDIA_FREEDOM = "media_freedom", _("media freedom")
    HUMAN_RIGHTS = "human_rights", _("human rights and rule of law")
    TRAFFICKING = "trafficking", _("combating trafficking in human beings")
    NATIONAL_MINORITIES = "national_minorities", _("national minorities")


class ProjectStatus(models.TextChoices):
    CONCEPT = Status.CONCEPT.value, pgettext_lazy("project status", "concept")
    APPROVED = Status.APPROVED.value, pgettext_lazy("project status", "approved")
    IMPLEMENTATION = Status.IMPLEMENTATION.value, pgettext_lazy("project status", "implementation")
    CLOSED = Status.CLOSED.value, pgettext_lazy("project status", "closed")
    CANCELLED = Status.CANCELLED.value, pgettext_lazy("project status", "cancelled")
    SUSPENDED = Status.SUSPENDED.value, pgettext_lazy("project status", "suspended")


class Funding(models.TextChoices):
    EXTRA_BUDGETARY = "extra_budgetary", _("extra-budgetary")
    UNIFIED_BUDGET = "unified_budget", _("Unified Budget")


class Project(ClassifiedRecord):
    """An extra-budgetary (or Unified Budget) project; `owner_affiliation` is its owner."""

    number = models.CharField(_("project number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    # Other languages' titles and descriptions: {"fr": "...", "ru": "..."}.
    titles = models.JSONField(_("titles in other languages"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    descriptions = models.JSONField(_("descriptions in other languages"), default=dict,
                                    blank=True)
    funding = models.CharField(_("funding"), max_length=16, choices=Funding.choices,
                               default=Funding.EXTRA_BUDGETARY)
    dimension = models.CharField(_("dimension"), max_length=24, choices=Dimension.choices,
                                 db_index=True)
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices, db_index=True)
    # OECD DAC CRS 5-digit purpose codes (IATI Sector vocabulary 1): ["15113", ...].
    dac_sectors = models.JSONField(_("DAC sector codes"), default=list, blank=True)
    # IATI policy markers: [{"code": "1", "significance": "1"}, ...].
    policy_markers = models.JSONField(_("policy markers"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices,
                              default=ProjectStatus.CONCEPT, db_index=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def local_title(self) -> str:
        """The title in the interface's language where it has one, else the English title."""
        return localized(self.titles, get_language(), fallback=self.title)

    @property
    def local_description(self) -> str:
        return localized(self.descriptions, get_language(), fallback=self.description)


class Recipient(models.Model):
    """A State (or Partner) a project works in, by ISO 3166 alpha-2 code."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="recipients")
    iso2 = models.CharField(_("State (ISO alpha-2)"), max_length=2, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "iso2"],
                                               name="projects_one_recipient_row")]

    def __str__(self) -> str:
        return self.iso2


class Approval(models.Model):
    """One workflow step taken: who, when, from what to what (the approvals recorded)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="approvals")
    action = models.CharField(_("action"), max_length=12,
                              choices=[(a.value, a.value) for a in Action])
    before = models.CharField(_("from"), max_length=16, choices=ProjectStatus.choices)
    after = models.CharField(_("to"), max_length=16, choices=ProjectStatus.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["project", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.before} → {self.after}"


class Donor(models.Model):
    """Who gives money: a participating State, a Partner, the EU or another donor."""

    class Kind(models.TextChoices):
        PARTICIPATING_STATE = "participating_state", _("participating State")
        PARTNER = "partner", _("Partner for Co-operation")
        EUROPEAN_UNION = "eu", _("European Union")
        OTHER = "other", _("other donor")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    iso2 = models.CharField(_("State (ISO alpha-2)"), max_length=2, blank=True, db_index=True)
    # The IATI organisation identifier and type (OrganisationType codelist), where known.
    iati_ref = models.CharField(_("IATI organisation identifier"), max_length=100, blank=True)
    iati_type = models.CharField(_("IATI organisation type"), max_length=4, default="10")
    is_exercise = models.BooleanField(_("exercise data"), default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """The budget of one year of a project: original and, once revised, revised."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    original = models.DecimalField(_("original budget"), max_digits=16, decimal_places=2)
    revised = models.DecimalField(_("revised budget"), null=True, blank=True, max_digits=16,
                                  decimal_places=2)
    # A line revised or corrected is superseded by the line that replaces it; a reversed line
    # is superseded by none. Either way it is kept, and no longer counts.
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")

    with_history = models.Manager()
    objects = Standing()

    class Meta:
        ordering = ["project", "year", "pk"]
        default_manager_name = "objects"
        base_manager_name = "with_history"
        constraints = [models.UniqueConstraint(fields=["project", "year"],
                                               condition=models.Q(superseded_at__isnull=True),
                                               name="projects_one_standing_budget_line")]
        # Covers the portfolio's budget total (benchmark: 13 -> 6 ms over 10,000 lines).
        indexes = [models.Index(fields=["project", "original", "revised"],
                                condition=models.Q(superseded_at__isnull=True),
                                name="projects_standing_budget_sums")]

    def __str__(self) -> str:
        return f"{self.year}: {self.revised if self.revised is not None else self.original}"


class Transaction(models.Model):
    """A pledge, agreement, contribution received or expenditure, in the project's currency."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transactions")
    flow = models.CharField(_("kind"), max_length=16, choices=[(f.value, f.value) for f in Flow],
                            db_index=True)
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="transactions")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    value_date = models.DateField(_("value date"), db_index=True)
    # As entered, when in another currency: amount, currency, the rate used and its date.
    original_value = models.DecimalField(_("original value"), null=True, blank=True,
                                         max_digits=16, decimal_places=2)
    original_currency = models.CharField(_("original currency"), max_length=3, blank=True)
    rate = models.DecimalField(_("exchange rate"), max_digits=18, decimal_places=8, null=True,
                               blank=True)
    rate_date = models.DateField(_("exchange-rate date"), null=True, blank=True)
    # Expenditure is reported per period.
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    earmark = models.CharField(_("earmarking"), max_length=200, blank=True)
    # The donor's own IATI activity id for this money, where it has one (earmarking in IATI).
    donor_activity_id = models.CharField(_("donor's IATI activity"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # A corrected transaction is superseded by the one that replaces it; a reversed one by
    # none. Either way it is kept as it was, and no longer counts (`Standing`).
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")

    with_history = models.Manager()
    objects = Standing()

    class Meta:
        ordering = ["project", "value_date", "pk"]
        default_manager_name = "objects"
        base_manager_name = "with_history"
        indexes = [
            models.Index(fields=["donor", "flow"], name="projects_tx_donor_flow"),
            # Covers the portfolio's sums per kind over the visible projects (benchmark:
            # 38 -> 28 ms over 40,000 transactions on SQLite), standing rows only.
            models.Index(fields=["project", "flow", "value"],
                         condition=models.Q(superseded_at__isnull=True),
                         name="projects_standing_tx_sums"),
        ]

    def __str__(self) -> str:
        return f"{self.flow} {self.value} on {self.value_date}"

    @property
    def stands(self) -> bool:
        return self.superseded_at is None


class LogframeElement(models.Model):
    """Impact, outcome, output or activity of a project's logical framework."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="logframe")
    level = models.CharField(_("level"), max_length=12,
                             choices=[(lv.value, lv.value) for lv in Level])
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children")
    code = models.CharField(_("code"), max_length=20)  # "1", "1.2", "1.2.3"
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["project", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"],
                                               name="projects_one_logframe_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Indicator(models.Model):
    """A measure of an impact, outcome or output, with its baseline."""

    class Measure(models.TextChoices):
        UNIT = "1", _("unit")
        PERCENTAGE = "2", _("percentage")

    element = models.ForeignKey(LogframeElement, on_delete=models.CASCADE,
                                related_name="indicators")
    title = models.CharField(_("title"), max_length=500)
    measure = models.CharField(_("measure"), max_length=2, choices=Measure.choices,
                               default=Measure.UNIT)
    ascending = models.BooleanField(_("higher is better"), default=True)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=4)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    means_of_verification = models.TextField(_("means of verification"), blank=True)

    class Meta:
        ordering = ["element", "pk"]

    def __str__(self) -> str:
        return self.title


class IndicatorPeriod(models.Model):
    """The target and (once reported) the actual value of an indicator for one period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True,
                                 blank=True)
    actual = models.DecimalField(_("actual"), max_digits=16, decimal_places=4, null=True,
                                 blank=True)

    class Meta:
        ordering = ["indicator", "start"]
        constraints = [models.UniqueConstraint(fields=["indicator", "start"],
                                               name="projects_one_period_per_start")]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


class ProgressReport(models.Model):
    """A progress report: it sets actual values, and `ActualChange` keeps what they were."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE,
                                related_name="progress_reports")
    period_end = models.DateField(_("reporting up to"))
    summary = models.TextField(_("summary"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        ordering = ["project", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"progress report up to {self.period_end}"


class ActualChange(models.Model):
    """One actual value a progress report set, or a correction set (then `after` may be empty:
    the value withdrawn), with the value it replaced."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="changes",
                               null=True, blank=True)
    correction = models.ForeignKey("Correction", on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="actual_changes")
    period = models.ForeignKey(IndicatorPeriod, on_delete=models.CASCADE,
                               related_name="changes")
    before = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    after = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return f"{self.before} → {self.after}"


class ProjectDocument(models.Model):
    """A document of the document library linked to a project.

    The library is another desk: the link holds the document's id, and the document is read
    through `core.library.visible_documents`, so the reader sees only the linked documents
    they may see. `category` is the IATI DocumentCategory code (A01-A12) it is published under.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="document_links")
    document_id = models.PositiveBigIntegerField(_("document"), db_index=True)
    category = models.CharField(_("IATI document category"), max_length=3, default="A02")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "document_id"],
                                               name="projects_one_link_per_document")]

    def __str__(self) -> str:
        return f"{self.project_id} → document {self.document_id}"


class Secondment(ClassifiedRecord):
    """Seconded and contracted personnel of a field operation from one State, in one year.

    `field_operation` is the registry's code; `seconding_state` the ISO alpha-2 code of the
    State that seconds (for contracted staff, their nationality). Figures copied from a public
    source carry `source` and `confidence`; figures entered here leave both blank.
    """

    field_operation = models.CharField(_("field operation"), max_length=60, db_index=True)
    seconding_state = models.CharField(_("seconding State"), max_length=2, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    seconded = models.PositiveIntegerField(_("seconded personnel"), default=0)
    contracted = models.PositiveIntegerField(_("contracted personnel"), default=0)
    source = models.CharField(_("source"), max_length=500, blank=True)
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices,
                                  blank=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)

    class Meta:
        ordering = ["field_operation", "year", "seconding_state"]
        constraints = [models.UniqueConstraint(
            fields=["field_operation", "seconding_state", "year", "is_exercise"],
            name="projects_one_secondment_row")]

    def __str__(self) -> str:
        return f"{self.field_operation} {self.seconding_state} {self.year}"


class Correction(models.Model):
    """A correction, reversal or deletion of something recorded: what it was and became, who
    made it, when and why (the reason is required).

    Money is never rewritten: a corrected transaction or budget line stays, superseded by the
    row that replaces it (`replacement_id`), and a reversed one stays, superseded by none.
    Logframe items are changed in place or deleted, and the values before and after are kept
    here. `project` is empty for records that belong to no project (a donor, a secondment).
    """

    class Kind(models.TextChoices):
        TRANSACTION = "transaction", _("transaction")
        BUDGET_LINE = "budget_line", _("budget of a year")
        ELEMENT = "element", _("logframe element")
        INDICATOR = "indicator", _("indicator")
        PERIOD = "period", _("target of a period")
        ACTUAL = "actual", _("actual value")
        DONOR = "donor", _("donor")
        SECONDMENT = "secondment", _("personnel figure")

    class Action(models.TextChoices):
        CORRECT = "correct", _("corrected")
        REVERSE = "reverse", _("reversed")
        DELETE = "delete", _("deleted")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="corrections")
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    record_id = models.PositiveBigIntegerField(_("record"))
    replacement_id = models.PositiveBigIntegerField(_("replaced by"), null=True, blank=True)
    label = models.CharField(_("record"), max_length=300)
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["project", "kind", "record_id"],
                                name="projects_corrections_of")]

    def __str__(self) -> str:
        return f"{self.action} {self.kind} {self.record_id}"

    @property
    def changed(self) -> list[tuple[str, object, object]]:
        """(the field's name, before, after) for each value a correction changed."""
        if not isinstance(self.after, dict) or not isinstance(self.before, dict):
            return []
        model: type[models.Model] = {
            "transaction": Transaction, "budget_line": BudgetLine, "element": LogframeElement,
            "indicator": Indicator, "period": IndicatorPeriod, "actual": IndicatorPeriod,
        }.get(self.kind, Project)
        names = {f.name: str(getattr(f, "verbose_name", f.name))
                 for f in model._meta.get_fields() if f.concrete}
        bookkeeping = {"superseded_at", "superseded_by", "recorded_at", "recorded_by"}
        return [(names[key], self.before.get(key), value) for key, value in self.after.items()
                if key in names and key not in bookkeeping and self.before.get(key) != value]
