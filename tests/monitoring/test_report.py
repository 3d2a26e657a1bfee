"""The daily report: figures per area against the previous period, the record sections, the
EXERCISE mark, the HTML page, the PDF, and the command the scheduled task runs."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client

from hofburg.monitoring import report
from hofburg.monitoring.intake.patrol_reports import (
    report_civilian_impact,
    report_movement_restriction,
    submit_weapon_sighting,
)
from hofburg.monitoring.models import Event
from tests.conftest import Cast
from tests.monitoring.rows import release
from tests.monitoring.test_pages import REPORT_DATE, WHEN, crossing_pair, submit

pytestmark = pytest.mark.django_db
DAY = date.fromisoformat(REPORT_DATE)


def publish_all(cast: Cast) -> None:
    for event in Event.objects.all():
        release(cast.mona, event)


def test_the_report_counts_per_area_against_the_previous_period(cast: Cast) -> None:
    crossing_pair(cast.mona)
    submit(cast.mona, "66666666-6666-4666-8666-666666666666", category="burst", count=7,
           observed_at=(WHEN - timedelta(days=1)).isoformat(), bearing_deg=270.0)

    daily = report.build_daily_report(cast.carol, DAY)

    assert daily.period_label.startswith("19:30 9 March 2026 - 19:30 10 March 2026")
    assert not daily.published_only and daily.is_exercise
    [area] = daily.areas
    assert (area.violations, area.explosions, area.previous, area.change) == (3, 3, 7, -4)
    assert area.change_text == "−4"
    assert [(row.label, row.violations, row.previous) for row in daily.categories] == [
        ("explosion, undetermined", 3, 0), ("burst", 0, 7)]


def test_visitors_read_the_published_share_only(cast: Cast) -> None:
    crossing_pair(cast.mona)
    assert report.build_daily_report(AnonymousUser(), DAY).total == 0
    publish_all(cast)
    daily = report.build_daily_report(AnonymousUser(), DAY)
    assert daily.published_only and daily.total == 3


def test_the_record_sections_list_what_the_reader_may_see(cast: Cast) -> None:
    moment = WHEN
    submit_weapon_sighting(cast.mona, "ws-1", observed_at=moment, lon=-29.95, lat=48.2,
                                    weapon_class="tank", count=2, weapon_type="T-72",
                                    place="EXERCISE hamlet", is_exercise=True)
    report_movement_restriction(cast.mona, "fom-1", observed_at=moment, lon=-30.1,
                                         lat=48.1, kind="denied_passage",
                                         imposed_by="armed_personnel", place="EXERCISE bridge",
                                         is_exercise=True)
    report_civilian_impact(cast.mona, "civ-1", observed_at=moment, lon=-30.2, lat=48.3,
                                    kind="casualties", killed=0, injured=1,
                                    place="EXERCISE village", is_exercise=True)

    daily = report.build_daily_report(cast.carol, DAY)
    assert [w.report_id for w in daily.weapons] == ["ws-1"]
    assert [r.report_id for r in daily.restrictions] == ["fom-1"]
    assert (daily.killed, daily.injured) == (0, 1)
    page = cast.client(cast.carol).get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    assert "T-72" in page and "in violation" in page
    assert "denied passage" in page and "armed personnel" in page
    assert "Civilian casualties reported: 0 killed, 1 injured." in page

    # The records are restricted: a visitor's report lists none of them.
    visitor = Client().get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    assert "T-72" not in visitor and "EXERCISE bridge" not in visitor


def test_the_report_page_has_the_structure_and_the_exercise_mark(cast: Cast) -> None:
    crossing_pair(cast.mona)
    publish_all(cast)
    page = Client().get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == ["Summary", "Map of the period", "Ceasefire violations per area",
                        "Weapons in violation of the withdrawal lines",
                        "Disengagement areas", "Weapons storage sites",
                        "Restrictions of the mission's freedom of movement",
                        "Civilian casualties and damage"]
    assert "Reporting period: 19:30 9 March 2026 - 19:30 10 March 2026" in page
    assert "EXERCISE DATA" in page
    assert "The mission recorded 3 ceasefire violations, including 3 explosions" in page
    assert f"/monitoring/reports/{REPORT_DATE}/pdf/" in page
    listing = Client().get("/monitoring/reports/").content.decode()
    assert f"/monitoring/reports/{REPORT_DATE}/" in listing
    assert Client().get("/monitoring/reports/?day=2026-03-10").status_code == 302
    assert Client().get("/monitoring/reports/not-a-date/").status_code == 404


def test_the_pdf_is_rendered_from_the_same_template(cast: Cast) -> None:
    crossing_pair(cast.mona)
    publish_all(cast)
    response = Client().get(f"/monitoring/reports/{REPORT_DATE}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f'filename="daily-report-{REPORT_DATE}.pdf"' in response["Content-Disposition"]
    printed = report.render_report_html(report.build_daily_report(AnonymousUser(), DAY),
                                        for_pdf=True)
    assert "EXERCISE DATA" in printed and "Ceasefire violations per area" in printed
    assert "19:30 9 March 2026 - 19:30 10 March 2026" in printed
    assert "Download PDF" not in printed and "site-header" not in printed


def test_the_scheduled_command_writes_html_and_pdf(cast: Cast, tmp_path: Path) -> None:
    crossing_pair(cast.mona)
    publish_all(cast)
    call_command("daily_report", "--date", REPORT_DATE, "--output", str(tmp_path), verbosity=0)
    html = (tmp_path / f"daily-report-{REPORT_DATE}.html").read_text(encoding="utf-8")
    assert "EXERCISE DATA" in html and "19:30 10 March 2026" in html
    assert (tmp_path / f"daily-report-{REPORT_DATE}.pdf").read_bytes().startswith(b"%PDF-")


def pdf_pages(content: bytes) -> list[str]:
    from io import BytesIO

    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]


def test_every_pdf_page_carries_the_report_s_classification(cast: Cast) -> None:
    """The marking is the highest classification of what the report sums or lists, at the
    top of every page: restricted for an entitled reader's report with unpublished events,
    public for the public's."""
    crossing_pair(cast.mona)
    for number in range(45):  # enough restrictions to fill more than one page
        report_movement_restriction(cast.mona, f"fom-{number}", observed_at=WHEN, lon=-30.1,
                                    lat=48.1, kind="denied_passage",
                                    imposed_by="armed_personnel",
                                    place=f"EXERCISE checkpoint {number}", is_exercise=True)
    response = cast.client(cast.carol).get(f"/monitoring/reports/{REPORT_DATE}/pdf/")
    pages = pdf_pages(response.content)
    assert len(pages) >= 2
    for text in pages:
        assert "RESTRICTED · INCLUDES EVENTS NOT YET PUBLISHED" in text.upper()
        assert "EXERCISE DATA" in text
        assert "CONFIDENTIAL" not in text and "PUBLIC ·" not in text

    publish_all(cast)
    public = pdf_pages(Client().get(f"/monitoring/reports/{REPORT_DATE}/pdf/").content)
    assert public and all("PUBLIC · EXERCISE DATA" in text for text in public)
    assert not any("RESTRICTED" in text for text in public)


def test_a_report_links_to_the_one_before_and_the_one_after(cast: Cast) -> None:
    crossing_pair(cast.mona)
    submit(cast.mona, "66666666-6666-4666-8666-666666666666", category="burst", count=7,
           observed_at=(WHEN - timedelta(days=2)).isoformat(), bearing_deg=270.0)
    earlier = (DAY - timedelta(days=2)).isoformat()
    client = cast.client(cast.carol)
    page = client.get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    assert f'rel="prev" href="/monitoring/reports/{earlier}/"' in page
    assert "8 March 2026" in page and 'rel="next"' not in page
    before = client.get(f"/monitoring/reports/{earlier}/").content.decode()
    assert f'rel="next" href="/monitoring/reports/{REPORT_DATE}/"' in before
    assert 'rel="prev"' not in before
    # The public sees no report it may not read: none is released, so no neighbour either.
    assert 'rel="prev"' not in Client().get(f"/monitoring/reports/{REPORT_DATE}/"
                                            ).content.decode()
