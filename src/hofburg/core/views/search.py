"""The search across the desks (`core.finder`): one box, each desk's matches that the reader
may see, with a snippet and a way to the desk's own search for the rest."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from hofburg.core import finder


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=finder.MAX_QUERY_LENGTH, required=False,
                        strip=True)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    sections = finder.search_everywhere(request.user, query) if query else []
    return render(request, "core/search.html", {
        "form": form, "query": query, "sections": sections,
        "total": sum(section.found.total for section in sections),
    }, status=200 if form.is_valid() or not request.GET else 400)
