"""What a server process verified in the last few seconds, trusted for that long.

Looking up who a caller is, and whether they may do what they ask, took most of a cached read
with an API token and most of an OpenRosa submission (benchmarks/README.md). A `Trusted` keeps
such an answer for `HOFBURG_TRUST_SECONDS` (default 5; 0 keeps nothing): a token revoked, a
user deactivated or a membership ended through another process is seen at most that many
seconds later; in this process at once, because every change to the records these answers
rest on calls `forget_everything` (wired to their `post_save` and `post_delete` by the apps'
`ready`). Keep only plain values: a model instance would carry what one request cached on it
into the next. A verified user is kept as its row (`user_row`) and every request gets a `User`
of its own from it (`user_from_row`).
"""

from __future__ import annotations

import threading
import time
from typing import Any, Generic, TypeVar

from django.conf import settings

from hofburg.core.models import User

K = TypeVar("K")
V = TypeVar("V")
UserRow = tuple[Any, ...]  # a user's column values, in the order of `_USER_FIELDS`

_ALL: list[Trusted[Any, Any]] = []


class Trusted(Generic[K, V]):
    """Answers by key, each trusted for `settings.TRUST_SECONDS` after it was put."""

    LIMIT = 4096  # answers kept; past it the oldest half is dropped

    def __init__(self) -> None:
        self._kept: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()  # a server's threads put and drop answers together
        _ALL.append(self)

    def get(self, key: K) -> V | None:
        kept = self._kept.get(key)
        if kept is None:
            return None
        until, value = kept
        if time.monotonic() >= until:
            self._kept.pop(key, None)
            return None
        return value

    def put(self, key: K, value: V) -> None:
        seconds = settings.TRUST_SECONDS
        if seconds <= 0:
            return
        with self._lock:
            if len(self._kept) >= self.LIMIT:
                for old in list(self._kept)[: self.LIMIT // 2]:
                    self._kept.pop(old, None)
            self._kept[key] = (time.monotonic() + seconds, value)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def forget_everything(**_kwargs: Any) -> None:
    """Drop every trusted answer of this process: a record they rest on changed."""
    for trusted in _ALL:
        trusted.clear()


_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]


def user_row(user: User) -> UserRow:
    """The user's column values: what a `Trusted` keeps of a user it verified."""
    return tuple(getattr(user, name) for name in _USER_FIELDS)


def user_from_row(row: UserRow) -> User:
    """A `User` of its own, as if read from the database, from the values `user_row` kept."""
    return User.from_db(None, _USER_FIELDS, row)
