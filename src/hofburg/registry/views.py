"""Registry pages (placeholder bodies replaced as the pages are built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from hofburg.registry.models import ParticipatingState


def state_list(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/states.html", {"states": ParticipatingState.objects.all()})


def state_detail(request: HttpRequest, iso2: str) -> HttpResponse:
    state = get_object_or_404(ParticipatingState, iso2=iso2.upper())
    return render(request, "registry/state.html", {"state": state})


def area_map(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/map.html", {})


def chairmanships(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/chairmanships.html", {})


def field_operations(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/field_operations.html", {})


def conflicts(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/conflicts.html", {})
