"""The Vienna Document engine's phrases in words: paragraphs as cited and confidence labels.

Its explanations are `hofburg.notes.Note` values (English text that keeps its template and
parameters), said in the reader's language by `hofburg.core.notes.explain`.
"""

from __future__ import annotations

from hofburg.csbm.engine.terms import Confidence
from hofburg.notes import Note, gettext_noop

_NOT_IDENTIFIED = gettext_noop("paragraph not identified")
_CONFIDENCE = {
    Confidence.CONFIRMED: gettext_noop("confirmed"),
    Confidence.SECONDARY: gettext_noop("secondary"),
    Confidence.UNCONFIRMED: gettext_noop("unconfirmed"),
    Confidence.DISPUTED: gettext_noop("disputed"),
}
_NOT_STATED = gettext_noop("not stated")


def paragraph_words(paragraph: str | None) -> str:
    """The paragraph as cited, or "paragraph not identified"."""
    return paragraph or Note(_NOT_IDENTIFIED)


def confidence_words(confidence: Confidence | None) -> str:
    """A confidence label in words ("confirmed"), or "not stated"."""
    if confidence is None:
        return Note(_NOT_STATED)
    template = _CONFIDENCE.get(confidence)
    return Note(template) if template is not None else str(confidence.value)
