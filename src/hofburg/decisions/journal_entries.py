"""The journal of the day as data: its heading, the agenda with the statements under each item,
the decisions adopted or announced at the meeting with their attachments, the drafts placed
under silence. `journal.build_journal` fills it from what was recorded; the page, the PDF, the
command line and the API read it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import formats
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from hofburg.decisions.clock import VIENNA
from hofburg.decisions.models import Meeting


def vienna_time(moment: datetime) -> str:
    """`17 May 2012, 10:00 CEST`: Vienna local time, labelled with its zone."""
    return formats.date_format(moment.astimezone(VIENNA), "j E Y, H:i T")


def language_label(code: str) -> str:
    """`ENGLISH` for "en", as OSCE documents mark their original language."""
    try:
        return str(get_language_info(code)["name"]).upper()
    except KeyError:
        return code.upper()


@dataclass(frozen=True)
class StatementEntry:
    """One statement as the journal lists it under its agenda item."""

    speaker: str
    alignment: str
    symbol: str
    title: str
    language: str
    is_exercise: bool
    source: str
    confidence: str

    @property
    def line(self) -> str:
        """`Austria-European Union (with ... in alignment) (PC.DEL/1354/18)`."""
        parts = [self.speaker]
        if self.alignment:
            parts.append(f"({self.alignment})")
        if self.symbol:
            parts.append(f"({self.symbol})")
        return " ".join(parts)


@dataclass(frozen=True)
class AgendaEntry:
    number: int | None  # None: statements recorded at the meeting under no agenda item
    title: str
    statements: list[StatementEntry]


@dataclass(frozen=True)
class AttachmentEntry:
    """An interpretative statement or formal reservation attached to a decision."""

    number: int
    kind: str
    kind_label: str
    state: str
    text: str
    language: str
    source: str
    confidence: str

    @property
    def reference(self) -> str:
        """`Russian Federation (interpretative statement, see attachment 1 to the decision)`."""
        return _("%(state)s (%(kind)s, see attachment %(number)s to the decision)") % {
            "state": self.state, "kind": self.kind_label, "number": self.number}


@dataclass(frozen=True)
class DecisionEntry:
    """A decision adopted at the meeting, or adopted by silence and announced at it."""

    draft_id: int
    draft_symbol: str
    decision_symbol: str
    title: str
    sentence: str
    by_silence: bool
    text: str
    original_language: str
    only_original: bool
    adopted_at: datetime | None
    is_exercise: bool
    source: str
    confidence: str
    basis: str = "consensus"
    basis_name: str = ""
    states_concerned: list[str] = field(default_factory=list)
    attachments: list[AttachmentEntry] = field(default_factory=list)

    @property
    def basis_line(self) -> str:
        """`Adopted by Consensus-minus-one; the State concerned: X.` for a decision adopted
        under an exception to consensus; empty for consensus and silence."""
        if not self.states_concerned:
            return ""
        values = {"basis": self.basis_name or self.basis,
                  "states": ", ".join(self.states_concerned)}
        if len(self.states_concerned) == 1:
            return _("Adopted by %(basis)s; the State concerned: %(states)s.") % values
        return _("Adopted by %(basis)s; the States concerned: %(states)s.") % values


@dataclass(frozen=True)
class SilenceEntry:
    """A draft placed under silence at the meeting: its interim, unnumbered text is attached."""

    draft_id: int
    draft_symbol: str
    temporary_title: str
    sentence: str
    expires_at: datetime | None
    text: str
    original_language: str
    is_exercise: bool


@dataclass
class Journal:
    """The journal of the day of one meeting, as one reader may read it."""

    meeting_id: int
    symbol: str
    body: str
    body_name: str
    number: int
    kind: str
    kind_label: str
    date: date
    date_precision: str
    starts_at: datetime
    chairperson: str
    is_exercise: bool
    classification: str
    issued_at: datetime | None
    generated_at: datetime
    source: str
    confidence: str
    original_language: str = "en"
    agenda: list[AgendaEntry] = field(default_factory=list)
    decisions: list[DecisionEntry] = field(default_factory=list)
    silences: list[SilenceEntry] = field(default_factory=list)
    announced: list[DecisionEntry] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """`Journal No. 1200` (`EXERCISE — Journal No. 3` for an exercise meeting)."""
        text = _("Journal No. %(number)s") % {"number": self.number}
        marking = _("EXERCISE")
        return f"{marking} — {text}" if self.is_exercise else text

    @property
    def appended(self) -> list[DecisionEntry]:
        """The decisions whose texts are appended, in the order the journal names them."""
        return [*self.decisions, *self.announced]

    @property
    def original_label(self) -> str:
        return language_label(self.original_language)

    @property
    def date_text(self) -> str:
        """`17 May 2012`; the year alone for a real meeting known only by its year."""
        if self.date_precision == Meeting.DatePrecision.YEAR:
            return str(self.date.year)
        return formats.date_format(self.date, "j E Y")

    @property
    def starts_at_text(self) -> str:
        """The opening time; empty where only the year of the meeting is known."""
        if self.date_precision == Meeting.DatePrecision.YEAR:
            return ""
        return vienna_time(self.starts_at)

    @property
    def generated_at_text(self) -> str:
        return vienna_time(self.generated_at)

    @property
    def filename(self) -> str:
        return self.symbol.replace("/", "-").replace(".", "-") + ".pdf"

    def as_dict(self) -> dict[str, Any]:
        """The journal as JSON-ready data (the API's answer), times in ISO 8601 with offsets."""
        data = asdict(self)
        data["heading"] = self.heading
        for item, entry in zip(data["agenda"], self.agenda, strict=True):
            for row, statement in zip(item["statements"], entry.statements, strict=True):
                row["line"] = statement.line
        for rows, entries in ((data["decisions"], self.decisions),
                              (data["announced"], self.announced)):
            for row, decision in zip(rows, entries, strict=True):
                row["basis_line"] = decision.basis_line
                for attachment_row, attachment in zip(row["attachments"], decision.attachments,
                                                      strict=True):
                    attachment_row["reference"] = attachment.reference
        answer: dict[str, Any] = _iso_times(data)
        return answer


def _iso_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _iso_times(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_iso_times(item) for item in value]
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    return value
