"""Error pages: HTML for people, problem+json under /api/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from hofburg.core.api import problem


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem(404, "Not found", "There is no such endpoint or record.", request.path)
    return render(request, "core/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem(403, "Forbidden", "You may not do this.", request.path)
    return render(request, "core/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500 without a traceback: problem+json under /api/, a plain page elsewhere.

    The page extends no base template, so it renders even when what failed was the base page.
    """
    if request.path.startswith("/api/"):
        return problem(500, "Internal error", "The server could not answer this request; the "
                       "error is logged.", request.path)
    return HttpResponseServerError(loader.render_to_string("core/500.html"))
