"""The daily report's map and chart: they draw exactly what the report's tables count, for
each reader, on the page and in the PDF, in the reader's language."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import translation
from lxml import etree
from pypdf import PdfReader

from hofburg.core import access, numbers
from hofburg.core.models import Classification, User
from hofburg.monitoring import report, report_figures
from hofburg.monitoring.engine.drawing import CATEGORY_COLOURS
from hofburg.monitoring.intake.submit import submit_observation
from hofburg.monitoring.models import Event, Observation
from tests.conftest import Cast
from tests.monitoring.rows import release
from tests.monitoring.test_pages import REPORT_DATE, WHEN, crossing_pair, observation_data

pytestmark = pytest.mark.django_db
DAY = date.fromisoformat(REPORT_DATE)
SVG = "{http://www.w3.org/2000/svg}"
SHOT = CATEGORY_COLOURS["shot"]


def _secret_shots(mona: User, *, shared_with: Any = None) -> Event:
    """Mona's secret patrol hears 9 shots far south of the crossing pair: a confidential
    event of her mission, in a map cell of its own; shared with an affiliation if asked."""
    record, _created = submit_observation(
        mona, observation_data(observer_id="secret-patrol-7", observer_lat=47.3,
                               observer_lon=-30.2, category="shot", count=9),
        client_id="c-secret", classification=Classification.CONFIDENTIAL, is_exercise=True)
    event = Event.objects.get(pk=Observation.objects.get(pk=record.pk).event_id)
    if shared_with is not None:
        event.shared_with.add(shared_with)
    return event


def _circles(svg: str) -> list[etree._Element]:
    return etree.fromstring(svg.encode()).findall(f".//{SVG}circle")


def _legend(figure: Any) -> dict[str, str]:
    return {entry.label: entry.count for entry in figure.legend if entry.count}


def test_the_map_and_the_chart_count_what_the_tables_count(cast: Cast) -> None:
    crossing_pair(cast.mona)
    _secret_shots(cast.mona)
    daily = report.build_daily_report(cast.mona, DAY)
    assert daily.figures is not None
    assert daily.total == 12
    assert daily.figures.map.violations == daily.total
    assert daily.figures.chart.violations == daily.total
    assert _legend(daily.figures.map) == {
        **{row.label: str(row.violations) for row in daily.categories if row.violations},
        "Total": "12"}
    fills = sorted(circle.get("fill") or "" for circle in _circles(daily.figures.map.svg))
    assert fills == sorted([CATEGORY_COLOURS["explosion_undetermined"], SHOT])


def test_a_hidden_event_is_neither_drawn_nor_counted(cast: Cast) -> None:
    """Alice's delegation may read the secret event (it is shared with it), but the report
    sums only what her share of the rollups holds: the map and the chart leave it out as the
    tables do. Mona's mission counts it."""
    crossing_pair(cast.mona)
    secret = _secret_shots(cast.mona, shared_with=cast.austria)
    assert access.can_view(cast.alice, secret)

    for reader in (cast.alice, cast.carol):
        daily = report.build_daily_report(reader, DAY)
        assert daily.figures is not None and daily.total == 3
        assert daily.figures.map.violations == 3 and daily.figures.chart.violations == 3
        assert SHOT not in [c.get("fill") for c in _circles(daily.figures.map.svg)]
        assert "shot" not in _legend(daily.figures.map)
        assert "shot" not in [entry.label for entry in daily.figures.chart.legend]
    page = cast.client(cast.alice).get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    assert f'fill="{SHOT}"' not in page.split('id="report-map"')[1].split("</svg>")[0]
    assert 'data-violations="3"' in page and 'data-violations="12"' not in page

    own = report.build_daily_report(cast.mona, DAY)
    assert own.figures is not None and own.figures.map.violations == 12
    assert SHOT in [c.get("fill") for c in _circles(own.figures.map.svg)]


def test_visitors_see_the_figures_of_released_periods_only(cast: Cast) -> None:
    first, _second = crossing_pair(cast.mona)
    _secret_shots(cast.mona)
    page = Client().get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    assert 'id="report-map"' not in page and 'id="report-chart"' not in page
    assert report.build_daily_report(AnonymousUser(), DAY).figures is None

    release(cast.mona, Event.objects.get(pk=first.event_id))
    daily = report.build_daily_report(AnonymousUser(), DAY)
    assert daily.figures is not None
    assert daily.figures.map.violations == daily.total == 3
    assert [c.get("fill") for c in _circles(daily.figures.map.svg)] == [
        CATEGORY_COLOURS["explosion_undetermined"]]
    # The dates before were never released: marks, not bars of 0.
    assert daily.figures.chart_unreleased
    chart = etree.fromstring(daily.figures.chart.svg.encode())
    assert len(chart.findall(f"{SVG}g[@class='day not-released']")) == 6
    page = Client().get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    assert "marks a report date whose period is not yet released" in page


def test_the_chart_compares_the_day_with_the_dates_before_it(cast: Cast) -> None:
    crossing_pair(cast.mona)
    submit_observation(
        cast.mona, observation_data(category="burst", count=7, bearing_deg=270.0,
                                    observed_at=(WHEN - timedelta(days=2)).isoformat()),
        client_id="b-1", is_exercise=True)
    figures = report.build_daily_report(cast.carol, DAY).figures
    assert figures is not None
    assert figures.chart_end == DAY and figures.chart_start <= DAY - timedelta(days=2)
    assert not figures.chart_unreleased
    chart = etree.fromstring(figures.chart.svg.encode())
    totals = ["".join(t.itertext()) for t in chart.iter(f"{SVG}text")
              if t.get("font-size") == "10"]
    assert totals[-1] == "3" and "7" in totals  # the day (in bold) and two days before
    description = chart.find(f"{SVG}desc")
    assert description is not None and "10 March 2026: 3" in (description.text or "")
    assert "8 March 2026: 7" in (description.text or "")
    page = cast.client(cast.carol).get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    start = figures.chart_start.isoformat()
    assert f"/monitoring/trends.csv?start={start}&amp;end={REPORT_DATE}" in page


def test_the_pdf_holds_the_map_and_the_chart(cast: Cast) -> None:
    crossing_pair(cast.mona)
    _secret_shots(cast.mona)
    printed = report.render_report_html(report.build_daily_report(cast.carol, DAY),
                                        for_pdf=True)
    assert 'id="report-map"' in printed and 'id="report-chart"' in printed
    assert printed.count("<circle") >= 2 and "Download these figures" not in printed

    def text_of(user: User) -> str:
        pdf = cast.client(user).get(f"/monitoring/reports/{REPORT_DATE}/pdf/").content
        return " ".join(" ".join(page.extract_text().split())
                        for page in PdfReader(io.BytesIO(pdf)).pages)

    carol = text_of(cast.carol)
    assert re.search(r"\b\d+ km\b", carol)  # the map's scale bar, written in its drawing
    for words in ("Map of the period", "explosion, undetermined: 3", "Total: 3",
                  "Compared with the report dates before", "Violations (at least)",
                  "Report date", "Boundaries: Natural Earth"):
        assert words in carol, words
    assert "shot: 9" not in carol
    assert "shot: 9" in text_of(cast.mona)


def test_the_figures_speak_the_reader_s_language(cast: Cast) -> None:
    crossing_pair(cast.mona)
    with translation.override("ru"):
        figures = report.build_daily_report(cast.carol, DAY).figures
        assert numbers.whole(1365) == "1\u00a0365"
    assert figures is not None
    chart = etree.fromstring(figures.chart.svg.encode())
    assert "мар." in [span.text for span in chart.iter(f"{SVG}tspan")]
    title = chart.find(f"{SVG}title")
    assert title is not None and "10 марта 2026" in (title.text or "")
    with translation.override("fr"):
        assert numbers.whole(1365) == "1\u202f365"
    assert numbers.whole(1365) == "1,365"


def test_the_pdf_takes_the_drawings_as_images_and_fetches_nothing_else(cast: Cast) -> None:
    crossing_pair(cast.mona)
    daily = report.build_daily_report(cast.carol, DAY)
    assert daily.figures is not None
    printed = report.render_report_html(daily, for_pdf=True)
    html, drawings = report_figures.as_images(printed, daily.figures)
    assert 'id="report-map"' not in html and 'id="report-chart"' not in html
    assert 'src="hofburg-drawing:map"' in html and 'src="hofburg-drawing:chart"' in html
    assert drawings["hofburg-drawing:map"] == daily.figures.map.svg.encode()
    fetcher = report_figures.drawing_fetcher(drawings)
    served = fetcher.fetch("hofburg-drawing:chart")
    assert served.read() == daily.figures.chart.svg.encode()
    assert served.content_type == "image/svg+xml"
    for address in ("http://example.org/tile.png", "file:///etc/passwd",
                    "hofburg-drawing:elsewhere"):
        with pytest.raises(ValueError, match="fetches nothing"):
            fetcher.fetch(address)
