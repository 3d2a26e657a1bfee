"""`{% load glossary %}{% term "evaluation-visit" %}`: a link to a term's glossary entry.

The link's text is the term in the reader's language, from the glossary's data; a second
argument gives other text (`{% term "pc-dec" "PC.DEC" %}`). An id the glossary does not hold is
a programming error and raises, so a page never links to an entry that is not there.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from hofburg.core import glossary
from hofburg.core.i18n import localized

register = template.Library()


@register.simple_tag
def term(term_id: str, text: str = "") -> SafeString:
    row = next((row for row in glossary.glossary().terms if row.id == term_id), None)
    if row is None:
        raise template.TemplateSyntaxError(f"the glossary has no term {term_id!r}")
    shown = text or localized(row.term, get_language(), term_id)
    return format_html('<a class="term" href="{}#term-{}">{}</a>',
                       reverse("core:glossary"), term_id, shown)
