"""What every core test can use: a private MEDIA_ROOT for stored files, API keys for the cast,
and the document library (`tests/documents/library.py`), which the access tests read as each
member of the cast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hofburg.core.services.users import issue_api_token
from tests.conftest import Cast
from tests.documents.library import library

__all__ = ["bearer", "library", "media_root", "tokens"]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Stored files go to a fresh directory per test, never into the project's data folder."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def bearer(user_token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {user_token}"}


@pytest.fixture
def tokens(cast: Cast) -> dict[str, str]:
    """An API key for every member of the cast, by username."""
    return {
        user.username: issue_api_token(user, "tests")[1]
        for user in (cast.alice, cast.bob, cast.carol, cast.mona, cast.dora, cast.nick)
    }
