"""The trends page's figures as CSV: the same range and category as the page, the reader's
share of the rollups, HXL hashtags on the second line; bad filters a clear 400."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client

from tests.conftest import Cast
from tests.monitoring.test_pages import REPORT_DATE, WHEN, crossing_pair, submit

pytestmark = pytest.mark.django_db


def rows_of(response: object) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(body)))


def test_the_page_links_to_its_figures_and_the_csv_has_them(cast: Cast) -> None:
    crossing_pair(cast.mona)
    submit(cast.mona, "66666666-6666-4666-8666-666666666666", category="burst", count=7,
           observed_at=(WHEN - timedelta(days=1)).isoformat(), bearing_deg=270.0)
    client = cast.client(cast.carol)
    page = client.get("/monitoring/trends/").content.decode()
    assert "/monitoring/trends.csv?start=" in page
    response = client.get("/monitoring/trends.csv", {"start": "2026-03-01",
                                                     "end": REPORT_DATE})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="violations-2026-03-01-2026-03-10.csv"' in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0]["violations_at_least"].startswith("#")  # the HXL hashtag line
    figures = {(r["report_date"], r["category"]): int(r["violations_at_least"]) for r in rows[1:]}
    assert figures == {("2026-03-09", "burst"): 7, (REPORT_DATE, "explosion_undetermined"): 3}
    only = rows_of(client.get("/monitoring/trends.csv", {"start": "2026-03-01",
                                                          "end": REPORT_DATE,
                                                          "category": "burst"}))
    assert [(r["report_date"], r["category"]) for r in only[1:]] == [("2026-03-09", "burst")]


def test_the_public_gets_the_published_share_and_bad_filters_a_clear_error(
        cast: Cast) -> None:
    crossing_pair(cast.mona)
    public = rows_of(Client().get("/monitoring/trends.csv", {"start": "2026-03-01",
                                                             "end": REPORT_DATE}))
    assert public[1:] == []  # nothing is published yet
    bad = Client().get("/monitoring/trends.csv", {"start": "2026-03-10", "end": "2026-03-01"})
    assert bad.status_code == 400
    assert "The first date must not be after the last." in bad.content.decode()
    assert Client().get("/monitoring/trends.csv", {"start": "yesterday"}).status_code == 400
