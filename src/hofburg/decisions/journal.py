"""The journal of the day (`PC.JOUR/N`), built only from what was recorded at the meeting.

The layout is the OSCE's (osce-organization.md §1.5, §1.8, §4): "Journal No. N", the date,
the chairperson; under each agenda item the statements delivered under it, each speaker as
the journal names it with the States aligning in brackets ("Austria-European Union (with the
candidate countries ... in alignment)"); the decisions adopted at the meeting ("The Permanent
Council adopted Decision No. 1041 (PC.DEC/1041) on ..., the text of which is appended to this
journal."), each followed by the interpretative statements and formal reservations attached to
it ("Russian Federation (interpretative statement, see attachment 1 to the decision)"); the
drafts placed under silence at the meeting, whose interim unnumbered text is attached
(Annex 1(A), point 2); the decisions adopted by silence announced at the meeting (point 5);
then the texts appended, with their attachments.

Everything goes through `core.access` for the reader: a statement or decision they may not see
is simply absent, with nothing counted. The builder runs a fixed number of queries whatever the
meeting holds (agenda, statements, drafts with their revisions and attachments, the States'
names), since the journal of a busy meeting must render within 300 ms.

`render_journal_html`, `render_journal_pdf` and `journal_text` turn a journal into the page, the
PDF (WeasyPrint, from the page's own template) and the command line's text.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.decisions import mechanisms
from hofburg.decisions.journal_entries import (
    AgendaEntry,
    AttachmentEntry,
    DecisionEntry,
    Journal,
    SilenceEntry,
    StatementEntry,
    vienna_time,
)
from hofburg.decisions.models import (
    Attachment,
    ConcernedState,
    Draft,
    Meeting,
    Revision,
    SilencePlacement,
    Statement,
)
from hofburg.registry.models import ParticipatingState

__all__ = ["Journal", "build_journal", "journal_text", "render_journal_html",
           "render_journal_pdf", "vienna_time"]

PAGE_TEMPLATE = "decisions/journal.html"
PRINT_TEMPLATE = "decisions/journal_print.html"
PRINT_STYLES = Path(__file__).resolve().parent / "templates" / "decisions" / "journal_print.css"

# The body as the subject of the journal's sentences.
_BODY_SUBJECT = {
    "PC": gettext_lazy("The Permanent Council"),
    "FSC": gettext_lazy("The Forum for Security Co-operation"),
    "MC": gettext_lazy("The Ministerial Council"),
    "SUMMIT": gettext_lazy("The Summit"),
}
# Title openings that the sentence "adopted Decision No. N (...) on ..." already says.
_TITLE_OPENINGS = ("draft decision on ", "draft declaration on ", "decision on ",
                   "declaration on ", "on ")
_NUMBER_ONLY = re.compile(r"^(decision|declaration) no\.? ?[0-9/]+$", re.IGNORECASE)


def _subject(title: str) -> str:
    lowered = title.lower()
    for opening in _TITLE_OPENINGS:
        if lowered.startswith(opening):
            return title[len(opening):]
    return title


# -- building ----------------------------------------------------------------------------------


def build_journal(meeting: Meeting, user: AnyUser, now: datetime) -> Journal:
    """The journal of `meeting` as `user` may read it, generated at `now`.

    The caller has already found the meeting through `core.access` (a hidden meeting has no
    journal); everything inside it is narrowed here."""
    statements = list(
        access.visible(Statement.objects.filter(meeting=meeting), user)
        .only("id", "agenda_item_id", "speaker_label", "alignment_note", "aligned", "symbol",
              "title", "original_language", "is_exercise", "source", "confidence")
        .order_by("id"))
    drafts = list(
        access.visible(Draft.objects.filter(Q(adopted_meeting=meeting)
                                            | Q(silence_placements__meeting=meeting)
                                            | Q(announced_meeting=meeting)), user)
        .prefetch_related(
            Prefetch("revisions", queryset=Revision.objects.order_by("number")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("delegation")
                     .order_by("number")),
            Prefetch("states_concerned", queryset=ConcernedState.objects
                     .select_related("state", "delegation").order_by("position")))
        .distinct().order_by("decision_number", "id"))
    by_id = {d.pk: d for d in drafts}
    # Every placement at this meeting, a later one of the same draft elsewhere included: an
    # issued journal keeps its silence entries (decision 0077).
    placements = list(SilencePlacement.objects.filter(meeting=meeting, draft_id__in=by_id)
                      .order_by("placed_at", "id"))
    states = _state_names(drafts)
    body_subject = str(_BODY_SUBJECT.get(meeting.body, meeting.get_body_display()))
    return Journal(
        meeting_id=meeting.pk, symbol=meeting.journal_symbol, body=meeting.body,
        body_name=str(meeting.get_body_display()), number=meeting.number, kind=meeting.kind,
        kind_label=str(meeting.get_kind_display()), date=meeting.date,
        date_precision=meeting.date_precision,
        starts_at=meeting.starts_at, chairperson=meeting.chairperson,
        is_exercise=meeting.is_exercise, classification=meeting.classification,
        issued_at=meeting.journal_issued_at, generated_at=now, source=meeting.source,
        confidence=meeting.confidence,
        agenda=_agenda(meeting, statements),
        decisions=[_decision(d, body_subject, states) for d in drafts
                   if d.adopted_meeting_id == meeting.pk],
        silences=[_silence(by_id[p.draft_id], p) for p in placements],
        announced=[_decision(d, body_subject, states, announced=True) for d in drafts
                   if d.announced_meeting_id == meeting.pk
                   and d.adopted_meeting_id != meeting.pk],
    )


def _statement(statement: Statement) -> StatementEntry:
    alignment = statement.alignment_note
    if not alignment and statement.aligned:
        alignment = _("with %(states)s in alignment") % {
            "states": ", ".join(str(name) for name in statement.aligned)}
    return StatementEntry(
        speaker=statement.speaker_label, alignment=alignment, symbol=statement.symbol,
        title=statement.title, language=statement.original_language,
        is_exercise=statement.is_exercise, source=statement.source,
        confidence=statement.confidence)


def _agenda(meeting: Meeting, statements: list[Statement]) -> list[AgendaEntry]:
    under: dict[int | None, list[StatementEntry]] = {}
    for statement in statements:
        under.setdefault(statement.agenda_item_id, []).append(_statement(statement))
    items = sorted(meeting.agenda_items.all(), key=lambda item: item.number)
    agenda = [AgendaEntry(item.number, item.title, under.pop(item.pk, [])) for item in items]
    unplaced = [entry for key in sorted(under, key=lambda k: (k is None, k or 0))
                for entry in under[key]]
    if unplaced:
        agenda.append(AgendaEntry(None, _("Statements recorded under no agenda item"),
                                  unplaced))
    return agenda


def _state_names(drafts: list[Draft]) -> dict[str, str]:
    codes = {attachment.delegation.state_iso2.upper() for draft in drafts
             for attachment in draft.attachments.all() if attachment.delegation.state_iso2}
    if not codes:
        return {}
    return {state.iso2: state.name for state in ParticipatingState.objects.filter(iso2__in=codes)
            .only("iso2", "names")}


def _attachment(attachment: Attachment, states: dict[str, str]) -> AttachmentEntry:
    delegation = attachment.delegation
    state = states.get(delegation.state_iso2.upper(), delegation.name)
    return AttachmentEntry(
        number=attachment.number, kind=attachment.kind,
        kind_label=str(attachment.get_kind_display()), state=state, text=attachment.text,
        language=attachment.language, source=attachment.source,
        confidence=attachment.confidence)


def _revision_at(draft: Draft, moment: datetime | None) -> Revision | None:
    """The draft's latest revision, or the latest one made by `moment`."""
    revisions = list(draft.revisions.all())
    if moment is not None:
        revisions = [r for r in revisions if r.created_at <= moment] or revisions[:1]
    return revisions[-1] if revisions else None


def _text(revision: Revision | None) -> tuple[str, str, bool]:
    if revision is None:
        return "", "en", False
    language = revision.original_language
    text = revision.texts.get(language) or next(iter(revision.texts.values()), "")
    return str(text), language, revision.only_original


def _number_label(draft: Draft) -> str:
    if draft.decision_number is None:
        return ""
    if draft.decision_year:
        return f"{draft.decision_number}/{draft.decision_year % 100:02d}"
    return str(draft.decision_number)


def _designation(draft: Draft) -> str:
    """`Decision No. 1041 (PC.DEC/1041) on the 2013 OSCE Chairmanship`; the subject is left out
    where the title only repeats the number (a real record known by its number alone)."""
    values = {"number": _number_label(draft), "symbol": draft.decision_symbol or draft.symbol}
    if draft.kind == Draft.Kind.DECLARATION:
        designation = _("Declaration No. %(number)s (%(symbol)s)") % values
    else:
        designation = _("Decision No. %(number)s (%(symbol)s)") % values
    subject = _subject(draft.title)
    if not subject or _NUMBER_ONLY.match(subject):
        return designation
    return _("%(designation)s on %(subject)s") % {"designation": designation, "subject": subject}


def _decision_sentence(draft: Draft, body_subject: str, *, announced: bool) -> str:
    values = {"body": body_subject, "decision": _designation(draft)}
    if announced:
        values["when"] = vienna_time(draft.adopted_at) if draft.adopted_at else _("its expiry")
        return _("The Chairperson announced the adoption by silence procedure (%(when)s) of "
                 "%(decision)s; its text is appended to this journal.") % values
    return _("%(body)s adopted %(decision)s, the text of which is appended to this "
             "journal.") % values


def _decision(draft: Draft, body_subject: str, states: dict[str, str], *,
              announced: bool = False) -> DecisionEntry:
    text, language, only_original = _text(_revision_at(draft, None))
    return DecisionEntry(
        draft_id=draft.pk, draft_symbol=draft.symbol, decision_symbol=draft.decision_symbol,
        title=draft.title, sentence=_decision_sentence(draft, body_subject, announced=announced),
        by_silence=draft.adopted_by == Draft.AdoptedBy.SILENCE, text=text,
        original_language=language, only_original=only_original, adopted_at=draft.adopted_at,
        is_exercise=draft.is_exercise, source=draft.source, confidence=draft.confidence,
        basis=draft.adoption_basis, basis_name=mechanisms.name_of(draft.adoption_basis),
        states_concerned=[row.name for row in draft.states_concerned.all()],
        attachments=[_attachment(a, states) for a in draft.attachments.all()])


def _silence(draft: Draft, placement: SilencePlacement) -> SilenceEntry:
    text, language, _only = _text(_revision_at(draft, placement.placed_at))
    values = {"subject": _subject(draft.title), "symbol": draft.symbol,
              "when": vienna_time(placement.expires_at)}
    if draft.kind == Draft.Kind.DECLARATION:
        sentence = _("The Chairperson placed the draft declaration on %(subject)s (%(symbol)s) "
                     "under the silence procedure until %(when)s (interim text attached).")
    else:
        sentence = _("The Chairperson placed the draft decision on %(subject)s (%(symbol)s) "
                     "under the silence procedure until %(when)s (interim text attached).")
    return SilenceEntry(
        draft_id=draft.pk, draft_symbol=draft.symbol,
        temporary_title=_("%(title)s (under silence procedure)") % {"title": draft.title},
        sentence=sentence % values, expires_at=placement.expires_at, text=text,
        original_language=language, is_exercise=draft.is_exercise)


# -- rendering ---------------------------------------------------------------------------------


def render_journal_html(journal: Journal, request: HttpRequest | None = None, *,
                        for_pdf: bool = False) -> str:
    """The journal as HTML: the page, or the print version the PDF is made from."""
    template = PRINT_TEMPLATE if for_pdf else PAGE_TEMPLATE
    context = {"journal": journal, "for_pdf": for_pdf, "shows_exercise_data": journal.is_exercise}
    return render_to_string(template, context, request=request)


def render_journal_pdf(journal: Journal, request: HttpRequest | None = None, *,
                       base_url: str | None = None) -> bytes:
    """The journal as an A4 PDF, rendered by WeasyPrint from the print template.

    The print styles travel as a stylesheet beside the template, not inside it: no template
    carries a `<style>` element (the content security policy, decision 0019)."""
    from weasyprint import CSS, HTML  # imported here: it loads pango, which pages never need

    html = render_journal_html(journal, request, for_pdf=True)
    styles = CSS(string=PRINT_STYLES.read_text(encoding="utf-8"))
    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf(stylesheets=[styles])
    return pdf


def _heading_lines(journal: Journal) -> list[str]:
    lines = [journal.symbol, journal.date_text,
             _("Original: %(language)s") % {"language": journal.original_label}, "",
             journal.heading, journal.body_name]
    if journal.kind != Meeting.Kind.REGULAR:
        lines.append(journal.kind_label)
    if journal.starts_at_text:
        lines.append(_("Opened: %(when)s") % {"when": journal.starts_at_text})
    if journal.chairperson:
        lines.append(_("Chairperson: %(name)s") % {"name": journal.chairperson})
    return lines


def _agenda_lines(journal: Journal) -> list[str]:
    lines: list[str] = []
    for item in journal.agenda:
        title = (item.title if item.number is None else
                 _("Agenda item %(number)s: %(title)s") % {"number": item.number,
                                                            "title": item.title})
        lines += ["", title, *(f"  {statement.line}" for statement in item.statements)]
    return lines


def _decision_lines(heading: str, decisions: list[DecisionEntry]) -> list[str]:
    if not decisions:
        return []
    lines = ["", heading]
    for decision in decisions:
        lines.append(f"  {decision.sentence}")
        if decision.basis_line:
            lines.append(f"    {decision.basis_line}")
        lines += [f"    {attachment.reference}" for attachment in decision.attachments]
    return lines


def _appended_lines(journal: Journal) -> list[str]:
    lines: list[str] = []
    for decision in journal.appended:
        lines += ["", "-" * 72, decision.decision_symbol or decision.draft_symbol,
                  decision.title, "", decision.text]
        for attachment in decision.attachments:
            lines += ["", _("Attachment %(number)s: %(reference)s") % {
                "number": attachment.number, "reference": attachment.reference},
                attachment.text]
    for silence in journal.silences:
        lines += ["", "-" * 72, silence.temporary_title, "", silence.text]
    return lines


def journal_text(journal: Journal) -> str:
    """The journal as plain text, for the command line: the journal, then the texts
    appended to it."""
    lines = [*_heading_lines(journal), *_agenda_lines(journal),
             *_decision_lines(_("Decisions"), journal.decisions),
             *_decision_lines(_("Decisions adopted by silence procedure"), journal.announced)]
    if journal.silences:
        lines += ["", _("Silence procedure"), *(f"  {s.sentence}" for s in journal.silences)]
    lines += [*_appended_lines(journal), "",
              _("Generated %(when)s") % {"when": journal.generated_at_text}]
    return "\n".join(lines) + "\n"
