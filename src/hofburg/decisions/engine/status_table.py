"""The Chairmanship's status table of draft decisions: each draft's symbol, title, latest
revision, where it is negotiated, where it stands, and how long it has been under silence
(the "Status of decisions/documents" table of a Ministerial Council, osce-organization.md §3.6
and Sources).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from hofburg.decisions.engine.silence import DraftState, Status, days_under_silence, effective


@dataclass(frozen=True)
class StatusInput:
    """One draft as the table needs it. `number` orders the drafts within a body (None, a draft
    not yet numbered, comes last); `revision` is the latest revision (0 for the original);
    `venue` is where it is negotiated ("informal working group", "WG B of the FSC")."""

    symbol: str
    body: str
    number: int | None
    title: str
    revision: int
    venue: str
    state: DraftState


@dataclass(frozen=True)
class StatusRow:
    symbol: str
    title: str
    latest_revision: int
    venue: str
    status: Status
    days_under_silence: int | None


def status_rows(drafts: Iterable[StatusInput], now: datetime) -> list[StatusRow]:
    """One row per draft, sorted by body, then number (unnumbered last), then symbol; each
    draft's status as of `now` (a draft whose silence has expired is adopted). A naive `now`
    raises ValueError."""
    if not isinstance(now, datetime) or now.utcoffset() is None:
        raise ValueError(f"now must be an aware datetime, not {now!r}")
    ordered = sorted(drafts, key=lambda d: (d.body, d.number is None, d.number or 0, d.symbol))
    return [
        StatusRow(
            symbol=draft.symbol,
            title=draft.title,
            latest_revision=draft.revision,
            venue=draft.venue,
            status=effective(draft.state, now).status,
            days_under_silence=days_under_silence(draft.state, now),
        )
        for draft in ordered
    ]
