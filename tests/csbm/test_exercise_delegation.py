"""An exercise delegation standing for a State (decision 0061): its editor reaches what only a
State's delegation does — the exchange upload, "My State" — and whatever it records is an
exercise record, asked for or not. A real delegation's records stay as asked."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from hofburg.core import demo
from hofburg.core.models import Affiliation, Role, User
from hofburg.csbm import services
from hofburg.csbm.models import Activity, AnnualExchange
from hofburg.csbm.services import UnitIn
from hofburg.csbm.views.exchanges import state_user_acts_for
from tests.conftest import Cast
from tests.registry.factories import freeze_today

TODAY = date(2026, 12, 7)


@pytest.fixture
def delegate(db: None) -> User:
    affiliation = Affiliation.objects.create(
        code="exercise-delegation-state", name="Exercise Delegation AT",
        kind=Affiliation.Kind.DELEGATION, state_iso2="AT", is_exercise=True)
    return User.objects.create_user(username="demo-delegate", password="x" * 20,
                                    affiliation=affiliation, roles=[Role.READER, Role.EDITOR])


def _submission(**kwargs: Any) -> services.ExchangeSubmission:
    return services.ExchangeSubmission(state="AT", year=2027, submitted_on=TODAY,
                                       units=[UnitIn("Exercise 1. Brigade")], **kwargs)


def test_what_an_exercise_delegation_records_is_exercise_data(
        delegate: User, cast: Cast, states: Any) -> None:
    exchange = services.submit_exchange(delegate, _submission())
    assert exchange.is_exercise
    assert exchange.units.get().is_exercise

    activity = services.record_activity(delegate, services.ActivityRecord(
        state="AT", reference="EX-AT-1", name="Exercise Alpine Step", type="land",
        start=date(2027, 5, 1), end=date(2027, 5, 4)))
    assert Activity.objects.get(pk=activity.pk).is_exercise

    # A real delegation's editor records what it asked for.
    real = services.submit_exchange(cast.alice, _submission(note="real"))
    assert not real.is_exercise
    assert services.exercise_of(cast.alice, False) is False
    assert services.exercise_of(cast.alice, True) is True
    assert services.exercise_of(None, False) is False
    assert services.exercise_of(delegate, False) is True


def test_the_exercise_delegate_uploads_its_states_exchange_from_the_page(
        delegate: User, states: Any, time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, TODAY)
    client = Client()
    client.force_login(delegate)
    page = client.get(reverse("csbm:exchanges"))
    assert page.status_code == 200
    assert reverse("csbm:exchange_upload") in page.content.decode()  # the form is offered

    units = SimpleUploadedFile(
        "units.csv", b"designation,level\nExercise 1. Division,formation\n", "text/csv")
    response = client.post(reverse("csbm:exchange_upload"), {
        "year": "2027", "submitted_on": TODAY.isoformat(), "units_csv": units,
        "classification": "restricted"})
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = AnnualExchange.objects.get(state_id="AT", year=2027, is_current=True)
    assert stored.is_exercise
    shown = client.get(response["Location"])
    assert "EXERCISE" in shown.content.decode().upper()


def test_my_state_greets_the_exercise_delegate(delegate: User, states: Any) -> None:
    client = Client()
    client.force_login(delegate)
    home = client.get("/")
    assert home.status_code == 200
    assert reverse("registry:state", args=["AT"]) in home.content.decode()


def test_the_demo_has_a_delegate_standing_for_a_state(states: Any) -> None:
    accounts = {a.username: a for a in demo.ACCOUNTS}
    assert accounts["demo-delegate"].affiliation == demo.STATE_DELEGATION
    assert Role.EDITOR in accounts["demo-delegate"].roles
    loaders = dict(demo._loaders)
    demo._loaders.clear()  # the desks' own demo data is not what this test is about
    try:
        rows = demo.load_demo()
    finally:
        demo._loaders.update(loaders)
    delegate = User.objects.get(username="demo-delegate")
    assert delegate.affiliation is not None
    assert delegate.affiliation.state_iso2 == demo.DEMO_STATE
    assert delegate.affiliation.is_exercise
    assert any(row[0] == "demo-delegate" and "Exercise" in row[3] for row in rows)
    assert state_user_acts_for(delegate) == demo.DEMO_STATE
