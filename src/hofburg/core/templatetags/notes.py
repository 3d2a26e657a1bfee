"""`{% explain note %}`: an engine explanation in the reader's language (`core.notes`)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from hofburg.core import notes

register = template.Library()


@register.simple_tag
def explain(value: object) -> str | SafeString:
    """The note in the active language; text that has no translation is marked as English."""
    if notes.is_translated(value):
        return notes.explain(value)  # escaped by the tag like any value
    return format_html('<span lang="en">{}</span>', value)
