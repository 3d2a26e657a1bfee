"""Pages: drafts of the decisions desk."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
