"""The Troika: the previous, the current and the next Chairmanship (Rules of Procedure, III).

Derived from the list of Chairmanships, never stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Troika(Generic[T]):
    year: int
    previous: T | None
    current: T | None
    next: T | None

    def members(self) -> list[T]:
        return [m for m in (self.previous, self.current, self.next) if m is not None]


def troika(chairs_by_year: Mapping[int, T], year: int) -> Troika[T]:
    """The Troika of `year`; a member is None where that year's Chair is not (yet) known."""
    return Troika(
        year=year,
        previous=chairs_by_year.get(year - 1),
        current=chairs_by_year.get(year),
        next=chairs_by_year.get(year + 1),
    )
