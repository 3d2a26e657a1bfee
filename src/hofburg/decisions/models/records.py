"""The decisions desk's records: meetings and their agendas, drafts with revisions, amendments,
objections under silence, decisions' attachments, delegations' statements and positions,
negotiation rounds and the commitments taken in them, and the numbering sequences.

A draft's status as stored is the last transition a service wrote; what it is *now* (a silence
that expired unbroken is an adoption) comes from `decisions.engine.silence.effective`, which
every read applies. Exercise records have their own numbering sequences and never share a
number with a real one.

Records copied from public sources (a real decision, the statement attached to it) carry
`source` and `confidence`; records entered in Hofburg leave both blank.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hofburg.core.models import Affiliation, ClassifiedRecord
from hofburg.registry.models import Confidence


class Body(models.TextChoices):
    PC = "PC", _("Permanent Council")
    FSC = "FSC", _("Forum for Security Co-operation")
    MC = "MC", _("Ministerial Council")
    SUMMIT = "SUMMIT", _("Summit")


class Sourced(models.Model):
    """Where a record copied from a public source comes from; blank for records entered here
    (the registry's `Sourced` requires both). The labels are the registry's."""

    source = models.CharField(_("source"), max_length=500, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=12, choices=Confidence.choices, blank=True
    )

    class Meta:
        abstract = True


class Sequence(models.Model):
    """The last number given in one series (`PC.DEC`, `PC.DD` of 2026, ...).

    `year` is 0 for a series numbered without years (PC.DEC since 1993, PC.JOUR). `start` is a
    deployment's configured first number, so that it continues the real sequence.
    """

    body = models.CharField(_("body"), max_length=8, choices=Body.choices)
    series = models.CharField(_("series"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"), default=0)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    last = models.PositiveIntegerField(_("last number given"), null=True, blank=True)
    start = models.PositiveIntegerField(_("first number"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "series", "year", "is_exercise"],
                                    name="decisions_one_sequence_per_series")
        ]

    def __str__(self) -> str:
        return f"{self.body}.{self.series}/{self.year or '-'}: {self.last}"


def open_journals() -> models.Q:
    """The meetings `Meeting.journal_closed` leaves open, as a filter."""
    return models.Q(journal_issued_at__isnull=True, source="")


class Meeting(ClassifiedRecord, Sourced):
    """A plenary meeting of a body; its journal of the day is `journal_symbol` (PC.JOUR/N)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("regular")
        SPECIAL = "special", _("special")
        REINFORCED = "reinforced", _("reinforced")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("day")
        YEAR = "year", _("year only")

    body = models.CharField(_("body"), max_length=8, choices=Body.choices)
    number = models.PositiveIntegerField(_("plenary meeting number"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices,
                            default=Kind.REGULAR)
    date = models.DateField(_("date"), db_index=True)
    # A real meeting known only by its year keeps `date` on 1 January of that year.
    date_precision = models.CharField(_("date precision"), max_length=4,
                                      choices=DatePrecision.choices, default=DatePrecision.DAY)
    # When the meeting opened (aware); silence placed at this meeting counts from here.
    starts_at = models.DateTimeField(_("opens at"))
    journal_symbol = models.CharField(_("journal"), max_length=40)
    chairperson = models.CharField(_("chairperson"), max_length=200, blank=True)
    journal_issued_at = models.DateTimeField(_("journal issued"), null=True, blank=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "body", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number", "is_exercise"],
                                    name="decisions_one_meeting_per_number")
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.journal_symbol

    @property
    def journal_closed(self) -> bool:
        """Nothing more may be added to the meeting: its journal was issued here, or the meeting
        is a real one copied from a public source, whose journal the OSCE issued long ago and
        of which Hofburg holds only what the source gives (decision 0077)."""
        return self.journal_issued_at is not None or bool(self.source)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField(_("item"))
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"],
                                    name="decisions_one_agenda_item_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.meeting.journal_symbol} item {self.number}"


class Draft(ClassifiedRecord, Sourced):
    """A draft decision or declaration (`PC.DD/N/YY`), and, once adopted, the decision itself."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("decision")
        DECLARATION = "declaration", _("declaration")

    class Status(models.TextChoices):
        # The stored value of `decisions.engine.silence.Status`; read it through `effective`.
        DRAFT = "draft", _("draft")
        UNDER_SILENCE = "under_silence", _("under silence")
        SILENCE_BROKEN = "silence_broken", _("silence broken")
        ADOPTED = "adopted", _("adopted")

    class Venue(models.TextChoices):
        PLENARY = "plenary", _("plenary")
        SECURITY_COMMITTEE = "security_committee", _("Security Committee")
        ECONOMIC_COMMITTEE = "economic_committee", _("Economic and Environmental Committee")
        HUMAN_DIMENSION_COMMITTEE = "human_dimension_committee", _("Human Dimension Committee")
        ACMF = "acmf", _("Advisory Committee on Management and Finance")
        PREPCOMM = "prepcomm", _("Preparatory Committee")
        WORKING_GROUP = "working_group", _("informal working group")
        FSC_WORKING_GROUP_A = "fsc_wg_a", _("FSC Working Group A")
        FSC_WORKING_GROUP_B = "fsc_wg_b", _("FSC Working Group B")

    class AdoptedBy(models.TextChoices):
        MEETING = "meeting", _("at a meeting")
        SILENCE = "silence", _("by silence procedure")

    body = models.CharField(_("body"), max_length=8, choices=Body.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DECISION)
    number = models.PositiveIntegerField(_("draft number"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    symbol = models.CharField(_("symbol"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    venue = models.CharField(_("venue"), max_length=32, choices=Venue.choices,
                             default=Venue.PLENARY)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    # Silence (Annex 1(A)): placed at a meeting, expiring at an exact time, maybe broken.
    silence_meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="drafts_placed_under_silence")
    silence_placed_at = models.DateTimeField(_("placed under silence"), null=True, blank=True)
    silence_expires_at = models.DateTimeField(_("silence expires"), null=True, blank=True)
    silence_broken_at = models.DateTimeField(_("silence broken"), null=True, blank=True)
    # Adoption: at a meeting (numbered at once) or by silence (numbered when announced).
    adopted_by = models.CharField(_("adopted"), max_length=8, choices=AdoptedBy.choices,
                                  blank=True)
    adoption_basis = models.CharField(_("basis of adoption"), max_length=32, default="consensus")
    adoption_note = models.CharField(_("note on the adoption"), max_length=500, blank=True)
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    adopted_meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="decisions_adopted")
    announced_meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="decisions_announced")
    decision_number = models.PositiveIntegerField(_("decision number"), null=True, blank=True)
    decision_year = models.PositiveSmallIntegerField(_("decision year"), null=True, blank=True)
    decision_symbol = models.CharField(_("decision symbol"), max_length=40, blank=True,
                                       db_index=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["body", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["body", "symbol", "is_exercise"],
                                    name="decisions_one_draft_per_symbol"),
            models.UniqueConstraint(fields=["decision_symbol", "is_exercise"],
                                    condition=~models.Q(decision_symbol=""),
                                    name="decisions_one_decision_per_symbol"),
        ]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return self.decision_symbol or self.symbol


class Revision(models.Model):
    """One revision of a draft: number 0 is the text as tabled, then `Rev.1`, `Rev.2`, ...

    `texts` maps a language code to the text in that language; `original_language` is the one
    it was written in, and `only_original` marks a text issued in that language only
    ("ENGLISH only").
    """

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    symbol = models.CharField(_("symbol"), max_length=48)
    original_language = models.CharField(_("original language"), max_length=2)
    only_original = models.BooleanField(_("issued in the original language only"),
                                        default=False)
    texts = models.JSONField(_("texts"), default=dict)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"],
                                    name="decisions_one_revision_per_number")
        ]

    def __str__(self) -> str:
        return self.symbol


class Amendment(models.Model):
    """An amendment a delegation proposes to a revision; the Chair takes it into a later
    revision or not."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        TAKEN = "taken", _("taken into a revision")
        NOT_TAKEN = "not_taken", _("not taken")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="amendments")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="amendments")
    delegation = models.ForeignKey(Affiliation, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    proposed_at = models.DateTimeField(_("proposed at"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices,
                               default=Outcome.PENDING)
    taken_in = models.ForeignKey(Revision, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="amendments_taken")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["draft", "proposed_at", "id"]

    def __str__(self) -> str:
        return f"amendment to draft {self.draft_id} by {self.delegation_id}"


class SilencePlacement(models.Model):
    """Each time a draft was placed under silence (Annex 1(A), point 1): the meeting whose
    journal carries the interim text, when, and until when. Kept for every placement, so that
    a journal issued before the silence was broken still shows it after the draft is placed
    under silence again at a later meeting (decision 0077). The draft's `silence_*` fields
    hold the current placement."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="silence_placements")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("placed under silence"))
    expires_at = models.DateTimeField(_("silence expires"))

    class Meta:
        ordering = ["placed_at", "id"]

    def __str__(self) -> str:
        return f"draft {self.draft_id} under silence at meeting {self.meeting_id}"


class Objection(models.Model):
    """An objection or an amendment in writing from a participating State while the draft is
    under silence: either breaks the silence (Annex 1(A), point 3)."""

    class Kind(models.TextChoices):
        OBJECTION = "objection", _("objection")
        AMENDMENT = "amendment", _("amendment")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="objections")
    delegation = models.ForeignKey(Affiliation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("text"))
    received_at = models.DateTimeField(_("received at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["draft", "received_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} to draft {self.draft_id} by {self.delegation_id}"


class Attachment(Sourced):
    """An interpretative statement or formal reservation attached to a decision by a
    participating State (Rules of Procedure IV.1(A)6), numbered per decision."""

    class Kind(models.TextChoices):
        INTERPRETATIVE_STATEMENT = "interpretative_statement", _("interpretative statement")
        FORMAL_RESERVATION = "formal_reservation", _("formal reservation")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="attachments")
    number = models.PositiveSmallIntegerField(_("attachment"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    delegation = models.ForeignKey(Affiliation, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=2, default="en")
    text = models.TextField(_("text"), blank=True)
    made_at = models.DateTimeField(_("made at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"],
                                    name="decisions_one_attachment_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.draft} attachment {self.number}"


class Statement(ClassifiedRecord, Sourced):
    """A delegation's statement (`PC.DEL/N/YY`), delivered at a meeting under an agenda item.

    `speaker_label` is the speaker as the journal names it ("Austria-European Union");
    `aligned` lists who aligned with it, `alignment_note` the journal's wording ("with the
    candidate countries ... in alignment"). `texts` maps language codes to the text;
    `search_text` holds all of them for full-text search.
    """

    body = models.CharField(_("body"), max_length=8, choices=Body.choices)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    symbol = models.CharField(_("symbol"), max_length=40, blank=True, db_index=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="statements")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="statements")
    delegation = models.ForeignKey(Affiliation, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    speaker_label = models.CharField(_("speaker"), max_length=200)
    speaker_name = models.CharField(_("speaker's name"), max_length=200, blank=True)
    aligned = models.JSONField(_("aligned"), default=list, blank=True)
    alignment_note = models.CharField(_("alignment"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    delivered_on = models.DateField(_("delivered on"), db_index=True)
    original_language = models.CharField(_("original language"), max_length=2)
    texts = models.JSONField(_("texts"), default=dict)
    search_text = models.TextField(blank=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivered_on", "-id"]
        # Who may see a statement, and its date, read off an index: a search counts and
        # orders its matches without reading their texts (decision 0034).
        indexes = [models.Index(fields=["classification", "owner_affiliation", "delivered_on"],
                                name="statement_visibility")]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return self.symbol or f"{self.speaker_label} {self.delivered_on}"


class Position(ClassifiedRecord):
    """A delegation's own position on a draft: the instruction from capital (red lines), its
    stance per revision, the outcome it reported. Always `confidential` to its delegation."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("open")
        JOINED = "joined", _("joined consensus")
        JOINED_WITH_STATEMENT = "joined_with_statement",\
            _("joined consensus with an interpretative statement")
        OBJECTED = "objected", _("objected")
        NOT_ADOPTED = "not_adopted", _("not adopted")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="positions")
    instruction = models.TextField(_("instruction from capital"), blank=True)
    red_lines = models.TextField(_("red lines"), blank=True)
    instruction_received_on = models.DateField(_("instruction received"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices,
                               default=Outcome.OPEN)
    outcome_note = models.TextField(_("reported outcome"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "owner_affiliation"],
                                    name="decisions_one_position_per_delegation")
        ]

    def __str__(self) -> str:
        return f"position on draft {self.draft_id}"


class Stance(models.Model):
    """The delegation's stance on one revision of the draft."""

    class Kind(models.TextChoices):
        SUPPORT = "support", _("support")
        ACCEPT = "accept", _("can accept")
        RESERVE = "reserve", _("reserve")
        OPPOSE = "oppose", _("oppose")

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="stances")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    stance = models.CharField(_("stance"), max_length=8, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["position", "revision__number"]
        constraints = [
            models.UniqueConstraint(fields=["position", "revision"],
                                    name="decisions_one_stance_per_revision")
        ]

    def __str__(self) -> str:
        return f"{self.position_id}: {self.stance} on revision {self.revision_id}"


class NegotiationRound(ClassifiedRecord, Sourced):
    """A round of one of the registry's negotiation formats."""

    class DatePrecision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month only")

    format = models.ForeignKey("registry.NegotiationFormat", on_delete=models.PROTECT,
                               related_name="+")
    number = models.PositiveIntegerField(_("round"), null=True, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    # A source may give a round's month only ("Vilnius, December 2011"): `starts_on` is then
    # the first of that month, and pages show the month, never a day the source does not give.
    date_precision = models.CharField(_("date precision"), max_length=5,
                                      choices=DatePrecision.choices, default=DatePrecision.DAY)
    place = models.CharField(_("place"), max_length=200)
    participants = models.JSONField(_("participants"), default=list, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    documents = models.JSONField(_("outcome documents"), default=list, blank=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("negotiation round")
        verbose_name_plural = _("negotiation rounds")

    def __str__(self) -> str:
        return f"{self.format_id} round {self.number or ''} {self.starts_on}"


class Commitment(Sourced):
    """A commitment taken in a round (a withdrawal of weapons, say), with its text; where the
    monitoring desk checks it, `evidence_path` is the page there that shows the evidence."""

    round = models.ForeignKey(NegotiationRound, on_delete=models.CASCADE,
                              related_name="commitments")
    text = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=32, blank=True)
    evidence_path = models.CharField(_("evidence"), max_length=300, blank=True)

    class Meta:
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return self.text[:60]
