"""The daily report's disengagement-area and weapons-storage sections: what is inside each area,
what was seen beyond the withdrawal lines, through the reader's access, in the page and the PDF."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from hofburg.core import access
from hofburg.core.models import Affiliation, Classification, User
from hofburg.monitoring import report
from hofburg.monitoring.intake.patrol_reports import submit_weapon_sighting
from hofburg.monitoring.models import Event, EventStatus
from tests.conftest import Cast
from tests.monitoring.test_pages import REPORT_DATE, WHEN
from tests.monitoring.test_report import DAY

pytestmark = pytest.mark.django_db

# Inside the fictional EXERCISE disengagement area A (a 2 x 2 km square about -29.975, 47.3).
INSIDE_A = (-29.975, 47.3)


def _event(key: str, *, classification: str, status: str, count: int = 4,
           category: str = "explosion_undetermined", where: tuple[float, float] = INSIDE_A,
           owner: Affiliation | None = None) -> Event:
    # The merge would make such events from observations; here only their place matters.
    return Event.objects.create(
        event_key=key, status=status, category=category, count_at_least=count,
        first_observed_at=WHEN, last_observed_at=WHEN, report_date=DAY, lon=where[0],
        lat=where[1], h3_cell="85000000fffffff", area="exercise-area", location_method="fix",
        classification=classification, owner_affiliation=owner, is_exercise=True)


def test_the_disengagement_section_counts_what_is_inside_each_area_for_the_reader(
        cast: Cast) -> None:
    _event("inside-published", classification=Classification.PUBLIC,
           status=EventStatus.PUBLISHED, count=4)
    _event("inside-restricted", classification=Classification.RESTRICTED,
           status=EventStatus.VERIFIED, count=3, category="burst")
    _event("outside", classification=Classification.PUBLIC, status=EventStatus.PUBLISHED,
           where=(-30.5, 48.2))
    submit_weapon_sighting(cast.mona, "ws-inside", observed_at=WHEN, lon=INSIDE_A[0],
                                    lat=INSIDE_A[1], weapon_class="tank", count=1,
                                    weapon_type="T-64", is_exercise=True)

    entitled = report.build_daily_report(cast.carol, DAY).disengagement
    assert entitled is not None and entitled.supplied
    rows = {row.area_id: row for row in entitled.rows}
    assert set(rows) == {"exercise-area-a", "exercise-area-b", "exercise-area-c"}
    a = rows["exercise-area-a"]
    assert (a.events, a.violations, a.explosions) == (2, 7, 4)
    assert [w.report_id for w in a.weapons] == ["ws-inside"]
    assert rows["exercise-area-b"].quiet

    # A visitor counts the published event only and sees no restricted sighting.
    visitor = report.build_daily_report(AnonymousUser(), DAY).disengagement
    assert visitor is not None
    a = next(row for row in visitor.rows if row.area_id == "exercise-area-a")
    assert (a.events, a.violations, a.weapons) == (1, 4, [])


def test_the_disengagement_section_counts_only_what_the_report_s_figures_count(
        cast: Cast) -> None:
    """A withdrawn event counts nowhere; a confidential event shared with another affiliation
    is readable there but summed for its owner only (decision 0018): the section leaves it out
    for the affiliation it is shared with, as the report's tables, map and marking do."""
    _event("inside-restricted", classification=Classification.RESTRICTED,
           status=EventStatus.VERIFIED, count=3)
    _event("inside-withdrawn", classification=Classification.RESTRICTED,
           status=EventStatus.WITHDRAWN, count=5)
    secret = _event("inside-secret", classification=Classification.CONFIDENTIAL,
                    status=EventStatus.VERIFIED, count=7, owner=cast.mission)
    secret.shared_with.add(cast.austria)
    assert access.can_view(cast.alice, secret)

    def area_a(reader: User) -> tuple[int, int]:
        section = report.build_daily_report(reader, DAY).disengagement
        assert section is not None
        row = next(row for row in section.rows if row.area_id == "exercise-area-a")
        return row.events, row.violations

    assert area_a(cast.alice) == (1, 3)
    assert area_a(cast.carol) == (1, 3)
    assert area_a(cast.mona) == (2, 10)
    assert report.build_daily_report(cast.alice, DAY).marking == Classification.RESTRICTED


def test_the_storage_section_lists_weapons_beyond_the_lines_and_those_not_checked(
        cast: Cast) -> None:
    submit_weapon_sighting(cast.mona, "ws-far", observed_at=WHEN, lon=-31.5, lat=48.2,
                                    weapon_class="tank", count=3, weapon_type="T-72",
                                    place="EXERCISE depot", is_exercise=True)
    submit_weapon_sighting(cast.mona, "ws-near", observed_at=WHEN, lon=-29.95,
                                    lat=48.2, weapon_class="tank", count=1, is_exercise=True)
    submit_weapon_sighting(cast.mona, "ws-real", observed_at=WHEN, lon=37.8, lat=48.0,
                                    weapon_class="tank", count=1, weapon_type="2S1")
    submit_weapon_sighting(cast.mona, "ws-yesterday", observed_at=WHEN - timedelta(
        days=1), lon=-31.5, lat=48.2, weapon_class="tank", is_exercise=True)

    storage = report.build_daily_report(cast.carol, DAY).storage
    assert storage is not None and not storage.register_kept
    assert [s.report_id for s in storage.beyond_lines] == ["ws-far"]
    assert "Labels:" in storage.beyond_lines[0].compliance["explanation"]
    assert [s.report_id for s in storage.not_checked] == ["ws-real"]
    visitor = report.build_daily_report(AnonymousUser(), DAY).storage
    assert visitor is not None and visitor.beyond_lines == []


def test_both_sections_are_in_the_page_and_the_pdf(cast: Cast) -> None:
    _event("inside-published", classification=Classification.PUBLIC,
           status=EventStatus.PUBLISHED)
    submit_weapon_sighting(cast.mona, "ws-far", observed_at=WHEN, lon=-31.5, lat=48.2,
                                    weapon_class="tank", count=3, weapon_type="T-72",
                                    place="EXERCISE depot", is_exercise=True)
    page = cast.client(cast.carol).get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings[4:6] == ["Disengagement areas", "Weapons storage sites"]
    assert "EXERCISE disengagement area A (fictional)" in page
    assert "EXERCISE depot" in page and "no register of designated storage sites" in page
    printed = report.render_report_html(report.build_daily_report(cast.carol, DAY),
                                        for_pdf=True)
    assert "Disengagement areas" in printed and "Weapons storage sites" in printed
    assert "EXERCISE depot" in printed
    visitor = Client().get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    assert "Disengagement areas" in visitor and "EXERCISE depot" not in visitor
    pdf = Client().get(f"/monitoring/reports/{REPORT_DATE}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
