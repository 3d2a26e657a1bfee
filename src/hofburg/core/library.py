"""Publishing a text in the document library: a registration point, since core knows no desk.

A desk that adopts texts (the decisions desk's decisions) hands a `PublishedText` to `publish`;
the document library registers the function that stores it (`documents/publishing.py`, from
its `AppConfig.ready()`), so neither desk imports the other. Publishing is idempotent on the
owner and the symbol: a text already in the library under that symbol for that owner is left
as it is.

The library is always installed in this project, so `publish` with no publisher registered is
a configuration error (RuntimeError), not something to skip quietly: an adopted decision that
never reaches the library would go unnoticed.

`publish` runs inside the caller's transaction: if the caller's write fails later, the
library's rows go with it.

The other way round, a desk that points at library documents (a project's documents) reads
them through `visible_documents`: the library registers the function that finds them
(`documents/catalogue.py`), narrowed by `core.access` to what the reader may see, so a
document the reader may not see is never returned, listed or counted.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from hofburg.core.models import User

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class PublishedText:
    """A text to store in the library.

    `texts` maps a language code to the text in that language (the original language among
    them); `classification` is the distribution, `shared_with_ids` the affiliations a
    confidential text is shared with; `user` is who published it (for the audit trail).
    """

    symbol: str
    title: str
    date: datetime.date
    originator: str
    original_language: str
    texts: dict[str, str]
    classification: str
    owner_affiliation_id: int | None
    shared_with_ids: tuple[int, ...] = field(default=())
    is_exercise: bool = False
    user: User | AnonymousUser | None = None


Publisher = Callable[[PublishedText], None]

_publishers: list[Publisher] = []


def register_publisher(fn: Publisher) -> None:
    """Register the function that stores a published text (once; registering it again is a
    no-op)."""
    if fn not in _publishers:
        _publishers.append(fn)


def publish(text: PublishedText) -> None:
    """Store `text` in the document library through every registered publisher.

    Raises RuntimeError when none is registered (the document library is not installed)."""
    if not _publishers:
        raise RuntimeError("No publisher is registered: the document library is not installed.")
    for fn in list(_publishers):
        fn(text)


@dataclass(frozen=True)
class LibraryDocument:
    """A library document as another desk may show it: what the reader may see of it."""

    id: int
    symbol: str
    title: str
    date: datetime.date
    classification: str
    languages: tuple[str, ...]
    is_exercise: bool


# (reader, ids, symbol) -> the documents among `ids` (or, with `symbol`, of that symbol) the
# reader may see, newest first.
Catalogue = Callable[[AnyUser, Sequence[int] | None, str], list[LibraryDocument]]

_catalogues: list[Catalogue] = []


def register_catalogue(fn: Catalogue) -> None:
    """Register the function that finds library documents (once; again is a no-op)."""
    if fn not in _catalogues:
        _catalogues.append(fn)


def _catalogue() -> Catalogue:
    if not _catalogues:
        raise RuntimeError("No catalogue is registered: the document library is not installed.")
    return _catalogues[0]


def visible_documents(user: AnyUser, ids: Sequence[int]) -> list[LibraryDocument]:
    """The documents among `ids` that `user` may see (the others are simply absent)."""
    if not ids:
        return []
    return _catalogue()(user, list(ids), "")


def documents_by_symbol(user: AnyUser, symbol: str) -> list[LibraryDocument]:
    """The documents of this symbol (any case) that `user` may see, newest first."""
    symbol = symbol.strip()
    return _catalogue()(user, None, symbol) if symbol else []


__all__ = ["Catalogue", "LibraryDocument", "PublishedText", "Publisher", "documents_by_symbol",
           "publish", "register_catalogue", "register_publisher", "visible_documents"]
