"""The Vienna Document desk's pages, as the named cast and the public see them.

Today is frozen at 1 June 2026. Austria has a public activity (published by its delegation)
and a restricted exercise record; Finland has inspected Austria this year (restricted); the
Russian Federation's Zapad 2017 is the public, sourced real exercise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from hofburg.core.models import Classification
from hofburg.csbm import services
from hofburg.csbm.models import Activity
from tests.conftest import Cast
from tests.registry.factories import ORIGINAL, create_osce, create_state, freeze_today, names

TODAY = date(2026, 6, 1)


@dataclass
class Desk:
    public: Activity
    restricted: Activity
    zapad: Activity


def create_desk() -> Desk:
    """The records of the module docstring (the States come from the registry factories)."""
    create_osce()
    create_state("RU", "RUS", "643", names("Russian Federation", "Fédération de Russie",
                                           "Russische Föderation", "Federazione Russa",
                                           "Российская Федерация", "Federación de Rusia"),
                 ORIGINAL)
    public = services.record_activity(None, services.ActivityRecord(
        state="AT", reference="alpine-shield-2026", name="Alpine Shield 2026",
        start=date(2026, 7, 20), end=date(2026, 7, 30), classification=Classification.PUBLIC,
        details={"troops": 9500, "source": "test fixture"}))
    restricted = services.record_activity(None, services.ActivityRecord(
        state="AT", reference="exercise-danube-2026", name="Exercise Danube 2026",
        start=date(2026, 8, 10), end=date(2026, 8, 20), classification=Classification.RESTRICTED,
        is_exercise=True, details={"troops": 14000}))
    zapad = services.record_activity(None, services.ActivityRecord(
        state="RU", reference="zapad-2017", name="Zapad 2017", start=date(2017, 9, 14),
        end=date(2017, 9, 20), classification=Classification.PUBLIC,
        details={"troops": 12700, "artillery": 200, "source": "S15: IAI",
                 "confidence": "secondary"}))
    visit = services.request_visit(None, services.VisitRequest(
        kind="inspection", inspecting_state="FI", receiving_state="AT",
        requested_at=datetime(2026, 3, 2, 9, tzinfo=UTC), on=date(2026, 3, 4)))
    services.record_visit_outcome(None, visit, outcome="conducted",
                                  recorded_at=datetime(2026, 3, 5, 9, tzinfo=UTC))
    return Desk(public, restricted, zapad)


@pytest.fixture
def desk(db: None, time_machine: TimeMachineFixture) -> Desk:
    freeze_today(time_machine, TODAY)
    return create_desk()


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(response.content.decode().split())


EXERCISE_BANNER = "EXERCISE DATA — this page shows generated demonstration records"

# -- desk home ---------------------------------------------------------------------------------


def test_the_public_sees_published_activities_on_the_desk_home_and_nothing_restricted(
        desk: Desk, client: Client) -> None:
    page = text(client.get(reverse("csbm:home")))
    assert "Vienna Document desk" in page
    assert "Alpine Shield 2026" in page
    assert "notify by" in page  # 42 days before 20 July 2026
    assert "Exercise Danube 2026" not in page
    assert "you see what States chose to publish" in page
    assert "what is missing is shown to participating States and OSCE staff only" in page
    assert EXERCISE_BANNER not in page


def test_a_delegate_sees_restricted_activities_overdue_items_and_the_quota_board(
        desk: Desk, cast: Cast) -> None:
    page = text(cast.client(cast.bob).get(reverse("csbm:home")))
    assert "Exercise Danube 2026" in page
    assert "notifiable and observable" in page
    assert EXERCISE_BANNER in page
    assert "Submissions for 2026." in page and "annual exchange missing" in page
    assert "Quota board 2026" in page
    assert '<td class="number">1 / 3</td>' in page  # Austria: one of three inspections


# -- activity page -----------------------------------------------------------------------------


def test_an_activity_page_answers_with_the_agreed_ruleset(desk: Desk, client: Client) -> None:
    page = text(client.get(reverse("csbm:activity", args=["RU", "zapad-2017"])))
    assert "<h1>Zapad 2017</h1>" in page
    assert '<h2 id="notification-verdict">Subject to prior notification</h2>' in page
    # 12,700 troops: over the notification threshold, under the observation threshold; the
    # source's 680 "armoured vehicles" are not split into tanks and ACVs, so neither is counted.
    assert '<h2 id="observation-verdict">Not subject to observation</h2>' in page
    assert "SECONDARY" in page and "S15: IAI" in page


def test_a_restricted_activity_is_a_404_for_the_public_and_for_a_reader_without_affiliation(
        desk: Desk, cast: Cast, client: Client) -> None:
    url = reverse("csbm:activity", args=["AT", "exercise-danube-2026"])
    assert client.get(url).status_code == 404
    assert cast.client(cast.nick).get(url).status_code == 404
    page = text(cast.client(cast.carol).get(url))
    assert "Exercise Danube 2026" in page and EXERCISE_BANNER in page


# -- calendar ----------------------------------------------------------------------------------


def test_the_calendar_places_each_activity_of_the_year_on_the_timeline(
        desk: Desk, cast: Cast) -> None:
    page = text(cast.client(cast.alice).get(reverse("csbm:calendar")))
    assert "Military activities in 2026" in page
    assert "Alpine Shield 2026" in page and "Exercise Danube 2026" in page
    assert "Zapad 2017" not in page
    assert 'class="tl-bar bar-notifiable"' in page  # Alpine Shield: 9,500 troops
    assert 'class="tl-bar bar-observable"' in page  # Danube: 14,000 troops
    # 20 July is 200 days after 1 January: the bar starts 200/365 = 54.79% into the year.
    assert 'data-offset="54.79"' in page


def test_the_calendar_filters_by_year_and_state(desk: Desk, client: Client) -> None:
    page = text(client.get(reverse("csbm:calendar"), {"year": 2017}))
    assert "Zapad 2017" in page
    page = text(client.get(reverse("csbm:calendar"), {"year": 2017, "state": "AT"}))
    assert "Zapad 2017" not in page
    assert "No activity visible to you takes place in this year." in page


def test_the_calendar_reads_the_same_number_of_queries_for_more_activities(
        desk: Desk, cast: Cast, django_assert_max_num_queries: Any) -> None:
    client = cast.client(cast.alice)
    with django_assert_max_num_queries(12) as captured:
        client.get(reverse("csbm:calendar"))
    before = len(captured)
    for day in range(1, 6):
        services.record_activity(None, services.ActivityRecord(
            state="FI", reference=f"north-{day}", name=f"North {day}", start=date(2026, 9, day),
            end=date(2026, 9, day + 3), details={"troops": 3000 * day}))
    with django_assert_max_num_queries(before):
        page = text(client.get(reverse("csbm:calendar")))
    assert "North 5" in page


# -- what if -----------------------------------------------------------------------------------


def test_what_if_runs_the_published_activities_under_the_2019_joint_proposal_by_default(
        desk: Desk, client: Client) -> None:
    page = text(client.get(reverse("csbm:what_if")))
    assert "Proposal — not agreed text." in page
    assert "A: vd2011" in page and "B: joint-proposal-2019" in page
    assert "Zapad 2017" in page and "Exercise Danube 2026" not in page
    # 9,500 troops: below the VD2011 observation threshold of 13,000, above the proposal's
    # reported 6,000-9,000.
    row = page.split("Alpine Shield 2026", 1)[1].split("</tr>")[0]
    assert '<span class="tag changed-tag">changes</span>' in row
    assert row.count("not observable") == 1
    assert '<td class="verdict-cell changed">' in row


def test_what_if_shows_the_ruleset_differences_with_paragraphs_and_labels(
        desk: Desk, client: Client) -> None:
    page = text(client.get(reverse("csbm:what_if")))
    assert "How joint-proposal-2019 differs from vd2011" in page
    assert "<code>notification.thresholds.land_forces.troops</code>" in page
    assert "4,000–5,000 (reported range)" in page
    assert "UNCONFIRMED" in page and "(40.1.1)" in page


def test_what_if_compares_an_activity_typed_in(desk: Desk, client: Client) -> None:
    page = text(client.get(reverse("csbm:what_if"), {
        "ruleset_a": "vd2011", "ruleset_b": "joint-proposal-2019", "year": 2030,
        "type": "land", "start": "2030-05-01", "end": "2030-05-05", "troops": 6000}))
    assert "The activity typed in" in page
    # It leads the page, before the form and the stored activities, and is not one of them.
    lead = page.split("Your activity under the two rulesets", 1)[1].split("<form", 1)[0]
    assert "joint-proposal-2019 would treat it differently from vd2011." in lead
    assert "The activity typed in" in lead
    assert "No stored activity to compare" in page


def test_what_if_adds_no_activity_of_the_users_that_was_not_typed(
        desk: Desk, client: Client) -> None:
    blank = text(client.get(reverse("csbm:what_if")))
    assert 'name="start"' in blank and 'name="start" value=' not in blank
    page = text(client.get(reverse("csbm:what_if"), {
        "ruleset_a": "vd2011", "ruleset_b": "joint-proposal-2019", "year": 2030,
        "type": "land", "start": "", "end": ""}))
    assert "The activity typed in" not in page and "Your activity" not in page


def test_what_if_asks_for_a_figure_when_only_dates_are_typed(
        desk: Desk, client: Client) -> None:
    page = text(client.get(reverse("csbm:what_if"), {
        "ruleset_a": "vd2011", "ruleset_b": "joint-proposal-2019", "type": "land",
        "start": "2030-05-01", "end": "2030-05-05"}))
    assert "Give at least one figure of your activity, or leave its dates empty." in page
    assert "The activity typed in" not in page


def test_what_if_refuses_the_same_ruleset_twice(desk: Desk, client: Client) -> None:
    page = text(client.get(reverse("csbm:what_if"),
                           {"ruleset_a": "vd2011", "ruleset_b": "vd2011"}))
    assert "Choose two different rulesets." in page
    assert "What would change" not in page


# -- quota board and scorecard -----------------------------------------------------------------


def test_the_quota_board_says_who_has_used_a_states_quota(desk: Desk, cast: Cast) -> None:
    page = text(cast.client(cast.carol).get(reverse("csbm:quotas"), {"year": 2026}))
    austria = page.split('id="state-AT"', 1)[1].split("</tr>")[0]
    assert "Finland" in austria
    assert '<td class="number">3</td> <td class="number">1</td> <td class="number">2' in austria
    assert "no annual exchange visible for this year" in austria


def test_the_public_does_not_see_restricted_visits_on_the_quota_board(
        desk: Desk, client: Client) -> None:
    page = text(client.get(reverse("csbm:quotas"), {"year": 2026}))
    austria = page.split('id="state-AT"', 1)[1].split("</tr>")[0]
    assert "Finland" not in austria


def test_the_scorecard_tells_missing_from_not_published(desk: Desk, cast: Cast,
                                                         client: Client) -> None:
    public = text(client.get(reverse("csbm:scorecard"), {"year": 2026}))
    assert "Compliance scorecard 2026" in public
    assert '<span class="status status-not_published">not published</span>' in public
    assert "status-missing\">missing" not in public
    delegate = text(cast.client(cast.alice).get(reverse("csbm:scorecard"), {"year": 2026}))
    assert '<span class="status status-missing">missing</span>' in delegate
    assert "?year=2026&amp;format=csv" in delegate and "?year=2026&amp;format=xlsx" in delegate


def test_the_scorecard_can_show_only_states_with_findings(desk: Desk, cast: Cast) -> None:
    page = text(cast.client(cast.alice).get(reverse("csbm:scorecard"),
                                            {"year": 2026, "findings_only": "on"}))
    assert 'class="clean"' not in page
    assert 'id="state-AT"' in page


def test_the_scorecard_downloads_as_csv_with_what_the_user_may_see(
        desk: Desk, cast: Cast, client: Client) -> None:
    response = cast.client(cast.alice).get(reverse("csbm:scorecard"),
                                           {"year": 2026, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="csbm-scorecard-2026.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("state,state_name,year,exchange_status")
    assert any(line.startswith("AT,Austria,2026,missing") for line in lines)
    public = client.get(reverse("csbm:scorecard"), {"year": 2026, "format": "csv"})
    assert "AT,Austria,2026,not_published" in public.content.decode("utf-8-sig")


def test_the_scorecard_refuses_an_unknown_format(desk: Desk, client: Client) -> None:
    response = client.get(reverse("csbm:scorecard"), {"year": 2026, "format": "pdf"})
    assert response.status_code == 400
    assert "csv, xlsx" in response.content.decode()
