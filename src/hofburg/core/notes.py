"""The engines' explanations (`hofburg.notes.Note`) in the reader's language.

A note's template is looked up in the catalogues like any interface string; its parameters are
rendered the same way (a note inside a note), dates in the language's own form (CLDR), and
names the data gives in six languages (`Names`) in the reader's, English where it has none.
Anything that is not a note — a ruleset file's own English, say — is returned unchanged, and
`is_translated` tells a page to mark it as English. A service's refusal whose message is a
note (decision 0074) is said through `refusal`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import get_language, gettext

from hofburg.core import dates
from hofburg.core.errors import ServiceError
from hofburg.core.i18n import localized
from hofburg.notes import Names, Note


def explain(value: object) -> str:
    """`value` in the active language when it is a `Note` or `Names`; as it is otherwise."""
    if isinstance(value, Names):
        return localized(value.names, get_language(), fallback=str(value))
    if not isinstance(value, Note):
        return str(value)
    params = {name: _parameter(param) for name, param in value.params.items()}
    try:
        return gettext(value.template).format(**params)
    except (KeyError, IndexError, ValueError):
        # A translation that lost or garbled a placeholder: the English is still right.
        return value.template.format(**params)


def refusal(error: ServiceError) -> str:
    """A service's refusal as a page says it: a note's message in the reader's language (the
    page shows it beside the field, or names what it is about); any other message as the
    service wrote it, with the field it names."""
    if isinstance(error.message, Note):
        return explain(error.message)
    return str(error)


def is_translated(value: object) -> bool:
    return isinstance(value, Note | Names)


def _parameter(value: Any) -> str:
    if isinstance(value, Note | Names):
        return explain(value)
    if isinstance(value, date):
        return dates.day(value)
    return str(value)
