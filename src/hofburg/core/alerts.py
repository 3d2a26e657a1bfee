"""Alerts for a participating State's delegation: a registration point where each desk says
which of the records the reader may see call for the State's attention now, for "My State".

A desk registers its source from its AppConfig.ready():

    alerts.register("decisions", gettext_lazy("Drafts under silence"), under_silence, order=10)

`raise_for(user, iso2, now, limit)` returns `Raised`: how many of the desk's records the reader
may see call for the State (never counting one they may not: the desk reads through
`core.access`), the first `limit` of them as `Alert`s, the desk's page listing them all, and
when the newest of them last changed (None when the records carry no time the reader may be
shown). A desk with nothing to raise returns None and is left out, as `core.finder` leaves out
a desk with nothing matching.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise

from hofburg.core.access import AnyUser

ALERTS_PER_DESK = 5


@dataclass(frozen=True)
class Alert:
    title: str
    url: str
    detail: str = ""  # what is expected of the State and by when, in the reader's language
    is_exercise: bool = False


@dataclass(frozen=True)
class Raised:
    total: int
    alerts: list[Alert]
    updated: datetime | None = None
    more_url: str = ""


RaiseFor = Callable[[AnyUser, str, datetime, int], Raised | None]


@dataclass(frozen=True)
class Source:
    name: str
    label: str | Promise
    raise_for: RaiseFor
    order: int = 100


@dataclass(frozen=True)
class Group:
    name: str
    label: str | Promise
    raised: Raised


_sources: dict[str, Source] = {}


def register(name: str, label: str | Promise, raise_for: RaiseFor, order: int = 100) -> None:
    """Add (or replace, by name) a desk's source of alerts."""
    _sources[name] = Source(name, label, raise_for, order)


def registered() -> list[Source]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.name))


def for_state(user: AnyUser, iso2: str, now: datetime,
              limit: int = ALERTS_PER_DESK) -> list[Group]:
    """Every desk's alerts about the State `iso2` for `user` at `now`, in the desks' order;
    desks with nothing to raise are left out."""
    groups = []
    for source in registered():
        raised = source.raise_for(user, iso2.upper(), now, limit)
        if raised is not None and raised.total > 0:
            groups.append(Group(source.name, source.label, raised))
    return groups
