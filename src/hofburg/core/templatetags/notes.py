"""`{% explain note %}`: an engine explanation in the reader's language (`core.notes`);
`{% explain_stored notes english %}` the same for sentences stored as note data beside their
English (`hofburg.notes.note_data`)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from hofburg.core import notes
from hofburg.notes import note_from_data

register = template.Library()


@register.simple_tag
def explain(value: object) -> str | SafeString:
    """The note in the active language; text that has no translation is marked as English."""
    if notes.is_translated(value):
        return notes.explain(value)  # escaped by the tag like any value
    return format_html('<span lang="en">{}</span>', value)


@register.simple_tag
def explain_stored(stored: object, english: object) -> str | SafeString:
    """The stored sentences in the active language; the stored English, marked as English,
    when there are none or one cannot be read (written before they were kept, or by a later
    version)."""
    found = [note_from_data(item) for item in stored] if isinstance(stored, list) else []
    if found and all(note is not None for note in found):
        return " ".join(notes.explain(note) for note in found)
    return explain(english) if english else ""
