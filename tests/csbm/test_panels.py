"""A State's profile carries a Vienna Document panel: its figures, as far as the reader may see."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from hofburg.core.models import Classification
from hofburg.csbm import services
from tests.conftest import Cast
from tests.csbm.test_pages import TODAY, Desk, create_desk
from tests.registry.factories import freeze_today

PANEL = 'id="csbm-panel-heading"'


@pytest.fixture
def desk(db: None, time_machine: TimeMachineFixture) -> Desk:
    freeze_today(time_machine, TODAY)
    return create_desk()


def profile(client: Client, iso2: str) -> str:
    response = client.get(reverse("registry:state", args=[iso2]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_a_delegate_sees_a_states_activities_quotas_and_overdue_items(
        desk: Desk, cast: Cast) -> None:
    page = profile(cast.client(cast.bob), "AT")
    assert PANEL in page and "Vienna Document in 2026" in page
    assert "<strong>2</strong> military activities" in page
    assert "<strong>2</strong> notifiable" in page
    assert "1 of 3 used, 2 remaining" in page  # Finland's inspection
    assert "no annual exchange visible for this year" in page
    assert "Exercise Danube 2026" in page
    assert "Overdue" in page


def test_the_public_sees_only_what_austria_published_and_no_overdue_claims(
        desk: Desk, client: Client) -> None:
    page = profile(client, "AT")
    assert "Published records only" in page
    assert "<strong>1</strong> military activity" in page
    assert "Alpine Shield 2026" in page
    assert "Exercise Danube 2026" not in page
    assert "0 of 3 used, 3 remaining" in page  # the inspection is restricted
    assert "Overdue" not in page


def test_a_state_with_nothing_visible_has_no_panel(desk: Desk, cast: Cast,
                                                   client: Client) -> None:
    assert PANEL not in profile(cast.client(cast.alice), "MT")
    services.record_activity(None, services.ActivityRecord(
        state="MT", reference="malta-secret", name="Malta Secret", start=date(2026, 9, 1),
        end=date(2026, 9, 3), classification=Classification.RESTRICTED, details={"troops": 100}))
    assert PANEL not in profile(client, "MT")  # restricted: the public sees no panel
    assert PANEL in profile(cast.client(cast.alice), "MT")


def test_the_panel_reads_a_fixed_number_of_queries(
        desk: Desk, cast: Cast, django_assert_max_num_queries: Any) -> None:
    client = cast.client(cast.carol)
    with django_assert_max_num_queries(40) as captured:
        profile(client, "AT")
    before = len(captured)
    for day in range(1, 6):
        services.record_activity(None, services.ActivityRecord(
            state="AT", reference=f"more-{day}", name=f"More {day}", start=date(2026, 10, day),
            end=date(2026, 10, day + 1), details={"troops": 1000 * day}))
    with django_assert_max_num_queries(before):
        assert "<strong>7</strong> military activities" in profile(client, "AT")
