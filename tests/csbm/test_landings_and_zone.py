"""Landings apart and the zone of application through the model, the migration, the API, the
checker page and the notification content."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from hofburg.csbm import queries, services
from hofburg.csbm.models import Activity
from hofburg.csbm.rulesets import get_ruleset, ruleset_in_force
from tests.csbm.test_api import API, _token_client

pytestmark = pytest.mark.django_db

ANSWER = reverse("csbm:checker_answer")


def _text(response: Any) -> str:
    return " ".join(response.content.decode().split())


def test_the_api_classifies_2000_airborne_and_1500_amphibious_troops_as_not_notifiable(
        client: Client) -> None:
    figures = {"type": "land", "start": "2026-09-01", "end": "2026-09-05",
               "airborne_troops": 2000, "amphibious_troops": 1500}
    body = client.post(f"{API}/classify", json.dumps(figures),
                       content_type="application/json").json()
    assert (body["notifiable"], body["observable"]) == (False, False)
    body = client.get(f"{API}/classify", {**figures, "amphibious_troops": 3000}).json()
    assert body["thresholds_crossed"]["notification"] == ["amphibious_troops"]


def test_the_api_refuses_a_negative_landing_figure(client: Client) -> None:
    response = client.get(f"{API}/classify", {"type": "land", "start": "2026-09-01",
                                              "end": "2026-09-05", "airborne_troops": -1})
    assert response.status_code == 422


def test_the_api_answers_not_subject_outside_the_zone(client: Client) -> None:
    body = client.get(f"{API}/classify", {"type": "land", "start": "2026-09-01",
                                          "end": "2026-09-05", "troops": 50000,
                                          "outside_zone": True}).json()
    assert body["subject"] is False
    assert body["notifiable"] is False
    assert "zone of application" in body["not_subject_reason"]


def test_a_stored_activity_keeps_the_landings_apart_and_its_zone(cast: Any, states: Any
                                                                ) -> None:
    created = _token_client(cast.alice).post(f"{API}/activities", json.dumps({
        "state": "AT", "reference": "at-landings", "name": "Exercise Landings",
        "start": "2027-06-01", "end": "2027-06-10", "airborne_troops": 2000,
        "amphibious_troops": 1500}), content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["airborne_troops"], body["amphibious_troops"]) == (2000, 1500)
    assert body["classification_answers"]["notifiable"] is False
    stored = Activity.objects.get(reference="at-landings")
    assert (stored.airborne_troops, stored.amphibious_troops, stored.outside_zone) == (
        2000, 1500, False)
    content = services.notification_content(stored, get_ruleset("vd2011"))
    assert (content["B"]["airborne_troops"], content["B"]["amphibious_troops"]) == (2000, 1500)
    changed = _token_client(cast.alice).patch(
        f"{API}/activities/AT/at-landings", json.dumps({"outside_zone": True,
                                                     "amphibious_troops": 4000}),
        content_type="application/json")
    assert changed.status_code == 200, changed.content
    answers = changed.json()["classification_answers"]
    assert answers["subject"] is False and answers["notifiable"] is False
    assert queries.classify_activity(Activity.objects.get(reference="at-landings")).subject is (
        False)


def test_the_checker_keeps_the_landings_apart(client: Client) -> None:
    data = {"ruleset": "vd2011", "type": "land", "start": "2026-09-01", "end": "2026-09-10",
            "airborne_troops": "2000", "amphibious_troops": "1500"}
    page = _text(client.post(ANSWER, data))
    assert "Not subject to prior notification" in page
    assert "troops in the amphibious landing" in page
    assert "troops in the parachute drop or heliborne landing" in page


def test_the_checker_says_not_subject_outside_the_zone_with_the_label(client: Client) -> None:
    data = {"ruleset": "vd2011", "type": "land", "start": "2026-09-01", "end": "2026-09-10",
            "troops": "50000", "outside_zone": "on"}
    page = _text(client.post(ANSWER, data))
    assert "Not subject: outside the zone of application" in page
    assert "United States and Canada" in page
    assert "secondary" in page


def test_the_checker_offers_arrival_and_concentration_apart(client: Client) -> None:
    arrival = _text(client.post(ANSWER, {"ruleset": "vd2011", "type": "transfer",
                                         "start": "2026-09-01", "end": "2026-09-10",
                                         "troops": "20000"}))
    assert "Subject to prior notification" in arrival
    assert "Not subject to observation" in arrival
    assert "(47.3); unconfirmed" in arrival
    concentration = _text(client.post(ANSWER, {"ruleset": "vd2011", "type": "concentration",
                                               "start": "2026-09-01", "end": "2026-09-10",
                                               "troops": "20000"}))
    assert "Subject to observation" in concentration


def test_the_ruleset_in_force_turns_to_vd1999_on_1_january_2000() -> None:
    assert ruleset_in_force(date(1999, 12, 31)).id != "vd1999"
    assert ruleset_in_force(date(2000, 1, 1)).id == "vd1999"
    assert ruleset_in_force(date(2011, 11, 30)).id == "vd1999"
    assert ruleset_in_force(date(2011, 12, 1)).id == "vd2011"


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_single_landing_figure_by_type(states: Any) -> None:
    executor = MigrationExecutor(connection)
    before = [("csbm", "0001_initial")]
    after = [("csbm", "0002_activity_landings_apart_and_zone")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("csbm", "Activity")
    common = {"state_id": "AT", "name": "X", "start": date(2026, 9, 1),
              "end": date(2026, 9, 2), "classification": "public"}
    old.objects.create(reference="amph", type="amphibious", landing_troops=3000, **common)
    old.objects.create(reference="air", type="airborne", landing_troops=2500, **common)
    old.objects.create(reference="land", type="land", landing_troops=1200, **common)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("csbm", "Activity")
    moved = {a.reference: (a.amphibious_troops, a.airborne_troops) for a in new.objects.all()}
    assert moved == {"amph": (3000, None), "air": (None, 2500), "land": (None, 1200)}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
