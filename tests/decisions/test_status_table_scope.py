"""The status table is the Chairmanship's: the drafts still open and this year's decisions;
earlier decisions only when asked for (`earlier`), through the query, API, CLI and page."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from time_machine import TimeMachineFixture
from typer.testing import CliRunner

from hofburg.cli import app
from hofburg.core.models import Classification
from hofburg.decisions.models import Draft
from hofburg.decisions.queries.drafts import StatusRow, status_table

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)


@pytest.fixture
def drafts() -> None:
    def draft(symbol: str, *, adopted_at: datetime | None = None, decision: str = "") -> None:
        Draft.objects.create(body="PC", number=int(symbol.split("/")[1]), year=2026,
                             symbol=symbol, title=symbol, classification=Classification.PUBLIC,
                             status="adopted" if adopted_at else "draft",
                             adopted_by="meeting" if adopted_at else "", adopted_at=adopted_at,
                             decision_symbol=decision)

    draft("PC.DD/1/26")
    draft("PC.DD/2/26", adopted_at=datetime(2026, 1, 15, 9, 0, tzinfo=UTC), decision="PC.DEC/2")
    # Adopted on New Year's Eve in Vienna: last year's decision, though 2025 ends at 23:00 UTC.
    draft("PC.DD/3/26", adopted_at=datetime(2025, 12, 31, 22, 30, tzinfo=UTC),
          decision="PC.DEC/1")


def _symbols(rows: list[StatusRow]) -> list[str]:
    return [row.symbol for row in rows]


def test_by_default_the_open_drafts_and_this_years_decisions(drafts: None) -> None:
    public = AnonymousUser()
    assert _symbols(status_table(public, now=NOW)) == ["PC.DD/1/26", "PC.DD/2/26"]
    assert _symbols(status_table(public, now=NOW, earlier=True)) == [
        "PC.DD/1/26", "PC.DD/2/26", "PC.DD/3/26"]


def test_the_api_cli_and_page_ask_for_earlier_decisions_the_same_way(
        drafts: None, time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)
    client = Client()
    default = client.get("/api/v1/decisions/status-table").json()
    everything = client.get("/api/v1/decisions/status-table?earlier=true").json()
    assert [r["symbol"] for r in default] == ["PC.DD/1/26", "PC.DD/2/26"]
    assert [r["symbol"] for r in everything][-1] == "PC.DD/3/26"

    result = CliRunner().invoke(app, ["decisions", "status-table", "--json", "--earlier"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 3

    assert "(PC.DEC/1)" not in client.get("/decisions/").content.decode()
    assert "(PC.DEC/1)" in client.get("/decisions/?earlier=on").content.decode()
