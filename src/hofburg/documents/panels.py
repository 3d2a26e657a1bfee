"""Panels this desk adds to shared pages: on the home page, the newest documents the reader
may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hofburg.core import access, panels, updated

RECENT_DOCUMENTS = 5


def recent_documents(request: HttpRequest, subject: Any = None) -> dict[str, Any]:
    """The newest visible documents; the card is shown even when there are none."""
    from hofburg.documents.models import Document  # models are not ready at app loading

    visible = access.visible(Document.objects.all(), request.user)
    recent = list(visible[:RECENT_DOCUMENTS])
    return {"recent_documents": recent,
            # When a document the reader may see was last registered or changed.
            "updated": updated.latest_of(visible, "updated_at") if recent else None,
            "shows_exercise_data": any(d.is_exercise for d in recent)}


def register() -> None:
    """Register this desk's panels with core.panels (called from AppConfig.ready)."""
    panels.register("home", "documents", "documents/panels/home.html", recent_documents,
                    order=90)
