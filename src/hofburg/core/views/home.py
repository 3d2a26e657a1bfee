"""The home page: what Hofburg holds, and the way into each desk."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hofburg.core import access, panels
from hofburg.core.models import Document


def home(request: HttpRequest) -> HttpResponse:
    recent_documents = list(access.visible(Document.objects.all(), request.user)[:5])
    home_panels = panels.render_panels("home", request)
    return render(request, "core/home.html", {
        "recent_documents": recent_documents,
        "home_panels": home_panels,
        "shows_exercise_data": home_panels.shows_exercise_data
        or any(d.is_exercise for d in recent_documents),
    })
