"""The registry's pages, read as a visitor would: what each page shows, and its downloads."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from django.test import Client
from time_machine import TimeMachineFixture

from hofburg.registry.models import Confidence, StatusEvent
from tests.registry.factories import (
    Osce,
    create_czechoslovak_chair,
    create_osce,
    create_state,
    freeze_today,
    names,
)


@pytest.fixture
def osce(db: None, time_machine: TimeMachineFixture) -> Osce:
    freeze_today(time_machine, date(2025, 6, 1))
    return create_osce()


def page(path: str, language: str = "en") -> str:
    response = Client().get(path, headers={"Accept-Language": language})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's text with tags removed and whitespace collapsed, for sentence-level checks."""
    inline_removed = re.sub(r"</?(a|span|strong|time|code|em)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", inline_removed).split())


# --- the list of participating States -----------------------------------------------------------

def test_the_state_list_shows_names_codes_joining_dates_and_chaired_years(osce: Osce) -> None:
    html = page("/registry/states/")

    assert 'href="/registry/states/AT/"' in html
    assert "AUT" in html and "040" in html
    assert "25 June 1973" in html
    assert 'href="/registry/chairmanships/?year=2026"' in html


def test_the_state_list_keeps_the_unconfirmed_label_beside_the_date(osce: Osce) -> None:
    html = page("/registry/states/")
    malta_row = html[html.index('href="/registry/states/MT/"'):]
    malta_row = malta_row[:malta_row.index("</tr>")]

    assert "UNCONFIRMED" in malta_row


def test_the_state_list_shows_names_in_the_visitors_language(osce: Osce) -> None:
    html = page("/registry/states/", language="de")

    assert "Österreich" in html
    assert "Schweiz" in html


def test_the_state_list_is_sorted_by_name_and_can_be_sorted_by_joining_date(osce: Osce) -> None:
    by_name = text_of(page("/registry/states/"))
    assert by_name.index("Austria") < by_name.index("Finland") < by_name.index("Switzerland")

    newest_first = text_of(page("/registry/states/?sort=-joined"))
    assert newest_first.index("Moldova") < newest_first.index("Austria")


def test_the_state_list_filters_by_a_name_in_any_language(osce: Osce) -> None:
    html = page("/registry/states/?q=schweiz")

    assert 'href="/registry/states/CH/"' in html
    assert 'href="/registry/states/AT/"' not in html


def test_the_state_list_offers_downloads_and_a_joining_chart(osce: Osce) -> None:
    html = page("/registry/states/")

    for file_format in ("csv", "xlsx", "json"):
        assert f'href="?format={file_format}"' in html
    chart = re.search(r'<script id="joining-chart-data" type="application/json">(.*?)</script>',
                      html)
    assert chart is not None
    assert json.loads(chart.group(1)) == [{"x": 1973, "y": 4}, {"x": 1992, "y": 5}]


def test_the_state_list_downloads_a_csv_with_source_and_confidence(osce: Osce) -> None:
    response = Client().get("/registry/states/?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="hofburg-states.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    malta = next(row for row in rows if row["iso2"] == "MT")
    assert malta["confidence"] == "unconfirmed"
    assert malta["source"] == "OSCE, Expansion of the CSCE/OSCE"


def test_an_unknown_download_format_is_refused_with_a_clear_message(osce: Osce) -> None:
    response = Client().get("/registry/states/?format=pdf")

    assert response.status_code == 400
    assert "csv, xlsx, json" in response.content.decode()


# --- a State's profile ----------------------------------------------------------------------------

def test_a_profile_shows_the_names_in_the_six_languages(osce: Osce) -> None:
    html = page("/registry/states/at/")

    for name in ("Austria", "Autriche", "Österreich", "Австрия"):
        assert name in html
    assert '<dd lang="ru">Австрия</dd>' in html


def test_a_profile_shows_membership_history_with_its_labels(osce: Osce) -> None:
    text = text_of(page("/registry/states/MD/"))

    assert "Participating State since 30 January 1992" in text
    assert "Admitted at the Prague Council" in text


def test_a_profile_gives_an_event_date_no_more_precisely_than_its_source(osce: Osce) -> None:
    russian_names = names("Russian Federation", "Fédération de Russie", "Russische Föderation",
                          "Federazione Russa", "Российская Федерация", "Federación de Rusia")
    russia = create_state("RU", "RUS", "643", russian_names, date(1973, 6, 25),
                          confidence=Confidence.UNCONFIRMED)
    StatusEvent.objects.create(state=russia, kind=StatusEvent.Kind.SUCCESSION,
                               date=date(1991, 12, 1), date_precision="month",
                               description="Continuing State of the USSR", source="OSCE")

    text = text_of(page("/registry/states/RU/"))

    assert "December 1991: succession — Continuing State of the USSR" in text
    assert "1 December 1991" not in text


def test_a_profile_shows_the_unconfirmed_joining_date_and_the_note(osce: Osce) -> None:
    text = text_of(page("/registry/states/CH/"))

    assert "25 June 1973 UNCONFIRMED" in text
    assert "member of the OSCE since 1973" in text


def test_a_profile_says_whether_the_state_is_in_the_current_troika(osce: Osce) -> None:
    assert "In the Troika of 2025 as incoming Chair." in text_of(page("/registry/states/CH/"))
    assert "In the Troika of 2025 as previous Chair." in text_of(page("/registry/states/MT/"))
    assert "Not in the Troika of 2025." in text_of(page("/registry/states/AT/"))


def test_a_profile_lists_chair_years_operations_formats_and_sources(osce: Osce) -> None:
    switzerland = page("/registry/states/CH/")
    assert 'href="/registry/chairmanships/?year=2026"' in switzerland
    assert "Ministerial Council decision of 30 Dec 2024" in switzerland

    text = text_of(page("/registry/states/MD/"))
    assert "Mission to Moldova (Chișinău) current UNCONFIRMED" in text
    assert "5+2 format DISPUTED Transdniestrian settlement process side" in text
    assert "Survey of OSCE Field Operations" in text


def test_a_profile_lists_a_source_several_rows_share_once(osce: Osce) -> None:
    osce.mission_to_moldova.source = "OSCE, Expansion of the CSCE/OSCE"
    osce.mission_to_moldova.save()

    html = page("/registry/states/MD/")

    assert html.count('<li><span lang="en">OSCE, Expansion of the CSCE/OSCE</span></li>') == 1


def test_an_unknown_state_is_not_found(osce: Osce) -> None:
    response = Client().get("/registry/states/XX/")

    assert response.status_code == 404


# --- the map ------------------------------------------------------------------------------------

def test_the_map_page_points_the_script_at_the_base_map_and_the_areas(osce: Osce) -> None:
    html = page("/registry/map/")

    assert 'id="osce-map"' in html
    assert 'data-atlas-url="/static/vendor/world-atlas-2.0.2/countries-50m.json"' in html
    assert 'data-areas-url="/registry/map/areas.json"' in html
    assert "/static/hofburg/map.js" in html
    assert "tile" not in html.lower()


def test_the_map_areas_are_keyed_by_iso_numeric_with_localized_names(osce: Osce) -> None:
    response = Client().get("/registry/map/areas.json", headers={"Accept-Language": "de"})
    areas = response.json()

    assert areas["040"] == {"iso2": "AT", "name": "Österreich", "kind": "participating",
                            "url": "/registry/states/AT/"}
    assert areas["392"]["kind"] == "partner"
    assert areas["392"]["url"] == "/registry/partners/#partner-JP"
    assert len(areas) == 7


# --- Chairmanships --------------------------------------------------------------------------------

def test_the_timeline_lists_each_years_chair_with_its_label(osce: Osce) -> None:
    create_czechoslovak_chair()
    text = text_of(page("/registry/chairmanships/"))

    assert "1992 Czechoslovakia" in text
    assert "2024 Malta" in text
    assert "1993 not recorded" in text


def test_the_timeline_highlights_the_current_year_and_its_troika(osce: Osce) -> None:
    html = page("/registry/chairmanships/")

    assert 'id="year-2025" class="year current troika" aria-current="date"' in html
    assert 'id="year-2024" class="year troika"' in html
    assert 'id="year-2026" class="year troika"' in html
    text = text_of(html)
    assert "The Troika of 2025" in text
    assert "Previous Chair (2024): Malta" in text
    assert "Incoming Chair (2026): Switzerland" in text


def test_the_troika_of_any_year_can_be_asked_for(osce: Osce) -> None:
    html = page("/registry/chairmanships/?year=2024")

    assert 'id="year-2025" class="year current troika"' in html
    assert 'id="year-2026" class="year"' in html
    text = text_of(html)
    assert "The Troika of 2024" in text
    assert "Previous Chair (2023): not recorded" in text
    assert "Chair (2024): Malta" in text


def test_a_year_that_is_not_a_number_falls_back_to_this_year_with_a_message(osce: Osce) -> None:
    html = page("/registry/chairmanships/?year=soon")

    assert "The Troika of 2025" in text_of(html)
    assert "Enter a whole number." in html


# --- field operations, conflicts, partners, institutions ------------------------------------------

def test_field_operations_are_split_into_current_and_closed(osce: Osce) -> None:
    text = text_of(page("/registry/field-operations/"))

    current = text[text.index("Current field operation"):text.index("Closed field operation")]
    closed = text[text.index("Closed field operation"):]
    assert "Mission to Moldova UNCONFIRMED" in current
    assert "CSO decision of 4 February 1993" in current
    assert "Mission to Georgia" in closed
    assert "closed 30 June 2009" in closed


def test_conflicts_show_each_format_with_participants_by_role(osce: Osce) -> None:
    text = text_of(page("/registry/conflicts/"))

    assert "5+2 format DISPUTED" in text
    assert "Side Moldova, Transdniestria" in text
    assert "Mediator OSCE" in text
    assert "Observer European Union" in text


def test_partners_are_grouped_with_their_sources(osce: Osce) -> None:
    text = text_of(page("/registry/partners/"))

    assert "Asian Partner for Co-operation (1) Partner ISO codes Partner since Source Japan" in text
    assert "Mediterranean Partner for Co-operation (1)" in text
    assert "associated since the 1975 Helsinki process" in text


def test_institutions_and_secretariat_units_are_listed_with_labels(osce: Osce) -> None:
    text = text_of(page("/registry/institutions/"))

    assert "Office for Democratic Institutions and Human Rights (ODIHR)" in text
    assert "Conflict Prevention Centre (CPC) SECONDARY" in text


@pytest.mark.parametrize("path", ["/registry/partners/", "/registry/chairmanships/",
                                  "/registry/field-operations/", "/registry/conflicts/"])
def test_every_list_page_downloads_its_json(osce: Osce, path: str) -> None:
    response = Client().get(f"{path}?format=json")

    assert response.status_code == 200
    records = json.loads(response.content)
    assert records
    assert {"source", "confidence"} <= set(records[0])


# --- the home page --------------------------------------------------------------------------------

def test_the_home_page_shows_the_registry_at_a_glance(osce: Osce) -> None:
    text = text_of(page("/"))

    assert "5 participating States" in text
    assert "2 Partners for Co-operation" in text
    assert "1 current field operation " in text
    assert "The Troika in 2025" in text
    assert "Incoming Chair (2026): Switzerland" in text
    assert 'href="/registry/map/"' in page("/")


def test_the_home_page_has_no_registry_panel_before_data_is_loaded(db: None) -> None:
    assert "The OSCE at a glance" not in page("/")
