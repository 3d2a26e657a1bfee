"""Pages of this desk: thin adapters over services and core.access."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def desk_home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/base.html", {})
