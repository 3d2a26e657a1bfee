"""Explanations in words, as message templates with parameters — shared by every desk's engine.

An engine writes English. A `Note` is that English text — a `str`, so the API, the command
line and every comparison read it as before — which also keeps its `template` and `params`,
so a page can say it in the reader's language (`hofburg.core.notes.explain`: the catalogues
for the words, CLDR for dates). Templates are marked with `gettext_noop`, which only marks
them for the catalogues; a parameter may itself be a `Note` (a phrase inside a sentence) or
`Names` (a name the data gives in the six languages, such as a withdrawal rule's weapons).

Pure like the engines that use it: the standard library only.
"""

from __future__ import annotations

from datetime import date
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


# The OSCE's six official languages, in the order the data files list them.
LANGUAGES = ("en", "fr", "de", "it", "ru", "es")


class Names(str):
    """A name from the data in the six official languages: the English text (a `str`, as a
    note's parameter and every comparison read it), keeping the others in `names`, so a page
    says it in the reader's language (`hofburg.core.notes.explain`). Unlike a note's template,
    a name is not looked up in the catalogues: its translations are in the data file."""

    names: dict[str, str]

    def __new__(cls, english: str, names: dict[str, str]) -> Names:
        name = super().__new__(cls, english)
        name.names = dict(names)
        return name

    def __reduce__(self) -> tuple[Any, ...]:
        return (Names, (str(self), self.names))


def note_data(note: Note) -> dict[str, Any]:
    """The note as JSON data, to store beside its English (`note_from_data` reads it back):
    nested notes and dates keep their kind, anything else is kept as its text."""
    return {"template": note.template,
            "params": {name: _param_data(value) for name, value in note.params.items()}}


def note_from_data(data: Any) -> Note | None:
    """The note stored by `note_data`; None for anything else (data of another shape)."""
    if not isinstance(data, dict) or not isinstance(data.get("template"), str) or \
            not isinstance(data.get("params"), dict):
        return None
    try:
        params = {str(name): _param_from_data(value) for name, value in data["params"].items()}
        return Note(data["template"], **params)
    except (KeyError, IndexError, ValueError, TypeError):
        return None


def _param_data(value: Any) -> Any:
    if isinstance(value, Note):
        return {"note": note_data(value)}
    if isinstance(value, Names):
        return {"names": value.names, "text": str(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return str(value)


def _param_from_data(value: Any) -> Any:
    if isinstance(value, dict) and "note" in value:
        inner = note_from_data(value["note"])
        if inner is None:
            raise ValueError("not a note")
        return inner
    if isinstance(value, dict) and "date" in value:
        return date.fromisoformat(str(value["date"]))
    if isinstance(value, dict) and isinstance(value.get("names"), dict):
        return Names(str(value.get("text", "")),
                     {str(k): str(v) for k, v in value["names"].items()})
    return str(value)
