"""Which of the six official languages the interface offers: those with a catalogue."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.translation import get_language_info


@cache
def available_languages() -> list[dict[str, str]]:
    """English always; any other official language once `locale/<code>/` holds a catalogue."""
    offered = []
    for code in settings.OFFICIAL_LANGUAGE_CODES:
        has_catalogue = any(
            (path / code / "LC_MESSAGES" / "django.mo").exists() for path in settings.LOCALE_PATHS
        )
        if code == "en" or has_catalogue:
            info = get_language_info(code)
            offered.append({"code": code, "name_local": info["name_local"]})
    return offered


def localized(names: dict[str, str], language: str | None, fallback: str) -> str:
    """The name in `language`, else English, else `fallback`."""
    if language:
        base = language.split("-")[0]
        if names.get(base):
            return names[base]
    return names.get("en") or fallback
