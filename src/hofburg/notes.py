"""Explanations in words, as message templates with parameters — shared by every desk's engine.

An engine writes English. A `Note` is that English text — a `str`, so the API, the command
line and every comparison read it as before — which also keeps its `template` and `params`,
so a page can say it in the reader's language (`hofburg.core.notes.explain`: the catalogues
for the words, CLDR for dates). Templates are marked with `gettext_noop`, which only marks
them for the catalogues; a parameter may itself be a `Note` (a phrase inside a sentence).

Pure like the engines that use it: the standard library only.
"""

from __future__ import annotations

from typing import Any


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
