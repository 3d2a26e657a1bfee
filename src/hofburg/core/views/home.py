"""The home page: what Hofburg holds, and the way into each desk."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hofburg.core import access
from hofburg.core.models import Document


def home(request: HttpRequest) -> HttpResponse:
    recent_documents = access.visible(Document.objects.all(), request.user)[:5]
    return render(request, "core/home.html", {"recent_documents": recent_documents})
