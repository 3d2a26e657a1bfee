"""One search across the desks: a registration point where each desk answers a query with
what the reader may see.

A desk registers its finder from its AppConfig.ready():

    finder.register("documents", gettext_lazy("Documents"), find, order=10)

`find(user, query, limit)` returns a `Found`: how many of the desk's records the reader may
see match (never counting one they may not: the desk reads through `core.access`), the first
`limit` of them as `Hit`s, and the desk's own search page for the rest. A desk with nothing
matching returns None and is left out of the answer, so a reader learns nothing from an empty
section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise

from hofburg.core.access import AnyUser

# The words of a query across the desks: bounded once, here (the page's field says the same).
MAX_QUERY_LENGTH = 200
HITS_PER_DESK = 5


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    snippet: str = ""
    kind: str = ""          # what the record is ("statement", "participating State", …)
    day: date | None = None


@dataclass(frozen=True)
class Found:
    total: int
    hits: list[Hit]
    more_url: str = ""


Find = Callable[[AnyUser, str, int], Found | None]


@dataclass(frozen=True)
class Finder:
    name: str
    label: str | Promise
    find: Find
    order: int = 100


@dataclass(frozen=True)
class Section:
    name: str
    label: str | Promise
    found: Found


_finders: dict[str, Finder] = {}


def register(name: str, label: str | Promise, find: Find, order: int = 100) -> None:
    """Add (or replace, by name) a desk's finder."""
    _finders[name] = Finder(name, label, find, order)


def registered() -> list[Finder]:
    return sorted(_finders.values(), key=lambda f: (f.order, f.name))


def search_everywhere(user: AnyUser, query: str, limit: int = HITS_PER_DESK) -> list[Section]:
    """Every desk's answer to `query` for `user`, in the desks' order; desks with nothing
    matching are left out."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return []
    sections = []
    for finder in registered():
        found = finder.find(user, query, limit)
        if found is not None and found.total > 0:
            sections.append(Section(finder.name, finder.label, found))
    return sections
