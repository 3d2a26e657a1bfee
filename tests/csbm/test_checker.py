"""The activity checker: a person describes an activity and reads what the ruleset says about it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

CHECKER = reverse("csbm:checker")
ANSWER = reverse("csbm:checker_answer")


def activity(**changes: Any) -> dict[str, str]:
    data = {"ruleset": "vd2011", "type": "land", "start": "2026-09-01", "end": "2026-09-10",
            "troops": "9500"}
    data.update({key: str(value) for key, value in changes.items()})
    return data


def text(response: Any) -> str:
    return " ".join(response.content.decode().split())


def test_the_checker_lists_every_ruleset_and_marks_the_proposals(client: Client) -> None:
    page = text(client.get(CHECKER))
    assert "Activity checker" in page
    assert ">vd2011: Vienna Document 2011 on Confidence- and Security-Building Measures<" in page
    assert (">joint-proposal-2019 (proposal): Joint Proposal to modernize the Vienna Document "
            "(2019)<") in page
    assert ">vd1999: " in page and ">vd2011-vdplus: " in page
    assert ">proposal-2016 (proposal): " in page
    # The form posts to the answer partial with htmx, and to the page itself without JavaScript.
    assert f'hx-post="{ANSWER}"' in page
    assert f'action="{CHECKER}"' in page


def test_a_land_exercise_of_9500_troops_is_notifiable_with_its_paragraph_and_date(
        client: Client) -> None:
    page = text(client.post(ANSWER, activity()))
    assert '<h2 id="notification-verdict">Subject to prior notification</h2>' in page
    assert '<h2 id="observation-verdict">Not subject to observation</h2>' in page
    assert 'Notify by <time datetime="2026-07-21">' in page
    assert "(40.1.1)" in page
    threshold = "<code>notification.thresholds.land_forces.troops</code>"
    assert f"{threshold} = <strong>9,000</strong>" in page
    # The crossed threshold and the ones not crossed, with the numbers.
    assert "crossed" in page and "not crossed" in page
    assert '<td class="number">9,500</td>' in page
    assert "In the calendar sent by" in page and 'datetime="2025-11-15"' in page


def test_the_answer_partial_is_only_the_answer(client: Client) -> None:
    page = client.post(ANSWER, activity()).content.decode()
    assert "<html" not in page and "<form" not in page


def test_8999_troops_are_below_the_threshold(client: Client) -> None:
    page = text(client.post(ANSWER, activity(troops=8999)))
    assert '<h2 id="notification-verdict">Not subject to prior notification</h2>' in page
    assert "Notify by" not in page


def test_unconfirmed_and_secondary_values_keep_their_labels(client: Client) -> None:
    page = text(client.post(ANSWER, activity(battle_tanks=260)))
    assert "UNCONFIRMED" in page  # the 250 battle tanks of (40.1.1)
    assert "SECONDARY" in page  # the 9,000 troops (S14)
    assert "number UNCONFIRMED" in page  # paragraph numbers outside Chapter I are inferred


def test_a_proposal_is_marked_and_its_ranges_leave_the_answer_undetermined(
        client: Client) -> None:
    page = text(client.post(ANSWER, activity(ruleset="joint-proposal-2019", troops=4500)))
    assert "Proposal — not agreed text." in page
    assert '<h2 id="notification-verdict">Prior notification undetermined</h2>' in page
    assert "4,000–5,000 (reported range)" in page
    assert "Not defined in this ruleset" in page
    assert "notification.thresholds.land_forces.battle_tanks is not defined in this ruleset" in page


def test_an_alert_activity_is_notified_when_the_troops_begin(client: Client) -> None:
    page = text(client.post(ANSWER, activity(without_advance_notice="on", duration_hours=48,
                                             troops=14000)))
    assert "Notify when the troops begin the activity" in page
    assert '<h2 id="observation-verdict">Not subject to observation</h2>' in page
    assert "alert activity of at most 72 hours" in page


def test_without_javascript_the_page_itself_answers(client: Client) -> None:
    page = text(client.post(CHECKER, activity(troops=13000)))
    assert "<form" in page
    assert '<h2 id="notification-verdict">Subject to prior notification</h2>' in page
    assert '<h2 id="observation-verdict">Subject to observation</h2>' in page
    assert "Invite observers by" in page


@pytest.mark.django_db
def test_bad_input_gives_field_errors_and_touches_no_database(
        client: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = client.post(CHECKER, activity(troops=-5, start="2026-09-10",
                                                 end="2026-09-01", ruleset="vd2099"))
    page = text(response)
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in page
    assert "The end cannot be before the start." in page
    assert "Select a valid choice." in page
    assert "notification-verdict" not in page


def test_the_partial_lists_the_errors_in_place_of_the_answer(client: Client) -> None:
    page = text(client.post(ANSWER, activity(troops="many")))
    assert 'role="alert"' in page
    assert "Troops: Enter a whole number." in page


def test_the_checker_answers_get_and_post_only(client: Client) -> None:
    assert client.put(CHECKER).status_code == 405
    assert client.get(ANSWER).status_code == 405


def test_in_russian_the_date_fields_keep_their_dates() -> None:
    # A date input reads ISO 8601 only: a date written the Russian way ("01.09.2026") would
    # leave the browser's field blank.
    russian = Client(HTTP_ACCEPT_LANGUAGE="ru")
    page = russian.post(CHECKER, activity()).content.decode()
    assert 'lang="ru"' in page
    assert 'name="start" value="2026-09-01"' in page
    assert 'name="end" value="2026-09-10"' in page
    fresh = russian.get(CHECKER).content.decode()
    start = re.search(r'name="start" value="([^"]*)"', fresh)
    assert start is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", start.group(1))


def test_in_russian_the_engine_explains_itself_in_russian() -> None:
    alert = activity(without_advance_notice="on", start="2026-09-01", end="2026-09-05",
                     troops=14000)
    english = text(Client().post(ANSWER, alert))
    note = "alert activity: observation depends on whether it lasts more than 72 hours"
    assert note in english
    page = text(Client(HTTP_ACCEPT_LANGUAGE="ru").post(ANSWER, alert))
    with translation.override("ru"):
        russian = gettext("alert activity: observation depends on whether it lasts more than "
                          "{hours} hours; give its duration in hours").format(hours=72)
    assert russian != note and " ".join(russian.split()) in page
    assert note not in page
