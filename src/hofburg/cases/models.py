"""The human-dimension desk's records.

People are kept apart from what happened to them. A `Person` row holds a random surrogate id and
nothing that names anyone; the names, contacts, identity numbers and medical details are
`VaultEntry` rows, each sealed with AES-GCM under the key of its classification
(`cases.vault`). A `Grant` gives one user need-to-know for one person: without it the person is
absent (404, not counted). Cases refer to people by surrogate only.

The free text classified `restricted` or `strictly_confidential` (an incident's account, a
condition report, what a protection case says about the person, an observation's source...)
is sealed the same way, in `<field>_sealed` columns (`cases.sealed` lists them).

A political prisoner's case (`PrisonerCase`) is a classified record (`core.access`) with its
detention episodes, proceedings, recognitions and condition reports; its custody status on any
day is computed from the episodes (`engine.custody`), never stored.

`AccessLog` keeps who read which protected fields of which record type, and every export, with
counts and never values.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hofburg.cases.engine.custody import Status
from hofburg.core.models import Classification, ClassificationField, ClassifiedRecord


class Person(ClassifiedRecord):
    """Someone the desk protects: victim, witness, prisoner, source. Nothing here names them."""

    class Protection(models.TextChoices):
        STANDARD = "standard", _("standard")
        HIGH = "high", _("high")

    surrogate_id = models.CharField(_("surrogate id"), max_length=20, unique=True)
    protection_level = models.CharField(_("protection level"), max_length=10,
                                        choices=Protection.choices, default=Protection.HIGH)
    # Keyed HMAC of normalised identifiers (`engine.identifiers`): finds duplicates, shows none;
    # cleared when the vault is erased.
    identifier_digest = models.CharField(max_length=64, blank=True, db_index=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    erased_at = models.DateTimeField(_("vault erased at"), null=True, blank=True)
    restricted_at = models.DateTimeField(_("processing restricted at"), null=True, blank=True)
    # Why the person's identity must be kept (proceedings pending, a court's order), sealed
    # (`sealed.py`): while set, an erasure request cannot end in erasure.
    legal_hold_sealed = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["surrogate_id"]

    def __str__(self) -> str:
        return self.surrogate_id

    @property
    def has_legal_hold(self) -> bool:
        """A legal hold keeps the identity now (its text is never shown)."""
        return bool(self.legal_hold_sealed)


class VaultEntry(models.Model):
    """One sealed identifying field of a person. The plaintext never reaches the database."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vault")
    field = models.CharField(max_length=20)
    key_id = models.CharField(max_length=40)
    nonce = models.BinaryField(max_length=12)
    ciphertext = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "field"],
                                               name="cases_one_vault_field")]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.field}"


class Grant(models.Model):
    """Need-to-know: `user` may know `person` exists and read its fields up to `level`."""

    class Level(models.TextChoices):
        RESTRICTED = "restricted", _("restricted")
        STRICTLY_CONFIDENTIAL = "strictly_confidential", _("strictly confidential")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="case_grants")
    level = models.CharField(max_length=24, choices=Level.choices, default=Level.RESTRICTED)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "user"],
                                               name="cases_one_grant")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.person_id} ({self.level})"


class RevokedAccess(models.Model):
    """A grant that was withdrawn: who held it at which level, from when until when, who gave
    it, who revoked it and why. The live grant row goes (every read asks for it), so the user
    is answered as one who never held it; this row keeps who had access when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    user_label = models.CharField(max_length=150)
    level = models.CharField(max_length=24, choices=Grant.Level.choices)
    granted_by_label = models.CharField(max_length=150, blank=True)
    granted_at = models.DateTimeField()
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    revoked_by_label = models.CharField(max_length=150)
    revoked_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("reason"))

    class Meta:
        abstract = True
        ordering = ["-revoked_at", "-pk"]


class RevokedGrant(RevokedAccess):
    """A person's grant that was withdrawn."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="revoked_grants")

    def __str__(self) -> str:
        return f"{self.user_label} → {self.person_id} revoked"


class AccessLog(models.Model):
    """A read of protected fields, or an export: who, what, when, how many. Never values.

    The entries form a hash chain (`core.chain`, appended by `services.reads`): each holds its
    sequence number, the digest of the entry before it and its own digest over its fields, so
    a changed, removed or inserted entry is found by `hofburg cases verify-log`. A `prune`
    entry records a retention cut: the sequence and digest of the last entry removed, from
    which the rest of the chain is verified."""

    class Action(models.TextChoices):
        READ = "read", _("read")
        EXPORT = "export", _("export")
        PUBLISH = "publish", _("publish")
        ERASE = "erase", _("erase")
        REVOKE = "revoke", _("grant revoked")
        PRUNE = "prune", _("retention cut")

    # Set by the append to the microsecond in UTC: the entry's digest covers it.
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    user_label = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices)
    record_type = models.CharField(max_length=20)
    fields = models.JSONField(default=list)
    count = models.PositiveIntegerField()
    channel = models.CharField(max_length=10)  # page, api, cli
    sequence = models.PositiveBigIntegerField(unique=True)
    previous_digest = models.CharField(max_length=64)
    entry_digest = models.CharField(max_length=64, unique=True)
    # A retention cut only: the last entry removed, which the next entry follows.
    cut_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    cut_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_label} {self.action} {self.count} {self.record_type}"


class PrisonerCase(ClassifiedRecord):
    """A person's criminal or administrative case as a political prisoner's list records it."""

    case_id = models.CharField(_("case id"), max_length=20, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="prisoner_cases")
    jurisdiction = models.CharField(_("jurisdiction (ISO alpha-2)"), max_length=2)
    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    articles = models.JSONField(_("articles"), default=list)
    charges = models.TextField(_("charges"), blank=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["case_id"]

    def __str__(self) -> str:
        return self.case_id


class DetentionEpisode(models.Model):
    class Kind(models.TextChoices):
        PRE_TRIAL = "pre_trial", _("pre-trial")
        ADMINISTRATIVE = "administrative", _("administrative")
        SENTENCE = "sentence", _("sentence")

    case = models.ForeignKey(PrisonerCase, on_delete=models.CASCADE, related_name="episodes")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    died = models.BooleanField(_("died in custody"), default=False)
    facility = models.CharField(_("facility"), max_length=200, blank=True)

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} from {self.start}"


class Proceeding(models.Model):
    case = models.ForeignKey(PrisonerCase, on_delete=models.CASCADE, related_name="proceedings")
    court = models.CharField(_("court"), max_length=200)
    hearing_date = models.DateField(_("hearing date"))
    closed_trial = models.BooleanField(_("closed trial"), default=False)
    verdict = models.CharField(_("verdict"), max_length=200, blank=True)
    sentence = models.CharField(_("sentence"), max_length=200, blank=True)

    class Meta:
        ordering = ["hearing_date"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.court} {self.hearing_date}"


class Recognition(models.Model):
    """A recognition decision (PACE Res. 1900 (2012) criteria; Memorial's categories)."""

    case = models.ForeignKey(PrisonerCase, on_delete=models.CASCADE,
                             related_name="recognitions")
    organisations = models.JSONField(_("organisations"), default=list)
    criteria = models.JSONField(_("criteria"), default=list)
    recognised_on = models.DateField(_("recognised on"))
    statement_url = models.URLField(_("statement"), blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["recognised_on"]

    def __str__(self) -> str:
        return f"{self.case_id}: recognised {self.recognised_on}"


class ConditionReport(models.Model):
    """Conditions of detention or ill-treatment: a restricted field of the case."""

    case = models.ForeignKey(PrisonerCase, on_delete=models.CASCADE, related_name="conditions")
    reported_on = models.DateField(_("reported on"))
    text_sealed = models.TextField(blank=True, default="", editable=False)  # `sealed`
    classification = ClassificationField(_("classification"),
                                         default=Classification.CONFIDENTIAL)

    class Meta:
        ordering = ["reported_on"]

    def __str__(self) -> str:
        return f"{self.case_id}: report of {self.reported_on}"


STATUS_CHOICES = [(s.value, s.value.replace("_", " ")) for s in Status]


class OfficialStatistic(ClassifiedRecord):
    """A figure a participating State reported through its National Point of Contact."""

    class Stage(models.TextChoices):
        RECORDED_BY_POLICE = "recorded_by_police", _("recorded by police")
        PROSECUTED = "prosecuted", _("prosecuted")
        SENTENCED = "sentenced", _("sentenced")

    state = models.CharField(_("State (ISO alpha-2)"), max_length=2)
    year = models.PositiveSmallIntegerField(_("year"))
    stage = models.CharField(_("criminal-justice stage"), max_length=20, choices=Stage.choices)
    bias_motivation = models.CharField(_("bias motivation"), max_length=60)  # a code or "total"
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)  # None: not available
    point_of_contact = models.CharField(_("national point of contact"), max_length=200,
                                        blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["state", "year", "stage", "bias_motivation"],
            name="cases_one_official_figure")]
        ordering = ["state", "year", "stage", "bias_motivation"]

    def __str__(self) -> str:
        return f"{self.state} {self.year} {self.stage} {self.bias_motivation}"


class Incident(ClassifiedRecord):
    """A hate incident reported by civil society, an international organisation or the Holy
    See, screened one at a time (received → screened → consultation → published)."""

    class SourceKind(models.TextChoices):
        CSO = "cso", _("civil society organisation")
        IGO = "igo", _("international organisation")
        HOLY_SEE = "holy_see", _("Holy See")
        FIELD_OPERATION = "field_operation", _("OSCE field operation")

    incident_id = models.CharField(_("incident id"), max_length=20, unique=True)
    reporting_year = models.PositiveSmallIntegerField(_("reporting year"), db_index=True)
    country = models.CharField(_("country (ISO alpha-2)"), max_length=2, db_index=True)
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    incident_type = models.CharField(_("incident type"), max_length=60)
    target = models.CharField(_("target"), max_length=10)  # person or property, from the type
    bias_motivations = models.JSONField(_("bias motivations"), default=list)
    # The free text is sealed (`sealed`): the other bias, the indicators, the account and its
    # source organisation, and the screening's reason below.
    other_bias_sealed = models.TextField(blank=True, default="", editable=False)
    indicators_sealed = models.TextField(blank=True, default="", editable=False)
    description_sealed = models.TextField(blank=True, default="", editable=False)
    victim_count = models.PositiveIntegerField(_("victims"), null=True, blank=True)
    source_org_sealed = models.TextField(blank=True, default="", editable=False)
    source_kind = models.CharField(_("source kind"), max_length=20, choices=SourceKind.choices)
    stage = models.CharField(_("stage"), max_length=20, default="received", db_index=True)
    screening = models.CharField(_("screening decision"), max_length=40, default="pending")
    screening_reason_sealed = models.TextField(blank=True, default="", editable=False)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The Personal Representatives' mandates the incident concerns (`engine.mandates`): set by
    # an analyst (`services.tolerance`), never derived from the bias motivations.
    mandates = models.JSONField(_("tolerance mandates"), default=list)
    # The short description an analyst of the owner affiliation writes for the publication
    # (`engine.publication.descriptions`): public, in clear; only for an incident against
    # people; never the account, which stays sealed (decision 0065).
    public_summary = models.TextField(_("public summary"), blank=True, default="")

    class Meta:
        ordering = ["-reporting_year", "incident_id"]
        indexes = [models.Index(fields=["country", "reporting_year", "stage"],
                                name="cases_incident_filter")]

    def __str__(self) -> str:
        return self.incident_id


class Statement(ClassifiedRecord):
    """A statement on intolerance (a speech, a press release, a report's conclusion): who made
    it, when, in which language and where it was published, tagged by an analyst with the
    Personal Representatives' mandates it concerns and linked to the incidents it speaks of.
    The speaker is free text: no person record, no vault."""

    statement_id = models.CharField(_("statement id"), max_length=20, unique=True)
    made_on = models.DateField(_("date"), db_index=True)
    speaker = models.CharField(_("speaker or organisation"), max_length=300)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    source_url = models.URLField(_("source"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=8)  # ISO 639-1 code: en, fr, ru...
    mandates = models.JSONField(_("tolerance mandates"), default=list)
    incidents = models.ManyToManyField(Incident, blank=True, related_name="statements",
                                       verbose_name=_("incidents"))
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-made_on", "statement_id"]

    def __str__(self) -> str:
        return self.statement_id


class Alert(ClassifiedRecord):
    """A media-freedom alert as the Council of Europe platform keeps one: what happened to
    whom, by whom, how severe (apart from any count), how verified, who submitted it, and the
    State's reply with the follow-up log."""

    alert_id = models.CharField(_("alert id"), max_length=20, unique=True)
    country = models.CharField(_("country (ISO alpha-2)"), max_length=2, db_index=True)
    submitted_on = models.DateField(_("submitted on"))
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    violations = models.JSONField(_("violations"), default=list)
    coe_categories = models.JSONField(_("CoE categories"), default=list)
    perpetrator_type = models.CharField(_("perpetrator type"), max_length=20)
    media_actor_type = models.CharField(_("media actor type"), max_length=100)
    severity = models.CharField(_("severity"), max_length=10)
    verification = models.CharField(_("verification"), max_length=12, default="unverified")
    partner = models.CharField(_("submitting partner"), max_length=200)
    summary = models.TextField(_("summary"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="alerts")
    is_exercise = models.BooleanField(_("exercise data"), default=False)

    class Meta:
        ordering = ["-submitted_on", "alert_id"]

    def __str__(self) -> str:
        return self.alert_id


class StateReply(models.Model):
    """The reply of the State concerned, which the platform expects and publishes."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="replies")
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("reply"))

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.alert_id}: reply of {self.received_on}"


class FollowUp(models.Model):
    """One entry of an alert's follow-up log (a reminder, a meeting, an outcome)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField(_("date"))
    note = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.alert_id}: follow-up of {self.on}"


class Evidence(ClassifiedRecord):
    """A piece of evidence: its original sealed under the strictly-confidential key in the
    media folder, never rewritten, its SHA-256 taken at ingest; working copies beside it."""

    evidence_id = models.CharField(_("evidence id"), max_length=20, unique=True)
    case = models.ForeignKey(PrisonerCase, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="evidence")
    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="evidence")
    title = models.CharField(_("title"), max_length=300)
    media_type = models.CharField(_("media type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 at ingest"), max_length=64)
    key_id = models.CharField(max_length=40)
    nonce = models.BinaryField(max_length=12)
    source_url = models.URLField(_("source"), max_length=1000, blank=True)
    captured_at = models.DateTimeField(_("captured at"), null=True, blank=True)
    capture_tool = models.CharField(_("capture tool"), max_length=200, blank=True)
    ingested_at = models.DateTimeField(_("ingested at"), auto_now_add=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)

    class Meta:
        ordering = ["ingested_at", "pk"]

    def __str__(self) -> str:
        return self.evidence_id


class WorkingCopy(models.Model):
    """A copy made from the original to work on (a redaction, a transcript): its own hash."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="copies")
    number = models.PositiveIntegerField()
    label = models.CharField(_("label"), max_length=200)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    key_id = models.CharField(max_length=40)
    nonce = models.BinaryField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["evidence", "number"],
                                               name="cases_one_copy_number")]

    def __str__(self) -> str:
        return f"{self.evidence_id} copy {self.number}"


class CustodyEvent(models.Model):
    """Who did what to a piece of evidence, when, with the hashes before and after; each event
    is also an entry of the hash-chained ledger (`ledger_sequence`)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="custody")
    at = models.DateTimeField()
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=20)
    sha256_before = models.CharField(max_length=64, blank=True)
    sha256_after = models.CharField(max_length=64, blank=True)
    ledger_sequence = models.PositiveBigIntegerField(unique=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.evidence_id} {self.action} by {self.actor_label}"


class ErasureRequest(models.Model):
    """A request to erase a person's identity: decided after a legal-hold check as erased
    (the vault destroyed, cases and hashed evidence kept), restricted, or denied with a reason."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        ERASED = "erased", _("erased")
        RESTRICTED = "restricted", _("processing restricted")
        DENIED = "denied", _("denied")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="erasure_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    # The person's grounds and the legal hold found when it was recorded or decided, sealed
    # (`sealed.py`): they may name people, and are never shown.
    grounds_sealed = models.TextField(blank=True, default="", editable=False)
    legal_hold_sealed = models.TextField(blank=True, default="", editable=False)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-requested_at", "pk"]

    def __str__(self) -> str:
        return f"erasure of {self.person_id}: {self.outcome}"

    @property
    def legal_hold_found(self) -> bool:
        return bool(self.legal_hold_sealed)


class ProtectionCase(ClassifiedRecord):
    """A case of trafficking in persons, gender-based violence or of Roma and Sinti, documented
    with the HTCDS 2.0 fields where they fit (`data/cases/protection-codes.yaml`). The person is
    a surrogate; what the case says about them is strictly confidential (`engine.fields`)."""

    case_id = models.CharField(_("case id"), max_length=20, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT,
                               related_name="protection_cases")
    concern = models.CharField(_("concern"), max_length=30, db_index=True)
    country = models.CharField(_("country (ISO alpha-2)"), max_length=2, db_index=True)
    opened_on = models.DateField(_("opened on"))
    code_version = models.CharField(_("code list version"), max_length=10)
    # cas_Status, cas_ReasonForCaseClosure
    status = models.CharField(_("case status"), max_length=20, default="active")
    # Sealed (`sealed`), like the summary.
    closure_reason_sealed = models.TextField(blank=True, default="", editable=False)
    # vic_TraffickingStatus, vic_TraffickingStatusDecisionMakingOrg
    trafficking_status = models.CharField(_("trafficking status"), max_length=20, blank=True)
    status_decided_by = models.CharField(_("status decided by"), max_length=30, blank=True)
    consent = models.BooleanField(_("consent recorded"), default=False)  # con_Consent
    # prs_Gender, vic_AgeWhenTrafficked, prs_Citizenship, vic_RelationshipToTrafficker
    gender = models.CharField(_("gender"), max_length=30, blank=True)
    age_at_exploitation = models.PositiveSmallIntegerField(_("age when trafficked"), null=True,
                                                           blank=True)
    citizenship = models.JSONField(_("citizenship"), default=list)
    relationship_to_trafficker = models.CharField(_("relationship to trafficker"),
                                                  max_length=20, blank=True)
    # vic_TypeOfExploitation, vic_MethodOfRecruitment, vic_MethodsOfControl
    exploitation_types = models.JSONField(_("types of exploitation"), default=list)
    recruitment_methods = models.JSONField(_("methods of recruitment"), default=list)
    control_methods = models.JSONField(_("methods of control"), default=list)
    summary_sealed = models.TextField(blank=True, default="", editable=False)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "case_id"]

    def __str__(self) -> str:
        return self.case_id


class CaseMovement(models.Model):
    """A step of the movement (HTCDS Historic Trafficking Events): recruitment, transit or
    exploitation, in a country, on a day."""

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE, related_name="movements")
    kind = models.CharField(_("kind"), max_length=20)
    country = models.CharField(_("country (ISO alpha-2)"), max_length=2)
    on = models.DateField(_("date"), null=True, blank=True)
    description_sealed = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} in {self.country}"


class RiskAssessment(models.Model):
    """One section of an HTCDS 2.0 risk and vulnerability assessment, assessed on a day; a case
    is assessed several times."""

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE,
                             related_name="risk_assessments")
    assessed_on = models.DateField(_("assessed on"))
    level = models.CharField(_("section"), max_length=20)
    factors = models.JSONField(_("risk factors"), default=list)
    note_sealed = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["assessed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.level} risk of {self.assessed_on}"


class Referral(models.Model):
    """A referral in or out (HTCDS cas_ referral fields)."""

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE, related_name="referrals")
    direction = models.CharField(_("direction"), max_length=10)
    organisation_sealed = models.TextField(blank=True, default="", editable=False)
    organisation_type = models.CharField(_("organisation type"), max_length=30, blank=True)
    on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=30)
    details_sealed = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.direction} referral of {self.on}"


class Assistance(models.Model):
    """Assistance given (HTCDS Support Plan): its type, objectives and end dates."""

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE,
                             related_name="assistance")
    kind = models.CharField(_("type"), max_length=40)
    objectives_sealed = models.TextField(blank=True, default="", editable=False)
    started_on = models.DateField(_("started on"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)

    class Meta:
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} from {self.started_on}"


class Situation(ClassifiedRecord):
    """A situation the High Commissioner on National Minorities follows: a State or region and
    the communities concerned, never an individual case. Confidential by default and, like a
    person, known only to holders of a `SituationGrant`."""

    situation_id = models.CharField(_("situation id"), max_length=20, unique=True)
    state = models.CharField(_("State (ISO alpha-2)"), max_length=2, db_index=True)
    region = models.CharField(_("region"), max_length=200, blank=True)
    communities = models.JSONField(_("communities concerned"), default=list)
    title = models.CharField(_("title"), max_length=300)
    opened_on = models.DateField(_("followed since"))
    code_version = models.CharField(_("code list version"), max_length=10)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["state", "situation_id"]

    def __str__(self) -> str:
        return self.situation_id


class SituationGrant(models.Model):
    """Need-to-know for a situation: without it the situation does not exist for the user; at
    `strictly_confidential` it opens the sources too."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="situation_grants")
    level = models.CharField(max_length=24, choices=Grant.Level.choices,
                             default=Grant.Level.RESTRICTED)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["situation", "user"],
                                               name="cases_one_situation_grant")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.situation_id} ({self.level})"


class RevokedSituationGrant(RevokedAccess):
    """A situation's grant that was withdrawn."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE,
                                  related_name="revoked_grants")

    def __str__(self) -> str:
        return f"{self.user_label} → {self.situation_id} revoked"


class IndicatorObservation(models.Model):
    """What an indicator showed on a day: a value, a level or both, with its source."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE,
                                  related_name="observations")
    indicator = models.CharField(_("indicator"), max_length=40)
    observed_on = models.DateField(_("observed on"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True,
                                blank=True)
    level = models.CharField(_("level"), max_length=20, blank=True)
    source_sealed = models.TextField(blank=True, default="", editable=False)
    note_sealed = models.TextField(blank=True, default="", editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["observed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.situation_id}: {self.indicator} on {self.observed_on}"


class EscalationAssessment(models.Model):
    """A judgement of how far a situation has escalated, with its reason, author and time.
    Never changed: a new assessment follows; the latest is the current level."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE,
                                  related_name="assessments")
    level = models.CharField(_("escalation level"), max_length=30)
    reason_sealed = models.TextField(blank=True, default="", editable=False)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    assessed_by_label = models.CharField(_("assessed by"), max_length=150)
    assessed_at = models.DateTimeField(_("assessed at"))

    class Meta:
        ordering = ["assessed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.situation_id}: {self.level} at {self.assessed_at}"


class ProtectionRelease(models.Model):
    """The protection table of a year as its owner affiliation released it (decision 0076):
    made deliberately by a publisher, frozen, and what every later download returns until a
    publisher releases the year again with a reason. A table computed on demand could be
    downloaded before and after one case is added, and the two differenced."""

    owner_affiliation = models.ForeignKey("core.Affiliation", on_delete=models.PROTECT,
                                          related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    number = models.PositiveIntegerField(_("release"))  # 1, then 2 ... within the year
    rows = models.JSONField()  # the table as released (`protection_publication.COLUMNS`)
    counted = models.PositiveIntegerField()  # cases counted: for the access log, never shown
    k = models.PositiveSmallIntegerField()
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    released_by_label = models.CharField(_("released by"), max_length=150)
    released_at = models.DateTimeField(_("released at"))
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["owner_affiliation", "year", "is_exercise", "-number"]
        constraints = [models.UniqueConstraint(
            fields=["owner_affiliation", "year", "is_exercise", "number"],
            name="cases_one_protection_release_number")]

    def __str__(self) -> str:
        kind = "exercise " if self.is_exercise else ""
        return f"{kind}protection {self.year} release {self.number}"
