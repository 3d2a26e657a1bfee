"""The status table of draft decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hofburg.decisions.engine.consensus import Participant
from hofburg.decisions.engine.silence import (
    DraftState,
    Status,
    break_silence,
    place_under_silence,
)
from hofburg.decisions.engine.status_table import StatusInput, StatusRow, status_rows

MEETING = datetime(2025, 3, 6, 9, 0, tzinfo=UTC)
EXPIRY = MEETING + timedelta(days=4)
DRAFT = DraftState(status=Status.DRAFT)
UNDER_SILENCE = place_under_silence(DRAFT, meeting_at=MEETING, expires_at=EXPIRY, now=MEETING)


def draft(symbol: str, body: str, number: int | None, state: DraftState = DRAFT,
          revision: int = 0) -> StatusInput:
    return StatusInput(symbol=symbol, body=body, number=number, title=f"EXERCISE {symbol}",
                       revision=revision, venue="informal working group", state=state)


def test_rows_are_sorted_by_body_then_number() -> None:
    rows = status_rows([
        draft("PC.DD/10/25", "PC", 10),
        draft("MC.DD/2/25", "MC", 2),
        draft("PC.DD/9/25", "PC", 9),
        draft("PC interim text", "PC", None),
        draft("MC.DD/1/25/Rev.2", "MC", 1, revision=2),
    ], MEETING)
    assert [row.symbol for row in rows] == [
        "MC.DD/1/25/Rev.2", "MC.DD/2/25", "PC.DD/9/25", "PC.DD/10/25", "PC interim text"]
    assert rows[0] == StatusRow(symbol="MC.DD/1/25/Rev.2", title="EXERCISE MC.DD/1/25/Rev.2",
                                latest_revision=2, venue="informal working group",
                                status=Status.DRAFT, days_under_silence=None)


def test_each_rows_status_is_as_of_now() -> None:
    broken = break_silence(UNDER_SILENCE, by=Participant("XA", participating=True),
                           kind="objection", at=MEETING + timedelta(days=1))
    inputs = [draft("PC.DD/1/25", "PC", 1, UNDER_SILENCE), draft("PC.DD/2/25", "PC", 2, broken)]
    during = status_rows(inputs, MEETING + timedelta(days=2, hours=1))
    assert [(r.status, r.days_under_silence) for r in during] == [
        (Status.UNDER_SILENCE, 2), (Status.SILENCE_BROKEN, 1)]
    after = status_rows(inputs, EXPIRY)
    assert [(r.status, r.days_under_silence) for r in after] == [
        (Status.ADOPTED, 4), (Status.SILENCE_BROKEN, 1)]


def test_no_drafts_no_rows() -> None:
    assert status_rows([], MEETING) == []


def test_a_naive_now_is_refused() -> None:
    for drafts in ([], [draft("PC.DD/1/25", "PC", 1)]):
        with pytest.raises(ValueError, match="aware"):
            status_rows(drafts, datetime(2025, 3, 6, 9, 0))
