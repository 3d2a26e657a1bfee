"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from hofburg import __version__
from hofburg.core import access, i18n


def hofburg(request: HttpRequest) -> dict[str, Any]:
    return {
        "hofburg_version": __version__,
        "available_languages": i18n.available_languages(),
        "user_is_entitled": access.is_entitled(request.user),
        "user_can_view_audit": access.can_view_audit(request.user),
        "debug": settings.DEBUG,
    }
