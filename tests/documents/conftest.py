"""The document library's tests: the library fixture, a private MEDIA_ROOT and the cast's API
keys (shared with core's tests)."""

from tests.core.conftest import media_root, tokens
from tests.documents.library import library

__all__ = ["library", "media_root", "tokens"]
