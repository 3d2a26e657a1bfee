"""The glossary page: the terms users meet across the desks, in the reader's language.

`?q=` filters on the server, so the page works without script; `glossary.js` filters the same
list as the reader types (`data-search` on each entry), without a round trip.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from hofburg.core import glossary

MAX_FILTER_LENGTH = 100


class GlossaryFilter(forms.Form):
    q = forms.CharField(label=_("Filter the terms"), max_length=MAX_FILTER_LENGTH,
                        required=False, strip=True)


@require_safe
def glossary_page(request: HttpRequest) -> HttpResponse:
    form = GlossaryFilter(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    every = glossary.entries(get_language())
    wanted = glossary.folded(query)
    shown = [entry for entry in every if wanted in entry.search_text] if wanted else every
    return render(request, "core/glossary.html", {
        "form": form, "query": query, "entries": shown, "total": len(every),
        "revised": glossary.glossary().revised,
    }, status=200 if form.is_valid() or not request.GET else 400)
