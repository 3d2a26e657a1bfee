"""Explanations in words, as message templates with parameters.

The engine writes English. A `Note` is that English text — a `str`, so the API, the command
line and every comparison read it as before — which also keeps its `template` and `params`,
so a page can say it in the reader's language (`hofburg.csbm.notes.explain`: the catalogues
for the words, CLDR for dates). Templates are marked with `gettext_noop`, which only marks
them for the catalogues; a parameter may itself be a `Note` (a phrase inside a sentence).
"""

from __future__ import annotations

from typing import Any

from hofburg.csbm.engine.terms import Confidence


def gettext_noop(message: str) -> str:
    """Mark `message` for the translation catalogues; it is returned as it is."""
    return message


class Note(str):
    """English text from `template.format(**params)`, keeping the template and parameters."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Note:
        note = super().__new__(cls, template.format(**{k: str(v) for k, v in params.items()}))
        note.template = template
        note.params = params
        return note

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict[str, Any]) -> Note:
    return Note(template, **params)


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
