"""Error pages: HTML for people, problem+json under /api/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hofburg.core.api import problem


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem(404, "Not found", "There is no such endpoint or record.", request.path)
    return render(request, "core/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem(403, "Forbidden", "You may not do this.", request.path)
    return render(request, "core/403.html", status=403)
