"""When the data behind a card last changed: "Last updated: 7 December 2026, 14:05 CET".

A card of the home page or of a desk's overview says when the records it shows last changed,
read from the records the reader may see (never a time that would reveal a hidden record).
Pages render it with `{% include "core/includes/updated.html" with at=... %}` (`zone=` for a
zone other than the site's, e.g. the monitoring mission's). Every card carries the line: with
no time it says "no record visible to you", or, with `unrecorded=True` for a card whose visible
records carry no time it may show (reference data loaded without one, say), "not recorded".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Max, QuerySet


def latest(*moments: datetime | None) -> datetime | None:
    """The latest of the moments given; None when none is."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def latest_of(queryset: QuerySet[Any], *fields: str) -> datetime | None:
    """The latest value of any of `fields` over `queryset` (one query); None when empty."""
    found = queryset.aggregate(**{f"latest_{name}": Max(name) for name in fields})
    return latest(*found.values())
