"""The home page: what Hofburg holds, and the way into each desk (their panels)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hofburg.core import panels


def home(request: HttpRequest) -> HttpResponse:
    home_panels = panels.render_panels("home", request)
    return render(request, "core/home.html", {
        "home_panels": home_panels,
        "shows_exercise_data": home_panels.shows_exercise_data,
    })
